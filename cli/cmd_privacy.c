/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_privacy.c - `securebase privacy report`: every place data can
 * leave this machine, what goes there, and the practice's audit anchor:
 * the answer to "what does this software send, and to whom?" (issue 31).
 *
 * Read from the practice's own settings, so that it says what this
 * practice does, not what the software could do.  Passwords are never
 * printed: the settings that hold them say only whether they are set,
 * and an address with a password in it is shown without it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/audit.h"

/* A URL without the password of its user part (scheme://user@host). */
static void
url_shown(const char *url, char *out, size_t n)
{
	const char	*s = strstr(url, "://"), *at, *colon, *end;

	if (s == NULL) {
		snprintf(out, n, "%s", url);
		return;
	}
	s += 3;
	end = s + strcspn(s, "/?#");
	if ((at = memchr(s, '@', (size_t)(end - s))) == NULL ||
	    (colon = memchr(s, ':', (size_t)(at - s))) == NULL) {
		snprintf(out, n, "%s", url);
		return;
	}
	snprintf(out, n, "%.*s:(password not shown)%s", (int)(colon - url),
	    url, at);
}

/* A setting's value (NULL when unset) in b. */
static const char *
setting(struct store *s, enum store_setting k, struct buf *b)
{
	bool	 set;

	if (store_setting_get(s, k, b, &set) != SB_OK || !set ||
	    b->data == NULL || b->data[0] == '\0')
		return NULL;
	return b->data;
}

static void
say_setting(struct store *s, const char *label, enum store_setting k,
    bool url)
{
	struct buf	 b;
	const char	*v;
	char		 shown[1024];

	buf_init(&b, 8192);
	if ((v = setting(s, k, &b)) == NULL)
		printf("  %-14s (not set)\n", label);
	else if (url) {
		url_shown(v, shown, sizeof(shown));
		printf("  %-14s %s\n", label, shown);
	} else
		printf("  %-14s %s\n", label, v);
	buf_wipe(&b);
}

/* Whether a secret is set, never what it is. */
static void
say_secret(struct store *s, const char *label, enum store_setting k)
{
	struct buf	 b;

	buf_init(&b, 8192);
	printf("  %-14s %s\n", label, setting(s, k, &b) != NULL ? "set (not "
	    "shown)" : "(not set)");
	buf_wipe(&b);
}

static bool
is_set(struct store *s, enum store_setting k)
{
	struct buf	 b;
	bool		 on;

	buf_init(&b, 8192);
	on = setting(s, k, &b) != NULL;
	buf_wipe(&b);
	return on;
}

int
cmd_privacy(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1];
	struct opt		 opts[] = { { NULL, NULL, NULL, NULL } };
	struct store		*s;
	struct audit_anchor	 a;
	char			 shown[1024], line[256];
	size_t			 npos;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("privacy", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "report") != 0)
		return usage_error("privacy", "privacy report");
	if ((s = cli_store(ctx, "privacy", true, &rc)) == NULL)
		return rc;
	if (store_actor(s)->role != ROLE_ADMIN) {
		fprintf(stderr, "securebase privacy: only an admin reads the "
		    "practice's settings\n");
		store_close(s);
		return EXIT_RUNTIME;
	}
	store_target_shown(ctx->db, shown, sizeof(shown));
	printf("Where this practice's data can leave this machine\n\n");

	printf("The database: %s\n", shown);
	if (store_is_file(ctx->db))
		printf("  A file on this machine: nothing leaves through it. "
		    "Clinical text is sealed\n  in it; ids, dates, answers "
		    "and scores are not.\n\n");
	else
		printf("  A PostgreSQL server: every record goes to it over the "
		    "network (use TLS,\n  sslmode=verify-full). Clinical text "
		    "is sealed before it is sent; ids, dates,\n  answers and "
		    "scores are not. The key stays on this machine.\n\n");

	printf("Mail (the SMTP server):\n");
	say_setting(s, "smtp-url", SET_SMTP_URL, true);
	say_setting(s, "smtp-user", SET_SMTP_USER, false);
	say_secret(s, "smtp-password", SET_SMTP_PASSWORD);
	say_setting(s, "smtp-tls", SET_SMTP_TLS, false);
	say_setting(s, "smtp-from", SET_SMTP_FROM, false);
	say_setting(s, "duty-email", SET_DUTY_EMAIL, false);
	printf("  Sends: to a therapist and the duty address, that an alert "
	    "needs attention\n  and its link (no client's name, answer or "
	    "score); to a client, a\n  questionnaire link, from the practice "
	    "or therapist as the settings allow\n  (no measure's name). The "
	    "mail server sees the recipients' addresses.\n\n");

	printf("SMS (Kannel's sendsms):\n");
	say_setting(s, "sms-url", SET_SMS_URL, true);
	say_setting(s, "sms-user", SET_SMS_USER, false);
	say_secret(s, "sms-password", SET_SMS_PASSWORD);
	say_setting(s, "sms-from", SET_SMS_FROM, false);
	say_setting(s, "duty-phone", SET_DUTY_PHONE, false);
	printf("  Sends: to a client's mobile, a questionnaire link and its "
	    "last day; to the\n  duty phone, that an alert needs attention "
	    "and its link. Kannel and the\n  phone network see the numbers "
	    "and the text.\n\n");
	if (is_set(s, SET_SENDING_HELD))
		printf("Sending is HELD (a restored copy): nothing is mailed or "
		    "sent until an admin\nreleases it.\n\n");

	printf("Links and the web:\n");
	say_setting(s, "origin", SET_ORIGIN, true);
	printf("  Links in mail and SMS point here; clients' browsers fetch "
	    "only from it (no\n  outside scripts, fonts or images).\n\n");

	printf("On command only (nothing leaves by itself):\n"
	    "  export --fhir DIR        FHIR R4 resources, identified, to "
	    "files you choose\n"
	    "  export --research DIR    pseudonymous answers and scores "
	    "(no names)\n"
	    "  export --csv DIR         item-level answers, identified by "
	    "client id\n"
	    "  report --pdf FILE        a client's progress report\n"
	    "  backup PATH              the whole database (sealed as it "
	    "is), without the key;\n"
	    "                           the systemd timer writes to "
	    "/var/backups/securebase\n"
	    "  migrate --to DB          the whole database, to another "
	    "engine\n\n");

	printf("Logs: serve writes to standard error (the journal): sign-ins "
	    "and refusals with\n  the user's name and the address, alerts "
	    "raised and mail sent by id; no\n  client's name, answer, score "
	    "or note, never a link's token.\n\n");

	/* The report is itself an access: recorded, with its anchor. */
	if ((e = audit_anchor_take(s, &a)) != SB_OK)
		return cli_done(s, "privacy", e);
	audit_anchor_format(&a, line, sizeof(line));
	printf("The practice's audit anchor (keep it off this machine; "
	    "securebase audit verify\n--anchor checks the trail against "
	    "it):\n  %s\n", line);
	return cli_done(s, "privacy", SB_OK);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_notify.c - `securebase notify send|list` (the outbox, for cron and
 * for admins) and `securebase settings` (the practice's settings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "cli/cli.h"
#include "app/io.h"
#include "app/notify.h"
#include "core/text.h"

static SB_MUST enum sb_err
print_mail(void *arg, const struct store_mail *m)
{
	char		 at[32];
	time_t		 t = (time_t)(m->done ? m->done : m->next_try);
	struct tm	 tm;

	(void)arg;
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* Tabs and line ends cannot reach here (the reply is cleaned), so
	 * the columns stay columns. */
	/* A client's mail names the send, not the address (read from the
	 * client's sealed record when it is sent). */
	printf("%lld\t%s %lld\t%s %s\t%s\t%d attempt%s\t%s %s\t%s\n",
	    (long long)m->id, m->kind, (long long)(m->send ? m->send :
	    m->link ? m->link : m->alert), m->channel, m->recipient,
	    m->state,
	    m->attempts, m->attempts == 1 ? "" : "s", strcmp(m->state,
	    "queued") == 0 ? "next" : "at", at, m->reply);
	return SB_OK;
}

/* A therapist with clients and no address, for `notify status`. */
static SB_MUST enum sb_err
print_unreachable(void *arg, const char *user, size_t clients)
{
	(void)arg;
	printf("warning: therapist %s has %zu client%s and no mail address: "
	    "securebase user email %s --address ADDRESS\n", user, clients,
	    clients == 1 ? "" : "s", user);
	return SB_OK;
}

/* `notify status`: what could keep a message from reaching a person. */
static int
notify_status(struct store *s)
{
	struct store_delivery_health	 h;
	char				 why[256] = "";
	bool				 held;
	enum sb_err			 e;

	if ((e = store_delivery_health(s, clock_now(), &h, print_unreachable,
	    NULL)) == SB_OK && (e = store_sending_held(s, &held, why,
	    sizeof(why))) == SB_OK) {
		if (held)
			printf("warning: sending is held (%s): securebase "
			    "notify release\n", why);
		if (h.failed > 0)
			printf("warning: %zu message%s failed: securebase "
			    "notify list; notify resend --failed\n", h.failed,
			    h.failed == 1 ? "" : "s");
		if (h.stuck > 0)
			printf("warning: %zu message%s waiting for over an "
			    "hour\n", h.stuck, h.stuck == 1 ? "" : "s");
		if (!h.duty_email)
			printf("warning: no duty address: securebase settings "
			    "set duty-email ADDRESS\n");
		if (!h.crisis)
			printf("warning: no local crisis number in the crisis "
			    "text: securebase settings set crisis-text TEXT\n");
		if (!held && h.failed == 0 && h.stuck == 0 && h.duty_email &&
		    h.crisis)
			printf("delivery: nothing to warn of\n");
	}
	return cli_done(s, "notify", e);
}

int
cmd_notify(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *smtp = NULL, *origin = NULL;
	const char		*reason = NULL;
	bool			 failed = false;
	struct opt		 opts[] = {
		{ "smtp", &smtp, NULL, NULL },
		{ "origin", &origin, NULL, NULL },
		{ "failed", NULL, &failed, NULL },
		{ "reason", &reason, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct notify_config	 c;
	struct notify_stats	 st;
	struct store		*s;
	char			 err[512], node[256];
	bool			 configured;
	size_t			 npos, n;
	int64_t			 id = 0;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("notify", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "list") == 0 || strcmp(pos[0], "status") == 0 ||
	    strcmp(pos[0], "release") == 0) {
		if (npos != 1)
			return usage_error("notify", "notify %s takes no id",
			    pos[0]);
		if ((s = cli_store(ctx, "notify", true, &rc)) == NULL)
			return rc;
		if (strcmp(pos[0], "status") == 0)
			return notify_status(s);
		if (strcmp(pos[0], "release") == 0)
			return cli_done(s, "notify", store_sending_hold(s,
			    NULL));
		return cli_done(s, "notify", store_outbox_each(s, 1000,
		    print_mail, NULL));
	}
	if (strcmp(pos[0], "hold") == 0) {
		if (npos != 1 || reason == NULL)
			return usage_error("notify", "notify hold --reason "
			    "TEXT");
		if ((s = cli_store(ctx, "notify", true, &rc)) == NULL)
			return rc;
		return cli_done(s, "notify", store_sending_hold(s, reason));
	}
	if (strcmp(pos[0], "resend") == 0) {
		if ((npos == 2) == failed || (npos == 2 && !cli_id(pos[1], &id)))
			return usage_error("notify", "notify resend ID, or "
			    "notify resend --failed");
		if ((s = cli_store(ctx, "notify", true, &rc)) == NULL)
			return rc;
		if ((e = store_outbox_resend(s, id, clock_now(), &n)) == SB_OK)
			printf("%zu message%s queued again\n", n, n == 1 ? "" :
			    "s");
		return cli_done(s, "notify", e);
	}
	if (strcmp(pos[0], "send") != 0 || npos != 1)
		return usage_error("notify", "notify send [--smtp URL] "
		    "[--origin URL], notify list, notify status, notify "
		    "resend ID|--failed, notify hold --reason TEXT, notify "
		    "release");
	if ((s = cli_store(ctx, "notify", false, &rc)) == NULL)
		return rc;
	notify_node_name("notify", node, sizeof(node));
	if (notify_load(s, smtp, origin, node, &c, &configured, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase notify: %s\n", err);
		store_close(s);
		return EXIT_RUNTIME;
	}
	if (!configured) {
		fprintf(stderr, "securebase notify: no mail server: securebase "
		    "settings set smtp-url smtp://HOST:587, or --smtp URL\n");
		notify_free(&c);
		store_close(s);
		return EXIT_RUNTIME;
	}
	memset(&st, 0, sizeof(st));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* What an earlier run on this machine claimed and did not finish
	 * (it was killed) is ours to send now. */
	if ((e = store_outbox_reclaim(s, node, clock_now(), &n)) == SB_OK)
		e = notify_run(s, &c, clock_now(), &st);
	curl_global_cleanup();
	notify_free(&c);
	if (e == SB_OK && st.held)
		printf("sending is held: nothing sent (securebase notify "
		    "release)\n");
	else if (e == SB_OK)
		printf("%zu sent, %zu failed, %zu to try again, %zu dropped, "
		    "%zu escalated\n", st.sent, st.failed, st.retry, st.dropped,
		    st.escalated);
	rc = cli_done(s, "notify", e);
	/* A message that failed for good needs a person: say so by the
	 * exit code too, for cron's mail. */
	return rc == EXIT_OK && st.failed > 0 ? EXIT_RUNTIME : rc;
}

int
cmd_settings(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[3], *file = NULL;
	struct opt		 opts[] = {
		{ "file", &file, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	enum store_setting	 k;
	struct store		*s;
	struct buf		 v;
	char			 err[512];
	bool			 set;
	size_t			 npos, i;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if ((rc = opts_parse("settings", argc, argv, opts, pos, 0, 3,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (npos == 0 || strcmp(pos[0], "show") == 0) {
		if (npos > 1)
			return usage_error("settings", "settings show");
		if ((s = cli_store(ctx, "settings", true, &rc)) == NULL)
			return rc;
		if (store_actor(s)->role != ROLE_ADMIN) {
			store_close(s);
			fprintf(stderr, "securebase settings: only an admin "
			    "sees the practice's settings\n");
			return EXIT_RUNTIME;
		}
		buf_init(&v, STORE_MAX_SETTING + 64);
		for (i = 0; i < SET__MAX && e == SB_OK; i++) {
			if ((e = store_setting_get(s, (enum store_setting)i,
			    &v, &set)) != SB_OK)
				break;
			{
				struct buf	 shown;

				/* Escaped: a value kept by an older release
				 * may hold ESC or BEL. */
				buf_init(&shown, 4 * STORE_MAX_SETTING + 64);
				text_add_shown(&shown, !set ? "(not set)" :
				    i == SET_SMTP_PASSWORD || i ==
				    SET_SMS_PASSWORD ? "(set, not shown)" :
				    v.data);
				printf("%s\t%s\n", store_setting_name(
				    (enum store_setting)i), shown.data ?
				    shown.data : "");
				buf_wipe(&shown);
			}
		}
		buf_wipe(&v);
		return cli_done(s, "settings", e);
	}
	if ((strcmp(pos[0], "set") != 0 && strcmp(pos[0], "unset") != 0) ||
	    npos < 2 || !store_setting_parse(pos[1], &k))
		return usage_error("settings", "settings [show], settings set "
		    "KEY VALUE (or --file FILE), settings unset KEY; keys: "
		    "smtp-url smtp-user smtp-password smtp-from smtp-tls "
		    "smtp-ca duty-email origin crisis-text historic-days "
		    "practice-name show-therapist fhir-base escalate-minutes "
		    "duty-phone sms-url sms-user sms-password sms-from "
		    "sending-held recovery");
	buf_init(&v, STORE_MAX_SETTING + 64);
	if (strcmp(pos[0], "set") == 0) {
		/* A password or a long text comes from a file (or - for
		 * standard input), never from the command line. */
		if ((npos == 3) == (file != NULL)) {
			buf_free(&v);
			return usage_error("settings", "give the value or "
			    "--file FILE, one of them");
		}
		if ((k == SET_SMTP_PASSWORD || k == SET_SMS_PASSWORD) &&
		    npos == 3) {
			buf_free(&v);
			return usage_error("settings", "the password comes from "
			    "a file: settings set smtp-password --file FILE");
		}
		if (file != NULL) {
			if (io_read_file(file, STORE_MAX_SETTING, &v, err,
			    sizeof(err)) != SB_OK) {
				fprintf(stderr, "securebase settings: %s\n",
				    err);
				buf_wipe(&v);
				return EXIT_RUNTIME;
			}
			/* One trailing line end is the file's, not the
			 * value's. */
			if (v.len > 0 && v.data[v.len - 1] == '\n')
				v.data[--v.len] = '\0';
		} else
			buf_adds(&v, pos[2]);
	} else if (npos != 2) {
		buf_free(&v);
		return usage_error("settings", "settings unset KEY");
	}
	if ((s = cli_store(ctx, "settings", true, &rc)) == NULL) {
		buf_wipe(&v);
		return rc;
	}
	e = store_setting_set(s, k, strcmp(pos[0], "set") == 0 ?
	    (v.data ? v.data : "") : NULL);
	buf_wipe(&v);
	return cli_done(s, "settings", e);
}

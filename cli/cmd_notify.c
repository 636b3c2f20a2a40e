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

static enum sb_err
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
	printf("%lld\t%s %lld\t%s\t%s\t%d attempt%s\t%s %s\t%s\n",
	    (long long)m->id, strcmp(m->kind, "alert") == 0 ? "alert" :
	    m->kind, (long long)(m->send ? m->send : m->alert), m->recipient,
	    m->state,
	    m->attempts, m->attempts == 1 ? "" : "s", strcmp(m->state,
	    "queued") == 0 ? "next" : "at", at, m->reply);
	return SB_OK;
}

int
cmd_notify(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *smtp = NULL, *origin = NULL;
	struct opt		 opts[] = {
		{ "smtp", &smtp, NULL, NULL },
		{ "origin", &origin, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct notify_config	 c;
	struct notify_stats	 st = { 0, 0, 0, 0 };
	struct store		*s;
	char			 err[512];
	bool			 configured;
	size_t			 npos;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("notify", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "list") == 0) {
		if ((s = cli_store(ctx, "notify", true, &rc)) == NULL)
			return rc;
		return cli_done(s, "notify", store_outbox_each(s, 1000,
		    print_mail, NULL));
	}
	if (strcmp(pos[0], "send") != 0)
		return usage_error("notify", "notify send [--smtp URL] "
		    "[--origin URL], or notify list");
	if ((s = cli_store(ctx, "notify", false, &rc)) == NULL)
		return rc;
	if (notify_load(s, smtp, origin, &c, &configured, err, sizeof(err)) !=
	    SB_OK) {
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
	curl_global_init(CURL_GLOBAL_DEFAULT);
	e = notify_run(s, &c, clock_now(), &st);
	curl_global_cleanup();
	notify_free(&c);
	if (e == SB_OK)
		printf("%zu sent, %zu failed, %zu to try again, %zu dropped\n",
		    st.sent, st.failed, st.retry, st.dropped);
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
			printf("%s\t%s\n", store_setting_name(
			    (enum store_setting)i), !set ? "(not set)" :
			    i == SET_SMTP_PASSWORD ? "(set, not shown)" :
			    v.data);
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
		    "practice-name show-therapist");
	buf_init(&v, STORE_MAX_SETTING + 64);
	if (strcmp(pos[0], "set") == 0) {
		/* A password or a long text comes from a file (or - for
		 * standard input), never from the command line. */
		if ((npos == 3) == (file != NULL)) {
			buf_free(&v);
			return usage_error("settings", "give the value or "
			    "--file FILE, one of them");
		}
		if (k == SET_SMTP_PASSWORD && npos == 3) {
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

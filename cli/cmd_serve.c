/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_serve.c - `securebase serve` and `securebase link create`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "cli/cli.h"
#include "app/io.h"
#include "core/text.h"
#include "render/json.h"
#include "store/web.h"
#include "web/web.h"


static bool
parse_listen(const char *s, char *host, size_t n, unsigned short *port)
{
	const char	*colon = strrchr(s, ':');
	long		 p;

	if (colon == NULL || (size_t)(colon - s) >= n ||
	    !text_int(colon + 1, strlen(colon + 1), &p) || p < 1 || p > 65535)
		return false;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = (unsigned short)p;
	return true;
}

int
cmd_serve(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *listen = "127.0.0.1:8080";
	const char		*origin = NULL, *crisis = NULL, *smtp = NULL;
	const char		*anchor = "60", *mtoken = NULL;
	long			 amin;
	bool			 trust_proxy = false, no_sandbox = false;
	struct opt		 opts[] = {
		{ "listen", &listen, NULL, NULL },
		{ "origin", &origin, NULL, NULL },
		{ "crisis-text", &crisis, NULL, NULL },
		{ "smtp", &smtp, NULL, NULL },
		{ "anchor-minutes", &anchor, NULL, NULL },
		{ "trust-proxy", NULL, &trust_proxy, NULL },
		{ "no-sandbox", NULL, &no_sandbox, NULL },
		{ "metrics-token-file", &mtoken, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	struct web_config	 cfg;
	struct lexicon		*lex = NULL;
	struct store		*s;
	struct store_lock	*lk = NULL;
	struct buf		 text, token;
	char			 host[64], kf[4200], org[128], err[1024];
	size_t			 npos;
	int			 rc;

	if ((rc = opts_parse("serve", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	memset(&cfg, 0, sizeof(cfg));
	if (!parse_listen(listen, host, sizeof(host), &cfg.port))
		return usage_error("serve", "--listen is ADDR:PORT, e.g. "
		    "127.0.0.1:8080");
	if (smtp != NULL && strncmp(smtp, "smtp://", 7) != 0 &&
	    strncmp(smtp, "smtps://", 8) != 0)
		return usage_error("serve", "--smtp is smtp://HOST:PORT "
		    "(STARTTLS) or smtps://HOST:PORT (TLS)");
	if (!text_int(anchor, strlen(anchor), &amin) || amin < 0 ||
	    amin > 10080)
		return usage_error("serve", "--anchor-minutes is 0 (never) to "
		    "10080 (a week)");
	if (origin == NULL) {
		snprintf(org, sizeof(org), "http://%s:%u", host, cfg.port);
		origin = org;
	}
	if (clock_fake())
		fprintf(stderr, "securebase serve: the clock is a test's "
		    "(SECUREBASE_TEST_CLOCK): for tests only\n");
	/* The one long-lived writer: no restore swaps the file meanwhile;
	 * on PostgreSQL, one of the nodes, none while an upgrade runs.
	 * (A missing --db or file is cli_store's to report.) */
	if (ctx->db != NULL && (!store_is_file(ctx->db) ||
	    access(ctx->db, F_OK) == 0) &&
	    store_lock_take(ctx->db, "serve", &lk, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase serve: %s\n", err);
		return EXIT_RUNTIME;
	}
	/* Opening once here checks the database and key before listening,
	 * and gives a practice without prompts the shipped ones. */
	if ((s = cli_store(ctx, "serve", false, &rc)) == NULL) {
		store_lock_drop(lk);
		return rc;
	}
	if (store_quick_check(s) != SB_OK) {
		fprintf(stderr, "securebase serve: %s\n", store_errmsg(s));
		store_close(s);
		store_lock_drop(lk);
		return EXIT_RUNTIME;
	}
	if (cli_prompts_seed(s, err, sizeof(err)) != SB_OK ||
	    cli_lexicon(NULL, &lex, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase serve: %s\n", err);
		store_close(s);
		store_lock_drop(lk);
		return EXIT_RUNTIME;
	}
	store_close(s);
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK) {
		lexicon_free(lex);
		store_lock_drop(lk);
		return rc;
	}
	buf_init(&text, 0);
	if (crisis != NULL && io_read_file(crisis, 4096, &text, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase serve: %s\n", err);
		registry_free(&reg);
		lexicon_free(lex);
		store_lock_drop(lk);
		return EXIT_RUNTIME;
	}
	cfg.db = ctx->db;
	cfg.guard = lk;
	cfg.lex = lex;
	/* cli_store has used the same key: it is there. */
	(void)cli_key(ctx, "serve", &cfg.key, kf, sizeof(kf));
	cfg.host = host;
	cfg.origin = origin;
	cfg.reg = &reg;
	/* Without --crisis-text, the practice's setting or the default. */
	cfg.crisis = crisis != NULL ? text.data : NULL;
	cfg.smtp = smtp;
	cfg.anchor_minutes = (int)amin;
	cfg.trust_proxy = trust_proxy;
	cfg.no_sandbox = no_sandbox;
	if (mtoken == NULL && (mtoken = getenv("SECUREBASE_METRICS_TOKEN_FILE"))
	    != NULL && *mtoken == '\0')
		mtoken = NULL;
	/* The monitor's token, read before the sandbox closes the files:
	 * one line of 32 to 256 bytes. */
	buf_init(&token, 512);
	if (mtoken != NULL) {
		if (io_read_file(mtoken, 512, &token, err, sizeof(err)) !=
		    SB_OK) {
			fprintf(stderr, "securebase serve: %s\n", err);
			rc = EXIT_RUNTIME;
			goto out;
		}
		while (token.len > 0 && (token.data[token.len - 1] == '\n' ||
		    token.data[token.len - 1] == '\r'))
			token.len--;
		if (token.len < 32 || token.len > 256 || memchr(token.data,
		    '\n', token.len) != NULL) {
			fprintf(stderr, "securebase serve: %s: a metrics token "
			    "is one line of 32 to 256 characters\n", mtoken);
			rc = EXIT_RUNTIME;
			goto out;
		}
		cfg.metrics_token = token.data;
		cfg.metrics_token_len = token.len;
	}
	rc = web_serve(&cfg, err, sizeof(err)) == 0 ? EXIT_OK : EXIT_RUNTIME;
	if (rc != EXIT_OK)
		fprintf(stderr, "securebase serve: %s\n", err);
out:
	buf_wipe(&token);
	buf_free(&text);
	registry_free(&reg);
	lexicon_free(lex);
	store_lock_drop(lk);
	return rc;
}

int
cmd_link(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *client = NULL, *iid = NULL;
	const char		*origin = "http://127.0.0.1:8080", *channel = NULL;
	const char		*days_s = "14";
	bool			 json = false;
	struct opt		 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "instrument", &iid, NULL, NULL },
		{ "origin", &origin, NULL, NULL },
		{ "days", &days_s, NULL, NULL },
		{ "channel", &channel, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	struct store		*s = NULL;
	char			 token[TOKEN_HEX + 1];
	size_t			 npos;
	int64_t			 cid, id;
	long			 days;
	int			 rc;

	if ((rc = opts_parse("link", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((strcmp(pos[0], "create") != 0 && strcmp(pos[0], "send") != 0) ||
	    !cli_id(client, &cid) || iid == NULL || !text_int(days_s,
	    strlen(days_s), &days) || days < 1 || days > 90)
		return usage_error("link", "link create --client ID "
		    "--instrument ID [--days 1-90] [--origin URL], or link send "
		    "--client ID --instrument ID [--days 1-90] [--channel "
		    "mail|sms]");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((re = cli_instrument(&reg, iid)) == NULL)
		goto out;
	if (!re->enabled) {
		fprintf(stderr, "securebase link: %s is disabled until its "
		    "licence permission is recorded\n", re->in->id);
		goto out;
	}
	if ((s = cli_store(ctx, "link", true, &rc)) == NULL)
		goto out;
	rc = EXIT_RUNTIME;
	if (strcmp(pos[0], "send") == 0) {
		char	 used[8];

		/* The message leaves with serve's sender within a second,
		 * or with the next `notify send`. */
		if (store_link_send(s, cid, re->in->id, channel, (int)days,
		    clock_now(), &id, used) != SB_OK) {
			fprintf(stderr, "securebase link: %s\n",
			    store_errmsg(s));
			goto out;
		}
		if (json)
			printf("{\"link\": %lld, \"channel\": \"%s\"}\n",
			    (long long)id, used);
		else
			printf("link %lld queued to the client by %s\n",
			    (long long)id, strcmp(used, "sms") == 0 ? "SMS" :
			    "mail");
		rc = EXIT_OK;
		goto out;
	}
	if (store_link_create(s, cid, re->in->id, "link", (int)days,
	    clock_now(), token, &id) != SB_OK) {
		fprintf(stderr, "securebase link: %s\n", store_errmsg(s));
		goto out;
	}
	if (json) {
		/* The origin is the user's text: jansson escapes it. */
		json_t		*o = json_object();
		struct buf	 b;
		char		 url[4200];

		snprintf(url, sizeof(url), "%s/q/%s", origin, token);
		buf_init(&b, 1 << 16);
		if (o == NULL || !json_put(o, "link", json_integer(id)) ||
		    !json_put(o, "url", json_text(url)) ||
		    json_write(&b, o, true) != SB_OK) {
			fprintf(stderr, "securebase link: out of memory\n");
			json_decref(o);
			buf_wipe(&b);
			goto out;
		}
		fwrite(b.data, 1, b.len, stdout);
		json_decref(o);
		buf_wipe(&b);
	} else
		printf("%s/q/%s\n", origin, token);
	rc = EXIT_OK;
out:
	store_close(s);
	registry_free(&reg);
	return rc;
}

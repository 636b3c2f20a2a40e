/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_schedule.c - `securebase schedule`: measurement plans, and the
 * scheduler's round for cron (sends and reminders due, then the mail).
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "app/notify.h"
#include "cli/cli.h"
#include "core/clock.h"
#include "core/plan.h"
#include "core/text.h"

static const char usage[] = "schedule add --client C --instrument ID "
    "(--days N | --sessions LIST|every | --months LIST) [--remind D] "
    "[--expire D] [--start YYYY-MM-DD]; schedule template NAME --client C; "
    "schedule list --client C; schedule pause|resume|end PLAN --client C; "
    "schedule run";

/* One plan a line: id, instrument, the rule in words, state. */
static SB_MUST enum sb_err
plan_line(void *arg, const struct store_plan_row *r)
{
	struct plan_rules	 pr;
	enum plan_rule		 rule;
	char			 words[160], why[160], next[48] = "";
	int64_t			 due;
	int			 session;

	(void)arg;
	if (!plan_rule_parse(r->p.rule, &rule) || !plan_parse(rule, r->p.spec,
	    &pr, why, sizeof(why)))
		snprintf(words, sizeof(words), "%s %s", r->p.rule, r->p.spec);
	else {
		plan_words(&pr, words, sizeof(words));
		if (plan_next(&pr, r->p.start, clock_now(), r->sessions, &due,
		    &session)) {
			if (due > 0) {
				time_t		 t = (time_t)due;
				struct tm	 tm;

				gmtime_r(&t, &tm);
				strftime(next, sizeof(next), "next %Y-%m-%d",
				    &tm);
			} else
				snprintf(next, sizeof(next), "next after "
				    "session %d", session);
		} else
			snprintf(next, sizeof(next), "no more");
	}
	printf("%lld\t%s\t%s\t%s\t%zu sent, %zu finished\t%s\n",
	    (long long)r->p.id, r->p.instrument, words, r->p.paused ? "paused" :
	    next, r->sent, r->finished, r->last_state ? r->last_state :
	    "nothing sent yet");
	return SB_OK;
}

/* The round cron runs: sends and reminders due, then the outbox. */
static int
schedule_run(const struct ctx *ctx)
{
	struct store_schedule_stats	 ss;
	struct notify_stats		 ns;
	struct notify_config		 c;
	struct store			*s;
	char				 err[512], node[256];
	bool				 configured;
	size_t				 n;
	int				 rc;
	enum sb_err			 e;

	memset(&ns, 0, sizeof(ns));
	if (clock_fake())
		fprintf(stderr, "securebase schedule: the clock is a test's "
		    "(SECUREBASE_TEST_CLOCK)\n");
	if ((s = cli_store(ctx, "schedule", false, &rc)) == NULL)
		return rc;
	if ((e = store_schedule_run(s, clock_now(), &ss)) != SB_OK)
		return cli_done(s, "schedule", e);
	/* Made and queued here; what the mail server took is said below. */
	printf("%zu send%s made, %zu reminder%s queued, %zu not sent (no "
	    "address), %zu replaced, %zu stopped (care ended)\n", ss.sent,
	    ss.sent == 1 ? "" : "s", ss.reminded, ss.reminded == 1 ? "" : "s",
	    ss.no_address, ss.superseded, ss.stopped);
	notify_node_name("notify", node, sizeof(node));
	if (notify_load(s, NULL, NULL, node, &c, &configured, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase schedule: %s\n", err);
		store_close(s);
		return EXIT_RUNTIME;
	}
	if (!configured) {
		fprintf(stderr, "securebase schedule: no mail server yet: the "
		    "mail waits in the outbox (securebase settings set smtp-url"
		    " smtp://HOST:587)\n");
		notify_free(&c);
		return cli_done(s, "schedule", SB_OK);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((e = store_outbox_reclaim(s, node, clock_now(), &n)) == SB_OK)
		e = notify_run(s, &c, clock_now(), &ns);
	curl_global_cleanup();
	notify_free(&c);
	if (e == SB_OK && ns.held)
		printf("sending is held: nothing sent (securebase notify "
		    "release)\n");
	else if (e == SB_OK)
		printf("mail: %zu sent, %zu failed, %zu to try again, %zu "
		    "dropped\n", ns.sent, ns.failed, ns.retry, ns.dropped);
	return cli_done(s, "schedule", e);
}

/* --start YYYY-MM-DD: that day at 09:00 UTC; none: now. */
static bool
start_time(const char *d, int64_t *out)
{
	char	 iso[32];

	if (d == NULL) {
		*out = clock_now();
		return true;
	}
	if (strlen(d) != 10 || !text_date_ok(d))
		return false;
	snprintf(iso, sizeof(iso), "%sT09:00:00Z", d);
	return text_iso_seconds(iso, out);
}

static bool
days_opt(const char *v, int dflt, int *out)
{
	long	 n;

	*out = dflt;
	if (v == NULL)
		return true;
	if (!text_int(v, strlen(v), &n) || n < 0 || n > 90)
		return false;
	*out = (int)n;
	return true;
}

int
cmd_schedule(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *client = NULL, *instrument = NULL,
			*days = NULL, *sessions = NULL, *months = NULL,
			*remind = NULL, *expire = NULL, *start = NULL;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "instrument", &instrument, NULL, NULL },
		{ "days", &days, NULL, NULL },
		{ "sessions", &sessions, NULL, NULL },
		{ "months", &months, NULL, NULL },
		{ "remind", &remind, NULL, NULL },
		{ "expire", &expire, NULL, NULL },
		{ "start", &start, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg;
	struct store_plan	 p;
	struct store		*s;
	const struct plan_template *t = NULL;
	int64_t			 cid = 0, plan = 0, id;
	size_t			 npos, i;
	int			 rc, nrules;
	enum sb_err		 e = SB_OK;

	if ((rc = opts_parse("schedule", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "run") == 0 && npos == 1)
		return schedule_run(ctx);
	if (!cli_id(client, &cid))
		return usage_error("schedule", "%s", usage);
	memset(&p, 0, sizeof(p));
	p.client = cid;
	if (strcmp(pos[0], "add") == 0 || strcmp(pos[0], "template") == 0) {
		if (!days_opt(remind, 3, &p.remind_days) ||
		    !days_opt(expire, 7, &p.expire_days))
			return usage_error("schedule", "--remind and --expire "
			    "are days, 0-90");
		if (!start_time(start, &p.start))
			return usage_error("schedule", "--start is a date, "
			    "YYYY-MM-DD");
	}
	if (strcmp(pos[0], "add") == 0 && npos == 1) {
		nrules = (days != NULL) + (sessions != NULL) + (months != NULL);
		if (instrument == NULL || nrules != 1)
			return usage_error("schedule", "add needs --instrument "
			    "and one of --days, --sessions, --months");
		snprintf(p.rule, sizeof(p.rule), "%s", days ? "days" :
		    sessions ? "sessions" : "months");
		snprintf(p.spec, sizeof(p.spec), "%s", days ? days : sessions ?
		    sessions : months);
	} else if (strcmp(pos[0], "template") == 0 && npos == 2) {
		for (i = 0; i < plan_ntemplates; i++)
			if (strcmp(plan_templates[i].id, pos[1]) == 0)
				t = &plan_templates[i];
		if (t == NULL)
			return usage_error("schedule", "no template \"%.32s\": "
			    "attachment or core10", pos[1]);
	} else if ((strcmp(pos[0], "pause") == 0 || strcmp(pos[0], "resume") ==
	    0 || strcmp(pos[0], "end") == 0) && npos == 2) {
		if (!cli_id(pos[1], &plan))
			return usage_error("schedule", "%s needs a plan id",
			    pos[0]);
	} else if (!(strcmp(pos[0], "list") == 0 && npos == 1))
		return usage_error("schedule", "%s", usage);
	if ((s = cli_store(ctx, "schedule", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "list") == 0)
		return cli_done(s, "schedule", store_plan_each(s, cid,
		    clock_now(), plan_line, NULL));
	if (plan != 0)
		return cli_done(s, "schedule", store_plan_set(s, cid, plan,
		    pos[0]));
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK) {
		store_close(s);
		return rc;
	}
	if (!cli_db_permissions(s, &reg))
		e = SB_EIO;
	for (i = 0; e == SB_OK && i < (t ? t->n : 1); i++) {
		const struct reg_entry	*re;

		if (t != NULL) {
			snprintf(p.instrument, sizeof(p.instrument), "%s",
			    t->items[i].instrument);
			snprintf(p.rule, sizeof(p.rule), "%s",
			    plan_rule_name(t->items[i].rule));
			snprintf(p.spec, sizeof(p.spec), "%s", t->items[i].spec);
		} else
			snprintf(p.instrument, sizeof(p.instrument), "%s",
			    instrument);
		if ((re = registry_find(&reg, p.instrument)) == NULL) {
			fprintf(stderr, "securebase schedule: no instrument "
			    "\"%.64s\"\n", p.instrument);
			e = SB_EINVAL;
			break;
		}
		if (!re->enabled) {
			/* A template goes on without it; a plan asked for by
			 * name is refused. */
			fprintf(stderr, "securebase schedule: %s is not sent: "
			    "its licence needs the authors' permission "
			    "recorded (securebase instruments permit)\n",
			    re->in->name);
			if (t == NULL)
				e = SB_EPERM;
			continue;
		}
		if ((e = store_plan_add(s, &p, &id)) == SB_OK)
			printf("plan %lld: %s\n", (long long)id, re->in->name);
	}
	registry_free(&reg);
	return cli_done(s, "schedule", e);
}

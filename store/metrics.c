/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.c - what a monitoring system may know of a practice: counts of
 * messages and alerts, and when the last verified backup was made.  No
 * name, no score, no client id: /metrics (web/pages.c) shows these to
 * the machine's own monitor.  See store.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/store_int.h"

/* One count(*) into *n. */
static SB_MUST enum sb_err
count(struct store *s, const char *sql, const char *arg, int64_t *n)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*n = 0;
	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "counting for the metrics");
	if (arg != NULL)
		bind_text(st, 1, arg);
	if ((e = step_row(s, st, &row, "counting for the metrics")) == SB_OK &&
	    row)
		*n = col_int64(st, 0);
	st_reset(st);
	return e;
}

enum sb_err
store_gauges(struct store *s, int64_t now, struct store_gauges *g)
{
	struct stmt	*st;
	struct tm	 tm;
	time_t		 t;
	char		 cut[32];
	long		 at;
	int		 minutes;
	bool		 row;
	enum sb_err	 e;

	memset(g, 0, sizeof(*g));
	if ((e = store_escalate_minutes(s, &minutes)) != SB_OK)
		return e;
	/* alerts.created is ISO text in UTC, which compares as time. */
	t = (time_t)(now - (int64_t)minutes * 60);
	gmtime_r(&t, &tm);
	strftime(cut, sizeof(cut), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if ((e = count(s, "SELECT count(*) FROM outbox WHERE state = 'queued'",
	    NULL, &g->queued)) != SB_OK ||
	    (e = count(s, "SELECT count(*) FROM outbox WHERE state = 'failed'",
	    NULL, &g->failed)) != SB_OK ||
	    (e = count(s, "SELECT count(*) FROM live_alerts WHERE state = "
	    "'open'", NULL, &g->alerts_open)) != SB_OK ||
	    (e = count(s, "SELECT count(*) FROM live_alerts WHERE state = "
	    "'open' AND severity = 'high' AND historic IS NULL AND created <= "
	    "?", cut, &g->alerts_overdue)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT value FROM meta WHERE key = "
	    "'backup_verified'")) == NULL)
		return fail_db(s, "reading when the last backup was made");
	if ((e = step_row(s, st, &row, "reading when the last backup was "
	    "made")) == SB_OK && row && text_int((const char *)col_blob(st, 0),
	    col_bytes(st, 0), &at) && at > 0)
		g->backup_at = at;
	st_reset(st);
	return e;
}

enum sb_err
store_backup_note(struct store *s, int64_t at)
{
	struct stmt	*st;
	char		 v[24];
	enum sb_err	 e;

	snprintf(v, sizeof(v), "%lld", (long long)at);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "DELETE FROM meta WHERE key = 'backup_verified'")) ==
	    NULL || st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "noting the backup"));
	if ((st = stmt(s, "INSERT INTO meta (key, value) VALUES "
	    "('backup_verified', ?)")) == NULL)
		return txn_end(s, fail_db(s, "noting the backup"));
	bind_blob(st, 1, v, strlen(v));	/* value holds bytes */
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "noting the backup"));
	return txn_end(s, SB_OK);
}

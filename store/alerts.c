/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * alerts.c - alerts: raised (once per link and item), read, moved through
 * their lifecycle with a note, overdue measures, resolved by rule.  See
 * store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/text.h"
#include "store/store_int.h"

/* The messages about the alert a (a column) queued to the client's
 * therapist themself: not the duty address's, nor an escalation.  What
 * the client may be told was sent. */
#define SQL_OWN_MESSAGES(a) "(SELECT count(*) FROM outbox o JOIN clients " \
	"c ON c.id = " a ".client_id JOIN users u ON u.id = c.owner_id " \
	"WHERE o.alert_id = " a ".id AND o.kind = 'alert' AND " \
	"o.recipient_tag = u.email_tag)"

enum sb_err
store_alert_add(struct store *s, int64_t client, int64_t admin,
    const char *rule, const char *severity, const char *detail, int64_t *id)
{
	struct store_alert_new	 a;

	memset(&a, 0, sizeof(a));
	a.client = client;
	a.administration = admin;
	a.rule = rule;
	a.severity = severity;
	a.detail = detail;
	return store_alert_raise(s, &a, id, NULL);
}

/* The alert already raised for this link, rule and item: *id, or 0. */
static SB_MUST enum sb_err
alert_of_link(struct store *s, const struct store_alert_new *a, int64_t *id)
{
	bool		 row;
	enum sb_err	 e;
	struct stmt	*st;

	*id = 0;
	if ((st = stmt(s, "SELECT id FROM live_alerts WHERE link_id = ? AND "
	    "rule = ? AND item = ?")) == NULL)
		return fail_db(s, "finding the link's alert");
	bind_int64(st, 1, a->link);
	bind_text(st, 2, a->rule);
	bind_text(st, 3, a->item);
	if ((e = step_row(s, st, &row, "finding the link's alert")) == SB_OK &&
	    row)
		*id = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (*id == 0 || a->administration <= 0)
		return SB_OK;
	if ((e = rows_check(s, RT_ALERTS, *id, 0)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE alerts SET administration_id = ? WHERE id = "
	    "? AND administration_id IS NULL")) == NULL)
		return fail_db(s, "tying the alert to its answers");
	bind_int64(st, 1, a->administration);
	bind_int64(st, 2, *id);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "tying the alert to its answers");
	return db_changes(s) == 1 ? rows_seal(s, RT_ALERTS, *id, 0) : SB_OK;
}

enum sb_err
store_alert_raise(struct store *s, const struct store_alert_new *a,
    int64_t *id, int *queued)
{
	bool		 row;
	static const char *const sev[] = { "high", "medium", "low", NULL };
	struct stmt	*st;
	char		 at[32];
	int		 nq = 0;
	enum sb_err	 e;

	if (queued != NULL)
		*queued = 0;
	if (!in_set(a->severity, sev) || a->rule == NULL || a->detail == NULL
	    || !text_ok(a->rule, 31) || !text_ok(a->detail, STORE_MAX_FIELD) ||
	    (a->item != NULL && !text_ok(a->item, 63)) ||
	    (a->historic != NULL && !date_ok(a->historic)))
		return fail(s, SB_EINVAL, "an alert needs a rule, a severity "
		    "(high, medium, low) and a detail");
	if (a->link > 0 && a->item == NULL)
		return fail(s, SB_EINVAL, "an alert on a link names its item");
	if ((e = client_access(s, a->client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if (a->link > 0) {
		if ((e = alert_of_link(s, a, id)) != SB_OK)
			return txn_end(s, e);
		if (*id != 0) {
			/* Raised before: say what was queued for it then,
			 * to the therapist themself (not the duty address,
			 * nor an escalation). */
			if ((st = stmt(s, "SELECT " SQL_OWN_MESSAGES("a")
			    " FROM live_alerts a WHERE a.id = ?")) == NULL)
				return txn_end(s, fail_db(s, "reading the "
				    "outbox"));
			bind_int64(st, 1, *id);
			if ((e = step_row(s, st, &row, "reading the outbox")) ==
			    SB_OK && row)
				nq = col_int(st, 0);
			st_reset(st);
			if (e != SB_OK)
				return txn_end(s, e);
			if ((e = txn_end(s, SB_OK)) == SB_OK && queued != NULL)
				*queued = nq;
			return e;
		}
	}
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM alerts", id)) !=
	    SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO alerts (id, client_id, "
	    "administration_id, rule, severity, state, created, detail, "
	    "link_id, item, historic, import_id) VALUES (?, ?, ?, ?, ?, "
	    "'open', ?, ?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "raising the alert"));
	bind_int64(st, 1, *id);
	bind_int64(st, 2, a->client);
	if (a->administration > 0)
		bind_int64(st, 3, a->administration);
	bind_text(st, 4, a->rule);
	bind_text_ref(st, 5, a->severity);
	bind_text(st, 6, at);
	if ((e = bind_sealed(s, st, 7, "alerts", "detail", *id, a->detail)) !=
	    SB_OK)
		return txn_end(s, e);
	if (a->link > 0)
		bind_int64(st, 8, a->link);
	if (a->item != NULL)
		bind_text(st, 9, a->item);
	if (a->historic != NULL)
		bind_text(st, 10, a->historic);
	if (s->import_id != 0)
		bind_int64(st, 11, s->import_id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "raising the alert"));
	if ((e = rows_seal(s, RT_ALERTS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	/* Hidden until its import is done, which audits it and queues
	 * its mail. */
	if (s->import_id != 0)
		return txn_end(s, import_note_alert(s, a->client));
	if ((e = audit_append(s, "create", "alert", *id, a->rule)) != SB_OK)
		return txn_end(s, e);
	/* An old answer found in an import is shown, not sent as urgent. */
	if (strcmp(a->severity, "high") == 0 && a->historic == NULL &&
	    (e = outbox_for_alert(s, a->client, *id, clock_now(),
	    &nq)) != SB_OK)
		return txn_end(s, e);
	if ((e = txn_end(s, SB_OK)) == SB_OK && queued != NULL)
		*queued = nq;
	return e;
}

enum sb_err
store_link_risk(struct store *s, int64_t link, bool *risk, int *queued)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*risk = false;
	*queued = 0;
	/* What the page said when the answer was sent, again: the risk
	 * answer's alert, and the therapist's own message about it. */
	if ((st = stmt(s, "SELECT count(*), coalesce(sum(" SQL_OWN_MESSAGES(
	    "a") "), 0) FROM live_alerts a WHERE a.link_id = ? AND a.severity "
	    "= 'high'")) == NULL)
		return fail_db(s, "reading the link's alerts");
	bind_int64(st, 1, link);
	if ((e = step_row(s, st, &row, "reading the link's alerts")) == SB_OK &&
	    row) {
		*risk = col_int(st, 0) > 0;
		*queued = col_int(st, 1);
	}
	st_reset(st);
	return e;
}

enum sb_err
store_alert_client(struct store *s, int64_t alert, int64_t *client)
{
	bool		 row;
	enum sb_err	 e;
	struct stmt	*st;

	*client = 0;
	if ((st = stmt(s, "SELECT client_id FROM live_alerts WHERE id = ?")) ==
	    NULL)
		return fail_db(s, "finding the alert");
	bind_int64(st, 1, alert);
	if ((e = step_row(s, st, &row, "finding the alert")) == SB_OK && row)
		*client = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (*client == 0)
		return fail(s, SB_ENOENT, "no alert %lld", (long long)alert);
	/* Another therapist's alert is "no such alert", not "forbidden". */
	if (client_access(s, *client, false) != SB_OK) {
		*client = 0;
		return fail(s, SB_ENOENT, "no alert %lld", (long long)alert);
	}
	return SB_OK;
}

/* The columns id, client_id, administration_id, rule, severity, state,
 * created, historic, detail of a row of live_alerts, into *a (the detail
 * opened into detail). */
static SB_MUST enum sb_err
alert_of_row(struct store *s, struct stmt *st, int sealcol,
    struct store_alert *a, struct buf *detail)
{
	enum sb_err	 e;

	memset(a, 0, sizeof(*a));
	a->id = col_int64(st, 0);
	/* An alert resolved or lowered from outside is not shown as if
	 * someone had: its columns ROWS_ALERTS_COLS_A and mac from sealcol
	 * on. */
	if ((e = rows_check_stmt(s, RT_ALERTS, st, sealcol, sealcol + 11,
	    a->id, 0)) != SB_OK)
		return e;
	a->client = col_int64(st, 1);
	a->administration = col_int64(st, 2);
	snprintf(a->rule, sizeof(a->rule), "%s", col_text(st, 3));
	snprintf(a->severity, sizeof(a->severity), "%s",
	    col_text(st, 4));
	snprintf(a->state, sizeof(a->state), "%s",
	    col_text(st, 5));
	snprintf(a->created, sizeof(a->created), "%s",
	    col_text(st, 6));
	if ((!col_null(st, 7)))
		snprintf(a->historic, sizeof(a->historic), "%s",
		    col_text(st, 7));
	if ((e = column_opened(s, st, 8, "alerts", "detail", a->id,
	    detail)) != SB_OK)
		return e;
	a->detail = detail->data;
	return SB_OK;
}

enum sb_err
store_alert_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_alert *), void *arg)
{
	struct store_alert	 a;
	struct buf		 detail;
	struct stmt		*st;
	enum sb_err		 e;
	int			 rc;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT a.id, a.client_id, a.administration_id, "
	    "a.rule, a.severity, a.state, a.created, a.historic, a.detail, "
	    ROWS_ALERTS_COLS_A ", a.mac FROM live_alerts a WHERE a.client_id = "
	    "? ORDER BY CASE a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN "
	    "1 ELSE 2 END, a.id")) == NULL)
		return txn_end(s, fail_db(s, "reading the client's alerts"));
	bind_int64(st, 1, client);
	e = SB_OK;
	buf_init(&detail, STORE_MAX_FIELD + 64);
	while ((rc = st_step(st)) == BE_ROW) {
		if ((e = alert_of_row(s, st, 9, &a, &detail)) != SB_OK ||
		    (strcmp(a.state, "resolved") != 0 &&
		    (e = fn(arg, &a)) != SB_OK))
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the client's alerts");
	st_reset(st);
	buf_wipe(&detail);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "alerts", client, ""));
}

enum sb_err
store_alert_history(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_alert_step *), void *arg)
{
	struct store_alert	 a;
	struct store_alert_step	 step;
	struct buf		 detail, note;
	struct stmt		*st;
	enum sb_err		 e;
	int			 rc;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT a.id, a.client_id, a.administration_id, "
	    "a.rule, a.severity, a.state, a.created, a.historic, a.detail, "
	    "e.id, e.state, u.name, e.at, e.note, " ROWS_ALERTS_COLS_A ", "
	    "a.mac, e.alert_id, e.state, e.user_id, e.at, e.mac FROM "
	    "live_alerts a LEFT JOIN "
	    "alert_events e ON e.alert_id = a.id LEFT JOIN users u ON u.id = "
	    "e.user_id WHERE a.client_id = ? ORDER BY a.id DESC, e.id")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading the client's alert "
		    "history"));
	bind_int64(st, 1, client);
	buf_init(&detail, STORE_MAX_FIELD + 64);
	buf_init(&note, STORE_MAX_TEXT + 64);
	while ((rc = st_step(st)) == BE_ROW) {
		if ((e = alert_of_row(s, st, 14, &a, &detail)) != SB_OK)
			break;
		memset(&step, 0, sizeof(step));
		step.alert = &a;
		if (!col_null(st, 9) && (e = rows_check_stmt(s,
		    RT_ALERT_EVENTS, st, 26, 30, col_int64(st, 9), 0)) !=
		    SB_OK)
			break;
		if (!col_null(st, 9)) {
			snprintf(step.state, sizeof(step.state), "%s",
			    col_text(st, 10));
			snprintf(step.by, sizeof(step.by), "%s",
			    col_null(st, 11) ? "" : col_text(st, 11));
			snprintf(step.at, sizeof(step.at), "%s",
			    col_text(st, 12));
			if (!col_null(st, 13)) {
				if ((e = column_opened(s, st, 13,
				    "alert_events", "note", col_int64(st, 9),
				    &note)) != SB_OK)
					break;
				step.note = note.data;
			}
		}
		if ((e = fn(arg, &step)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the client's alert history");
	st_reset(st);
	buf_wipe(&detail);
	buf_wipe(&note);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "alerts", client,
	    "history"));
}

enum sb_err
store_alert_pending(struct store *s, int64_t client, const char *rule,
    const char *prefix, bool *pending)
{
	struct stmt	*st;
	struct buf	 detail;
	enum sb_err	 e;
	int		 rc;

	*pending = false;
	if ((e = client_access(s, client, false)) != SB_OK)
		return e;
	/* Details are sealed: the client's open alerts of the rule (a
	 * few) are opened one by one. */
	if ((st = stmt(s, "SELECT id, detail FROM live_alerts WHERE client_id "
	    "= ? AND rule = ? AND state != 'resolved'")) == NULL)
		return fail_db(s, "checking alerts");
	bind_int64(st, 1, client);
	bind_text(st, 2, rule);
	buf_init(&detail, STORE_MAX_FIELD + 64);
	while (!*pending && (rc = st_step(st)) == BE_ROW) {
		if ((e = column_opened(s, st, 1, "alerts", "detail",
		    col_int64(st, 0), &detail)) != SB_OK)
			break;
		*pending = strncmp(detail.data, prefix, strlen(prefix)) == 0;
	}
	if (e == SB_OK && !*pending && rc != BE_DONE)
		e = fail_db(s, "checking alerts");
	st_reset(st);
	buf_wipe(&detail);
	return e;
}

enum sb_err
store_alert_move(struct store *s, int64_t alert, const char *state,
    const char *note)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 client, evid;
	char		 at[32], cur[16];
	enum sb_err	 e;

	if (state == NULL || (strcmp(state, "acknowledged") != 0 &&
	    strcmp(state, "resolved") != 0))
		return fail(s, SB_EINVAL, "an alert moves to acknowledged or "
		    "resolved");
	if (note != NULL && !text_ok(note, STORE_MAX_TEXT))
		return fail(s, SB_EINVAL, "the note is too long or not UTF-8");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT client_id, state FROM live_alerts WHERE id "
	    "= ?")) == NULL)
		return txn_end(s, fail_db(s, "finding the alert"));
	bind_int64(st, 1, alert);
	if ((e = step_row(s, st, &row, "finding the alert")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "no alert %lld",
		    (long long)alert));
	}
	client = col_int64(st, 0);
	snprintf(cur, sizeof(cur), "%s", col_text(st, 1));
	st_reset(st);
	if ((e = client_access(s, client, true)) != SB_OK ||
	    (e = rows_check(s, RT_ALERTS, alert, 0)) != SB_OK)
		return txn_end(s, e);
	/* open -> acknowledged -> resolved; resolving from open is allowed,
	 * going back is not. */
	if (strcmp(cur, "resolved") == 0 || strcmp(cur, state) == 0)
		return txn_end(s, fail(s, SB_EINVAL, "alert %lld is already "
		    "%s", (long long)alert, cur));
	if ((st = stmt(s, "UPDATE alerts SET state = ? WHERE id = ?")) == NULL)
		return txn_end(s, fail_db(s, "moving the alert"));
	bind_text(st, 1, state);
	bind_int64(st, 2, alert);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "moving the alert"));
	if ((e = rows_seal(s, RT_ALERTS, alert, 0)) != SB_OK)
		return txn_end(s, e);
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM alert_events",
	    &evid)) != SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO alert_events (id, alert_id, state, "
	    "user_id, at, note) VALUES (?, ?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "recording the alert's history"));
	bind_int64(st, 1, evid);
	bind_int64(st, 2, alert);
	bind_text(st, 3, state);
	bind_int64(st, 4, s->actor.id);
	bind_text(st, 5, at);
	if ((e = bind_sealed(s, st, 6, "alert_events", "note", evid,
	    note)) != SB_OK)
		return txn_end(s, e);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "recording the alert's history"));
	if ((e = rows_seal(s, RT_ALERT_EVENTS, evid, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, state, "alert", alert, ""));
}

enum sb_err
store_alert_open_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_alert *), void *arg)
{
	struct store_alert	 a;
	struct stmt		*st;
	struct buf		 d;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if (!reads_records(s))
		return fail(s, SB_EPERM, "only therapists and supervisors see "
		    "alerts");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = readable_check(s)) != SB_OK)
		return txn_end(s, e);
	/*
	 * High first, then oldest first: what needs attention first.  The
	 * resolved ones are read too, and left out after their seal is
	 * checked: an alert marked resolved from outside must not vanish
	 * from the list unseen.
	 */
	if ((st = stmt(s, "SELECT a.id, a.client_id, a.administration_id, "
	    "a.rule, a.severity, a.state, a.created, a.historic, a.detail, "
	    ROWS_ALERTS_COLS_A ", a.mac FROM " SQL_READABLE_CLIENTS("?1") " r "
	    "CROSS JOIN live_alerts a WHERE a.client_id = r.id ORDER BY CASE "
	    "a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, "
	    "a.created, a.id")) == NULL)
		return txn_end(s, fail_db(s, "listing alerts"));
	bind_int64(st, 1, s->actor.id);
	buf_init(&d, STORE_MAX_FIELD + 64);
	while ((rc = st_step(st)) == BE_ROW)
		if ((e = alert_of_row(s, st, 9, &a, &d)) != SB_OK ||
		    (strcmp(a.state, "resolved") != 0 &&
		    (e = fn(arg, &a)) != SB_OK))
			break;
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing alerts");
	st_reset(st);
	buf_wipe(&d);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "alert-list", 0, ""));
}

/*
 * Overdue measures as alerts: one low alert per client of the acting
 * therapist whose last questionnaire is older than days, unless one is
 * already open.  Read first, written only when there is something to
 * raise, so that a caseload view costs no write in the usual case.
 */
enum sb_err
store_alerts_overdue(struct store *s, int64_t now, int days, size_t *raised)
{
	struct stmt	*st;
	bool		 row;
	int64_t		 ids[256], id;
	char		 last[256][16], detail[160], cut[32];
	size_t		 n = 0, i;
	time_t		 t = (time_t)(now - (int64_t)days * 86400);
	struct tm	 tm;
	enum sb_err	 e = SB_OK;

	*raised = 0;
	if (!s->has_actor || s->actor.role != ROLE_THERAPIST)
		return SB_OK;
	gmtime_r(&t, &tm);
	strftime(cut, sizeof(cut), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* From latest: each client's newest answer without reading their
	 * whole history. */
	if ((st = stmt(s, "SELECT c.id, max(a.completed) FROM clients c JOIN "
	    "latest a ON a.client_id = c.id WHERE c.owner_id = ?1 "
	    "AND NOT EXISTS (SELECT 1 FROM live_alerts l WHERE l.client_id = "
	    "c.id AND l.rule = 'measure-overdue' AND l.state != 'resolved') "
	    "GROUP BY c.id HAVING max(a.completed) < ?2 LIMIT 256")) == NULL)
		return fail_db(s, "finding overdue measures");
	bind_int64(st, 1, s->actor.id);
	bind_text(st, 2, cut);
	while (n < 256 && (e = step_row(s, st, &row, "finding overdue "
	    "measures")) == SB_OK && row) {
		ids[n] = col_int64(st, 0);
		snprintf(last[n], sizeof(last[0]), "%.10s",
		    col_text(st, 1));
		n++;
	}
	st_reset(st);
	if (e != SB_OK || n == 0)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	for (i = 0; e == SB_OK && i < n; i++) {
		snprintf(detail, sizeof(detail), "no questionnaire since %s "
		    "(more than %d days)", last[i], days);
		e = store_alert_add(s, ids[i], 0, "measure-overdue", "low",
		    detail, &id);
	}
	if (e == SB_OK)
		*raised = n;
	return txn_end(s, e);
}

enum sb_err
store_alerts_resolve_rule(struct store *s, int64_t client, const char *rule,
    const char *note)
{
	struct stmt	*st;
	bool		 row;
	int64_t		 ids[64];
	size_t		 n = 0, i;
	enum sb_err	 e = SB_OK;

	if ((st = stmt(s, "SELECT id FROM live_alerts WHERE client_id = ? AND "
	    "rule = ? AND state != 'resolved' LIMIT 64")) == NULL)
		return fail_db(s, "finding alerts");
	bind_int64(st, 1, client);
	bind_text(st, 2, rule);
	while (n < 64 && (e = step_row(s, st, &row, "finding alerts")) ==
	    SB_OK && row)
		ids[n++] = col_int64(st, 0);
	st_reset(st);
	for (i = 0; e == SB_OK && i < n; i++)
		e = store_alert_move(s, ids[i], "resolved", note);
	return e;
}

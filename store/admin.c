/*
 * admin.c - administrations (every item answer), alerts and their
 * lifecycle, licence permissions, and the whole record of one client.
 * See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/store_int.h"

static bool
in_set(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (v != NULL && strcmp(v, *set) == 0)
			return true;
	return false;
}

/*
 * The client's latest two administrations of the instrument, into latest
 * (in the caller's transaction): an import of old answers may add one
 * older than the newest, so they are looked up, not assumed.
 */
enum sb_err
latest_refresh(struct store *s, int64_t client, const char *instrument)
{
	sqlite3_stmt	*st;

	if ((st = stmt(s, "INSERT INTO latest (client_id, instrument, last_id, "
	    "prev_id, completed, last_answers, prev_answers, prev_completed) "
	    "SELECT ?1, ?2, a.id, p.id, a.completed, a.answers, p.answers, "
	    "p.completed FROM (SELECT id, completed, answers FROM "
	    "live_administrations WHERE client_id = ?1 AND instrument = ?2 "
	    "ORDER BY completed DESC, id DESC LIMIT 1) a LEFT JOIN (SELECT id, "
	    "completed, answers FROM live_administrations WHERE client_id = ?1 "
	    "AND instrument = ?2 ORDER BY completed DESC, id DESC LIMIT 1 "
	    "OFFSET 1) p ON 1 WHERE 1 ON CONFLICT (client_id, instrument) DO "
	    "UPDATE SET last_id = excluded.last_id, prev_id = "
	    "excluded.prev_id, completed = excluded.completed, last_answers = "
	    "excluded.last_answers, prev_answers = excluded.prev_answers, "
	    "prev_completed = excluded.prev_completed")) == NULL)
		return fail_db(s, "keeping the latest scores");
	sqlite3_bind_int64(st, 1, client);
	sqlite3_bind_text(st, 2, instrument, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail_db(s, "keeping the latest scores");
	return SB_OK;
}

enum sb_err
store_admin_add(struct store *s, int64_t client, const struct store_admin *a,
    int64_t *id)
{
	static const char *const resp[] = { "self", "partner", "parent",
	    "therapist", NULL };
	static const char *const modes[] = { "link", "in-session", "paper",
	    "import", NULL };
	sqlite3_stmt	*st;
	enum sb_err	 e;
	char		 detail[96];

	if (!in_set(a->respondent, resp))
		return fail(s, SB_EINVAL, "respondent is self, partner, parent "
		    "or therapist");
	if (!in_set(a->mode, modes))
		return fail(s, SB_EINVAL, "mode is link, in-session, paper or "
		    "import");
	if (a->instrument == NULL || a->version == NULL || a->answers == NULL ||
	    !text_ok(a->answers, STORE_MAX_TEXT) ||
	    (a->scores != NULL && !text_ok(a->scores, STORE_MAX_TEXT)))
		return fail(s, SB_EINVAL, "an administration needs its "
		    "instrument, version and answers");
	if ((e = client_access(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* No sealed column, so SQLite may pick the id (one statement less
	 * per row of an import). */
	if ((st = stmt(s, "INSERT INTO administrations (id, client_id, "
	    "instrument, instrument_version, respondent, target, mode, "
	    "started, completed, answers, scores, created_by, scored_version, "
	    "import_id) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?3, "
	    "?12)")) == NULL)
		return txn_end(s, fail_db(s, "storing the administration"));
	sqlite3_bind_int64(st, 1, client);
	sqlite3_bind_text(st, 2, a->instrument, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, a->version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, a->respondent, -1, SQLITE_TRANSIENT);
	if (a->target)
		sqlite3_bind_text(st, 5, a->target, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, a->mode, -1, SQLITE_TRANSIENT);
	if (a->started)
		sqlite3_bind_text(st, 7, a->started, -1, SQLITE_TRANSIENT);
	if (a->completed)
		sqlite3_bind_text(st, 8, a->completed, -1, SQLITE_TRANSIENT);
	/* STATIC: the statement is stepped before the caller's strings go
	 * away, so SQLite need not copy them. */
	sqlite3_bind_text(st, 9, a->answers, -1, SQLITE_STATIC);
	if (a->scores)
		sqlite3_bind_text(st, 10, a->scores, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, s->actor.id);
	if (s->import_id != 0)
		sqlite3_bind_int64(st, 12, s->import_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "storing the administration"));
	*id = sqlite3_last_insert_rowid(s->db);
	/* An import's rows are counted now and shown, audited and made
	 * latest together when it is done. */
	if (s->import_id != 0)
		return txn_end(s, import_note(s, client, a->instrument, *id));
	if ((e = latest_refresh(s, client, a->instrument)) != SB_OK)
		return txn_end(s, e);
	snprintf(detail, sizeof(detail), "%.40s client %lld", a->instrument,
	    (long long)client);
	return txn_end(s, audit_append(s, "create", "administration", *id,
	    detail));
}

enum sb_err
store_admin_rescore(struct store *s, int64_t admin, const char *scores,
    const char *version)
{
	sqlite3_stmt	*st;
	int64_t		 client;
	enum sb_err	 e;

	if (scores == NULL || version == NULL || !text_ok(scores,
	    STORE_MAX_TEXT) || !text_ok(version, STORE_MAX_FIELD))
		return fail(s, SB_EINVAL, "rescoring needs scores and a "
		    "version");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT client_id FROM live_administrations WHERE id "
	    "= ?")) == NULL)
		return txn_end(s, fail_db(s, "finding the administration"));
	sqlite3_bind_int64(st, 1, admin);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return txn_end(s, fail(s, SB_ENOENT, "no administration %lld",
		    (long long)admin));
	}
	client = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((e = client_access(s, client, true)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE administrations SET scores = ?, "
	    "scored_version = ? WHERE id = ?")) == NULL)
		return txn_end(s, fail_db(s, "rescoring"));
	sqlite3_bind_text(st, 1, scores, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, admin);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "rescoring"));
	return txn_end(s, audit_append(s, "rescore", "administration", admin,
	    version));
}

static enum sb_err
admin_one(struct store *s, int64_t client, const char *instrument,
    const char *sql, char **answers, bool *found)
{
	sqlite3_stmt	*st;
	const char	*t;
	enum sb_err	 e;

	*found = false;
	*answers = NULL;
	if ((e = client_access(s, client, false)) != SB_OK)
		return e;
	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading an earlier administration");
	sqlite3_bind_int64(st, 1, client);
	sqlite3_bind_text(st, 2, instrument, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (t = (const char *)sqlite3_column_text(st, 0)) != NULL) {
		*found = true;
		*answers = strdup(t);
	}
	sqlite3_reset(st);
	if (*found && *answers == NULL)
		return fail(s, SB_ENOMEM, "out of memory");
	return SB_OK;
}

enum sb_err
store_admin_first(struct store *s, int64_t client, const char *instrument,
    char **answers, bool *found)
{
	return admin_one(s, client, instrument, "SELECT answers FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? ORDER "
	    "BY completed, id LIMIT 1", answers, found);
}

enum sb_err
store_admin_last(struct store *s, int64_t client, const char *instrument,
    char **answers, bool *found)
{
	return admin_one(s, client, instrument, "SELECT answers FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? ORDER "
	    "BY completed DESC, id DESC LIMIT 1", answers, found);
}

static const char *
text_or_null(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/*
 * The clients a walk read, as ranges ("1-5,7,9-20"), for its audit rows.
 * A walk over the whole caseload leaves one row naming every client it
 * read instead of one row per client: a page that lists the caseload is
 * one access, and a row per client made each view as costly to audit as
 * an import.
 */
struct read_set {
	int64_t		 first, last;	/* the open range; 0: none */
	size_t		 n;		/* administrations read */
	char		 text[900];
	size_t		 len;
};

static enum sb_err
read_set_flush(struct store *s, struct read_set *rs)
{
	char		 detail[1000];
	enum sb_err	 e;

	if (rs->len == 0)
		return SB_OK;
	snprintf(detail, sizeof(detail), "administrations of clients %s (%zu)",
	    rs->text, rs->n);
	e = audit_append(s, "read", "client-list", 0, detail);
	rs->len = 0;
	rs->text[0] = '\0';
	rs->n = 0;
	return e;
}

static enum sb_err
read_set_close_range(struct store *s, struct read_set *rs)
{
	char		 range[48];
	enum sb_err	 e;
	int		 k;

	if (rs->first == 0)
		return SB_OK;
	if (rs->first == rs->last)
		k = snprintf(range, sizeof(range), "%lld",
		    (long long)rs->first);
	else
		k = snprintf(range, sizeof(range), "%lld-%lld",
		    (long long)rs->first, (long long)rs->last);
	rs->first = rs->last = 0;
	if (rs->len + (size_t)k + 1 >= sizeof(rs->text) &&
	    (e = read_set_flush(s, rs)) != SB_OK)
		return e;
	if (rs->len > 0)
		rs->text[rs->len++] = ',';
	memcpy(rs->text + rs->len, range, (size_t)k + 1);
	rs->len += (size_t)k;
	return SB_OK;
}

/* Notes that client was read; clients arrive in ascending order. */
static enum sb_err
read_set_add(struct store *s, struct read_set *rs, int64_t client)
{
	enum sb_err	 e = SB_OK;

	rs->n++;
	if (rs->first != 0 && (client == rs->last || client == rs->last + 1)) {
		rs->last = client;
		return SB_OK;
	}
	if (rs->first != 0)
		e = read_set_close_range(s, rs);
	rs->first = rs->last = client;
	return e;
}

/*
 * One statement per combination of filters, not "(?2 IS NULL OR ...)":
 * a condition on bound values alone is prepared again at every run (see
 * SQL_READABLE), and a fixed filter lets the planner use the index.
 */
#define ADMIN_EACH(WHERE) "SELECT a.id, a.client_id, a.instrument, " \
	"a.instrument_version, a.respondent, a.target, a.mode, a.started, " \
	"a.completed, a.answers, a.scores, a.scored_version FROM " \
	"live_administrations a JOIN clients c ON c.id = a.client_id WHERE " \
	SQL_READABLE("?1") WHERE " ORDER BY a.client_id, a.completed, a.id"
static const char *const admin_each_sql[4] = {
	ADMIN_EACH(""),
	ADMIN_EACH(" AND a.client_id = ?3"),
	ADMIN_EACH(" AND a.instrument = ?2"),
	ADMIN_EACH(" AND a.instrument = ?2 AND a.client_id = ?3"),
};

/* Administrations are read by therapists and supervisors, not admins. */
static enum sb_err
need_reader(struct store *s)
{
	if (!s->has_actor || s->actor.role == ROLE_ADMIN)
		return fail(s, SB_EPERM, "only therapists and supervisors read "
		    "administrations");
	return SB_OK;
}

enum sb_err
store_admin_each(struct store *s, const char *instrument, int64_t client,
    enum sb_err (*fn)(void *, const struct store_admin_row *), void *arg)
{
	sqlite3_stmt		*st;
	bool			 row;
	struct store_admin_row	 r;
	struct read_set		 rs;
	size_t			 n = 0;
	char			 detail[64];
	enum sb_err		 e = SB_OK;

	if ((e = need_reader(s)) != SB_OK || (e = txn_begin(s)) != SB_OK)
		return e;
	memset(&rs, 0, sizeof(rs));
	if ((st = stmt(s, admin_each_sql[(instrument != NULL) * 2 +
	    (client != 0)])) == NULL)
		return txn_end(s, fail_db(s, "reading administrations"));
	sqlite3_bind_int64(st, 1, s->actor.id);
	if (instrument != NULL)
		sqlite3_bind_text(st, 2, instrument, -1, SQLITE_TRANSIENT);
	if (client != 0)
		sqlite3_bind_int64(st, 3, client);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading "
	    "administrations")) == SB_OK && row) {
		r.id = sqlite3_column_int64(st, 0);
		r.client = sqlite3_column_int64(st, 1);
		r.instrument = text_or_null(st, 2);
		r.version = text_or_null(st, 3);
		r.respondent = text_or_null(st, 4);
		r.target = text_or_null(st, 5);
		r.mode = text_or_null(st, 6);
		r.started = text_or_null(st, 7);
		r.completed = text_or_null(st, 8);
		r.answers = text_or_null(st, 9);
		r.scores = text_or_null(st, 10);
		r.scored_version = text_or_null(st, 11);
		n++;
		if (client == 0)
			e = read_set_add(s, &rs, r.client);
		if (e == SB_OK)
			e = fn(arg, &r);
	}
	sqlite3_reset(st);
	if (e == SB_OK && client == 0 && (e = read_set_close_range(s, &rs)) ==
	    SB_OK)
		e = read_set_flush(s, &rs);
	if (e == SB_OK && client != 0 && n > 0) {
		snprintf(detail, sizeof(detail), "%zu administrations", n);
		e = audit_append(s, "read", "client", client, detail);
	}
	return txn_end(s, e);
}

enum sb_err
store_latest_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_latest *), void *arg)
{
	sqlite3_stmt		*st;
	bool			 row;
	struct store_latest	 l;
	struct read_set		 rs;
	enum sb_err		 e = SB_OK;

	if ((e = need_reader(s)) != SB_OK || (e = txn_begin(s)) != SB_OK)
		return e;
	memset(&rs, 0, sizeof(rs));
	if ((st = stmt(s, "SELECT l.client_id, l.instrument, l.last_id, "
	    "l.completed, l.last_answers, l.prev_id, l.prev_completed, "
	    "l.prev_answers FROM latest l JOIN clients c ON c.id = "
	    "l.client_id WHERE " SQL_READABLE("?1") " ORDER BY l.client_id, "
	    "l.instrument")) == NULL)
		return txn_end(s, fail_db(s, "reading the latest scores"));
	sqlite3_bind_int64(st, 1, s->actor.id);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading the latest "
	    "scores")) == SB_OK && row) {
		memset(&l, 0, sizeof(l));
		l.client = sqlite3_column_int64(st, 0);
		l.instrument = text_or_null(st, 1);
		l.last.id = sqlite3_column_int64(st, 2);
		l.last.completed = text_or_null(st, 3);
		l.last.answers = text_or_null(st, 4);
		l.prev.id = sqlite3_column_int64(st, 5);
		l.prev.completed = text_or_null(st, 6);
		l.prev.answers = text_or_null(st, 7);
		if ((e = read_set_add(s, &rs, l.client)) == SB_OK)
			e = fn(arg, &l);
	}
	sqlite3_reset(st);
	if (e == SB_OK && (e = read_set_close_range(s, &rs)) == SB_OK)
		e = read_set_flush(s, &rs);
	return txn_end(s, e);
}

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
static enum sb_err
alert_of_link(struct store *s, const struct store_alert_new *a, int64_t *id)
{
	sqlite3_stmt	*st;

	*id = 0;
	if ((st = stmt(s, "SELECT id FROM live_alerts WHERE link_id = ? AND "
	    "rule = ? AND item = ?")) == NULL)
		return fail_db(s, "finding the link's alert");
	sqlite3_bind_int64(st, 1, a->link);
	sqlite3_bind_text(st, 2, a->rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, a->item, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (*id == 0 || a->administration <= 0)
		return SB_OK;
	if ((st = stmt(s, "UPDATE alerts SET administration_id = ? WHERE id = "
	    "? AND administration_id IS NULL")) == NULL)
		return fail_db(s, "tying the alert to its answers");
	sqlite3_bind_int64(st, 1, a->administration);
	sqlite3_bind_int64(st, 2, *id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return fail_db(s, "tying the alert to its answers");
	return SB_OK;
}

enum sb_err
store_alert_raise(struct store *s, const struct store_alert_new *a,
    int64_t *id, int *queued)
{
	static const char *const sev[] = { "high", "medium", "low", NULL };
	sqlite3_stmt	*st;
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
			/* Raised before: say what was queued for it then. */
			if ((st = stmt(s, "SELECT count(*) FROM outbox WHERE "
			    "alert_id = ?")) == NULL)
				return txn_end(s, fail_db(s, "reading the "
				    "outbox"));
			sqlite3_bind_int64(st, 1, *id);
			if (sqlite3_step(st) == SQLITE_ROW)
				nq = sqlite3_column_int(st, 0);
			sqlite3_reset(st);
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
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_int64(st, 2, a->client);
	if (a->administration > 0)
		sqlite3_bind_int64(st, 3, a->administration);
	sqlite3_bind_text(st, 4, a->rule, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, a->severity, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_TRANSIENT);
	if ((e = bind_sealed(s, st, 7, "alerts", "detail", *id, a->detail)) !=
	    SB_OK)
		return txn_end(s, e);
	if (a->link > 0)
		sqlite3_bind_int64(st, 8, a->link);
	if (a->item != NULL)
		sqlite3_bind_text(st, 9, a->item, -1, SQLITE_TRANSIENT);
	if (a->historic != NULL)
		sqlite3_bind_text(st, 10, a->historic, -1, SQLITE_TRANSIENT);
	if (s->import_id != 0)
		sqlite3_bind_int64(st, 11, s->import_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "raising the alert"));
	/* Hidden until its import is done, which audits it and queues
	 * its mail. */
	if (s->import_id != 0)
		return txn_end(s, import_note_alert(s, a->client));
	if ((e = audit_append(s, "create", "alert", *id, a->rule)) != SB_OK)
		return txn_end(s, e);
	/* An old answer found in an import is shown, not sent as urgent. */
	if (strcmp(a->severity, "high") == 0 && a->historic == NULL &&
	    (e = outbox_for_alert(s, a->client, *id, (int64_t)time(NULL),
	    &nq)) != SB_OK)
		return txn_end(s, e);
	if ((e = txn_end(s, SB_OK)) == SB_OK && queued != NULL)
		*queued = nq;
	return e;
}

enum sb_err
store_alert_client(struct store *s, int64_t alert, int64_t *client)
{
	sqlite3_stmt	*st;

	*client = 0;
	if ((st = stmt(s, "SELECT client_id FROM live_alerts WHERE id = ?")) ==
	    NULL)
		return fail_db(s, "finding the alert");
	sqlite3_bind_int64(st, 1, alert);
	if (sqlite3_step(st) == SQLITE_ROW)
		*client = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
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
static enum sb_err
alert_of_row(struct store *s, sqlite3_stmt *st, struct store_alert *a,
    struct buf *detail)
{
	enum sb_err	 e;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->client = sqlite3_column_int64(st, 1);
	a->administration = sqlite3_column_int64(st, 2);
	snprintf(a->rule, sizeof(a->rule), "%s", sqlite3_column_text(st, 3));
	snprintf(a->severity, sizeof(a->severity), "%s",
	    sqlite3_column_text(st, 4));
	snprintf(a->state, sizeof(a->state), "%s",
	    sqlite3_column_text(st, 5));
	snprintf(a->created, sizeof(a->created), "%s",
	    sqlite3_column_text(st, 6));
	if (sqlite3_column_type(st, 7) == SQLITE_TEXT)
		snprintf(a->historic, sizeof(a->historic), "%s",
		    sqlite3_column_text(st, 7));
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
	sqlite3_stmt		*st;
	enum sb_err		 e;
	int			 rc;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT id, client_id, administration_id, rule, "
	    "severity, state, created, historic, detail FROM live_alerts WHERE "
	    "client_id = ? AND state != 'resolved' ORDER BY CASE severity "
	    "WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, id")) == NULL)
		return txn_end(s, fail_db(s, "reading the client's alerts"));
	sqlite3_bind_int64(st, 1, client);
	e = SB_OK;
	buf_init(&detail, STORE_MAX_FIELD + 64);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((e = alert_of_row(s, st, &a, &detail)) != SB_OK ||
		    (e = fn(arg, &a)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != SQLITE_DONE)
		e = fail_db(s, "reading the client's alerts");
	sqlite3_reset(st);
	buf_wipe(&detail);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "alerts", client, ""));
}

enum sb_err
store_alert_pending(struct store *s, int64_t client, const char *rule,
    const char *prefix, bool *pending)
{
	sqlite3_stmt	*st;
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
	sqlite3_bind_int64(st, 1, client);
	sqlite3_bind_text(st, 2, rule, -1, SQLITE_TRANSIENT);
	buf_init(&detail, STORE_MAX_FIELD + 64);
	while (!*pending && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((e = column_opened(s, st, 1, "alerts", "detail",
		    sqlite3_column_int64(st, 0), &detail)) != SB_OK)
			break;
		*pending = strncmp(detail.data, prefix, strlen(prefix)) == 0;
	}
	if (e == SB_OK && !*pending && rc != SQLITE_DONE)
		e = fail_db(s, "checking alerts");
	sqlite3_reset(st);
	buf_wipe(&detail);
	return e;
}

enum sb_err
store_alert_move(struct store *s, int64_t alert, const char *state,
    const char *note)
{
	sqlite3_stmt	*st;
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
	sqlite3_bind_int64(st, 1, alert);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return txn_end(s, fail(s, SB_ENOENT, "no alert %lld",
		    (long long)alert));
	}
	client = sqlite3_column_int64(st, 0);
	snprintf(cur, sizeof(cur), "%s", sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if ((e = client_access(s, client, true)) != SB_OK)
		return txn_end(s, e);
	/* open -> acknowledged -> resolved; resolving from open is allowed,
	 * going back is not. */
	if (strcmp(cur, "resolved") == 0 || strcmp(cur, state) == 0)
		return txn_end(s, fail(s, SB_EINVAL, "alert %lld is already "
		    "%s", (long long)alert, cur));
	if ((st = stmt(s, "UPDATE alerts SET state = ? WHERE id = ?")) == NULL)
		return txn_end(s, fail_db(s, "moving the alert"));
	sqlite3_bind_text(st, 1, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, alert);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "moving the alert"));
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM alert_events",
	    &evid)) != SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO alert_events (id, alert_id, state, "
	    "user_id, at, note) VALUES (?, ?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "recording the alert's history"));
	sqlite3_bind_int64(st, 1, evid);
	sqlite3_bind_int64(st, 2, alert);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, s->actor.id);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_TRANSIENT);
	if ((e = bind_sealed(s, st, 6, "alert_events", "note", evid,
	    note)) != SB_OK)
		return txn_end(s, e);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "recording the alert's history"));
	return txn_end(s, audit_append(s, state, "alert", alert, ""));
}

enum sb_err
store_alert_open_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_alert *), void *arg)
{
	struct store_alert	 a;
	sqlite3_stmt		*st;
	struct buf		 d;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if (!s->has_actor || s->actor.role == ROLE_ADMIN)
		return fail(s, SB_EPERM, "only therapists and supervisors see "
		    "alerts");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* High first, then oldest first: what needs attention first. */
	if ((st = stmt(s, "SELECT a.id, a.client_id, a.administration_id, "
	    "a.rule, a.severity, a.state, a.created, a.historic, a.detail "
	    "FROM live_alerts a JOIN clients c ON c.id = a.client_id WHERE "
	    "a.state != 'resolved' AND " SQL_READABLE("?1") " ORDER BY CASE "
	    "a.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, "
	    "a.created, a.id")) == NULL)
		return txn_end(s, fail_db(s, "listing alerts"));
	sqlite3_bind_int64(st, 1, s->actor.id);
	buf_init(&d, STORE_MAX_FIELD + 64);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((e = alert_of_row(s, st, &a, &d)) != SB_OK ||
		    (e = fn(arg, &a)) != SB_OK)
			break;
	if (e == SB_OK && rc != SQLITE_DONE)
		e = fail_db(s, "listing alerts");
	sqlite3_reset(st);
	buf_wipe(&d);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "alert-list", 0, ""));
}

enum sb_err
store_permission_add(struct store *s, const char *instrument,
    const char *reference)
{
	sqlite3_stmt	*st;
	char		 at[32];
	int64_t		 id;
	enum sb_err	 e;

	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin records licence "
		    "permissions");
	if (!text_ok(reference, STORE_MAX_FIELD) || reference[0] == '\0')
		return fail(s, SB_EINVAL, "the reference is 1-%d bytes of UTF-8",
		    STORE_MAX_FIELD);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM "
	    "licence_permissions", &id)) != SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO licence_permissions (id, instrument, "
	    "recorded, user_id, reference) VALUES (?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "recording the permission"));
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, instrument, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, s->actor.id);
	sqlite3_bind_text(st, 5, reference, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		return txn_end(s, fail_db(s, "recording the permission"));
	return txn_end(s, audit_append(s, "permit", "instrument", id,
	    instrument));
}

enum sb_err
store_permission_each(struct store *s, void (*fn)(void *, const char *,
    const char *), void *arg)
{
	sqlite3_stmt	*st;
	bool		 row;
	enum sb_err	 e;
	char		 text[STORE_MAX_FIELD + 200];

	if ((st = stmt(s, "SELECT p.instrument, p.recorded, u.name, "
	    "p.reference FROM licence_permissions p JOIN users u ON u.id = "
	    "p.user_id ORDER BY p.id")) == NULL)
		return fail_db(s, "reading permissions");
	while ((e = step_row(s, st, &row, "reading permissions")) == SB_OK &&
	    row) {
		snprintf(text, sizeof(text), "%.10s, recorded by %s: %s",
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 3));
		fn(arg, (const char *)sqlite3_column_text(st, 0), text);
	}
	sqlite3_reset(st);
	return e;
}

/*
 * One section of the record: each row's columns handed out separately
 * (NULL for NULL), sealed ones opened; the first column is the id.
 */
static enum sb_err
record_section(struct store *s, int64_t client, enum store_section sec,
    const char *sql, const char *table, unsigned sealed,
    enum sb_err (*fn)(void *, const struct store_record_row *), void *arg)
{
	struct store_record_row	 r;
	sqlite3_stmt		*st;
	struct buf		 clear[STORE_RECORD_COLUMNS];
	size_t			 i;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading the record");
	sqlite3_bind_int64(st, 1, client);
	for (i = 0; i < STORE_RECORD_COLUMNS; i++)
		buf_init(&clear[i], STORE_MAX_TEXT + 64);
	memset(&r, 0, sizeof(r));
	r.section = sec;
	r.n = (size_t)sqlite3_column_count(st) - 1;
	if (r.n > STORE_RECORD_COLUMNS)
		r.n = STORE_RECORD_COLUMNS;
	while (e == SB_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(st, 0);
		for (i = 0; i < r.n && e == SB_OK; i++) {
			r.column[i] = sqlite3_column_name(st, (int)i + 1);
			r.value[i] = NULL;
			if (sealed & (1u << (i + 1))) {
				/* The column's own name is the one it was
				 * sealed under. */
				e = column_opened_null(s, st, (int)i + 1, table,
				    r.column[i], r.id, &clear[i], &r.value[i]);
			} else if (sqlite3_column_type(st, (int)i + 1) !=
			    SQLITE_NULL)
				r.value[i] = (const char *)sqlite3_column_text(
				    st, (int)i + 1);
		}
		if (e == SB_OK)
			e = fn(arg, &r);
	}
	if (e == SB_OK && rc != SQLITE_DONE)
		e = fail_db(s, "reading the record");
	sqlite3_reset(st);
	for (i = 0; i < STORE_RECORD_COLUMNS; i++)
		buf_wipe(&clear[i]);
	return e;
}

#define S(col)	(1u << (col))

enum sb_err
store_client_record(struct store *s, int64_t client,
    enum sb_err (*head)(void *, const struct store_client_head *),
    enum sb_err (*row)(void *, const struct store_record_row *), void *arg)
{
	static const struct {
		enum store_section	 sec;
		const char		*sql, *table;
		unsigned		 sealed;	/* a bit per column */
	} sections[] = {
		{ STORE_SEC_PEOPLE, "SELECT id, name, role, gender, "
		    "birth_year, death_year FROM people WHERE client_id = ? "
		    "ORDER BY id", "people", S(1) | S(2) | S(3) },
		{ STORE_SEC_RELATIONSHIPS, "SELECT id, a_id, b_id, kind, "
		    "type, start_date, end_date FROM relationships WHERE "
		    "client_id = ? ORDER BY id", NULL, 0 },
		{ STORE_SEC_EVENTS, "SELECT id, category, date, age, valence, "
		    "intensity, note FROM events WHERE client_id = ? ORDER BY "
		    "coalesce(date, ''), age, id", "events", S(6) },
		{ STORE_SEC_SESSIONS, "SELECT id, date, attendance, note FROM "
		    "sessions WHERE client_id = ? ORDER BY date, id",
		    "sessions", S(3) },
		{ STORE_SEC_NOTES, "SELECT id, created, text FROM notes WHERE "
		    "client_id = ? ORDER BY id", "notes", S(2) },
		{ STORE_SEC_ADMINISTRATIONS, "SELECT id, completed, "
		    "instrument, instrument_version, mode, scores FROM "
		    "live_administrations WHERE client_id = ? ORDER BY "
		    "completed, id", NULL, 0 },
		{ STORE_SEC_ALERTS, "SELECT id, created, severity, rule, "
		    "state, detail FROM live_alerts WHERE client_id = ? ORDER "
		    "BY id", "alerts", S(5) },
		{ STORE_SEC_ALERT_HISTORY, "SELECT e.id, e.alert_id, e.at, "
		    "e.state, u.name, e.note FROM alert_events e JOIN "
		    "live_alerts a ON a.id = e.alert_id JOIN users u ON u.id = "
		    "e.user_id WHERE a.client_id = ? ORDER BY e.id",
		    "alert_events", S(5) },
		{ STORE_SEC_EPISODES, "SELECT id, started, ended FROM episodes "
		    "WHERE client_id = ? ORDER BY started, id", NULL, 0 },
		{ STORE_SEC_CONSENTS, "SELECT id, kind, given, withdrawn FROM "
		    "consents WHERE client_id = ? ORDER BY id", "consents",
		    S(1) },
		{ STORE_SEC_CASES, "SELECT m.case_id, c.kind, CASE "
		    "m.answers_shared WHEN 1 THEN 'answers shared' ELSE "
		    "'answers private' END FROM case_members m JOIN cases c ON "
		    "c.id = m.case_id WHERE m.client_id = ? ORDER BY m.case_id",
		    NULL, 0 },
	};
	struct store_client_head h;
	sqlite3_stmt		*st;
	struct buf		 name;
	size_t			 i;
	int			 rc;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT c.name, u.name, c.created FROM clients c "
	    "JOIN users u ON u.id = c.owner_id WHERE c.id = ?")) == NULL)
		return txn_end(s, fail_db(s, "reading the client"));
	sqlite3_bind_int64(st, 1, client);
	buf_init(&name, STORE_MAX_FIELD + 64);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		e = rc == SQLITE_DONE ? fail(s, SB_ENOENT, "no client %lld",
		    (long long)client) : fail_db(s, "reading the client");
	else if ((e = column_opened(s, st, 0, "clients", "name", client,
	    &name)) == SB_OK && head != NULL) {
		h.id = client;
		h.name = name.data;
		h.therapist = (const char *)sqlite3_column_text(st, 1);
		h.since = (const char *)sqlite3_column_text(st, 2);
		e = head(arg, &h);
	}
	sqlite3_reset(st);
	buf_wipe(&name);
	for (i = 0; e == SB_OK && row != NULL && i < sizeof(sections) /
	    sizeof(sections[0]); i++)
		e = record_section(s, client, sections[i].sec,
		    sections[i].sql, sections[i].table, sections[i].sealed,
		    row, arg);
	if (e == SB_OK)
		e = audit_append(s, "read", "client", client, "record");
	return txn_end(s, e);
}

enum sb_err
store_timeline_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_timeline_row *), void *arg)
{
	struct store_timeline_row	 r;
	sqlite3_stmt			*st;
	int				 rc;
	enum sb_err			 e = SB_OK;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* The kind as a number that sorts sessions, measures, events. */
	if ((st = stmt(s, "SELECT d, kind, what, valence FROM ("
	    "SELECT date AS d, 0 AS kind, attendance AS what, NULL AS valence "
	    "FROM sessions WHERE client_id = ?1 UNION ALL "
	    "SELECT substr(completed, 1, 10), 1, instrument, NULL FROM "
	    "live_administrations WHERE client_id = ?1 AND completed IS NOT "
	    "NULL UNION ALL SELECT date, 2, category, valence FROM events "
	    "WHERE client_id = ?1 AND date IS NOT NULL) ORDER BY d, kind")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading the timeline"));
	sqlite3_bind_int64(st, 1, client);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.date = (const char *)sqlite3_column_text(st, 0);
		r.kind = (enum store_timeline_kind)sqlite3_column_int(st, 1);
		r.what = (const char *)sqlite3_column_text(st, 2);
		r.valence = sqlite3_column_int(st, 3);
		if (r.date == NULL || r.what == NULL)
			continue;
		if ((e = fn(arg, &r)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != SQLITE_DONE)
		e = fail_db(s, "reading the timeline");
	sqlite3_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client,
	    "timeline"));
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
	sqlite3_stmt	*st;
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
	sqlite3_bind_int64(st, 1, s->actor.id);
	sqlite3_bind_text(st, 2, cut, -1, SQLITE_TRANSIENT);
	while (n < 256 && (e = step_row(s, st, &row, "finding overdue "
	    "measures")) == SB_OK && row) {
		ids[n] = sqlite3_column_int64(st, 0);
		snprintf(last[n], sizeof(last[0]), "%.10s",
		    sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
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
	sqlite3_stmt	*st;
	bool		 row;
	int64_t		 ids[64];
	size_t		 n = 0, i;
	enum sb_err	 e = SB_OK;

	if ((st = stmt(s, "SELECT id FROM live_alerts WHERE client_id = ? AND "
	    "rule = ? AND state != 'resolved' LIMIT 64")) == NULL)
		return fail_db(s, "finding alerts");
	sqlite3_bind_int64(st, 1, client);
	sqlite3_bind_text(st, 2, rule, -1, SQLITE_TRANSIENT);
	while (n < 64 && (e = step_row(s, st, &row, "finding alerts")) ==
	    SB_OK && row)
		ids[n++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	for (i = 0; e == SB_OK && i < n; i++)
		e = store_alert_move(s, ids[i], "resolved", note);
	return e;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * administration.c - administrations: every item answer of a
 * questionnaire given, its derived scores, the caseload's latest two per
 * client and measure, and the audited walks over them.  See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/store_int.h"

/*
 * The client's latest two administrations of the instrument, into latest
 * (in the caller's transaction): an import of old answers may add one
 * older than the newest, so they are looked up, not assumed.
 */
enum sb_err
latest_refresh(struct store *s, int64_t client, const char *instrument)
{
	struct stmt	*st;

	if ((st = stmt(s, "INSERT INTO latest (client_id, instrument, last_id, "
	    "prev_id, completed, last_answers, prev_answers, prev_completed) "
	    "SELECT ?1, ?2, a.id, p.id, a.completed, a.answers, p.answers, "
	    "p.completed FROM (SELECT id, completed, answers FROM "
	    "live_administrations WHERE client_id = ?1 AND instrument = ?2 "
	    "ORDER BY completed DESC NULLS LAST, id DESC LIMIT 1) a LEFT JOIN (SELECT id, "
	    "completed, answers FROM live_administrations WHERE client_id = ?1 "
	    "AND instrument = ?2 ORDER BY completed DESC NULLS LAST, id DESC "
	    "LIMIT 1 "
	    "OFFSET 1) p ON true WHERE true ON CONFLICT (client_id, instrument) DO "
	    "UPDATE SET last_id = excluded.last_id, prev_id = "
	    "excluded.prev_id, completed = excluded.completed, last_answers = "
	    "excluded.last_answers, prev_answers = excluded.prev_answers, "
	    "prev_completed = excluded.prev_completed")) == NULL)
		return fail_db(s, "keeping the latest scores");
	bind_int64(st, 1, client);
	bind_text(st, 2, instrument);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "keeping the latest scores");
	return SB_OK;
}

/* An import's row, as import_insert and the bulk write give it. */
#define IMPORT_COLS	"id, client_id, instrument, instrument_version, " \
			"respondent, target, mode, started, completed, " \
			"answers, scores, created_by, scored_version, " \
			"import_id, mac"

/*
 * The id of an import's next row.  A server's database numbers them
 * (ids_sql), IMPORT_IDS at a time: one round trip for many rows.  A
 * file has one writer at a time: while this transaction holds the lock,
 * the next ids are the table's largest and one, two, ... (forgotten
 * when the transaction ends: txn_end).
 */
static SB_MUST enum sb_err
import_id_next(struct store *s, int64_t *id)
{
	struct stmt	*st;
	enum be_rc	 rc = BE_DONE;
	bool		 row;
	enum sb_err	 e;

	if (s->be->sql->ids_sql == NULL) {
		if (s->ids_local == 0) {
			if ((st = stmt(s, "SELECT coalesce(max(id), 0) + 1 FROM "
			    "administrations")) == NULL)
				return fail_db(s, "numbering the imported rows");
			e = step_row(s, st, &row, "numbering the imported rows");
			if (e == SB_OK && row)
				s->ids_local = col_int64(st, 0);
			st_reset(st);
			if (e != SB_OK)
				return e;
		}
		*id = s->ids_local++;
		return SB_OK;
	}
	if (s->ids_next == s->ids_n) {
		s->ids_next = s->ids_n = 0;
		if ((st = stmt(s, s->be->sql->ids_sql)) == NULL)
			return fail_db(s, "numbering the imported rows");
		bind_text(st, 1, "administrations");
		bind_int64(st, 2, IMPORT_IDS);
		while (s->ids_n < IMPORT_IDS && (rc = st_step(st)) == BE_ROW)
			s->ids[s->ids_n++] = col_int64(st, 0);
		st_reset(st);
		if ((rc != BE_ROW && rc != BE_DONE) || s->ids_n == 0) {
			s->ids_n = 0;
			return fail_db(s, "numbering the imported rows");
		}
	}
	*id = s->ids[s->ids_next++];
	return SB_OK;
}

/* An import's row written as it is, its mac with it (one statement, not
 * an INSERT, a read back and an UPDATE). */
static SB_MUST enum sb_err
import_insert(struct store *s, const struct be_val *b)
{
	struct stmt	*st;
	int		 i;

	if ((st = stmt(s, "INSERT INTO administrations (" IMPORT_COLS ") "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) == NULL)
		return fail_db(s, "storing the administration");
	for (i = 0; i < 15; i++)
		switch (b[i].t) {
		case BV_NULL:
			bind_null(st, i + 1);
			break;
		case BV_INT:
			bind_int64(st, i + 1, b[i].i);
			break;
		case BV_TEXT:
			/* Stepped before the caller's strings go away. */
			bind_text_ref(st, i + 1, b[i].p);
			break;
		case BV_BLOB:
			bind_blob(st, i + 1, b[i].p, b[i].n);
			break;
		}
	if (st_step(st) != BE_DONE) {
		st_reset(st);
		return fail_db(s, "storing the administration");
	}
	st_reset(st);
	return SB_OK;
}

/*
 * An import's row: its id taken first (import_id_next), its seal
 * computed here from the values written (what rows_seal would read
 * back), and the row written with its mac.  An engine that writes rows
 * in bulk (the backend's bulk: PostgreSQL's COPY) holds it with others;
 * whatever comes next on the connection (an alert's insert, the slice's
 * commit) sends them first and fails with their failure, if any: the
 * import is then undone as any failed import is.
 */
static SB_MUST enum sb_err
import_row(struct store *s, int64_t client,
    const struct store_administration *a, int64_t *id)
{
	struct rowval	 v[13];
	struct be_val	 b[15];
	unsigned char	 mac[MAC_BYTES];
	enum sb_err	 e;
	int		 i;

	if ((e = import_id_next(s, id)) != SB_OK)
		return e;
	memset(v, 0, sizeof(v));
	v[0].i = client;
	v[1].p = a->instrument;
	v[2].p = a->version;
	v[3].p = a->respondent;
	v[4].p = a->target;
	v[4].null = a->target == NULL;
	v[5].p = a->mode;
	v[6].p = a->started;
	v[6].null = a->started == NULL;
	v[7].p = a->completed;
	v[7].null = a->completed == NULL;
	v[8].p = a->answers;
	v[9].p = a->scores;
	v[9].null = a->scores == NULL;
	v[10].i = s->actor.id;
	v[11].p = a->version;
	v[12].i = s->import_id;
	if ((e = rows_seal_new(s, RT_ADMINISTRATIONS, *id, 0, v, mac)) !=
	    SB_OK)
		return e;
	/* In the columns' order below: id, then v, then mac. */
	b[0] = (struct be_val){ .t = BV_INT, .i = *id };
	for (i = 0; i < 13; i++)
		b[i + 1] = v[i].null ? (struct be_val){ .t = BV_NULL } :
		    i == 0 || i == 10 || i == 12 ?
		    (struct be_val){ .t = BV_INT, .i = v[i].i } :
		    (struct be_val){ .t = BV_TEXT, .p = v[i].p };
	b[14] = (struct be_val){ .t = BV_BLOB, .p = mac, .n = MAC_BYTES };
	if (s->be->drv->bulk == NULL)
		e = import_insert(s, b);
	else if (s->be->drv->bulk(s->conn, "administrations", IMPORT_COLS, 15,
	    b) !=
	    BE_DONE)
		e = fail_db(s, "storing the administration");
	if (e != SB_OK)
		return e;
	return import_note(s, client, a->instrument, *id);
}

enum sb_err
store_administration_add(struct store *s, int64_t client,
    const struct store_administration *a,
    int64_t *id)
{
	static const char *const resp[] = { "self", "partner", "parent",
	    "therapist", NULL };
	static const char *const modes[] = { "link", "in-session", "paper",
	    "import", NULL };
	struct stmt	*st;
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
	if (s->import_id != 0)
		return txn_end(s, import_row(s, client, a, id));
	/* No sealed column, so the engine may pick the id, and say which
	 * (one statement less per row of an import). */
	if ((st = stmt(s, "INSERT INTO administrations (client_id, "
	    "instrument, instrument_version, respondent, target, mode, "
	    "started, completed, answers, scores, created_by, scored_version, "
	    "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?3, ?12) "
	    "RETURNING id")) ==
	    NULL)
		return txn_end(s, fail_db(s, "storing the administration"));
	bind_int64(st, 1, client);
	bind_text(st, 2, a->instrument);
	bind_text(st, 3, a->version);
	bind_text(st, 4, a->respondent);
	if (a->target)
		bind_text(st, 5, a->target);
	bind_text(st, 6, a->mode);
	if (a->started)
		bind_text(st, 7, a->started);
	if (a->completed)
		bind_text(st, 8, a->completed);
	/* STATIC: the statement is stepped before the caller's strings go
	 * away, so SQLite need not copy them. */
	bind_text_ref(st, 9, a->answers);
	if (a->scores)
		bind_text_ref(st, 10, a->scores);
	bind_int64(st, 11, s->actor.id);
	if (s->import_id != 0)
		bind_int64(st, 12, s->import_id);
	if (st_step(st) != BE_ROW)
		return txn_end(s, fail_db(s, "storing the administration"));
	*id = col_int64(st, 0);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "storing the administration"));
	if ((e = rows_seal(s, RT_ADMINISTRATIONS, *id, 0)) != SB_OK)
		return txn_end(s, e);
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
store_administration_rescore(struct store *s, int64_t id, const char *scores,
    const char *version)
{
	bool		 row;
	struct stmt	*st;
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
	bind_int64(st, 1, id);
	if ((e = step_row(s, st, &row,
	    "finding the administration")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "no administration %lld",
		    (long long)id));
	}
	client = col_int64(st, 0);
	st_reset(st);
	if ((e = client_access(s, client, true)) != SB_OK)
		return txn_end(s, e);
	/* Rescoring answers written in from outside would seal them. */
	if ((e = rows_check(s, RT_ADMINISTRATIONS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE administrations SET scores = ?, "
	    "scored_version = ? WHERE id = ?")) == NULL)
		return txn_end(s, fail_db(s, "rescoring"));
	bind_text(st, 1, scores);
	bind_text(st, 2, version);
	bind_int64(st, 3, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "rescoring"));
	if ((e = rows_seal(s, RT_ADMINISTRATIONS, id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "rescore", "administration", id,
	    version));
}

enum sb_err
store_administration_same(struct store *s, int64_t client,
    const char *instrument, const char *completed, const char *answers,
    bool *found)
{
	struct stmt	*st;
	char		 today[32];
	enum sb_err	 e;

	*found = false;
	if ((e = client_access(s, client, false)) != SB_OK)
		return e;
	/* Undated rows were stamped with the day they were imported: the
	 * same file imported again that day is the same answers. */
	now_iso(today);
	if ((st = stmt(s, completed != NULL ? "SELECT 1 FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? AND "
	    "answers = ? AND completed = ? LIMIT 1" : "SELECT 1 FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? AND "
	    "answers = ? AND mode = 'import' AND substr(completed, 1, 10) = "
	    "substr(?, 1, 10) LIMIT 1")) == NULL)
		return fail_db(s, "looking for the same answers");
	bind_int64(st, 1, client);
	bind_text(st, 2, instrument);
	bind_text(st, 3, answers);
	bind_text(st, 4, completed != NULL ? completed : today);
	e = step_row(s, st, found, "looking for the same answers");
	st_reset(st);
	return e;
}

static SB_MUST enum sb_err
administration_one(struct store *s, int64_t client, const char *instrument,
    const char *sql, char **answers, bool *found)
{
	bool		 row;
	struct stmt	*st;
	const char	*t;
	enum sb_err	 e;

	*found = false;
	*answers = NULL;
	if ((e = client_access(s, client, false)) != SB_OK)
		return e;
	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading an earlier administration");
	bind_int64(st, 1, client);
	bind_text(st, 2, instrument);
	if ((e = step_row(s, st, &row,
	    "reading an earlier administration")) == SB_OK && row &&
	    (t = col_text(st, 0)) != NULL) {
		*found = true;
		*answers = strdup(t);
	}
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (*found && *answers == NULL)
		return fail(s, SB_ENOMEM, "out of memory");
	return SB_OK;
}

enum sb_err
store_administration_first(struct store *s, int64_t client,
    const char *instrument,
    char **answers, bool *found)
{
	return administration_one(s, client, instrument, "SELECT answers FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? ORDER "
	    "BY completed, id LIMIT 1", answers, found);
}

enum sb_err
store_administration_last(struct store *s, int64_t client,
    const char *instrument,
    char **answers, bool *found)
{
	return administration_one(s, client, instrument, "SELECT answers FROM "
	    "live_administrations WHERE client_id = ? AND instrument = ? ORDER "
	    "BY completed DESC, id DESC LIMIT 1", answers, found);
}

static const char *
text_or_null(struct stmt *st, int i)
{
	return col_text(st, i);
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
	size_t		 n;		/* rows read */
	const char	*what;		/* NULL: administrations */
	char		 text[900];
	size_t		 len;
};

static SB_MUST enum sb_err
read_set_flush(struct store *s, struct read_set *rs)
{
	char		 detail[1000];
	enum sb_err	 e;

	if (rs->len == 0)
		return SB_OK;
	snprintf(detail, sizeof(detail), "%s of clients %s (%zu)",
	    rs->what != NULL ? rs->what : "administrations", rs->text, rs->n);
	e = audit_append(s, "read", "client-list", 0, detail);
	rs->len = 0;
	rs->text[0] = '\0';
	rs->n = 0;
	return e;
}

static SB_MUST enum sb_err
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
static SB_MUST enum sb_err
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
#define ADMIN_EACH(FROM, WHERE) "SELECT a.id, a.client_id, a.instrument, " \
	"a.instrument_version, a.respondent, a.target, a.mode, a.started, " \
	"a.completed, a.answers, a.scores, a.scored_version, " \
	ROWS_ADMIN_COLS_A ", a.mac FROM " FROM WHERE \
	" ORDER BY a.client_id, a.completed NULLS FIRST, a.id"
/* Every readable client's, from the readable clients; one client's, from
 * that client. */
#define ADMIN_ALL SQL_READABLE_CLIENTS("?1") " r CROSS JOIN " \
	"live_administrations a WHERE a.client_id = r.id"
#define ADMIN_ONE "live_administrations a JOIN clients c ON c.id = " \
	"a.client_id WHERE " SQL_READABLE("?1") " AND a.client_id = ?3"
static const char *const admin_each_sql[4] = {
	ADMIN_EACH(ADMIN_ALL, ""),
	ADMIN_EACH(ADMIN_ONE, ""),
	ADMIN_EACH(ADMIN_ALL, " AND a.instrument = ?2"),
	ADMIN_EACH(ADMIN_ONE, " AND a.instrument = ?2"),
};

/* Administrations are read by therapists and supervisors, not admins. */
static SB_MUST enum sb_err
need_reader(struct store *s)
{
	if (!reads_records(s))
		return fail(s, SB_EPERM, "only therapists and supervisors read "
		    "administrations");
	return SB_OK;
}

enum sb_err
store_administration_each(struct store *s, const char *instrument,
    int64_t client,
    enum sb_err (*fn)(void *, const struct store_administration_row *),
    void *arg)
{
	struct stmt		*st;
	bool			 row;
	struct store_administration_row	 r;
	struct read_set		 rs;
	size_t			 n = 0;
	char			 detail[64];
	enum sb_err		 e = SB_OK;

	if ((e = need_reader(s)) != SB_OK || (e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = client != 0 ? client_access(s, client, false) :
	    readable_check(s)) != SB_OK)
		return txn_end(s, e);
	memset(&rs, 0, sizeof(rs));
	if ((st = stmt(s, admin_each_sql[(instrument != NULL) * 2 +
	    (client != 0)])) == NULL)
		return txn_end(s, fail_db(s, "reading administrations"));
	bind_int64(st, 1, s->actor.id);
	if (instrument != NULL)
		bind_text(st, 2, instrument);
	if (client != 0)
		bind_int64(st, 3, client);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading "
	    "administrations")) == SB_OK && row) {
		r.id = col_int64(st, 0);
		r.client = col_int64(st, 1);
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
		/* Answers or scores written in from outside are not shown
		 * as the client's. */
		if ((e = rows_check_stmt(s, RT_ADMINISTRATIONS, st, 12, 25,
		    r.id, 0)) != SB_OK)
			break;
		n++;
		if (client == 0)
			e = read_set_add(s, &rs, r.client);
		if (e == SB_OK)
			e = fn(arg, &r);
	}
	st_reset(st);
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
	struct stmt		*st;
	bool			 row;
	struct store_latest	 l;
	struct read_set		 rs;
	enum sb_err		 e = SB_OK;

	if ((e = need_reader(s)) != SB_OK || (e = txn_begin(s)) != SB_OK)
		return e;
	memset(&rs, 0, sizeof(rs));
	if ((st = stmt(s, "SELECT l.client_id, l.instrument, l.last_id, "
	    "l.completed, l.last_answers, l.prev_id, l.prev_completed, "
	    "l.prev_answers FROM " SQL_READABLE_CLIENTS("?1") " r CROSS JOIN "
	    "latest l WHERE l.client_id = r.id ORDER BY l.client_id, "
	    "l.instrument")) == NULL)
		return txn_end(s, fail_db(s, "reading the latest scores"));
	bind_int64(st, 1, s->actor.id);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading the latest "
	    "scores")) == SB_OK && row) {
		memset(&l, 0, sizeof(l));
		l.client = col_int64(st, 0);
		l.instrument = text_or_null(st, 1);
		l.last.id = col_int64(st, 2);
		l.last.completed = text_or_null(st, 3);
		l.last.answers = text_or_null(st, 4);
		l.prev.id = col_int64(st, 5);
		l.prev.completed = text_or_null(st, 6);
		l.prev.answers = text_or_null(st, 7);
		if ((e = read_set_add(s, &rs, l.client)) == SB_OK)
			e = fn(arg, &l);
	}
	st_reset(st);
	if (e == SB_OK && (e = read_set_close_range(s, &rs)) == SB_OK)
		e = read_set_flush(s, &rs);
	return txn_end(s, e);
}

/* An inbox walk's start: the acting user a therapist, a transaction,
 * an empty set of the clients read, what they were (NULL:
 * administrations). */
static SB_MUST enum sb_err
inbox_begin(struct store *s, struct read_set *rs, const char *what)
{
	if (!s->has_actor || s->actor.role != ROLE_THERAPIST)
		return fail(s, SB_EPERM, "the inbox is a therapist's");
	memset(rs, 0, sizeof(*rs));
	rs->what = what;
	return txn_begin(s);
}

/* Its end: the statement reset, the clients read audited, the
 * transaction ended with e. */
static SB_MUST enum sb_err
inbox_end(struct store *s, struct stmt *st, struct read_set *rs,
    enum sb_err e)
{
	st_reset(st);
	if (e == SB_OK && (e = read_set_close_range(s, rs)) == SB_OK)
		e = read_set_flush(s, rs);
	return txn_end(s, e);
}

enum sb_err
store_inbox_responses(struct store *s,
    enum sb_err (*fn)(void *, const struct store_inbox_response *),
    void *arg)
{
	struct store_inbox_response	 r;
	struct read_set			 rs;
	struct stmt			*st;
	bool				 row;
	enum sb_err			 e = SB_OK;

	if ((e = inbox_begin(s, &rs, NULL)) != SB_OK)
		return e;
	/* The therapist's own clients (not those shared with them: their
	 * therapist reads those), by the index on owner. */
	if ((st = stmt(s, "SELECT a.id, a.client_id, a.instrument, "
	    "a.completed FROM clients c JOIN live_administrations a ON "
	    "a.client_id = c.id WHERE c.owner_id = ? AND a.mode = 'link' AND "
	    "NOT EXISTS (SELECT 1 FROM responses_seen r WHERE "
	    "r.administration_id = a.id) ORDER BY a.completed DESC, a.id DESC "
	    "LIMIT ?")) == NULL)
		return txn_end(s, fail_db(s, "reading the new responses"));
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, STORE_INBOX_MAX);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading the new "
	    "responses")) == SB_OK && row) {
		r.id = col_int64(st, 0);
		r.client = col_int64(st, 1);
		r.instrument = col_text(st, 2);
		r.completed = text_or_null(st, 3);
		if ((e = read_set_add(s, &rs, r.client)) == SB_OK)
			e = fn(arg, &r);
	}
	return inbox_end(s, st, &rs, e);
}

/* The client of response id, answered through a link; SB_ENOENT,
 * said, for none. */
static SB_MUST enum sb_err
response_client(struct store *s, int64_t id, int64_t *client)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT client_id FROM live_administrations WHERE "
	    "id = ? AND mode = 'link'")) == NULL)
		return fail_db(s, "finding the response");
	bind_int64(st, 1, id);
	if ((e = step_row(s, st, &row, "finding the response")) == SB_OK &&
	    row)
		*client = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	return row ? SB_OK : fail(s, SB_ENOENT, "no response %lld sent "
	    "through a link", (long long)id);
}

enum sb_err
store_response_seen(struct store *s, int64_t id, const char *upto,
    int64_t now)
{
	struct stmt	*st;
	int64_t		 client = 0, t;
	char		 detail[64];
	enum sb_err	 e;

	if (!s->has_actor || s->actor.role != ROLE_THERAPIST)
		return fail(s, SB_EPERM, "only a therapist marks responses "
		    "seen");
	if (id == 0 && (upto == NULL || !text_iso_seconds(upto, &t)))
		return fail(s, SB_EINVAL, "mark seen up to when?");
	/* Who may: checked (and a refusal audited) before the change's
	 * transaction, whose rollback would take the audit row along. */
	if (id != 0 && ((e = response_client(s, id, &client)) != SB_OK ||
	    (e = client_access_logged(s, client, true)) != SB_OK))
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	st = id != 0 ? stmt(s, "INSERT INTO responses_seen (administration_id, "
	    "seen_by, seen_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING") :
	    stmt(s, "INSERT INTO responses_seen (administration_id, seen_by, "
	    "seen_at) SELECT a.id, ?2, ?3 FROM clients c JOIN "
	    "live_administrations a ON a.client_id = c.id WHERE c.owner_id = "
	    "?2 AND a.mode = 'link' AND a.completed <= ?1 AND NOT EXISTS "
	    "(SELECT 1 FROM responses_seen r WHERE r.administration_id = "
	    "a.id)");
	if (st == NULL)
		return txn_end(s, fail_db(s, "marking responses seen"));
	if (id != 0)
		bind_int64(st, 1, id);
	else
		bind_text(st, 1, upto);
	bind_int64(st, 2, s->actor.id);
	bind_int64(st, 3, now);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "marking responses seen"));
	if (id != 0)
		snprintf(detail, sizeof(detail), "%lld marked",
		    (long long)db_changes(s));
	else
		snprintf(detail, sizeof(detail), "%lld marked, up to %.24s",
		    (long long)db_changes(s), upto);
	return txn_end(s, audit_append(s, "response-seen", id != 0 ?
	    "administration" : "inbox", id, detail));
}

enum sb_err
store_inbox_links(struct store *s, int64_t now,
    enum sb_err (*fn)(void *, const struct store_inbox_link *), void *arg)
{
	struct store_inbox_link	 l;
	struct read_set		 rs;
	struct stmt		*st;
	bool			 row;
	enum sb_err		 e = SB_OK;

	if ((e = inbox_begin(s, &rs, "links")) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT l.id, l.client_id, l.instrument, l.created, "
	    "l.expires, l.opened IS NOT NULL, l.answers != '', EXISTS (SELECT "
	    "1 FROM plan_sends ps WHERE ps.link_id = l.id AND ps.reminded IS "
	    "NOT NULL) FROM clients c JOIN links l ON l.client_id = c.id "
	    "WHERE c.owner_id = ?1 AND l.mode = 'link' AND l.administration_id "
	    "IS NULL AND l.done = 0 AND l.cancelled IS NULL AND l.expires > ?2 "
	    "ORDER BY l.created, l.id LIMIT ?3")) == NULL)
		return txn_end(s, fail_db(s, "reading the open links"));
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, now - STORE_INBOX_EXPIRED_DAYS * 86400);
	bind_int64(st, 3, STORE_INBOX_MAX);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading the open "
	    "links")) == SB_OK && row) {
		l.id = col_int64(st, 0);
		l.client = col_int64(st, 1);
		l.instrument = col_text(st, 2);
		l.created = col_int64(st, 3);
		l.expires = col_int64(st, 4);
		l.opened = col_int(st, 5) != 0;
		l.started = col_int(st, 6) != 0;
		l.reminded = col_int(st, 7) != 0;
		if ((e = read_set_add(s, &rs, l.client)) == SB_OK)
			e = fn(arg, &l);
	}
	return inbox_end(s, st, &rs, e);
}

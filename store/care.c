/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * care.c - cases (clients seen together), episodes of care and consents.
 * See store.h.
 *
 * Couples and families share a therapist, not their answers: what one
 * partner tells a questionnaire is theirs until they agree to share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "store/store_int.h"

bool
care_full_date(const char *d)
{
	return d != NULL && strlen(d) == 10 && date_ok(d);
}

enum sb_err
store_case_add(struct store *s, const char *kind, const int64_t *clients,
    size_t n, int64_t *id)
{
	struct stmt	*st;
	char		 at[32];
	size_t		 i, j;
	enum sb_err	 e;

	if (kind == NULL || (strcmp(kind, "individual") != 0 &&
	    strcmp(kind, "couple") != 0 && strcmp(kind, "family") != 0))
		return fail(s, SB_EINVAL, "a case is individual, couple or "
		    "family");
	if ((strcmp(kind, "individual") == 0 && n != 1) ||
	    (strcmp(kind, "couple") == 0 && n != 2) ||
	    (strcmp(kind, "family") == 0 && (n < 2 || n > 32)))
		return fail(s, SB_EINVAL, "an individual case has one client, "
		    "a couple two, a family 2-32");
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (clients[i] == clients[j])
				return fail(s, SB_EINVAL, "client %lld is "
				    "listed twice", (long long)clients[i]);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	for (i = 0; i < n; i++)
		if ((e = client_access(s, clients[i], true)) != SB_OK)
			return txn_end(s, e);
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM cases", id)) !=
	    SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO cases (id, kind, created) VALUES (?, ?,"
	    " ?)")) == NULL)
		return txn_end(s, fail_db(s, "adding the case"));
	bind_int64(st, 1, *id);
	bind_text(st, 2, kind);
	bind_text(st, 3, at);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "adding the case"));
	for (i = 0; i < n; i++) {
		if ((st = stmt(s, "INSERT INTO case_members (case_id, "
		    "client_id) VALUES (?, ?)")) == NULL)
			return txn_end(s, fail_db(s, "adding a member"));
		bind_int64(st, 1, *id);
		bind_int64(st, 2, clients[i]);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "adding a member"));
		if ((e = rows_seal(s, RT_CASE_MEMBERS, *id, clients[i])) !=
		    SB_OK)
			return txn_end(s, e);
	}
	return txn_end(s, audit_append(s, "create", "case", *id, kind));
}

enum sb_err
store_case_share_answers(struct store *s, int64_t kase, int64_t client,
    bool shared)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check(s, RT_CASE_MEMBERS, kase, client)) != SB_OK)
		return txn_end(s, e == SB_ENOENT ? fail(s, SB_ENOENT, "client "
		    "%lld is not in case %lld", (long long)client,
		    (long long)kase) : e);
	if ((st = stmt(s, "UPDATE case_members SET answers_shared = ? WHERE "
	    "case_id = ? AND client_id = ?")) == NULL)
		return txn_end(s, fail_db(s, "sharing answers"));
	bind_int64(st, 1, shared);
	bind_int64(st, 2, kase);
	bind_int64(st, 3, client);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "sharing answers"));
	if (db_changes(s) != 1)
		return txn_end(s, fail(s, SB_ENOENT, "client %lld is not in "
		    "case %lld", (long long)client, (long long)kase));
	if ((e = rows_seal(s, RT_CASE_MEMBERS, kase, client)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, shared ? "share-answers" :
	    "unshare-answers", "client", client, "case"));
}

enum sb_err
store_answers_visible(struct store *s, int64_t owner, int64_t viewer,
    bool *visible)
{
	enum sb_err	 e;
	struct stmt	*st;
	int64_t		 kase;

	*visible = owner == viewer;
	if (*visible)
		return SB_OK;
	if ((st = stmt(s, "SELECT o.case_id FROM case_members o JOIN "
	    "case_members v ON v.case_id = o.case_id WHERE o.client_id = ? AND "
	    "v.client_id = ? AND o.answers_shared = 1 LIMIT 1")) == NULL)
		return fail_db(s, "checking what is shared");
	bind_int64(st, 1, owner);
	bind_int64(st, 2, viewer);
	e = step_row(s, st, visible, "checking what is shared");
	kase = *visible ? col_int64(st, 0) : 0;
	st_reset(st);
	if (e != SB_OK || !*visible)
		return e;
	/* Both memberships, and the sharing, as securebase wrote them. */
	if ((e = rows_check(s, RT_CASE_MEMBERS, kase, owner)) != SB_OK ||
	    (e = rows_check(s, RT_CASE_MEMBERS, kase, viewer)) != SB_OK)
		*visible = false;
	return e;
}

/* What an episode's or a consent's row binds, for write_one(). */
struct consent_binds {
	int64_t		 client, by;
	const char	*kind, *date;
};

/* One open episode at a time: what write_one checks first. */
static SB_MUST enum sb_err
no_open_episode(struct store *s, void *arg)
{
	const struct consent_binds	*b = arg;
	struct stmt			*st;
	bool				 row;
	enum sb_err			 e;

	if ((st = stmt(s, "SELECT count(*) FROM episodes WHERE client_id = ? "
	    "AND ended IS NULL")) == NULL)
		return fail_db(s, "checking episodes");
	bind_int64(st, 1, b->client);
	if ((e = step_row(s, st, &row, "checking episodes")) == SB_OK &&
	    row && col_int(st, 0) > 0)
		e = fail(s, SB_EINVAL, "client %lld already has an open "
		    "episode; end it first", (long long)b->client);
	st_reset(st);
	return e;
}

static SB_MUST enum sb_err
episode_bind(struct store *s, struct stmt *st, int64_t id, void *arg)
{
	const struct consent_binds	*b = arg;

	(void)s;
	bind_int64(st, 1, id);
	bind_int64(st, 2, b->client);
	bind_text(st, 3, b->date);
	return SB_OK;
}

enum sb_err
store_episode_start(struct store *s, int64_t client, const char *date,
    int64_t *id)
{
	struct consent_binds	 eb = { .client = client, .date = date };

	if (!care_full_date(date))
		return fail(s, SB_EINVAL, "an episode starts on a date "
		    "(YYYY-MM-DD)");
	return write_one(s, &(struct write_one){ .client = client,
	    .check = no_open_episode,
	    .id_sql = "SELECT coalesce(max(id), 0) FROM episodes",
	    .sql = "INSERT INTO episodes (id, client_id, started) VALUES "
	    "(?, ?, ?)", .what = "starting the episode", .table = "episode",
	    .seal = RT_EPISODES, .bind = episode_bind, .arg = &eb }, id);
}

enum sb_err
care_close_row(struct store *s, enum rowtab t, const char *what,
    const char *select, const char *update, int64_t id, const char *date,
    int64_t *clientp)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 client;
	char		 start[16];
	enum sb_err	 e;

	if (!care_full_date(date))
		return fail(s, SB_EINVAL, "a date is YYYY-MM-DD");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, select)) == NULL)
		return txn_end(s, fail_db(s, what));
	bind_int64(st, 1, id);
	if ((e = step_row(s, st, &row, what)) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "no open %s %lld", what,
		    (long long)id));
	}
	client = col_int64(st, 0);
	snprintf(start, sizeof(start), "%s", col_text(st, 1));
	st_reset(st);
	if ((e = client_access(s, client, true)) != SB_OK)
		return txn_end(s, e);
	*clientp = client;
	if (strcmp(date, start) < 0)
		return txn_end(s, fail(s, SB_EINVAL, "%s %lld began on %s, "
		    "after %s", what, (long long)id, start, date));
	if ((e = rows_check(s, t, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, update)) == NULL)
		return txn_end(s, fail_db(s, what));
	bind_text(st, 1, date);
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, what));
	if ((e = rows_seal(s, t, id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "close", what, id, ""));
}


static SB_MUST enum sb_err
consent_bind(struct store *s, struct stmt *st, int64_t id, void *arg)
{
	const struct consent_binds	*b = arg;

	bind_int64(st, 1, id);
	bind_int64(st, 2, b->client);
	bind_text(st, 4, b->date);
	bind_int64(st, 5, b->by);
	return bind_sealed(s, st, 3, "consents", "kind", id, b->kind);
}

enum sb_err
store_consent_add(struct store *s, int64_t client, const char *kind,
    const char *date, int64_t *id)
{
	struct consent_binds	 cb;
	char			 clean[STORE_MAX_FIELD + 1];
	enum sb_err		 e;

	if ((e = name_check(s, "a consent's kind", kind, true, clean,
	    &kind)) != SB_OK)
		return e;
	if (!care_full_date(date))
		return fail(s, SB_EINVAL, "a consent is given on a date "
		    "(YYYY-MM-DD)");
	cb.client = client;
	cb.kind = kind;
	cb.date = date;
	cb.by = s->actor.id;
	/* The kind is sealed in its row; the trail says only that one was
	 * given (rows before schema 12 name it). */
	return write_one(s, &(struct write_one){ .client = client,
	    .id_sql = "SELECT coalesce(max(id), 0) FROM consents",
	    .sql = "INSERT INTO consents (id, client_id, kind, given, "
	    "recorded_by) VALUES (?, ?, ?, ?, ?)",
	    .what = "recording the consent", .table = "consent",
	    .seal = RT_CONSENTS, .bind = consent_bind, .arg = &cb }, id);
}

enum sb_err
store_consent_active(struct store *s, int64_t client, const char *kind,
    bool *yes)
{
	time_t		 now = (time_t)clock_now();
	struct tm	 tm;
	char		 today[16];
	struct stmt	*st;
	struct buf	 k;
	enum sb_err	 e;
	int		 rc;

	*yes = false;
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	/* A consent moved in from another client, or put in by hand,
	 * gives nothing. */
	if ((e = rows_check_of(s, RT_CONSENTS, client)) != SB_OK)
		return e;
	/* A consent dated ahead is not yet given; one withdrawn as of a
	 * later date still holds until then.  Dates are YYYY-MM-DD, which
	 * compare as text. */
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	/* Kinds are sealed: each of the client's few is opened. */
	if ((st = stmt(s, "SELECT id, kind FROM consents WHERE client_id = ? "
	    "AND substr(given, 1, 10) <= ? AND (withdrawn IS NULL OR "
	    "substr(withdrawn, 1, 10) > ?)")) == NULL)
		return fail_db(s, "reading consents");
	bind_int64(st, 1, client);
	bind_text(st, 2, today);
	bind_text(st, 3, today);
	buf_init(&k, STORE_MAX_FIELD + 64);
	while (!*yes && (rc = st_step(st)) == BE_ROW) {
		if ((e = column_opened(s, st, 1, "consents", "kind",
		    col_int64(st, 0), &k)) != SB_OK)
			break;
		*yes = strcmp(k.data, kind) == 0;
	}
	if (e == SB_OK && !*yes && rc != BE_DONE)
		e = fail_db(s, "reading consents");
	st_reset(st);
	buf_wipe(&k);
	return e;
}

enum sb_err
store_session_dates_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const char *date), void *arg)
{
	struct stmt	*st;
	const char	*d;
	int		 rc;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT date FROM sessions WHERE client_id = ? AND "
	    "attendance = 'attended' ORDER BY date")) == NULL)
		return txn_end(s, fail_db(s, "reading sessions"));
	bind_int64(st, 1, client);
	e = SB_OK;
	while ((rc = st_step(st)) == BE_ROW)
		if ((d = col_text(st, 0)) != NULL &&
		    (e = fn(arg, d)) != SB_OK)
			break;
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading sessions");
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client,
	    "session dates"));
}

enum sb_err
store_episodes_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_episode *), void *arg,
    size_t *altered)
{
	struct store_episode	*v = NULL, *q;
	struct stmt		*st;
	size_t			 n = 0, cap = 0, i, clients = 0;
	int64_t			 last = 0;
	bool			 row, skip = false;
	char			 detail[64];
	enum sb_err		 e;

	*altered = 0;
	if (!reads_records(s))
		return fail(s, SB_EPERM, "only therapists and supervisors read "
		    "episodes of care");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = readable_check(s)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT e.id, e.client_id, e.started, e.ended FROM "
	    SQL_READABLE_CLIENTS("?1") " r CROSS JOIN episodes e WHERE "
	    "e.client_id = r.id ORDER BY e.client_id, e.started, e.id")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading episodes of care"));
	bind_int64(st, 1, s->actor.id);
	/* Read whole first: each client's rows are checked below with
	 * statements of their own. */
	while ((e = step_row(s, st, &row, "reading episodes of care")) ==
	    SB_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((q = realloc(v, cap * sizeof(*v))) == NULL) {
				e = SB_ENOMEM;
				break;
			}
			v = q;
		}
		v[n].id = col_int64(st, 0);
		v[n].client = col_int64(st, 1);
		v[n].altered = false;
		snprintf(v[n].started, sizeof(v[n].started), "%.10s",
		    col_text(st, 2) ? col_text(st, 2) : "");
		snprintf(v[n].ended, sizeof(v[n].ended), "%.10s",
		    col_text(st, 3) ? col_text(st, 3) : "");
		n++;
	}
	st_reset(st);
	for (i = 0; e == SB_OK && i < n; i++) {
		if (v[i].client != last) {
			last = v[i].client;
			clients++;
			e = rows_check_of(s, RT_EPISODES, last);
			skip = e == SB_EPERM;
			if (skip) {
				struct store_episode	 x;

				(*altered)++;
				memset(&x, 0, sizeof(x));
				x.client = last;
				x.altered = true;
				e = fn(arg, &x);
			}
		}
		if (e == SB_OK && !skip)
			e = fn(arg, &v[i]);
	}
	free(v);
	if (e != SB_OK)
		return txn_end(s, e);
	snprintf(detail, sizeof(detail), "episodes of %zu clients", clients);
	return txn_end(s, audit_append(s, "read", "episodes", 0, detail));
}

enum sb_err
store_episode_scores_each(struct store *s, const char *instrument,
    int64_t client, enum sb_err (*fn)(void *, int64_t episode,
    const char *completed, const char *answers), void *arg)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user");
	if (client != 0 && (e = client_access_logged(s, client, false)) !=
	    SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* An episode's scores are the client's own answers dated within
	 * it, by calendar day. */
	st = stmt(s, client == 0 ? "SELECT e.id, a.completed, a.answers FROM "
	    "episodes e JOIN live_administrations a ON a.client_id = "
	    "e.client_id WHERE e.ended IS NOT NULL AND a.instrument = ? AND "
	    "a.respondent = 'self' AND substr(a.completed, 1, 10) >= e.started "
	    "AND substr(a.completed, 1, 10) <= e.ended ORDER BY e.id, "
	    "a.completed, a.id" : "SELECT e.id, a.completed, a.answers FROM "
	    "episodes e JOIN live_administrations a ON a.client_id = "
	    "e.client_id WHERE e.ended IS NULL AND a.instrument = ? AND "
	    "a.respondent = 'self' AND substr(a.completed, 1, 10) >= e.started "
	    "AND e.client_id = ? ORDER BY e.id, a.completed, a.id");
	if (st == NULL)
		return txn_end(s, fail_db(s, "reading the episodes' scores"));
	bind_text(st, 1, instrument);
	if (client != 0)
		bind_int64(st, 2, client);
	while ((e = step_row(s, st, &row, "reading the episodes' scores")) ==
	    SB_OK && row)
		if ((e = fn(arg, col_int64(st, 0), col_text(st, 1),
		    col_text(st, 2))) != SB_OK)
			break;
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	/* The practice's scores are read as numbers without names, for
	 * the expected path: one row says so. */
	return txn_end(s, audit_append(s, "read", client == 0 ?
	    "expected-reference" : "episode-scores", client, instrument));
}

enum sb_err
store_case_others_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, int64_t other, const char *name,
    const char *kind), void *arg)
{
	struct stmt	*st;
	struct buf	 name;
	int64_t		 ids[16];
	char		 kinds[16][12];
	size_t		 n = 0, i;
	bool		 row;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT o.client_id, k.kind FROM case_members m "
	    "JOIN cases k ON k.id = m.case_id JOIN case_members o ON "
	    "o.case_id = m.case_id AND o.client_id != m.client_id WHERE "
	    "m.client_id = ? AND k.kind != 'individual' ORDER BY o.client_id"))
	    == NULL)
		return fail_db(s, "reading who the client is seen with");
	bind_int64(st, 1, client);
	while (n < 16 && (e = step_row(s, st, &row, "reading who the client "
	    "is seen with")) == SB_OK && row) {
		ids[n] = col_int64(st, 0);
		snprintf(kinds[n++], sizeof(kinds[0]), "%s", col_text(st, 1));
	}
	st_reset(st);
	if (e != SB_OK)
		return e;
	buf_init(&name, STORE_MAX_FIELD + 64);
	for (i = 0; e == SB_OK && i < n; i++) {
		/* Only those the actor may read themself. */
		if (client_access(s, ids[i], false) != SB_OK)
			continue;
		if ((st = stmt(s, "SELECT name FROM clients WHERE id = ?")) ==
		    NULL) {
			e = fail_db(s, "reading a name");
			break;
		}
		bind_int64(st, 1, ids[i]);
		if ((e = step_row(s, st, &row, "reading a name")) == SB_OK &&
		    row)
			e = column_opened(s, st, 0, "clients", "name", ids[i],
			    &name);
		st_reset(st);
		if (e == SB_OK && row)
			e = fn(arg, ids[i], name.data, kinds[i]);
	}
	buf_wipe(&name);
	return e;
}

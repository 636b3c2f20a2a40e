/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * records.c - clients and what is recorded about them: sharing, people and
 * relationships, life events, sessions, notes.  See store.h.
 *
 * Each function: validate, check access, then in one transaction write the
 * row (sealing its clinical text bound to the row id) and its audit row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/store_int.h"

/* Free text (a note): UTF-8, lines and tabs but no other control
 * characters. */
static SB_MUST enum sb_err
check_text(struct store *s, const char *what, const char *t, size_t max,
    bool required)
{
	long	 at;

	if (t == NULL || t[0] == '\0') {
		if (required)
			return fail(s, SB_EINVAL, "%s is required", what);
		return SB_OK;
	}
	if (strlen(t) > max)
		return fail(s, SB_ELIMIT, "%s is longer than %zu bytes", what,
		    max);
	if (!utf8_valid(t, strlen(t)))
		return fail(s, SB_EINVAL, "%s is not valid UTF-8", what);
	if ((at = text_control_at(t, strlen(t), true)) >= 0)
		return fail(s, SB_EINVAL, "%s holds a control character at "
		    "byte %ld", what, at + 1);
	if ((at = text_bidi_unpaired(t, strlen(t))) >= 0)
		return fail(s, SB_EINVAL, "%s holds a direction mark (U+202A-"
		    "U+202E, U+2066-U+2069) left open or unopened at byte %ld",
		    what, at + 1);
	return SB_OK;
}

static SB_MUST enum sb_err
check_date(struct store *s, const char *what, const char *d)
{
	if (d == NULL || d[0] == '\0' || date_ok(d))
		return SB_OK;
	return fail(s, SB_EINVAL, "%s \"%.32s\" is not a date (YYYY, YYYY-MM "
	    "or YYYY-MM-DD, years 1800-2200)", what, d);
}

static bool
one_of(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(v, *set) == 0)
			return true;
	return false;
}

enum sb_err
store_client_add(struct store *s, const char *name, int64_t *id)
{
	struct stmt	*st;
	char		 at[32], clean[STORE_MAX_FIELD + 1];
	enum sb_err	 e;

	if (!s->has_actor || s->actor.role != ROLE_THERAPIST)
		return fail(s, SB_EPERM, "only a therapist adds clients (to "
		    "their own caseload)");
	if ((e = name_check(s, "the client's name", name, true, clean,
	    &name)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM clients", id)) !=
	    SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO clients (id, owner_id, name, created) "
	    "VALUES (?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "adding the client"));
	bind_int64(st, 1, *id);
	bind_int64(st, 2, s->actor.id);
	if ((e = bind_sealed(s, st, 3, "clients", "name", *id, name)) != SB_OK)
		return txn_end(s, e);
	bind_text(st, 4, at);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "adding the client"));
	if ((e = rows_seal(s, RT_CLIENTS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "create", "client", *id, ""));
}

/*
 * Only the client's own therapist shares or stops sharing: a colleague a
 * client was shared with reads and writes, but cannot pass the client on
 * (sharing is not transitive).
 */
static SB_MUST enum sb_err
owner_only(struct store *s, int64_t client, const char *what)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 owner = 0;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT owner_id FROM clients WHERE id = ?")) == NULL)
		return fail_db(s, "checking the owner");
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "checking the owner")) == SB_OK && row)
		owner = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (owner != s->actor.id)
		return fail(s, SB_EPERM, "only the client's own therapist may %s "
		    "client %lld", what, (long long)client);
	return SB_OK;
}

enum sb_err
store_client_unshare(struct store *s, int64_t client, const char *user)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 uid = 0;
	enum sb_err	 e;

	if ((e = owner_only(s, client, "stop sharing")) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT user_id FROM client_shares WHERE client_id "
	    "= ? AND user_id = (SELECT id FROM users WHERE name = ?)")) == NULL)
		return txn_end(s, fail_db(s, "stopping the sharing"));
	bind_int64(st, 1, client);
	bind_text(st, 2, user);
	if ((e = step_row(s, st, &row, "stopping the sharing")) == SB_OK && row)
		uid = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	if (!row)
		return txn_end(s, fail(s, SB_ENOENT, "client %lld is not shared "
		    "with \"%.64s\"", (long long)client, user));
	if ((e = rows_drop(s, RT_SHARES, client, uid)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "DELETE FROM client_shares WHERE client_id = ? AND "
	    "user_id = ?")) == NULL)
		return txn_end(s, fail_db(s, "stopping the sharing"));
	bind_int64(st, 1, client);
	bind_int64(st, 2, uid);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "stopping the sharing"));
	return txn_end(s, audit_append(s, "unshare", "client", client, user));
}

enum sb_err
store_client_share(struct store *s, int64_t client, const char *user)
{
	bool		 row;
	struct stmt	*st;
	int64_t		 uid;
	enum sb_err	 e;

	if ((e = owner_only(s, client, "share")) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT id FROM users WHERE name = ? AND active = 1 "
	    "AND role IN ('therapist', 'supervisor')")) == NULL)
		return txn_end(s, fail_db(s, "finding the user"));
	bind_text(st, 1, user);
	if ((e = step_row(s, st, &row, "finding the user")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "no active therapist or "
		    "supervisor \"%.64s\"", user));
	}
	uid = col_int64(st, 0);
	st_reset(st);
	if ((st = stmt(s, "INSERT INTO client_shares (client_id, user_id) "
	    "VALUES (?, ?) ON CONFLICT DO NOTHING")) == NULL)
		return txn_end(s, fail_db(s, "sharing"));
	bind_int64(st, 1, client);
	bind_int64(st, 2, uid);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "sharing"));
	/* Shared already: that share must be a genuine one. */
	if ((e = db_changes(s) == 1 ? rows_seal(s, RT_SHARES, client, uid) :
	    rows_check(s, RT_SHARES, client, uid)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "share", "client", client, user));
}

enum sb_err
store_client_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_client_row *), void *arg)
{
	struct stmt		*st;
	struct store_client_row	 c;
	struct buf		 name;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if (!reads_records(s))
		return fail(s, SB_EPERM, "only therapists and supervisors see "
		    "clients");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = readable_check(s)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT c.id, c.name, u.name FROM "
	    SQL_READABLE_CLIENTS("?1") " r CROSS JOIN clients c JOIN users u "
	    "ON u.id = c.owner_id WHERE c.id = r.id ORDER BY c.id")) == NULL)
		return txn_end(s, fail_db(s, "listing clients"));
	bind_int64(st, 1, s->actor.id);
	buf_init(&name, STORE_MAX_FIELD + 64);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW) {
		c.id = col_int64(st, 0);
		c.therapist = col_text(st, 2);
		if ((e = column_opened(s, st, 1, "clients", "name", c.id,
		    &name)) != SB_OK)
			break;
		c.name = name.data;
		e = fn(arg, &c);
	}
	/* The end of the rows, or an error: never mistaken one for the
	 * other. */
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing clients");
	st_reset(st);
	buf_wipe(&name);
	if (e == SB_OK)
		e = audit_append(s, "read", "client-list", 0, "");
	return txn_end(s, e);
}

/* Entry id of table belongs to client (an edit may not move it). */
static SB_MUST enum sb_err
entry_exists(struct store *s, const char *table, int64_t client, int64_t id)
{
	static const struct {
		const char	*table, *sql;
	} q[] = {
		{ "people", "SELECT 1 FROM people WHERE id = ? AND client_id = ?" },
		{ "relationships", "SELECT 1 FROM relationships WHERE id = ? AND "
		    "client_id = ?" },
		{ "events", "SELECT 1 FROM events WHERE id = ? AND client_id = "
		    "?" },
	};
	struct stmt	*st;
	size_t		 i;
	int		 rc;

	for (i = 0; i < 3 && strcmp(q[i].table, table) != 0; i++)
		;
	if (i == 3 || (st = stmt(s, q[i].sql)) == NULL)
		return fail_db(s, "finding the entry");
	bind_int64(st, 1, id);
	bind_int64(st, 2, client);
	rc = st_step(st);
	st_reset(st);
	if (rc != BE_ROW)
		return fail(s, SB_ENOENT, "no entry %lld in client %lld's "
		    "history", (long long)id, (long long)client);
	return SB_OK;
}

static SB_MUST enum sb_err
person_put(struct store *s, int64_t client, const struct store_person *p,
    int64_t *id, bool is_new)
{
	struct stmt	*st;
	char		 nm[STORE_MAX_FIELD + 1], rl[STORE_MAX_FIELD + 1];
	char		 gd[STORE_MAX_FIELD + 1];
	const char	*name, *role, *gender;
	enum sb_err	 e;

	if ((e = name_check(s, "the person's name or role", p->name, true, nm,
	    &name)) != SB_OK ||
	    (e = name_check(s, "role", p->role, false, rl, &role)) != SB_OK ||
	    (e = name_check(s, "gender", p->gender, false, gd, &gender)) !=
	    SB_OK ||
	    (e = check_text(s, "note", p->note, STORE_MAX_TEXT, false)) !=
	    SB_OK)
		return e;
	if ((p->birth_year != 0 && (p->birth_year < 1800 ||
	    p->birth_year > 2200)) || (p->death_year != 0 &&
	    (p->death_year < 1800 || p->death_year > 2200)))
		return fail(s, SB_EINVAL, "years lie in 1800-2200");
	if (p->birth_year != 0 && p->death_year != 0 &&
	    p->death_year < p->birth_year)
		return fail(s, SB_EINVAL, "death year before birth year");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = is_new ? next_id(s, "SELECT coalesce(max(id), 0) FROM "
	    "people", id) : entry_exists(s, "people", client, *id)) != SB_OK ||
	    (!is_new && (e = rows_check(s, RT_PEOPLE, *id, 0)) != SB_OK))
		return txn_end(s, e);
	if ((st = stmt(s, "INSERT INTO people (id, client_id, name, role, "
	    "gender, birth_year, death_year, note) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = "
	    "excluded.role, gender = excluded.gender, birth_year = "
	    "excluded.birth_year, death_year = excluded.death_year, note = "
	    "excluded.note")) == NULL)
		return txn_end(s, fail_db(s, "adding the person"));
	bind_int64(st, 1, *id);
	bind_int64(st, 2, client);
	if ((e = bind_sealed(s, st, 3, "people", "name", *id, name)) != SB_OK)
		return txn_end(s, e);
	if ((e = bind_sealed(s, st, 4, "people", "role", *id, role)) !=
	    SB_OK || (e = bind_sealed(s, st, 5, "people", "gender", *id,
	    gender)) != SB_OK)
		return txn_end(s, e);
	if (p->birth_year)
		bind_int64(st, 6, p->birth_year);
	if (p->death_year)
		bind_int64(st, 7, p->death_year);
	if ((e = bind_sealed(s, st, 8, "people", "note", *id, p->note)) !=
	    SB_OK)
		return txn_end(s, e);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "adding the person"));
	if ((e = rows_seal(s, RT_PEOPLE, *id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, is_new ? "create" : "update",
	    "person", *id, ""));
}

enum sb_err
store_person_add(struct store *s, int64_t client, const struct store_person *p,
    int64_t *id)
{
	return person_put(s, client, p, id, true);
}

enum sb_err
store_person_update(struct store *s, int64_t client, int64_t id,
    const struct store_person *p)
{
	return person_put(s, client, p, &id, false);
}

static SB_MUST enum sb_err
relationship_put(struct store *s, int64_t client,
    const struct store_relationship *r, int64_t *id, bool is_new)
{
	bool		 row;
	struct stmt	*st;
	enum tie_kind	 tk;
	const char	*kind;
	enum sb_err	 e;

	if (r->type == NULL)
		return fail(s, SB_EINVAL, "a relationship needs a type");
	/* The lists of types live once, in core/history.c. */
	if (history_tie_kind(r->type, &tk))
		kind = tk == TIE_STRUCTURAL ? "structural" : "emotional";
	else
		return fail(s, SB_EINVAL, "type \"%.32s\" is neither structural"
		    " (parent, partner, married, cohabiting, separated, "
		    "divorced, sibling, twin, identical-twin, household, "
		    "adopted, foster, step) nor "
		    "emotional (close, fused, distant, cut-off, conflictual, "
		    "hostile, abusive, repaired)", r->type);
	if ((e = check_date(s, "start", r->start)) != SB_OK ||
	    (e = check_date(s, "end", r->end)) != SB_OK ||
	    (e = check_text(s, "note", r->note, STORE_MAX_TEXT, false)) !=
	    SB_OK)
		return e;
	if (r->start && r->end && r->start[0] && r->end[0] &&
	    strcmp(r->end, r->start) < 0)
		return fail(s, SB_EINVAL, "the end lies before the start");
	if (r->a == r->b)
		return fail(s, SB_EINVAL, "a relationship joins two different "
		    "people");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* Both people must belong to this client. */
	if ((st = stmt(s, "SELECT count(*) FROM people WHERE client_id = ? "
	    "AND id IN (?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "checking the people"));
	bind_int64(st, 1, client);
	bind_int64(st, 2, r->a);
	bind_int64(st, 3, r->b);
	if ((e = step_row(s, st, &row, "checking the people")) != SB_OK ||
	    !row || col_int(st, 0) != 2) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "people %lld and %lld are "
		    "not both in client %lld's history", (long long)r->a,
		    (long long)r->b, (long long)client));
	}
	st_reset(st);
	if ((e = is_new ? next_id(s, "SELECT coalesce(max(id), 0) FROM "
	    "relationships", id) : entry_exists(s, "relationships", client,
	    *id)) != SB_OK || (!is_new && (e = rows_check(s,
	    RT_RELATIONSHIPS, *id, 0)) != SB_OK))
		return txn_end(s, e);
	if ((st = stmt(s, "INSERT INTO relationships (id, client_id, a_id, "
	    "b_id, kind, type, start_date, end_date, note) VALUES (?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET a_id = excluded.a_id,"
	    " b_id = excluded.b_id, kind = excluded.kind, type = excluded.type, "
	    "start_date = excluded.start_date, end_date = excluded.end_date, "
	    "note = excluded.note")) == NULL)
		return txn_end(s, fail_db(s, "adding the relationship"));
	bind_int64(st, 1, *id);
	bind_int64(st, 2, client);
	bind_int64(st, 3, r->a);
	bind_int64(st, 4, r->b);
	bind_text_ref(st, 5, kind);
	bind_text(st, 6, r->type);
	if (r->start && r->start[0])
		bind_text(st, 7, r->start);
	if (r->end && r->end[0])
		bind_text(st, 8, r->end);
	if ((e = bind_sealed(s, st, 9, "relationships", "note", *id,
	    r->note)) != SB_OK)
		return txn_end(s, e);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "adding the relationship"));
	if ((e = rows_seal(s, RT_RELATIONSHIPS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, is_new ? "create" : "update",
	    "relationship", *id, r->type));
}

enum sb_err
store_relationship_add(struct store *s, int64_t client, const struct store_relationship *r,
    int64_t *id)
{
	return relationship_put(s, client, r, id, true);
}

enum sb_err
store_relationship_update(struct store *s, int64_t client, int64_t id,
    const struct store_relationship *r)
{
	return relationship_put(s, client, r, &id, false);
}

static SB_MUST enum sb_err
event_put(struct store *s, int64_t client, const struct store_event *ev,
    int64_t *id, bool is_new)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (!history_category_ok(ev->category))
		return fail(s, SB_EINVAL, "category is one of separation, loss,"
		    " divorce, move, illness, neglect, abuse, trauma, repair, "
		    "achievement, other");
	if ((e = check_date(s, "date", ev->date)) != SB_OK ||
	    (e = check_text(s, "note", ev->note, STORE_MAX_TEXT, false)) !=
	    SB_OK)
		return e;
	if (ev->age < -1 || ev->age > 130 || ev->end_age < -1 ||
	    ev->end_age > 130)
		return fail(s, SB_EINVAL, "age lies in 0-130");
	if ((e = check_date(s, "end date", ev->end_date)) != SB_OK)
		return e;
	if ((ev->end_age >= 0 && ev->age >= 0 && ev->end_age < ev->age) ||
	    (ev->end_date && ev->end_date[0] && ev->date && ev->date[0] &&
	    strcmp(ev->end_date, ev->date) < 0))
		return fail(s, SB_EINVAL, "a period cannot end before it "
		    "starts");
	if ((ev->date == NULL || ev->date[0] == '\0') && ev->age < 0)
		return fail(s, SB_EINVAL, "an event needs a date or an age");
	if (ev->valence < -3 || ev->valence > 3)
		return fail(s, SB_EINVAL, "valence lies in -3..+3");
	if (ev->intensity < 1 || ev->intensity > 5)
		return fail(s, SB_EINVAL, "intensity lies in 1..5");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = is_new ? next_id(s, "SELECT coalesce(max(id), 0) FROM "
	    "events", id) : entry_exists(s, "events", client, *id)) != SB_OK ||
	    (!is_new && (e = rows_check(s, RT_EVENTS, *id, 0)) != SB_OK))
		return txn_end(s, e);
	if ((st = stmt(s, "INSERT INTO events (id, client_id, category, date, "
	    "age, valence, intensity, note, end_date, end_age) VALUES (?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET category = "
	    "excluded.category, date = excluded.date, age = excluded.age, "
	    "valence = excluded.valence, intensity = excluded.intensity, note = "
	    "excluded.note, end_date = excluded.end_date, end_age = "
	    "excluded.end_age")) == NULL)
		return txn_end(s, fail_db(s, "adding the event"));
	bind_int64(st, 1, *id);
	bind_int64(st, 2, client);
	bind_text(st, 3, ev->category);
	if (ev->date && ev->date[0])
		bind_text(st, 4, ev->date);
	if (ev->age >= 0)
		bind_int64(st, 5, ev->age);
	bind_int64(st, 6, ev->valence);
	bind_int64(st, 7, ev->intensity);
	if ((e = bind_sealed(s, st, 8, "events", "note", *id, ev->note)) !=
	    SB_OK)
		return txn_end(s, e);
	if (ev->end_date && ev->end_date[0])
		bind_text(st, 9, ev->end_date);
	if (ev->end_age >= 0)
		bind_int64(st, 10, ev->end_age);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "adding the event"));
	if ((e = rows_seal(s, RT_EVENTS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, is_new ? "create" : "update",
	    "event", *id, ev->category));
}

enum sb_err
store_event_add(struct store *s, int64_t client, const struct store_event *ev,
    int64_t *id)
{
	return event_put(s, client, ev, id, true);
}

enum sb_err
store_event_update(struct store *s, int64_t client, int64_t id,
    const struct store_event *ev)
{
	return event_put(s, client, ev, &id, false);
}

/* What a session's or a note's row binds, for write_one(). */
struct row_binds {
	int64_t		 client, author;
	const char	*date, *attendance, *text;
};

static SB_MUST enum sb_err
session_bind(struct store *s, struct stmt *st, int64_t id, void *arg)
{
	const struct row_binds	*b = arg;

	bind_int64(st, 1, id);
	bind_int64(st, 2, b->client);
	bind_text(st, 3, b->date);
	bind_text(st, 4, b->attendance);
	return bind_sealed(s, st, 5, "sessions", "note", id, b->text);
}

static SB_MUST enum sb_err
note_bind(struct store *s, struct stmt *st, int64_t id, void *arg)
{
	const struct row_binds	*b = arg;

	bind_int64(st, 1, id);
	bind_int64(st, 2, b->client);
	bind_int64(st, 3, b->author);
	bind_text(st, 4, b->date);
	return bind_sealed(s, st, 5, "notes", "text", id, b->text);
}

enum sb_err
store_session_add(struct store *s, int64_t client, const char *date,
    const char *attendance, const char *note, int64_t *id)
{
	static const char *const att[] = { "attended", "cancelled",
	    "did-not-attend", NULL };
	struct row_binds	 sb;
	enum sb_err		 e;

	if (date == NULL || strlen(date) != 10 || !date_ok(date))
		return fail(s, SB_EINVAL, "a session needs its date as "
		    "YYYY-MM-DD");
	if (attendance == NULL || !one_of(attendance, att))
		return fail(s, SB_EINVAL, "attendance is attended, cancelled "
		    "or did-not-attend");
	if ((e = check_text(s, "note", note, STORE_MAX_TEXT, false)) != SB_OK)
		return e;
	sb.client = client;
	sb.date = date;
	sb.attendance = attendance;
	sb.text = note;
	return write_one(s, &(struct write_one){ .client = client,
	    .id_sql = "SELECT coalesce(max(id), 0) FROM sessions",
	    .sql = "INSERT INTO sessions (id, client_id, date, attendance, "
	    "note) VALUES (?, ?, ?, ?, ?)", .what = "adding the session",
	    .table = "session", .seal = RT_SESSIONS_HELD, .bind = session_bind,
	    .arg = &sb }, id);
}

enum sb_err
store_note_add(struct store *s, int64_t client, const char *text,
    int64_t *id)
{
	struct row_binds	 nb;
	char			 at[32];
	enum sb_err		 e;

	if ((e = check_text(s, "the note", text, STORE_MAX_TEXT, true)) !=
	    SB_OK)
		return e;
	now_iso(at);
	nb.client = client;
	nb.author = s->actor.id;
	nb.date = at;
	nb.text = text;
	return write_one(s, &(struct write_one){ .client = client,
	    .id_sql = "SELECT coalesce(max(id), 0) FROM notes",
	    .sql = "INSERT INTO notes (id, client_id, author_id, created, "
	    "text) VALUES (?, ?, ?, ?, ?)", .what = "adding the note",
	    .table = "note", .seal = RT_NOTES, .bind = note_bind, .arg = &nb },
	    id);
}

void
store_client_pseudonym(struct store *s, int64_t client, char out[17])
{
	keys_pseudonym(s->keys, client, out);
}

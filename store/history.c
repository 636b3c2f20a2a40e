/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history.c - a client's attachment history in and out of the store:
 * read whole (people, ties, events, and each figure's ECR-RS), replaced
 * whole (import: all or nothing), single entries removed, and snapshots
 * kept for comparison.  The model is core/history.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/store_int.h"

/* A nullable integer column; dflt when NULL. */
static int
column_int_or(struct stmt *st, int i, int dflt)
{
	return col_null(st, i) ? dflt :
	    col_int(st, i);
}

static const char *
column_text_or_null(struct stmt *st, int i)
{
	return col_text(st, i);
}

static SB_MUST enum sb_err
read_people(struct store *s, int64_t client, struct history *h)
{
	struct hist_person	 p;
	struct buf		 name, note, role, gender;
	const char		*text;
	struct stmt		*st;
	bool			 row;
	enum sb_err		 e = SB_OK;
	char			 err[256];

	if ((st = stmt(s, "SELECT id, name, role, gender, birth_year, "
	    "death_year, note FROM people WHERE client_id = ? ORDER BY id")) ==
	    NULL)
		return fail_db(s, "reading people");
	bind_int64(st, 1, client);
	buf_init(&name, STORE_MAX_FIELD + 64);
	buf_init(&note, STORE_MAX_TEXT + 64);
	buf_init(&role, STORE_MAX_FIELD + 64);
	buf_init(&gender, STORE_MAX_FIELD + 64);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading people")) ==
	    SB_OK && row) {
		memset(&p, 0, sizeof(p));
		p.id = col_int64(st, 0);
		buf_reset(&name);
		buf_reset(&note);
		if ((e = column_opened(s, st, 1, "people", "name", p.id,
		    &name)) != SB_OK || (e = column_opened(s, st, 6, "people",
		    "note", p.id, &note)) != SB_OK)
			break;
		p.name = name.data;
		p.note = note.len ? note.data : NULL;
		if ((e = column_opened_null(s, st, 2, "people", "role", p.id,
		    &role, &text)) != SB_OK)
			break;
		p.role = (char *)text;
		if ((e = column_opened_null(s, st, 3, "people", "gender", p.id,
		    &gender, &text)) != SB_OK)
			break;
		p.gender = (char *)text;
		p.born = column_int_or(st, 4, 0);
		p.died = column_int_or(st, 5, 0);
		if (history_add_person(h, &p, err, sizeof(err)) != SB_OK)
			e = fail(s, SB_EINVAL, "person %lld: %s",
			    (long long)p.id, err);
	}
	st_reset(st);
	buf_wipe(&name);
	buf_wipe(&note);
	buf_wipe(&role);
	buf_wipe(&gender);
	return e;
}

static SB_MUST enum sb_err
read_ties(struct store *s, int64_t client, struct history *h)
{
	struct hist_tie	 t;
	struct buf	 note;
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e = SB_OK;
	char		 err[256];

	if ((st = stmt(s, "SELECT id, a_id, b_id, type, start_date, end_date, "
	    "note FROM relationships WHERE client_id = ? ORDER BY id")) == NULL)
		return fail_db(s, "reading relationships");
	bind_int64(st, 1, client);
	buf_init(&note, STORE_MAX_TEXT + 64);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading ties")) ==
	    SB_OK && row) {
		memset(&t, 0, sizeof(t));
		t.id = col_int64(st, 0);
		t.a = col_int64(st, 1);
		t.b = col_int64(st, 2);
		snprintf(t.type, sizeof(t.type), "%s",
		    col_text(st, 3));
		t.start = (char *)column_text_or_null(st, 4);
		t.end = (char *)column_text_or_null(st, 5);
		buf_reset(&note);
		if ((e = column_opened(s, st, 6, "relationships", "note", t.id,
		    &note)) != SB_OK)
			break;
		t.note = note.len ? note.data : NULL;
		if (history_add_tie(h, &t, err, sizeof(err)) != SB_OK)
			e = fail(s, SB_EINVAL, "relationship %lld: %s",
			    (long long)t.id, err);
	}
	st_reset(st);
	buf_wipe(&note);
	return e;
}

static SB_MUST enum sb_err
read_events(struct store *s, int64_t client, struct history *h)
{
	struct hist_event	 ev;
	struct buf		 note;
	struct stmt		*st;
	bool			 row;
	enum sb_err		 e = SB_OK;
	char			 err[256];

	if ((st = stmt(s, "SELECT id, category, date, age, valence, "
	    "intensity, note, end_date, end_age FROM events WHERE client_id = "
	    "? ORDER BY coalesce(date, ''), age NULLS FIRST, id")) == NULL)
		return fail_db(s, "reading life events");
	bind_int64(st, 1, client);
	buf_init(&note, STORE_MAX_TEXT + 64);
	while (e == SB_OK && (e = step_row(s, st, &row, "reading life "
	    "events")) == SB_OK && row) {
		memset(&ev, 0, sizeof(ev));
		ev.id = col_int64(st, 0);
		snprintf(ev.category, sizeof(ev.category), "%s",
		    col_text(st, 1));
		ev.date = (char *)column_text_or_null(st, 2);
		ev.age = column_int_or(st, 3, -1);
		ev.valence = col_int(st, 4);
		ev.intensity = col_int(st, 5);
		ev.end_date = (char *)column_text_or_null(st, 7);
		ev.end_age = column_int_or(st, 8, -1);
		buf_reset(&note);
		if ((e = column_opened(s, st, 6, "events", "note", ev.id,
		    &note)) != SB_OK)
			break;
		ev.note = note.len ? note.data : NULL;
		if (history_add_event(h, &ev, err, sizeof(err)) != SB_OK)
			e = fail(s, SB_EINVAL, "event %lld: %s",
			    (long long)ev.id, err);
	}
	st_reset(st);
	buf_wipe(&note);
	return e;
}

/* Each figure's ECR-RS, oldest administration first: the latest wins. */
static SB_MUST enum sb_err
read_ecr(struct store *s, int64_t client, struct history *h)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT target, scores FROM live_administrations "
	    "WHERE client_id = ? AND instrument = 'ecr-rs' ORDER BY "
	    "completed NULLS FIRST, id")) == NULL)
		return fail_db(s, "reading ECR-RS scores");
	bind_int64(st, 1, client);
	while ((e = step_row(s, st, &row, "reading ECR-RS scores")) == SB_OK &&
	    row)
		history_apply_ecr(h, column_text_or_null(st, 0),
		    column_text_or_null(st, 1));
	st_reset(st);
	return e;
}

enum sb_err
store_history_read(struct store *s, int64_t client, struct history *h)
{
	enum sb_err	 e;

	history_init(h);
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* Rows moved in from another client, or put in, are refused. */
	if ((e = rows_check_of(s, RT_PEOPLE, client)) == SB_OK &&
	    (e = rows_check_of(s, RT_RELATIONSHIPS, client)) == SB_OK &&
	    (e = rows_check_of(s, RT_EVENTS, client)) == SB_OK &&
	    (e = read_people(s, client, h)) == SB_OK &&
	    (e = read_ties(s, client, h)) == SB_OK &&
	    (e = read_events(s, client, h)) == SB_OK &&
	    (e = read_ecr(s, client, h)) == SB_OK)
		e = audit_append(s, "read", "client", client, "history");
	if (e != SB_OK)
		history_free(h);
	return txn_end(s, e);
}

/* Deletes the client's history rows (secure_delete overwrites them). */
static SB_MUST enum sb_err
clear_history(struct store *s, int64_t client)
{
	static const char *const sql[] = {
		"DELETE FROM relationships WHERE client_id = ?",
		"DELETE FROM events WHERE client_id = ?",
		"DELETE FROM people WHERE client_id = ?",
	};
	struct stmt	*st;
	size_t		 i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((st = stmt(s, sql[i])) == NULL)
			return fail_db(s, "clearing the history");
		bind_int64(st, 1, client);
		if (st_step(st) != BE_DONE)
			return fail_db(s, "clearing the history");
	}
	return SB_OK;
}

/* The store id given to file id, from the mapping built while adding. */
static int64_t
mapped(const int64_t *from, const int64_t *to, size_t n, int64_t id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (from[i] == id)
			return to[i];
	return 0;
}

enum sb_err
store_history_replace(struct store *s, int64_t client,
    const struct history *h)
{
	int64_t		*from = NULL, *to = NULL, id;
	size_t		 i;
	enum sb_err	 e;
	char		 detail[96];

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((from = calloc(h->npeople + 1, sizeof(*from))) == NULL ||
	    (to = calloc(h->npeople + 1, sizeof(*to))) == NULL) {
		free(from);
		return fail(s, SB_ENOMEM, "out of memory");
	}
	if ((e = txn_begin(s)) != SB_OK)
		goto out;
	e = clear_history(s, client);
	for (i = 0; e == SB_OK && i < h->npeople; i++) {
		const struct hist_person *p = &h->people[i];
		struct store_person sp = { p->name, p->role, p->gender,
		    p->born, p->died, p->note };

		from[i] = p->id;
		e = store_person_add(s, client, &sp, &to[i]);
	}
	for (i = 0; e == SB_OK && i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];
		struct store_relationship r = { mapped(from, to, h->npeople,
		    t->a), mapped(from, to, h->npeople, t->b), t->type,
		    t->start, t->end, t->note };

		e = store_relationship_add(s, client, &r, &id);
	}
	for (i = 0; e == SB_OK && i < h->nevents; i++) {
		const struct hist_event *v = &h->events[i];
		struct store_event ev = { v->category, v->date, v->age,
		    v->valence, v->intensity, v->note, v->end_date,
		    v->end_age };

		e = store_event_add(s, client, &ev, &id);
	}
	if (e == SB_OK) {
		snprintf(detail, sizeof(detail), "history: %zu people, %zu "
		    "ties, %zu events", h->npeople, h->nties, h->nevents);
		e = audit_append(s, "import", "client", client, detail);
	}
	e = txn_end(s, e);
out:
	free(from);
	free(to);
	return e;
}

enum sb_err
store_history_remove(struct store *s, int64_t client, const char *what,
    int64_t id)
{
	static const struct {
		const char	*what, *sql;
	} kinds[] = {
		{ "person", "DELETE FROM people WHERE id = ? AND client_id = ?" },
		{ "relationship", "DELETE FROM relationships WHERE id = ? AND "
		    "client_id = ?" },
		{ "event", "DELETE FROM events WHERE id = ? AND client_id = ?" },
	};
	struct stmt	*st;
	size_t		 k;
	enum sb_err	 e;

	for (k = 0; k < 3 && strcmp(kinds[k].what, what) != 0; k++)
		;
	if (k == 3)
		return fail(s, SB_EINVAL, "one removes a person, a relationship "
		    "or an event");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* A person's ties go with them. */
	if (k == 0) {
		if ((st = stmt(s, "DELETE FROM relationships WHERE client_id = "
		    "? AND (a_id = ? OR b_id = ?)")) == NULL)
			return txn_end(s, fail_db(s, "removing ties"));
		bind_int64(st, 1, client);
		bind_int64(st, 2, id);
		bind_int64(st, 3, id);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "removing ties"));
	}
	if ((st = stmt(s, kinds[k].sql)) == NULL)
		return txn_end(s, fail_db(s, "removing"));
	bind_int64(st, 1, id);
	bind_int64(st, 2, client);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "removing"));
	if (db_changes(s) == 0)
		return txn_end(s, fail(s, SB_ENOENT, "no %s %lld for this client",
		    what, (long long)id));
	return txn_end(s, audit_append(s, "delete", what, id, ""));
}

enum sb_err
store_snapshot_add(struct store *s, int64_t client, const char *label,
    int64_t *id)
{
	struct history	 h;
	struct buf	 json;
	struct stmt	*st;
	char		 at[32], clean[STORE_MAX_FIELD + 1];
	enum sb_err	 e;

	if ((e = name_check(s, "a snapshot's label (\"at intake\")", label,
	    true, clean, &label)) != SB_OK)
		return e;
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = store_history_read(s, client, &h)) != SB_OK)
		return txn_end(s, e);
	buf_init(&json, 64 * 1024 * 1024);
	e = history_to_json(&h, &json);
	history_free(&h);
	if (e == SB_OK)
		e = next_id(s, "SELECT coalesce(max(id), 0) FROM "
		    "history_snapshots", id);
	now_iso(at);
	if (e == SB_OK && (st = stmt(s, "INSERT INTO history_snapshots (id, "
	    "client_id, label, taken, body) VALUES (?, ?, ?, ?, ?)")) == NULL)
		e = fail_db(s, "keeping the snapshot");
	if (e == SB_OK) {
		bind_int64(st, 1, *id);
		bind_int64(st, 2, client);
		bind_text(st, 4, at);
		if ((e = bind_sealed(s, st, 3, "history_snapshots", "label",
		    *id, label)) == SB_OK)
			e = bind_sealed(s, st, 5, "history_snapshots", "body",
			    *id, json.data);
	}
	if (e == SB_OK && st_step(st) != BE_DONE)
		e = fail_db(s, "keeping the snapshot");
	if (e == SB_OK)
		e = rows_seal(s, RT_SNAPSHOTS, *id, 0);
	buf_wipe(&json);
	if (e == SB_OK)
		e = audit_append(s, "create", "snapshot", *id, "");
	return txn_end(s, e);
}

enum sb_err
store_snapshot_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_snapshot_row *), void *arg)
{
	struct store_snapshot_row	 r;
	struct stmt			*st;
	struct buf			 label;
	int				 rc;
	enum sb_err			 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check_of(s, RT_SNAPSHOTS, client)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT id, taken, label FROM history_snapshots "
	    "WHERE client_id = ? ORDER BY id")) == NULL)
		return txn_end(s, fail_db(s, "listing snapshots"));
	bind_int64(st, 1, client);
	buf_init(&label, STORE_MAX_FIELD + 64);
	while ((rc = st_step(st)) == BE_ROW) {
		r.id = col_int64(st, 0);
		r.taken = col_text(st, 1);
		if ((e = column_opened(s, st, 2, "history_snapshots", "label",
		    r.id, &label)) != SB_OK)
			break;
		r.label = label.data != NULL ? label.data : "";
		if ((e = fn(arg, &r)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing snapshots");
	st_reset(st);
	buf_wipe(&label);
	return txn_end(s, e);
}

enum sb_err
store_snapshot_read(struct store *s, int64_t client, int64_t id,
    struct history *h, char *label, size_t labelsz)
{
	bool		 row;
	struct buf	 json;
	struct stmt	*st;
	char		 err[256];
	enum sb_err	 e;

	history_init(h);
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check_of(s, RT_SNAPSHOTS, client)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT label, taken, body FROM history_snapshots "
	    "WHERE id = ? AND client_id = ?")) == NULL)
		return txn_end(s, fail_db(s, "reading a snapshot"));
	bind_int64(st, 1, id);
	bind_int64(st, 2, client);
	if ((e = step_row(s, st, &row, "reading a snapshot")) != SB_OK ||
	    !row) {
		st_reset(st);
		if (e != SB_OK)
			return txn_end(s, e);
		return txn_end(s, fail(s, SB_ENOENT, "no snapshot %lld for "
		    "this client", (long long)id));
	}
	buf_init(&json, 64 * 1024 * 1024);
	if ((e = column_opened(s, st, 0, "history_snapshots", "label", id,
	    &json)) == SB_OK)
		snprintf(label, labelsz, "%s (%.10s)", json.data,
		    col_text(st, 1));
	if (e == SB_OK)
		e = column_opened(s, st, 2, "history_snapshots", "body", id,
		    &json);
	st_reset(st);
	if (e == SB_OK && history_from_json(json.data, json.len, h, err,
	    sizeof(err)) != SB_OK)
		e = fail(s, SB_EINVAL, "snapshot %lld: %s", (long long)id, err);
	buf_wipe(&json);
	if (e == SB_OK)
		e = audit_append(s, "read", "snapshot", id, "");
	return txn_end(s, e);
}

/*
 * A measure's first score in its scores JSON (an object in the
 * definition's order, written by the scoring engine), named after the
 * instrument, and after the score too when it is not the total ("ecr-r
 * anxiety").  False when there is no numeric first score.
 */
static bool
first_score(const char *scores, const char *instrument, char *series,
    size_t n, double *v)
{
	json_t		*o;
	const char	*key;
	void		*it;
	bool		 ok = false;

	if ((o = json_loads(scores, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return false;
	if (json_is_object(o) && (it = json_object_iter(o)) != NULL &&
	    json_is_number(json_object_iter_value(it))) {
		key = json_object_iter_key(it);
		*v = json_number_value(json_object_iter_value(it));
		if (strcmp(key, "total") == 0)
			snprintf(series, n, "%s", instrument);
		else
			snprintf(series, n, "%s %s", instrument, key);
		ok = true;
	}
	json_decref(o);
	return ok;
}

enum sb_err
store_marks_each(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const struct store_mark *), void *arg)
{
	struct store_mark	 m;
	char			 series[160];
	struct stmt		*st;
	int			 rc;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* Sessions attended, and each measure's first score (its total, by
	 * the definitions' order: first_score). */
	if ((st = stmt(s, "SELECT d, series, scores FROM (SELECT date AS d, "
	    "'session' AS series, NULL AS scores FROM sessions WHERE "
	    "client_id = ?1 AND attendance = 'attended' UNION ALL SELECT "
	    "substr(completed, 1, 10), instrument, scores FROM "
	    "live_administrations WHERE client_id = ?1 AND completed IS NOT "
	    "NULL AND scores IS NOT NULL) t ORDER BY d")) == NULL)
		return txn_end(s, fail_db(s, "reading sessions and measures"));
	bind_int64(st, 1, client);
	e = SB_OK;
	while ((rc = st_step(st)) == BE_ROW) {
		m.date = col_text(st, 0);
		m.series = col_text(st, 1);
		m.value = 0;
		if (m.date == NULL || m.series == NULL)
			continue;
		if (!col_null(st, 2)) {
			if (!first_score(col_text(st, 2), m.series, series,
			    sizeof(series), &m.value))
				continue;
			m.series = series;
		}
		if ((e = fn(arg, &m)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading sessions and measures");
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client,
	    "sessions and measures"));
}

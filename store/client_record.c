/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * client_record.c - one client's whole record, section by section, and
 * the dated time line of their therapy.  See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/store_int.h"

/*
 * One section of the record: each row's columns handed out separately
 * (NULL for NULL), sealed ones opened; the first column is the id.
 */
static SB_MUST enum sb_err
record_section(struct store *s, int64_t client, enum store_section sec,
    const char *sql, const char *table, unsigned sealed,
    enum sb_err (*fn)(void *, const struct store_record_row *), void *arg)
{
	struct store_record_row	 r;
	struct stmt		*st;
	struct buf		 clear[STORE_RECORD_COLUMNS];
	size_t			 i;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading the record");
	bind_int64(st, 1, client);
	for (i = 0; i < STORE_RECORD_COLUMNS; i++)
		buf_init(&clear[i], STORE_MAX_TEXT + 64);
	memset(&r, 0, sizeof(r));
	r.section = sec;
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW) {
		/* Known once a row is there (PostgreSQL runs the statement
		 * at its first step). */
		r.n = (size_t)st->be->drv->column_count(st->h) - 1;
		if (r.n > STORE_RECORD_COLUMNS)
			r.n = STORE_RECORD_COLUMNS;
		r.id = col_int64(st, 0);
		for (i = 0; i < r.n && e == SB_OK; i++) {
			r.column[i] = st->be->drv->column_name(st->h,
			    (int)i + 1);
			r.value[i] = NULL;
			if (sealed & (1u << (i + 1))) {
				/* The column's own name is the one it was
				 * sealed under. */
				e = column_opened_null(s, st, (int)i + 1, table,
				    r.column[i], r.id, &clear[i], &r.value[i]);
			} else if (!col_null(st, (int)i + 1))
				r.value[i] = col_text(
				    st, (int)i + 1);
		}
		if (e == SB_OK)
			e = fn(arg, &r);
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the record");
	st_reset(st);
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
		    "coalesce(date, ''), age NULLS FIRST, id", "events", S(6) },
		{ STORE_SEC_SESSIONS, "SELECT id, date, attendance, note FROM "
		    "sessions WHERE client_id = ? ORDER BY date, id",
		    "sessions", S(3) },
		{ STORE_SEC_NOTES, "SELECT id, created, text FROM notes WHERE "
		    "client_id = ? ORDER BY id", "notes", S(2) },
		{ STORE_SEC_ADMINISTRATIONS, "SELECT id, completed, "
		    "instrument, instrument_version, mode, scores FROM "
		    "live_administrations WHERE client_id = ? ORDER BY "
		    "completed NULLS FIRST, id", NULL, 0 },
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
	struct stmt		*st;
	struct buf		 name;
	struct buf		 shown;
	size_t			 i;
	int			 rc;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* A note moved in from another client, an answer or an alert
	 * edited from outside: the record is not shown as genuine. */
	if ((e = rows_check_client(s, client)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "SELECT c.name, u.name, c.created, u.display, u.id "
	    "FROM clients c JOIN users u ON u.id = c.owner_id WHERE c.id = ?"))
	    == NULL)
		return txn_end(s, fail_db(s, "reading the client"));
	bind_int64(st, 1, client);
	buf_init(&name, STORE_MAX_FIELD + 64);
	buf_init(&shown, STORE_MAX_DISPLAY + 64);
	if ((rc = st_step(st)) != BE_ROW)
		e = rc == BE_DONE ? fail(s, SB_ENOENT, "no client %lld",
		    (long long)client) : fail_db(s, "reading the client");
	else if ((e = column_opened(s, st, 0, "clients", "name", client,
	    &name)) == SB_OK && head != NULL) {
		h.id = client;
		h.name = name.data;
		h.therapist = col_text(st, 1);
		h.since = col_text(st, 2);
		if ((e = column_opened_null(s, st, 3, "users", "display",
		    col_int64(st, 4), &shown, &h.therapist_shown)) == SB_OK)
			e = head(arg, &h);
	}
	st_reset(st);
	buf_wipe(&name);
	buf_free(&shown);
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
	struct stmt			*st;
	int				 rc;
	enum sb_err			 e = SB_OK;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* The kind as a number that sorts sessions, measures, events. */
	if ((st = stmt(s, "SELECT d, kind, what, valence FROM ("
	    "SELECT date AS d, 0 AS kind, attendance AS what, CAST(NULL AS "
	    "INTEGER) AS valence FROM sessions WHERE client_id = ?1 UNION ALL "
	    "SELECT substr(completed, 1, 10), 1, instrument, NULL FROM "
	    "live_administrations WHERE client_id = ?1 AND completed IS NOT "
	    "NULL UNION ALL SELECT date, 2, category, valence FROM events "
	    "WHERE client_id = ?1 AND date IS NOT NULL) t ORDER BY d, kind")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading the timeline"));
	bind_int64(st, 1, client);
	while ((rc = st_step(st)) == BE_ROW) {
		r.date = col_text(st, 0);
		r.kind = (enum store_timeline_kind)col_int(st, 1);
		r.what = col_text(st, 2);
		r.valence = col_int(st, 3);
		if (r.date == NULL || r.what == NULL)
			continue;
		if ((e = fn(arg, &r)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the timeline");
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client,
	    "timeline"));
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * migrate.c - a practice moved from one database to another, of either
 * engine (`securebase migrate --from SRC --to DEST`).  See store.h.
 *
 * The copy goes row by row through the backend table, every column by
 * name, in one read snapshot of the source and one transaction on the
 * target, so that the target holds all of the practice or nothing.  Ids,
 * ciphertexts and audit rows are copied as they are: a sealed field is
 * bound to its table, column and id, and the chain to its rows, so the
 * same key opens and verifies the copy.  The target gets its schema from
 * its own engine's migrations first; then the row counts of every table
 * and the audit trail (every hash, and the head) are checked on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/store_int.h"

/* Every table of the practice, parents before the rows that name them. */
static const char *const tables[] = {
	"meta", "users", "clients", "client_shares", "cases", "case_members",
	"people", "relationships", "events", "episodes", "sessions", "notes",
	"imports", "administrations", "links", "alerts", "alert_events",
	"consents", "narratives", "narrative_drafts", "narrative_prompts",
	"licence_permissions", "audit", "audit_head", "web_sessions",
	"login_failures", "history_snapshots", "settings", "plans", "plan_sends",
	"outbox", "latest", "progress_links", "progress_measures",
	"import_sources", "row_seals", "responses_seen", "kiosk_queue",
};
#define NTABLES	(sizeof(tables) / sizeof(tables[0]))
#define MAX_COLUMNS	32

/* The INSERT for table's columns as the source names them. */
static SB_MUST enum sb_err
insert_sql(struct store *src, struct stmt *st, const char *table,
    struct buf *sql)
{
	int	 i, n = src->be->drv->column_count(st->h);

	if (n < 1 || n > MAX_COLUMNS)
		return fail(src, SB_EINVAL, "%s: %d columns", table, n);
	buf_reset(sql);
	buf_printf(sql, "INSERT INTO %s (", table);
	for (i = 0; i < n; i++)
		buf_printf(sql, "%s%s", i ? ", " : "",
		    src->be->drv->column_name(st->h, i));
	buf_printf(sql, ") VALUES (");
	for (i = 0; i < n; i++)
		buf_printf(sql, "%s?", i ? ", " : "");
	buf_printf(sql, ")");
	return sql->data == NULL ? fail(src, SB_ENOMEM, "out of memory") :
	    SB_OK;
}

/* The current row of from, bound to to by each value's own type (meta's
 * values are bytes on every engine, where SQLite may hold text). */
static void
bind_row(struct stmt *from, struct stmt *to, bool meta)
{
	int	 i, n = from->be->drv->column_count(from->h);
	bool	 bytes;

	for (i = 0; i < n; i++) {
		bytes = meta && strcmp(from->be->drv->column_name(from->h, i),
		    "value") == 0;
		switch (from->be->drv->column_type(from->h, i)) {
		case BE_T_NULL:
			bind_null(to, i + 1);
			break;
		case BE_T_INT:
			bind_int64(to, i + 1, col_int64(from, i));
			break;
		case BE_T_BLOB:
			bind_blob_ref(to, i + 1, col_blob(from, i),
			    col_bytes(from, i));
			break;
		default:
			if (bytes)
				bind_blob_ref(to, i + 1, col_text(from, i),
				    col_bytes(from, i));
			else
				bind_text_ref(to, i + 1, col_text(from, i));
			break;
		}
	}
}

/* Copies table from src to dst (in dst's transaction): *rows out. */
static SB_MUST enum sb_err
copy_table(struct store *src, struct store *dst, const char *table,
    int64_t *rows)
{
	struct stmt	*from = NULL, *to = NULL;
	struct buf	 sql;
	char		 q[128];
	enum be_rc	 rc;
	enum sb_err	 e = SB_OK;

	*rows = 0;
	buf_init(&sql, 1 << 16);
	/* In id order where there is one, so that a copy reads the same. */
	snprintf(q, sizeof(q), "SELECT * FROM %s", table);
	if (st_prepare(src, q, &from) != BE_OK) {
		e = fail_db(src, table);
		goto out;
	}
	while ((rc = st_step(from)) == BE_ROW) {
		if (to == NULL) {
			if ((e = insert_sql(src, from, table, &sql)) != SB_OK)
				goto out;
			if (st_prepare(dst, sql.data, &to) != BE_OK) {
				e = fail_db(dst, table);
				goto out;
			}
		}
		bind_row(from, to, strcmp(table, "meta") == 0);
		if (st_step(to) != BE_DONE) {
			e = fail_db(dst, table);
			goto out;
		}
		st_reset(to);
		dst->be->drv->reset(to->h, true);
		(*rows)++;
	}
	if (rc != BE_DONE)
		e = fail_db(src, table);
out:
	st_finalize(from);
	st_finalize(to);
	buf_free(&sql);
	return e;
}

static int64_t
count_of(struct store *s, const char *table)
{
	struct stmt	*st;
	char		 q[128];
	int64_t		 n = -1;

	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	if (st_prepare(s, q, &st) != BE_OK)
		return -1;
	if (st_step(st) == BE_ROW)
		n = col_int64(st, 0);
	st_finalize(st);
	return n;
}

/* Everything of src into the empty dst, in one transaction of dst's. */
static SB_MUST enum sb_err
copy_all(struct store *src, struct store *dst, struct store_migrate_report *r)
{
	size_t		 i;
	enum sb_err	 e;

	if (db_exec(src, src->be->sql->begin_read) != BE_OK)
		return fail_db(src, "starting a snapshot of the source");
	if ((e = txn_begin(dst)) != SB_OK)
		goto out;
	for (i = 0; i < NTABLES && e == SB_OK; i++)
		e = copy_table(src, dst, tables[i], &r->rows[i]);
	/* Ids the target's engine hands out go on after the copied ones. */
	if (e == SB_OK && dst->be->sql->settle != NULL &&
	    db_exec(dst, dst->be->sql->settle) != BE_OK)
		e = fail_db(dst, "setting the next ids");
	if (e != SB_OK && e != SB_ENOMEM && dst->err[0] == '\0')
		snprintf(dst->err, sizeof(dst->err), "%s", src->err);
	e = txn_end(dst, e);
out:
	(void)db_exec(src, "COMMIT");
	return e;
}

enum sb_err
store_migrate(const char *from, const char *to, const struct store_key *key,
    struct store_migrate_report *r, char *err, size_t errsz)
{
	struct store		*src = NULL, *dst = NULL;
	struct store_lock	*lk_from = NULL, *lk_to = NULL;
	struct audit_report	 a;
	size_t			 i;
	int64_t			 n;
	enum sb_err		 e;

	memset(r, 0, sizeof(*r));
	r->ntables = NTABLES;
	r->table = tables;
	/* A server's database is copied or filled with no node serving it
	 * (its guard, store/lock.c): a write meanwhile would be left out of
	 * the copy.  A file is read as it is, and made new. */
	if (!store_is_file(from) && (e = store_lock_take(from, "migrate",
	    &lk_from, err, errsz)) != SB_OK)
		return e;
	if (!store_is_file(to) && (e = store_lock_take(to, "migrate", &lk_to,
	    err, errsz)) != SB_OK) {
		store_lock_drop(lk_from);
		return e;
	}
	if ((e = store_open_readonly(from, key, &src, err, errsz)) != SB_OK) {
		store_lock_drop(lk_to);
		store_lock_drop(lk_from);
		return e;
	}
	/* A broken trail is not carried over as if it were whole. */
	if ((e = audit_verify(src, &a)) != SB_OK || !a.intact) {
		snprintf(err, errsz, "the source's audit trail does not verify "
		    "(%s); nothing was copied", e != SB_OK ? src->err : a.what);
		e = e != SB_OK ? e : SB_EINVAL;
		goto out;
	}
	r->audit_rows = a.rows;
	if ((e = store_create_empty(to, &dst, err, errsz)) != SB_OK)
		goto out;
	if ((e = copy_all(src, dst, r)) != SB_OK) {
		snprintf(err, errsz, "copying: %s", dst->err);
		goto bad;
	}
	store_close(dst);
	dst = NULL;
	/* Checked as a user of the copy would find it. */
	if ((e = store_open(to, key, &dst, err, errsz)) != SB_OK)
		goto bad;
	for (i = 0; i < NTABLES; i++)
		if ((n = count_of(dst, tables[i])) != r->rows[i]) {
			snprintf(err, errsz, "%s: %lld rows copied, %lld in the "
			    "target", tables[i], (long long)r->rows[i],
			    (long long)n);
			e = SB_EIO;
			goto bad;
		}
	if ((e = audit_verify(dst, &a)) != SB_OK || !a.intact ||
	    a.rows != r->audit_rows) {
		snprintf(err, errsz, "the copy's audit trail does not verify: "
		    "%s", e != SB_OK ? dst->err : a.intact ? "rows missing" :
		    a.what);
		e = e != SB_OK ? e : SB_EIO;
		goto bad;
	}
	goto out;
bad:
	store_close(dst);
	dst = NULL;
	/* Nothing half-made is left: the target is as it was, empty. */
	backend_for(to)->fs->remove(to);
out:
	store_close(dst);
	store_close(src);
	store_lock_drop(lk_to);
	store_lock_drop(lk_from);
	return e;
}

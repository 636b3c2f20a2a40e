/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * schema.c - applying the schema's forward-only migrations, whatever the
 * backend: its list (sqlite_schema.c for SQLite) in its own DDL, and here
 * what every backend's migrations share: the record of versions, the
 * code a migration runs beyond its SQL, and the rebuild of latest.
 *
 * A database records every migration applied in schema_version.  A new
 * database gets them all; an older one gets the missing ones in order,
 * each in its own transaction, only by store_upgrade() (`securebase
 * upgrade`, after a verified backup): opening never migrates.  A
 * migration is never edited once released: fixes are new migrations.
 * tests/test_store.c migrates from every earlier version; tests/ops/
 * upgrades a practice made by the previous release.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store_int.h"


/* The columns migration 12 seals: table, column. */
static const char *const described[][2] = {
	{ "people", "role" }, { "people", "gender" },
	{ "history_snapshots", "label" }, { "consents", "kind" },
	{ "alerts", "detail" },
};

/* Seals one column's clear text into its twin, row by row. */
static SB_MUST enum sb_err
seal_column(struct store *s, const char *table, const char *column)
{
	struct stmt	*rd = NULL, *wr = NULL;
	char		 sql[160];
	struct buf	 b;
	int64_t		 id;
	enum sb_err	 e = SB_OK;
	int		 rc;

	buf_init(&b, SEAL_MAX + 64);
	snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s WHERE %s IS NOT "
	    "NULL", column, table, column);
	if (st_prepare(s, sql, &rd) != BE_OK) {
		e = fail_db(s, "sealing existing rows");
		goto out;
	}
	snprintf(sql, sizeof(sql), "UPDATE %s SET %s_sealed = ? WHERE id = ?",
	    table, column);
	if (st_prepare(s, sql, &wr) != BE_OK) {
		e = fail_db(s, "sealing existing rows");
		goto out;
	}
	while ((rc = st_step(rd)) == BE_ROW) {
		id = col_int64(rd, 0);
		if (s->keys == NULL) {
			e = fail(s, SB_EINVAL, "migration 12 seals rows: it "
			    "needs the practice key");
			goto out;
		}
		buf_reset(&b);
		if ((e = field_seal(s->keys, table, column, id,
		    col_text(rd, 1), col_bytes(rd,
		    1), &b)) != SB_OK) {
			e = fail(s, e, "cannot seal %s.%s of row %lld", table,
			    column, (long long)id);
			goto out;
		}
		bind_blob(wr, 1, b.data, b.len);
		bind_int64(wr, 2, id);
		if (st_step(wr) != BE_DONE) {
			e = fail_db(s, "sealing existing rows");
			goto out;
		}
		st_reset(wr);
	}
	if (rc != BE_DONE)
		e = fail_db(s, "sealing existing rows");
out:
	st_finalize(rd);
	st_finalize(wr);
	buf_wipe(&b);
	return e;
}

enum sb_err
schema_seal_described(struct store *s)
{
	char		 sql[200];
	size_t		 i;
	enum sb_err	 e;

	for (i = 0; i < sizeof(described) / sizeof(described[0]); i++) {
		if ((e = seal_column(s, described[i][0], described[i][1])) !=
		    SB_OK)
			return e;
		/* DROP COLUMN rewrites the table: no statement of ours may
		 * be running on it. */
		stmt_reset_all(s);
		snprintf(sql, sizeof(sql), "ALTER TABLE %s DROP COLUMN %s; "
		    "ALTER TABLE %s RENAME COLUMN %s_sealed TO %s",
		    described[i][0], described[i][1], described[i][0],
		    described[i][1], described[i][1]);
		if (db_exec(s, sql) != BE_OK)
			return fail_db(s, "migration 12");
	}
	return SB_OK;
}


/* One client's rows of latest, built anew (in the caller's
 * transaction). */
static SB_MUST enum sb_err
latest_rebuild_client(struct store *s, int64_t client)
{
	struct stmt	*st;
	size_t		 i;
	static const char *const sql[] = {
		"DELETE FROM latest WHERE client_id = ?1",
		LATEST_FILL("live_administrations", " WHERE client_id = ?1"),
	};

	for (i = 0; i < 2; i++) {
		if ((st = stmt(s, sql[i])) == NULL)
			return fail_db(s, "rebuilding the latest scores");
		bind_int64(st, 1, client);
		if (st_step(st) != BE_DONE) {
			st_reset(st);
			return fail_db(s, "rebuilding the latest scores");
		}
		st_reset(st);
	}
	return SB_OK;
}

enum sb_err
store_latest_rebuild(struct store *s)
{
	struct stmt	*st;
	int64_t		*ids = NULL, *more;
	size_t		 n = 0, cap = 0, i;
	bool		 own = s->depth == 0;
	int		 rc;
	enum sb_err	 e = SB_OK;

	if (!own) {
		if (db_exec(s, "DELETE FROM latest;"
		    LATEST_FILL("live_administrations", "")) != BE_OK)
			return fail_db(s, "rebuilding the latest scores");
		return SB_OK;
	}
	/* Client by client, so that writers wait one slice at most; each
	 * client's rows are right after each slice. */
	if ((st = stmt(s, "SELECT id FROM clients ORDER BY id")) == NULL)
		return fail_db(s, "listing clients");
	while ((rc = st_step(st)) == BE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if (cap > SIZE_MAX / sizeof(*ids) || (more = realloc(ids,
			    cap * sizeof(*ids))) == NULL) {
				e = fail(s, SB_ENOMEM, "out of memory");
				break;
			}
			ids = more;
		}
		ids[n++] = col_int64(st, 0);
	}
	st_reset(st);
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing clients");
	if (e == SB_OK && (e = store_slices_begin(s)) == SB_OK) {
		/* Clients deleted meanwhile have no rows to build. */
		for (i = 0; e == SB_OK && i < n; i++)
			if ((e = latest_rebuild_client(s, ids[i])) == SB_OK)
				e = store_slices_step(s);
		e = store_slices_end(s, e);
	}
	free(ids);
	return e;
}

int
schema_latest(const struct store_backend *be)
{
	int	 n = 0;

	while (be->sql->migrations[n] != NULL)
		n++;
	return n;
}

/* The rows fk_check finds referring to one that is not there, into *n:
 * a rebuild must not add to them (a database may hold some from before
 * its foreign keys were on, or a test's own). */
static SB_MUST enum sb_err
broken_references(struct store *s, size_t *n)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*n = 0;
	if ((st = stmt(s, s->be->sql->fk_check)) == NULL)
		return fail_db(s, "checking the references");
	while ((e = step_row(s, st, &row, "checking the references")) ==
	    SB_OK && row)
		(*n)++;
	st_reset(st);
	return e;
}

/*
 * The next migration towards to, in its own transaction (*done: none was
 * left to run).  The version is read again under the write lock: another
 * node may have migrated while this one waited for it.
 */
static SB_MUST enum sb_err
migrate_next(struct store *s, int to, int latest, bool *done)
{
	struct stmt	*st;
	char		 at[32];
	size_t		 before = 0, after = 0;
	bool		 rebuild;
	int		 v;
	enum sb_err	 e;

	*done = false;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	v = store_schema_version(s);
	if (v < 0)
		return txn_end(s, fail_db(s, "reading the schema version"));
	if (v > latest)
		return txn_end(s, fail(s, SB_EINVAL, "the database has schema "
		    "version %d; this securebase knows up to %d: use a newer "
		    "securebase", v, latest));
	if (v >= to) {
		*done = true;
		return txn_end(s, SB_OK);
	}
	rebuild = v + 1 == s->be->sql->rebuild_migration;
	if (rebuild && (e = broken_references(s, &before)) != SB_OK)
		return txn_end(s, e);
	if (db_exec(s, s->be->sql->migrations[v]) != BE_OK) {
		snprintf(at, sizeof(at), "migration %d", v + 1);
		return txn_end(s, fail_db(s, at));
	}
	if ((size_t)v < s->be->sql->nmigration_code &&
	    s->be->sql->migration_code[v] != NULL &&
	    (e = s->be->sql->migration_code[v](s)) != SB_OK)
		return txn_end(s, e);
	if (rebuild && (e = broken_references(s, &after)) != SB_OK)
		return txn_end(s, e);
	if (rebuild && after > before)
		return txn_end(s, fail(s, SB_EINVAL, "migration %d would leave "
		    "%zu references broken; nothing was changed", v + 1,
		    after - before));
	/* Code that is the same on every engine: the rows are read and
	 * written through the store. */
	if ((v == ROWS_MIGRATION - 1 || v == ROWS_MIGRATION_LINKS - 1) &&
	    (e = rows_seal_all(s, v + 1)) != SB_OK)
		return txn_end(s, e);
	if (v == ADDR_MIGRATION - 1 && (e = addresses_seal_all(s)) != SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO schema_version (version, applied) "
	    "VALUES (?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "recording a migration"));
	bind_int64(st, 1, v + 1);
	bind_text(st, 2, at);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "recording a migration"));
	return txn_end(s, SB_OK);
}

enum sb_err
schema_migrate(struct store *s, int to)
{
	int		 v, latest = schema_latest(s->be);
	bool		 done = false, rebuild;
	enum sb_err	 e = SB_OK;

	if (db_exec(s, s->be->sql->version_table) != BE_OK)
		return fail_db(s, "creating schema_version");
	/* Up to date: nothing to lock (every open looks, and must not wait
	 * for another writer to see that). */
	if ((v = store_schema_version(s)) >= to && v <= latest)
		return SB_OK;
	while (e == SB_OK && !done) {
		/* A migration that rebuilds a table others refer to runs
		 * with the foreign keys off, which SQLite sets only outside
		 * a transaction; they are on again whatever happens. */
		rebuild = s->be->sql->rebuild_migration != 0 &&
		    store_schema_version(s) + 1 ==
		    s->be->sql->rebuild_migration;
		if (rebuild && db_exec(s, s->be->sql->fk_off) != BE_OK)
			return fail_db(s, "turning foreign keys off");
		e = migrate_next(s, to, latest, &done);
		if (rebuild && db_exec(s, s->be->sql->fk_on) != BE_OK &&
		    e == SB_OK)
			e = fail_db(s, "turning foreign keys on");
	}
	return e;
}

int
store_schema_latest(void)
{
	return schema_latest(&sqlite_backend);
}

int
store_schema_expected(const struct store *s)
{
	return schema_latest(s->be);
}

int
store_schema_version(struct store *s)
{
	struct stmt	*st;
	int		 v = -1;

	if (st_prepare(s, "SELECT coalesce(max(version), 0) "
	    "FROM schema_version", &st) != BE_OK)
		return -1;
	if (st_step(st) == BE_ROW)
		v = col_int(st, 0);
	st_finalize(st);
	return v;
}

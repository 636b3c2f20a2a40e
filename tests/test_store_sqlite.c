/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store_sqlite.c - what the practice store does with SQLite's own
 * files and settings: WAL, FULL sync, foreign keys, secure delete and
 * defensive mode; practices from before the application id and from
 * before sealed descriptions (migrations 1-12, SQLite's history); and
 * backups and restores of the file.  The engine-neutral store tests are
 * test_store.c; PostgreSQL's backups are tests/pg.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/backup.h"
#include "store/sqlite.h"
#include "store/store_int.h"
#include "store_fixture.h"

/*
 * A bare store over a new SQLite file at path: no key, no migrations, as
 * the migration tests build an old practice by hand.
 */
static void
raw_open(struct store *s, const char *path)
{
	char	 err[256];
	int	 fd;

	memset(s, 0, sizeof(*s));
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) >= 0);
	close(fd);
	s->be = &sqlite_backend;
	if (sqlite_backend.drv->open(path, BE_WRITE, &s->conn, err,
	    sizeof(err)) !=
	    SB_OK)
		fail_msg("%s", err);
	/* As practices were made before WAL: one file. */
	assert_int_equal(sqlite3_exec(sqlite_handle(s), "PRAGMA journal_mode "
	    "= DELETE", NULL, NULL, NULL), SQLITE_OK);
}

static void
raw_close(struct store *s)
{
	size_t	 i;

	for (i = 0; i < s->ncache; i++)
		st_finalize(s->cache[i].st);
	free(s->cache);
	s->be->drv->close(s->conn);
	keys_free(s->keys);
}


static void
durable_settings_are_on(void **state)
{
	static const struct {
		const char	*pragma, *want;
	} checks[] = {
		{ "PRAGMA journal_mode", "wal" },
		{ "PRAGMA synchronous", "2" },		/* FULL */
		{ "PRAGMA foreign_keys", "1" },
		{ "PRAGMA secure_delete", "1" },
	};
	struct store	*s;
	sqlite3_stmt	*st;
	size_t		 i;
	int		 on = 0;

	(void)state;
	s = fix_open(&fix, NULL);
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(sqlite_handle(s), checks[i].pragma,
		    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal(sqlite3_column_text(st, 0), checks[i].want);
		sqlite3_finalize(st);
	}
	sqlite3_db_config(sqlite_handle(s), SQLITE_DBCONFIG_DEFENSIVE, -1, &on);
	assert_int_equal(on, 1);
	/* The triggers refuse changes to the audit trail. */
	assert_int_not_equal(sqlite3_exec(sqlite_handle(s), "DELETE FROM audit", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(sqlite_handle(s), "UPDATE audit SET user_name "
	    "= 'x'", NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
}

static void
rows_survive_migration_from_version_1(void **state)
{
	struct store	 s;
	struct rows_report rr;
	sqlite3_stmt	*st;
	char		 path[160], err[256];

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/old.db", fix.dir);
	raw_open(&s, path);
	assert_int_equal(schema_migrate(&s, 1), SB_OK);
	assert_int_equal(sqlite3_exec(sqlite_handle(&s), "PRAGMA foreign_keys = OFF;"
	    "INSERT INTO administrations (id, client_id, instrument, "
	    "instrument_version, respondent, mode, answers, scores, created_by)"
	    " VALUES (7, 1, 'phq9', '1', 'self', 'paper', 'q1=1', "
	    "'{\"total\": 1}', 1)", NULL, NULL, NULL), SQLITE_OK);
	/* Migration 23 seals the rows there are: it needs the key. */
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_EINVAL);
	assert_int_equal(store_schema_version(&s), 22);
	assert_int_equal(keys_load(fix.key, &s.keys, err, sizeof(err)), SB_OK);
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_OK);
	assert_int_equal(sqlite3_prepare_v2(sqlite_handle(&s), "SELECT answers, "
	    "scored_version, length(mac) FROM administrations WHERE id = 7",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "q1=1");
	assert_string_equal(sqlite3_column_text(st, 1), "1");
	assert_int_equal(sqlite3_column_int(st, 2), 32);
	sqlite3_finalize(st);
	/* The sealed row and its table's seal verify. */
	assert_int_equal(rows_verify(&s, &rr), SB_OK);
	assert_true(rr.intact);
	assert_int_equal(rr.rows, 1);
	raw_close(&s);
}

/* Forward so that the migration test below can use them. */
static void	assert_sealed(struct store *, const char *, const char *,
		    const char *);
static int	raw_int(const char *, const char *);

/* Migration 24 seals the staff addresses there are: a user's, and a
 * queued message's recipient, each with a tag that still matches its
 * twin; the user's row seal covers the sealed address.  Migration 25
 * seals the links there are. */
static void
addresses_and_links_sealed_by_migrations_24_and_25(void **state)
{
	struct store	 s;
	struct rows_report rr;
	struct keys	*k;
	char		 path[160], err[256];

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/addr.db", fix.dir);
	raw_open(&s, path);
	/* A practice at 23 has its table seals (made with the key). */
	assert_int_equal(keys_load(fix.key, &k, err, sizeof(err)), SB_OK);
	s.keys = k;
	assert_int_equal(schema_migrate(&s, 23), SB_OK);
	s.keys = NULL;
	assert_int_equal(sqlite3_exec(sqlite_handle(&s), "PRAGMA foreign_keys = OFF;"
	    "INSERT INTO users (id, name, role, password, created, email) "
	    "VALUES (1, 'anna', 'therapist', 'x', '2026-01-01', "
	    "'anna@clinic.test');"
	    "INSERT INTO outbox (id, kind, alert_id, channel, recipient, "
	    "state, created, next_try) VALUES (1, 'alert', 1, 'mail', "
	    "'anna@clinic.test', 'queued', 0, 0);"
	    "INSERT INTO outbox (id, kind, alert_id, channel, recipient, "
	    "state, created, next_try) VALUES (2, 'alert', 1, 'sms', "
	    "'+447700900123', 'queued', 0, 0);"
	    "INSERT INTO links (id, token_hash, client_id, instrument, "
	    "created_by, created, expires) VALUES (1, x'00', 1, 'phq9', 1, 0, "
	    "86400)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_EINVAL);
	assert_int_equal(store_schema_version(&s), 23);
	s.keys = k;
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_OK);
	assert_sealed(&s, "users", "email", "anna@clinic.test");
	assert_sealed(&s, "outbox", "recipient", "anna@clinic.test");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM outbox o JOIN "
	    "users u ON o.recipient_tag = u.email_tag"), 1);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM outbox WHERE "
	    "typeof(recipient) = 'blob' AND length(recipient_tag) = 32"), 2);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info("
	    "'users') WHERE name = 'email_sealed'"), 0);
	assert_int_equal(raw_int(path, "SELECT length(mac) FROM links"), 32);
	assert_int_equal(rows_verify(&s, &rr), SB_OK);
	assert_string_equal(rr.what, "");
	assert_true(rr.intact);
	assert_int_equal(rr.rows, 2);	/* the user and the link */
	raw_close(&s);
}

/* Is column of table's row 1 a blob that opens to want? */
static void
assert_sealed(struct store *s, const char *table, const char *column,
    const char *want)
{
	sqlite3_stmt	*st;
	char		 sql[128];
	struct buf	 b;

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE id = 1", column,
	    table);
	assert_int_equal(sqlite3_prepare_v2(sqlite_handle(s), sql, -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(st, 0), SQLITE_BLOB);
	buf_init(&b, 4096);
	assert_int_equal(field_open(s->keys, table, column, 1,
	    sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0),
	    &b), SB_OK);
	assert_string_equal(b.data, want);
	buf_free(&b);
	sqlite3_finalize(st);
}

static int
raw_int(const char *path, const char *sql)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

static void
old_database_with_wrong_key_is_left_alone(void **state)
{
	struct store		 s, *o;
	struct store_key	 right = { fix.key, NULL }, wrong;
	struct keys		*k;
	sqlite3_stmt		*st;
	unsigned char		 check[MAC_BYTES];
	char			 path[160], other[160], err[512];

	(void)state;
	/* A practice of schema 4, from before the application id. */
	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/v4.db", fix.dir);
	snprintf(other, sizeof(other), "%s/other.key", fix.dir);
	raw_open(&s, path);
	assert_int_equal(schema_migrate(&s, 4), SB_OK);
	assert_int_equal(keys_load(fix.key, &k, err, sizeof(err)), SB_OK);
	keys_check_value(k, check);
	keys_free(k);
	assert_int_equal(sqlite3_prepare_v2(sqlite_handle(&s), "INSERT INTO meta (key, "
	    "value) VALUES ('key_check', ?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, check, MAC_BYTES, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	raw_close(&s);
	assert_int_equal(chmod(path, 0600), 0);
	/* Another practice's key: refused, and the file is as it was. */
	assert_int_equal(keys_create(other, &k, err, sizeof(err)), SB_OK);
	keys_free(k);
	wrong.file = other;
	wrong.passphrase_file = NULL;
	assert_int_equal(store_open(path, &wrong, &o, err, sizeof(err)),
	    SB_EPERM);
	assert_non_null(strstr(err, "does not belong"));
	assert_int_equal(raw_int(path, "SELECT max(version) FROM "
	    "schema_version"), 4);
	assert_int_equal(raw_int(path, "PRAGMA application_id"), 0);
	snprintf(err, sizeof(err), "%s-wal", path);
	assert_int_equal(access(err, F_OK), -1);
	/* Read-only, even the right key does not migrate it. */
	assert_int_equal(store_open_readonly(path, &right, &o, err,
	    sizeof(err)), SB_EUPGRADE);
	assert_int_equal(raw_int(path, "SELECT max(version) FROM "
	    "schema_version"), 4);
	/* Its own key opens it for nothing but an upgrade: an older
	 * schema is never migrated as a side effect of a command. */
	assert_int_equal(store_open(path, &right, &o, err, sizeof(err)),
	    SB_EUPGRADE);
	ASSERT_CONTAINS(err, "securebase upgrade");
	assert_int_equal(raw_int(path, "SELECT max(version) FROM "
	    "schema_version"), 4);
	/* (`securebase upgrade` of a real practice made by the previous
	 * release: tests/ops/run.sh; this file holds no audit trail to
	 * verify a backup by.) */
	assert_int_equal(raw_int(path, "PRAGMA application_id"), 0);
}

static void
described_text_is_sealed_by_migration_12(void **state)
{
	static const char *const clear[] = { "grandmother-of-record",
	    "nonbinary-of-record", "before the funeral", "research-of-record",
	    "PHQ-9 q9 answered 3" };
	struct store	 s;
	char		 path[160], err[256];
	size_t		 i;

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s/v11.db", fix.dir);
	raw_open(&s, path);
	assert_int_equal(sqlite3_exec(sqlite_handle(&s), "PRAGMA secure_delete = ON", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(schema_migrate(&s, 11), SB_OK);
	/* What a database of schema 11 held in the clear. */
	assert_int_equal(sqlite3_exec(sqlite_handle(&s), "PRAGMA foreign_keys = OFF;"
	    "INSERT INTO people (id, client_id, name, role, gender) VALUES "
	    "(1, 1, x'00', 'grandmother-of-record', 'nonbinary-of-record'),"
	    "(2, 1, x'00', NULL, NULL);"
	    "INSERT INTO history_snapshots (id, client_id, label, taken, body) "
	    "VALUES (1, 1, 'before the funeral', '2026-01-01', x'00');"
	    "INSERT INTO consents (id, client_id, kind, given, recorded_by) "
	    "VALUES (1, 1, 'research-of-record', '2026-01-01', 1);"
	    "INSERT INTO alerts (id, client_id, rule, severity, state, created,"
	    " detail) VALUES (1, 1, 'critical-item', 'high', 'open', "
	    "'2026-01-01T00:00:00Z', 'PHQ-9 q9 answered 3')", NULL, NULL,
	    NULL), SQLITE_OK);
	/* Without the key the rows cannot be sealed: nothing changes. */
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_EINVAL);
	assert_int_equal(store_schema_version(&s), 11);
	assert_int_equal(keys_load(fix.key, &s.keys, err, sizeof(err)), SB_OK);
	assert_int_equal(schema_migrate(&s, store_schema_latest()), SB_OK);
	assert_sealed(&s, "people", "role", clear[0]);
	assert_sealed(&s, "people", "gender", clear[1]);
	assert_sealed(&s, "history_snapshots", "label", clear[2]);
	assert_sealed(&s, "consents", "kind", clear[3]);
	assert_sealed(&s, "alerts", "detail", clear[4]);
	/* An empty field stays empty (NULL), not sealed. */
	assert_int_equal(sqlite3_exec(sqlite_handle(&s), "SELECT 1 FROM people WHERE id = 2 "
	    "AND role IS NULL AND gender IS NULL", NULL, NULL, NULL),
	    SQLITE_OK);
	raw_close(&s);
	/* Nothing of it is left in the file, not even in free pages. */
	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		if (fix_file_has(path, clear[i], strlen(clear[i])))
			fail_msg("\"%s\" is still in the file", clear[i]);
}

static void
backup_verifies_and_restore_refuses_bad_copies(void **state)
{
	struct store	*s;
	char		 b[160], bad[160], r[160], err[512];
	struct store_key key = { fix.key, NULL };
	char		 sum[300];
	sqlite3		*db;
	struct audit_report rep;

	(void)state;
	snprintf(b, sizeof(b), "%s/backup.db", fix.dir);
	snprintf(r, sizeof(r), "%s/restored.db", fix.dir);
	snprintf(bad, sizeof(bad), "%s/tampered.db", fix.dir);
	s = fix_open(&fix, "anna");
	assert_int_equal(store_backup(s, b, &key, err, sizeof(err)), SB_OK);
	/* Never over an existing file. */
	assert_int_not_equal(store_backup(s, b, &key, err, sizeof(err)),
	    SB_OK);
	assert_int_equal(store_backup(s, bad, &key, err, sizeof(err)), SB_OK);
	store_close(s);
	/* Its checksum, then its content (store_check_file opens it for
	 * writing: last, since that may change bytes the sum covers). */
	assert_int_equal(store_backup_sum_check(b, &key, err, sizeof(err)),
	    SB_OK);
	/* A copy whose audit trail was edited is refused. */
	assert_int_equal(sqlite3_open(bad, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; "
	    "UPDATE audit SET user_name = 'mallory' WHERE seq = 2", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	/* Its checksum sees it first; without the checksum, the chain. */
	assert_int_not_equal(store_restore(bad, r, &key, 0, NULL, 0, err,
	    sizeof(err)), SB_OK);
	ASSERT_CONTAINS(err, "was changed after the backup was made");
	snprintf(sum, sizeof(sum), "%s.sum", bad);
	assert_int_equal(unlink(sum), 0);
	assert_int_not_equal(store_restore(bad, r, &key, 0, NULL, 0, err,
	    sizeof(err)), SB_OK);
	ASSERT_CONTAINS(err, "--unsummed");
	assert_int_not_equal(store_restore(bad, r, &key, RESTORE_UNSUMMED,
	    NULL, 0,
	    err, sizeof(err)), SB_OK);
	ASSERT_CONTAINS(err, "row 2 does not match its hash");
	assert_int_not_equal(access(r, F_OK), 0);	/* nothing restored */
	if (store_restore(b, r, &key, 0, NULL, 0, err, sizeof(err)) != SB_OK)
		fail_msg("%s", err);
	assert_int_not_equal(store_restore(b, r, &key, 0, NULL, 0, err,
	    sizeof(err)), SB_OK);		/* no silent overwrite */
	ASSERT_CONTAINS(err, "--replace");
	assert_int_equal(store_check_file(b, &key, &rep, err, sizeof(err)),
	    SB_OK);
	assert_true(rep.intact);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(durable_settings_are_on, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    described_text_is_sealed_by_migration_12, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    old_database_with_wrong_key_is_left_alone, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    rows_survive_migration_from_version_1, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    addresses_and_links_sealed_by_migrations_24_and_25,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    backup_verifies_and_restore_refuses_bad_copies, fix_setup,
		    fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

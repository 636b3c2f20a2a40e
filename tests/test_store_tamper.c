/*
 * test_store_tamper.c - the audit trail names what was done to it: an
 * edited row, a deleted row, an inserted row, a truncated chain, an
 * edited head, removed triggers.  Each case tampers with a fresh copy
 * through a raw SQLite connection, as someone with the file but not the
 * key could.
 */
#include <fcntl.h>

#include "store/sqlite.h"
#include "store/store_int.h"
#include "store_fixture.h"

static int
setup(void **state)
{
	struct store	*s;
	int64_t		 id;
	int		 i;

	(void)state;
	fix_make(&fix);
	s = fix_open(&fix, "anna");
	for (i = 0; i < 10; i++)
		assert_int_equal(store_note_add(s, fix.client, "note", &id),
		    SB_OK);
	store_close(s);
	return 0;
}


static int64_t
rows(void)
{
	struct store		*s = fix_open(&fix, NULL);
	struct audit_report	 r;

	assert_int_equal(audit_verify(s, &r), SB_OK);
	assert_true(r.intact);
	store_close(s);
	return r.rows;
}

/* Runs sql on the file without the store's guards, then verifies. */
static void
tamper(const char *sql, struct audit_report *r)
{
	struct store	*s;
	sqlite3		*db;
	char		*msg = NULL;

	assert_int_equal(sqlite3_open(fix.db, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		print_error("tamper sql: %s\n", msg);
		fail();
	}
	sqlite3_close(db);
	s = fix_open(&fix, NULL);
	assert_int_equal(audit_verify(s, r), SB_OK);
	store_close(s);
	assert_false(r->intact);
}

#define UNGUARD "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"

static void
edited_row_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	assert_true(rows() > 10);
	tamper(UNGUARD "UPDATE audit SET user_name = 'tom' WHERE seq = 7", &r);
	assert_int_equal(r.bad_seq, 7);
	ASSERT_CONTAINS(r.what, "row 7 does not match its hash");
}

static void
deleted_row_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(UNGUARD "DELETE FROM audit WHERE seq = 5", &r);
	assert_int_equal(r.bad_seq, 6);
	ASSERT_CONTAINS(r.what, "rows 5..5 are missing (deleted)");
}

static void
inserted_row_is_named(void **state)
{
	struct audit_report	 r;
	int64_t			 n = rows();
	char			 sql[512];

	(void)state;
	/* A plausible row appended at the end with a copied hash. */
	snprintf(sql, sizeof(sql), UNGUARD "INSERT INTO audit SELECT %lld, "
	    "at, user_name, 'read', 'client', 1, '', hash FROM audit WHERE "
	    "seq = %lld", (long long)n + 1, (long long)n);
	tamper(sql, &r);
	assert_int_equal(r.bad_seq, n + 1);
	ASSERT_CONTAINS(r.what, "does not match its hash");
}

static void
renumbered_insert_in_the_middle_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	/* Make room at 4 by shifting every later row up, then fill it. */
	tamper(UNGUARD "UPDATE audit SET seq = seq + 1000 WHERE seq >= 4;"
	    "UPDATE audit SET seq = seq - 999 WHERE seq >= 1004;"
	    "INSERT INTO audit SELECT 4, at, user_name, action, entity, "
	    "entity_id, detail, hash FROM audit WHERE seq = 3;", &r);
	assert_int_equal(r.bad_seq, 4);
}

static void
truncated_chain_is_named(void **state)
{
	struct audit_report	 r;
	int64_t			 n = rows();
	char			 sql[256], want[128];

	(void)state;
	snprintf(sql, sizeof(sql), UNGUARD "DELETE FROM audit WHERE seq > %lld",
	    (long long)n - 3);
	tamper(sql, &r);
	snprintf(want, sizeof(want), "rows %lld..%lld were removed "
	    "(truncated)", (long long)n - 2, (long long)n);
	ASSERT_CONTAINS(r.what, want);
}

static void
truncation_with_a_forged_head_is_named(void **state)
{
	struct audit_report	 r;
	int64_t			 n = rows();
	char			 sql[512];

	(void)state;
	/* Cut two rows and point the head at the new last row: the head's
	 * MAC cannot be made without the key. */
	snprintf(sql, sizeof(sql), UNGUARD "DELETE FROM audit WHERE seq > %lld;"
	    "UPDATE audit_head SET seq = %lld, hash = (SELECT hash FROM audit "
	    "WHERE seq = %lld)", (long long)n - 2, (long long)n - 2,
	    (long long)n - 2);
	tamper(sql, &r);
	ASSERT_CONTAINS(r.what, "head");
	ASSERT_CONTAINS(r.what, "altered");
}

static void
removed_triggers_are_reported(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(UNGUARD, &r);
	ASSERT_CONTAINS(r.what, "trigger audit_no_update");
	ASSERT_CONTAINS(r.what, "removed");
}

/* Recreated under its own name but disarmed: the SQL is compared. */
static void
disarmed_trigger_is_reported(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper("DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete "
	    "BEFORE DELETE ON audit WHEN 0 BEGIN SELECT RAISE(ABORT, 'audit "
	    "rows cannot be deleted'); END;", &r);
	ASSERT_CONTAINS(r.what, "trigger audit_no_delete");
	ASSERT_CONTAINS(r.what, "changed");
}

#define ERASE "DROP TRIGGER audit_no_delete; DROP TRIGGER " \
	"audit_head_no_delete; DELETE FROM audit; DELETE FROM audit_head; " \
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit  BEGIN SELECT " \
	"RAISE(ABORT, 'audit rows cannot be deleted'); END; CREATE TRIGGER " \
	"audit_head_no_delete BEFORE DELETE ON audit_head  BEGIN SELECT " \
	"RAISE(ABORT, 'the audit head cannot be deleted'); END;"

/* Every row and the head deleted, the guards put back as they were. */
static void
erased_trail_is_reported(void **state)
{
	struct audit_report	 r;
	struct store		*s;
	int64_t			 id;

	(void)state;
	tamper(ERASE, &r);
	assert_int_equal(r.rows, 0);
	ASSERT_CONTAINS(r.what, "the audit head is missing");
	/* And no new chain starts over the erasure: nothing is recorded. */
	s = fix_open(&fix, "anna");
	assert_int_equal(store_note_add(s, fix.client, "after", &id), SB_EIO);
	ASSERT_CONTAINS(store_errmsg(s), "the audit head is missing");
	store_close(s);
}

/* The head and every row, as they stand now (for a later roll-back). */
struct snapshot {
	int64_t		 seq, epoch;
	unsigned char	 hash[32], mac[32];
};

static void
head_now(struct snapshot *h)
{
	sqlite3		*db;
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_open(fix.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, epoch, hash, mac "
	    "FROM audit_head", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	h->seq = sqlite3_column_int64(st, 0);
	h->epoch = sqlite3_column_int64(st, 1);
	memcpy(h->hash, sqlite3_column_blob(st, 2), 32);
	memcpy(h->mac, sqlite3_column_blob(st, 3), 32);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Rows after the old head deleted, the old head copied back in. */
static void
roll_back_to(const struct snapshot *h)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 sql[256];

	assert_int_equal(sqlite3_open(fix.db, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), UNGUARD "DELETE FROM audit WHERE seq > "
	    "%lld;", (long long)h->seq);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TRIGGER audit_no_update "
	    "BEFORE UPDATE ON audit  BEGIN SELECT RAISE(ABORT, 'audit rows "
	    "cannot be changed'); END; CREATE TRIGGER audit_no_delete BEFORE "
	    "DELETE ON audit  BEGIN SELECT RAISE(ABORT, 'audit rows cannot be "
	    "deleted'); END;", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE audit_head SET seq = "
	    "?, epoch = ?, hash = ?, mac = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, h->seq);
	sqlite3_bind_int64(st, 2, h->epoch);
	sqlite3_bind_blob(st, 3, h->hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, h->mac, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * Roll-back: the trail cut back to an older state with that state's own
 * head.  The chain alone cannot tell (the older state was genuine); an
 * anchor taken after it can.
 */
static void
rolled_back_trail_needs_an_anchor(void **state)
{
	struct audit_report	 r;
	struct audit_anchor	 a;
	struct snapshot		 old;
	struct store		*s;
	int64_t			 id;
	int			 i;

	(void)state;
	head_now(&old);
	s = fix_open(&fix, "anna");
	for (i = 0; i < 5; i++)
		assert_int_equal(store_note_add(s, fix.client, "later", &id),
		    SB_OK);
	assert_int_equal(audit_anchor_take(s, &a), SB_OK);
	assert_true(a.seq > old.seq);
	assert_int_equal(audit_verify_anchored(s, &a, 1, &r), SB_OK);
	assert_true(r.intact);
	store_close(s);
	roll_back_to(&old);
	s = fix_open(&fix, NULL);
	assert_int_equal(audit_verify(s, &r), SB_OK);
	assert_true(r.intact);		/* without the anchor: not seen */
	assert_int_equal(audit_verify_anchored(s, &a, 1, &r), SB_OK);
	assert_false(r.intact);
	ASSERT_CONTAINS(r.what, "rolled back");
	store_close(s);
}

/* An anchor is found in a log line, and one not made with the key is
 * refused. */
static void
anchor_is_parsed_and_bound_to_the_key(void **state)
{
	struct audit_report	 r;
	struct audit_anchor	 a, forged;
	struct store		*s;
	char			 line[256];

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(audit_anchor_take(s, &a), SB_OK);
	audit_anchor_format(&a, line, sizeof(line));
	assert_true(audit_anchor_parse(line, &forged));
	assert_int_equal(forged.seq, a.seq);
	assert_memory_equal(forged.mac, a.mac, 32);
	/* A log prefix before it is skipped. */
	memmove(line + 20, line, strlen(line) + 1);
	memcpy(line, "Nov 29 10:00 host x:", 20);
	assert_true(audit_anchor_parse(line, &forged));
	assert_false(audit_anchor_parse("securebase-anchor 1 seq=1", &forged));
	/* An anchor not made with the key is refused. */
	forged = a;
	forged.epoch++;
	assert_int_equal(audit_verify_anchored(s, &forged, 1, &r), SB_OK);
	assert_false(r.intact);
	ASSERT_CONTAINS(r.what, "not this practice's");
	store_close(s);
}

/* A new practice verifies with its first head (row 0) alone. */
static void
a_new_trail_starts_at_its_genesis(void **state)
{
	struct snapshot	 h;

	(void)state;
	head_now(&h);
	assert_true(h.seq > 0);
	assert_true(h.epoch > 0);
	assert_true(rows() == h.seq);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(edited_row_is_named, setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(deleted_row_is_named, setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(inserted_row_is_named, setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    renumbered_insert_in_the_middle_is_named, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(truncated_chain_is_named,
		    setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    truncation_with_a_forged_head_is_named, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(removed_triggers_are_reported,
		    setup, fix_teardown),
		cmocka_unit_test_setup_teardown(disarmed_trigger_is_reported,
		    setup, fix_teardown),
		cmocka_unit_test_setup_teardown(erased_trail_is_reported,
		    setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    rolled_back_trail_needs_an_anchor, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(anchor_is_parsed_and_bound_to_the_key,
		    setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    a_new_trail_starts_at_its_genesis, setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

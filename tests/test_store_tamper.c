/*
 * test_store_tamper.c - the audit trail names what was done to it: an
 * edited row, a deleted row, an inserted row, a truncated chain, an
 * edited head, removed triggers.  Each case tampers with a fresh copy
 * through a raw SQLite connection, as someone with the file but not the
 * key could.
 */
#include <fcntl.h>

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
	ASSERT_CONTAINS(r.what, "triggers");
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

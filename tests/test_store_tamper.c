/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store_tamper.c - the audit trail names what was done to it: an
 * edited row, a deleted row, an inserted row, a truncated chain, an
 * edited head, removed triggers.  Each case tampers with a fresh copy
 * through a raw connection, as someone with the file (or the database
 * server's superuser) but not the key could.  On both engines: where
 * their words differ (the triggers), each has its own SQL.
 */
#include <fcntl.h>

#include "store/store_int.h"
#include "store_fixture.h"

/* A connection beside the store's, without its guards or key. */
static struct be_conn *
raw(void)
{
	struct be_conn	*c;
	char		 err[512];

	if (backend_for(fix.db)->drv->open(fix.db, BE_WRITE, &c, err,
	    sizeof(err)) != SB_OK) {
		print_error("raw open: %s\n", err);
		fail();
	}
	return c;
}

static void
raw_exec(struct be_conn *c, const char *sql)
{
	const struct store_backend	*be = backend_for(fix.db);

	if (be->drv->exec(c, sql) != BE_OK) {
		print_error("tamper sql: %s\n", be->drv->errmsg(c));
		fail();
	}
}

/* The words for dropping the two guards of audit, and for putting one
 * back as it was made. */
#define SQ_UNGUARD "DROP TRIGGER audit_no_update; DROP TRIGGER " \
	"audit_no_delete;"
#define PG_UNGUARD "DROP TRIGGER audit_no_update ON audit; DROP TRIGGER " \
	"audit_no_delete ON audit;"
#define SQ_GUARD(NAME, WHEN, TABLE, WHY) "CREATE TRIGGER " NAME " BEFORE " \
	WHEN " ON " TABLE "  BEGIN SELECT RAISE(ABORT, '" WHY "'); END;"
#define PG_GUARD(NAME, WHEN, TABLE, WHY) "CREATE TRIGGER " NAME " BEFORE " \
	WHEN " ON " TABLE " FOR EACH ROW EXECUTE FUNCTION audit_refuse('" \
	WHY "');"

static const char *
unguard(void)
{
	return fix_pg() != NULL ? PG_UNGUARD : SQ_UNGUARD;
}

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

/* Runs sql beside the store (after the guards are dropped, when
 * unguarded), then verifies. */
static void
tamper(bool unguarded, const char *sql, struct audit_report *r)
{
	struct store	*s;
	struct be_conn	*c = raw();

	if (unguarded)
		raw_exec(c, unguard());
	raw_exec(c, sql);
	backend_for(fix.db)->drv->close(c);
	s = fix_open(&fix, NULL);
	assert_int_equal(audit_verify(s, r), SB_OK);
	store_close(s);
	assert_false(r->intact);
}

static void
edited_row_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	assert_true(rows() > 10);
	tamper(true, "UPDATE audit SET user_name = 'tom' WHERE seq = 7", &r);
	assert_int_equal(r.bad_seq, 7);
	ASSERT_CONTAINS(r.what, "row 7 does not match its hash");
}

static void
deleted_row_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(true, "DELETE FROM audit WHERE seq = 5", &r);
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
	snprintf(sql, sizeof(sql), "INSERT INTO audit SELECT %lld, "
	    "at, user_name, 'read', 'client', 1, '', hash FROM audit WHERE "
	    "seq = %lld", (long long)n + 1, (long long)n);
	tamper(true, sql, &r);
	assert_int_equal(r.bad_seq, n + 1);
	ASSERT_CONTAINS(r.what, "does not match its hash");
}

static void
renumbered_insert_in_the_middle_is_named(void **state)
{
	struct audit_report	 r;

	(void)state;
	/* Make room at 4 by shifting every later row up, then fill it. */
	tamper(true, "UPDATE audit SET seq = seq + 1000 WHERE seq >= 4;"
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
	snprintf(sql, sizeof(sql), "DELETE FROM audit WHERE seq > %lld",
	    (long long)n - 3);
	tamper(true, sql, &r);
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
	snprintf(sql, sizeof(sql), "DELETE FROM audit WHERE seq > %lld;"
	    "UPDATE audit_head SET seq = %lld, hash = (SELECT hash FROM audit "
	    "WHERE seq = %lld)", (long long)n - 2, (long long)n - 2,
	    (long long)n - 2);
	tamper(true, sql, &r);
	ASSERT_CONTAINS(r.what, "head");
	ASSERT_CONTAINS(r.what, "altered");
}

static void
removed_triggers_are_reported(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(true, "", &r);
	ASSERT_CONTAINS(r.what, "trigger audit_no_update");
	ASSERT_CONTAINS(r.what, "removed");
}

/* Recreated under its own name but disarmed: the SQL is compared. */
static void
disarmed_trigger_is_reported(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(false, fix_pg() != NULL ? "DROP TRIGGER audit_no_delete ON "
	    "audit; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR "
	    "EACH ROW WHEN (false) EXECUTE FUNCTION audit_refuse('audit rows "
	    "cannot be deleted');" : "DROP TRIGGER audit_no_delete; CREATE "
	    "TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN 0 BEGIN "
	    "SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END;", &r);
	ASSERT_CONTAINS(r.what, "trigger audit_no_delete");
	ASSERT_CONTAINS(r.what, "changed");
}

/* On PostgreSQL the guards share one function (SQLite's have none: each
 * trigger is its own body): one that lets rows through under the same
 * name is found too.  main() runs it on PostgreSQL only. */
static void
disarmed_guard_function_is_reported(void **state)
{
	struct audit_report	 r;

	(void)state;
	tamper(false, "CREATE OR REPLACE FUNCTION audit_refuse() RETURNS "
	    "trigger LANGUAGE plpgsql AS $$BEGIN RETURN OLD; END$$", &r);
	ASSERT_CONTAINS(r.what, "audit_refuse");
	ASSERT_CONTAINS(r.what, "changed");
}

#define SQ_ERASE "DROP TRIGGER audit_no_delete; DROP TRIGGER " \
	"audit_head_no_delete; DELETE FROM audit; DELETE FROM audit_head; " \
	SQ_GUARD("audit_no_delete", "DELETE", "audit", "audit rows cannot be " \
	"deleted") SQ_GUARD("audit_head_no_delete", "DELETE", "audit_head", \
	"the audit head cannot be deleted")
#define PG_ERASE "DROP TRIGGER audit_no_delete ON audit; DROP TRIGGER " \
	"audit_head_no_delete ON audit_head; DELETE FROM audit; DELETE FROM " \
	"audit_head; " PG_GUARD("audit_no_delete", "DELETE", "audit", "audit " \
	"rows cannot be deleted") PG_GUARD("audit_head_no_delete", "DELETE", \
	"audit_head", "the audit head cannot be deleted")

/* Every row and the head deleted, the guards put back as they were. */
static void
erased_trail_is_reported(void **state)
{
	struct audit_report	 r;
	struct store		*s;
	int64_t			 id;

	(void)state;
	tamper(false, fix_pg() != NULL ? PG_ERASE : SQ_ERASE, &r);
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
	const struct store_backend	*be = backend_for(fix.db);
	struct be_conn			*c = raw();
	struct be_stmt			*st;

	assert_int_equal(be->drv->prepare(c,
	    "SELECT seq, epoch, hash, mac FROM "
	    "audit_head", false, &st), BE_OK);
	assert_int_equal(be->drv->step(st), BE_ROW);
	h->seq = be->drv->column_int64(st, 0);
	h->epoch = be->drv->column_int64(st, 1);
	assert_int_equal(be->drv->column_bytes(st, 2), 32);
	memcpy(h->hash, be->drv->column_blob(st, 2), 32);
	assert_int_equal(be->drv->column_bytes(st, 3), 32);
	memcpy(h->mac, be->drv->column_blob(st, 3), 32);
	be->drv->finalize(st);
	be->drv->close(c);
}

/* Rows after the old head deleted, the old head copied back in. */
static void
roll_back_to(const struct snapshot *h)
{
	const struct store_backend	*be = backend_for(fix.db);
	struct be_conn			*c = raw();
	struct be_stmt			*st;
	char				 sql[256];

	raw_exec(c, unguard());
	snprintf(sql, sizeof(sql), "DELETE FROM audit WHERE seq > %lld;",
	    (long long)h->seq);
	raw_exec(c, sql);
	raw_exec(c, fix_pg() != NULL ? PG_GUARD("audit_no_update", "UPDATE",
	    "audit", "audit rows cannot be changed") PG_GUARD(
	    "audit_no_delete", "DELETE", "audit", "audit rows cannot be "
	    "deleted") : SQ_GUARD("audit_no_update", "UPDATE", "audit", "audit "
	    "rows cannot be changed") SQ_GUARD("audit_no_delete", "DELETE",
	    "audit", "audit rows cannot be deleted"));
	assert_int_equal(be->drv->prepare(c,
	    "UPDATE audit_head SET seq = ?, epoch "
	    "= ?, hash = ?, mac = ?", false, &st), BE_OK);
	be->drv->bind_int64(st, 1, h->seq);
	be->drv->bind_int64(st, 2, h->epoch);
	be->drv->bind_blob(st, 3, h->hash, 32, false);
	be->drv->bind_blob(st, 4, h->mac, 32, false);
	assert_int_equal(be->drv->step(st), BE_DONE);
	be->drv->finalize(st);
	be->drv->close(c);
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
		/* PostgreSQL's alone, last: */
		cmocka_unit_test_setup_teardown(
		    disarmed_guard_function_is_reported, setup, fix_teardown),
	};
	size_t	 n = sizeof(tests) / sizeof(tests[0]);

	return _cmocka_run_group_tests("test_store_tamper", tests,
	    fix_pg() != NULL ? n : n - 1, NULL, NULL);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store_crash.c - no acknowledged answer is lost when the writer is
 * killed with SIGKILL at a random moment, again and again.
 *
 * A child process stores administrations as fast as it can and, after
 * each commit returns, reports the id on a pipe: that is the moment an
 * answer counts as acknowledged.  The parent kills it at a random time,
 * then opens the database and checks that every reported id is there, that
 * PRAGMA integrity_check passes and that the audit chain verifies.  Rounds
 * repeat on the same file, so each one starts from a database that was
 * itself killed mid-write.
 *
 * The kill times come from a seed, printed (and taken from
 * SB_CRASH_SEED), so that a failing run can be run again as it was.
 * Every other round waits for a first acknowledged commit before its
 * clock starts, so that a slow disk (a commit's fsync longer than the
 * whole window) cannot leave the test with nothing acknowledged.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <sodium.h>
#include <sys/wait.h>
#include <time.h>

#include "store/sqlite.h"
#include "store/store_int.h"
#include "store_fixture.h"

#define ROUNDS		25
#define MAX_IDS		(1 << 20)

static void
writer(int fd)
{
	struct store		*s;
	struct store_administration	 a;
	char			 err[512];
	int64_t			 id;

	memset(&a, 0, sizeof(a));
	a.instrument = "phq9";
	a.version = "1";
	a.respondent = "self";
	a.mode = "link";
	a.completed = "2026-11-27T12:00:00Z";
	a.answers = "q1=1;q2=2;q3=0;q4=1;q5=3;q6=0;q7=1;q8=0;q9=0;q10=";
	a.scores = "{\"total\": 8}";
	if (store_open(fix.db, &(struct store_key){ fix.key, NULL }, &s, err,
	    sizeof(err)) != SB_OK ||
	    store_act_as(s, "anna") != SB_OK)
		_exit(2);
	for (;;) {
		if (store_administration_add(s, fix.client, &a, &id) != SB_OK)
			_exit(3);
		/* Only now is the answer acknowledged. */
		if (write(fd, &id, sizeof(id)) != sizeof(id))
			_exit(4);
	}
}

static void
check_survivors(const int64_t *ids, size_t n)
{
	struct store		*s = fix_open(&fix, NULL);
	struct audit_report	 r;
	sqlite3_stmt		*st;
	size_t			 i;

	assert_int_equal(sqlite3_prepare_v2(sqlite_handle(s), "PRAGMA integrity_check",
	    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(sqlite_handle(s), "SELECT count(*) FROM "
	    "administrations WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) != 1) {
			print_error("acknowledged administration %lld is "
			    "missing\n", (long long)ids[i]);
			fail();
		}
	}
	sqlite3_finalize(st);
	assert_int_equal(audit_verify(s, &r), SB_OK);
	if (!r.intact) {
		print_error("audit: %s\n", r.what);
		fail();
	}
	store_close(s);
}

/* xorshift64: the kill times of a seed, the same on every machine. */
static uint64_t
next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
sigkill_never_loses_an_acknowledged_answer(void **state)
{
	int64_t		*ids;
	size_t		 n = 0, round;
	int		 p[2], status;
	pid_t		 pid;
	ssize_t		 got;
	struct timespec	 ts;
	uint64_t	 seed, x;
	const char	*env = getenv("SB_CRASH_SEED");

	(void)state;
	if (env == NULL || (seed = strtoull(env, NULL, 10)) == 0)
		randombytes_buf(&seed, sizeof(seed));
	seed |= 1;	/* xorshift never leaves 0 */
	print_message("seed %" PRIu64 " (again: SB_CRASH_SEED=%" PRIu64
	    ")\n", seed, seed);
	x = seed;
	ids = calloc(MAX_IDS, sizeof(*ids));
	assert_non_null(ids);
	for (round = 0; round < ROUNDS; round++) {
		assert_int_equal(pipe(p), 0);
		if ((pid = fork()) == 0) {
			close(p[0]);
			writer(p[1]);
		}
		assert_true(pid > 0);
		close(p[1]);
		/* Odd rounds: the clock starts at the first acknowledged
		 * commit, however slow the disk. */
		if (round % 2 == 1 && n < MAX_IDS && read(p[0], &ids[n],
		    sizeof(ids[n])) == sizeof(ids[n]))
			n++;
		/* 5-150 ms: early kills land in open and the first commit,
		 * later ones anywhere in a stream of commits. */
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(5 + next_rand(&x) % 146) * 1000000L;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		while (n < MAX_IDS && (got = read(p[0], &ids[n],
		    sizeof(ids[n]))) == sizeof(ids[n]))
			n++;
		close(p[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		check_survivors(ids, n);
	}
	/* The test only means something if writes were acknowledged. */
	print_message("%zu acknowledged administrations over %d kills\n", n,
	    ROUNDS);
	assert_true(n >= (size_t)ROUNDS / 2);
	free(ids);
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	fix_make(&fix);
	return 0;
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    sigkill_never_loses_an_acknowledged_answer, setup,
		    fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

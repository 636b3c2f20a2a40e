/*
 * fault.c - failures injected for the anomaly test (tests/cli/faults.sh),
 * in build/fault/securebase only: compiled with -DSB_FAULTS, which makes
 * every sqlite3_step() of store/ go through fault_step() (store_int.h).
 *
 * The Nth step of the process (N from SB_FAULT_STEP) fails with
 * SQLITE_IOERR, as a disk error would; with SB_FAULT_COUNT set, the
 * number of steps is written to that file at exit, so that a test can
 * fail each one in turn.  SQLite's own anomaly tests fail the Nth
 * allocation or I/O call the same way.  One process, one thread: the
 * counter is not shared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

int	 fault_step(sqlite3_stmt *);

static long	 fault_at = -1, steps;
static int	 ready;

static void
write_count(void)
{
	const char	*path = getenv("SB_FAULT_COUNT");
	FILE		*f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "%ld\n", steps);
	fclose(f);
}

int
fault_step(sqlite3_stmt *st)
{
	const char	*v;
	char		*end;

	if (!ready) {
		ready = 1;
		if ((v = getenv("SB_FAULT_STEP")) != NULL) {
			errno = 0;
			fault_at = strtol(v, &end, 10);
			if (errno != 0 || *end != '\0')
				fault_at = -1;
		}
		atexit(write_count);
	}
	if (++steps == fault_at)
		return SQLITE_IOERR;
	return sqlite3_step(st);
}

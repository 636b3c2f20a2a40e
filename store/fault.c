/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fault.c - failures injected for the anomaly test (tests/cli/faults.sh),
 * in build/fault/securebase only: compiled with -DSB_FAULTS, which makes
 * every step of store/ ask fault_step_due() first (st_step in
 * store_int.h) and every allocation SQLite makes ask fault_alloc_due()
 * (store/sqlite.c).
 *
 * The Nth step of the process (N from SB_FAULT_STEP) fails as a disk
 * error would, or the Nth allocation (SB_FAULT_ALLOC) fails as when
 * memory runs out; with SB_FAULT_COUNT set, the number of steps and of
 * allocations is written to that file when the process ends, with the
 * number of allocations the opening of the practice took ("STEPS ALLOCS
 * OPENED"), so that a test can fail each one in turn.  SQLite's own anomaly tests fail the
 * Nth allocation or I/O call the same way.  One process, one thread: the
 * counters are not shared.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/store_int.h"

static long	 step_at = -1, alloc_at = -1, steps, allocs, opened = -1;
static bool	 ready, taken;

static void
write_count(void)
{
	const char	*path = getenv("SB_FAULT_COUNT");
	FILE		*f;

	if (path == NULL || (f = fopen(path, "w")) == NULL)
		return;
	fprintf(f, "%ld %ld %ld\n", steps, allocs, opened);
	fclose(f);
}

static long
number(const char *name)
{
	const char	*v = getenv(name);
	char		*end;
	long		 n;

	if (v == NULL)
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : n;
}

static void
start(void)
{
	if (ready)
		return;
	ready = true;
	step_at = number("SB_FAULT_STEP");
	alloc_at = number("SB_FAULT_ALLOC");
	atexit(write_count);
}

bool
fault_step_due(void)
{
	start();
	if (++steps != step_at)
		return false;
	taken = true;
	return true;
}

bool
fault_alloc_due(void)
{
	start();
	if (++allocs != alloc_at)
		return false;
	taken = true;
	return true;
}

void
fault_opened(void)
{
	start();
	if (opened < 0)
		opened = allocs;
}

const char *
fault_taken(void)
{
	return taken ? "disk I/O error or out of memory (injected)" : NULL;
}

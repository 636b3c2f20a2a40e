/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clock.c - the time the program acts at: the system's, or a pinned one.
 * See clock.h.
 */
#include <stdatomic.h>
#include <time.h>

#include "core/clock.h"

/* -1: not pinned.  Atomic because a test build's server pins it from
 * each request thread while the background thread reads it. */
static _Atomic int64_t	 pinned = -1;

int64_t
clock_now(void)
{
	int64_t	 t = atomic_load(&pinned);

	return t >= 0 ? t : (int64_t)time(NULL);
}

void
clock_pin(int64_t t)
{
	atomic_store(&pinned, t >= 0 ? t : -1);
}

bool
clock_fake(void)
{
	return atomic_load(&pinned) >= 0;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * bench.h - what the C benchmarks share.
 */
#ifndef SB_BENCH_H
#define SB_BENCH_H

#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"

/* A benchmark stops at its first failed step, saying which. */
#define MUST(s, x) do {							\
	if ((x) != SB_OK) {						\
		fprintf(stderr, "bench: %s: %s\n", #x,
		    store_errmsg(s));	\
		exit(1);						\
	}								\
} while (0)

#endif

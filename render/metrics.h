/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * metrics.h - /metrics in Prometheus's text format (0.0.4): a node's and
 * its practice's counts, written from a view the server gathered.  Only
 * counts: no name, no score, no client id.
 */
#ifndef SB_METRICS_H
#define SB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct metrics_view {
	bool			 up;		/* can serve its database */
	unsigned		 open, idle;	/* database connections */
	size_t			 ngroups;	/* route groups, named: */
	const char *const	*groups;
	const uint64_t		*requests, *errors;	/* [ngroups] */
	uint64_t		 rounds;	/* scheduler rounds */
	bool			 read;		/* the practice's counts: */
	struct store_gauges	 g;
	int64_t			 now;		/* for the backup's age */
};

void	 metrics_text(struct buf *, const struct metrics_view *);

#endif

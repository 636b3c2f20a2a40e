/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * points.h - what a chart of scores over time is drawn from: dated
 * points, the expected band at each, and the life events marked between
 * them.  Plain data: app/ gathers them into a page's view and
 * render/charts.h draws them.
 */
#ifndef SB_CORE_POINTS_H
#define SB_CORE_POINTS_H

#include <stdbool.h>

/* One score on one date; the date is not owned. */
struct chart_point {
	const char	*date;		/* YYYY-MM-DD... */
	double		 value;
};

/* The expected band at a point (app/expected.h), when ok. */
struct chart_band {
	bool		 ok;
	double		 lo, mid, hi;
};

/* A life event to mark on a chart: its date (YYYY[-MM[-DD]]) and what. */
struct chart_event {
	char		 date[11];
	char		 label[64];
};

#endif

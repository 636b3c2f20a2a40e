/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * plane.c - attachment position.  See plane.h for the method and caveat.
 */
#include "plane.h"

void
plane_locate(double anx, double avo, double lo, double hi,
    struct plane_pos *p)
{
	p->anxiety = anx;
	p->avoidance = avo;
	p->midpoint = (lo + hi) / 2.0;
	p->anxiety_offset = anx - p->midpoint;
	p->avoidance_offset = avo - p->midpoint;
	if (p->anxiety_offset == 0 || p->avoidance_offset == 0)
		p->region = REGION_BOUNDARY;
	else if (p->anxiety_offset < 0)
		p->region = p->avoidance_offset < 0 ? REGION_SECURE :
		    REGION_DISMISSING;
	else
		p->region = p->avoidance_offset < 0 ? REGION_PREOCCUPIED :
		    REGION_FEARFUL;
}

const char *
plane_region_name(enum plane_region r)
{
	static const char *const names[] = { "secure", "preoccupied",
	    "dismissing", "fearful", "on a midpoint (no region)" };

	return r < REGION__MAX ? names[r] : "?";
}

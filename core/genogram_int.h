/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_int.h - what the map's layout (genogram.c) and its check
 * (genogram_check.c) share: the geometry both count crossings with.
 */
#ifndef SB_GENOGRAM_INT_H
#define SB_GENOGRAM_INT_H

#include <stdbool.h>

/* Does segment a-b cross c-d properly (not at an end, not along)? */
bool	 geno_cross(double ax, double ay, double bx, double by, double cx,
	    double cy, double dx, double dy);

#endif

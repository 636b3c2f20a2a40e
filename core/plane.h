/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * plane.h - the attachment position on the anxiety x avoidance plane.
 *
 * The two dimensions are the result; a region name is only a reading aid.
 * Method (documented in docs/instrument-format.md and shown with every
 * label): each dimension is split at the midpoint of the response scale
 * (4 on a 1-7 scale).  Low/low reads "secure", high anxiety with low
 * avoidance "preoccupied", low anxiety with high avoidance "dismissing",
 * high/high "fearful".  A score exactly on a midpoint gets no label.  The
 * midpoint is not a validated cut-off and the authors of these measures
 * advise against categories (Fraley et al. 2015; Fraley's ECR-R FAQ), so
 * PLANE_CAVEAT goes wherever a label is shown.
 */
#ifndef SB_PLANE_H
#define SB_PLANE_H

enum plane_region {
	REGION_SECURE,		/* low anxiety, low avoidance */
	REGION_PREOCCUPIED,	/* high anxiety, low avoidance */
	REGION_DISMISSING,	/* low anxiety, high avoidance */
	REGION_FEARFUL,		/* high anxiety, high avoidance */
	REGION_BOUNDARY,	/* on a midpoint: no label */
	REGION__MAX
};

struct plane_pos {
	double			 anxiety, avoidance;
	double			 midpoint;
	double			 anxiety_offset;	/* from the midpoint */
	double			 avoidance_offset;
	enum plane_region	 region;
};

#define PLANE_METHOD \
	"Region read by splitting each dimension at the midpoint of the " \
	"response scale; the midpoint is not a validated cut-off."
#define PLANE_CAVEAT \
	"Anxiety and avoidance are continuous dimensions. The authors of " \
	"the ECR measures advise against sorting people into categories; " \
	"the region name is a reading aid, not a classification or a " \
	"diagnosis."

/* Places a pair of scores measured on a scale_min..scale_max item scale. */
void		 plane_locate(double anxiety, double avoidance,
		    double scale_min, double scale_max, struct plane_pos *);
const char	*plane_region_name(enum plane_region);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * charts.h - server-rendered SVG charts for the client page.
 *
 * Drawn with SVG presentation attributes only (no style attribute, no
 * script), so they pass the Content-Security-Policy; each has a title and
 * the page gives the same facts as a table.
 */
#ifndef SB_CHARTS_H
#define SB_CHARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/instrument.h"
#include "core/points.h"

/*
 * A line chart of one score over time, on the score's whole range, with
 * its bands shaded and, when the score has norms, the band of change that
 * is not reliable around the first value (points, bands and events are
 * core/points.h's).  band (NULL: none) has one entry per point: the
 * expected path is drawn as a dashed line in a shaded band, titled with
 * what shaped it (shaped, app/expected.h's words).  Each event between
 * the first and the last point is a dotted line where its date falls
 * between the points around it, titled with its date and what.
 */
void	 chart_measure(struct buf *, const struct instrument *,
	    const struct instr_score *, const struct chart_point *, size_t n,
	    const struct chart_band *band, const char *shaped,
	    const struct chart_event *ev, size_t nev);

/*
 * The same for the client's own progress page: the score's scale and
 * the points, with no bands, no clinical words and no change shading.
 */
void	 chart_progress(struct buf *, const struct instrument *,
	    const struct instr_score *, const struct chart_point *, size_t n);

/*
 * The anxiety x avoidance plane with a trajectory (x: avoidance).  With
 * regions, the four quadrants carry their conventional names: only for a
 * therapist, with PLANE_CAVEAT beside the picture; never in anything a
 * client reads.
 */
void	 chart_plane(struct buf *, const struct chart_point *anxiety,
	    const struct chart_point *avoidance, size_t n, double lo,
	    double hi, bool regions);

/* Several people's trajectories on one plane (a couple), each in its
 * colour with its label beside the latest point; at most four. */
struct chart_path {
	const struct chart_point	*anx, *avo;
	size_t				 n;
	const char			*label;		/* or NULL */
};
void	 chart_plane_paths(struct buf *, const struct chart_path *,
	    size_t npaths, double lo, double hi, bool regions);

/* A QR code of text as SVG (with its quiet zone), titled for screen
 * readers; nothing when the text is too long for one. */
void	 chart_qr(struct buf *, const char *text, const char *title);

#endif

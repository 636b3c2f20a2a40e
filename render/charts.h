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

struct chart_point {
	const char	*date;		/* YYYY-MM-DD... */
	double		 value;
};

/*
 * A line chart of one score over time, on the score's whole range, with
 * its bands shaded and, when the score has norms, the band of change that
 * is not reliable around the first value.
 */
/* The expected band at a point (app/expected.h), when ok. */
struct chart_band {
	bool		 ok;
	double		 lo, mid, hi;
};
/* band (NULL: none) has one entry per point: the expected path is drawn
 * as a dashed line in a shaded band, titled with how many episodes it
 * comes from (episodes). */
void	 chart_measure(struct buf *, const struct instrument *,
	    const struct instr_score *, const struct chart_point *, size_t n,
	    const struct chart_band *band, size_t episodes);

/*
 * The anxiety x avoidance plane with a trajectory (x: avoidance).  With
 * regions, the four quadrants carry their conventional names: only for a
 * therapist, with PLANE_CAVEAT beside the picture; never in anything a
 * client reads.
 */
void	 chart_plane(struct buf *, const struct chart_point *anxiety,
	    const struct chart_point *avoidance, size_t n, double lo,
	    double hi, bool regions);

/* A mark on the time line: its date (YYYY[-MM[-DD]]) and its lane. */
enum chart_lane { CHART_SESSION, CHART_MEASURE, CHART_EVENT };
struct chart_mark {
	char		 date[11];
	enum chart_lane	 lane;
};
/*
 * A strip of the therapy's time line: sessions, measures and life
 * events on three lanes against one time axis, labelled with the
 * earliest date.
 */
void	 chart_timeline(struct buf *, const struct chart_mark *, size_t n);

/* A QR code of text as SVG (with its quiet zone), titled for screen
 * readers; nothing when the text is too long for one. */
void	 chart_qr(struct buf *, const char *text, const char *title);

#endif

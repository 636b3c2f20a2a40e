/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_svg.h - the pictures of an attachment history: the
 * relationship map (a genogram with McGoldrick-style emotional lines and
 * a legend) and the lifeline (events above or below the line by valence,
 * height by intensity, with the therapy's sessions and measures on the
 * same axis).
 *
 * Both are SVG drawn with presentation attributes only (the page's CSP
 * allows no style attribute), with a title and a description for screen
 * readers; the page beside them lists the same facts as text.  Every
 * person is a <g data-person="ID">, every tie a <g data-tie="N"> (N: its
 * index in the history), so tests can check that each is drawn once.
 */
#ifndef SB_HISTORY_SVG_H
#define SB_HISTORY_SVG_H

#include "app/history_view.h"
#include "core/buf.h"
#include "core/genogram.h"
#include "core/history.h"
#include "store/store.h"

/* The relationship map at the places of g (genogram_layout of h). */
void	 svg_map(struct buf *, const struct history *h,
	    const struct genogram *g);

/*
 * The lifeline of h, with the therapy's marks (sorted by date) on the
 * same axis.  Ages need self's birth year for dated events; without it
 * the axis is calendar years and events known only by age are listed
 * under the picture instead.
 */
void	 svg_lifeline(struct buf *, const struct history *h,
	    const struct lifeline_mark *marks, size_t nmarks);

#endif

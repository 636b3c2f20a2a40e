/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * charts.c - SVG line charts and the attachment plane.  See charts.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/change.h"
#include "core/text.h"
#include "core/plane.h"
#include "core/qr.h"
#include "render/charts.h"
#include "render/html.h"

#define W	640
#define H	200
#define X0	48
#define X1	620
#define Y0	12
#define Y1	176

static double
ypos(double v, double lo, double hi)
{
	if (hi <= lo)
		return Y1;
	return Y1 - (v - lo) / (hi - lo) * (Y1 - Y0);
}

static double
xpos(size_t i, size_t n)
{
	return n < 2 ? (X0 + X1) / 2.0 : X0 + (double)i * (X1 - X0) /
	    (double)(n - 1);
}

static void
num(struct buf *b, double v)
{
	html_num(b, v, 1);
}

/* A date label's anchor on an axis of n: the first starts at its tick,
 * the last ends at it, a lone one is centred. */
static void
anchor(struct buf *b, size_t i, size_t n)
{
	if (n == 1 || (i != 0 && i + 1 != n))
		HTML_LIT(b, " text-anchor=\"middle\"");
	else if (i + 1 == n)
		HTML_LIT(b, " text-anchor=\"end\"");
}

/* A light fill per band, from calm to alarming. */
static const char *const band_fill[] = { "#eef6ee", "#f7f6e6", "#fbefe2",
    "#f9e4e0", "#f4d9d9", "#f0d0d0" };

/* An id unique within the page being written: where the chart starts
 * in it. */
static void
chart_id(struct buf *b, const char *prefix, size_t at)
{
	buf_printf(b, "%s%zu", prefix, at);
}

/* The date part of a point's date ("2026-11-03"). */
static void
date_text(struct buf *b, const char *d)
{
	char	 day[11];

	snprintf(day, sizeof(day), "%.10s", d);
	html_text(b, day);
}

/*
 * Dates under a time axis, in the page's words ("9 Jun"; the year
 * where it is not the latest point's), never on top of each other: the
 * first and the last always, and between them each one that keeps a
 * gap to the one before and to the last.  Widths are estimated from the
 * letters (0.62 of the type size each, a little more than DejaVu Sans
 * needs).
 */
struct axis_dates {
	const char *last;	/* the latest point's date */
	double	 size;		/* the type's */
	double	 prev_right;	/* the last label's end */
	double	 last_left;	/* where the last label begins */
};

/* The day words of d and their width. */
static double
axis_words(const struct axis_dates *ad, const char *d, char *out, size_t n)
{
	if (!text_day_short(d, ad->last, out, n))
		snprintf(out, n, "%.10s", d);
	return (double)strlen(out) * ad->size * 0.62 + 2;
}

static void
axis_dates_init(struct axis_dates *ad, const struct chart_point *p, size_t n,
    double size)
{
	char	 w[24];

	ad->size = size;
	ad->last = n > 0 ? p[n - 1].date : NULL;
	ad->prev_right = -1e9;
	ad->last_left = n > 1 ? X1 - axis_words(ad, p[n - 1].date, w,
	    sizeof(w)) : 1e9;
}

/*
 * Point i of n's date under the axis at y, with its tick when tick, if
 * it has room; the first starts at its point, the last ends at it, a
 * lone one is centred.
 */
static void
axis_date(struct buf *b, struct axis_dates *ad, const struct chart_point *p,
    size_t i, size_t n, double y, bool tick)
{
	char	 w[24];
	double	 x = xpos(i, n), wd = axis_words(ad, p[i].date, w, sizeof(w));
	double	 left, right;

	if (n == 1 || (i != 0 && i + 1 != n)) {
		left = x - wd / 2;
		right = x + wd / 2;
	} else if (i == 0) {
		left = x;
		right = x + wd;
	} else {
		left = x - wd;
		right = x;
	}
	if (i != 0 && i + 1 != n && (left < ad->prev_right + 8 ||
	    right > ad->last_left - 8))
		return;
	ad->prev_right = right;
	if (tick) {
		HTML_LIT(b, "<line y1=\"176\" y2=\"180\" stroke=\"#4a5560\" "
		    "x1=\"");
		num(b, x);
		HTML_LIT(b, "\" x2=\"");
		num(b, x);
		HTML_LIT(b, "\"/>");
	}
	HTML_LIT(b, "<text");
	html_attr(b, "font-size", ad->size > 15 ? "20" : "10");
	anchor(b, i, n);
	HTML_LIT(b, " x=\"");
	num(b, x);
	HTML_LIT(b, "\" y=\"");
	num(b, y);
	HTML_LIT(b, "\">");
	html_text(b, w);
	HTML_LIT(b, "</text>");
}

static long	day_number(const char *);

/*
 * Text placed on a plane without covering other text or a point: boxes
 * taken so far, in the plane's units.  A label's box is estimated from
 * its length (DejaVu Sans averages about 0.6 of the font size a letter;
 * a little more is taken, never less).
 */
#define PLACED_MAX	64
struct placed {
	double	 x0[PLACED_MAX], y0[PLACED_MAX], x1[PLACED_MAX],
		 y1[PLACED_MAX];
	size_t	 n;
};

static void
placed_add(struct placed *pl, double x0, double y0, double x1, double y1)
{
	if (pl->n == PLACED_MAX)
		return;
	pl->x0[pl->n] = x0;
	pl->y0[pl->n] = y0;
	pl->x1[pl->n] = x1;
	pl->y1[pl->n] = y1;
	pl->n++;
}

/* How much of the box lies on what is placed (area). */
static double
placed_overlap(const struct placed *pl, double x0, double y0, double x1,
    double y1)
{
	double	 a = 0, w, h;
	size_t	 i;

	for (i = 0; i < pl->n; i++) {
		w = (x1 < pl->x1[i] ? x1 : pl->x1[i]) - (x0 > pl->x0[i] ? x0 :
		    pl->x0[i]);
		h = (y1 < pl->y1[i] ? y1 : pl->y1[i]) - (y0 > pl->y0[i] ? y0 :
		    pl->y0[i]);
		if (w > 0 && h > 0)
			a += w * h;
	}
	return a;
}

/* Letters of UTF-8 text (continuation bytes not counted). */
static size_t
letters(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}


/* The line through a score's points, evenly spaced. */
static void
polyline(struct buf *b, const struct chart_point *p, size_t n, double lo,
    double hi)
{
	size_t	 i;

	HTML_LIT(b, "<polyline fill=\"none\" stroke=\"#245\" "
	    "stroke-width=\"2\" points=\"");
	for (i = 0; i < n; i++) {
		num(b, xpos(i, n));
		buf_addc(b, ',');
		num(b, ypos(p[i].value, lo, hi));
		buf_addc(b, ' ');
	}
	HTML_LIT(b, "\"/>");
}

/*
 * Life events on a chart whose points are evenly spaced: an event falls
 * between the two points around its date, in proportion to the days.
 */
static void
events_marks(struct buf *b, const struct chart_point *p, size_t n,
    const struct chart_event *ev, size_t nev)
{
	long	 dn, d0, d1;
	double	 x;
	size_t	 i, k;

	for (k = 0; k < nev && n > 1; k++) {
		if ((dn = day_number(ev[k].date)) < 0)
			continue;
		for (i = 0; i + 1 < n; i++) {
			d0 = day_number(p[i].date);
			d1 = day_number(p[i + 1].date);
			if (d0 >= 0 && d1 >= d0 && dn >= d0 && dn <= d1)
				break;
		}
		if (i + 1 >= n)
			continue;
		x = xpos(i, n) + (d1 > d0 ? (xpos(i + 1, n) - xpos(i, n)) *
		    (double)(dn - d0) / (double)(d1 - d0) : 0);
		HTML_LIT(b, "<g><title>");
		date_text(b, ev[k].date);
		HTML_LIT(b, ": ");
		html_text(b, ev[k].label);
		HTML_LIT(b, " (life event)</title><line y1=\"12\" y2=\"176\" "
		    "stroke=\"#8a5a00\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"2 3\" x1=\"");
		num(b, x);
		HTML_LIT(b, "\" x2=\"");
		num(b, x);
		HTML_LIT(b, "\"/><path fill=\"#8a5a00\" d=\"M");
		num(b, x - 5);
		HTML_LIT(b, " 176L");
		num(b, x + 5);
		HTML_LIT(b, " 176L");
		num(b, x);
		HTML_LIT(b, " 167z\"/></g>");
	}
}

/*
 * The expected path over the points that have one: a green band from
 * lo to hi with the expected score dashed in it, titled.
 */
static void
expected_band(struct buf *b, const struct chart_band *e, size_t n,
    double lo, double hi, const char *shaped)
{
	size_t	 i, first = n;

	for (i = 0; i < n; i++)
		if (e[i].ok) {
			first = i;
			break;
		}
	if (first == n)
		return;
	HTML_LIT(b, "<g><title>The expected path and the band 8 in 10 "
	    "comparable clients stay in (");
	html_text(b, shaped != NULL ? shaped : "");
	HTML_LIT(b, ")</title><polygon "
	    "fill=\"#d9efd9\" fill-opacity=\"0.7\" stroke=\"#4f8a4f\" "
	    "stroke-width=\"1\" points=\"");
	for (i = first; i < n; i++)
		if (e[i].ok) {
			num(b, xpos(i, n));
			buf_addc(b, ',');
			num(b, ypos(e[i].hi, lo, hi));
			buf_addc(b, ' ');
		}
	for (i = n; i-- > first;)
		if (e[i].ok) {
			num(b, xpos(i, n));
			buf_addc(b, ',');
			num(b, ypos(e[i].lo, lo, hi));
			buf_addc(b, ' ');
		}
	HTML_LIT(b, "\"/><polyline fill=\"none\" stroke=\"#2f6b2f\" "
	    "stroke-width=\"1.5\" stroke-dasharray=\"5 4\" points=\"");
	for (i = first; i < n; i++)
		if (e[i].ok) {
			num(b, xpos(i, n));
			buf_addc(b, ',');
			num(b, ypos(e[i].mid, lo, hi));
			buf_addc(b, ' ');
		}
	HTML_LIT(b, "\"/></g>");
}

void
chart_measure(struct buf *b, const struct instrument *in,
    const struct instr_score *sc, const struct chart_point *p, size_t n,
    const struct chart_band *expected, const char *shaped,
    const struct chart_event *ev, size_t nev)
{
	struct change_result	 r;
	struct axis_dates	 ad;
	struct placed		 pl;
	double			 lo = sc->min, hi = sc->max, top, x, y, y2 = 0, yr = 0;
	double			 w;
	size_t			 k;
	bool			 rc, right;
	size_t			 i, at = b->len;
	const char		*band;

	axis_dates_init(&ad, p, n, 10);
	HTML_LIT(b, "<svg viewBox=\"0 0 640 210\" width=\"100%\" "
	    "role=\"img\" aria-labelledby=\"");
	chart_id(b, "t", at);
	HTML_LIT(b, "\"><title id=\"");
	chart_id(b, "t", at);
	HTML_LIT(b, "\">");
	html_text(b, in->name);
	HTML_LIT(b, " ");
	html_text(b, sc->label);
	HTML_LIT(b, " over time; the numbers are in the table below"
	    "</title>");
	for (i = 0; i < sc->nbands; i++) {
		top = i + 1 < sc->nbands ? sc->bands[i + 1].from : hi;
		HTML_LIT(b, "<rect x=\"48\" width=\"572\"");
		HTML_LIT(b, " y=\"");
		num(b, ypos(top, lo, hi));
		HTML_LIT(b, "\" height=\"");
		num(b, ypos(sc->bands[i].from, lo, hi) - ypos(top, lo, hi));
		HTML_LIT(b, "\"");
		html_attr(b, "fill", band_fill[i < 6 ? i : 5]);
		HTML_LIT(b, "/>");
	}
	/* Change smaller than the reliable change index is noise: shade
	 * the band around the first value that a later score must leave,
	 * and say so on it. */
	rc = n > 0 && change_classify(sc, p[0].value, p[0].value,
	    CRITERION_AUTO, &r) == SB_OK;
	if (rc) {
		yr = ypos(p[0].value + r.min_change, lo, hi);
		yr = yr < Y0 ? Y0 : yr;
		y2 = ypos(p[0].value - r.min_change, lo, hi);
		y2 = y2 > Y1 ? Y1 : y2;
		/* Under an expected band it is an outline only: two
		 * translucent layers at most. */
		HTML_LIT(b, "<rect x=\"48\" width=\"572\" stroke=\"#8aa5c8\" "
		    "stroke-dasharray=\"3 3\"");
		HTML_PICK(b, expected != NULL, " fill=\"none\"",
		    " fill=\"#dfe9f5\" fill-opacity=\"0.6\"");
		HTML_LIT(b, " y=\"");
		num(b, yr);
		HTML_LIT(b, "\" height=\"");
		num(b, y2 - yr);
		HTML_LIT(b, "\"/>");
	}
	if (expected != NULL)
		expected_band(b, expected, n, lo, hi, shaped);
	events_marks(b, p, n, ev, nev);
	/* Words over every layer, on no point and on no other words:
	 * the points are taken first. */
	memset(&pl, 0, sizeof(pl));
	for (i = 0; i < n && i < PLACED_MAX / 2; i++)
		placed_add(&pl, xpos(i, n) - 6, ypos(p[i].value, lo, hi) - 6,
		    xpos(i, n) + 6, ypos(p[i].value, lo, hi) + 6);
	/* Labels last, so that no shading dims them; each band's lower
	 * bound is a tick on the axis. */
	for (i = 0; i < sc->nbands; i++) {
		top = i + 1 < sc->nbands ? sc->bands[i + 1].from : hi;
		/* At the left unless a point or words are there; then at
		 * the right. */
		y = ypos(top, lo, hi) + 12;
		w = (double)letters(sc->bands[i].label) * 11 * 0.62;
		right = placed_overlap(&pl, 50, y - 11, 52 + w, y + 2) > 0 &&
		    placed_overlap(&pl, 616 - w, y - 11, 618, y + 2) == 0;
		x = right ? 616 - w : 52;
		placed_add(&pl, x, y - 11, x + w, y + 2);
		HTML_PICK(b, right, "<text x=\"616\" text-anchor=\"end\"",
		    "<text x=\"52\"");
		HTML_LIT(b, " font-size=\"11\" fill=\"#3a4450\" y=\"");
		num(b, y);
		HTML_LIT(b, "\">");
		html_text(b, sc->bands[i].label);
		HTML_LIT(b, "</text>");
		if (sc->bands[i].from > lo) {
			HTML_LIT(b, "<text x=\"44\" font-size=\"11\" "
			    "text-anchor=\"end\" y=\"");
			num(b, ypos(sc->bands[i].from, lo, hi) + 4);
			HTML_LIT(b, "\">");
			num(b, sc->bands[i].from);
			HTML_LIT(b, "</text>");
		}
	}
	if (rc) {
		/* At the band's foot, at the right or the left, else at
		 * its head; the band labels are placed before it. */
		const double ry[] = { y2 - 3, y2 - 3, yr + 11, yr + 11 };

		w = 44 * 10 * 0.62;
		for (k = 0; k < 4; k++) {
			x = k % 2 == 0 ? 616 - w : 52;
			if (placed_overlap(&pl, x, ry[k] - 10, x + w, ry[k] + 2)
			    == 0)
				break;
		}
		/* No room in the plot: above it, at the right. */
		HTML_PICK(b, k == 4 || k % 2 == 0, "<text x=\"616\" "
		    "text-anchor=\"end\"", "<text x=\"52\"");
		HTML_LIT(b, " font-size=\"10\" fill=\"#2b4a6e\" y=\"");
		num(b, k == 4 ? 9 : ry[k]);
		HTML_LIT(b, "\">within ");
		num(b, r.min_change);
		HTML_LIT(b, " of the first: no reliable change</text>");
	}
	HTML_LIT(b, "<line x1=\"48\" y1=\"176\" x2=\"620\" y2=\"176\" "
	    "stroke=\"#4a5560\"/><line x1=\"48\" y1=\"12\" x2=\"48\" "
	    "y2=\"176\" stroke=\"#4a5560\"/><text x=\"44\" y=\"180\" "
	    "font-size=\"11\" text-anchor=\"end\">");
	num(b, lo);
	HTML_LIT(b, "</text><text x=\"44\" y=\"16\" font-size=\"11\" "
	    "text-anchor=\"end\">");
	num(b, hi);
	HTML_LIT(b, "</text>");
	if (n > 0) {
		polyline(b, p, n, lo, hi);
		/* Each point says its date and value on hover. */
		for (i = 0; i < n; i++) {
			HTML_LIT(b, "<circle r=\"4\" fill=\"#245\" cx=\"");
			num(b, xpos(i, n));
			HTML_LIT(b, "\" cy=\"");
			num(b, ypos(p[i].value, lo, hi));
			HTML_LIT(b, "\"><title>");
			date_text(b, p[i].date);
			HTML_LIT(b, ": ");
			html_num(b, p[i].value, 2);
			if ((band = instr_band_label(sc, p[i].value)) != NULL) {
				HTML_LIT(b, " (");
				html_text(b, band);
				HTML_LIT(b, ")");
			}
			HTML_LIT(b, "</title></circle>");
			axis_date(b, &ad, p, i, n, 194, true);
		}
	}
	HTML_LIT(b, "</svg>");
}

void
chart_plane(struct buf *b, const struct chart_point *anx,
    const struct chart_point *avo, size_t n, double lo, double hi,
    bool regions)
{
	struct chart_path	 p = { anx, avo, n, NULL };

	chart_plane_paths(b, &p, 1, lo, hi, regions);
}

/* Each path's colour, and its point's outline: told apart by the
 * label beside the latest point too, never by colour alone. */
static const char *const path_colour[] = { "#245", "#a0522d", "#2f6b2f",
    "#6a3d9a" };

/*
 * Where a label of width w and font size fs goes beside the point at
 * (x, y): right or left of it, above or below, or centred above or
 * below, whichever covers nothing placed and stays inside lo..hi; else
 * the one that covers least.  *ax, *ay: the text's position; *anc: 0
 * starts there, 1 ends there, 2 is centred.
 */
static void
place_label(struct placed *pl, double x, double y, double w, double fs,
    double lo, double hi, double *ax, double *ay, int *anc)
{
	static const double dx[] = { 8, 8, -8, -8, 0, 0 };
	static const double dy[] = { -8, 15, -8, 15, -10, 18 };
	static const int an[] = { 0, 0, 1, 1, 2, 2 };
	double	 best = -1, a, x0, x1, y0, y1;
	size_t	 k, j, first = x + 8 + w > hi ? 2 : 0;

	for (k = 0; k < 6; k++) {
		j = k < 4 ? (first + k) % 4 : k;
		x0 = an[j] == 0 ? x + dx[j] : an[j] == 1 ? x + dx[j] - w :
		    x - w / 2;
		x1 = x0 + w;
		y1 = y + dy[j] + 2;
		y0 = y1 - fs - 2;
		a = placed_overlap(pl, x0, y0, x1, y1);
		/* Past the plane's edge, on its scale: as bad as covering
		 * the whole label. */
		if (x0 < lo - 2 || x1 > hi + 2 || y0 < lo - 2 || y1 > hi + 2)
			a += w * fs * 2;
		if (best < 0 || a < best) {
			best = a;
			*ax = x + dx[j];
			*ay = y + dy[j];
			*anc = an[j];
		}
		if (a == 0)
			break;
	}
	x0 = *anc == 0 ? *ax : *anc == 1 ? *ax - w : *ax - w / 2;
	placed_add(pl, x0, *ay - fs, x0 + w, *ay + 2);
}

void
chart_plane_paths(struct buf *b, const struct chart_path *paths,
    size_t npaths, double lo, double hi, bool regions)
{
	/* 340 x 340: x = avoidance, y = anxiety (up is more anxious). */
	const double		 s0 = 40, s1 = 300;
	/* Region and axis words: where they are, how long, which end. */
	static const struct {
		double		 x, y;
		const char	*words;
		bool		 end, regions;
	} fixed[] = {
		{ 46, 294, "secure", false, true },
		{ 46, 54, "preoccupied", false, true },
		{ 294, 294, "dismissing", true, true },
		{ 294, 54, "fearful", true, true },
		{ 46, 294, "lower on both", false, false },
		{ 294, 54, "higher on both", true, false },
	};
	const struct chart_point *anx, *avo;
	const char		*col;
	struct placed		 pl;
	double			 mid = (lo + hi) / 2, x, y, v, w, lx, ly;
	size_t			 i, k, n, at = b->len;
	int			 anc;
	char			 label[160], day[24];

#define PX(v)	(s0 + ((v) - lo) / (hi - lo) * (s1 - s0))
#define PY(v)	(s1 - ((v) - lo) / (hi - lo) * (s1 - s0))
	/* Drawn at 380 px, so that its 11-unit type reads at 12 px. */
	HTML_LIT(b, "<svg viewBox=\"0 0 340 340\" width=\"380\" "
	    "height=\"380\" class=\"plane\" role=\"img\" "
	    "aria-labelledby=\"");
	chart_id(b, "t", at);
	HTML_LIT(b, "\"><title id=\"");
	chart_id(b, "t", at);
	HTML_PICK(b, npaths > 1, "\">Attachment anxiety and avoidance over "
	    "time of each person, the arrows pointing to the latest; the "
	    "numbers are in the tables below</title><defs>", "\">Attachment "
	    "anxiety and avoidance over time, the arrow pointing to the "
	    "latest; the numbers are in the table below</title><defs>");
	for (k = 0; k < npaths && k < 4; k++) {
		HTML_LIT(b, "<marker viewBox=\"0 0 10 10\" refX=\"9\" "
		    "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
		    "orient=\"auto\" id=\"");
		chart_id(b, "a", at + k);
		HTML_LIT(b, "\"><path d=\"M0 0L10 5L0 10z\"");
		html_attr(b, "fill", path_colour[k]);
		HTML_LIT(b, "/></marker>");
	}
	HTML_LIT(b, "</defs><rect x=\"40\" y=\"40\" width=\"260\" "
	    "height=\"260\" fill=\"#fff\" stroke=\"#4a5560\"/>");
	HTML_LIT(b, "<line y1=\"40\" y2=\"300\" stroke=\"#99a\" "
	    "stroke-dasharray=\"4 3\" x1=\"");
	num(b, PX(mid));
	HTML_LIT(b, "\" x2=\"");
	num(b, PX(mid));
	HTML_LIT(b, "\"/><line x1=\"40\" x2=\"300\" stroke=\"#99a\" "
	    "stroke-dasharray=\"4 3\" y1=\"");
	num(b, PY(mid));
	HTML_LIT(b, "\" y2=\"");
	num(b, PY(mid));
	HTML_LIT(b, "\"/><g font-size=\"11\" fill=\"#4a5560\">");
	/* The scale: each whole point of the answer scale on both axes. */
	for (v = lo; v <= hi + 1e-9; v += 1) {
		HTML_LIT(b, "<text text-anchor=\"middle\" y=\"314\" x=\"");
		num(b, PX(v));
		HTML_LIT(b, "\">");
		num(b, v);
		HTML_LIT(b, "</text><text text-anchor=\"end\" x=\"34\" y=\"");
		num(b, PY(v) + 4);
		HTML_LIT(b, "\">");
		num(b, v);
		HTML_LIT(b, "</text>");
	}
	memset(&pl, 0, sizeof(pl));
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].regions != regions)
			continue;
		w = (double)letters(fixed[i].words) * 11 * 0.62;
		HTML_LIT(b, "<text");
		if (fixed[i].end)
			HTML_LIT(b, " text-anchor=\"end\"");
		HTML_LIT(b, " x=\"");
		num(b, fixed[i].x);
		HTML_LIT(b, "\" y=\"");
		num(b, fixed[i].y);
		HTML_LIT(b, "\">");
		html_text(b, fixed[i].words);
		HTML_LIT(b, "</text>");
		lx = fixed[i].end ? fixed[i].x - w : fixed[i].x;
		placed_add(&pl, lx, fixed[i].y - 11, lx + w, fixed[i].y + 2);
	}
	/* The points are taken before any label, so that none covers
	 * one. */
	for (k = 0; k < npaths && k < 4; k++)
		for (i = 0; i < paths[k].n; i++)
			placed_add(&pl, PX(paths[k].avo[i].value) - 6,
			    PY(paths[k].anx[i].value) - 6,
			    PX(paths[k].avo[i].value) + 6,
			    PY(paths[k].anx[i].value) + 6);
	HTML_LIT(b, "<text x=\"170\" y=\"332\" text-anchor=\"middle\">"
	    "avoidance</text><text x=\"12\" y=\"170\" text-anchor=\""
	    "middle\" transform=\"rotate(-90 12 170)\">anxiety</text></g>");
	for (k = 0; k < npaths && k < 4; k++) {
		anx = paths[k].anx;
		avo = paths[k].avo;
		n = paths[k].n;
		col = path_colour[k];
		/* The path in time order, an arrow on each step (none on
		 * a step that does not move: an arrowhead alone). */
		for (i = 0; i + 1 < n; i++) {
			if (fabs(PX(avo[i + 1].value) - PX(avo[i].value)) +
			    fabs(PY(anx[i + 1].value) - PY(anx[i].value)) < 1)
				continue;
			HTML_LIT(b, "<line stroke-width=\"1.5\"");
			html_attr(b, "stroke", col);
			HTML_LIT(b, " x1=\"");
			num(b, PX(avo[i].value));
			HTML_LIT(b, "\" y1=\"");
			num(b, PY(anx[i].value));
			HTML_LIT(b, "\" x2=\"");
			num(b, PX(avo[i + 1].value));
			HTML_LIT(b, "\" y2=\"");
			num(b, PY(anx[i + 1].value));
			HTML_LIT(b, "\" marker-end=\"url(#");
			chart_id(b, "a", at + k);
			HTML_LIT(b, ")\"/>");
		}
		for (i = 0; i < n; i++) {
			x = PX(avo[i].value);
			y = PY(anx[i].value);
			HTML_LIT(b, "<circle cx=\"");
			num(b, x);
			HTML_LIT(b, "\" cy=\"");
			num(b, y);
			HTML_LIT(b, "\"");
			if (i + 1 == n) {
				HTML_LIT(b, " r=\"6\"");
				html_attr(b, "fill", col);
			} else {
				HTML_LIT(b, " r=\"4\" fill=\"#fff\"");
				html_attr(b, "stroke", col);
			}
			HTML_LIT(b, "><title>");
			if (paths[k].label != NULL) {
				html_text(b, paths[k].label);
				HTML_LIT(b, ", ");
			}
			date_text(b, anx[i].date);
			HTML_LIT(b, ": anxiety ");
			html_num(b, anx[i].value, 2);
			HTML_LIT(b, ", avoidance ");
			html_num(b, avo[i].value, 2);
			HTML_LIT(b, "</title></circle>");
			/* The first and the latest are dated on the plane;
			 * with several people, the latest is named. */
			if ((i != 0 || npaths > 1) && i + 1 != n)
				continue;
			/* Beside the point, where it covers no other text
			 * and no point. */
			/* A person's latest is named, without its date (in
			 * the point's title and the table): a name and a
			 * date do not fit beside a point. */
			if (paths[k].label != NULL)
				snprintf(label, sizeof(label), "%s, latest",
				    paths[k].label);
			else {
				if (!text_day_short(anx[i].date, anx[n - 1].date,
				    day, sizeof(day)))
					snprintf(day, sizeof(day), "%.10s",
					    anx[i].date);
				snprintf(label, sizeof(label), "%s %s", i + 1 ==
				    n ? "latest" : "first", day);
			}
			w = (double)letters(label) * 11 * 0.62;
			place_label(&pl, x, y, w, 11, s0, s1, &lx, &ly, &anc);
			HTML_LIT(b, "<text font-size=\"11\" fill=\"#1d2630\" "
			    "x=\"");
			num(b, lx);
			HTML_LIT(b, "\" y=\"");
			num(b, ly);
			HTML_LIT(b, "\"");
			if (anc == 1)
				HTML_LIT(b, " text-anchor=\"end\"");
			else if (anc == 2)
				HTML_LIT(b, " text-anchor=\"middle\"");
			HTML_LIT(b, ">");
			html_text(b, label);
			HTML_LIT(b, "</text>");
		}
	}
	HTML_LIT(b, "</svg>");
#undef PX
#undef PY
}

/* Days since 1800-01-01 of "YYYY-MM-DD" (or YYYY, YYYY-MM), -1 if not. */
static long
day_number(const char *d)
{
	static const int cum[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243,
	    273, 304, 334 };
	long	 y, m = 1, dd = 1;
	size_t	 n = strcspn(d, "\t\n");

	if (n < 4 || !text_int(d, 4, &y) || y < 1800)
		return -1;
	if (n >= 7 && d[4] == '-' && (!text_int(d + 5, 2, &m) || m < 1 ||
	    m > 12))
		return -1;
	if (n >= 10 && d[7] == '-' && (!text_int(d + 8, 2, &dd) || dd < 1 ||
	    dd > 31))
		return -1;
	return (y - 1800) * 365 + (y - 1800) / 4 + cum[m - 1] + dd;
}

void
chart_qr(struct buf *b, const char *text, const char *title)
{
	struct qr	 q;
	int		 r, c, run, side;

	if (qr_encode(text, strlen(text), &q) != SB_OK)
		return;
	side = q.size + 8;		/* four light modules around */
	HTML_LIT(b, "<svg role=\"img\" aria-labelledby=\"t-qr\" "
	    "width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" "
	    "viewBox=\"0 0 ");
	html_int(b, side);
	HTML_LIT(b, " ");
	html_int(b, side);
	HTML_LIT(b, "\"><title id=\"t-qr\">");
	html_text(b, title);
	HTML_LIT(b, "</title><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path "
	    "fill=\"#000\" d=\"");
	/* One horizontal run of dark modules per path segment. */
	for (r = 0; r < q.size; r++)
		for (c = 0; c < q.size; c += run) {
			for (run = 0; c + run < q.size && q.m[r][c + run];
			    run++)
				;
			if (run == 0) {
				run = 1;
				continue;
			}
			HTML_LIT(b, "M");
			html_int(b, c + 4);
			HTML_LIT(b, " ");
			html_int(b, r + 4);
			HTML_LIT(b, "h");
			html_int(b, run);
			HTML_LIT(b, "v1h-");
			html_int(b, run);
			HTML_LIT(b, "z");
		}
	HTML_LIT(b, "\"/></svg>");
}

void
chart_progress(struct buf *b, const struct instrument *in,
    const struct instr_score *sc, const struct chart_point *p, size_t n)
{
	struct axis_dates	 ad;
	double			 lo = sc->min, hi = sc->max;
	size_t			 i, at = b->len;

	axis_dates_init(&ad, p, n, 20);
	/* The scale and the client's points: no bands, no clinical words,
	 * no reliable-change shading (chart_measure's are for the
	 * therapist). */
	/* Type twice the therapist's chart's: the page is read on a
	 * phone, where the chart is a third of its drawn size. */
	HTML_LIT(b, "<svg viewBox=\"0 0 640 220\" width=\"100%\" "
	    "class=\"progress\" role=\"img\" aria-labelledby=\"");
	chart_id(b, "p", at);
	HTML_LIT(b, "\"><title id=\"");
	chart_id(b, "p", at);
	HTML_LIT(b, "\">Your ");
	html_text(b, in->name);
	HTML_LIT(b, " scores over time; the numbers are in the table below"
	    "</title><line x1=\"48\" y1=\"176\" x2=\"620\" y2=\"176\" "
	    "stroke=\"#4a5560\"/><line x1=\"48\" y1=\"12\" x2=\"48\" "
	    "y2=\"176\" stroke=\"#4a5560\"/><text x=\"42\" y=\"182\" "
	    "font-size=\"20\" text-anchor=\"end\">");
	num(b, lo);
	HTML_LIT(b, "</text><text x=\"42\" y=\"22\" font-size=\"20\" "
	    "text-anchor=\"end\">");
	num(b, hi);
	HTML_LIT(b, "</text>");
	if (n > 1)
		polyline(b, p, n, lo, hi);
	for (i = 0; i < n; i++) {
		HTML_LIT(b, "<circle r=\"6\" fill=\"#245\" cx=\"");
		num(b, xpos(i, n));
		HTML_LIT(b, "\" cy=\"");
		num(b, ypos(p[i].value, lo, hi));
		HTML_LIT(b, "\"><title>");
		date_text(b, p[i].date);
		HTML_LIT(b, ": ");
		html_num(b, p[i].value, 2);
		HTML_LIT(b, "</title></circle>");
		/* The first and the latest dated, and between them what
		 * has room. */
		axis_date(b, &ad, p, i, n, 208, false);
	}
	HTML_LIT(b, "</svg>");
}

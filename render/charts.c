/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * charts.c - SVG line charts and the attachment plane.  See charts.h.
 */
#include <stdio.h>
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

/* Which of n points get a date under the axis: all of up to 8, else
 * about 6 spread evenly, always the first and the last. */
static bool
date_tick(size_t i, size_t n)
{
	size_t	 step = (n + 5) / 6;

	return n <= 8 || i == 0 || i + 1 == n || (i % step == 0 &&
	    n - 1 - i >= step / 2);
}

static long	day_number(const char *);

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
	double			 lo = sc->min, hi = sc->max, top, y, y2;
	size_t			 i, at = b->len;
	const char		*band;

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
	if (n > 0 && change_classify(sc, p[0].value, p[0].value,
	    CRITERION_AUTO, &r) == SB_OK) {
		y = ypos(p[0].value + r.min_change, lo, hi);
		y = y < Y0 ? Y0 : y;
		y2 = ypos(p[0].value - r.min_change, lo, hi);
		y2 = y2 > Y1 ? Y1 : y2;
		HTML_LIT(b, "<rect x=\"48\" width=\"572\" fill=\"#dfe9f5\" "
		    "fill-opacity=\"0.6\" stroke=\"#8aa5c8\" "
		    "stroke-dasharray=\"3 3\" y=\"");
		num(b, y);
		HTML_LIT(b, "\" height=\"");
		num(b, y2 - y);
		HTML_LIT(b, "\"/><text x=\"616\" font-size=\"10\" "
		    "fill=\"#2b4a6e\" text-anchor=\"end\" y=\"");
		num(b, y2 - 3);
		HTML_LIT(b, "\">within ");
		num(b, r.min_change);
		HTML_LIT(b, " of the first: no reliable change</text>");
	}
	if (expected != NULL)
		expected_band(b, expected, n, lo, hi, shaped);
	events_marks(b, p, n, ev, nev);
	/* Labels last, so that no shading dims them; each band's lower
	 * bound is a tick on the axis. */
	for (i = 0; i < sc->nbands; i++) {
		top = i + 1 < sc->nbands ? sc->bands[i + 1].from : hi;
		HTML_LIT(b, "<text x=\"52\" font-size=\"11\" fill=\"#3a4450\""
		    " y=\"");
		num(b, ypos(top, lo, hi) + 12);
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
			if (!date_tick(i, n))
				continue;
			HTML_LIT(b, "<line y1=\"176\" y2=\"180\" "
			    "stroke=\"#4a5560\" x1=\"");
			num(b, xpos(i, n));
			HTML_LIT(b, "\" x2=\"");
			num(b, xpos(i, n));
			HTML_LIT(b, "\"/><text y=\"194\" font-size=\"10\"");
			anchor(b, i, n);
			HTML_LIT(b, " x=\"");
			num(b, xpos(i, n));
			HTML_LIT(b, "\">");
			date_text(b, p[i].date);
			HTML_LIT(b, "</text>");
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

void
chart_plane_paths(struct buf *b, const struct chart_path *paths,
    size_t npaths, double lo, double hi, bool regions)
{
	/* 340 x 340: x = avoidance, y = anxiety (up is more anxious). */
	const double		 s0 = 40, s1 = 300;
	const struct chart_point *anx, *avo;
	const char		*col;
	double			 mid = (lo + hi) / 2, x, y, v;
	size_t			 i, k, n, at = b->len;
	bool			 right;

#define PX(v)	(s0 + ((v) - lo) / (hi - lo) * (s1 - s0))
#define PY(v)	(s1 - ((v) - lo) / (hi - lo) * (s1 - s0))
	HTML_LIT(b, "<svg viewBox=\"0 0 340 340\" width=\"340\" "
	    "height=\"340\" role=\"img\" aria-labelledby=\"");
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
	if (regions)
		HTML_LIT(b, "<text x=\"46\" y=\"294\">secure</text>"
		    "<text x=\"46\" y=\"54\">preoccupied</text>"
		    "<text x=\"294\" y=\"294\" text-anchor=\"end\">"
		    "dismissing</text><text x=\"294\" y=\"54\" "
		    "text-anchor=\"end\">fearful</text>");
	else
		HTML_LIT(b, "<text x=\"46\" y=\"294\">lower on both</text>"
		    "<text x=\"294\" y=\"54\" text-anchor=\"end\">higher "
		    "on both</text>");
	HTML_LIT(b, "<text x=\"170\" y=\"332\" text-anchor=\"middle\">"
	    "avoidance</text><text x=\"12\" y=\"170\" text-anchor=\""
	    "middle\" transform=\"rotate(-90 12 170)\">anxiety</text></g>");
	for (k = 0; k < npaths && k < 4; k++) {
		anx = paths[k].anx;
		avo = paths[k].avo;
		n = paths[k].n;
		col = path_colour[k];
		/* The path in time order, an arrow on each step. */
		for (i = 0; i + 1 < n; i++) {
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
			/* A label runs towards the middle: a named one is
			 * long, so it turns at the centre, not the edge. */
			right = x + 8 > (paths[k].label != NULL ? 170 : 250);
			HTML_LIT(b, "<text font-size=\"10\" fill=\"#1d2630\" "
			    "x=\"");
			num(b, right ? x - 8 : x + 8);
			HTML_LIT(b, "\" y=\"");
			num(b, i == 0 && n > 1 ? y + 14 : y - 8);
			HTML_LIT(b, "\"");
			if (right)
				HTML_LIT(b, " text-anchor=\"end\"");
			HTML_LIT(b, ">");
			if (paths[k].label != NULL) {
				html_text(b, paths[k].label);
				HTML_LIT(b, ", ");
			}
			HTML_PICK(b, i + 1 == n, "latest ", "first ");
			date_text(b, anx[i].date);
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
chart_timeline(struct buf *b, const struct chart_mark *m, size_t n)
{
	static const struct {
		const char	*label, *fill;
		int		 y;
	} lanes[] = {
		[CHART_SESSION] = { "Sessions", "#245", 30 },
		[CHART_MEASURE] = { "Measures", "#6a4c93", 60 },
		[CHART_EVENT] = { "Life events", "#b5442a", 90 },
	};
	long		 first = -1, last = -1, dn;
	size_t		 i, k, at = 0, end = 0, start = b->len;
	double		 x;

	for (i = 0; i < n; i++) {
		if ((dn = day_number(m[i].date)) < 0)
			continue;
		if (first < 0 || dn < first) {
			first = dn;
			at = i;
		}
		if (dn > last) {
			last = dn;
			end = i;
		}
	}
	HTML_LIT(b, "<svg viewBox=\"0 0 640 120\" width=\"100%\" "
	    "role=\"img\" aria-labelledby=\"");
	chart_id(b, "t", start);
	HTML_LIT(b, "\"><title id=\"");
	chart_id(b, "t", start);
	HTML_LIT(b, "\">Sessions, measures and life events over time; every "
	    "date is in the table below</title>");
	for (k = 0; k < 3; k++) {
		HTML_LIT(b, "<text x=\"0\" font-size=\"11\" fill=\"#3a4450\" "
		    "y=\"");
		html_int(b, lanes[k].y + 4);
		HTML_LIT(b, "\">");
		html_text(b, lanes[k].label);
		HTML_LIT(b, "</text><line x1=\"80\" x2=\"630\" "
		    "stroke=\"#ccd\" y1=\"");
		html_int(b, lanes[k].y);
		HTML_LIT(b, "\" y2=\"");
		html_int(b, lanes[k].y);
		HTML_LIT(b, "\"/>");
	}
	for (i = 0; first >= 0 && i < n; i++) {
		if ((dn = day_number(m[i].date)) < 0 || m[i].lane > CHART_EVENT)
			continue;
		x = last > first ? 85 + (double)(dn - first) * 540.0 /
		    (double)(last - first) : 355;
		HTML_LIT(b, "<circle r=\"4\" cx=\"");
		num(b, x);
		HTML_LIT(b, "\" cy=\"");
		html_int(b, lanes[m[i].lane].y);
		HTML_LIT(b, "\"");
		html_attr(b, "fill", lanes[m[i].lane].fill);
		HTML_LIT(b, "/>");
	}
	if (first >= 0) {
		HTML_LIT(b, "<line x1=\"85\" x2=\"625\" y1=\"100\" "
		    "y2=\"100\" stroke=\"#4a5560\"/><text x=\"85\" "
		    "y=\"114\" font-size=\"11\">");
		html_text(b, m[at].date);
		HTML_LIT(b, "</text>");
		if (last > first) {
			HTML_LIT(b, "<text x=\"625\" y=\"114\" "
			    "font-size=\"11\" text-anchor=\"end\">");
			html_text(b, m[end].date);
			HTML_LIT(b, "</text>");
		}
	}
	HTML_LIT(b, "</svg>");
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
	double	 lo = sc->min, hi = sc->max;
	size_t	 i, at = b->len;

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
		/* The first and the latest dated: room for two. */
		if (i != 0 && i + 1 != n)
			continue;
		HTML_LIT(b, "<text y=\"208\" font-size=\"20\"");
		anchor(b, i, n);
		HTML_LIT(b, " x=\"");
		num(b, xpos(i, n));
		HTML_LIT(b, "\">");
		date_text(b, p[i].date);
		HTML_LIT(b, "</text>");
	}
	HTML_LIT(b, "</svg>");
}

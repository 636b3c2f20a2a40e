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

/* A light fill per band, from calm to alarming. */
static const char *const band_fill[] = { "#eef6ee", "#f7f6e6", "#fbefe2",
    "#f9e4e0", "#f4d9d9", "#f0d0d0" };

void
chart_measure(struct buf *b, const struct instrument *in,
    const struct instr_score *sc, const struct chart_point *p, size_t n)
{
	struct change_result	 r;
	double			 lo = sc->min, hi = sc->max, top, y;
	size_t			 i;

	HTML_LIT(b, "<svg viewBox=\"0 0 640 200\" width=\"100%\" role=\"img\""
	    " aria-labelledby=\"t-");
	html_text(b, in->id);
	HTML_LIT(b, "\"><title id=\"t-");
	html_text(b, in->id);
	HTML_LIT(b, "\">");
	html_text(b, in->name);
	HTML_LIT(b, " ");
	html_text(b, sc->label);
	HTML_LIT(b, " over time</title>");
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
	 * the band around the first value that a later score must leave. */
	if (n > 0 && change_classify(sc, p[0].value, p[0].value,
	    CRITERION_AUTO, &r) == SB_OK) {
		y = ypos(p[0].value + r.min_change, lo, hi);
		HTML_LIT(b, "<rect x=\"48\" width=\"572\" fill=\"#dfe9f5\" "
		    "fill-opacity=\"0.6\" y=\"");
		num(b, y < Y0 ? Y0 : y);
		HTML_LIT(b, "\" height=\"");
		num(b, ypos(p[0].value - r.min_change, lo, hi) - (y < Y0 ? Y0 :
		    y));
		HTML_LIT(b, "\"/>");
	}
	/* Labels last, so that no shading dims them. */
	for (i = 0; i < sc->nbands; i++) {
		top = i + 1 < sc->nbands ? sc->bands[i + 1].from : hi;
		HTML_LIT(b, "<text x=\"52\" font-size=\"11\" fill=\"#3a4450\""
		    " y=\"");
		num(b, ypos(top, lo, hi) + 12);
		HTML_LIT(b, "\">");
		html_text(b, sc->bands[i].label);
		HTML_LIT(b, "</text>");
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
		HTML_LIT(b, "<polyline fill=\"none\" stroke=\"#245\" "
		    "stroke-width=\"2\" points=\"");
		for (i = 0; i < n; i++) {
			num(b, xpos(i, n));
			buf_addc(b, ',');
			num(b, ypos(p[i].value, lo, hi));
			buf_addc(b, ' ');
		}
		HTML_LIT(b, "\"/>");
		for (i = 0; i < n; i++) {
			HTML_LIT(b, "<circle r=\"3\" fill=\"#245\" cx=\"");
			num(b, xpos(i, n));
			HTML_LIT(b, "\" cy=\"");
			num(b, ypos(p[i].value, lo, hi));
			HTML_LIT(b, "\"/>");
		}
		HTML_LIT(b, "<text x=\"48\" y=\"194\" font-size=\"11\">");
		buf_add(b, p[0].date, strlen(p[0].date) < 10 ?
		    strlen(p[0].date) : 10);
		HTML_LIT(b, "</text><text x=\"620\" y=\"194\" font-size=\"11\" "
		    "text-anchor=\"end\">");
		buf_add(b, p[n - 1].date, strlen(p[n - 1].date) < 10 ?
		    strlen(p[n - 1].date) : 10);
		HTML_LIT(b, "</text>");
	}
	HTML_LIT(b, "</svg>");
}

void
chart_plane(struct buf *b, const struct chart_point *anx,
    const struct chart_point *avo, size_t n, double lo, double hi,
    bool regions)
{
	/* 300 x 300: x = avoidance, y = anxiety (up is more anxious). */
	const double	 s0 = 30, s1 = 290;
	double		 mid = (lo + hi) / 2, x, y;
	size_t		 i;

#define PX(v)	(s0 + ((v) - lo) / (hi - lo) * (s1 - s0))
#define PY(v)	(s1 - ((v) - lo) / (hi - lo) * (s1 - s0))
	HTML_LIT(b, "<svg viewBox=\"0 0 320 320\" width=\"320\" height=\"320\""
	    " role=\"img\" aria-labelledby=\"t-plane\"><title id=\"t-plane\">"
	    "Attachment anxiety and avoidance over time</title><rect x=\"30\""
	    " y=\"30\" width=\"260\" height=\"260\" fill=\"#fff\" "
	    "stroke=\"#4a5560\"/>");
	HTML_LIT(b, "<line y1=\"30\" y2=\"290\" stroke=\"#99a\" "
	    "stroke-dasharray=\"4 3\" x1=\"");
	num(b, PX(mid));
	HTML_LIT(b, "\" x2=\"");
	num(b, PX(mid));
	HTML_LIT(b, "\"/><line x1=\"30\" x2=\"290\" stroke=\"#99a\" "
	    "stroke-dasharray=\"4 3\" y1=\"");
	num(b, PY(mid));
	HTML_LIT(b, "\" y2=\"");
	num(b, PY(mid));
	HTML_LIT(b, "\"/><g font-size=\"11\" fill=\"#4a5560\">");
	if (regions)
		HTML_LIT(b, "<text x=\"36\" y=\"284\">secure</text>"
		    "<text x=\"36\" y=\"44\">preoccupied</text>"
		    "<text x=\"284\" y=\"284\" text-anchor=\"end\">dismissing"
		    "</text><text x=\"284\" y=\"44\" text-anchor=\"end\">"
		    "fearful</text>");
	else
		HTML_LIT(b, "<text x=\"36\" y=\"284\">lower on both</text>"
		    "<text x=\"284\" y=\"44\" text-anchor=\"end\">higher "
		    "on both</text>");
	HTML_LIT(b, "<text x=\"160\" y=\"310\" text-anchor=\"middle\">avoidance"
	    "</text><text x=\"12\" y=\"160\" text-anchor=\"middle\" "
	    "transform=\"rotate(-90 12 160)\">anxiety</text></g>");
	if (n > 1) {
		HTML_LIT(b, "<polyline fill=\"none\" stroke=\"#245\" "
		    "stroke-width=\"1.5\" points=\"");
		for (i = 0; i < n; i++) {
			num(b, PX(avo[i].value));
			buf_addc(b, ',');
			num(b, PY(anx[i].value));
			buf_addc(b, ' ');
		}
		HTML_LIT(b, "\"/>");
	}
	for (i = 0; i < n; i++) {
		x = PX(avo[i].value);
		y = PY(anx[i].value);
		HTML_LIT(b, "<circle cx=\"");
		num(b, x);
		HTML_LIT(b, "\" cy=\"");
		num(b, y);
		if (i + 1 == n)
			HTML_LIT(b, "\" r=\"6\" fill=\"#245\"/>");
		else
			HTML_LIT(b, "\" r=\"4\" fill=\"#fff\" stroke=\"#245\"/>");
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
	size_t		 i, k, at = 0;
	double		 x;

	for (i = 0; i < n; i++) {
		if ((dn = day_number(m[i].date)) < 0)
			continue;
		if (first < 0 || dn < first) {
			first = dn;
			at = i;
		}
		if (dn > last)
			last = dn;
	}
	HTML_LIT(b, "<svg viewBox=\"0 0 640 120\" width=\"100%\" "
	    "role=\"img\" aria-labelledby=\"t-time\"><title id=\"t-time\">"
	    "Sessions, measures and life events over time</title>");
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
		HTML_LIT(b, "<text x=\"85\" y=\"114\" font-size=\"11\">");
		html_text(b, m[at].date);
		HTML_LIT(b, "</text>");
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

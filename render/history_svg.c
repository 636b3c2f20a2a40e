/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_svg.c - the relationship map and the lifeline.  See
 * history_svg.h; the notation is McGoldrick, Gerson & Petry's (square
 * male, circle female, a cross for the dead, a double outline for the
 * client, slashes for separation and divorce, patterned lines for
 * emotional ties), as summarised in docs/reference/landscape.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "render/history_svg.h"
#include "render/html.h"

#define R		GENO_R
#define INK		"#1d2733"
#define SOFT		"#3a4450"

/*
 * Numbers into SVG markup.  Only numeric conversions: a format with %s or
 * %c is refused, so text can only arrive through html_text()/html_attr().
 */
static void __attribute__((format(printf, 2, 3)))
nums(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;

	if (strstr(fmt, "%s") != NULL || strstr(fmt, "%c") != NULL)
		return;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/*
 * Text someone typed (a name, a role, a note), isolated between FSI and
 * PDI (U+2068, U+2069): a right-to-left name, or an override an older
 * release let in, keeps to itself and cannot reorder the rest of a
 * label or a tooltip, in any renderer (the text-level twin of the
 * pages' unicode-bidi: isolate).
 */
static void
user_text(struct buf *b, const char *s)
{
	HTML_LIT(b, "\xE2\x81\xA8");
	html_text(b, s);
	HTML_LIT(b, "\xE2\x81\xA9");
}

/* text cut to at most max characters (not bytes), with an ellipsis. */
static void
label_text(struct buf *b, const char *text, size_t max)
{
	char	 cut[256];
	size_t	 i = 0, chars = 0, n = strlen(text);

	while (i < n && chars < max) {
		size_t len = 1;

		while (i + len < n && ((unsigned char)text[i + len] & 0xC0) ==
		    0x80)
			len++;
		if (i + len >= sizeof(cut) - 4)
			break;
		i += len;
		chars++;
	}
	memcpy(cut, text, i);
	if (i < n)
		memcpy(cut + i, "\xE2\x80\xA6", 4);	/* U+2026 */
	else
		cut[i] = '\0';
	user_text(b, cut);
}

/* Bytes [from, to) of text, and an ellipsis when cut. */
static void
text_part(struct buf *b, const char *text, size_t from, size_t to, bool cut)
{
	char	 part[HIST_MAX_FIELD + 4];
	size_t	 n = to - from;

	if (to < from || n >= sizeof(part) - 4)
		return;
	memcpy(part, text + from, n);
	if (cut)
		memcpy(part + n, "\xE2\x80\xA6", 4);
	else
		part[n] = '\0';
	user_text(b, part);
}

/* ---- symbols ---- */

static void
shape(struct buf *b, enum geno_shape s, double x, double y, double r,
    bool inner)
{
	switch (s) {
	case GENO_SQUARE:
		nums(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\"", x - r, y - r, 2 * r, 2 * r);
		break;
	case GENO_CIRCLE:
		nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r);
		break;
	case GENO_DIAMOND:
		nums(b, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
		    "%.1f,%.1f\"", x, y - r * 1.2, x + r * 1.2, y, x,
		    y + r * 1.2, x - r * 1.2, y);
		break;
	}
	if (inner)
		HTML_LIT(b, " fill=\"none\" stroke=\"" INK "\" "
		    "stroke-width=\"1.5\"/>");
	else
		HTML_LIT(b, " fill=\"#fff\" stroke=\"" INK "\" "
		    "stroke-width=\"2\"/>");
}

/* One line of a label: baseline k (0 = the first) of node n. */
static void
label_line(struct buf *b, const struct geno_node *n, int k, double px,
    const char *fill)
{
	nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
	    "text-anchor=\"middle\"", n->x, n->label.y0 + (k + 1) * GENO_LINE -
	    GENO_BASELINE, px);
	html_attr(b, "fill", fill);
	HTML_LIT(b, ">");
}

static void
person(struct buf *b, const struct hist_person *p, const struct geno_node *n)
{
	char		 line[96];
	int		 k = 0, i;

	HTML_LIT(b, "<g");
	/* The client, for a link to bring them into view (#map-self) on a
	 * screen narrower than the map. */
	if (p->role != NULL && strcmp(p->role, "self") == 0)
		HTML_LIT(b, " id=\"map-self\"");
	snprintf(line, sizeof(line), "%lld", (long long)p->id);
	html_attr(b, "data-person", line);
	/* The boxes the layout keeps clear, for a browser test to hold the
	 * drawn text against. */
	nums(b, " data-sym=\"%.1f %.1f %.1f %.1f\" data-label=\"%.1f %.1f "
	    "%.1f %.1f\"", n->sym.x0, n->sym.y0, n->sym.x1, n->sym.y1,
	    n->label.x0, n->label.y0, n->label.x1, n->label.y1);
	HTML_LIT(b, "><title>");
	user_text(b, p->name);
	HTML_LIT(b, "</title>");
	shape(b, n->shape, n->x, n->y, R, false);
	if (p->role != NULL && strcmp(p->role, "self") == 0)
		shape(b, n->shape, n->x, n->y, R - 5, true);
	if (p->died != 0)
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" "
		    "stroke=\"" INK "\" stroke-width=\"1.5\"/>", n->x - R * 0.8,
		    n->y - R * 0.8, n->x + R * 0.8, n->y + R * 0.8, n->x + R * 0.8,
		    n->y - R * 0.8, n->x - R * 0.8, n->y + R * 0.8);
	for (i = 0; i < n->name_lines; i++, k++) {
		label_line(b, n, k, GENO_NAME_PX, INK);
		text_part(b, p->name, n->name_from[i], n->name_to[i],
		    i == 1 && n->name_cut);
		HTML_LIT(b, "</text>");
	}
	line[0] = '\0';
	if (p->born && p->died)
		snprintf(line, sizeof(line), "%d\xE2\x80\x93%d", p->born,
		    p->died);
	else if (p->born)
		snprintf(line, sizeof(line), "b. %d", p->born);
	else if (p->died)
		snprintf(line, sizeof(line), "d. %d", p->died);
	if (n->has_dates) {
		label_line(b, n, k++, GENO_TEXT_PX, SOFT);
		html_text(b, line);
		HTML_LIT(b, "</text>");
	}
	if (n->has_role) {
		label_line(b, n, k++, GENO_TEXT_PX, SOFT);
		label_text(b, strcmp(p->role, "self") == 0 ? "client" :
		    p->role, n->role_chars);
		HTML_LIT(b, "</text>");
	}
	if (n->has_ecr) {
		snprintf(line, sizeof(line), "anx %.1f \xC2\xB7 avo %.1f",
		    p->ecr_anxiety, p->ecr_avoidance);
		label_line(b, n, k++, GENO_TEXT_PX, "#6a4c93");
		html_text(b, line);
		HTML_LIT(b, "</text>");
	}
	HTML_LIT(b, "</g>\n");
}

/* ---- lines ---- */

static void
tie_open(struct buf *b, size_t i, const struct hist_tie *t)
{
	char	 n[24];

	snprintf(n, sizeof(n), "%zu", i);
	HTML_LIT(b, "<g");
	html_attr(b, "data-tie", n);
	html_attr(b, "data-type", t->type);
	HTML_LIT(b, " fill=\"none\">");
}

/* The path data of points pts[0..n). */
static void
path_d(struct buf *b, const struct geno_pt *pts, size_t n)
{
	size_t	 i;

	HTML_LIT(b, "<path d=\"");
	for (i = 0; i < n; i++)
		if (i == 0)
			nums(b, "M%.1f %.1f", pts[i].x, pts[i].y);
		else
			nums(b, "L%.1f %.1f", pts[i].x, pts[i].y);
	HTML_LIT(b, "\"");
}

/* The segment the marks of l sit on: the one through its mid point. */
static void
mid_dir(const struct geno_line *l, double *ux, double *uy)
{
	size_t	 j;
	double	 dx, dy, len;

	*ux = 1;
	*uy = 0;
	for (j = 1; j < l->npts; j++) {
		const struct geno_pt *p = &l->pts[j - 1], *q = &l->pts[j];

		dx = q->x - p->x;
		dy = q->y - p->y;
		len = hypot(dx, dy);
		if (len < 1e-9)
			continue;
		/* mid on p-q: cross product ~0 and within the segment. */
		if (fabs(dx * (l->mid.y - p->y) - dy * (l->mid.x - p->x)) / len <
		    0.5 && fmin(p->x, q->x) - 0.5 <= l->mid.x && l->mid.x <=
		    fmax(p->x, q->x) + 0.5 && fmin(p->y, q->y) - 0.5 <=
		    l->mid.y && l->mid.y <= fmax(p->y, q->y) + 0.5) {
			*ux = dx / len;
			*uy = dy / len;
			return;
		}
	}
}

/* A couple: the line, and slashes for a separation. */
static void
couple(struct buf *b, const struct hist_tie *t, const struct geno_line *l)
{
	int	 slashes = strcmp(t->type, "separated") == 0 ? 1 :
		    strcmp(t->type, "divorced") == 0 ? 2 : 0, k;

	path_d(b, l->pts, l->npts);
	HTML_LIT(b, " stroke=\"" INK "\" stroke-width=\"2\"");
	if (strcmp(t->type, "cohabiting") == 0)
		HTML_LIT(b, " stroke-dasharray=\"6 4\"");
	HTML_LIT(b, "/>");
	for (k = 0; k < slashes; k++)
		nums(b, "<path d=\"M%.1f %.1fl8 -14\" stroke=\"" INK "\" "
		    "stroke-width=\"2\"/>", l->mid.x - 8 + k * 7.0, l->mid.y + 7);
}

/*
 * A couple's dates above its line, drawn after every line so none runs
 * over them, with a white halo.
 */
static void
couple_dates(struct buf *b, const struct hist_tie *t,
    const struct geno_line *l)
{
	char	 dates[64];

	dates[0] = '\0';
	if (t->start && t->end)
		snprintf(dates, sizeof(dates), "%.4s\xE2\x80\x93%.4s", t->start,
		    t->end);
	else if (t->start)
		snprintf(dates, sizeof(dates), "%.4s", t->start);
	if (dates[0] != '\0') {
		/* A white halo keeps the dates legible over a line. */
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
		    "text-anchor=\"middle\" fill=\"" SOFT "\" stroke=\"#fff\" "
		    "stroke-width=\"3\" paint-order=\"stroke\">", l->mid.x,
		    l->mid.y - 10, GENO_TEXT_PX);
		html_text(b, dates);
		HTML_LIT(b, "</text>");
	}
}

/* A parent's line to a child: its type in the dashes. */
static void
child_line(struct buf *b, const struct hist_tie *t, const struct geno_line *l)
{
	path_d(b, l->pts, l->npts);
	HTML_LIT(b, " stroke=\"" INK "\" stroke-width=\"1.5\"");
	if (strcmp(t->type, "adopted") == 0)
		HTML_LIT(b, " stroke-dasharray=\"7 4\"");
	else if (strcmp(t->type, "foster") == 0)
		HTML_LIT(b, " stroke-dasharray=\"2 3\"");
	else if (strcmp(t->type, "step") == 0)
		HTML_LIT(b, " stroke-dasharray=\"8 3 2 3\"");
	HTML_LIT(b, "/>");
}

/* Emotional lines: patterns after McGoldrick. */
static const struct emo_style {
	const char	*type, *colour, *label;
	int		 lines;		/* parallel strokes */
	const char	*dash;
	bool		 zigzag, breaks, arrow, circle;
} emo_styles[] = {
	{ "close", "#2e7d4f", "close", 2, NULL, false, false, false, false },
	{ "fused", "#2e7d4f", "fused", 3, NULL, false, false, false, false },
	{ "distant", "#5b6b7a", "distant", 1, "6 5", false, false, false,
	    false },
	{ "cut-off", "#5b6b7a", "cut-off", 1, NULL, false, true, false,
	    false },
	{ "conflictual", "#b5442a", "conflictual", 1, NULL, true, false,
	    false, false },
	{ "hostile", "#8b1a1a", "hostile", 2, NULL, true, false, false,
	    false },
	{ "abusive", "#8b1a1a", "abusive (arrow: to whom)", 1, NULL, true,
	    false, true, false },
	{ "repaired", "#2e7d4f", "cut-off, repaired", 1, NULL, false, true,
	    false, true },
};

static const struct emo_style *
emo_style(const char *type)
{
	size_t	 i;

	for (i = 0; i < sizeof(emo_styles) / sizeof(emo_styles[0]); i++)
		if (strcmp(emo_styles[i].type, type) == 0)
			return &emo_styles[i];
	return &emo_styles[2];
}

/* The path of pts, zigzagged along each segment when asked. */
static void
emo_d(struct buf *b, const struct geno_pt *pts, size_t n, bool zigzag)
{
	size_t	 i;
	int	 j, steps;
	double	 dx, dy, len, ux, uy, t, z;

	HTML_LIT(b, "<path d=\"");
	nums(b, "M%.1f %.1f", pts[0].x, pts[0].y);
	for (i = 1; i < n; i++) {
		dx = pts[i].x - pts[i - 1].x;
		dy = pts[i].y - pts[i - 1].y;
		len = hypot(dx, dy);
		steps = zigzag ? (int)(len / 8) : 0;
		if (len > 1e-9 && steps >= 2) {
			ux = dx / len;
			uy = dy / len;
			for (j = 1; j < steps; j++) {
				z = j % 2 ? 4 : -4;
				t = (double)j / steps;
				nums(b, "L%.1f %.1f", pts[i - 1].x + dx * t -
				    uy * z, pts[i - 1].y + dy * t + ux * z);
			}
		}
		nums(b, "L%.1f %.1f", pts[i].x, pts[i].y);
	}
	HTML_LIT(b, "\" stroke-linejoin=\"round\"");
}

/* One stroke of an emotional line: its colour, or white, at width w. */
static void
emo_stroke(struct buf *b, const struct emo_style *st,
    const struct geno_pt *pts, size_t n, double w, bool white)
{
	emo_d(b, pts, n, st->zigzag);
	nums(b, " stroke-width=\"%.1f\"", w);
	html_attr(b, "stroke", white ? "#fff" : st->colour);
	if (st->dash != NULL)
		html_attr(b, "stroke-dasharray", st->dash);
	HTML_LIT(b, "/>");
}

/*
 * Two or three parallel strokes: a wide stroke with a white one inside
 * it, so the pattern follows every bend of the route.
 */
static void
emo_line(struct buf *b, const struct emo_style *st,
    const struct geno_pt *pts, size_t n, struct geno_pt mid, double ux,
    double uy)
{
	int	 k;

	if (st->lines == 3) {
		emo_stroke(b, st, pts, n, 8.4, false);
		emo_stroke(b, st, pts, n, 5.2, true);
		emo_stroke(b, st, pts, n, 1.6, false);
	} else if (st->lines == 2) {
		emo_stroke(b, st, pts, n, 5.4, false);
		emo_stroke(b, st, pts, n, 2.2, true);
	} else
		emo_stroke(b, st, pts, n, 1.6, false);
	if (st->breaks) {
		/* A gap with two bars across it: cut off. */
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1f\" stroke=\"#fff\" "
		    "stroke-width=\"4\"/>", mid.x - ux * 4, mid.y - uy * 4,
		    mid.x + ux * 4, mid.y + uy * 4);
		for (k = -1; k <= 1; k += 2) {
			nums(b, "<path d=\"M%.1f %.1fL%.1f %.1f\" "
			    "stroke-width=\"1.6\"", mid.x + ux * 4 * k - uy * 7,
			    mid.y + uy * 4 * k + ux * 7, mid.x + ux * 4 * k +
			    uy * 7, mid.y + uy * 4 * k - ux * 7);
			html_attr(b, "stroke", st->colour);
			HTML_LIT(b, "/>");
		}
	}
	if (st->circle) {
		nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"11\" "
		    "fill=\"none\" stroke-width=\"1.4\"", mid.x, mid.y);
		html_attr(b, "stroke", st->colour);
		HTML_LIT(b, "/>");
	}
	if (st->arrow && n >= 2) {
		const struct geno_pt *p = &pts[n - 2], *q = &pts[n - 1];
		double dx = q->x - p->x, dy = q->y - p->y, len = hypot(dx, dy);

		if (len > 1e-9) {
			dx /= len;
			dy /= len;
			nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"",
			    q->x, q->y, q->x - dx * 11 - dy * 6,
			    q->y - dy * 11 + dx * 6, q->x - dx * 11 + dy * 6,
			    q->y - dy * 11 - dx * 6);
			html_attr(b, "fill", st->colour);
			HTML_LIT(b, "/>");
		}
	}
}

static void
emotional(struct buf *b, const struct hist_tie *t, const struct geno_line *l)
{
	double	 ux, uy;

	if (l->npts < 2)
		return;
	mid_dir(l, &ux, &uy);
	emo_line(b, emo_style(t->type), l->pts, l->npts, l->mid, ux, uy);
}

/* Siblings without parents on the map: a solid bracket (a dotted one
 * read as the foster line), twins a heavier one. */
static void
sibling(struct buf *b, const struct hist_tie *t, const struct geno_line *l)
{
	path_d(b, l->pts, l->npts);
	if (history_tie_is_twin(t))
		HTML_LIT(b, " stroke=\"" INK "\" stroke-width=\"1.5\"/>");
	else
		HTML_LIT(b, " stroke=\"" INK "\" stroke-width=\"1.2\"/>");
}

/* The outlines of households: light, dashed, under everything. */
static void
household_outlines(struct buf *b, const struct genogram *g)
{
	static const char *const colour[] = { "#4a7bb7", "#b7794a",
	    "#6a9f4a", "#9a5fb0", "#b74a6a", "#4aa3a3" };
	size_t	 i;

	if (g->noutlines == 0)
		return;
	HTML_LIT(b, "<g class=\"households\" fill-opacity=\"0.06\">"
	    "<title>Households: who lives with whom</title>\n");
	for (i = 0; i < g->noutlines; i++) {
		const struct geno_outline *o = &g->outlines[i];

		nums(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" rx=\"14\" stroke-width=\"1.6\" "
		    "stroke-dasharray=\"9 5\"", o->box.x0, o->box.y0,
		    o->box.x1 - o->box.x0, o->box.y1 - o->box.y0);
		html_attr(b, "fill", colour[o->household % 6]);
		html_attr(b, "stroke", colour[o->household % 6]);
		HTML_LIT(b, "/>\n");
	}
	HTML_LIT(b, "</g>\n");
}

#define LEGEND_ROW	22.0

static void
legend(struct buf *b, double y, double width, bool households)
{
	static const struct {
		const char	*label, *dash;
		int		 slashes;
	} structural[] = {
		{ "married or partners", NULL, 0 },
		{ "living together", "6 4", 0 },
		{ "separated", NULL, 1 },
		{ "divorced", NULL, 2 },
		{ "adopted (child line)", "7 4", 0 },
		{ "foster (child line)", "2 3", 0 },
		{ "step (child line)", "8 3 2 3", 0 },
	};
	size_t	 i, n = 0, cols = width >= 900 ? 4 : width >= 640 ? 3 : 2;
	double	 x, yy, colw = (width - 40) / (double)cols;
	struct geno_pt seg[2];

	nums(b, "<g font-size=\"%.0f\" fill=\"" INK "\"><text x=\"20\" "
	    "y=\"%.1f\" font-weight=\"bold\">Legend</text>", GENO_TEXT_PX, y);
	for (i = 0; i < sizeof(structural) / sizeof(structural[0]); i++, n++) {
		x = 20 + colw * (double)(n % cols);
		yy = y + LEGEND_ROW + LEGEND_ROW * (double)(n / cols);
		nums(b, "<path d=\"M%.1f %.1fh36\" stroke=\"" INK "\" "
		    "stroke-width=\"2\"", x, yy - 4);
		if (structural[i].dash)
			html_attr(b, "stroke-dasharray", structural[i].dash);
		HTML_LIT(b, "/>");
		for (int k = 0; k < structural[i].slashes; k++)
			nums(b, "<path d=\"M%.1f %.1fl6 -12\" stroke=\"" INK "\" "
			    "stroke-width=\"1.5\"/>", x + 12 + 6 * k, yy + 2);
		nums(b, "<text x=\"%.1f\" y=\"%.1f\">", x + 44, yy);
		html_text(b, structural[i].label);
		HTML_LIT(b, "</text>");
	}
	for (i = 0; i < sizeof(emo_styles) / sizeof(emo_styles[0]); i++, n++) {
		x = 20 + colw * (double)(n % cols);
		yy = y + LEGEND_ROW + LEGEND_ROW * (double)(n / cols);
		seg[0].x = x;
		seg[1].x = x + 36;
		seg[0].y = seg[1].y = yy - 4;
		emo_line(b, &emo_styles[i], seg, 2, (struct geno_pt){ x + 18,
		    yy - 4 }, 1, 0);
		nums(b, "<text x=\"%.1f\" y=\"%.1f\">", x + 44, yy);
		html_text(b, emo_styles[i].label);
		HTML_LIT(b, "</text>");
	}
	/* Twins: two lines from one point; identical ones barred. */
	x = 20 + colw * (double)(n % cols);
	yy = y + LEGEND_ROW + LEGEND_ROW * (double)(n / cols);
	nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fM%.1f %.1fH%.1f\" "
	    "stroke=\"" INK "\" stroke-width=\"1.5\" fill=\"none\"/>", x + 4,
	    yy + 2, x + 18,
	    yy - 12, x + 32, yy + 2, x + 11, yy - 5, x + 25);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\">twins; barred: identical"
	    "</text>", x + 44, yy);
	n++;
	/* Siblings whose parents are not on the map: a bracket. */
	x = 20 + colw * (double)(n % cols);
	yy = y + LEGEND_ROW + LEGEND_ROW * (double)(n / cols);
	nums(b, "<path d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" stroke=\"" INK "\" "
	    "stroke-width=\"1.2\" fill=\"none\"/>", x + 4, yy + 2, yy - 9,
	    x + 32, yy + 2);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\">siblings, no parents drawn"
	    "</text>", x + 44, yy);
	n++;
	if (households) {
		x = 20 + colw * (double)(n % cols);
		yy = y + LEGEND_ROW + LEGEND_ROW * (double)(n / cols);
		nums(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"36\" height=\"14\" "
		    "rx=\"5\" fill=\"none\" stroke=\"#4a7bb7\" "
		    "stroke-dasharray=\"9 5\"/><text x=\"%.1f\" y=\"%.1f\">"
		    "household (lives together)</text>", x, yy - 13, x + 44, yy);
		n++;
	}
	x = 20;
	yy = y + LEGEND_ROW + LEGEND_ROW * (double)((n + cols - 1) / cols);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\">\xE2\x96\xA1 male, \xE2\x97\x8B "
	    "female, \xE2\x97\x87 other or not given; \xE2\x9C\x95 died; "
	    "double outline: the client</text></g>", x, yy);
}

/* Rows the legend needs, in pixels. */
static double
legend_height(double width, bool households)
{
	size_t	 cols = width >= 900 ? 4 : width >= 640 ? 3 : 2;
	size_t	 items = 7 + 8 + 2 + (households ? 1 : 0);

	return 40 + LEGEND_ROW * (double)((items + cols - 1) / cols + 1);
}

void
svg_map(struct buf *b, const struct history *h, const struct genogram *g)
{
	double		 width = fmax(g->width, 560);
	double		 height = g->height;
	size_t		 i;
	int		 mw;

	/*
	 * mwN: below N pixels of screen the map is drawn at its own size
	 * (and scrolls), so no text falls under 11 px: 12-unit text at
	 * N / width.  The stylesheet has a rule per hundred up to 3000.
	 */
	mw = (int)ceil(width * 11.0 / GENO_TEXT_PX / 100.0) * 100;
	if (mw > 3000)
		mw = 3000;
	nums(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\" width=\"%.0f\" class=\"map mw%d\" role=\"img\" "
	    "aria-labelledby=\"map-t map-d\" font-family=\"DejaVu Sans, "
	    "sans-serif\">", width, height + legend_height(width,
	    g->noutlines > 0), width, mw);
	HTML_LIT(b, "<title id=\"map-t\">Relationship map</title><desc "
	    "id=\"map-d\">");
	nums(b, "%zu people, %zu ties, in %d generations. The list beside "
	    "the map gives the same facts as text.", h->npeople, h->nties,
	    g->rows);
	HTML_LIT(b, "</desc>\n");
	household_outlines(b, g);
	/* Lines first, then the couples' dates, symbols over them. */
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];
		const struct hist_person *a = history_person(h, t->a);
		const struct hist_person *c = history_person(h, t->b);
		const struct geno_line *l = g->tie_line != NULL &&
		    g->tie_line[i] != SIZE_MAX ? &g->lines[g->tie_line[i]] :
		    NULL;

		if (a == NULL || c == NULL)
			continue;
		tie_open(b, i, t);
		if (l != NULL && l->npts >= 2) {
			switch (l->kind) {
			case GENO_COUPLE:
				couple(b, t, l);
				break;
			case GENO_CHILD:
				child_line(b, t, l);
				break;
			case GENO_SIBLING:
			case GENO_TWIN_BAR:
				sibling(b, t, l);
				break;
			case GENO_EMOTIONAL:
				emotional(b, t, l);
				break;
			}
		}
		HTML_LIT(b, "<title>");
		user_text(b, a->name);
		HTML_LIT(b, " \xE2\x80\x93 ");
		user_text(b, c->name);
		HTML_LIT(b, ": ");
		html_text(b, t->type);
		HTML_LIT(b, "</title></g>\n");
	}
	for (i = 0; i < h->nties; i++)
		if (g->tie_line != NULL && g->tie_line[i] != SIZE_MAX &&
		    g->lines[g->tie_line[i]].kind == GENO_COUPLE &&
		    history_person(h, h->ties[i].a) != NULL &&
		    history_person(h, h->ties[i].b) != NULL)
			couple_dates(b, &h->ties[i], &g->lines[g->tie_line[i]]);
	for (i = 0; i < g->n; i++)
		person(b, &h->people[g->nodes[i].person], &g->nodes[i]);
	legend(b, height + 10, width, g->noutlines > 0);
	HTML_LIT(b, "</svg>\n");
}

/* ---- the lifeline ---- */

#define LW		900.0
#define LX0		60.0
#define LX1		880.0
#define AXIS_Y		180.0
#define STEP		26.0	/* pixels per step of intensity */
#define SX0		170.0	/* the therapy strip starts after its labels */

/* A date as a year with a fraction. */
static double
years_of(const char *d)
{
	long	 y = 0, m = 1, day = 1;

	if (d == NULL || strlen(d) < 4 || !text_int(d, 4, &y))
		return -1;
	if (strlen(d) >= 7)
		(void)text_int(d + 5, 2, &m);
	if (strlen(d) >= 10)
		(void)text_int(d + 8, 2, &day);
	return (double)y + ((double)(m - 1) + (double)(day - 1) / 31.0) / 12.0;
}

struct axis {
	bool	 ages;		/* years of age, else calendar years */
	double	 born, lo, hi;
};

/* Where an event starts (end: ends) on the axis; -1: cannot be placed. */
static double
event_at(const struct history *h, const struct axis *ax,
    const struct hist_event *ev, bool end)
{
	if (ax->ages)
		return history_event_age(h, ev, end);
	return years_of(end ? ev->end_date : ev->date);
}

static double
mark_at(const struct axis *ax, const char *date)
{
	double	 y = years_of(date);

	return y < 0 ? -1 : ax->ages ? y - ax->born : y;
}

static double
lx(const struct axis *ax, double v)
{
	return LX0 + (v - ax->lo) / (ax->hi - ax->lo) * (LX1 - LX0);
}

static void
axis_range(const struct history *h, struct axis *ax,
    const struct lifeline_mark *m, size_t nm)
{
	const struct hist_person	*self = history_self(h);
	double				 v, step;
	size_t				 i;

	ax->ages = self != NULL && self->born != 0;
	ax->born = ax->ages ? self->born : 0;
	ax->lo = 1e9;
	ax->hi = -1e9;
	for (i = 0; i < h->nevents; i++) {
		if ((v = event_at(h, ax, &h->events[i], false)) >= 0) {
			ax->lo = fmin(ax->lo, v);
			ax->hi = fmax(ax->hi, v);
		}
		if ((v = event_at(h, ax, &h->events[i], true)) >= 0)
			ax->hi = fmax(ax->hi, v);
	}
	for (i = 0; i < nm; i++)
		if ((v = mark_at(ax, m[i].date)) >= 0) {
			ax->lo = fmin(ax->lo, v);
			ax->hi = fmax(ax->hi, v);
		}
	if (ax->ages)
		ax->lo = 0;
	if (ax->lo > ax->hi)
		ax->lo = ax->hi = ax->ages ? 0 : 2000;
	step = ax->hi - ax->lo > 60 ? 10 : 5;
	ax->lo = floor(ax->lo / step) * step;
	ax->hi = fmax(ceil(ax->hi / step) * step, ax->lo + 10);
	if (ax->hi == ax->lo)
		ax->hi += step;
}

static const char *
valence_colour(int v)
{
	return v > 0 ? "#2e7d4f" : v < 0 ? "#b5442a" : "#5b6b7a";
}

static void
lifeline_event(struct buf *b, const struct history *h, const struct axis *ax,
    size_t i, double *last_label, int *level)
{
	const struct hist_event	*ev = &h->events[i];
	double			 x = lx(ax, event_at(h, ax, ev, false));
	double			 end = event_at(h, ax, ev, true);
	double			 up = ev->valence > 0 ? -1 : 1;
	double			 tip = AXIS_Y + up * ev->intensity * STEP;
	double			 ly, w;
	char			 t[96];
	int			 side = ev->valence > 0 ? 0 : 1;

	HTML_LIT(b, "<g");
	snprintf(t, sizeof(t), "%zu", i);
	html_attr(b, "data-event", t);
	HTML_LIT(b, "><title>");
	html_text(b, ev->category);
	if (ev->age >= 0)
		snprintf(t, sizeof(t), ", age %d", ev->age);
	else
		snprintf(t, sizeof(t), ", %s", ev->date);
	html_text(b, t);
	snprintf(t, sizeof(t), "; valence %+d, intensity %d", ev->valence,
	    ev->intensity);
	html_text(b, t);
	/* The therapist's note, on pointing at the event (a title is not
	 * drawn, so a printed lifeline does not show it). */
	if (ev->note != NULL && ev->note[0] != '\0') {
		HTML_LIT(b, ". ");
		user_text(b, ev->note);
	}
	HTML_LIT(b, "</title>");
	if (end >= 0) {
		/* A period: a band as long as it lasted. */
		nums(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill-opacity=\"0.22\"", x,
		    fmin(tip, AXIS_Y), fmax(lx(ax, end) - x, 2),
		    fabs(tip - AXIS_Y));
		html_attr(b, "fill", valence_colour(ev->valence));
		HTML_LIT(b, "/>");
	}
	if (ev->valence == 0)
		tip = AXIS_Y - ev->intensity * 6;
	nums(b, "<path d=\"M%.1f %.1fV%.1f\" stroke-width=\"2\"", x, AXIS_Y,
	    tip);
	html_attr(b, "stroke", valence_colour(ev->valence));
	HTML_LIT(b, "/>");
	nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, tip,
	    3.0 + abs(ev->valence));
	html_attr(b, "fill", valence_colour(ev->valence));
	HTML_LIT(b, "/>");
	/* Labels close together step away from the line, three deep. */
	if (x - last_label[side] < 70)
		level[side] = (level[side] + 1) % 3;
	else
		level[side] = 0;
	last_label[side] = x;
	ly = tip + up * (12 + 12 * level[side]);
	if (up > 0)
		ly += 4;
	/* Centred on its line, but never past the picture's edge. */
	w = (double)strlen(ev->category) * 10 * 0.62 / 2;
	if (x + w > LW - 2)
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"end\" fill=\"#1d2733\">", LW - 2, ly);
	else if (x - w < 2)
		nums(b, "<text x=\"2\" y=\"%.1f\" font-size=\"10\" "
		    "fill=\"#1d2733\">", ly);
	else
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\" fill=\"#1d2733\">", x, ly);
	html_text(b, ev->category);
	HTML_LIT(b, "</text></g>\n");
}

/* How many series (sessions, each measure) the marks hold, up to 8. */
static size_t
series_count(const struct lifeline_mark *m, size_t nm)
{
	const char	*seen[8];
	size_t		 ns = 0, i, k;

	for (i = 0; i < nm; i++) {
		for (k = 0; k < ns && strcmp(seen[k], m[i].series) != 0; k++)
			;
		if (k == ns && ns < 8)
			seen[ns++] = m[i].series;
	}
	return ns;
}

/*
 * A lane's name at the left of the therapy strip, on its line at y: on
 * two lines when it is longer than one holds ("ECR-RS Attachment anxiety
 * (mother)"), cut at the space nearest the middle; each line cut at 24
 * letters all the same.
 */
static void
lane_label(struct buf *b, const char *name, double y)
{
	char	 one[128];
	size_t	 n = strlen(name), i, cut = 0;

	if (n <= 24 || n >= sizeof(one)) {
		nums(b, "<text x=\"10\" y=\"%.1f\" font-size=\"10\" "
		    "fill=\"#1d2733\">", y + 4);
		label_text(b, name, 24);
		HTML_LIT(b, "</text>");
		return;
	}
	for (i = 1; i < n; i++)
		if (name[i] == ' ' && (cut == 0 || (i > n / 2 ? i - n / 2 :
		    n / 2 - i) < (cut > n / 2 ? cut - n / 2 : n / 2 - cut)))
			cut = i;
	if (cut == 0)
		cut = 24;
	snprintf(one, sizeof(one), "%.*s", (int)cut, name);
	nums(b, "<text x=\"10\" y=\"%.1f\" font-size=\"10\" "
	    "fill=\"#1d2733\"><tspan x=\"10\">", y - 1);
	label_text(b, one, 24);
	nums(b, "</tspan><tspan x=\"10\" dy=\"11\">");
	label_text(b, name + cut + (name[cut] == ' '), 24);
	HTML_LIT(b, "</tspan></text>");
}

/* The therapy, closer: its own time axis under the lifeline. */
static void
therapy_strip(struct buf *b, const struct history *h,
    const struct lifeline_mark *m, size_t nm, double top)
{
	const char	*series[8];
	size_t		 ns = 0, i, k;
	double		 lo = years_of(m[0].date), hi = years_of(m[nm - 1].date);
	double		 x, y;
	char		 day[24];

	if (hi - lo < 1.0 / 12)
		hi = lo + 1.0 / 12;
	for (i = 0; i < nm; i++) {
		for (k = 0; k < ns && strcmp(series[k], m[i].series) != 0; k++)
			;
		if (k == ns && ns < 8)
			series[ns++] = m[i].series;
	}
	nums(b, "<text x=\"10\" y=\"%.1f\" font-size=\"12\" "
	    "font-weight=\"bold\" fill=\"#1d2733\">The therapy, closer</text>",
	    top);
	/* The first and the last day in words, as the pages say them. */
	nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "fill=\"#3a4450\">", SX0, top + 14);
	if (!text_day_short(m[0].date, m[nm - 1].date, day,
	    sizeof(day)))
		snprintf(day, sizeof(day), "%s", m[0].date);
	html_text(b, day);
	nums(b, "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "text-anchor=\"end\" fill=\"#3a4450\">", LX1, top + 14);
	if (!text_day_short(m[nm - 1].date, m[nm - 1].date, day,
	    sizeof(day)))
		snprintf(day, sizeof(day), "%s", m[nm - 1].date);
	html_text(b, day);
	HTML_LIT(b, "</text>");
	for (k = 0; k < ns; k++) {
		y = top + 36 + 26 * (double)k;
		lane_label(b, strcmp(series[k], "session") == 0 ? "sessions" :
		    series[k], y);
		nums(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#ccd\"/>",
		    SX0, y, LX1);
		for (i = 0; i < nm; i++) {
			if (strcmp(m[i].series, series[k]) != 0)
				continue;
			x = SX0 + (years_of(m[i].date) - lo) / (hi - lo) *
			    (LX1 - SX0);
			if (strcmp(series[k], "session") == 0) {
				nums(b, "<path d=\"M%.1f %.1fv12\" "
				    "stroke=\"#245\" stroke-width=\"2\"/>", x,
				    y - 6);
				continue;
			}
			/* Whole-number totals as such; means to one place. */
			nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
			    "fill=\"#6a4c93\"/><text x=\"%.1f\" y=\"%.1f\" "
			    "font-size=\"9\" text-anchor=\"middle\" "
			    "fill=\"#6a4c93\">%.*f</text>", x, y, x, y - 7,
			    fabs(m[i].value - round(m[i].value)) < 1e-9 ? 0 : 1,
			    m[i].value);
		}
	}
	/* Life events inside the therapy's dates. */
	y = top + 36 + 26 * (double)ns;
	nums(b, "<text x=\"10\" y=\"%.1f\" font-size=\"10\" fill=\"#1d2733\">"
	    "events</text><path d=\"M%.1f %.1fH%.1f\" stroke=\"#ccd\"/>", y + 4,
	    SX0, y, LX1);
	for (i = 0; i < h->nevents; i++) {
		double v = years_of(h->events[i].date);

		if (v < lo || v > hi)
			continue;
		x = SX0 + (v - lo) / (hi - lo) * (LX1 - SX0);
		nums(b, "<path d=\"M%.1f %.1fl6 6l-6 6l-6 -6Z\"", x, y - 6);
		html_attr(b, "fill", valence_colour(h->events[i].valence));
		HTML_LIT(b, "><title>");
		html_text(b, h->events[i].category);
		HTML_LIT(b, "</title></path>");
	}
}

void
svg_lifeline(struct buf *b, const struct history *h,
    const struct lifeline_mark *m, size_t nm)
{
	struct axis	 ax;
	double		 v, step, height = 330, last_label[2] = { -1e9, -1e9 };
	double		 t0, t1;
	int		 level[2] = { 0, 0 };
	size_t		 i, placed = 0;

	axis_range(h, &ax, m, nm);
	if (nm > 0)
		height += 80 + 26 * (double)(series_count(m, nm) + 1);
	nums(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\" width=\"%.0f\" class=\"lifeline\" role=\"img\" "
	    "aria-labelledby=\"life-t life-d\" font-family=\"DejaVu Sans, "
	    "sans-serif\">", LW, height, LW);
	HTML_LIT(b, "<title id=\"life-t\">Lifeline</title><desc id=\"life-d\">");
	for (i = 0; i < h->nevents; i++)
		if (event_at(h, &ax, &h->events[i], false) >= 0)
			placed++;
	nums(b, "%zu of %zu life events placed; above the line the good, "
	    "below the hard, higher for the more intense.", placed,
	    h->nevents);
	HTML_LIT(b, "</desc>\n");
	if (nm > 0) {
		/* The therapy's span on the life axis. */
		t0 = mark_at(&ax, m[0].date);
		t1 = mark_at(&ax, m[nm - 1].date);
		if (t0 >= 0 && t1 >= 0) {
			nums(b, "<rect x=\"%.1f\" y=\"30\" width=\"%.1f\" "
			    "height=\"300\" fill=\"#dfe9f5\"/><text x=\"%.1f\" "
			    "y=\"24\" font-size=\"10\" text-anchor=\"middle\" "
			    "fill=\"#245\">therapy</text>", lx(&ax, t0),
			    fmax(lx(&ax, t1) - lx(&ax, t0), 3),
			    lx(&ax, t0) + 1);
		}
	}
	nums(b, "<path d=\"M%.1f %.1fH%.1f\" stroke=\"#1d2733\" "
	    "stroke-width=\"1.5\"/>", LX0, AXIS_Y, LX1);
	step = ax.hi - ax.lo > 60 ? 10 : 5;
	for (v = ax.lo; v <= ax.hi + 0.01; v += step)
		nums(b, "<path d=\"M%.1f %.1fv5\" stroke=\"#1d2733\"/><text "
		    "x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\" fill=\"#3a4450\">%.0f</text>",
		    lx(&ax, v), AXIS_Y, lx(&ax, v), AXIS_Y + 18, v);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "fill=\"#3a4450\">", LX0 - 50, AXIS_Y + 18);
	if (ax.ages)
		HTML_LIT(b, "age");
	else
		HTML_LIT(b, "year");
	HTML_LIT(b, "</text>");
	for (i = 0; i < h->nevents; i++)
		if (event_at(h, &ax, &h->events[i], false) >= 0)
			lifeline_event(b, h, &ax, i, last_label, level);
	if (nm > 0)
		therapy_strip(b, h, m, nm, 360);
	HTML_LIT(b, "</svg>\n");
}

/*
 * history_svg.c - the relationship map and the lifeline.  See
 * history_svg.h; the notation is McGoldrick, Gerson & Petry's (square
 * male, circle female, a cross for the dead, a double outline for the
 * client, slashes for separation and divorce, patterned lines for
 * emotional ties), as summarised in docs/reference/landscape.md.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "render/history_svg.h"
#include "render/html.h"

#define R		18.0	/* symbol half size */
#define LABEL_LINE	13.0
#define LABEL_END	(R + 4 * LABEL_LINE + 4)	/* below the symbol */
#define LABEL_CHARS	16	/* fit GENO_SLOT at font-size 11 */

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

/* text cut to at most max characters (not bytes), with an ellipsis. */
static void
label_text(struct buf *b, const char *text, size_t max)
{
	char	 cut[LABEL_CHARS * 4 + 4];
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
	html_text(b, cut);
}

/* ---- symbols ---- */

enum shape { SHAPE_SQUARE, SHAPE_CIRCLE, SHAPE_DIAMOND };

static enum shape
shape_of(const char *gender)
{
	static const char *const male[] = { "male", "man", "m", "boy", NULL };
	static const char *const female[] = { "female", "woman", "f", "girl",
	    NULL };
	size_t	 i;

	if (gender == NULL)
		return SHAPE_DIAMOND;
	for (i = 0; male[i] != NULL; i++)
		if (strcasecmp(gender, male[i]) == 0)
			return SHAPE_SQUARE;
	for (i = 0; female[i] != NULL; i++)
		if (strcasecmp(gender, female[i]) == 0)
			return SHAPE_CIRCLE;
	return SHAPE_DIAMOND;
}

static void
shape(struct buf *b, enum shape s, double x, double y, double r,
    const char *extra)
{
	switch (s) {
	case SHAPE_SQUARE:
		nums(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\"", x - r, y - r, 2 * r, 2 * r);
		break;
	case SHAPE_CIRCLE:
		nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"", x, y, r);
		break;
	case SHAPE_DIAMOND:
		nums(b, "<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f "
		    "%.1f,%.1f\"", x, y - r * 1.2, x + r * 1.2, y, x,
		    y + r * 1.2, x - r * 1.2, y);
		break;
	}
	if (strcmp(extra, "self") == 0)
		HTML_LIT(b, " fill=\"none\" stroke=\"#1d2733\" "
		    "stroke-width=\"1.5\"/>");
	else
		HTML_LIT(b, " fill=\"#fff\" stroke=\"#1d2733\" "
		    "stroke-width=\"2\"/>");
}

static void
person(struct buf *b, const struct hist_person *p, const struct geno_node *n)
{
	enum shape	 s = shape_of(p->gender);
	char		 line[96];
	double		 y = n->y + R + LABEL_LINE;

	HTML_LIT(b, "<g");
	snprintf(line, sizeof(line), "%lld", (long long)p->id);
	html_attr(b, "data-person", line);
	HTML_LIT(b, "><title>");
	html_text(b, p->name);
	HTML_LIT(b, "</title>");
	shape(b, s, n->x, n->y, R, "");
	if (p->role != NULL && strcmp(p->role, "self") == 0)
		shape(b, s, n->x, n->y, R - 5, "self");
	if (p->died != 0)
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" "
		    "stroke=\"#1d2733\" stroke-width=\"1.5\"/>", n->x - R,
		    n->y - R, n->x + R, n->y + R, n->x + R, n->y - R, n->x - R,
		    n->y + R);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" "
	    "text-anchor=\"middle\" fill=\"#1d2733\">", n->x, y);
	label_text(b, p->name, LABEL_CHARS);
	HTML_LIT(b, "</text>");
	line[0] = '\0';
	if (p->born && p->died)
		snprintf(line, sizeof(line), "%d\xE2\x80\x93%d", p->born,
		    p->died);
	else if (p->born)
		snprintf(line, sizeof(line), "b. %d", p->born);
	else if (p->died)
		snprintf(line, sizeof(line), "d. %d", p->died);
	if (line[0] != '\0') {
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\" fill=\"#3a4450\">", n->x,
		    y + LABEL_LINE);
		html_text(b, line);
		HTML_LIT(b, "</text>");
	}
	if (p->role != NULL && strcmp(p->role, p->name) != 0) {
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\" fill=\"#3a4450\">", n->x,
		    y + 2 * LABEL_LINE);
		label_text(b, strcmp(p->role, "self") == 0 ? "client" :
		    p->role, LABEL_CHARS);
		HTML_LIT(b, "</text>");
	}
	if (p->has_ecr) {
		snprintf(line, sizeof(line), "anx %.1f \xC2\xB7 avo %.1f",
		    p->ecr_anxiety, p->ecr_avoidance);
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
		    "text-anchor=\"middle\" fill=\"#6a4c93\">", n->x,
		    y + 3 * LABEL_LINE);
		html_text(b, line);
		HTML_LIT(b, "</text>");
	}
	HTML_LIT(b, "</g>\n");
}

/* ---- ties ---- */

static const struct geno_node *
node_of(const struct history *h, const struct genogram *g, int64_t id)
{
	const struct hist_person *p = history_person(h, id);

	return p == NULL ? NULL : &g->nodes[p - h->people];
}

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

/* Side by side: on one row with nobody between them. */
static bool
side_by_side(const struct genogram *g, const struct geno_node *a,
    const struct geno_node *c)
{
	double	 lo = fmin(a->x, c->x), hi = fmax(a->x, c->x);
	size_t	 i;

	if (a->row != c->row)
		return false;
	for (i = 0; i < g->n; i++)
		if (g->nodes[i].row == a->row && g->nodes[i].x > lo + 1 &&
		    g->nodes[i].x < hi - 1)
			return false;
	return true;
}

/* A couple: a line between the partners, slashes for a separation. */
static void
couple(struct buf *b, const struct genogram *g, const struct hist_tie *t,
    const struct geno_node *a, const struct geno_node *c)
{
	const struct geno_node	*l = a->x <= c->x ? a : c;
	const struct geno_node	*r = a->x <= c->x ? c : a;
	double			 mx, my;
	char			 dates[64];
	int			 slashes = strcmp(t->type, "separated") == 0 ? 1 :
				    strcmp(t->type, "divorced") == 0 ? 2 : 0;
	int			 k;

	if (side_by_side(g, l, r)) {
		mx = (l->x + r->x) / 2;
		my = l->y;
		nums(b, "<path d=\"M%.1f %.1fH%.1f\"", l->x + R, my, r->x - R);
	} else {
		/* Not side by side: below the labels, clear of them. */
		my = fmax(l->y, r->y) + LABEL_END + 6;
		mx = (l->x + r->x) / 2;
		nums(b, "<path d=\"M%.1f %.1fV%.1fH%.1fV%.1f\"", l->x + R * 0.6,
		    l->y + R * 0.8, my, r->x - R * 0.6, r->y + R * 0.8);
	}
	HTML_LIT(b, " stroke=\"#1d2733\" stroke-width=\"2\"");
	if (strcmp(t->type, "cohabiting") == 0)
		HTML_LIT(b, " stroke-dasharray=\"6 4\"");
	HTML_LIT(b, "/>");
	for (k = 0; k < slashes; k++)
		nums(b, "<path d=\"M%.1f %.1fl8 -14\" stroke=\"#1d2733\" "
		    "stroke-width=\"2\"/>", mx - 8 + k * 7.0, my + 7);
	dates[0] = '\0';
	if (t->start && t->end)
		snprintf(dates, sizeof(dates), "%.4s\xE2\x80\x93%.4s", t->start,
		    t->end);
	else if (t->start)
		snprintf(dates, sizeof(dates), "%.4s", t->start);
	if (dates[0] != '\0') {
		nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
		    "text-anchor=\"middle\" fill=\"#3a4450\">", mx, my - 5);
		html_text(b, dates);
		HTML_LIT(b, "</text>");
	}
}

/* Where the line to the children of a (and maybe a partner) leaves. */
static void
drop_point(const struct history *h, const struct genogram *g,
    const struct hist_tie *t, double *x, double *y)
{
	const struct geno_node	*p = node_of(h, g, t->a), *q = NULL;
	size_t			 k;

	/* The child's other parent, if any is on the map. */
	for (k = 0; k < h->nties && q == NULL; k++) {
		const struct hist_tie *o = &h->ties[k];

		if (o != t && history_tie_is_parent(o) && o->b == t->b &&
		    o->a != t->a)
			q = node_of(h, g, o->a);
	}
	if (q != NULL && q->row == p->row) {
		*x = (p->x + q->x) / 2;
		*y = side_by_side(g, p, q) ? p->y : p->y + LABEL_END + 6;
	} else {
		*x = p->x;
		*y = p->y + LABEL_END;
	}
}

/* The twin of the child of t on the same parents' line, if any. */
static const struct geno_node *
twin_of(const struct history *h, const struct genogram *g, int64_t child)
{
	size_t	 k;

	for (k = 0; k < h->nties; k++) {
		const struct hist_tie *o = &h->ties[k];

		if (strcmp(o->type, "twin") != 0)
			continue;
		if (o->a == child)
			return node_of(h, g, o->b);
		if (o->b == child)
			return node_of(h, g, o->a);
	}
	return NULL;
}

static void
parent_line(struct buf *b, const struct history *h, const struct genogram *g,
    const struct hist_tie *t)
{
	const struct geno_node	*p = node_of(h, g, t->a);
	const struct geno_node	*c = node_of(h, g, t->b);
	const struct geno_node	*tw = twin_of(h, g, t->b);
	double			 dx, dy, bar = c->y - R - 24;

	if (c->row != p->row + 1) {
		/* The data disagree on generations: a plain line. */
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1f\"", p->x, p->y + R,
		    c->x, c->y - R);
	} else {
		drop_point(h, g, t, &dx, &dy);
		if (tw != NULL && tw->row == c->row)
			/* Twins: both lines from one point of the bar. */
			nums(b, "<path d=\"M%.1f %.1fV%.1fH%.1fL%.1f %.1f\"", dx,
			    dy, bar, (c->x + tw->x) / 2, c->x, c->y - R);
		else
			nums(b, "<path d=\"M%.1f %.1fV%.1fH%.1fV%.1f\"", dx, dy,
			    bar, c->x, c->y - R);
	}
	HTML_LIT(b, " stroke=\"#1d2733\" stroke-width=\"1.5\"");
	if (strcmp(t->type, "adopted") == 0)
		HTML_LIT(b, " stroke-dasharray=\"7 4\"");
	else if (strcmp(t->type, "foster") == 0)
		HTML_LIT(b, " stroke-dasharray=\"2 3\"");
	else if (strcmp(t->type, "step") == 0)
		HTML_LIT(b, " stroke-dasharray=\"8 3 2 3\"");
	HTML_LIT(b, "/>");
}

/* Siblings and twins: a bracket above them (a shared parent line shows
 * the same, and is drawn as well). */
static void
sibling_line(struct buf *b, const struct hist_tie *t,
    const struct geno_node *a, const struct geno_node *c)
{
	double	 top = fmin(a->y, c->y) - R - 10;

	if (strcmp(t->type, "twin") == 0 && a->row == c->row) {
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1f\" "
		    "stroke=\"#1d2733\" stroke-width=\"1\"/>", a->x, a->y - R,
		    (a->x + c->x) / 2, top, c->x, c->y - R);
		return;
	}
	nums(b, "<path d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" stroke=\"#1d2733\" "
	    "stroke-width=\"1\" stroke-dasharray=\"1 2\"/>", a->x, a->y - R, top,
	    c->x, c->y - R);
}

/* Emotional lines: patterns after McGoldrick, offset from the centre
 * line so several ties between two people stay apart. */
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

/* One emotional line from (x1,y1) to (x2,y2). */
static void
emo_line(struct buf *b, const struct emo_style *st, double x1, double y1,
    double x2, double y2)
{
	double	 dx = x2 - x1, dy = y2 - y1, len = hypot(dx, dy), ux, uy;
	double	 mx = (x1 + x2) / 2, my = (y1 + y2) / 2, off, t;
	int	 k, steps;

	if (len < 1)
		return;
	ux = dx / len;
	uy = dy / len;
	for (k = 0; k < st->lines; k++) {
		off = (k - (st->lines - 1) / 2.0) * 4;
		if (st->zigzag) {
			steps = (int)(len / 8);
			nums(b, "<path d=\"M%.1f %.1f", x1 - uy * off,
			    y1 + ux * off);
			for (int j = 1; j < steps; j++) {
				double z = (j % 2 ? 5 : -5) + off;

				t = (double)j / steps;
				nums(b, "L%.1f %.1f", x1 + dx * t - uy * z,
				    y1 + dy * t + ux * z);
			}
			nums(b, "L%.1f %.1f\"", x2 - uy * off, y2 + ux * off);
		} else if (st->breaks) {
			nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f "
			    "%.1f\"", x1, y1, mx - ux * 6, my - uy * 6,
			    mx + ux * 6, my + uy * 6, x2, y2);
		} else
			nums(b, "<path d=\"M%.1f %.1fL%.1f %.1f\"", x1 - uy * off,
			    y1 + ux * off, x2 - uy * off, y2 + ux * off);
		HTML_LIT(b, " fill=\"none\" stroke-width=\"1.6\"");
		html_attr(b, "stroke", st->colour);
		if (st->dash != NULL)
			html_attr(b, "stroke-dasharray", st->dash);
		HTML_LIT(b, "/>");
	}
	if (st->breaks) {
		/* Two bars across the gap: cut off. */
		for (k = -1; k <= 1; k += 2) {
			nums(b, "<path d=\"M%.1f %.1fL%.1f %.1f\" "
			    "stroke-width=\"1.6\"", mx + ux * 4 * k - uy * 7,
			    my + uy * 4 * k + ux * 7, mx + ux * 4 * k + uy * 7,
			    my + uy * 4 * k - ux * 7);
			html_attr(b, "stroke", st->colour);
			HTML_LIT(b, "/>");
		}
	}
	if (st->circle) {
		nums(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"11\" "
		    "fill=\"none\" stroke-width=\"1.4\"", mx, my);
		html_attr(b, "stroke", st->colour);
		HTML_LIT(b, "/>");
	}
	if (st->arrow) {
		nums(b, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"", x2, y2,
		    x2 - ux * 10 - uy * 5, y2 - uy * 10 + ux * 5,
		    x2 - ux * 10 + uy * 5, y2 - uy * 10 - ux * 5);
		html_attr(b, "fill", st->colour);
		HTML_LIT(b, "/>");
	}
}

static void
emotional(struct buf *b, const struct history *h, const struct genogram *g,
    size_t i, const struct geno_node *a, const struct geno_node *c)
{
	const struct hist_tie	*t = &h->ties[i];
	double			 dx = c->x - a->x, dy = c->y - a->y;
	double			 len = hypot(dx, dy), ux, uy, off;
	size_t			 k, before = 0;

	if (len < 1)
		return;
	/* Earlier emotional ties between the same two: further out. */
	for (k = 0; k < i; k++)
		if (h->ties[k].kind == TIE_EMOTIONAL &&
		    ((h->ties[k].a == t->a && h->ties[k].b == t->b) ||
		    (h->ties[k].a == t->b && h->ties[k].b == t->a)))
			before++;
	if (a->row == c->row && !side_by_side(g, a, c)) {
		/* On one row with people between: over their heads, in the
		 * space above the row, never through a symbol or label. */
		const struct emo_style *st = emo_style(t->type);
		double top = a->y - R - 36 - 9 * (double)before;
		double sx = dx > 0 ? 6 : -6;

		nums(b, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
		    "stroke-width=\"1.2\"", a->x + sx, a->y - R - 3, top,
		    c->x - sx, c->y - R - 3, top);
		html_attr(b, "stroke", st->colour);
		HTML_LIT(b, "/>");
		emo_line(b, st, a->x + sx, top, c->x - sx, top);
		return;
	}
	ux = dx / len;
	uy = dy / len;
	off = 12 + 10 * (double)before;
	emo_line(b, emo_style(t->type), a->x + ux * (R + 4) - uy * off,
	    a->y + uy * (R + 4) + ux * off, c->x - ux * (R + 4) - uy * off,
	    c->y - uy * (R + 4) + ux * off);
}

static void
legend(struct buf *b, double y, double width)
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
	size_t	 i, n = 0, cols = width >= 800 ? 4 : 3;
	double	 x, yy, colw = (width - 40) / (double)cols;

	nums(b, "<g font-size=\"11\" fill=\"#1d2733\"><text x=\"20\" "
	    "y=\"%.1f\" font-weight=\"bold\">Legend</text>", y);
	for (i = 0; i < sizeof(structural) / sizeof(structural[0]); i++, n++) {
		x = 20 + colw * (double)(n % cols);
		yy = y + 20 + 20 * (double)(n / cols);
		nums(b, "<path d=\"M%.1f %.1fh36\" stroke=\"#1d2733\" "
		    "stroke-width=\"2\"", x, yy - 4);
		if (structural[i].dash)
			html_attr(b, "stroke-dasharray", structural[i].dash);
		HTML_LIT(b, "/>");
		for (int k = 0; k < structural[i].slashes; k++)
			nums(b, "<path d=\"M%.1f %.1fl6 -12\" stroke=\"#1d2733\" "
			    "stroke-width=\"1.5\"/>", x + 12 + 6 * k, yy + 2);
		nums(b, "<text x=\"%.1f\" y=\"%.1f\">", x + 44, yy);
		html_text(b, structural[i].label);
		HTML_LIT(b, "</text>");
	}
	for (i = 0; i < sizeof(emo_styles) / sizeof(emo_styles[0]); i++, n++) {
		x = 20 + colw * (double)(n % cols);
		yy = y + 20 + 20 * (double)(n / cols);
		emo_line(b, &emo_styles[i], x, yy - 4, x + 36, yy - 4);
		nums(b, "<text x=\"%.1f\" y=\"%.1f\">", x + 44, yy);
		html_text(b, emo_styles[i].label);
		HTML_LIT(b, "</text>");
	}
	x = 20;
	yy = y + 20 + 20 * (double)((n + cols - 1) / cols);
	nums(b, "<text x=\"%.1f\" y=\"%.1f\">\xE2\x96\xA1 male, \xE2\x97\x8B "
	    "female, \xE2\x97\x87 other or not given; \xE2\x9C\x95 died; "
	    "double outline: the client</text></g>", x, yy);
}

/* Rows the legend needs, in pixels. */
static double
legend_height(double width)
{
	size_t	 cols = width >= 800 ? 4 : 3;

	return 50 + 20 * (double)((7 + 8 + cols - 1) / cols + 1);
}

void
svg_map(struct buf *b, const struct history *h, const struct genogram *g)
{
	const struct geno_node	*a, *c;
	double			 width = fmax(g->width, 640);
	double			 height = g->height + LABEL_END;
	size_t			 i;

	nums(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\" width=\"%.0f\" class=\"map\" role=\"img\" aria-labelledby="
	    "\"map-t map-d\" font-family=\"DejaVu Sans, sans-serif\">", width,
	    height + legend_height(width), width);
	HTML_LIT(b, "<title id=\"map-t\">Relationship map</title><desc "
	    "id=\"map-d\">");
	nums(b, "%zu people, %zu ties, in %d generations. The list beside "
	    "the map gives the same facts as text.", h->npeople, h->nties,
	    g->rows);
	HTML_LIT(b, "</desc>\n");
	/* Lines first, symbols over them. */
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];

		a = node_of(h, g, t->a);
		c = node_of(h, g, t->b);
		if (a == NULL || c == NULL)
			continue;
		tie_open(b, i, t);
		if (t->kind == TIE_EMOTIONAL)
			emotional(b, h, g, i, a, c);
		else if (history_tie_is_couple(t))
			couple(b, g, t, a, c);
		else if (history_tie_is_parent(t))
			parent_line(b, h, g, t);
		else
			sibling_line(b, t, a, c);
		HTML_LIT(b, "<title>");
		html_text(b, h->people[a - g->nodes].name);
		HTML_LIT(b, " \xE2\x80\x93 ");
		html_text(b, h->people[c - g->nodes].name);
		HTML_LIT(b, ": ");
		html_text(b, t->type);
		HTML_LIT(b, "</title></g>\n");
	}
	for (i = 0; i < g->n; i++)
		person(b, &h->people[g->nodes[i].person], &g->nodes[i]);
	legend(b, height + 10, width);
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
	double			 ly;
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
		html_text(b, ev->note);
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

/* The therapy, closer: its own time axis under the lifeline. */
static void
therapy_strip(struct buf *b, const struct history *h,
    const struct lifeline_mark *m, size_t nm, double top)
{
	const char	*series[8];
	size_t		 ns = 0, i, k;
	double		 lo = years_of(m[0].date), hi = years_of(m[nm - 1].date);
	double		 x, y;

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
	nums(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "fill=\"#3a4450\">", SX0, top + 14);
	html_text(b, m[0].date);
	nums(b, "</text><text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
	    "text-anchor=\"end\" fill=\"#3a4450\">", LX1, top + 14);
	html_text(b, m[nm - 1].date);
	HTML_LIT(b, "</text>");
	for (k = 0; k < ns; k++) {
		y = top + 36 + 26 * (double)k;
		nums(b, "<text x=\"10\" y=\"%.1f\" font-size=\"10\" "
		    "fill=\"#1d2733\">", y + 4);
		label_text(b, strcmp(series[k], "session") == 0 ? "sessions" :
		    series[k], 24);
		nums(b, "</text><path d=\"M%.1f %.1fH%.1f\" stroke=\"#ccd\"/>",
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

enum sb_err
lifeline_mark_keep(void *arg, const struct store_mark *s)
{
	struct lifeline_marks	*l = arg;
	struct lifeline_mark	*m;

	/* A date that is not a day would be placed wrongly: left out. */
	if (l->n >= l->max || strlen(s->date) != 10)
		return SB_OK;
	m = &l->v[l->n++];
	snprintf(m->date, sizeof(m->date), "%s", s->date);
	snprintf(m->series, sizeof(m->series), "%s", s->series);
	m->value = s->value;
	return SB_OK;
}

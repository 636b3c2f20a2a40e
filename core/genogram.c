/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram.c - the relationship map's layout: label sizes, households
 * and the whole, over genogram_order.c, genogram_route.c and
 * genogram_lines.c (genogram_int.h); its check is genogram_check.c.  See
 * genogram.h.
 *
 * Five steps.  Generations from the structural ties (a breadth-first walk
 * from "self", so the client's own family decides when the data
 * disagree).  Sizes: each person's label (the name wrapped on two lines,
 * dates, role, ECR-RS) decides how wide their place is.  An order within
 * each row (children under their parents, then by birth year; twins
 * together; a sibling who brings a partner in from outside at an end of
 * the siblings, the partner outside them) and positions, in passes that
 * pull children under their parents and parents over their children,
 * each pass only ever moving a person to the right of the one before, so
 * no two places overlap whatever the data.  Routes: every line is made of
 * points whose heights are still symbolic (a row, or a lane of the space
 * between two rows), so lanes can be handed out before the rows' heights
 * are known; emotional lines try the four ways round (leaving each end at
 * its left or its right) and keep the one with the fewest crossings.
 * Last, heights: each space between rows is as tall as its lanes need,
 * and every point gets its place.
 *
 * People with no structural tie at all (a friend, a therapist) share the
 * self's row, to the right of the family.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/genogram_int.h"

/* ---- text: how wide a label will be drawn ---- */

/* The code point at s[*i], advancing *i; a bad byte counts as one. */
static uint32_t
next_cp(const char *s, size_t n, size_t *i)
{
	const unsigned char	*p = (const unsigned char *)s + *i;
	uint32_t		 c = p[0];
	size_t			 len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ?
				    2 : 1;
	size_t			 k;

	if (c < 0x80 || *i + len > n) {
		(*i)++;
		return c;
	}
	c &= len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07;
	for (k = 1; k < len; k++)
		c = (c << 6) | (p[k] & 0x3F);
	*i += len;
	return c;
}

/*
 * A character's advance in ems: DejaVu Sans's own (the font the map
 * asks for), 6% wider so that an estimate never falls short of the
 * drawn text; other scripts 0.72, wide East Asian characters a whole em.
 */
static double
char_em(uint32_t c)
{
	/* ' ' to '~', DejaVu Sans advances in thousandths of an em. */
	static const unsigned short ascii[95] = {
	    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318,
	    361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636,
	    337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575,
	    775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635,
	    611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500,
	    613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974,
	    634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525,
	    636, 337, 636, 838 };

	if (c >= ' ' && c <= '~')
		return ascii[c - ' '] * 1.06 / 1000.0;
	if (c < 0x80)
		return 0.6;
	if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
	    (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0xFF00 && c <= 0xFF60) || c >= 0x1F300)
		return 1.05;
	return 0.72;
}

/* The width of s[from, to) at px. */
static double
text_w(const char *s, size_t from, size_t to, double px)
{
	double	 w = 0;
	size_t	 i = from;

	while (i < to)
		w += char_em(next_cp(s, to, &i));
	return w * px;
}

#define ELLIPSIS_EM	1.0

/*
 * Cuts s[from, to) to fit w with an ellipsis after it: the end of what
 * fits, on a character boundary.
 */
static size_t
fit(const char *s, size_t from, size_t to, double px, double w)
{
	size_t	 i = from, last = from;
	double	 used = ELLIPSIS_EM * px;

	while (i < to) {
		size_t at = i;

		used += char_em(next_cp(s, to, &i)) * px;
		if (used > w)
			return at;
		last = i;
	}
	return last;
}

/*
 * The name on one line if it fits, else two, broken after a space or a
 * hyphen: of the breaks that let both lines fit, the one that makes the
 * longer line shortest; if none does, the one that puts the most on the
 * first line, the second cut with an ellipsis; within a word only when
 * the first word alone is wider than a line.
 */
static void
wrap_name(struct geno_node *nd, const char *name)
{
	size_t	 n = strlen(name), i = 0, brk = 0, e1, s2, at;
	double	 w1, w2, best = 1e18, most = -1;

	nd->name_lines = 1;
	nd->name_cut = false;
	nd->name_from[0] = 0;
	nd->name_to[0] = n;
	if (text_w(name, 0, n, GENO_NAME_PX) <= GENO_LABEL_W)
		return;
	while (i < n) {
		uint32_t c = next_cp(name, n, &i);

		if ((c != ' ' && c != '-') || i >= n)
			continue;
		for (e1 = i; e1 > 0 && name[e1 - 1] == ' '; e1--)
			;
		for (s2 = i; s2 < n && name[s2] == ' '; s2++)
			;
		w1 = text_w(name, 0, e1, GENO_NAME_PX);
		w2 = text_w(name, s2, n, GENO_NAME_PX);
		if (w1 > GENO_LABEL_W || e1 == 0 || s2 == n)
			continue;
		if (w2 <= GENO_LABEL_W && fmax(w1, w2) < best) {
			best = fmax(w1, w2);
			brk = i;
		} else if (best == 1e18 && w1 > most) {
			most = w1;
			brk = i;
		}
	}
	if (brk == 0) {
		/* One long word: as much as fits, the rest below. */
		at = fit(name, 0, n, GENO_NAME_PX, GENO_LABEL_W +
		    ELLIPSIS_EM * GENO_NAME_PX);
		e1 = s2 = at > 0 ? at : 1;
	} else {
		for (e1 = brk; e1 > 0 && name[e1 - 1] == ' '; e1--)
			;
		s2 = brk;
	}
	while (s2 < n && name[s2] == ' ')
		s2++;
	nd->name_to[0] = e1;
	nd->name_from[1] = s2;
	nd->name_to[1] = n;
	nd->name_lines = s2 < n ? 2 : 1;
	if (nd->name_lines == 2 && text_w(name, s2, n, GENO_NAME_PX) >
	    GENO_LABEL_W) {
		nd->name_to[1] = fit(name, s2, n, GENO_NAME_PX, GENO_LABEL_W);
		nd->name_cut = true;
	}
}

enum geno_shape
genogram_shape(const char *gender)
{
	static const char *const male[] = { "male", "man", "m", "boy", NULL };
	static const char *const female[] = { "female", "woman", "f", "girl",
	    NULL };
	size_t	 i;

	if (gender == NULL)
		return GENO_DIAMOND;
	for (i = 0; male[i] != NULL; i++)
		if (strcasecmp(gender, male[i]) == 0)
			return GENO_SQUARE;
	for (i = 0; female[i] != NULL; i++)
		if (strcasecmp(gender, female[i]) == 0)
			return GENO_CIRCLE;
	return GENO_DIAMOND;
}

/* Shape, label lines and width of person p's node. */
static void
size_node(struct geno_node *nd, const struct hist_person *p)
{
	const char	*role;
	double		 w = 0, wl;
	int		 lines;
	size_t		 k;

	nd->shape = genogram_shape(p->gender);
	wrap_name(nd, p->name);
	for (k = 0; k < (size_t)nd->name_lines; k++) {
		wl = text_w(p->name, nd->name_from[k], nd->name_to[k],
		    GENO_NAME_PX);
		if (k == 1 && nd->name_cut)
			wl += ELLIPSIS_EM * GENO_NAME_PX;
		w = fmax(w, wl);
	}
	lines = nd->name_lines;
	nd->has_dates = p->born != 0 || p->died != 0;
	if (nd->has_dates) {
		w = fmax(w, 9 * 0.66 * GENO_TEXT_PX);
		lines++;
	}
	nd->has_role = p->role != NULL && strcmp(p->role, p->name) != 0;
	if (nd->has_role) {
		role = strcmp(p->role, "self") == 0 ? "client" : p->role;
		k = strlen(role);
		wl = text_w(role, 0, k, GENO_TEXT_PX);
		nd->role_chars = SIZE_MAX;
		if (wl > GENO_LABEL_W) {
			size_t end = fit(role, 0, k, GENO_TEXT_PX,
			    GENO_LABEL_W), i = 0;

			nd->role_chars = 0;
			while (i < end) {
				(void)next_cp(role, end, &i);
				nd->role_chars++;
			}
			wl = GENO_LABEL_W;
		}
		w = fmax(w, wl);
		lines++;
	}
	nd->has_ecr = p->has_ecr;
	if (nd->has_ecr) {
		w = fmax(w, 17 * 0.66 * GENO_TEXT_PX);
		lines++;
	}
	nd->half = fmax(geno_sym_half(nd->shape), w / 2 + 2);
	/* Relative to the centre until the rows have their heights. */
	nd->sym.x0 = -geno_sym_half(nd->shape);
	nd->sym.x1 = geno_sym_half(nd->shape);
	nd->sym.y0 = -geno_sym_half(nd->shape);
	nd->sym.y1 = geno_sym_half(nd->shape);
	nd->label.x0 = -(w / 2 + 1);
	nd->label.x1 = w / 2 + 1;
	nd->label.y0 = geno_sym_half(nd->shape) + LABEL_GAP;
	/* The last line's descenders: below its baseline. */
	nd->label.y1 = nd->label.y0 + lines * GENO_LINE + 4;
}

/* ---- households ---- */

/* The household of each person (a component of household ties). */
static size_t
households(const struct work *w, size_t *hh)
{
	const struct history	*h = w->h;
	size_t			 i, k, a, b, n = 0, from, to;
	bool			 changed = true;

	for (i = 0; i < w->n; i++)
		hh[i] = SIZE_MAX;
	for (k = 0; k < h->nties; k++) {
		if (!history_tie_is_household(&h->ties[k]))
			continue;
		a = geno_index_of(h, h->ties[k].a);
		b = geno_index_of(h, h->ties[k].b);
		if (a == SIZE_MAX || b == SIZE_MAX)
			continue;
		if (hh[a] == SIZE_MAX && hh[b] == SIZE_MAX)
			hh[a] = hh[b] = n++;
		else if (hh[a] == SIZE_MAX)
			hh[a] = hh[b];
		else if (hh[b] == SIZE_MAX)
			hh[b] = hh[a];
		else if (hh[a] != hh[b]) {
			from = hh[b];
			to = hh[a];
			for (i = 0; i < w->n; i++)
				if (hh[i] == from)
					hh[i] = to;
		}
	}
	/* Number them 0, 1, ... in the order first met. */
	while (changed) {
		changed = false;
		for (k = 0; k < n; k++) {
			bool any = false;

			for (i = 0; i < w->n && !any; i++)
				any = hh[i] == k;
			if (!any && n > 0) {
				for (i = 0; i < w->n; i++)
					if (hh[i] == n - 1)
						hh[i] = k;
				n--;
				changed = true;
				break;
			}
		}
	}
	return n;
}

/* ---- emotional lines kept off the structural ones ---- */

#define ALONG_GAP	4.0	/* closer than this, two lines read as one */
#define ALONG_SHIFT	8.0	/* how far an emotional line moves aside */

/* The length along which segments a-b and c-d (each horizontal or
 * vertical, as routes are) run on top of each other. */
static double
along(struct geno_pt a, struct geno_pt b, struct geno_pt c, struct geno_pt d)
{
	double	 lo, hi;

	if (fabs(a.y - b.y) < 0.5 && fabs(c.y - d.y) < 0.5 &&
	    fabs(a.y - c.y) < ALONG_GAP) {
		lo = fmax(fmin(a.x, b.x), fmin(c.x, d.x));
		hi = fmin(fmax(a.x, b.x), fmax(c.x, d.x));
	} else if (fabs(a.x - b.x) < 0.5 && fabs(c.x - d.x) < 0.5 &&
	    fabs(a.x - c.x) < ALONG_GAP) {
		lo = fmax(fmin(a.y, b.y), fmin(c.y, d.y));
		hi = fmin(fmax(a.y, b.y), fmax(c.y, d.y));
	} else
		return 0;
	return hi > lo ? hi - lo : 0;
}

/* How far line e, moved by (dx, dy), runs along the structural lines. */
static double
along_structure(const struct genogram *g, const struct geno_line *e,
    double dx, double dy)
{
	struct geno_pt	 p, q;
	double		 sum = 0;
	size_t		 i, j, k;

	for (i = 0; i < g->nlines; i++) {
		const struct geno_line *l = &g->lines[i];

		if (l->kind == GENO_EMOTIONAL)
			continue;
		for (j = 0; j + 1 < l->npts; j++)
			for (k = 0; k + 1 < e->npts; k++) {
				p = (struct geno_pt){ e->pts[k].x + dx,
				    e->pts[k].y + dy };
				q = (struct geno_pt){ e->pts[k + 1].x + dx,
				    e->pts[k + 1].y + dy };
				sum += along(l->pts[j], l->pts[j + 1], p, q);
			}
	}
	return sum;
}

/* Does the level or upright segment p-q enter box b? */
static bool
enters(struct geno_pt p, struct geno_pt q, const struct geno_box *b)
{
	return fmax(p.x, q.x) > b->x0 - 1 && fmin(p.x, q.x) < b->x1 + 1 &&
	    fmax(p.y, q.y) > b->y0 - 1 && fmin(p.y, q.y) < b->y1 + 1;
}

/* Does line e, moved by (dx, dy), pass a symbol or name not its own? */
static bool
through_other(const struct history *h, const struct genogram *g,
    const struct geno_line *e, double dx, double dy)
{
	const struct hist_tie	*t = &h->ties[e->tie];
	struct geno_pt		 p, q;
	size_t			 i, k;

	for (i = 0; i < g->n; i++) {
		const struct geno_node	*nd = &g->nodes[i];
		int64_t			 id = h->people[nd->person].id;

		if (id == t->a || id == t->b)
			continue;
		for (k = 0; k + 1 < e->npts; k++) {
			p = (struct geno_pt){ e->pts[k].x + dx,
			    e->pts[k].y + dy };
			q = (struct geno_pt){ e->pts[k + 1].x + dx,
			    e->pts[k + 1].y + dy };
			if (enters(p, q, &nd->sym) || enters(p, q, &nd->label))
				return true;
		}
	}
	return false;
}

/*
 * An emotional line (a hostile zigzag, a close double line) routed along
 * a couple's or a child's line reads as part of it: such a line is moved
 * aside, by the smallest shift that leaves it running along none (or the
 * least) and through no one else's symbol or name.
 */
static void
emotional_aside(const struct history *h, struct genogram *g)
{
	static const double	 sx[] = { 0, 1, -1, 0, 0, 1, -1, 1, -1, 2, -2,
				    0, 0, 2, -2, 2, -2 };
	static const double	 sy[] = { 0, 0, 0, 1, -1, 1, 1, -1, -1, 0, 0,
				    2, -2, 2, 2, -2, -2 };
	double			 best, o, dx, dy;
	size_t			 i, k, pick;

	for (i = 0; i < g->nlines; i++) {
		struct geno_line *e = &g->lines[i];

		if (e->kind != GENO_EMOTIONAL || e->npts < 2 ||
		    (best = along_structure(g, e, 0, 0)) < 1)
			continue;
		for (k = 1, pick = 0; k < sizeof(sx) / sizeof(sx[0]) &&
		    best >= 1; k++) {
			dx = sx[k] * ALONG_SHIFT;
			dy = sy[k] * ALONG_SHIFT;
			if ((o = along_structure(g, e, dx, dy)) < best &&
			    !through_other(h, g, e, dx, dy)) {
				best = o;
				pick = k;
			}
		}
		for (k = 0; k < e->npts; k++) {
			e->pts[k].x += sx[pick] * ALONG_SHIFT;
			e->pts[k].y += sy[pick] * ALONG_SHIFT;
		}
		e->mid.x += sx[pick] * ALONG_SHIFT;
		e->mid.y += sy[pick] * ALONG_SHIFT;
	}
}

/* One outline per run of a household's members in a row. */
static SB_MUST enum sb_err
outlines(struct work *w)
{
	struct genogram	*g = w->g;
	size_t		*hh, i, j, r0, r1;
	int		 r;

	if ((hh = calloc(w->n, sizeof(*hh))) == NULL)
		return SB_ENOMEM;
	g->households = households(w, hh);
	for (i = 0; i < w->n; i++)
		g->nodes[i].household = hh[i];
	if (g->households > 0 && (g->outlines = calloc(w->n,
	    sizeof(*g->outlines))) == NULL) {
		free(hh);
		return SB_ENOMEM;
	}
	for (r = 0; r < g->rows && g->households > 0; r++) {
		geno_row_span(w, r, &r0, &r1);
		for (i = r0; i < r1; i = j) {
			size_t p = w->order[i];
			struct geno_box b;

			for (j = i + 1; j < r1 && hh[w->order[j]] == hh[p]; j++)
				;
			if (hh[p] == SIZE_MAX)
				continue;
			b.x0 = b.y0 = 1e18;
			b.x1 = b.y1 = -1e18;
			for (size_t m = i; m < j; m++) {
				const struct geno_node *nd =
				    &g->nodes[w->order[m]];

				b.x0 = fmin(b.x0, nd->x - nd->half);
				b.x1 = fmax(b.x1, nd->x + nd->half);
				b.y0 = fmin(b.y0, nd->sym.y0);
				b.y1 = fmax(b.y1, nd->label.y1);
			}
			b.x0 -= 8;
			b.x1 += 8;
			b.y0 -= 8;
			b.y1 += 6;
			g->outlines[g->noutlines].household = hh[p];
			g->outlines[g->noutlines++].box = b;
		}
	}
	free(hh);
	return SB_OK;
}

/* ---- the whole ---- */

enum sb_err
genogram_layout(const struct history *h, struct genogram *g)
{
	struct work	 w;
	struct lay	 L;
	size_t		 i, *unit_of = NULL;
	enum sb_err	 e = SB_ENOMEM;

	memset(g, 0, sizeof(*g));
	memset(&w, 0, sizeof(w));
	memset(&L, 0, sizeof(L));
	w.h = h;
	w.g = g;
	w.n = h->npeople;
	if (w.n == 0) {
		g->width = g->height = 2 * GENO_MARGIN;
		return SB_OK;
	}
	if ((g->nodes = calloc(w.n, sizeof(*g->nodes))) == NULL ||
	    (g->tie_line = calloc(h->nties + 1, sizeof(*g->tie_line))) ==
	    NULL ||
	    (w.gen = calloc(w.n, sizeof(*w.gen))) == NULL ||
	    (w.comp = calloc(w.n, sizeof(*w.comp))) == NULL ||
	    (w.key = calloc(w.n, sizeof(*w.key))) == NULL ||
	    (w.order = calloc(w.n, sizeof(*w.order))) == NULL ||
	    (w.pos = calloc(w.n, sizeof(*w.pos))) == NULL ||
	    (unit_of = calloc(w.n, sizeof(*unit_of))) == NULL)
		goto out;
	g->n = w.n;
	for (i = 0; i <= h->nties; i++)
		g->tie_line[i] = SIZE_MAX;
	if ((e = geno_generations(&w, g)) != SB_OK)
		goto out;
	e = SB_ENOMEM;
	if ((w.row_at = calloc((size_t)g->rows + 1, sizeof(*w.row_at))) ==
	    NULL ||
	    (L.gap_used = calloc(w.n + (size_t)g->rows + 1,
	    sizeof(*L.gap_used))) == NULL ||
	    (L.exits = calloc(w.n * 3, sizeof(*L.exits))) == NULL ||
	    (L.couple_drop = calloc(h->nties + 1, sizeof(*L.couple_drop))) ==
	    NULL)
		goto out;
	for (i = 0; i < w.n; i++) {
		g->nodes[i].person = i;
		g->nodes[i].row = w.gen[i];
		size_node(&g->nodes[i], &h->people[i]);
		unit_of[i] = SIZE_MAX;
	}
	for (i = 0; i <= h->nties; i++)
		L.couple_drop[i] = SIZE_MAX;
	if ((e = geno_order_and_place(&w)) != SB_OK)
		goto out;
	L.w = &w;
	if ((e = geno_tie_lines(&L, PASS_COUPLE, unit_of)) != SB_OK ||
	    (e = geno_families(&L, unit_of)) != SB_OK ||
	    (e = geno_tie_lines(&L, PASS_PARENT, unit_of)) != SB_OK ||
	    (e = geno_tie_lines(&L, PASS_SIBLING, unit_of)) != SB_OK ||
	    (e = geno_tie_lines(&L, PASS_EMOTIONAL, unit_of)) != SB_OK ||
	    (e = geno_finish(&L, unit_of)) != SB_OK ||
	    (e = outlines(&w)) != SB_OK)
		goto out;
	emotional_aside(h, g);
out:
	free(w.gen);
	free(w.comp);
	free(w.key);
	free(w.order);
	free(w.pos);
	free(w.row_at);
	free(unit_of);
	for (i = 0; i < L.nl; i++)
		free(L.l[i].p);
	free(L.l);
	free(L.tk);
	free(L.gap_used);
	free(L.exits);
	free(L.couple_drop);
	if (e != SB_OK)
		genogram_free(g);
	return e;
}

void
genogram_free(struct genogram *g)
{
	size_t	 i;

	for (i = 0; i < g->nlines; i++)
		free(g->lines[i].pts);
	free(g->lines);
	free(g->nodes);
	free(g->tie_line);
	free(g->outlines);
	memset(g, 0, sizeof(*g));
}

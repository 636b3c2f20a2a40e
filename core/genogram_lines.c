/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_lines.c - the structural lines (couples, parents to
 * children, siblings, and the emotional lines after them) and the
 * finished geometry: each space between rows as tall as its lanes need,
 * every point given its place.  See genogram.c for the whole.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram_int.h"

/* ---- the structural lines ---- */

/* A couple: beside each other a line between them, else under the row. */
static SB_MUST enum sb_err
couple_line(struct lay *L, size_t k, size_t a, size_t b)
{
	const struct work	*w = L->w;
	struct sline		*l;

	if (w->gen[a] != w->gen[b])
		/* The data disagree on generations. */
		return geno_route_any(L, k, GENO_COUPLE, a, b);
	if ((l = geno_new_line(L, k, GENO_COUPLE, L->groups++)) == NULL)
		return SB_ENOMEM;
	if (geno_adjacent(w, a, b)) {
		const struct geno_node *na = &w->g->nodes[a];
		const struct geno_node *nb = &w->g->nodes[b];
		int s = nb->x > na->x ? 1 : -1;

		geno_add_pt(l, geno_at_row(geno_side_x(na, s, 0), w->gen[a],
		    0));
		geno_add_pt(l, geno_at_row(geno_side_x(nb, -s, 0), w->gen[b],
		    0));
		l->mid_seg = 0;
		/* The middle of the gap is the children's. */
		(void)geno_gap_x(L, w->gen[a], geno_gap_beside(L, a, s), true);
	} else {
		geno_route_under(L, a, b, 0, true, l);
		l->mid_seg = 2;
	}
	geno_own(l, a);
	geno_own(l, b);
	L->couple_drop[k] = L->nl - 1;
	return SB_OK;
}

/* The couple tie between a and b, or SIZE_MAX. */
static size_t
couple_of(const struct history *h, size_t a, size_t b)
{
	size_t	 k;

	for (k = 0; k < h->nties; k++)
		if (history_tie_is_couple(&h->ties[k]) &&
		    ((h->ties[k].a == h->people[a].id &&
		    h->ties[k].b == h->people[b].id) ||
		    (h->ties[k].b == h->people[a].id &&
		    h->ties[k].a == h->people[b].id)))
			return k;
	return SIZE_MAX;
}

/*
 * Where the line to a couple's children leaves: the middle of the free
 * space between the two (the couple line crosses it), or the middle of
 * the line under the row.  False when the couple is not on one row.
 */
bool
geno_couple_drop(const struct lay *L, size_t tie, struct spt *out)
{
	const struct sline	*l;
	const struct genogram	*g = L->w->g;

	if (tie == SIZE_MAX || L->couple_drop[tie] == SIZE_MAX)
		return false;
	l = &L->l[L->couple_drop[tie]];
	if (l->n == 2) {
		size_t a = l->own[0], b = l->own[1], t;

		if (g->nodes[a].x > g->nodes[b].x) {
			t = a;
			a = b;
			b = t;
		}
		*out = geno_at_row((g->nodes[a].x + g->nodes[a].half +
		    g->nodes[b].x - g->nodes[b].half) / 2, L->w->gen[a], 0);
		return true;
	}
	if (l->n == 6) {
		*out = l->p[2];
		out->x = (l->p[2].x + l->p[3].x) / 2;
		return true;
	}
	return false;
}

/*
 * Each family: the children of one couple or single parent, on a sibling
 * line of their own in the space above them, each hanging from it (twins
 * from one point).  The line is drawn for the first parent's tie; a
 * second parent's tie shares it, unless the two are not a couple on one
 * row, when each has a line down from under their own label.
 */
enum sb_err
geno_families(struct lay *L, size_t *unit_of)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	const struct history	*h = w->h;
	size_t			*cs, nc, i, j, k, p[2], q[2], np, nq, ctie;
	size_t			 ptie[2];
	struct spt		 drop[2];
	size_t			 ndrop, group;
	double			 lo, hi, x;
	int			 lane, row;
	struct sline		*l;
	bool			*done;
	enum sb_err		 e = SB_ENOMEM;

	cs = calloc(w->n, sizeof(*cs));
	done = calloc(w->n, sizeof(*done));
	if (cs == NULL || done == NULL)
		goto out;
	for (i = 0; i < w->n; i++) {
		size_t c0 = w->order[i];

		if (done[c0] || (np = geno_primary_parents(w, c0, p)) == 0)
			continue;
		/* The family: the children with the same parents. */
		nc = 0;
		for (j = i; j < w->n; j++) {
			size_t c = w->order[j];

			if (done[c] || w->gen[c] != w->gen[c0])
				continue;
			nq = geno_primary_parents(w, c, q);
			if (nq != np || !((q[0] == p[0] && (np == 1 ||
			    q[1] == p[1])) || (np == 2 && q[0] == p[1] &&
			    q[1] == p[0])))
				continue;
			done[c] = true;
			cs[nc++] = c;
		}
		group = L->groups++;
		row = w->gen[c0];
		ctie = np == 2 ? couple_of(h, p[0], p[1]) : SIZE_MAX;
		ndrop = 0;
		if (np == 2 && geno_couple_drop(L, ctie, &drop[0]))
			ndrop = 1;
		else
			for (k = 0; k < np; k++)
				drop[ndrop++] = geno_at_row(g->nodes[p[k]].x,
				    row - 1,
				    g->nodes[p[k]].label.y1);
		lo = hi = drop[0].x;
		for (k = 0; k < ndrop; k++) {
			lo = fmin(lo, drop[k].x);
			hi = fmax(hi, drop[k].x);
		}
		for (k = 0; k < nc; k++) {
			lo = fmin(lo, g->nodes[cs[k]].x);
			hi = fmax(hi, g->nodes[cs[k]].x);
		}
		lane = geno_lane_in(L, row, lo, hi, true, true);
		for (k = 0; k < nc; k++) {
			size_t c = cs[k], tw = geno_twin_in(w, cs, 0, nc, c), d;

			unit_of[c] = group;
			/* The ties from each parent to this child. */
			for (d = 0; d < np; d++) {
				ptie[d] = SIZE_MAX;
				for (j = 0; j < h->nties; j++)
					if (history_tie_is_parent(&h->ties[j]) &&
					    h->ties[j].a == h->people[p[d]].id &&
					    h->ties[j].b == h->people[c].id) {
						ptie[d] = j;
						break;
					}
			}
			for (d = 0; d < ndrop; d++) {
				if (ptie[d] == SIZE_MAX)
					continue;
				if ((l = geno_new_line(L, ptie[d], GENO_CHILD,
				    group)) == NULL)
					goto out;
				geno_add_pt(l, drop[d]);
				geno_add_pt(l, geno_at_lane(drop[d].x, row,
				    lane));
				x = tw != SIZE_MAX ? (g->nodes[c].x +
				    g->nodes[tw].x) / 2 : g->nodes[c].x;
				geno_add_pt(l, geno_at_lane(x, row, lane));
				geno_add_pt(l, geno_at_row(g->nodes[c].x, row,
				    geno_top_dy(&g->nodes[c], 0)));
				for (j = 0; j < np; j++)
					geno_own(l, p[j]);
				geno_own(l, c);
			}
		}
	}
	e = SB_OK;
out:
	free(cs);
	free(done);
	return e;
}

/* Is a one of the parents b hangs from (the tie drawn with its family)? */
static bool
in_family(const struct work *w, size_t a, size_t b)
{
	size_t	 p[2], n = geno_primary_parents(w, b, p), k;

	for (k = 0; k < n; k++)
		if (p[k] == a)
			return true;
	return false;
}

/*
 * A parent tie outside the family lines (a step- or foster parent beside
 * the parents, or a parent the data put in another generation): from
 * the parent's couple with one of the child's parents, or from under
 * the parent's own label, on a lane of its own, to the child's top a
 * little right of the family line.
 */
static SB_MUST enum sb_err
other_parent(struct lay *L, size_t tie, size_t a, size_t c)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	size_t			 p[2], np, k, ct;
	struct spt		 d;
	struct sline		*l;
	int			 lane, row = w->gen[c];
	double			 x = g->nodes[c].x + 9;

	if (w->gen[a] != row - 1)
		return geno_route_any(L, tie, GENO_CHILD, a, c);
	d = geno_at_row(g->nodes[a].x, row - 1, g->nodes[a].label.y1);
	np = geno_primary_parents(w, c, p);
	for (k = 0; k < np; k++)
		if ((ct = couple_of(w->h, a, p[k])) != SIZE_MAX &&
		    geno_couple_drop(L, ct, &d))
			break;
	lane = geno_lane_in(L, row, d.x, x, true, true);
	if ((l = geno_new_line(L, tie, GENO_CHILD, L->groups++)) == NULL)
		return SB_ENOMEM;
	geno_add_pt(l, d);
	geno_add_pt(l, geno_at_lane(d.x, row, lane));
	geno_add_pt(l, geno_at_lane(x, row, lane));
	geno_add_pt(l, geno_at_row(x, row, geno_top_dy(&g->nodes[c], 9)));
	geno_own(l, a);
	if (k < np)
		geno_own(l, p[k]);
	geno_own(l, c);
	return SB_OK;
}

/*
 * Siblings and twins: one family's need no line of their own (the
 * sibling line shows them; identical twins get their bar later); others
 * a bracket over their heads, or a route when the data put them in
 * different generations.
 */
static SB_MUST enum sb_err
sibling_line(struct lay *L, size_t k, size_t a, size_t b,
    const size_t *unit_of)
{
	const struct work	*w = L->w;
	struct sline		*l;

	if (unit_of[a] != SIZE_MAX && unit_of[a] == unit_of[b])
		return SB_OK;
	if (w->gen[a] != w->gen[b])
		return geno_route_any(L, k, GENO_SIBLING, a, b);
	if ((l = geno_new_line(L, k, GENO_SIBLING, L->groups++)) == NULL)
		return SB_ENOMEM;
	geno_route_over(L, a, b, true, l);
	geno_own(l, a);
	geno_own(l, b);
	return SB_OK;
}

static enum pass
pass_of(const struct hist_tie *t)
{
	if (t->kind == TIE_EMOTIONAL)
		return PASS_EMOTIONAL;
	if (history_tie_is_couple(t))
		return PASS_COUPLE;
	if (history_tie_is_parent(t))
		return PASS_PARENT;
	if (history_tie_is_household(t))
		return PASS_NONE;	/* outlines, not lines */
	return PASS_SIBLING;
}

/*
 * The lines of one pass.  Parent ties of a family were drawn with it
 * (geno_families()); the rest are step- or foster parents beside the parents,
 * or parents the data put in another generation.
 */
enum sb_err
geno_tie_lines(struct lay *L, enum pass pass, const size_t *unit_of)
{
	const struct work	*w = L->w;
	const struct history	*h = w->h;
	size_t			 k, a, b;
	enum sb_err		 e = SB_OK;

	for (k = 0; k < h->nties && e == SB_OK; k++) {
		const struct hist_tie *t = &h->ties[k];

		if (pass_of(t) != pass)
			continue;
		a = geno_index_of(h, t->a);
		b = geno_index_of(h, t->b);
		if (a == SIZE_MAX || b == SIZE_MAX || a == b)
			continue;
		switch (pass) {
		case PASS_COUPLE:
			e = couple_line(L, k, a, b);
			break;
		case PASS_PARENT:
			if (!in_family(w, a, b))
				e = other_parent(L, k, a, b);
			break;
		case PASS_SIBLING:
			e = sibling_line(L, k, a, b, unit_of);
			break;
		case PASS_EMOTIONAL:
			e = geno_route_any(L, k, GENO_EMOTIONAL, a, b);
			break;
		case PASS_NONE:
			break;
		}
	}
	return e;
}

/* ---- heights, and the finished geometry ---- */

/*
 * Heights: each row's symbols and labels, each space between rows as
 * tall as its lanes; then every node, box and point gets its place.
 */
enum sb_err
geno_finish(struct lay *L, const size_t *unit_of)
{
	struct work		*w = L->w;
	struct genogram		*g = w->g;
	const struct history	*h = w->h;
	double			*rowy, *zone_top, *zone_bot, *below, y;
	double			 minx = 1e18;
	double			 maxx = -1e18, maxy = 0;
	int			*lanes, *low, z;
	size_t			 i, j, k;
	enum sb_err		 e = SB_ENOMEM;

	rowy = calloc((size_t)g->rows + 1, sizeof(*rowy));
	zone_top = calloc((size_t)g->rows + 2, sizeof(*zone_top));
	below = calloc((size_t)g->rows + 1, sizeof(*below));
	lanes = calloc((size_t)g->rows + 2, sizeof(*lanes));
	low = calloc((size_t)g->rows + 2, sizeof(*low));
	zone_bot = calloc((size_t)g->rows + 2, sizeof(*zone_bot));
	if (rowy == NULL || zone_top == NULL || below == NULL || lanes ==
	    NULL || low == NULL || zone_bot == NULL)
		goto out;
	for (i = 0; i < L->ntk; i++) {
		if (L->tk[i].lane + 1 > lanes[L->tk[i].zone])
			lanes[L->tk[i].zone] = L->tk[i].lane + 1;
		if (-L->tk[i].lane > low[L->tk[i].zone])
			low[L->tk[i].zone] = -L->tk[i].lane;
	}
	for (i = 0; i < w->n; i++)
		below[w->gen[i]] = fmax(below[w->gen[i]], g->nodes[i].label.y1);
	y = GENO_MARGIN;
	for (z = 0; z <= g->rows; z++) {
		int n = lanes[z] + low[z];
		double need = n > 0 ? ZONE_PAD + ZONE_PAD_LOW + (n - 1) *
		    LANE : 0;

		zone_top[z] = y;
		if (z > 0 && z < g->rows)
			need = fmax(need, ZONE_MIN);
		y += need;
		zone_bot[z] = y;
		if (z < g->rows) {
			rowy[z] = y + SYM_TOP;
			y = rowy[z] + below[z];
		}
	}
	g->height = y + GENO_MARGIN;
	for (i = 0; i < w->n; i++) {
		struct geno_node *nd = &g->nodes[i];

		nd->y = rowy[nd->row];
		nd->sym.x0 += nd->x;
		nd->sym.x1 += nd->x;
		nd->sym.y0 += nd->y;
		nd->sym.y1 += nd->y;
		nd->label.x0 += nd->x;
		nd->label.x1 += nd->x;
		nd->label.y0 += nd->y;
		nd->label.y1 += nd->y;
	}
	if ((g->lines = calloc(L->nl + h->nties + 1, sizeof(*g->lines))) ==
	    NULL)
		goto out;
	for (i = 0; i < L->nl; i++) {
		const struct sline *s = &L->l[i];
		struct geno_line *gl = &g->lines[g->nlines];

		if (s->oom)
			goto out;	/* a line cut short is not drawn */
		if ((gl->pts = calloc(s->n ? s->n : 1, sizeof(*gl->pts))) ==
		    NULL)
			goto out;
		g->nlines++;
		gl->tie = s->tie;
		gl->kind = s->kind;
		gl->group = s->group;
		gl->npts = s->n;
		for (j = 0; j < s->n; j++) {
			gl->pts[j].x = s->p[j].x;
			const struct spt *sp = &s->p[j];

			if (sp->ref == Y_ROW)
				gl->pts[j].y = rowy[sp->at] + sp->v;
			else if (sp->v < 0)
				gl->pts[j].y = zone_bot[sp->at] - ZONE_PAD_LOW +
				    (sp->v + 1) * LANE;
			else
				gl->pts[j].y = zone_top[sp->at] + ZONE_PAD +
				    sp->v * LANE;
		}
		if (g->tie_line[s->tie] == SIZE_MAX)
			g->tie_line[s->tie] = g->nlines - 1;
	}
	/* Identical twins: a bar halfway down their two lines. */
	for (k = 0; k < h->nties; k++) {
		const struct hist_tie *t = &h->ties[k];
		size_t a = geno_index_of(h, t->a), b = geno_index_of(h, t->b);
		const struct geno_line *la = NULL, *lb = NULL;
		struct geno_line *gl;

		if (strcmp(t->type, "identical-twin") != 0 || a == SIZE_MAX ||
		    b == SIZE_MAX || unit_of[a] == SIZE_MAX ||
		    unit_of[a] != unit_of[b])
			continue;
		for (j = 0; j < g->nlines; j++) {
			const struct geno_line *o = &g->lines[j];

			if (o->kind != GENO_CHILD || o->npts != 4 ||
			    o->group != unit_of[a])
				continue;
			if (fabs(o->pts[3].x - g->nodes[a].x) < 1e-9)
				la = o;
			if (fabs(o->pts[3].x - g->nodes[b].x) < 1e-9)
				lb = o;
		}
		if (la == NULL || lb == NULL)
			continue;
		gl = &g->lines[g->nlines];
		if ((gl->pts = calloc(2, sizeof(*gl->pts))) == NULL)
			goto out;
		g->nlines++;
		gl->tie = k;
		gl->kind = GENO_TWIN_BAR;
		gl->group = unit_of[a];
		gl->npts = 2;
		gl->pts[0].x = (la->pts[2].x + la->pts[3].x) / 2;
		gl->pts[0].y = (la->pts[2].y + la->pts[3].y) / 2;
		gl->pts[1].x = (lb->pts[2].x + lb->pts[3].x) / 2;
		gl->pts[1].y = (lb->pts[2].y + lb->pts[3].y) / 2;
		g->tie_line[k] = g->nlines - 1;
	}
	/* Marks: a couple's on its own segment, others' on the longest. */
	for (i = 0; i < g->nlines; i++) {
		struct geno_line *gl = &g->lines[i];
		int seg = i < L->nl ? L->l[i].mid_seg : -1;
		double best = -1, len;

		if (gl->npts < 2)
			continue;
		if (seg < 0 || (size_t)seg + 1 >= gl->npts)
			for (j = 1; j < gl->npts; j++) {
				len = hypot(gl->pts[j].x - gl->pts[j - 1].x,
				    gl->pts[j].y - gl->pts[j - 1].y);
				if (len > best) {
					best = len;
					seg = (int)j - 1;
				}
			}
		gl->mid.x = (gl->pts[seg].x + gl->pts[seg + 1].x) / 2;
		gl->mid.y = (gl->pts[seg].y + gl->pts[seg + 1].y) / 2;
	}
	/* The picture's extent: every box and every point. */
	for (i = 0; i < w->n; i++) {
		minx = fmin(minx, g->nodes[i].x - g->nodes[i].half);
		maxx = fmax(maxx, g->nodes[i].x + g->nodes[i].half);
	}
	for (i = 0; i < g->nlines; i++)
		for (j = 0; j < g->lines[i].npts; j++) {
			minx = fmin(minx, g->lines[i].pts[j].x);
			maxx = fmax(maxx, g->lines[i].pts[j].x);
			maxy = fmax(maxy, g->lines[i].pts[j].y);
		}
	for (i = 0; i < w->n; i++) {
		struct geno_node *nd = &g->nodes[i];
		double dx = GENO_MARGIN - minx;

		nd->x += dx;
		nd->sym.x0 += dx;
		nd->sym.x1 += dx;
		nd->label.x0 += dx;
		nd->label.x1 += dx;
	}
	for (i = 0; i < g->nlines; i++) {
		for (j = 0; j < g->lines[i].npts; j++)
			g->lines[i].pts[j].x += GENO_MARGIN - minx;
		g->lines[i].mid.x += GENO_MARGIN - minx;
	}
	g->width = maxx - minx + 2 * GENO_MARGIN;
	g->height = fmax(g->height, maxy + GENO_MARGIN);
	e = SB_OK;
out:
	free(rowy);
	free(zone_top);
	free(zone_bot);
	free(low);
	free(below);
	free(lanes);
	return e;
}

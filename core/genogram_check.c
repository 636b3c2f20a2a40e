/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_check.c - the map's own check: no symbol over another, no line
 * through a symbol it does not belong to, households' outlines around
 * their members, and the crossings counted.  Apart from the layout
 * (genogram.c) so that what is checked is not what made it.  See
 * genogram.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/genogram.h"
#include "core/genogram_int.h"

/* Does segment a-b cross c-d properly (not at an end, not along)? */
bool
geno_cross(double ax, double ay, double bx, double by, double cx, double cy,
    double dx, double dy)
{
	double	 o1 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
	double	 o2 = (bx - ax) * (dy - ay) - (by - ay) * (dx - ax);
	double	 o3 = (dx - cx) * (ay - cy) - (dy - cy) * (ax - cx);
	double	 o4 = (dx - cx) * (by - cy) - (dy - cy) * (bx - cx);
	double	 eps = 1e-6;

	return ((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps)) &&
	    ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps));
}

static bool
boxes_meet(const struct geno_box *a, const struct geno_box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Does the segment p-q pass inside box b (grown by m)? */
static bool
seg_in_box(struct geno_pt p, struct geno_pt q, const struct geno_box *b,
    double m)
{
	double	 t0 = 0, t1 = 1, dx = q.x - p.x, dy = q.y - p.y;
	double	 pp[4] = { -dx, dx, -dy, dy };
	double	 qq[4] = { p.x - (b->x0 - m), (b->x1 + m) - p.x,
		    p.y - (b->y0 - m), (b->y1 + m) - p.y };
	int	 k;

	for (k = 0; k < 4; k++) {
		if (fabs(pp[k]) < 1e-12) {
			if (qq[k] <= 0)
				return false;
			continue;
		}
		double t = qq[k] / pp[k];

		if (pp[k] < 0) {
			if (t > t1)
				return false;
			if (t > t0)
				t0 = t;
		} else {
			if (t < t0)
				return false;
			if (t < t1)
				t1 = t;
		}
	}
	return t1 - t0 > 1e-9;
}

/* Is person i one the line may touch: its tie's people, its parents. */
static bool
owns(const struct history *h, const struct geno_line *l, size_t i)
{
	const struct hist_tie	*t = &h->ties[l->tie];
	size_t			 k;

	if (h->people[i].id == t->a || h->people[i].id == t->b)
		return true;
	if (l->kind != GENO_CHILD && l->kind != GENO_TWIN_BAR)
		return false;
	/* A family line touches the child's other parent, and starts on
	 * the couple line of the parent's partner. */
	for (k = 0; k < h->nties; k++) {
		const struct hist_tie *o = &h->ties[k];

		if (history_tie_is_parent(o) && o->b == t->b &&
		    o->a == h->people[i].id)
			return true;
		if (history_tie_is_couple(o) && (o->a == h->people[i].id ||
		    o->b == h->people[i].id) && (o->a == t->a || o->b == t->a))
			return true;
	}
	return false;
}

/* The first problem, in words: the four parts joined. */
static void
note(struct geno_check *c, const char *a, const char *b, const char *d,
    const char *e)
{
	if (c->what[0] == '\0')
		snprintf(c->what, sizeof(c->what), "%s%s%s%s", a, b, d, e);
}

void
genogram_check(const struct history *h, const struct genogram *g,
    struct geno_check *c)
{
	size_t	 i, j, k, m;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < g->n; i++)
		for (j = i + 1; j < g->n; j++) {
			const struct geno_node *a = &g->nodes[i];
			const struct geno_node *b = &g->nodes[j];

			if (boxes_meet(&a->sym, &b->sym) ||
			    boxes_meet(&a->sym, &b->label) ||
			    boxes_meet(&a->label, &b->sym) ||
			    boxes_meet(&a->label, &b->label)) {
				c->overlaps++;
				note(c, h->people[a->person].name, " and ",
				    h->people[b->person].name, " overlap");
			}
		}
	for (i = 0; i < g->nlines; i++) {
		const struct geno_line *l = &g->lines[i];

		for (k = 0; k < g->n; k++) {
			const struct geno_node *nd = &g->nodes[k];
			bool hit = false;

			for (m = 1; m < l->npts && !hit; m++)
				hit = seg_in_box(l->pts[m - 1], l->pts[m],
				    &nd->sym, 1) || seg_in_box(l->pts[m - 1],
				    l->pts[m], &nd->label, 1);
			/* Whose the line is, asked only when it touches. */
			if (hit && !owns(h, l, nd->person)) {
				c->through++;
				note(c, "a line of type ", h->ties[l->tie].type,
				    " passes through ",
				    h->people[nd->person].name);
			}
		}
		for (j = i + 1; j < g->nlines; j++) {
			const struct geno_line *o = &g->lines[j];

			if (o->group == l->group)
				continue;
			for (m = 1; m < l->npts; m++)
				for (k = 1; k < o->npts; k++)
					if (geno_cross(l->pts[m - 1].x,
					    l->pts[m - 1].y, l->pts[m].x,
					    l->pts[m].y, o->pts[k - 1].x,
					    o->pts[k - 1].y, o->pts[k].x,
					    o->pts[k].y))
						c->crossings++;
		}
	}
	/* An outline may enclose only its household's people. */
	for (i = 0; i < g->noutlines; i++)
		for (k = 0; k < g->n; k++) {
			const struct geno_box *b = &g->outlines[i].box;
			const struct geno_node *nd = &g->nodes[k];
			bool inside = nd->x > b->x0 && nd->x < b->x1 &&
			    nd->y > b->y0 && nd->y < b->y1;

			if (inside &&
			    nd->household != g->outlines[i].household) {
				c->through++;
				note(c, "a household outline encloses ",
				    h->people[nd->person].name, "", "");
			}
		}
}

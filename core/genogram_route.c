/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_route.c - routes round the symbols: points whose heights are
 * still symbolic (a row, or a lane of the space between two rows), lanes
 * handed out, and for an emotional line the way round with the fewest
 * crossings.  See genogram.c for the whole.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram_int.h"

/* ---- routes ---- */

struct spt
geno_at_row(double x, int row, double dy)
{
	struct spt p = { x, dy, Y_ROW, row };

	return p;
}

struct spt
geno_at_lane(double x, int zone, int lane)
{
	struct spt p = { x, (double)lane, Y_LANE, zone };

	return p;
}

/*
 * A height that orders like the real one, for choosing routes before
 * the real heights are known: row r at r * 10000; the lanes of the space
 * above it from 5000 below it down (lanes 0, 1, ...), and the low lanes
 * (-1, -2, ...) from just above it up.
 */
static double
prov_y(const struct spt *p)
{
	if (p->ref == Y_ROW)
		return p->at * 10000.0 + p->v;
	if (p->v < 0)
		return p->at * 10000.0 - 30.0 + (p->v + 1) * 10.0;
	return p->at * 10000.0 - 5000.0 + p->v * 10.0;
}

/* Is the lane free over [x0, x1]? */
static bool
lane_free(const struct lay *L, int zone, int lane, double x0, double x1)
{
	size_t	 i;

	for (i = 0; i < L->ntk; i++)
		if (L->tk[i].zone == zone && L->tk[i].lane == lane &&
		    L->tk[i].x0 < x1 + 6 && x0 < L->tk[i].x1 + 6)
			return false;
	return true;
}

/*
 * The first lane of space zone free over [x0, x1], taken if commit: from
 * the top (0, 1, ...), or with low from the bottom (-1, -2, ...), where
 * sibling lines hang just above the children.
 */
int
geno_lane_in(struct lay *L, int zone, double x0, double x1, bool low,
    bool commit)
{
	int		 lane, step = low ? -1 : 1;
	double		 lo = fmin(x0, x1), hi = fmax(x0, x1);
	struct taken	*t;

	for (lane = low ? -1 : 0; !lane_free(L, zone, lane, lo, hi);
	    lane += step)
		;
	if (commit) {
		if (L->ntk == L->captk) {
			size_t cap = L->captk ? L->captk * 2 : 64;

			/* Out of memory: the lane is used unrecorded, and a
			 * later line may share it; nothing else goes wrong. */
			if ((t = realloc(L->tk, cap * sizeof(*t))) == NULL)
				return lane;
			L->tk = t;
			L->captk = cap;
		}
		L->tk[L->ntk].zone = zone;
		L->tk[L->ntk].lane = lane;
		L->tk[L->ntk].x0 = lo;
		L->tk[L->ntk].x1 = hi;
		L->ntk++;
	}
	return lane;
}

/* A lane for a route: from the top, or from the bottom while L->low. */
static int
zone_lane(struct lay *L, int zone, double x0, double x1, bool commit)
{
	return geno_lane_in(L, zone, x0, x1, L->low, commit);
}

/*
 * Gap k of row r: the free space before the k-th person of the row (k =
 * the row's length: after the last).  The x of its next line down, taken
 * if commit: from the middle outwards, or outwards from the row's ends.
 */
double
geno_gap_x(struct lay *L, int r, size_t k, bool commit)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	size_t			 r0, r1, id, used;
	double			 lo, hi, mid, x;
	int			 half, slots;

	geno_row_span(w, r, &r0, &r1);
	id = r0 + (size_t)r + k;	/* gaps: people plus one per row */
	used = L->gap_used[id];
	if (commit)
		L->gap_used[id]++;
	if (k == 0) {
		const struct geno_node *nd = &g->nodes[w->order[r0]];

		return nd->x - nd->half - 10 - XLANE * (double)used;
	}
	if (r0 + k == r1) {
		const struct geno_node *nd = &g->nodes[w->order[r1 - 1]];

		return nd->x + nd->half + 10 + XLANE * (double)used;
	}
	lo = g->nodes[w->order[r0 + k - 1]].x + g->nodes[w->order[r0 +
	    k - 1]].half;
	hi = g->nodes[w->order[r0 + k]].x - g->nodes[w->order[r0 + k]].half;
	mid = (lo + hi) / 2;
	slots = (int)floor((hi - lo - 8) / XLANE);
	if (slots < 1)
		slots = 1;
	used %= (size_t)slots;
	half = (int)(used + 1) / 2;
	x = mid + (used % 2 ? 1 : -1) * XLANE * half;
	return x;
}

/* The gap on side s (-1 left, +1 right) of person i. */
size_t
geno_gap_beside(const struct lay *L, size_t i, int s)
{
	const struct work	*w = L->w;
	size_t			 r0, r1;

	geno_row_span(w, w->gen[i], &r0, &r1);
	return w->pos[i] - r0 + (s > 0 ? 1 : 0);
}

/* The gap of row r whose middle is nearest x. */
static size_t
gap_near(struct lay *L, int r, double x)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	size_t			 r0, r1, k, best = 0;
	double			 d, bd = 1e18, gx;

	geno_row_span(w, r, &r0, &r1);
	for (k = 0; k <= r1 - r0; k++) {
		if (k == 0)
			gx = g->nodes[w->order[r0]].x - g->nodes[w->order[r0]].half;
		else if (r0 + k == r1)
			gx = g->nodes[w->order[r1 - 1]].x +
			    g->nodes[w->order[r1 - 1]].half;
		else
			gx = (g->nodes[w->order[r0 + k - 1]].x +
			    g->nodes[w->order[r0 + k]].x) / 2;
		d = fabs(gx - x);
		if (d < bd) {
			bd = d;
			best = k;
		}
	}
	return best;
}

/* Where a line leaves person i at its side s, dy from the centre. */
double
geno_side_x(const struct geno_node *nd, int s, double dy)
{
	double	 r = geno_sym_half(nd->shape), e;

	switch (nd->shape) {
	case GENO_CIRCLE:
		e = sqrt(fmax(r * r - dy * dy, 0));
		break;
	case GENO_DIAMOND:
		e = r - fabs(dy);
		break;
	default:
		e = r;
		break;
	}
	return nd->x + s * e;
}

/* Where a line leaves person i at its top, dx from the centre. */
double
geno_top_dy(const struct geno_node *nd, double dx)
{
	double	 r = geno_sym_half(nd->shape);

	switch (nd->shape) {
	case GENO_CIRCLE:
		return -sqrt(fmax(r * r - dx * dx, 0));
	case GENO_DIAMOND:
		return -(r - fabs(dx));
	default:
		return -r;
	}
}

/* The next height a line leaves person i's side s at (or top: s 0). */
static double
exit_at(struct lay *L, size_t i, int s, bool commit)
{
	/* Below the centre first: a couple's dates sit above its line. */
	static const double side[] = { 7, 13, 18, -10, -16, 3, -5, 16 };
	static const double top[] = { -8, 16, -16, 12, -12 };
	int	*e = &L->exits[i * 3 + (size_t)(s + 1)];
	int	 k = *e;

	if (commit)
		(*e)++;
	if (s == 0)
		return top[k % 5];
	return side[k % 8];
}

struct sline *
geno_new_line(struct lay *L, size_t tie, enum geno_line_kind kind, size_t group)
{
	struct sline	*l;

	if (L->nl == L->capl) {
		size_t cap = L->capl ? L->capl * 2 : 32;

		if ((l = realloc(L->l, cap * sizeof(*l))) == NULL)
			return NULL;
		L->l = l;
		L->capl = cap;
	}
	l = &L->l[L->nl++];
	memset(l, 0, sizeof(*l));
	l->tie = tie;
	l->kind = kind;
	l->group = group;
	l->mid_seg = -1;
	return l;
}

void
geno_own(struct sline *l, size_t person)
{
	if (l->nown < 4)
		l->own[l->nown++] = person;
}

void
geno_add_pt(struct sline *l, struct spt p)
{
	struct spt	*np;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;

		if ((np = realloc(l->p, cap * sizeof(*np))) == NULL) {
			l->oom = true;
			return;
		}
		l->p = np;
		l->cap = cap;
	}
	l->p[l->n++] = p;
}

/* How many lines already laid the route r crosses. */
static size_t
crossings_of(const struct lay *L, const struct sline *r)
{
	size_t	 i, j, k, n = 0;

	for (i = 0; i < L->nl; i++) {
		const struct sline *o = &L->l[i];

		if (o->group == r->group)
			continue;
		for (j = 1; j < r->n; j++)
			for (k = 1; k < o->n; k++)
				if (geno_cross(r->p[j - 1].x,
				    prov_y(&r->p[j - 1]),
				    r->p[j].x, prov_y(&r->p[j]), o->p[k - 1].x,
				    prov_y(&o->p[k - 1]), o->p[k].x,
				    prov_y(&o->p[k])))
					n++;
	}
	return n;
}

static double
route_length(const struct sline *r)
{
	double	 len = 0;
	size_t	 j;

	for (j = 1; j < r->n; j++)
		len += fabs(r->p[j].x - r->p[j - 1].x) + fabs(prov_y(&r->p[j]) -
		    prov_y(&r->p[j - 1]));
	return len;
}

/*
 * From person u (upper row) leaving at side su, down to person d (a lower
 * row) entering at side sd (0: at its top): across to the gap beside u, down through it,
 * along the space below, through the gap nearest the way in each row
 * between, and into the gap beside d.  Into r; commit takes the lanes.
 */
static void
route_down(struct lay *L, size_t u, int su, size_t d, int sd, bool commit,
    struct sline *r)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	const struct geno_node	*nu = &g->nodes[u], *nd = &g->nodes[d];
	int			 ru = w->gen[u], rd = w->gen[d], row, lane;
	double			 dyu = exit_at(L, u, su, commit);
	double			 dyd = exit_at(L, d, sd, commit);
	double			 x, nx, t;

	/* sd 0: into d's top, dyd across from its centre. */

	x = geno_gap_x(L, ru, geno_gap_beside(L, u, su), commit);
	geno_add_pt(r, geno_at_row(geno_side_x(nu, su, dyu), ru, dyu));
	geno_add_pt(r, geno_at_row(x, ru, dyu));
	for (row = ru + 1; row <= rd; row++) {
		if (row < rd) {
			t = (double)(row - ru) / (double)(rd - ru);
			nx = geno_gap_x(L, row, gap_near(L, row, nu->x +
			    (nd->x - nu->x) * t), commit);
		} else if (sd == 0)
			nx = nd->x + dyd;
		else
			nx = geno_gap_x(L, rd, geno_gap_beside(L, d, sd),
			    commit);
		lane = zone_lane(L, row, x, nx, commit);
		geno_add_pt(r, geno_at_lane(x, row, lane));
		geno_add_pt(r, geno_at_lane(nx, row, lane));
		x = nx;
	}
	if (sd == 0) {
		geno_add_pt(r, geno_at_row(x, rd, geno_top_dy(nd, dyd)));
		return;
	}
	geno_add_pt(r, geno_at_row(x, rd, dyd));
	geno_add_pt(r, geno_at_row(geno_side_x(nd, sd, dyd), rd, dyd));
}

/* Over the heads of row r: up from a's top, along, down to b's top. */
void
geno_route_over(struct lay *L, size_t a, size_t b, bool commit, struct sline *r)
{
	const struct genogram	*g = L->w->g;
	const struct geno_node	*na = &g->nodes[a], *nb = &g->nodes[b];
	int			 row = L->w->gen[a], lane;
	double			 da = exit_at(L, a, 0, commit);
	double			 db = exit_at(L, b, 0, commit);
	double			 xa = na->x + da, xb = nb->x + db;

	lane = zone_lane(L, row, xa, xb, commit);
	geno_add_pt(r, geno_at_row(xa, row, geno_top_dy(na, da)));
	geno_add_pt(r, geno_at_lane(xa, row, lane));
	geno_add_pt(r, geno_at_lane(xb, row, lane));
	geno_add_pt(r, geno_at_row(xb, row, geno_top_dy(nb, db)));
}

/* Under the labels of row r: out at the sides facing each other, down
 * the gaps beside them, along the space below. */
void
geno_route_under(struct lay *L, size_t a, size_t b, double dy, bool commit,
    struct sline *r)
{
	const struct genogram	*g = L->w->g;
	const struct geno_node	*na = &g->nodes[a], *nb = &g->nodes[b];
	int			 row = L->w->gen[a], lane;
	int			 sa = nb->x > na->x ? 1 : -1;
	double			 xa, xb, ya, yb;

	ya = isnan(dy) ? exit_at(L, a, sa, commit) : dy;
	yb = isnan(dy) ? exit_at(L, b, -sa, commit) : dy;
	xa = geno_gap_x(L, row, geno_gap_beside(L, a, sa), commit);
	xb = geno_gap_x(L, row, geno_gap_beside(L, b, -sa), commit);
	lane = zone_lane(L, row + 1, xa, xb, commit);
	geno_add_pt(r, geno_at_row(geno_side_x(na, sa, ya), row, ya));
	geno_add_pt(r, geno_at_row(xa, row, ya));
	geno_add_pt(r, geno_at_lane(xa, row + 1, lane));
	geno_add_pt(r, geno_at_lane(xb, row + 1, lane));
	geno_add_pt(r, geno_at_row(xb, row, yb));
	geno_add_pt(r, geno_at_row(geno_side_x(nb, -sa, yb), row, yb));
}

/* Nobody between a and b in their row. */
bool
geno_adjacent(const struct work *w, size_t a, size_t b)
{
	return w->gen[a] == w->gen[b] && (w->pos[a] + 1 == w->pos[b] ||
	    w->pos[b] + 1 == w->pos[a]);
}

static void
reverse(struct sline *r)
{
	size_t		 i;
	struct spt	 t;

	for (i = 0; i < r->n / 2; i++) {
		t = r->p[i];
		r->p[i] = r->p[r->n - 1 - i];
		r->p[r->n - 1 - i] = t;
	}
}

/*
 * Way k of the ways from u down (or across) to d, into r: ways * 2 of
 * them, the second half along the low lanes of each space (beside the
 * sibling lines) instead of the top ones.
 */
static void
route_way(struct lay *L, size_t u, size_t d, int ways, int k, bool commit,
    struct sline *r)
{
	L->low = k >= ways;
	k %= ways;
	if (ways == 2 && k == 0)
		geno_route_over(L, u, d, commit, r);
	else if (ways == 2)
		geno_route_under(L, u, d, NAN, commit, r);
	else
		route_down(L, u, k % 2 ? 1 : -1, d, k / 2 - 1, commit, r);
	L->low = false;
}

/*
 * A line from a to b that may pass no one: beside each other, straight;
 * on one row, over the row or under it; else down through the gaps.  Of
 * the ways round, the one with the fewest crossings (then the shortest)
 * is taken.  The points run from a to b.
 */
enum sb_err
geno_route_any(struct lay *L, size_t tie, enum geno_line_kind kind, size_t a,
    size_t b)
{
	const struct work	*w = L->w;
	struct sline		 cand;
	size_t			 bc = SIZE_MAX, c, u = a, d = b;
	double			 bl = 0, len;
	int			 k, ways, way = 0;
	bool			 flip = false;
	struct sline		*l;

	if (geno_adjacent(w, a, b)) {
		const struct geno_node *na = &w->g->nodes[a];
		const struct geno_node *nb = &w->g->nodes[b];
		int s = nb->x > na->x ? 1 : -1;
		double dy = exit_at(L, a, s, true);

		(void)exit_at(L, b, -s, true);
		if ((l = geno_new_line(L, tie, kind, L->groups++)) == NULL)
			return SB_ENOMEM;
		geno_add_pt(l, geno_at_row(geno_side_x(na, s, dy), w->gen[a],
		    dy));
		geno_add_pt(l, geno_at_row(geno_side_x(nb, -s, dy), w->gen[b],
		    dy));
		geno_own(l, a);
		geno_own(l, b);
		return SB_OK;
	}
	if (w->gen[a] > w->gen[b]) {
		u = b;
		d = a;
		flip = true;
	}
	/* On one row: over or under; else each end's side (or d's top). */
	ways = w->gen[u] == w->gen[d] ? 2 : 6;
	/* Beyond MAX_ROUTED lines the first way is taken unsearched. */
	for (k = 0; k < 2 * ways && L->nl <= MAX_ROUTED; k++) {
		memset(&cand, 0, sizeof(cand));
		cand.group = L->groups;
		route_way(L, u, d, ways, k, false, &cand);
		c = crossings_of(L, &cand);
		len = route_length(&cand);
		free(cand.p);
		if (bc == SIZE_MAX || c < bc || (c == bc && len < bl)) {
			bc = c;
			bl = len;
			way = k;
		}
	}
	if ((l = geno_new_line(L, tie, kind, L->groups++)) == NULL)
		return SB_ENOMEM;
	route_way(L, u, d, ways, way, true, l);
	if (flip)
		reverse(l);
	geno_own(l, a);
	geno_own(l, b);
	return SB_OK;
}

double
geno_sym_half(enum geno_shape s)
{
	return s == GENO_DIAMOND ? GENO_R * 1.2 : GENO_R;
}

/*
 * genogram.c - the relationship map's layout.  See genogram.h.
 *
 * Three steps: generations from the structural ties (a breadth-first walk
 * from "self", so the client's own family decides when the data
 * disagree); an order within each row (children under their parents,
 * then by birth year; partners who have no parents on the map moved
 * beside their partner, a second partner on the other side); and
 * positions, in passes that pull children under their parents and
 * parents over their children, each pass only ever moving a person to the
 * right of the one before, so no two slots overlap whatever the data.
 * People with no structural tie at all (a friend, a therapist) share the
 * self's row, to the right of the family.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram.h"

#define UNSET	INT_MIN

struct work {
	const struct history	*h;
	int			*gen;		/* per person */
	int			*comp;		/* component, -1: unconnected */
	double			*key;		/* ordering key in its row */
	size_t			*order;		/* people sorted by row, order */
	size_t			 n;
};

static size_t
index_of(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (h->people[i].id == id)
			return i;
	return SIZE_MAX;
}

/* The generation step from a to b of a structural tie. */
static int
tie_step(const struct hist_tie *t)
{
	return history_tie_is_parent(t) ? 1 : 0;
}

/* Assigns generations in the component of start, breadth first. */
static void
walk(struct work *w, size_t start, int comp, size_t *queue)
{
	const struct history	*h = w->h;
	size_t			 head = 0, tail = 0, i, a, b;

	w->gen[start] = 0;
	w->comp[start] = comp;
	queue[tail++] = start;
	while (head < tail) {
		size_t p = queue[head++];

		for (i = 0; i < h->nties; i++) {
			const struct hist_tie *t = &h->ties[i];

			if (t->kind != TIE_STRUCTURAL)
				continue;
			a = index_of(h, t->a);
			b = index_of(h, t->b);
			if (a == p && w->gen[b] == UNSET) {
				w->gen[b] = w->gen[p] + tie_step(t);
				w->comp[b] = comp;
				queue[tail++] = b;
			} else if (b == p && w->gen[a] == UNSET) {
				w->gen[a] = w->gen[p] - tie_step(t);
				w->comp[a] = comp;
				queue[tail++] = a;
			}
		}
	}
}

static bool
has_structural(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->nties; i++)
		if (h->ties[i].kind == TIE_STRUCTURAL && (h->ties[i].a == id ||
		    h->ties[i].b == id))
			return true;
	return false;
}

/* Rows: the self's family first; unconnected people on the self's row. */
static enum sb_err
generations(struct work *w, struct genogram *g)
{
	const struct history		*h = w->h;
	const struct hist_person	*self = history_self(h);
	size_t				*queue, i, s;
	int				 comp = 0, lo = INT_MAX, hi = INT_MIN;
	int				 selfgen = 0;

	if ((queue = calloc(h->npeople, sizeof(*queue))) == NULL)
		return SB_ENOMEM;
	for (i = 0; i < h->npeople; i++) {
		w->gen[i] = UNSET;
		w->comp[i] = -1;
	}
	s = self ? (size_t)(self - h->people) : 0;
	if (h->npeople > 0 && has_structural(h, h->people[s].id))
		walk(w, s, comp++, queue);
	for (i = 0; i < h->npeople; i++)
		if (w->gen[i] == UNSET && has_structural(h, h->people[i].id))
			walk(w, i, comp++, queue);
	free(queue);
	for (i = 0; i < h->npeople; i++) {
		if (w->gen[i] == UNSET)
			continue;
		if (w->gen[i] < lo)
			lo = w->gen[i];
		if (w->gen[i] > hi)
			hi = w->gen[i];
	}
	if (lo == INT_MAX)
		lo = hi = 0;
	if (self != NULL && w->gen[s] != UNSET)
		selfgen = w->gen[s];
	for (i = 0; i < h->npeople; i++) {
		if (w->gen[i] == UNSET)
			w->gen[i] = selfgen;
		w->gen[i] -= lo;
	}
	g->rows = hi - lo + 1;
	return SB_OK;
}

/* Row order: row, family, key (parents' place), then birth year. */
static bool
before(const struct work *w, size_t a, size_t b)
{
	const struct hist_person	*p = &w->h->people[a];
	const struct hist_person	*q = &w->h->people[b];
	int				 ca = w->comp[a] < 0 ? INT_MAX : w->comp[a];
	int				 cb = w->comp[b] < 0 ? INT_MAX : w->comp[b];

	if (w->gen[a] != w->gen[b])
		return w->gen[a] < w->gen[b];
	if (ca != cb)
		return ca < cb;
	if (w->key[a] != w->key[b])
		return w->key[a] < w->key[b];
	/* Siblings by birth, the unknown last. */
	if (p->born != q->born)
		return p->born != 0 && (q->born == 0 || p->born < q->born);
	return a < b;
}

/* Insertion sort: at most HIST_MAX_PEOPLE, and qsort has no context. */
static void
sort_people(const struct work *w, size_t *o, size_t n)
{
	size_t	 i, j, v;

	for (i = 1; i < n; i++) {
		v = o[i];
		for (j = i; j > 0 && before(w, v, o[j - 1]); j--)
			o[j] = o[j - 1];
		o[j] = v;
	}
}

/*
 * Mean x of the parents of person i that have been placed, or -1.  Birth
 * and adoptive parents decide where a child goes; a step- or foster
 * parent only when the child has no other (they are drawn with their own
 * line, from wherever they sit).
 */
static double
parents_x(const struct work *w, const struct genogram *g, size_t i)
{
	const struct history	*h = w->h;
	double			 sum = 0;
	size_t			 k, n = 0, a;
	int			 pass;

	for (pass = 0; pass < 2 && n == 0; pass++)
		for (k = 0; k < h->nties; k++) {
			const struct hist_tie *t = &h->ties[k];

			if (t->kind != TIE_STRUCTURAL ||
			    !history_tie_is_parent(t) ||
			    t->b != h->people[i].id || (pass == 0 &&
			    strcmp(t->type, "parent") != 0 &&
			    strcmp(t->type, "adopted") != 0))
				continue;
			a = index_of(h, t->a);
			if (w->gen[a] == w->gen[i] - 1) {
				sum += g->nodes[a].x;
				n++;
			}
		}
	return n ? sum / (double)n : -1;
}

/* Mean x of the children of person i on the next row, or -1. */
static double
children_x(const struct work *w, const struct genogram *g, size_t i)
{
	const struct history	*h = w->h;
	double			 sum = 0;
	size_t			 k, n = 0, b;

	for (k = 0; k < h->nties; k++) {
		const struct hist_tie *t = &h->ties[k];

		if (t->kind != TIE_STRUCTURAL || !history_tie_is_parent(t) ||
		    t->a != h->people[i].id)
			continue;
		b = index_of(h, t->b);
		if (w->gen[b] == w->gen[i] + 1) {
			sum += g->nodes[b].x;
			n++;
		}
	}
	return n ? sum / (double)n : -1;
}

/* The partners of person i on the same row, in tie order. */
static size_t
partners(const struct work *w, size_t i, size_t *out, size_t max)
{
	const struct history	*h = w->h;
	size_t			 k, n = 0, o;

	for (k = 0; k < h->nties && n < max; k++) {
		const struct hist_tie *t = &h->ties[k];

		if (!history_tie_is_couple(t))
			continue;
		if (t->a == h->people[i].id)
			o = index_of(h, t->b);
		else if (t->b == h->people[i].id)
			o = index_of(h, t->a);
		else
			continue;
		if (w->gen[o] == w->gen[i])
			out[n++] = o;
	}
	return n;
}

static bool
has_parents(const struct work *w, size_t i)
{
	const struct history	*h = w->h;
	size_t			 k;

	for (k = 0; k < h->nties; k++)
		if (history_tie_is_parent(&h->ties[k]) &&
		    h->ties[k].b == h->people[i].id &&
		    w->gen[index_of(h, h->ties[k].a)] == w->gen[i] - 1)
			return true;
	return false;
}

/* Has person i a partner on the row with no parents on the map? */
static bool
has_floating_partner(const struct work *w, size_t i)
{
	size_t	 p[8], np, k;

	np = partners(w, i, p, 8);
	for (k = 0; k < np; k++)
		if (!has_parents(w, p[k]))
			return true;
	return false;
}

/* The twin of person i on the same row, or SIZE_MAX. */
static size_t
twin(const struct work *w, size_t i)
{
	const struct history	*h = w->h;
	size_t			 k, o;

	for (k = 0; k < h->nties; k++) {
		if (strcmp(h->ties[k].type, "twin") != 0)
			continue;
		if (h->ties[k].a == h->people[i].id)
			o = index_of(h, h->ties[k].b);
		else if (h->ties[k].b == h->people[i].id)
			o = index_of(h, h->ties[k].a);
		else
			continue;
		if (w->gen[o] == w->gen[i])
			return o;
	}
	return SIZE_MAX;
}

/*
 * Within each sibling run, those who bring a partner in from outside go
 * last (their twin with them), so the partner sits at the end of the
 * run, not between brothers and sisters.
 */
static enum sb_err
partnered_last(const struct work *w, size_t *o, size_t n)
{
	size_t	*tmp, lo, hi, i, m, t;
	bool	*late;

	if ((tmp = calloc(n, sizeof(*tmp))) == NULL ||
	    (late = calloc(w->n, sizeof(*late))) == NULL) {
		free(tmp);
		return SB_ENOMEM;
	}
	for (lo = 0; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && w->key[o[hi]] == w->key[o[lo]] &&
		    w->key[o[lo]] < 1e9; hi++)
			;
		for (i = lo; i < hi; i++)
			if (has_floating_partner(w, o[i])) {
				late[o[i]] = true;
				if ((t = twin(w, o[i])) != SIZE_MAX)
					late[t] = true;
			}
		m = 0;
		for (i = lo; i < hi; i++)
			if (!late[o[i]])
				tmp[m++] = o[i];
		for (i = lo; i < hi; i++)
			if (late[o[i]])
				tmp[m++] = o[i];
		memcpy(&o[lo], tmp, (hi - lo) * sizeof(*o));
	}
	free(tmp);
	free(late);
	return SB_OK;
}

/*
 * Seats people with no parents on the map ("floating": married in, or the
 * oldest generation) beside their partners in row order o[0..n).  Each
 * group of partners is arranged around the one with the most partners,
 * the first partner after them, the second before, and so on, so a
 * remarried person sits between both spouses.
 */
static enum sb_err
seat_partners(const struct work *w, size_t *o, size_t n)
{
	size_t	*out, *grp, p[8], np, i, k, m, ng, hub, best, nl = 0, nr = 0;
	bool	*done;
	size_t	*left, *right;
	enum sb_err e = SB_ENOMEM;

	out = calloc(n, sizeof(*out));
	grp = calloc(n, sizeof(*grp));
	left = calloc(n, sizeof(*left));
	right = calloc(n, sizeof(*right));
	done = calloc(w->n, sizeof(*done));
	if (out == NULL || grp == NULL || left == NULL || right == NULL ||
	    done == NULL)
		goto fail;
	m = 0;
	for (i = 0; i < n; i++) {
		if (done[o[i]])
			continue;
		/* The group: o[i] and floating partners, transitively. */
		ng = 0;
		grp[ng++] = o[i];
		done[o[i]] = true;
		for (k = 0; k < ng; k++) {
			size_t j;

			np = partners(w, grp[k], p, 8);
			for (j = 0; j < np; j++)
				if (!done[p[j]] && !has_parents(w, p[j])) {
					done[p[j]] = true;
					grp[ng++] = p[j];
				}
		}
		hub = 0;
		best = 0;
		for (k = 0; k < ng; k++) {
			np = partners(w, grp[k], p, 8);
			if (np > best) {
				best = np;
				hub = k;
			}
		}
		nl = nr = 0;
		for (k = 0; k < ng; k++)
			if (k != hub && (nl + nr) % 2 == 0)
				right[nr++] = grp[k];
			else if (k != hub)
				left[nl++] = grp[k];
		while (nl > 0)
			out[m++] = left[--nl];
		out[m++] = grp[hub];
		for (k = 0; k < nr; k++)
			out[m++] = right[k];
	}
	memcpy(o, out, n * sizeof(*o));
	e = SB_OK;
fail:
	free(out);
	free(grp);
	free(left);
	free(right);
	free(done);
	return e;
}

/*
 * Partners who both have parents on the map stay in their sibling
 * groups, but at the ends that face each other, so the couple's line and
 * their children's line cross nobody.
 */
static void
pull_couples(const struct work *w, size_t *o, size_t n)
{
	size_t	 i, j, k, p[8], np, lo, hi, v;

	for (i = 0; i < n; i++) {
		np = partners(w, o[i], p, 8);
		for (k = 0; k < np; k++) {
			for (j = 0; j < n && o[j] != p[k]; j++)
				;
			if (j == n || !has_parents(w, o[i]) ||
			    !has_parents(w, p[k]) || w->key[o[i]] ==
			    w->key[p[k]])
				continue;
			/* o[i]'s sibling run is [lo, hi]. */
			for (lo = i; lo > 0 && w->key[o[lo - 1]] ==
			    w->key[o[i]]; lo--)
				;
			for (hi = i; hi + 1 < n && w->key[o[hi + 1]] ==
			    w->key[o[i]]; hi++)
				;
			v = o[i];
			if (j > i) {
				memmove(&o[i], &o[i + 1], (hi - i) * sizeof(*o));
				o[hi] = v;
			} else {
				memmove(&o[lo + 1], &o[lo], (i - lo) * sizeof(*o));
				o[lo] = v;
			}
		}
	}
}

/*
 * Where row [r0, r1) of the order wants to be: each sibling group spread
 * around its parents' place; people without parents on the map where
 * they are.
 */
static void
spread_siblings(const struct work *w, const struct genogram *g, size_t r0,
    size_t r1, double *want)
{
	size_t	 i, j, k;
	double	 px;

	for (i = r0; i < r1; i = k) {
		px = parents_x(w, g, w->order[i]);
		for (k = i + 1; k < r1 && px >= 0 &&
		    parents_x(w, g, w->order[k]) == px; k++)
			;
		for (j = i; j < k; j++)
			want[j - r0] = px < 0 ? g->nodes[w->order[j]].x :
			    px - (double)(k - i - 1) * GENO_SLOT / 2 +
			    (double)(j - i) * GENO_SLOT;
	}
}

/* Places row r left to right: each at want, but at least a slot apart. */
static void
place_row(struct genogram *g, const size_t *o, size_t n, const double *want)
{
	double	 prev = -1e18;
	size_t	 i;

	for (i = 0; i < n; i++) {
		double x = want[i];

		if (x < prev + GENO_SLOT)
			x = prev + GENO_SLOT;
		g->nodes[o[i]].x = x;
		prev = x;
	}
}

enum sb_err
genogram_layout(const struct history *h, struct genogram *g)
{
	struct work	 w;
	size_t		 i, r0, r1, pass;
	double		*want = NULL, minx = 1e18, maxx = -1e18;
	enum sb_err	 e = SB_ENOMEM;

	memset(g, 0, sizeof(*g));
	memset(&w, 0, sizeof(w));
	w.h = h;
	w.n = h->npeople;
	if (w.n == 0) {
		g->width = g->height = 2 * GENO_MARGIN;
		return SB_OK;
	}
	if ((g->nodes = calloc(w.n, sizeof(*g->nodes))) == NULL ||
	    (w.gen = calloc(w.n, sizeof(*w.gen))) == NULL ||
	    (w.comp = calloc(w.n, sizeof(*w.comp))) == NULL ||
	    (w.key = calloc(w.n, sizeof(*w.key))) == NULL ||
	    (w.order = calloc(w.n, sizeof(*w.order))) == NULL ||
	    (want = calloc(w.n, sizeof(*want))) == NULL)
		goto out;
	g->n = w.n;
	if ((e = generations(&w, g)) != SB_OK)
		goto out;
	for (i = 0; i < w.n; i++) {
		g->nodes[i].person = i;
		g->nodes[i].row = w.gen[i];
		g->nodes[i].y = GENO_MARGIN + w.gen[i] * GENO_ROW;
		w.order[i] = i;
		w.key[i] = (double)i;
	}
	/* Row by row from the top: order by the parents' places. */
	sort_people(&w, w.order, w.n);
	for (r0 = 0; r0 < w.n; r0 = r1) {
		for (r1 = r0; r1 < w.n && w.gen[w.order[r1]] ==
		    w.gen[w.order[r0]]; r1++)
			;
		for (i = r0; i < r1; i++) {
			double px = parents_x(&w, g, w.order[i]);

			/* No parents on the map: after those who have. */
			w.key[w.order[i]] = px >= 0 ? px : 1e9 +
			    (double)w.order[i];
		}
		sort_people(&w, &w.order[r0], r1 - r0);
		pull_couples(&w, &w.order[r0], r1 - r0);
		if ((e = partnered_last(&w, &w.order[r0], r1 - r0)) != SB_OK)
			goto out;
		if ((e = seat_partners(&w, &w.order[r0], r1 - r0)) != SB_OK)
			goto out;
		spread_siblings(&w, g, r0, r1, want);
		place_row(g, &w.order[r0], r1 - r0, want);
	}
	e = SB_ENOMEM;
	/*
	 * Parents halfway over their children, then children under their
	 * parents again; the last pass is the children's, so the lines down
	 * to them come out straight where there is room.
	 */
	for (pass = 0; pass < 4; pass++) {
		for (r0 = 0; r0 < w.n; r0 = r1) {
			for (r1 = r0; r1 < w.n && w.gen[w.order[r1]] ==
			    w.gen[w.order[r0]]; r1++)
				;
			if (pass % 2 == 0) {
				for (i = r0; i < r1; i++) {
					double cx = children_x(&w, g,
					    w.order[i]);
					double x = g->nodes[w.order[i]].x;

					want[i - r0] = cx >= 0 ? (x + cx) / 2 : x;
				}
			} else
				spread_siblings(&w, g, r0, r1, want);
			place_row(g, &w.order[r0], r1 - r0, want);
		}
	}
	for (i = 0; i < w.n; i++) {
		if (g->nodes[i].x < minx)
			minx = g->nodes[i].x;
		if (g->nodes[i].x > maxx)
			maxx = g->nodes[i].x;
	}
	for (i = 0; i < w.n; i++)
		g->nodes[i].x += GENO_MARGIN - minx;
	g->width = maxx - minx + 2 * GENO_MARGIN;
	g->height = GENO_MARGIN + (double)(g->rows - 1) * GENO_ROW;
	e = SB_OK;
out:
	free(w.gen);
	free(w.comp);
	free(w.key);
	free(w.order);
	free(want);
	if (e != SB_OK)
		genogram_free(g);
	return e;
}

void
genogram_free(struct genogram *g)
{
	free(g->nodes);
	memset(g, 0, sizeof(*g));
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_order.c - the map's rows and places: generations from the
 * structural ties (a breadth-first walk from "self"), the order within
 * each row and the positions, each pass only moving a person right of
 * the one before.  See genogram.c for the whole.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram_int.h"

/* ---- generations and order ---- */

size_t
geno_index_of(const struct history *h, int64_t id)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (h->people[i].id == id)
			return i;
	return SIZE_MAX;
}

/* Ties that place people in generations: not households. */
static bool
places(const struct hist_tie *t)
{
	return t->kind == TIE_STRUCTURAL && !history_tie_is_household(t);
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
			int step = history_tie_is_parent(t) ? 1 : 0;

			if (!places(t))
				continue;
			a = geno_index_of(h, t->a);
			b = geno_index_of(h, t->b);
			if (a == p && w->gen[b] == UNSET) {
				w->gen[b] = w->gen[p] + step;
				w->comp[b] = comp;
				queue[tail++] = b;
			} else if (b == p && w->gen[a] == UNSET) {
				w->gen[a] = w->gen[p] - step;
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
		if (places(&h->ties[i]) && (h->ties[i].a == id ||
		    h->ties[i].b == id))
			return true;
	return false;
}

/* Rows: the self's family first; unconnected people on the self's row. */
enum sb_err
geno_generations(struct work *w, struct genogram *g)
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
 * The parents a child hangs from, on the row above: those it was born to
 * or adopted by; else its foster parents; else its step-parents.  At most
 * two, in tie order.
 */
size_t
geno_primary_parents(const struct work *w, size_t c, size_t out[2])
{
	static const char *const passes[3][2] = { { "parent", "adopted" },
	    { "foster", NULL }, { "step", NULL } };
	const struct history	*h = w->h;
	size_t			 k, n = 0, a;
	int			 pass;

	for (pass = 0; pass < 3 && n == 0; pass++)
		for (k = 0; k < h->nties && n < 2; k++) {
			const struct hist_tie *t = &h->ties[k];

			if (t->b != h->people[c].id || (strcmp(t->type,
			    passes[pass][0]) != 0 && (passes[pass][1] == NULL ||
			    strcmp(t->type, passes[pass][1]) != 0)))
				continue;
			a = geno_index_of(h, t->a);
			if (a == SIZE_MAX || w->gen[a] != w->gen[c] - 1 ||
			    (n == 1 && out[0] == a))
				continue;
			out[n++] = a;
		}
	return n;
}

/* Mean x of the primary parents of person i, or NAN (none on the map). */
static double
parents_x(const struct work *w, size_t i)
{
	size_t	 p[2], n = geno_primary_parents(w, i, p);

	if (n == 0)
		return NAN;
	return n == 1 ? w->g->nodes[p[0]].x : (w->g->nodes[p[0]].x +
	    w->g->nodes[p[1]].x) / 2;
}

/* Mean x of the children of person i on the next row, or NAN. */
static double
children_x(const struct work *w, size_t i)
{
	const struct history	*h = w->h;
	double			 sum = 0;
	size_t			 k, n = 0, b;

	for (k = 0; k < h->nties; k++) {
		const struct hist_tie *t = &h->ties[k];

		if (!history_tie_is_parent(t) || t->a != h->people[i].id)
			continue;
		b = geno_index_of(h, t->b);
		if (b != SIZE_MAX && w->gen[b] == w->gen[i] + 1) {
			sum += w->g->nodes[b].x;
			n++;
		}
	}
	return n ? sum / (double)n : NAN;
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
			o = geno_index_of(h, t->b);
		else if (t->b == h->people[i].id)
			o = geno_index_of(h, t->a);
		else
			continue;
		if (o != SIZE_MAX && w->gen[o] == w->gen[i])
			out[n++] = o;
	}
	return n;
}

static bool
has_parents(const struct work *w, size_t i)
{
	const struct history	*h = w->h;
	size_t			 k, a;

	for (k = 0; k < h->nties; k++) {
		if (!history_tie_is_parent(&h->ties[k]) ||
		    h->ties[k].b != h->people[i].id)
			continue;
		a = geno_index_of(h, h->ties[k].a);
		if (a != SIZE_MAX && w->gen[a] == w->gen[i] - 1)
			return true;
	}
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
		if (!history_tie_is_twin(&h->ties[k]))
			continue;
		if (h->ties[k].a == h->people[i].id)
			o = geno_index_of(h, h->ties[k].b);
		else if (h->ties[k].b == h->people[i].id)
			o = geno_index_of(h, h->ties[k].a);
		else
			continue;
		if (o != SIZE_MAX && w->gen[o] == w->gen[i])
			return o;
	}
	return SIZE_MAX;
}

/* Has person i a partner on the row who has parents on the map too? */
static bool
married_in(const struct work *w, size_t i)
{
	size_t	 p[8], np, k;

	np = partners(w, i, p, 8);
	for (k = 0; k < np; k++)
		if (has_parents(w, p[k]) && has_parents(w, i))
			return true;
	return false;
}

/* The twin of person i among o[lo, hi), or SIZE_MAX. */
size_t
geno_twin_in(const struct work *w, const size_t *o, size_t lo, size_t hi,
    size_t i)
{
	size_t	 t = twin(w, i), k;

	for (k = lo; t != SIZE_MAX && k < hi; k++)
		if (o[k] == t)
			return t;
	return SIZE_MAX;
}

/*
 * Within each sibling run, those who bring a partner in from outside go
 * to its ends, so the partner sits outside the siblings: the first of
 * them (by birth) to the front when there are two or more, the rest to
 * the back.  A twin goes with them, on the siblings' side, so twins stay
 * together and no partner comes between them.
 */
static SB_MUST enum sb_err
partnered_to_ends(const struct work *w, size_t *o, size_t n, bool *front)
{
	size_t	*tmp, lo, hi, i, m, t, nlate;
	int	*late;		/* 0: middle; 1: front; 2: back */

	if ((tmp = calloc(n, sizeof(*tmp))) == NULL ||
	    (late = calloc(w->n, sizeof(*late))) == NULL) {
		free(tmp);
		return SB_ENOMEM;
	}
	for (lo = 0; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && w->key[o[hi]] == w->key[o[lo]] &&
		    w->key[o[lo]] < 1e9; hi++)
			;
		nlate = 0;
		for (i = lo; i < hi; i++)
			if (has_floating_partner(w, o[i]) &&
			    late[o[i]] == 0) {
				late[o[i]] = 2;
				nlate++;
			}
		/*
		 * Two or more: the first goes to the front.  An end already
		 * held by a sibling married within the map (pull_couples
		 * put them there, facing their partner) is left to them.
		 */
		if (hi - lo > 1 && married_in(w, o[hi - 1]) &&
		    !married_in(w, o[lo])) {
			for (i = lo; i < hi; i++)
				if (late[o[i]] == 2)
					late[o[i]] = 1;
		} else if (nlate >= 2 && hi - lo > 1 &&
		    !married_in(w, o[lo]))
			for (i = lo; i < hi; i++)
				if (late[o[i]] == 2) {
					late[o[i]] = 1;
					break;
				}
		for (i = lo; i < hi; i++)
			if (late[o[i]] != 0 && (t = geno_twin_in(w, o, lo, hi,
			    o[i])) != SIZE_MAX && late[t] == 0)
				late[t] = -late[o[i]];	/* the twin beside */
		m = 0;
		/* Front: the partnered one first, its twin after it. */
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 1) {
				tmp[m++] = o[i];
				front[o[i]] = true;
				if ((t = geno_twin_in(w, o, lo, hi, o[i])) !=
				    SIZE_MAX && late[t] == -1)
					tmp[m++] = t;
			}
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 0)
				tmp[m++] = o[i];
		/* Back: the twin first, then the partnered one. */
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 2) {
				if ((t = geno_twin_in(w, o, lo, hi, o[i])) !=
				    SIZE_MAX && late[t] == -2)
					tmp[m++] = t;
				tmp[m++] = o[i];
			}
		/* Anyone left (a twin of a twin ...): keep them. */
		for (i = lo; i < hi && m < hi - lo; i++) {
			size_t j;

			for (j = 0; j < m && tmp[j] != o[i]; j++)
				;
			if (j == m)
				tmp[m++] = o[i];
		}
		memcpy(&o[lo], tmp, (hi - lo) * sizeof(*o));
	}
	free(tmp);
	free(late);
	return SB_OK;
}

/* Have a and b a child together on the map? */
static bool
shares_child(const struct work *w, size_t a, size_t b)
{
	const struct history	*h = w->h;
	size_t			 i, k;

	for (i = 0; i < h->nties; i++) {
		if (!history_tie_is_parent(&h->ties[i]) ||
		    h->ties[i].a != h->people[a].id)
			continue;
		for (k = 0; k < h->nties; k++)
			if (history_tie_is_parent(&h->ties[k]) &&
			    h->ties[k].a == h->people[b].id &&
			    h->ties[k].b == h->ties[i].b)
				return true;
	}
	return false;
}

/* Has person i brothers or sisters in the row o[0..n) (the same parents)? */
static bool
has_siblings(const struct work *w, const size_t *o, size_t n, size_t i)
{
	size_t	 k;

	if (!has_parents(w, i))
		return false;
	for (k = 0; k < n; k++)
		if (o[k] != i && w->key[o[k]] == w->key[i])
			return true;
	return false;
}

/*
 * Seats people with no parents on the map ("floating": married in, or the
 * oldest generation) beside their partners in row order o[0..n).  Each
 * group of partners is arranged around the one with the most partners:
 * beside a hub who has brothers or sisters on the row, every partner on
 * the side away from them (before a hub at the front of its siblings,
 * else after), so no partner comes between siblings; beside anyone else,
 * on both sides, so a remarried person sits between both spouses.
 */
static SB_MUST enum sb_err
seat_partners(const struct work *w, size_t *o, size_t n, const bool *front)
{
	size_t	*out, *grp, p[8], np, i, k, m, ng, hub, best, nl = 0, nr = 0;
	bool	*done, sib;
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
		sib = has_siblings(w, o, n, grp[hub]);
		/* The partners the hub has children with come first, so
		 * they sit next to the hub. */
		for (int pass = 0; pass < 2; pass++)
			for (k = 0; k < ng; k++) {
				if (k == hub ||
				    shares_child(w, grp[hub], grp[k]) !=
				    (pass == 0))
					continue;
				if (sib && front[grp[hub]])
					/* Away from the hub's siblings. */
					left[nl++] = grp[k];
				else if (sib)
					right[nr++] = grp[k];
				else if ((nl + nr) % 2 == 0)
					right[nr++] = grp[k];
				else
					left[nl++] = grp[k];
			}
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
			for (lo = i; lo > 0 && w->key[o[lo - 1]] ==
			    w->key[o[i]]; lo--)
				;
			for (hi = i; hi + 1 < n && w->key[o[hi + 1]] ==
			    w->key[o[i]]; hi++)
				;
			v = o[i];
			if (j > i) {
				memmove(&o[i], &o[i + 1],
				    (hi - i) * sizeof(*o));
				o[hi] = v;
			} else {
				memmove(&o[lo + 1], &o[lo],
				    (i - lo) * sizeof(*o));
				o[lo] = v;
			}
		}
	}
}

/* The least distance between the centres of a and b side by side. */
static double
apart(const struct genogram *g, size_t a, size_t b)
{
	/* Room between two symbols for a couple's dates ("1980-1991"). */
	return fmax(g->nodes[a].half + GENO_GAP + g->nodes[b].half,
	    2 * GENO_R + 90);
}

/*
 * A partner with no parents on the map wants to be right beside their
 * partner, wherever the passes put the partner: a couple's line stays
 * short.
 */
static void
keep_couples_close(const struct work *w, size_t r0, size_t r1, double *want)
{
	size_t	 i, p[8];

	for (i = r0; i < r1; i++) {
		size_t me = w->order[i];

		if (has_parents(w, me) || partners(w, me, p, 8) != 1)
			continue;
		if (i + 1 < r1 && w->order[i + 1] == p[0])
			want[i - r0] = want[i + 1 - r0] - apart(w->g, me, p[0]);
		else if (i > r0 && w->order[i - 1] == p[0])
			want[i - r0] = want[i - 1 - r0] + apart(w->g, me, p[0]);
	}
}

/*
 * Where row [r0, r1) of the order wants to be: each sibling group spread
 * around its parents' place; people without parents on the map where
 * they are.
 */
static void
spread_siblings(const struct work *w, size_t r0, size_t r1, double *want)
{
	const struct genogram	*g = w->g;
	size_t			 i, j, k;
	double			 px, span, x;

	for (i = r0; i < r1; i = k) {
		px = parents_x(w, w->order[i]);
		for (k = i + 1; k < r1 && !isnan(px) &&
		    parents_x(w, w->order[k]) == px; k++)
			;
		if (isnan(px)) {
			want[i - r0] = g->nodes[w->order[i]].x;
			continue;
		}
		span = 0;
		for (j = i + 1; j < k; j++)
			span += apart(g, w->order[j - 1], w->order[j]);
		x = px - span / 2;
		for (j = i; j < k; j++) {
			if (j > i)
				x += apart(g, w->order[j - 1], w->order[j]);
			want[j - r0] = x;
		}
	}
}

/* Places a row left to right: each at want, but never closer than apart. */
static void
place_row(struct genogram *g, const size_t *o, size_t n, const double *want)
{
	size_t	 i;
	double	 x;

	for (i = 0; i < n; i++) {
		x = want[i];
		if (i > 0 && x < g->nodes[o[i - 1]].x +
		    apart(g, o[i - 1], o[i]))
			x = g->nodes[o[i - 1]].x + apart(g, o[i - 1], o[i]);
		g->nodes[o[i]].x = x;
	}
}

/* Are a[0..n) and b[0..n) the same people, each once? */
static bool
same_people(const struct work *w, const size_t *a, const size_t *b,
    size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		size_t in_a = 0, in_b = 0;

		if (a[i] >= w->n)
			return false;
		for (k = 0; k < n; k++) {
			in_a += a[k] == b[i];
			in_b += b[k] == b[i];
		}
		if (in_a != in_b)
			return false;
	}
	return true;
}

/* Rows in the order: [r0, r1) of row r. */
void
geno_row_span(const struct work *w, int r, size_t *r0, size_t *r1)
{
	*r0 = w->row_at[r];
	*r1 = w->row_at[r + 1];
}

enum sb_err
geno_order_and_place(struct work *w)
{
	struct genogram	*g = w->g;
	size_t		 i, r0, r1, pass;
	double		*want;
	bool		*front = NULL;
	size_t		*sorted = NULL;
	int		 r;
	enum sb_err	 e = SB_OK;

	if ((want = calloc(w->n, sizeof(*want))) == NULL ||
	    (front = calloc(w->n, sizeof(*front))) == NULL ||
	    (sorted = calloc(w->n, sizeof(*sorted))) == NULL) {
		free(want);
		free(front);
		return SB_ENOMEM;
	}
	for (i = 0; i < w->n; i++) {
		w->order[i] = i;
		w->key[i] = (double)i;
	}
	sort_people(w, w->order, w->n);
	for (r = 0, i = 0; r <= g->rows; r++) {
		while (i < w->n && w->gen[w->order[i]] < r)
			i++;
		w->row_at[r] = i;
	}
	/* Row by row from the top: order by the parents' places. */
	for (r = 0; r < g->rows && e == SB_OK; r++) {
		geno_row_span(w, r, &r0, &r1);
		for (i = r0; i < r1; i++) {
			double px = parents_x(w, w->order[i]);

			/* No parents on the map: after those who have. */
			w->key[w->order[i]] = !isnan(px) ? px : 1e9 +
			    (double)w->order[i];
		}
		sort_people(w, &w->order[r0], r1 - r0);
		memcpy(sorted, &w->order[r0], (r1 - r0) * sizeof(*sorted));
		pull_couples(w, &w->order[r0], r1 - r0);
		if ((e = partnered_to_ends(w, &w->order[r0], r1 - r0,
		    front)) != SB_OK ||
		    (e = seat_partners(w, &w->order[r0], r1 - r0, front)) !=
		    SB_OK)
			break;
		/* Whatever the data, the row holds each of its people once;
		 * if the seating ever lost one, the sorted row stands. */
		if (!same_people(w, &w->order[r0], sorted, r1 - r0))
			memcpy(&w->order[r0], sorted, (r1 - r0) *
			    sizeof(*sorted));
		spread_siblings(w, r0, r1, want);
		keep_couples_close(w, r0, r1, want);
		place_row(g, &w->order[r0], r1 - r0, want);
	}
	/*
	 * Parents halfway over their children, then children under their
	 * parents again; the last pass is the children's, so the lines down
	 * to them come out straight where there is room.
	 */
	for (pass = 0; pass < 4 && e == SB_OK; pass++)
		for (r = 0; r < g->rows; r++) {
			geno_row_span(w, r, &r0, &r1);
			if (pass % 2 == 0)
				for (i = r0; i < r1; i++) {
					double cx = children_x(w, w->order[i]);
					double x = g->nodes[w->order[i]].x;

					want[i - r0] = !isnan(cx) ? (x + cx) / 2 : x;
				}
			else
				spread_siblings(w, r0, r1, want);
			keep_couples_close(w, r0, r1, want);
			place_row(g, &w->order[r0], r1 - r0, want);
		}
	for (i = 0; i < w->n; i++)
		w->pos[w->order[i]] = i;
	free(want);
	free(front);
	free(sorted);
	return e;
}

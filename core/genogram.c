/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram.c - the relationship map's layout.  See genogram.h.
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
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/genogram.h"
#include "core/genogram_int.h"

#define UNSET		INT_MIN
#define SYM_TOP		(GENO_R * 1.2)	/* the most a symbol reaches up */
#define LANE		8.0	/* between two lanes of a space */
#define ZONE_PAD	14.0	/* between a space's lanes and the rows */
#define ZONE_PAD_LOW	24.0	/* between a sibling line and the children */
#define ZONE_MIN	64.0	/* the least space between two rows */
#define XLANE		6.0	/* between two lines down one gap */
#define LABEL_GAP	4.0	/* between a symbol and its label */
#define MAX_ROUTED	200	/* beyond: no search for the fewest crossings */

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

static double
sym_half(enum geno_shape s)
{
	return s == GENO_DIAMOND ? GENO_R * 1.2 : GENO_R;
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
	nd->half = fmax(sym_half(nd->shape), w / 2 + 2);
	/* Relative to the centre until the rows have their heights. */
	nd->sym.x0 = -sym_half(nd->shape);
	nd->sym.x1 = sym_half(nd->shape);
	nd->sym.y0 = -sym_half(nd->shape);
	nd->sym.y1 = sym_half(nd->shape);
	nd->label.x0 = -(w / 2 + 1);
	nd->label.x1 = w / 2 + 1;
	nd->label.y0 = sym_half(nd->shape) + LABEL_GAP;
	/* The last line's descenders: below its baseline. */
	nd->label.y1 = nd->label.y0 + lines * GENO_LINE + 4;
}

/* ---- generations and order ---- */

struct work {
	const struct history	*h;
	struct genogram		*g;
	int			*gen;		/* per person */
	int			*comp;		/* component, -1: unconnected */
	double			*key;		/* ordering key in its row */
	size_t			*order;		/* people sorted by row, order */
	size_t			*pos;		/* person -> index in order */
	size_t			*row_at;	/* row -> first index in order */
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
			a = index_of(h, t->a);
			b = index_of(h, t->b);
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
static SB_MUST enum sb_err
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
 * The parents a child hangs from, on the row above: those it was born to
 * or adopted by; else its foster parents; else its step-parents.  At most
 * two, in tie order.
 */
static size_t
primary_parents(const struct work *w, size_t c, size_t out[2])
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
			a = index_of(h, t->a);
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
	size_t	 p[2], n = primary_parents(w, i, p);

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
		b = index_of(h, t->b);
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
			o = index_of(h, t->b);
		else if (t->b == h->people[i].id)
			o = index_of(h, t->a);
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
		a = index_of(h, h->ties[k].a);
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
			o = index_of(h, h->ties[k].b);
		else if (h->ties[k].b == h->people[i].id)
			o = index_of(h, h->ties[k].a);
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
static size_t
twin_in(const struct work *w, const size_t *o, size_t lo, size_t hi, size_t i)
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
			if (late[o[i]] != 0 && (t = twin_in(w, o, lo, hi,
			    o[i])) != SIZE_MAX && late[t] == 0)
				late[t] = -late[o[i]];	/* the twin beside */
		m = 0;
		/* Front: the partnered one first, its twin after it. */
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 1) {
				tmp[m++] = o[i];
				front[o[i]] = true;
				if ((t = twin_in(w, o, lo, hi, o[i])) !=
				    SIZE_MAX && late[t] == -1)
					tmp[m++] = t;
			}
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 0)
				tmp[m++] = o[i];
		/* Back: the twin first, then the partnered one. */
		for (i = lo; i < hi; i++)
			if (late[o[i]] == 2) {
				if ((t = twin_in(w, o, lo, hi, o[i])) !=
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
				if (k == hub || shares_child(w, grp[hub], grp[k]) !=
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
				memmove(&o[i], &o[i + 1], (hi - i) * sizeof(*o));
				o[hi] = v;
			} else {
				memmove(&o[lo + 1], &o[lo], (i - lo) * sizeof(*o));
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
		if (i > 0 && x < g->nodes[o[i - 1]].x + apart(g, o[i - 1], o[i]))
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
static void
row_span(const struct work *w, int r, size_t *r0, size_t *r1)
{
	*r0 = w->row_at[r];
	*r1 = w->row_at[r + 1];
}

static SB_MUST enum sb_err
order_and_place(struct work *w)
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
		row_span(w, r, &r0, &r1);
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
			row_span(w, r, &r0, &r1);
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

/* ---- routes ---- */

/* A point whose height is a row's centre plus v, or lane v of space z. */
enum yref { Y_ROW, Y_LANE };

struct spt {
	double		 x, v;
	int		 ref;		/* enum yref */
	int		 at;		/* the row, or the space */
};

struct sline {
	size_t		 tie;
	enum geno_line_kind kind;
	size_t		 group;
	struct spt	*p;		/* as many as the route needs */
	size_t		 n, cap;
	bool		 oom;		/* a point could not be added */
	size_t		 own[4];	/* people it may touch */
	size_t		 nown;
	int		 mid_seg;	/* couples: the segment of the marks */
};

/* A horizontal lane's piece, taken. */
struct taken {
	int		 zone, lane;
	double		 x0, x1;
};

struct lay {
	struct work	*w;
	struct sline	*l;
	size_t		 nl, capl;
	struct taken	*tk;
	size_t		 ntk, captk;
	size_t		*gap_used;	/* per gap: lines down it */
	int		*exits;		/* per person and side: lines out */
	size_t		*couple_drop;	/* per tie: its line, for a couple */
	size_t		 groups;
	bool		 low;		/* routes take the low lanes */
};

static struct spt
at_row(double x, int row, double dy)
{
	struct spt p = { x, dy, Y_ROW, row };

	return p;
}

static struct spt
at_lane(double x, int zone, int lane)
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
static int
lane_in(struct lay *L, int zone, double x0, double x1, bool low, bool commit)
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
	return lane_in(L, zone, x0, x1, L->low, commit);
}

/*
 * Gap k of row r: the free space before the k-th person of the row (k =
 * the row's length: after the last).  The x of its next line down, taken
 * if commit: from the middle outwards, or outwards from the row's ends.
 */
static double
gap_x(struct lay *L, int r, size_t k, bool commit)
{
	const struct work	*w = L->w;
	const struct genogram	*g = w->g;
	size_t			 r0, r1, id, used;
	double			 lo, hi, mid, x;
	int			 half, slots;

	row_span(w, r, &r0, &r1);
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
static size_t
gap_beside(const struct lay *L, size_t i, int s)
{
	const struct work	*w = L->w;
	size_t			 r0, r1;

	row_span(w, w->gen[i], &r0, &r1);
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

	row_span(w, r, &r0, &r1);
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
static double
side_x(const struct geno_node *nd, int s, double dy)
{
	double	 r = sym_half(nd->shape), e;

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
static double
top_dy(const struct geno_node *nd, double dx)
{
	double	 r = sym_half(nd->shape);

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

static struct sline *
new_line(struct lay *L, size_t tie, enum geno_line_kind kind, size_t group)
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

static void
own(struct sline *l, size_t person)
{
	if (l->nown < 4)
		l->own[l->nown++] = person;
}

static void
add_pt(struct sline *l, struct spt p)
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
				if (geno_cross(r->p[j - 1].x, prov_y(&r->p[j - 1]),
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

	x = gap_x(L, ru, gap_beside(L, u, su), commit);
	add_pt(r, at_row(side_x(nu, su, dyu), ru, dyu));
	add_pt(r, at_row(x, ru, dyu));
	for (row = ru + 1; row <= rd; row++) {
		if (row < rd) {
			t = (double)(row - ru) / (double)(rd - ru);
			nx = gap_x(L, row, gap_near(L, row, nu->x + (nd->x -
			    nu->x) * t), commit);
		} else if (sd == 0)
			nx = nd->x + dyd;
		else
			nx = gap_x(L, rd, gap_beside(L, d, sd), commit);
		lane = zone_lane(L, row, x, nx, commit);
		add_pt(r, at_lane(x, row, lane));
		add_pt(r, at_lane(nx, row, lane));
		x = nx;
	}
	if (sd == 0) {
		add_pt(r, at_row(x, rd, top_dy(nd, dyd)));
		return;
	}
	add_pt(r, at_row(x, rd, dyd));
	add_pt(r, at_row(side_x(nd, sd, dyd), rd, dyd));
}

/* Over the heads of row r: up from a's top, along, down to b's top. */
static void
route_over(struct lay *L, size_t a, size_t b, bool commit, struct sline *r)
{
	const struct genogram	*g = L->w->g;
	const struct geno_node	*na = &g->nodes[a], *nb = &g->nodes[b];
	int			 row = L->w->gen[a], lane;
	double			 da = exit_at(L, a, 0, commit);
	double			 db = exit_at(L, b, 0, commit);
	double			 xa = na->x + da, xb = nb->x + db;

	lane = zone_lane(L, row, xa, xb, commit);
	add_pt(r, at_row(xa, row, top_dy(na, da)));
	add_pt(r, at_lane(xa, row, lane));
	add_pt(r, at_lane(xb, row, lane));
	add_pt(r, at_row(xb, row, top_dy(nb, db)));
}

/* Under the labels of row r: out at the sides facing each other, down
 * the gaps beside them, along the space below. */
static void
route_under(struct lay *L, size_t a, size_t b, double dy, bool commit,
    struct sline *r)
{
	const struct genogram	*g = L->w->g;
	const struct geno_node	*na = &g->nodes[a], *nb = &g->nodes[b];
	int			 row = L->w->gen[a], lane;
	int			 sa = nb->x > na->x ? 1 : -1;
	double			 xa, xb, ya, yb;

	ya = isnan(dy) ? exit_at(L, a, sa, commit) : dy;
	yb = isnan(dy) ? exit_at(L, b, -sa, commit) : dy;
	xa = gap_x(L, row, gap_beside(L, a, sa), commit);
	xb = gap_x(L, row, gap_beside(L, b, -sa), commit);
	lane = zone_lane(L, row + 1, xa, xb, commit);
	add_pt(r, at_row(side_x(na, sa, ya), row, ya));
	add_pt(r, at_row(xa, row, ya));
	add_pt(r, at_lane(xa, row + 1, lane));
	add_pt(r, at_lane(xb, row + 1, lane));
	add_pt(r, at_row(xb, row, yb));
	add_pt(r, at_row(side_x(nb, -sa, yb), row, yb));
}

/* Nobody between a and b in their row. */
static bool
adjacent(const struct work *w, size_t a, size_t b)
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
		route_over(L, u, d, commit, r);
	else if (ways == 2)
		route_under(L, u, d, NAN, commit, r);
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
static SB_MUST enum sb_err
route_any(struct lay *L, size_t tie, enum geno_line_kind kind, size_t a,
    size_t b)
{
	const struct work	*w = L->w;
	struct sline		 cand;
	size_t			 bc = SIZE_MAX, c, u = a, d = b;
	double			 bl = 0, len;
	int			 k, ways, way = 0;
	bool			 flip = false;
	struct sline		*l;

	if (adjacent(w, a, b)) {
		const struct geno_node *na = &w->g->nodes[a];
		const struct geno_node *nb = &w->g->nodes[b];
		int s = nb->x > na->x ? 1 : -1;
		double dy = exit_at(L, a, s, true);

		(void)exit_at(L, b, -s, true);
		if ((l = new_line(L, tie, kind, L->groups++)) == NULL)
			return SB_ENOMEM;
		add_pt(l, at_row(side_x(na, s, dy), w->gen[a], dy));
		add_pt(l, at_row(side_x(nb, -s, dy), w->gen[b], dy));
		own(l, a);
		own(l, b);
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
	if ((l = new_line(L, tie, kind, L->groups++)) == NULL)
		return SB_ENOMEM;
	route_way(L, u, d, ways, way, true, l);
	if (flip)
		reverse(l);
	own(l, a);
	own(l, b);
	return SB_OK;
}

/* ---- the structural lines ---- */


/* A couple: beside each other a line between them, else under the row. */
static SB_MUST enum sb_err
couple_line(struct lay *L, size_t k, size_t a, size_t b)
{
	const struct work	*w = L->w;
	struct sline		*l;

	if (w->gen[a] != w->gen[b])
		/* The data disagree on generations. */
		return route_any(L, k, GENO_COUPLE, a, b);
	if ((l = new_line(L, k, GENO_COUPLE, L->groups++)) == NULL)
		return SB_ENOMEM;
	if (adjacent(w, a, b)) {
		const struct geno_node *na = &w->g->nodes[a];
		const struct geno_node *nb = &w->g->nodes[b];
		int s = nb->x > na->x ? 1 : -1;

		add_pt(l, at_row(side_x(na, s, 0), w->gen[a], 0));
		add_pt(l, at_row(side_x(nb, -s, 0), w->gen[b], 0));
		l->mid_seg = 0;
		/* The middle of the gap is the children's. */
		(void)gap_x(L, w->gen[a], gap_beside(L, a, s), true);
	} else {
		route_under(L, a, b, 0, true, l);
		l->mid_seg = 2;
	}
	own(l, a);
	own(l, b);
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
static bool
couple_drop(const struct lay *L, size_t tie, struct spt *out)
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
		*out = at_row((g->nodes[a].x + g->nodes[a].half +
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
static SB_MUST enum sb_err
families(struct lay *L, size_t *unit_of)
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

		if (done[c0] || (np = primary_parents(w, c0, p)) == 0)
			continue;
		/* The family: the children with the same parents. */
		nc = 0;
		for (j = i; j < w->n; j++) {
			size_t c = w->order[j];

			if (done[c] || w->gen[c] != w->gen[c0])
				continue;
			nq = primary_parents(w, c, q);
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
		if (np == 2 && couple_drop(L, ctie, &drop[0]))
			ndrop = 1;
		else
			for (k = 0; k < np; k++)
				drop[ndrop++] = at_row(g->nodes[p[k]].x, row - 1,
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
		lane = lane_in(L, row, lo, hi, true, true);
		for (k = 0; k < nc; k++) {
			size_t c = cs[k], tw = twin_in(w, cs, 0, nc, c), d;

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
				if ((l = new_line(L, ptie[d], GENO_CHILD,
				    group)) == NULL)
					goto out;
				add_pt(l, drop[d]);
				add_pt(l, at_lane(drop[d].x, row, lane));
				x = tw != SIZE_MAX ? (g->nodes[c].x +
				    g->nodes[tw].x) / 2 : g->nodes[c].x;
				add_pt(l, at_lane(x, row, lane));
				add_pt(l, at_row(g->nodes[c].x, row,
				    top_dy(&g->nodes[c], 0)));
				for (j = 0; j < np; j++)
					own(l, p[j]);
				own(l, c);
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
	size_t	 p[2], n = primary_parents(w, b, p), k;

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
		return route_any(L, tie, GENO_CHILD, a, c);
	d = at_row(g->nodes[a].x, row - 1, g->nodes[a].label.y1);
	np = primary_parents(w, c, p);
	for (k = 0; k < np; k++)
		if ((ct = couple_of(w->h, a, p[k])) != SIZE_MAX &&
		    couple_drop(L, ct, &d))
			break;
	lane = lane_in(L, row, d.x, x, true, true);
	if ((l = new_line(L, tie, GENO_CHILD, L->groups++)) == NULL)
		return SB_ENOMEM;
	add_pt(l, d);
	add_pt(l, at_lane(d.x, row, lane));
	add_pt(l, at_lane(x, row, lane));
	add_pt(l, at_row(x, row, top_dy(&g->nodes[c], 9)));
	own(l, a);
	if (k < np)
		own(l, p[k]);
	own(l, c);
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
		return route_any(L, k, GENO_SIBLING, a, b);
	if ((l = new_line(L, k, GENO_SIBLING, L->groups++)) == NULL)
		return SB_ENOMEM;
	route_over(L, a, b, true, l);
	own(l, a);
	own(l, b);
	return SB_OK;
}

/* The passes that draw ties, in the order they take lanes. */
enum pass { PASS_COUPLE, PASS_PARENT, PASS_SIBLING, PASS_EMOTIONAL,
    PASS_NONE };

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
 * (families()); the rest are step- or foster parents beside the parents,
 * or parents the data put in another generation.
 */
static SB_MUST enum sb_err
tie_lines(struct lay *L, enum pass pass, const size_t *unit_of)
{
	const struct work	*w = L->w;
	const struct history	*h = w->h;
	size_t			 k, a, b;
	enum sb_err		 e = SB_OK;

	for (k = 0; k < h->nties && e == SB_OK; k++) {
		const struct hist_tie *t = &h->ties[k];

		if (pass_of(t) != pass)
			continue;
		a = index_of(h, t->a);
		b = index_of(h, t->b);
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
			e = route_any(L, k, GENO_EMOTIONAL, a, b);
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
static SB_MUST enum sb_err
finish(struct lay *L, const size_t *unit_of)
{
	struct work		*w = L->w;
	struct genogram		*g = w->g;
	const struct history	*h = w->h;
	double			*rowy, *zone_top, *zone_bot, *below, y, minx = 1e18;
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
		size_t a = index_of(h, t->a), b = index_of(h, t->b);
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
		a = index_of(h, h->ties[k].a);
		b = index_of(h, h->ties[k].b);
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
		row_span(w, r, &r0, &r1);
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
	if ((e = generations(&w, g)) != SB_OK)
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
	if ((e = order_and_place(&w)) != SB_OK)
		goto out;
	L.w = &w;
	if ((e = tie_lines(&L, PASS_COUPLE, unit_of)) != SB_OK ||
	    (e = families(&L, unit_of)) != SB_OK ||
	    (e = tie_lines(&L, PASS_PARENT, unit_of)) != SB_OK ||
	    (e = tie_lines(&L, PASS_SIBLING, unit_of)) != SB_OK ||
	    (e = tie_lines(&L, PASS_EMOTIONAL, unit_of)) != SB_OK ||
	    (e = finish(&L, unit_of)) != SB_OK ||
	    (e = outlines(&w)) != SB_OK)
		goto out;
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

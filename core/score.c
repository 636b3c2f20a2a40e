/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * score.c - the scoring engine.  See score.h.
 *
 * The plan flattens everything the hot loop needs into small arrays so that
 * scoring a row is a few passes over int16_t answers with no lookups by
 * name: for each item the accepted range and, when reversed, the constant
 * (min + max) to subtract from.
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

struct score_plan {
	const struct instrument	*in;
	int			*lo, *hi;	/* accepted answers per item */
	int			*rev;		/* min + max, or 0: not reversed */
	const struct instr_optset **os;	/* NULL when the scale is overridden */
	uint64_t		*okmask;	/* bit v - lo: v is an option */
	size_t			*critical;	/* item indices */
	size_t			 ncritical;
};

/*
 * Accepted answers of an item as a bit mask over lo..lo+63, so that the
 * check in the batch-scoring loop is one shift; wider ranges (rare) fall
 * back to scanning the options.
 */
static void
mask_build(struct score_plan *p, size_t i)
{
	const struct instr_optset	*os = p->os[i];
	size_t				 k;
	int				 v;

	p->okmask[i] = 0;
	if (p->hi[i] - p->lo[i] >= 64)
		return;
	if (os == NULL) {
		for (v = p->lo[i]; v <= p->hi[i]; v++)
			p->okmask[i] |= (uint64_t)1 << (v - p->lo[i]);
		return;
	}
	for (k = 0; k < os->nopts; k++)
		p->okmask[i] |= (uint64_t)1 << (os->opts[k].value - p->lo[i]);
}

enum sb_err
score_plan_new(const struct instrument *in, int smin, int smax,
    struct score_plan **out)
{
	struct score_plan		*p;
	const struct instr_optset	*os;
	const struct instr_item		*it;
	size_t				 i, n = in->nitems;
	bool				 override = smin != 0 || smax != 0;

	*out = NULL;
	if (override && smin >= smax)
		return SB_EINVAL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return SB_ENOMEM;
	p->in = in;
	p->lo = calloc(n, sizeof(*p->lo));
	p->hi = calloc(n, sizeof(*p->hi));
	p->rev = calloc(n, sizeof(*p->rev));
	p->os = calloc(n, sizeof(*p->os));
	p->critical = calloc(n, sizeof(*p->critical));
	p->okmask = calloc(n, sizeof(*p->okmask));
	if (p->lo == NULL || p->hi == NULL || p->rev == NULL ||
	    p->os == NULL || p->critical == NULL || p->okmask == NULL) {
		score_plan_free(p);
		return SB_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		it = &in->items[i];
		os = &in->optsets[it->optset];
		if (override && it->scored) {
			p->lo[i] = smin;
			p->hi[i] = smax;
		} else {
			p->lo[i] = os->min;
			p->hi[i] = os->max;
			p->os[i] = os;
		}
		if (it->reverse)
			p->rev[i] = p->lo[i] + p->hi[i];
		mask_build(p, i);
		if (it->critical)
			p->critical[p->ncritical++] = i;
	}
	*out = p;
	return SB_OK;
}

void
score_plan_free(struct score_plan *p)
{
	if (p == NULL)
		return;
	free(p->lo);
	free(p->hi);
	free(p->rev);
	free(p->os);
	free(p->critical);
	free(p->okmask);
	free(p);
}

const struct instrument *
score_plan_instrument(const struct score_plan *p)
{
	return p->in;
}

bool
score_answer_ok(const struct score_plan *p, size_t item, long v)
{
	const struct instr_optset	*os = p->os[item];
	size_t				 i;

	if (v < p->lo[item] || v > p->hi[item])
		return false;
	if (p->hi[item] - p->lo[item] < 64)
		return (p->okmask[item] >> (v - p->lo[item])) & 1;
	if (os == NULL)
		return true;
	/* Option values need not be contiguous (a set may be 0, 2, 4). */
	for (i = 0; i < os->nopts; i++)
		if (os->opts[i].value == v)
			return true;
	return false;
}

bool
score_answer_mask(const struct score_plan *p, size_t item, int *lo,
    uint64_t *mask)
{
	*lo = p->lo[item];
	*mask = p->okmask[item];
	return p->hi[item] - p->lo[item] < 64;
}

void
score_answer_range(const struct score_plan *p, size_t item, int *lo, int *hi)
{
	*lo = p->lo[item];
	*hi = p->hi[item];
}

int
score_keyed(const struct score_plan *p, size_t item, int v)
{
	return p->rev[item] ? p->rev[item] - v : v;
}

/* Sum or mean of items, under the score's missing-data rule. */
static bool
score_items(const struct score_plan *p, const struct instr_score *sc,
    const int16_t *a, double *out)
{
	const size_t	*idx = sc->items;
	size_t		 k, n = sc->nitems, answered = 0;
	long		 sum = 0;
	int		 v;

	for (k = 0; k < n; k++) {
		v = a[idx[k]];
		if (v == SCORE_MISSING)
			continue;
		sum += p->rev[idx[k]] ? p->rev[idx[k]] - v : v;
		answered++;
	}
	if (answered == 0 || n - answered > sc->max_missing)
		return false;
	if (sc->method == METHOD_MEAN)
		*out = (double)sum / (double)answered;
	else if (answered == n)
		*out = (double)sum;
	else	/* prorated: the mean of the answered items times n */
		*out = (double)sum * (double)n / (double)answered;
	return true;
}

bool
score_partial(const struct score_plan *p, const int16_t *a, size_t score,
    struct score_partial *out)
{
	const struct instr_score	*sc;
	size_t				 k;
	int				 v;

	memset(out, 0, sizeof(*out));
	if (score >= p->in->nscores)
		return false;
	sc = &p->in->scores[score];
	if (sc->method != METHOD_SUM)
		return false;
	out->of = sc->nitems;
	for (k = 0; k < sc->nitems; k++) {
		if ((v = a[sc->items[k]]) == SCORE_MISSING)
			continue;
		out->sum += p->rev[sc->items[k]] ? p->rev[sc->items[k]] - v :
		    v;
		out->answered++;
	}
	return out->answered > 0 && out->answered < out->of;
}

static bool
score_convert(const struct instr_score *sc, double raw, double *out)
{
	size_t	 lo = 0, hi = sc->ntable, mid;

	/* The table is sorted by raw score (the parser checks it). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sc->table[mid].raw < raw)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == sc->ntable || sc->table[lo].raw != raw)
		return false;
	*out = sc->table[lo].value;
	return true;
}

void
score_row(const struct score_plan *p, const int16_t *a, double *values,
    bool *valid)
{
	const struct instrument		*in = p->in;
	const struct instr_score	*sc;
	size_t				 i, k, got;
	double				 sum;

	for (i = 0; i < in->nscores; i++) {
		sc = &in->scores[i];
		valid[i] = false;
		values[i] = 0;
		switch (sc->method) {
		case METHOD_SUM:
		case METHOD_MEAN:
			valid[i] = score_items(p, sc, a, &values[i]);
			break;
		case METHOD_CONVERT:
			/* Scores only refer to scores defined before them,
			 * so their values are already computed. */
			if (valid[sc->scores[0]])
				valid[i] = score_convert(sc,
				    values[sc->scores[0]], &values[i]);
			break;
		case METHOD_MEAN_OF:
			sum = 0;
			got = 0;
			for (k = 0; k < sc->nscores; k++)
				if (valid[sc->scores[k]]) {
					sum += values[sc->scores[k]];
					got++;
				}
			if (got > 0 && sc->nscores - got <= sc->max_missing) {
				values[i] = sum / (double)got;
				valid[i] = true;
			}
			break;
		default:
			break;
		}
	}
}

size_t
score_answered(const struct score_plan *p, const int16_t *a)
{
	size_t	 i, n = 0;

	for (i = 0; i < p->in->nitems; i++)
		if (a[i] != SCORE_MISSING)
			n++;
	return n;
}

size_t
score_unanswered_risk(const struct score_plan *p, const int16_t *a,
    size_t *items, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < p->ncritical; i++)
		if (a[p->critical[i]] == SCORE_MISSING) {
			if (n < max)
				items[n] = p->critical[i];
			n++;
		}
	return n;
}

size_t
score_critical(const struct score_plan *p, const int16_t *a, size_t *items,
    size_t max)
{
	size_t	 i, n = 0, it;

	for (i = 0; i < p->ncritical; i++) {
		it = p->critical[i];
		if (a[it] != SCORE_MISSING &&
		    a[it] >= p->in->items[it].critical_min) {
			if (n < max)
				items[n] = it;
			n++;
		}
	}
	return n;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * psychometrics.c - Cronbach's alpha and item statistics.  See
 * psychometrics.h.
 *
 * With n complete rows, item sums S_i and cross-product sums S_ij, the
 * quantity C_ij = n S_ij - S_i S_j is n (n - 1) times the sample
 * covariance of items i and j.  Every figure below is a ratio of such
 * quantities (or one divided by n (n - 1)), computed from exact integers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "psychometrics.h"

struct acc {
	const struct instr_score *sc;
	size_t			 k;
	size_t			 n;
	int64_t			*s;	/* k sums */
	int64_t			*ss;	/* k * k cross products, i <= j used */
	int			*x;	/* scratch: keyed values of a row */
	struct psy_score	 out;
};

struct psy {
	const struct score_plan	*plan;
	struct acc		*accs;
	size_t			 nacc;
	struct psy_score	*results;
};

enum sb_err
psy_new(const struct score_plan *plan, struct psy **out)
{
	const struct instrument	*in = score_plan_instrument(plan);
	struct psy		*p;
	struct acc		*a;
	size_t			 i, k;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return SB_ENOMEM;
	p->plan = plan;
	if ((p->accs = calloc(in->nscores, sizeof(*p->accs))) == NULL ||
	    (p->results = calloc(in->nscores, sizeof(*p->results))) == NULL) {
		psy_free(p);
		return SB_ENOMEM;
	}
	for (i = 0; i < in->nscores; i++) {
		if (in->scores[i].method != METHOD_SUM &&
		    in->scores[i].method != METHOD_MEAN)
			continue;
		a = &p->accs[p->nacc++];
		a->sc = &in->scores[i];
		a->out.score = i;
		a->k = k = a->sc->nitems;
		a->s = calloc(k, sizeof(*a->s));
		a->ss = calloc(k * k, sizeof(*a->ss));
		a->x = calloc(k, sizeof(*a->x));
		a->out.items = calloc(k, sizeof(*a->out.items));
		if (a->s == NULL || a->ss == NULL || a->x == NULL ||
		    a->out.items == NULL) {
			psy_free(p);
			return SB_ENOMEM;
		}
	}
	*out = p;
	return SB_OK;
}

void
psy_add(struct psy *p, const int16_t *answers)
{
	struct acc	*a;
	size_t		 i, j, t, k;
	int		 v;
	int64_t		*row;

	for (t = 0; t < p->nacc; t++) {
		a = &p->accs[t];
		k = a->k;
		for (i = 0; i < k; i++) {
			v = answers[a->sc->items[i]];
			if (v == SCORE_MISSING)
				break;
			a->x[i] = score_keyed(p->plan, a->sc->items[i], v);
		}
		if (i < k)
			continue;
		a->n++;
		for (i = 0; i < k; i++) {
			a->s[i] += a->x[i];
			row = a->ss + i * k;
			for (j = i; j < k; j++)
				row[j] += (int64_t)a->x[i] * a->x[j];
		}
	}
}

/* n (n - 1) times the covariance of items i and j. */
static double
cmat(const struct acc *a, size_t i, size_t j)
{
	__int128	 c;

	if (j < i) {
		size_t t = i;
		i = j;
		j = t;
	}
	c = (__int128)a->n * a->ss[i * a->k + j] - (__int128)a->s[i] * a->s[j];
	return (double)c;
}

static void
acc_results(struct acc *a)
{
	struct psy_score	*o = &a->out;
	size_t			 i, j, k = a->k;
	double			 nn, total = 0, diag = 0, rowsum, cii, rest;
	double			 sum = 0;

	o->n = a->n;
	o->k = k;
	if (a->n < 2) {
		o->alpha = o->mean = o->sd = NAN;
		for (i = 0; i < k; i++) {
			o->items[i].item = a->sc->items[i];
			o->items[i].mean = o->items[i].sd = NAN;
			o->items[i].r_drop = o->items[i].alpha_drop = NAN;
		}
		return;
	}
	nn = (double)a->n * (double)(a->n - 1);
	for (i = 0; i < k; i++) {
		diag += cmat(a, i, i);
		for (j = 0; j < k; j++)
			total += cmat(a, i, j);
		sum += (double)a->s[i];
	}
	o->alpha = k > 1 && total > 0 ?
	    ((double)k / (double)(k - 1)) * (1.0 - diag / total) : NAN;
	o->mean = sum / (double)a->n;
	o->sd = sqrt(total / nn);
	if (a->sc->method == METHOD_MEAN) {
		o->mean /= (double)k;
		o->sd /= (double)k;
	}
	for (i = 0; i < k; i++) {
		o->items[i].item = a->sc->items[i];
		cii = cmat(a, i, i);
		rowsum = 0;
		for (j = 0; j < k; j++)
			rowsum += cmat(a, i, j);
		o->items[i].mean = (double)a->s[i] / (double)a->n;
		o->items[i].sd = sqrt(cii / nn);
		/* cov(x_i, T - x_i) and var(T - x_i), both times n(n-1). */
		rest = total - 2 * rowsum + cii;
		o->items[i].r_drop = cii > 0 && rest > 0 ?
		    (rowsum - cii) / sqrt(cii * rest) : NAN;
		o->items[i].alpha_drop = k > 2 && rest > 0 ?
		    ((double)(k - 1) / (double)(k - 2)) *
		    (1.0 - (diag - cii) / rest) : NAN;
	}
}

void
psy_results(struct psy *p, const struct psy_score **out, size_t *n)
{
	size_t	 t;

	for (t = 0; t < p->nacc; t++) {
		acc_results(&p->accs[t]);
		p->results[t] = p->accs[t].out;
	}
	*out = p->results;
	*n = p->nacc;
}

void
psy_free(struct psy *p)
{
	size_t	 t;

	if (p == NULL)
		return;
	for (t = 0; p->accs != NULL && t < p->nacc; t++) {
		free(p->accs[t].s);
		free(p->accs[t].ss);
		free(p->accs[t].x);
		free(p->accs[t].out.items);
	}
	free(p->accs);
	free(p->results);
	free(p);
}

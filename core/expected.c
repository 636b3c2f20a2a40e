/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * expected.c - expected recovery: a published course fitted as a path,
 * the practice's nearest-neighbour references, their blend, and the rule
 * that raises the alert.  See expected.h for the method, step by step.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/expected.h"

double
expected_quantile(const double *v, size_t n, double p)
{
	double	 h, f;
	size_t	 j;

	/* R type 7: h = (n - 1) p; between the floor(h)th and the next. */
	if (n == 1)
		return v[0];
	h = (double)(n - 1) * p;
	j = (size_t)floor(h);
	f = h - (double)j;
	if (j + 1 >= n)
		return v[n - 1];
	return v[j] + f * (v[j + 1] - v[j]);
}

bool
expected_change_at(const struct expected_ref *r, double day, double *change)
{
	size_t	 i;
	double	 t;

	if (day <= r->o[0].day) {
		*change = 0;
		return true;
	}
	for (i = 1; i < r->n; i++)
		if (day <= r->o[i].day) {
			/* Scores on one day: the later one stands. */
			if (r->o[i].day == r->o[i - 1].day) {
				*change = r->o[i].score - r->o[0].score;
				return true;
			}
			t = (day - r->o[i - 1].day) / (r->o[i].day -
			    r->o[i - 1].day);
			*change = r->o[i - 1].score + t * (r->o[i].score -
			    r->o[i - 1].score) - r->o[0].score;
			return true;
		}
	return false;
}

void
expected_neighbours(const struct expected_ref *r, size_t n, double intake,
    double reach, size_t k, size_t *idx, size_t *got)
{
	size_t	 i, j, m = 0;
	double	 d;

	/* Insertion into a list kept sorted by distance: k is small.  A
	 * reference replaces one only when strictly nearer, so on a tie
	 * the earlier stays. */
	for (i = 0; k > 0 && i < n; i++) {
		d = fabs(r[i].o[0].score - intake);
		if (d > reach)
			continue;
		if (m == k && d >= fabs(r[idx[m - 1]].o[0].score - intake))
			continue;
		j = m < k ? m++ : m - 1;
		while (j > 0 && fabs(r[idx[j - 1]].o[0].score - intake) > d) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	*got = m;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

enum sb_err
expected_band_at(const struct expected_ref *r, const size_t *idx, size_t k,
    double intake, double day, double lo, double hi,
    struct expected_band *out)
{
	double	*c;
	size_t	 i, m = 0;

	memset(out, 0, sizeof(*out));
	if (k == 0)
		return SB_ENOENT;
	if ((c = calloc(k, sizeof(*c))) == NULL)
		return SB_ENOMEM;
	for (i = 0; i < k; i++)
		if (expected_change_at(&r[idx[i]], day, &c[m]))
			m++;
	if (m == 0) {
		free(c);
		return SB_ENOENT;
	}
	qsort(c, m, sizeof(*c), cmp_double);
	out->mid = intake + expected_quantile(c, m, 0.5);
	out->lo = intake + expected_quantile(c, m, lo);
	out->hi = intake + expected_quantile(c, m, hi);
	out->own = m;
	out->weight = 1;
	free(c);
	return SB_OK;
}

void
expected_model_at(const struct expected_model *m, double intake, double day,
    struct expected_band *out)
{
	double	 g, sem2, b, su2, lead, var;

	memset(out, 0, sizeof(*out));
	g = day <= 0 ? 0 : 1 - exp(-day / m->tau);
	sem2 = m->s0 * m->s0 * (1 - m->r);
	b = m->rho * m->s1 / (m->s0 * m->r);
	/* A sample whose end SD the intake and the error already explain
	 * leaves no further spread. */
	su2 = m->s1 * m->s1 * (1 - m->rho * m->rho / m->r) - sem2;
	if (su2 < 0)
		su2 = 0;
	lead = (1 - g) + g * b;
	var = m->s0 * m->s0 * m->r * (1 - m->r) * lead * lead + g * g * su2 +
	    sem2;
	out->mid = (1 - g) * (m->m0 + m->r * (intake - m->m0)) + g * (m->m1 +
	    m->rho * m->s1 / m->s0 * (intake - m->m0));
	out->lo = out->mid - EXPECTED_Z * sqrt(var);
	out->hi = out->mid + EXPECTED_Z * sqrt(var);
	out->model = true;
}

bool
expected_blend_at(const struct expected_model *m,
    const struct expected_ref *r, const size_t *idx, size_t k, double intake,
    double day, struct expected_band *out, enum sb_err *e)
{
	struct expected_band	 pub, own;
	double			 w;

	*e = expected_band_at(r, idx, k, intake, day, EXPECTED_LO,
	    EXPECTED_HI, &own);
	if (*e == SB_ENOMEM)
		return false;
	*e = SB_OK;
	if (!m->set) {
		if (own.own < EXPECTED_OWN_ONLY)
			return false;
		*out = own;
		return true;
	}
	expected_model_at(m, intake, day, &pub);
	if (own.own < EXPECTED_OWN_MIN) {
		*out = pub;
		return true;
	}
	w = (double)own.own / (double)(own.own + EXPECTED_N0);
	out->mid = (1 - w) * pub.mid + w * own.mid;
	out->lo = (1 - w) * pub.lo + w * own.lo;
	out->hi = (1 - w) * pub.hi + w * own.hi;
	out->own = own.own;
	out->weight = w;
	out->model = true;
	return true;
}

bool
expected_off_track(const struct expected_band *b, double score,
    bool lower_better)
{
	return lower_better ? score > b->hi : score < b->lo;
}

bool
expected_alarm(const bool *beyond, size_t n, enum expected_rule rule)
{
	if (n == 0 || !beyond[n - 1])
		return false;
	switch (rule) {
	case EXPECTED_RULE_ONE:
		return true;
	case EXPECTED_RULE_TWO:
		return n >= 2 && beyond[n - 2];
	case EXPECTED_RULE_TWO_OF_THREE:
		return (n >= 2 && beyond[n - 2]) || (n >= 3 && beyond[n - 3]);
	default:
		return false;
	}
}

const char *
expected_rule_name(enum expected_rule rule)
{
	static const char *const names[EXPECTED_RULE__MAX] = {
		"one reading beyond the band",
		"two readings in a row beyond the band",
		"two of the last three readings beyond the band",
	};

	return rule < EXPECTED_RULE__MAX ? names[rule] : "?";
}

/*
 * expected.c - expected recovery from the practice's completed episodes:
 * nearest-neighbour references, their changes by day, and a percentile
 * band.  See expected.h for the method, step by step.
 */
#include <math.h>
#include <stdlib.h>

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

double
expected_change_at(const struct expected_ref *r, double day)
{
	size_t	 i;
	double	 t;

	if (day <= r->o[0].day || r->n == 1)
		return day <= r->o[0].day ? 0 : r->o[r->n - 1].score -
		    r->o[0].score;
	for (i = 1; i < r->n; i++)
		if (day <= r->o[i].day) {
			/* Scores on one day: the later one stands. */
			if (r->o[i].day == r->o[i - 1].day)
				return r->o[i].score - r->o[0].score;
			t = (day - r->o[i - 1].day) / (r->o[i].day -
			    r->o[i - 1].day);
			return r->o[i - 1].score + t * (r->o[i].score -
			    r->o[i - 1].score) - r->o[0].score;
		}
	return r->o[r->n - 1].score - r->o[0].score;
}

void
expected_neighbours(const struct expected_ref *r, size_t n, double intake,
    size_t k, size_t *idx, size_t *got)
{
	size_t	 i, j, m = 0;
	double	 d;

	/* Insertion into a list kept sorted by distance: k is small.  A
	 * reference replaces one only when strictly nearer, so on a tie
	 * the earlier stays. */
	for (i = 0; i < n; i++) {
		d = fabs(r[i].o[0].score - intake);
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
	size_t	 i;

	if (k == 0)
		return SB_EINVAL;
	if ((c = calloc(k, sizeof(*c))) == NULL)
		return SB_ENOMEM;
	for (i = 0; i < k; i++)
		c[i] = expected_change_at(&r[idx[i]], day);
	qsort(c, k, sizeof(*c), cmp_double);
	out->mid = intake + expected_quantile(c, k, 0.5);
	out->lo = intake + expected_quantile(c, k, lo);
	out->hi = intake + expected_quantile(c, k, hi);
	free(c);
	return SB_OK;
}

bool
expected_off_track(const struct expected_band *b, double score,
    bool lower_better)
{
	return lower_better ? score > b->hi : score < b->lo;
}

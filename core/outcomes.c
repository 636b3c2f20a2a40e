/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes.c - practice outcomes.  See outcomes.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/outcomes.h"

void
outcomes_init(struct outcomes *o)
{
	memset(o, 0, sizeof(*o));
}

void
outcomes_free(struct outcomes *o)
{
	free(o->c);
	outcomes_init(o);
}

static struct outcome_cell *
cell(struct outcomes *o, const struct instrument *in, size_t score,
    const char *therapist, bool caseness)
{
	struct outcome_cell	*c;
	size_t			 i;

	for (i = 0; i < o->n; i++)
		if (o->c[i].in == in && o->c[i].score == score &&
		    o->c[i].caseness == caseness &&
		    strcmp(o->c[i].therapist, therapist) == 0)
			return &o->c[i];
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 32;

		if ((c = realloc(o->c, cap * sizeof(*c))) == NULL)
			return NULL;
		o->c = c;
		o->cap = cap;
	}
	c = &o->c[o->n++];
	memset(c, 0, sizeof(*c));
	c->in = in;
	c->score = score;
	c->caseness = caseness;
	snprintf(c->therapist, sizeof(c->therapist), "%s", therapist);
	return c;
}

static void
add_pair(struct outcome_cell *c, double pre, double post,
    const struct change_result *r, bool classified)
{
	c->n++;
	c->sum_pre += pre;
	c->sum_post += post;
	c->sumsq_pre += pre * pre;
	c->sumsq_post += post * post;
	c->sum_prepost += pre * post;
	if (!classified) {
		c->unclassified++;
		return;
	}
	c->cls[r->cls]++;
	c->criterion = r->criterion;
	change_label(r, c->label, sizeof(c->label));
}

static SB_MUST enum sb_err
add_one(struct outcomes *o, const struct instrument *in, size_t score,
    const char *therapist, double pre, double post)
{
	struct outcome_cell	*c;
	struct change_result	 r;
	bool			 classified;

	classified = change_classify_as(&in->scores[score], pre, post,
	    o->convention, &r) == SB_OK;
	if ((c = cell(o, in, score, therapist, false)) == NULL)
		return SB_ENOMEM;
	add_pair(c, pre, post, &r, classified);
	/* Begun at caseness: on the clinical side of the cut-off. */
	if (classified && !r.pre_past) {
		if ((c = cell(o, in, score, therapist, true)) == NULL)
			return SB_ENOMEM;
		add_pair(c, pre, post, &r, classified);
	}
	return SB_OK;
}

enum sb_err
outcomes_add(struct outcomes *o, const struct instrument *in, size_t score,
    const char *therapist, double pre, double post)
{
	enum sb_err	 e;

	if ((e = add_one(o, in, score, therapist, pre, post)) != SB_OK)
		return e;
	return add_one(o, in, score, OUTCOMES_ALL, pre, post);
}

/* An episode without a pair, in its therapist's cell and the practice's. */
static SB_MUST enum sb_err
count_unpaired(struct outcomes *o, const struct instrument *in,
    size_t score, const char *therapist, bool one)
{
	struct outcome_cell	*c;
	const char		*who[2] = { therapist, OUTCOMES_ALL };
	size_t			 i;

	for (i = 0; i < 2; i++) {
		if ((c = cell(o, in, score, who[i], false)) == NULL)
			return SB_ENOMEM;
		if (one)
			c->one_score++;
		else
			c->left_out++;
	}
	return SB_OK;
}

enum sb_err
outcomes_left_out(struct outcomes *o, const struct instrument *in,
    size_t score, const char *therapist)
{
	return count_unpaired(o, in, score, therapist, false);
}

enum sb_err
outcomes_one_score(struct outcomes *o, const struct instrument *in,
    size_t score, const char *therapist)
{
	return count_unpaired(o, in, score, therapist, true);
}

size_t
outcome_episodes(const struct outcome_cell *c)
{
	return c->n + c->left_out + c->one_score;
}

bool
outcome_effect_size(const struct outcome_cell *c, struct outcome_d *out)
{
	double	 n = (double)c->n, mpre, mpost, vpre, vpost, cov, j, d, v;

	if (c->n < 3)
		return false;
	mpre = c->sum_pre / n;
	mpost = c->sum_post / n;
	vpre = (c->sumsq_pre - n * mpre * mpre) / (n - 1);
	vpost = (c->sumsq_post - n * mpost * mpost) / (n - 1);
	cov = (c->sum_prepost - n * mpre * mpost) / (n - 1);
	if (!(vpre > 0))
		return false;
	/* Without spread at the end the correlation is undefined; none is
	 * assumed, which widens the interval. */
	out->r = vpost > 0 ? cov / sqrt(vpre * vpost) : 0;
	/* Hedges' exact small-sample factor, m = n - 1 degrees of
	 * freedom: Gamma(m/2) / (sqrt(m/2) Gamma((m - 1)/2)). */
	j = exp(lgamma((n - 1) / 2) - log(sqrt((n - 1) / 2)) -
	    lgamma((n - 2) / 2));
	d = j * (mpost - mpre) / sqrt(vpre);
	if (c->in->scores[c->score].direction == DIRECTION_LOWER_BETTER)
		d = -d;
	v = 2 * (1 - out->r) / n + d * d / (2 * n);
	out->d = d;
	out->lo = d - CHANGE_Z * sqrt(v);
	out->hi = d + CHANGE_Z * sqrt(v);
	return true;
}

bool
outcome_effect_caution(const struct outcome_cell *c, char *why, size_t n)
{
	const struct instr_score	*sc = &c->in->scores[c->score];
	struct outcome_d		 d;
	double				 k = (double)c->n, mean, var, sd;

	if (c->n < 3)
		return false;
	mean = c->sum_pre / k;
	var = (c->sumsq_pre - k * mean * mean) / (k - 1);
	sd = var > 0 ? sqrt(var) : 0;
	if (sc->max > sc->min && sd < OUTCOME_NARROW * (sc->max - sc->min)) {
		snprintf(why, n, "the first scores hardly vary (SD %.2f on a "
		    "range of %g to %g), which makes d large whatever the "
		    "change", sd, sc->min, sc->max);
		return true;
	}
	if (outcome_effect_size(c, &d) && (d.hi - d.lo) / 2 >
	    OUTCOME_HALF_CI) {
		snprintf(why, n, "its 95 %% interval runs from %.2f to %.2f "
		    "(%zu episodes): too wide to compare", d.lo, d.hi, c->n);
		return true;
	}
	return false;
}

enum sb_err
outcomes_text(const struct outcomes *o, struct buf *b)
{
	struct outcome_d	 d;
	size_t			 i, k;
	char			 who[96];

	buf_printf(b, "%-14s %-22s %-30s %4s %5s %4s %4s %9s %8s %9s %12s "
	    "%22s %s\n", "instrument", "score", "therapist", "n", "of", "one",
	    "out", "recovered", "improved", "unchanged", "deteriorated",
	    "d (95 % CI)", "norms");
	for (i = 0; i < o->n; i++) {
		const struct outcome_cell *c = &o->c[i];

		snprintf(who, sizeof(who), "%s%s", c->therapist, c->caseness ?
		    ", at caseness" : "");
		buf_printf(b, "%-14s %-22.22s %-30.30s %4zu %5zu %4zu %4zu",
		    c->in->id, c->in->scores[c->score].id, who, c->n,
		    outcome_episodes(c), c->one_score, c->left_out);
		if (c->unclassified == c->n)
			buf_printf(b, " %9s %8s %9s %12s", "-", "-", "-", "-");
		else
			for (k = 0; k < CHANGE__MAX; k++)
				buf_printf(b, " %*zu", k == 0 ? 9 : k == 1 ? 8 :
				    k == 2 ? 9 : 12, c->cls[k]);
		if (outcome_effect_size(c, &d))
			buf_printf(b, " %6.2f (%6.2f to %5.2f)", d.d, d.lo,
			    d.hi);
		else
			buf_printf(b, " %22s", "-");
		if (c->n == 0)
			buf_adds(b, " no episode with a first and a last "
			    "score\n");
		else if (c->unclassified == c->n)
			buf_adds(b, " no norms in the definition: not "
			    "classified\n");
		else
			buf_printf(b, " %s; %s\n", c->label,
			    c->in->scores[c->score].clinical.source ?
			    c->in->scores[c->score].clinical.source : "");
	}
	buf_adds(b, "n: episodes of care with a first and a last score of the "
	    "measure within the episode; of: episodes with any score; one: "
	    "episodes with one score only; out: episodes whose first or last "
	    "score is missing (too many items unanswered for the "
	    "instrument's missing-data rule). \"at caseness\": the episodes "
	    "that began on the clinical side of the cut-off.\n");
	for (i = 0; i < o->n; i++) {
		const struct outcome_cell *c = &o->c[i];
		char why[200];

		if (outcome_effect_caution(c, why, sizeof(why)))
			buf_printf(b, "read d with care: %s %s (%s%s): %s.\n",
			    c->in->id, c->in->scores[c->score].id,
			    c->therapist, c->caseness ? ", at caseness" : "",
			    why);
	}
	return b->err;
}

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
    const char *therapist)
{
	struct outcome_cell	*c;
	size_t			 i;

	for (i = 0; i < o->n; i++)
		if (o->c[i].in == in && o->c[i].score == score &&
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
	snprintf(c->therapist, sizeof(c->therapist), "%s", therapist);
	return c;
}

static enum sb_err
add_one(struct outcomes *o, const struct instrument *in, size_t score,
    const char *therapist, double pre, double post)
{
	struct outcome_cell	*c = cell(o, in, score, therapist);
	struct change_result	 r;

	if (c == NULL)
		return SB_ENOMEM;
	c->n++;
	c->sum_pre += pre;
	c->sum_post += post;
	c->sumsq_pre += pre * pre;
	if (change_classify(&in->scores[score], pre, post, CRITERION_AUTO,
	    &r) != SB_OK) {
		c->unclassified++;
		return SB_OK;
	}
	c->cls[r.cls]++;
	c->criterion = r.criterion;
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

enum sb_err
outcomes_left_out(struct outcomes *o, const struct instrument *in,
    size_t score, const char *therapist)
{
	struct outcome_cell	*c;

	if ((c = cell(o, in, score, therapist)) == NULL)
		return SB_ENOMEM;
	c->left_out++;
	if ((c = cell(o, in, score, OUTCOMES_ALL)) == NULL)
		return SB_ENOMEM;
	c->left_out++;
	return SB_OK;
}

bool
outcome_effect_size(const struct outcome_cell *c, double *d)
{
	double	 n = (double)c->n, mean_pre, mean_post, var;

	if (c->n < 2)
		return false;
	mean_pre = c->sum_pre / n;
	mean_post = c->sum_post / n;
	var = (c->sumsq_pre - n * mean_pre * mean_pre) / (n - 1);
	if (!(var > 0))
		return false;
	*d = (mean_post - mean_pre) / sqrt(var);
	if (c->in->scores[c->score].direction == DIRECTION_LOWER_BETTER)
		*d = -*d;
	return true;
}

bool
outcome_effect_caution(const struct outcome_cell *c, char *why, size_t n)
{
	const struct instr_score	*sc = &c->in->scores[c->score];
	double				 k = (double)c->n, mean, var, sd;

	if (c->n < 2)
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
	if (c->n < OUTCOME_FEW_N) {
		snprintf(why, n, "only %zu clients: d is unstable", c->n);
		return true;
	}
	return false;
}

enum sb_err
outcomes_text(const struct outcomes *o, struct buf *b)
{
	size_t	 i, k;
	double	 d;

	buf_printf(b, "%-14s %-22s %-18s %4s %4s %9s %8s %9s %12s %6s %s\n",
	    "instrument", "score", "therapist", "n", "out", "recovered",
	    "improved", "unchanged", "deteriorated", "d", "norms");
	for (i = 0; i < o->n; i++) {
		const struct outcome_cell *c = &o->c[i];

		buf_printf(b, "%-14s %-22.22s %-18.18s %4zu %4zu", c->in->id,
		    c->in->scores[c->score].id, c->therapist, c->n,
		    c->left_out);
		if (c->unclassified == c->n)
			buf_printf(b, " %9s %8s %9s %12s", "-", "-", "-", "-");
		else
			for (k = 0; k < CHANGE__MAX; k++)
				buf_printf(b, " %*zu", k == 0 ? 9 : k == 1 ? 8 :
				    k == 2 ? 9 : 12, c->cls[k]);
		if (outcome_effect_size(c, &d))
			buf_printf(b, " %6.2f", d);
		else
			buf_printf(b, " %6s", "-");
		if (c->n == 0)
			buf_adds(b, " no client with a first and a last "
			    "score\n");
		else if (c->unclassified == c->n)
			buf_adds(b, " no norms in the definition: not "
			    "classified\n");
		else
			buf_printf(b, " criterion %s; %s\n",
			    change_criterion_name(c->criterion),
			    c->in->scores[c->score].clinical.source ?
			    c->in->scores[c->score].clinical.source : "");
	}
	buf_adds(b, "out: clients with two or more administrations whose first "
	    "or last score is missing (too many items unanswered for the "
	    "instrument's missing-data rule); they are not in n.\n");
	for (i = 0; i < o->n; i++) {
		const struct outcome_cell *c = &o->c[i];
		char why[200];

		if (outcome_effect_caution(c, why, sizeof(why)))
			buf_printf(b, "read d with care: %s %s (%s): %s.\n",
			    c->in->id, c->in->scores[c->score].id,
			    c->therapist, why);
	}
	return b->err;
}

/*
 * change.c - Jacobson & Truax reliable and clinically significant change.
 * See change.h for the formulas and the classification rules.
 */
#include <math.h>
#include <string.h>

#include "change.h"

bool
change_cutoff(const struct instr_score *sc, enum change_criterion crit,
    double *out)
{
	const struct instr_norm	*cl = &sc->clinical, *fn = &sc->functional;
	double			 sign;

	/* "Healthy direction": down for lower-is-better scores. */
	sign = sc->direction == DIRECTION_HIGHER_BETTER ? 1.0 : -1.0;
	switch (crit) {
	case CRITERION_A:
		if (!cl->set)
			return false;
		*out = cl->mean + sign * 2.0 * cl->sd;
		return true;
	case CRITERION_B:
		if (!fn->set)
			return false;
		*out = fn->mean - sign * 2.0 * fn->sd;
		return true;
	case CRITERION_C:
		if (!cl->set || !fn->set)
			return false;
		*out = (fn->sd * cl->mean + cl->sd * fn->mean) /
		    (fn->sd + cl->sd);
		return true;
	default:
		return false;
	}
}

/* True when v lies on the functional side of the cut-off. */
static bool
past(const struct instr_score *sc, double v, double cut)
{
	return sc->direction == DIRECTION_HIGHER_BETTER ? v > cut : v < cut;
}

enum sb_err
change_classify(const struct instr_score *sc, double pre, double post,
    enum change_criterion crit, struct change_result *r)
{
	double	 improve;

	memset(r, 0, sizeof(*r));
	if (sc->direction == DIRECTION_NONE || sc->reliability <= 0 ||
	    !sc->clinical.set)
		return SB_ENOENT;
	if (crit == CRITERION_AUTO)
		crit = sc->functional.set ? CRITERION_C : CRITERION_A;
	if (!change_cutoff(sc, crit, &r->cutoff))
		return SB_ENOENT;
	r->pre = pre;
	r->post = post;
	r->criterion = crit;
	r->reliability = sc->reliability;
	r->sd = sc->clinical.sd;
	r->se = r->sd * sqrt(1.0 - r->reliability);
	r->sdiff = sqrt(2.0 * r->se * r->se);
	r->rc = (post - pre) / r->sdiff;
	r->min_change = CHANGE_Z * r->sdiff;
	r->reliable = fabs(r->rc) > CHANGE_Z;
	r->pre_past = past(sc, pre, r->cutoff);
	r->post_past = past(sc, post, r->cutoff);
	/* Positive "improve" means change in the better direction. */
	improve = sc->direction == DIRECTION_HIGHER_BETTER ? r->rc : -r->rc;
	if (!r->reliable)
		r->cls = CHANGE_UNCHANGED;
	else if (improve < 0)
		r->cls = CHANGE_DETERIORATED;
	else if (!r->pre_past && r->post_past)
		r->cls = CHANGE_RECOVERED;
	else
		r->cls = CHANGE_IMPROVED;
	return SB_OK;
}

const char *
change_class_name(enum change_class c)
{
	static const char *const names[] = { "recovered", "improved",
	    "unchanged", "deteriorated" };

	return c < CHANGE__MAX ? names[c] : "?";
}

const char *
change_criterion_name(enum change_criterion c)
{
	static const char *const names[] = { "auto", "a", "b", "c" };

	return c < CRITERION__MAX ? names[c] : "?";
}

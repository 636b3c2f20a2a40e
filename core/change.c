/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * change.c - Jacobson & Truax reliable and clinically significant change.
 * See change.h for the formulas and the classification rules.
 */
#include <math.h>
#include <stdio.h>
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

/*
 * NHS Talking Therapies: reliable improvement is a fall (for a measure
 * where lower is better) of at least the stated points, reliable
 * deterioration a rise of as much; reliable recovery a reliable
 * improvement from caseness to below it.
 */
static void
classify_tt(const struct instr_score *sc, double pre, double post,
    struct change_result *r)
{
	const struct instr_tt	*t = &sc->tt;
	double			 improve;
	bool			 pre_case, post_case;

	improve = sc->direction == DIRECTION_HIGHER_BETTER ? post - pre :
	    pre - post;
	pre_case = sc->direction == DIRECTION_HIGHER_BETTER ?
	    pre <= t->caseness : pre >= t->caseness;
	post_case = sc->direction == DIRECTION_HIGHER_BETTER ?
	    post <= t->caseness : post >= t->caseness;
	r->pre = pre;
	r->post = post;
	r->cutoff = t->caseness;
	r->min_change = t->change;
	r->pre_past = !pre_case;
	r->post_past = !post_case;
	r->reliable = fabs(post - pre) >= t->change;
	r->convention = CONVENTION_TT;
	if (!r->reliable)
		r->cls = CHANGE_UNCHANGED;
	else if (improve < 0)
		r->cls = CHANGE_DETERIORATED;
	else if (pre_case && !post_case)
		r->cls = CHANGE_RECOVERED;
	else
		r->cls = CHANGE_IMPROVED;
}

enum sb_err
change_classify_as(const struct instr_score *sc, double pre, double post,
    enum change_convention conv, struct change_result *r)
{
	if (conv == CONVENTION_TT && sc->tt.set &&
	    sc->direction != DIRECTION_NONE) {
		memset(r, 0, sizeof(*r));
		classify_tt(sc, pre, post, r);
		return SB_OK;
	}
	return change_classify(sc, pre, post, CRITERION_AUTO, r);
}

void
change_label(const struct change_result *r, char *out, size_t size)
{
	if (r->convention == CONVENTION_TT)
		snprintf(out, size, "NHS Talking Therapies (caseness %g, "
		    "reliable change %g points)", r->cutoff, r->min_change);
	else
		snprintf(out, size, "Jacobson & Truax, criterion %s",
		    change_criterion_name(r->criterion));
}

const char *
change_convention_name(enum change_convention c)
{
	static const char *const names[] = { "jacobson-truax",
	    "talking-therapies" };

	return c < CONVENTION__MAX ? names[c] : "?";
}

bool
change_convention_parse(const char *s, enum change_convention *c)
{
	size_t	 i;

	for (i = 0; i < CONVENTION__MAX; i++)
		if (strcmp(s, change_convention_name(i)) == 0) {
			*c = i;
			return true;
		}
	return false;
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

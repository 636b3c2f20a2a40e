/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * expected.c - a client's expected path from the practice's completed
 * episodes.  See expected.h; the method is core/expected.h's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/expected.h"
#include "core/answers.h"
#include "core/change.h"
#include "core/text.h"

static const char *const measures[] = { "phq9", "gad7", "core10", "k10" };

bool
expected_measure(const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < sizeof(measures) / sizeof(measures[0]);
	    i++)
		if (strcmp(measures[i], id) == 0)
			return true;
	return false;
}

struct gather {
	const struct score_plan	*p;
	struct expected_view	*v;
	int64_t			 episode;	/* the one being read */
	int64_t			 t0;
	struct expected_obs	*o;		/* its scores so far */
	size_t			 n, cap;
	bool			 client;	/* reading the client's own */
	enum sb_err		 e;
};

/* Ends the episode being read: a reference when it has two scores. */
static SB_MUST enum sb_err
ref_close(struct gather *g)
{
	struct expected_view	*v = g->v;
	void			*q;

	if (g->n >= 2 && !g->client) {
		if ((q = realloc(v->refs, (v->nrefs + 1) * sizeof(*v->refs))) ==
		    NULL)
			return SB_ENOMEM;
		v->refs = q;
		v->refs[v->nrefs].o = g->o;
		v->refs[v->nrefs++].n = g->n;
		g->o = NULL;
	}
	free(g->o);
	g->o = NULL;
	g->n = g->cap = 0;
	return SB_OK;
}

static SB_MUST enum sb_err
score_seen(void *arg, int64_t episode, const char *completed,
    const char *answers)
{
	struct gather		*g = arg;
	const struct instrument	*in = score_plan_instrument(g->p);
	int16_t			 a[INSTR_MAX_ITEMS];
	double			 sv[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	int64_t			 t;
	enum sb_err		 e;
	void			*q;

	(void)in;
	if (episode != g->episode) {
		if ((e = ref_close(g)) != SB_OK)
			return e;
		g->episode = episode;
	}
	/* A row stored under an older definition, or with the total
	 * missing, is left out rather than guessed. */
	if (!text_iso_seconds(completed, &t) || answers_decode(g->p, answers,
	    a) != SB_OK)
		return SB_OK;
	score_row(g->p, a, sv, ok);
	if (!ok[0])
		return SB_OK;
	if (g->client) {
		struct expected_view	*v = g->v;

		if (!v->intake_known) {
			v->intake_known = true;
			v->intake = sv[0];
			v->intake_t = t;
			v->episode = episode;
		}
		if ((q = realloc(v->readings, (v->nreadings + 1) *
		    sizeof(*v->readings))) == NULL)
			return SB_ENOMEM;
		v->readings = q;
		v->readings[v->nreadings].t = t;
		v->readings[v->nreadings++].score = sv[0];
		return SB_OK;
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		if ((q = realloc(g->o, g->cap * sizeof(*g->o))) == NULL)
			return SB_ENOMEM;
		g->o = q;
	}
	if (g->n == 0)
		g->t0 = t;
	g->o[g->n].day = (double)(t - g->t0) / 86400.0;
	g->o[g->n++].score = sv[0];
	return SB_OK;
}

/*
 * The published path and how near a neighbour's intake must be: the
 * measure's reliable change (Jacobson & Truax) where its norms give one,
 * else a tenth of the scale.
 */
static void
course_model(const struct instr_score *sc, struct expected_view *v)
{
	const struct instr_course	*c = &sc->course;
	double				 sd;

	sd = sc->clinical.set ? sc->clinical.sd : c->set ? c->s0 : 0;
	v->reach = sd > 0 && sc->reliability > 0 ? CHANGE_Z * sd *
	    sqrt(2 * (1 - sc->reliability)) : (sc->max - sc->min) / 10;
	if (!c->set)
		return;
	v->model.set = true;
	v->model.m0 = c->m0;
	v->model.s0 = c->s0;
	v->model.m1 = c->m1;
	v->model.s1 = c->s1;
	v->model.r = sc->reliability;
	v->model.rho = EXPECTED_RHO;
	v->model.tau = EXPECTED_TAU;
	v->course_source = c->source;
}

enum sb_err
expected_load(struct store *s, const struct score_plan *p, int64_t client,
    struct expected_view *v)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct gather		 g;
	enum sb_err		 e;

	memset(v, 0, sizeof(*v));
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.v = v;
	v->lower_better = in->scores[0].direction == DIRECTION_LOWER_BETTER;
	v->min = in->scores[0].min;
	v->max = in->scores[0].max;
	if (!expected_measure(in->id))
		return SB_OK;
	course_model(&in->scores[0], v);
	if ((e = store_episode_scores_each(s, in->id, 0, score_seen, &g)) !=
	    SB_OK || (e = ref_close(&g)) != SB_OK)
		goto out;
	v->episodes = v->nrefs;
	g.client = true;
	g.episode = 0;
	if ((e = store_episode_scores_each(s, in->id, client, score_seen,
	    &g)) != SB_OK)
		goto out;
	if (v->intake_known)
		expected_neighbours(v->refs, v->nrefs, v->intake, v->reach,
		    EXPECTED_K, v->idx, &v->k);
out:
	free(g.o);
	return e;
}

bool
expected_curve(const struct expected_view *v)
{
	return v->intake_known && (v->model.set || v->k > 0);
}

static double
clamp(const struct expected_view *v, double x)
{
	return x < v->min ? v->min : x > v->max ? v->max : x;
}

bool
expected_at(const struct expected_view *v, int64_t t,
    struct expected_band *b)
{
	enum sb_err	 e;

	if (!expected_curve(v) || t < v->intake_t ||
	    !expected_blend_at(&v->model, v->refs, v->idx, v->k, v->intake,
	    (double)(t - v->intake_t) / 86400.0, b, &e))
		return false;
	/* A change added to another intake, or a normal band, can pass
	 * the ends of the scale; no score can. */
	b->lo = clamp(v, b->lo);
	b->mid = clamp(v, b->mid);
	b->hi = clamp(v, b->hi);
	return true;
}

bool
expected_alarm_now(const struct expected_view *v, struct expected_band *band)
{
	bool			 beyond[64];
	struct expected_band	 b;
	size_t			 i, n = 0;

	/* The latest readings matter; a rule looks back three at most. */
	for (i = 0; i < v->nreadings; i++) {
		if ((double)(v->readings[i].t - v->intake_t) / 86400.0 <
		    EXPECTED_FIRST_DAY)
			continue;
		if (n == sizeof(beyond) / sizeof(beyond[0])) {
			memmove(beyond, beyond + 1, (n - 1) * sizeof(*beyond));
			n--;
		}
		beyond[n++] = expected_at(v, v->readings[i].t, &b) &&
		    expected_off_track(&b, v->readings[i].score,
		    v->lower_better);
	}
	if (n == 0 || !expected_alarm(beyond, n, EXPECTED_RULE))
		return false;
	*band = b;
	return true;
}

void
expected_shaped(const struct expected_view *v, const struct expected_band *b,
    char *out, size_t size)
{
	if (b->model && b->own == 0)
		snprintf(out, size, "published course: %s; none of the "
		    "practice's own episodes yet", v->course_source);
	else if (b->model)
		snprintf(out, size, "published course: %s; with %zu of the "
		    "practice's completed episodes (weight %.0f %%)",
		    v->course_source, b->own, b->weight * 100);
	else
		snprintf(out, size, "%zu of the practice's completed episodes "
		    "with first scores within %.1f points; no published "
		    "course", b->own, v->reach);
}

void
expected_view_free(struct expected_view *v)
{
	size_t	 i;

	for (i = 0; i < v->nrefs; i++)
		free((void *)v->refs[i].o);
	free(v->refs);
	free(v->readings);
	memset(v, 0, sizeof(*v));
}

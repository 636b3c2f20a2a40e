/*
 * expected.c - a client's expected path from the practice's completed
 * episodes.  See expected.h; the method is core/expected.h's.
 */
#include <stdlib.h>
#include <string.h>

#include "app/expected.h"
#include "app/record.h"
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
static enum sb_err
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

static enum sb_err
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
		if (!g->v->intake_known) {
			g->v->intake_known = true;
			g->v->intake = sv[0];
			g->v->intake_t = t;
			g->v->episode = episode;
		}
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
	if ((e = store_episode_scores_each(s, in->id, 0, score_seen, &g)) !=
	    SB_OK || (e = ref_close(&g)) != SB_OK)
		goto out;
	v->episodes = v->nrefs;
	g.client = true;
	g.episode = 0;
	if ((e = store_episode_scores_each(s, in->id, client, score_seen,
	    &g)) != SB_OK)
		goto out;
	if (v->intake_known && v->nrefs >= EXPECTED_MIN)
		expected_neighbours(v->refs, v->nrefs, v->intake, EXPECTED_K,
		    v->idx, &v->k);
out:
	free(g.o);
	return e;
}

bool
expected_curve(const struct expected_view *v)
{
	return v->intake_known && v->nrefs >= EXPECTED_MIN && v->k > 0;
}

bool
expected_at(const struct expected_view *v, int64_t t,
    struct expected_band *b)
{
	if (!expected_curve(v) || t < v->intake_t ||
	    expected_band_at(v->refs, v->idx, v->k, v->intake, (double)(t -
	    v->intake_t) / 86400.0, EXPECTED_LO, EXPECTED_HI, b) != SB_OK)
		return false;
	/* A neighbour's change added to another intake can pass the ends
	 * of the scale; no score can. */
	b->lo = b->lo < v->min ? v->min : b->lo > v->max ? v->max : b->lo;
	b->mid = b->mid < v->min ? v->min : b->mid > v->max ? v->max : b->mid;
	b->hi = b->hi < v->min ? v->min : b->hi > v->max ? v->max : b->hi;
	return true;
}

void
expected_view_free(struct expected_view *v)
{
	size_t	 i;

	for (i = 0; i < v->nrefs; i++)
		free((void *)v->refs[i].o);
	free(v->refs);
	memset(v, 0, sizeof(*v));
}

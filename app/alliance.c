/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * alliance.c - the alliance watched after each WAI-SR.  See alliance.h
 * for the rule and why its spread comes from the practice.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/alliance.h"
#include "core/answers.h"
#include "core/change.h"
#include "core/text.h"

static const char *const watched_measures[] = { "wai-sr" };
static const char *const watched_scales[] = { "total", "bond" };
#define NSCALES	(sizeof(watched_scales) / sizeof(watched_scales[0]))

bool
alliance_measure(const char *id)
{
	size_t	 i;

	for (i = 0; id != NULL && i < sizeof(watched_measures) /
	    sizeof(watched_measures[0]); i++)
		if (strcmp(watched_measures[i], id) == 0)
			return true;
	return false;
}

/* Decodes and scores a stored answer set; false when it does not decode
 * (stored under an older definition). */
static bool
scores_of(const struct score_plan *p, const char *answers, double *v,
    bool *ok)
{
	int16_t	 a[INSTR_MAX_ITEMS];

	if (answers_decode(p, answers, a) != SB_OK)
		return false;
	score_row(p, a, v, ok);
	return true;
}

enum sb_err
alliance_previous(struct store *s, const struct score_plan *p,
    int64_t client, double *prev, bool *prev_ok, bool *have)
{
	const struct instrument	*in = score_plan_instrument(p);
	char			*answers = NULL;
	bool			 found;
	enum sb_err		 e;

	*have = false;
	if (!alliance_measure(in->id))
		return SB_OK;
	if ((e = store_administration_last(s, client, in->id, &answers,
	    &found)) != SB_OK || !found)
		return e;
	*have = scores_of(p, answers, prev, prev_ok);
	free(answers);
	return SB_OK;
}

/* The first WAI-SR of each completed episode: sums for the SD. */
struct spread {
	const struct score_plan	*p;
	size_t			 idx[NSCALES];
	int64_t			 episode;
	size_t			 n[NSCALES];
	double			 sum[NSCALES], sumsq[NSCALES];
};

static SB_MUST enum sb_err
first_seen(void *arg, int64_t episode, const char *completed,
    const char *answers)
{
	struct spread	*sp = arg;
	double		 v[INSTR_MAX_SCORES];
	bool		 ok[INSTR_MAX_SCORES];
	size_t		 k;

	(void)completed;
	if (episode == sp->episode)
		return SB_OK;	/* only each episode's first */
	sp->episode = episode;
	if (!scores_of(sp->p, answers, v, ok))
		return SB_OK;
	for (k = 0; k < NSCALES; k++)
		if (ok[sp->idx[k]]) {
			sp->n[k]++;
			sp->sum[k] += v[sp->idx[k]];
			sp->sumsq[k] += v[sp->idx[k]] * v[sp->idx[k]];
		}
	return SB_OK;
}

enum sb_err
alliance_raise(struct store *s, const struct score_plan *p, int64_t client,
    int64_t admin, const double *v, const bool *ok, const double *prev,
    const bool *prev_ok, bool have_prev, int *n)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct spread		 sp;
	double			 first[INSTR_MAX_SCORES], sd, rc, m;
	bool			 fok[INSTR_MAX_SCORES], found, pending, have1;
	bool			 below, fell;
	char			*answers = NULL, prefix[96], detail[400];
	size_t			 k, i;
	int64_t			 id;
	enum sb_err		 e;

	if (!alliance_measure(in->id) || !have_prev)
		return SB_OK;	/* the first reading has nothing to fall from */
	memset(&sp, 0, sizeof(sp));
	sp.p = p;
	for (k = 0; k < NSCALES; k++)
		if ((sp.idx[k] = instr_score_find(in, watched_scales[k])) ==
		    INSTR_NONE)
			return SB_OK;
	if ((e = store_administration_first(s, client, in->id, &answers,
	    &found)) != SB_OK)
		return e;
	have1 = found && scores_of(p, answers, first, fok);
	free(answers);
	sp.episode = 0;
	if ((e = store_episode_scores_each(s, in->id, 0, first_seen, &sp)) !=
	    SB_OK)
		return e;
	for (k = 0; k < NSCALES; k++) {
		i = sp.idx[k];
		if (!ok[i])
			continue;
		below = have1 && fok[i] && v[i] < first[i];
		rc = 0;
		if (sp.n[k] >= ALLIANCE_MIN_EPISODES) {
			m = sp.sum[k] / (double)sp.n[k];
			sd = sqrt((sp.sumsq[k] - (double)sp.n[k] * m * m) /
			    (double)(sp.n[k] - 1));
			rc = CHANGE_Z * sd * sqrt(2 * (1 - ALLIANCE_RELIABILITY));
		}
		fell = rc > 0 && prev_ok[i] && prev[i] - v[i] > rc;
		if (!below && !fell)
			continue;
		snprintf(prefix, sizeof(prefix), "%s %s:", in->name,
		    in->scores[i].id);
		if ((e = store_alert_pending(s, client, "alliance-drop", prefix,
		    &pending)) != SB_OK)
			return e;
		if (pending)
			continue;
		if (fell)
			snprintf(detail, sizeof(detail), "%s %g, down %g since "
			    "last time (%g); a fall of more than %.1f is "
			    "reliable (SD of the first scores of %zu completed "
			    "episodes of the practice, reliability %.2f)%s",
			    prefix, v[i], prev[i] - v[i], prev[i], rc, sp.n[k],
			    ALLIANCE_RELIABILITY, below ? "; below the client's "
			    "first reading too" : "");
		else
			snprintf(detail, sizeof(detail), "%s %g, below the "
			    "client's first reading (%g)", prefix, v[i],
			    first[i]);
		if ((e = store_alert_add(s, client, admin, "alliance-drop",
		    "medium", detail, &id)) != SB_OK)
			return e;
		(*n)++;
	}
	return SB_OK;
}

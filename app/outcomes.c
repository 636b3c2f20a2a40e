/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes.c - gathering the practice's outcomes.  See outcomes.h.
 *
 * The unit is an episode of care: a client's first and last score of a
 * measure dated within one episode (by calendar day, as the expected
 * path reads them), so that a returning client's first episode is never
 * compared with their second.  A client with no episode recorded has
 * all their administrations in one span; a client with episodes has
 * those dated outside every episode left out of the outcomes.  Only the
 * client's own answers (respondent self) count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/clients.h"
#include "app/outcomes.h"
#include "app/record.h"
#include "core/score.h"
#include "core/text.h"

/* Per episode and instrument of the current client: the first and the
 * last scores. */
struct span {
	int64_t			 episode;	/* 0: no episode recorded */
	const struct instrument	*in;
	double			 first[INSTR_MAX_SCORES], last[INSTR_MAX_SCORES];
	bool			 fok[INSTR_MAX_SCORES], lok[INSTR_MAX_SCORES];
	size_t			 n;
};

struct gather {
	const struct registry	*reg;
	struct outcomes		*o;
	const struct client_names *clients;
	struct score_plan	*plans[REGISTRY_MAX];
	const struct instrument	*planned[REGISTRY_MAX];
	size_t			 nplans;
	int64_t			 client;
	char			 owner[72];
	struct span		*s;		/* the client's spans, owned */
	size_t			 ns, cap;
	const struct store_episode *ep;		/* every episode, by client */
	size_t			 nep, at;	/* at: the client's first */
};

/* The client's spans into the outcomes. */
static SB_MUST enum sb_err
flush(struct gather *g)
{
	size_t		 i, k;
	enum sb_err	 e = SB_OK;

	for (i = 0; i < g->ns && e == SB_OK; i++) {
		const struct span *sp = &g->s[i];

		for (k = 0; k < sp->in->nscores && e == SB_OK; k++) {
			if (sp->in->scores[k].direction == DIRECTION_NONE)
				continue;
			if (sp->n < 2)
				e = outcomes_one_score(g->o, sp->in, k,
				    g->owner);
			else if (sp->fok[k] && sp->lok[k])
				e = outcomes_add(g->o, sp->in, k, g->owner,
				    sp->first[k], sp->last[k]);
			else	/* counted and said, never dropped silently */
				e = outcomes_left_out(g->o, sp->in, k,
				    g->owner);
		}
	}
	g->ns = 0;
	return e;
}

static struct score_plan *
plan_of(struct gather *g, const struct instrument *in)
{
	size_t	 i;

	for (i = 0; i < g->nplans; i++)
		if (g->planned[i] == in)
			return g->plans[i];
	if (g->nplans == REGISTRY_MAX || score_plan_new(in, 0, 0,
	    &g->plans[g->nplans]) != SB_OK)
		return NULL;
	g->planned[g->nplans] = in;
	return g->plans[g->nplans++];
}

/*
 * The episode an administration of the current client falls in: its
 * id, 0 when the client has none recorded, -1 when it has some but the
 * day lies outside them all (or the client's episodes were altered).
 */
static int64_t
episode_of(struct gather *g, const char *completed)
{
	size_t	 i;
	bool	 any = false;

	if (completed == NULL)
		return -1;
	for (i = g->at; i < g->nep && g->ep[i].client == g->client; i++) {
		/* Dates changed outside securebase say nothing true about
		 * which episode a score belongs to. */
		if (g->ep[i].altered)
			return -1;
		any = true;
		if (strncmp(g->ep[i].started, completed, 10) <= 0 &&
		    (g->ep[i].ended[0] == '\0' || strncmp(completed,
		    g->ep[i].ended, 10) <= 0))
			return g->ep[i].id;
	}
	return any ? -1 : 0;
}

static SB_MUST enum sb_err
row(void *arg, const struct store_administration_row *r)
{
	struct gather		*g = arg;
	const struct client_name *c;
	const struct reg_entry	*re = registry_find(g->reg, r->instrument);
	struct score_plan	*p;
	struct span		*sp;
	int16_t			 a[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i;
	int64_t			 episode;
	enum sb_err		 e;

	if (r->client != g->client) {
		if ((e = flush(g)) != SB_OK)
			return e;
		g->client = r->client;
		snprintf(g->owner, sizeof(g->owner), "%s", (c =
		    client_names_find(g->clients, r->client)) != NULL ?
		    c->therapist : "?");
		/* Both lists are ordered by client. */
		while (g->at < g->nep && g->ep[g->at].client < r->client)
			g->at++;
	}
	if (r->respondent != NULL && strcmp(r->respondent, "self") != 0)
		return SB_OK;	/* someone else's report of the client */
	if ((episode = episode_of(g, r->completed)) < 0)
		return SB_OK;	/* outside the client's episodes */
	if (re == NULL || (p = plan_of(g, re->in)) == NULL ||
	    answers_decode(p, r->answers, a) != SB_OK)
		return SB_OK;	/* not installed, or an older definition */
	score_row(p, a, v, ok);
	for (i = 0; i < g->ns && (g->s[i].in != re->in || g->s[i].episode !=
	    episode); i++)
		;
	if (i == g->ns) {
		if (g->ns == g->cap) {
			/* Grown, not capped: a client with many episodes
			 * and measures loses none of them. */
			size_t	 cap = g->cap ? g->cap * 2 : 16;

			if ((sp = realloc(g->s, cap * sizeof(*sp))) == NULL)
				return SB_ENOMEM;
			g->s = sp;
			g->cap = cap;
		}
		sp = &g->s[g->ns++];
		memset(sp, 0, sizeof(*sp));
		sp->episode = episode;
		sp->in = re->in;
		memcpy(sp->first, v, sizeof(v));
		memcpy(sp->fok, ok, sizeof(ok));
	} else
		sp = &g->s[i];
	memcpy(sp->last, v, sizeof(v));
	memcpy(sp->lok, ok, sizeof(ok));
	sp->n++;
	return SB_OK;
}

struct episodes {
	struct store_episode	*v;
	size_t			 n, cap;
};

static SB_MUST enum sb_err
episode_seen(void *arg, const struct store_episode *ep)
{
	struct episodes		*l = arg;
	struct store_episode	*q;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((q = realloc(l->v, l->cap * sizeof(*q))) == NULL)
			return SB_ENOMEM;
		l->v = q;
	}
	l->v[l->n++] = *ep;
	return SB_OK;
}

enum sb_err
outcomes_collect(struct store *s, const struct registry *reg,
    struct outcomes *o)
{
	struct gather		 g;
	struct client_names	 clients;
	struct episodes		 eps;
	size_t			 i;
	enum sb_err		 e;

	memset(&g, 0, sizeof(g));
	memset(&eps, 0, sizeof(eps));
	memset(&clients, 0, sizeof(clients));
	g.reg = reg;
	g.o = o;
	if ((e = store_episodes_each(s, episode_seen, &eps,
	    &o->altered)) != SB_OK)
		goto out;
	g.ep = eps.v;
	g.nep = eps.n;
	if ((e = client_names_load(s, &clients)) == SB_OK) {
		g.clients = &clients;
		if ((e = store_administration_each(s, NULL, 0, row, &g)) ==
		    SB_OK)
			e = flush(&g);
	}
out:
	for (i = 0; i < g.nplans; i++)
		score_plan_free(g.plans[i]);
	client_names_free(&clients);
	free(eps.v);
	free(g.s);
	return e;
}

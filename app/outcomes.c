/*
 * outcomes.c - gathering the practice's outcomes.  See outcomes.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/clients.h"
#include "app/outcomes.h"
#include "app/record.h"
#include "core/score.h"
#include "core/text.h"

/* Per instrument of the current client: the first and the last scores. */
struct span {
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
	struct span		 s[REGISTRY_MAX];
	size_t			 ns;
};

/* The client's spans into the outcomes. */
static enum sb_err
flush(struct gather *g)
{
	size_t		 i, k;
	enum sb_err	 e = SB_OK;

	for (i = 0; i < g->ns && e == SB_OK; i++) {
		const struct span *sp = &g->s[i];

		if (sp->n < 2)
			continue;
		for (k = 0; k < sp->in->nscores && e == SB_OK; k++) {
			if (sp->in->scores[k].direction == DIRECTION_NONE)
				continue;
			if (sp->fok[k] && sp->lok[k])
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

static enum sb_err
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
	enum sb_err		 e;

	if (r->client != g->client) {
		if ((e = flush(g)) != SB_OK)
			return e;
		g->client = r->client;
		snprintf(g->owner, sizeof(g->owner), "%s", (c =
		    client_names_find(g->clients, r->client)) != NULL ?
		    c->therapist : "?");
	}
	if (re == NULL || (p = plan_of(g, re->in)) == NULL ||
	    answers_decode(p, r->answers, a) != SB_OK)
		return SB_OK;	/* not installed, or an older definition */
	score_row(p, a, v, ok);
	for (i = 0; i < g->ns && g->s[i].in != re->in; i++)
		;
	if (i == g->ns) {
		if (g->ns == REGISTRY_MAX)
			return SB_OK;
		sp = &g->s[g->ns++];
		memset(sp, 0, sizeof(*sp));
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

enum sb_err
outcomes_collect(struct store *s, const struct registry *reg,
    struct outcomes *o)
{
	struct gather		 g;
	struct client_names	 clients;
	size_t			 i;
	enum sb_err		 e;

	memset(&g, 0, sizeof(g));
	g.reg = reg;
	g.o = o;
	if ((e = client_names_load(s, &clients)) == SB_OK) {
		g.clients = &clients;
		if ((e = store_administration_each(s, NULL, 0, row, &g)) ==
		    SB_OK)
			e = flush(&g);
	}
	for (i = 0; i < g.nplans; i++)
		score_plan_free(g.plans[i]);
	client_names_free(&clients);
	return e;
}

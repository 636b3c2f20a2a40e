/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * inbox.c - the therapist's inbox gathered from the store.  See inbox.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/inbox.h"

/* Room for one more of n in *v (cap: its room), doubling. */
static SB_MUST enum sb_err
room(void **v, size_t *cap, size_t n, size_t size)
{
	void	*grown;
	size_t	 c;

	if (n < *cap)
		return SB_OK;
	c = *cap ? *cap * 2 : 16;
	if ((grown = realloc(*v, c * size)) == NULL)
		return SB_ENOMEM;
	*v = grown;
	*cap = c;
	return SB_OK;
}

struct gather {
	struct inbox_view	*v;
	const struct registry	*reg;
};

static SB_MUST enum sb_err
response_kept(void *arg, const struct store_inbox_response *r)
{
	struct gather		*g = arg;
	struct inbox_view	*v = g->v;
	struct inbox_response	*k;
	enum sb_err		 e;

	if ((e = room((void **)&v->resp, &v->rcap, v->nresp,
	    sizeof(*v->resp))) != SB_OK)
		return e;
	k = &v->resp[v->nresp];
	k->id = r->id;
	/* A client no longer readable (a share ended between the reads)
	 * is left out. */
	if ((k->c = client_names_find(&v->cl, r->client)) == NULL)
		return SB_OK;
	k->re = registry_find(g->reg, r->instrument);
	snprintf(k->completed, sizeof(k->completed), "%s", r->completed ?
	    r->completed : "");
	v->nresp++;
	return SB_OK;
}

static SB_MUST enum sb_err
link_kept(void *arg, const struct store_inbox_link *l)
{
	struct gather		*g = arg;
	struct inbox_view	*v = g->v;
	struct inbox_link	*k;
	enum sb_err		 e;

	if ((e = room((void **)&v->links, &v->lcap, v->nlinks,
	    sizeof(*v->links))) != SB_OK)
		return e;
	k = &v->links[v->nlinks];
	if ((k->c = client_names_find(&v->cl, l->client)) == NULL)
		return SB_OK;
	k->id = l->id;
	k->re = registry_find(g->reg, l->instrument);
	k->created = l->created;
	k->expires = l->expires;
	k->opened = l->opened;
	k->started = l->started;
	k->reminded = l->reminded;
	v->nlinks++;
	return SB_OK;
}

static SB_MUST enum sb_err
alert_kept(void *arg, const struct store_alert *a)
{
	struct gather		*g = arg;
	struct inbox_view	*v = g->v;
	struct inbox_alert	*k;
	enum sb_err		 e;

	if ((e = room((void **)&v->alerts, &v->acap, v->nalerts,
	    sizeof(*v->alerts))) != SB_OK)
		return e;
	k = &v->alerts[v->nalerts];
	if ((k->c = client_names_find(&v->cl, a->client)) == NULL)
		return SB_OK;
	snprintf(k->rule, sizeof(k->rule), "%s", a->rule);
	snprintf(k->severity, sizeof(k->severity), "%s", a->severity);
	snprintf(k->state, sizeof(k->state), "%s", a->state);
	snprintf(k->created, sizeof(k->created), "%s", a->created);
	v->nalerts++;
	return SB_OK;
}

enum sb_err
inbox_view_build(struct store *s, const struct registry *reg, int64_t now,
    struct inbox_view *v)
{
	struct gather	 g = { v, reg };
	size_t		*none = NULL;
	enum sb_err	 e;

	memset(v, 0, sizeof(*v));
	v->now = now;
	if ((e = client_names_load(s, &v->cl)) != SB_OK ||
	    (e = store_inbox_responses(s, response_kept, &g)) != SB_OK ||
	    (e = store_inbox_links(s, now, link_kept, &g)) != SB_OK ||
	    (e = store_alert_open_each(s, alert_kept, &g)) != SB_OK)
		return e;
	/* The caseload's due list, with its rows unused: no alert counts
	 * are needed for it. */
	if ((none = calloc(v->cl.n + 1, sizeof(*none))) == NULL)
		return SB_ENOMEM;
	e = caseload_view_build(s, reg, &v->cl, none, "", BY_NAME, now,
	    &v->cv);
	v->cv_built = true;
	free(none);
	return e;
}

void
inbox_view_free(struct inbox_view *v)
{
	free(v->resp);
	free(v->links);
	free(v->alerts);
	if (v->cv_built)
		caseload_view_free(&v->cv);
	client_names_free(&v->cl);
	memset(v, 0, sizeof(*v));
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clients.c - the readable clients in memory.  See clients.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/clients.h"
#include "core/buf.h"

static SB_MUST enum sb_err
keep(void *arg, const struct store_client_row *c)
{
	struct client_names	*l = arg;
	struct client_name	*v;
	size_t			 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 64;
		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return SB_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	v = &l->v[l->n];
	v->id = c->id;
	v->name = strdup(c->name);
	v->therapist = strdup(c->therapist ? c->therapist : "");
	if (v->name == NULL || v->therapist == NULL) {
		free(v->name);
		free(v->therapist);
		return SB_ENOMEM;
	}
	l->n++;
	return SB_OK;
}

enum sb_err
client_names_load(struct store *s, struct client_names *l)
{
	memset(l, 0, sizeof(*l));
	return store_client_each(s, keep, l);
}

const struct client_name *
client_names_find(const struct client_names *l, int64_t id)
{
	size_t	 lo = 0, hi = l->n, mid;

	/* store_client_each() gives them by id. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].id == id)
			return &l->v[mid];
		if (l->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
client_names_free(struct client_names *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		mem_wipe(l->v[i].name, strlen(l->v[i].name));
		free(l->v[i].name);
		free(l->v[i].therapist);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * admin_view.c - what the administration page shows of the practice, in
 * one read.  See admin_view.h.
 */
#include <stdlib.h>
#include <string.h>

#include "app/admin_view.h"

/* The most users listed (a practice has a few; a network some hundreds). */
#define USERS_MAX	100000

static SB_MUST enum sb_err
user_kept(void *arg, const struct store_user_row *u)
{
	struct admin_view	*v = arg;
	struct admin_user	*grown;

	if (v->nusers == USERS_MAX)
		return SB_ELIMIT;
	if ((grown = realloc(v->users, (v->nusers + 1) * sizeof(*grown))) ==
	    NULL)
		return SB_ENOMEM;
	v->users = grown;
	if ((grown[v->nusers].name = strdup(u->name)) == NULL)
		return SB_ENOMEM;
	grown[v->nusers].role = u->role;
	grown[v->nusers].active = u->active;
	v->nusers++;
	return SB_OK;
}

/* A permission recorded on this page: that instrument permitted. */
static void
permit_seen(void *arg, const char *instrument, const char *text)
{
	struct admin_view	*v = arg;
	const struct reg_entry	*re = registry_find(v->reg, instrument);

	(void)text;
	if (re != NULL && re->in->licence != LICENCE_FREE && !(re->enabled &&
	    re->permission))
		v->licence[re - v->reg->v] = ADMIN_PERMITTED;
}

enum sb_err
admin_view_build(struct store *s, const struct registry *reg,
    struct admin_view *v)
{
	const struct reg_entry	*re;
	enum sb_err		 e;
	size_t			 i;

	memset(v, 0, sizeof(*v));
	v->reg = reg;
	if ((e = store_user_each(s, user_kept, v)) != SB_OK)
		return e;
	for (i = 0; i < reg->n && i < REGISTRY_MAX; i++) {
		re = &reg->v[i];
		v->licence[i] = re->in->licence == LICENCE_FREE ? ADMIN_FREE :
		    re->enabled && re->permission ? ADMIN_RECORDED :
		    re->enabled ? ADMIN_PERMITTED : ADMIN_DISABLED;
	}
	/* Unread, they stay as serve started: not permitted. */
	(void)!store_permission_each(s, permit_seen, v);
	v->audit_read = audit_verify(s, &v->audit) == SB_OK;
	v->rows_read = rows_verify(s, &v->rows) == SB_OK;
	return SB_OK;
}

void
admin_view_free(struct admin_view *v)
{
	size_t	 i;

	for (i = 0; i < v->nusers; i++)
		free(v->users[i].name);
	free(v->users);
	v->users = NULL;
	v->nusers = 0;
}

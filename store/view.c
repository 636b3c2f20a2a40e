/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * view.c - page views and the group commit of their audit rows.  See
 * "page views" in store.h for why.
 *
 * The group has no thread of its own: the first page to find no commit
 * running becomes the leader, takes every row queued so far, writes them
 * in one transaction on the group's connection and wakes the pages it
 * wrote for.  Pages that arrive meanwhile queue for the next leader, so
 * a busy server writes many pages' rows per fsync and an idle one
 * writes each page's rows at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

struct waiter {
	struct store	*s;		/* its view rows */
	bool		 done;
	enum sb_err	 result;
	struct waiter	*next;
};

struct audit_group {
	struct store	*s;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	bool		 leading;	/* a commit is being written */
	struct waiter	*queue;		/* newest first */
};

static SB_MUST enum sb_err
exec_cached(struct store *s, const char *sql, const char *what)
{
	struct stmt	*st;

	if ((st = stmt(s, sql)) == NULL || st_step(st) != BE_DONE) {
		if (st != NULL)
			st_reset(st);
		return fail_db(s, what);
	}
	st_reset(st);
	return SB_OK;
}

enum sb_err
store_view_begin(struct store *s)
{
	enum sb_err	 e;

	if (s->depth != 0)
		return fail(s, SB_EINVAL, "a page view inside a transaction");
	if ((e = exec_cached(s, s->be->sql->begin_read,
	    "starting a view")) != SB_OK)
		return e;
	s->viewing = true;
	s->nview = 0;
	s->depth = 1;
	s->acc_client = 0;
	/* Not PRAGMA query_only: setting it expires every prepared
	 * statement of the connection, so each page would prepare all its
	 * statements again.  A write is caught at the end instead. */
	s->view_changes = s->be->drv->total_changes(s->conn);
	return SB_OK;
}

/* Writes the rows of every waiter in list, in one transaction. */
static SB_MUST enum sb_err
write_rows(struct store *g, struct waiter *list)
{
	struct waiter		*w;
	const struct view_row	*v;
	size_t			 i;
	enum sb_err		 e;

	if ((e = txn_begin(g)) != SB_OK)
		return e;
	for (w = list; w != NULL && e == SB_OK; w = w->next)
		for (i = 0; i < w->s->nview && e == SB_OK; i++) {
			v = &w->s->view[i];
			e = audit_append_as(g, v->user, v->action, v->entity,
			    v->id, v->detail);
		}
	return txn_end(g, e);
}

/* Oldest first, so the trail keeps the order the pages arrived in. */
static struct waiter *
reversed(struct waiter *w)
{
	struct waiter	*out = NULL, *next;

	for (; w != NULL; w = next) {
		next = w->next;
		w->next = out;
		out = w;
	}
	return out;
}

static SB_MUST enum sb_err
group_write(struct audit_group *g, struct store *s)
{
	struct waiter	 me = { s, false, SB_OK, NULL };
	struct waiter	*list, *w;
	enum sb_err	 e;

	pthread_mutex_lock(&g->lock);
	me.next = g->queue;
	g->queue = &me;
	while (!me.done) {
		if (g->leading) {
			pthread_cond_wait(&g->wake, &g->lock);
			continue;
		}
		g->leading = true;
		list = reversed(g->queue);
		g->queue = NULL;
		pthread_mutex_unlock(&g->lock);
		e = write_rows(g->s, list);
		pthread_mutex_lock(&g->lock);
		for (w = list; w != NULL; w = w->next) {
			if (e != SB_OK)
				snprintf(w->s->err, sizeof(w->s->err),
				    "the audit trail could not be written: %.400s",
				    g->s->err);
			w->result = e;
			w->done = true;
		}
		g->leading = false;
		pthread_cond_broadcast(&g->wake);
	}
	pthread_mutex_unlock(&g->lock);
	return me.result;
}

enum sb_err
store_view_end(struct store *s, struct audit_group *g)
{
	enum sb_err	 e = SB_OK;

	if (!s->viewing)
		return fail(s, SB_EINVAL, "no page view to end");
	/* A write inside a view would escape the audit order: undone. */
	if (s->be->drv->total_changes(s->conn) != s->view_changes)
		e = fail(s, SB_EINVAL, "a page view tried to write; undone");
	if (e != SB_OK || exec_cached(s, "COMMIT", "ending a view") != SB_OK) {
		(void)db_exec(s, "ROLLBACK");
		if (e == SB_OK)
			e = SB_EIO;
	}
	s->viewing = false;
	s->depth = 0;
	s->acc_client = 0;
	if (e == SB_OK && s->nview > 0) {
		struct waiter	 me = { s, false, SB_OK, NULL };

		/* Without a group (one process, the command line) the
		 * rows are written on this connection. */
		e = g != NULL ? group_write(g, s) : write_rows(s, &me);
	}
	s->nview = 0;
	return e;
}

enum sb_err
audit_group_open(const char *path, const struct store_key *key,
    struct audit_group **out, char *err, size_t errsz)
{
	struct audit_group	*g;
	enum sb_err		 e;

	*out = NULL;
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return SB_ENOMEM;
	if ((e = store_open(path, key, &g->s, err, errsz)) != SB_OK) {
		free(g);
		return e;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	*out = g;
	return SB_OK;
}

void
audit_group_close(struct audit_group *g)
{
	if (g == NULL)
		return;
	store_close(g->s);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g);
}

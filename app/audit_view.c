/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit_view.c - the audit trail searched.  See audit_view.h.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit_view.h"
#include "core/text.h"

/* A day of the calendar (YYYY-MM-DD) from the practice's midnight, as a
 * stored (UTC) time; next: the midnight after it. */
static bool
day_start(const char *d, bool next, char out[24])
{
	int64_t		 t;
	struct tm	 tm;
	time_t		 tt;

	if (d == NULL || strlen(d) != 10 || !text_iso_seconds(d, &t))
		return false;
	tt = (time_t)t;
	gmtime_r(&tt, &tm);	/* the day's fields */
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += next;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1)
		return false;
	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return true;
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static SB_MUST enum sb_err
keep_row(void *arg, const struct audit_row *a)
{
	struct audit_view	*v = arg;
	struct audit_view_row	*r;

	if (v->n == AUDIT_PAGE)
		return SB_OK;
	r = &v->rows[v->n++];
	r->seq = a->seq;
	r->entity_id = a->entity_id;
	v->last = a->seq;
	if ((r->at = dup_or_empty(a->at)) == NULL ||
	    (r->user = dup_or_empty(a->user)) == NULL ||
	    (r->action = dup_or_empty(a->action)) == NULL ||
	    (r->entity = dup_or_empty(a->entity)) == NULL ||
	    (r->detail = dup_or_empty(a->detail)) == NULL)
		return SB_ENOMEM;
	return SB_OK;
}

enum sb_err
audit_view_build(struct store *s, const struct audit_filter *f, int64_t now,
    struct audit_view *v)
{
	struct audit_query	 q;
	char			 since[24], until[24];
	long			 n = 0;

	memset(v, 0, sizeof(*v));
	v->f = *f;
	v->now = now;
	memset(&q, 0, sizeof(q));
	q.limit = AUDIT_PAGE;
	q.user = f->user;
	q.action = f->action;
	if (f->client != NULL) {
		if (!text_int(f->client, strlen(f->client), &n) || n < 1)
			v->why = "The client is given by their number, as in "
			    "the address of their page (/clients/12).";
		q.client = n;
	}
	if (f->from != NULL && !day_start(f->from, false, since))
		v->why = "\u201cFrom\u201d is not a day of the calendar.";
	else if (f->from != NULL)
		q.since = since;
	if (f->to != NULL && !day_start(f->to, true, until))
		v->why = "\u201cTo\u201d is not a day of the calendar.";
	else if (f->to != NULL)
		q.until = until;
	if (f->before != NULL && (!text_int(f->before, strlen(f->before), &n) ||
	    n < 1))
		v->why = "That page of the audit trail does not exist.";
	else if (f->before != NULL)
		q.before = n;
	if (v->why != NULL)
		return SB_OK;
	if ((v->rows = calloc(AUDIT_PAGE, sizeof(*v->rows))) == NULL)
		return SB_ENOMEM;
	return audit_find_each(s, &q, keep_row, v);
}

void
audit_view_free(struct audit_view *v)
{
	size_t	 i;

	for (i = 0; v->rows != NULL && i < v->n; i++) {
		free(v->rows[i].at);
		free(v->rows[i].user);
		free(v->rows[i].action);
		free(v->rows[i].entity);
		free(v->rows[i].detail);
	}
	free(v->rows);
	memset(v, 0, sizeof(*v));
}

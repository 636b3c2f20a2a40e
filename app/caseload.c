/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * caseload.c - the caseload's view gathered from the store.  See
 * caseload.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/caseload.h"
#include "core/answers.h"

/* The walk over the store's latest scores. */
struct walk {
	struct caseload_view	*v;
	const struct registry	*reg;
	/* One score plan per instrument for the whole walk. */
	struct score_plan	*plans[REGISTRY_MAX];
};

/* The first score of answers under plan p; false when not scorable. */
static bool
first_score(struct score_plan *p, const char *answers, double *out)
{
	int16_t	 ans[INSTR_MAX_ITEMS];
	double	 v[INSTR_MAX_SCORES];
	bool	 ok[INSTR_MAX_SCORES];

	if (answers == NULL || answers_decode(p, answers, ans) != SB_OK)
		return false;
	score_row(p, ans, v, ok);
	*out = v[0];
	return ok[0];
}

/*
 * One measure of one client from store_latest_each: its latest score and
 * the one before.  The latest answers not scorable (too many items left
 * out): the measure is not shown rather than an older score as latest.
 */
static SB_MUST enum sb_err
latest_row(void *arg, const struct store_latest *a)
{
	struct walk		*w = arg;
	struct caseload_view	*v = w->v;
	const struct reg_entry	*re = registry_find(w->reg, a->instrument);
	struct caseload_latest	*l, *grown;
	struct score_plan	*p;
	double			 last, prev;
	size_t			 i;

	if (re == NULL || instr_score_find(re->in, "anxiety") != INSTR_NONE)
		return SB_OK;
	/* Rows come ordered by client: a new client starts a new entry. */
	if (v->nlatest == 0 || v->latest[v->nlatest - 1].client != a->client) {
		if (v->nlatest == v->caplatest) {
			v->caplatest = v->caplatest ? v->caplatest * 2 : 64;
			if ((grown = realloc(v->latest, v->caplatest *
			    sizeof(*grown))) == NULL)
				return SB_ENOMEM;
			v->latest = grown;
		}
		memset(&v->latest[v->nlatest], 0, sizeof(v->latest[0]));
		v->latest[v->nlatest++].client = a->client;
	}
	l = &v->latest[v->nlatest - 1];
	if (a->last.completed != NULL && strcmp(a->last.completed,
	    l->newest) > 0)
		snprintf(l->newest, sizeof(l->newest), "%.23s",
		    a->last.completed);
	i = (size_t)(re - w->reg->v);
	if (w->plans[i] == NULL &&
	    score_plan_new(re->in, 0, 0, &w->plans[i]) != SB_OK)
		return SB_ENOMEM;
	p = w->plans[i];
	if (l->nv == CASELOAD_MEASURES)
		return SB_OK;
	if (!first_score(p, a->last.answers, &last)) {
		int16_t	 ans[INSTR_MAX_ITEMS];

		/* Not scored (a risk item skipped, say): what the answered
		 * items add up to is shown beside it, not hidden. */
		if (a->last.answers != NULL && answers_decode(p,
		    a->last.answers, ans) == SB_OK && score_partial(p, ans, 0,
		    &l->v[l->nv].part)) {
			l->v[l->nv].re = re;
			l->v[l->nv].n = 0;
			l->nv++;
		}
		return SB_OK;
	}
	l->v[l->nv].re = re;
	l->v[l->nv].last = last;
	l->v[l->nv].n = 1;
	if (a->prev.id != 0 && first_score(p, a->prev.answers, &prev)) {
		l->v[l->nv].prev = prev;
		l->v[l->nv].n = 2;
	}
	l->nv++;
	return SB_OK;
}

/* The clients with a plan in force, and their open sends. */
struct planned {
	int64_t		*client;
	int		*open, *overdue;
	size_t		 n, cap;
};

static SB_MUST enum sb_err
planned_add(void *arg, int64_t client, int open, int overdue)
{
	struct planned	*p = arg;
	size_t		 cap = p->cap ? p->cap * 2 : 64;
	void		*a, *b, *c;

	if (p->n == p->cap) {
		a = realloc(p->client, cap * sizeof(*p->client));
		b = a ? realloc(p->open, cap * sizeof(*p->open)) : NULL;
		c = b ? realloc(p->overdue, cap * sizeof(*p->overdue)) : NULL;
		if (a != NULL)
			p->client = a;
		if (b != NULL)
			p->open = b;
		if (c == NULL)
			return SB_ENOMEM;
		p->overdue = c;
		p->cap = cap;
	}
	p->client[p->n] = client;
	p->open[p->n] = open;
	p->overdue[p->n++] = overdue;
	return SB_OK;
}

/*
 * Measures due.  A client with a plan: the sends not yet answered, and
 * how many are past their reminder.  A client without one: none answered
 * in CASELOAD_DUE_DAYS, or never.  Worked out from the data at each view.
 * A failed read of the plans is not an error of the view: the page says
 * the plans could not be read (plans_read).
 */
static SB_MUST enum sb_err
due_list(struct store *s, const struct client_names *cl,
    struct caseload_view *v)
{
	struct planned	 p = { NULL, NULL, NULL, 0, 0 };
	char		 cutoff[24];
	time_t		 t = (time_t)v->now - (time_t)CASELOAD_DUE_DAYS * 86400;
	struct tm	 tm;
	size_t		 i, k;
	bool		 due, planned;
	enum sb_err	 e = SB_OK;

	gmtime_r(&t, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_sends_open_each(s, v->now, planned_add, &p) != SB_OK)
		goto out;
	v->plans_read = true;
	if ((v->due = calloc(cl->n + 1, sizeof(*v->due))) == NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	for (k = 0; k < cl->n; k++) {
		planned = false;
		for (i = 0; i < p.n && !planned; i++)
			planned = p.client[i] == cl->v[k].id;
		if (planned) {
			i--;
			if (p.open[i] == 0)
				continue;
			v->due[v->ndue].open = p.open[i];
			v->due[v->ndue].reminded = p.overdue[i] > 0;
		} else {
			due = true;
			for (i = 0; i < v->nlatest; i++)
				if (v->latest[i].client == cl->v[k].id)
					due = strcmp(v->latest[i].newest,
					    cutoff) < 0;
			if (!due)
				continue;
		}
		v->due[v->ndue].planned = planned;
		v->due[v->ndue++].c = &cl->v[k];
	}
out:
	free(p.client);
	free(p.open);
	free(p.overdue);
	return e;
}

static int
row_cmp(const struct caseload_row *a, const struct caseload_row *b,
    enum caseload_order o)
{
	const char	*na = a->l ? a->l->newest : "", *nb = b->l ?
	    b->l->newest : "";
	int		 c;

	if (o == BY_ALERTS && a->alerts != b->alerts)
		return a->alerts > b->alerts ? -1 : 1;
	if (o == BY_RECENT && (c = strcmp(nb, na)) != 0)
		return c;
	if ((c = strcasecmp(a->c->name, b->c->name)) != 0)
		return c;
	return a->c->id < b->c->id ? -1 : a->c->id > b->c->id;
}

/* A stable merge sort of the rows (qsort has no context to carry the
 * order, and is not stable). */
static void
rows_sort(struct caseload_row *v, struct caseload_row *tmp, size_t n,
    enum caseload_order o)
{
	size_t	 w, i, lo, mid, hi, a, b;

	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			for (a = lo, b = mid, i = lo; i < hi; i++)
				tmp[i] = a < mid && (b >= hi || row_cmp(&v[a],
				    &v[b], o) <= 0) ? v[a++] : v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* Does the name hold q (ASCII letters without regard to case)? */
static bool
name_has(const char *name, const char *q)
{
	size_t	 n = strlen(q), i;

	if (n == 0)
		return true;
	for (i = 0; name[i] != '\0'; i++)
		if (strncasecmp(name + i, q, n) == 0)
			return true;
	return false;
}

enum sb_err
caseload_view_build(struct store *s, const struct registry *reg,
    const struct client_names *cl, const size_t *alerts, const char *q,
    enum caseload_order o, int64_t now, struct caseload_view *v)
{
	struct walk		 w;
	struct caseload_row	*tmp = NULL;
	size_t			 i, k;
	enum sb_err		 e;

	memset(v, 0, sizeof(*v));
	memset(&w, 0, sizeof(w));
	v->q = q;
	v->now = now;
	w.v = v;
	w.reg = reg;
	/* Two administrations per measure and client, whatever the
	 * length of the history. */
	if ((e = store_latest_each(s, latest_row, &w)) != SB_OK)
		goto out;
	if ((v->rows = calloc(cl->n + 1, sizeof(*v->rows))) == NULL ||
	    (tmp = calloc(cl->n + 1, sizeof(*tmp))) == NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	/* Rows come ordered by client: one walk pairs them up. */
	for (i = 0, k = 0; i < cl->n; i++) {
		while (k < v->nlatest && v->latest[k].client < cl->v[i].id)
			k++;
		if (!name_has(cl->v[i].name, q))
			continue;
		v->rows[v->nrows].c = &cl->v[i];
		v->rows[v->nrows].l = k < v->nlatest && v->latest[k].client ==
		    cl->v[i].id ? &v->latest[k] : NULL;
		v->rows[v->nrows++].alerts = alerts[i];
	}
	rows_sort(v->rows, tmp, v->nrows, o);
	e = due_list(s, cl, v);
out:
	for (i = 0; i < REGISTRY_MAX; i++)
		score_plan_free(w.plans[i]);
	free(tmp);
	return e;
}

void
caseload_view_free(struct caseload_view *v)
{
	free(v->latest);
	free(v->rows);
	free(v->due);
	memset(v, 0, sizeof(*v));
}

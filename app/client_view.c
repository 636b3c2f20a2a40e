/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * client_view.c - what the client page shows of a client's measures, in
 * one read.  See client_view.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/client_view.h"
#include "app/expected.h"
#include "app/record.h"
#include "core/text.h"

/* The most timeline rows read (as many as a page can show). */
#define TIMELINE_MAX	100000
/* The most answer sets listed item by item (the first ones). */
#define ANSWERS_MAX	16384
/* The most people a client is seen with (the store hands out 16). */
#define OTHERS_MAX	16

/* The series of re in m, added when new; NULL when out of memory. */
static struct client_series *
series_of(struct client_measures *m, const struct reg_entry *re)
{
	struct client_series	*grown, *se;
	size_t			 i, cap;

	for (i = 0; i < m->ns; i++)
		if (m->s[i].re == re)
			return &m->s[i];
	if (m->ns == m->cap) {
		cap = m->cap ? m->cap * 2 : 8;
		if (cap > REGISTRY_MAX || (grown = realloc(m->s, cap *
		    sizeof(*grown))) == NULL)
			return NULL;
		m->s = grown;
		m->cap = cap;
	}
	se = &m->s[m->ns];
	memset(se, 0, sizeof(*se));
	/* The points and their dates apart from the series, which moves
	 * when the array grows: the points keep pointing at their dates. */
	if ((se->pts = calloc(re->in->nscores, sizeof(*se->pts))) == NULL ||
	    (se->dates = calloc(CLIENT_POINTS, sizeof(*se->dates))) == NULL ||
	    score_plan_new(re->in, 0, 0, &se->plan) != SB_OK) {
		free(se->pts);
		free(se->dates);
		return NULL;
	}
	se->re = re;
	m->ns++;
	return se;
}

static void
measures_free(struct client_measures *m)
{
	size_t	 i;

	for (i = 0; i < m->ns; i++) {
		score_plan_free(m->s[i].plan);
		free(m->s[i].pts);
		free(m->s[i].dates);
	}
	free(m->s);
	memset(m, 0, sizeof(*m));
}

/* A set of answers kept for the item-by-item list. */
static SB_MUST enum sb_err
answers_keep(struct client_view *v, const struct reg_entry *re,
    const char *date, const int16_t *ans)
{
	struct client_answers	*grown, *a;
	size_t			 cap;

	if (v->nanswers == ANSWERS_MAX)
		return SB_OK;
	if (v->nanswers == v->acap) {
		cap = v->acap ? v->acap * 2 : 16;
		if ((grown = realloc(v->answers, cap * sizeof(*grown))) ==
		    NULL)
			return SB_ENOMEM;
		v->answers = grown;
		v->acap = cap;
	}
	a = &v->answers[v->nanswers];
	if ((a->ans = calloc(re->in->nitems, sizeof(*a->ans))) == NULL)
		return SB_ENOMEM;
	memcpy(a->ans, ans, re->in->nitems * sizeof(*ans));
	a->re = re;
	snprintf(a->date, sizeof(a->date), "%.10s", date);
	v->nanswers++;
	return SB_OK;
}

/* Reads administrations into m (and, with v, their answers and dates). */
struct reading {
	const struct registry	*reg;
	struct client_measures	*m;
	struct client_view	*v;	/* NULL: a companion's */
};

static SB_MUST enum sb_err
series_row(void *arg, const struct store_administration_row *a)
{
	struct reading		*rd = arg;
	const struct reg_entry	*re = registry_find(rd->reg, a->instrument);
	const struct instrument	*in;
	struct client_series	*se;
	struct client_view	*v = rd->v;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 val[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	const char		*c = a->completed;
	size_t			 i;

	if (re == NULL)
		return SB_OK;
	if ((se = series_of(rd->m, re)) == NULL)
		return SB_ENOMEM;
	in = re->in;
	if (answers_decode(se->plan, a->answers, ans) != SB_OK)
		return SB_OK;	/* older definition: shown in the record */
	score_row(se->plan, ans, val, ok);
	if (se->n < CLIENT_POINTS) {
		snprintf(se->dates[se->n], sizeof(se->dates[0]), "%.10s",
		    c ? c : "");
		for (i = 0; i < in->nscores; i++) {
			se->pts[i][se->n].date = se->dates[se->n];
			se->pts[i][se->n].value = ok[i] ? val[i] : NAN;
		}
		se->n++;
	}
	memcpy(se->last, val, sizeof(val[0]) * in->nscores);
	memcpy(se->lastok, ok, sizeof(ok[0]) * in->nscores);
	se->lastpart = !ok[0] && score_partial(se->plan, ans, 0, &se->part);
	if (se->lastpart)
		snprintf(se->partdate, sizeof(se->partdate), "%.10s",
		    c ? c : "");
	if (v == NULL)
		return SB_OK;
	if (c != NULL && strcmp(c, v->newest) > 0)
		snprintf(v->newest, sizeof(v->newest), "%.10s", c);
	if (c != NULL && (v->first[0] == '\0' || strncmp(c, v->first, 10) < 0))
		snprintf(v->first, sizeof(v->first), "%.10s", c);
	return answers_keep(v, re, c ? c : "", ans);
}

/* The timeline, and its life events for the charts. */
static SB_MUST enum sb_err
dated_row(void *arg, const struct store_timeline_row *t)
{
	struct client_view	*v = arg;
	struct client_dated	*grown, *d;
	struct chart_event	*e;
	size_t			 cap;

	if ((unsigned)t->kind > STORE_TL_EVENT)
		return SB_OK;
	if (v->ntl == v->tlcap) {
		cap = v->tlcap ? v->tlcap * 2 : 64;
		if (cap > TIMELINE_MAX || (grown = realloc(v->tl, cap *
		    sizeof(*grown))) == NULL)
			return SB_ENOMEM;
		v->tl = grown;
		v->tlcap = cap;
	}
	d = &v->tl[v->ntl];
	if ((d->what = strdup(t->what)) == NULL)
		return SB_ENOMEM;
	snprintf(d->date, sizeof(d->date), "%s", t->date);
	d->kind = t->kind;
	d->valence = t->valence;
	v->ntl++;
	if (t->kind != STORE_TL_EVENT || v->nev >= CLIENT_EVENTS)
		return SB_OK;
	if (v->ev == NULL && (v->ev = calloc(CLIENT_EVENTS,
	    sizeof(*v->ev))) == NULL)
		return SB_ENOMEM;
	e = &v->ev[v->nev++];
	snprintf(e->date, sizeof(e->date), "%s", t->date);
	snprintf(e->label, sizeof(e->label), "%s", t->what);
	return SB_OK;
}

/* The expected band at each point of the first score, what shaped the
 * latest one, and whether the latest reading completes the alert rule;
 * nothing drawn when the path cannot be read. */
static void
expected_of(struct store *s, int64_t client, struct client_series *se,
    bool *ok)
{
	struct expected_view	 ev;
	struct expected_band	 b, last;
	struct chart_point	 p[CLIENT_POINTS];
	int64_t			 t;
	size_t			 i, n;

	n = client_points(se->pts[0], se->n, p);
	if (n == 0 || !expected_measure(se->re->in->id))
		return;
	if (expected_load(s, se->plan, client, &ev) == SB_OK) {
		se->intake_t = ev.intake_t;
		for (i = 0; i < n; i++) {
			if (!text_iso_seconds(p[i].date, &t))
				continue;
			/* The chart's points are dated by day: the intake's
			 * day is the intake. */
			if (t < ev.intake_t && t > ev.intake_t - 86400)
				t = ev.intake_t;
			if (expected_at(&ev, t, &b)) {
				se->band[i].ok = se->drawn = true;
				se->band[i].lo = b.lo;
				se->band[i].mid = b.mid;
				se->band[i].hi = b.hi;
				last = b;
			}
		}
		if (se->drawn)
			expected_shaped(&ev, &last, se->shaped,
			    sizeof(se->shaped));
		else if (!ev.intake_known)
			snprintf(se->shaped, sizeof(se->shaped), "it starts at "
			    "a first score within an open episode of care");
		else
			snprintf(se->shaped, sizeof(se->shaped), "this measure "
			    "has no published course, and fewer than %d of the "
			    "practice's completed episodes started within %.1f "
			    "points of the client's first score (%zu completed "
			    "episodes in all)", EXPECTED_OWN_ONLY, ev.reach,
			    ev.episodes);
		se->off = expected_alarm_now(&ev, &b);
	} else
		*ok = false;
	expected_view_free(&ev);
}

/* Those the client is seen with, each with their ECR-RS. */
struct others {
	struct store		*s;
	const struct registry	*reg;
	struct client_view	*v;
};

static SB_MUST enum sb_err
other_row(void *arg, int64_t other, const char *name, const char *kind)
{
	struct others		*o = arg;
	struct client_view	*v = o->v;
	struct client_other	*grown, *c;
	struct reading		 rd;
	enum sb_err		 e;

	if (v->nothers == OTHERS_MAX || (grown = realloc(v->others,
	    (v->nothers + 1) * sizeof(*grown))) == NULL)
		return SB_ENOMEM;
	v->others = grown;
	c = &v->others[v->nothers];
	memset(c, 0, sizeof(*c));
	rd = (struct reading){ o->reg, &c->m, NULL };
	if ((e = store_administration_each(o->s, "ecr-rs", other, series_row,
	    &rd)) != SB_OK || (c->name = strdup(name)) == NULL) {
		measures_free(&c->m);
		return e != SB_OK ? e : SB_ENOMEM;
	}
	c->couple = strcmp(kind, "couple") == 0;
	v->nothers++;
	return SB_OK;
}

enum sb_err
client_view_build(struct store *s, const struct registry *reg,
    int64_t client, int64_t now, struct client_view *v)
{
	struct reading	 rd;
	struct others	 o = { s, reg, v };
	enum sb_err	 e;
	size_t		 i;

	memset(v, 0, sizeof(*v));
	v->client = client;
	v->now = now;
	v->conv = record_convention(s);
	rd = (struct reading){ reg, &v->m, v };
	if ((e = store_administration_each(s, NULL, client, series_row,
	    &rd)) != SB_OK)
		return e;
	if ((e = store_timeline_each(s, client, dated_row, v)) != SB_OK)
		return e;
	v->expected_ok = true;
	for (i = 0; i < v->m.ns; i++)
		expected_of(s, client, &v->m.s[i], &v->expected_ok);
	v->others_ok = store_case_others_each(s, client, other_row, &o) ==
	    SB_OK;
	return SB_OK;
}

void
client_view_free(struct client_view *v)
{
	size_t	 i;

	measures_free(&v->m);
	for (i = 0; i < v->nanswers; i++)
		free(v->answers[i].ans);
	free(v->answers);
	for (i = 0; i < v->ntl; i++)
		free(v->tl[i].what);
	free(v->tl);
	free(v->ev);
	for (i = 0; i < v->nothers; i++) {
		free(v->others[i].name);
		measures_free(&v->others[i].m);
	}
	free(v->others);
	memset(v, 0, sizeof(*v));
}

const struct client_series *
client_series_find(const struct client_measures *m, const char *id)
{
	size_t	 i;

	for (i = 0; i < m->ns; i++)
		if (strcmp(m->s[i].re->in->id, id) == 0 && m->s[i].n > 0)
			return &m->s[i];
	return NULL;
}

void
client_counts(const struct client_view *v, int64_t since, size_t *sessions,
    size_t *events)
{
	char		 from[11], recent[11];
	time_t		 t = (time_t)since;
	struct tm	 tm;
	size_t		 i;

	gmtime_r(&t, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	t = (time_t)(v->now - 56 * 86400);
	gmtime_r(&t, &tm);
	strftime(recent, sizeof(recent), "%Y-%m-%d", &tm);
	*sessions = *events = 0;
	for (i = 0; i < v->ntl; i++) {
		const struct client_dated *d = &v->tl[i];

		if (d->kind == STORE_TL_SESSION && strcmp(d->what,
		    "attended") == 0 && strcmp(d->date, from) >= 0)
			(*sessions)++;
		else if (d->kind == STORE_TL_EVENT && strcmp(d->date,
		    recent) >= 0)
			(*events)++;
	}
}

size_t
client_points(const struct chart_point *in, size_t n, struct chart_point *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(in[i].value))
			out[k++] = in[i];
	return k;
}

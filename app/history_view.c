/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_view.c - a client's history as its pictures show it.  See
 * history_view.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/history_view.h"
#include "core/patterns.h"

enum sb_err
lifeline_mark_keep(void *arg, const struct store_mark *s)
{
	struct lifeline_marks	*l = arg;
	struct lifeline_mark	*m;

	/* A date that is not a day would be placed wrongly: left out. */
	if (l->n >= l->max || strlen(s->date) != 10)
		return SB_OK;
	m = &l->v[l->n++];
	snprintf(m->date, sizeof(m->date), "%s", s->date);
	snprintf(m->series, sizeof(m->series), "%s", s->series);
	m->value = s->value;
	return SB_OK;
}

void
lifeline_marks_name(struct lifeline_marks *l, const struct registry *reg)
{
	const struct reg_entry	*re;
	char			 id[64], words[64];
	const char		*key;
	size_t			 i, k;

	for (i = 0; i < l->n; i++) {
		snprintf(id, sizeof(id), "%s", l->v[i].series);
		key = strchr(id, ' ');
		if (key != NULL)
			id[key++ - id] = '\0';
		if ((re = registry_find(reg, id)) == NULL)
			continue;
		k = key != NULL ? instr_score_find(re->in, key) : INSTR_NONE;
		if (key != NULL && k == INSTR_NONE)
			continue;
		if (k != INSTR_NONE)
			snprintf(words, sizeof(words), "%s %s", re->in->name,
			    re->in->scores[k].label);
		else
			snprintf(words, sizeof(words), "%s", re->in->name);
		snprintf(l->v[i].series, sizeof(l->v[i].series), "%s", words);
	}
}

enum sb_err
history_view_build(struct store *s, const struct registry *reg,
    int64_t client, struct history_view *v)
{
	enum sb_err	 e;

	memset(v, 0, sizeof(*v));
	buf_init(&v->facts, 1 << 20);
	if ((e = store_history_read(s, client, &v->h)) != SB_OK)
		return e;
	/* The marks first: the lifeline shows them, map or no map. */
	v->marks.max = MARKS_MAX;
	/* Not zeroed: only the n written are read, and zeroing 350 kB
	 * for every client page was a tenth of its time. */
	v->marks_ok = (v->marks.v = malloc(MARKS_MAX *
	    sizeof(*v->marks.v))) != NULL && store_marks_each(s, client,
	    lifeline_mark_keep, &v->marks) == SB_OK;
	if (!v->marks_ok)
		v->marks.n = 0;	/* the lifeline without the therapy's marks */
	lifeline_marks_name(&v->marks, reg);
	if ((v->layout = genogram_layout(&v->h, &v->g)) != SB_OK)
		return SB_OK;	/* the page says the map could not be drawn */
	v->laid = true;
	v->facts_ok = history_patterns(&v->h, &v->g, &v->facts) == SB_OK;
	return SB_OK;
}

void
history_view_free(struct history_view *v)
{
	if (v->laid)
		genogram_free(&v->g);
	history_free(&v->h);
	buf_wipe(&v->facts);
	free(v->marks.v);
	memset(v, 0, sizeof(*v));
}

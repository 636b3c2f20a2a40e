/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * patterns.c - facts for the patterns panel.  See patterns.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/patterns.h"

/* Figures with ECR-RS scores, highest of one score first. */
static void
ranked(const struct history *h, bool avoidance, struct buf *out)
{
	const struct hist_person	*best[3] = { NULL, NULL, NULL };
	size_t				 i, k, n = 0;

	for (i = 0; i < h->npeople; i++) {
		const struct hist_person *p = &h->people[i];
		double v = avoidance ? p->ecr_avoidance : p->ecr_anxiety;

		if (!p->has_ecr)
			continue;
		for (k = 0; k < 3; k++) {
			if (best[k] == NULL || v > (avoidance ?
			    best[k]->ecr_avoidance : best[k]->ecr_anxiety)) {
				memmove(&best[k + 1], &best[k], (2 - k) *
				    sizeof(best[0]));
				best[k] = p;
				break;
			}
		}
		n++;
	}
	if (n == 0)
		return;
	buf_printf(out, "Highest %s (ECR-RS, 1-7) of the %zu figure%s rated: ",
	    avoidance ? "avoidance" : "anxiety", n, n == 1 ? "" : "s");
	for (k = 0; k < 3 && best[k] != NULL; k++)
		buf_printf(out, "%s%s %.1f", k ? ", " : "", best[k]->name,
		    avoidance ? best[k]->ecr_avoidance : best[k]->ecr_anxiety);
	buf_adds(out, ".\n");
}

static bool
is_loss(const char *c)
{
	return strcmp(c, "loss") == 0 || strcmp(c, "separation") == 0 ||
	    strcmp(c, "divorce") == 0;
}

static void
early_losses(const struct history *h, struct buf *out)
{
	size_t	 i, n = 0;
	double	 age;

	for (i = 0; i < h->nevents; i++) {
		age = history_event_age(h, &h->events[i], false);
		if (!is_loss(h->events[i].category) || age < 0 || age >= 10)
			continue;
		buf_printf(out, "%s%s at age %.0f", n ? ", " : "Losses and "
		    "separations before age 10: ", h->events[i].category, age);
		n++;
	}
	if (n > 0)
		buf_adds(out, ".\n");
	else if (h->nevents > 0)
		buf_adds(out, "No loss or separation is recorded before age "
		    "10.\n");
}

/* Ties of the given types, by the generation of their upper person. */
static void
by_generation(const struct history *h, const struct genogram *g,
    const char *const *types, const char *what, struct buf *out)
{
	int	 gens[64];
	size_t	 i, k, n = 0, ng = 0;

	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];
		const struct hist_person *a = history_person(h, t->a);
		const struct hist_person *b = history_person(h, t->b);
		int row;
		bool match = false;

		for (k = 0; types[k] != NULL; k++)
			if (strcmp(t->type, types[k]) == 0)
				match = true;
		if (!match || a == NULL || b == NULL)
			continue;
		row = g->nodes[a - h->people].row;
		if (g->nodes[b - h->people].row < row)
			row = g->nodes[b - h->people].row;
		buf_printf(out, "%s%s \xE2\x80\x93 %s (generation %d)", n ?
		    ", " : what, a->name, b->name, row + 1);
		for (k = 0; k < ng && gens[k] != row; k++)
			;
		if (k == ng && ng < 64)
			gens[ng++] = row;
		n++;
	}
	if (n == 0)
		return;
	buf_adds(out, ".");
	if (ng > 1)
		buf_printf(out, " They occur in %zu generations.", ng);
	buf_adds(out, "\n");
}

static void
event_counts(const struct history *h, struct buf *out)
{
	size_t	 i, hard = 0, good = 0, repair = 0;

	for (i = 0; i < h->nevents; i++) {
		if (h->events[i].valence < 0)
			hard++;
		else if (h->events[i].valence > 0)
			good++;
		if (strcmp(h->events[i].category, "repair") == 0)
			repair++;
	}
	if (h->nevents > 0)
		buf_printf(out, "%zu life events: %zu hard, %zu good, %zu "
		    "neither; %zu of them repairs or reunions.\n", h->nevents,
		    hard, good, h->nevents - hard - good, repair);
}

enum sb_err
history_patterns(const struct history *h, const struct genogram *g,
    struct buf *out)
{
	static const char *const cutoff[] = { "cut-off", NULL };
	static const char *const hostile[] = { "hostile", "abusive",
	    "conflictual", NULL };
	static const char *const parted[] = { "separated", "divorced", NULL };
	static const char *const repaired[] = { "repaired", NULL };

	if (h->npeople == 0 && h->nevents == 0) {
		buf_adds(out, "No people or life events are recorded yet.\n");
		return out->err;
	}
	{
		size_t i, emo = 0;

		for (i = 0; i < h->nties; i++)
			if (h->ties[i].kind == TIE_EMOTIONAL)
				emo++;
		buf_printf(out, "%zu %s, %zu structural and %zu emotional "
		    "ties, %d generation%s, %zu life event%s.\n", h->npeople,
		    h->npeople == 1 ? "person" : "people", h->nties - emo, emo,
		    g->rows, g->rows == 1 ? "" : "s", h->nevents,
		    h->nevents == 1 ? "" : "s");
	}
	ranked(h, true, out);
	ranked(h, false, out);
	early_losses(h, out);
	by_generation(h, g, cutoff, "Cut-offs: ", out);
	by_generation(h, g, parted, "Couples separated or divorced: ", out);
	by_generation(h, g, hostile, "Conflictual, hostile or abusive ties: ",
	    out);
	by_generation(h, g, repaired, "Repaired ties: ", out);
	event_counts(h, out);
	return out->err;
}

/* ---- comparing two snapshots ---- */

static const char *
name_of(const struct history *h, int64_t id)
{
	const struct hist_person *p = history_person(h, id);

	return p ? p->name : "?";
}

static bool
has_person(const struct history *h, const char *name)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (strcmp(h->people[i].name, name) == 0)
			return true;
	return false;
}

static bool
same_tie(const struct history *ha, const struct hist_tie *a,
    const struct history *hb, const struct hist_tie *b)
{
	const char	*a1 = name_of(ha, a->a), *a2 = name_of(ha, a->b);
	const char	*b1 = name_of(hb, b->a), *b2 = name_of(hb, b->b);

	if (strcmp(a->type, b->type) != 0)
		return false;
	if (strcmp(a1, b1) == 0 && strcmp(a2, b2) == 0)
		return true;
	/* Only a parent tie has a direction. */
	return !history_tie_is_parent(a) && strcmp(a1, b2) == 0 &&
	    strcmp(a2, b1) == 0;
}

static bool
has_tie(const struct history *h, const struct history *ht,
    const struct hist_tie *t)
{
	size_t	 i;

	for (i = 0; i < h->nties; i++)
		if (same_tie(h, &h->ties[i], ht, t))
			return true;
	return false;
}

static bool
same_event(const struct hist_event *a, const struct hist_event *b)
{
	return strcmp(a->category, b->category) == 0 && a->age == b->age &&
	    ((a->date == NULL && b->date == NULL) || (a->date && b->date &&
	    strcmp(a->date, b->date) == 0));
}

static bool
has_event(const struct history *h, const struct hist_event *ev)
{
	size_t	 i;

	for (i = 0; i < h->nevents; i++)
		if (same_event(&h->events[i], ev))
			return true;
	return false;
}

/* The lines for what is in from but not in to, marked sign. */
static void
missing(const struct history *from, const struct history *to, char sign,
    struct buf *out, size_t *n)
{
	size_t	 i;

	for (i = 0; i < from->npeople; i++)
		if (!has_person(to, from->people[i].name)) {
			buf_printf(out, "%c person %s\n", sign,
			    from->people[i].name);
			(*n)++;
		}
	for (i = 0; i < from->nties; i++) {
		const struct hist_tie *t = &from->ties[i];

		if (has_tie(to, from, t))
			continue;
		buf_printf(out, "%c tie %s \xE2\x80\x93 %s (%s)\n", sign,
		    name_of(from, t->a), name_of(from, t->b), t->type);
		(*n)++;
	}
	for (i = 0; i < from->nevents; i++) {
		const struct hist_event *ev = &from->events[i];

		if (has_event(to, ev))
			continue;
		if (ev->date != NULL)
			buf_printf(out, "%c event %s, %s\n", sign, ev->category,
			    ev->date);
		else
			buf_printf(out, "%c event %s, age %d\n", sign,
			    ev->category, ev->age);
		(*n)++;
	}
}

enum sb_err
history_compare(const struct history *a, const struct history *b,
    struct buf *out)
{
	size_t	 n = 0;

	missing(a, b, '-', out, &n);
	missing(b, a, '+', out, &n);
	if (n == 0)
		buf_adds(out, "No change.\n");
	return out->err;
}

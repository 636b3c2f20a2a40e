/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * measure.c - a score in words and colour.  See measure.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render/html.h"
#include "render/measure.h"

/*
 * The tone of a score, from the instrument's own published bands: none
 * in the lowest (the best) band, then low, medium, high as the band
 * climbs towards the worst; NULL without bands or a direction.  Shown
 * with the band's words, never by colour alone (docs/design.md).
 */
const char *
measure_tone(const struct instr_score *sc, double v)
{
	size_t	 k = 0, i;
	double	 f;

	if (sc->nbands < 2 || sc->direction == DIRECTION_NONE || isnan(v))
		return NULL;
	for (i = 0; i < sc->nbands; i++)
		if (v >= sc->bands[i].from)
			k = i;
	if (sc->direction == DIRECTION_HIGHER_BETTER)
		k = sc->nbands - 1 - k;
	f = (double)k / (double)(sc->nbands - 1);
	return f == 0 ? NULL : f < 0.5 ? "low" : f < 0.75 ? "medium" : "high";
}

/*
 * "up from 12" in a badge.  Only a reliable change (under the practice's
 * convention: Jacobson & Truax with the measure's norms, or NHS Talking
 * Therapies' points) is coloured and called better or worse; a
 * smaller move, or one on a measure without norms, is said in neutral
 * words, so a one-point wiggle never looks like a deterioration.  The
 * arrow and the words say it without colour.
 */
void
measure_move(struct buf *b, const struct instr_score *sc, double prev,
    double last, enum change_convention conv)
{
	struct change_result	 cr;
	bool			 known, better = false, worse = false;
	char			 w[96];

	known = change_classify_as(sc, prev, last, conv, &cr) ==
	    SB_OK;
	if (known && cr.reliable) {
		better = cr.cls == CHANGE_IMPROVED ||
		    cr.cls == CHANGE_RECOVERED;
		worse = cr.cls == CHANGE_DETERIORATED;
	}
	HTML_LIT(b, "<span class=\"badge ");
	if (better)
		HTML_LIT(b, "better");
	else
		HTML_PICK(b, worse, "worse", "same");
	HTML_LIT(b, "\">");
	if (last > prev)
		HTML_LIT(b, "&#8593; up from ");
	else if (last < prev)
		HTML_LIT(b, "&#8595; down from ");
	else
		HTML_LIT(b, "&#8594; same as ");
	html_num(b, prev, 1);
	if (better)
		HTML_LIT(b, ", reliably better");
	else if (worse)
		HTML_LIT(b, ", reliably worse");
	else if (known && last != prev) {
		snprintf(w, sizeof(w), "; under %.1f points, no reliable "
		    "change", cr.min_change);
		html_text(b, w);
	}
	HTML_LIT(b, "</span>");
}

void
measure_partial(struct buf *b, const struct score_partial *p)
{
	char	 t[96];

	snprintf(t, sizeof(t), "(%ld on the %zu of %zu items answered)",
	    p->sum, p->answered, p->of);
	HTML_LIT(b, "<span class=\"muted\">");
	html_text(b, t);
	HTML_LIT(b, "</span>");
}

/* An alert's rule in the words a therapist uses (the rule itself when
 * it is none of these). */
const char *
alert_rule_words(const char *rule)
{
	static const struct {
		const char	*rule, *words;
	} w[] = {
		{ "critical-item", "risk item endorsed" },
		{ "risk-item-unanswered", "risk item not answered" },
		{ "reliable-deterioration", "reliable deterioration" },
		{ "alliance-drop", "alliance drop" },
		{ "measure-overdue", "measure overdue" },
		{ "not-on-track", "not on track (expected path)" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(rule, w[i].rule) == 0)
			return w[i].words;
	return rule;
}

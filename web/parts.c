/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * parts.c - pieces several pages draw: a score's tone, words for a
 * move between two scores, the instruments a therapist may send.  See
 * web_int.h.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/record.h"
#include "render/html.h"
#include "web/web_int.h"

/*
 * The tone of a score, from the instrument's own published bands: none
 * in the lowest (the best) band, then low, medium, high as the band
 * climbs towards the worst; NULL without bands or a direction.  Shown
 * with the band's words, never by colour alone (docs/design.md).
 */
const char *
score_tone(const struct instr_score *sc, double v)
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
enum change_convention
req_convention(struct req *r)
{
	if (r->convention < 0)
		r->convention = (int)record_convention(r->s);
	return (enum change_convention)r->convention;
}

void
move_words(struct req *r, const struct instr_score *sc, double prev,
    double last)
{
	struct change_result	 cr;
	bool			 known, better = false, worse = false;
	char			 w[96];

	known = change_classify_as(sc, prev, last, req_convention(r), &cr) ==
	    SB_OK;
	if (known && cr.reliable) {
		better = cr.cls == CHANGE_IMPROVED ||
		    cr.cls == CHANGE_RECOVERED;
		worse = cr.cls == CHANGE_DETERIORATED;
	}
	HTML_LIT(&r->out, "<span class=\"badge ");
	if (better)
		HTML_LIT(&r->out, "better");
	else
		HTML_PICK(&r->out, worse, "worse", "same");
	HTML_LIT(&r->out, "\">");
	if (last > prev)
		HTML_LIT(&r->out, "&#8593; up from ");
	else if (last < prev)
		HTML_LIT(&r->out, "&#8595; down from ");
	else
		HTML_LIT(&r->out, "&#8594; same as ");
	html_num(&r->out, prev, 1);
	if (better)
		HTML_LIT(&r->out, ", reliably better");
	else if (worse)
		HTML_LIT(&r->out, ", reliably worse");
	else if (known && last != prev) {
		snprintf(w, sizeof(w), "; under %.1f points, no reliable "
		    "change", cr.min_change);
		html_text(&r->out, w);
	}
	HTML_LIT(&r->out, "</span>");
}

/*
 * <option>s of a <select> of instruments: those that may be sent
 * (sendable), or those whose licence needs permission.
 */
static void
permit_seen(void *arg, const char *instrument, const char *text)
{
	struct req		*r = arg;
	const struct registry	*reg = r->srv->cfg->reg;
	const struct reg_entry	*re = registry_find(reg, instrument);

	(void)text;
	if (re != NULL)
		r->permitted[re - reg->v] = true;
}

bool
instrument_sendable(struct req *r, const struct reg_entry *re)
{
	const struct registry	*reg = r->srv->cfg->reg;

	if (re->enabled)
		return true;
	if (!r->permits_read) {
		/* A failed read leaves it as serve started: not sendable. */
		(void)!store_permission_each(r->s, permit_seen, r);
		r->permits_read = true;
	}
	return r->permitted[re - reg->v];
}

void
instrument_options(struct req *r, const struct registry *reg, bool sendable)
{
	size_t	 i, pass;
	bool	 first;

	/* Sendable: PHQ-9 first (and so chosen), the measure sent most;
	 * then the rest in the registry's order. */
	for (pass = sendable ? 0 : 1; pass < 2; pass++)
		for (i = 0; i < reg->n; i++) {
			if (sendable ? !instrument_sendable(r, &reg->v[i]) :
			    reg->v[i].in->licence == LICENCE_FREE ||
			    instrument_sendable(r, &reg->v[i]))
				continue;
			first = strcmp(reg->v[i].in->id, "phq9") == 0;
			if (sendable && first != (pass == 0))
				continue;
			HTML_LIT(&r->out, "<option");
			html_attr(&r->out, "value", reg->v[i].in->id);
			HTML_LIT(&r->out, ">");
			html_text(&r->out, reg->v[i].in->name);
			HTML_LIT(&r->out, "</option>");
		}
}

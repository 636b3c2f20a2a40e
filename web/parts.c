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
#include "render/measure.h"
#include "web/web_int.h"

/* render/measure.h's tone (the pages call it by its old name). */
const char *
score_tone(const struct instr_score *sc, double v)
{
	return measure_tone(sc, v);
}

/* The practice's recovery convention, read once a request. */
enum change_convention
req_convention(struct req *r)
{
	if (r->convention < 0)
		r->convention = (int)record_convention(r->s);
	return (enum change_convention)r->convention;
}

/* render/measure.h's move, under the practice's convention. */
void
move_words(struct req *r, const struct instr_score *sc, double prev,
    double last)
{
	measure_move(&r->out, sc, prev, last, req_convention(r));
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

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * measure.h - a score in words and colour, as every page shows one: its
 * tone from the instrument's bands, the move from the score before
 * (coloured only for a reliable change, under the practice's
 * convention), and what the answered items of an unscored one add up
 * to.  Written through render/html.h.
 */
#ifndef SB_RENDER_MEASURE_H
#define SB_RENDER_MEASURE_H

#include "core/buf.h"
#include "core/change.h"
#include "core/instrument.h"
#include "core/score.h"

/* "low", "medium", "high" by the bands (worse is higher), or NULL. */
const char	*measure_tone(const struct instr_score *, double);
/* A badge: up, down or the same from prev, and whether reliably. */
void		 measure_move(struct buf *, const struct instr_score *,
		    double prev, double last, enum change_convention);
/* "(12 on the 8 of 9 items answered)", muted. */
void		 measure_partial(struct buf *, const struct score_partial *);
/* An alert's rule ("critical-item") in words ("risk item endorsed"). */
const char	*alert_rule_words(const char *rule);

#endif

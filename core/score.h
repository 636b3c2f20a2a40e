/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * score.h - the scoring engine: item answers in, scores, bands and flags out.
 *
 * A score plan is compiled once from an instrument (optionally with the
 * response scale overridden, e.g. 1-5 for data collected on a 5-point
 * version) and then applied to any number of answer rows.  Answers are one
 * int16_t per item in the instrument's item order, SCORE_MISSING where the
 * person gave no answer.  Scoring is exact and follows each score's
 * missing-data rule: a score the rule does not allow is marked invalid
 * (null to the user), never guessed.
 *
 * Ownership: score_plan_new() returns a plan the caller frees with
 * score_plan_free(); the plan borrows the instrument, which must outlive it.
 */
#ifndef SB_SCORE_H
#define SB_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "instrument.h"

#define SCORE_MISSING	INT16_MIN

struct score_plan;

/*
 * scale_min/scale_max: when both are not 0, every scored item accepts any
 * whole value in that range and is reversed as (min + max) - value.
 */
enum sb_err	 score_plan_new(const struct instrument *, int scale_min,
		    int scale_max, struct score_plan **) SB_MUST;
void		 score_plan_free(struct score_plan *);
const struct instrument *score_plan_instrument(const struct score_plan *);

/* True when v is an answer this item accepts under the plan. */
bool		 score_answer_ok(const struct score_plan *, size_t item,
		    long v);
/*
 * For hot loops: the accepted answers of an item as a bit mask, bit
 * (v - *lo) set when v is accepted.  False when the range is too wide for
 * a mask; use score_answer_ok() then.
 */
bool		 score_answer_mask(const struct score_plan *, size_t item,
		    int *lo, uint64_t *mask);
/* The lowest and highest accepted answer of an item. */
void		 score_answer_range(const struct score_plan *, size_t item,
		    int *lo, int *hi);

/*
 * Computes every score of the instrument from one row of answers:
 * values[i] and valid[i] for score i (arrays of in->nscores).
 */
void		 score_row(const struct score_plan *, const int16_t *answers,
		    double *values, bool *valid);

/* Number of items answered in the row. */
size_t		 score_answered(const struct score_plan *,
		    const int16_t *answers);

/*
 * Writes the indices of items whose answer reaches their critical value
 * (at most max of them) and returns how many there are.
 */
size_t		 score_critical(const struct score_plan *,
		    const int16_t *answers, size_t *items, size_t max);
/*
 * The same for critical items left blank: a skipped risk question is
 * itself worth a look, whatever the missing-data rule makes of the score.
 */
size_t		 score_unanswered_risk(const struct score_plan *,
		    const int16_t *answers, size_t *items, size_t max);

/*
 * A sum score left unscored by its missing-data rule: the sum of the
 * items that were answered (keyed), and how many of how many.  Shown
 * beside "not scored", never as the score: it is not comparable with
 * the instrument's bands.  False unless the score is a sum of items and
 * some, not all, of them were answered.
 */
struct score_partial {
	long	 sum;
	size_t	 answered, of;
};
bool		 score_partial(const struct score_plan *, const int16_t *,
		    size_t score, struct score_partial *);

/* The value an item contributes to scores (after any reversal). */
int		 score_keyed(const struct score_plan *, size_t item, int v);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * psychometrics.h - reliability analysis of a practice's own data.
 *
 * For every sum or mean score of an instrument: Cronbach's alpha, the
 * mean and SD of the score, and per item its mean, SD and corrected
 * item-total correlation (the item against the sum of the other items).
 * Rows enter one at a time; a row counts for a score only when every item
 * of that score is answered (listwise deletion, the usual convention for
 * alpha).  Sums of products are kept as exact 64-bit integers, so the
 * figures do not depend on the order of the rows.
 *
 * Ownership: psy_new() returns an accumulator freed with psy_free(); it
 * borrows the plan.
 */
#ifndef SB_PSYCHOMETRICS_H
#define SB_PSYCHOMETRICS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "score.h"

struct psy;

struct psy_item {
	size_t	 item;		/* index into the instrument's items */
	double	 mean, sd;	/* of the keyed (reversed) value */
	double	 r_drop;	/* corrected item-total correlation */
	double	 alpha_drop;	/* alpha without this item */
};

struct psy_score {
	size_t		 score;	/* index into the instrument's scores */
	size_t		 n;	/* complete rows */
	size_t		 k;	/* items */
	double		 alpha;
	double		 mean, sd;	/* of the score as defined */
	struct psy_item	*items;		/* k of them, owned by the psy */
};

enum sb_err	 psy_new(const struct score_plan *, struct psy **) SB_MUST;
void		 psy_add(struct psy *, const int16_t *answers);
/*
 * Computes the results; *out points to *n entries owned by the psy.
 * Figures need n >= 2 complete rows; below that they are NaN.
 */
void		 psy_results(struct psy *, const struct psy_score **out,
		    size_t *n);
void		 psy_free(struct psy *);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes.h - the practice's outcomes: for each score of each
 * instrument, per therapist and for the whole practice, how many episodes
 * of care recovered, reliably improved, did not reliably change or
 * reliably deteriorated from their first to their last administration
 * within the episode (Jacobson & Truax, core/change.h, with the norms in
 * the instrument file), how many episodes had only one score, and the
 * pre-post effect size with its 95 % confidence interval; the same again
 * for the episodes that began at caseness (on the clinical side of the
 * cut-off).  Pure: the caller hands in first and last values.
 */
#ifndef SB_OUTCOMES_H
#define SB_OUTCOMES_H

#include "core/buf.h"
#include "core/change.h"
#include "core/instrument.h"

#define OUTCOMES_ALL	"(all therapists)"

struct outcome_cell {
	const struct instrument	*in;
	size_t			 score;
	char			 therapist[72];
	bool			 caseness;	/* only episodes begun at caseness */
	size_t			 n;		/* episodes with a first and a last */
	size_t			 cls[CHANGE__MAX];
	size_t			 unclassified;	/* the score has no norms */
	/* Episodes with two or more administrations whose first or last
	 * score is missing (the missing-data rule allowed none), and
	 * episodes with one score only: counted here, not in n, so that
	 * nobody is dropped silently. */
	size_t			 left_out;
	size_t			 one_score;
	double			 sum_pre, sum_post, sumsq_pre, sumsq_post;
	double			 sum_prepost;
	enum change_criterion	 criterion;	/* the one applied */
	char			 label[96];	/* change_label()'s words */
};

struct outcomes {
	struct outcome_cell	*c;
	size_t			 n, cap;
	size_t			 altered;	/* clients whose episodes were
						 * changed outside securebase */
	enum change_convention	 convention;	/* the practice's */
};

/* Empty, under Jacobson & Truax until the caller sets convention. */
void		 outcomes_init(struct outcomes *);
void		 outcomes_free(struct outcomes *);
/*
 * One episode's first (pre) and last (post) value of a score; also
 * counted among the caseness cells when pre is on the clinical side of
 * the score's cut-off.
 */
enum sb_err	 outcomes_add(struct outcomes *, const struct instrument *,
		    size_t score, const char *therapist, double pre,
		    double post) SB_MUST;
/* An episode with two administrations but no first or no last value. */
enum sb_err	 outcomes_left_out(struct outcomes *,
		    const struct instrument *, size_t score,
		    const char *therapist) SB_MUST;
/* An episode with one administration of the measure. */
enum sb_err	 outcomes_one_score(struct outcomes *,
		    const struct instrument *, size_t score,
		    const char *therapist) SB_MUST;
/* Episodes with at least one score: n + left_out + one_score. */
size_t		 outcome_episodes(const struct outcome_cell *);
/*
 * Pre-post effect size, the standardized mean change of Becker (1988):
 * d = J (mean post - mean pre) / SD pre with Hedges' small-sample
 * correction J = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)), m = n - 1,
 * signed so that positive is
 * improvement (by the score's direction), and its 95 % confidence
 * interval d -/+ 1.96 sqrt(2 (1 - r) / n + d^2 / (2 n)), r the pre-post
 * correlation (as R's metafor::escalc(measure = "SMCR") computes them).
 * false when fewer than three episodes or no spread.
 */
struct outcome_d {
	double	 d, lo, hi;
	double	 r;		/* pre-post correlation */
};
bool		 outcome_effect_size(const struct outcome_cell *,
		    struct outcome_d *);
/*
 * Why d should not be read at face value, in words (into why), or false
 * when there is no such reason: its 95 % interval is wider than
 * +/- OUTCOME_HALF_CI (too uncertain to compare with a benchmark), or
 * first scores hardly vary (an SD under OUTCOME_NARROW of the score's
 * possible range), which inflates d whatever the change.
 */
#define OUTCOME_HALF_CI	0.5
#define OUTCOME_NARROW	0.05
bool		 outcome_effect_caution(const struct outcome_cell *,
		    char *why, size_t n);
/* A plain table of every cell, for the command line. */
enum sb_err	 outcomes_text(const struct outcomes *, struct buf *) SB_MUST;

#endif

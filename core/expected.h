/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * expected.h - expected recovery: the path a client's scores would take if
 * they changed as comparable clients did, a tolerance band around it, and
 * the rule that turns readings beyond the band into a "not on track"
 * alert.  Pure: the caller hands in the published course and the
 * practice's completed episodes.
 *
 * The method (docs/outcomes.md says it for therapists):
 *
 *   1. The published path.  A measure may carry a published course of
 *      treatment: mean and SD at intake (m0, s0) and at the end (m1, s1)
 *      of one named sample (NHS Talking Therapies for PHQ-9 and GAD-7).
 *      With the measure's reliability r, each reading is a true score
 *      plus an error of SD sem = s0 sqrt(1 - r).  True end scores follow
 *      true intakes linearly, so that the observed intake and end have
 *      the published means and SDs and correlate rho; by day d a share
 *      g(d) = 1 - exp(-d / tau) of the true change is made (change
 *      fastest early, after Howard et al. 1986).  For an observed intake
 *      x, the expected reading at day d is
 *          mid(d) = (1 - g) (m0 + r (x - m0)) + g (m1 + rho s1/s0 (x - m0))
 *      (an intake far from m0 partly reflects error, so readings move
 *      back toward the mean at once), and its variance
 *          v(d) = s0^2 r (1 - r) ((1 - g) + g b)^2 + g^2 su^2 + sem^2
 *      with b = rho s1 / (s0 r) and su^2 = s1^2 (1 - rho^2 / r) - sem^2
 *      (the spread of true ends beyond what the intake explains).  The
 *      band is mid +/- z sqrt(v), z the normal 90th percentile: an 80 %
 *      band, like the practice's.
 *   2. The practice's references.  A completed episode of care: its
 *      scores on the measure, the first (its intake) at day 0.
 *   3. Neighbours: of the references whose intake lies within `reach`
 *      of the client's (the measure's reliable change: closer intakes
 *      are not reliably different), the EXPECTED_K nearest (ties: the
 *      earlier reference), after Lutz and colleagues' nearest-neighbour
 *      expected trajectories.
 *   4. A neighbour's change at day d is its score at d minus its intake,
 *      linear between its scores; after its last score it has none (an
 *      episode that ended is not carried forward into later weeks).
 *   5. The practice's band at day d: x plus the median of the changes of
 *      the neighbours still in care at d, and their 10th and 90th
 *      percentiles (R's type 7), when at least EXPECTED_OWN_MIN of them
 *      are.
 *   6. Blending: with a published path and n neighbours at day d, each
 *      edge and the middle are (1 - w) published + w practice, with
 *      w = n / (n + EXPECTED_N0).  Without a published path the
 *      practice's band stands alone, from EXPECTED_OWN_ONLY neighbours.
 *   7. Not on track: a reading on or after EXPECTED_FIRST_DAY beyond
 *      the band's worse edge is "beyond".  The alert follows the rule
 *      EXPECTED_RULE over the episode's readings from that day on: two
 *      in a row.  bench/expected_sim.c chose the rule and the first day:
 *      of the rules and first days tried, the one that alerts the most
 *      non-responders while alerting at most 15 % of on-track clients
 *      per episode at 0, 20 and 200 practice episodes (docs/outcomes.md
 *      has the figures).
 *
 * rho, tau, the 80 % band, n0 and the first week are our choices, not
 * published parameters; the simulation states what they give.
 */
#ifndef SB_EXPECTED_H
#define SB_EXPECTED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define EXPECTED_K		20	/* neighbours at most */
#define EXPECTED_OWN_MIN	5	/* in care at a day, for the practice's part */
#define EXPECTED_OWN_ONLY	10	/* ... when there is no published path */
#define EXPECTED_N0		20	/* the practice's weight n / (n + n0) */
#define EXPECTED_LO		0.10	/* the band's quantiles */
#define EXPECTED_HI		0.90
#define EXPECTED_Z		1.2815515655446004	/* qnorm(0.9) in R */
#define EXPECTED_RHO		0.5	/* pre-post correlation */
#define EXPECTED_TAU		42.0	/* days; 86 % of the change by week 12 */
#define EXPECTED_FIRST_DAY	28	/* no judgement in the first four weeks */

/* Which readings beyond the band raise the alert. */
enum expected_rule {
	EXPECTED_RULE_ONE,	/* any one */
	EXPECTED_RULE_TWO,	/* two in a row */
	EXPECTED_RULE_TWO_OF_THREE,	/* two of the last three */
	EXPECTED_RULE__MAX
};
#define EXPECTED_RULE		EXPECTED_RULE_TWO

struct expected_obs {
	double	 day;		/* since the intake; the first is 0 */
	double	 score;
};

/* One completed episode's scores on one measure, by day. */
struct expected_ref {
	const struct expected_obs	*o;
	size_t				 n;		/* >= 1 */
};

/* A published course (step 1); set false when the measure has none. */
struct expected_model {
	bool	 set;
	double	 m0, s0, m1, s1;
	double	 r;		/* the measure's reliability */
	double	 rho, tau;	/* EXPECTED_RHO, EXPECTED_TAU */
};

struct expected_band {
	double	 mid, lo, hi;	/* expected score and the band's edges */
	size_t	 own;		/* the practice's neighbours that shaped it */
	double	 weight;	/* theirs, 0 to 1 */
	bool	 model;		/* the published path took part */
};

/* The p-quantile of v[0..n) sorted ascending, as R's type 7. */
double		 expected_quantile(const double *v, size_t n, double p);
/*
 * A reference's change from its intake at day (step 4); false after its
 * last score, when it has none.
 */
bool		 expected_change_at(const struct expected_ref *, double day,
		    double *change);
/*
 * The k nearest references to intake within reach (step 3), their
 * indexes into idx (room for k); *got is how many.
 */
void		 expected_neighbours(const struct expected_ref *, size_t n,
		    double intake, double reach, size_t k, size_t *idx,
		    size_t *got);
/*
 * The practice's band at day over the chosen neighbours still in care
 * (step 5); out->own is how many were.  SB_ENOENT with none, SB_ENOMEM.
 */
enum sb_err	 expected_band_at(const struct expected_ref *,
		    const size_t *idx, size_t k, double intake, double day,
		    double lo, double hi, struct expected_band *) SB_MUST;
/* The published path's band at day for intake (step 1). */
void		 expected_model_at(const struct expected_model *,
		    double intake, double day, struct expected_band *);
/*
 * The band at day (steps 1-6): published, the practice's, or both
 * blended.  false when neither is there (no path and too few
 * neighbours); SB_ENOMEM is reported through *e.
 */
bool		 expected_blend_at(const struct expected_model *,
		    const struct expected_ref *, const size_t *idx, size_t k,
		    double intake, double day, struct expected_band *,
		    enum sb_err *e);
/* Is score beyond the band's worse edge?  lower_better: the measure's
 * direction. */
bool		 expected_off_track(const struct expected_band *, double score,
		    bool lower_better);
/*
 * Step 7: beyond[0..n) are the episode's readings from the first day
 * on, oldest first; does the latest one complete the rule?
 */
bool		 expected_alarm(const bool *beyond, size_t n,
		    enum expected_rule);
const char	*expected_rule_name(enum expected_rule);

#endif

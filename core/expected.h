/*
 * expected.h - expected recovery: the path a client's scores would take
 * if they changed as the practice's own clients with the nearest intake
 * scores did, and a tolerance band around it.  Pure: the caller hands in
 * the practice's completed episodes.
 *
 * The method (docs/outcomes.md says it for therapists):
 *
 *   1. A reference is one completed episode of care: its scores on one
 *      measure, the first (the intake) at day 0, the others at their
 *      days since it.
 *   2. For a client whose intake score is x, the EXPECTED_K references
 *      whose intakes are nearest x are the neighbours (ties: the earlier
 *      reference), after Lutz and colleagues' nearest-neighbour
 *      expected trajectories.  With fewer than EXPECTED_MIN references
 *      there is no curve, and the caller says so.
 *   3. A neighbour's change at day d is its score at d minus its intake:
 *      linear between its scores, its last score after its last day (it
 *      ended there).
 *   4. At day d the expected score is x plus the median of the
 *      neighbours' changes, and the band runs from x plus their 10th to
 *      x plus their 90th percentile (R's default quantile, type 7).
 *   5. A score is not on track when it lies beyond the band's worse edge
 *      (above it for a measure where lower is better) on a day at least
 *      EXPECTED_FIRST_DAY after the intake.
 *
 * EXPECTED_K, the 80 % band and EXPECTED_FIRST_DAY are our choices, not
 * published parameters: published curves (Finch, Lambert & Schaalje
 * 2001; OQ-Analyst) are not open, and none is invented here.
 */
#ifndef SB_EXPECTED_H
#define SB_EXPECTED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define EXPECTED_MIN		20	/* completed episodes for a curve */
#define EXPECTED_K		20	/* neighbours */
#define EXPECTED_LO		0.10	/* the band's quantiles */
#define EXPECTED_HI		0.90
#define EXPECTED_FIRST_DAY	7	/* no judgement in the intake week */

struct expected_obs {
	double	 day;		/* since the intake; the first is 0 */
	double	 score;
};

/* One completed episode's scores on one measure, by day. */
struct expected_ref {
	const struct expected_obs	*o;
	size_t				 n;		/* >= 1 */
};

struct expected_band {
	double	 mid, lo, hi;	/* expected score and the band's edges */
};

/* The p-quantile of v[0..n) sorted ascending, as R's type 7. */
double		 expected_quantile(const double *v, size_t n, double p);
/* A reference's change from its intake at day (step 3). */
double		 expected_change_at(const struct expected_ref *, double day);
/*
 * The k nearest references to intake (step 2), their indexes into idx
 * (room for k); *got is min(k, n).
 */
void		 expected_neighbours(const struct expected_ref *, size_t n,
		    double intake, size_t k, size_t *idx, size_t *got);
/*
 * The band at day for a client of intake score intake over the chosen
 * neighbours (step 4).  SB_EINVAL with no neighbours, SB_ENOMEM.
 */
enum sb_err	 expected_band_at(const struct expected_ref *,
		    const size_t *idx, size_t k, double intake, double day,
		    double lo, double hi, struct expected_band *);
/* Step 5: is score beyond the band's worse edge?  lower_better: the
 * measure's direction. */
bool		 expected_off_track(const struct expected_band *, double score,
		    bool lower_better);

#endif

/*
 * outcomes.h - the practice's outcomes: for each score of each
 * instrument, per therapist and for the whole practice, how many clients
 * recovered, reliably improved, did not reliably change or reliably
 * deteriorated from their first to their last administration (Jacobson &
 * Truax, core/change.h, with the norms in the instrument file), and the
 * pre-post effect size.  Pure: the caller hands in first and last
 * values.
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
	size_t			 n;		/* clients with a first and a last */
	size_t			 cls[CHANGE__MAX];
	size_t			 unclassified;	/* the score has no norms */
	/* Clients with two or more administrations whose first or last
	 * score is missing (the missing-data rule allowed none): counted
	 * here, not in n, so that nobody is dropped silently. */
	size_t			 left_out;
	double			 sum_pre, sum_post, sumsq_pre;
	enum change_criterion	 criterion;	/* the one applied */
};

struct outcomes {
	struct outcome_cell	*c;
	size_t			 n, cap;
};

void		 outcomes_init(struct outcomes *);
void		 outcomes_free(struct outcomes *);
/* One client's first (pre) and last (post) value of a score. */
enum sb_err	 outcomes_add(struct outcomes *, const struct instrument *,
		    size_t score, const char *therapist, double pre,
		    double post);
/* A client with two administrations but no first or no last value. */
enum sb_err	 outcomes_left_out(struct outcomes *,
		    const struct instrument *, size_t score,
		    const char *therapist);
/*
 * Pre-post effect size: (mean post - mean pre) / SD pre, signed so that
 * positive is improvement (by the score's direction); false when fewer
 * than two clients or no spread.
 */
bool		 outcome_effect_size(const struct outcome_cell *, double *);
/*
 * Why d should not be read at face value, in words (into why), or false
 * when there is no such reason: fewer than OUTCOME_FEW_N clients (d is
 * unstable), or first scores that hardly vary (an SD under
 * OUTCOME_NARROW of the score's possible range), which inflates d
 * whatever the change.
 */
#define OUTCOME_FEW_N	10
#define OUTCOME_NARROW	0.05
bool		 outcome_effect_caution(const struct outcome_cell *,
		    char *why, size_t n);
/* A plain table of every cell, for the command line. */
enum sb_err	 outcomes_text(const struct outcomes *, struct buf *);

#endif

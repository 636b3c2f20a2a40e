/*
 * expected.h - a client's expected path on a measure, from the
 * practice's completed episodes (core/expected.h has the method): what
 * the client page draws and what raises the "not-on-track" alert.
 *
 * Only PHQ-9, GAD-7, CORE-10 and K10 have one: measures of distress
 * given often enough to have a path.  A curve needs EXPECTED_MIN
 * completed episodes with two or more of the measure's scores, and the
 * client's open episode with a first score (the intake).
 */
#ifndef SB_APP_EXPECTED_H
#define SB_APP_EXPECTED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/expected.h"
#include "core/score.h"
#include "store/store.h"

struct expected_view {
	size_t			 episodes;	/* usable completed ones */
	bool			 intake_known;	/* the client's, this episode */
	double			 intake;
	int64_t			 intake_t;	/* Unix time */
	int64_t			 episode;
	bool			 lower_better;
	double			 min, max;	/* the score's range */
	struct expected_ref	*refs;		/* owned */
	size_t			 nrefs;
	size_t			 idx[EXPECTED_K], k;
};

/* Is instrument one with an expected path? */
bool		 expected_measure(const char *instrument);
/* Loads the references and the client's intake; free with
 * expected_view_free even on error. */
enum sb_err	 expected_load(struct store *, const struct score_plan *,
		    int64_t client, struct expected_view *);
/* Is there a curve (enough episodes and an intake)? */
bool		 expected_curve(const struct expected_view *);
/* The band at time t (Unix); false without a curve or before the intake. */
bool		 expected_at(const struct expected_view *, int64_t t,
		    struct expected_band *);
void		 expected_view_free(struct expected_view *);

#endif

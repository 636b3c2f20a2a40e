/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * expected.h - a client's expected path on a measure, from the
 * practice's completed episodes (core/expected.h has the method): what
 * the client page draws and what raises the "not-on-track" alert.
 *
 * Only PHQ-9, GAD-7, CORE-10 and K10 have one: measures of distress
 * given often enough to have a path.  A measure whose total carries a
 * published "course" has a path from the practice's first day; the
 * others once enough of the practice's completed episodes (two or more
 * scores each) started near the client's intake.  Either way the
 * client's open episode needs a first score (the intake).
 */
#ifndef SB_APP_EXPECTED_H
#define SB_APP_EXPECTED_H

#include <stdbool.h>
#include <stdint.h>

#include "core/expected.h"
#include "core/score.h"
#include "store/store.h"

/* One of the client's readings in the open episode. */
struct expected_reading {
	int64_t			 t;		/* Unix time */
	double			 score;
};

struct expected_view {
	size_t			 episodes;	/* usable completed ones */
	bool			 intake_known;	/* the client's, this episode */
	double			 intake;
	int64_t			 intake_t;	/* Unix time */
	int64_t			 episode;
	bool			 lower_better;
	double			 min, max;	/* the score's range */
	double			 reach;		/* neighbours' intakes within */
	struct expected_model	 model;
	const char		*course_source;	/* the instrument's */
	struct expected_ref	*refs;		/* owned */
	size_t			 nrefs;
	size_t			 idx[EXPECTED_K], k;
	struct expected_reading	*readings;	/* owned; the intake first */
	size_t			 nreadings;
};

/* Is instrument one with an expected path? */
bool		 expected_measure(const char *instrument);
/* Loads the references and the client's intake; free with
 * expected_view_free even on error. */
enum sb_err	 expected_load(struct store *, const struct score_plan *,
		    int64_t client, struct expected_view *) SB_MUST;
/* Is there a curve at all (a published path or neighbours, and an
 * intake)? */
bool		 expected_curve(const struct expected_view *);
/*
 * The band at time t (Unix); false without one there (no curve, before
 * the intake, or too few neighbours still in care then without a
 * published path).
 */
bool		 expected_at(const struct expected_view *, int64_t t,
		    struct expected_band *);
/*
 * Does the client's latest reading complete the alert rule
 * (EXPECTED_RULE over the readings from EXPECTED_FIRST_DAY on)?  *band
 * is the latest reading's band when true.
 */
bool		 expected_alarm_now(const struct expected_view *,
		    struct expected_band *band);
/*
 * What shaped band, in words for the therapist: "NHS Talking Therapies
 * 2022-23 ... and 12 of the practice's completed episodes (weight 38 %)".
 */
void		 expected_shaped(const struct expected_view *,
		    const struct expected_band *, char *out, size_t size);
void		 expected_view_free(struct expected_view *);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * answers.h - the stored form of a set of answers ("q1=3;q2=;q3=1") and
 * of its scores ({"total": 12, "x": null}): what an administration row
 * holds, written by app/record.c and read back by every page, export and
 * statistic.  Pure: no store, no I/O.
 */
#ifndef SB_CORE_ANSWERS_H
#define SB_CORE_ANSWERS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/instrument.h"
#include "core/score.h"

/* "q1=3;q2=;q3=1": every item in order, empty when missing; into b
 * (reset first). */
enum sb_err	 answers_encode(const struct instrument *, const int16_t *,
		    struct buf *) SB_MUST;
/* The reverse into a[nitems]; unknown items (SB_ENOENT) or bad values
 * (SB_EINVAL) are errors. */
enum sb_err	 answers_decode(const struct score_plan *, const char *,
		    int16_t *) SB_MUST;
/* {"total": 12, "x": null} into b (reset first). */
enum sb_err	 scores_json(const struct instrument *, const double *,
		    const bool *, struct buf *) SB_MUST;

#endif

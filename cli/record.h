/*
 * record.h - storing administrations: item answers as text, derived scores,
 * and the alerts an administration raises.  Shared by `administer
 * --client` and `import --csv`.
 */
#ifndef SB_RECORD_H
#define SB_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/score.h"
#include "store/store.h"

/* "q1=3;q2=;q3=1": every item in order, empty when missing. */
enum sb_err	 answers_encode(const struct instrument *, const int16_t *,
		    struct buf *);
/* The reverse; unknown items or bad values are errors. */
enum sb_err	 answers_decode(const struct score_plan *, const char *,
		    int16_t *);
/* {"total": 12, "x": null} */
enum sb_err	 scores_json(const struct instrument *, const double *,
		    const bool *, struct buf *);

struct record_opts {
	const char	*respondent;	/* default self */
	const char	*mode;		/* default in-session */
	const char	*target;	/* or NULL */
	bool		 alerts;	/* raise alerts (not for imports) */
	bool		 no_critical;	/* critical items already alerted */
	const char	*completed;	/* ISO 8601 time, or NULL for now */
};

/*
 * Stores one administration of the client and, with alerts set, raises
 * critical-item and reliable-deterioration alerts, all in one transaction.
 * *nalerts tells how many were raised.
 */
enum sb_err	 record_administration(struct store *,
		    const struct score_plan *, int64_t client, const int16_t *,
		    const struct record_opts *, int64_t *id, int *nalerts);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * record.h - storing administrations: item answers as text, derived scores,
 * and the alerts an administration raises.  One rule for every path that
 * records answers: a link, "start now", `administer`, `import --csv` and
 * `import --fhir`.
 */
#ifndef SB_RECORD_H
#define SB_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/answers.h"
#include "core/buf.h"
#include "core/score.h"
#include "core/change.h"
#include "store/store.h"


struct record_opts {
	const char	*respondent;	/* default self */
	const char	*mode;		/* default in-session */
	const char	*target;	/* or NULL */
	bool		 alerts;	/* change alerts: deterioration, alliance */
	int64_t		 link;		/* the link answered, or 0 */
	const char	*completed;	/* ISO 8601 time, or NULL for now */
	int		 historic_days;	/* older: historic alerts (0: never) */
	bool		 import;	/* in store_import_begin(): see below */
};

struct record_out {
	int64_t		 id;		/* the administration */
	int		 alerts;	/* raised (an alert of the link: once) */
	int		 critical;	/* critical items endorsed */
	int		 queued;	/* notifications queued */
};

/*
 * Stores one administration of the client and raises its alerts, all in
 * one transaction (nested in the caller's, if one is open).  Every path
 * raises the safety alerts: a high "critical-item" alert for each endorsed
 * critical item and a medium "risk-item-unanswered" one for each critical
 * item left blank; with o->link they are the link's alerts, raised once
 * however often the link's pages were saved.  An administration completed
 * more than o->historic_days ago raises them marked historic, with its
 * date.  With o->alerts it also raises reliable-deterioration and
 * alliance-drop alerts.
 */
enum sb_err	 record_administration(struct store *,
		    const struct score_plan *, int64_t client, const int16_t *,
		    const struct record_opts *, struct record_out *) SB_MUST;

/*
 * Ends an import (store_import_begin) whose rows were recorded with
 * o->import: shows it all at once, and resolves each client's
 * "measure-overdue" alert in the same transaction, as each row would
 * have.  On error nothing of the import is left.
 */
enum sb_err	 record_import_finish(struct store *, int64_t *import_id)
		    SB_MUST;

/*
 * The safety alerts of answers given so far on a link page (inside the
 * caller's transaction): one high alert per endorsed critical item, once
 * per link and item.  *critical counts endorsed items, *queued the
 * notifications queued.
 */
enum sb_err	 record_link_critical(struct store *,
		    const struct score_plan *, int64_t client, int64_t link,
		    const int16_t *, int *critical, int *queued) SB_MUST;

/* The practice's recovery convention (the recovery setting), Jacobson &
 * Truax when unset or unreadable. */
enum change_convention	 record_convention(struct store *);
/* The practice's historic-days setting, or 14 when unset or unreadable. */
int		 record_historic_days(struct store *);

/* Days from 1970-01-01 of "YYYY-MM-DD...", or false. */
bool		 record_day(const char *, int64_t *day);

#endif

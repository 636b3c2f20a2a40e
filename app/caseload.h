/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * caseload.h - the caseload's view: each client with the latest score of
 * each measure and the one before, in the order asked, and the measures
 * due, gathered in one read of the store.  render/caseload_page.h writes
 * it; the page around it (the open alerts with their forms, the search)
 * is web/pages_caseload.c's.
 *
 * Ownership: the view holds pointers into the client_names it was built
 * from, which must outlive it; caseload_view_free() frees the rest.
 */
#ifndef SB_APP_CASELOAD_H
#define SB_APP_CASELOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "app/clients.h"
#include "app/registry.h"
#include "core/score.h"
#include "store/store.h"

#define CASELOAD_MEASURES	16	/* shown a client; more are left out */
#define CASELOAD_DUE_DAYS	28	/* no answer in as long: due */

/* A client's measures: each one's latest first score and the one
 * before. */
struct caseload_latest {
	int64_t			 client;
	char			 newest[24];	/* the latest answer's time */
	struct {
		const struct reg_entry	*re;
		double			 prev, last;
		size_t			 n;	/* 0: not scored (part) */
		struct score_partial	 part;
	}			 v[CASELOAD_MEASURES];
	size_t			 nv;
};

enum caseload_order { BY_NAME, BY_ALERTS, BY_RECENT };

struct caseload_row {
	const struct client_name	*c;
	const struct caseload_latest	*l;	/* NULL: no answers */
	size_t				 alerts;
};

/* A client with measures due: sent by a plan and open (reminded when
 * past the reminder), or, without a plan, none answered lately. */
struct caseload_due {
	const struct client_name	*c;
	bool				 planned, reminded;
	int				 open;
};

struct caseload_view {
	struct caseload_latest	*latest;	/* by client id */
	size_t			 nlatest, caplatest;
	struct caseload_row	*rows;		/* the clients shown */
	size_t			 nrows;
	const char		*q;		/* the search, "" for none */
	bool			 plans_read;	/* false: the due list failed */
	struct caseload_due	*due;
	size_t			 ndue;
	int64_t			 now;
};

/*
 * The view of clients cl (alerts[i]: client i's open alerts) whose name
 * holds q, in order o, at now, from one walk of the store's latest
 * scores (reg: the instruments) and one of the plans' open sends.
 */
enum sb_err	 caseload_view_build(struct store *, const struct registry *,
		    const struct client_names *cl, const size_t *alerts,
		    const char *q, enum caseload_order o, int64_t now,
		    struct caseload_view *) SB_MUST;
void		 caseload_view_free(struct caseload_view *);

#endif

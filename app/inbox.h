/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * inbox.h - the therapist's inbox: what needs a look, gathered in one
 * page view from the store: the responses their clients sent through a
 * link and nobody has marked seen, the links sent and not answered, the
 * measures due (the caseload's list), and the open alerts with the
 * clients not on track among them.  render/inbox_page.h writes it.
 *
 * Ownership: the view owns its client names and everything else it
 * holds; inbox_view_free() frees (and wipes the names).
 */
#ifndef SB_APP_INBOX_H
#define SB_APP_INBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "app/caseload.h"
#include "app/clients.h"
#include "app/registry.h"
#include "store/store.h"

struct inbox_response {
	int64_t				 id;
	const struct client_name	*c;
	const struct reg_entry		*re;	/* NULL: a narrative */
	char				 completed[24];
};

struct inbox_link {
	int64_t				 id;
	const struct client_name	*c;
	const struct reg_entry		*re;	/* NULL: a narrative */
	int64_t				 created, expires;
	bool				 opened, started, reminded;
};

struct inbox_alert {
	const struct client_name	*c;
	char				 rule[32], severity[8], state[16];
	char				 created[32];
};

struct inbox_view {
	struct client_names	 cl;
	struct inbox_response	*resp;
	size_t			 nresp, rcap;
	struct inbox_link	*links;
	size_t			 nlinks, lcap;
	struct inbox_alert	*alerts;	/* open and acknowledged */
	size_t			 nalerts, acap;
	struct caseload_view	 cv;		/* for its measures due */
	bool			 cv_built;
	int64_t			 now;
};

/* The inbox of the acting therapist at now (reg: the instruments). */
enum sb_err	 inbox_view_build(struct store *, const struct registry *,
		    int64_t now, struct inbox_view *) SB_MUST;
void		 inbox_view_free(struct inbox_view *);

#endif

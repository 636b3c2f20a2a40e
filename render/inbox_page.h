/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * inbox_page.h - the therapist's inbox written from its view
 * (app/inbox.h): new answers with a "Seen" button each and one for all,
 * links not answered with their age, the measures due, and the open
 * alerts with the clients not on track.  Every row is one click from
 * its client.  No store access; csrf is the form token of the page.
 */
#ifndef SB_RENDER_INBOX_PAGE_H
#define SB_RENDER_INBOX_PAGE_H

#include "app/inbox.h"
#include "core/buf.h"

void	 inbox_html(struct buf *, const struct inbox_view *,
	    const char *csrf);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_page.h - a client's history written from its view: the
 * relationship map in a box that scrolls sideways (with the map as text),
 * the patterns, the lifeline (with the lifeline as text).  top: the
 * pictures are the page's own sections (h2), not a part of the client
 * page's history (h3).  No store access.
 */
#ifndef SB_RENDER_HISTORY_PAGE_H
#define SB_RENDER_HISTORY_PAGE_H

#include <stdbool.h>

#include "app/history_view.h"
#include "core/buf.h"

void	 history_pictures_html(struct buf *, const struct history_view *,
	    bool top);
/* Facts, one a line, as a list, with the words saying they are counted,
 * not interpreted. */
void	 history_facts_html(struct buf *, const char *facts);

#endif

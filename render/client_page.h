/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * client_page.h - the client page's measures written from their view
 * (app/client_view.h): the tiles of the latest scores with the next
 * measure due, each measure's chart and change with the expected path
 * and the not-on-track checklist, the attachment planes (with those the
 * client is seen with), the timeline, and the answers item by item.  The
 * page's head, its alerts, history, narratives and record are the web's;
 * these are written between them.  No store access.
 */
#ifndef SB_RENDER_CLIENT_PAGE_H
#define SB_RENDER_CLIENT_PAGE_H

#include <stdbool.h>

#include "app/client_view.h"
#include "core/buf.h"

/* A card's opening, <section> with its heading (id, title). */
void	 client_card_open(struct buf *, const char *id, const char *title);
/* The latest of each measure as tiles, and the next measure due. */
void	 client_tiles_html(struct buf *, const struct client_view *);
/* The measures card and the attachment card; name: the client's, beside
 * a partner's on a couple's plane. */
void	 client_measures_html(struct buf *, const struct client_view *,
	    const char *name);
/* The timeline card: the therapy period, or the whole life. */
void	 client_timeline_html(struct buf *, const struct client_view *,
	    bool life);
/* The answers card, item by item. */
void	 client_answers_html(struct buf *, const struct client_view *);

#endif

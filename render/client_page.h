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
#include <stddef.h>
#include <stdint.h>

#include "app/client_view.h"
#include "core/buf.h"

/*
 * The page's sections, one shown at a time below the summary (a link
 * each, no script): a card's anchor names the section it is in, so that
 * a form sends the user back to where they were.
 */
enum client_section {
	CS_MEASURES, CS_ATTACHMENT, CS_HISTORY, CS_NARRATIVES, CS_SESSIONS,
	CS_CARE, CS__MAX
};
/* The section a query names (key "measures" ... "care"); NULL or ""
 * is the first; false for a name that is none. */
bool	 client_section_named(const char *key, enum client_section *out);
/* The section a card's anchor is in (the first for one unknown). */
enum client_section client_section_of(const char *anchor);
/* "/clients/N?section=S#anchor" into out (n bytes; truncated, never
 * overrun), the section the anchor's. */
void	 client_href(char *out, size_t n, int64_t id, const char *anchor);
/* The sections' links, cur marked as the current one. */
void	 client_tabs_html(struct buf *, int64_t id, enum client_section cur);

/* A card's opening, <section> with its heading (id, title). */
void	 client_card_open(struct buf *, const char *id, const char *title);
/* The latest of each measure as tiles, and the next measure due. */
void	 client_tiles_html(struct buf *, const struct client_view *);
/* The measures card: each measure's chart and change. */
void	 client_measures_html(struct buf *, const struct client_view *);
/* The attachment card: the planes, with those the client is seen with;
 * name: the client's, beside a partner's on a couple's plane. */
void	 client_attachment_html(struct buf *, const struct client_view *,
	    const char *name);
/* What a measure's chart shows of its expected path, in words, into out
 * (n bytes). */
void	 client_expected_words(const struct client_series *, char *out,
	    size_t n);
/* The timeline card: the therapy period, or the whole life. */
void	 client_timeline_html(struct buf *, const struct client_view *,
	    bool life);
/* The answers card, item by item: a day's measures together, newest
 * first, the latest few days unless all. */
void	 client_answers_html(struct buf *, const struct client_view *,
	    bool all);

#endif

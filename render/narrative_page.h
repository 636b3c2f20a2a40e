/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative_page.h - one narrative written from its view
 * (app/narrative_view.h): the prompt, the chosen draft with its
 * indicators marked, the indicators' table with what each is, and the
 * change across drafts.  Descriptive counts only, as the page says.
 */
#ifndef SB_RENDER_NARRATIVE_PAGE_H
#define SB_RENDER_NARRATIVE_PAGE_H

#include "app/narrative_view.h"
#include "core/buf.h"

void	 narrative_html(struct buf *, const struct narrative_view *);

#endif

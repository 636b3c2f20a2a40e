/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes_page.h - the outcomes page written from its view: the
 * practice's outcomes as app/outcomes.h gathers them (core/outcomes.h),
 * between the page's head and end, which are the web's.  Every figure of
 * a cell goes through the escaping writer (render/html.h).
 */
#ifndef SB_RENDER_OUTCOMES_PAGE_H
#define SB_RENDER_OUTCOMES_PAGE_H

#include "core/buf.h"
#include "core/outcomes.h"

void	 outcomes_html(struct buf *, const struct outcomes *);

#endif

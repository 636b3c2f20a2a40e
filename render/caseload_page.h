/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * caseload_page.h - the caseload's table of clients and its measures due,
 * written from the view app/caseload.h gathered, with no store access;
 * the convention says which moves are reliable.
 */
#ifndef SB_RENDER_CASELOAD_PAGE_H
#define SB_RENDER_CASELOAD_PAGE_H

#include "app/caseload.h"
#include "core/buf.h"
#include "core/change.h"

void	 caseload_rows_html(struct buf *, const struct caseload_view *,
	    enum change_convention);
/* Measures due: each client's in words, linked to their plans (the
 * caseload's and the inbox's). */
void	 caseload_due_html(struct buf *, const struct caseload_view *);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit_page.h - the administration page's audit trail written from its
 * view (app/audit_view.h): the search form refilled (a GET form, so the
 * view can be bookmarked), what is wrong with the filter beside it, the
 * page of rows, and the ways to the newest and the older rows.
 */
#ifndef SB_RENDER_AUDIT_PAGE_H
#define SB_RENDER_AUDIT_PAGE_H

#include "app/audit_view.h"
#include "core/buf.h"

void	 audit_html(struct buf *, const struct audit_view *);

#endif

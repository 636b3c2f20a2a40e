/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * admin_page.h - the administration page's tables written from its view
 * (app/admin_view.h): the users, the instruments' licences, and whether
 * the audit chain and the sealed rows verify.  The page's head, its
 * forms and its other sections are the web's.  No store access.
 */
#ifndef SB_RENDER_ADMIN_PAGE_H
#define SB_RENDER_ADMIN_PAGE_H

#include "app/admin_view.h"
#include "core/buf.h"

/* The users' table: name, role, state. */
void	 admin_users_html(struct buf *, const struct admin_view *);
/* The licences' table: instrument, its terms, its state here. */
void	 admin_licences_html(struct buf *, const struct admin_view *);
/* The audit chain's and the sealed rows' verification, in words; a line
 * for each row found changed.  Nothing for a check that did not run. */
void	 admin_integrity_html(struct buf *, const struct admin_view *);

#endif

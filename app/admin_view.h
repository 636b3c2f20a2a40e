/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * admin_view.h - what the administration page shows of the practice,
 * gathered in one read: its users, each instrument's licence as it
 * stands, and whether the audit chain and the sealed rows verify.
 * render/admin_page.h writes it; the forms beside it (add and disable a
 * user, record a permission), the notification settings and the audit
 * trail's search are the web's and app/audit_view.h's.
 *
 * Ownership: admin_view_free() frees the users' names.
 */
#ifndef SB_APP_ADMIN_VIEW_H
#define SB_APP_ADMIN_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "app/registry.h"
#include "store/audit.h"
#include "store/rows.h"
#include "store/store.h"

struct admin_user {
	char		*name;
	enum store_role	 role;
	bool		 active;
};

/* An instrument's licence as the page says it. */
enum admin_licence {
	ADMIN_FREE,		/* needs no permission */
	ADMIN_RECORDED,		/* enabled, with the permission recorded */
	ADMIN_PERMITTED,	/* permitted on this page */
	ADMIN_DISABLED		/* needs a permission not recorded */
};

struct admin_view {
	const struct registry	*reg;
	struct admin_user	*users;		/* nusers, by name */
	size_t			 nusers;
	enum admin_licence	 licence[REGISTRY_MAX];	/* by reg->v */
	bool			 audit_read, rows_read;	/* else unverified */
	struct audit_report	 audit;
	struct rows_report	 rows;
};

/*
 * The practice's users, licences and integrity, as an admin reads them.
 * A failed read of the users is the error; permissions that cannot be
 * read leave the instruments that need one disabled, and a check that
 * cannot run leaves its report unread (audit_read, rows_read false).
 */
enum sb_err	 admin_view_build(struct store *, const struct registry *,
		    struct admin_view *) SB_MUST;
void		 admin_view_free(struct admin_view *);

#endif

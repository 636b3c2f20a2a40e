/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit_view.h - the audit trail as the administration page searches it:
 * the filter as asked (user, client, action, from, to, and the page
 * before a row), what is wrong with it in words, and one page of the
 * rows that match, newest first.  render/audit_page.h writes it.
 *
 * Ownership: the view keeps the filter's strings as given (the caller's,
 * which must outlive it) and copies of the rows; audit_view_free() frees
 * them.
 */
#ifndef SB_APP_AUDIT_VIEW_H
#define SB_APP_AUDIT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

#define AUDIT_PAGE	100	/* rows a page */

/* The filter as the form sent it; NULL for an empty field. */
struct audit_filter {
	const char	*user, *client, *action, *from, *to, *before;
};

struct audit_view_row {
	int64_t		 seq, entity_id;
	char		*at, *user, *action, *entity, *detail;
};

struct audit_view {
	struct audit_filter	 f;
	const char		*why;	/* the filter's fault, or NULL */
	struct audit_view_row	*rows;
	size_t			 n;
	int64_t			 last;	/* the oldest row's number */
	int64_t			 now;	/* for times in words */
};

/*
 * The page of rows that match f.  A filter that does not hold (a client
 * that is no number, a day that is no day) is no error: why says it and
 * no row is read.  An error: the rows could not be read.
 */
enum sb_err	 audit_view_build(struct store *, const struct audit_filter *,
		    int64_t now, struct audit_view *) SB_MUST;
void		 audit_view_free(struct audit_view *);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * licences.c - permissions recorded for instruments whose licence needs
 * one.  See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/store_int.h"

enum sb_err
store_permission_add(struct store *s, const char *instrument,
    const char *reference)
{
	struct stmt	*st;
	char		 at[32];
	int64_t		 id;
	enum sb_err	 e;

	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin records licence "
		    "permissions");
	if (!text_ok(reference, STORE_MAX_FIELD) || reference[0] == '\0')
		return fail(s, SB_EINVAL, "the reference is 1-%d bytes of UTF-8",
		    STORE_MAX_FIELD);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM "
	    "licence_permissions", &id)) != SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO licence_permissions (id, instrument, "
	    "recorded, user_id, reference) VALUES (?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "recording the permission"));
	bind_int64(st, 1, id);
	bind_text(st, 2, instrument);
	bind_text(st, 3, at);
	bind_int64(st, 4, s->actor.id);
	bind_text(st, 5, reference);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "recording the permission"));
	return txn_end(s, audit_append(s, "permit", "instrument", id,
	    instrument));
}

enum sb_err
store_permission_each(struct store *s, void (*fn)(void *, const char *,
    const char *), void *arg)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;
	char		 text[STORE_MAX_FIELD + 200];

	if ((st = stmt(s, "SELECT p.instrument, p.recorded, u.name, "
	    "p.reference FROM licence_permissions p JOIN users u ON u.id = "
	    "p.user_id ORDER BY p.id")) == NULL)
		return fail_db(s, "reading permissions");
	while ((e = step_row(s, st, &row, "reading permissions")) == SB_OK &&
	    row) {
		snprintf(text, sizeof(text), "%.10s, recorded by %s: %s",
		    col_text(st, 1), col_text(st, 2),
		    col_text(st, 3));
		fn(arg, col_text(st, 0), text);
	}
	st_reset(st);
	return e;
}

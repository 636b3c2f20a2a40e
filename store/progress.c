/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * progress.c - the client's own progress page: one standing link per
 * client, which the therapist makes, makes anew and revokes, and the
 * measures the therapist shows on it.  See store.h.
 *
 * As with questionnaire links, only the token's hash is kept: a copy of
 * the database opens no page.  A new link revokes the one before.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "store/web.h"

/* Revokes the client's standing link, if any (caller's transaction). */
static SB_MUST enum sb_err
revoke(struct store *s, int64_t client, int64_t now, int *n)
{
	struct stmt	*st;

	if ((st = stmt(s, "UPDATE progress_links SET revoked = ? WHERE "
	    "client_id = ? AND revoked IS NULL")) == NULL)
		return fail_db(s, "revoking the progress link");
	bind_int64(st, 1, now);
	bind_int64(st, 2, client);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "revoking the progress link");
	*n = (int)db_changes(s);
	return SB_OK;
}

enum sb_err
store_progress_link(struct store *s, int64_t client, int64_t now,
    char token[TOKEN_HEX + 1])
{
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	int64_t		 id;
	int		 n;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	new_token(token, hash);
	if ((e = txn_begin(s)) != SB_OK)
		goto out;
	if ((e = revoke(s, client, now, &n)) != SB_OK || (e = next_id(s,
	    "SELECT coalesce(max(id), 0) FROM progress_links", &id)) != SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	if ((st = stmt(s, "INSERT INTO progress_links (id, client_id, "
	    "token_hash, created, created_by) VALUES (?, ?, ?, ?, ?)")) ==
	    NULL) {
		e = txn_end(s, fail_db(s, "making the progress link"));
		goto out;
	}
	bind_int64(st, 1, id);
	bind_int64(st, 2, client);
	bind_blob(st, 3, hash, MAC_BYTES);
	bind_int64(st, 4, now);
	bind_int64(st, 5, s->actor.id);
	if (st_step(st) != BE_DONE) {
		e = txn_end(s, fail_db(s, "making the progress link"));
		goto out;
	}
	if ((e = rows_seal(s, RT_PROGRESS_LINKS, id, 0)) != SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	e = txn_end(s, audit_append(s, "progress-link", "client", client,
	    n > 0 ? "made anew" : "made"));
out:
	if (e != SB_OK)
		sodium_memzero(token, TOKEN_HEX + 1);
	return e;
}

enum sb_err
store_progress_revoke(struct store *s, int64_t client, int64_t now)
{
	int		 n;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = revoke(s, client, now, &n)) != SB_OK)
		return txn_end(s, e);
	if (n == 0)
		return txn_end(s, fail(s, SB_ENOENT, "the client has no "
		    "progress link in force"));
	return txn_end(s, audit_append(s, "progress-revoke", "client", client,
	    ""));
}

enum sb_err
store_progress_state(struct store *s, int64_t client, int64_t *created)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*created = 0;
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT created FROM progress_links WHERE client_id "
	    "= ? AND revoked IS NULL")) == NULL)
		return fail_db(s, "reading the progress link");
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "reading the progress link")) ==
	    SB_OK && row)
		*created = col_int64(st, 0);
	st_reset(st);
	return e;
}

enum sb_err
store_progress_open(struct store *s, const char *token, int64_t *client)
{
	unsigned char	 hash[MAC_BYTES];
	char		 owner[STORE_MAX_NAME + 1];
	struct stmt	*st;
	int64_t		 id = 0;
	bool		 row;
	enum sb_err	 e;

	*client = 0;
	s->has_actor = false;
	if (!token_hash(token, hash))
		return fail(s, SB_ENOENT, "no such page");
	if ((st = stmt(s, "SELECT p.client_id, u.name, p.id FROM "
	    "progress_links p "
	    "JOIN clients c ON c.id = p.client_id JOIN users u ON u.id = "
	    "c.owner_id WHERE p.token_hash = ? AND p.revoked IS NULL AND "
	    "u.active = 1")) == NULL)
		return fail_db(s, "finding the page");
	bind_blob(st, 1, hash, MAC_BYTES);
	if ((e = step_row(s, st, &row, "finding the page")) == SB_OK && row) {
		*client = col_int64(st, 0);
		snprintf(owner, sizeof(owner), "%s", col_text(st, 1));
		id = col_int64(st, 2);
	}
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (!row)
		return fail(s, SB_ENOENT, "no such page");
	/* A page's link put in by hand opens nothing. */
	if ((e = rows_check(s, RT_PROGRESS_LINKS, id, 0)) != SB_OK) {
		*client = 0;
		return e;
	}
	/* What the page reads is audited on the therapist's caseload. */
	return store_act_as(s, owner);
}

enum sb_err
store_progress_show(struct store *s, int64_t client, const char *instrument,
    bool shown)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (instrument == NULL || !text_ok(instrument, 63))
		return fail(s, SB_EINVAL, "which measure?");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "INSERT INTO progress_measures (client_id, "
	    "instrument, shown) VALUES (?, ?, ?) ON CONFLICT (client_id, "
	    "instrument) DO UPDATE SET shown = excluded.shown")) == NULL)
		return txn_end(s, fail_db(s, "keeping the choice"));
	bind_int64(st, 1, client);
	bind_text(st, 2, instrument);
	bind_int64(st, 3, shown ? 1 : 0);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping the choice"));
	return txn_end(s, audit_append(s, shown ? "progress-show" :
	    "progress-hide", "client", client, instrument));
}

enum sb_err
store_progress_choices(struct store *s, int64_t client,
    enum sb_err (*fn)(void *, const char *instrument, bool shown),
    void *arg)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT instrument, shown FROM progress_measures "
	    "WHERE client_id = ? ORDER BY instrument")) == NULL)
		return fail_db(s, "reading the choices");
	bind_int64(st, 1, client);
	while ((e = step_row(s, st, &row, "reading the choices")) == SB_OK &&
	    row)
		if ((e = fn(arg, col_text(st, 0), col_int(st, 1) != 0)) !=
		    SB_OK)
			break;
	st_reset(st);
	return e;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * access.c - who may read or write a client's record: the owner, a
 * colleague the record is shared with, a supervisor reading; a refusal
 * audited; the clients an import has found writable remembered for the
 * rest of it.  Below the record modules and write_one(); see
 * store_int.h.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Was client found writable in this import?  *at: where it is, or
 * where it would go. */
static bool
import_known(const struct store *s, int64_t client, size_t *at)
{
	size_t	 lo = 0, hi = s->nimp_ok, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->imp_ok[mid] < client)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < s->nimp_ok && s->imp_ok[lo] == client;
}

/* Remembers for the rest of the import that client is writable (a
 * failure to remember only costs the next row the check again). */
static void
import_remember(struct store *s, int64_t client, size_t at)
{
	int64_t	*p;
	size_t	 cap;

	if (s->nimp_ok == s->capimp_ok) {
		cap = s->capimp_ok ? s->capimp_ok * 2 : 256;
		if (cap > 65536 || (p = realloc(s->imp_ok, cap *
		    sizeof(*p))) == NULL)
			return;
		s->imp_ok = p;
		s->capimp_ok = cap;
	}
	memmove(s->imp_ok + at + 1, s->imp_ok + at, (s->nimp_ok - at) *
	    sizeof(*s->imp_ok));
	s->imp_ok[at] = client;
	s->nimp_ok++;
}

enum sb_err
client_access(struct store *s, int64_t client, bool write)
{
	bool		 row;
	enum sb_err	 e;
	struct stmt	*st;
	int64_t		 owner;
	bool		 shared;
	size_t		 at = 0;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user (--user NAME)");
	if (s->depth > 0 && s->acc_client == client && (s->acc_write || !write))
		return SB_OK;
	/* An import checks each client once: its rows of many clients
	 * would otherwise each wait for the check (a round trip on a
	 * server's database).  The import is its user's from its start. */
	if (s->import_id != 0 && import_known(s, client, &at))
		return SB_OK;
	if ((st = stmt(s, "SELECT c.owner_id, sh.user_id, c.mac, sh.mac FROM "
	    "clients c LEFT JOIN client_shares sh ON sh.client_id = c.id AND "
	    "sh.user_id = ? WHERE c.id = ?")) == NULL)
		return fail_db(s, "checking access");
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, client);
	if ((e = step_row(s, st, &row, "checking access")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		return fail(s, SB_ENOENT, "no client %lld", (long long)client);
	}
	owner = col_int64(st, 0);
	shared = !col_null(st, 1);
	/* The rows that decide it must be genuine: an owner or a share
	 * written in from outside opens nothing (rows.h). */
	if ((e = rows_check_stmt(s, RT_CLIENTS, st, 0, 2, client, 0)) ==
	    SB_OK && shared)
		e = rows_check_stmt(s, RT_SHARES, st, 0, 3, client,
		    s->actor.id);
	st_reset(st);
	if (e != SB_OK)
		return e;
	/* Therapists see their own and shared clients; supervisors read
	 * every client; admins manage users, not clinical content. */
	if ((s->actor.role == ROLE_THERAPIST && (owner == s->actor.id ||
	    shared)) || (s->actor.role == ROLE_SUPERVISOR && !write)) {
		if (s->depth > 0) {
			s->acc_client = client;
			s->acc_write = write;
		}
		if (s->import_id != 0 && write)
			import_remember(s, client, at);
		return SB_OK;
	}
	return fail(s, SB_EPERM, "%s may not %s client %lld", s->actor.name,
	    write ? "change" : "read", (long long)client);
}

enum sb_err
readable_check(struct store *s)
{
	struct stmt	*st;
	enum be_rc	 rc;
	enum sb_err	 e = SB_OK;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user");
	/* The clients rows a list reads through (a supervisor's: all),
	 * then the acting user's shares. */
	if ((st = stmt(s, "SELECT c.owner_id, c.mac, c.id FROM clients c "
	    "WHERE c.id IN " SQL_READABLE_CLIENTS("?1"))) == NULL)
		return fail_db(s, "checking the clients' seals");
	bind_int64(st, 1, s->actor.id);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW)
		e = rows_check_stmt(s, RT_CLIENTS, st, 0, 1, col_int64(st, 2),
		    0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (rc != BE_DONE)
		return fail_db(s, "checking the clients' seals");
	if ((st = stmt(s, "SELECT mac, client_id FROM client_shares WHERE "
	    "user_id = ?")) == NULL)
		return fail_db(s, "checking the shares' seals");
	bind_int64(st, 1, s->actor.id);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW)
		e = rows_check_stmt(s, RT_SHARES, st, 0, 0, col_int64(st, 1),
		    s->actor.id);
	st_reset(st);
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "checking the shares' seals");
	return e;
}

enum sb_err
client_access_logged(struct store *s, int64_t client, bool write)
{
	enum sb_err	 e;
	char		 msg[sizeof(s->err)];

	if ((e = client_access(s, client, write)) != SB_EPERM || !s->has_actor)
		return e;
	memcpy(msg, s->err, sizeof(msg));
	if (txn_begin(s) == SB_OK)
		(void)!txn_end(s, audit_append(s, "denied", "client", client,
		    write ? "write" : "read"));
	memcpy(s->err, msg, sizeof(msg));
	return e;
}

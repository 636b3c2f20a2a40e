/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * write.c - write_one(): a record added the way every record module adds
 * one.  See store_int.h.
 *
 * The shape it holds was written out by hand in each module: the client's
 * access checked for writing (a refusal audited), a transaction, a new id,
 * the statement, its binds, one step, the row's seal, the audit row, the
 * end, with every failure ending the transaction.  The module keeps what
 * differs: its checks of the input before, its SQL and its binds.
 */
#include "store/store_int.h"

enum sb_err
write_one(struct store *s, const struct write_one *w, int64_t *id)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (w->client != 0 &&
	    (e = client_access_logged(s, w->client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if (w->check != NULL && (e = w->check(s, w->arg)) != SB_OK)
		return txn_end(s, e);
	if ((e = next_id(s, w->id_sql, id)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, w->sql)) == NULL)
		return txn_end(s, fail_db(s, w->what));
	if ((e = w->bind(s, st, *id, w->arg)) != SB_OK)
		return txn_end(s, e);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, w->what));
	if ((e = rows_seal(s, w->seal, *id, 0)) != SB_OK)
		return txn_end(s, e);
	if (w->of_client)
		return txn_end(s, audit_append(s, w->action ? w->action :
		    "create", "client", w->client, w->detail ? w->detail : ""));
	return txn_end(s, audit_append(s, w->action ? w->action : "create",
	    w->table, *id, w->detail ? w->detail : ""));
}

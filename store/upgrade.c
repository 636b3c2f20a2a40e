/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * upgrade.c - store_upgrade: an older practice brought to this
 * release's schema, under the practice's lock, after a verified backup.
 * See store.h.
 */
#include <stdio.h>

#include "store/backup.h"
#include "store/store_int.h"

/*
 * Backup first, verified (it keeps the old schema, for the old release
 * to restore), then the migrations, each in its own transaction.  Under
 * the practice's lock, so that no server runs on it meanwhile.
 */
enum sb_err
store_upgrade(const char *path, const struct store_key *key,
    const char *backup, int *from, int *to, char *err, size_t errsz)
{
	struct store		*s = NULL;
	struct store_lock	*lk = NULL;
	char			 detail[64];
	enum sb_err		 e;

	*from = *to = 0;
	if ((e = store_lock_take(path, "upgrade", &lk, err, errsz)) != SB_OK)
		return e;
	if ((e = store_open_as_is(path, key, &s, err, errsz)) != SB_OK)
		goto out;
	*from = store_schema_version(s);
	*to = schema_latest(s->be);
	if (*from == *to)
		goto out;
	if (backup == NULL) {
		snprintf(err, errsz, "an upgrade needs --backup PATH: where "
		    "to keep the verified copy made first");
		e = SB_EINVAL;
		goto out;
	}
	if ((e = store_backup(s, backup, key, err, errsz)) != SB_OK)
		goto out;
	if ((e = schema_migrate(s, *to)) != SB_OK) {
		snprintf(err, errsz, "%s: the upgrade stopped at schema %d: %s "
		    "(the backup %s is whole and verified)", path,
		    store_schema_version(s), s->err, backup);
		target_redact(path, err, errsz);
		goto out;
	}
	/* The trail says when the practice changed release. */
	snprintf(detail, sizeof(detail), "schema %d to %d, after a verified "
	    "backup", *from, *to);
	if ((e = txn_begin(s)) == SB_OK)
		e = txn_end(s, audit_append_as(s, "securebase upgrade",
		    "upgrade", "schema", *to, detail));
	if (e != SB_OK)
		snprintf(err, errsz, "upgraded to schema %d, but the audit row "
		    "could not be written: %s", *to, s->err);
out:
	store_close(s);
	store_lock_drop(lk);
	return e;
}

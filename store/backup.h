/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backup.h - online backups that are verified before they count, and
 * restores that refuse a copy that does not verify.
 *
 * A backup is written to PATH.tmp by the engine (SQLite's online backup
 * API; PostgreSQL's pg_dump, custom format, one snapshot), both safe
 * while the practice is in use, then checked: opened (SQLite) or loaded
 * into a scratch database on the same server (PostgreSQL), its integrity
 * checked, its key, and the whole audit chain.  Only then is it renamed
 * to PATH.  The key is not copied: keep it apart from backups.  A
 * PostgreSQL practice is restored into an empty database only.
 *
 * The check covers the rows that decide access and safety (rows.h) too,
 * and each backup carries its own proof of everything else: PATH.sum, one
 * line "securebase-backup-sum 1 size=N blake2b=HEX", a MAC of the whole
 * file under a subkey of the practice key.  A restore checks it first and
 * refuses a copy changed after it was made (any byte, sealed row or not);
 * a backup without one (an earlier release's) is restored only when asked
 * (RESTORE_UNSUMMED), its audit trail and sealed rows still checked.
 */
#ifndef SB_BACKUP_H
#define SB_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "store/audit.h"
#include "store/store.h"

/* Checks a database file: integrity, key, audit chain (into *r), the
 * sealed rows.  It opens the file as a practice, which may write to it:
 * a backup is checked where it lies by store_backup_sum_check(). */
enum sb_err	 store_check_file(const char *path, const struct store_key *,
		    struct audit_report *r, char *err, size_t errsz) SB_MUST;
/*
 * Checks backup (a file) against backup.sum with the practice's keys:
 * SB_OK when it matches; SB_ENOENT (said in err) when there is no sum;
 * SB_EINVAL when the file was changed since, or the sum was not made with
 * this key.
 */
enum sb_err	 store_backup_sum_check(const char *backup,
		    const struct store_key *, char *err, size_t errsz) SB_MUST;
/* Writes a verified copy of the open store to dest (must not exist). */
enum sb_err	 store_backup(struct store *, const char *dest,
		    const struct store_key *, char *err, size_t errsz) SB_MUST;
/*
 * Restores the backup at src to dest after verifying it; an existing dest
 * is replaced only when replace is set, and then kept as
 * dest.replaced-STAMP, whose path goes into kept (may be NULL; "" when
 * nothing was replaced).  The backup file is not modified.
 */
#define RESTORE_REPLACE		0x1	/* over an existing file */
#define RESTORE_UNSUMMED	0x2	/* a backup without PATH.sum */
enum sb_err	 store_restore(const char *src, const char *dest,
		    const struct store_key *, unsigned flags, char *kept,
		    size_t keptsz, char *err, size_t errsz) SB_MUST;

#endif

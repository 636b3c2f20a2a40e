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
 */
#ifndef SB_BACKUP_H
#define SB_BACKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "store/audit.h"
#include "store/store.h"

/* Checks a database file: integrity, key, audit chain (into *r). */
enum sb_err	 store_check_file(const char *path, const struct store_key *,
		    struct audit_report *r, char *err, size_t errsz);
/* Writes a verified copy of the open store to dest (must not exist). */
enum sb_err	 store_backup(struct store *, const char *dest,
		    const struct store_key *, char *err, size_t errsz);
/*
 * Restores the backup at src to dest after verifying it; an existing dest
 * is replaced only when replace is set.  The backup file is not modified.
 */
enum sb_err	 store_restore(const char *src, const char *dest,
		    const struct store_key *, bool replace, char *err,
		    size_t errsz);

#endif

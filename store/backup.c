/*
 * backup.c - verified backups and restores.  See backup.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/backup.h"
#include "store/store_int.h"

static void
remove_db(const char *path)
{
	char	 side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-journal", path);
	unlink(side);
}

/* Copies the database src (an open handle) into the file dest. */
static enum sb_err
copy_db(sqlite3 *src, const char *dest, char *err, size_t errsz)
{
	sqlite3		*to = NULL;
	sqlite3_backup	*b;
	int		 rc, fd;

	/*
	 * Made here, private and new, before SQLite opens it: SQLite would
	 * create it 0644 under the usual umask, and follow a link planted
	 * in its place.  Its journal takes the same mode.
	 */
	if ((fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", dest, strerror(errno));
		return SB_EIO;
	}
	close(fd);
	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", dest, to ?
		    sqlite3_errmsg(to) : "cannot create");
		sqlite3_close(to);
		return SB_EIO;
	}
	if ((b = sqlite3_backup_init(to, "main", src, "main")) == NULL) {
		snprintf(err, errsz, "%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return SB_EIO;
	}
	/* All pages in one step: a consistent snapshot of the source. */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "%s: backup failed: %s", dest,
		    sqlite3_errstr(rc));
		sqlite3_close(to);
		return SB_EIO;
	}
	/* Checkpoint and leave a single self-contained file. */
	sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	if (sqlite3_close(to) != SQLITE_OK) {
		snprintf(err, errsz, "%s: cannot close the copy", dest);
		return SB_EIO;
	}
	return SB_OK;
}

static enum sb_err
single_file(const char *path, char *err, size_t errsz)
{
	sqlite3	*db = NULL;
	int	 rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL,
		    NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errsz, "%s: %s", path, db ? sqlite3_errmsg(db) :
		    "cannot open");
	sqlite3_close(db);
	return rc == SQLITE_OK ? SB_OK : SB_EIO;
}

static enum sb_err
fsync_path(const char *path)
{
	int	 fd;
	int	 rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return SB_EIO;
	rc = fsync(fd);
	close(fd);
	return rc == 0 ? SB_OK : SB_EIO;
}

enum sb_err
store_check_file(const char *path, const struct store_key *key,
    struct audit_report *r, char *err, size_t errsz)
{
	struct store	*s;
	sqlite3_stmt	*st;
	enum sb_err	 e;
	bool		 ok;

	memset(r, 0, sizeof(*r));
	if ((e = store_open(path, key, &s, err, errsz)) != SB_OK)
		return e;
	if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(s->db));
		store_close(s);
		return SB_EIO;
	}
	ok = sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	if (!ok)
		snprintf(err, errsz, "%s: integrity check failed: %s", path,
		    sqlite3_column_text(st, 0) ? (const char *)
		    sqlite3_column_text(st, 0) : "?");
	sqlite3_finalize(st);
	if (ok && (e = audit_verify(s, r)) != SB_OK) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		ok = false;
	} else if (ok && !r->intact) {
		snprintf(err, errsz, "%s: audit trail: %s", path, r->what);
		ok = false;
	}
	store_close(s);
	return ok ? SB_OK : SB_EINVAL;
}

static enum sb_err
fsync_dir_of(const char *path)
{
	char		 dir[4096];
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return fsync_path(".");
	if ((size_t)(slash - path) >= sizeof(dir))
		return SB_ELIMIT;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return fsync_path(slash == path ? "/" : dir);
}

/*
 * The one way a copy becomes a database file: copy src to tmp, check it
 * (integrity, key, audit chain), make it one self-contained file, put it
 * on disk, and only then rename it to dest.  On any failure tmp is
 * removed and dest is untouched.
 */
static enum sb_err
place_verified(sqlite3 *src, const char *tmp, const char *dest,
    const struct store_key *key, bool replace, char *err, size_t errsz)
{
	struct audit_report	 r;
	enum sb_err		 e;

	remove_db(tmp);
	if ((e = copy_db(src, tmp, err, errsz)) != SB_OK ||
	    (e = store_check_file(tmp, key, &r, err, errsz)) != SB_OK ||
	    (e = single_file(tmp, err, errsz)) != SB_OK)
		goto bad;
	if (fsync_path(tmp) != SB_OK) {
		snprintf(err, errsz, "%s: cannot flush the copy", tmp);
		e = SB_EIO;
		goto bad;
	}
	if (replace)
		remove_db(dest);
	if (rename(tmp, dest) != 0) {
		snprintf(err, errsz, "%s: %s", dest, strerror(errno));
		e = SB_EIO;
		goto bad;
	}
	/* The rename is durable only once the directory is on disk too. */
	if (fsync_dir_of(dest) != SB_OK) {
		snprintf(err, errsz, "%s: cannot flush its directory", dest);
		return SB_EIO;
	}
	return SB_OK;
bad:
	remove_db(tmp);
	return e;
}

enum sb_err
store_backup(struct store *s, const char *dest, const struct store_key *key,
    char *err, size_t errsz)
{
	char	 tmp[4096];

	if (access(dest, F_OK) == 0) {
		snprintf(err, errsz, "%s: already exists; a backup never "
		    "overwrites", dest);
		return SB_EIO;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp))
		return SB_ELIMIT;
	return place_verified(s->db, tmp, dest, key, false, err, errsz);
}

enum sb_err
store_restore(const char *src, const char *dest, const struct store_key *key,
    bool replace, char *err, size_t errsz)
{
	sqlite3			*from = NULL;
	struct store_lock	*lk;
	char			 tmp[4096];
	enum sb_err		 e;

	if (!replace && access(dest, F_OK) == 0) {
		snprintf(err, errsz, "%s: exists; restore over it only with "
		    "--replace (stop the server first)", dest);
		return SB_EIO;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restore", dest) >=
	    sizeof(tmp))
		return SB_ELIMIT;
	if ((e = file_private(src, "backup", err, errsz)) != SB_OK)
		return e;
	/* Never from under a running server, nor with another restore. */
	if ((e = store_lock_take(dest, "restore", &lk, err, errsz)) != SB_OK)
		return e;
	/* Read the backup without changing it, into a copy we verify. */
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", src, from ?
		    sqlite3_errmsg(from) : "cannot open");
		sqlite3_close(from);
		store_lock_drop(lk);
		return SB_EIO;
	}
	e = place_verified(from, tmp, dest, key, replace, err, errsz);
	sqlite3_close(from);
	store_lock_drop(lk);
	return e;
}

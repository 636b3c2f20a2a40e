/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backup.c - verified backups and restores.  See backup.h.  The copy
 * itself is the backend's (its copy operation); what makes a copy count
 * (checked, self-contained, on disk, renamed) is here, for every
 * backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "store/backup.h"
#include "store/store_int.h"

/* Copies the open database src into the new private file dest. */
static SB_MUST enum sb_err
copy_db(const struct store_backend *be, struct be_conn *src, const char *dest,
    char *err, size_t errsz)
{
	int	 fd;

	/*
	 * Made here, private and new, before the engine opens it: SQLite
	 * would create it 0644 under the usual umask, and follow a link
	 * planted in its place.  Its journal takes the same mode.
	 */
	if ((fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", dest, strerror(errno));
		return SB_EIO;
	}
	close(fd);
	return be->fs->copy(src, dest, err, errsz);
}

static SB_MUST enum sb_err
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

/*
 * The audit chain of an older schema's file, checked as this release
 * reads it: on a scratch copy brought to the latest schema, so that the
 * file itself keeps its schema (a backup made before an upgrade is for
 * the old release to restore).
 */
static SB_MUST enum sb_err
check_old_chain(struct store *s, const char *path,
    const struct store_key *key, struct audit_report *r, char *err,
    size_t errsz)
{
	struct store	*c = NULL;
	char		 scratch[4200];
	enum sb_err	 e;

	if ((size_t)snprintf(scratch, sizeof(scratch), "%s.verify", path) >=
	    sizeof(scratch))
		return SB_ELIMIT;
	s->be->fs->remove(scratch);
	if ((e = copy_db(s->be, s->conn, scratch, err, errsz)) != SB_OK)
		goto out;
	if ((e = store_open_as_is(scratch, key, &c, err, errsz)) != SB_OK)
		goto out;
	if ((e = schema_migrate(c, schema_latest(c->be))) != SB_OK ||
	    (e = audit_verify(c, r)) != SB_OK)
		snprintf(err, errsz, "%s: %s", path, c->err);
out:
	store_close(c);
	s->be->fs->remove(scratch);
	return e;
}

/* ---- the backup's own proof: PATH.sum ---- */

#define SUM_LINE	"securebase-backup-sum 1"

/* The MAC of the whole file at path under the backup subkey, and its
 * size. */
static SB_MUST enum sb_err
file_mac(const struct keys *k, const char *path, unsigned char *out,
    long long *size, char *err, size_t errsz)
{
	crypto_generichash_state	 h;
	unsigned char			 b[1 << 16];
	ssize_t				 n;
	int				 fd;

	*size = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return SB_EIO;
	}
	crypto_generichash_init(&h, k->backup, KEY_BYTES, MAC_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)SUM_LINE,
	    sizeof(SUM_LINE));
	while ((n = read(fd, b, sizeof(b))) > 0) {
		crypto_generichash_update(&h, b, (size_t)n);
		*size += n;
	}
	close(fd);
	if (n < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return SB_EIO;
	}
	crypto_generichash_final(&h, out, MAC_BYTES);
	return SB_OK;
}

static SB_MUST enum sb_err
sum_path(const char *backup, const char *ext, char *out, size_t n)
{
	return (size_t)snprintf(out, n, "%s%s", backup, ext) >= n ? SB_ELIMIT :
	    SB_OK;
}

/* Writes backup.sum for the file backup (private, new, on disk). */
static SB_MUST enum sb_err
sum_write(const struct keys *k, const char *backup, char *err, size_t errsz)
{
	unsigned char	 mac[MAC_BYTES];
	char		 path[4200], tmp[4200], hex[MAC_BYTES * 2 + 1];
	char		 line[256];
	long long	 size;
	size_t		 len;
	int		 fd;
	enum sb_err	 e;

	if (sum_path(backup, ".sum", path, sizeof(path)) != SB_OK ||
	    sum_path(backup, ".sum.tmp", tmp, sizeof(tmp)) != SB_OK)
		return SB_ELIMIT;
	if ((e = file_mac(k, backup, mac, &size, err, errsz)) != SB_OK)
		return e;
	sodium_bin2hex(hex, sizeof(hex), mac, MAC_BYTES);
	len = (size_t)snprintf(line, sizeof(line), SUM_LINE " size=%lld "
	    "blake2b=%s\n", size, hex);
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		return SB_EIO;
	}
	if (write(fd, line, len) != (ssize_t)len || fsync(fd) != 0) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return SB_EIO;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return SB_EIO;
	}
	return SB_OK;
}

/* Checks backup against backup.sum with keys k. */
static SB_MUST enum sb_err
sum_check(const struct keys *k, const char *backup, char *err, size_t errsz)
{
	unsigned char	 mac[MAC_BYTES], want[MAC_BYTES];
	char		 path[4200], hex[MAC_BYTES * 2 + 1], line[256];
	long long	 size, want_size;
	ssize_t		 n;
	enum sb_err	 e;
	int		 fd, got;

	if (sum_path(backup, ".sum", path, sizeof(path)) != SB_OK)
		return SB_ELIMIT;
	if (access(path, F_OK) != 0) {
		snprintf(err, errsz, "%s: no checksum beside it (%s): it was "
		    "made by an earlier release, or the file was lost", backup,
		    path);
		return SB_ENOENT;
	}
	/* One short line: read at most a line's worth. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    (n = read(fd, line, sizeof(line) - 1)) < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return SB_EIO;
	}
	close(fd);
	line[n] = '\0';
	hex[0] = '\0';
	got = sscanf(line, SUM_LINE " size=%lld blake2b=%64[0-9a-f]",
	    &want_size, hex);
	if (got != 2 || strlen(hex) != MAC_BYTES * 2 ||
	    sodium_hex2bin(want, MAC_BYTES, hex, strlen(hex), NULL, NULL,
	    NULL) != 0) {
		snprintf(err, errsz, "%s: not a securebase backup checksum",
		    path);
		return SB_EINVAL;
	}
	if ((e = file_mac(k, backup, mac, &size, err, errsz)) != SB_OK)
		return e;
	if (size != want_size || sodium_memcmp(mac, want, MAC_BYTES) != 0) {
		snprintf(err, errsz, "%s was changed after the backup was made "
		    "(%s: %lld bytes then, %lld now%s), or the checksum was "
		    "not made with this practice's key", backup, path,
		    want_size, size, size == want_size ? ", bytes changed" :
		    "");
		return SB_EINVAL;
	}
	return SB_OK;
}

enum sb_err
store_backup_sum_check(const char *backup, const struct store_key *key,
    char *err, size_t errsz)
{
	struct keys	*k = NULL;
	enum sb_err	 e;

	if (crypto_start() != SB_OK) {
		snprintf(err, errsz, "libsodium failed to start");
		return SB_EIO;
	}
	/* A key file opens the sum of any backup; a passphrase needs the
	 * practice's salt, read from the backup itself. */
	if (key->file != NULL)
		e = keys_load(key->file, &k, err, errsz);
	else
		e = store_keys_of(backup, key, &k, err, errsz);
	if (e == SB_OK)
		e = sum_check(k, backup, err, errsz);
	keys_free(k);
	return e;
}

enum sb_err
store_check_file(const char *path, const struct store_key *key,
    struct audit_report *r, char *err, size_t errsz)
{
	struct store	*s;
	char		 what[256] = "";
	enum sb_err	 e;
	bool		 ok;

	memset(r, 0, sizeof(*r));
	/* As it is: a backup of an older schema stays one, for the release
	 * that made it to restore. */
	if ((e = store_open_as_is(path, key, &s, err, errsz)) != SB_OK)
		return e;
	ok = s->be->drv->check(s->conn, true, what, sizeof(what)) == BE_OK &&
	    strcmp(what, "ok") == 0;
	if (!ok)
		snprintf(err, errsz, "%s: integrity check failed: %s", path,
		    what);
	if (ok && s->be->fs->local &&
	    store_schema_version(s) < schema_latest(s->be)) {
		if (check_old_chain(s, path, key, r, err, errsz) != SB_OK)
			ok = false;
	} else if (ok && (e = audit_verify(s, r)) != SB_OK) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		ok = false;
	}
	if (ok && !r->intact) {
		snprintf(err, errsz, "%s: audit trail: %s", path, r->what);
		ok = false;
	}
	/* The rows that decide access and safety (an older schema's have
	 * no seals: its scratch copy was sealed by the migration). */
	if (ok && store_schema_version(s) >= schema_latest(s->be)) {
		struct rows_report	 rr;

		if (rows_verify(s, &rr) != SB_OK) {
			snprintf(err, errsz, "%s: %s", path, s->err);
			ok = false;
		} else if (!rr.intact) {
			snprintf(err, errsz, "%s: sealed rows changed outside "
			    "securebase: %.*s", path, (int)strcspn(rr.what,
			    "\n"), rr.what);
			ok = false;
		}
	}
	store_close(s);
	return ok ? SB_OK : SB_EINVAL;
}

static SB_MUST enum sb_err
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
 * A checked copy at tmp becomes dest: flushed, renamed, and the rename
 * flushed with its directory.  tmp is the caller's to remove on failure
 * (after the rename it is gone).
 */
static SB_MUST enum sb_err
put_in_place(const char *tmp, const char *dest, char *err, size_t errsz)
{
	if (fsync_path(tmp) != SB_OK) {
		snprintf(err, errsz, "%s: cannot flush the copy", tmp);
		return SB_EIO;
	}
	if (rename(tmp, dest) != 0) {
		snprintf(err, errsz, "%s: %s", dest, strerror(errno));
		return SB_EIO;
	}
	/* The rename is durable only once the directory is on disk too. */
	if (fsync_dir_of(dest) != SB_OK) {
		snprintf(err, errsz, "%s: cannot flush its directory", dest);
		return SB_EIO;
	}
	return SB_OK;
}

/*
 * The practice a restore --replace puts a copy in place of, kept beside
 * it as PATH.replaced-STAMP (with its WAL, which SQLite finds by the
 * file's name), private, until someone removes it: a wrong backup
 * restored over the only copy of today's work must not lose it.
 */
static SB_MUST enum sb_err
keep_replaced(const char *dest, char *kept, size_t keptsz, char *err,
    size_t errsz)
{
	char		 to[4200], from[4200], side[4250];
	time_t		 t = (time_t)clock_now();
	struct tm	 tm;
	char		 stamp[32];

	if (access(dest, F_OK) != 0)
		return SB_OK;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	if ((size_t)snprintf(to, sizeof(to), "%s.replaced-%s", dest, stamp) >=
	    sizeof(to))
		return SB_ELIMIT;
	if (access(to, F_OK) == 0) {
		snprintf(err, errsz, "%.400s: already exists (a restore in "
		    "this second already kept one)", to);
		return SB_EIO;
	}
	if (rename(dest, to) != 0) {
		snprintf(err, errsz, "%.400s: %s", dest, strerror(errno));
		return SB_EIO;
	}
	(void)chmod(to, 0600);
	snprintf(from, sizeof(from), "%s-wal", dest);
	snprintf(side, sizeof(side), "%s-wal", to);
	if (rename(from, side) == 0)
		(void)chmod(side, 0600);
	snprintf(from, sizeof(from), "%s-shm", dest);
	unlink(from);
	if (kept != NULL)
		snprintf(kept, keptsz, "%s", to);
	return SB_OK;
}

/*
 * The one way a copy becomes a database file: copy src to tmp, check it
 * (integrity, key, audit chain), make it one self-contained file, put it
 * on disk, and only then rename it to dest.  On any failure tmp is
 * removed and dest is untouched.
 */
static SB_MUST enum sb_err
place_verified(const struct store_backend *be, struct be_conn *src,
    const char *tmp, const char *dest, const struct store_key *key,
    bool replace, char *kept, size_t keptsz, char *err, size_t errsz)
{
	struct audit_report	 r;
	char			 old[4300] = "", side[4350], back[4250];
	enum sb_err		 e;

	be->fs->remove(tmp);
	if ((e = copy_db(be, src, tmp, err, errsz)) != SB_OK ||
	    (e = store_check_file(tmp, key, &r, err, errsz)) != SB_OK ||
	    (e = be->fs->single(tmp, err, errsz)) != SB_OK)
		goto bad;
	if (replace && (e = keep_replaced(dest, old, sizeof(old), err,
	    errsz)) != SB_OK)
		goto bad;
	if ((e = put_in_place(tmp, dest, err, errsz)) != SB_OK) {
		/* The copy did not take its place: the practice goes back
		 * to its own, never left only under the kept name. */
		if (old[0] != '\0' && access(dest, F_OK) != 0 &&
		    rename(old, dest) == 0) {
			snprintf(side, sizeof(side), "%s-wal", old);
			snprintf(back, sizeof(back), "%s-wal", dest);
			(void)rename(side, back);
		}
		goto bad;
	}
	if (kept != NULL && keptsz > 0)
		snprintf(kept, keptsz, "%s", old);
	return SB_OK;
bad:
	be->fs->remove(tmp);
	return e;
}

/*
 * A server's copy (pg_dump's file) is checked by loading it into a
 * scratch database beside the practice and verifying that, as a restore
 * would find it; the scratch database is dropped again either way.
 */
static SB_MUST enum sb_err
check_loaded(struct store *s, const char *copy, const struct store_key *key,
    char *err, size_t errsz)
{
	struct audit_report	 r;
	char			 scratch[4096];
	enum sb_err		 e;

	if ((e = s->be->fs->scratch(s->conn, scratch, sizeof(scratch), err,
	    errsz)) != SB_OK)
		return e;
	memset(&r, 0, sizeof(r));
	if ((e = s->be->fs->load(copy, scratch, err, errsz)) == SB_OK &&
	    (e = store_check_file(scratch, key, &r, err, errsz)) != SB_OK &&
	    r.what[0] != '\0')
		snprintf(err, errsz, "the dump's audit trail does not verify: "
		    "%.400s", r.what);
	s->be->fs->unscratch(s->conn, scratch);
	return e;
}

/* A server's backup: its copy into tmp, checked, on disk, renamed. */
static SB_MUST enum sb_err
backup_dump(struct store *s, const char *tmp, const char *dest,
    const struct store_key *key, char *err, size_t errsz)
{
	enum sb_err	 e;

	unlink(tmp);
	if ((e = copy_db(s->be, s->conn, tmp, err, errsz)) != SB_OK ||
	    (e = check_loaded(s, tmp, key, err, errsz)) != SB_OK)
		goto bad;
	if ((e = put_in_place(tmp, dest, err, errsz)) != SB_OK)
		goto bad;
	return SB_OK;
bad:
	unlink(tmp);
	return e;
}

enum sb_err
store_backup(struct store *s, const char *dest, const struct store_key *key,
    char *err, size_t errsz)
{
	char		 tmp[4096];
	enum sb_err	 e;

	if (access(dest, F_OK) == 0) {
		snprintf(err, errsz, "%s: already exists; a backup never "
		    "overwrites", dest);
		return SB_EIO;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp))
		return SB_ELIMIT;
	if ((e = !s->be->fs->local ? backup_dump(s, tmp, dest, key, err,
	    errsz) :
	    place_verified(s->be, s->conn, tmp, dest, key, false, NULL, 0,
	    err, errsz)) != SB_OK)
		return e;
	/* Its own proof, beside it; a backup without one is not made. */
	if ((e = sum_write(s->keys, dest, err, errsz)) != SB_OK)
		unlink(dest);
	return e;
}

/* The backup's sum, before it is restored: a missing one only when the
 * restore was asked to go without. */
static SB_MUST enum sb_err
restore_sum(const char *src, const struct store_key *key, unsigned flags,
    char *err, size_t errsz)
{
	enum sb_err	 e;
	size_t		 n;

	if ((e = store_backup_sum_check(src, key, err, errsz)) != SB_ENOENT)
		return e;
	if (flags & RESTORE_UNSUMMED)
		return SB_OK;
	n = strlen(err);
	snprintf(err + n, errsz - n, "; restore it with --unsummed to rely on "
	    "its audit trail and sealed rows alone");
	return SB_EINVAL;
}

/*
 * A server's restore: the dump (pg_dump's, a private file) loaded into
 * the empty database dest, all or nothing, then verified there; a dump
 * that does not verify is removed again, and dest left empty.
 */
static SB_MUST enum sb_err
restore_dump(const struct store_backend *be, const char *src,
    const char *dest, const struct store_key *key, unsigned flags,
    char *err, size_t errsz)
{
	struct audit_report	 r;
	struct keys		*k = NULL;
	enum sb_err		 e;

	if ((e = file_private(src, "backup", err, errsz)) != SB_OK)
		return e;
	/* With a key file the sum is checked before anything is loaded;
	 * a passphrase's salt is in the dump, so then after. */
	if (key->file != NULL && (e = restore_sum(src, key, flags, err,
	    errsz)) != SB_OK)
		return e;
	if ((e = be->fs->create(dest, err, errsz)) != SB_OK ||
	    (e = be->fs->load(src, dest, err, errsz)) != SB_OK)
		return e;
	if ((e = store_check_file(dest, key, &r, err, errsz)) == SB_OK &&
	    key->file == NULL && (e = store_keys_of(dest, key, &k, err,
	    errsz)) == SB_OK) {
		e = sum_check(k, src, err, errsz);
		if (e == SB_ENOENT && (flags & RESTORE_UNSUMMED))
			e = SB_OK;
	}
	keys_free(k);
	if (e != SB_OK)
		be->fs->remove(dest);
	return e;
}

enum sb_err
store_restore(const char *src, const char *dest, const struct store_key *key,
    unsigned flags, char *kept, size_t keptsz, char *err, size_t errsz)
{
	bool		 replace = (flags & RESTORE_REPLACE) != 0;
	const struct store_backend	*be = backend_for(src);

	if (kept != NULL && keptsz > 0)
		kept[0] = '\0';
	struct be_conn			*from = NULL;
	struct store_lock		*lk;
	char				 tmp[4096];
	enum sb_err			 e;

	if (backend_for(dest) != NULL && !backend_for(dest)->fs->local) {
		if (replace) {
			snprintf(err, errsz, "a PostgreSQL practice is restored "
			    "into an empty database only (no --replace): make "
			    "a new one, restore, then point the nodes at it");
			return SB_EINVAL;
		}
		return restore_dump(backend_for(dest), src, dest, key, flags,
		    err, errsz);
	}
	if (be == NULL || backend_for(dest) != be) {
		snprintf(err, errsz, "%s: a backup restores to a file of the "
		    "same kind", src);
		return SB_EINVAL;
	}
	if (!replace && access(dest, F_OK) == 0) {
		snprintf(err, errsz, "%s: exists; restore over it only with "
		    "--replace (stop the server first)", dest);
		return SB_EIO;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restore", dest) >=
	    sizeof(tmp))
		return SB_ELIMIT;
	if ((e = file_private(src, "backup", err, errsz)) != SB_OK ||
	    (e = restore_sum(src, key, flags, err, errsz)) != SB_OK)
		return e;
	/* Never from under a running server, nor with another restore. */
	if ((e = store_lock_take(dest, "restore", &lk, err, errsz)) != SB_OK)
		return e;
	/* Read the backup without changing it, into a copy we verify. */
	if ((e = be->drv->open(src, BE_PEEK, &from, err, errsz)) != SB_OK) {
		store_lock_drop_unused(lk, dest);
		return e;
	}
	e = place_verified(be, from, tmp, dest, key, replace, kept, keptsz,
	    err, errsz);
	be->drv->close(from);
	if (e != SB_OK)
		store_lock_drop_unused(lk, dest);
	else
		store_lock_drop(lk);
	return e;
}

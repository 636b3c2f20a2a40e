/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * lock.c - one long-lived writer of a practice at a time.  See store.h.
 *
 * serve holds an exclusive flock(2) on PATH.lock for as long as it runs,
 * and restore for as long as it puts a copy in place of PATH; each is
 * refused while the other holds it, so a restore can never swap the file
 * from under a running server (whose writes would go on into the old,
 * unlinked file and be lost).  flock and a file of its own, not fcntl on
 * the database: SQLite's fcntl locks on a file are dropped when any other
 * descriptor of that file is closed in the process.  The holder writes
 * its pid and what it is doing into the file, for the refusal to name.
 * A PostgreSQL practice's lock is its backend's guard (backend.h): an
 * advisory lock that every serve node holds shared and upgrade, restore
 * and migrate exclusively, so that several nodes serve one database at
 * once and none of them runs while its schema changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/backend.h"

#include "store/store_int.h"

struct store_lock {
	int				 fd;	/* a file's, or -1 */
	const struct store_backend	*be;	/* a server's guard, or NULL */
	struct be_conn			*conn;
	bool				 exclusive;
	char				 who[96];
};

enum sb_err
store_lock_take(const char *db, const char *what, struct store_lock **out,
    char *err, size_t errsz)
{
	struct store_lock	*lk;
	char			 path[4200], held[128];
	ssize_t			 n;
	int			 fd;
	enum sb_err		 e;

	*out = NULL;
	/* Several nodes serve one PostgreSQL database at once: they share
	 * its guard, which the commands that change the whole practice
	 * take alone. */
	if (!store_is_file(db)) {
		const struct store_backend	*be = backend_for(db);
		char				 host[64];

		if ((lk = calloc(1, sizeof(*lk))) == NULL)
			return SB_ENOMEM;
		lk->fd = -1;
		if (be == NULL || be->fs->guard == NULL) {
			*out = lk;
			return SB_OK;
		}
		if (gethostname(host, sizeof(host)) == -1)
			snprintf(host, sizeof(host), "?");
		host[sizeof(host) - 1] = '\0';
		snprintf(lk->who, sizeof(lk->who), "securebase %s pid %ld on %s",
		    what, (long)getpid(), host);
		lk->be = be;
		lk->exclusive = strcmp(what, "serve") != 0;
		if ((e = be->fs->guard(db, lk->exclusive, lk->who, &lk->conn,
		    err,
		    errsz)) != SB_OK) {
			free(lk);
			return e;
		}
		*out = lk;
		return SB_OK;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s.lock", db) >=
	    sizeof(path)) {
		snprintf(err, errsz, "%.400s: path too long", db);
		return SB_ELIMIT;
	}
	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(err, errsz, "%.400s: %s", path, strerror(errno));
		return SB_EIO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = errno == EWOULDBLOCK ? pread(fd, held, sizeof(held) - 1, 0) :
		    -1;
		held[n > 0 ? (size_t)n : 0] = '\0';
		held[strcspn(held, "\n")] = '\0';
		snprintf(err, errsz, "%.400s is in use (%s): stop it first",
		    db, held[0] != '\0' ? held : strerror(errno));
		close(fd);
		return SB_EBUSY;
	}
	snprintf(held, sizeof(held), "securebase %s, pid %ld\n", what,
	    (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, held, strlen(held), 0) !=
	    (ssize_t)strlen(held)) {
		snprintf(err, errsz, "%.400s: %s", path, strerror(errno));
		close(fd);
		return SB_EIO;
	}
	if ((lk = calloc(1, sizeof(*lk))) == NULL) {
		close(fd);
		return SB_ENOMEM;
	}
	lk->fd = fd;
	*out = lk;
	return SB_OK;
}

void
store_lock_drop_unused(struct store_lock *lk, const char *db)
{
	char	 path[4200];

	/* Removed while still held, and only when no practice is there: no
	 * server can be waiting on the lock of a file that does not exist.
	 * (Two restores into one new path at once could each take a lock;
	 * the rename of the second would still be refused by nothing but
	 * its own --replace check, as before.) */
	if (lk != NULL && lk->fd != -1 && access(db, F_OK) != 0 &&
	    (size_t)snprintf(path, sizeof(path), "%s.lock", db) <
	    sizeof(path))
		unlink(path);
	store_lock_drop(lk);
}

enum sb_err
store_lock_renew(struct store_lock *lk, char *err, size_t errsz)
{
	if (lk == NULL || lk->conn == NULL)
		return SB_OK;	/* a file's flock lives with its descriptor */
	return lk->be->fs->guard_renew(lk->conn, lk->exclusive, lk->who, err,
	    errsz);
}

void
store_lock_drop(struct store_lock *lk)
{
	if (lk == NULL)
		return;
	/* A guard's transaction ends with its connection. */
	if (lk->conn != NULL)
		lk->be->drv->close(lk->conn);
	/* The file stays: removing it would race with the next taker.  Its
	 * text is cleared; if that fails, a stale name stays, nothing worse
	 * (the lock, not the text, says who holds it). */
	if (lk->fd != -1 && ftruncate(lk->fd, 0) == -1) {
		/* nothing to do */
	}
	if (lk->fd != -1)
		close(lk->fd);
	free(lk);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite.c - the SQLite backend: one practice, one file, nothing to
 * install.  The store reaches it only through sqlite_backend, the table
 * of backend.h; this file and sqlite_schema.c are the only ones that
 * speak to SQLite (scripts/lint.sh).
 *
 * A prepared statement is SQLite's own sqlite3_stmt behind the opaque
 * struct be_stmt; a connection carries the handle and the state of its
 * wait for the write lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/sqlite.h"
#include "store/store_int.h"

struct be_conn {
	sqlite3		*db;
	struct timespec	 busy_since;	/* when the wait for the lock began */
};

#define ST(h)	((sqlite3_stmt *)(void *)(h))

static enum be_rc
rc_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
		return BE_OK;
	case SQLITE_ROW:
		return BE_ROW;
	case SQLITE_DONE:
		return BE_DONE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return BE_BUSY;
	case SQLITE_CONSTRAINT:
		return BE_CONSTRAINT;
	case SQLITE_NOMEM:
		return BE_NOMEM;
	default:
		return BE_ERROR;
	}
}

static bool
sq_handles(const char *target)
{
	/* Anything that is not a URL is a file path. */
	return strstr(target, "://") == NULL;
}

/*
 * Waiting for the write lock.  A long import commits a slice about every
 * 40 ms and pauses briefly before the next (store_slices_step), so a
 * writer that looks often finds the lock free within a slice or two;
 * SQLite's own handler backs off to 100 ms sleeps and would miss most of
 * those gaps.  So: look every 2 ms, and give up (SQLITE_BUSY, "busy")
 * only after STORE_BUSY_MS, far longer than any slice.
 */
static int
busy_wait(void *arg, int n)
{
	struct be_conn	*c = arg;
	struct timespec	 now, nap = { 0, 2 * 1000 * 1000 };
	int64_t		 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n == 0)
		c->busy_since = now;
	ms = (int64_t)(now.tv_sec - c->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - c->busy_since.tv_nsec) / 1000000;
	if (ms >= STORE_BUSY_MS)
		return 0;
	nanosleep(&nap, NULL);
	return 1;
}

/* The settings every session gets; see docs/security.md. */
static int
configure(struct be_conn *c, bool readonly, const char **what)
{
	static const char *const pragmas[] = {
		/* First: a read-only handle skips it (and changes nothing). */
		"PRAGMA journal_mode = WAL",
		/* FULL: a commit is on disk before it is acknowledged. */
		"PRAGMA synchronous = FULL",
		"PRAGMA foreign_keys = ON",
		/* Deleted content is overwritten, not left in free pages. */
		"PRAGMA secure_delete = ON",
		"PRAGMA trusted_schema = OFF",
		/* 64 MiB of page cache: a large import stays in memory
		 * until its commit instead of spilling page by page. */
		"PRAGMA cache_size = -65536",
	};
	size_t	 i;
	int	 on = 1, rc;

	sqlite3_busy_handler(c->db, busy_wait, c);
	/* Defensive mode: no writable_schema, no raw page edits through
	 * SQL, even for someone who gets a statement in. */
	*what = "enabling defensive mode";
	if ((rc = sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
	    &on)) != SQLITE_OK)
		return rc;
	for (i = readonly ? 1 : 0; i < sizeof(pragmas) / sizeof(pragmas[0]);
	    i++) {
		*what = pragmas[i];
		if ((rc = sqlite3_exec(c->db, pragmas[i], NULL, NULL, NULL)) !=
		    SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

#ifdef SB_FAULTS
/*
 * The anomaly build fails the Nth allocation SQLite makes, as SQLite's
 * own tests do (store/fault.c counts): the default allocator, wrapped.
 */
static sqlite3_mem_methods	 real_mem;

static void *
fault_malloc(int n)
{
	return fault_alloc_due() ? NULL : real_mem.xMalloc(n);
}

static void *
fault_realloc(void *p, int n)
{
	return fault_alloc_due() ? NULL : real_mem.xRealloc(p, n);
}
#endif

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void
sqlite_setup(void)
{
	/* Without memory statistics SQLite takes no global lock on every
	 * allocation, which serialised the server's threads. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifdef SB_FAULTS
	{
		sqlite3_mem_methods	 m;

		if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem) ==
		    SQLITE_OK) {
			m = real_mem;
			m.xMalloc = fault_malloc;
			m.xRealloc = fault_realloc;
			(void)sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
		}
	}
#endif
}

static void
sq_close(struct be_conn *c)
{
	if (c == NULL)
		return;
	sqlite3_close(c->db);
	free(c);
}

static SB_MUST enum sb_err
sq_open(const char *path, enum be_mode mode, struct be_conn **out,
    char *err, size_t errsz)
{
	struct be_conn	*c;
	const char	*what = "";
	int		 flags;
	enum sb_err	 e;

	*out = NULL;
	(void)pthread_once(&sqlite_once, sqlite_setup);
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		return SB_ENOMEM;
	}
	/* NOMUTEX: a handle is used by one thread at a time (the server
	 * lends each request its own), so SQLite's per-call locking is
	 * only cost. */
	flags = (mode == BE_WRITE ? SQLITE_OPEN_READWRITE :
	    SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
		/* Without a handle, SQLite's message is "out of memory". */
		snprintf(err, errsz, "%s: %s", path, sqlite3_errmsg(c->db));
		e = sqlite3_errcode(c->db) == SQLITE_NOMEM ? SB_ENOMEM : SB_EIO;
		sq_close(c);
		return e;
	}
	if (mode == BE_PEEK)
		sqlite3_busy_timeout(c->db, STORE_BUSY_MS);
	else if (configure(c, mode == BE_READ, &what) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s: %s", path, what,
		    sqlite3_errmsg(c->db));
		sq_close(c);
		return SB_EIO;
	}
	*out = c;
	return SB_OK;
}

static enum be_rc
sq_exec(struct be_conn *c, const char *sql)
{
	return rc_of(sqlite3_exec(c->db, sql, NULL, NULL, NULL));
}

static enum be_rc
sq_prepare(struct be_conn *c, const char *sql, bool keep,
    struct be_stmt **out)
{
	sqlite3_stmt	*st = NULL;
	int		 rc;

	rc = sqlite3_prepare_v3(c->db, sql, -1, keep ?
	    SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
	*out = (struct be_stmt *)(void *)st;
	return rc_of(rc);
}

static void
sq_finalize(struct be_stmt *h)
{
	sqlite3_finalize(ST(h));
}

static void
sq_reset(struct be_stmt *h, bool clear)
{
	sqlite3_reset(ST(h));
	if (clear)
		sqlite3_clear_bindings(ST(h));
}

static enum be_rc
sq_bind_int64(struct be_stmt *h, int i, int64_t v)
{
	return rc_of(sqlite3_bind_int64(ST(h), i, v));
}

static enum be_rc
sq_bind_text(struct be_stmt *h, int i, const char *v, bool ref)
{
	return rc_of(sqlite3_bind_text(ST(h), i, v, -1, ref ? SQLITE_STATIC :
	    SQLITE_TRANSIENT));
}

static enum be_rc
sq_bind_blob(struct be_stmt *h, int i, const void *v, size_t n, bool ref)
{
	if (n > INT32_MAX)
		return BE_ERROR;
	return rc_of(sqlite3_bind_blob(ST(h), i, v, (int)n, ref ?
	    SQLITE_STATIC : SQLITE_TRANSIENT));
}

static enum be_rc
sq_bind_null(struct be_stmt *h, int i)
{
	return rc_of(sqlite3_bind_null(ST(h), i));
}

static enum be_rc
sq_step(struct be_stmt *h)
{
	return rc_of(sqlite3_step(ST(h)));
}

static int64_t
sq_column_int64(struct be_stmt *h, int i)
{
	return sqlite3_column_int64(ST(h), i);
}

static double
sq_column_double(struct be_stmt *h, int i)
{
	return sqlite3_column_double(ST(h), i);
}

static const char *
sq_column_text(struct be_stmt *h, int i)
{
	return (const char *)sqlite3_column_text(ST(h), i);
}

static const void *
sq_column_blob(struct be_stmt *h, int i)
{
	return sqlite3_column_blob(ST(h), i);
}

static size_t
sq_column_bytes(struct be_stmt *h, int i)
{
	return (size_t)sqlite3_column_bytes(ST(h), i);
}

static bool
sq_column_null(struct be_stmt *h, int i)
{
	return sqlite3_column_type(ST(h), i) == SQLITE_NULL;
}

static enum be_type
sq_column_type(struct be_stmt *st, int i)
{
	switch (sqlite3_column_type(ST(st), i)) {
	case SQLITE_INTEGER:
		return BE_T_INT;
	case SQLITE_FLOAT:
		return BE_T_REAL;
	case SQLITE_TEXT:
		return BE_T_TEXT;
	case SQLITE_BLOB:
		return BE_T_BLOB;
	default:
		return BE_T_NULL;
	}
}

static int
sq_column_count(struct be_stmt *h)
{
	return sqlite3_column_count(ST(h));
}

static const char *
sq_column_name(struct be_stmt *h, int i)
{
	return sqlite3_column_name(ST(h), i);
}

static int64_t
sq_changes(struct be_conn *c)
{
	return sqlite3_changes64(c->db);
}

static int64_t
sq_total_changes(struct be_conn *c)
{
	return sqlite3_total_changes64(c->db);
}

static int64_t
sq_last_id(struct be_conn *c)
{
	return sqlite3_last_insert_rowid(c->db);
}

static const char *
sq_errmsg(struct be_conn *c)
{
	return sqlite3_errmsg(c->db);
}

static enum be_rc
sq_errclass(struct be_conn *c)
{
	return rc_of(sqlite3_extended_errcode(c->db));
}

static bool
sq_in_txn(struct be_conn *c)
{
	return !sqlite3_get_autocommit(c->db);
}

/* One integer a PRAGMA returns. */
static enum be_rc
pragma_int(struct be_conn *c, const char *sql, int64_t *v)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK)
		return rc_of(rc);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? BE_OK : rc_of(rc);
}

static enum be_rc
sq_identify(struct be_conn *c, int64_t *app)
{
	enum be_rc	 rc;

	/* Reading the header is the first read: a file that is not SQLite
	 * fails here. */
	*app = -1;
	if ((rc = pragma_int(c, "PRAGMA application_id", app)) != BE_OK)
		*app = -1;
	return rc;
}

static enum be_rc
sq_mark(struct be_conn *c, int64_t app)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA application_id = %lld",
	    (long long)app);
	return rc_of(sqlite3_exec(c->db, sql, NULL, NULL, NULL));
}

static enum be_rc
sq_check(struct be_conn *c, bool full, char *what, size_t whatsz)
{
	sqlite3_stmt	*st;
	const char	*t;
	int		 rc;

	if ((rc = sqlite3_prepare_v2(c->db, full ? "PRAGMA integrity_check" :
	    "PRAGMA quick_check(1)", -1, &st, NULL)) != SQLITE_OK) {
		snprintf(what, whatsz, "%s", sqlite3_errmsg(c->db));
		return rc_of(rc);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (t = (const char *)sqlite3_column_text(st,
	    0)) != NULL)
		snprintf(what, whatsz, "%s", t);
	else
		snprintf(what, whatsz, "%s", sqlite3_errmsg(c->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? BE_OK : rc_of(rc);
}

static SB_MUST enum sb_err
sq_copy(struct be_conn *src, const char *dest, char *err, size_t errsz)
{
	sqlite3		*to = NULL;
	sqlite3_backup	*b;
	int		 rc;

	if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", dest, to ?
		    sqlite3_errmsg(to) : "cannot open");
		sqlite3_close(to);
		return SB_EIO;
	}
	if ((b = sqlite3_backup_init(to, "main", src->db, "main")) == NULL) {
		snprintf(err, errsz, "%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return SB_EIO;
	}
	/* All pages in one step: a consistent snapshot of the source. */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "%s: copy failed: %s", dest,
		    sqlite3_errstr(rc));
		sqlite3_close(to);
		return SB_EIO;
	}
	/* One self-contained file: no -wal beside it to lose. */
	if ((rc = sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", dest, sqlite3_errmsg(to));
		sqlite3_close(to);
		return SB_EIO;
	}
	if (sqlite3_close(to) != SQLITE_OK) {
		snprintf(err, errsz, "%s: cannot close the copy", dest);
		return SB_EIO;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
sq_single(const char *path, char *err, size_t errsz)
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
	if (sqlite3_close(db) != SQLITE_OK && rc == SQLITE_OK) {
		snprintf(err, errsz, "%s: cannot close the copy", path);
		rc = SQLITE_IOERR;
	}
	return rc == SQLITE_OK ? SB_OK : SB_EIO;
}

/* A new file, private from its first byte; init never touches one that
 * exists. */
static SB_MUST enum sb_err
sq_create(const char *path, char *err, size_t errsz)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", path, errno == EEXIST ?
		    "already exists; init creates a new practice only" :
		    strerror(errno));
		return SB_EIO;
	}
	close(fd);
	return SB_OK;
}

static void
sq_remove(const char *path)
{
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	char	 p[4200];
	size_t	 i;

	unlink(path);
	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, side[i]);
		unlink(p);
	}
}

/*
 * After a failed open for writing: when the cause is a file or directory
 * this user cannot write, err says which (SQLite says only "readonly
 * database" or "unable to open database file").
 */
static void
sq_explain(const char *path, char *err, size_t errsz)
{
	char		 dir[4096], side[4200];
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	snprintf(side, sizeof(side), "%s-shm", path);
	if (access(path, W_OK) != 0)
		snprintf(err, errsz, "%s: the database file is not writable "
		    "by this user (%s)", path, strerror(errno));
	else if (access(dir, W_OK) != 0)
		snprintf(err, errsz, "%s: its directory %s is not writable by "
		    "this user: SQLite keeps %s-wal and %s-shm beside the "
		    "database", path, dir, path, path);
	else if (access(side, F_OK) == 0 && access(side, W_OK) != 0)
		snprintf(err, errsz, "%s is not writable by this user (left by "
		    "another user?): remove it while no securebase runs", side);
}

sqlite3 *
sqlite_handle(struct store *s)
{
	return s->be == &sqlite_backend ? s->conn->db : NULL;
}

static const struct be_driver sqlite_drv = {
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.column_bytes = sq_column_bytes,
	.column_null = sq_column_null,
	.column_type = sq_column_type,
	.column_count = sq_column_count,
	.column_name = sq_column_name,
	.changes = sq_changes,
	.total_changes = sq_total_changes,
	.last_id = sq_last_id,
	.errmsg = sq_errmsg,
	.errclass = sq_errclass,
	.in_txn = sq_in_txn,
	.identify = sq_identify,
	.mark = sq_mark,
	.check = sq_check,
};

static const struct be_files sqlite_fs = {
	.local = true,
	.create = sq_create,
	.copy = sq_copy,
	.single = sq_single,
	.remove = sq_remove,
	.explain = sq_explain,
};

static const struct be_dialect sqlite_sql = {
	.migrations = sqlite_migrations,
	.migration_code = sqlite_migration_code,
	.nmigration_code = SQLITE_MIGRATION_CODE,
	.rebuild_migration = 27,
	.fk_off = "PRAGMA foreign_keys = OFF",
	.fk_on = "PRAGMA foreign_keys = ON",
	.fk_check = "PRAGMA foreign_key_check",
	.guards = sqlite_guards,
	.version_table = "CREATE TABLE IF NOT EXISTS schema_version ("
	    "version INTEGER PRIMARY KEY, applied TEXT NOT NULL) STRICT",
	.begin_write = "BEGIN IMMEDIATE",
	.begin_read = "BEGIN",
	.guard_sql = "SELECT sql FROM sqlite_schema WHERE type = 'trigger' "
	    "AND name = ?",
	/* The write lock is the whole database's: no row locks. */
	.outbox_claim = BE_OUTBOX_CLAIM,
};

const struct store_backend sqlite_backend = {
	.name = "sqlite",
	.handles = sq_handles,
	.drv = &sqlite_drv,
	.fs = &sqlite_fs,
	.sql = &sqlite_sql,
};

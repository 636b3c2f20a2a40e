/*
 * db.c - opening the practice database, its settings, transactions, the
 * acting user and the helpers the record modules share.  See store.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/text.h"
#include "store/store_int.h"

enum sb_err
fail(struct store *s, enum sb_err e, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	return e;
}

enum sb_err
fail_db(struct store *s, const char *what)
{
	int	 rc = sqlite3_extended_errcode(s->db);

	snprintf(s->err, sizeof(s->err), "%s: %s", what, sqlite3_errmsg(s->db));
	if (rc == SQLITE_NOMEM)
		return SB_ENOMEM;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return SB_EINVAL;
	return SB_EIO;
}

const char *
store_errmsg(const struct store *s)
{
	return s->err;
}

sqlite3_stmt *
stmt(struct store *s, const char *sql)
{
	struct stmt_slot	*c;
	size_t			 i, cap;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].st);
			sqlite3_clear_bindings(s->cache[i].st);
			return s->cache[i].st;
		}
	if (s->ncache == s->capcache) {
		cap = s->capcache ? s->capcache * 2 : 128;
		if ((c = realloc(s->cache, cap * sizeof(*c))) == NULL)
			return NULL;	/* the caller's fail_db says why */
		s->cache = c;
		s->capcache = cap;
	}
	c = &s->cache[s->ncache];
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->st, NULL) != SQLITE_OK)
		return NULL;
	c->sql = sql;
	s->ncache++;
	return c->st;
}

void
stmt_reset_all(struct store *s)
{
	size_t	 i;

	for (i = 0; i < s->ncache; i++)
		sqlite3_reset(s->cache[i].st);
}

enum sb_err
txn_begin(struct store *s)
{
	if (s->depth++ > 0)
		return SB_OK;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		s->depth = 0;
		return fail_db(s, "starting a transaction");
	}
	return SB_OK;
}

static void
forget(struct store *s)
{
	s->head_cached = s->head_dirty = false;
	s->acc_client = 0;
}

enum sb_err
txn_end(struct store *s, enum sb_err e)
{
	if (s->depth == 0)
		return e;
	/* A read inside a page view has nothing to undo, and the view's
	 * snapshot and kept audit rows must outlive a refused read. */
	if (s->viewing && s->depth > 1) {
		s->depth--;
		return e;
	}
	if (e == SB_OK && s->depth == 1)
		e = audit_flush_head(s);
	if (e != SB_OK) {
		/* Any failure inside undoes the whole transaction. */
		s->depth = 0;
		forget(s);
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	if (--s->depth > 0)
		return SB_OK;
	forget(s);
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		e = fail_db(s, "committing");
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return e;
	}
	return SB_OK;
}

enum sb_err
step_row(struct store *s, sqlite3_stmt *st, bool *row, const char *what)
{
	int	 rc = sqlite3_step(st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return SB_OK;
	return fail_db(s, what);
}

/* ---- long writes in slices (store.h) ---- */

bool
slice_due(struct store *s)
{
	struct timespec	 now;

	if (!s->slicing || s->depth != 1)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - s->slice_start.tv_sec) * 1000 +
	    (now.tv_nsec - s->slice_start.tv_nsec) / 1000000 >=
	    IMPORT_SLICE_MS;
}

enum sb_err
slice_next(struct store *s)
{
	struct timespec	 nap = { 0, IMPORT_PAUSE_MS * 1000 * 1000 };
	enum sb_err	 e;

	if ((e = txn_end(s, SB_OK)) != SB_OK) {
		s->slicing = false;
		return e;
	}
	/* Writers waiting for the lock look every 2 ms (busy_wait): this
	 * is their turn. */
	nanosleep(&nap, NULL);
	if ((e = txn_begin(s)) != SB_OK) {
		s->slicing = false;
		return e;
	}
	clock_gettime(CLOCK_MONOTONIC, &s->slice_start);
	return SB_OK;
}

enum sb_err
store_slices_begin(struct store *s)
{
	enum sb_err	 e;

	if (s->depth != 0 || s->slicing)
		return fail(s, SB_EINVAL, "slices begin outside any "
		    "transaction");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	s->slicing = true;
	clock_gettime(CLOCK_MONOTONIC, &s->slice_start);
	return SB_OK;
}

enum sb_err
store_slices_step(struct store *s)
{
	return slice_due(s) ? slice_next(s) : SB_OK;
}

enum sb_err
store_slices_end(struct store *s, enum sb_err e)
{
	s->slicing = false;
	return txn_end(s, e);
}

enum sb_err
store_begin(struct store *s)
{
	return txn_begin(s);
}

enum sb_err
store_commit(struct store *s)
{
	return txn_end(s, SB_OK);
}

void
store_rollback(struct store *s)
{
	(void)txn_end(s, SB_EINVAL);
}

void
now_iso(char out[32])
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool
in_set(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (v != NULL && strcmp(v, *set) == 0)
			return true;
	return false;
}

bool
text_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	return n <= max && utf8_valid(s, n);
}

/*
 * A name or label: one line of any Unicode text but control characters
 * (a line break or tab in a name forged rows wherever it was listed),
 * kept without the spaces around it.  *res is the trimmed text in out,
 * or NULL when an optional one is absent or blank.
 */
enum sb_err
name_check(struct store *s, const char *what, const char *t, bool required,
    char out[STORE_MAX_FIELD + 1], const char **res)
{
	size_t	 n = t != NULL ? strlen(t) : 0;
	long	 at;

	*res = NULL;
	text_trim(&t, &n);
	if (n == 0) {
		if (required)
			return fail(s, SB_EINVAL, "%s is empty", what);
		return SB_OK;
	}
	if (n > STORE_MAX_FIELD)
		return fail(s, SB_ELIMIT, "%s is longer than %d bytes", what,
		    STORE_MAX_FIELD);
	if (!utf8_valid(t, n))
		return fail(s, SB_EINVAL, "%s is not valid UTF-8", what);
	if ((at = text_control_at(t, n, false)) >= 0)
		return fail(s, SB_EINVAL, "%s holds a control character (a "
		    "line break, tab or the like) at byte %ld: a name is one "
		    "line", what, at + 1);
	memcpy(out, t, n);
	out[n] = '\0';
	*res = out;
	return SB_OK;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a real month and day. */
bool
date_ok(const char *s)
{
	return text_date_ok(s);
}

void
store_default_keyfile(const char *path, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s.key", path);
}

int
store_schema_latest(void)
{
	return schema_latest();
}

int
store_schema_version(struct store *s)
{
	sqlite3_stmt	*st;
	int		 v = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version), 0) "
	    "FROM schema_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Waiting for the write lock.  A long import commits a slice about every
 * 40 ms and pauses briefly before the next (store_import_step), so a
 * writer that looks often finds the lock free within a slice or two;
 * SQLite's own handler backs off to 100 ms sleeps and would miss most of
 * those gaps.  So: look every 2 ms, and give up (SQLITE_BUSY, "busy")
 * only after STORE_BUSY_MS, far longer than any slice.
 */
static int
busy_wait(void *arg, int n)
{
	struct busy_wait	*b = arg;
	struct timespec		 now, nap = { 0, 2 * 1000 * 1000 };
	int64_t			 ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n == 0)
		b->since = now;
	ms = (int64_t)(now.tv_sec - b->since.tv_sec) * 1000 +
	    (now.tv_nsec - b->since.tv_nsec) / 1000000;
	if (ms >= STORE_BUSY_MS)
		return 0;
	nanosleep(&nap, NULL);
	return 1;
}

/* The settings every connection gets; see docs/security.md. */
static enum sb_err
configure(struct store *s, bool readonly)
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
	int	 on = 1;

	sqlite3_busy_handler(s->db, busy_wait, &s->busy);
	/* Defensive mode: no writable_schema, no raw page edits through
	 * SQL, even for someone who gets a statement in. */
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on) !=
	    SQLITE_OK)
		return fail_db(s, "enabling defensive mode");
	for (i = readonly ? 1 : 0; i < sizeof(pragmas) / sizeof(pragmas[0]);
	    i++)
		if (sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			return fail_db(s, pragmas[i]);
	return SB_OK;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void
sqlite_setup(void)
{
	/* Without memory statistics SQLite takes no global lock on every
	 * allocation, which serialised the server's threads. */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum sb_err
file_private(const char *path, const char *what, char *err, size_t errsz)
{
	struct stat	 st;

	if (stat(path, &st) == -1)
		return SB_OK;	/* not there: the open says so */
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errsz, "%s: the %s is readable or writable by "
		    "group or others (mode %04o); it holds clinical records: "
		    "chmod 600 %s", path, what, (unsigned)(st.st_mode & 07777),
		    path);
		return SB_EPERM;
	}
	return SB_OK;
}

static enum sb_err
store_new(const char *path, int flags, struct store **out, char *err,
    size_t errsz)
{
	struct store	*s;
	enum sb_err	 e;

	*out = NULL;
	/* Refused like a key file others can read: nothing of a practice
	 * is opened from a file that is not private. */
	if ((e = file_private(path, "database", err, errsz)) != SB_OK)
		return e;
	if ((e = crypto_start()) != SB_OK) {
		snprintf(err, errsz, "libsodium failed to start");
		return e;
	}
	(void)pthread_once(&sqlite_once, sqlite_setup);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SB_ENOMEM;
	/* NOMUTEX: a handle is used by one thread at a time (the server
	 * lends each request its own), so SQLite's per-call locking is
	 * only cost. */
	if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, s->db ?
		    sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return SB_EIO;
	}
	if ((e = configure(s, (flags & SQLITE_OPEN_READONLY) != 0)) != SB_OK) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		store_close(s);
		return e;
	}
	*out = s;
	return SB_OK;
}

enum sb_err
store_quick_check(struct store *s)
{
	sqlite3_stmt	*st;
	char		 what[256] = "";
	int		 rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st,
	    NULL) != SQLITE_OK)
		return fail_db(s, "checking the database file");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(what, sizeof(what), "%s", (const char *)
		    sqlite3_column_text(st, 0));
	else
		snprintf(what, sizeof(what), "%s", sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (strcmp(what, "ok") == 0)
		return SB_OK;
	for (rc = 0; what[rc] != '\0'; rc++)	/* one line */
		if (what[rc] == '\n')
			what[rc] = ' ';
	return fail(s, SB_EIO, "the database file is damaged (%s); stop "
	    "securebase and restore the newest verified backup (securebase "
	    "restore BACKUP --db PATH --replace)", what);
}

/* Gives a practice from before the application id its id. */
static enum sb_err
mark_ours(struct store *s)
{
	sqlite3_stmt	*st;
	int64_t		 app = 0;

	if ((st = stmt(s, "PRAGMA application_id")) == NULL)
		return fail_db(s, "reading the application id");
	if (sqlite3_step(st) == SQLITE_ROW)
		app = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (app == STORE_APPLICATION_ID)
		return SB_OK;
	if (sqlite3_exec(s->db, "PRAGMA application_id = "
	    STORE_APPLICATION_ID_TEXT, NULL, NULL, NULL) != SQLITE_OK)
		return fail_db(s, "setting the application id");
	return SB_OK;
}

/*
 * After a failed open for writing: when the cause is a file or directory
 * this user cannot write, err says which (SQLite says only "readonly
 * database" or "unable to open database file").
 */
static void
explain_unwritable(const char *path, char *err, size_t errsz)
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

/* One blob of meta (key_check, kdf_salt) of a raw handle; false if none
 * or not n bytes. */
static bool
meta_blob(sqlite3 *db, const char *key, unsigned char *out, size_t n)
{
	sqlite3_stmt	*st;
	bool		 ok = false;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1,
	    &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (size_t)sqlite3_column_bytes(st, 0) == n) {
		memcpy(out, sqlite3_column_blob(st, 0), n);
		ok = true;
	}
	sqlite3_finalize(st);
	return ok;
}

/*
 * Looks at path without changing a byte (a read-only handle, no WAL
 * switch, no migration): is it a securebase practice, and is key its
 * key?  *keys out on success (the caller frees them).  A foreign SQLite
 * file, an empty file, or a wrong key is refused as it is.
 */
static enum sb_err
peek(const char *path, const struct store_key *key, struct keys **keys,
    char *err, size_t errsz)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*st;
	struct stat	 sb;
	unsigned char	 check[MAC_BYTES], want[MAC_BYTES], salt[SALT_BYTES];
	int64_t		 app = -1;
	enum sb_err	 e = SB_EINVAL;

	*keys = NULL;
	if (crypto_start() != SB_OK) {
		snprintf(err, errsz, "libsodium failed to start");
		return SB_EIO;
	}
	if (stat(path, &sb) == 0 && sb.st_size == 0) {
		snprintf(err, errsz, "%s: an empty file, not a securebase "
		    "practice database (left as it is)", path);
		return SB_EINVAL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, db ? sqlite3_errmsg(db) :
		    "cannot open");
		e = SB_EIO;
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	if (app < 0) {
		snprintf(err, errsz, "%s: not an SQLite database, or not "
		    "readable: %s", path, sqlite3_errmsg(db));
		/* Reading a WAL database needs its -shm beside it. */
		explain_unwritable(path, err, errsz);
		e = SB_EIO;
		goto out;
	}
	/* 0: made before securebase set its id; then the key check says. */
	if ((app != STORE_APPLICATION_ID && app != 0) ||
	    !meta_blob(db, "key_check", check, sizeof(check))) {
		snprintf(err, errsz, "%s: not a securebase practice database "
		    "(left as it is)", path);
		goto out;
	}
	if (key->file != NULL)
		e = keys_load(key->file, keys, err, errsz);
	else if (!meta_blob(db, "kdf_salt", salt, sizeof(salt))) {
		snprintf(err, errsz, "%s: this practice has a key file, not a "
		    "passphrase", path);
		e = SB_EINVAL;
	} else
		e = keys_from_passphrase_file(key->passphrase_file, salt,
		    keys, err, errsz);
	if (e != SB_OK)
		goto out;
	keys_check_value(*keys, want);
	if (sodium_memcmp(check, want, MAC_BYTES) != 0) {
		snprintf(err, errsz, "%s: this key does not belong to this "
		    "database (wrong key file?); nothing was changed", path);
		keys_free(*keys);
		*keys = NULL;
		e = SB_EPERM;
	}
out:
	sqlite3_close(db);
	sodium_memzero(want, sizeof(want));
	return e;
}

static bool
key_ok(const struct store_key *k, char *err, size_t errsz)
{
	if ((k->file == NULL) == (k->passphrase_file == NULL)) {
		snprintf(err, errsz, "give either a key file or a passphrase "
		    "file, not both");
		return false;
	}
	return true;
}

enum sb_err
store_open(const char *path, const struct store_key *key, struct store **out,
    char *err, size_t errsz)
{
	struct store	*s;
	struct keys	*keys;
	enum sb_err	 e;

	*out = NULL;
	if (!key_ok(key, err, errsz))
		return SB_EINVAL;
	if (access(path, F_OK) != 0) {
		snprintf(err, errsz, "%s: no such database (create one with "
		    "securebase init)", path);
		return SB_ENOENT;
	}
	/* Look before touching: nothing is switched to WAL or migrated
	 * until the file is known to be a practice and the key its own. */
	if ((e = file_private(path, "database", err, errsz)) != SB_OK ||
	    (e = peek(path, key, &keys, err, errsz)) != SB_OK)
		return e;
	if ((e = store_new(path, SQLITE_OPEN_READWRITE, &s, err, errsz)) !=
	    SB_OK) {
		keys_free(keys);
		explain_unwritable(path, err, errsz);
		return e;
	}
	s->keys = keys;
	if ((e = schema_migrate(s, schema_latest())) != SB_OK ||
	    (e = mark_ours(s)) != SB_OK) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		store_close(s);
		explain_unwritable(path, err, errsz);
		return e;
	}
	*out = s;
	return SB_OK;
}

enum sb_err
store_open_readonly(const char *path, const struct store_key *key,
    struct store **out, char *err, size_t errsz)
{
	struct store	*s;
	struct keys	*keys;
	int		 v;
	enum sb_err	 e;

	*out = NULL;
	if (!key_ok(key, err, errsz))
		return SB_EINVAL;
	if (access(path, F_OK) != 0) {
		snprintf(err, errsz, "%s: no such database", path);
		return SB_ENOENT;
	}
	if ((e = file_private(path, "database", err, errsz)) != SB_OK ||
	    (e = peek(path, key, &keys, err, errsz)) != SB_OK)
		return e;
	if ((e = store_new(path, SQLITE_OPEN_READONLY, &s, err, errsz)) !=
	    SB_OK) {
		keys_free(keys);
		return e;
	}
	s->keys = keys;
	if ((v = store_schema_version(s)) != schema_latest()) {
		snprintf(err, errsz, "%s: schema version %d, this securebase "
		    "reads %d; read an older copy by restoring it (a restore "
		    "migrates its own copy)", path, v, schema_latest());
		store_close(s);
		return SB_EINVAL;
	}
	*out = s;
	return SB_OK;
}

enum sb_err
store_init(const char *path, const struct store_key *key, const char *admin,
    const char *password, char *err, size_t errsz)
{
	const char	*why;
	struct store	*s = NULL;
	unsigned char	 check[MAC_BYTES], salt[SALT_BYTES];
	sqlite3_stmt	*st;
	char		 at[32];
	char		 side[4200];
	int		 fd;
	bool		 made_key = false;
	enum sb_err	 e;
	int64_t		 id;

	if (!key_ok(key, err, errsz))
		return SB_EINVAL;
	if (!text_ok(admin, STORE_MAX_NAME) || admin[0] == '\0') {
		snprintf(err, errsz, "the admin name must be 1-%d bytes of "
		    "UTF-8", STORE_MAX_NAME);
		return SB_EINVAL;
	}
	/* Before any file is made: a refused password leaves nothing. */
	if ((why = password_problem(password, admin)) != NULL) {
		snprintf(err, errsz, "%s", why);
		return SB_EINVAL;
	}
	/* O_EXCL: init never touches an existing practice. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errsz, "%s: %s", path, errno == EEXIST ?
		    "already exists; init creates a new practice only" :
		    strerror(errno));
		return SB_EIO;
	}
	close(fd);
	if ((e = store_new(path, SQLITE_OPEN_READWRITE, &s, err, errsz)) !=
	    SB_OK)
		goto bad;
	/* The file says whose it is (`file` and peek() read it). */
	if (sqlite3_exec(s->db, "PRAGMA application_id = "
	    STORE_APPLICATION_ID_TEXT, NULL, NULL, NULL) != SQLITE_OK) {
		e = fail_db(s, "setting the application id");
		goto dberr;
	}
	random_bytes(salt, sizeof(salt));
	if (key->file != NULL)
		e = keys_create(key->file, &s->keys, err, errsz);
	else
		e = keys_from_passphrase_file(key->passphrase_file, salt,
		    &s->keys, err, errsz);
	if (e != SB_OK)
		goto bad;
	made_key = key->file != NULL;
	if ((e = schema_migrate(s, schema_latest())) != SB_OK)
		goto dberr;
	if ((e = txn_begin(s)) != SB_OK)
		goto dberr;
	if (key->passphrase_file != NULL) {
		if ((st = stmt(s, "INSERT INTO meta (key, value) VALUES "
		    "('kdf_salt', ?)")) == NULL) {
			e = txn_end(s, fail_db(s, "writing meta"));
			goto dberr;
		}
		sqlite3_bind_blob(st, 1, salt, SALT_BYTES, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE) {
			e = txn_end(s, fail_db(s, "writing meta"));
			goto dberr;
		}
	}
	keys_check_value(s->keys, check);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO meta (key, value) VALUES "
	    "('key_check', ?), ('created', ?)")) == NULL) {
		e = txn_end(s, fail_db(s, "writing meta"));
		goto dberr;
	}
	sqlite3_bind_blob(st, 1, check, MAC_BYTES, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		e = txn_end(s, fail_db(s, "writing meta"));
		goto dberr;
	}
	if ((e = audit_genesis(s)) != SB_OK) {
		txn_end(s, e);
		goto dberr;
	}
	/* The first admin acts as itself for the audit trail. */
	s->has_actor = true;
	s->actor.role = ROLE_ADMIN;
	snprintf(s->actor.name, sizeof(s->actor.name), "%s", admin);
	if ((e = store_user_add(s, admin, ROLE_ADMIN, password, &id)) !=
	    SB_OK) {
		txn_end(s, e);
		goto dberr;
	}
	if ((e = audit_append(s, "init", "practice", 0, "")) != SB_OK ||
	    (e = txn_end(s, SB_OK)) != SB_OK) {
		txn_end(s, e);
		goto dberr;
	}
	store_close(s);
	return SB_OK;
dberr:
	snprintf(err, errsz, "%s: %s", path, s->err);
bad:
	store_close(s);
	/* Leave nothing behind: a half-made practice is worse than none.
	 * A key file that existed before is not ours to remove. */
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	if (made_key)
		unlink(key->file);
	return e;
}

void
store_close(struct store *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	store_import_abandon(s);
	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	if (s->db != NULL)
		sqlite3_close(s->db);
	keys_free(s->keys);
	free(s->bc);
	free(s);
}

enum sb_err
store_act_as(struct store *s, const char *name)
{
	sqlite3_stmt	*st;
	enum sb_err	 e = SB_OK;

	s->has_actor = false;
	s->acc_client = 0;	/* an access decision belongs to its user */
	s->session = 0;		/* store_session() sets its own */
	if ((st = stmt(s, "SELECT id, role, active, must_change FROM users "
	    "WHERE name = ?")) == NULL)
		return fail_db(s, "looking up the user");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		e = fail(s, SB_EPERM, "no user \"%.64s\" in this practice",
		    name);
	else if (!sqlite3_column_int(st, 2))
		e = fail(s, SB_EPERM, "user \"%.64s\" is disabled", name);
	else {
		s->actor.id = sqlite3_column_int64(st, 0);
		store_role_parse((const char *)sqlite3_column_text(st, 1),
		    &s->actor.role);
		snprintf(s->actor.name, sizeof(s->actor.name), "%s", name);
		s->actor.active = true;
		s->actor.must_change = sqlite3_column_int(st, 3) != 0;
		s->has_actor = true;
	}
	sqlite3_reset(st);
	return e;
}

void
store_act_clear(struct store *s)
{
	s->has_actor = false;
	s->acc_client = 0;
	s->session = 0;
}

const struct store_user *
store_actor(const struct store *s)
{
	return s->has_actor ? &s->actor : NULL;
}

enum sb_err
next_id(struct store *s, const char *sql, int64_t *id)
{
	sqlite3_stmt	*st;

	if ((st = stmt(s, sql)) == NULL || sqlite3_step(st) != SQLITE_ROW)
		return fail_db(s, "allocating an id");
	*id = sqlite3_column_int64(st, 0) + 1;
	sqlite3_reset(st);
	return SB_OK;
}

enum sb_err
bind_sealed(struct store *s, sqlite3_stmt *st, int i, const char *table,
    const char *column, int64_t id, const char *text)
{
	struct buf	 b;
	enum sb_err	 e;

	if (text == NULL) {
		sqlite3_bind_null(st, i);
		return SB_OK;
	}
	buf_init(&b, SEAL_MAX + 64);
	if ((e = field_seal(s->keys, table, column, id, text, strlen(text),
	    &b)) != SB_OK) {
		buf_free(&b);
		return fail(s, e, "cannot encrypt %s.%s", table, column);
	}
	sqlite3_bind_blob(st, i, b.data, (int)b.len, SQLITE_TRANSIENT);
	buf_free(&b);
	return SB_OK;
}

enum sb_err
column_opened_null(struct store *s, sqlite3_stmt *st, int col,
    const char *table, const char *column, int64_t id, struct buf *out,
    const char **text)
{
	enum sb_err	 e;

	*text = NULL;
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return SB_OK;
	if ((e = column_opened(s, st, col, table, column, id, out)) == SB_OK)
		*text = out->data;
	return e;
}

enum sb_err
column_opened(struct store *s, sqlite3_stmt *st, int col, const char *table,
    const char *column, int64_t id, struct buf *out)
{
	const void	*p = sqlite3_column_blob(st, col);
	int		 n = sqlite3_column_bytes(st, col);

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		buf_reset(out);
		return buf_add(out, "", 0);
	}
	if (field_open(s->keys, table, column, id, p, (size_t)n, out) !=
	    SB_OK)
		return fail(s, SB_EPERM, "%s %lld: %s cannot be decrypted "
		    "(altered, moved, or another key)", table, (long long)id,
		    column);
	return SB_OK;
}

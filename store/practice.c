/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * practice.c - a practice database as a whole: where it is (a file or
 * a PostgreSQL URL) and how it is shown, its keys, creating, opening
 * (read-write, read-only, as it is) and closing it, its schema version,
 * and the user the store acts as.  Above stmt.c; see store.h.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store/store_int.h"

bool
store_default_keyfile(const char *path, char *out, size_t outsz)
{
	if (!store_is_file(path)) {
		snprintf(out, outsz, "%s", "");
		return false;
	}
	snprintf(out, outsz, "%s.key", path);
	return true;
}

void
store_target_shown(const char *target, char *out, size_t outsz)
{
	const char	*u = strstr(target, "://"), *at, *colon;
	char		*pw;
	size_t		 o = 0, n;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (store_is_file(target) || u == NULL) {
		snprintf(out, outsz, "%s", target);
		return;
	}
	/* user:password@ -> user@ */
	at = strchr(u + 3, '@');
	colon = strchr(u + 3, ':');
	if (at != NULL && colon != NULL && colon < at &&
	    strcspn(u + 3, "/?") > (size_t)(at - u - 3))
		o = (size_t)snprintf(out, outsz, "%.*s%.*s", (int)(u + 3 -
		    target), target, (int)(colon - u - 3), u + 3);
	else
		at = NULL;
	if (o >= outsz)
		return;
	n = (size_t)snprintf(out + o, outsz - o, "%s", at != NULL ? at :
	    target);
	if (o + n >= outsz)
		return;
	/* password=... among the parameters -> password=*** */
	if ((pw = strstr(out, "password=")) != NULL &&
	    strlen(out) + 3 < outsz) {
		pw += strlen("password=");
		n = strcspn(pw, "&");
		memmove(pw + 3, pw + n, strlen(pw + n) + 1);
		memcpy(pw, "***", 3);
	}
}

/* After a failure: target's password, where err names it, hidden. */
void
target_redact(const char *target, char *err, size_t errsz)
{
	char	 shown[1024], out[2048];
	char	*hit;
	size_t	 tl = strlen(target), o = 0;
	const char *p = err;

	store_target_shown(target, shown, sizeof(shown));
	if (strcmp(shown, target) == 0)
		return;
	while ((hit = strstr(p, target)) != NULL && o < sizeof(out)) {
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%.*s%s",
		    (int)(hit - p), p, shown);
		p = hit + tl;
	}
	if (o < sizeof(out))
		snprintf(out + o, sizeof(out) - o, "%s", p);
	snprintf(err, errsz, "%s", out);
	sodium_memzero(out, sizeof(out));
}

bool
store_is_file(const char *target)
{
	const struct store_backend	*be = backend_for(target);

	return be == NULL || be->fs->local;
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

const struct store_backend *
backend_for(const char *target)
{
	static const struct store_backend *const all[] = { &pg_backend,
	    &sqlite_backend };
	size_t	 i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->handles(target))
			return all[i];
	return NULL;
}

/* The rows' seals, then the audit chain's head: what a commit writes. */
static SB_MUST enum sb_err
hook_flush(struct store *s)
{
	enum sb_err	 e;

	if ((e = rows_flush(s)) != SB_OK)
		return e;
	return audit_flush_head(s);
}

static SB_MUST enum sb_err
hook_altered(struct store *s, const char *table, int64_t id)
{
	return audit_append(s, "altered", table, id, "row seal");
}

static const struct txn_hooks	 record_hooks = {
	.flush = hook_flush,
	.forget = rows_forget,
	.altered = hook_altered,
};

static SB_MUST enum sb_err
store_new(const char *path, enum be_mode mode, struct store **out, char *err,
    size_t errsz)
{
	const struct store_backend	*be;
	struct store			*s;
	enum sb_err			 e;

	*out = NULL;
	if ((be = backend_for(path)) == NULL) {
		snprintf(err, errsz, "%s: not a database this securebase can "
		    "open (a file path or a postgresql:// URL)", path);
		return SB_EINVAL;
	}
	/* Refused like a key file others can read: nothing of a practice
	 * is opened from a file that is not private. */
	if (be->fs->local && (e = file_private(path, "database", err, errsz)) !=
	    SB_OK)
		return e;
	if ((e = crypto_start()) != SB_OK) {
		snprintf(err, errsz, "libsodium failed to start");
		return e;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SB_ENOMEM;
	s->be = be;
	s->hooks = &record_hooks;
	if ((e = be->drv->open(path, mode, &s->conn, err, errsz)) != SB_OK) {
		store_close(s);
		return e;
	}
	*out = s;
	return SB_OK;
}

enum sb_err
store_quick_check(struct store *s)
{
	char	 what[256] = "";
	size_t	 i;

	if (s->be->drv->check(s->conn, false, what, sizeof(what)) == BE_OK &&
	    strcmp(what, "ok") == 0)
		return SB_OK;
	for (i = 0; what[i] != '\0'; i++)	/* one line */
		if (what[i] == '\n')
			what[i] = ' ';
	return fail(s, SB_EIO, "the database file is damaged (%s); stop "
	    "securebase and restore the newest verified backup (securebase "
	    "restore BACKUP --db PATH --replace)", what);
}

/* Gives a practice from before the application id its id. */
static SB_MUST enum sb_err
mark_ours(struct store *s)
{
	int64_t	 app = 0;

	if (s->be->drv->identify(s->conn, &app) != BE_OK)
		return fail_db(s, "reading the application id");
	if (app == STORE_APPLICATION_ID)
		return SB_OK;
	if (s->be->drv->mark(s->conn, STORE_APPLICATION_ID) != BE_OK)
		return fail_db(s, "setting the application id");
	return SB_OK;
}

/*
 * One blob of meta (key_check, kdf_salt) on a bare connection: BE_ROW
 * with it in out, BE_DONE when there is none of n bytes, else the error.
 * A file without a meta table is not a practice (BE_DONE), but a read
 * that fails is not a verdict on the file.
 */
static enum be_rc
meta_blob(const struct store_backend *be, struct be_conn *c, const char *key,
    unsigned char *out, size_t n)
{
	struct be_stmt	*st;
	enum be_rc	 rc;

	if (be->drv->prepare(c, "SELECT value FROM meta WHERE key = ?", false,
	    &st) != BE_OK)
		return be->drv->errclass(c) == BE_ERROR ? BE_DONE :
		    be->drv->errclass(c);
	if ((rc = be->drv->bind_text(st, 1, key, true)) == BE_OK &&
	    (rc = be->drv->step(st)) == BE_ROW) {
		if (be->drv->column_bytes(st, 0) == n)
			memcpy(out, be->drv->column_blob(st, 0), n);
		else
			rc = BE_DONE;
	}
	be->drv->finalize(st);
	return rc;
}

/*
 * Looks at path without changing a byte (a read-only handle, no WAL
 * switch, no migration): is it a securebase practice, and is key its
 * key?  *keys out on success (the caller frees them).  A foreign SQLite
 * file, an empty file, or a wrong key is refused as it is.
 */
static SB_MUST enum sb_err	 peek(const char *, const struct store_key *,
			    struct keys **, char *, size_t);

enum sb_err
store_keys_of(const char *path, const struct store_key *key,
    struct keys **keys, char *err, size_t errsz)
{
	return peek(path, key, keys, err, errsz);
}

static SB_MUST enum sb_err
peek(const char *path, const struct store_key *key, struct keys **keys,
    char *err, size_t errsz)
{
	const struct store_backend	*be = backend_for(path);
	struct be_conn			*c = NULL;
	struct stat			 sb;
	unsigned char			 check[MAC_BYTES], want[MAC_BYTES];
	unsigned char			 salt[SALT_BYTES];
	int64_t				 app = -1;
	enum be_rc			 rc;
	enum sb_err			 e = SB_EINVAL;

	*keys = NULL;
	if (be == NULL) {
		snprintf(err, errsz, "%s: not a database this securebase can "
		    "open (a file path or a postgresql:// URL)", path);
		return SB_EINVAL;
	}
	if (crypto_start() != SB_OK) {
		snprintf(err, errsz, "libsodium failed to start");
		return SB_EIO;
	}
	if (be->fs->local && stat(path, &sb) == 0 && sb.st_size == 0) {
		snprintf(err, errsz, "%s: an empty file, not a securebase "
		    "practice database (left as it is)", path);
		return SB_EINVAL;
	}
	if ((e = be->drv->open(path, BE_PEEK, &c, err, errsz)) != SB_OK)
		goto out;
	if ((rc = be->drv->identify(c, &app)) == BE_NOMEM || rc == BE_BUSY) {
		snprintf(err, errsz, "%s: cannot read: %s", path,
		    be->drv->errmsg(c));
		e = rc == BE_NOMEM ? SB_ENOMEM : SB_EIO;
		goto out;
	}
	if (rc != BE_OK || app < 0) {
		snprintf(err, errsz, "%s: not %s database, or not "
		    "readable: %s", path, be->fs->local ? "an SQLite" : "a "
		    "securebase", be->drv->errmsg(c));
		/* Reading a WAL database needs its -shm beside it. */
		be->fs->explain(path, err, errsz);
		e = SB_EIO;
		goto out;
	}
	/* 0: made before securebase set its id; then the key check says.
	 * (Every PostgreSQL practice has its id from init on: 0 there is a
	 * database that holds none.) */
	if (app == STORE_APPLICATION_ID || (app == 0 && be->fs->local))
		rc = meta_blob(be, c, "key_check", check, sizeof(check));
	else
		rc = BE_DONE;
	if (rc != BE_ROW && rc != BE_DONE && rc != BE_OK) {
		snprintf(err, errsz, "%s: cannot read: %s", path,
		    be->drv->errmsg(c));
		e = rc == BE_NOMEM ? SB_ENOMEM : SB_EIO;
		goto out;
	}
	if (rc != BE_ROW) {
		snprintf(err, errsz, "%s: not a securebase practice database "
		    "(left as it is)", path);
		e = SB_EINVAL;
		goto out;
	}
	if (key->file == NULL &&
	    (rc = meta_blob(be, c, "kdf_salt", salt, sizeof(salt))) !=
	    BE_ROW && rc != BE_DONE) {
		snprintf(err, errsz, "%s: cannot read: %s", path,
		    be->drv->errmsg(c));
		e = rc == BE_NOMEM ? SB_ENOMEM : SB_EIO;
		goto out;
	}
	if (key->file != NULL)
		e = keys_load(key->file, keys, err, errsz);
	else if (rc != BE_ROW) {
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
	if (c != NULL)
		be->drv->close(c);
	sodium_memzero(want, sizeof(want));
	return e;
}

/* Is there a database at path to open (a private file, for SQLite)?
 * A server's database is asked when it is opened. */
static SB_MUST enum sb_err
present(const char *path, const char *hint, char *err, size_t errsz)
{
	const struct store_backend	*be = backend_for(path);

	if (be == NULL) {
		snprintf(err, errsz, "%s: not a database this securebase can "
		    "open (a file path or a postgresql:// URL)", path);
		return SB_EINVAL;
	}
	if (!be->fs->local)
		return SB_OK;
	if (access(path, F_OK) != 0) {
		snprintf(err, errsz, "%s: no such database%s", path, hint);
		return SB_ENOENT;
	}
	return file_private(path, "database", err, errsz);
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

/*
 * How a practice is opened for writing: at the latest schema only (every
 * command), or as it is (checking a backup, and upgrade, which backs up
 * before it migrates).  A schema is never changed as a side effect of
 * opening: an older practice is refused until `securebase upgrade`.
 */
enum open_mode { OPEN_CURRENT, OPEN_AS_IS };

static SB_MUST enum sb_err
open_rw(const char *path, const struct store_key *key, enum open_mode mode,
    struct store **out, char *err, size_t errsz)
{
	struct store	*s;
	struct keys	*keys;
	int		 v;
	enum sb_err	 e;

	*out = NULL;
	if (!key_ok(key, err, errsz))
		return SB_EINVAL;
	/* Look before touching: nothing is switched to WAL or migrated
	 * until the file is known to be a practice and the key its own. */
	if ((e = present(path, " (create one with securebase init)", err,
	    errsz)) != SB_OK ||
	    (e = peek(path, key, &keys, err, errsz)) != SB_OK)
		return e;
	if ((e = store_new(path, BE_WRITE, &s, err, errsz)) != SB_OK) {
		keys_free(keys);
		backend_for(path)->fs->explain(path, err, errsz);
		return e;
	}
	s->keys = keys;
	/* -1 is a read that failed, not a schema to upgrade from. */
	if ((v = store_schema_version(s)) < 0) {
		snprintf(err, errsz, "%s: cannot read its schema version: %s",
		    path, s->be->drv->errmsg(s->conn));
		store_close(s);
		return SB_EIO;
	}
	if (v > schema_latest(s->be)) {
		snprintf(err, errsz, "%s: schema version %d, made by a newer "
		    "securebase than this one (%s, schema %d): run that one, "
		    "or restore a backup made before its upgrade", path, v,
		    SB_VERSION, schema_latest(s->be));
		store_close(s);
		return SB_EINVAL;
	}
	if (mode == OPEN_CURRENT && v < schema_latest(s->be)) {
		snprintf(err, errsz,
		    "%s: schema version %d, and this securebase "
		    "(%s) uses %d: run `securebase upgrade` first (it makes "
		    "and verifies a backup, then upgrades; see docs/deploy.md)",
		    path, v, SB_VERSION, schema_latest(s->be));
		store_close(s);
		return SB_EUPGRADE;
	}
	if ((e = mark_ours(s)) != SB_OK) {
		snprintf(err, errsz, "%s: %s", path, s->err);
		s->be->fs->explain(path, err, errsz);
		store_close(s);
		return e;
	}
#ifdef SB_FAULTS
	fault_opened();
#endif
	*out = s;
	return SB_OK;
}

static SB_MUST enum sb_err
open_ro(const char *path, const struct store_key *key,
    struct store **out, char *err, size_t errsz)
{
	struct store	*s;
	struct keys	*keys;
	int		 v;
	enum sb_err	 e;

	*out = NULL;
	if (!key_ok(key, err, errsz))
		return SB_EINVAL;
	if ((e = present(path, "", err, errsz)) != SB_OK ||
	    (e = peek(path, key, &keys, err, errsz)) != SB_OK)
		return e;
	if ((e = store_new(path, BE_READ, &s, err, errsz)) != SB_OK) {
		keys_free(keys);
		return e;
	}
	s->keys = keys;
	if ((v = store_schema_version(s)) != schema_latest(s->be)) {
		snprintf(err, errsz, "%s: schema version %d, this securebase "
		    "(%s) reads %d: %s", path, v, SB_VERSION,
		    schema_latest(s->be), v < schema_latest(s->be) ? "run "
		    "`securebase upgrade` on it (or on a restored copy) first" :
		    "made by a newer securebase");
		e = v < schema_latest(s->be) ? SB_EUPGRADE : SB_EINVAL;
		store_close(s);
		return e;
	}
#ifdef SB_FAULTS
	fault_opened();
#endif
	*out = s;
	return SB_OK;
}

static SB_MUST enum sb_err
init_practice(const char *path, const struct store_key *key,
    const char *admin, const char *password, char *err, size_t errsz)
{
	const char	*why;
	struct store	*s = NULL;
	unsigned char	 check[MAC_BYTES], salt[SALT_BYTES];
	const struct store_backend	*be;
	struct stmt	*st;
	char		 at[32];
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
	/* Init never touches an existing practice, nor anything else; the
	 * new database says whose it is (`file` and peek() read it) and has
	 * the latest schema.  It is removed again when this fails. */
	if ((e = store_create_empty(path, &s, err, errsz)) != SB_OK)
		return e;
	be = s->be;
	random_bytes(salt, sizeof(salt));
	if (key->file != NULL)
		e = keys_create(key->file, &s->keys, err, errsz);
	else
		e = keys_from_passphrase_file(key->passphrase_file, salt,
		    &s->keys, err, errsz);
	if (e != SB_OK)
		goto bad;
	made_key = key->file != NULL;
	if ((e = txn_begin(s)) != SB_OK)
		goto dberr;
	if (key->passphrase_file != NULL) {
		if ((st = stmt(s, "INSERT INTO meta (key, value) VALUES "
		    "('kdf_salt', ?)")) == NULL) {
			e = txn_end(s, fail_db(s, "writing meta"));
			goto dberr;
		}
		bind_blob(st, 1, salt, SALT_BYTES);
		if (st_step(st) != BE_DONE) {
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
	bind_blob(st, 1, check, MAC_BYTES);
	bind_blob(st, 2, at, strlen(at));	/* value holds bytes */
	if (st_step(st) != BE_DONE) {
		e = txn_end(s, fail_db(s, "writing meta"));
		goto dberr;
	}
	if ((e = audit_genesis(s)) != SB_OK ||
	    (e = rows_seal_all(s, 0)) != SB_OK) {
		e = txn_end(s, e);
		goto dberr;
	}
	/* The first admin acts as itself for the audit trail. */
	s->has_actor = true;
	s->actor.role = ROLE_ADMIN;
	snprintf(s->actor.name, sizeof(s->actor.name), "%s", admin);
	if ((e = store_user_add(s, admin, ROLE_ADMIN, password, &id)) !=
	    SB_OK) {
		e = txn_end(s, e);
		goto dberr;
	}
	if ((e = audit_append(s, "init", "practice", 0, "")) != SB_OK ||
	    (e = txn_end(s, SB_OK)) != SB_OK) {
		e = txn_end(s, e);
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
	be->fs->remove(path);
	if (made_key)
		unlink(key->file);
	return e;
}

enum sb_err
store_create_empty(const char *path, struct store **out, char *err,
    size_t errsz)
{
	const struct store_backend	*be = backend_for(path);
	struct store			*s = NULL;
	enum sb_err			 e;

	*out = NULL;
	if (be == NULL) {
		snprintf(err, errsz, "%s: not a database this securebase can "
		    "open (a file path or a postgresql:// URL)", path);
		return SB_EINVAL;
	}
	if ((e = be->fs->create(path, err, errsz)) != SB_OK)
		return e;
	if ((e = store_new(path, BE_WRITE, &s, err, errsz)) != SB_OK)
		goto bad;
	if (s->be->drv->mark(s->conn, STORE_APPLICATION_ID) != BE_OK) {
		e = fail_db(s, "setting the application id");
		snprintf(err, errsz, "%s", s->err);
		goto bad;
	}
	if ((e = schema_migrate(s, schema_latest(s->be))) != SB_OK) {
		snprintf(err, errsz, "%s", s->err);
		goto bad;
	}
	*out = s;
	return SB_OK;
bad:
	store_close(s);
	be->fs->remove(path);
	target_redact(path, err, errsz);
	return e;
}

/* The public doors: a failure's message never shows a password the
 * --db URL carries. */
enum sb_err
store_open(const char *path, const struct store_key *key, struct store **out,
    char *err, size_t errsz)
{
	enum sb_err	 e = open_rw(path, key, OPEN_CURRENT, out, err, errsz);

	if (e != SB_OK)
		target_redact(path, err, errsz);
	return e;
}

enum sb_err
store_open_as_is(const char *path, const struct store_key *key,
    struct store **out, char *err, size_t errsz)
{
	enum sb_err	 e = open_rw(path, key, OPEN_AS_IS, out, err, errsz);

	if (e != SB_OK)
		target_redact(path, err, errsz);
	return e;
}

enum sb_err
store_open_readonly(const char *path, const struct store_key *key,
    struct store **out, char *err, size_t errsz)
{
	enum sb_err	 e = open_ro(path, key, out, err, errsz);

	if (e != SB_OK)
		target_redact(path, err, errsz);
	return e;
}

enum sb_err
store_init(const char *path, const struct store_key *key, const char *admin,
    const char *password, char *err, size_t errsz)
{
	enum sb_err	 e = init_practice(path, key, admin, password, err,
			    errsz);

	if (e != SB_OK)
		target_redact(path, err, errsz);
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
		st_finalize(s->cache[i].st);
	free(s->cache);
	if (s->conn != NULL)
		s->be->drv->close(s->conn);
	keys_free(s->keys);
	free(s->bc);
	free(s->imp_ok);
	free(s);
}

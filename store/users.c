/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * users.c - practice users and their roles.  See store.h.
 *
 * Only an admin manages users.  Passwords are Argon2id hashes; a password
 * is never stored, logged or audited.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/builtin.h"
#include "core/password.h"
#include "core/totp.h"
#include "core/text.h"
#include "store/store_int.h"

static const char *const role_names[] = { "admin", "therapist",
    "supervisor", "kiosk" };

const char *
store_role_name(enum store_role r)
{
	return r < ROLE__MAX ? role_names[r] : "?";
}

bool
store_role_parse(const char *s, enum store_role *r)
{
	int	 i;

	for (i = 0; i < ROLE__MAX; i++)
		if (s != NULL && strcmp(s, role_names[i]) == 0) {
			*r = (enum store_role)i;
			return true;
		}
	return false;
}

static SB_MUST enum sb_err
need_admin(struct store *s)
{
	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user (--user NAME)");
	if (s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin manages users; %s is "
		    "a %s", s->actor.name, store_role_name(s->actor.role));
	return SB_OK;
}

/* The verdict of core/password.c with the shipped list. */
const char *
password_problem(const char *pw, const char *name)
{
	enum password_verdict	 v;

	v = password_check(pw, name, builtin_passwords[0].data,
	    builtin_passwords[0].len);
	return v == PASSWORD_OK ? NULL : password_why(v);
}

static SB_MUST enum sb_err
password_ok(struct store *s, const char *pw, const char *name)
{
	const char	*why = password_problem(pw, name);

	return why == NULL ? SB_OK : fail(s, SB_EINVAL, "%s", why);
}

/*
 * Ends the sessions of a user whose password or second factor changed,
 * but the one making the change: whoever held another (with the old
 * password, perhaps stolen) is out.
 */
static SB_MUST enum sb_err
end_sessions(struct store *s, int64_t user)
{
	struct stmt	*st;

	if ((st = stmt(s, "DELETE FROM web_sessions WHERE user_id = ? AND "
	    "rowid != ?")) == NULL)
		return fail_db(s, "ending the sessions");
	bind_int64(st, 1, user);
	bind_int64(st, 2, s->has_actor && s->actor.id == user ?
	    s->session : 0);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "ending the sessions");
	return SB_OK;
}

enum sb_err
store_user_add(struct store *s, const char *name, enum store_role role,
    const char *pw, int64_t *id)
{
	const char	*why;
	char		 hash[PWHASH_BYTES], at[32];
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = need_admin(s)) != SB_OK)
		return e;
	/* User names end up in audit rows, logs and addresses: letters of
	 * one alphabet, so that none passes for another. */
	if (!text_user_name_ok(name, STORE_MAX_NAME, &why))
		return fail(s, SB_EINVAL, "%s", why);
	if (role >= ROLE__MAX)
		return fail(s, SB_EINVAL, "unknown role");
	if ((e = password_ok(s, pw, name)) != SB_OK)
		return e;
	/* Hash before taking the write lock: Argon2id takes a while. */
	if ((e = pw_hash(pw, hash)) != SB_OK)
		return fail(s, e, "cannot hash the password");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM users", id)) !=
	    SB_OK)
		return txn_end(s, e);
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO users (id, name, role, password, "
	    "created) VALUES (?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "adding the user"));
	bind_int64(st, 1, *id);
	bind_text(st, 2, name);
	bind_text_ref(st, 3, store_role_name(role));
	bind_text(st, 4, hash);
	bind_text(st, 5, at);
	if (st_step(st) != BE_DONE) {
		e = s->be->drv->errclass(s->conn) == BE_CONSTRAINT ? fail(s,
		    SB_EINVAL, "user \"%s\" already exists", name) :
		    fail_db(s, "adding the user");
		return txn_end(s, e);
	}
	if ((e = rows_seal(s, RT_USERS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	e = audit_append(s, "user-add", "user", *id, store_role_name(role));
	return txn_end(s, e);
}

bool
reads_records(const struct store *s)
{
	return s->has_actor && (s->actor.role == ROLE_THERAPIST ||
	    s->actor.role == ROLE_SUPERVISOR);
}

bool
self_or_admin(const struct store *s, const char *name)
{
	return s->has_actor && (s->actor.role == ROLE_ADMIN ||
	    strcmp(s->actor.name, name) == 0);
}

enum sb_err
user_find(struct store *s, const char *name, int64_t *id)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT id FROM users WHERE name = ?")) == NULL)
		return fail_db(s, "finding the user");
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "finding the user")) == SB_OK && row)
		*id = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return e;
	return row ? SB_OK : fail(s, SB_ENOENT, "no user \"%.64s\"", name);
}

/* The user's row changed by sql (bound: hash or another value when not
 * NULL, then the id), sealed again and audited as action. */
static SB_MUST enum sb_err
user_update(struct store *s, const char *name, const char *sql,
    const char *hash, const char *action)
{
	struct stmt	*st;
	int64_t		 id;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = user_find(s, name, &id)) != SB_OK)
		return txn_end(s, e);
	if ((e = rows_check(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, sql)) == NULL)
		return txn_end(s, fail_db(s, "updating the user"));
	if (hash != NULL) {
		bind_text(st, 1, hash);
		bind_int64(st, 2, id);
	} else
		bind_int64(st, 1, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "updating the user"));
	if ((e = rows_seal(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if (strcmp(action, "user-passwd") == 0 &&
	    (e = end_sessions(s, id)) != SB_OK)
		return txn_end(s, e);
	e = audit_append(s, action, "user", id, "");
	return txn_end(s, e);
}

enum sb_err
store_user_display(struct store *s, const char *name, const char *display)
{
	size_t		 n = display != NULL ? strlen(display) : 0;
	struct stmt	*st;
	int64_t		 id;
	enum sb_err	 e;

	if (!self_or_admin(s, name))
		return fail(s, SB_EPERM, "only an admin or the user may set "
		    "the name clients read");
	if (n > STORE_MAX_DISPLAY)
		return fail(s, SB_ELIMIT, "the name clients read is at most "
		    "%d bytes; this one is %zu", STORE_MAX_DISPLAY, n);
	if (n > 0 && (!utf8_valid(display, n) || text_control_at(display, n,
	    false) >= 0))
		return fail(s, SB_EINVAL, "the name clients read is one line "
		    "of text");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = user_find(s, name, &id)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE users SET display = ? WHERE id = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "setting the name"));
	/* Sealed for this user: moved to another, it opens for no one. */
	if ((e = bind_sealed(s, st, 1, "users", "display", id, n > 0 ?
	    display : NULL)) != SB_OK) {
		st_reset(st);
		return txn_end(s, e);
	}
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "setting the name"));
	if (s->has_actor && s->actor.id == id)
		snprintf(s->actor.display, sizeof(s->actor.display), "%s",
		    n > 0 ? display : "");
	return txn_end(s, audit_append(s, "user-display", "user", id, ""));
}

enum sb_err
store_user_passwd(struct store *s, const char *name, const char *pw)
{
	char		 hash[PWHASH_BYTES];
	enum sb_err	 e;

	/* An admin resets anyone's; a user may change their own. */
	if (!self_or_admin(s, name))
		return fail(s, SB_EPERM, "only an admin or the user may set "
		    "a password");
	if ((e = password_ok(s, pw, name)) != SB_OK)
		return e;
	if ((e = pw_hash(pw, hash)) != SB_OK)
		return fail(s, e, "cannot hash the password");
	if ((e = user_update(s, name, "UPDATE users SET password = ?, "
	    "must_change = 0 WHERE id = ?", hash, "user-passwd")) == SB_OK &&
	    s->has_actor && strcmp(s->actor.name, name) == 0)
		s->actor.must_change = false;
	return e;
}

enum sb_err
store_user_set_hash(struct store *s, const char *name, const char *hash)
{
	enum sb_err	 e;

	if ((e = need_admin(s)) != SB_OK)
		return e;
	/* Only what pw_verify() can check: an Argon2id string of a sane
	 * length that libsodium can read. */
	if (strncmp(hash, "$argon2id$", 10) != 0 || strlen(hash) >=
	    PWHASH_BYTES || crypto_pwhash_str_needs_rehash(hash,
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) == -1)
		return fail(s, SB_EINVAL, "not an Argon2id hash in the PHC "
		    "form ($argon2id$v=19$m=...,t=...,p=...$SALT$HASH)");
	return user_update(s, name, "UPDATE users SET password = ? WHERE "
	    "id = ?", hash, "user-passwd");
}

enum sb_err
store_user_disable(struct store *s, const char *name)
{
	enum sb_err	 e;

	if ((e = need_admin(s)) != SB_OK)
		return e;
	if (strcmp(name, s->actor.name) == 0)
		return fail(s, SB_EINVAL, "an admin cannot disable themself "
		    "(the practice would lose its last way in)");
	return user_update(s, name, "UPDATE users SET active = 0 WHERE "
	    "id = ?", NULL, "user-disable");
}

enum sb_err
store_user_each(struct store *s,
    enum sb_err (*fn)(void *, const struct store_user_row *), void *arg)
{
	struct store_user_row	 u;
	struct stmt		*st;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if ((e = need_admin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT name, role, active FROM users ORDER BY "
	    "name")) == NULL)
		return fail_db(s, "listing users");
	while ((rc = st_step(st)) == BE_ROW) {
		u.name = col_text(st, 0);
		if (!store_role_parse(col_text(st, 1),
		    &u.role)) {
			e = fail(s, SB_EIO, "user %.64s has an unknown role",
			    u.name);
			break;
		}
		u.active = col_int(st, 2) != 0;
		if ((e = fn(arg, &u)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing users");
	st_reset(st);
	return e;
}

enum sb_err
store_user_check_password(struct store *s, const char *name, const char *pw)
{
	bool		 row;
	struct stmt	*st;
	char		 hash[PWHASH_BYTES];
	bool		 active;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT password, active, id, " ROWS_USERS_COLS
	    ", mac FROM users WHERE name = ?")) == NULL)
		return fail_db(s, "finding the user");
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "finding the user")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		/* Spend the same time as a real check, so that timing does
		 * not tell which user names exist. */
		if (pw_hash(pw, hash) != SB_OK)
			return fail(s, SB_ENOMEM, "the password could not be "
			    "checked (out of memory)");
		return fail(s, SB_EPERM, "wrong user name or password");
	}
	/* A row edited outside (another user's hash copied in, the
	 * second factor taken off) signs nobody in. */
	if ((e = rows_check_stmt(s, RT_USERS, st, 3,
	    3 + ROWS_USERS_NCOLS, col_int64(st, 2), 0))
	    != SB_OK) {
		st_reset(st);
		return e;
	}
	snprintf(hash, sizeof(hash), "%s", col_text(st, 0));
	active = col_int(st, 1) != 0;
	st_reset(st);
	/* A check that could not be made is the server's failure, not a
	 * wrong password: it must never count toward the back-off. */
	if ((e = pw_verify(hash, pw)) == SB_ENOMEM)
		return fail(s, SB_ENOMEM, "the password could not be checked "
		    "(out of memory)");
	if (e != SB_OK || !active)
		return fail(s, SB_EPERM, "wrong user name or password");
	if (!pw_needs_rehash(hash))
		return SB_OK;
	/* Parameters changed since this hash was made: upgrade it now,
	 * while we hold the password. */
	if ((e = pw_hash(pw, hash)) != SB_OK)
		return fail(s, e, "cannot rehash the password");
	return user_update(s, name, "UPDATE users SET password = ? WHERE "
	    "id = ?", hash, "user-rehash");
}

enum sb_err
store_totp_set(struct store *s, const char *name, const unsigned char *secret,
    size_t n)
{
	struct stmt	*st;
	int64_t		 id;
	enum sb_err	 e;

	if (!self_or_admin(s, name))
		return fail(s, SB_EPERM, "an admin, or the user themselves, sets "
		    "up a second factor");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = user_find(s, name, &id)) != SB_OK)
		return txn_end(s, e);
	if ((e = rows_check(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE users SET totp = ?, totp_step = 0 WHERE id = "
	    "?")) == NULL)
		return txn_end(s, fail_db(s, "setting the second factor"));
	if (secret != NULL) {
		struct buf sealed;

		buf_init(&sealed, 256);
		if ((e = field_seal(s->keys, "users", "totp", id, secret, n,
		    &sealed)) != SB_OK) {
			buf_free(&sealed);
			return txn_end(s, fail(s, e, "cannot seal the secret"));
		}
		bind_blob(st, 1, sealed.data, sealed.len);
		buf_free(&sealed);
	}
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "setting the second factor"));
	if ((e = rows_seal(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((e = end_sessions(s, id)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, secret ? "totp-on" : "totp-off",
	    "user", id, ""));
}

enum sb_err
store_totp_enabled(struct store *s, const char *name, bool *on)
{
	bool		 row;
	enum sb_err	 e;
	struct stmt	*st;

	*on = false;
	if (!self_or_admin(s, name))
		return fail(s, SB_EPERM, "only an admin or the user sees "
		    "whether a second factor is set");
	if ((st = stmt(s, "SELECT totp IS NOT NULL FROM users WHERE name = "
	    "?")) == NULL)
		return fail_db(s, "finding the user");
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "finding the user")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		return fail(s, SB_ENOENT, "no user \"%.64s\"", name);
	}
	*on = col_int(st, 0) != 0;
	st_reset(st);
	return SB_OK;
}

enum sb_err
store_totp_verify(struct store *s, const char *name, const char *code,
    int64_t now)
{
	bool		 row;
	struct stmt	*st;
	struct buf	 secret;
	int64_t		 id, last, step;
	bool		 has, ok;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT id, totp, totp_step FROM users WHERE name = "
	    "?")) == NULL)
		return fail_db(s, "finding the user");
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "finding the user")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		return fail(s, SB_EPERM, "wrong user name or password");
	}
	id = col_int64(st, 0);
	has = !col_null(st, 1);
	last = col_int64(st, 2);
	buf_init(&secret, 256);
	e = has ? column_opened(s, st, 1, "users", "totp", id, &secret) : SB_OK;
	st_reset(st);
	if (e != SB_OK || !has) {
		buf_wipe(&secret);
		return e;	/* no second factor: nothing to check */
	}
	ok = totp_check((const unsigned char *)secret.data, secret.len, code,
	    now, &step) && step > last;
	buf_wipe(&secret);
	if (!ok)
		return fail(s, SB_EPERM, "wrong user name, password or code");
	/* This step is spent: the same code never works twice. */
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE users SET totp_step = ? WHERE id = ? AND "
	    "totp_step < ?")) == NULL)
		return txn_end(s, fail_db(s, "spending the code"));
	bind_int64(st, 1, step);
	bind_int64(st, 2, id);
	bind_int64(st, 3, step);
	if (st_step(st) != BE_DONE || db_changes(s) != 1)
		return txn_end(s, fail(s, SB_EPERM, "wrong user name, password "
		    "or code"));
	return txn_end(s, SB_OK);
}

void
store_user_logged(struct store *s, const char *name, char *out, size_t outsz)
{
	struct stmt	*st;
	char		 tag[33];
	bool		 known = false;

	/* A name of no user may be a password typed in the wrong field:
	 * the journal gets a keyed tag (the same for the same text, so
	 * one address trying many names still shows), never the text. */
	if (name != NULL && text_ok(name, STORE_MAX_NAME) &&
	    (st = stmt(s, "SELECT 1 FROM users WHERE name = ?")) != NULL) {
		bind_text(st, 1, name);
		if (step_row(s, st, &known, "finding the user") != SB_OK)
			known = false;
		st_reset(st);
	}
	if (known) {
		snprintf(out, outsz, "%s", name);
		return;
	}
	keys_login_tag(s->keys, name ? name : "", "journal", tag);
	snprintf(out, outsz, "unknown-%.16s", tag);
}

/* The acting user's name for clients, opened from column col of st. */
static SB_MUST enum sb_err
actor_display(struct store *s, struct stmt *st, int col)
{
	struct buf	 b;
	const char	*t;
	enum sb_err	 e;

	buf_init(&b, STORE_MAX_DISPLAY + 64);
	s->actor.display[0] = '\0';
	if ((e = column_opened_null(s, st, col, "users", "display",
	    s->actor.id, &b, &t)) == SB_OK && t != NULL)
		snprintf(s->actor.display, sizeof(s->actor.display), "%s", t);
	buf_free(&b);
	return e;
}

enum sb_err
store_act_as(struct store *s, const char *name)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	s->has_actor = false;
	s->tampered = false;
	s->acc_client = 0;	/* an access decision belongs to its user */
	s->session = 0;		/* store_session() sets its own */
	if ((st = stmt(s, "SELECT id, role, active, must_change, "
	    ROWS_USERS_COLS ", mac, display FROM users WHERE name = ?")) ==
	    NULL)
		return fail_db(s, "looking up the user");
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "looking up the user")) != SB_OK) {
		st_reset(st);
		return e;
	}
	if (!row)
		e = fail(s, SB_EPERM, "no user \"%.64s\" in this practice",
		    name);
	else if ((e = rows_check_stmt(s, RT_USERS, st, 4,
	    4 + ROWS_USERS_NCOLS, col_int64(st, 0), 0)) != SB_OK)
		;	/* a role or a name written in from outside */
	else if (!col_int(st, 2))
		e = fail(s, SB_EPERM, "user \"%.64s\" is disabled", name);
	else {
		s->actor.id = col_int64(st, 0);
		store_role_parse(col_text(st, 1), &s->actor.role);
		snprintf(s->actor.name, sizeof(s->actor.name), "%s", name);
		s->actor.active = true;
		s->actor.must_change = col_int(st, 3) != 0;
		e = actor_display(s, st, 5 + ROWS_USERS_NCOLS);
		s->has_actor = e == SB_OK;
	}
	st_reset(st);
	return e;
}

void
store_act_clear(struct store *s)
{
	s->has_actor = false;
	s->acc_client = 0;
	s->session = 0;
	/* A finding belongs to the request that made it: the next one on
	 * this pooled handle must not show it. */
	s->tampered = false;
	s->away = false;
}

const struct store_user *
store_actor(const struct store *s)
{
	return s->has_actor ? &s->actor : NULL;
}

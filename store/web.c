/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web.c - sessions, login back-off and client links.  See web.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/store_int.h"
#include "store/web.h"

/* A fresh token: 32 random bytes, hex for the browser, hash for us. */
void
new_token(char hex[TOKEN_HEX + 1], unsigned char hash[MAC_BYTES])
{
	unsigned char	 raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, TOKEN_HEX + 1, raw, sizeof(raw));
	crypto_generichash(hash, MAC_BYTES, (const unsigned char *)hex,
	    TOKEN_HEX, NULL, 0);
	sodium_memzero(raw, sizeof(raw));
}

bool
token_hash(const char *hex, unsigned char hash[MAC_BYTES])
{
	size_t	 i;

	if (hex == NULL || strlen(hex) != TOKEN_HEX)
		return false;
	for (i = 0; i < TOKEN_HEX; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') ||
		    (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	crypto_generichash(hash, MAC_BYTES, (const unsigned char *)hex,
	    TOKEN_HEX, NULL, 0);
	return true;
}

/*
 * Seconds to wait before the next try: after free failures in the window,
 * 30 s, doubling with each further failure, at most 15 minutes (a soft
 * lockout: the owner waits, a guesser gets a few tries an hour).
 */
static int
backoff(struct store *s, const char *sql, const char *key, int free_tries,
    int64_t now)
{
	struct stmt	*st;
	int		 n = 0, wait = 0;
	int64_t		 last = 0;
	enum be_rc	 rc;

	if ((st = stmt(s, sql)) == NULL)
		return -1;
	bind_text(st, 1, key);
	bind_int64(st, 2, now - LOGIN_WINDOW);
	rc = st_step(st);
	if (rc == BE_ROW) {
		n = col_int(st, 0);
		last = col_int64(st, 1);
	}
	st_reset(st);
	if (rc != BE_ROW && rc != BE_DONE)
		return -1;
	if (n >= free_tries) {
		wait = 30 << (n - free_tries < 5 ? n - free_tries : 5);
		if (wait > 900)
			wait = 900;
		wait -= (int)(now - last);
	}
	return wait > 0 ? wait : 0;
}

/*
 * Counts an attempt before its password is hashed, in the transaction
 * that looked at the count: *attempt is its row, removed again when the
 * login succeeds.  *wait > 0: refused, nothing counted.
 */
static SB_MUST enum sb_err
claim_attempt(struct store *s, const char *ukey, const char *akey,
    int64_t now, int64_t *attempt, int *wait, int *addr_wait)
{
	struct stmt	*st;
	int		 w1, w2;
	enum sb_err	 e;

	*attempt = 0;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	w1 = backoff(s, "SELECT count(*), max(at) FROM login_failures WHERE "
	    "user_name = ? AND at > ?", ukey, LOGIN_FREE, now);
	w2 = backoff(s, "SELECT count(*), max(at) FROM login_failures WHERE "
	    "address = ? AND at > ?", akey, LOGIN_ADDRESS_FREE, now);
	if (w1 < 0 || w2 < 0)
		return txn_end(s, fail_db(s, "counting failed logins"));
	*addr_wait = w2;
	if ((*wait = w1 > w2 ? w1 : w2) > 0)
		return txn_end(s, fail(s, SB_EPERM, "too many failed logins; "
		    "wait %d seconds", *wait));
	if ((st = stmt(s, "INSERT INTO login_failures (user_name, address, at)"
	    " VALUES (?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "counting a login"));
	bind_text(st, 1, ukey);
	bind_text(st, 2, akey);
	bind_int64(st, 3, now);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "counting a login"));
	*attempt = db_last_id(s);
	return txn_end(s, SB_OK);
}

/* The failure's audit row (action "login-failed", or "login-error" when
 * the server could not check): the name only if it is a user's. */
static SB_MUST enum sb_err
note_failure(struct store *s, const char *user, const char *action)
{
	struct stmt	*st;
	bool		 known = false;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT 1 FROM users WHERE name = ?")) == NULL)
		return txn_end(s, fail_db(s, "recording a failed login"));
	bind_text(st, 1, user);
	e = step_row(s, st, &known, "recording a failed login");
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	/* Anything else typed there (a password, sometimes) is not kept,
	 * nor can it forge a line of the audit trail on /admin. */
	return txn_end(s, audit_append(s, action, "user", 0, known ? user :
	    "(invalid name)"));
}

/* An attempt that was not a failure (a login, or the server's error) is
 * taken off the count. */
static SB_MUST enum sb_err
uncount(struct store *s, int64_t attempt)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "DELETE FROM login_failures WHERE rowid = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "uncounting a login"));
	bind_int64(st, 1, attempt);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "uncounting a login"));
	return txn_end(s, SB_OK);
}

enum sb_err
store_login_claim(struct store *s, const char *user, const char *from,
    int64_t now, int64_t *attempt, int *wait, int *addr_wait)
{
	char	 ukey[33], akey[33];

	*attempt = 0;
	*wait = *addr_wait = 0;
	if (user == NULL || strlen(user) > STORE_MAX_NAME)
		return fail(s, SB_EPERM, "wrong user name or password");
	if (from == NULL)
		from = "";
	/* Per (name, address): counted whether or not the name exists, so
	 * that it tells nothing about which names do. */
	keys_login_tag(s->keys, user, from, ukey);
	keys_login_tag(s->keys, "", from, akey);
	return claim_attempt(s, ukey, akey, now, attempt, wait, addr_wait);
}

enum sb_err
store_login(struct store *s, const char *user, const char *pw,
    const char *code, const char *from, int64_t now,
    char token[TOKEN_HEX + 1], int *wait)
{
	int64_t		 attempt;
	int		 addr_wait;
	enum sb_err	 e;

	token[0] = '\0';
	if ((e = store_login_claim(s, user, from, now, &attempt, wait,
	    &addr_wait)) != SB_OK)
		return e;
	return store_login_claimed(s, attempt, user, pw, code, from, now,
	    token);
}

enum sb_err
store_login_claimed(struct store *s, int64_t attempt, const char *user,
    const char *pw, const char *code, const char *from, int64_t now,
    char token[TOKEN_HEX + 1])
{
	unsigned char	 hash[MAC_BYTES], csrf[32];
	struct stmt	*st;
	enum sb_err	 e;

	token[0] = '\0';
	if (pw == NULL || strlen(pw) > 1024) {
		(void)!note_failure(s, user, "login-failed");
		return fail(s, SB_EPERM, "wrong user name or password");
	}
	if (from == NULL)
		from = "";
	/*
	 * A check the server could not make (no memory for Argon2id, a
	 * database error) is its failure, not the person's: uncounted,
	 * audited as an error, and said as such (503, try again).
	 */
	if ((e = store_user_check_password(s, user, pw)) != SB_OK &&
	    e != SB_EPERM) {
		s->has_actor = false;
		(void)!uncount(s, attempt);
		(void)!note_failure(s, user, "login-error");
		return fail(s, e, "the password could not be checked just now");
	}
	/* The code is checked only after the password, and a wrong one is
	 * a failed login like any other (it counts for the back-off). */
	if (e != SB_OK || store_totp_verify(s, user, code, now) != SB_OK ||
	    store_act_as(s, user) != SB_OK) {
		s->has_actor = false;
		(void)!note_failure(s, user, "login-failed");
		return fail(s, SB_EPERM, "wrong user name, password or code");
	}
	/* A new token at every login: no session fixation. */
	new_token(token, hash);
	randombytes_buf(csrf, sizeof(csrf));
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* It was a login, not a failure: uncounted. */
	if ((st = stmt(s, "DELETE FROM login_failures WHERE rowid = ? OR "
	    "at < ?")) == NULL)
		return txn_end(s, fail_db(s, "opening a session"));
	bind_int64(st, 1, attempt);
	bind_int64(st, 2, now - LOGIN_WINDOW);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "opening a session"));
	if ((st = stmt(s, "INSERT INTO web_sessions (token_hash, user_id, "
	    "csrf, created, last_seen, address) VALUES (?, ?, ?, ?, ?, ?)")) ==
	    NULL)
		return txn_end(s, fail_db(s, "opening a session"));
	bind_blob(st, 1, hash, MAC_BYTES);
	bind_int64(st, 2, s->actor.id);
	bind_blob(st, 3, csrf, sizeof(csrf));
	bind_int64(st, 4, now);
	bind_int64(st, 5, now);
	bind_text(st, 6, from);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "opening a session"));
	s->session = db_last_id(s);
	if ((e = rows_seal(s, RT_SESSIONS, s->session, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "DELETE FROM web_sessions WHERE last_seen < ? OR "
	    "created < ?")) != NULL) {
		bind_int64(st, 1, now - SESSION_IDLE);
		bind_int64(st, 2, now - SESSION_MAX);
		st_step(st);
	}
	/*
	 * A password set under older rules (8 characters, no list) is
	 * found now, the one time it is at hand: its user must choose a
	 * new one before doing anything else.
	 */
	if (!s->actor.must_change && password_problem(pw, user) != NULL) {
		if ((e = rows_check(s, RT_USERS, s->actor.id, 0)) != SB_OK)
			return txn_end(s, e);
		if ((st = stmt(s, "UPDATE users SET must_change = 1 WHERE id = "
		    "?")) == NULL)
			return txn_end(s, fail_db(s, "opening a session"));
		bind_int64(st, 1, s->actor.id);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "opening a session"));
		if ((e = rows_seal(s, RT_USERS, s->actor.id, 0)) != SB_OK)
			return txn_end(s, e);
		s->actor.must_change = true;
	}
	return txn_end(s, audit_append(s, "login", "user", s->actor.id,
	    s->actor.must_change ? "password must be changed" : ""));
}

enum sb_err
store_session(struct store *s, const char *token, int64_t now,
    char csrf[TOKEN_HEX + 1])
{
	bool		 row;
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	char		 name[STORE_MAX_NAME + 1];
	int64_t		 created, seen, id;
	enum sb_err	 e;

	s->has_actor = false;
	s->session = 0;
	if (!token_hash(token, hash))
		return fail(s, SB_EPERM, "no session");
	if ((st = stmt(s, "SELECT u.name, s.csrf, s.created, s.last_seen, "
	    "s.rowid, s.token_hash, s.user_id, s.csrf, s.created, s.mac FROM "
	    "web_sessions s JOIN users u ON u.id = s.user_id WHERE "
	    "s.token_hash = ? AND u.active = 1")) == NULL)
		return fail_db(s, "finding the session");
	bind_blob(st, 1, hash, MAC_BYTES);
	if ((e = step_row(s, st, &row, "finding the session")) != SB_OK ||
	    !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		return fail(s, SB_EPERM, "no session");
	}
	/* A session written in by hand would sign anyone in. */
	if ((e = rows_check_stmt(s, RT_SESSIONS, st, 5, 9, col_int64(st, 4),
	    0)) != SB_OK) {
		st_reset(st);
		return e;
	}
	snprintf(name, sizeof(name), "%s", col_text(st, 0));
	sodium_bin2hex(csrf, TOKEN_HEX + 1, col_blob(st, 1), 32);
	created = col_int64(st, 2);
	seen = col_int64(st, 3);
	id = col_int64(st, 4);
	st_reset(st);
	if (now - seen > SESSION_IDLE || now - created > SESSION_MAX) {
		/* Refused either way; the row goes at the next sign-in's
		 * sweep if this delete fails. */
		(void)!store_logout(s, token);
		return fail(s, SB_EPERM, "the session has expired");
	}
	if ((e = store_act_as(s, name)) != SB_OK)
		return e;
	s->session = id;
	/* Refresh at most once a minute: a write per page view is waste. */
	if (now - seen < 60)
		return SB_OK;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE web_sessions SET last_seen = ? WHERE "
	    "token_hash = ?")) == NULL)
		return txn_end(s, fail_db(s, "refreshing the session"));
	bind_int64(st, 1, now);
	bind_blob(st, 2, hash, MAC_BYTES);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "refreshing the session"));
	return txn_end(s, SB_OK);
}

enum sb_err
store_reauth(struct store *s, const char *pw, const char *from, int64_t now,
    int *wait, bool *ended)
{
	struct stmt	*st;
	char		 user[STORE_MAX_NAME + 1], ukey[33];
	int64_t		 attempt;
	int		 n = 0, addr_wait;
	enum sb_err	 e;

	*ended = false;
	*wait = 0;
	if (!s->has_actor || s->session == 0)
		return fail(s, SB_EPERM, "no session");
	snprintf(user, sizeof(user), "%s", s->actor.name);
	if (from == NULL)
		from = "";
	/* The same count as a sign-in's from here: a guess made on the
	 * account page costs what one made at the door does. */
	if ((e = store_login_claim(s, user, from, now, &attempt, wait,
	    &addr_wait)) != SB_OK)
		return e;
	e = store_user_check_password(s, user, pw != NULL ? pw : "");
	if (e == SB_OK || e != SB_EPERM) {
		(void)!uncount(s, attempt);
		if (e != SB_OK)
			return fail(s, e, "the password could not be checked "
			    "just now");
		if ((e = txn_begin(s)) != SB_OK)
			return e;
		return txn_end(s, audit_append(s, "reauth", "user",
		    s->actor.id, ""));
	}
	(void)!note_failure(s, user, "reauth-failed");
	/* After LOGIN_FREE wrong passwords the session that typed them
	 * ends: whoever holds an unattended session does not get to
	 * guess on. */
	keys_login_tag(s->keys, user, from, ukey);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT count(*) FROM login_failures WHERE "
	    "user_name = ? AND at > ?")) == NULL)
		return txn_end(s, fail_db(s, "counting wrong passwords"));
	bind_text(st, 1, ukey);
	bind_int64(st, 2, now - LOGIN_WINDOW);
	if (st_step(st) == BE_ROW)
		n = col_int(st, 0);
	st_reset(st);
	if (n >= LOGIN_FREE) {
		if ((st = stmt(s, "DELETE FROM web_sessions WHERE rowid = ?")) ==
		    NULL)
			return txn_end(s, fail_db(s, "ending the session"));
		bind_int64(st, 1, s->session);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "ending the session"));
		if ((e = audit_append(s, "session-ended", "user", s->actor.id,
		    "wrong current password 5 times")) != SB_OK)
			return txn_end(s, e);
		*ended = true;
	}
	if ((e = txn_end(s, SB_OK)) != SB_OK)
		return e;
	return fail(s, SB_EPERM, "not the current password");
}

enum sb_err
store_logout(struct store *s, const char *token)
{
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	enum sb_err	 e;

	if (!token_hash(token, hash))
		return SB_OK;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "DELETE FROM web_sessions WHERE token_hash = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "ending the session"));
	bind_blob(st, 1, hash, MAC_BYTES);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "ending the session"));
	return txn_end(s, SB_OK);
}

enum sb_err
store_session_each(struct store *s, int64_t now,
    enum sb_err (*fn)(void *, const struct store_session_info *), void *arg)
{
	struct store_session_info	 si;
	struct stmt			*st;
	enum sb_err			 e = SB_OK;
	int				 rc;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user");
	if ((st = stmt(s, "SELECT rowid, created, last_seen, address FROM "
	    "web_sessions WHERE user_id = ? AND last_seen >= ? AND created >= "
	    "? ORDER BY last_seen DESC")) == NULL)
		return fail_db(s, "listing the sessions");
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, now - SESSION_IDLE);
	bind_int64(st, 3, now - SESSION_MAX);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW) {
		memset(&si, 0, sizeof(si));
		si.id = col_int64(st, 0);
		si.created = col_int64(st, 1);
		si.last_seen = col_int64(st, 2);
		snprintf(si.address, sizeof(si.address), "%s",
		    col_text(st, 3));
		si.current = si.id == s->session;
		e = fn(arg, &si);
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "listing the sessions");
	st_reset(st);
	return e;
}

int64_t
store_session_current(const struct store *s)
{
	return s->session;
}

enum sb_err
store_session_end(struct store *s, int64_t id)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* id 0: every session of the actor's but this one. */
	if ((st = stmt(s, id == 0 ? "DELETE FROM web_sessions WHERE user_id = "
	    "? AND rowid != ?" : "DELETE FROM web_sessions WHERE user_id = ? "
	    "AND rowid = ?")) == NULL)
		return txn_end(s, fail_db(s, "ending a session"));
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, id == 0 ? s->session : id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "ending a session"));
	if (id != 0 && db_changes(s) == 0)
		return txn_end(s, fail(s, SB_ENOENT, "no such session of yours "
		    "(it may have ended already)"));
	return txn_end(s, audit_append(s, "session-end", "user", s->actor.id,
	    id == 0 ? "all others" : id == s->session ? "this one" : "one"));
}

enum sb_err
store_link_create(struct store *s, int64_t client, const char *instrument,
    const char *mode, int days, int64_t now, char token[TOKEN_HEX + 1],
    int64_t *id)
{
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	enum sb_err	 e;

	if (days < 1 || days > 90)
		return fail(s, SB_EINVAL, "a link is valid for 1-90 days");
	if (mode == NULL || (strcmp(mode, "link") != 0 &&
	    strcmp(mode, "in-session") != 0))
		return fail(s, SB_EINVAL, "a link is sent (link) or used in "
		    "session (in-session)");
	if (instrument == NULL || !text_ok(instrument, 63))
		return fail(s, SB_EINVAL, "which instrument?");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	new_token(token, hash);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM links", id)) !=
	    SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "INSERT INTO links (id, token_hash, client_id, "
	    "instrument, created_by, created, expires, mode) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "creating the link"));
	bind_int64(st, 1, *id);
	bind_blob(st, 2, hash, MAC_BYTES);
	bind_int64(st, 3, client);
	bind_text(st, 4, instrument);
	bind_int64(st, 5, s->actor.id);
	bind_int64(st, 6, now);
	bind_int64(st, 7, now + (int64_t)days * 86400);
	bind_text_ref(st, 8, mode);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "creating the link"));
	if ((e = rows_seal(s, RT_LINKS, *id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "create", "link", *id, instrument));
}

/* Notes the first visit to a link (once: a second node's visit at the
 * same moment changes nothing). */
static SB_MUST enum sb_err
link_opened(struct store *s, int64_t link, int64_t now)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE links SET opened = ? WHERE id = ? AND "
	    "opened IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "noting the link's first visit"));
	bind_int64(st, 1, now);
	bind_int64(st, 2, link);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "noting the link's first visit"));
	return txn_end(s, SB_OK);
}

enum sb_err
store_link_each(struct store *s, int64_t client, int64_t now,
    enum sb_err (*fn)(void *, const struct store_link_row *), void *arg)
{
	struct store_link_row	 r;
	struct stmt		*st;
	bool			 row;
	size_t			 n = 0;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT l.id, l.instrument, l.mode, u.name, "
	    "l.created, l.expires, l.administration_id IS NOT NULL OR l.done "
	    "= 1, l.cancelled IS NOT NULL, l.answers != '', l.opened IS NOT "
	    "NULL FROM links l JOIN users u ON u.id = l.created_by WHERE "
	    "l.client_id = ? ORDER BY l.id DESC")) == NULL)
		return txn_end(s, fail_db(s, "listing the client's links"));
	bind_int64(st, 1, client);
	while ((e = step_row(s, st, &row, "listing the client's links")) ==
	    SB_OK && row) {
		memset(&r, 0, sizeof(r));
		r.id = col_int64(st, 0);
		snprintf(r.instrument, sizeof(r.instrument), "%s",
		    col_text(st, 1));
		snprintf(r.mode, sizeof(r.mode), "%s", col_text(st, 2));
		snprintf(r.by, sizeof(r.by), "%s", col_text(st, 3));
		r.created = col_int64(st, 4);
		r.expires = col_int64(st, 5);
		r.state = col_int(st, 6) ? "finished" : col_int(st, 7) ?
		    "cancelled" : now > r.expires ? "expired" : col_int(st, 8) ?
		    "in progress" : col_int(st, 9) ? "opened" : "sent";
		n++;
		if ((e = fn(arg, &r)) != SB_OK)
			break;
	}
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, n == 0 ? SB_OK : audit_append(s, "read", "links",
	    client, ""));
}

/* The link of the client, not finished nor withdrawn, for the
 * transaction's change: SB_ENOENT, SB_EINVAL as store_link_cancel. */
static SB_MUST enum sb_err
link_of(struct store *s, int64_t client, int64_t link, char *instrument,
    size_t isz, char *mode, size_t msz, struct buf *answers)
{
	struct stmt	*st;
	bool		 row, closed = false;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT instrument, mode, answers, "
	    "administration_id IS NOT NULL OR done = 1 OR cancelled IS NOT "
	    "NULL FROM links WHERE id = ? AND client_id = ?")) == NULL)
		return fail_db(s, "finding the link");
	bind_int64(st, 1, link);
	bind_int64(st, 2, client);
	if ((e = step_row(s, st, &row, "finding the link")) == SB_OK && row) {
		snprintf(instrument, isz, "%s", col_text(st, 0));
		snprintf(mode, msz, "%s", col_text(st, 1));
		if (answers != NULL && buf_add(answers, col_text(st, 2),
		    strlen(col_text(st, 2))) != SB_OK)
			e = fail(s, SB_ENOMEM, "out of memory");
		closed = col_int(st, 3) != 0;
	}
	st_reset(st);
	if (e != SB_OK)
		return e;
	if (!row)
		return fail(s, SB_ENOENT, "no such link of this client");
	if (closed)
		return fail(s, SB_EINVAL, "this link is finished or was "
		    "withdrawn already");
	return SB_OK;
}

/* Marks link withdrawn, in the caller's transaction, with its audit. */
static SB_MUST enum sb_err
link_withdraw(struct store *s, int64_t link, int64_t now)
{
	struct stmt	*st;

	if ((st = stmt(s, "UPDATE links SET cancelled = ?, answers = '' "
	    "WHERE id = ?")) == NULL)
		return fail_db(s, "withdrawing the link");
	bind_int64(st, 1, now);
	bind_int64(st, 2, link);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "withdrawing the link");
	return audit_append(s, "cancel", "link", link, "");
}

enum sb_err
store_link_cancel(struct store *s, int64_t client, int64_t link,
    int64_t now)
{
	char		 instrument[64], mode[16];
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = link_of(s, client, link, instrument, sizeof(instrument),
	    mode, sizeof(mode), NULL)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, link_withdraw(s, link, now));
}

enum sb_err
store_link_renew(struct store *s, int64_t client, int64_t link, int days,
    int64_t now, char token[TOKEN_HEX + 1], char instrument[64], int64_t *id)
{
	char		 mode[16];
	struct buf	 answers;
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	buf_init(&answers, STORE_MAX_FIELD * 4 + 1);
	if ((e = link_of(s, client, link, instrument, 64, mode, sizeof(mode),
	    &answers)) != SB_OK ||
	    (e = link_withdraw(s, link, now)) != SB_OK ||
	    (e = store_link_create(s, client, instrument, mode, days, now,
	    token, id)) != SB_OK)
		goto out;
	if (answers.len > 0) {
		if ((st = stmt(s, "UPDATE links SET answers = ? WHERE id = ?"))
		    == NULL) {
			e = fail_db(s, "carrying the answers over");
			goto out;
		}
		bind_text(st, 1, answers.data);
		bind_int64(st, 2, *id);
		if (st_step(st) != BE_DONE)
			e = fail_db(s, "carrying the answers over");
	}
out:
	buf_wipe(&answers);
	if (e != SB_OK)
		sodium_memzero(token, TOKEN_HEX + 1);
	return txn_end(s, e);
}

enum sb_err
store_link_open(struct store *s, const char *token, int64_t now,
    struct store_link *l)
{
	bool		 row;
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	char		 owner[STORE_MAX_NAME + 1];
	bool		 first, cancelled;
	enum sb_err	 e;

	memset(l, 0, sizeof(*l));
	s->has_actor = false;
	if (!token_hash(token, hash))
		return fail(s, SB_ENOENT, "no such link");
	if ((st = stmt(s, "SELECT l.id, l.client_id, l.instrument, l.answers, "
	    "l.expires, l.administration_id, u.name, l.mode, l.done, "
	    "l.opened IS NULL, l.cancelled IS NOT NULL FROM links l JOIN "
	    "users u ON u.id = l.created_by WHERE l.token_hash = ?")) == NULL)
		return fail_db(s, "finding the link");
	bind_blob(st, 1, hash, MAC_BYTES);
	if ((e = step_row(s, st, &row, "finding the link")) != SB_OK || !row) {
		st_reset(st);
		if (e != SB_OK)
			return e;
		return fail(s, SB_ENOENT, "no such link");
	}
	l->id = col_int64(st, 0);
	l->client = col_int64(st, 1);
	snprintf(l->instrument, sizeof(l->instrument), "%s",
	    col_text(st, 2));
	l->answers = strdup(col_text(st, 3));
	l->expires = col_int64(st, 4);
	l->administration = col_int64(st, 5);
	snprintf(owner, sizeof(owner), "%s", col_text(st, 6));
	snprintf(l->mode, sizeof(l->mode), "%s", col_text(st, 7));
	l->done = col_int(st, 8) != 0;
	first = col_int(st, 9) != 0;
	cancelled = col_int(st, 10) != 0;
	st_reset(st);
	if (l->answers == NULL)
		return fail(s, SB_ENOMEM, "out of memory");
	if (now > l->expires || cancelled) {
		free(l->answers);
		l->answers = NULL;
		return fail(s, SB_ENOENT, cancelled ? "this link was withdrawn" :
		    "this link has expired");
	}
	/* A link put in by hand, moved to another client or given a longer
	 * life opens nothing. */
	if ((e = rows_check(s, RT_LINKS, l->id, 0)) != SB_OK) {
		free(l->answers);
		l->answers = NULL;
		return e;
	}
	/* The first visit is kept, for the therapist's list of links. */
	if (first && (e = link_opened(s, l->id, now)) != SB_OK) {
		free(l->answers);
		l->answers = NULL;
		return e;
	}
	/* What the client does is recorded on their therapist's caseload. */
	if ((e = store_act_as(s, owner)) != SB_OK) {
		free(l->answers);
		l->answers = NULL;
	}
	return e;
}

enum sb_err
store_link_post(struct store *s, const char *token, int64_t minute,
    int limit, bool *ok)
{
	unsigned char	 hash[MAC_BYTES];
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*ok = true;
	/* A file practice has one serve at a time (its lock file, lock.c):
	 * that node's own count is the only one, and a write here would
	 * make each post wait for the write lock twice. */
	if (s->be->fs->local || !token_hash(token, hash))
		return SB_OK;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE links SET posts = CASE WHEN post_minute = "
	    "?1 THEN posts + 1 ELSE 1 END, post_minute = ?1 WHERE token_hash "
	    "= ?2 RETURNING posts")) == NULL)
		return txn_end(s, fail_db(s, "counting the link's answers"));
	bind_int64(st, 1, minute);
	bind_blob(st, 2, hash, MAC_BYTES);
	if ((e = step_row(s, st, &row, "counting the link's answers")) ==
	    SB_OK && row)
		*ok = col_int64(st, 0) <= limit;
	st_reset(st);
	return txn_end(s, e);
}

enum sb_err
store_link_save(struct store *s, int64_t link, const char *answers)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (!text_ok(answers, STORE_MAX_FIELD * 4))
		return fail(s, SB_EINVAL, "answers too long");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE links SET answers = ? WHERE id = ? AND "
	    "administration_id IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "saving the answers"));
	bind_text(st, 1, answers);
	bind_int64(st, 2, link);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "saving the answers"));
	if (db_changes(s) != 1)
		return txn_end(s, fail(s, SB_EPERM, "this questionnaire is "
		    "already complete"));
	return txn_end(s, audit_append(s, "autosave", "link", link, ""));
}

enum sb_err
store_link_done(struct store *s, int64_t link, int64_t admin)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE links SET administration_id = ?, answers = "
	    "'' WHERE id = ? AND administration_id IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "closing the link"));
	bind_int64(st, 1, admin);
	bind_int64(st, 2, link);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "closing the link"));
	if (db_changes(s) != 1)
		return txn_end(s, fail(s, SB_EPERM, "this questionnaire is "
		    "already complete"));
	return txn_end(s, audit_append(s, "complete", "link", link, ""));
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_web_session.c - sessions and links in the store: tokens are
 * stored hashed, sessions end after 30 idle minutes or 12 hours, a new
 * token at every login, back-off after repeated failures, links expire
 * and serve one administration, a user with a second factor logs in
 * only with a fresh code, a password under older rules is found at login,
 * a new password or second factor ends the user's other sessions, and a
 * user lists and ends their own sessions only.
 */
#include <pthread.h>

#include "core/totp.h"
#include "store/store_int.h"
#include "store/web.h"
#include "store_fixture.h"


static void
sessions_expire_and_rotate(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t1[TOKEN_HEX + 1], t2[TOKEN_HEX + 1];
	char		 csrf[TOKEN_HEX + 1];
	struct stmt	*st;
	int		 wait;
	const int64_t	 t0 = 1000000;

	(void)state;
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1", t0,
	    t1, &wait), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1", t0,
	    t2, &wait), SB_OK);
	assert_string_not_equal(t1, t2);	/* a new token every login */
	/* Only the hash is stored. */
	assert_int_equal(st_prepare(s, "SELECT count(*) FROM "
	    "web_sessions WHERE token_hash = ?", &st), BE_OK);
	bind_blob_ref(st, 1, t1, strlen(t1));
	assert_int_equal(st_step(st), BE_ROW);
	assert_int_equal(col_int(st, 0), 0);
	st_finalize(st);
	assert_int_equal(store_session(s, t1, t0 + 60, csrf), SB_OK);
	assert_string_equal(store_actor(s)->name, "anna");
	/* Idle for 30 minutes: still there (time to write up a session);
	 * for 30 minutes and one second: gone. */
	assert_int_equal(store_session(s, t1, t0 + 60 + 30 * 60, csrf),
	    SB_OK);
	assert_int_equal(store_session(s, t1, t0 + 60 + 60 * 60 + 1,
	    csrf), SB_EPERM);
	assert_null(store_actor(s));
	/* Kept alive, but 12 hours is the most. */
	{
		int64_t	 t;

		for (t = t0 + 600; t < t0 + SESSION_MAX; t += 600)
			assert_int_equal(store_session(s, t2, t, csrf), SB_OK);
		assert_int_equal(store_session(s, t2, t0 + SESSION_MAX + 1,
		    csrf), SB_EPERM);
	}
	assert_int_equal(store_session(s, "not a token", t0, csrf), SB_EPERM);
	assert_int_equal(store_logout(s, t1), SB_OK);
	store_close(s);
}

static void
failed_logins_back_off(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t[TOKEN_HEX + 1];
	int		 i, wait = 0;
	const int64_t	 t0 = 2000000;

	(void)state;
	for (i = 0; i < LOGIN_FREE; i++)
		assert_int_equal(store_login(s, "anna", "wrong password",
		    NULL, "127.0.0.1", t0,
		    t, &wait), SB_EPERM);
	/* Now even the right password waits. */
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1",
	    t0 + 1, t, &wait), SB_EPERM);
	assert_true(wait > 0);
	/* After the wait it works again. */
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1",
	    t0 + 31, t, &wait), SB_OK);
	/* Unknown names back off too, telling nothing about which exist. */
	for (i = 0; i < LOGIN_FREE; i++)
		(void)!store_login(s, "nobody", "x", NULL, "127.0.0.1", t0, t,
		    &wait);
	assert_int_equal(store_login(s, "nobody", "x", NULL, "127.0.0.1",
	    t0 + 1, t, &wait), SB_EPERM);
	assert_true(wait > 0);
	store_close(s);
}

/* Someone guessing from elsewhere cannot lock the therapist out. */
static void
lockout_is_per_name_and_address(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t[TOKEN_HEX + 1];
	int		 i, wait = 0;
	const int64_t	 t0 = 2500000;

	(void)state;
	for (i = 0; i < LOGIN_FREE + 3; i++)
		(void)!store_login(s, "anna", "guess", NULL, "203.0.113.9", t0,
		    t, &wait);
	assert_true(wait > 0);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "192.0.2.1",
	    t0 + 1, t, &wait), SB_OK);
	/* One address trying many names is held back too. */
	for (i = 0; i < LOGIN_ADDRESS_FREE; i++) {
		char name[32];

		snprintf(name, sizeof(name), "user%d", i);
		(void)!store_login(s, name, "guess", NULL, "198.51.100.7", t0,
		    t,
		    &wait);
	}
	assert_int_equal(store_login(s, "tom", FIX_PW, NULL, "198.51.100.7",
	    t0 + 1, t, &wait), SB_EPERM);
	assert_true(wait > 0);
	store_close(s);
}

/* A name with a TAB and a LF, or a password typed as the name, is not
 * kept: neither in the audit trail nor among the counted failures. */
static void
failed_names_are_not_kept(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	struct stmt	*st;
	char		 t[TOKEN_HEX + 1];
	int		 wait = 0, n = 0;

	(void)state;
	(void)!store_login(s, "x\t2026\tboss\tuser-add\nMy-Secret-Pw1",
	    "x", NULL, "127.0.0.1", 2600000, t, &wait);
	(void)!store_login(s, "tom", "wrong", NULL, "127.0.0.1", 2600000, t,
	    &wait);
	assert_int_equal(st_prepare(s, "SELECT detail FROM audit "
	    "WHERE action = 'login-failed' ORDER BY seq", &st),
	    BE_OK);
	while (st_step(st) == BE_ROW) {
		const char *d = (const char *)col_text(st, 0);

		assert_string_equal(d, n++ == 0 ? "(invalid name)" : "tom");
	}
	st_finalize(st);
	assert_int_equal(n, 2);
	assert_int_equal(st_prepare(s, "SELECT count(*) FROM "
	    "login_failures WHERE user_name LIKE '%Secret%' OR user_name = "
	    "'tom'", &st), BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	assert_int_equal(col_int(st, 0), 0);
	st_finalize(st);
	store_close(s);
}

/* Parallel guesses: each attempt is counted before its hash, so no more
 * than LOGIN_FREE passwords are ever tried, however many race. */
struct racer {
	int	 tried, refused;
};

static void *
race(void *arg)
{
	struct racer	*r = arg;
	struct store	*s = fix_open(&fix, NULL);
	char		 t[TOKEN_HEX + 1];
	int		 i, wait;

	for (i = 0; i < 5; i++) {
		wait = 0;
		(void)!store_login(s, "anna", "guess", NULL, "203.0.113.5",
		    2700000, t, &wait);
		if (wait > 0)
			r->refused++;
		else
			r->tried++;
	}
	store_close(s);
	return NULL;
}

static void
parallel_guesses_are_counted_first(void **state)
{
	pthread_t	 th[12];
	struct racer	 r[12];
	int		 i, tried = 0;

	(void)state;
	memset(r, 0, sizeof(r));
	for (i = 0; i < 12; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	for (i = 0; i < 12; i++) {
		pthread_join(th[i], NULL);
		tried += r[i].tried;
	}
	if (tried > LOGIN_FREE) {
		print_error("%d passwords were tried, at most %d may be\n",
		    tried, LOGIN_FREE);
		fail();
	}
	assert_int_equal(tried, LOGIN_FREE);
}

static enum sb_err
count_draft(void *arg, const struct store_draft *d)
{
	int	*n = arg;

	n[strcmp(d->author, "client") == 0]++;
	return SB_OK;
}

/* A link holder posting draft after draft keeps only the newest of them;
 * what the therapist wrote is never dropped. */
static void
client_drafts_are_capped(void **state)
{
	static const struct store_prompt_def loss = { "loss", "A loss?" };
	struct store	*s = fix_open(&fix, "anna");
	char		 text[64];
	int		 i, v, n[2] = { 0, 0 };

	(void)state;
	assert_int_equal(store_prompts_seed(s, &loss, 1), SB_OK);
	assert_int_equal(store_narrative_save(s, fix.client, "loss",
	    "written in the session", false, &v), SB_OK);
	for (i = 0; i < NARRATIVE_CLIENT_DRAFTS + 7; i++) {
		snprintf(text, sizeof(text), "draft number %d", i);
		assert_int_equal(store_narrative_save(s, fix.client, "loss",
		    text, true, &v), SB_OK);
	}
	assert_int_equal(store_narrative_drafts(s, fix.client, "loss",
	    count_draft, n), SB_OK);
	assert_int_equal(n[1], NARRATIVE_CLIENT_DRAFTS);
	assert_int_equal(n[0], 1);
	assert_int_equal(v, NARRATIVE_CLIENT_DRAFTS + 8);
	store_close(s);
}

static void
links_expire_and_serve_once(void **state)
{
	struct store		*s = fix_open(&fix, "anna");
	struct store_link	 l;
	char			 t[TOKEN_HEX + 1];
	int64_t			 id;
	const int64_t		 t0 = 3000000;

	(void)state;
	assert_int_equal(store_link_create(s, fix.client, "phq9", "link", 2,
	    t0, t, &id), SB_OK);
	assert_int_equal(store_link_create(s, fix.client, "phq9", "fax", 2,
	    t0, t, &id), SB_EINVAL);
	assert_int_equal(store_link_open(s, t, t0 + 86400, &l), SB_OK);
	assert_string_equal(l.mode, "link");
	free(l.answers);
	assert_int_equal(store_link_open(s, t, t0 + 2 * 86400 + 1, &l),
	    SB_ENOENT);
	assert_int_equal(store_link_save(s, id, "q1=1"), SB_OK);
	assert_int_equal(store_link_done(s, id, 0), SB_EINVAL);	/* no admin 0 */
	store_close(s);
	/* Another therapist cannot make a link for anna's client. */
	s = fix_open(&fix, "tom");
	assert_int_equal(store_link_create(s, fix.client, "phq9", "link", 2,
	    t0, t, &id), SB_EPERM);
	store_close(s);
}

static enum sb_err
link_seen(void *arg, const struct store_link_row *l)
{
	buf_printf(arg, "%lld %s %s %s %lld;", (long long)l->id, l->instrument,
	    l->by, l->state, (long long)(l->expires - l->created) / 86400);
	return SB_OK;
}

/* The states of anna's client's links at now, newest first. */
static const char *
links_at(struct store *s, struct buf *b, int64_t now)
{
	buf_reset(b);
	assert_int_equal(store_link_each(s, fix.client, now, link_seen, b),
	    SB_OK);
	return b->data ? b->data : "";
}

/*
 * The therapist's list of links follows each as the client meets it:
 * sent, opened, in progress; sent again, the old one is withdrawn (it
 * opens no more) and the new one keeps the answers so far; withdrawn,
 * finished or expired, as the clock says.
 */
static void
links_are_listed_with_their_state(void **state)
{
	struct store		*s = fix_open(&fix, "anna");
	struct store_link	 l;
	struct buf		 b;
	char			 t[TOKEN_HEX + 1], t2[TOKEN_HEX + 1];
	char			 what[64];
	int64_t			 id, id2, id3;
	const int64_t		 t0 = 3000000;

	(void)state;
	buf_init(&b, 1 << 16);
	assert_int_equal(store_link_create(s, fix.client, "phq9", "link", 14,
	    t0, t, &id), SB_OK);
	assert_string_equal(links_at(s, &b, t0), "1 phq9 anna sent 14;");
	assert_int_equal(store_link_open(s, t, t0 + 60, &l), SB_OK);
	free(l.answers);
	assert_int_equal(store_act_as(s, "anna"), SB_OK);
	assert_string_equal(links_at(s, &b, t0 + 61), "1 phq9 anna opened 14;");
	assert_int_equal(store_link_save(s, id, "2,1"), SB_OK);
	assert_string_equal(links_at(s, &b, t0 + 62),
	    "1 phq9 anna in progress 14;");
	/* Expired, by the clock alone. */
	assert_string_equal(links_at(s, &b, t0 + 15 * 86400),
	    "1 phq9 anna expired 14;");

	/* Sent again: a new link with the answers, the old one withdrawn. */
	assert_int_equal(store_link_renew(s, fix.client, id, 14, t0 + 100, t2,
	    what, &id2), SB_OK);
	assert_string_equal(what, "phq9");
	assert_string_not_equal(t, t2);
	assert_string_equal(links_at(s, &b, t0 + 101),
	    "2 phq9 anna in progress 14;1 phq9 anna cancelled 14;");
	assert_int_equal(store_link_open(s, t, t0 + 102, &l), SB_ENOENT);
	ASSERT_CONTAINS(store_errmsg(s), "withdrawn");
	assert_int_equal(store_link_open(s, t2, t0 + 102, &l), SB_OK);
	assert_string_equal(l.answers, "2,1");
	free(l.answers);
	assert_int_equal(store_act_as(s, "anna"), SB_OK);

	/* Withdrawn: once; a finished or withdrawn link cannot be sent
	 * again nor withdrawn. */
	assert_int_equal(store_link_cancel(s, fix.client, id2, t0 + 200),
	    SB_OK);
	assert_int_equal(store_link_cancel(s, fix.client, id2, t0 + 201),
	    SB_EINVAL);
	assert_int_equal(store_link_renew(s, fix.client, id2, 14, t0 + 202,
	    t2, what, &id3), SB_EINVAL);
	assert_int_equal(store_link_cancel(s, fix.client, 999, t0 + 203),
	    SB_ENOENT);
	store_close(s);

	/* Not on tom's caseload: neither listed nor changed. */
	s = fix_open(&fix, "tom");
	buf_reset(&b);
	assert_int_equal(store_link_each(s, fix.client, t0, link_seen, &b),
	    SB_EPERM);
	assert_true(b.len == 0);
	assert_int_equal(store_link_cancel(s, fix.client, id, t0), SB_EPERM);
	buf_free(&b);
	store_close(s);
}

/*
 * A link's posts are counted on its row: two connections (two serve
 * nodes over one PostgreSQL database) share one count, which starts
 * again each minute; a token of no link is not counted.  main() runs it
 * on PostgreSQL only.
 */
static void
link_posts_are_counted_by_every_node(void **state)
{
	struct store	*a = fix_open(&fix, "anna"), *b = fix_open(&fix, NULL);
	char		 t[TOKEN_HEX + 1], none[TOKEN_HEX + 1];
	int64_t		 id, minute = 1000;
	bool		 ok = false;
	int		 i;

	(void)state;
	assert_int_equal(store_link_create(a, fix.client, "phq9", "link", 2,
	    minute * 60, t, &id), SB_OK);
	for (i = 0; i < 30; i++) {
		assert_int_equal(store_link_post(i % 2 ? a : b, t, minute, 30,
		    &ok), SB_OK);
		assert_true(ok);
	}
	assert_int_equal(store_link_post(b, t, minute, 30, &ok), SB_OK);
	assert_false(ok);			/* the 31st, on either */
	assert_int_equal(store_link_post(a, t, minute, 30, &ok), SB_OK);
	assert_false(ok);
	assert_int_equal(store_link_post(a, t, minute + 1, 30, &ok), SB_OK);
	assert_true(ok);			/* a new minute */
	memset(none, 'a', TOKEN_HEX);
	none[TOKEN_HEX] = '\0';
	for (i = 0; i < 40; i++) {
		assert_int_equal(store_link_post(b, none, minute, 30, &ok),
		    SB_OK);
		assert_true(ok);
	}
	store_close(a);
	store_close(b);
}

static void
second_factor_needs_a_fresh_code(void **state)
{
	struct store		*s = fix_open(&fix, "anna");
	const unsigned char	*key = (const unsigned char *)
	    "anna's twenty bytes!";
	char			 t[TOKEN_HEX + 1], code[8], wrong[8];
	int			 wait;
	const int64_t		 t0 = 2000000010;

	(void)state;
	assert_int_equal(store_totp_set(s, "anna", key, 20), SB_OK);
	/* Tom may not set anna's. */
	assert_int_equal(store_act_as(s, "tom"), SB_OK);
	assert_int_equal(store_totp_set(s, "anna", key, 20), SB_EPERM);
	snprintf(code, sizeof(code), "%06u", hotp(key, 20, t0 / TOTP_STEP, 6));
	snprintf(wrong, sizeof(wrong), "%06u", (hotp(key, 20, t0 / TOTP_STEP,
	    6) + 1) % 1000000);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1", t0,
	    t, &wait), SB_EPERM);
	assert_int_equal(store_login(s, "anna", FIX_PW, wrong, "127.0.0.1",
	    t0, t, &wait), SB_EPERM);
	assert_int_equal(store_login(s, "anna", "wrong", code, "127.0.0.1",
	    t0, t, &wait), SB_EPERM);
	assert_int_equal(store_login(s, "anna", FIX_PW, code, "127.0.0.1", t0,
	    t, &wait), SB_OK);
	/* The same code, even in its window, works once. */
	assert_int_equal(store_login(s, "anna", FIX_PW, code, "127.0.0.1",
	    t0 + 5, t, &wait), SB_EPERM);
	snprintf(code, sizeof(code), "%06u", hotp(key, 20, t0 / TOTP_STEP + 1,
	    6));
	assert_int_equal(store_login(s, "anna", FIX_PW, code, "127.0.0.1",
	    t0 + TOTP_STEP,
	    t, &wait), SB_OK);
	/* The secret is sealed: not in the files as it is. */
	store_close(s);
	assert_false(fix_db_has(&fix, key, 20));
	s = fix_open(&fix, "anna");
	/* Off again: the password alone suffices. */
	assert_int_equal(store_totp_set(s, "anna", NULL, 0), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "127.0.0.1",
	    t0 + 100, t,
	    &wait), SB_OK);
	store_close(s);
}

static int64_t
count_sessions(struct store *s)
{
	struct stmt	*st;
	int64_t		 n;

	assert_int_equal(st_prepare(s, "SELECT count(*) FROM "
	    "web_sessions", &st), BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	n = col_int64(st, 0);
	st_finalize(st);
	return n;
}

static int64_t
anna_id(struct store *s)
{
	struct stmt	*st;
	int64_t		 id;

	assert_int_equal(st_prepare(s, "SELECT id FROM users WHERE name = "
	    "'anna'", &st), BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	id = col_int64(st, 0);
	st_finalize(st);
	return id;
}

static void
weak_password_found_at_login(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 hash[PWHASH_BYTES], t[TOKEN_HEX + 1], csrf[TOKEN_HEX + 1];
	struct stmt	*st;
	int		 wait;

	(void)state;
	/* What an older securebase (8 bytes, no list) let anna set, and
	 * sealed as its own write (rows.h). */
	assert_int_equal(pw_hash("password1", hash), SB_OK);
	assert_int_equal(txn_begin(s), SB_OK);
	assert_int_equal(st_prepare(s, "UPDATE users SET password "
	    "= ? WHERE name = 'anna'", &st), BE_OK);
	bind_text_ref(st, 1, hash);
	assert_int_equal(st_step(st), BE_DONE);
	st_finalize(st);
	assert_int_equal(rows_seal(s, RT_USERS, anna_id(s), 0), SB_OK);
	assert_int_equal(txn_end(s, SB_OK), SB_OK);
	assert_int_equal(store_login(s, "anna", "password1", NULL, "10.0.0.1",
	    1000000, t, &wait), SB_OK);
	assert_true(store_actor(s)->must_change);
	store_act_clear(s);
	assert_int_equal(store_session(s, t, 1000010, csrf), SB_OK);
	assert_true(store_actor(s)->must_change);
	/* Her new one must meet the rules; then the mark is gone. */
	assert_int_equal(store_user_passwd(s, "anna", "password12"),
	    SB_EINVAL);
	assert_int_equal(store_user_passwd(s, "anna", "a quiet lake at dawn"),
	    SB_OK);
	assert_false(store_actor(s)->must_change);
	assert_int_equal(store_act_as(s, "anna"), SB_OK);
	assert_false(store_actor(s)->must_change);
	/* A good password never sets it. */
	assert_int_equal(store_login(s, "tom", FIX_PW, NULL, "10.0.0.1",
	    1000000, t, &wait), SB_OK);
	assert_false(store_actor(s)->must_change);
	store_close(s);
}

static void
new_password_ends_other_sessions(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t1[TOKEN_HEX + 1], t2[TOKEN_HEX + 1], tt[TOKEN_HEX + 1];
	char		 csrf[TOKEN_HEX + 1];
	const unsigned char *key = (const unsigned char *)"twenty bytes of key!";
	int		 wait;
	const int64_t	 t0 = 1000000;

	(void)state;
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "a", t0, t1,
	    &wait), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "b", t0, t2,
	    &wait), SB_OK);
	assert_int_equal(store_login(s, "tom", FIX_PW, NULL, "c", t0, tt,
	    &wait), SB_OK);
	/* Anna, in session 1, sets a new password: session 2 ends. */
	assert_int_equal(store_session(s, t1, t0 + 1, csrf), SB_OK);
	assert_int_equal(store_user_passwd(s, "anna", "a quiet lake at dawn"),
	    SB_OK);
	assert_int_equal(store_session(s, t1, t0 + 2, csrf), SB_OK);
	assert_int_equal(store_session(s, t2, t0 + 2, csrf), SB_EPERM);
	assert_int_equal(store_session(s, tt, t0 + 2, csrf), SB_OK);
	assert_int_equal(count_sessions(s), 2);
	/* Setting the second factor does the same. */
	assert_int_equal(store_login(s, "anna", "a quiet lake at dawn", NULL,
	    "b", t0, t2, &wait), SB_OK);
	assert_int_equal(store_session(s, t1, t0 + 3, csrf), SB_OK);
	assert_int_equal(store_totp_set(s, "anna", key, 20), SB_OK);
	assert_int_equal(store_session(s, t2, t0 + 4, csrf), SB_EPERM);
	assert_int_equal(store_session(s, t1, t0 + 4, csrf), SB_OK);
	/* An admin resetting it (not in her session) ends them all. */
	assert_int_equal(store_act_as(s, "boss"), SB_OK);
	assert_int_equal(store_user_passwd(s, "anna", "seven blue herons"),
	    SB_OK);
	assert_int_equal(store_session(s, t1, t0 + 5, csrf), SB_EPERM);
	assert_int_equal(store_session(s, tt, t0 + 5, csrf), SB_OK);
	store_close(s);
}

struct seen {
	int64_t		 id[8];
	bool		 current[8];
	char		 address[8][64];
	size_t		 n;
};

static enum sb_err
seen_one(void *arg, const struct store_session_info *si)
{
	struct seen	*v = arg;

	assert_true(v->n < 8);
	v->id[v->n] = si->id;
	v->current[v->n] = si->current;
	snprintf(v->address[v->n], sizeof(v->address[0]), "%s", si->address);
	v->n++;
	return SB_OK;
}

static void
sessions_listed_and_ended_by_their_user(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t1[TOKEN_HEX + 1], t2[TOKEN_HEX + 1], t3[TOKEN_HEX + 1];
	char		 tt[TOKEN_HEX + 1], csrf[TOKEN_HEX + 1];
	struct seen	 v;
	int64_t		 toms;
	int		 wait;
	const int64_t	 t0 = 1000000;

	(void)state;
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "10.0.0.1", t0,
	    t1, &wait), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "10.0.0.2", t0 +
	    1, t2, &wait), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, NULL, "10.0.0.3", t0 +
	    2, t3, &wait), SB_OK);
	assert_int_equal(store_login(s, "tom", FIX_PW, NULL, "10.0.0.9", t0,
	    tt, &wait), SB_OK);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_session_each(s, t0 + 3, seen_one, &v), SB_OK);
	assert_int_equal(v.n, 1);			/* tom's own */
	toms = v.id[0];
	assert_int_equal(store_session(s, t2, t0 + 3, csrf), SB_OK);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_session_each(s, t0 + 3, seen_one, &v), SB_OK);
	assert_int_equal(v.n, 3);
	/* Newest use first; the one asking is marked. */
	assert_string_equal(v.address[0], "10.0.0.3");
	assert_false(v.current[0]);
	assert_string_equal(v.address[1], "10.0.0.2");
	assert_true(v.current[1]);
	/* Not tom's. */
	assert_int_equal(store_session_end(s, toms), SB_ENOENT);
	assert_int_equal(store_session(s, tt, t0 + 4, csrf), SB_OK);
	/* One of hers, then all others. */
	assert_int_equal(store_session(s, t2, t0 + 4, csrf), SB_OK);
	assert_int_equal(store_session_end(s, v.id[0]), SB_OK);
	assert_int_equal(store_session(s, t3, t0 + 5, csrf), SB_EPERM);
	assert_int_equal(store_session(s, t2, t0 + 5, csrf), SB_OK);
	assert_int_equal(store_session_end(s, 0), SB_OK);
	assert_int_equal(store_session(s, t1, t0 + 6, csrf), SB_EPERM);
	assert_int_equal(store_session(s, t2, t0 + 6, csrf), SB_OK);
	assert_int_equal(store_session(s, tt, t0 + 6, csrf), SB_OK);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sessions_expire_and_rotate,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(failed_logins_back_off, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(lockout_is_per_name_and_address,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(failed_names_are_not_kept,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    parallel_guesses_are_counted_first, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(client_drafts_are_capped,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(links_expire_and_serve_once,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(links_are_listed_with_their_state,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    second_factor_needs_a_fresh_code, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(weak_password_found_at_login,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    new_password_ends_other_sessions, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    sessions_listed_and_ended_by_their_user, fix_setup,
		    fix_teardown),
		/* PostgreSQL's alone, last (a file has one node): */
		cmocka_unit_test_setup_teardown(
		    link_posts_are_counted_by_every_node, fix_setup,
		    fix_teardown),
	};
	size_t	 n = sizeof(tests) / sizeof(tests[0]);

	return _cmocka_run_group_tests("test_web_session", tests,
	    fix_pg() != NULL ? n : n - 1, NULL, NULL);
}

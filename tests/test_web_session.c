/*
 * test_web_session.c - sessions and links in the store: tokens are
 * stored hashed, sessions end after 15 idle minutes or 12 hours, a new
 * token at every login, back-off after repeated failures, links expire
 * and serve one administration.
 */
#include "store/store_int.h"
#include "store/web.h"
#include "store_fixture.h"


static void
sessions_expire_and_rotate(void **state)
{
	struct store	*s = fix_open(&fix, NULL);
	char		 t1[TOKEN_HEX + 1], t2[TOKEN_HEX + 1];
	char		 csrf[TOKEN_HEX + 1];
	sqlite3_stmt	*st;
	int		 wait;
	const int64_t	 t0 = 1000000;

	(void)state;
	assert_int_equal(store_login(s, "anna", FIX_PW, t0, t1, &wait), SB_OK);
	assert_int_equal(store_login(s, "anna", FIX_PW, t0, t2, &wait), SB_OK);
	assert_string_not_equal(t1, t2);	/* a new token every login */
	/* Only the hash is stored. */
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM "
	    "web_sessions WHERE token_hash = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, t1, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	assert_int_equal(store_session(s, t1, t0 + 60, csrf), SB_OK);
	assert_string_equal(store_actor(s)->name, "anna");
	/* Idle for 15 minutes and one second: gone. */
	assert_int_equal(store_session(s, t1, t0 + 60 + SESSION_IDLE + 1,
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
		assert_int_equal(store_login(s, "anna", "wrong password", t0,
		    t, &wait), SB_EPERM);
	/* Now even the right password waits. */
	assert_int_equal(store_login(s, "anna", FIX_PW, t0 + 1, t, &wait),
	    SB_EPERM);
	assert_true(wait > 0);
	/* After the wait it works again. */
	assert_int_equal(store_login(s, "anna", FIX_PW, t0 + 31, t, &wait),
	    SB_OK);
	/* Unknown names back off too, telling nothing about which exist. */
	for (i = 0; i < LOGIN_FREE; i++)
		(void)store_login(s, "nobody", "x", t0, t, &wait);
	assert_int_equal(store_login(s, "nobody", "x", t0 + 1, t, &wait),
	    SB_EPERM);
	assert_true(wait > 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(sessions_expire_and_rotate,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(failed_logins_back_off, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(links_expire_and_serve_once,
		    fix_setup, fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

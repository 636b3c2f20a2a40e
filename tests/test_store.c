/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store.c - the practice database on either engine (SQLite, or
 * PostgreSQL where SECUREBASE_TEST_PG names a server: tests/pg/run.sh
 * runs this same program there): encryption at rest (no plaintext in
 * the engine's files), ciphertexts bound to their row, access by role,
 * password rehash, alert lifecycle, the audit trail's guards, migrations
 * from every earlier version, imports.  What is SQLite's alone (its
 * settings, its old files, file backups) is test_store_sqlite.c.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "store/backup.h"
#include "store/pg.h"
#include "store/sqlite.h"
#include "store/store_int.h"
#include "render/record.h"
#include "store_fixture.h"


/* True when the file at path holds the bytes of needle anywhere. */
/*
 * A bare store over a new empty database (a file, or a database on the
 * test's PostgreSQL server): no key, no migrations, as the migration
 * tests build an old practice by hand.  name names the file or, on
 * PostgreSQL, is set to the database's.
 */
static void
raw_open(struct store *s, char *name, size_t namesz)
{
	char	 err[256], url[512];
	int	 fd;

	memset(s, 0, sizeof(*s));
	if (fix_pg() != NULL) {
		fix_pg_database(name, namesz, url, sizeof(url));
		s->be = &pg_backend;
		if (pg_backend.drv->open(url, BE_WRITE, &s->conn, err,
		    sizeof(err)) != SB_OK)
			fail_msg("%s", err);
		return;
	}
	assert_true((fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0600)) >=
	    0);
	close(fd);
	s->be = &sqlite_backend;
	if (sqlite_backend.drv->open(name, BE_WRITE, &s->conn, err,
	    sizeof(err)) !=
	    SB_OK)
		fail_msg("%s", err);
	/* As practices were made before WAL: one file. */
	assert_int_equal(db_exec(s, "PRAGMA journal_mode = DELETE"), BE_OK);
}

static void
raw_close(struct store *s, const char *name)
{
	char	 sql[256];
	size_t	 i;

	for (i = 0; i < s->ncache; i++)
		st_finalize(s->cache[i].st);
	free(s->cache);
	s->be->drv->close(s->conn);
	if (fix_pg() != NULL) {
		snprintf(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)",
		    name);	/* a pooler may hold it (pooler.sh) */
		fix_pg_admin(sql);
	}
}

static void
no_plaintext_in_the_database_file(void **state)
{
	static const char *const secrets[] = { "Zebulon", "Quartermaine",
	    "grandmother Philippa", "locked in the cellar",
	    "dissociated when talking about", "Ottoline" };
	struct store_person	 p = { "grandmother Philippa", "grandmother",
	    NULL, 1921, 1999, "Ottoline" };
	struct store_event	 ev = { "trauma", "1984", -1, -3, 5,
	    "locked in the cellar", NULL, -1 };
	struct store		*s;
	int64_t			 id;
	size_t			 i;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_person_add(s, fix.client, &p, &id), SB_OK);
	assert_int_equal(store_event_add(s, fix.client, &ev, &id), SB_OK);
	assert_int_equal(store_note_add(s, fix.client, "dissociated when "
	    "talking about the move", &id), SB_OK);
	/* While open, the text sits in the WAL; after close, in the main
	 * file (SQLite) or the cluster's files (PostgreSQL): check both
	 * moments. */
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		assert_false(fix_db_has(&fix, secrets[i], strlen(secrets[i])));
	store_close(s);
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		assert_false(fix_db_has(&fix, secrets[i], strlen(secrets[i])));
	/* Positive control: the method finds text that is stored plainly
	 * (user names are not secret). */
	assert_true(fix_db_has(&fix, "anna", 4));
	/* And the record still reads back with the key. */
	{
		struct buf out;

		s = fix_open(&fix, "anna");
		buf_init(&out, 1 << 20);
		assert_int_equal(record_text(s, fix.client, &out, NULL), SB_OK);
		ASSERT_CONTAINS(out.data, "locked in the cellar");
		ASSERT_CONTAINS(out.data, "Zebulon Quartermaine");
		buf_wipe(&out);
		store_close(s);
	}
}

static void
ciphertext_is_bound_to_its_row(void **state)
{
	struct store	*s;
	struct buf	 out;
	int64_t		 n1, n2;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_note_add(s, fix.client, "first note", &n1),
	    SB_OK);
	assert_int_equal(store_note_add(s, fix.client, "second note", &n2),
	    SB_OK);
	/* Copy note 1's ciphertext over note 2 behind the store's back. */
	assert_int_equal(db_exec(s, "UPDATE notes SET text = (SELECT "
	    "text FROM notes WHERE id = 1) WHERE id = 2"),
	    BE_OK);
	buf_init(&out, 1 << 20);
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_EPERM);
	ASSERT_CONTAINS(store_errmsg(s), "notes 2: text cannot be decrypted");
	buf_wipe(&out);
	store_close(s);
}

static void
wrong_key_is_refused(void **state)
{
	struct store	*s;
	char		 other[160], err[512];
	struct keys	*k;

	(void)state;
	snprintf(other, sizeof(other), "%s/other.key", fix.dir);
	assert_int_equal(keys_create(other, &k, err, sizeof(err)), SB_OK);
	keys_free(k);
	assert_int_equal(store_open(fix.db, &(struct store_key){ other, NULL },
	    &s, err, sizeof(err)), SB_EPERM);
	ASSERT_CONTAINS(err, "this key does not belong to this database");
	/* A key file others can read is refused. */
	chmod(other, 0644);
	assert_int_equal(store_open(fix.db, &(struct store_key){ other, NULL },
	    &s, err, sizeof(err)), SB_EPERM);
	ASSERT_CONTAINS(err, "readable by group or others");
}

static void
access_follows_roles_and_sharing(void **state)
{
	struct store	*s;
	struct buf	 out;
	int64_t		 id;

	(void)state;
	buf_init(&out, 1 << 20);
	s = fix_open(&fix, "tom");
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_EPERM);
	assert_int_equal(store_note_add(s, fix.client, "x", &id), SB_EPERM);
	store_close(s);
	s = fix_open(&fix, "boss");	/* admins do not read records */
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_EPERM);
	assert_int_equal(store_client_add(s, "Someone", &id), SB_EPERM);
	store_close(s);
	s = fix_open(&fix, "sam");	/* supervisors read, not write */
	buf_reset(&out);
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_OK);
	assert_int_equal(store_note_add(s, fix.client, "x", &id), SB_EPERM);
	store_close(s);
	s = fix_open(&fix, "anna");
	assert_int_equal(store_client_share(s, fix.client, "tom"), SB_OK);
	assert_int_equal(store_user_add(s, "eve", ROLE_ADMIN, FIX_PW, &id),
	    SB_EPERM);
	store_close(s);
	s = fix_open(&fix, "tom");
	buf_reset(&out);
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_OK);
	assert_int_equal(record_text(s, 999, &out, NULL), SB_ENOENT);
	store_close(s);
	buf_wipe(&out);
}

static void
denied_access_is_audited(void **state)
{
	struct store	*s;
	struct stmt	*st;
	struct buf	 out;

	(void)state;
	buf_init(&out, 1 << 20);
	s = fix_open(&fix, "tom");
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_EPERM);
	assert_int_equal(st_prepare(s, "SELECT user_name, action "
	    "FROM audit ORDER BY seq DESC LIMIT 1", &st), BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	assert_string_equal(col_text(st, 0), "tom");
	assert_string_equal(col_text(st, 1), "denied");
	st_finalize(st);
	store_close(s);
	buf_free(&out);
}

static int64_t
user_id(struct store *s, const char *name)
{
	struct stmt	*st;
	int64_t		 id;

	assert_int_equal(st_prepare(s, "SELECT id FROM users WHERE name = ?",
	    &st), BE_OK);
	bind_text(st, 1, name);
	assert_int_equal(st_step(st), BE_ROW);
	id = col_int64(st, 0);
	st_finalize(st);
	return id;
}

static void
passwords_are_argon2id_and_rehashed(void **state)
{
	struct store	*s;
	struct stmt	*st;
	char		 weak[PWHASH_BYTES];
	const char	*h;

	(void)state;
	s = fix_open(&fix, NULL);
	assert_int_equal(store_user_check_password(s, "anna", FIX_PW), SB_OK);
	assert_int_equal(store_user_check_password(s, "anna", "wrong pass"),
	    SB_EPERM);
	assert_int_equal(store_user_check_password(s, "nobody", FIX_PW),
	    SB_EPERM);
	/* Store a hash made with weaker parameters, as an older release
	 * would have; the next good login must upgrade it. */
	assert_int_equal(crypto_pwhash_str(weak, FIX_PW, strlen(FIX_PW),
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	/* Written without the key (by hand, not by a release): refused,
	 * whatever the password (rows.h). */
	assert_int_equal(st_prepare(s, "UPDATE users SET password = ? WHERE "
	    "name = 'anna'", &st), BE_OK);
	bind_text_ref(st, 1, weak);
	assert_int_equal(st_step(st), BE_DONE);
	st_finalize(st);
	assert_int_equal(store_user_check_password(s, "anna", FIX_PW),
	    SB_EPERM);
	assert_non_null(strstr(store_errmsg(s), "changed outside securebase"));
	/* As a release wrote it: sealed in its transaction. */
	assert_int_equal(txn_begin(s), SB_OK);
	assert_int_equal(rows_seal(s, RT_USERS, user_id(s, "anna"), 0), SB_OK);
	assert_int_equal(txn_end(s, SB_OK), SB_OK);
	assert_true(pw_needs_rehash(weak));
	assert_int_equal(store_user_check_password(s, "anna", FIX_PW), SB_OK);
	assert_int_equal(st_prepare(s, "SELECT password FROM users WHERE "
	    "name = 'anna'", &st), BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	h = (const char *)col_text(st, 0);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_false(pw_needs_rehash(h));
	assert_string_not_equal(h, weak);
	st_finalize(st);
	store_close(s);
}

struct names_seen {
	int	 n;
	char	 last[128];
};

static enum sb_err
name_seen(void *arg, const struct store_client_row *c)
{
	struct names_seen	*w = arg;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", c->name);
	return SB_OK;
}

/*
 * A name with a line break and a tab (stored before names were checked)
 * forged a second caseload row linked to another client when the list
 * was text; as a record it is one client with its whole name.
 */
static void
a_name_with_a_line_break_stays_one_client(void **state)
{
	struct store		*s;
	struct names_seen	 w;
	struct stmt		*st;
	const char		*spoof = "Eve\n1\tAda Example (spoof)";
	int64_t			 id;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_client_add(s, spoof, &id), SB_EINVAL);
	ASSERT_CONTAINS(store_errmsg(s), "control character");
	assert_int_equal(store_client_add(s, "Eve", &id), SB_OK);
	assert_int_equal(st_prepare(s, "UPDATE clients SET name = ? WHERE id = "
	    "?", &st), BE_OK);
	assert_int_equal(bind_sealed(s, st, 1, "clients", "name", id, spoof),
	    SB_OK);
	bind_int64(st, 2, id);
	assert_int_equal(st_step(st), BE_DONE);
	st_finalize(st);
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_client_each(s, name_seen, &w), SB_OK);
	assert_int_equal(w.n, 2);
	assert_string_equal(w.last, spoof);
	store_close(s);
}

static enum sb_err
alert_seen(void *arg, const struct store_alert *a)
{
	buf_printf(arg, "%s %s %s %s\n", a->rule, a->severity, a->state,
	    a->detail);
	return SB_OK;
}

static enum sb_err
step_seen(void *arg, const struct store_alert_step *st)
{
	if (st->state[0] == '\0')
		buf_printf(arg, "%s %s: -\n", st->alert->rule,
		    st->alert->state);
	else
		buf_printf(arg, "%s %s: %s by %s: %s\n", st->alert->rule,
		    st->alert->state, st->state, st->by, st->note ? st->note :
		    "(no note)");
	return SB_OK;
}

static void
alert_lifecycle_keeps_history(void **state)
{
	struct store	*s;
	struct buf	 out;
	int64_t		 id;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_alert_add(s, fix.client, 0, "critical-item",
	    "high", "PHQ-9 q9 answered 1", &id), SB_OK);
	buf_init(&out, 1 << 20);
	assert_int_equal(store_alert_open_each(s, alert_seen, &out), SB_OK);
	ASSERT_CONTAINS(out.data, "critical-item high open PHQ-9 q9 answered 1");
	assert_int_equal(store_alert_move(s, id, "acknowledged", "called the "
	    "client"), SB_OK);
	assert_int_equal(store_alert_move(s, id, "acknowledged", NULL),
	    SB_EINVAL);
	assert_int_equal(store_alert_move(s, id, "resolved", "safety plan in "
	    "place"), SB_OK);
	assert_int_equal(store_alert_move(s, id, "acknowledged", NULL),
	    SB_EINVAL);	/* no way back from resolved */
	buf_reset(&out);
	assert_int_equal(store_alert_open_each(s, alert_seen, &out), SB_OK);
	assert_true(out.data == NULL || strstr(out.data, "critical") == NULL);
	/* History: the resolved alert too, its two moves in order, each
	 * with who and the note as written; an alert never handled once. */
	assert_int_equal(store_alert_add(s, fix.client, 0, "measure-overdue",
	    "low", "no questionnaire since 2026-01-02", &id), SB_OK);
	buf_reset(&out);
	assert_int_equal(store_alert_history(s, fix.client, step_seen, &out),
	    SB_OK);
	assert_string_equal(out.data,
	    "measure-overdue open: -\n"
	    "critical-item resolved: acknowledged by anna: called the client\n"
	    "critical-item resolved: resolved by anna: safety plan in place\n");
	store_close(s);
	/* Not on tom's caseload: refused, as every read of the client. */
	s = fix_open(&fix, "tom");
	buf_reset(&out);
	assert_int_equal(store_alert_history(s, fix.client, step_seen, &out),
	    SB_EPERM);
	assert_true(out.len == 0);
	buf_free(&out);
	store_close(s);
}

static void
migrates_from_every_earlier_version(void **state)
{
	struct store	 s;
	char		 path[160];
	int		 v;

	(void)state;
	/* PostgreSQL's history begins at 14 (pg_schema.c); from each
	 * earlier version all the same. */
	for (v = 0; v < store_schema_latest(); v++) {
		memset(&s, 0, sizeof(s));
		snprintf(path, sizeof(path), "%s/m%d.db", fix.dir, v);
		raw_open(&s, path, sizeof(path));
		assert_int_equal(schema_migrate(&s, v), SB_OK);
		assert_int_equal(store_schema_version(&s), v);
		assert_int_equal(schema_migrate(&s, store_schema_latest()),
		    SB_OK);
		assert_int_equal(store_schema_version(&s),
		    store_schema_latest());
		/* The latest schema is complete. */
		assert_int_equal(db_exec(&s, "SELECT count(*) FROM "
		    "audit_head"), BE_OK);
		assert_int_equal(db_exec(&s, "SELECT scored_version FROM "
		    "administrations"), BE_OK);
		assert_int_equal(db_exec(&s, "SELECT count(*) FROM "
		    "live_alerts"), BE_OK);
		raw_close(&s, path);
	}
}

/* The latest two ids per instrument, worked out from the whole walk. */
struct walk {
	char	 instrument[2][16];
	int64_t	 last[2], prev[2];
	size_t	 n;
};

static enum sb_err
walk_row(void *arg, const struct store_administration_row *a)
{
	struct walk	*w = arg;
	size_t		 i;

	for (i = 0; i < w->n && strcmp(w->instrument[i], a->instrument) != 0;
	    i++)
		;
	if (i == w->n)
		snprintf(w->instrument[w->n++], 16, "%s", a->instrument);
	/* The walk is in time order: each row is the newest so far. */
	w->prev[i] = w->last[i];
	w->last[i] = a->id;
	return SB_OK;
}

static enum sb_err
latest_seen(void *arg, const struct store_latest *l)
{
	struct walk	*w = arg;
	size_t		 i;

	for (i = 0; i < w->n && strcmp(w->instrument[i], l->instrument) != 0;
	    i++)
		;
	assert_true(i < w->n);
	if (l->last.id != w->last[i] || l->prev.id != w->prev[i])
		fail_msg("%s: latest %lld and %lld, the walk says %lld and "
		    "%lld", l->instrument, (long long)l->last.id,
		    (long long)l->prev.id, (long long)w->last[i],
		    (long long)w->prev[i]);
	w->last[i] = -1;	/* seen */
	return SB_OK;
}

static void
latest_scores_follow_every_insert(void **state)
{
	struct store		*s = fix_open(&fix, "anna");
	struct store_administration	 a;
	struct walk		 w;
	char			 when[32];
	uint32_t		 x = 12345;
	int64_t			 id;
	size_t			 i, k;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.version = "1";
	a.respondent = "self";
	a.mode = "import";
	a.answers = "q1=1";
	/* Dates in no order (old imports after new answers), same dates
	 * twice, and answers without a date. */
	for (i = 0; i < 40; i++) {
		x = x * 1103515245u + 12345u;
		a.instrument = (x >> 8) % 2 ? "phq9" : "gad7";
		snprintf(when, sizeof(when), "2026-%02u-%02uT10:00:00Z",
		    1 + (x >> 12) % 12, 1 + (x >> 16) % 3);
		a.completed = (x >> 20) % 7 == 0 ? NULL : when;
		assert_int_equal(store_administration_add(s, fix.client, &a,
		    &id), SB_OK);
		for (k = 0; k < 2; k++) {
			memset(&w, 0, sizeof(w));
			assert_int_equal(store_administration_each(s, NULL,
			    fix.client, walk_row, &w), SB_OK);
			assert_int_equal(store_latest_each(s, latest_seen, &w),
			    SB_OK);
			for (id = 0; id < (int64_t)w.n; id++)
				assert_int_equal(w.last[id], -1);
			/* And the same when built anew (rescore). */
			assert_int_equal(store_latest_rebuild(s), SB_OK);
		}
	}
	store_close(s);
}

/* Alert details as store_alert_each hands them out. */
static enum sb_err
alert_detail(void *arg, const struct store_alert *a)
{
	snprintf(arg, 64, "%s", a->detail);
	return SB_OK;
}

static void
described_text_is_written_sealed(void **state)
{
	struct store_person	 p = { "Nan", "grandmother-xyz", "woman-xyz",
	    1940, 0, NULL };
	struct store		*s = fix_open(&fix, "anna");
	struct history		 h;
	struct buf		 out;
	char			 label[128], detail[64] = "";
	int64_t			 id;
	bool			 yes = false, pending = false;
	const char		*clear[] = { "grandmother-xyz", "woman-xyz",
	    "label-xyz", "consent-xyz", "detail-xyz answered 3" };
	size_t			 i;

	(void)state;
	assert_int_equal(store_person_add(s, fix.client, &p, &id), SB_OK);
	assert_int_equal(store_snapshot_add(s, fix.client, "label-xyz", &id),
	    SB_OK);
	assert_int_equal(store_consent_add(s, fix.client, "consent-xyz",
	    "2026-01-02", &id), SB_OK);
	assert_int_equal(store_alert_add(s, fix.client, 0, "rule-x", "low",
	    "detail-xyz answered 3", &id), SB_OK);
	/* Read back through the store, opened. */
	assert_int_equal(store_history_read(s, fix.client, &h), SB_OK);
	assert_int_equal(h.npeople, 1);
	assert_string_equal(h.people[0].role, "grandmother-xyz");
	assert_string_equal(h.people[0].gender, "woman-xyz");
	history_free(&h);
	assert_int_equal(store_snapshot_read(s, fix.client, 1, &h,
	    label, sizeof(label)), SB_OK);
	assert_non_null(strstr(label, "label-xyz"));
	history_free(&h);
	assert_int_equal(store_consent_active(s, fix.client, "consent-xyz",
	    &yes), SB_OK);
	assert_true(yes);
	assert_int_equal(store_consent_active(s, fix.client, "consent-xy",
	    &yes), SB_OK);
	assert_false(yes);
	assert_int_equal(store_alert_pending(s, fix.client, "rule-x",
	    "detail-xyz", &pending), SB_OK);
	assert_true(pending);
	assert_int_equal(store_alert_pending(s, fix.client, "rule-x",
	    "detail-xyz answered 4", &pending), SB_OK);
	assert_false(pending);
	assert_int_equal(store_alert_each(s, fix.client, alert_detail, detail),
	    SB_OK);
	assert_string_equal(detail, "detail-xyz answered 3");
	buf_init(&out, 1 << 20);
	assert_int_equal(record_text(s, fix.client, &out, NULL), SB_OK);
	/* (The shown record has no snapshots: clear[2] is not in it.) */
	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		if (i != 2 && strstr(out.data, clear[i]) == NULL)
			fail_msg("the record shown lacks \"%s\"", clear[i]);
	buf_free(&out);
	store_close(s);
	/* In the files, none of it is in the clear. */
	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		if (fix_db_has(&fix, clear[i], strlen(clear[i])))
			fail_msg("\"%s\" is in the files as it is", clear[i]);
}

/* An imported PHQ-9 administration with these answers. */
static void
imported_phq9(struct store_administration *a, const char *answers)
{
	memset(a, 0, sizeof(*a));
	a->instrument = "phq9";
	a->version = "1";
	a->respondent = "self";
	a->mode = "import";
	a->answers = answers;
}

/* count(*) of a query on a second connection: what others see. */
static int
count_of(const char *db, const char *sql)
{
	const struct store_backend	*be = backend_for(db);
	struct be_conn			*c;
	struct be_stmt			*st;
	char				 err[256];
	int				 n = -1;

	assert_int_equal(be->drv->open(db, BE_READ, &c, err, sizeof(err)),
	    SB_OK);
	assert_int_equal(be->drv->prepare(c, sql, false, &st), BE_OK);
	if (be->drv->step(st) == BE_ROW)
		n = (int)be->drv->column_int64(st, 0);
	be->drv->finalize(st);
	be->drv->close(c);
	return n;
}

static void
import_is_hidden_until_done_and_audited_once_per_client(void **state)
{
	struct store		*s;
	struct store_administration	 a;
	struct store_alert_new	 al;
	struct stmt		*st;
	struct timespec		 slice = { 0, 60 * 1000 * 1000 };
	int64_t			 c2, id, imp, alert;
	int			 i, q;

	(void)state;
	imported_phq9(&a, "q1=0");
	s = fix_open(&fix, "anna");
	assert_int_equal(store_client_add(s, "Second Client", &c2), SB_OK);
	assert_int_equal(store_import_begin(s), SB_OK);
	for (i = 0; i < 3; i++)
		assert_int_equal(store_administration_add(s, fix.client, &a,
		    &id), SB_OK);
	memset(&al, 0, sizeof(al));
	al.client = fix.client;
	al.administration = id;
	al.rule = "critical-item";
	al.severity = "high";
	al.detail = "PHQ-9 q9 answered 2";
	assert_int_equal(store_alert_raise(s, &al, &alert, &q), SB_OK);
	/* A slice is committed (others could write now), and still nobody
	 * sees a row of the open import. */
	nanosleep(&slice, NULL);
	assert_int_equal(store_import_step(s), SB_OK);
	assert_int_equal(store_administration_add(s, c2, &a, &id), SB_OK);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "administrations"), 3);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "live_administrations"), 0);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM live_alerts"),
	    0);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM audit WHERE "
	    "entity = 'alert'"), 0);
	assert_int_equal(store_import_finish(s, NULL, NULL, &imp), SB_OK);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "live_administrations"), 4);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM live_alerts"),
	    1);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM latest"), 2);
	assert_int_equal(st_prepare(s, "SELECT entity_id, detail "
	    "FROM audit WHERE action = 'import' ORDER BY seq", &st),
	    BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	assert_int_equal(col_int64(st, 0), fix.client);
	assert_string_equal(col_text(st, 1), "import 1: 3 "
	    "administrations of phq9, ids 1..3; 1 alerts");
	assert_int_equal(st_step(st), BE_ROW);
	assert_string_equal(col_text(st, 1), "import 1: 1 "
	    "administrations of phq9, ids 4..4; 0 alerts");
	assert_int_equal(st_step(st), BE_DONE);
	st_finalize(st);
	store_close(s);
}

static void
import_abandoned_leaves_nothing(void **state)
{
	struct store		*s, *t;
	struct store_administration	 a;
	struct timespec		 slice = { 0, 60 * 1000 * 1000 };
	int64_t			 id;
	pid_t			 pid;
	int			 status;

	(void)state;
	imported_phq9(&a, "q1=1");
	s = fix_open(&fix, "anna");
	assert_int_equal(store_import_begin(s), SB_OK);
	assert_int_equal(store_administration_add(s, fix.client, &a, &id),
	    SB_OK);
	nanosleep(&slice, NULL);
	assert_int_equal(store_import_step(s), SB_OK);	/* on disk now */
	store_import_abandon(s);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "administrations"), 0);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM imports "
	    "WHERE state = 'abandoned'"), 1);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM audit WHERE "
	    "action = 'abandon' AND entity = 'import'"), 1);

	/* A process that died mid-import (no clean-up runs): its rows stay
	 * hidden, and once it is old enough the next import deletes them. */
	if ((pid = fork()) == 0) {
		s = fix_open(&fix, "anna");
		if (store_import_begin(s) != SB_OK ||
		    store_administration_add(s, fix.client, &a, &id) != SB_OK)
			_exit(1);
		nanosleep(&slice, NULL);
		if (store_import_step(s) != SB_OK)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(status, 0);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "administrations"), 1);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "live_administrations"), 0);
	t = fix_open(&fix, "anna");
	assert_int_equal(store_import_begin(t), SB_OK);	/* too recent */
	store_import_abandon(t);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "administrations"), 1);
	assert_int_equal(db_exec(t, "UPDATE imports SET touched = 0 WHERE "
	    "state = 'open'"), BE_OK);
	assert_int_equal(store_import_begin(t), SB_OK);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM "
	    "administrations"), 0);
	store_import_abandon(t);
	store_close(t);
	store_close(s);
	assert_int_equal(count_of(fix.db, "SELECT count(*) FROM imports "
	    "WHERE state = 'open'"), 0);
}

static void
partners_answers_are_private_until_shared(void **state)
{
	struct store	*s;
	int64_t		 b, c, kase, ids[2];
	bool		 v;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_client_add(s, "Partner B", &b), SB_OK);
	assert_int_equal(store_client_add(s, "Someone C", &c), SB_OK);
	ids[0] = fix.client;
	ids[1] = b;
	assert_int_equal(store_case_add(s, "couple", ids, 2, &kase), SB_OK);
	assert_int_equal(store_answers_visible(s, fix.client, fix.client, &v),
	    SB_OK);
	assert_true(v);
	assert_int_equal(store_answers_visible(s, fix.client, b, &v), SB_OK);
	assert_false(v);
	assert_int_equal(store_case_share_answers(s, kase, fix.client, true),
	    SB_OK);
	assert_int_equal(store_answers_visible(s, fix.client, b, &v), SB_OK);
	assert_true(v);
	/* Sharing is one way, and only within the case. */
	assert_int_equal(store_answers_visible(s, b, fix.client, &v), SB_OK);
	assert_false(v);
	assert_int_equal(store_answers_visible(s, fix.client, c, &v), SB_OK);
	assert_false(v);
	assert_int_equal(store_case_share_answers(s, kase, fix.client, false),
	    SB_OK);
	assert_int_equal(store_answers_visible(s, fix.client, b, &v), SB_OK);
	assert_false(v);
	/* Shared by hand, without the key: the row's seal says so, and
	 * nothing is shown. */
	assert_int_equal(db_exec(s, "UPDATE case_members SET answers_shared "
	    "= 1"), BE_OK);
	assert_int_equal(store_answers_visible(s, fix.client, b, &v),
	    SB_EPERM);
	assert_false(v);
	assert_int_equal(store_case_share_answers(s, kase, b, true),
	    SB_EPERM);
	store_close(s);
}

static void
passphrase_key_works_and_wrong_one_is_refused(void **state)
{
	struct store		*s;
	char			 db[160], pf[160], wrong[160], err[512];
	struct store_key	 k = { NULL, pf }, w = { NULL, wrong };
	int64_t			 id;
	FILE			*f;

	(void)state;
	snprintf(db, sizeof(db), "%s/pp.db", fix.dir);
	snprintf(pf, sizeof(pf), "%s/pass", fix.dir);
	snprintf(wrong, sizeof(wrong), "%s/wrong", fix.dir);
	f = fopen(pf, "w");
	fputs("a long and memorable passphrase\n", f);
	fclose(f);
	f = fopen(wrong, "w");
	fputs("a long and memorable passphrasf\n", f);
	fclose(f);
	assert_int_equal(store_init(db, &k, "boss", FIX_PW, err, sizeof(err)),
	    SB_OK);
	assert_int_equal(store_open(db, &k, &s, err, sizeof(err)), SB_OK);
	assert_int_equal(store_act_as(s, "boss"), SB_OK);
	assert_int_equal(store_user_add(s, "anna", ROLE_THERAPIST, FIX_PW,
	    &id), SB_OK);
	store_close(s);
	assert_int_equal(store_open(db, &w, &s, err, sizeof(err)), SB_EPERM);
	ASSERT_CONTAINS(err, "does not belong");
	/* A practice made with a key file has no salt to stretch with. */
	assert_int_not_equal(store_open(fix.db, &k, &s, err, sizeof(err)),
	    SB_OK);
	ASSERT_CONTAINS(err, "has a key file, not a passphrase");
}

/* Open alerts of rule for the fixture's client. */
static int
open_alerts(struct store *s, const char *rule)
{
	struct stmt	*st;
	int		 n;

	assert_int_equal(st_prepare(s, "SELECT count(*) FROM "
	    "alerts WHERE rule = ? AND state != 'resolved'", &st),
	    BE_OK);
	bind_text_ref(st, 1, rule);
	assert_int_equal(st_step(st), BE_ROW);
	n = col_int(st, 0);
	st_finalize(st);
	return n;
}

static void
overdue_measures_alert_once_until_answered(void **state)
{
	struct store		*s;
	struct store_administration	 a;
	size_t			 raised;
	int64_t			 id;
	const int64_t		 now = 1798761600;	/* 2027-01-01 */

	(void)state;
	memset(&a, 0, sizeof(a));
	a.instrument = "phq9";
	a.version = "1";
	a.respondent = "self";
	a.mode = "import";
	a.answers = "q1=0";
	a.completed = "2026-11-01T10:00:00Z";
	s = fix_open(&fix, "anna");
	assert_int_equal(store_administration_add(s, fix.client, &a, &id),
	    SB_OK);
	/* 61 days: overdue at 28, once. */
	assert_int_equal(store_alerts_overdue(s, now, 28, &raised), SB_OK);
	assert_int_equal(raised, 1);
	assert_int_equal(store_alerts_overdue(s, now, 28, &raised), SB_OK);
	assert_int_equal(raised, 0);
	assert_int_equal(open_alerts(s, "measure-overdue"), 1);
	/* A supervisor raises none. */
	assert_int_equal(store_act_as(s, "sam"), SB_OK);
	assert_int_equal(store_alerts_overdue(s, now, 28, &raised), SB_OK);
	assert_int_equal(raised, 0);
	/* Answering ends it, with the history kept. */
	assert_int_equal(store_act_as(s, "anna"), SB_OK);
	assert_int_equal(store_alerts_resolve_rule(s, fix.client,
	    "measure-overdue", "a questionnaire was completed"), SB_OK);
	assert_int_equal(open_alerts(s, "measure-overdue"), 0);
	store_close(s);
}

/*
 * The trail's guards refuse changes on every engine (SQLite's triggers,
 * PostgreSQL's, which also refuse TRUNCATE), and PostgreSQL acknowledges
 * a commit only once it is on disk.
 */
static void
audit_trail_refuses_changes(void **state)
{
	struct store	*s;
	struct stmt	*st;

	(void)state;
	s = fix_open(&fix, NULL);
	assert_int_not_equal(db_exec(s, "DELETE FROM audit"), BE_OK);
	assert_int_not_equal(db_exec(s, "UPDATE audit SET user_name = 'x'"),
	    BE_OK);
	assert_int_not_equal(db_exec(s, "DELETE FROM audit_head"), BE_OK);
	if (fix_pg() != NULL) {
		assert_int_not_equal(db_exec(s, "TRUNCATE audit"), BE_OK);
		assert_int_not_equal(db_exec(s, "TRUNCATE audit_head"), BE_OK);
		assert_int_equal(st_prepare(s, "SHOW synchronous_commit", &st),
		    BE_OK);
		assert_int_equal(st_step(st), BE_ROW);
		assert_string_equal(col_text(st, 0), "on");
		st_finalize(st);
	}
	assert_int_equal(st_prepare(s, "SELECT count(*) FROM audit", &st),
	    BE_OK);
	assert_int_equal(st_step(st), BE_ROW);
	assert_true(col_int64(st, 0) > 0);
	st_finalize(st);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    no_plaintext_in_the_database_file, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(ciphertext_is_bound_to_its_row,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(wrong_key_is_refused, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    access_follows_roles_and_sharing, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(denied_access_is_audited, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    passwords_are_argon2id_and_rehashed, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(alert_lifecycle_keeps_history,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(audit_trail_refuses_changes,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    migrates_from_every_earlier_version, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    latest_scores_follow_every_insert, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    described_text_is_written_sealed, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    import_is_hidden_until_done_and_audited_once_per_client,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    a_name_with_a_line_break_stays_one_client, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(import_abandoned_leaves_nothing,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    partners_answers_are_private_until_shared, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    passphrase_key_works_and_wrong_one_is_refused, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    overdue_measures_alert_once_until_answered, fix_setup,
		    fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

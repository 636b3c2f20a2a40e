/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_fixture.h - a small practice in a temporary directory for the
 * store tests: admin "boss", therapists "anna" and "tom", supervisor
 * "sam", and one client of anna's.
 *
 * The same tests run on both backends: where SECUREBASE_TEST_PG names a
 * PostgreSQL server's maintenance database (tests/pg/run.sh sets it, a
 * URL ending in "/postgres?..."), each test gets a new database there,
 * dropped at the end, and its key file in the temporary directory.
 */
#ifndef SB_STORE_FIXTURE_H
#define SB_STORE_FIXTURE_H

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/audit.h"
#include "store/backend.h"
#include "store/store.h"
#include "test.h"

#define FIX_PW	"correct horse battery"

/* Does the file at path (its first 16 MiB) hold these n bytes anywhere? */
static inline bool
fix_file_has(const char *path, const void *p, size_t n)
{
	FILE		*f = fopen(path, "rb");
	unsigned char	*data;
	size_t		 len, i;
	bool		 found = false;

	if (f == NULL)
		return false;
	data = malloc(1 << 24);
	len = data ? fread(data, 1, 1 << 24, f) : 0;
	fclose(f);
	for (i = 0; i + n <= len && !found; i++)
		found = memcmp(data + i, p, n) == 0;
	free(data);
	return found;
}

struct fixture {
	char		 dir[64];
	char		 db[512], key[128];
	char		 pgname[64];	/* the test's database, or "" */
	int64_t		 client;
};

/* The PostgreSQL server the tests run on, or NULL for SQLite. */
static inline const char *
fix_pg(void)
{
	const char	*u = getenv("SECUREBASE_TEST_PG");

	return u != NULL && *u != '\0' ? u : NULL;
}

/* Runs sql on the server's maintenance database (CREATE and DROP
 * DATABASE cannot run inside a transaction or on the database itself). */
static inline void
fix_pg_admin(const char *sql)
{
	struct be_conn	*c;
	char		 err[512];
	const char	*direct = getenv("SECUREBASE_TEST_PG_ADMIN");

	/* Behind a pooler (tests/pg/pooler.sh), straight to the server:
	 * the pooler's idle connections to a database would keep it from
	 * being dropped. */
	if (pg_backend.drv->open(direct != NULL && *direct != '\0' ? direct :
	    fix_pg(), BE_WRITE, &c, err, sizeof(err)) != SB_OK) {
		print_error("%s\n", err);
		fail();
	}
	if (pg_backend.drv->exec(c, sql) != BE_OK) {
		print_error("%s: %s\n", sql, pg_backend.drv->errmsg(c));
		pg_backend.drv->close(c);
		fail();
	}
	pg_backend.drv->close(c);
}

/* A new empty database on the test server: its URL into url. */
static inline void
fix_pg_database(char *name, size_t namesz, char *url, size_t urlsz)
{
	static unsigned	 n;
	const char	*base = fix_pg(), *at = strstr(base, "/postgres?");
	char		 sql[256];

	assert_non_null(at);
	snprintf(name, namesz, "sbt_%ld_%u", (long)getpid(), n++);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	fix_pg_admin(sql);
	snprintf(url, urlsz, "%.*s/%s%s", (int)(at - base), base, name,
	    at + strlen("/postgres"));
}

/*
 * Does the database hold these n bytes as they are, anywhere the engine
 * writes them: the SQLite file and its WAL, or every file of the
 * PostgreSQL cluster (data and WAL, after a checkpoint), whose directory
 * SECUREBASE_TEST_PGDATA names.
 */
static inline bool
fix_db_has(const struct fixture *f, const void *p, size_t n)
{
	char		 path[1024], cmd[1200];
	const char	*data = getenv("SECUREBASE_TEST_PGDATA");
	FILE		*ls;
	bool		 found = false;

	if (f->pgname[0] == '\0') {
		snprintf(path, sizeof(path), "%s-wal", f->db);
		return fix_file_has(f->db, p, n) || fix_file_has(path, p, n);
	}
	assert_non_null(data);
	fix_pg_admin("CHECKPOINT");
	snprintf(cmd, sizeof(cmd), "find '%s/base' '%s/pg_wal' -type f",
	    data, data);
	assert_non_null(ls = popen(cmd, "r"));
	while (!found && fgets(path, sizeof(path), ls) != NULL) {
		path[strcspn(path, "\n")] = '\0';
		found = fix_file_has(path, p, n);
	}
	pclose(ls);
	return found;
}

/* The clients s may read as "id<TAB>name<TAB>therapist" lines, for
 * assertions. */
static enum sb_err
fix_client_row(void *arg, const struct store_client_row *c)
{
	buf_printf(arg, "%lld\t%s\t%s\n", (long long)c->id, c->name,
	    c->therapist);
	return SB_OK;
}

static inline enum sb_err
fix_client_list(struct store *s, struct buf *out)
{
	return store_client_each(s, fix_client_row, out);
}

static inline struct store *
fix_open(const struct fixture *f, const char *user)
{
	struct store		*s;
	char			 err[512];
	struct store_key	 k = { f->key, NULL };

	if (store_open(f->db, &k, &s, err, sizeof(err)) != SB_OK) {
		print_error("store_open: %s\n", err);
		fail();
	}
	if (user != NULL && store_act_as(s, user) != SB_OK) {
		print_error("act as %s: %s\n", user, store_errmsg(s));
		fail();
	}
	return s;
}

static inline void
fix_make(struct fixture *f)
{
	struct store	*s;
	char		 err[512];
	int64_t		 id;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sbtest-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->pgname[0] = '\0';
	if (fix_pg() != NULL)
		fix_pg_database(f->pgname, sizeof(f->pgname), f->db,
		    sizeof(f->db));
	else
		snprintf(f->db, sizeof(f->db), "%s/p.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/p.db.key", f->dir);
	if (store_init(f->db, &(struct store_key){ f->key, NULL }, "boss",
	    FIX_PW, err, sizeof(err)) != SB_OK) {
		print_error("store_init: %s\n", err);
		fail();
	}
	s = fix_open(f, "boss");
	assert_int_equal(store_user_add(s, "anna", ROLE_THERAPIST, FIX_PW,
	    &id), SB_OK);
	assert_int_equal(store_user_add(s, "tom", ROLE_THERAPIST, FIX_PW,
	    &id), SB_OK);
	assert_int_equal(store_user_add(s, "sam", ROLE_SUPERVISOR, FIX_PW,
	    &id), SB_OK);
	assert_int_equal(store_act_as(s, "anna"), SB_OK);
	assert_int_equal(store_client_add(s, "Zebulon Quartermaine",
	    &f->client), SB_OK);
	store_close(s);
}

/* Removes the fixture's directory (flat: files only). */
static inline void
fix_remove(struct fixture *f)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[512];

	if (f->pgname[0] != '\0') {
		snprintf(path, sizeof(path), "DROP DATABASE IF EXISTS %s WITH "
		    "(FORCE)", f->pgname);
		fix_pg_admin(path);
		f->pgname[0] = '\0';
	}
	if ((d = opendir(f->dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", f->dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(f->dir);
}

/* The fixture of a test program, made fresh for each test. */
static struct fixture	 fix;

static inline int
fix_setup(void **state)
{
	(void)state;
	fix_make(&fix);
	return 0;
}

static inline int
fix_teardown(void **state)
{
	(void)state;
	fix_remove(&fix);
	return 0;
}

#endif

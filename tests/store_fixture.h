/*
 * store_fixture.h - a small practice in a temporary directory for the
 * store tests: admin "boss", therapists "anna" and "tom", supervisor
 * "sam", and one client of anna's.
 */
#ifndef SB_STORE_FIXTURE_H
#define SB_STORE_FIXTURE_H

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/audit.h"
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
	char		 db[128], key[128];
	int64_t		 client;
};

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

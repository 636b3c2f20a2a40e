/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * network.c - a clinic network's practice, generated, and what it costs
 * on either engine (bench/network.sh runs it on SQLite and PostgreSQL
 * side by side).
 *
 *   network TARGET KEYFILE THERAPISTS CLIENTS ADMINISTRATIONS
 *
 * TARGET is a new file or an empty postgresql:// database.  It makes the
 * practice: THERAPISTS therapists (the first with exactly 40 clients, for
 * the caseload), CLIENTS clients spread over them, ADMINISTRATIONS PHQ-9,
 * GAD-7 and CORE-10 administrations (each therapist imports an equal
 * share, spread over their clients in turn), stored as
 * `securebase import` stores them (every item answer, the scores, in
 * slices, an audit row per client and import); then it times one of the
 * first therapist's clients' complete history (decrypted, the read audited and committed)
 * over 200 reads, and prints the database's size.  The therapists after
 * the first are copies of its row (same password), made in SQL: hashing
 * a thousand passwords would time Argon2id, not the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "core/text.h"
#include "app/record.h"
#include "app/registry.h"
#include "render/record.h"
#include "store/store.h"
#include "store/store_int.h"
#include "bench/bench.h"

#define READS		200
#define CASELOAD	40

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
die(struct store *s, const char *what)
{
	fprintf(stderr, "network: %s: %s\n", what, s ? store_errmsg(s) : "");
	exit(1);
}

/* Therapist i's name: t0001 ... */
static void
therapist(char *out, size_t n, long i)
{
	snprintf(out, n, "t%04ld", i + 1);
}

/* Therapists 2..n as copies of the first one's row. */
static void
copy_therapists(struct store *s, long n)
{
	struct stmt	*st;
	char		 name[32];
	long		 i;
	int64_t		 id;

	if (store_begin(s) != SB_OK)
		die(s, "begin");
	for (i = 1; i < n; i++) {
		therapist(name, sizeof(name), i);
		if (st_prepare(s, "INSERT INTO users (id, name, role, password, "
		    "created) SELECT (SELECT max(id) FROM users) + 1, ?, role, "
		    "password, created FROM users WHERE name = 't0001'", &st) !=
		    BE_OK)
			die(s, "copying a therapist");
		bind_text(st, 1, name);
		if (st_step(st) != BE_DONE)
			die(s, "copying a therapist");
		st_finalize(st);
		/* Sealed as securebase seals a user it adds (rows.h). */
		if (st_prepare(s, "SELECT max(id) FROM users", &st) != BE_OK ||
		    st_step(st) != BE_ROW)
			die(s, "copying a therapist");
		id = col_int64(st, 0);
		st_finalize(st);
		if (rows_seal(s, RT_USERS, id, 0) != SB_OK)
			die(s, "sealing a therapist");
	}
	if (store_commit(s) != SB_OK)
		die(s, "commit");
}

static long long
size_of(const char *target, struct store *s)
{
	struct stat	 sb;
	struct stmt	*st;
	char		 p[4200];
	long long	 n = 0;

	if (store_is_file(target)) {
		if (stat(target, &sb) == 0)
			n += sb.st_size;
		snprintf(p, sizeof(p), "%s-wal", target);
		if (stat(p, &sb) == 0)
			n += sb.st_size;
		return n;
	}
	if (st_prepare(s, "SELECT pg_database_size(current_database())",
	    &st) == BE_OK && st_step(st) == BE_ROW)
		n = col_int64(st, 0);
	st_finalize(st);
	return n;
}

int
main(int argc, char *argv[])
{
	static const char *const ids[] = { "phq9", "gad7", "core10" };
	struct record_opts	 ro = { "self", "import", NULL, false, 0, NULL,
	    0, true };
	struct score_plan	*plan[3];
	struct record_out	 rr;
	struct registry		 reg;
	struct store		*s;
	struct buf		 warn, out;
	struct store_key	 key;
	int16_t			 row[64];
	char			 err[1024], name[32], when[32];
	double			 t0, t1, lat[READS];
	long			 nt, nc, i, k, big;
	long long		 na, j, done;
	int			 q;
	int64_t			 first = 0, id;

	if (argc != 6) {
		fprintf(stderr, "usage: network TARGET KEYFILE THERAPISTS "
		    "CLIENTS ADMINISTRATIONS\n");
		return 2;
	}
	if (!text_int(argv[3], strlen(argv[3]), &nt) ||
	    !text_int(argv[4], strlen(argv[4]), &nc) ||
	    !text_int(argv[5], strlen(argv[5]), &big)) {
		fprintf(stderr, "network: the numbers are whole numbers\n");
		return 2;
	}
	na = big;
	if (nt < 1 || nc < CASELOAD + nt - 1 || na < nc) {
		fprintf(stderr, "network: at least one therapist, 40 clients "
		    "for the first and one for each other, and one "
		    "administration a client\n");
		return 2;
	}
	key.file = argv[2];
	key.passphrase_file = NULL;
	buf_init(&warn, 1 << 20);
	if (registry_load(&reg, NULL, NULL, &warn) != SB_OK)
		return 1;
	for (k = 0; k < 3; k++)
		if (score_plan_new(registry_find(&reg, ids[k])->in, 0, 0,
		    &plan[k]) != SB_OK)
			return 1;
	if (store_init(argv[1], &key, "boss", "benchmark password", err,
	    sizeof(err)) != SB_OK || store_open(argv[1], &key, &s, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "network: %s\n", err);
		return 1;
	}
	MUST(s, store_act_as(s, "boss"));
	if (store_user_add(s, "t0001", ROLE_THERAPIST, "benchmark password",
	    &id) != SB_OK)
		die(s, "adding the first therapist");
	copy_therapists(s, nt);

	/* Clients: the first therapist's 40, then the rest in turn. */
	t0 = now();
	for (i = 0; i < nc; i++) {
		if (i % 10000 == 0 && store_begin(s) != SB_OK)
			die(s, "begin");
		k = i < CASELOAD || nt == 1 ? 0 : 1 + (i - CASELOAD) %
		    (nt - 1);
		therapist(name, sizeof(name), k);
		if (store_act_as(s, name) != SB_OK ||
		    store_client_add(s, "Generated Client", &id) != SB_OK)
			die(s, "adding a client");
		if (i == 0)
			first = id;
		if ((i % 10000 == 9999 || i == nc - 1) &&
		    store_commit(s) != SB_OK)
			die(s, "commit");
	}
	printf("clients: %ld in %.1f s\n", nc, now() - t0);

	/* Administrations: each therapist imports their share, spread over
	 * their clients in turn. */
	t0 = now();
	for (k = 0, done = 0; k < nt; k++) {
		long long	 share = na / nt + (k == nt - 1 ? na % nt : 0);
		long		 mine = k == 0 ? CASELOAD : (nc - CASELOAD - k) /
				    (nt - 1) + 1;

		therapist(name, sizeof(name), k);
		if (store_act_as(s, name) != SB_OK ||
		    store_import_begin(s) != SB_OK)
			die(s, "starting an import");
		for (j = 0; j < share; j++, done++) {
			long	 c = k == 0 ? (long)(j % CASELOAD) :
				    CASELOAD + (k - 1) + (long)(j % mine) *
				    (nt - 1);
			int	 m = (int)(done % 3);

			snprintf(when, sizeof(when), "20%02lld-%02lld-%02lldT10:"
			    "00:00Z", 20 + done % 6, 1 + done % 12, 1 +
			    done % 28);
			ro.completed = when;
			/* No risk item endorsed (PHQ-9 q9, CORE-10 q6):
			 * the bench measures storing, not alerts. */
			for (q = 0; q < 10; q++)
				row[q] = q == 5 || q == 8 ? 0 :
				    (int16_t)((done + q) % 3);
			if (record_administration(s, plan[m], first + c, row,
			    &ro, &rr) != SB_OK)
				die(s, "storing an administration");
			if (store_import_step(s) != SB_OK)
				die(s, "a slice");
		}
		if (store_import_finish(s, NULL, NULL, &id) != SB_OK)
			die(s, "finishing an import");
	}
	t1 = now();
	printf("import: %lld administrations in %.1f s = %.0f per second\n",
	    na, t1 - t0, (double)na / (t1 - t0));
	printf("database: %.1f MB\n", (double)size_of(argv[1], s) / 1e6);

	/* One client's complete history, as the client page reads it. */
	MUST(s, store_act_as(s, "t0001"));
	buf_init(&out, 1 << 26);
	for (i = 0; i < READS; i++) {
		buf_reset(&out);
		id = first + (int64_t)randombytes_uniform(CASELOAD);
		t0 = now();
		if (record_text(s, id, &out, NULL) != SB_OK)
			die(s, "reading a record");
		lat[i] = now() - t0;
	}
	qsort(lat, READS, sizeof(lat[0]), cmp_double);
	printf("history: one client's complete record (about %lld "
	    "administrations, decrypted, the read audited): median %.2f ms, "
	    "p99 %.2f ms over %d reads\n", na / nt / CASELOAD,
	    lat[READS / 2] * 1e3, lat[READS * 99 / 100] * 1e3, READS);
	buf_free(&out);
	store_close(s);
	for (k = 0; k < 3; k++)
		score_plan_free(plan[k]);
	registry_free(&reg);
	buf_free(&warn);
	return 0;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_bench.c - the practice database under load (`make bench`).
 *
 *   1. import: the ECR data set as 51,491 administrations of one client,
 *      in one transaction, exactly as `securebase import` stores them
 *      (every item answer, derived scores, an audit row per client
 *      imported); rows per second and database size.
 *   2. history: a practice of 10,000 clients and 1,000,000
 *      administrations; the time to load one client's complete record
 *      (decrypting it, and writing the audit row of the read, committed
 *      with synchronous=FULL): median and 99th percentile over 200 reads.
 *
 * usage: store_bench ECR.csv WORKDIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/answers.h"
#include "app/record.h"
#include "app/registry.h"
#include "store/store.h"
#include "render/record.h"
#include "bench/bench.h"

#define CLIENTS		10000
#define ADMINS		1000000
#define READS		200

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

static struct store *
practice(const char *dir, const char *name, int64_t *client)
{
	struct store	*s;
	char		 db[512], key[512], err[512];
	int64_t		 id;

	snprintf(db, sizeof(db), "%s/%s.db", dir, name);
	snprintf(key, sizeof(key), "%s/%s.db.key", dir, name);
	unlink(db);
	unlink(key);
	if (store_init(db, &(struct store_key){ key, NULL }, "boss",
	    "benchmark password", err, sizeof(err)) != SB_OK ||
	    store_open(db, &(struct store_key){ key, NULL }, &s, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	MUST(s, store_act_as(s, "boss"));
	MUST(s, store_user_add(s, "anna", ROLE_THERAPIST, "benchmark password",
	    &id));
	MUST(s, store_act_as(s, "anna"));
	MUST(s, store_client_add(s, "Bench Client", client));
	return s;
}

static off_t
size_of(const char *dir, const char *name)
{
	struct stat	 st;
	char		 p[512];
	off_t		 n = 0;

	snprintf(p, sizeof(p), "%s/%s.db", dir, name);
	if (stat(p, &st) == 0)
		n += st.st_size;
	snprintf(p, sizeof(p), "%s/%s.db-wal", dir, name);
	if (stat(p, &st) == 0)
		n += st.st_size;
	return n;
}

int
main(int argc, char *argv[])
{
	struct registry		 reg;
	struct buf		 warn, out;
	const struct reg_entry	*re;
	struct score_plan	*plan;
	struct answers		 a;
	struct record_opts	 ro = { "self", "import", NULL, false, 0, NULL,
	    0, true };
	struct record_out	 rr;
	struct store		*s;
	int16_t			 row[64];
	double			 t0, t1, lat[READS];
	int64_t			 client, first, id;
	size_t			 n = 0, i;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: store_bench ECR.csv WORKDIR "
		    "[import-only]\n");
		return 2;
	}
	buf_init(&warn, 1 << 20);
	if (registry_load(&reg, NULL, NULL, &warn) != SB_OK ||
	    (re = registry_find(&reg, "ecr")) == NULL ||
	    score_plan_new(re->in, 0, 0, &plan) != SB_OK)
		return 1;

	/* 1. import */
	s = practice(argv[2], "import", &client);
	if (answers_open(&a, argv[1], plan, &(struct answers_opts){
	    .missing = { "0" }, .nmissing = 1 }) != SB_OK) {
		fprintf(stderr, "%s\n", a.err);
		return 1;
	}
	t0 = now();
	MUST(s, store_import_begin(s));
	while (answers_next(&a) == SB_OK) {
		if (record_administration(s, plan, client, a.row, &ro, &rr)
		    != SB_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
		n++;
		if (store_import_step(s) != SB_OK)
			return 1;
	}
	if (store_import_finish(s, NULL, NULL, &id) != SB_OK)
		return 1;
	t1 = now();
	answers_close(&a);
	store_close(s);
	printf("import: %zu administrations in %.2f s = %.0f per second; "
	    "database %.1f MB\n", n, t1 - t0, (double)n / (t1 - t0),
	    (double)size_of(argv[2], "import") / 1e6);

	if (argc == 4)
		return 0;

	/* 2. history out of 10,000 clients and 1,000,000 administrations */
	s = practice(argv[2], "history", &first);
	MUST(s, store_begin(s));
	for (i = 1; i < CLIENTS; i++)
		MUST(s, store_client_add(s, "Another Client", &id));
	MUST(s, store_commit(s));
	for (i = 0; i < 36; i++)
		row[i] = (int16_t)(1 + i % 5);
	t0 = now();
	for (i = 0; i < ADMINS; i++) {
		if (i % 100000 == 0)
			MUST(s, store_import_begin(s));
		/* Spread over the clients, so each has about 100. */
		if (record_administration(s, plan, first + (int64_t)(i %
		    CLIENTS), row, &ro, &rr) != SB_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
		if (store_import_step(s) != SB_OK)
			return 1;
		if (i % 100000 == 99999 &&
		    store_import_finish(s, NULL, NULL, &id) != SB_OK)
			return 1;
	}
	t1 = now();
	printf("built a practice of %d clients and %d administrations in "
	    "%.1f s; database %.1f MB\n", CLIENTS, ADMINS, t1 - t0,
	    (double)size_of(argv[2], "history") / 1e6);
	buf_init(&out, 1 << 26);
	for (i = 0; i < READS; i++) {
		buf_reset(&out);
		id = first + (int64_t)randombytes_uniform(CLIENTS);
		t0 = now();
		if (record_text(s, id, &out, NULL) != SB_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
		lat[i] = now() - t0;
	}
	qsort(lat, READS, sizeof(lat[0]), cmp_double);
	printf("one client's complete history (about %d administrations, "
	    "decrypted, read audited): median %.2f ms, p99 %.2f ms over %d "
	    "reads\n", ADMINS / CLIENTS, lat[READS / 2] * 1e3,
	    lat[READS * 99 / 100] * 1e3, READS);
	buf_free(&out);
	store_close(s);
	score_plan_free(plan);
	registry_free(&reg);
	buf_free(&warn);
	return 0;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_psychometrics_data.c - Cronbach's alpha and score statistics
 * computed from real data with the shipped keys reproduce the known
 * figures (tests/data/README.md) to three decimals.  A wrong reverse key,
 * a wrong subscale or a wrong formula moves them.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/answers.h"
#include "app/io.h"
#include "core/csv.h"
#include "core/psychometrics.h"
#include "test.h"

#define ECR_FILE "tests/data/openpsychometrics/ecr.csv"
#define RSE_FILE "tests/data/openpsychometrics/rse.tsv"

static const struct psy_score *
find_score(const struct psy_score *r, size_t n, const struct instrument *in,
    const char *id)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(in->scores[r[i].score].id, id) == 0)
			return &r[i];
	fail_msg("no score %s", id);
	return NULL;
}

/* Rounds to three decimals, the precision the figures are known to. */
static long
dec3(double v)
{
	return lround(v * 1000);
}

static void
ecr_alphas_match_known_figures(void **state)
{
	const struct instrument	*in = shipped("ecr");
	struct score_plan	*plan;
	struct psy		*psy;
	const struct psy_score	*r, *s;
	struct answers		 a;
	size_t			 n, rows = 0;
	enum sb_err		 e;

	(void)state;
	/* The file is the original ECR answered on a 5-point scale with 0
	 * for a missing answer. */
	assert_int_equal(score_plan_new(in, 1, 5, &plan), SB_OK);
	assert_int_equal(psy_new(plan, &psy), SB_OK);
	assert_int_equal(answers_open(&a, ECR_FILE, plan,
	    &(struct answers_opts){ { "0" }, 1, 0 }), SB_OK);
	while ((e = answers_next(&a)) == SB_OK)
		if (a.answered == 36) {	/* complete rows only */
			psy_add(psy, a.row);
			rows++;
		}
	assert_int_equal(e, SB_EOF);
	assert_int_equal(a.rowno, 51491);
	assert_int_equal(rows, 46610);
	psy_results(psy, &r, &n);
	s = find_score(r, n, in, "avoidance");
	assert_int_equal(s->n, 46610);
	assert_int_equal(dec3(s->alpha), 938);
	assert_int_equal(dec3(s->mean), 2565);
	assert_int_equal(dec3(s->sd), 840);
	s = find_score(r, n, in, "anxiety");
	assert_int_equal(dec3(s->alpha), 916);
	assert_int_equal(dec3(s->mean), 3095);
	assert_int_equal(dec3(s->sd), 803);
	answers_close(&a);
	psy_free(psy);
	score_plan_free(plan);
}

/*
 * The RSE file orders the items differently from the standard sheet (its
 * codebook); file column k holds standard item rse_item[k].
 */
static const int rse_item[10] = { 7, 3, 9, 4, 5, 10, 1, 8, 6, 2 };

static void
rse_alpha_matches_r_psych(void **state)
{
	const struct instrument	*in = shipped("rses");
	struct score_plan	*plan;
	struct psy		*psy;
	const struct psy_score	*r;
	struct csv		 c;
	int16_t			 row[10];
	size_t			 n, k, rows = 0;
	long			 v;
	int			 fd;
	bool			 complete;

	(void)state;
	assert_int_equal(score_plan_new(in, 0, 0, &plan), SB_OK);
	assert_int_equal(psy_new(plan, &psy), SB_OK);
	fd = open(RSE_FILE, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(csv_open(&c, io_read_fd, &fd, 4096, 64), SB_OK);
	assert_int_equal(csv_next(&c), SB_OK);		/* header */
	assert_int_equal(c.delim, '\t');
	while (csv_next(&c) == SB_OK) {
		complete = true;
		for (k = 0; k < 10; k++) {
			assert_true(text_int(c.fields[k].s, c.fields[k].n,
			    &v));
			/* 1-4 in the file, 0 = no answer; 0-3 in rses. */
			if (v == 0)
				complete = false;
			row[rse_item[k] - 1] = (int16_t)(v - 1);
		}
		if (complete) {
			psy_add(psy, row);
			rows++;
		}
	}
	assert_int_equal(rows, 46546);
	psy_results(psy, &r, &n);
	assert_int_equal(n, 1);
	assert_int_equal(dec3(r[0].alpha), 914);
	/* R: mean 26.298 on the 1-4 metric, i.e. 16.298 on 0-3. */
	assert_int_equal(dec3(r[0].mean), 16298);
	assert_int_equal(dec3(r[0].sd), 6983);
	close(fd);
	csv_close(&c);
	psy_free(psy);
	score_plan_free(plan);
}

static const char tiny[] =
"securebase-instrument 1\n"
"id tiny\nversion 1\nname T\ntitle T\ncitation C\nlicence free\n"
"licence-terms none\n"
"options o\n  1 a\n  2 b\n  3 c\n  4 d\n  5 e\n"
"item q1 one\nitem q2 two\nitem q3 three\n"
"score total T\n  sum q1-q3\n";

static void
alpha_and_item_total_by_hand(void **state)
{
	static const int16_t rows[5][3] = { { 1, 2, 3 }, { 2, 3, 3 },
	    { 3, 3, 4 }, { 4, 5, 5 }, { 2, 2, 1 } };
	struct instrument	*in;
	struct score_plan	*plan;
	struct psy		*psy;
	const struct psy_score	*r;
	size_t			 n, i;

	(void)state;
	assert_int_equal(instr_parse(tiny, sizeof(tiny) - 1, "tiny", &in,
	    NULL), SB_OK);
	assert_int_equal(score_plan_new(in, 0, 0, &plan), SB_OK);
	assert_int_equal(psy_new(plan, &psy), SB_OK);
	for (i = 0; i < 5; i++)
		psy_add(psy, rows[i]);
	psy_results(psy, &r, &n);
	/* Worked with Python's statistics module: k/(k-1) (1 - sum of item
	 * variances / variance of the sum) = 0.9140625; item 1 against
	 * items 2 + 3: r = 0.8132089770860366. */
	ASSERT_NEAR(r[0].alpha, 0.9140625, 1e-12);
	ASSERT_NEAR(r[0].items[0].r_drop, 0.8132089770860366, 1e-12);
	ASSERT_NEAR(r[0].mean, 43.0 / 5, 1e-12);
	psy_free(psy);
	score_plan_free(plan);
	instr_free(in);
}

static void
alpha_is_nan_below_two_rows(void **state)
{
	static const int16_t row[3] = { 1, 2, 3 };
	struct instrument	*in;
	struct score_plan	*plan;
	struct psy		*psy;
	const struct psy_score	*r;
	size_t			 n;

	(void)state;
	assert_int_equal(instr_parse(tiny, sizeof(tiny) - 1, "tiny", &in,
	    NULL), SB_OK);
	assert_int_equal(score_plan_new(in, 0, 0, &plan), SB_OK);
	assert_int_equal(psy_new(plan, &psy), SB_OK);
	psy_add(psy, row);
	psy_results(psy, &r, &n);
	assert_int_equal(r[0].n, 1);
	assert_true(isnan(r[0].alpha));
	psy_free(psy);
	score_plan_free(plan);
	instr_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ecr_alphas_match_known_figures),
		cmocka_unit_test(rse_alpha_matches_r_psych),
		cmocka_unit_test(alpha_and_item_total_by_hand),
		cmocka_unit_test(alpha_is_nan_below_two_rows),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

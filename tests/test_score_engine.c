/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_score_engine.c - the engine's general rules, on small definitions
 * written for the test: scale override, non-contiguous options, prorating,
 * mean-of with missing scores, conversion of a raw score with no table row.
 */
#include "app/record.h"
#include "test.h"

#define HEAD \
	"securebase-instrument 1\nid t\nversion 1\nname T\ntitle Test\n" \
	"citation C\nlicence free\nlicence-terms none\n"

static struct instrument *
load(const char *text)
{
	struct instrument	*in;
	struct buf		 err;

	buf_init(&err, 1 << 16);
	if (instr_parse(text, strlen(text), "t", &in, &err) != SB_OK) {
		print_error("%s", err.data);
		fail();
	}
	buf_free(&err);
	return in;
}

static void
scale_override_changes_reversal_and_range(void **state)
{
	struct instrument	*in;
	struct score_plan	*p;
	int16_t			 a[2] = { 1, 1 };
	double			 v[4];
	bool			 ok[4];

	(void)state;
	in = load(HEAD "options o\n  1 a\n  2 b\n  3 c\n  4 d\n  5 e\n  6 f\n"
	    "  7 g\nitem q1 x\nitem q2 y\n  reverse\nscore s S\n  mean q1-q2\n");
	/* Published 1-7: the reversed 1 counts 7. */
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	score_row(p, a, v, ok);
	ASSERT_NEAR(v[0], 4, 0);
	assert_false(score_answer_ok(p, 0, 0));
	assert_true(score_answer_ok(p, 0, 7));
	score_plan_free(p);
	/* Collected on 1-5: the reversed 1 counts 5; 6 is refused. */
	assert_int_equal(score_plan_new(in, 1, 5, &p), SB_OK);
	score_row(p, a, v, ok);
	ASSERT_NEAR(v[0], 3, 0);
	assert_false(score_answer_ok(p, 0, 6));
	score_plan_free(p);
	assert_int_equal(score_plan_new(in, 5, 1, &p), SB_EINVAL);
	instr_free(in);
}

static void
only_listed_option_values_are_answers(void **state)
{
	struct instrument	*in;
	struct score_plan	*p;

	(void)state;
	in = load(HEAD "options o\n  0 a\n  2 b\n  4 c\nitem q1 x\n"
	    "score s S\n  sum q1\n");
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	assert_true(score_answer_ok(p, 0, 2));
	assert_false(score_answer_ok(p, 0, 1));
	assert_false(score_answer_ok(p, 0, 5));
	assert_false(score_answer_ok(p, 0, -1));
	score_plan_free(p);
	instr_free(in);
}

static void
prorated_sum_feeds_no_table_row(void **state)
{
	struct instrument	*in;
	struct score_plan	*p;
	int16_t			 a[3] = { 1, 1, SCORE_MISSING };
	double			 v[4];
	bool			 ok[4];

	(void)state;
	/* A prorated sum of 2 x 3/2 = 3 has a row; 1 + 0 -> 1.5 has none. */
	in = load(HEAD "options o\n  0 a\n  1 b\nitem q1 x\nitem q2 y\n"
	    "item q3 z\nscore s S\n  sum q1-q3\n  missing prorate 1\n"
	    "score m M\n  convert s\n  table 0 0\n  table 1 10\n  table 2 20\n"
	    "  table 3 30\n");
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	score_row(p, a, v, ok);
	assert_true(ok[0]);
	ASSERT_NEAR(v[0], 3, 0);
	assert_true(ok[1]);
	ASSERT_NEAR(v[1], 30, 0);
	a[1] = 0;
	score_row(p, a, v, ok);
	ASSERT_NEAR(v[0], 1.5, 0);
	assert_false(ok[1]);
	score_plan_free(p);
	instr_free(in);
}

static void
mean_of_scores_with_allowed_gap(void **state)
{
	struct instrument	*in;
	struct score_plan	*p;
	int16_t			 a[3] = { 2, SCORE_MISSING, 4 };
	double			 v[4];
	bool			 ok[4];

	(void)state;
	in = load(HEAD "options o\n  0 a\n  5 b\n  2 c\n  4 d\n"
	    "item q1 x\nitem q2 y\nitem q3 z\n"
	    "score a A\n  sum q1\nscore b B\n  sum q2\nscore c C\n  sum q3\n"
	    "score g G\n  mean-of a b c\n  missing prorate 1\n");
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	score_row(p, a, v, ok);
	assert_false(ok[1]);
	assert_true(ok[3]);
	ASSERT_NEAR(v[3], 3, 0);
	a[0] = SCORE_MISSING;
	score_row(p, a, v, ok);
	assert_false(ok[3]);
	score_plan_free(p);
	instr_free(in);
}

static void
nothing_answered_is_never_a_score(void **state)
{
	struct instrument	*in;
	struct score_plan	*p;
	int16_t			 a[2] = { SCORE_MISSING, SCORE_MISSING };
	double			 v[2];
	bool			 ok[2];

	(void)state;
	in = load(HEAD "options o\n  0 a\n  1 b\nitem q1 x\nitem q2 y\n"
	    "score s S\n  mean q1-q2\n  missing prorate 1\n");
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	score_row(p, a, v, ok);
	assert_false(ok[0]);
	assert_int_equal(score_answered(p, a), 0);
	score_plan_free(p);
	instr_free(in);
}

/* Stored answers ("q1=3;q2=;...") read back whatever their order or the
 * case of their ids; an unknown item or a bad value is refused. */
static void
stored_answers_read_back_in_any_order(void **state)
{
	struct instrument	*in = load(HEAD
	    "options o\n  0 No\n  1 Yes\n  2 Much\n"
	    "item a First\nitem b Second\nitem c Third\n"
	    "score total Total\n  sum a b c\n");
	struct score_plan	*p;
	int16_t			 v[INSTR_MAX_ITEMS];

	(void)state;
	assert_non_null(in);
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	assert_int_equal(answers_decode(p, "a=1;b=;c=2", v), SB_OK);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1], SCORE_MISSING);
	assert_int_equal(v[2], 2);
	assert_int_equal(answers_decode(p, "c=0;A=2;b=1", v), SB_OK);
	assert_int_equal(v[0], 2);
	assert_int_equal(v[1], 1);
	assert_int_equal(v[2], 0);
	assert_int_equal(answers_decode(p, "a=1;d=1", v), SB_ENOENT);
	assert_int_equal(answers_decode(p, "a=3", v), SB_EINVAL);
	assert_int_equal(answers_decode(p, "a1", v), SB_EINVAL);
	score_plan_free(p);
	instr_free(in);
}

/* A sum left unscored by a skipped item: the answered items' keyed sum
 * and their count, for "not scored (5 on the 2 of 3 items answered)";
 * nothing for a whole row, a mean, or a row with nothing answered. */
static void
unscored_sum_gives_the_answered_items(void **state)
{
	struct instrument	*in = load(HEAD
	    "options o\n  0 No\n  1 Yes\n  2 Much\n  3 Most\n"
	    "item a First\nitem b Second\n  reverse\nitem c Third\n"
	    "score total Total\n  sum a b c\nscore m Mean\n  mean a b c\n");
	struct score_plan	*p;
	struct score_partial	 part;
	int16_t			 v[3] = { 3, 1, SCORE_MISSING };
	double			 x[2];
	bool			 ok[2];

	(void)state;
	assert_int_equal(score_plan_new(in, 0, 0, &p), SB_OK);
	score_row(p, v, x, ok);
	assert_false(ok[0]);
	/* a 3, b reversed on 0-3: 3 - 1 = 2; 3 + 2 = 5 of 2 items. */
	assert_true(score_partial(p, v, 0, &part));
	assert_int_equal(part.sum, 5);
	assert_int_equal(part.answered, 2);
	assert_int_equal(part.of, 3);
	assert_false(score_partial(p, v, 1, &part));	/* a mean */
	v[2] = 0;
	assert_false(score_partial(p, v, 0, &part));	/* all answered */
	v[0] = v[1] = v[2] = SCORE_MISSING;
	assert_false(score_partial(p, v, 0, &part));	/* none */
	score_plan_free(p);
	instr_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scale_override_changes_reversal_and_range),
		cmocka_unit_test(only_listed_option_values_are_answers),
		cmocka_unit_test(prorated_sum_feeds_no_table_row),
		cmocka_unit_test(stored_answers_read_back_in_any_order),
		cmocka_unit_test(mean_of_scores_with_allowed_gap),
		cmocka_unit_test(nothing_answered_is_never_a_score),
		cmocka_unit_test(unscored_sum_gives_the_answered_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

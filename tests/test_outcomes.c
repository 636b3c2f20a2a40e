/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_outcomes.c - practice outcomes count each episode once per
 * therapist and once for the practice, in the class Jacobson & Truax
 * give, and again among the episodes begun at caseness; leave scores
 * without norms unclassified; count episodes with one score; and compute
 * the standardized mean change with its 95 % interval as R's metafor
 * does, signed so that improvement is positive.
 */
#include "core/outcomes.h"
#include "test.h"

static void
classes_are_counted_per_therapist_and_practice(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;
	struct change_result	 r;
	size_t			 i, k, want[CHANGE__MAX] = { 0 };
	/* pre, post pairs: a recovery, no change, a deterioration, and one
	 * more improvement. */
	const double		 pre[] = { 20, 20, 10, 18 };
	const double		 post[] = { 5, 18, 20, 9 };
	const char		*who[] = { "anna", "anna", "tom", "tom" };

	(void)state;
	outcomes_init(&o);
	for (i = 0; i < 4; i++) {
		assert_int_equal(outcomes_add(&o, in, 0, who[i], pre[i],
		    post[i]), SB_OK);
		assert_int_equal(change_classify(&in->scores[0], pre[i],
		    post[i], CRITERION_AUTO, &r), SB_OK);
		want[r.cls]++;
	}
	/* anna, all, tom; and the same three for the episodes begun at
	 * caseness (20, 20, 10 and 18 are all above c = 7.76). */
	assert_int_equal(o.n, 6);
	for (i = 0; i < o.n; i++) {
		const struct outcome_cell *c = &o.c[i];

		if (strcmp(c->therapist, OUTCOMES_ALL) == 0) {
			assert_int_equal(c->n, 4);
			for (k = 0; k < CHANGE__MAX; k++)
				assert_int_equal(c->cls[k], want[k]);
		} else
			assert_int_equal(c->n, 2);
	}
	assert_true(want[CHANGE_RECOVERED] >= 1);	/* 20 to 5 */
	assert_int_equal(want[CHANGE_DETERIORATED], 1);
	outcomes_free(&o);
}

/*
 * Five episodes of PHQ-9, pre 20 10 15 22 12, post 10 6 14 12 9.  In R:
 *   library(metafor)
 *   pre <- c(20, 10, 15, 22, 12); post <- c(10, 6, 14, 12, 9)
 *   escalc(measure = "SMCR", m1i = mean(post), m2i = mean(pre),
 *          sd1i = sd(pre), ni = 5, ri = cor(pre, post))
 * gives yi = -0.8729260276, vi = 0.2430346352 (metafor 3.8-1, Debian
 * r-cran-metafor); lower is better, so securebase's d is +0.8729260276,
 * and its interval 0.8729 -/+ 1.96 sqrt(0.2430346352): -0.0933254173
 * to 1.8391774725.
 */
static void
effect_size_and_interval_match_r(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;
	struct outcome_d	 d;
	const double		 pre[] = { 20, 10, 15, 22, 12 };
	const double		 post[] = { 10, 6, 14, 12, 9 };
	size_t			 i;

	(void)state;
	outcomes_init(&o);
	for (i = 0; i < 5; i++)
		assert_int_equal(outcomes_add(&o, in, 0, "anna", pre[i],
		    post[i]), SB_OK);
	assert_false(o.c[0].caseness);
	assert_true(outcome_effect_size(&o.c[0], &d));
	ASSERT_NEAR(d.d, 0.8729260276, 1e-9);
	ASSERT_NEAR(d.lo, -0.0933254173, 1e-9);
	ASSERT_NEAR(d.hi, 1.8391774725, 1e-9);
	outcomes_free(&o);
	/* Two episodes: no d. */
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 10), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 10, 6), SB_OK);
	assert_false(outcome_effect_size(&o.c[0], &d));
	outcomes_free(&o);
}

static void
episodes_without_a_pair_are_counted(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;

	(void)state;
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 10), SB_OK);
	assert_int_equal(outcomes_one_score(&o, in, 0, "anna"), SB_OK);
	assert_int_equal(outcomes_left_out(&o, in, 0, "anna"), SB_OK);
	assert_int_equal(o.c[0].n, 1);
	assert_int_equal(o.c[0].one_score, 1);
	assert_int_equal(o.c[0].left_out, 1);
	assert_int_equal(outcome_episodes(&o.c[0]), 3);
	outcomes_free(&o);
}

static void
scores_without_norms_are_not_classified(void **state)
{
	const struct instrument	*in = shipped("k10");
	struct outcomes		 o;

	(void)state;
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 38, 14), SB_OK);
	assert_int_equal(o.c[0].unclassified, 1);
	assert_int_equal(o.c[0].cls[CHANGE_RECOVERED] +
	    o.c[0].cls[CHANGE_IMPROVED], 0);
	outcomes_free(&o);
}

/* d is flagged when its interval is wide or the first scores hardly
 * vary: PHQ-9 ranges 0 to 27, 5 % of which is 1.35. */
static void
implausible_effect_sizes_are_flagged(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;
	struct outcome_d	 d;
	struct buf		 text;
	char			 why[200];
	size_t			 i;

	(void)state;
	outcomes_init(&o);
	/* Three episodes, first scores 20, 21, 20 (SD 0.58): the spread is
	 * named. */
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 5), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 21, 6), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 4), SB_OK);
	assert_true(outcome_effect_size(&o.c[0], &d));
	assert_true(d.d > 5);	/* 15 points over an SD of 0.58 */
	assert_true(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	assert_non_null(strstr(why, "hardly vary (SD 0.58"));
	outcomes_free(&o);
	/* The five episodes above (d 0.87, -0.09 to 1.84): too wide. */
	outcomes_init(&o);
	{
		const double pre[] = { 20, 10, 15, 22, 12 };
		const double post[] = { 10, 6, 14, 12, 9 };

		for (i = 0; i < 5; i++)
			assert_int_equal(outcomes_add(&o, in, 0, "anna",
			    pre[i], post[i]), SB_OK);
	}
	assert_true(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	assert_string_equal(why, "its 95 % interval runs from -0.09 to 1.84 "
	    "(5 episodes): too wide to compare");
	/* The command line's table says it under the table. */
	buf_init(&text, 1 << 16);
	assert_int_equal(outcomes_text(&o, &text), SB_OK);
	assert_non_null(strstr(text.data, "read d with care: phq9 total "
	    "(anna): its 95 % interval"));
	buf_free(&text);
	outcomes_free(&o);
	/* Forty episodes with spread and a steady change: nothing to say.
	 * Pre 8 + (i mod 10) * 2, post pre - 4 - (i mod 3): the interval is
	 * narrow. */
	outcomes_init(&o);
	for (i = 0; i < 40; i++)
		assert_int_equal(outcomes_add(&o, in, 0, "anna", 8.0 + 2.0 *
		    (double)(i % 10), 4.0 + 2.0 * (double)(i % 10) -
		    (double)(i % 3)), SB_OK);
	assert_true(outcome_effect_size(&o.c[0], &d));
	assert_true(d.hi - d.lo < 2 * OUTCOME_HALF_CI);
	assert_false(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	outcomes_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classes_are_counted_per_therapist_and_practice),
		cmocka_unit_test(effect_size_and_interval_match_r),
		cmocka_unit_test(episodes_without_a_pair_are_counted),
		cmocka_unit_test(implausible_effect_sizes_are_flagged),
		cmocka_unit_test(scores_without_norms_are_not_classified),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

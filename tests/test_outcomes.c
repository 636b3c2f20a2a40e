/*
 * test_outcomes.c - practice outcomes count each client once per
 * therapist and once for the practice, in the class Jacobson & Truax
 * give, leave scores without norms unclassified, and compute the pre-post
 * effect size signed so that improvement is positive.
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
	assert_int_equal(o.n, 3);	/* anna, all, tom */
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

static void
effect_size_is_signed_by_direction(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;
	double			 d, sd;

	(void)state;
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 10), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 10, 6), SB_OK);
	/* mean pre 15, mean post 8, SD pre = sqrt(50) */
	sd = sqrt(50.0);
	assert_true(outcome_effect_size(&o.c[0], &d));
	ASSERT_NEAR(d, 7.0 / sd, 1e-9);	/* lower is better: positive */
	outcomes_free(&o);
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 10), SB_OK);
	assert_false(outcome_effect_size(&o.c[0], &d));	/* one client */
	outcomes_free(&o);
}

static void
scores_without_norms_are_not_classified(void **state)
{
	const struct instrument	*in = shipped("gad7");
	struct outcomes		 o;

	(void)state;
	outcomes_init(&o);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 18, 4), SB_OK);
	assert_int_equal(o.c[0].unclassified, 1);
	assert_int_equal(o.c[0].cls[CHANGE_RECOVERED] +
	    o.c[0].cls[CHANGE_IMPROVED], 0);
	outcomes_free(&o);
}

/* d is flagged when few clients give it or their first scores hardly
 * vary: PHQ-9 ranges 0 to 27, 5 % of which is 1.35. */
static void
implausible_effect_sizes_are_flagged(void **state)
{
	const struct instrument	*in = shipped("phq9");
	struct outcomes		 o;
	struct buf		 text;
	char			 why[200];
	size_t			 i;
	double			 d;

	(void)state;
	outcomes_init(&o);
	/* Three clients, first scores 20, 21, 20 (SD 0.58): both reasons;
	 * the spread is named first. */
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 5), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 21, 6), SB_OK);
	assert_int_equal(outcomes_add(&o, in, 0, "anna", 20, 4), SB_OK);
	assert_true(outcome_effect_size(&o.c[0], &d));
	assert_true(d > 20);
	assert_true(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	assert_non_null(strstr(why, "hardly vary (SD 0.58"));
	outcomes_free(&o);
	/* Four clients with spread (10, 14, 18, 22): few clients. */
	outcomes_init(&o);
	for (i = 0; i < 4; i++)
		assert_int_equal(outcomes_add(&o, in, 0, "anna", 10.0 + 4.0 *
		    (double)i, 8), SB_OK);
	assert_true(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	assert_string_equal(why, "only 4 clients: d is unstable");
	/* The command line's table says it under the table. */
	buf_init(&text, 1 << 16);
	assert_int_equal(outcomes_text(&o, &text), SB_OK);
	assert_non_null(strstr(text.data, "read d with care: phq9 total "
	    "(anna): only 4 clients: d is unstable.\n"));
	buf_free(&text);
	outcomes_free(&o);
	/* Ten clients with spread: nothing to say. */
	outcomes_init(&o);
	for (i = 0; i < 10; i++)
		assert_int_equal(outcomes_add(&o, in, 0, "anna", 8.0 + 2.0 *
		    (double)i, 8), SB_OK);
	assert_false(outcome_effect_caution(&o.c[0], why, sizeof(why)));
	outcomes_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classes_are_counted_per_therapist_and_practice),
		cmocka_unit_test(effect_size_is_signed_by_direction),
		cmocka_unit_test(implausible_effect_sizes_are_flagged),
		cmocka_unit_test(scores_without_norms_are_not_classified),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

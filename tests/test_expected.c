/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_expected.c - the expected-recovery band (core/expected.h) on
 * worked examples computed by hand, and checked with Python's
 * statistics.quantiles(method="inclusive"), which is R's type 7: the
 * nearest intakes within reach are the neighbours (ties to the earlier),
 * a neighbour's change is interpolated between its scores and not
 * carried after its last, the published path is the normal model's, the
 * two are blended by n / (n + 20), and the alert needs two readings in a
 * row beyond the band.
 */
#include "core/expected.h"
#include "test.h"

/*
 * Eight completed episodes (day, score), intakes at day 0.  A client's
 * intake is 15; with k = 4 the distances are
 *   R0 5, R1 1, R2 1, R3 6, R4 0, R5 10, R6 2, R7 2,
 * so the neighbours are R4, R1, R2 and R6 (R6 and R7 tie at 2: the
 * earlier, R6, is kept).
 */
static const struct expected_obs r0[] = { { 0, 20 }, { 14, 16 }, { 28, 12 } };
static const struct expected_obs r1[] = { { 0, 14 }, { 14, 13 }, { 28, 10 },
    { 56, 8 } };
static const struct expected_obs r2[] = { { 0, 16 }, { 7, 16 }, { 21, 9 } };
static const struct expected_obs r3[] = { { 0, 9 }, { 14, 8 } };
static const struct expected_obs r4[] = { { 0, 15 }, { 28, 15 } };
static const struct expected_obs r5[] = { { 0, 25 }, { 14, 20 } };
static const struct expected_obs r6[] = { { 0, 13 }, { 14, 10 }, { 28, 5 } };
static const struct expected_obs r7[] = { { 0, 17 }, { 14, 11 } };
#define R(x) { x, sizeof(x) / sizeof(x[0]) }
static const struct expected_ref refs[] = { R(r0), R(r1), R(r2), R(r3),
    R(r4), R(r5), R(r6), R(r7) };

static void
nearest_intakes_are_the_neighbours_ties_to_the_earlier(void **state)
{
	size_t	 idx[4], got, i;
	bool	 seen[8] = { false };

	(void)state;
	expected_neighbours(refs, 8, 15, 100, 4, idx, &got);
	assert_int_equal(got, 4);
	for (i = 0; i < got; i++)
		seen[idx[i]] = true;
	assert_true(seen[4] && seen[1] && seen[2] && seen[6]);
	assert_false(seen[7]);
	/* Fewer references than k: all of them. */
	expected_neighbours(refs, 3, 15, 100, 4, idx, &got);
	assert_int_equal(got, 3);
}

static void
neighbours_lie_within_reach(void **state)
{
	size_t	 idx[4], got, i;
	bool	 seen[8] = { false };

	(void)state;
	/* Within 1 point of 15: R4 (0), R1 and R2 (1); R6 and R7 at 2 are
	 * out even though k has room. */
	expected_neighbours(refs, 8, 15, 1, 4, idx, &got);
	assert_int_equal(got, 3);
	for (i = 0; i < got; i++)
		seen[idx[i]] = true;
	assert_true(seen[4] && seen[1] && seen[2]);
	/* An intake of 24 has no reference within 3 (R5 is 25 - 24 = 1
	 * away; R0 at 20 is 4 away): one. */
	expected_neighbours(refs, 8, 24, 3, 4, idx, &got);
	assert_int_equal(got, 1);
	assert_int_equal(idx[0], 5);
}

static void
changes_are_interpolated_and_not_carried_after_the_last(void **state)
{
	double	 c;

	(void)state;
	/* R2 at day 14: halfway from (7, 16) to (21, 9) is 12.5, a change
	 * of -3.5 from 16. */
	assert_true(expected_change_at(&refs[2], 14, &c));
	ASSERT_NEAR(c, -3.5, 1e-12);
	/* R1 at day 42: halfway from (28, 10) to (56, 8) is 9: -5. */
	assert_true(expected_change_at(&refs[1], 42, &c));
	ASSERT_NEAR(c, -5, 1e-12);
	/* R6 on its last day, 5 - 13; after it, nothing. */
	assert_true(expected_change_at(&refs[6], 28, &c));
	ASSERT_NEAR(c, -8, 1e-12);
	assert_false(expected_change_at(&refs[6], 42, &c));
	assert_true(expected_change_at(&refs[6], 0, &c));
	ASSERT_NEAR(c, 0, 1e-12);
}

static void
band_is_the_median_and_the_10th_and_90th_percentiles(void **state)
{
	size_t			 idx[4], got;
	struct expected_band	 b;

	(void)state;
	expected_neighbours(refs, 8, 15, 100, 4, idx, &got);
	/*
	 * Day 14: changes R4 0, R1 -1, R2 -3.5, R6 -3; sorted -3.5 -3 -1 0.
	 * Type 7, h = (n - 1) p: median h = 1.5 -> -3 + .5 * 2 = -2;
	 * p .1 h = .3 -> -3.5 + .3 * .5 = -3.35; p .9 h = 2.7 -> -1 + .7 =
	 * -0.3.  Plus the intake 15: 13, 11.65, 14.7.
	 */
	assert_int_equal(expected_band_at(refs, idx, got, 15, 14, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_OK);
	ASSERT_NEAR(b.mid, 13, 1e-9);
	ASSERT_NEAR(b.lo, 11.65, 1e-9);
	ASSERT_NEAR(b.hi, 14.7, 1e-9);
	assert_int_equal(b.own, 4);
	/*
	 * Day 42: only R1 is still in care (R4 and R6 ended on day 28, R2
	 * on 21): its change -5 is the middle and both edges, 10.
	 */
	assert_int_equal(expected_band_at(refs, idx, got, 15, 42, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_OK);
	assert_int_equal(b.own, 1);
	ASSERT_NEAR(b.mid, 10, 1e-9);
	ASSERT_NEAR(b.lo, 10, 1e-9);
	ASSERT_NEAR(b.hi, 10, 1e-9);
	/* After day 56 nobody is: no band. */
	assert_int_equal(expected_band_at(refs, idx, got, 15, 60, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_ENOENT);
	/* A PHQ-9 (lower is better) of 14.8 at day 14 is above 14.7: not on
	 * track; 14.7 itself is inside.  Were higher better, 11 would be
	 * below 11.65. */
	assert_int_equal(expected_band_at(refs, idx, got, 15, 14, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_OK);
	assert_true(expected_off_track(&b, 14.8, true));
	assert_false(expected_off_track(&b, 14.7, true));
	assert_true(expected_off_track(&b, 11, false));
	assert_int_equal(expected_band_at(refs, idx, 0, 15, 42, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_ENOENT);
}

/*
 * PHQ-9's published course, NHS Talking Therapies 2022-23: 15.4 (5.5) at
 * intake, 9.4 (6.4) at the end; reliability .84; rho .5, tau 42.  Worked
 * from the formulas in core/expected.h with Python's math module, and
 * confirmed by simulating three million clients from the model (for an
 * intake of 24 +/- .05 at day 28: mean 18.61, 10th and 90th percentiles
 * 13.84 and 23.40, against 18.624, 13.925 and 23.323 below).
 *   intake 20, day 0:  mid 19.2640 (a fifth of the way back to 15.4),
 *                      band 15.43956 - 23.08844
 *   intake 20, day 28: mid 15.76662, band 11.06731 - 20.46593
 *   intake 24, day 28: mid 18.62411, band 13.92480 - 23.32342
 */
static const struct expected_model phq9 = {
	true, 15.4, 5.5, 9.4, 6.4, 0.84, EXPECTED_RHO, EXPECTED_TAU
};

static void
published_path_is_the_normal_models(void **state)
{
	struct expected_band	 b;

	(void)state;
	expected_model_at(&phq9, 20, 0, &b);
	ASSERT_NEAR(b.mid, 19.264, 1e-6);
	ASSERT_NEAR(b.lo, 15.4395615325, 1e-6);
	ASSERT_NEAR(b.hi, 23.0884384675, 1e-6);
	expected_model_at(&phq9, 20, 28, &b);
	ASSERT_NEAR(b.mid, 15.7666191908, 1e-6);
	ASSERT_NEAR(b.lo, 11.0673091310, 1e-6);
	ASSERT_NEAR(b.hi, 20.4659292507, 1e-6);
	expected_model_at(&phq9, 24, 28, &b);
	ASSERT_NEAR(b.mid, 18.6241117792, 1e-6);
	ASSERT_NEAR(b.lo, 13.9248017194, 1e-6);
	ASSERT_NEAR(b.hi, 23.3234218390, 1e-6);
}

/*
 * Twenty-five of the practice's episodes, all with intake 24 and a
 * score on day 28 of 24 - i / 2 (i = 0..24).  The twenty nearest (all at
 * distance 0: the first twenty, i = 0..19) changed 0, -0.5, ... -9.5.
 * Type 7 on those sorted: 10th h = 1.9: -9 + .9 x .5 = -8.55; median
 * h = 9.5: -4.75; 90th h = 17.1: -1 + .1 x .5 = -0.95.  Their band:
 * 15.45, 19.25, 23.05.  Weight 20 / (20 + 20) = .5, so the blend is the
 * average with the published band above: lo (13.9248017 + 15.45) / 2 =
 * 14.6874009, mid (18.6241118 + 19.25) / 2 = 18.9370559, hi
 * (23.3234218 + 23.05) / 2 = 23.1867109.  With no episodes the
 * published band stands alone.
 */
static struct expected_obs	 own[25][2];
static struct expected_ref	 ownr[25];

static void
blended_band_for_0_and_25_episodes(void **state)
{
	struct expected_band	 b;
	size_t			 idx[EXPECTED_K] = { 0 }, got, i;
	enum sb_err		 e;

	(void)state;
	for (i = 0; i < 25; i++) {
		own[i][0].day = 0;
		own[i][0].score = 24;
		own[i][1].day = 28;
		own[i][1].score = 24 - (double)i / 2;
		ownr[i].o = own[i];
		ownr[i].n = 2;
	}
	assert_true(expected_blend_at(&phq9, ownr, idx, 0, 24, 28, &b, &e));
	assert_int_equal(e, SB_OK);
	assert_true(b.model);
	assert_int_equal(b.own, 0);
	ASSERT_NEAR(b.hi, 23.3234218390, 1e-6);
	expected_neighbours(ownr, 25, 24, 6.1, EXPECTED_K, idx, &got);
	assert_int_equal(got, 20);
	assert_true(expected_blend_at(&phq9, ownr, idx, got, 24, 28, &b,
	    &e));
	assert_int_equal(b.own, 20);
	ASSERT_NEAR(b.weight, 0.5, 1e-12);
	ASSERT_NEAR(b.lo, 14.6874008597, 1e-6);
	ASSERT_NEAR(b.mid, 18.9370558896, 1e-6);
	ASSERT_NEAR(b.hi, 23.1867109195, 1e-6);
	/* Four in care is under EXPECTED_OWN_MIN: the published band. */
	assert_true(expected_blend_at(&phq9, ownr, idx, 4, 24, 28, &b, &e));
	assert_int_equal(b.own, 0);
	ASSERT_NEAR(b.hi, 23.3234218390, 1e-6);
}

static void
without_a_published_path_the_practice_needs_ten(void **state)
{
	const struct expected_model	 none = { false, 0, 0, 0, 0, 0, 0, 0 };
	struct expected_band		 b;
	size_t				 idx[EXPECTED_K] = { 0 }, got;
	enum sb_err			 e;

	(void)state;
	expected_neighbours(ownr, 25, 24, 6.1, EXPECTED_K, idx, &got);
	assert_false(expected_blend_at(&none, ownr, idx, 9, 24, 28, &b, &e));
	assert_true(expected_blend_at(&none, ownr, idx, 10, 24, 28, &b, &e));
	assert_false(b.model);
	assert_int_equal(b.own, 10);
	/* Changes 0 .. -4.5: median -2.25, so 21.75. */
	ASSERT_NEAR(b.mid, 21.75, 1e-9);
}

static void
one_wiggle_is_no_alert_two_in_a_row_are(void **state)
{
	const bool	 wiggle[] = { false, true, false };
	const bool	 two[] = { false, true, true };
	const bool	 apart[] = { true, false, true };

	(void)state;
	/* One beyond, then inside: nothing, at either reading. */
	assert_false(expected_alarm(wiggle, 2, EXPECTED_RULE));
	assert_false(expected_alarm(wiggle, 3, EXPECTED_RULE));
	/* A single first reading beyond is not enough. */
	assert_false(expected_alarm(two, 2, EXPECTED_RULE));
	assert_true(expected_alarm(two, 3, EXPECTED_RULE));
	/* Beyond, inside, beyond: not two in a row; two of three would. */
	assert_false(expected_alarm(apart, 3, EXPECTED_RULE_TWO));
	assert_true(expected_alarm(apart, 3, EXPECTED_RULE_TWO_OF_THREE));
	assert_true(expected_alarm(wiggle, 2, EXPECTED_RULE_ONE));
	assert_false(expected_alarm(two, 0, EXPECTED_RULE_ONE));
}

static void
quantile_is_r_type_7(void **state)
{
	const double	 v[] = { 1, 2, 4, 8, 16 };

	(void)state;
	/* R: quantile(c(1,2,4,8,16), c(0, .25, .1, .9, 1)) gives
	 * 1, 2, 1.4, 12.8, 16. */
	ASSERT_NEAR(expected_quantile(v, 5, 0), 1, 1e-12);
	ASSERT_NEAR(expected_quantile(v, 5, 0.25), 2, 1e-12);
	ASSERT_NEAR(expected_quantile(v, 5, 0.1), 1.4, 1e-12);
	ASSERT_NEAR(expected_quantile(v, 5, 0.9), 12.8, 1e-12);
	ASSERT_NEAR(expected_quantile(v, 5, 1), 16, 1e-12);
	ASSERT_NEAR(expected_quantile(v, 1, 0.9), 1, 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nearest_intakes_are_the_neighbours_ties_to_the_earlier),
		cmocka_unit_test(neighbours_lie_within_reach),
		cmocka_unit_test(changes_are_interpolated_and_not_carried_after_the_last),
		cmocka_unit_test(band_is_the_median_and_the_10th_and_90th_percentiles),
		cmocka_unit_test(published_path_is_the_normal_models),
		cmocka_unit_test(blended_band_for_0_and_25_episodes),
		cmocka_unit_test(without_a_published_path_the_practice_needs_ten),
		cmocka_unit_test(one_wiggle_is_no_alert_two_in_a_row_are),
		cmocka_unit_test(quantile_is_r_type_7),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_expected.c - the expected-recovery band (core/expected.h) on a
 * worked example computed by hand, and checked with Python's
 * statistics.quantiles(method="inclusive"), which is R's type 7: the
 * nearest intakes are the neighbours (ties to the earlier), a
 * neighbour's change is interpolated between its scores and carried
 * after its last, and a score beyond the band's worse edge is not on
 * track.
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
	expected_neighbours(refs, 8, 15, 4, idx, &got);
	assert_int_equal(got, 4);
	for (i = 0; i < got; i++)
		seen[idx[i]] = true;
	assert_true(seen[4] && seen[1] && seen[2] && seen[6]);
	assert_false(seen[7]);
	/* Fewer references than k: all of them. */
	expected_neighbours(refs, 3, 15, 4, idx, &got);
	assert_int_equal(got, 3);
}

static void
changes_are_interpolated_and_carried_after_the_last(void **state)
{
	(void)state;
	/* R2 at day 14: halfway from (7, 16) to (21, 9) is 12.5, a change
	 * of -3.5 from 16. */
	ASSERT_NEAR(expected_change_at(&refs[2], 14), -3.5, 1e-12);
	/* R1 at day 42: halfway from (28, 10) to (56, 8) is 9: -5. */
	ASSERT_NEAR(expected_change_at(&refs[1], 42), -5, 1e-12);
	/* R6 after its last day keeps its last change, 5 - 13. */
	ASSERT_NEAR(expected_change_at(&refs[6], 42), -8, 1e-12);
	ASSERT_NEAR(expected_change_at(&refs[6], 0), 0, 1e-12);
}

static void
band_is_the_median_and_the_10th_and_90th_percentiles(void **state)
{
	size_t			 idx[4], got;
	struct expected_band	 b;

	(void)state;
	expected_neighbours(refs, 8, 15, 4, idx, &got);
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
	/*
	 * Day 42: R4 0, R1 -5, R2 -7 (9 - 16, carried), R6 -8; sorted
	 * -8 -7 -5 0: median -6, p .1 -7.7, p .9 -5 + .7 * 5 = -1.5.
	 */
	assert_int_equal(expected_band_at(refs, idx, got, 15, 42, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_OK);
	ASSERT_NEAR(b.mid, 9, 1e-9);
	ASSERT_NEAR(b.lo, 7.3, 1e-9);
	ASSERT_NEAR(b.hi, 13.5, 1e-9);
	/* A PHQ-9 (lower is better) of 14 at day 42 is above 13.5: not on
	 * track; 13 is inside.  Were higher better, 7 would be below. */
	assert_true(expected_off_track(&b, 14, true));
	assert_false(expected_off_track(&b, 13, true));
	assert_false(expected_off_track(&b, 13.5, true));
	assert_true(expected_off_track(&b, 7, false));
	assert_int_equal(expected_band_at(refs, idx, 0, 15, 42, EXPECTED_LO,
	    EXPECTED_HI, &b), SB_EINVAL);
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
		cmocka_unit_test(changes_are_interpolated_and_carried_after_the_last),
		cmocka_unit_test(band_is_the_median_and_the_10th_and_90th_percentiles),
		cmocka_unit_test(quantile_is_r_type_7),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_change.c - Jacobson & Truax reliable and clinically significant
 * change: the worked PHQ-9 example of docs/reference/instruments.md
 * section 16, and the classification rules in both directions.
 */
#include "core/change.h"
#include "core/plane.h"
#include "test.h"

static void
phq9_worked_example(void **state)
{
	const struct instr_score	*sc = &shipped("phq9")->scores[0];
	struct change_result		 r;
	double				 cut;

	(void)state;
	/* The shipped norms are the example's inputs. */
	ASSERT_NEAR(sc->reliability, 0.84, 0);
	ASSERT_NEAR(sc->clinical.mean, 15.4, 0);
	ASSERT_NEAR(sc->clinical.sd, 5.5, 0);
	ASSERT_NEAR(sc->functional.mean, 2.9, 0);
	ASSERT_NEAR(sc->functional.sd, 3.5, 0);
	assert_int_equal(change_classify(sc, 18, 8, CRITERION_C, &r), SB_OK);
	ASSERT_NEAR(r.se, 2.20, 0.005);		/* step 1 */
	ASSERT_NEAR(r.sdiff, 3.111, 0.0005);	/* step 2 */
	ASSERT_NEAR(r.rc, -3.21, 0.005);	/* step 3 */
	assert_true(r.reliable);
	ASSERT_NEAR(r.min_change, 6.10, 0.005);	/* step 4 */
	assert_true(change_cutoff(sc, CRITERION_A, &cut));
	ASSERT_NEAR(cut, 4.4, 1e-9);		/* step 5 */
	assert_true(change_cutoff(sc, CRITERION_B, &cut));
	ASSERT_NEAR(cut, 9.9, 1e-9);		/* step 6 */
	ASSERT_NEAR(r.cutoff, 7.76, 0.005);	/* step 7 */
	/* Under (c): 8 > 7.76, improved, not recovered. */
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	/* Under (b): 8 < 9.9, recovered. */
	assert_int_equal(change_classify(sc, 18, 8, CRITERION_B, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	/* Under (a): 8 > 4.4, not recovered. */
	assert_int_equal(change_classify(sc, 18, 8, CRITERION_A, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	/* Default: (c), since both norms exist. */
	assert_int_equal(change_classify(sc, 18, 8, CRITERION_AUTO, &r),
	    SB_OK);
	assert_int_equal(r.criterion, CRITERION_C);
}

static void
phq9_unchanged_deteriorated_recovered(void **state)
{
	const struct instr_score	*sc = &shipped("phq9")->scores[0];
	struct change_result		 r;

	(void)state;
	/* A fall of 6 is below 6.10 points: not reliable. */
	assert_int_equal(change_classify(sc, 18, 12, CRITERION_C, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_UNCHANGED);
	/* A fall of 7 is. */
	assert_int_equal(change_classify(sc, 18, 11, CRITERION_C, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	assert_int_equal(change_classify(sc, 18, 7, CRITERION_C, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	assert_int_equal(change_classify(sc, 8, 15, CRITERION_C, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_DETERIORATED);
	/* Already in the functional range before: improvement is not
	 * "recovery" (nothing to recover from). */
	assert_int_equal(change_classify(sc, 7, 0, CRITERION_C, &r), SB_OK);
	assert_true(r.pre_past);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
}

static void
core10_norms_classify(void **state)
{
	const struct instr_score	*sc = &shipped("core10")->scores[0];
	struct change_result		 r;

	(void)state;
	/* S_diff = 7.7 sqrt(2) sqrt(0.1) = 3.4436; c = (4.8 x 19.7 +
	 * 7.7 x 4.7) / 12.5 = 10.4600. */
	assert_int_equal(change_classify(sc, 22, 9, CRITERION_AUTO, &r),
	    SB_OK);
	ASSERT_NEAR(r.sdiff, 7.7 * sqrt(2) * sqrt(0.1), 1e-12);
	ASSERT_NEAR(r.cutoff, (4.8 * 19.7 + 7.7 * 4.7) / 12.5, 1e-12);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
}

static void
higher_is_better_direction(void **state)
{
	struct instr_score	 sc;
	struct change_result	 r;
	double			 cut;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	sc.direction = DIRECTION_HIGHER_BETTER;
	sc.reliability = 0.8;
	sc.clinical.set = sc.functional.set = true;
	sc.clinical.mean = 20;
	sc.clinical.sd = 5;
	sc.functional.mean = 40;
	sc.functional.sd = 5;
	assert_true(change_cutoff(&sc, CRITERION_A, &cut));
	ASSERT_NEAR(cut, 30, 1e-12);	/* above the clinical mean */
	assert_true(change_cutoff(&sc, CRITERION_B, &cut));
	ASSERT_NEAR(cut, 30, 1e-12);	/* below the functional mean */
	assert_int_equal(change_classify(&sc, 20, 35, CRITERION_C, &r), SB_OK);
	assert_true(r.rc > 0);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	assert_int_equal(change_classify(&sc, 30, 20, CRITERION_C, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_DETERIORATED);
}

/*
 * GAD-7 with its shipped norms (clinical 14 SD 4.5, functional 2.95 SD
 * 3.36, alpha .89), by hand: S_diff = 4.5 sqrt(2) sqrt(.11) = 2.110687;
 * reliable change needs 1.96 x 2.110687 = 4.137 points; cut-off c =
 * (3.36 x 14 + 4.5 x 2.95) / (3.36 + 4.5) = 7.673664.
 */
static void
gad7_change_is_classified(void **state)
{
	struct change_result	 r;
	const struct instr_score *sc = &shipped("gad7")->scores[0];

	(void)state;
	/* 15 to 5: RC -10 / 2.110687 = -4.7378, crossing c: recovered. */
	assert_int_equal(change_classify(sc, 15, 5, CRITERION_AUTO, &r), SB_OK);
	ASSERT_NEAR(r.sdiff, 2.1106870919, 1e-6);
	ASSERT_NEAR(r.rc, -4.7377936968, 1e-6);
	ASSERT_NEAR(r.cutoff, 7.6736641221, 1e-6);
	assert_int_equal(r.criterion, CRITERION_C);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	/* 15 to 10: RC -2.3689, still above c: improved. */
	assert_int_equal(change_classify(sc, 15, 10, CRITERION_AUTO, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	/* 15 to 12: RC -1.4213: no reliable change. */
	assert_int_equal(change_classify(sc, 15, 12, CRITERION_AUTO, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_UNCHANGED);
	ASSERT_NEAR(r.min_change, 4.1369467002, 1e-6);
}

/*
 * PHQ-9 16 to 9.  Jacobson & Truax: RC -7 / 3.111 = -2.25, reliable, but
 * 9 is above the cut-off c = 7.76: improved.  NHS Talking Therapies
 * (caseness 10, reliable change 6): 16 is at caseness, 9 below it, and
 * the fall of 7 is at least 6: reliable recovery.  A fall of 5 (16 to
 * 11) is no reliable change there; a rise of 6 is a deterioration.
 */
static void
talking_therapies_recovery_for_16_to_9(void **state)
{
	const struct instr_score *sc = &shipped("phq9")->scores[0];
	const struct instr_score *k10 = &shipped("k10")->scores[0];
	struct change_result	 r;
	char			 lab[96];

	(void)state;
	assert_int_equal(change_classify_as(sc, 16, 9, CONVENTION_JT, &r),
	    SB_OK);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	assert_int_equal(r.convention, CONVENTION_JT);
	assert_int_equal(change_classify_as(sc, 16, 9, CONVENTION_TT, &r),
	    SB_OK);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	assert_int_equal(r.convention, CONVENTION_TT);
	change_label(&r, lab, sizeof(lab));
	assert_string_equal(lab, "NHS Talking Therapies (caseness 10, "
	    "reliable change 6 points)");
	assert_int_equal(change_classify_as(sc, 16, 11, CONVENTION_TT, &r),
	    SB_OK);
	assert_int_equal(r.cls, CHANGE_UNCHANGED);
	assert_int_equal(change_classify_as(sc, 9, 15, CONVENTION_TT, &r),
	    SB_OK);
	assert_int_equal(r.cls, CHANGE_DETERIORATED);
	/* Starting below caseness, a fall of 6 is an improvement only. */
	assert_int_equal(change_classify_as(sc, 9, 3, CONVENTION_TT, &r),
	    SB_OK);
	assert_int_equal(r.cls, CHANGE_IMPROVED);
	/* GAD-7: caseness 8, change 4: 9 to 5 is reliable recovery. */
	assert_int_equal(change_classify_as(&shipped("gad7")->scores[0], 9, 5,
	    CONVENTION_TT, &r), SB_OK);
	assert_int_equal(r.cls, CHANGE_RECOVERED);
	/* A measure without the rule keeps Jacobson & Truax (here none). */
	assert_int_equal(change_classify_as(k10, 30, 15, CONVENTION_TT, &r),
	    SB_ENOENT);
	assert_int_equal(change_classify_as(&shipped("core10")->scores[0], 20,
	    8, CONVENTION_TT, &r), SB_OK);
	assert_int_equal(r.convention, CONVENTION_JT);
}

static void
missing_norms_are_refused(void **state)
{
	struct change_result	 r;

	(void)state;
	/* K10 ships without reliability or norms: no classification. */
	assert_int_equal(change_classify(&shipped("k10")->scores[0], 30, 15,
	    CRITERION_AUTO, &r), SB_ENOENT);
	/* ECR-R: no direction-bearing norms either. */
	assert_int_equal(change_classify(&shipped("ecr-r")->scores[0], 5, 2,
	    CRITERION_AUTO, &r), SB_ENOENT);
}

static void
plane_regions_and_midpoint(void **state)
{
	struct plane_pos	 p;

	(void)state;
	plane_locate(2.0, 2.5, 1, 7, &p);
	ASSERT_NEAR(p.midpoint, 4, 0);
	assert_int_equal(p.region, REGION_SECURE);
	plane_locate(5.0, 2.0, 1, 7, &p);
	assert_int_equal(p.region, REGION_PREOCCUPIED);
	plane_locate(2.0, 5.0, 1, 7, &p);
	assert_int_equal(p.region, REGION_DISMISSING);
	plane_locate(6.0, 6.0, 1, 7, &p);
	assert_int_equal(p.region, REGION_FEARFUL);
	ASSERT_NEAR(p.anxiety_offset, 2, 0);
	/* Exactly on a midpoint: no label rather than a coin toss. */
	plane_locate(4.0, 6.0, 1, 7, &p);
	assert_int_equal(p.region, REGION_BOUNDARY);
	/* The midpoint follows the scale (3 on 1-5 data). */
	plane_locate(3.5, 2.5, 1, 5, &p);
	assert_int_equal(p.region, REGION_PREOCCUPIED);
	ASSERT_CONTAINS(PLANE_CAVEAT, "advise against");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phq9_worked_example),
		cmocka_unit_test(phq9_unchanged_deteriorated_recovered),
		cmocka_unit_test(core10_norms_classify),
		cmocka_unit_test(higher_is_better_direction),
		cmocka_unit_test(missing_norms_are_refused),
		cmocka_unit_test(gad7_change_is_classified),
		cmocka_unit_test(talking_therapies_recovery_for_16_to_9),
		cmocka_unit_test(plane_regions_and_midpoint),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_instruments_shipped.c - every shipped instrument scores exactly as
 * its source says: reverse keys, subscale membership, band boundaries,
 * missing-data rules, critical items, score ids of the interface contract.
 *
 * Expected values are worked out by hand from the published keys in
 * docs/reference/instruments.md, not taken from the engine.
 */
#include <stdlib.h>

#include "test.h"

struct result {
	const struct instrument	*in;
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 crit[INSTR_MAX_ITEMS];
	size_t			 ncrit;
};

/*
 * Scores one row given as comma-separated answers in item order; an
 * empty field is a missing answer.  Every answer must be accepted.
 */
static void
run(const char *id, const char *row, struct result *r)
{
	struct score_plan	*plan;
	int16_t			 a[INSTR_MAX_ITEMS];
	const char		*s = row;
	char			*end;
	size_t			 i = 0;
	long			 v;

	r->in = shipped(id);
	assert_int_equal(score_plan_new(r->in, 0, 0, &plan), SB_OK);
	for (i = 0; i < r->in->nitems; i++) {
		if (*s == ',' || *s == '\0')
			a[i] = SCORE_MISSING;
		else {
			v = strtol(s, &end, 10);
			if (!score_answer_ok(plan, i, v)) {
				print_error("%s item %zu: %ld not accepted\n",
				    id, i + 1, v);
				fail();
			}
			a[i] = (int16_t)v;
			s = end;
		}
		if (i + 1 < r->in->nitems) {
			if (*s != ',') {
				print_error("%s: row has too few answers\n", id);
				fail();
			}
			s++;
		}
	}
	assert_int_equal(*s, '\0');
	score_row(plan, a, r->v, r->ok);
	r->ncrit = score_critical(plan, a, r->crit, INSTR_MAX_ITEMS);
	score_plan_free(plan);
}

/* A row of n copies of value v. */
static const char *
same(size_t n, int v)
{
	static char	 b[200];
	size_t		 i, o = 0;

	for (i = 0; i < n; i++)
		o += (size_t)snprintf(b + o, sizeof(b) - o, "%s%d", i ? "," :
		    "", v);
	return b;
}

static double
val(const struct result *r, const char *score)
{
	size_t	 i = instr_score_find(r->in, score);

	if (i == INSTR_NONE || !r->ok[i]) {
		print_error("%s %s: %s\n", r->in->id, score, i == INSTR_NONE ?
		    "no such score" : "null, expected a value");
		fail();
	}
	return r->v[i];
}

static bool
is_null(const struct result *r, const char *score)
{
	size_t	 i = instr_score_find(r->in, score);

	assert_true(i != INSTR_NONE);
	return !r->ok[i];
}

static const char *
band(const struct result *r, const char *score)
{
	size_t	 i = instr_score_find(r->in, score);

	return instr_band_label(&r->in->scores[i], val(r, score));
}

/* The reverse-keyed items are exactly those listed (1-based numbers). */
static void
assert_reversed(const char *id, const int *items, size_t n)
{
	const struct instrument	*in = shipped(id);
	size_t			 i, k;
	bool			 want;

	for (i = 0; i < in->nitems; i++) {
		want = false;
		for (k = 0; k < n; k++)
			if ((size_t)items[k] == i + 1)
				want = true;
		if (in->items[i].reverse != want) {
			print_error("%s item %s: reverse is %d, published "
			    "key says %d\n", id, in->items[i].id,
			    in->items[i].reverse, want);
			fail();
		}
	}
}

/* The score ids are exactly those of the interface contract, in order. */
static void
assert_scores(const char *id, const char *const *ids, size_t n)
{
	const struct instrument	*in = shipped(id);
	size_t			 i;

	assert_int_equal(in->nscores, n);
	for (i = 0; i < n; i++)
		assert_string_equal(in->scores[i].id, ids[i]);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
phq9_total_bands_and_item9(void **state)
{
	static const char *const ids[] = { "total" };
	struct result	 r;

	(void)state;
	assert_scores("phq9", ids, 1);
	assert_int_equal(shipped("phq9")->nitems, 10);
	assert_reversed("phq9", NULL, 0);
	/* Kroenke 2001: 5, 10, 15, 20 start mild .. severe. */
	run("phq9", "1,1,1,1,0,0,0,0,0,", &r);
	ASSERT_NEAR(val(&r, "total"), 4, 0);
	assert_string_equal(band(&r, "total"), "None-minimal");
	run("phq9", "1,1,1,1,1,0,0,0,0,", &r);
	assert_string_equal(band(&r, "total"), "Mild");
	run("phq9", "1,1,1,1,1,1,1,1,1,0", &r);
	assert_string_equal(band(&r, "total"), "Mild");
	run("phq9", "2,2,2,2,2,0,0,0,0,", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("phq9", "2,2,2,2,2,2,2,0,0,", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("phq9", "3,3,3,3,3,0,0,0,0,", &r);
	assert_string_equal(band(&r, "total"), "Moderately severe");
	run("phq9", "3,3,3,3,3,3,1,0,0,", &r);
	ASSERT_NEAR(val(&r, "total"), 19, 0);
	assert_string_equal(band(&r, "total"), "Moderately severe");
	run("phq9", "3,3,3,3,3,3,2,0,0,", &r);
	assert_string_equal(band(&r, "total"), "Severe");
	run("phq9", "3,3,3,3,3,3,3,3,3,3", &r);
	ASSERT_NEAR(val(&r, "total"), 27, 0);
	/* Item 10 is never summed. */
	run("phq9", "0,0,0,0,0,0,0,0,0,3", &r);
	ASSERT_NEAR(val(&r, "total"), 0, 0);
	/* Items 1-9 must all be answered (CamCOPS); no prorating. */
	run("phq9", "3,3,3,3,,3,3,3,3,", &r);
	assert_true(is_null(&r, "total"));
	/* Item 9 >= 1 is critical whatever the total. */
	run("phq9", "0,0,0,0,0,0,0,0,1,", &r);
	assert_int_equal(r.ncrit, 1);
	assert_string_equal(r.in->items[r.crit[0]].id, "q9");
	run("phq9", "3,3,3,3,3,3,3,3,0,", &r);
	assert_int_equal(r.ncrit, 0);
	/* A skipped item 9 is not a flag, and not a score either. */
	run("phq9", "0,0,0,0,0,0,0,0,,", &r);
	assert_int_equal(r.ncrit, 0);
	assert_true(is_null(&r, "total"));
}

static void
phq9_gad7_loinc_codes(void **state)
{
	static const char *const phq[] = { "44250-9", "44255-8", "44259-0",
	    "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8",
	    "69722-7" };
	static const char *const gad[] = { "69725-0", "68509-9", "69733-4",
	    "69734-2", "69735-9", "69689-8", "69736-7" };
	const struct instrument	*in;
	size_t			 i;

	(void)state;
	in = shipped("phq9");
	assert_string_equal(in->loinc, "44249-1");
	assert_string_equal(in->scores[0].loinc, "44261-6");
	for (i = 0; i < N(phq); i++)
		assert_string_equal(in->items[i].loinc, phq[i]);
	/* LL359-1 codes are not in numeric order. */
	assert_string_equal(in->optsets[1].opts[2].loinc, "LA6575-0");
	assert_string_equal(in->optsets[1].opts[3].loinc, "LA6574-3");
	in = shipped("gad7");
	assert_string_equal(in->loinc, "69737-5");
	assert_string_equal(in->scores[0].loinc, "70274-6");
	for (i = 0; i < N(gad); i++)
		assert_string_equal(in->items[i].loinc, gad[i]);
	/* No LOINC code is claimed where the reference found none. */
	assert_null(shipped("rses")->loinc);
	assert_null(shipped("core10")->scores[0].loinc);
	assert_null(shipped("k10")->loinc);
}

static void
gad7_bands(void **state)
{
	static const char *const ids[] = { "total" };
	struct result	 r;

	(void)state;
	assert_scores("gad7", ids, 1);
	assert_string_equal(shipped("gad7")->optsets[0].opts[0].label,
	    "Not at all");
	run("gad7", "1,1,1,1,0,0,0", &r);
	assert_string_equal(band(&r, "total"), "Minimal");
	run("gad7", "1,1,1,1,1,0,0", &r);
	assert_string_equal(band(&r, "total"), "Mild");
	run("gad7", "3,3,3,0,0,0,0", &r);
	assert_string_equal(band(&r, "total"), "Mild");
	run("gad7", "3,3,3,1,0,0,0", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("gad7", "3,3,3,3,2,0,0", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("gad7", "3,3,3,3,3,0,0", &r);
	assert_string_equal(band(&r, "total"), "Severe");
	run("gad7", "3,3,3,3,3,3,3", &r);
	ASSERT_NEAR(val(&r, "total"), 21, 0);
	run("gad7", "3,3,3,3,3,3,", &r);
	assert_true(is_null(&r, "total"));
}

static void
ecr_r_keys(void **state)
{
	static const int rev[] = { 9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33,
	    34, 35, 36 };
	static const char *const ids[] = { "anxiety", "avoidance" };
	struct result	 r;
	char		 row[512];

	(void)state;
	assert_scores("ecr-r", ids, 2);
	assert_reversed("ecr-r", rev, N(rev));
	/* All 1: anxiety = (16 x 1 + 2 x 7) / 18, avoidance = (6 + 12 x 7)
	 * / 18: the reversed items count 8 - 1 = 7. */
	run("ecr-r", same(36, 1), &r);
	ASSERT_NEAR(val(&r, "anxiety"), 30.0 / 18, 1e-12);
	ASSERT_NEAR(val(&r, "avoidance"), 90.0 / 18, 1e-12);
	/* Items 1-18 are anxiety, 19-36 avoidance. */
	snprintf(row, sizeof(row), "%s,", same(18, 4));
	snprintf(row + strlen(row), sizeof(row) - strlen(row), "%s",
	    same(18, 7));
	run("ecr-r", row, &r);
	ASSERT_NEAR(val(&r, "anxiety"), 4, 1e-12);
	ASSERT_NEAR(val(&r, "avoidance"), (6 * 7 + 12 * 1) / 18.0, 1e-12);
	/* No published missing-data rule: a gap leaves the scale null. */
	snprintf(row, sizeof(row), ",%s", same(35, 4));
	run("ecr-r", row, &r);
	assert_true(is_null(&r, "anxiety"));
	ASSERT_NEAR(val(&r, "avoidance"), 4, 1e-12);
}

static void
ecr_original_keys_differ_from_ecr_r(void **state)
{
	static const int rev[] = { 3, 15, 19, 22, 25, 27, 29, 31, 33, 35 };
	static const char *const ids[] = { "anxiety", "avoidance" };
	struct result	 r;

	(void)state;
	assert_scores("ecr", ids, 2);
	assert_reversed("ecr", rev, N(rev));
	/* Even items anxiety (only 22 reversed), odd avoidance. */
	run("ecr", same(36, 1), &r);
	ASSERT_NEAR(val(&r, "anxiety"), (17 + 7) / 18.0, 1e-12);
	ASSERT_NEAR(val(&r, "avoidance"), (9 + 9 * 7) / 18.0, 1e-12);
	/* The same answers give different scores under the ECR-R key. */
	assert_false(shipped("ecr")->items[8].reverse);
	assert_true(shipped("ecr-r")->items[8].reverse);
	assert_string_not_equal(shipped("ecr")->items[1].text,
	    shipped("ecr-r")->items[1].text);
}

static void
ecr_s_keys(void **state)
{
	static const int rev[] = { 1, 5, 8, 9 };
	struct result	 r;

	(void)state;
	assert_reversed("ecr-s", rev, N(rev));
	run("ecr-s", same(12, 1), &r);
	/* Anxiety 2, 4, 6, 8R, 10, 12; avoidance 1R, 3, 5R, 7, 9R, 11. */
	ASSERT_NEAR(val(&r, "anxiety"), (5 + 7) / 6.0, 1e-12);
	ASSERT_NEAR(val(&r, "avoidance"), (3 + 3 * 7) / 6.0, 1e-12);
	run("ecr-s", "7,1,7,1,7,1,7,1,7,1,7,1", &r);
	ASSERT_NEAR(val(&r, "anxiety"), (5 * 1 + 7) / 6.0, 1e-12);
	ASSERT_NEAR(val(&r, "avoidance"), (3 * 1 + 3 * 7) / 6.0, 1e-12);
}

static void
ecr_rs_targets_and_global(void **state)
{
	static const char *const ids[] = { "mother.anxiety",
	    "mother.avoidance", "father.anxiety", "father.avoidance",
	    "partner.anxiety", "partner.avoidance", "friend.anxiety",
	    "friend.avoidance", "global.anxiety", "global.avoidance" };
	const struct instrument	*in = shipped("ecr-rs");
	struct result		 r;
	char			 row[1024];
	size_t			 i;

	(void)state;
	assert_scores("ecr-rs", ids, N(ids));
	assert_int_equal(in->nitems, 36);
	assert_string_equal(in->items[0].id, "mother.q1");
	assert_string_equal(in->items[35].id, "friend.q9");
	for (i = 0; i < 36; i++)
		assert_int_equal(in->items[i].reverse, i % 9 < 4);
	/* Mother all 1, father all 7, partner all 4, friend all 2. */
	snprintf(row, sizeof(row), "%s,", same(9, 1));
	snprintf(row + strlen(row), sizeof(row) - strlen(row), "%s,",
	    same(9, 7));
	snprintf(row + strlen(row), sizeof(row) - strlen(row), "%s,",
	    same(9, 4));
	snprintf(row + strlen(row), sizeof(row) - strlen(row), "%s",
	    same(9, 2));
	run("ecr-rs", row, &r);
	/* Avoidance: items 1-4 reversed (8 - x), 5-6 as given. */
	ASSERT_NEAR(val(&r, "mother.avoidance"), (4 * 7 + 2 * 1) / 6.0, 1e-12);
	ASSERT_NEAR(val(&r, "mother.anxiety"), 1, 1e-12);
	ASSERT_NEAR(val(&r, "father.avoidance"), (4 * 1 + 2 * 7) / 6.0, 1e-12);
	ASSERT_NEAR(val(&r, "father.anxiety"), 7, 1e-12);
	ASSERT_NEAR(val(&r, "partner.avoidance"), 4, 1e-12);
	ASSERT_NEAR(val(&r, "friend.avoidance"), (4 * 6 + 2 * 2) / 6.0, 1e-12);
	ASSERT_NEAR(val(&r, "global.anxiety"), (1 + 7 + 4 + 2) / 4.0, 1e-12);
	ASSERT_NEAR(val(&r, "global.avoidance"), (5.0 + 3.0 + 4.0 +
	    28.0 / 6) / 4.0, 1e-12);
	/* One relationship unanswered: its scores and the global ones are
	 * null, the others stand. */
	snprintf(row, sizeof(row), "%s,,,,,,,,,", same(27, 3));
	run("ecr-rs", row, &r);
	assert_true(is_null(&r, "friend.anxiety"));
	assert_true(is_null(&r, "global.anxiety"));
	assert_true(is_null(&r, "global.avoidance"));
	ASSERT_NEAR(val(&r, "partner.anxiety"), 3, 1e-12);
}

static void
rses_reversed_items_and_range(void **state)
{
	static const int rev[] = { 2, 5, 6, 8, 9 };
	struct result	 r;

	(void)state;
	assert_reversed("rses", rev, N(rev));
	/* 0 = strongly disagree .. 3 = strongly agree (contract). */
	assert_string_equal(shipped("rses")->optsets[0].opts[0].label,
	    "Strongly disagree");
	run("rses", "3,0,3,3,0,0,3,0,0,3", &r);
	ASSERT_NEAR(val(&r, "total"), 30, 0);
	run("rses", "0,3,0,0,3,3,0,3,3,0", &r);
	ASSERT_NEAR(val(&r, "total"), 0, 0);
	run("rses", same(10, 0), &r);
	ASSERT_NEAR(val(&r, "total"), 15, 0);
	/* No discrete cut-offs (University of Maryland FAQ). */
	assert_int_equal(r.in->scores[0].nbands, 0);
	run("rses", "3,0,3,3,0,0,3,0,0,", &r);
	assert_true(is_null(&r, "total"));
}

static void
ace_count(void **state)
{
	struct result	 r;

	(void)state;
	run("ace", same(10, 1), &r);
	ASSERT_NEAR(val(&r, "total"), 10, 0);
	run("ace", "1,0,0,1,0,1,0,0,0,0", &r);
	ASSERT_NEAR(val(&r, "total"), 3, 0);
	run("ace", "1,0,0,1,0,1,0,0,0,", &r);
	assert_true(is_null(&r, "total"));
	/* Exposure history: no cut-off. */
	assert_int_equal(r.in->scores[0].nbands, 0);
}

static void
core10_reversal_prorating_bands_item6(void **state)
{
	static const int rev[] = { 2, 3 };
	struct result	 r;

	(void)state;
	assert_reversed("core10", rev, N(rev));
	run("core10", same(10, 0), &r);
	ASSERT_NEAR(val(&r, "total"), 8, 0);	/* items 2, 3 count 4 */
	/* Band starts 11, 15, 20, 25. */
	run("core10", "2,4,4,2,2,0,2,2,0,0", &r);
	ASSERT_NEAR(val(&r, "total"), 10, 0);
	assert_string_equal(band(&r, "total"), "Healthy / low-level");
	run("core10", "2,4,4,2,2,0,2,2,1,0", &r);
	assert_string_equal(band(&r, "total"), "Mild");
	run("core10", "4,4,4,4,4,0,2,0,0,0", &r);
	ASSERT_NEAR(val(&r, "total"), 14, 0);
	assert_string_equal(band(&r, "total"), "Mild");
	run("core10", "4,4,4,4,4,0,3,0,0,0", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("core10", "4,0,0,4,4,0,4,3,0,0", &r);
	ASSERT_NEAR(val(&r, "total"), 27, 0);
	assert_string_equal(band(&r, "total"), "Severe");
	run("core10", "4,0,0,4,4,0,4,0,0,0", &r);
	ASSERT_NEAR(val(&r, "total"), 24, 0);
	assert_string_equal(band(&r, "total"), "Moderate-to-severe");
	/* One missing: 10 x total / 9 (CamCOPS). */
	run("core10", ",1,1,1,1,1,1,1,1,1", &r);
	ASSERT_NEAR(val(&r, "total"), (7 + 2 * 3) * 10.0 / 9, 1e-12);
	/* Two missing: not scored (securebase's conservative rule). */
	run("core10", ",,1,1,1,1,1,1,1,1", &r);
	assert_true(is_null(&r, "total"));
	/* Item 6 ("plans to end my life") above "Not at all" is critical. */
	run("core10", "0,4,4,0,0,1,0,0,0,0", &r);
	assert_int_equal(r.ncrit, 1);
	assert_string_equal(r.in->items[r.crit[0]].id, "q6");
	run("core10", "4,0,0,4,4,0,4,4,4,4", &r);
	assert_int_equal(r.ncrit, 0);
}

static void
k10_bands_and_no_prorating(void **state)
{
	struct result	 r;

	(void)state;
	run("k10", same(10, 1), &r);
	ASSERT_NEAR(val(&r, "total"), 10, 0);
	assert_string_equal(band(&r, "total"), "Low");
	run("k10", "2,2,2,2,2,1,1,1,1,1", &r);
	ASSERT_NEAR(val(&r, "total"), 15, 0);
	assert_string_equal(band(&r, "total"), "Low");
	run("k10", "2,2,2,2,2,2,1,1,1,1", &r);
	assert_string_equal(band(&r, "total"), "Moderate");
	run("k10", "3,3,3,3,3,3,1,1,1,1", &r);
	ASSERT_NEAR(val(&r, "total"), 22, 0);
	assert_string_equal(band(&r, "total"), "High");
	run("k10", "3,3,3,3,3,3,3,3,3,2", &r);
	ASSERT_NEAR(val(&r, "total"), 29, 0);
	assert_string_equal(band(&r, "total"), "High");
	run("k10", same(10, 3), &r);
	assert_string_equal(band(&r, "total"), "Very high");
	run("k10", same(10, 5), &r);
	ASSERT_NEAR(val(&r, "total"), 50, 0);
	/* No missing-data rule could be checked at its source: every item
	 * is needed. */
	run("k10", ",2,2,2,2,2,2,2,2,2", &r);
	assert_true(is_null(&r, "total"));
	run("k10", ",,3,2,2,2,2,2,2,2", &r);
	assert_true(is_null(&r, "total"));
}

static void
swemwbs_conversion_table(void **state)
{
	static const char *const ids[] = { "raw", "metric" };
	struct result	 r;

	(void)state;
	assert_scores("swemwbs", ids, 2);
	run("swemwbs", same(7, 1), &r);
	ASSERT_NEAR(val(&r, "raw"), 7, 0);
	ASSERT_NEAR(val(&r, "metric"), 7.00, 0);
	run("swemwbs", "3,3,3,3,3,3,2", &r);
	ASSERT_NEAR(val(&r, "raw"), 20, 0);
	ASSERT_NEAR(val(&r, "metric"), 18.59, 0);
	run("swemwbs", "4,4,4,3,3,3,3", &r);
	ASSERT_NEAR(val(&r, "metric"), 21.54, 0);
	run("swemwbs", same(7, 5), &r);
	ASSERT_NEAR(val(&r, "metric"), 35.00, 0);
	run("swemwbs", "5,5,5,5,5,5,", &r);
	assert_true(is_null(&r, "raw"));
	assert_true(is_null(&r, "metric"));
}

static void
wai_sr_subscales(void **state)
{
	static const char *const ids[] = { "total", "goal", "task", "bond" };
	struct result	 r;

	(void)state;
	assert_scores("wai-sr", ids, N(ids));
	assert_reversed("wai-sr", NULL, 0);
	/* Goal 4, 6, 8, 11 at 5; everything else 1. */
	run("wai-sr", "1,1,1,5,1,5,1,5,1,1,5,1", &r);
	ASSERT_NEAR(val(&r, "goal"), 20, 0);
	ASSERT_NEAR(val(&r, "task"), 4, 0);
	ASSERT_NEAR(val(&r, "bond"), 4, 0);
	ASSERT_NEAR(val(&r, "total"), 28, 0);
	/* Task 1, 2, 10, 12; bond 3, 5, 7, 9. */
	run("wai-sr", "5,5,3,1,3,1,3,1,3,5,1,5", &r);
	ASSERT_NEAR(val(&r, "task"), 20, 0);
	ASSERT_NEAR(val(&r, "bond"), 12, 0);
	ASSERT_NEAR(val(&r, "goal"), 4, 0);
}

static void
ders16_subscales(void **state)
{
	static const char *const ids[] = { "total", "nonacceptance", "goals",
	    "impulse", "strategies", "clarity" };
	struct result	 r;

	(void)state;
	assert_scores("ders16", ids, N(ids));
	assert_reversed("ders16", NULL, 0);
	/* Clarity 1-2 at 5, nonacceptance 9, 10, 13 at 4, rest 1. */
	run("ders16", "5,5,1,1,1,1,1,1,4,4,1,1,4,1,1,1", &r);
	ASSERT_NEAR(val(&r, "clarity"), 10, 0);
	ASSERT_NEAR(val(&r, "nonacceptance"), 12, 0);
	ASSERT_NEAR(val(&r, "goals"), 3, 0);
	ASSERT_NEAR(val(&r, "impulse"), 3, 0);
	ASSERT_NEAR(val(&r, "strategies"), 5, 0);
	ASSERT_NEAR(val(&r, "total"), 10 + 12 + 3 + 3 + 5, 0);
	/* Goals 3, 7, 15; impulse 4, 8, 11; strategies 5, 6, 12, 14, 16. */
	run("ders16", "1,1,5,3,2,2,5,3,1,1,3,2,1,2,5,2", &r);
	ASSERT_NEAR(val(&r, "goals"), 15, 0);
	ASSERT_NEAR(val(&r, "impulse"), 9, 0);
	ASSERT_NEAR(val(&r, "strategies"), 10, 0);
}

static void
permission_instruments_load_disabled(void **state)
{
	static const char *const need[] = { "ecr-r", "ecr", "ecr-rs",
	    "ecr-s", "rses", "swemwbs", "wai-sr", "ders16", "audit" };
	static const char *const freely[] = { "phq9", "gad7", "ace",
	    "core10", "k10", "pcl5", "who5" };
	size_t	 i;

	(void)state;
	assert_int_equal(test_reg.n, 16);
	for (i = 0; i < N(need); i++)
		assert_false(registry_find(&test_reg, need[i])->enabled);
	for (i = 0; i < N(freely); i++)
		assert_true(registry_find(&test_reg, freely[i])->enabled);
	/* Every instrument names its source, licence terms and citation. */
	for (i = 0; i < test_reg.n; i++) {
		assert_non_null(test_reg.v[i].in->citation);
		assert_non_null(test_reg.v[i].in->licence_terms);
		assert_true(test_reg.v[i].in->nsources > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phq9_total_bands_and_item9),
		cmocka_unit_test(phq9_gad7_loinc_codes),
		cmocka_unit_test(gad7_bands),
		cmocka_unit_test(ecr_r_keys),
		cmocka_unit_test(ecr_original_keys_differ_from_ecr_r),
		cmocka_unit_test(ecr_s_keys),
		cmocka_unit_test(ecr_rs_targets_and_global),
		cmocka_unit_test(rses_reversed_items_and_range),
		cmocka_unit_test(ace_count),
		cmocka_unit_test(core10_reversal_prorating_bands_item6),
		cmocka_unit_test(k10_bands_and_no_prorating),
		cmocka_unit_test(swemwbs_conversion_table),
		cmocka_unit_test(wai_sr_subscales),
		cmocka_unit_test(ders16_subscales),
		cmocka_unit_test(permission_instruments_load_disabled),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_plan.c - a plan's rules: specs refused with a reason, the latest
 * occurrence due (only the latest), calendar months clamped to the
 * month's last day, and the rule in words.
 */
#include "core/plan.h"
#include "test.h"

/* 2026-01-31T09:00:00Z, by `date -u -d 2026-01-31T09:00:00Z +%s`. */
#define JAN31	1769850000LL
#define DAY	86400LL

static void
specs_are_checked_with_a_reason(void **state)
{
	struct plan_rules	 p;
	char			 why[128];

	(void)state;
	assert_true(plan_parse(PLAN_DAYS, "14", &p, why, sizeof(why)));
	assert_int_equal(p.interval, 14);
	assert_false(plan_parse(PLAN_DAYS, "0", &p, why, sizeof(why)));
	ASSERT_CONTAINS(why, "1 to 365");
	assert_false(plan_parse(PLAN_DAYS, "2 weeks", &p, why, sizeof(why)));
	assert_true(plan_parse(PLAN_SESSIONS, "3, 6,9", &p, why, sizeof(why)));
	assert_int_equal(p.n, 3);
	assert_int_equal(p.list[2], 9);
	assert_false(plan_parse(PLAN_SESSIONS, "6,3", &p, why, sizeof(why)));
	ASSERT_CONTAINS(why, "must go up");
	assert_false(plan_parse(PLAN_SESSIONS, "3,,6", &p, why, sizeof(why)));
	assert_false(plan_parse(PLAN_MONTHS, "", &p, why, sizeof(why)));
	assert_false(plan_parse(PLAN_MONTHS, "0,121", &p, why, sizeof(why)));
	assert_true(plan_parse(PLAN_SESSIONS, "every", &p, why, sizeof(why)));
	assert_true(p.every);
}

static void
only_the_latest_occurrence_is_due(void **state)
{
	struct plan_rules	 p;
	char			 why[128];
	int64_t			 occ, due;

	(void)state;
	assert_true(plan_parse(PLAN_DAYS, "14", &p, why, sizeof(why)));
	assert_false(plan_latest(&p, JAN31, JAN31 - 1, 0, &occ, &due));
	assert_true(plan_latest(&p, JAN31, JAN31, 0, &occ, &due));
	assert_int_equal(occ, 0);
	/* 45 days on: the 3rd interval (day 42), not days 14 and 28. */
	assert_true(plan_latest(&p, JAN31, JAN31 + 45 * DAY, 0, &occ, &due));
	assert_int_equal(occ, 3);
	assert_int_equal(due, JAN31 + 42 * DAY);
	assert_true(plan_parse(PLAN_SESSIONS, "3,6,9", &p, why, sizeof(why)));
	assert_false(plan_latest(&p, JAN31, JAN31 + DAY, 2, &occ, &due));
	assert_true(plan_latest(&p, JAN31, JAN31 + DAY, 7, &occ, &due));
	assert_int_equal(occ, 6);
	assert_true(plan_parse(PLAN_MONTHS, "0,3,6", &p, why, sizeof(why)));
	assert_true(plan_latest(&p, JAN31, JAN31 + 100 * DAY, 0, &occ, &due));
	assert_int_equal(occ, 3);
	/* 2026-04-30T09:00:00Z: 31 January plus 3 months, clamped. */
	assert_int_equal(due, 1777539600LL);
}

static void
months_are_calendar_months_clamped(void **state)
{
	(void)state;
	/* 2026-02-28T09:00:00Z */
	assert_int_equal(plan_add_months(JAN31, 1), 1772269200LL);
	/* 2028-02-29T09:00:00Z: a leap year (24 months on, 29 Feb). */
	assert_int_equal(plan_add_months(JAN31, 25), 1835427600LL);
	/* 2027-01-31T09:00:00Z */
	assert_int_equal(plan_add_months(JAN31, 12), 1801386000LL);
}

static void
rules_read_as_words(void **state)
{
	struct plan_rules	 p;
	char			 why[128], w[128];

	(void)state;
	assert_true(plan_parse(PLAN_SESSIONS, "3,6,9", &p, why, sizeof(why)));
	plan_words(&p, w, sizeof(w));
	assert_string_equal(w, "after sessions 3, 6 and 9");
	assert_true(plan_parse(PLAN_MONTHS, "0,3,6", &p, why, sizeof(why)));
	plan_words(&p, w, sizeof(w));
	assert_string_equal(w, "at the start, then 3 and 6 months");
	assert_true(plan_parse(PLAN_DAYS, "14", &p, why, sizeof(why)));
	plan_words(&p, w, sizeof(w));
	assert_string_equal(w, "every 14 days");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(specs_are_checked_with_a_reason),
		cmocka_unit_test(only_the_latest_occurrence_is_due),
		cmocka_unit_test(months_are_calendar_months_clamped),
		cmocka_unit_test(rules_read_as_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_fhir_time.c - an imported FHIR dateTime is the moment it names:
 * the offset applied (across midnight, a leap day, a year's end), the
 * fraction dropped, a date alone its midnight UTC; anything R4 does not
 * allow is refused with a reason.  Expected moments from GNU date
 * (`date -u -d 2022-11-30T04:30:00Z +%s`), not from the code.
 */
#include "core/fhir.h"
#include "core/text.h"
#include "test.h"

static void
check(const char *in, const char *utc, const char *offset, int64_t when)
{
	char		 u[FHIR_TIME_LEN], o[8];
	const char	*why = NULL;
	int64_t		 t = 0;

	if (!fhir_datetime(in, u, o, &t, &why))
		fail_msg("%s refused: %s", in, why);
	assert_string_equal(u, utc);
	assert_string_equal(o, offset);
	assert_int_equal(t, when);
}

static void
refused(const char *in, const char *reason)
{
	char		 u[FHIR_TIME_LEN], o[8];
	const char	*why = NULL;
	int64_t		 t = 0;

	if (fhir_datetime(in, u, o, &t, &why))
		fail_msg("%s taken as %s", in, u);
	ASSERT_CONTAINS(why, reason);
}

static void
the_offset_moves_the_moment_to_utc(void **state)
{
	(void)state;
	/* The case: 23:30 at -05:00 is 04:30 UTC the next day. */
	check("2022-11-29T23:30:00-05:00", "2022-11-30T04:30:00Z", "-05:00",
	    1669782600);
	/* Back over a leap day. */
	check("2024-02-29T00:15:00+01:00", "2024-02-28T23:15:00Z", "+01:00",
	    1709162100);
	/* +14:00, R4's largest, back into the old year. */
	check("2024-01-01T05:00:00+14:00", "2023-12-31T15:00:00Z", "+14:00",
	    1704034800);
	/* US Core's own: a fraction and +00:00. */
	check("2022-11-29T20:50:32.718000+00:00", "2022-11-29T20:50:32Z",
	    "+00:00", 1669755032);
	check("2022-11-29T20:50:32Z", "2022-11-29T20:50:32Z", "Z", 1669755032);
	/* A date alone: its midnight, no offset to keep. */
	check("2021-03-04", "2021-03-04T00:00:00Z", "", 1614816000);
}

static void
what_r4_does_not_allow_is_refused(void **state)
{
	(void)state;
	refused("2022-11-29Txx:yy:zz+99", "not an R4 dateTime");
	refused("2022", "a year or a month only");
	refused("2022-11", "a year or a month only");
	/* R4: a time needs its zone. */
	refused("2022-11-29T10:00:00", "not an R4 dateTime");
	refused("2022-11-29T10:00Z", "not an R4 dateTime");
	refused("2022-13-01", "not a calendar date");
	refused("2022-02-29", "not a calendar date");
	refused("2022-11-29T24:00:00Z", "not a time of day");
	refused("2022-11-29T10:00:00+05:60", "offset");
	refused("2022-11-29T10:00:00-14:00", "offset");
	refused("2022-11-29T10:00:00.Z", "not an R4 dateTime");
	refused("", "not an R4 dateTime");
}

static void
seconds_print_as_utc(void **state)
{
	char	 out[FHIR_TIME_LEN];

	(void)state;
	assert_true(text_iso_from_seconds(-1, out, sizeof(out)));
	assert_string_equal(out, "1969-12-31T23:59:59Z");
	assert_true(text_iso_from_seconds(951868800, out, sizeof(out)));
	assert_string_equal(out, "2000-03-01T00:00:00Z");
	assert_true(text_iso_from_seconds(-5364662400LL, out, sizeof(out)));
	assert_string_equal(out, "1800-01-01T00:00:00Z");
	assert_false(text_iso_from_seconds(-5364662401LL, out, sizeof(out)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_offset_moves_the_moment_to_utc),
		cmocka_unit_test(what_r4_does_not_allow_is_refused),
		cmocka_unit_test(seconds_print_as_utc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

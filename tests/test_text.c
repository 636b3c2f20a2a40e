/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_text.c - strict number parsing, UTF-8 validation, number, JSON and
 * CSV output.
 */
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "test.h"

static void
utf8_validation(void **state)
{
	(void)state;
	assert_true(utf8_valid("plain", 5));
	assert_true(utf8_valid("Brähler — ok", strlen("Brähler — ok")));
	assert_true(utf8_valid("\xF0\x9F\x98\x80", 4));		/* emoji */
	assert_false(utf8_valid("\xC0\xAF", 2));		/* overlong / */
	assert_false(utf8_valid("\xE0\x80\xAF", 3));		/* overlong */
	assert_false(utf8_valid("\xED\xA0\x80", 3));		/* surrogate */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\xE2\x82", 2));		/* truncated */
	assert_false(utf8_valid("\x80", 1));			/* stray */
	assert_false(utf8_valid("\xFF", 1));
}

static void
strict_integers(void **state)
{
	long	 v;

	(void)state;
	assert_true(text_int("42", 2, &v));
	assert_int_equal(v, 42);
	assert_true(text_int("-7", 2, &v));
	assert_int_equal(v, -7);
	assert_true(text_int("-9223372036854775808", 20, &v));
	assert_true(v == LONG_MIN);
	assert_false(text_int("9223372036854775808", 19, &v));	/* overflow */
	assert_false(text_int("", 0, &v));
	assert_false(text_int("-", 1, &v));
	assert_false(text_int("+1", 2, &v));
	assert_false(text_int(" 1", 2, &v));
	assert_false(text_int("1.0", 3, &v));
	assert_false(text_int("0x10", 4, &v));
	assert_false(text_int("1e3", 3, &v));
	/* Reads only the length given: "12" of "123". */
	assert_true(text_int("123", 2, &v));
	assert_int_equal(v, 12);
}

static void
strict_decimals(void **state)
{
	double	 v;

	(void)state;
	assert_true(text_decimal("0.84", 4, &v));
	assert_true(v == 0.84);			/* exactly the double 0.84 */
	assert_true(text_decimal("15.4", 4, &v));
	assert_true(v == 15.4);
	assert_true(text_decimal("-2", 2, &v));
	assert_true(v == -2);
	assert_true(text_decimal(".5", 2, &v));
	assert_false(text_decimal(".", 1, &v));
	assert_false(text_decimal("1e5", 3, &v));
	assert_false(text_decimal("nan", 3, &v));
	assert_false(text_decimal("1.2.3", 5, &v));
	assert_false(text_decimal("1234567890123456", 16, &v));
}

static struct buf	 fmtbuf;

/* v formatted; valid until the next call (freed by the test). */
static const char *
fmt(double v, int d)
{
	buf_free(&fmtbuf);
	buf_init(&fmtbuf, 64);
	assert_int_equal(text_add_number(&fmtbuf, v, d), SB_OK);
	return fmtbuf.data;
}

static void
number_output(void **state)
{
	struct buf	 b;

	(void)state;
	assert_string_equal(fmt(12, 6), "12");
	assert_string_equal(fmt(0, 6), "0");
	assert_string_equal(fmt(30.0 / 18, 6), "1.666667");
	assert_string_equal(fmt(4.5, 6), "4.5");
	assert_string_equal(fmt(-3.214, 3), "-3.214");
	assert_string_equal(fmt(-0.0000001, 3), "0");
	assert_string_equal(fmt(14.444444, 2), "14.44");
	assert_string_equal(fmt(0.9995, 3), "1");
	buf_init(&b, 64);
	assert_int_equal(text_add_number(&b, NAN, 2), SB_EINVAL);
	assert_int_equal(text_add_number(&b, INFINITY, 2), SB_EINVAL);
	buf_free(&b);
	buf_free(&fmtbuf);
}

static void
csv_escaping(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 1024);
	text_add_csv_field(&b, "plain", 5);
	assert_string_equal(b.data, "plain");
	buf_reset(&b);
	text_add_csv_field(&b, "a,\"b\"", 5);
	assert_string_equal(b.data, "\"a,\"\"b\"\"\"");
	buf_reset(&b);
	/* A cell a spreadsheet would run as a formula is defused. */
	text_add_csv_field(&b, "=HYPERLINK(1)", 13);
	assert_string_equal(b.data, "\"'=HYPERLINK(1)\"");
	buf_reset(&b);
	text_add_csv_field(&b, "-12", 3);
	assert_string_equal(b.data, "-12");
	buf_free(&b);
}

static void
buffer_cap_is_sticky(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), SB_OK);
	assert_int_equal(buf_adds(&b, "9"), SB_ELIMIT);
	/* Later small appends fail too: no silently holed output. */
	assert_int_equal(buf_adds(&b, ""), SB_ELIMIT);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_free(&b);
}

static void
control_characters_and_trimming(void **state)
{
	const char	*s;
	size_t		 n;

	(void)state;
	assert_int_equal(text_control_at("Ada Example", 11, false), -1);
	/* The forged caseload row: a line break and a tab in a name. */
	assert_int_equal(text_control_at("Eve\n1\tAda", 9, false), 3);
	assert_int_equal(text_control_at("Eve\n1\tAda", 9, true), -1);
	assert_int_equal(text_control_at("a\x7f", 2, true), 1);
	assert_int_equal(text_control_at("a\x1b[31m", 6, true), 1);
	/* C1: U+0085 (NEL) is C2 85; U+00A0 (C2 A0) is a space, allowed. */
	assert_int_equal(text_control_at("ab\xc2\x85", 4, true), 2);
	assert_int_equal(text_control_at("a\xc2\xa0" "b", 4, false), -1);
	/* Right-to-left and CJK text is text. */
	assert_int_equal(text_control_at("\xd7\xa9\xd7\xa8\xd7\x94", 6,
	    false), -1);
	s = "  Zoe Example  ";
	n = strlen(s);
	text_trim(&s, &n);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "Zoe Example", 11);
	s = "   ";
	n = 3;
	text_trim(&s, &n);
	assert_int_equal(n, 0);
}

/*
 * Moments in words, in the time zone of the machine: here set to New
 * York without summer time (POSIX "EST5", no time zone files needed) so that a UTC time and its local day differ.
 * 1764374400 is 2025-11-29T00:00:00Z (date -u -d @1764374400), which is
 * 28 Nov 19:00 in New York.
 */
static void
moments_in_words(void **state)
{
	char	 w[32];
	int64_t	 now = 1764374400 + 15 * 3600;	/* 29 Nov 10:00 local */

	(void)state;
	assert_int_equal(setenv("TZ", "EST5", 1), 0);
	tzset();
	text_when(now - 3600, now, w, sizeof(w));
	assert_string_equal(w, "today 09:00");
	text_when(1764374400, now, w, sizeof(w));
	assert_string_equal(w, "yesterday 19:00");
	text_when(now + 86400, now, w, sizeof(w));
	assert_string_equal(w, "tomorrow 10:00");
	text_when(now - 5 * 86400, now, w, sizeof(w));
	assert_string_equal(w, "24 Nov");
	text_when(now - 365 * 86400, now, w, sizeof(w));
	assert_string_equal(w, "29 Nov 2024");
	/* Stored UTC times: 2025-11-29T02:30:00Z is 28 Nov 21:30 here. */
	assert_true(text_when_iso("2025-11-29T02:30:00Z", now, w, sizeof(w)));
	assert_string_equal(w, "yesterday 21:30");
	assert_true(text_when_iso("2025-11-29T14:05:00Z", now, w, sizeof(w)));
	assert_string_equal(w, "today 09:05");
	/* A date has no hour and no zone. */
	assert_true(text_when_iso("2025-11-29", now, w, sizeof(w)));
	assert_string_equal(w, "today");
	assert_true(text_when_iso("2025-03-03", now, w, sizeof(w)));
	assert_string_equal(w, "3 Mar");
	assert_true(text_when_iso("1996-02-29", now, w, sizeof(w)));
	assert_string_equal(w, "29 Feb 1996");
	/* Anything else is not a moment: the caller shows it as it is. */
	assert_false(text_when_iso("2025-11-29T25:00:00Z", now, w, sizeof(w)));
	assert_false(text_when_iso("2025-13-01", now, w, sizeof(w)));
	assert_false(text_when_iso("29/11/2025", now, w, sizeof(w)));
	assert_false(text_when_iso("", now, w, sizeof(w)));
	assert_false(text_when_iso(NULL, now, w, sizeof(w)));
}

/* Stored times as Unix seconds; expected values from date(1):
 * date -u -d 2000-03-01 +%s, date -u -d 1969-12-31 +%s. */
static void
stored_times_as_seconds(void **state)
{
	int64_t	 t;

	(void)state;
	assert_true(text_iso_seconds("2025-11-29T00:00:00Z", &t));
	assert_int_equal(t, 1764374400);
	assert_true(text_iso_seconds("2000-03-01", &t));
	assert_int_equal(t, 951868800);
	assert_true(text_iso_seconds("1969-12-31", &t));
	assert_int_equal(t, -86400);
	assert_true(text_iso_seconds("2025-11-29T14:05:09Z", &t));
	assert_int_equal(t, 1764374400 + 14 * 3600 + 5 * 60 + 9);
	assert_false(text_iso_seconds("2025-11-29 14:05:09", &t));
	/* Days the calendar does not have. */
	assert_false(text_iso_seconds("2026-02-30", &t));
	assert_false(text_iso_seconds("2025-02-29", &t));
	assert_false(text_iso_seconds("1900-02-29", &t));
	assert_false(text_iso_seconds("2026-04-31", &t));
	assert_true(text_iso_seconds("2024-02-29", &t));
	assert_true(text_iso_seconds("2000-02-29", &t));
	assert_int_equal(t, 951782400);		/* date -u -d 2000-02-29 +%s */
}

/* User names: one alphabet, precomposed letters, no spaces. */
static void
user_names_of_one_alphabet(void **state)
{
	const char	*why;

	(void)state;
	assert_true(text_user_name_ok("anna", 64, &why));
	assert_true(text_user_name_ok("dr.m-jones_2@practice", 64, &why));
	assert_true(text_user_name_ok("\xc3\xa9milie", 64, &why));	/* émilie */
	assert_true(text_user_name_ok("\xc5\x81ukasz", 64, &why));	/* Łukasz */
	assert_true(text_user_name_ok("\xd0\xb0\xd0\xbd\xd0\xbd\xd0\xb0",
	    64, &why));					/* анна, Cyrillic */
	assert_true(text_user_name_ok("\xce\xb5\xce\xbb\xce\xad\xce\xbd\xce"
	    "\xb7", 64, &why));				/* ελένη */
	/* A Cyrillic а (U+0430) among Latin letters: looks like "anna". */
	assert_false(text_user_name_ok("\xd0\xb0nna", 64, &why));
	assert_non_null(strstr(why, "one alphabet"));
	/* e and a combining acute (U+0301): the decomposed form. */
	assert_false(text_user_name_ok("e\xcc\x81milie", 64, &why));
	assert_non_null(strstr(why, "one character"));
	assert_false(text_user_name_ok("anna smith", 64, &why));
	assert_false(text_user_name_ok("", 64, &why));
	assert_false(text_user_name_ok("anna\x7f", 64, &why));
	assert_false(text_user_name_ok("\xc3", 64, &why));	/* cut short */
	assert_false(text_user_name_ok("\xe2\x80\x8b" "anna", 64, &why));
	assert_false(text_user_name_ok("aaaaa", 4, &why));
	assert_true(text_user_name_ok("aaaa", 4, &why));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(strict_integers),
		cmocka_unit_test(strict_decimals),
		cmocka_unit_test(number_output),
		cmocka_unit_test(csv_escaping),
		cmocka_unit_test(buffer_cap_is_sticky),
		cmocka_unit_test(control_characters_and_trimming),
		cmocka_unit_test(moments_in_words),
		cmocka_unit_test(stored_times_as_seconds),
		cmocka_unit_test(user_names_of_one_alphabet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

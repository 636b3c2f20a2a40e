/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_sms.c - counting a text message as the network does (3GPP TS
 * 23.038 for the alphabets, TS 23.040 for the parts): 160 septets or 70
 * UCS-2 units in one segment, 153 or 67 per part when split, the
 * extension table's characters two septets each, and one character
 * outside the default alphabet making the whole message UCS-2.  The
 * expected numbers are worked by hand from those limits.
 */
#include <string.h>

#include "core/sms.h"
#include "test.h"

/* n copies of the UTF-8 character c into out. */
static const char *
repeat(char *out, size_t outsz, const char *c, size_t n)
{
	size_t	 k = strlen(c), i;

	assert_true(n * k < outsz);
	for (i = 0; i < n; i++)
		memcpy(out + i * k, c, k);
	out[n * k] = '\0';
	return out;
}

static void
gsm7_fits_160_then_parts_of_153(void **state)
{
	struct sms_count	 n;
	char			 t[2048];

	(void)state;
	assert_true(sms_count(repeat(t, sizeof(t), "a", 160), &n));
	assert_false(n.ucs2);
	assert_int_equal(n.units, 160);
	assert_int_equal(n.segments, 1);
	assert_true(sms_count(repeat(t, sizeof(t), "a", 161), &n));
	assert_int_equal(n.segments, 2);
	assert_true(sms_count(repeat(t, sizeof(t), "a", 306), &n));
	assert_int_equal(n.segments, 2);
	assert_true(sms_count(repeat(t, sizeof(t), "a", 307), &n));
	assert_int_equal(n.segments, 3);
	assert_true(sms_count("", &n));
	assert_int_equal(n.segments, 0);
}

static void
extension_characters_take_two_septets(void **state)
{
	struct sms_count	 n;
	char			 t[2048];

	(void)state;
	/* 80 euro signs: 160 septets, one segment; 81: two. */
	assert_true(sms_count(repeat(t, sizeof(t), "\xe2\x82\xac", 80), &n));
	assert_false(n.ucs2);
	assert_int_equal(n.units, 160);
	assert_int_equal(n.segments, 1);
	assert_true(sms_count(repeat(t, sizeof(t), "\xe2\x82\xac", 81), &n));
	assert_int_equal(n.segments, 2);
	assert_true(sms_count("[x]{y}~|^\\", &n));
	assert_false(n.ucs2);
	assert_int_equal(n.units, 18);	/* 8 extensions x 2 + x y */
}

static void
one_character_outside_gsm7_makes_it_ucs2(void **state)
{
	struct sms_count	 n;
	char			 t[2048];

	(void)state;
	/* e-acute and a-grave are in the default alphabet; c-cedilla
	 * (lower case) and the backtick are not. */
	assert_true(sms_count("caf\xc3\xa9 \xc3\xa0 la carte @ \xc2\xa3" "5", &n));
	assert_false(n.ucs2);
	assert_true(sms_count("gar\xc3\xa7on", &n));
	assert_true(n.ucs2);
	assert_int_equal(n.units, 6);
	assert_true(sms_count("`", &n));
	assert_true(n.ucs2);
	/* UCS-2: 70 units in one, 71 in two, 134 in two, 135 in three. */
	assert_true(sms_count(repeat(t, sizeof(t), "\xc3\xa7", 70), &n));
	assert_int_equal(n.segments, 1);
	assert_true(sms_count(repeat(t, sizeof(t), "\xc3\xa7", 71), &n));
	assert_int_equal(n.segments, 2);
	assert_true(sms_count(repeat(t, sizeof(t), "\xc3\xa7", 134), &n));
	assert_int_equal(n.segments, 2);
	assert_true(sms_count(repeat(t, sizeof(t), "\xc3\xa7", 135), &n));
	assert_int_equal(n.segments, 3);
	/* A character beyond the BMP is two UTF-16 units. */
	assert_true(sms_count("\xf0\x9f\x99\x82", &n));
	assert_int_equal(n.units, 2);
}

static void
invalid_utf8_is_refused(void **state)
{
	struct sms_count	 n;

	(void)state;
	assert_false(sms_count("\xc3", &n));
	assert_false(sms_count("\xc0\xaf", &n));	/* overlong */
	assert_false(sms_count("\xed\xa0\x80", &n));	/* a surrogate */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gsm7_fits_160_then_parts_of_153),
		cmocka_unit_test(extension_characters_take_two_septets),
		cmocka_unit_test(one_character_outside_gsm7_makes_it_ucs2),
		cmocka_unit_test(invalid_utf8_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

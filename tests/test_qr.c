/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_qr.c - the QR codes' structure and limits (libqrencode makes
 * them; these are what the pages rely on).  That real readers
 * decode its output is checked in tests/web/run.sh with zbar.
 */
#include "core/qr.h"
#include "test.h"

static void
finder_patterns_and_timing(void **state)
{
	struct qr	 q;
	int		 i, n;

	(void)state;
	assert_int_equal(qr_encode("hello", 5, &q), SB_OK);
	assert_int_equal(q.version, 1);
	n = q.size;
	assert_int_equal(n, 21);
	/* The three finders: dark ring, light ring, dark 3x3 core. */
	for (i = 0; i < 7; i++) {
		assert_int_equal(q.m[0][i], 1);
		assert_int_equal(q.m[6][i], 1);
		assert_int_equal(q.m[0][n - 1 - i], 1);
		assert_int_equal(q.m[n - 1][i], 1);
	}
	assert_int_equal(q.m[1][1], 0);
	assert_int_equal(q.m[3][3], 1);
	assert_int_equal(q.m[7][7], 0);		/* separator */
	/* Timing patterns alternate, dark on even positions. */
	for (i = 8; i < n - 8; i++) {
		assert_int_equal(q.m[6][i], i % 2 == 0);
		assert_int_equal(q.m[i][6], i % 2 == 0);
	}
	assert_int_equal(q.m[n - 8][8], 1);	/* the dark module */
}

static void
versions_grow_with_the_data_and_stop_at_ten(void **state)
{
	char		 data[300];
	struct qr	 q;
	int		 len, last = 0;

	(void)state;
	memset(data, 'a', sizeof(data));
	for (len = 1; len <= 213; len++) {
		assert_int_equal(qr_encode(data, (size_t)len, &q), SB_OK);
		assert_true(q.version >= last);
		assert_int_equal(q.size, 17 + 4 * q.version);
		last = q.version;
	}
	assert_int_equal(last, 10);
	assert_int_equal(qr_encode(data, 214, &q), SB_ELIMIT);
	/* 14 bytes fill version 1-M exactly; 15 need version 2. */
	assert_int_equal(qr_encode(data, 14, &q), SB_OK);
	assert_int_equal(q.version, 1);
	assert_int_equal(qr_encode(data, 15, &q), SB_OK);
	assert_int_equal(q.version, 2);
}

static void
format_information_is_consistent(void **state)
{
	struct qr	 q;
	int		 i, a = 0, b = 0, n;

	(void)state;
	assert_int_equal(qr_encode("securebase", 10, &q), SB_OK);
	n = q.size;
	/* Both copies of the 15 format bits agree. */
	for (i = 0; i <= 5; i++)
		a |= q.m[i][8] << i;
	a |= q.m[7][8] << 6 | q.m[8][8] << 7 | q.m[8][7] << 8;
	for (i = 9; i < 15; i++)
		a |= q.m[8][14 - i] << i;
	for (i = 0; i < 8; i++)
		b |= q.m[8][n - 1 - i] << i;
	for (i = 8; i < 15; i++)
		b |= q.m[n - 15 + i][8] << i;
	assert_int_equal(a, b);
	/* Level M: the two level bits, unmasked (ISO/IEC 18004 7.9.1),
	 * are 00. */
	assert_int_equal(((a ^ 0x5412) >> 13) & 0x3, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finder_patterns_and_timing),
		cmocka_unit_test(versions_grow_with_the_data_and_stop_at_ten),
		cmocka_unit_test(format_information_is_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

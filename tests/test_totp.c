/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_totp.c - SHA-1, HMAC-SHA-1, HOTP and TOTP give the published test
 * vectors (FIPS 180-4 examples, RFC 2202, RFC 4226 appendix D, RFC 6238
 * appendix B), and a code works in its window only.
 */
#include "core/totp.h"
#include "test.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static void
sha1_vectors(void **state)
{
	unsigned char	 d[20];
	char		 h[41];
	static char	 million[1000000];

	(void)state;
	sha1("abc", 3, d);
	hex(d, 20, h);
	assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex(d, 20, h);
	assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(million, 'a', sizeof(million));
	sha1(million, sizeof(million), d);
	hex(d, 20, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	sha1("", 0, d);
	hex(d, 20, h);
	assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void
hmac_vectors(void **state)
{
	unsigned char	 key[80], d[20];
	char		 h[41];

	(void)state;
	memset(key, 0x0b, 20);
	hmac_sha1(key, 20, "Hi There", 8, d);
	hex(d, 20, h);
	assert_string_equal(h, "b617318655057264e28bc0b6fb378c8ef146be00");
	hmac_sha1((const unsigned char *)"Jefe", 4,
	    "what do ya want for nothing?", 28, d);
	hex(d, 20, h);
	assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	/* A key longer than a block is hashed first (RFC 2202 case 6). */
	memset(key, 0xaa, 80);
	hmac_sha1(key, 80, "Test Using Larger Than Block-Size Key - Hash Key "
	    "First", 54, d);
	hex(d, 20, h);
	assert_string_equal(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static void
hotp_and_totp_vectors(void **state)
{
	const unsigned char	*key = (const unsigned char *)
	    "12345678901234567890";
	static const uint32_t	 rfc4226[] = { 755224, 287082, 359152, 969429,
	    338314, 254676, 287922, 162583, 399871, 520489 };
	static const struct {
		int64_t		 t;
		uint32_t	 code;
	} rfc6238[] = {
		{ 59, 94287082 }, { 1111111109, 7081804 },
		{ 1111111111, 14050471 }, { 1234567890, 89005924 },
		{ 2000000000, 69279037 }, { 20000000000, 65353130 },
	};
	size_t			 i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(hotp(key, 20, i, 6), rfc4226[i]);
	for (i = 0; i < 6; i++)
		assert_int_equal(hotp(key, 20, (uint64_t)(rfc6238[i].t / 30), 8),
		    rfc6238[i].code);
}

static void
a_code_works_in_its_window_only(void **state)
{
	const unsigned char	*key = (const unsigned char *)
	    "12345678901234567890";
	char			 code[8];
	int64_t			 step, now = 1234567890;

	(void)state;
	snprintf(code, sizeof(code), "%06u", hotp(key, 20, (uint64_t)(now /
	    30), 6));
	assert_true(totp_check(key, 20, code, now, &step));
	assert_int_equal(step, now / 30);
	assert_true(totp_check(key, 20, code, now + 30, &step));	/* drift */
	assert_false(totp_check(key, 20, code, now + 90, &step));
	assert_false(totp_check(key, 20, "12345", now, &step));
	assert_false(totp_check(key, 20, "12345a", now, &step));
	assert_false(totp_check(key, 20, NULL, now, &step));
}

static void
base32_as_authenticators_read_it(void **state)
{
	char	 out[TOTP_BASE32_LEN];

	(void)state;
	base32_encode((const unsigned char *)"12345678901234567890", 20, out,
	    sizeof(out));
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	base32_encode((const unsigned char *)"foobar", 6, out, sizeof(out));
	assert_string_equal(out, "MZXW6YTBOI");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha1_vectors),
		cmocka_unit_test(hmac_vectors),
		cmocka_unit_test(hotp_and_totp_vectors),
		cmocka_unit_test(a_code_works_in_its_window_only),
		cmocka_unit_test(base32_as_authenticators_read_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * totp.c - HOTP and TOTP over Nettle's SHA-1 and HMAC-SHA-1 (Debian's
 * libnettle8).  See totp.h.
 */
#include <string.h>

#include <nettle/hmac.h>
#include <nettle/sha1.h>

#include "core/buf.h"
#include "core/totp.h"

void
sha1(const void *data, size_t n, unsigned char out[20])
{
	struct sha1_ctx	 c;

	sha1_init(&c);
	sha1_update(&c, n, data);
	sha1_digest(&c, SHA1_DIGEST_SIZE, out);
	mem_wipe(&c, sizeof(c));
}

void
hmac_sha1(const unsigned char *key, size_t klen, const void *msg, size_t n,
    unsigned char out[20])
{
	struct hmac_sha1_ctx	 c;

	hmac_sha1_set_key(&c, klen, key);
	hmac_sha1_update(&c, n, msg);
	hmac_sha1_digest(&c, SHA1_DIGEST_SIZE, out);
	/* The context holds the key's inner and outer pads. */
	mem_wipe(&c, sizeof(c));
}

uint32_t
hotp(const unsigned char *key, size_t klen, uint64_t counter, int digits)
{
	unsigned char	 msg[8], mac[20];
	uint32_t	 v, mod = 1;
	int		 i, off;

	for (i = 0; i < 8; i++)
		msg[7 - i] = (unsigned char)(counter >> (8 * i));
	hmac_sha1(key, klen, msg, sizeof(msg), mac);
	/* Dynamic truncation (RFC 4226, 5.3). */
	off = mac[19] & 0x0f;
	v = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] <<
	    16) | ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	for (i = 0; i < digits; i++)
		mod *= 10;
	mem_wipe(mac, sizeof(mac));
	return v % mod;
}

bool
totp_check(const unsigned char *key, size_t klen, const char *code,
    int64_t now, int64_t *step)
{
	uint32_t	 want = 0, got;
	int64_t		 t = now / TOTP_STEP, d;
	int		 i;
	bool		 match = false;

	if (code == NULL || strlen(code) != TOTP_DIGITS)
		return false;
	for (i = 0; i < TOTP_DIGITS; i++) {
		if (code[i] < '0' || code[i] > '9')
			return false;
		want = want * 10 + (uint32_t)(code[i] - '0');
	}
	/* Every window is computed, so the time taken says nothing. */
	for (d = -1; d <= 1; d++) {
		got = hotp(key, klen, (uint64_t)(t + d), TOTP_DIGITS);
		if (got == want && !match) {
			match = true;
			*step = t + d;
		}
	}
	return match;
}

void
base32_encode(const unsigned char *p, size_t n, char *out, size_t outsz)
{
	static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t		 i, o = 0;
	unsigned	 acc = 0;
	int		 bits = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5 && o + 1 < outsz) {
			out[o++] = alpha[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0 && o + 1 < outsz)
		out[o++] = alpha[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

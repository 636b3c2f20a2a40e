/*
 * totp.c - SHA-1, HMAC-SHA-1, HOTP and TOTP.  See totp.h.
 */
#include <string.h>

#include "core/buf.h"
#include "core/totp.h"

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

/* One 64-byte block into the state (FIPS 180-4, 6.1.2). */
static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t	 w[80], a, b, c, d, e, f, k, t;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
	mem_wipe(w, sizeof(w));
}

void
sha1(const void *data, size_t n, unsigned char out[20])
{
	uint32_t		 h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE,
				    0x10325476, 0xC3D2E1F0 };
	const unsigned char	*p = data;
	unsigned char		 last[128];
	uint64_t		 bits = (uint64_t)n * 8;
	size_t			 rest, pad, i;

	for (; n >= 64; n -= 64, p += 64)
		sha1_block(h, p);
	/* The tail, a 1 bit, zeros, and the length in bits. */
	rest = n;
	memcpy(last, p, rest);
	last[rest] = 0x80;
	pad = rest < 56 ? 64 : 128;
	memset(last + rest + 1, 0, pad - rest - 1);
	for (i = 0; i < 8; i++)
		last[pad - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha1_block(h, last);
	if (pad == 128)
		sha1_block(h, last + 64);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
	mem_wipe(last, sizeof(last));
}

void
hmac_sha1(const unsigned char *key, size_t klen, const void *msg, size_t n,
    unsigned char out[20])
{
	unsigned char	 k[64], inner[20], buf[64 + HMAC_MSG_MAX];
	size_t		 i;

	memset(k, 0, sizeof(k));
	if (klen > 64)
		sha1(key, klen, k);
	else
		memcpy(k, key, klen);
	if (n > HMAC_MSG_MAX)
		n = HMAC_MSG_MAX;	/* documented limit; callers pass 8 */
	/* H(K ^ opad, H(K ^ ipad, msg)). */
	for (i = 0; i < 64; i++)
		buf[i] = k[i] ^ 0x36;
	memcpy(buf + 64, msg, n);
	sha1(buf, 64 + n, inner);
	for (i = 0; i < 64; i++)
		buf[i] = k[i] ^ 0x5c;
	memcpy(buf + 64, inner, 20);
	sha1(buf, 64 + 20, out);
	mem_wipe(k, sizeof(k));
	mem_wipe(buf, sizeof(buf));
	mem_wipe(inner, sizeof(inner));
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

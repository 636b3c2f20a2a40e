/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * totp.h - time-based one-time passwords (RFC 6238) for the optional
 * second factor at login: HMAC-SHA-1 (RFC 2104) over a 30-second counter,
 * truncated to 6 digits (RFC 4226), the form every authenticator app
 * reads.  SHA-1 and HMAC are Nettle's (libsodium has no SHA-1); in HMAC
 * SHA-1 is still sound for this use (RFC 6238, section 5).  Pure: no
 * I/O, no clock (the caller gives the time).
 */
#ifndef SB_TOTP_H
#define SB_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES	20
#define TOTP_STEP		30	/* seconds */
#define TOTP_DIGITS		6
#define TOTP_BASE32_LEN		33	/* 20 bytes in base32, and a NUL */
void		 sha1(const void *, size_t, unsigned char out[20]);
void		 hmac_sha1(const unsigned char *key, size_t klen,
		    const void *msg, size_t n, unsigned char out[20]);
/* The HOTP value of counter, digits long (6-8). */
uint32_t	 hotp(const unsigned char *key, size_t klen, uint64_t counter,
		    int digits);
/*
 * Does code (exactly TOTP_DIGITS digits) match the step of now, or the one
 * before or after (clocks drift)?  *step is the step it matched; a caller
 * refuses steps at or before the last one used, so no code works twice.
 */
bool		 totp_check(const unsigned char *key, size_t klen,
		    const char *code, int64_t now, int64_t *step);
/* RFC 4648 base32 without padding, as otpauth:// URIs carry secrets. */
void		 base32_encode(const unsigned char *, size_t, char *out,
		    size_t outsz);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * text.h - small, strict text helpers shared by every parser.
 *
 * The atoi family is banned because they cannot report "this was not a
 * number" or "this overflowed"; these do, and they never read past the
 * length they are given (inputs are not NUL-terminated in the CSV reader).
 */
#ifndef SB_TEXT_H
#define SB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
bool	 utf8_valid(const char *s, size_t n);

/*
 * The offset of the first control character in s[0..n) (C0, DEL, or C1
 * U+0080-U+009F), or -1 when there is none; with lines, line breaks and
 * tabs are allowed (a note, a narrative).  A control character in a name
 * can forge rows and lines wherever the name is shown.
 */
long	 text_control_at(const char *s, size_t n, bool lines);
/*
 * The byte offset of the first bidirectional control (U+202A-U+202E,
 * U+2066-U+2069) left unpaired, or -1: an override or isolate never
 * closed reorders whatever is shown after the text (a caseload line, a
 * map title), and a closing one with nothing open is no text's.
 */
long	 text_bidi_unpaired(const char *s, size_t n);
/* Appends s for a terminal or a column: controls as \xNN (C1 as
 * \u00NN), the rest as it is. */
void	 text_add_shown(struct buf *, const char *s);
/* Narrows *s, *n to leave out ASCII spaces at both ends. */
void	 text_trim(const char **s, size_t *n);

/*
 * Parses an optionally signed decimal integer filling all of s[0..n)
 * (no spaces, no '+'), into *out.  False on anything else or overflow of
 * a long.
 */
bool	 text_int(const char *s, size_t n, long *out);

/*
 * Parses a plain decimal number ("-12", "0.84", "15.4") filling all of
 * s[0..n), no exponent, no spaces.  False on anything else.
 */
bool	 text_decimal(const char *s, size_t n, double *out);

/*
 * Appends v to b in the shortest decimal form that rounds to v at the given
 * number of decimals (trailing zeros trimmed, "12" not "12.000000").
 */
enum sb_err	 text_add_number(struct buf *b, double v, int decimals);

/* Appends s percent-encoded for an address (RFC 3986: the unreserved
 * characters as they are, every other byte as %XX); sticky, as buf_add. */
void		 text_add_percent(struct buf *b, const char *s);
/* Appends s[0..n) as one CSV field, quoted only when it must be. */
enum sb_err	 text_add_csv_field(struct buf *b, const char *s, size_t n);

/* ASCII case-insensitive equality of s[0..n) and the C string t. */
bool	 text_eq_nocase(const char *s, size_t n, const char *t);

/* YYYY, YYYY-MM or YYYY-MM-DD: a real calendar date in 1800-2200. */
bool		 text_date_ok(const char *);

/*
 * A moment in plain words in the machine's time zone (serve's TZ, the
 * practice's), as seen at now: "today 14:05", "yesterday 09:10",
 * "tomorrow 08:00", "3 Nov" (this year), "3 Nov 2025".  out gets at
 * least 24 bytes.
 */
void	 text_when(int64_t t, int64_t now, char *out, size_t n);
/*
 * The same for a stored time, "YYYY-MM-DDTHH:MM:SSZ" (UTC), or a
 * calendar date, "YYYY-MM-DD" (no hour: "today", "3 Nov").  False, out
 * untouched, when s is neither.
 */
bool	 text_when_iso(const char *s, int64_t now, char *out, size_t n);
/* The day of s (a date or a stored time) as a chart's axis says it:
 * "9 Jun", or "9 Jun 2025" when its year is not that of ref (a date or a
 * stored time; NULL: the year always).  False, out untouched, when s is
 * no date. */
bool	 text_day_short(const char *s, const char *ref, char *out,
	    size_t n);
/* A stored time or date (as above; a date is its midnight UTC) as Unix
 * seconds; false when s is neither. */
bool	 text_iso_seconds(const char *s, int64_t *out);
/* Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" (n >= 21); false outside
 * years 1800-2200. */
bool	 text_iso_from_seconds(int64_t t, char *out, size_t n);

/*
 * Is s a user name: 1 to max bytes of letters of one script (Latin,
 * Greek or Cyrillic), digits and ASCII signs (. - _ @ ...), no spaces or
 * control characters, each letter typed as one
 * character (precomposed, as keyboards give it: NFC for these scripts)?
 * One script, so that a name cannot pass for another with a look-alike
 * letter from a second script (UTS #39's "highly restrictive" level).
 * *why says what is wrong, in words for the person typing it.
 */
bool	 text_user_name_ok(const char *s, size_t max, const char **why);
#endif

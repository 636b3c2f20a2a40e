/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * text.c - strict text helpers.  See text.h.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "text.h"

bool
utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k, need;
	uint32_t		 cp, min;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xE0) == 0xC0) {
			need = 1; cp = p[i] & 0x1F; min = 0x80;
		} else if ((p[i] & 0xF0) == 0xE0) {
			need = 2; cp = p[i] & 0x0F; min = 0x800;
		} else if ((p[i] & 0xF8) == 0xF0) {
			need = 3; cp = p[i] & 0x07; min = 0x10000;
		} else
			return false;
		if (n - i <= need)
			return false;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		/* Overlong forms, UTF-16 surrogates and > U+10FFFF are all
		 * ways to smuggle bytes past later checks. */
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}

long
text_control_at(const char *s, size_t n, bool lines)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			if (lines && (p[i] == '\n' || p[i] == '\r' ||
			    p[i] == '\t'))
				continue;
			return (long)i;
		}
		/* U+0080-U+009F are C2 80 - C2 9F in UTF-8. */
		if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F)
			return (long)i;
	}
	return -1;
}

long
text_bidi_unpaired(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, embed = 0, isolate = 0;
	long			 first = -1;

	/* U+202A-U+202E are E2 80 AA-AE; U+2066-U+2069 are E2 81 A6-A9.
	 * An embedding or override (LRE RLE LRO RLO) ends with PDF
	 * (U+202C), an isolate (LRI RLI FSI) with PDI (U+2069). */
	for (i = 0; i + 2 < n; i++) {
		if (p[i] != 0xE2)
			continue;
		if (p[i + 1] == 0x80 && p[i + 2] >= 0xAA && p[i + 2] <= 0xAE) {
			if (p[i + 2] == 0xAC) {
				if (embed == 0)
					return (long)i;
				if (--embed == 0 && isolate == 0)
					first = -1;
			} else if (embed++ == 0 && first < 0)
				first = (long)i;
		} else if (p[i + 1] == 0x81 && p[i + 2] >= 0xA6 &&
		    p[i + 2] <= 0xA9) {
			if (p[i + 2] == 0xA9) {
				if (isolate == 0)
					return (long)i;
				if (--isolate == 0 && embed == 0)
					first = -1;
			} else if (isolate++ == 0 && first < 0)
				first = (long)i;
		}
	}
	return embed + isolate > 0 ? first : -1;
}

void
text_add_shown(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n = s ? strlen(s) : 0;

	/* For a terminal: what could move the cursor, ring, retitle the
	 * window (ESC, BEL, OSC) or break a column is shown as \xNN. */
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			buf_printf(b, "\\x%02x", p[i]);
		else if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F) {
			buf_printf(b, "\\u%04x", p[i + 1]);
			i++;
		} else
			buf_addc(b, (char)p[i]);
	}
}

void
text_trim(const char **s, size_t *n)
{
	while (*n > 0 && (*s)[0] == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] == ' ')
		(*n)--;
}

bool
text_int(const char *s, size_t n, long *out)
{
	size_t	 i = 0;
	bool	 neg = false;
	long	 v = 0;
	int	 d;

	if (n > 0 && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		d = s[i] - '0';
		/* Accumulate negatively so LONG_MIN parses too. */
		if (v < (LONG_MIN + d) / 10)
			return false;
		v = v * 10 - d;
	}
	if (!neg) {
		if (v == LONG_MIN)
			return false;
		v = -v;
	}
	*out = v;
	return true;
}

bool
text_decimal(const char *s, size_t n, double *out)
{
	static const double	 pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5,
	    1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	size_t			 i = 0, digits = 0, frac = 0;
	bool			 neg = false;
	unsigned long long	 mant = 0;

	if (n > 0 && s[0] == '-') {
		neg = true;
		i = 1;
	}
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
		mant = mant * 10 + (unsigned)(s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, frac++)
			mant = mant * 10 + (unsigned)(s[i] - '0');
	/*
	 * At most 15 significant digits: the mantissa and the power of ten
	 * are then both exact doubles and one division rounds correctly, so
	 * "0.84" in a file is exactly the double 0.84 a reader expects.
	 */
	if (i != n || digits + frac == 0 || digits + frac > 15)
		return false;
	*out = (double)mant / pow10[frac];
	if (neg)
		*out = -*out;
	return true;
}

enum sb_err
text_add_number(struct buf *b, double v, int decimals)
{
	char		 tmp[64], digits[24];
	double		 scale = 1.0, r;
	unsigned long long q, ip, fp;
	int		 i, n = 0, len;
	bool		 neg;

	if (!isfinite(v) || fabs(v) > 1e15 || decimals < 0 || decimals > 9)
		return SB_EINVAL;
	/* Whole numbers (row numbers, sums) skip the fraction arithmetic. */
	if (v == (double)(long long)v)
		decimals = 0;
	for (i = 0; i < decimals; i++)
		scale *= 10.0;
	neg = v < 0;
	r = floor(fabs(v) * scale + 0.5);
	q = (unsigned long long)r;
	/* A constant divisor compiles to a multiplication; scores are
	 * written with 6 decimals in bulk, so that case gets its own. */
	if (decimals == 6) {
		ip = q / 1000000ULL;
		fp = q % 1000000ULL;
	} else {
		ip = q / (unsigned long long)scale;
		fp = q % (unsigned long long)scale;
	}
	if (neg && q != 0)
		tmp[n++] = '-';
	/* Digits of the integer part, written backwards then reversed;
	 * snprintf() here was a fifth of the time of batch scoring. */
	len = 0;
	do {
		digits[len++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	while (len > 0)
		tmp[n++] = digits[--len];
	if (fp != 0) {
		/* Fixed-width fraction, then drop trailing zeros. */
		tmp[n++] = '.';
		for (i = decimals - 1; i >= 0; i--) {
			tmp[n + i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		n += decimals;
		while (tmp[n - 1] == '0')
			n--;
	}
	return buf_add(b, tmp, (size_t)n);
}

enum sb_err
text_add_csv_field(struct buf *b, const char *s, size_t n)
{
	size_t		 i;
	enum sb_err	 e;
	bool		 quote = false;

	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\t')
			quote = true;
	/* A leading = + - @ makes spreadsheets evaluate the cell as a
	 * formula (CSV injection); quoting alone does not stop that, a
	 * leading apostrophe does. */
	if (n > 0 && strchr("=+-@", s[0]) != NULL &&
	    !(n > 1 && s[0] == '-' && s[1] >= '0' && s[1] <= '9'))
		quote = true;
	if (!quote)
		return buf_add(b, s, n);
	if ((e = buf_addc(b, '"')) != SB_OK)
		return e;
	if (n > 0 && strchr("=+-@", s[0]) != NULL &&
	    !(n > 1 && s[0] == '-' && s[1] >= '0' && s[1] <= '9'))
		if ((e = buf_addc(b, '\'')) != SB_OK)
			return e;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' && (e = buf_addc(b, '"')) != SB_OK)
			return e;
		if ((e = buf_addc(b, s[i])) != SB_OK)
			return e;
	}
	return buf_addc(b, '"');
}

bool
text_eq_nocase(const char *s, size_t n, const char *t)
{
	size_t	 i;
	char	 a, c;

	for (i = 0; i < n; i++) {
		if (t[i] == '\0')
			return false;
		a = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
		c = t[i] >= 'A' && t[i] <= 'Z' ? (char)(t[i] + 32) : t[i];
		if (a != c)
			return false;
	}
	return t[n] == '\0';
}

/* YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date, years 1800-2200. */
bool
text_date_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long	 y, m, d;
	size_t	 n = strlen(s);

	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!text_int(s, 4, &y) || y < 1800 || y > 2200)
		return false;
	if (n == 4)
		return true;
	if (s[4] != '-' || !text_int(s + 5, 2, &m) || m < 1 || m > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !text_int(s + 8, 2, &d) || d < 1 ||
	    d > mdays[m - 1])
		return false;
	/* 29 February only in leap years. */
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return false;
	return true;
}


/* ---- moments in words ---- */

static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), by counting
 * whole 400-year eras and the days into the era. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

bool
text_iso_from_seconds(int64_t t, char *out, size_t n)
{
	int64_t	 z, era, doe, yoe, doy, mp, y, day, sec;
	int	 m, d;

	/* The inverse of days_from_civil, by the same eras. */
	day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	sec = t - day * 86400;
	z = day + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (int)(doy - (153 * mp + 2) / 5 + 1);
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	if (y < 1800 || y > 2200 || n < 21)
		return false;
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
	    (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
	return true;
}

/* A calendar day in words, relative to today (y0-m0-d0). */
static void
day_words(int y, int m, int d, int y0, int m0, int d0, char *out, size_t n,
    bool *relative)
{
	int64_t	 diff = days_from_civil(y, m, d) - days_from_civil(y0, m0, d0);

	*relative = diff >= -1 && diff <= 1;
	if (diff == 0)
		snprintf(out, n, "today");
	else if (diff == -1)
		snprintf(out, n, "yesterday");
	else if (diff == 1)
		snprintf(out, n, "tomorrow");
	else if (y == y0)
		snprintf(out, n, "%d %s", d, months[m - 1]);
	else
		snprintf(out, n, "%d %s %d", d, months[m - 1], y);
}

void
text_when(int64_t t, int64_t now, char *out, size_t n)
{
	time_t		 tt = (time_t)t, tn = (time_t)now;
	struct tm	 a, b;
	char		 day[24];
	bool		 rel;

	if (localtime_r(&tt, &a) == NULL || localtime_r(&tn, &b) == NULL) {
		snprintf(out, n, "?");
		return;
	}
	day_words(a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, b.tm_year + 1900,
	    b.tm_mon + 1, b.tm_mday, day, sizeof(day), &rel);
	/* The hour only where the day is near: "3 Nov" is enough. */
	if (rel)
		snprintf(out, n, "%s %02d:%02d", day, a.tm_hour, a.tm_min);
	else
		snprintf(out, n, "%s", day);
}

/* n digits of s as a number in [lo, hi], or -1. */
static int
digits(const char *s, size_t n, int lo, int hi)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= lo && v <= hi ? v : -1;
}

/* Splits a stored time or date; false when s is neither. */
static bool
iso_parts(const char *s, int f[6], bool *date)
{
	size_t	 len = s != NULL ? strlen(s) : 0;

	memset(f, 0, 6 * sizeof(f[0]));
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if ((len != 10 && len != 20) || s[4] != '-' || s[7] != '-' ||
	    (f[0] = digits(s, 4, 1, 9999)) < 0 || (f[1] = digits(s + 5, 2, 1,
	    12)) < 0 || (f[2] = digits(s + 8, 2, 1, mdays[f[1] - 1])) < 0)
		return false;
	/* 29 February only in a leap year. */
	if (f[1] == 2 && f[2] == 29 && !(f[0] % 4 == 0 && (f[0] % 100 != 0 ||
	    f[0] % 400 == 0)))
		return false;
	if ((*date = len == 10))
		return true;
	return s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == 'Z' &&
	    (f[3] = digits(s + 11, 2, 0, 23)) >= 0 && (f[4] = digits(s + 14, 2,
	    0, 59)) >= 0 && (f[5] = digits(s + 17, 2, 0, 60)) >= 0;
}

bool
text_iso_seconds(const char *s, int64_t *out)
{
	int	 f[6];
	bool	 date;

	if (!iso_parts(s, f, &date))
		return false;
	*out = days_from_civil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 +
	    f[4] * 60 + f[5];
	return true;
}

bool
text_day_short(const char *s, const char *ref, char *out, size_t n)
{
	int	 f[6], r[6];
	bool	 date;
	char	 day[11];

	/* The day of a stored time too: its first ten characters. */
	snprintf(day, sizeof(day), "%.10s", s);
	if (!iso_parts(day, f, &date))
		return false;
	if (ref != NULL) {
		snprintf(day, sizeof(day), "%.10s", ref);
		if (!iso_parts(day, r, &date))
			r[0] = -1;
	} else
		r[0] = -1;
	if (f[0] == r[0])
		snprintf(out, n, "%d %s", f[2], months[f[1] - 1]);
	else
		snprintf(out, n, "%d %s %d", f[2], months[f[1] - 1], f[0]);
	return true;
}

bool
text_when_iso(const char *s, int64_t now, char *out, size_t n)
{
	int		 f[6];
	time_t		 tn = (time_t)now;
	struct tm	 b;
	bool		 date, rel;
	int64_t		 t;

	if (!iso_parts(s, f, &date))
		return false;
	if (date) {
		if (localtime_r(&tn, &b) == NULL)
			return false;
		day_words(f[0], f[1], f[2], b.tm_year + 1900, b.tm_mon + 1,
		    b.tm_mday, out, n, &rel);
		return true;
	}
	(void)text_iso_seconds(s, &t);
	text_when(t, now, out, n);
	return true;
}

/* ---- user names ---- */

enum script { SC_COMMON, SC_LATIN, SC_GREEK, SC_CYRILLIC, SC_MARK,
    SC_OTHER };

/* The next code point of valid UTF-8 at *p, advancing *p. */
static uint32_t
next_cp(const unsigned char **p)
{
	const unsigned char	*q = *p;
	uint32_t		 c = q[0];
	size_t			 n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ?
	    3 : 4, i;

	if (n > 1)
		c &= 0x3F >> (n - 1);
	for (i = 1; i < n; i++)
		c = (c << 6) | (q[i] & 0x3F);
	*p += n;
	return c;
}

static enum script
script_of(uint32_t c)
{
	/* Digits and ASCII signs (names were printable ASCII before). */
	if (c > ' ' && c <= '~' && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return SC_COMMON;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	    (c >= 0x1E00 && c <= 0x1EFF))
		return SC_LATIN;
	if (c == 0x386 || (c >= 0x388 && c <= 0x3CE && c != 0x38B &&
	    c != 0x38D && c != 0x3A2))
		return SC_GREEK;
	if (c >= 0x400 && c <= 0x4FF && !(c >= 0x482 && c <= 0x489))
		return SC_CYRILLIC;
	/* Combining marks: a letter typed in two parts. */
	if ((c >= 0x300 && c <= 0x36F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	    (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF))
		return SC_MARK;
	return SC_OTHER;
}

bool
text_user_name_ok(const char *s, size_t max, const char **why)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s);
	enum script		 one = SC_COMMON, sc;

	*why = NULL;
	if (n == 0 || n > max)
		*why = "a user name is empty or too long";
	else if (!utf8_valid(s, n))
		*why = "a user name must be valid UTF-8";
	while (*why == NULL && *p != '\0') {
		sc = script_of(next_cp(&p));
		if (sc == SC_MARK)
			*why = "type each letter of a user name as one "
			    "character (é, not e and an accent)";
		else if (sc == SC_OTHER)
			*why = "a user name has letters, digits and signs "
			    "such as . - _ @, without spaces";
		else if (sc != SC_COMMON && one != SC_COMMON && sc != one)
			*why = "a user name uses the letters of one alphabet "
			    "(Latin, Greek or Cyrillic), not a mix";
		else if (sc != SC_COMMON)
			one = sc;
	}
	return *why == NULL;
}

void
text_add_percent(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
}

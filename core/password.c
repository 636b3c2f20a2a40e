/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * password.c - the rules a new password must meet.  See password.h.
 *
 * The list is searched in place (a binary search over its lines), so it
 * costs no memory and no start-up time; case is folded for ASCII only,
 * as the list holds only ASCII entries.
 */
#include <string.h>

#include "core/password.h"
#include "core/text.h"

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Compares the folded pw with the line at p (ended by '\n' or end). */
static int
line_cmp(const char *pw, const char *p, const char *end)
{
	unsigned char	 a, b;

	for (;; pw++, p++) {
		a = (unsigned char)fold((unsigned char)*pw);
		b = (p < end && *p != '\n') ? (unsigned char)*p : 0;
		if (a != b || a == 0)
			return (int)a - (int)b;
	}
}

bool
password_listed(const char *pw, const char *list, size_t n)
{
	size_t		 lo = 0, hi = n, mid, start;
	const char	*end = list + n;
	int		 c;

	/* Invariant: a matching line, if any, starts in [lo, hi). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		start = mid;
		while (start > lo && list[start - 1] != '\n')
			start--;
		c = line_cmp(pw, list + start, end);
		if (c == 0)
			return true;
		if (c < 0)
			hi = start;
		else {
			/* Past this line. */
			while (start < n && list[start] != '\n')
				start++;
			lo = start + 1;
		}
	}
	return false;
}

static size_t
codepoints(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr(" \t\r\n\v\f", *s) == NULL)
			return false;
	return true;
}

static bool
same_folded(const char *a, const char *b)
{
	for (; *a != '\0' && fold((unsigned char)*a) ==
	    fold((unsigned char)*b); a++, b++)
		;
	return *a == '\0' && *b == '\0';
}

enum password_verdict
password_check(const char *pw, const char *name, const char *list, size_t n)
{
	size_t	 len = strlen(pw);

	if (len > PASSWORD_MAX)
		return PASSWORD_LONG;
	if (!utf8_valid(pw, len))
		return PASSWORD_INVALID;
	if (blank(pw))
		return PASSWORD_BLANK;
	if (codepoints(pw) < PASSWORD_MIN)
		return PASSWORD_SHORT;
	if (name != NULL && same_folded(pw, name))
		return PASSWORD_NAME;
	if (list != NULL && password_listed(pw, list, n))
		return PASSWORD_COMMON;
	return PASSWORD_OK;
}

const char *
password_why(enum password_verdict v)
{
	switch (v) {
	case PASSWORD_OK:
		return "the password is acceptable";
	case PASSWORD_SHORT:
		return "a password needs at least 12 characters (a few words "
		    "in a row make a good one)";
	case PASSWORD_LONG:
		return "a password is at most 1024 bytes";
	case PASSWORD_BLANK:
		return "a password cannot be only spaces";
	case PASSWORD_NAME:
		return "a password cannot be the user name";
	case PASSWORD_COMMON:
		return "that password is in a list of passwords known from "
		    "breaches; choose another";
	case PASSWORD_INVALID:
		break;
	}
	return "a password is UTF-8 text";
}

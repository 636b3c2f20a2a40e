/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * form.c - urlencoded form parsing.  See form.h.
 */
#include <string.h>

#include "core/form.h"
#include "core/text.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) in place; returns the new length or -1. */
static long
decode(char *s, size_t n)
{
	size_t	 i, o = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			s[o++] = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 ||
			    (l = hexval(s[i + 2])) < 0)
				return -1;
			s[o++] = (char)(h * 16 + l);
			i += 2;
		} else
			s[o++] = s[i];
	}
	if (memchr(s, '\0', o) != NULL || !utf8_valid(s, o))
		return -1;
	s[o] = '\0';
	return (long)o;
}

enum sb_err
form_parse(char *s, struct form *f)
{
	char	*pair, *eq, *end;
	long	 n;

	f->n = 0;
	while (*s != '\0') {
		pair = s;
		end = strchr(s, '&');
		s = end != NULL ? end + 1 : s + strlen(s);
		if (end != NULL)
			*end = '\0';
		if (*pair == '\0')
			continue;
		if (f->n == FORM_MAX_FIELDS)
			return SB_ELIMIT;
		eq = strchr(pair, '=');
		if (eq != NULL)
			*eq++ = '\0';
		else
			eq = pair + strlen(pair);	/* empty value */
		if ((n = decode(pair, strlen(pair))) < 0)
			return SB_EINVAL;
		if ((n = decode(eq, strlen(eq))) < 0)
			return SB_EINVAL;
		f->f[f->n].name = pair;
		f->f[f->n].value = eq;
		f->n++;
	}
	return SB_OK;
}

const char *
form_get(const struct form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

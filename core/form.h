/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * form.h - application/x-www-form-urlencoded bodies and query strings.
 *
 * Decodes in place into at most FORM_MAX_FIELDS name/value pairs; a '%'
 * not followed by two hex digits, a NUL byte or invalid UTF-8 in any name
 * or value makes the whole form invalid (a browser never sends them).
 *
 * Ownership: fields point into the buffer given to form_parse().
 */
#ifndef SB_FORM_H
#define SB_FORM_H

#include <stddef.h>

#include "core/err.h"

#define FORM_MAX_FIELDS	256

struct form {
	struct {
		const char	*name, *value;
	}		 f[FORM_MAX_FIELDS];
	size_t		 n;
};

/* Parses s (NUL-terminated, modified in place). */
enum sb_err	 form_parse(char *s, struct form *) SB_MUST;
/* The first value of name, or NULL. */
const char	*form_get(const struct form *, const char *name);

#endif

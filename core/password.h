/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * password.h - the rules a new password must meet (NIST SP 800-63B,
 * section 5.1.1.2): at least PASSWORD_MIN characters, not only
 * whitespace, not the user's own name, and not in a list of passwords
 * known from breaches.  Pure: the caller gives the list (the one shipped
 * in data/common-passwords.txt, see data/README.md).
 */
#ifndef SB_PASSWORD_H
#define SB_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_MIN	12	/* characters (UTF-8 code points) */
#define PASSWORD_MAX	1024	/* bytes */

enum password_verdict {
	PASSWORD_OK,
	PASSWORD_SHORT,		/* fewer than PASSWORD_MIN characters */
	PASSWORD_LONG,		/* more than PASSWORD_MAX bytes */
	PASSWORD_BLANK,		/* only whitespace */
	PASSWORD_NAME,		/* the user name (any case) */
	PASSWORD_COMMON,	/* in the list (any case) */
	PASSWORD_INVALID	/* not UTF-8 text */
};

/*
 * The verdict on pw for the user called name (NULL: unknown).  list is
 * n bytes of lines sorted by byte value, lower case, each ended by '\n'.
 */
enum password_verdict password_check(const char *pw, const char *name,
		    const char *list, size_t n);
/* Whether pw, lower-cased, is one of the list's lines. */
bool		 password_listed(const char *pw, const char *list, size_t n);
/* A sentence saying what is wrong, for the person choosing it. */
const char	*password_why(enum password_verdict);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * builtin.h - the data files compiled into the binary (generated into
 * build/builtin.c, build/builtin_lang.c and build/builtin_passwords.c by
 * tools/embed.c from instruments/, lang/ and data/).
 */
#ifndef SB_BUILTIN_H
#define SB_BUILTIN_H

#include <stddef.h>

struct builtin_file {
	const char	*name;	/* "phq9.instrument" */
	const char	*data;
	size_t		 len;
};

/* Terminated by an entry whose name is NULL. */
extern const struct builtin_file builtin_instruments[];
/* lang/: the narrative lexicons ("en.lexicon") and prompts. */
extern const struct builtin_file builtin_lang[];
/* data/common-passwords.txt: sorted, lower-case, one a line (one entry). */
extern const struct builtin_file builtin_passwords[];
/* man/securebase*.1 as mandoc renders them ("securebase-score.txt"). */
extern const struct builtin_file builtin_man[];

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test.h - helpers shared by the cmocka tests.
 */
#ifndef SB_TEST_H
#define SB_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/registry.h"
#include "core/builtin.h"
#include "core/instrument.h"
#include "core/narrative.h"
#include "core/score.h"
#include "core/text.h"

/* Like assert_int_equal, for doubles: prints both values on failure. */
#define ASSERT_NEAR(a, b, eps) do {					\
	double a_ = (a), b_ = (b);					\
	if (!(fabs(a_ - b_) <= (eps))) {				\
		print_error("%s = %.10g, expected %.10g (+/- %g)\n",	\
		    #a, a_, b_, (double)(eps));				\
		fail();							\
	}								\
} while (0)

/* Asserts that haystack contains needle, printing both if not. */
#define ASSERT_CONTAINS(hay, needle) do {				\
	const char *h_ = (hay), *n_ = (needle);				\
	if (h_ == NULL || strstr(h_, n_) == NULL) {			\
		print_error("\"%s\"\ndoes not contain \"%s\"\n",		\
		    h_ ? h_ : "(null)", n_);				\
		fail();							\
	}								\
} while (0)

/* The shipped instruments, loaded once per test program. */
/* How many times needle is in hay (not overlapping). */
static inline size_t
test_count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static struct registry	 test_reg;

static inline int
test_registry_setup(void **state)
{
	struct buf	 warn;

	(void)state;
	buf_init(&warn, 1 << 20);
	if (registry_load(&test_reg, NULL, NULL, &warn) != SB_OK ||
	    warn.len > 0) {
		fprintf(stderr, "shipped instruments do not load:\n%s\n",
		    warn.data ? warn.data : "");
		buf_free(&warn);
		return -1;
	}
	buf_free(&warn);
	return 0;
}

static inline int
test_registry_teardown(void **state)
{
	(void)state;
	registry_free(&test_reg);
	return 0;
}

/* The shipped English lexicon (lang/en.lexicon, built in) into *out;
 * -1, said, when it does not parse. */
static inline int
test_lexicon_en(struct lexicon **out)
{
	char	 err[256] = "not built in";
	size_t	 i;

	for (i = 0; builtin_lang[i].name != NULL; i++)
		if (strcmp(builtin_lang[i].name, "en.lexicon") == 0 &&
		    lexicon_parse("en.lexicon", builtin_lang[i].data,
		    builtin_lang[i].len, out, err, sizeof(err)) == SB_OK)
			return 0;
	print_error("the English lexicon: %s\n", err);
	return -1;
}

static inline const struct instrument *
shipped(const char *id)
{
	const struct reg_entry	*e = registry_find(&test_reg, id);

	if (e == NULL) {
		print_error("no shipped instrument %s\n", id);
		fail();
	}
	return e->in;
}

#endif

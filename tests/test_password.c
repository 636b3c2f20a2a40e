/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_password.c - the password rules (NIST SP 800-63B 5.1.1.2): too
 * short, only whitespace, the user's name, or listed (in any case) is
 * refused; the search finds every line of a list, the first and the last,
 * and nothing between them; and the shipped list holds what its source
 * (data/README.md) ranks among the most common passwords.
 */
#include <string.h>

#include "core/builtin.h"
#include "core/password.h"
#include "test.h"

static const char small[] = "aaaaaaaaaaaa\nmiddle-entry-1\nzzzzzzzzzzzz\n";

static void
rules_in_order(void **state)
{
	char	 big[PASSWORD_MAX + 2];

	(void)state;
	assert_int_equal(password_check("password", "anna", small,
	    sizeof(small) - 1), PASSWORD_SHORT);
	assert_int_equal(password_check("eleven char", NULL, NULL, 0),
	    PASSWORD_SHORT);
	assert_int_equal(password_check("twelve chars", NULL, NULL, 0),
	    PASSWORD_OK);
	/* Characters, not bytes: six two-byte letters are six. */
	assert_int_equal(password_check("\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\xc3\xa4", NULL, NULL, 0), PASSWORD_SHORT);
	assert_int_equal(password_check("            ", NULL, NULL, 0),
	    PASSWORD_BLANK);
	assert_int_equal(password_check(" \t \t \t \t \t \t", NULL, NULL, 0),
	    PASSWORD_BLANK);
	assert_int_equal(password_check("AnnaBelle1234", "annabelle1234",
	    NULL, 0), PASSWORD_NAME);
	assert_int_equal(password_check("AAAAAAAAAAAA", NULL, small,
	    sizeof(small) - 1), PASSWORD_COMMON);
	assert_int_equal(password_check("\xff\xfe long enough text", NULL,
	    NULL, 0), PASSWORD_INVALID);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_check(big, NULL, NULL, 0), PASSWORD_LONG);
	assert_non_null(strstr(password_why(PASSWORD_SHORT), "12"));
}

static void
search_finds_each_line_only(void **state)
{
	(void)state;
	assert_true(password_listed("aaaaaaaaaaaa", small, sizeof(small) - 1));
	assert_true(password_listed("Middle-Entry-1", small,
	    sizeof(small) - 1));
	assert_true(password_listed("zzzzzzzzzzzz", small, sizeof(small) - 1));
	assert_false(password_listed("aaaaaaaaaaa", small, sizeof(small) - 1));
	assert_false(password_listed("aaaaaaaaaaaaa", small,
	    sizeof(small) - 1));
	assert_false(password_listed("middle", small, sizeof(small) - 1));
	assert_false(password_listed("zzzzzzzzzzzzz", small,
	    sizeof(small) - 1));
	assert_false(password_listed("", small, sizeof(small) - 1));
	assert_false(password_listed("anything", "", 0));
	/* A list without its last newline. */
	assert_true(password_listed("zzzzzzzzzzzz", small, sizeof(small) - 2));
}

static void
shipped_list(void **state)
{
	const char	*l = builtin_passwords[0].data;
	size_t		 n = builtin_passwords[0].len, i, lines = 0;
	char		 line[PASSWORD_MAX + 1];
	size_t		 k = 0;

	(void)state;
	assert_string_equal(builtin_passwords[0].name,
	    "common-passwords.txt");
	/* From the source list's top entries of 12+ characters. */
	assert_true(password_listed("123456789012", l, n));
	assert_true(password_listed("qwertyuiopasdfghjkl", l, n));
	assert_true(password_listed("PasswordPassword", l, n));
	assert_true(password_listed("iloveyou1234", l, n));
	assert_false(password_listed("correct horse battery", l, n));
	assert_false(password_listed("a quiet lake at dawn", l, n));
	/* Every line is found by the search (sorted, no duplicates). */
	for (i = 0; i < n; i++) {
		if (l[i] != '\n') {
			assert_true(k < sizeof(line) - 1);
			line[k++] = l[i];
			continue;
		}
		line[k] = '\0';
		k = 0;
		lines++;
		if (!password_listed(line, l, n))
			fail_msg("line %zu \"%s\" not found", lines, line);
	}
	assert_int_equal(lines, 43940);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_in_order),
		cmocka_unit_test(search_finds_each_line_only),
		cmocka_unit_test(shipped_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

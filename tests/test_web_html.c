/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_web_html.c - the escaping HTML writer and the form decoder: text
 * never becomes markup; malformed forms are refused whole.
 */
#include <stdlib.h>

#include "core/form.h"
#include "test.h"
#include "render/html.h"

static void
text_is_escaped(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 1 << 16);
	html_text(&b, "<script>alert(\"x\")</script> & 'y'");
	assert_string_equal(b.data, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt; &amp; &#39;y&#39;");
	buf_reset(&b);
	html_attr(&b, "value", "\" onmouseover=\"alert(1)");
	assert_string_equal(b.data, " value=\"&quot; onmouseover=&quot;"
	    "alert(1)\"");
	buf_reset(&b);
	HTML_LIT(&b, "<p>");
	html_text(&b, NULL);
	html_int(&b, -42);
	assert_string_equal(b.data, "<p>-42");
	buf_free(&b);
}

static void
naughty_strings_never_make_markup(void **state)
{
	static const char *const bad[] = { "<img src=x onerror=alert(1)>",
	    "\"><svg onload=alert(1)>", "'--><script>x</script>",
	    "javascript:alert(1)", "&lt;already&gt;", "</textarea><b>" };
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b, 1 << 16);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		html_text(&b, bad[i]);
		assert_null(strchr(b.data, '<'));
		assert_null(strchr(b.data, '>'));
		assert_null(strchr(b.data, '"'));
		assert_null(strchr(b.data, '\''));
	}
	buf_free(&b);
}

static void
forms_decode(void **state)
{
	struct form	 f;
	char		 s[] = "csrf=ab12&name=Ada+%3Cb%3E&empty=&flag&q9=2&"
	    "utf=%C3%A9";

	(void)state;
	assert_int_equal(form_parse(s, &f), SB_OK);
	assert_string_equal(form_get(&f, "csrf"), "ab12");
	assert_string_equal(form_get(&f, "name"), "Ada <b>");
	assert_string_equal(form_get(&f, "empty"), "");
	assert_string_equal(form_get(&f, "flag"), "");
	assert_string_equal(form_get(&f, "utf"), "\xc3\xa9");
	assert_null(form_get(&f, "nope"));
}

static void
malformed_forms_are_refused(void **state)
{
	static const char *const bad[] = { "a=%zz", "a=%4", "a=%", "a=%00b",
	    "a=%ff", "%c0%af=1" };
	struct form	 f;
	char		 s[64];
	size_t		 i;
	char		*many;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(s, sizeof(s), "%s", bad[i]);
		assert_int_equal(form_parse(s, &f), SB_EINVAL);
	}
	many = malloc(FORM_MAX_FIELDS * 4 + 16);
	assert_non_null(many);
	many[0] = '\0';
	for (i = 0; i <= FORM_MAX_FIELDS; i++)
		memcpy(many + 3 * i, "a=&", 4);	/* 4: the NUL too */
	assert_int_equal(form_parse(many, &f), SB_ELIMIT);
	free(many);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_is_escaped),
		cmocka_unit_test(naughty_strings_never_make_markup),
		cmocka_unit_test(forms_decode),
		cmocka_unit_test(malformed_forms_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

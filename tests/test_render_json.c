/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_json.c - the one JSON writer: strings are escaped whatever
 * they hold (a quote or a line break in a name cannot end a value or
 * forge a member), numbers are rounded as asked and whole ones have no
 * ".0", and members keep the order they were built in.
 */
#include <stdlib.h>

#include "render/json.h"
#include "test.h"

static void
strings_cannot_forge_members(void **state)
{
	struct buf	 b;
	json_t		*o = json_object();

	(void)state;
	buf_init(&b, 1 << 16);
	assert_true(json_put(o, "name", json_text("Eve\", \"role\": \"admin"
	    "\n1\tx\\")));
	assert_true(json_put(o, "note", json_text(NULL)));
	assert_int_equal(json_write(&b, o, false), SB_OK);
	/* RFC 8259 section 7: quote, backslash and controls escaped. */
	assert_string_equal(b.data, "{\"name\": \"Eve\\\", \\\"role\\\": "
	    "\\\"admin\\n1\\tx\\\\\", \"note\": null}");
	json_decref(o);
	buf_free(&b);
}

static void
numbers_are_rounded_as_asked(void **state)
{
	struct buf	 b;
	json_t		*a = json_array();

	(void)state;
	buf_init(&b, 1 << 16);
	assert_true(json_push(a, json_fixed(18.0, 3)));
	assert_true(json_push(a, json_fixed(2.0 / 3.0, 6)));
	assert_true(json_push(a, json_fixed(-3.2141224, 6)));
	assert_true(json_push(a, json_fixed(0.84, 3)));
	assert_true(json_push(a, json_fixed(2.5, 0)));
	assert_true(json_push(a, json_fixed(0.0 / 0.0, 3)));
	assert_int_equal(json_write(&b, a, true), SB_OK);
	assert_string_equal(b.data,
	    "[18, 0.666667, -3.214122, 0.84, 3, null]\n");
	json_decref(a);
	buf_free(&b);
}

static void
a_full_buffer_is_an_error(void **state)
{
	struct buf	 b;
	json_t		*s = json_text("more than sixteen bytes of text");

	(void)state;
	buf_init(&b, 16);
	assert_int_not_equal(json_write(&b, s, false), SB_OK);
	json_decref(s);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_cannot_forge_members),
		cmocka_unit_test(numbers_are_rounded_as_asked),
		cmocka_unit_test(a_full_buffer_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

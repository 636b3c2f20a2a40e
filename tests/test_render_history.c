/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_history.c - a client's history pictures written from a view
 * built in memory, with no store and no server: every person and tie in
 * the map and again as text, a hostile name as text and never markup, an
 * event with its age and valence in the lifeline's text, the headings of
 * a page of their own (h2) against a section (h3), the patterns as a
 * list, and a map that could not be laid out said so, with nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "core/patterns.h"
#include "render/history_page.h"
#include "test.h"

static const char family[] = "{\"schema\": 1, \"people\": ["
    "{\"id\": 1, \"name\": \"Mother\", \"role\": \"mother\", "
    "\"gender\": \"female\", \"born\": 1960},"
    "{\"id\": 2, \"name\": \"<img src=x onerror=alert(1)>\", "
    "\"role\": \"father\", \"gender\": \"male\", \"born\": 1958, "
    "\"died\": 2001},"
    "{\"id\": 3, \"name\": \"Client\", \"role\": \"self\", "
    "\"gender\": \"male\", \"born\": 1990}],"
    "\"ties\": ["
    "{\"a\": 1, \"b\": 2, \"type\": \"married\"},"
    "{\"a\": 1, \"b\": 3, \"type\": \"parent\"},"
    "{\"a\": 2, \"b\": 3, \"type\": \"parent\"}],"
    "\"events\": [{\"category\": \"loss\", \"age\": 11, \"valence\": -3, "
    "\"intensity\": 5, \"note\": \"father died\"}]}";

/* The view as app/history_view.c builds it, but from memory. */
static void
view_of(const char *json, struct history_view *v)
{
	char	 err[256];

	memset(v, 0, sizeof(*v));
	buf_init(&v->facts, 1 << 20);
	assert_int_equal(history_from_json(json, strlen(json), &v->h, err,
	    sizeof(err)), SB_OK);
	assert_int_equal(genogram_layout(&v->h, &v->g), SB_OK);
	v->laid = true;
	v->facts_ok = history_patterns(&v->h, &v->g, &v->facts) == SB_OK;
}

static void
every_person_in_the_map_and_as_text(void **state)
{
	struct history_view	 v;
	struct buf		 b;

	(void)state;
	view_of(family, &v);
	buf_init(&b, 1 << 22);
	history_pictures_html(&b, &v, false);
	assert_int_equal(b.err, SB_OK);
	/* Each person once in the map (data-person) and in its text. */
	assert_non_null(strstr(b.data, "data-person=\"1\""));
	assert_non_null(strstr(b.data, "data-person=\"3\""));
	assert_non_null(strstr(b.data, "<li>Mother (mother), female, born "
	    "1960</li>"));
	assert_non_null(strstr(b.data, "<li>Client (the client), male, born "
	    "1990</li>"));
	/* Born and died as a range, with an en dash. */
	assert_non_null(strstr(b.data, "(father), male, 1958\xE2\x80\x93"
	    "2001</li>"));
	assert_non_null(strstr(b.data, "Mother \xE2\x80\x93 Client: parent "
	    "of</li>"));
	/* A part of the client page: h3 headings. */
	assert_non_null(strstr(b.data, "<h3>Patterns</h3>"));
	assert_non_null(strstr(b.data, "<h3>Lifeline</h3>"));
	assert_null(strstr(b.data, "<h2>"));
	/* The event in the lifeline's text: age 11, valence -3. */
	assert_non_null(strstr(b.data, "<tr><td>loss</td><td data-label=\""
	    "When\">age 11</td><td data-label=\"Valence\">-3</td><td "
	    "data-label=\"Intensity\">5</td><td data-label=\"Note\">father "
	    "died</td></tr>"));
	buf_free(&b);
	history_view_free(&v);
}

static void
a_hostile_name_is_text(void **state)
{
	struct history_view	 v;
	struct buf		 b;

	(void)state;
	view_of(family, &v);
	buf_init(&b, 1 << 22);
	history_pictures_html(&b, &v, true);
	assert_null(strstr(b.data, "<img"));
	assert_non_null(strstr(b.data, "&lt;img src=x onerror=alert(1)&gt;"));
	/* A page of their own: h2 headings. */
	assert_non_null(strstr(b.data, "<h2>Patterns</h2>"));
	assert_non_null(strstr(b.data, "<h2>Lifeline</h2>"));
	buf_free(&b);
	history_view_free(&v);
}

static void
facts_are_a_list_said_to_be_counted(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b, 1 << 16);
	history_facts_html(&b, "2 losses before age 12\nno <b>bold</b>\n");
	assert_string_equal(b.data, "<ul class=\"facts\"><li>2 losses before "
	    "age 12</li><li>no &lt;b&gt;bold&lt;/b&gt;</li></ul><p class=\""
	    "muted\">Facts counted from what is recorded, not "
	    "interpretations.</p>");
	buf_free(&b);
}

static void
a_map_not_laid_out_says_so_and_nothing_else(void **state)
{
	struct history_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	buf_init(&b, 1 << 16);
	history_pictures_html(&b, &v, false);
	assert_string_equal(b.data, "<p>The map could not be drawn.</p>");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_person_in_the_map_and_as_text),
		cmocka_unit_test(a_hostile_name_is_text),
		cmocka_unit_test(facts_are_a_list_said_to_be_counted),
		cmocka_unit_test(a_map_not_laid_out_says_so_and_nothing_else),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

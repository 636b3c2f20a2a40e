/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_outcomes.c - the outcomes page written from a view built in
 * memory, with no store and no server: its shares are the counts over
 * the classified episodes, a therapist's name is text and never markup,
 * the practice's row is not shown twice beside its one therapist, and the
 * page says why a figure is missing (too few episodes for d, no norms,
 * nothing scored yet, clients changed outside securebase).
 */
#include <stdlib.h>
#include <string.h>

#include "render/outcomes_page.h"
#include "test.h"

/* A PHQ-9 total cell of therapist t with n classified episodes. */
static struct outcome_cell
cell(const char *t, size_t n, size_t rec, size_t imp, size_t same,
    size_t worse)
{
	struct outcome_cell	 c;

	memset(&c, 0, sizeof(c));
	c.in = shipped("phq9");
	c.score = 0;
	snprintf(c.therapist, sizeof(c.therapist), "%s", t);
	c.n = n;
	c.cls[CHANGE_RECOVERED] = rec;
	c.cls[CHANGE_IMPROVED] = imp;
	c.cls[CHANGE_UNCHANGED] = same;
	c.cls[CHANGE_DETERIORATED] = worse;
	snprintf(c.label, sizeof(c.label), "Jacobson & Truax");
	return c;
}

static void
write_page(struct outcomes *o, struct buf *b)
{
	buf_init(b, 1 << 20);
	outcomes_html(b, o);
	assert_int_equal(b->err, SB_OK);
}

static void
shares_are_of_the_classified_episodes(void **state)
{
	struct outcome_cell	 c[2];
	struct outcomes		 o = { .c = c, .n = 2 };
	struct buf		 b;

	(void)state;
	/* Five classified of seven: one with a single score, one left out
	 * (5 of 7 is 71 %); of the five, 1, 2, 1, 1 (20, 40, 20, 20 %). */
	c[0] = cell("anna", 5, 1, 2, 1, 1);
	c[0].one_score = 1;
	c[0].left_out = 1;
	c[1] = cell("tom", 2, 0, 1, 1, 0);
	write_page(&o, &b);
	assert_non_null(strstr(b.data, "<td>anna</td><td>5 of 7 (71%)</td>"
	    "<td>1 / 1</td><td>1 (20%)</td><td>2 (40%)</td><td>1 (20%)</td>"
	    "<td>1 (20%)</td>"));
	/* Two episodes: no d, and the page says why. */
	assert_non_null(strstr(b.data, "<td>tom</td><td>2 of 2 (100%)</td>"));
	assert_non_null(strstr(b.data, "d needs three or more episodes"));
	/* The convention's words are text: the & is escaped. */
	assert_non_null(strstr(b.data, "Jacobson &amp; Truax; "));
	buf_free(&b);
}

static void
a_therapists_name_is_text(void **state)
{
	struct outcome_cell	 c[1];
	struct outcomes		 o = { .c = c, .n = 1 };
	struct buf		 b;

	(void)state;
	c[0] = cell("<script>alert(1)</script>", 3, 1, 1, 1, 0);
	write_page(&o, &b);
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data,
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	buf_free(&b);
}

static void
the_practice_row_is_not_shown_twice(void **state)
{
	struct outcome_cell	 c[2];
	struct outcomes		 o = { .c = c, .n = 2 };
	struct buf		 b;

	(void)state;
	/* One therapist: the practice's row holds the same clients. */
	c[0] = cell("anna", 4, 1, 1, 1, 1);
	c[1] = cell(OUTCOMES_ALL, 4, 1, 1, 1, 1);
	write_page(&o, &b);
	assert_non_null(strstr(b.data, "<td>anna</td>"));
	assert_null(strstr(b.data, "<td>" OUTCOMES_ALL "</td>"));
	buf_free(&b);
}

static void
missing_figures_say_why(void **state)
{
	struct outcome_cell	 c[1];
	struct outcomes		 o = { .c = c, .n = 1, .altered = 1 };
	struct outcomes		 none = { 0 };
	struct buf		 b;

	(void)state;
	c[0] = cell("anna", 3, 0, 0, 0, 0);
	c[0].unclassified = 3;
	write_page(&o, &b);
	assert_non_null(strstr(b.data, "no norms in the definition: not "
	    "classified"));
	assert_non_null(strstr(b.data, "The episodes of 1 client were changed "
	    "outside securebase"));
	buf_free(&b);
	write_page(&none, &b);
	assert_non_null(strstr(b.data, "No episode has a score of a measure "
	    "yet."));
	assert_null(strstr(b.data, "<table>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shares_are_of_the_classified_episodes),
		cmocka_unit_test(a_therapists_name_is_text),
		cmocka_unit_test(the_practice_row_is_not_shown_twice),
		cmocka_unit_test(missing_figures_say_why),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

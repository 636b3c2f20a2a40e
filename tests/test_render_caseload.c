/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_caseload.c - the caseload's clients and measures due
 * written from a view built in memory, with no store and no server: a
 * score with its band and the move from the one before, a client with no
 * answers, open alerts counted in words, the measures due in words, a
 * search that finds no one with what was typed escaped, and plans that
 * could not be read said so.
 */
#include <stdlib.h>
#include <string.h>

#include "render/caseload_page.h"
#include "test.h"

static struct client_name	 people[2] = {
	{ 1, (char *)"Ada <b>", (char *)"anna" },
	{ 2, (char *)"Ben", (char *)"anna" },
};

static void
write_view(const struct caseload_view *v, struct buf *b)
{
	buf_init(b, 1 << 20);
	caseload_rows_html(b, v, CONVENTION_JT);
	assert_int_equal(b->err, SB_OK);
}

static void
rows_say_scores_alerts_and_no_answers(void **state)
{
	struct caseload_latest	 l;
	struct caseload_row	 rows[2];
	struct caseload_view	 v;
	struct buf		 b;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.client = 1;
	snprintf(l.newest, sizeof(l.newest), "2026-11-02T10:00:00Z");
	l.v[0].re = registry_find(&test_reg, "phq9");
	l.v[0].prev = 18;
	l.v[0].last = 12;
	l.v[0].n = 2;
	l.nv = 1;
	rows[0] = (struct caseload_row){ &people[0], &l, 1 };
	rows[1] = (struct caseload_row){ &people[1], NULL, 0 };
	memset(&v, 0, sizeof(v));
	v.rows = rows;
	v.nrows = 2;
	v.q = "";
	v.plans_read = true;
	v.now = 1796212800;	/* 2026-12-02T12:00:00Z */
	write_view(&v, &b);
	/* The name is text; the one open alert in the singular. */
	assert_non_null(strstr(b.data, ">Ada &lt;b&gt;</a> <span class=\""
	    "badge high\">1 open alert</span>"));
	/* PHQ-9 12 is "Moderate" (10-14, Kroenke, Spitzer & Williams
	 * 2001), the middle of five bands: a medium tone. */
	assert_non_null(strstr(b.data, "PHQ-9 <strong>12</strong> <span "
	    "class=\"badge medium\">Moderate</span>"));
	assert_non_null(strstr(b.data, "&#8595; down from 18"));
	/* Ben: nothing answered, nothing open. */
	assert_non_null(strstr(b.data, ">Ben</a></td><td><span class=\"muted"
	    "\">No answers yet</span></td><td data-label=\"Last answered\">"
	    "never</td>"));
	/* Nothing due. */
	assert_non_null(strstr(b.data, "<li>None: every plan's measures"));
	buf_free(&b);
}

static void
due_measures_are_said_in_words(void **state)
{
	struct caseload_due	 due[2] = {
		{ &people[1], true, true, 2 },
		{ &people[0], false, false, 0 },
	};
	struct caseload_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.q = "";
	v.plans_read = true;
	v.due = due;
	v.ndue = 2;
	write_view(&v, &b);
	assert_non_null(strstr(b.data, "<a href=\"/clients/2?section=care#"
	    "plans\">Ben</a>: 2 measures sent by the plan, not yet answered "
	    "(reminded)</li>"));
	assert_non_null(strstr(b.data, "<a href=\"/clients/1?section=care#"
	    "plans\">Ada &lt;b&gt;</a>: no plan, and no questionnaire "
	    "answered in the last 4 weeks</li>"));
	buf_free(&b);
}

static void
a_search_that_finds_no_one_says_what_was_typed(void **state)
{
	struct caseload_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.q = "<script>";
	write_view(&v, &b);
	assert_non_null(strstr(b.data, "No client's name holds \u201c"
	    "&lt;script&gt;\u201d."));
	assert_null(strstr(b.data, "<table"));
	/* plans_read is false: the due list says it could not be read. */
	assert_non_null(strstr(b.data, "The plans could not be read."));
	assert_null(strstr(b.data, "<li>None"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_say_scores_alerts_and_no_answers),
		cmocka_unit_test(due_measures_are_said_in_words),
		cmocka_unit_test(
		    a_search_that_finds_no_one_says_what_was_typed),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_inbox.c - the therapist's inbox written from a view built
 * in memory, with no store and no server: a new answer with its "Seen"
 * form and "Mark all seen" up to the newest shown, a link's age and how
 * far it came, the clients not on track among the open alerts, names
 * escaped, and empty sections said in words.
 */
#include <stdlib.h>
#include <string.h>

#include "render/inbox_page.h"
#include "test.h"

#define NOW	1796212800	/* 2026-12-02T12:00:00Z */

static struct client_name	 people[2] = {
	{ 1, (char *)"Ada <b>", (char *)"anna" },
	{ 2, (char *)"Ben", (char *)"anna" },
};

static void
write_view(const struct inbox_view *v, struct buf *b)
{
	buf_init(b, 1 << 20);
	inbox_html(b, v, "c0ffee");
	assert_int_equal(b->err, SB_OK);
}

static void
answers_links_and_alerts_each_lead_to_their_client(void **state)
{
	struct inbox_response	 r[2];
	struct inbox_link	 l;
	struct inbox_alert	 a[2];
	struct inbox_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	memset(r, 0, sizeof(r));
	r[0] = (struct inbox_response){ 41, &people[0],
	    registry_find(&test_reg, "phq9"), "2026-12-02T09:30:00Z" };
	r[1] = (struct inbox_response){ 40, &people[1],
	    registry_find(&test_reg, "gad7"), "2026-11-30T10:00:00Z" };
	v.resp = r;
	v.nresp = 2;
	memset(&l, 0, sizeof(l));
	l.id = 7;
	l.c = &people[1];
	l.re = registry_find(&test_reg, "core10");
	l.created = NOW - 3 * 86400;		/* 29 November */
	l.expires = NOW + 11 * 86400;
	l.opened = true;
	l.reminded = true;
	v.links = &l;
	v.nlinks = 1;
	memset(a, 0, sizeof(a));
	a[0].c = &people[0];
	snprintf(a[0].rule, sizeof(a[0].rule), "not-on-track");
	snprintf(a[0].severity, sizeof(a[0].severity), "medium");
	snprintf(a[0].state, sizeof(a[0].state), "open");
	snprintf(a[0].created, sizeof(a[0].created), "2026-12-01T10:00:00Z");
	a[1] = a[0];
	a[1].c = &people[1];
	snprintf(a[1].rule, sizeof(a[1].rule), "critical-item");
	snprintf(a[1].severity, sizeof(a[1].severity), "high");
	snprintf(a[1].state, sizeof(a[1].state), "acknowledged");
	v.alerts = a;
	v.nalerts = 2;
	v.cv.plans_read = true;
	v.now = NOW;
	write_view(&v, &b);
	/* Counted, the client's name escaped and a link to the answers. */
	assert_non_null(strstr(b.data, "New answers <span class=\"count\">(2)"
	    "</span>"));
	assert_non_null(strstr(b.data, "<a class=\"client\" href=\"/clients/1"
	    "?section=measures#answers\">Ada &lt;b&gt;</a> <span>PHQ-9, "
	    "answered"));
	assert_null(strstr(b.data, "Ada <b>"));
	/* One Seen form each, and one for all up to the newest shown. */
	assert_int_equal(test_count(b.data, "action=\"/inbox/seen\""), 3);
	assert_non_null(strstr(b.data, "name=\"response\" value=\"0\"><input "
	    "type=\"hidden\" name=\"upto\" value=\"2026-12-02T09:30:00Z\">"));
	assert_non_null(strstr(b.data, "name=\"response\" value=\"41\""));
	assert_int_equal(test_count(b.data, "value=\"c0ffee\""), 3);
	/* The link: 3 days old, opened, reminded, and when it closes. */
	assert_non_null(strstr(b.data, "href=\"/clients/2?section=care#links\""
	    ">Ben</a> <span>CORE-10, sent "));
	assert_non_null(strstr(b.data, " (3 days ago): opened, not started; a "
	    "reminder went; it closes "));
	/* Not on track, named; every alert in words with its badge. */
	assert_non_null(strstr(b.data, "<h3>Not on track</h3><ul class=\""
	    "inbox\"><li><a class=\"client\" href=\"/clients/1?section="
	    "measures#measures\">Ada &lt;b&gt;</a></li></ul>"));
	assert_non_null(strstr(b.data, "<span class=\"badge high\">high</span>"
	    " <a class=\"client\" href=\"/clients/2?section=measures#"
	    "measures\">Ben</a> <span>risk item endorsed, raised "));
	assert_non_null(strstr(b.data, "; acknowledged</span>"));
	buf_free(&b);
}

static void
an_empty_inbox_says_so_in_words(void **state)
{
	struct inbox_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.cv.plans_read = true;
	v.now = NOW;
	write_view(&v, &b);
	assert_non_null(strstr(b.data, "None: every answer sent back through "
	    "a link has been seen."));
	assert_non_null(strstr(b.data, "None: every link sent has been "
	    "answered or withdrawn."));
	assert_non_null(strstr(b.data, "None open."));
	assert_null(strstr(b.data, "Mark all seen"));
	assert_null(strstr(b.data, "Not on track"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    answers_links_and_alerts_each_lead_to_their_client),
		cmocka_unit_test(an_empty_inbox_says_so_in_words),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

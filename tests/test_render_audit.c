/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_audit.c - the audit trail's search written from a view
 * built in memory, with no store and no server: the form refilled with
 * what was asked, a filter's fault beside it and no table, no rows said
 * in words, a row's text as text, and a full page's way to the older
 * rows keeping the filter, each value percent-encoded in the address.
 */
#include <stdlib.h>
#include <string.h>

#include "render/audit_page.h"
#include "test.h"

static void
write_view(const struct audit_view *v, struct buf *b)
{
	buf_init(b, 1 << 22);
	audit_html(b, v);
	assert_int_equal(b->err, SB_OK);
}

static void
a_full_page_leads_to_the_older_rows(void **state)
{
	struct audit_view	 v;
	struct buf		 b;
	size_t			 i;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.f.user = "a b&c";
	v.f.action = "read";
	v.rows = calloc(AUDIT_PAGE, sizeof(*v.rows));
	assert_non_null(v.rows);
	for (i = 0; i < AUDIT_PAGE; i++) {
		v.rows[i].seq = (int64_t)(500 - i);
		v.rows[i].at = (char *)"2026-11-02T10:00:00Z";
		v.rows[i].user = (char *)"a b&c";
		v.rows[i].action = (char *)"read";
		v.rows[i].entity = (char *)"client";
		v.rows[i].entity_id = 7;
		v.rows[i].detail = (char *)"<script>x</script>";
	}
	v.n = AUDIT_PAGE;
	v.last = 401;
	v.now = 1796212800;
	write_view(&v, &b);
	/* The form keeps what was asked. */
	assert_non_null(strstr(b.data, "name=\"user\" value=\"a b&amp;c\""));
	/* Rows: text, never markup. */
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "<td>&lt;script&gt;x&lt;/script&gt;"
	    "</td>"));
	/* Older rows: before the last one shown, the filter kept and
	 * percent-encoded (RFC 3986), then escaped as an attribute. */
	assert_non_null(strstr(b.data, "<a href=\"/admin?before=401&amp;user="
	    "a%20b%26c&amp;action=read#audit\">Older rows</a>"));
	assert_null(strstr(b.data, ">Newest</a>"));
	buf_free(&b);
	free(v.rows);
}

static void
a_fault_or_no_rows_is_said(void **state)
{
	struct audit_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.f.from = "2026-02-30";
	v.why = "\u201cFrom\u201d is not a day of the calendar.";
	write_view(&v, &b);
	assert_non_null(strstr(b.data, "<p class=\"field-error\" role=\"alert"
	    "\">\u201cFrom\u201d is not a day of the calendar.</p></form>"));
	assert_null(strstr(b.data, "<table"));
	buf_free(&b);
	memset(&v, 0, sizeof(v));
	v.f.before = "40";
	write_view(&v, &b);
	assert_non_null(strstr(b.data,
	    "<p class=\"empty\">No rows match.</p>"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_full_page_leads_to_the_older_rows),
		cmocka_unit_test(a_fault_or_no_rows_is_said),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_admin.c - the administration page's tables written from a
 * view built in memory, with no store and no server: users with their
 * names escaped and their state in words, each licence's state as the
 * page says it (free, the permission recorded, permitted, disabled), an
 * intact trail in counts and a broken one naming each changed row.
 */
#include <stdlib.h>
#include <string.h>

#include "render/admin_page.h"
#include "test.h"

static void
write_with(void (*fn)(struct buf *, const struct admin_view *),
    const struct admin_view *v, struct buf *b)
{
	buf_init(b, 1 << 20);
	fn(b, v);
	assert_int_equal(b->err, SB_OK);
}

static void
users_are_named_escaped_with_their_state(void **state)
{
	struct admin_user	 u[2] = {
		{ (char *)"anna <b>", ROLE_THERAPIST, true },
		{ (char *)"old", ROLE_SUPERVISOR, false },
	};
	struct admin_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.users = u;
	v.nusers = 2;
	write_with(admin_users_html, &v, &b);
	assert_non_null(strstr(b.data, "<tr><td>anna &lt;b&gt;</td><td>"
	    "therapist</td><td>active</td></tr>"));
	assert_non_null(strstr(b.data, "<tr><td>old</td><td>supervisor</td>"
	    "<td>disabled</td></tr>"));
	assert_null(strstr(b.data, "<b>"));
	buf_free(&b);
}

/* The row of instrument id in the licences' table. */
static const char *
licence_row(const char *html, const struct reg_entry *re)
{
	const char	*p = strstr(html, re->in->name);

	assert_non_null(p);
	return p;
}

static void
each_licence_is_said_as_it_stands(void **state)
{
	struct admin_view	 v;
	struct reg_entry	*phq, *ecr;
	struct buf		 b;
	const char		*row;
	char			*saved;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.reg = &test_reg;
	phq = (struct reg_entry *)registry_find(&test_reg, "phq9");
	ecr = (struct reg_entry *)registry_find(&test_reg, "ecr-r");
	assert_non_null(phq);
	assert_non_null(ecr);
	v.licence[phq - test_reg.v] = ADMIN_FREE;
	v.licence[ecr - test_reg.v] = ADMIN_DISABLED;
	write_with(admin_licences_html, &v, &b);
	/* PHQ-9: free to use (Pfizer's terms, in its file). */
	row = licence_row(b.data, phq);
	assert_non_null(strstr(row, "</td><td>free</td></tr>"));
	row = licence_row(b.data, ecr);
	assert_true(strstr(row, "disabled: needs permission") <
	    strstr(row, "</tr>"));
	buf_free(&b);
	/* The permission as recorded, escaped. */
	saved = ecr->permission;
	ecr->permission = (char *)"letter <2026-01-05>";
	v.licence[ecr - test_reg.v] = ADMIN_RECORDED;
	write_with(admin_licences_html, &v, &b);
	assert_non_null(strstr(b.data, "<td>letter &lt;2026-01-05&gt;</td>"));
	buf_free(&b);
	ecr->permission = saved;
	v.licence[ecr - test_reg.v] = ADMIN_PERMITTED;
	write_with(admin_licences_html, &v, &b);
	assert_non_null(strstr(licence_row(b.data, ecr), "permitted (recorded "
	    "here)"));
	buf_free(&b);
}

static void
integrity_in_counts_or_each_changed_row(void **state)
{
	struct admin_view	 v;
	struct buf		 b;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.audit_read = v.rows_read = true;
	v.audit.intact = v.rows.intact = true;
	v.audit.rows = 3171;
	v.rows.rows = 1855;
	write_with(admin_integrity_html, &v, &b);
	assert_non_null(strstr(b.data, "<p>The chain verifies: 3171 rows, "
	    "none changed, removed or inserted.</p>"));
	assert_non_null(strstr(b.data, "The sealed rows verify: 1855 rows"));
	buf_free(&b);
	v.audit.intact = v.rows.intact = false;
	snprintf(v.audit.what, sizeof(v.audit.what), "row 7 does not match "
	    "its hash");
	snprintf(v.rows.what, sizeof(v.rows.what), "clients row 3 <x>\n"
	    "alerts row 5\n");
	write_with(admin_integrity_html, &v, &b);
	assert_non_null(strstr(b.data, "NOT INTACT: row 7 does not match its "
	    "hash</strong>"));
	assert_non_null(strstr(b.data, "<ul class=\"high\"><li>clients row 3 "
	    "&lt;x&gt;</li><li>alerts row 5</li></ul>"));
	buf_free(&b);
	/* A check that did not run says nothing, rather than "verifies". */
	v.audit_read = v.rows_read = false;
	write_with(admin_integrity_html, &v, &b);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(users_are_named_escaped_with_their_state),
		cmocka_unit_test(each_licence_is_said_as_it_stands),
		cmocka_unit_test(integrity_in_counts_or_each_changed_row),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

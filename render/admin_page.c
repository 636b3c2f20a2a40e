/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * admin_page.c - the administration page's tables written from its
 * view.  See admin_page.h.
 */
#include <stdio.h>
#include <string.h>

#include "render/admin_page.h"
#include "render/html.h"

void
admin_users_html(struct buf *b, const struct admin_view *v)
{
	size_t	 i;

	HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\"><table><tr><th>User"
	    "</th><th>Role</th><th>State</th></tr>");
	for (i = 0; i < v->nusers; i++) {
		HTML_LIT(b, "<tr><td>");
		html_text(b, v->users[i].name);
		HTML_LIT(b, "</td><td>");
		html_text(b, store_role_name(v->users[i].role));
		HTML_LIT(b, "</td><td>");
		HTML_PICK(b, v->users[i].active, "active", "disabled");
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></div>");
}

void
admin_licences_html(struct buf *b, const struct admin_view *v)
{
	const struct reg_entry	*re;
	size_t			 i;

	HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\"><table><tr><th>"
	    "Instrument</th><th>Licence</th><th>State</th></tr>");
	for (i = 0; i < v->reg->n && i < REGISTRY_MAX; i++) {
		re = &v->reg->v[i];
		HTML_LIT(b, "<tr><td>");
		html_text(b, re->in->name);
		HTML_LIT(b, "</td><td>");
		html_text(b, re->in->licence_terms);
		HTML_LIT(b, "</td><td>");
		switch (v->licence[i]) {
		case ADMIN_FREE:
			HTML_LIT(b, "free");
			break;
		case ADMIN_RECORDED:
			html_text(b, re->permission);
			break;
		case ADMIN_PERMITTED:
			HTML_LIT(b, "permitted (recorded here)");
			break;
		case ADMIN_DISABLED:
			HTML_LIT(b, "disabled: needs permission");
			break;
		}
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></div>");
}

/* The rows found changed, a line each. */
static void
rows_changed(struct buf *b, const char *what)
{
	const char	*p, *nl;
	char		 line[256];

	HTML_LIT(b, "<ul class=\"high\">");
	for (p = what; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		HTML_LIT(b, "<li>");
		html_text(b, line);
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul>");
}

void
admin_integrity_html(struct buf *b, const struct admin_view *v)
{
	if (v->audit_read) {
		HTML_LIT(b, "<p>");
		if (v->audit.intact) {
			HTML_LIT(b, "The chain verifies: ");
			html_int(b, v->audit.rows);
			HTML_LIT(b, " rows, none changed, removed or inserted.");
		} else {
			HTML_LIT(b, "<strong class=\"high\">NOT INTACT: ");
			html_text(b, v->audit.what);
			HTML_LIT(b, "</strong>");
		}
		HTML_LIT(b, "</p>");
	}
	/* The rows that decide access and safety (store/rows.h): each one
	 * changed outside securebase is named, a line each. */
	if (!v->rows_read)
		return;
	HTML_LIT(b, "<p>");
	if (v->rows.intact) {
		HTML_LIT(b, "The sealed rows verify: ");
		html_int(b, v->rows.rows);
		HTML_LIT(b, " rows that decide access and safety (users, clients "
		    "and shares, answers and scores, alerts, notes), none "
		    "changed outside securebase.</p>");
		return;
	}
	HTML_LIT(b, "<strong class=\"high\">NOT INTACT: rows changed outside "
	    "securebase (with write access to the database, without the "
	    "key). Nothing is done with them; restore a verified backup, and "
	    "find out who could write the database.</strong></p>");
	rows_changed(b, v->rows.what);
}

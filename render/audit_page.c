/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit_page.c - the audit trail's search and its page of rows, from
 * their view.  See audit_page.h.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "render/audit_page.h"
#include "render/html.h"

/* What a filter field's input says beyond its type. */
enum field_hint { HINT_NONE, HINT_NUMERIC };

/* A field of the audit filter, refilled. */
static void
filter_field(struct buf *b, const char *id, const char *label,
    const char *type, const char *v, enum field_hint hint)
{
	HTML_LIT(b, "<div class=\"field\"><label");
	html_attr(b, "for", id);
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</label><input");
	html_attr(b, "type", type);
	html_attr(b, "id", id);
	html_attr(b, "name", id);
	if (v != NULL)
		html_attr(b, "value", v);
	if (hint == HINT_NUMERIC)
		HTML_LIT(b, " inputmode=\"numeric\"");
	HTML_LIT(b, "></div>");
}

/* &name=value for an address, value percent-encoded; nothing when
 * value is NULL. */
static void
url_param(struct buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, "&%s=", name);
	text_add_percent(b, v);
}

/* One row of the trail. */
static void
audit_row_html(struct buf *b, const struct audit_view_row *a, int64_t now)
{
	HTML_LIT(b, "<tr><td class=\"num\">");
	html_int(b, a->seq);
	HTML_LIT(b, "</td><td>");
	html_when_at(b, a->at, now);
	HTML_LIT(b, "</td><td>");
	html_text(b, a->user);
	HTML_LIT(b, "</td><td>");
	html_text(b, a->action);
	HTML_LIT(b, "</td><td>");
	html_text(b, a->entity);
	HTML_LIT(b, "</td><td class=\"num\">");
	html_int(b, a->entity_id);
	HTML_LIT(b, "</td><td>");
	html_text(b, a->detail);
	HTML_LIT(b, "</td></tr>");
}

void
audit_html(struct buf *b, const struct audit_view *v)
{
	/* The actions the trail records, by what they are about. */
	static const char *const actions[] = { "read", "create", "update",
	    "delete", "close", "import", "rescore", "acknowledged",
	    "resolved", "share", "unshare", "share-answers", "denied",
	    "complete", "autosave", "cancel", "progress-link",
	    "progress-revoke", "discharge", "care-stop", "plan-add",
	    "plan-send", "plan-no-address", "queue", "resend", "email-set",
	    "phone-set", "channel-set", "login", "login-failed", "reauth",
	    "session-end", "user-add", "user-email", "permit", "setting-set",
	    "anchor", "init", NULL };
	const struct audit_filter	*f = &v->f;
	struct buf			 more;
	size_t				 i;
	bool				 listed = false;

	HTML_LIT(b, "<form method=\"get\" action=\"/admin#audit\" "
	    "class=\"add\" id=\"audit\" role=\"search\" aria-label=\""
	    "Search the audit trail\">");
	filter_field(b, "user", "User", "text", f->user, HINT_NONE);
	filter_field(b, "client", "Client number", "text", f->client,
	    HINT_NUMERIC);
	HTML_LIT(b, "<div class=\"field\"><label for=\"action\">Action"
	    "</label><select id=\"action\" name=\"action\"><option value=\"\">"
	    "any action</option>");
	for (i = 0; actions[i] != NULL; i++) {
		HTML_LIT(b, "<option");
		if (f->action != NULL && strcmp(f->action, actions[i]) == 0) {
			HTML_LIT(b, " selected");
			listed = true;
		}
		HTML_LIT(b, ">");
		html_text(b, actions[i]);
		HTML_LIT(b, "</option>");
	}
	/* One asked for by its address and not listed stays chosen. */
	if (f->action != NULL && !listed) {
		HTML_LIT(b, "<option selected>");
		html_text(b, f->action);
		HTML_LIT(b, "</option>");
	}
	HTML_LIT(b, "</select></div>");
	filter_field(b, "from", "From", "date", f->from, HINT_NONE);
	filter_field(b, "to", "To", "date", f->to, HINT_NONE);
	HTML_LIT(b, "<button type=\"submit\" class=\"secondary\">"
	    "Show</button>");
	if (v->why != NULL) {
		HTML_LIT(b, "<p class=\"field-error\" role=\"alert\">");
		html_text(b, v->why);
		HTML_LIT(b, "</p></form>");
		return;
	}
	HTML_LIT(b, "</form>");
	if (v->n == 0) {
		HTML_LIT(b, "<p class=\"empty\">No rows match.</p>");
		return;
	}
	HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\"><table><tr><th "
	    "class=\"num\">Row</th><th>Time</th><th>User</th><th>Action</th>"
	    "<th>On</th><th class=\"num\">Id</th><th>Detail</th></tr>");
	for (i = 0; i < v->n; i++)
		audit_row_html(b, &v->rows[i], v->now);
	HTML_LIT(b, "</table></div><p>");
	if (f->before != NULL)
		HTML_LIT(b, "<a href=\"/admin#audit\">Newest</a> ");
	if (v->n == AUDIT_PAGE && v->last > 1) {
		buf_init(&more, 4096);
		buf_printf(&more, "/admin?before=%lld", (long long)v->last);
		url_param(&more, "user", f->user);
		url_param(&more, "client", f->client);
		url_param(&more, "action", f->action);
		url_param(&more, "from", f->from);
		url_param(&more, "to", f->to);
		buf_adds(&more, "#audit");
		HTML_LIT(b, "<a");
		html_attr(b, "href", more.err == SB_OK ? more.data :
		    "/admin#audit");
		HTML_LIT(b, ">Older rows</a>");
		buf_free(&more);
	}
	HTML_LIT(b, "</p>");
}

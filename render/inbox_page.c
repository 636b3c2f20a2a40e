/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * inbox_page.c - the therapist's inbox written from its view.  See
 * inbox_page.h.
 */
#include <stdio.h>
#include <string.h>

#include "render/caseload_page.h"
#include "render/client_page.h"
#include "render/html.h"
#include "render/inbox_page.h"
#include "render/measure.h"

/* A section's opening: its heading with the count beside it. */
static void
section_open(struct buf *b, const char *id, const char *title, size_t n)
{
	HTML_LIT(b, "<section class=\"card\"");
	html_attr(b, "aria-labelledby", id);
	HTML_LIT(b, "><h2");
	html_attr(b, "id", id);
	HTML_LIT(b, ">");
	html_text(b, title);
	HTML_LIT(b, " <span class=\"count\">(");
	html_int(b, (int64_t)n);
	HTML_LIT(b, ")</span></h2>");
}

/* The form that marks response id seen (0: every new one answered up
 * to upto, the newest shown). */
static void
seen_form(struct buf *b, int64_t id, const char *upto, const char *csrf,
    const char *label)
{
	char	 v[24];

	snprintf(v, sizeof(v), "%lld", (long long)id);
	HTML_LIT(b, "<form method=\"post\" class=\"inline\" action=\"/inbox/"
	    "seen\"><input type=\"hidden\" name=\"csrf\"");
	html_attr(b, "value", csrf);
	HTML_LIT(b, "><input type=\"hidden\" name=\"response\"");
	html_attr(b, "value", v);
	HTML_LIT(b, "><input type=\"hidden\" name=\"upto\"");
	html_attr(b, "value", upto);
	HTML_LIT(b, "><button type=\"submit\" class=\"secondary\">");
	html_text(b, label);
	HTML_LIT(b, "</button></form>");
}

/* The client's name as a link to where the row leads on their page. */
static void
client_link(struct buf *b, const struct client_name *c, const char *anchor)
{
	char	 href[96];

	client_href(href, sizeof(href), c->id, anchor);
	HTML_LIT(b, "<a class=\"client\"");
	html_attr(b, "href", href);
	HTML_LIT(b, ">");
	html_text(b, c->name);
	HTML_LIT(b, "</a>");
}

static void
responses_html(struct buf *b, const struct inbox_view *v, const char *csrf)
{
	size_t	 i;

	section_open(b, "in-new", "New answers", v->nresp);
	if (v->nresp == 0) {
		HTML_LIT(b, "<p class=\"empty\">None: every answer sent back "
		    "through a link has been seen.</p></section>");
		return;
	}
	HTML_LIT(b, "<p class=\"muted\">Answers your clients sent through a "
	    "link, newest first. \"Seen\" takes one off this list (and is "
	    "recorded); the answers stay on the client's page.</p>");
	seen_form(b, 0, v->resp[0].completed, csrf, "Mark all seen");
	HTML_LIT(b, "<ul class=\"inbox\">");
	for (i = 0; i < v->nresp; i++) {
		const struct inbox_response *r = &v->resp[i];

		HTML_LIT(b, "<li>");
		client_link(b, r->c, "answers");
		HTML_LIT(b, " <span>");
		html_text(b, r->re != NULL ? r->re->in->name : "Written "
		    "answers");
		HTML_LIT(b, ", answered ");
		html_when_at(b, r->completed, v->now);
		HTML_LIT(b, "</span> ");
		seen_form(b, r->id, "", csrf, "Seen");
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul>");
	if (v->nresp >= STORE_INBOX_MAX)
		HTML_LIT(b, "<p class=\"muted\">The newest ones only: older "
		    "answers appear as these are marked seen.</p>");
	HTML_LIT(b, "</section>");
}

/* How far a link came, in words. */
static const char *
link_state(const struct inbox_link *l, int64_t now)
{
	if (l->expires <= now)
		return "expired unanswered";
	if (l->started)
		return "started, not sent yet";
	return l->opened ? "opened, not started" : "not opened yet";
}

static void
links_html(struct buf *b, const struct inbox_view *v)
{
	int64_t	 days;
	size_t	 i;

	section_open(b, "in-links", "Links not answered", v->nlinks);
	if (v->nlinks == 0) {
		HTML_LIT(b, "<p class=\"empty\">None: every link sent has "
		    "been answered or withdrawn.</p></section>");
		return;
	}
	HTML_LIT(b, "<p class=\"muted\">Oldest first; those that expired in "
	    "the last two weeks too. \"Send again\" is on the client's page."
	    "</p><ul class=\"inbox\">");
	for (i = 0; i < v->nlinks; i++) {
		const struct inbox_link *l = &v->links[i];

		days = (v->now - l->created) / 86400;
		HTML_LIT(b, "<li>");
		client_link(b, l->c, "links");
		HTML_LIT(b, " <span>");
		html_text(b, l->re != NULL ? l->re->in->name : "Narrative "
		    "prompts");
		HTML_LIT(b, ", sent ");
		html_when_t_at(b, l->created, v->now);
		if (days >= 1) {
			HTML_LIT(b, " (");
			html_int(b, days);
			HTML_PICK(b, days == 1, " day ago)", " days ago)");
		}
		HTML_LIT(b, ": ");
		html_text(b, link_state(l, v->now));
		if (l->reminded)
			HTML_LIT(b, "; a reminder went");
		HTML_PICK(b, l->expires <= v->now, "; it closed ",
		    "; it closes ");
		html_when_t_at(b, l->expires, v->now);
		HTML_LIT(b, "</span></li>");
	}
	HTML_LIT(b, "</ul></section>");
}

static void
alerts_html(struct buf *b, const struct inbox_view *v)
{
	size_t	 i, off = 0;

	section_open(b, "in-alerts", "Open alerts", v->nalerts);
	if (v->nalerts == 0) {
		HTML_LIT(b, "<p class=\"empty\">None open.</p></section>");
		return;
	}
	for (i = 0; i < v->nalerts; i++)
		off += strcmp(v->alerts[i].rule, "not-on-track") == 0;
	if (off > 0) {
		HTML_LIT(b, "<h3>Not on track</h3><ul class=\"inbox\">");
		for (i = 0; i < v->nalerts; i++)
			if (strcmp(v->alerts[i].rule, "not-on-track") == 0) {
				HTML_LIT(b, "<li>");
				client_link(b, v->alerts[i].c, "measures");
				HTML_LIT(b, "</li>");
			}
		HTML_LIT(b, "</ul><h3>Every open alert</h3>");
	}
	HTML_LIT(b, "<p class=\"muted\">Acknowledge and resolve them on the "
	    "<a href=\"/\">caseload</a> or the client's page.</p><ul "
	    "class=\"inbox\">");
	for (i = 0; i < v->nalerts; i++) {
		const struct inbox_alert *a = &v->alerts[i];

		HTML_LIT(b, "<li><span class=\"badge ");
		html_text(b, strcmp(a->severity, "high") == 0 ? "high" :
		    strcmp(a->severity, "medium") == 0 ? "medium" : "low");
		HTML_LIT(b, "\">");
		html_text(b, a->severity);
		HTML_LIT(b, "</span> ");
		client_link(b, a->c, "measures");
		HTML_LIT(b, " <span>");
		html_text(b, alert_rule_words(a->rule));
		HTML_LIT(b, ", raised ");
		html_when_at(b, a->created, v->now);
		if (strcmp(a->state, "acknowledged") == 0)
			HTML_LIT(b, "; acknowledged");
		HTML_LIT(b, "</span></li>");
	}
	HTML_LIT(b, "</ul></section>");
}

void
inbox_html(struct buf *b, const struct inbox_view *v, const char *csrf)
{
	HTML_LIT(b, "<h1>Inbox</h1><p class=\"lede\">What needs a look: new "
	    "answers and links not answered of your own clients, and the "
	    "measures due and open alerts of your caseload. Each row leads "
	    "to the client.</p><div "
	    "class=\"cols\"><div>");
	responses_html(b, v, csrf);
	links_html(b, v);
	HTML_LIT(b, "</div><div>");
	alerts_html(b, v);
	HTML_LIT(b, "<section class=\"card\">");
	caseload_due_html(b, &v->cv);
	HTML_LIT(b, "</section></div></div>");
}

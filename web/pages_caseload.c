/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_caseload.c - the therapist's caseload: each client with the
 * latest score of each measure and its change, measures due (the view
 * app/caseload.c gathers, written by render/caseload_page.c), the open
 * alerts with their forms, and adding a client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "render/caseload_page.h"
#include "render/html.h"
#include "web/web_int.h"

/*
 * The caseload's clients and measures due: app/caseload.c gathers the
 * view, render/caseload_page.c writes it; false when it could not be
 * read.
 */
static bool
client_rows(struct req *r, const struct client_names *cl,
    const size_t *alerts, const char *q, enum caseload_order o)
{
	struct caseload_view	 v;
	bool			 ok;

	ok = caseload_view_build(r->s, r->srv->cfg->reg, cl, alerts, q, o,
	    http_now(), &v) == SB_OK;
	if (ok)
		caseload_rows_html(&r->out, &v, req_convention(r));
	caseload_view_free(&v);
	return ok;
}

/* Search and order: a GET form, so the view can be bookmarked. */
static void
find_form(struct req *r, const char *q, enum caseload_order o)
{
	static const char *const names[][2] = { { "name", "Name" },
	    { "alerts", "Open alerts first" }, { "recent",
	    "Latest answer first" } };
	size_t	 i;

	HTML_LIT(&r->out, "<form method=\"get\" action=\"/\" class=\"add\" "
	    "role=\"search\"><div class=\"field\"><label for=\"q\">Find a "
	    "client</label><input type=\"search\" id=\"q\" name=\"q\"");
	html_attr(&r->out, "value", q);
	HTML_LIT(&r->out, "></div><div class=\"field\"><label for=\"o\">"
	    "Order</label><select id=\"o\" name=\"sort\">");
	for (i = 0; i < 3; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", names[i][0]);
		if ((size_t)o == i)
			HTML_LIT(&r->out, " selected");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, names[i][1]);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select></div><button type=\"submit\" class=\""
	    "secondary\">Show</button></form>");
}

/* The open alerts of the caseload, kept for the page. */
struct open_alerts {
	struct req			*r;
	const struct client_names	*cl;
	size_t				*count;	/* per client, as cl */
	size_t				 n;
	int				 escalate;	/* minutes */
};

/* One alert a row: the client by name, linked to their page, what
 * happened in words, and the forms that handle it, on the row. */
static SB_MUST enum sb_err
alert_row(void *arg, const struct store_alert *a)
{
	struct open_alerts		*o = arg;
	struct req			*r = o->r;
	const struct client_name	*c;
	char				 href[64], who[32];
	int64_t				 at;

	if (o->n++ == 0)
		HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\">"
		    "<table class=\"alerts\">"
		    "<tr><th>Client</th>"
		    "<th>Severity</th><th>What</th><th>Raised</th><th>State"
		    "</th><th>Handle</th></tr>");
	HTML_LIT(&r->out, "<tr><td><a");
	snprintf(href, sizeof(href), "/clients/%lld#alert-%lld",
	    (long long)a->client, (long long)a->id);
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">");
	snprintf(who, sizeof(who), "client %lld", (long long)a->client);
	html_text(&r->out, (c = client_names_find(o->cl, a->client)) !=
	    NULL ? c->name : who);
	if (c != NULL)
		o->count[c - o->cl->v]++;
	/* Open past the practice's escalation time: passed to the duty
	 * address, and marked here too. */
	if (strcmp(a->severity, "high") == 0 && strcmp(a->state, "open") == 0
	    && a->historic[0] == '\0' && text_iso_seconds(a->created, &at) &&
	    http_now() - at >= (int64_t)o->escalate * 60)
		HTML_LIT(&r->out, " <span class=\"badge high\">overdue: not "
		    "acknowledged</span>");
	HTML_LIT(&r->out, "</a></td>");
	alert_cells(r, a);
	HTML_LIT(&r->out, "<td>");
	alert_forms(r, a, "/");
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

/*
 * The form that adds a client, near the top.  After a refused name, the
 * name as typed is back in the field with the reason beside it.
 */
static void
add_client_form(struct req *r, const char *typed, const char *err)
{
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/clients\" "
	    "class=\"add\"><label for=\"cn\">New client's name</label>"
	    "<input type=\"text\" id=\"cn\" name=\"name\" required");
	if (typed != NULL)
		html_attr(&r->out, "value", typed);
	if (err != NULL)
		HTML_LIT(&r->out, " aria-invalid=\"true\" "
		    "aria-describedby=\"cn-err\" autofocus");
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\">Add client</button>");
	if (err != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" id=\"cn-err\">");
		html_text(&r->out, err);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "</form>");
}

/* One click from the caseload: a measure to one of the therapist's own
 * clients, by mail or SMS, to what is on file. */
static void
send_form(struct req *r, const struct client_names *cl)
{
	const char	*me = store_actor(r->s)->name;
	char		 id[24];
	size_t		 i, mine = 0;

	for (i = 0; i < cl->n; i++)
		mine += strcmp(cl->v[i].therapist, me) == 0;
	if (mine == 0)
		return;
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/send\" class=\""
	    "add\"><label for=\"sc\">Send a measure to</label><select id=\""
	    "sc\" name=\"client\">");
	for (i = 0; i < cl->n; i++) {
		if (strcmp(cl->v[i].therapist, me) != 0)
			continue;
		snprintf(id, sizeof(id), "%lld", (long long)cl->v[i].id);
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, cl->v[i].name);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select><label for=\"si\">Measure</label><select "
	    "id=\"si\" name=\"instrument\">");
	instrument_options(r, r->srv->cfg->reg, true);
	HTML_LIT(&r->out, "</select>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\" name=\"send\" value=\"mail\">"
	    "Send by mail</button><button type=\"submit\" name=\"send\" "
	    "value=\"sms\">Send by SMS</button></form>");
}

/* POST /send: the caseload's one-click send, as the client page's. */
void
send_post(struct req *r, int64_t id, const char *rest)
{
	/* send_fields checked: the client's number is in. */
	id = r->in[3].id;
	if (r->in[1].text == NULL) {
		error_page(r, 400, "Send by mail or by SMS.");
		return;
	}
	link_post(r, id, rest);
}

/* The caseload; typed and err: a refused new client (else NULL). */
static void
dashboard(struct req *r, const char *typed, const char *err)
{
	struct client_names	 cl;
	struct open_alerts	 oa = { NULL, NULL, NULL, 0, 0 };
	const char		*q, *sort;
	enum caseload_order	 o;

	/* Overdue measures become alerts with a lifecycle; usually there is
	 * nothing new and this is one read. */
	{
		size_t raised;

		if (store_alerts_overdue(r->s, http_now(), DUE_DAYS, &raised) !=
		    SB_OK) {
			error_page(r, 503, "The practice is busy; please try "
			    "again.");
			return;
		}
	}
	if (!view_begin(r))
		return;
	if (client_names_load(r->s, &cl) != SB_OK) {
		read_failed(r);
		client_names_free(&cl);
		view_end(r);
		return;
	}
	q = http_query(r, "q");
	sort = http_query(r, "sort");
	o = sort && strcmp(sort, "alerts") == 0 ? BY_ALERTS : sort &&
	    strcmp(sort, "recent") == 0 ? BY_RECENT : BY_NAME;
	if ((oa.count = calloc(cl.n + 1, sizeof(*oa.count))) == NULL) {
		read_failed(r);
		goto out;
	}
	/* At once, not doubled up; a failure: the appends say. */
	(void)!buf_grow(&r->out, 64 * 1024);
	page_begin(r, "Caseload");
	HTML_LIT(&r->out, "<div class=\"page-head\"><h1>Caseload</h1>");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		add_client_form(r, typed, err);
		send_form(r, &cl);
	}
	HTML_LIT(&r->out, "</div><section class=\"card\" aria-labelledby=\""
	    "oa-h\"><h2 id=\"oa-h\">Open alerts</h2>");
	oa.r = r;
	oa.cl = &cl;
	oa.n = 0;
	if (store_escalate_minutes(r->s, &oa.escalate) != SB_OK)
		oa.escalate = STORE_ESCALATE_DEFAULT;
	if (store_alert_open_each(r->s, alert_row, &oa) != SB_OK) {
		read_failed(r);
		goto out;
	}
	if (oa.n > 0)
		HTML_LIT(&r->out, "</table></div>");
	else
		HTML_LIT(&r->out, "<p class=\"empty\">No open alerts.</p>");
	HTML_LIT(&r->out, "</section><section class=\"card\" aria-labelledby="
	    "\"cl-h\"><h2 id=\"cl-h\">Clients</h2>");
	if (cl.n > 0) {
		find_form(r, q ? q : "", o);
		if (!client_rows(r, &cl, oa.count, q ? q : "", o)) {
			read_failed(r);
			goto out;
		}
	} else
		HTML_LIT(&r->out, "<p class=\"empty\">No clients yet.</p>");
	HTML_LIT(&r->out, "</section>");
	page_end(r);
out:
	view_end(r);
	client_names_free(&cl);
	free(oa.count);
}

/* GET /: the caseload, or the administration page for an admin. */
void
home_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN)
		http_redirect(r, "/admin");
	else
		dashboard(r, NULL, NULL);
}

const struct field_def client_add_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /clients: a new client, from the form on the caseload
 * (client_add_fields checked: the store says what a name needs). */
void
client_add_page(struct req *r, int64_t id, const char *rest)
{
	char		 to[64], why[300];
	enum sb_err	 e;

	(void)rest;
	if ((e = store_client_add(r->s, r->in[0].text, &id)) !=
	    SB_OK) {
		if (e != SB_EINVAL && e != SB_ELIMIT) {
			error_page(r, e == SB_EPERM ? 403 : 503,
			    store_errmsg(r->s));
			return;
		}
		/* The caseload again, the name as typed and why not. */
		snprintf(why, sizeof(why), "Not added: %s.",
		    store_errmsg(r->s));
		r->status = 400;
		dashboard(r, r->in[0].text, why);
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	http_redirect(r, to);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_caseload.c - the therapist's caseload: each client with the
 * latest score of each measure and its change, measures due (the view
 * app/caseload.c gathers, written by render/caseload_page.c), the open
 * alerts grouped by client with their forms (the triage), and adding a
 * client or sending a measure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "render/caseload_page.h"
#include "render/html.h"
#include "render/measure.h"
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

/* One open or acknowledged alert, kept for the triage. */
struct triage_alert {
	struct store_alert	 a;		/* detail: owned */
	bool			 overdue;	/* open past escalation */
};

/* The open alerts of the caseload as the filter asks (sev, state: NULL
 * for all), and every client's count of them all. */
struct triage {
	const struct client_names	*cl;
	size_t				*count;	/* per client, as cl */
	struct triage_alert		*v;
	size_t				 n, cap;
	const char			*sev, *state;
	int				 escalate;	/* minutes */
	int64_t				 now;
};

static SB_MUST enum sb_err
alert_kept(void *arg, const struct store_alert *a)
{
	struct triage		*t = arg;
	const struct client_name *c = client_names_find(t->cl, a->client);
	struct triage_alert	*grown, *k;
	int64_t			 at;
	size_t			 cap;

	if (c != NULL)
		t->count[c - t->cl->v]++;
	if ((t->sev != NULL && strcmp(a->severity, t->sev) != 0) ||
	    (t->state != NULL && strcmp(a->state, t->state) != 0))
		return SB_OK;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if (cap > 100000 || (grown = realloc(t->v, cap *
		    sizeof(*grown))) == NULL)
			return SB_ENOMEM;
		t->v = grown;
		t->cap = cap;
	}
	k = &t->v[t->n];
	k->a = *a;
	if ((k->a.detail = strdup(a->detail ? a->detail : "")) == NULL)
		return SB_ENOMEM;
	/* Open past the practice's escalation time: passed to the duty
	 * address, and marked here too. */
	k->overdue = strcmp(a->severity, "high") == 0 && strcmp(a->state,
	    "open") == 0 && a->historic[0] == '\0' &&
	    text_iso_seconds(a->created, &at) && t->now - at >=
	    (int64_t)t->escalate * 60;
	t->n++;
	return SB_OK;
}

static void
triage_free(struct triage *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free((char *)t->v[i].a.detail);
	free(t->v);
}

/* An alert's severity as a badge of its tone, in words. */
static void
severity_badge(struct req *r, const char *sev)
{
	HTML_LIT(&r->out, "<span class=\"badge ");
	if (strcmp(sev, "high") == 0)
		HTML_LIT(&r->out, "high");
	else
		HTML_PICK(&r->out, strcmp(sev, "medium") == 0, "medium",
		    "low");
	HTML_LIT(&r->out, "\">");
	html_text(&r->out, sev);
	HTML_LIT(&r->out, "</span>");
}

/*
 * One client's alerts: a line each in the summary (severity, what, when,
 * state), and, opened, what each says with Acknowledge and Resolve, and
 * the way to the client.  The alerts of client are those of t->v from
 * first on (the store gives the most severe first, so the client with
 * the most severe alert comes first).
 */
static void
triage_group(struct req *r, const struct triage *t, size_t first)
{
	const struct triage_alert	*k;
	const struct client_name	*c;
	int64_t				 client = t->v[first].a.client;
	char				 who[40], href[64];
	bool				 overdue = false;
	size_t				 i;

	if ((c = client_names_find(t->cl, client)) == NULL)
		snprintf(who, sizeof(who), "client %lld", (long long)client);
	for (i = first; i < t->n; i++)
		overdue = overdue || (t->v[i].a.client == client &&
		    t->v[i].overdue);
	HTML_LIT(&r->out, "<li><details><summary><span class=\"who\">");
	html_text(&r->out, c != NULL ? c->name : who);
	HTML_LIT(&r->out, "</span>");
	if (overdue)
		HTML_LIT(&r->out, " <span class=\"badge high\">overdue: not "
		    "acknowledged</span>");
	for (i = first; i < t->n; i++) {
		if ((k = &t->v[i])->a.client != client)
			continue;
		HTML_LIT(&r->out, "<span class=\"line\">");
		severity_badge(r, k->a.severity);
		HTML_LIT(&r->out, " <strong>");
		html_text(&r->out, alert_rule_words(k->a.rule));
		HTML_LIT(&r->out, "</strong> <span class=\"muted\">raised ");
		html_when(&r->out, k->a.created);
		HTML_LIT(&r->out, ", ");
		html_text(&r->out, k->a.state);
		HTML_LIT(&r->out, "</span></span>");
	}
	HTML_LIT(&r->out, "</summary><div class=\"handle\">");
	for (i = first; i < t->n; i++) {
		if ((k = &t->v[i])->a.client != client)
			continue;
		HTML_LIT(&r->out, "<div class=\"alert-line\"><p>");
		severity_badge(r, k->a.severity);
		HTML_LIT(&r->out, " <strong>");
		html_text(&r->out, alert_rule_words(k->a.rule));
		HTML_LIT(&r->out, "</strong>: ");
		html_text(&r->out, k->a.detail);
		if (k->a.historic[0] != '\0') {
			HTML_LIT(&r->out, " <em>(historic: answered ");
			html_text(&r->out, k->a.historic);
			HTML_LIT(&r->out, ", imported later)</em>");
		}
		HTML_LIT(&r->out, " <span class=\"muted\">raised ");
		html_when(&r->out, k->a.created);
		HTML_LIT(&r->out, ", ");
		html_text(&r->out, k->a.state);
		HTML_LIT(&r->out, "</span></p>");
		alert_forms(r, &k->a, "/");
		HTML_LIT(&r->out, "</div>");
	}
	snprintf(href, sizeof(href), "/clients/%lld#alert-%lld",
	    (long long)client, (long long)t->v[first].a.id);
	HTML_LIT(&r->out, "<p><a");
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">Open ");
	html_text(&r->out, c != NULL ? c->name : who);
	HTML_LIT(&r->out, "'s page</a></p></div></details></li>");
}

/* <option>s of the n values v, chosen selected (NULL: none). */
static void
options(struct req *r, const char *const *v, size_t n, const char *chosen)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", v[i]);
		if (chosen != NULL && strcmp(chosen, v[i]) == 0)
			HTML_LIT(&r->out, " selected");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, v[i]);
		HTML_LIT(&r->out, "</option>");
	}
}

/* The filter, a GET form on the caseload (what it searched and its
 * order kept), closed unless it narrows the list. */
static void
triage_filter(struct req *r, const struct triage *t)
{
	static const char *const sevs[] = { "high", "medium", "low" };
	static const char *const states[] = { "open", "acknowledged" };
	const char	*q = http_query(r, "q"), *sort = http_query(r, "sort");

	HTML_LIT(&r->out, "<details class=\"filter\"");
	if (t->sev != NULL || t->state != NULL)
		HTML_LIT(&r->out, " open");
	HTML_LIT(&r->out, "><summary>Showing ");
	html_text(&r->out, t->sev ? t->sev : "every severity");
	HTML_LIT(&r->out, ", ");
	html_text(&r->out, t->state ? t->state : "open and acknowledged");
	HTML_LIT(&r->out, "</summary><form method=\"get\" action=\"/\" "
	    "class=\"add\">");
	if (q != NULL && q[0] != '\0') {
		HTML_LIT(&r->out, "<input type=\"hidden\" name=\"q\"");
		html_attr(&r->out, "value", q);
		HTML_LIT(&r->out, ">");
	}
	if (sort != NULL && sort[0] != '\0') {
		HTML_LIT(&r->out, "<input type=\"hidden\" name=\"sort\"");
		html_attr(&r->out, "value", sort);
		HTML_LIT(&r->out, ">");
	}
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"fs\">Severity"
	    "</label><select id=\"fs\" name=\"sev\"><option value=\"\">every"
	    " severity</option>");
	options(r, sevs, 3, t->sev);
	HTML_LIT(&r->out, "</select></div><div class=\"field\"><label for=\""
	    "ft\">State</label><select id=\"ft\" name=\"state\"><option "
	    "value=\"\">open and acknowledged</option>");
	options(r, states, 2, t->state);
	HTML_LIT(&r->out, "</select></div><button type=\"submit\" class=\""
	    "secondary\">Show</button></form></details>");
}

/* A filter's value when it is one of those it may be, else NULL (all). */
static const char *
one_of(const char *v, const char *a, const char *b, const char *c)
{
	if (v == NULL)
		return NULL;
	if (strcmp(v, a) == 0 || strcmp(v, b) == 0 || (c != NULL &&
	    strcmp(v, c) == 0))
		return v;
	return NULL;
}

/*
 * The open alerts, one group a client (the most severe first): read
 * before the page is written, so a failed read is an error page.  Every
 * client's count goes to t->count for the caseload's rows.
 */
static bool
triage_read(struct req *r, struct triage *t)
{
	t->sev = one_of(http_query(r, "sev"), "high", "medium", "low");
	t->state = one_of(http_query(r, "state"), "open", "acknowledged",
	    NULL);
	t->now = http_now();
	if (store_escalate_minutes(r->s, &t->escalate) != SB_OK)
		t->escalate = STORE_ESCALATE_DEFAULT;
	return store_alert_open_each(r->s, alert_kept, t) == SB_OK;
}

static void
triage_html(struct req *r, const struct triage *t)
{
	size_t	 i, j;

	HTML_LIT(&r->out, "<section class=\"card\" aria-labelledby=\"oa-h\">"
	    "<h2 id=\"oa-h\">Open alerts</h2>");
	triage_filter(r, t);
	if (t->n == 0) {
		HTML_PICK(&r->out, t->sev == NULL && t->state == NULL,
		    "<p class=\"empty\">No open alerts.</p>",
		    "<p class=\"empty\">No open alert is as the filter asks."
		    "</p>");
		HTML_LIT(&r->out, "</section>");
		return;
	}
	HTML_LIT(&r->out, "<ul class=\"triage\">");
	for (i = 0; i < t->n; i++) {
		/* A client's group once, where their first alert is. */
		for (j = 0; j < i && t->v[j].a.client != t->v[i].a.client; j++)
			;
		if (j == i)
			triage_group(r, t, i);
	}
	HTML_LIT(&r->out, "</ul></section>");
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

/* Adding a client and sending a measure, behind one summary: the
 * triage and the clients come first (open when a name was refused). */
static void
page_actions(struct req *r, const struct client_names *cl, const char *typed,
    const char *err)
{
	HTML_LIT(&r->out, "<details class=\"actions-menu\"");
	if (err != NULL)
		HTML_LIT(&r->out, " open");
	HTML_LIT(&r->out, "><summary>Add a client or send a measure</summary>"
	    "<div class=\"menu\">");
	add_client_form(r, typed, err);
	send_form(r, cl);
	HTML_LIT(&r->out, "</div></details>");
}

/* The caseload; typed and err: a refused new client (else NULL). */
static void
dashboard(struct req *r, const char *typed, const char *err)
{
	struct client_names	 cl;
	struct triage		 t;
	const char		*q, *sort;
	enum caseload_order	 o;

	memset(&t, 0, sizeof(t));
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
	t.cl = &cl;
	if ((t.count = calloc(cl.n + 1, sizeof(*t.count))) == NULL ||
	    !triage_read(r, &t)) {
		read_failed(r);
		goto out;
	}
	/* At once, not doubled up; a failure: the appends say. */
	(void)!buf_grow(&r->out, 64 * 1024);
	page_begin(r, "Caseload");
	HTML_LIT(&r->out, "<div class=\"page-head\"><h1>Caseload</h1>");
	if (store_actor(r->s)->role == ROLE_THERAPIST)
		page_actions(r, &cl, typed, err);
	HTML_LIT(&r->out, "</div>");
	triage_html(r, &t);
	HTML_LIT(&r->out, "<section class=\"card\" aria-labelledby="
	    "\"cl-h\"><h2 id=\"cl-h\">Clients</h2>");
	if (cl.n > 0) {
		find_form(r, q ? q : "", o);
		if (!client_rows(r, &cl, t.count, q ? q : "", o)) {
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
	triage_free(&t);
	free(t.count);
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

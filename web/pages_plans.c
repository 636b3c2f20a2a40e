/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_plans.c - the client page's measurement plans: the client's mail
 * address, each plan with what it sent last and when it sends next, and
 * the forms to add a plan (or a template's), pause, resume or end one
 * (POST /clients/N/plans/WHAT).
 */
#include <stdio.h>
#include <string.h>

#include "app/registry.h"
#include "core/plan.h"
#include "render/client_page.h"
#include "render/html.h"
#include "web/web_int.h"

struct plan_list {
	struct req	*r;
	int64_t		 client;
	size_t		 n;
};

/* One button in a form of its own, naming the plan. */
static void
plan_button(struct req *r, int64_t client, int64_t plan, const char *what,
    const char *label)
{
	char	 action[96], v[24];

	snprintf(action, sizeof(action), "/clients/%lld/plans/%s",
	    (long long)client, what);
	snprintf(v, sizeof(v), "%lld", (long long)plan);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"inline\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"plan\"");
	html_attr(&r->out, "value", v);
	HTML_LIT(&r->out, "><button type=\"submit\" class=\"secondary\">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</button></form>");
}

static SB_MUST enum sb_err
plan_row(void *arg, const struct store_plan_row *p)
{
	struct plan_list	*pl = arg;
	struct req		*r = pl->r;
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    p->p.instrument);
	struct plan_rules	 pr;
	enum plan_rule		 rule;
	char			 words[160], why[160], n[64];
	int64_t			 due;
	int			 session;
	bool			 parsed;

	/* A list, not a table: the side column is narrow. */
	if (pl->n++ == 0)
		HTML_LIT(&r->out, "<ul class=\"plans\">");
	parsed = plan_rule_parse(p->p.rule, &rule) && plan_parse(rule,
	    p->p.spec, &pr, why, sizeof(why));
	HTML_LIT(&r->out, "<li><p><strong>");
	html_text(&r->out, re ? re->in->name : p->p.instrument);
	HTML_LIT(&r->out, "</strong> &middot; ");
	if (parsed) {
		plan_words(&pr, words, sizeof(words));
		html_text(&r->out, words);
	} else
		html_text(&r->out, p->p.spec);
	if (p->p.ended != 0) {
		/* Ended by the care lifecycle: what stopped, and why. */
		HTML_LIT(&r->out, "</p><p><span class=\"badge t-medium\">"
		    "stopped</span> ");
		html_when_t(&r->out, p->p.ended);
		HTML_LIT(&r->out, ": ");
		html_text(&r->out, store_stop_words(p->p.stop_reason) ?
		    store_stop_words(p->p.stop_reason) : p->p.stop_reason);
		HTML_LIT(&r->out, ". Its open link was withdrawn and nothing "
		    "more is sent.</p></li>");
		return SB_OK;
	}
	HTML_LIT(&r->out, "</p><p class=\"muted\">Next: ");
	if (p->p.paused && p->p.stop_reason[0] != '\0') {
		HTML_LIT(&r->out, "<span class=\"badge t-medium\">paused: ");
		html_text(&r->out, store_stop_words(p->p.stop_reason) ?
		    store_stop_words(p->p.stop_reason) : p->p.stop_reason);
		HTML_LIT(&r->out, "</span>");
	} else if (p->p.paused)
		HTML_LIT(&r->out, "<span class=\"badge t-medium\">paused"
		    "</span>");
	else if (parsed && plan_next(&pr, p->p.start, http_now(), p->sessions,
	    &due, &session)) {
		if (due > 0)
			html_when_t(&r->out, due);
		else {
			snprintf(n, sizeof(n), "after session %d", session);
			html_text(&r->out, n);
		}
	} else
		HTML_LIT(&r->out, "no more");
	HTML_LIT(&r->out, ". Latest: ");
	if (p->last_state != NULL) {
		html_when_t(&r->out, p->last_due);
		HTML_LIT(&r->out, ", ");
		html_text(&r->out, p->last_state);
	} else
		HTML_LIT(&r->out, "nothing sent yet");
	snprintf(n, sizeof(n), " (%zu sent, %zu finished).", p->sent,
	    p->finished);
	html_text(&r->out, n);
	HTML_LIT(&r->out, "</p>");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		plan_button(r, pl->client, p->p.id, p->p.paused ? "resume" :
		    "pause", p->p.paused ? "Resume" : "Pause");
		plan_button(r, pl->client, p->p.id, "end", "End");
	}
	HTML_LIT(&r->out, "</li>");
	return SB_OK;
}

/* The forms: the address, a plan, a template's plans. */
static void
plan_forms(struct req *r, int64_t id, bool have_address,
    const struct store_contact *c)
{
	char	 action[96];
	size_t	 i;

	snprintf(action, sizeof(action), "/clients/%lld/plans/email",
	    (long long)id);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"pe\">");
	HTML_PICK(&r->out, have_address, "Change the client's mail address",
	    "The client's mail address");
	HTML_LIT(&r->out, "</label><input type=\"email\" id=\"pe\" "
	    "name=\"email\" autocomplete=\"off\" aria-describedby=\"pe-h\">"
	    "<p class=\"muted\" id=\"pe-h\">Empty removes it.</p></div>"
	    "<button type=\"submit\" class=\"secondary\">Save address"
	    "</button></form>");
	snprintf(action, sizeof(action), "/clients/%lld/plans/phone",
	    (long long)id);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"pp\">");
	HTML_PICK(&r->out, c->phone, "A new mobile for SMS (one is on file)",
	    "The client's mobile for SMS");
	HTML_LIT(&r->out, "</label><input type=\"tel\" id=\"pp\" "
	    "name=\"phone\" autocomplete=\"off\" aria-describedby=\"pp-h\">"
	    "<p class=\"muted\" id=\"pp-h\">+ and the country code: "
	    "<kbd>+44 7700 900123</kbd>. Empty keeps the one on file.</p>");
	if (c->phone)
		HTML_LIT(&r->out, "<label><input type=\"checkbox\" name=\""
		    "remove_phone\" value=\"1\"> Remove the mobile</label>");
	HTML_LIT(&r->out, "</div><div class=\"field\"><label for=\"pc\">"
	    "Send plans' links by</label><select id=\"pc\" name=\"channel\">"
	    "<option value=\"mail\">mail</option><option value=\"sms\"");
	if (strcmp(c->channel, "sms") == 0)
		HTML_LIT(&r->out, " selected");
	HTML_LIT(&r->out, ">SMS</option></select></div><button type=\"submit\" "
	    "class=\"secondary\">Save mobile and channel</button></form>");
	snprintf(action, sizeof(action), "/clients/%lld/plans/add",
	    (long long)id);
	HTML_LIT(&r->out, "<details id=\"add-plan\"><summary>Add a plan"
	    "</summary><form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"pi\">Measure"
	    "</label><select id=\"pi\" name=\"instrument\">");
	instrument_options(r, r->srv->cfg->reg, true);
	HTML_LIT(&r->out, "</select></div><div class=\"field\"><label "
	    "for=\"pr\">Send it</label><select id=\"pr\" name=\"rule\">"
	    "<option value=\"sessions\">after attended sessions</option>"
	    "<option value=\"days\">every so many days</option><option "
	    "value=\"months\">months from today</option></select></div>"
	    "<div class=\"field\"><label for=\"ps\">Which</label><input "
	    "type=\"text\" id=\"ps\" name=\"spec\" required value=\"every\" "
	    "aria-describedby=\"ps-hint\"><p class=\"muted\" id=\"ps-hint\">"
	    "Sessions: <kbd>every</kbd> (at the start and after each), or "
	    "<kbd>3,6,9</kbd>. Days: <kbd>14</kbd>. Months: <kbd>0,3,6</kbd> "
	    "(0 is today).</p></div><div class=\"field\"><label for=\"pm\">"
	    "Remind after (days, 0 for none)</label><input type=\"number\" "
	    "id=\"pm\" name=\"remind\" min=\"0\" max=\"89\" value=\"3\">"
	    "</div><div class=\"field\"><label for=\"px\">The link lasts "
	    "(days)</label><input type=\"number\" id=\"px\" name=\"expire\" "
	    "min=\"1\" max=\"90\" value=\"7\"></div><button type=\"submit\">"
	    "Add plan</button></form>");
	snprintf(action, sizeof(action), "/clients/%lld/plans/template",
	    (long long)id);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"pt\">Or a "
	    "practice template</label><select id=\"pt\" name=\"template\">");
	for (i = 0; i < plan_ntemplates; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", plan_templates[i].id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, plan_templates[i].title);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select></div><button type=\"submit\" "
	    "class=\"secondary\">Add the template's plans</button><p "
	    "class=\"muted\">A measure whose licence needs the authors' "
	    "permission is left out until an administrator records it."
	    "</p></form></details>");
}

void
plans_section(struct req *r, int64_t id)
{
	struct plan_list	 pl = { r, id, 0 };
	struct store_contact	 contact = { false, false, "mail" };
	struct buf		 email;
	size_t			 mark = r->out.len;
	bool			 set = false;

	HTML_LIT(&r->out, "<h2 id=\"plans\">Measurement plans</h2>");
	buf_init(&email, STORE_MAX_EMAIL + 64);
	if (store_client_email_get(r->s, id, &email, &set) != SB_OK ||
	    store_plan_each(r->s, id, http_now(), plan_row, &pl) != SB_OK) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		HTML_LIT(&r->out, "<h2 id=\"plans\">Measurement plans</h2><p "
		    "class=\"high\">The plans could not be read.</p>");
		buf_wipe(&email);
		return;
	}
	if (pl.n == 0)
		HTML_LIT(&r->out, "<p class=\"empty\">No plan: measures are "
		    "sent by hand.</p>");
	else
		HTML_LIT(&r->out, "</ul>");
	HTML_LIT(&r->out, "<p>");
	if (set) {
		HTML_LIT(&r->out, "Mail goes to <strong>");
		html_text(&r->out, email.data);
		HTML_LIT(&r->out, "</strong>: the practice's and your name and "
		    "the link, nothing clinical.");
	} else
		HTML_LIT(&r->out, "<strong>No mail address.</strong>");
	{
		struct store_contact	*c = &contact;

		if (store_client_contact(r->s, id, c) == SB_OK) {
			if (c->phone)
				HTML_LIT(&r->out, " A mobile for SMS is on "
				    "file.");
			if (!c->phone && !set)
				HTML_LIT(&r->out, " Plans send nothing until "
				    "an address or a mobile is given.");
			else if (strcmp(c->channel, "sms") == 0 && c->phone)
				HTML_LIT(&r->out, " Plans' links go by SMS.");
			else
				HTML_LIT(&r->out, " Plans' links go by mail"
				    " where there is an address.");
		}
	}
	HTML_LIT(&r->out, "</p>");
	if (store_actor(r->s)->role == ROLE_THERAPIST)
		plan_forms(r, id, set, &contact);
	buf_wipe(&email);
}

/* The plan forms' fields, checked before plans_post runs (routes.c);
 * the handler finds them in r->in in this order. */
const struct field_def plan_email_fields[] = {
	{ .name = "email", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def plan_phone_fields[] = {
	{ .name = "phone", .kind = FIELD_TEXT },
	{ .name = "remove_phone", .kind = FIELD_TEXT },
	{ .name = "channel", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def plan_set_fields[] = {
	{ .name = "plan", .kind = FIELD_ID, .required = true,
	    .missing = "Choose the plan.", .bad = "Choose the plan." },
	{ .name = NULL } };
const struct field_def plan_add_fields[] = {
	{ .name = "remind", .kind = FIELD_TEXT },
	{ .name = "expire", .kind = FIELD_TEXT },
	{ .name = "instrument", .kind = FIELD_TEXT },
	{ .name = "rule", .kind = FIELD_TEXT },
	{ .name = "spec", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def plan_template_fields[] = {
	{ .name = "remind", .kind = FIELD_TEXT },
	{ .name = "expire", .kind = FIELD_TEXT },
	{ .name = "template", .kind = FIELD_TEXT }, { .name = NULL } };

/* A number from the form (v, NULL when absent), lo..hi, or dflt when
 * absent; false when bad. */
static bool
form_days(const char *v, int dflt, int lo, int hi, int *out)
{
	int64_t		 n;

	*out = dflt;
	if (v == NULL || v[0] == '\0')
		return true;
	if (strcmp(v, "0") == 0 && lo == 0) {
		*out = 0;
		return true;
	}
	if (!http_parse_id(v, strlen(v), &n) || n < lo || n > hi)
		return false;
	*out = (int)n;
	return true;
}

/* Adds one plan after the instrument's checks; false with the page. */
static bool
plan_one(struct req *r, struct store_plan *p)
{
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    p->instrument);
	char			 msg[300];

	if (re == NULL) {
		error_page(r, 400, "Choose a measure from the list.");
		return false;
	}
	if (!instrument_sendable(r, re)) {
		snprintf(msg, sizeof(msg), "%s cannot be sent until the "
		    "authors' permission is recorded (Administration, "
		    "Licences).", re->in->name);
		error_page(r, 400, msg);
		return false;
	}
	return true;
}

/* POST /clients/N/plans/WHAT: add, template, pause, resume, end, email. */
void
plans_post(struct req *r, int64_t id, const char *rest)
{
	struct store_plan	 p;
	const char		*v;
	char			 to[64], msg[400];
	const struct plan_template *t = NULL;
	int64_t			 plan, pid;
	size_t			 i, added = 0;
	enum sb_err		 e = SB_OK;

	(void)rest;
	memset(&p, 0, sizeof(p));
	p.client = id;
	p.start = http_now();
	if (r->op == OP_PLAN_EMAIL) {
		e = store_client_email(r->s, id, r->in[0].text, NULL);
	} else if (r->op == OP_PLAN_PHONE) {
		/* The phone and the channel together, or neither; an empty
		 * field keeps the mobile on file, the box removes it. */
		v = r->in[0].text;
		if ((e = store_begin(r->s)) == SB_OK && (v != NULL ||
		    r->in[1].text != NULL))
			e = store_client_phone(r->s, id, v, NULL);
		if (e == SB_OK && (e = store_client_channel(r->s, id,
		    r->in[2].text ? r->in[2].text : "mail")) == SB_OK)
			e = store_commit(r->s);
		else
			store_rollback(r->s);
	} else if (r->op == OP_PLAN_PAUSE || r->op == OP_PLAN_RESUME ||
	    r->op == OP_PLAN_END) {
		plan = r->in[0].id;
		e = store_plan_set(r->s, id, plan, r->op == OP_PLAN_PAUSE ?
		    "pause" : r->op == OP_PLAN_RESUME ? "resume" : "end");
	} else if (r->op == OP_PLAN_ADD || r->op == OP_PLAN_TEMPLATE) {
		if (!form_days(r->in[0].text, 3, 0, 89, &p.remind_days) ||
		    !form_days(r->in[1].text, 7, 1, 90, &p.expire_days)) {
			error_page(r, 400, "Remind after 0-89 days; a link lasts "
			    "1-90 days.");
			return;
		}
		if (r->op == OP_PLAN_TEMPLATE) {
			v = r->in[2].text;
			for (i = 0; v != NULL && i < plan_ntemplates; i++)
				if (strcmp(plan_templates[i].id, v) == 0)
					t = &plan_templates[i];
			if (t == NULL) {
				error_page(r, 400, "Choose a template.");
				return;
			}
		}
		for (i = 0; e == SB_OK && i < (t ? t->n : 1); i++) {
			const struct reg_entry *re;

			if (t != NULL) {
				/* A template's measure that may not be sent
				 * is left out; the others go in. */
				re = registry_find(r->srv->cfg->reg,
				    t->items[i].instrument);
				if (re == NULL || !instrument_sendable(r, re))
					continue;
				snprintf(p.instrument, sizeof(p.instrument),
				    "%s", t->items[i].instrument);
				snprintf(p.rule, sizeof(p.rule), "%s",
				    plan_rule_name(t->items[i].rule));
				snprintf(p.spec, sizeof(p.spec), "%s",
				    t->items[i].spec);
			} else {
				v = r->in[2].text;
				snprintf(p.instrument, sizeof(p.instrument),
				    "%s", v ? v : "");
				v = r->in[3].text;
				snprintf(p.rule, sizeof(p.rule), "%s", v ? v :
				    "");
				v = r->in[4].text;
				snprintf(p.spec, sizeof(p.spec), "%s", v ? v :
				    "");
				if (!plan_one(r, &p))
					return;
			}
			if ((e = store_plan_add(r->s, &p, &pid)) == SB_OK)
				added++;
		}
	} else {
		error_page(r, 404, "Not found.");
		return;
	}
	if (e == SB_EINVAL) {
		snprintf(msg, sizeof(msg), "Nothing was saved: %s.",
		    store_errmsg(r->s));
		error_page(r, 400, msg);
		return;
	}
	if (e == SB_ENOENT || e == SB_EPERM) {
		error_page(r, 404, "There is no such plan or client on your "
		    "caseload.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 503, "It could not be saved just now; please "
		    "send it again in a moment.");
		return;
	}
	client_href(to, sizeof(to), id, "plans");
	http_redirect_saying(r, to, "saved");
}

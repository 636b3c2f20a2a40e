/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_questionnaire.c - the client's questionnaire (no account: the
 * link is the key), PAGE_ITEMS questions a page.
 *
 * A visit to a page goes open (the link, its instrument, the answers so
 * far), parse (the page asked for and, when sent, its answers), save
 * (the answers, the alerts they raise and, on the last page, the
 * administration: one transaction), raise (inside it: the alerts), and
 * render (the page, or the thanks).  A page that could not be saved is
 * shown again with what was chosen, and says so.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/record.h"
#include "core/text.h"
#include "render/html.h"
#include "app/log.h"
#include "store/kiosk.h"
#include "web/web_int.h"

#define PAGE_ITEMS	5

/* One visit to a page of a questionnaire. */
struct visit {
	const char		*token;
	struct store_link	 l;
	const struct instrument	*in;
	struct score_plan	*plan;
	int16_t			 ans[INSTR_MAX_ITEMS];
	char			 csrf[TOKEN_HEX + 1];
	size_t			 page, pages;	/* from 0 */
	size_t			 first, last;	/* the page's items */
	bool			 post, finish, back;
	int			 ncrit, queued;	/* alerts, messages */
};

static void
page_items(struct visit *v)
{
	v->first = v->page * PAGE_ITEMS;
	v->last = v->first + PAGE_ITEMS < v->in->nitems ? v->first +
	    PAGE_ITEMS : v->in->nitems;
}

/*
 * A completed link opened again (the client's phone reopens the tab): a
 * thank-you, and the support text again when the answers held a risk
 * answer, with only what is true about the therapist.
 */
static void
completed_page(struct req *r, const struct store_link *l)
{
	bool	 risk = false;
	int	 queued = 0;

	if (store_link_risk(r->s, l->id, &risk, &queued) != SB_OK)
		risk = true;	/* not known: the support text, to be safe */
	page_begin(r, "Thank you");
	/* 410: the link is used up, though the page is a kind one. */
	r->status = 410;
	if (risk)
		crisis_box(r, queued);
	HTML_LIT(&r->out, "<h1>Thank you, this questionnaire is complete"
	    "</h1><p>Your answers have been sent to your therapist. There is "
	    "nothing more to answer on this link.</p>");
	page_end(r);
}

/*
 * The link and what it asks: false when the page is already answered
 * (an error page, or the narrative prompts, which are their own pages).
 */
static bool
visit_open(struct req *r, const char *token, struct visit *v)
{
	const struct reg_entry	*re;
	size_t			 i;
	bool			 ok = true;

	memset(v, 0, sizeof(*v));
	v->token = token;
	v->post = strcmp(r->method, "POST") == 0;
	/* A link is one person's: more than LINK_RATE posts a minute are
	 * a script, not someone answering.  Counted first in this node's
	 * memory (a flood of made-up tokens never reaches the database),
	 * then on the link itself, which every node over PostgreSQL
	 * shares. */
	if (v->post) {
		/* A count that cannot be written lets the post through: the
		 * page's own save then says, keeping the answers, whether it
		 * could be stored. */
		if (!link_rate_ok(r->srv, token))
			ok = false;
		else {
			r->rate_taken = true;
			if (store_link_post(r->s, token, http_now() / 60,
			    LINK_RATE,
			    &ok) != SB_OK)
				ok = true;
		}
	}
	if (!ok) {
		snprintf(r->retry_after, sizeof(r->retry_after), "60");
		error_page(r, 429, "Too many answers sent in a minute. Please "
		    "wait a minute; nothing you sent before is lost.");
		return false;
	}
	if (store_link_open(r->s, token, http_now(), &v->l) != SB_OK) {
		error_page(r, 404, "This link is not valid: it may have "
		    "expired. Please ask your therapist for a new one.");
		return false;
	}
	if (strcmp(v->l.instrument, NARRATIVE_LINK) == 0) {
		narrative_link(r, token, &v->l);
		return false;
	}
	if (v->l.administration != 0) {
		completed_page(r, &v->l);
		return false;
	}
	re = registry_find(r->srv->cfg->reg, v->l.instrument);
	if (re == NULL || !instrument_sendable(r, re) ||
	    v->l.administration != 0 || score_plan_new(re->in, 0, 0,
	    &v->plan) != SB_OK) {
		error_page(r, v->l.administration ? 410 : 404,
		    v->l.administration ? "This questionnaire is complete. "
		    "Thank you." : "This questionnaire is not available.");
		return false;
	}
	v->in = re->in;
	if (answers_decode(v->plan, v->l.answers, v->ans) != SB_OK)
		for (i = 0; i < v->in->nitems; i++)
			v->ans[i] = SCORE_MISSING;
	v->pages = (v->in->nitems + PAGE_ITEMS - 1) / PAGE_ITEMS;
	http_link_csrf(token, v->csrf);
	return true;
}

/*
 * Where a reopened link starts: the first page without one answer, as
 * far as the client had come (a page answered in part was seen and
 * sent); the last page when every page holds an answer.
 */
static size_t
resume_page(const struct visit *v)
{
	size_t	 p, i, end;

	for (p = 0; p + 1 < v->pages; p++) {
		end = (p + 1) * PAGE_ITEMS < v->in->nitems ? (p + 1) *
		    PAGE_ITEMS : v->in->nitems;
		for (i = p * PAGE_ITEMS; i < end; i++)
			if (v->ans[i] != SCORE_MISSING)
				break;
		if (i == end)
			return p;
	}
	return p;
}

/*
 * The page asked for and, when sent, the form's token and the page's
 * answers into v->ans (a blank one is skipped): false with an error
 * page.
 */
static bool
visit_parse(struct req *r, struct visit *v)
{
	const char	*p, *a, *go;
	size_t		 i;
	long		 val;

	p = http_query(r, "p");
	if (v->post) {
		if (!form_read(r))
			return false;
		if (!http_csrf_ok(r, v->csrf)) {
			error_page(r, 403, "This form came from somewhere else.");
			return false;
		}
		p = in_text(r, "p");
	}
	if (p != NULL && (!text_int(p, strlen(p), &val) || val < 0 ||
	    (size_t)val >= v->pages)) {
		error_page(r, 400, "There is no such page.");
		return false;
	}
	v->page = p ? (size_t)val : resume_page(v);
	page_items(v);
	if (!v->post)
		return true;
	for (i = v->first; i < v->last; i++) {
		a = form_get(&r->form, v->in->items[i].id);
		if (a == NULL || *a == '\0') {
			v->ans[i] = SCORE_MISSING;	/* skipped */
			continue;
		}
		if (!text_int(a, strlen(a), &val) ||
		    !score_answer_ok(v->plan, i, val)) {
			error_page(r, 400, "An answer was not one of the "
			    "choices.");
			return false;
		}
		v->ans[i] = (int16_t)val;
	}
	go = in_text(r, "go");
	v->back = go != NULL && strcmp(go, "back") == 0 && v->page > 0;
	v->finish = !v->back && v->page + 1 >= v->pages;
	return true;
}

/* The alerts the answers so far raise (once each, in the caller's
 * transaction), and the messages queued about them. */
static SB_MUST enum sb_err
visit_raise(struct req *r, struct visit *v)
{
	return record_link_critical(r->s, v->plan, v->l.client, v->l.id,
	    v->ans, &v->ncrit, &v->queued);
}

/*
 * The page's answers, the alerts they raise and, on the last page, the
 * administration and the link's end: one transaction.  If any of it
 * cannot be written none of it is, and the client is told so instead of
 * being shown the crisis text for an answer nobody will see.
 */
static SB_MUST enum sb_err
visit_save(struct req *r, struct visit *v)
{
	struct record_opts	 ro = { "self", v->l.mode, NULL, true, v->l.id,
				    NULL, 0, false };
	struct record_out	 rr;
	struct buf		 enc;
	enum sb_err		 e;

	buf_init(&enc, 1 << 16);
	/* An answer that does not fit is not saved half-written. */
	if ((e = answers_encode(v->in, v->ans, &enc)) != SB_OK)
		goto out;
	e = store_begin(r->s);
	if (e == SB_OK)
		e = store_link_save(r->s, v->l.id, enc.data);
	if (e == SB_OK)
		e = visit_raise(r, v);
	if (e == SB_OK && v->finish) {
		if ((e = record_administration(r->s, v->plan, v->l.client,
		    v->ans, &ro, &rr)) == SB_OK)
			e = store_link_done(r->s, v->l.id, rr.id);
		if (e == SB_OK)
			v->queued += rr.queued;
	}
	if (e == SB_OK)
		e = store_commit(r->s);
	else
		store_rollback(r->s);
	if (e == SB_OK && (v->ncrit > 0 || (v->finish && rr.alerts > 0))) {
		char c[24], l[24], n[16], a[16], q[16];

		snprintf(c, sizeof(c), "%lld", (long long)v->l.client);
		snprintf(l, sizeof(l), "%lld", (long long)v->l.id);
		snprintf(n, sizeof(n), "%d", v->ncrit);
		snprintf(a, sizeof(a), "%d", v->finish ? rr.alerts : 0);
		snprintf(q, sizeof(q), "%d", v->queued);
		log_event("warn", "alert-raised", "client", c, "link", l,
		    "critical-items", n, "alerts", a, "notifications-queued", q,
		    NULL);
	}
out:
	buf_free(&enc);
	return e;
}

/* Does the page hold a risk answer?  The crisis text goes with the page
 * that holds it, every time it is sent with it. */
static bool
page_crisis(const struct visit *v)
{
	size_t	 i;

	for (i = v->first; i < v->last; i++)
		if (v->in->items[i].critical && v->ans[i] != SCORE_MISSING &&
		    v->ans[i] >= v->in->items[i].critical_min)
			return true;
	return false;
}

static void
render_thanks(struct req *r, const struct visit *v, bool crisis)
{
	size_t	 skipped[8];
	bool	 kiosk = false;

	if (store_link_kiosk(r->s, v->l.id, &kiosk) != SB_OK)
		kiosk = false;	/* the page for the therapist's device */
	if (kiosk && !crisis && v->ncrit == 0)
		r->refresh_to = "/kiosk";
	page_begin(r, "Thank you");
	if (crisis || v->ncrit > 0)
		crisis_box(r, v->queued);
	else if (score_unanswered_risk(v->plan, v->ans, skipped, 8) > 0)
		/* A risk question left blank: no alarm, and no claim about
		 * what the therapist was told; where to find help, yes. */
		skipped_risk_box(r);
	HTML_LIT(&r->out, "<h1>Thank you</h1><p>Your answers have been sent "
	    "to your therapist.</p>");
	if (strcmp(v->l.mode, "in-session") == 0 && kiosk) {
		/* The waiting room's tablet: back to its start for the
		 * next person, at once or by itself in a minute (unless
		 * the support text is there to be read). */
		HTML_LIT(&r->out, "<p>Please leave the tablet for the next "
		    "person.</p><p><a class=\"button\" href=\"/kiosk\">Done"
		    "</a></p>");
	} else if (strcmp(v->l.mode, "in-session") == 0) {
		char	 href[64];

		/* Back to the client's page once signed in again. */
		snprintf(href, sizeof(href), "/login?next=/clients/%lld",
		    (long long)v->l.client);
		HTML_LIT(&r->out, "<p>Please hand the device back to your "
		    "therapist.</p><p><a");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Therapist: sign in again</a></p>");
	}
	page_end(r);
}

static void
render_item(struct req *r, const struct visit *v, size_t i)
{
	const struct instrument		*in = v->in;
	const struct instr_optset	*os = &in->optsets[in->items[i].optset];
	char				 value[16];
	size_t				 k;

	HTML_LIT(&r->out, "<fieldset><legend>");
	html_int(&r->out, (int64_t)i + 1);
	HTML_LIT(&r->out, ". ");
	if (in->items[i].target != INSTR_NONE) {
		html_text(&r->out, in->targets[in->items[i].target].label);
		HTML_LIT(&r->out, ": ");
	}
	html_text(&r->out, in->items[i].text);
	HTML_LIT(&r->out, "</legend>");
	for (k = 0; k < os->nopts; k++) {
		snprintf(value, sizeof(value), "%d", os->opts[k].value);
		HTML_LIT(&r->out, "<label><input type=\"radio\"");
		html_attr(&r->out, "name", in->items[i].id);
		html_attr(&r->out, "value", value);
		if (v->ans[i] == os->opts[k].value)
			HTML_LIT(&r->out, " checked");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, os->opts[k].label);
		HTML_LIT(&r->out, "</label>");
	}
	HTML_LIT(&r->out, "</fieldset>");
}

/* The page's form; crisis: the last page sent held a risk answer;
 * unsaved: it could not be saved. */
static void
render_form(struct req *r, const struct visit *v, bool crisis, bool unsaved)
{
	const struct instrument	*in = v->in;
	char			 href[128], pn[24];
	size_t			 i;

	page_begin(r, in->name);
	client_from(r);
	if (unsaved)
		unsaved_box(r, crisis);
	else if (crisis)
		crisis_box(r, v->queued);
	HTML_LIT(&r->out, "<h1>");
	html_text(&r->out, in->title);
	HTML_LIT(&r->out, "</h1>");
	if (in->support && v->page == 0 && !crisis && !unsaved)
		support_box(r);
	if (in->instructions != NULL) {
		HTML_LIT(&r->out, "<p>");
		html_text(&r->out, in->instructions);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<p class=\"muted\">Page ");
	html_int(&r->out, (int64_t)v->page + 1);
	HTML_LIT(&r->out, " of ");
	html_int(&r->out, (int64_t)v->pages);
	HTML_LIT(&r->out, ". Your answers are saved on every page; you may "
	    "skip any question.</p><form method=\"post\"");
	snprintf(href, sizeof(href), "/q/%s", v->token);
	html_attr(&r->out, "action", href);
	HTML_LIT(&r->out, ">");
	csrf_field(r, v->csrf);
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"p\"");
	snprintf(pn, sizeof(pn), "%zu", v->page);
	html_attr(&r->out, "value", pn);
	HTML_LIT(&r->out, ">");
	for (i = v->first; i < v->last; i++)
		render_item(r, v, i);
	if (v->page > 0)
		HTML_LIT(&r->out, "<button class=\"secondary\" name=\"go\" "
		    "value=\"back\" type=\"submit\">Back</button>");
	if (v->page + 1 < v->pages)
		HTML_LIT(&r->out, "<button name=\"go\" value=\"next\" "
		    "type=\"submit\">Save and continue</button>");
	else
		HTML_LIT(&r->out, "<button name=\"go\" value=\"next\" "
		    "type=\"submit\">Send my answers</button>");
	HTML_LIT(&r->out, "</form><p class=\"muted\">");
	html_text(&r->out, in->notice ? in->notice : in->citation);
	HTML_LIT(&r->out, "</p>");
	page_end(r);
}

/*
 * A link page's fields (POST /q/TOKEN), each as it was sent: the page
 * (p), where to go from it (go) and a narrative page's text.  The
 * answers are the items of the link's instrument, known once the token
 * is looked up: visit_parse checks each against its choices.
 */
const struct field_def link_page_fields[] = {
	{ .name = "p", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = "go", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = "text", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = NULL }
};

/* GET and POST /q/TOKEN (link_page_fields read on a POST) */
void
questionnaire_page(struct req *r, int64_t id, const char *token)
{
	struct visit	 v;
	char		 href[128];
	bool		 crisis;
	enum sb_err	 e;

	(void)id;
	if (strchr(token, '/') != NULL) {
		error_page(r, 404, "Not found.");
		return;
	}
	if (!visit_open(r, token, &v))
		goto out;
	if (!visit_parse(r, &v))
		goto out;
	if (!v.post) {
		render_form(r, &v, false, false);
		goto out;
	}
	if ((e = visit_save(r, &v)) == SB_EPERM) {
		error_page(r, 409, "These answers were already sent, or the "
		    "questionnaire is closed. Thank you.");
		goto out;
	}
	crisis = page_crisis(&v);
	/* Not saved (the disk, or the database busy for longer than the
	 * wait): the same page again with what they chose, and nothing
	 * that says anyone will see it. */
	if (e != SB_OK) {
		r->status = 503;
		render_form(r, &v, crisis, true);
		goto out;
	}
	if (v.finish) {
		render_thanks(r, &v, crisis);
		goto out;
	}
	v.page = v.back ? v.page - 1 : v.page + 1;
	if (!crisis) {
		snprintf(href, sizeof(href), "/q/%s?p=%zu", token, v.page);
		http_redirect(r, href);
		goto out;
	}
	page_items(&v);
	render_form(r, &v, true, false);
out:
	free(v.l.answers);
	score_plan_free(v.plan);
}

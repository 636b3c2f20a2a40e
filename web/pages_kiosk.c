/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_kiosk.c - the waiting room's tablet (store/kiosk.h).  Signed in
 * as a kiosk, the tablet shows GET /kiosk, the first names of the day's
 * queue; GET /kiosk/N asks that client for their code; POST /kiosk/N
 * checks it and opens the questionnaire, whose thank-you page leads
 * back to the start.  Every other page is refused to a kiosk (routes.c
 * asks kiosk_refused).  On the client page's Care section, the
 * therapist queues a questionnaire for today and reads its code.
 */
#include <stdio.h>
#include <string.h>

#include "render/client_page.h"
#include "render/html.h"
#include "store/kiosk.h"
#include "web/web_int.h"

void
kiosk_refused(struct req *r, bool post)
{
	/* The start page, for the way home a tablet takes after a
	 * sign-in; anything else is refused in words. */
	if (!post && strcmp(r->url, "/") == 0) {
		http_redirect(r, "/kiosk");
		return;
	}
	error_page(r, 403, "This is the waiting room's tablet: it opens only "
	    "the questionnaires queued for today.");
}

/* The day's list: a button per first name (with the last name's first
 * letter when two share one). */
struct names {
	struct store_kiosk_entry	 v[64];
	size_t				 n;
};

static SB_MUST enum sb_err
name_kept(void *arg, const struct store_kiosk_entry *k)
{
	struct names	*l = arg;

	if (l->n < sizeof(l->v) / sizeof(l->v[0]))
		l->v[l->n++] = *k;
	return SB_OK;
}

static bool
shared_first(const struct names *l, size_t i)
{
	size_t	 k;

	for (k = 0; k < l->n; k++)
		if (k != i && strcmp(l->v[k].first, l->v[i].first) == 0)
			return true;
	return false;
}

/* GET /kiosk: the start page. */
void
kiosk_page(struct req *r, int64_t id, const char *rest)
{
	struct names	 l;
	char		 href[48];
	size_t		 i;

	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_KIOSK) {
		error_page(r, 403, "This page is the waiting room's tablet's: "
		    "sign it in as a kiosk user (the administrator adds one).");
		return;
	}
	l.n = 0;
	if (!view_begin(r))
		return;
	if (store_kiosk_each(r->s, http_now(), name_kept, &l) != SB_OK) {
		read_failed(r);
		view_end(r);
		return;
	}
	page_begin(r, "Welcome");
	HTML_LIT(&r->out, "<div class=\"kiosk\"><h1>Welcome</h1>");
	if (l.n == 0)
		HTML_LIT(&r->out, "<p class=\"lede\">No questionnaires are "
		    "waiting just now. Please ask at reception.</p>");
	else {
		HTML_LIT(&r->out, "<p class=\"lede\">Your therapist has asked "
		    "you to answer a short questionnaire before your "
		    "appointment. Tap your first name.</p><ul class=\"names\">");
		for (i = 0; i < l.n; i++) {
			snprintf(href, sizeof(href), "/kiosk/%lld",
			    (long long)l.v[i].id);
			HTML_LIT(&r->out, "<li><a class=\"button\"");
			html_attr(&r->out, "href", href);
			HTML_LIT(&r->out, ">");
			html_text(&r->out, l.v[i].first);
			if (l.v[i].initial[0] != '\0' && shared_first(&l, i)) {
				HTML_LIT(&r->out, " ");
				html_text(&r->out, l.v[i].initial);
				HTML_LIT(&r->out, ".");
			}
			HTML_LIT(&r->out, "</a></li>");
		}
		HTML_LIT(&r->out, "</ul>");
	}
	HTML_LIT(&r->out, "<p class=\"muted\">Your name is not here? Please "
	    "ask at reception.</p></div>");
	page_end(r);
	view_end(r);
}

/* The code's form for entry id, with what went wrong (or NULL). */
static void
code_form(struct req *r, int64_t id, const char *why)
{
	char	 action[48];

	snprintf(action, sizeof(action), "/kiosk/%lld", (long long)id);
	page_begin(r, "Your code");
	HTML_LIT(&r->out, "<div class=\"kiosk\"><h1>Your code</h1><p "
	    "class=\"lede\">To be sure it is you: the four numbers reception "
	    "or your therapist gave you.</p>");
	if (why != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" role=\"alert\" "
		    "id=\"kc-err\">");
		html_text(&r->out, why);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<form method=\"post\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<label for=\"kc\">Code</label><input type=\"text\" "
	    "id=\"kc\" name=\"code\" inputmode=\"numeric\" pattern=\"[0-9]{4}\""
	    " maxlength=\"4\" autocomplete=\"off\" required autofocus");
	if (why != NULL)
		HTML_LIT(&r->out, " aria-invalid=\"true\" "
		    "aria-describedby=\"kc-err\"");
	HTML_LIT(&r->out, "><p><button type=\"submit\">Start</button> <a "
	    "href=\"/kiosk\">Back</a></p></form></div>");
	page_end(r);
}

/* GET /kiosk/N: the code asked for. */
void
kiosk_entry_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	if (store_actor(r->s)->role != ROLE_KIOSK) {
		error_page(r, 403, "This page is the waiting room's tablet's.");
		return;
	}
	code_form(r, id, NULL);
}

const struct field_def kiosk_code_fields[] = {
	{ .name = "code", .kind = FIELD_TEXT, .required = true,
	    .missing = "Type the four numbers of your code." },
	{ .name = NULL }
};

/* POST /kiosk/N: the code checked; the questionnaire opened. */
void
kiosk_code_post(struct req *r, int64_t id, const char *rest)
{
	char		 token[TOKEN_HEX + 1], to[TOKEN_HEX + 8];
	char		 why[160];
	int		 left = 0;
	enum sb_err	 e;

	(void)rest;
	e = store_kiosk_open(r->s, id, r->in[0].text, http_now(), token,
	    &left);
	if (e == SB_OK) {
		snprintf(to, sizeof(to), "/q/%s", token);
		http_redirect(r, to);
		memset(token, 0, sizeof(token));
		memset(to, 0, sizeof(to));
		return;
	}
	if (e == SB_EINVAL && left > 0) {
		snprintf(why, sizeof(why), "That code is not the right one. "
		    "Please try again (%d %s left).", left, left == 1 ? "try" :
		    "tries");
		r->status = 400;
		code_form(r, id, why);
	} else if (e == SB_EINVAL || e == SB_ENOENT)
		error_page(r, e == SB_EINVAL ? 403 : 404, "This questionnaire "
		    "cannot be opened here now. Please ask at reception.");
	else if (e == SB_EPERM)
		error_page(r, 403, "This page is the waiting room's tablet's.");
	else
		error_page(r, 503, "It could not be opened just now; please try "
		    "again in a moment.");
}

/* ---- on the client page: queue for the tablet ---- */

struct queued_list {
	struct req		*r;
	const struct registry	*reg;
	size_t			 n;
};

static SB_MUST enum sb_err
queued_row(void *arg, const struct store_kiosk_queued *q)
{
	struct queued_list	*l = arg;
	struct req		*r = l->r;
	const struct reg_entry	*re = registry_find(l->reg, q->instrument);

	if (l->n++ == 0)
		HTML_LIT(&r->out, "<ul class=\"inbox\">");
	HTML_LIT(&r->out, "<li><span>");
	html_text(&r->out, re != NULL ? re->in->name : q->instrument);
	HTML_LIT(&r->out, "</span> <span>");
	if (q->opened)
		HTML_LIT(&r->out, "opened on the tablet");
	else if (q->tries >= KIOSK_TRIES)
		HTML_LIT(&r->out, "closed after three wrong codes: queue it "
		    "again");
	else {
		HTML_LIT(&r->out, "waiting; the client's code: <strong "
		    "class=\"code\">");
		html_text(&r->out, q->code);
		HTML_LIT(&r->out, "</strong>");
	}
	HTML_LIT(&r->out, "</span></li>");
	return SB_OK;
}

void
kiosk_section(struct req *r, int64_t client)
{
	struct queued_list	 l = { r, r->srv->cfg->reg, 0 };
	char			 action[48];
	size_t			 mark = r->out.len;

	HTML_LIT(&r->out, "<h2 id=\"kiosk\">Waiting-room tablet</h2><p "
	    "class=\"muted\">A questionnaire queued here waits on the "
	    "practice's tablet today under the client's first name; they "
	    "open it with the code shown here.</p>");
	if (store_kiosk_client(r->s, client, http_now(), queued_row, &l) != SB_OK) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		HTML_LIT(&r->out, "<h2 id=\"kiosk\">Waiting-room tablet</h2><p "
		    "class=\"high\">The tablet's queue could not be read.</p>");
		return;
	}
	if (l.n > 0)
		HTML_LIT(&r->out, "</ul>");
	if (store_actor(r->s)->role != ROLE_THERAPIST)
		return;
	snprintf(action, sizeof(action), "/clients/%lld/kiosk",
	    (long long)client);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"inline\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<label for=\"kq\">Queue for today</label><select "
	    "id=\"kq\" name=\"instrument\">");
	instrument_options(r, r->srv->cfg->reg, true);
	HTML_LIT(&r->out, "</select> <button type=\"submit\" class=\""
	    "secondary\">Queue</button></form>");
}

const struct field_def kiosk_queue_fields[] = {
	{ .name = "instrument", .kind = FIELD_TEXT, .required = true,
	    .missing = "Choose the questionnaire." },
	{ .name = NULL }
};

/* POST /clients/N/kiosk: a questionnaire queued for the tablet today. */
void
kiosk_queue_post(struct req *r, int64_t client, const char *rest)
{
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    r->in[0].text);
	char			 code[KIOSK_CODE + 1], to[96];
	int64_t			 id;
	enum sb_err		 e;

	(void)rest;
	if (re == NULL || !instrument_sendable(r, re)) {
		error_page(r, 400, "That questionnaire cannot be queued "
		    "(unknown, or its licence needs the administrator's "
		    "permission first).");
		return;
	}
	e = store_kiosk_queue(r->s, client, re->in->id, http_now(), code, &id);
	memset(code, 0, sizeof(code));
	if (e == SB_EPERM || e == SB_ENOENT)
		error_page(r, 404, "There is no such client on your caseload.");
	else if (e != SB_OK)
		error_page(r, 503, "It could not be queued just now; please try "
		    "again in a moment.");
	else {
		client_href(to, sizeof(to), client, "kiosk");
		http_redirect_saying(r, to, "queued");
	}
}

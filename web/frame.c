/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * frame.c - what every page shares: its head and menu, its end, the
 * error pages, a read view with its audit rows, times in words, the
 * CSRF field.  Below the pages, above http.c.  See web_int.h.
 */
#include <string.h>

#include <sodium.h>

#include "core/text.h"
#include "render/html.h"
#include "web/web_int.h"

bool
view_begin(struct req *r)
{
	if (store_view_begin(r->s) == SB_OK)
		return true;
	error_page(r, MHD_HTTP_SERVICE_UNAVAILABLE, "The practice is busy; "
	    "please try again.");
	return false;
}

void
view_end(struct req *r)
{
	if (store_view_end(r->s, r->srv->group) != SB_OK) {
		fprintf(stderr, "securebase serve: %s\n", store_errmsg(r->s));
		error_page(r, MHD_HTTP_SERVICE_UNAVAILABLE, "The page could "
		    "not be recorded in the audit trail, so it is not shown. "
		    "Please try again.");
	}
}

void
read_failed(struct req *r)
{
	/* SQLite's words ("database is locked") are for the log. */
	fprintf(stderr, "securebase serve: %s: %s\n", r->url,
	    store_errmsg(r->s));
	error_page(r, MHD_HTTP_SERVICE_UNAVAILABLE, "This page could not be "
	    "read just now; nothing was changed. Please try again in a "
	    "moment.");
}

/*
 * The page's head, and for a signed-in user (r->menu) the skip link and
 * the menu before <main>.  Pages a client reaches by a link have
 * neither: nothing there leads into the practice.
 */
void
page_begin(struct req *r, const char *title)
{
	struct buf	*b = &r->out;
	const char	*said;

	HTML_LIT(b, "<!doctype html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
	    "device-width, initial-scale=1\"><title>");
	html_text(b, title);
	HTML_LIT(b, " - securebase</title><link rel=\"stylesheet\"");
	html_attr(b, "href", style_href());
	HTML_LIT(b, ">");
	if (r->refresh_to != NULL) {
		HTML_LIT(b, "<meta http-equiv=\"refresh\" content=\"60; url=");
		html_text(b, r->refresh_to);
		HTML_LIT(b, "\">");
	}
	HTML_LIT(b, "</head><body>");
	if (r->menu) {
		HTML_LIT(b, "<a class=\"skip\" href=\"#main\">Skip to the "
		    "content</a>");
		nav(r);
		HTML_LIT(b, "<main id=\"main\" tabindex=\"-1\">\n");
		/* What the last change did, said once. */
		if ((said = http_notice(r)) != NULL) {
			HTML_LIT(b, "<p class=\"notice\" role=\"status\">");
			html_text(b, said);
			HTML_LIT(b, "</p>");
		}
	} else
		HTML_LIT(b, "<main id=\"main\" class=\"narrow\">\n");
}

void
page_end(struct req *r)
{
	HTML_LIT(&r->out, "\n</main></body></html>\n");
}

void
error_page(struct req *r, int status, const char *msg)
{
	const struct store_user	*u;
	int64_t			 client;
	size_t			 n;
	char			 back[48];

	/* Whatever the page meant to say: a refusal because rows were
	 * changed outside securebase must not read as "not found" or "try
	 * again". */
	if (r->s != NULL && store_tampered(r->s)) {
		status = 500;
		msg = "Part of this record was changed outside securebase "
		    "(by someone with access to the database, not through "
		    "securebase), so it is not shown and nothing was done "
		    "with it. This is recorded for the practice's "
		    "administrator, who sees what was changed on the "
		    "Administration page.";
	}
	buf_reset(&r->out);
	r->status = status;
	r->type = NULL;
	r->cache = NULL;
	r->encoding = NULL;
	r->disposition[0] = '\0';
	/* Signed in: the menu, and a way back to where the form was. */
	u = r->token[0] != '\0' ? store_actor(r->s) : NULL;
	r->menu = u != NULL;
	page_begin(r, "Problem");
	HTML_LIT(&r->out, "<h1>Sorry</h1><p>");
	html_text(&r->out, msg);
	HTML_LIT(&r->out, "</p>");
	if (u != NULL) {
		n = strncmp(r->url, "/clients/", 9) == 0 ? strcspn(r->url + 9,
		    "/") : 0;
		if (n > 0 && http_parse_id(r->url + 9, n, &client)) {
			snprintf(back, sizeof(back), "/clients/%lld",
			    (long long)client);
			HTML_LIT(&r->out, "<p><a");
			html_attr(&r->out, "href", back);
			HTML_LIT(&r->out, ">Back to the client's page</a></p>");
		} else if (u->role == ROLE_ADMIN)
			HTML_LIT(&r->out, "<p><a href=\"/admin\">Back to the "
			    "administration page</a></p>");
		else
			HTML_LIT(&r->out, "<p><a href=\"/\">Back to the "
			    "caseload</a></p>");
	}
	page_end(r);
}

/* A field sent again from the "not now" page: never a password or a
 * one-time code, which are not written into a page. */
static bool
sent_again(const char *name)
{
	return strcmp(name, "code") != 0 && strstr(name, "password") == NULL &&
	    strlen(name) <= 64;
}

void
field_again(struct req *r, const char *name, const char *v,
    const char *label, size_t *n)
{
	char	 id[16];

	/* Long writing is shown, to read and copy if need be; the rest
	 * rides hidden, exactly as it was sent. */
	if (strlen(v) > 80 || strchr(v, '\n') != NULL) {
		snprintf(id, sizeof(id), "kept%zu", (*n)++);
		HTML_LIT(&r->out, "<label");
		html_attr(&r->out, "for", id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, label);
		HTML_LIT(&r->out, "</label><textarea rows=\"12\"");
		html_attr(&r->out, "id", id);
		html_attr(&r->out, "name", name);
		HTML_LIT(&r->out, ">\n");
		html_text(&r->out, v);
		HTML_LIT(&r->out, "</textarea>");
	} else {
		HTML_LIT(&r->out, "<input type=\"hidden\"");
		html_attr(&r->out, "name", name);
		html_attr(&r->out, "value", v);
		HTML_LIT(&r->out, ">");
	}
}

void
away_page(struct req *r)
{
	const char	*name, *v;
	bool		 post = strcmp(r->method, "POST") == 0;
	bool		 client = strncmp(r->url, "/q/", 3) == 0 ||
			    strncmp(r->url, "/p/", 3) == 0;
	size_t		 i, n = 0;

	/* A client who sends again during an outage is not flooding: the
	 * post this node counted is given back. */
	if (r->rate_taken) {
		link_rate_give(r->srv, r->url + 3);
		r->rate_taken = false;
	}
	if (post && r->parsed == 0)
		(void)http_parse_form(r);	/* unreadable: none to keep */
	buf_reset(&r->out);
	r->status = MHD_HTTP_SERVICE_UNAVAILABLE;
	snprintf(r->retry_after, sizeof(r->retry_after), "30");
	/* Neither a way to the login page nor a session's end. */
	r->location[0] = '\0';
	r->cookie[0] = '\0';
	r->type = NULL;
	r->cache = NULL;
	r->encoding = NULL;
	r->disposition[0] = '\0';
	r->menu = false;
	page_begin(r, "Not available just now");
	HTML_LIT(&r->out, "<h1>Not available just now</h1><p role=\"alert\">");
	if (post && client)
		HTML_LIT(&r->out, "We can't save right now. Your answers so "
		    "far are kept; try again in a minute.");
	else if (post && strcmp(r->url, "/login") == 0)
		HTML_LIT(&r->out, "We can't sign you in right now: the "
		    "practice's records are not answering. Nothing is lost; "
		    "try again in a minute.");
	else if (post)
		HTML_LIT(&r->out, "We can't save right now: the practice's "
		    "records are not answering. What you sent is below, so "
		    "that nothing is lost: send it again in a minute (or "
		    "first look, on the client's page, whether it was "
		    "saved).");
	else
		HTML_LIT(&r->out, "This page can't be shown right now: the "
		    "practice's records are not answering. Nothing is lost; "
		    "try again in a minute.");
	HTML_LIT(&r->out, "</p>");
	/* Given back: a client's answers and clinical writing, as a form
	 * carried through a sign-in is (pages_login.c).  An account's or the
	 * administration's forms hold passwords and secrets under other
	 * names (current, new, again, secret): never written into a page. */
	if (!post || r->parsed < 0 || !(client || strncmp(r->url,
	    "/clients/", 9) == 0 || strcmp(r->url, "/alerts") == 0)) {
		HTML_LIT(&r->out, "<p><a");
		html_attr(&r->out, "href", r->url);
		HTML_LIT(&r->out, ">Try again</a></p>");
		page_end(r);
		return;
	}
	if (client)
		HTML_LIT(&r->out, "<p>What you chose on this page is in the "
		    "form below; it is sent again when you press the "
		    "button.</p>");
	HTML_LIT(&r->out, "<form method=\"post\"");
	html_attr(&r->out, "action", r->url);
	HTML_LIT(&r->out, ">");
	for (i = 0; i < r->form.n; i++) {
		name = r->form.f[i].name;
		v = r->form.f[i].value;
		if (!sent_again(name))
			continue;
		field_again(r, name, v, "What you wrote", &n);
	}
	HTML_LIT(&r->out, "<p><button type=\"submit\">Try again</button></p>"
	    "</form>");
	page_end(r);
}

/* The stylesheet's address, worked out once from its bytes. */
static char		style_name[48];
static pthread_once_t	style_once = PTHREAD_ONCE_INIT;

static void
style_name_init(void)
{
	unsigned char	 h[8];
	char		 hex[sizeof(h) * 2 + 1];

	crypto_generichash(h, sizeof(h), (const unsigned char *)
	    builtin_web[0].data, builtin_web[0].len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(style_name, sizeof(style_name), "/static/style-%s.css", hex);
}

const char *
style_href(void)
{
	pthread_once(&style_once, style_name_init);
	return style_name;
}

void
html_when(struct buf *b, const char *iso)
{
	html_when_at(b, iso, http_now());
}

void
html_when_t(struct buf *b, int64_t t)
{
	html_when_t_at(b, t, http_now());
}

/* The CSRF field every POST form carries. */
void
csrf_field(struct req *r, const char *token)
{
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"csrf\"");
	html_attr(&r->out, "value", token);
	HTML_LIT(&r->out, ">");
}

void
nav(struct req *r)
{
	const struct store_user	*u = store_actor(r->s);

	HTML_LIT(&r->out, "<header class=\"top\"><nav aria-label=\"Main\">"
	    "<span class=\"brand\">securebase</span>");
	if (u != NULL && u->role == ROLE_ADMIN)
		HTML_LIT(&r->out, "<a href=\"/admin\">Administration</a>");
	else if (u != NULL && u->role == ROLE_KIOSK)
		HTML_LIT(&r->out, "<a href=\"/kiosk\">Start</a>");
	else {
		HTML_LIT(&r->out, "<a href=\"/\">Caseload</a>");
		if (u != NULL && u->role == ROLE_THERAPIST)
			HTML_LIT(&r->out, "<a href=\"/inbox\">Inbox</a>");
		HTML_LIT(&r->out, "<a href=\"/outcomes\">Outcomes</a>");
	}
	HTML_LIT(&r->out, "<span class=\"who\">");
	html_text(&r->out, u ? u->name : "");
	HTML_LIT(&r->out, "</span>");
	/* The tablet's account is the admin's to change, not its users'. */
	if (u == NULL || u->role != ROLE_KIOSK)
		HTML_LIT(&r->out, "<a href=\"/account\">Your account</a>");
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/logout\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button class=\"quiet\" type=\"submit\">Log "
	    "out</button></form></nav></header>");
}

/* The form, or the 400 page that says it could not be read. */
bool
form_read(struct req *r)
{
	if (http_parse_form(r))
		return true;
	error_page(r, 400, "The form could not be read.");
	return false;
}

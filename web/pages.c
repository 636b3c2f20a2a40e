/*
 * pages.c - the route table, and what every page shares: the form, its
 * CSRF field and check, the menu, ids in paths.  The pages themselves
 * are in pages_NAME.c by what a person looks for: login, caseload,
 * client, questionnaire, alerts, admin, account, history, narrative,
 * outcomes, safety.
 *
 * One rule per page: check who may do it, then act through the store
 * (which checks access again and audits), then render through html.h.
 * A POST changes state only after its CSRF token and Origin pass; a GET
 * never changes state.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/text.h"
#include "render/html.h"
#include "web/web_int.h"

int64_t
now(void)
{
	return (int64_t)time(NULL);
}

/* The CSRF field every POST form carries. */
void
csrf_field(struct req *r, const char *token)
{
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"csrf\"");
	html_attr(&r->out, "value", token);
	HTML_LIT(&r->out, ">");
}

bool
csrf_ok(struct req *r, const char *want)
{
	const char	*got = form_get(&r->form, "csrf");

	return got != NULL && want != NULL && strlen(got) == strlen(want) &&
	    sodium_memcmp(got, want, strlen(want)) == 0 && origin_ok(r);
}

bool
parse_form(struct req *r)
{
	if (buf_add(&r->body, "", 0) != SB_OK ||
	    form_parse(r->body.data ? r->body.data : (char *)"", &r->form) !=
	    SB_OK) {
		error_page(r, 400, "The form could not be read.");
		return false;
	}
	return true;
}

void
nav(struct req *r)
{
	const struct store_user	*u = store_actor(r->s);

	if (u != NULL && u->role == ROLE_ADMIN)
		HTML_LIT(&r->out, "<nav><a href=\"/admin\">Administration</a>"
		    "<span class=\"muted\">");
	else
		HTML_LIT(&r->out, "<nav><a href=\"/\">Caseload</a><a "
		    "href=\"/outcomes\">Outcomes</a><span class=\"muted\">");
	html_text(&r->out, u ? u->name : "");
	HTML_LIT(&r->out, "</span><a href=\"/account\">Your account</a><form "
	    "method=\"post\" action=\"/logout\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button class=\"secondary\" type=\"submit\">Log "
	    "out</button></form></nav>");
}

/*
 * <option>s of a <select> of instruments: those that may be sent
 * (sendable), or those whose licence needs permission.
 */
void
instrument_options(struct req *r, const struct registry *reg, bool sendable)
{
	size_t	 i;

	for (i = 0; i < reg->n; i++) {
		if (sendable ? !reg->v[i].enabled :
		    reg->v[i].in->licence == LICENCE_FREE)
			continue;
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", reg->v[i].in->id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, reg->v[i].in->name);
		HTML_LIT(&r->out, "</option>");
	}
}

bool
parse_id(const char *s, size_t n, int64_t *id)
{
	long	 v;

	if (!text_int(s, n, &v) || v < 1)
		return false;
	*id = v;
	return true;
}

/* GET /static/style.css: web/style.css, compiled in
 * (build/builtin_web.c). */
void
style_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	buf_add(&r->out, builtin_web[0].data, builtin_web[0].len);
	r->type = "text/css; charset=utf-8";
}

/*
 * The pages, first match wins (kcgi's pages[] as the model).  In a path,
 * "#" is a client, alert or other id and "*" the non-empty rest.  GET
 * routes answer HEAD too.  Unless open, a route needs a session, a POST
 * its CSRF token, and a user whose password must change may reach only
 * the routes marked so.
 */
static const struct route {
	const char	*method;
	const char	*path;
	bool		 open;		/* without a session */
	bool		 must_change;	/* reachable before a new password */
	page_fn		*fn;
} routes[] = {
	{ "GET", "/static/style.css", true, false, style_page },
	{ "GET", "/q/*", true, false, questionnaire_page },
	{ "POST", "/q/*", true, false, questionnaire_page },
	{ "GET", "/login", true, false, login_page },
	{ "POST", "/login", true, false, login_submit },
	{ "GET", "/", false, false, home_page },
	{ "GET", "/outcomes", false, false, outcomes_page },
	{ "GET", "/account", false, true, account_page },
	{ "POST", "/account/password", false, true, account_password },
	{ "POST", "/account/*", false, false, account_post },
	{ "GET", "/admin", false, false, admin_page },
	{ "POST", "/admin/*", false, false, admin_post },
	{ "POST", "/logout", false, true, logout_page },
	{ "POST", "/alerts", false, false, alert_post },
	{ "GET", "/alerts/#", false, false, alert_goto },
	{ "POST", "/clients", false, false, client_add_page },
	{ "GET", "/clients/#", false, false, client_page },
	{ "POST", "/clients/#/links", false, false, link_post },
	{ "POST", "/clients/#/links/*", false, false, link_change_post },
	{ "POST", "/clients/#/share", false, false, share_page },
	{ "POST", "/clients/#/unshare", false, false, unshare_page },
	{ "GET", "/clients/#/history", false, false, history_page },
	{ "GET", "/clients/#/edit", false, false, history_edit_page },
	{ "GET", "/clients/#/narratives/*", false, false, narrative_page },
	{ "POST", "/clients/#/narratives/*", false, false, narrative_post },
	{ "POST", "/clients/#/*", false, false, history_post },
};

/* Does url match path?  *id and *rest get what "#" and "*" matched. */
static bool
path_match(const char *path, const char *url, int64_t *id, const char **rest)
{
	const char	*seg;
	size_t		 n;

	*id = 0;
	*rest = NULL;
	while (*path != '\0') {
		if (path[0] == '*') {
			if (*url == '\0')
				return false;
			*rest = url;
			return true;
		}
		if (path[0] == '#') {
			seg = url;
			n = strcspn(url, "/");
			if (!parse_id(seg, n, id))
				return false;
			url += n;
			path++;
			continue;
		}
		if (*path++ != *url++)
			return false;
	}
	return *url == '\0';
}

void
route(struct req *r)
{
	const struct route	*rt = NULL;
	const char		*method = r->method, *tok, *rest = NULL;
	int64_t			 id = 0;
	size_t			 i;
	bool			 post;

	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
		error_page(r, 405, "Method not allowed.");
		return;
	}
	post = strcmp(method, "POST") == 0;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(routes[i].method, method) == 0 &&
		    path_match(routes[i].path, r->url, &id, &rest)) {
			rt = &routes[i];
			break;
		}
	if (rt != NULL && rt->open) {
		rt->fn(r, id, rest);
		return;
	}
	/* Everything else needs a session, even to learn it is not
	 * there. */
	tok = cookie(r, SESSION_COOKIE);
	if (tok == NULL || store_session(r->s, tok, now(), r->csrf) != SB_OK) {
		signed_out(r, post, tok != NULL);
		return;
	}
	snprintf(r->token, sizeof(r->token), "%s", tok);
	if (post) {
		if (!parse_form(r))
			return;
		if (!csrf_ok(r, r->csrf)) {
			error_page(r, 403, "This form has expired or came from "
			    "another site; nothing was changed.");
			return;
		}
	}
	/* A password under older rules: nothing else until it is new. */
	if (store_actor(r->s)->must_change && (rt == NULL ||
	    !rt->must_change)) {
		redirect(r, "/account");
		return;
	}
	if (rt == NULL)
		error_page(r, 404, "Not found.");
	else
		rt->fn(r, id, rest);
}

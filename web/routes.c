/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * routes.c - the route table: every endpoint one row, and web_route(),
 * which finds the row and checks what the row asks (a session, its CSRF
 * token, a new password first) before its handler runs.  The pages
 * themselves are in pages_NAME.c by what a person looks for: login,
 * caseload, client, questionnaire, alerts, admin, account, history,
 * narrative, outcomes, safety, node.
 *
 * One rule per page: check who may do it, then act through the store
 * (which checks access again and audits), then render through html.h.
 * A POST changes state only after its CSRF token and Origin pass; a GET
 * never changes state.
 */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"


/*
 * Who may reach a row.  A link's pages (a questionnaire, a progress page)
 * are reached by their token, which the handler looks up; everything else
 * needs a session, and the admin rows an admin's.
 */
enum route_auth {
	AUTH_OPEN,		/* anyone: the node's own pages, the login */
	AUTH_LINK,		/* a client's questionnaire link, /q/TOKEN */
	AUTH_PROGRESS,		/* a client's progress link, /p/TOKEN */
	AUTH_SESSION,		/* a signed-in user */
	AUTH_ADMIN		/* a signed-in admin */
};

/*
 * Where a POST's token is checked: by web_route before the handler (the
 * session's CSRF token and the Origin), or by the handler against the
 * form's own (a link's, the login form's), which web_route cannot know.
 */
enum route_csrf {
	CSRF_NONE,		/* a GET: it changes nothing */
	CSRF_SESSION,
	CSRF_OWN
};

/*
 * The route table, first match wins (kcgi's pages[] as the model): every
 * endpoint one row.  In a path "#" is a client, alert or other id and
 * "*" the non-empty rest, only ever a token or a key that the handler
 * looks up, never a word it dispatches on (the row's .op says what a
 * shared handler does).  GET rows answer HEAD too.  A user whose
 * password must change reaches only the rows marked .before_new_password.
 */
static const struct route {
	const char	*method;
	const char	*path;
	enum route_auth	 auth;
	enum route_csrf	 csrf;
	bool		 before_new_password;
	bool		 kiosk;		/* a kiosk may reach it (none else) */
	enum web_op	 op;
	/* A POST's fields, checked before fn; a refused one goes to
	 * refused (beside its form), or to a 400 page without one. */
	const struct field_def	*fields;
	void		(*refused)(struct req *, int64_t id,
			    const char *field, const char *why);
	page_fn		*fn;
} routes[] = {
#define OPEN(m, p, f)	{ .method = m, .path = p, .auth = AUTH_OPEN, \
	.csrf = CSRF_NONE, .fn = f }
#define GET(p, f)	{ .method = "GET", .path = p, .auth = AUTH_SESSION, \
	.csrf = CSRF_NONE, .fn = f }
#define POST(p, o, f)	{ .method = "POST", .path = p, .auth = AUTH_SESSION, \
	.csrf = CSRF_SESSION, .op = o, .fn = f }
#define FORM(p, o, f, fl, rf)	{ .method = "POST", .path = p, \
	.auth = AUTH_SESSION, .csrf = CSRF_SESSION, .op = o, .fields = fl, \
	.refused = rf, .fn = f }
#define ADMIN(p, o, f, fl)	{ .method = "POST", .path = p, \
	.auth = AUTH_ADMIN, .csrf = CSRF_SESSION, .op = o, .fields = fl, \
	.fn = f }
	OPEN("GET", "/static/style.css", style_page),
	OPEN("GET", "/static/*", style_page),
	OPEN("GET", "/health", health_page),
	OPEN("GET", "/metrics", metrics_page),
#ifdef SB_TEST_BUILD
	OPEN("GET", "/test/escape", escape_page),
#endif
	{ .method = "GET", .path = "/q/*", .auth = AUTH_LINK,
	    .csrf = CSRF_NONE, .fn = questionnaire_page },
	{ .method = "POST", .path = "/q/*", .auth = AUTH_LINK,
	    .csrf = CSRF_OWN, .fields = link_page_fields,
	    .fn = questionnaire_page },
	{ .method = "GET", .path = "/p/*", .auth = AUTH_PROGRESS,
	    .csrf = CSRF_NONE, .fn = progress_page },
	OPEN("GET", "/login", login_page),
	{ .method = "POST", .path = "/login", .auth = AUTH_OPEN,
	    .csrf = CSRF_OWN, .fields = login_fields, .fn = login_submit },
	GET("/", home_page),
	GET("/outcomes", outcomes_page),
	GET("/inbox", inbox_page),
	{ .method = "GET", .path = "/account", .auth = AUTH_SESSION,
	    .csrf = CSRF_NONE, .before_new_password = true,
	    .fn = account_page },
	{ .method = "POST", .path = "/account/password",
	    .auth = AUTH_SESSION, .csrf = CSRF_SESSION,
	    .before_new_password = true, .fields = password_change_fields,
	    .refused = account_refused, .fn = account_password },
	POST("/account/totp", OP_TOTP_NEW, account_post),
	FORM("/account/totp-on", OP_TOTP_ON, account_post, totp_on_fields,
	    account_refused),
	FORM("/account/totp-off", OP_TOTP_OFF, account_post, totp_off_fields,
	    account_refused),
	FORM("/account/sessions", OP_SESSIONS, account_post, sessions_fields,
	    account_refused),
	FORM("/account/display", OP_DISPLAY, account_post, display_fields,
	    account_refused),
	{ .method = "GET", .path = "/admin", .auth = AUTH_ADMIN,
	    .csrf = CSRF_NONE, .fn = admin_page },
	ADMIN("/admin/users", OP_USER_ADD, admin_post, user_add_fields),
	ADMIN("/admin/disable", OP_USER_DISABLE, admin_post,
	    user_disable_fields),
	ADMIN("/admin/permit", OP_PERMIT, admin_post, permit_fields),
	ADMIN("/admin/settings", OP_SETTINGS, admin_post, settings_fields),
	ADMIN("/admin/email", OP_EMAIL, admin_post, email_fields),
	ADMIN("/admin/release", OP_RELEASE, admin_post, NULL),
	ADMIN("/admin/resend", OP_RESEND, admin_post, resend_fields),
	ADMIN("/admin/prompts", OP_PROMPTS, admin_post, prompt_fields),
	{ .method = "GET", .path = "/kiosk", .auth = AUTH_SESSION,
	    .csrf = CSRF_NONE, .kiosk = true, .fn = kiosk_page },
	{ .method = "GET", .path = "/kiosk/#", .auth = AUTH_SESSION,
	    .csrf = CSRF_NONE, .kiosk = true, .fn = kiosk_entry_page },
	{ .method = "POST", .path = "/kiosk/#", .auth = AUTH_SESSION,
	    .csrf = CSRF_SESSION, .kiosk = true, .fields = kiosk_code_fields,
	    .fn = kiosk_code_post },
	FORM("/clients/#/kiosk", OP_NONE, kiosk_queue_post, kiosk_queue_fields,
	    NULL),
	{ .method = "POST", .path = "/logout", .auth = AUTH_SESSION,
	    .csrf = CSRF_SESSION, .before_new_password = true, .kiosk = true,
	    .fn = logout_page },
	FORM("/alerts", OP_NONE, alert_post, alert_fields, NULL),
	FORM("/inbox/seen", OP_NONE, inbox_seen_post, inbox_seen_fields, NULL),
	GET("/alerts/#", alert_goto),
	FORM("/clients", OP_NONE, client_add_page, client_add_fields, NULL),
	FORM("/send", OP_NONE, send_post, send_fields, NULL),
	GET("/clients/#", client_page),
	FORM("/clients/#/links", OP_NONE, link_post, link_fields, NULL),
	FORM("/clients/#/links/cancel", OP_LINK_CANCEL, link_change_post,
	    link_change_fields, NULL),
	FORM("/clients/#/links/renew", OP_LINK_RENEW, link_change_post,
	    link_change_fields, NULL),
	GET("/clients/#/report", report_page),
	FORM("/clients/#/sessions", OP_NONE, session_post, session_fields,
	    session_refused),
	FORM("/clients/#/notes", OP_NONE, note_post, note_fields,
	    note_refused),
	FORM("/clients/#/care/episodes", OP_EPISODE_START, care_post,
	    episode_start_fields, care_refused),
	FORM("/clients/#/care/episodes/end", OP_EPISODE_END, care_post,
	    episode_end_fields, care_refused),
	FORM("/clients/#/care/consents", OP_CONSENT_ADD, care_post,
	    consent_add_fields, care_refused),
	FORM("/clients/#/care/consents/withdraw", OP_CONSENT_WITHDRAW,
	    care_post, consent_withdraw_fields, care_refused),
	FORM("/clients/#/plans/email", OP_PLAN_EMAIL, plans_post,
	    plan_email_fields, NULL),
	FORM("/clients/#/plans/phone", OP_PLAN_PHONE, plans_post,
	    plan_phone_fields, NULL),
	FORM("/clients/#/plans/pause", OP_PLAN_PAUSE, plans_post,
	    plan_set_fields, NULL),
	FORM("/clients/#/plans/resume", OP_PLAN_RESUME, plans_post,
	    plan_set_fields, NULL),
	FORM("/clients/#/plans/end", OP_PLAN_END, plans_post,
	    plan_set_fields, NULL),
	FORM("/clients/#/plans/add", OP_PLAN_ADD, plans_post,
	    plan_add_fields, NULL),
	FORM("/clients/#/plans/template", OP_PLAN_TEMPLATE, plans_post,
	    plan_template_fields, NULL),
	POST("/clients/#/progress/link", OP_PROGRESS_LINK, progress_post),
	POST("/clients/#/progress/revoke", OP_PROGRESS_REVOKE, progress_post),
	POST("/clients/#/progress/measures", OP_PROGRESS_MEASURES,
	    progress_post),
	FORM("/clients/#/share", OP_NONE, share_page, share_fields, NULL),
	FORM("/clients/#/unshare", OP_NONE, unshare_page, share_fields, NULL),
	GET("/clients/#/history", history_page),
	GET("/clients/#/edit", history_edit_page),
	GET("/clients/#/narratives/*", narrative_page),
	FORM("/clients/#/narratives/*", OP_NONE, narrative_post,
	    narrative_fields, NULL),
	FORM("/clients/#/people", OP_PERSON_ADD, history_post,
	    person_form_fields, NULL),
	FORM("/clients/#/ties", OP_TIE_ADD, history_post, tie_form_fields,
	    NULL),
	FORM("/clients/#/events", OP_EVENT_ADD, history_post,
	    event_form_fields, NULL),
	FORM("/clients/#/edit", OP_ENTRY_EDIT, history_post,
	    entry_edit_fields, NULL),
	FORM("/clients/#/remove", OP_ENTRY_REMOVE, history_post,
	    entry_remove_fields, NULL),
	FORM("/clients/#/snapshots", OP_SNAPSHOT, history_post,
	    snapshot_fields, NULL),
#undef OPEN
#undef GET
#undef POST
#undef ADMIN
#undef FORM
};

bool
web_routes_check(char *err, size_t errsz)
{
	size_t	 i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *rt = &routes[i];
		bool post = strcmp(rt->method, "POST") == 0;
		size_t nf = 0;

		while (rt->fields != NULL && rt->fields[nf].name != NULL)
			nf++;

		/* Every POST's token is checked somewhere, and only a
		 * link's page or the login checks its own. */
		if (post != (rt->csrf != CSRF_NONE) || (rt->csrf == CSRF_OWN &&
		    rt->auth != AUTH_LINK && rt->auth != AUTH_OPEN) ||
		    rt->fn == NULL || rt->path[0] != '/' ||
		    (rt->fields != NULL && !post) || nf > FIELDS_MAX) {
			snprintf(err, errsz, "route %s %s is not well formed",
			    rt->method, rt->path);
			return false;
		}
	}
	return settings_fields_check(err, errsz);
}

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
			if (!http_parse_id(seg, n, id))
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
web_route(struct req *r)
{
	const struct route	*rt = NULL;
	const char		*method = r->method, *tok, *rest = NULL;
	const char		*field = NULL, *why = NULL;
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
	if (rt != NULL)
		r->op = rt->op;
	/* A link's pages and the node's own: the handler checks the
	 * token or needs none.  Their fields are read first all the same:
	 * reading changes nothing, and the handler acts only once its
	 * token passed. */
	if (rt != NULL && (rt->auth == AUTH_OPEN || rt->auth == AUTH_LINK ||
	    rt->auth == AUTH_PROGRESS)) {
		if (rt->fields != NULL && !form_read(r))
			return;
		if (rt->fields != NULL && !fields_read(r, rt->fields, &field,
		    &why))
			error_page(r, 400, why);
		else
			rt->fn(r, id, rest);
		return;
	}
	/* Everything else needs a session, even to learn it is not
	 * there. */
	tok = http_cookie(r, SESSION_COOKIE);
	if (tok == NULL || store_session(r->s, tok, http_now(), r->csrf) !=
	    SB_OK) {
		signed_out(r, post, tok != NULL);
		return;
	}
	snprintf(r->token, sizeof(r->token), "%s", tok);
	r->menu = true;
	if (post) {
		if (!form_read(r))
			return;
		if (!http_csrf_ok(r, r->csrf)) {
			error_page(r, 403, "This form has expired or came from "
			    "another site; nothing was changed.");
			return;
		}
	}
	/* A password under older rules: nothing else until it is new. */
	if (store_actor(r->s)->must_change && (rt == NULL ||
	    !rt->before_new_password)) {
		http_redirect(r, "/account");
		return;
	}
	if (rt == NULL)
		error_page(r, 404, "Not found.");
	else if (store_actor(r->s)->role == ROLE_KIOSK && !rt->kiosk)
		kiosk_refused(r, post);
	else if (rt->auth == AUTH_ADMIN && store_actor(r->s)->role !=
	    ROLE_ADMIN)
		error_page(r, 403, "Administration is for admins.");
	else if (rt->fields != NULL && !fields_read(r, rt->fields, &field,
	    &why)) {
		if (rt->refused != NULL)
			rt->refused(r, id, field, why);
		else
			error_page(r, 400, why);
	} else
		rt->fn(r, id, rest);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_login.c - logging in (a password, then the second factor when
 * the user has one) and out.  The login form carries its own CSRF token
 * in a pre-session cookie, since there is no session yet.
 */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "render/html.h"
#include "app/log.h"
#include "web/web_int.h"

#define KEEP	"keep."		/* a carried field's name starts so */

/*
 * A path of ours to come back to after signing in: "/" and letters,
 * digits, "-", "_" and "." only, not "//" (another host), at most 200
 * bytes.  Anything else goes to the caseload.
 */
static bool
local_path(const char *p)
{
	size_t	 i;

	if (p == NULL || p[0] != '/' || p[1] == '/' || strlen(p) > 200)
		return false;
	for (i = 0; p[i] != '\0'; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' &&
		    p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
		    strchr("/-_.", p[i]) != NULL))
			return false;
	return strstr(p, "..") == NULL;
}

/* Is a sent field carried through the login?  Not its old token, and
 * never a password or a code, which are not written into a page. */
static bool
carried(const char *name)
{
	return strcmp(name, "csrf") != 0 && strcmp(name, "code") != 0 &&
	    strstr(name, "password") == NULL && strlen(name) <= 64;
}

/*
 * The login form.  next: where to go after (a local path, or NULL);
 * carry: a form sent after the session ended, whose fields (all but its
 * token) ride along hidden, so that nothing typed is lost; again: carry
 * is a failed login's form, whose "keep." fields ride along once more.
 */
static void
login_form_with(struct req *r, const char *msg, const char *next,
    const struct form *carry, bool again)
{
	char		 pre[TOKEN_HEX + 1];
	unsigned char	 raw[32];
	const char	*old = http_cookie(r, "__Host-sbpre"), *name, *user;
	size_t		 i;

	/*
	 * Login CSRF: a pre-session token in a cookie and in the form.  An
	 * existing one is kept, so that a second tab, or the browser's own
	 * request for a favicon landing here, does not void the form the
	 * person is filling in.
	 */
	for (i = 0; old != NULL && i < TOKEN_HEX; i++)
		if (!((old[i] >= '0' && old[i] <= '9') ||
		    (old[i] >= 'a' && old[i] <= 'f')))
			break;
	if (old != NULL && i == TOKEN_HEX && old[i] == '\0')
		snprintf(pre, sizeof(pre), "%s", old);
	else {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(pre, sizeof(pre), raw, sizeof(raw));
		snprintf(r->cookie, sizeof(r->cookie), "__Host-sbpre=%s; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict", pre);
	}
	page_begin(r, "Log in");
	HTML_LIT(&r->out, "<h1>securebase</h1><p class=\"lede\">Your "
	    "practice's questionnaires, alerts and attachment work, on its "
	    "own server.</p>");
	if (msg != NULL) {
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">");
		html_text(&r->out, msg);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/login\">");
	csrf_field(r, pre);
	if (local_path(next)) {
		HTML_LIT(&r->out, "<input type=\"hidden\" name=\"next\"");
		html_attr(&r->out, "value", next);
		HTML_LIT(&r->out, ">");
	}
	for (i = 0; carry != NULL && i < carry->n; i++) {
		name = carry->f[i].name;
		if (again) {
			if (strncmp(name, KEEP, strlen(KEEP)) != 0)
				continue;
			name += strlen(KEEP);
		}
		if (!carried(name))
			continue;
		/* A textarea keeps line breaks exactly, as an attribute
		 * might not. */
		HTML_LIT(&r->out, "<textarea hidden name=\"" KEEP);
		html_text(&r->out, name);
		HTML_LIT(&r->out, "\">\n");
		html_text(&r->out, carry->f[i].value);
		HTML_LIT(&r->out, "</textarea>");
	}
	/* After a refused login the name stays (it is no secret; the
	 * password is never written back), and the cursor waits where
	 * typing goes on. */
	user = again ? in_text(r, "user") : NULL;
	HTML_LIT(&r->out, "<label for=\"u\">User name</label><input "
	    "type=\"text\" id=\"u\" name=\"user\" autocomplete=\"username\" "
	    "required");
	if (user != NULL && user[0] != '\0')
		html_attr(&r->out, "value", user);
	else
		HTML_LIT(&r->out, " autofocus");
	HTML_LIT(&r->out, "><label for=\"p\">Password</label><input "
	    "type=\"password\" id=\"p\" name=\"password\" "
	    "autocomplete=\"current-password\" required");
	if (user != NULL && user[0] != '\0')
		HTML_LIT(&r->out, " autofocus");
	/* The code only for those who use one: which names do is not
	 * told before a password is right, so it opens on demand, and by
	 * itself after a refused login. */
	HTML_LIT(&r->out, "><details class=\"code\"");
	if (again)
		HTML_LIT(&r->out, " open");
	HTML_LIT(&r->out, "><summary>I log in with a code from an "
	    "authenticator app</summary><label for=\"c\">Code from your "
	    "authenticator app</label><input type=\"text\" id=\"c\" "
	    "name=\"code\" inputmode=\"numeric\" autocomplete=\""
	    "one-time-code\" maxlength=\"6\"></details><p><button "
	    "type=\"submit\">Log in</button></p></form><p class=\"muted\">"
	    "Forgotten your password, or lost the phone with your code? Your "
	    "practice's administrator can set a new password; securebase "
	    "never sends one by mail.</p>");
	page_end(r);
}

/* The login form again after a failed login, with where it was going
 * and what it carried. */
static void
login_form(struct req *r, const char *msg)
{
	login_form_with(r, msg, in_text(r, "next"), &r->form, true);
}

/*
 * A request without a live session.  A page is asked for again after
 * signing in (/login?next=).  A form sent from our own pages after the
 * session ended (30 idle minutes, while someone wrote up a session) is
 * not lost: the sign-in form carries it, and after signing in it is
 * shown again, to be sent with the new session's token (a client's
 * page's forms and the alerts', not an account's).  A form from
 * another site is not carried (the Origin check): it could plant text;
 * nor one sent without a session cookie at all (had_session false),
 * which no signed-in page sent.
 */
void
signed_out(struct req *r, bool post, bool had_session)
{
	char	 to[240];
	size_t	 i, n = 0;

	/* Clinical writing only: an account's or the administration's
	 * forms carry passwords and secrets under other names. */
	if (post && had_session && http_origin_ok(r) && (strncmp(r->url,
	    "/clients/", 9) == 0 || strcmp(r->url, "/alerts") == 0)) {
		if (!form_read(r))
			return;
		for (i = 0; i < r->form.n; i++)
			n += carried(r->form.f[i].name);
	}
	/* A form with something to keep (not a logout's bare token). */
	if (n > 0) {
		r->status = 401;
		login_form_with(r, "You were signed out after 30 minutes "
		    "without activity. Sign in again: what you sent is kept, "
		    "and shown to you again to save.", r->url, &r->form, false);
		return;
	}
	if (!post && strcmp(r->url, "/") != 0 && local_path(r->url)) {
		snprintf(to, sizeof(to), "/login?next=%s", r->url);
		http_redirect(r, to);
		return;
	}
	http_redirect(r, "/login");
}

/*
 * After signing in with a carried form: the form again, its fields as
 * they were sent, to be sent to the same place with the new session's
 * token.  Long or multi-line text is shown to read; the rest rides
 * hidden.
 */
static void
resume_form(struct req *r, const char *next)
{
	const char	*name, *v;
	size_t		 i, n = 0;

	r->menu = true;
	page_begin(r, "Welcome back");
	HTML_LIT(&r->out, "<h1>Welcome back</h1><p>This is what you sent "
	    "when you were signed out. Nothing of it is saved yet: check it "
	    "and send it again.</p><form method=\"post\"");
	html_attr(&r->out, "action", next);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	for (i = 0; i < r->form.n; i++) {
		name = r->form.f[i].name;
		if (strncmp(name, KEEP, strlen(KEEP)) != 0)
			continue;
		name += strlen(KEEP);
		v = r->form.f[i].value;
		field_again(r, name, v, name, &n);
	}
	HTML_LIT(&r->out, "<p><button type=\"submit\">Send it again</button>"
	    "</p></form>");
	page_end(r);
}

/*
 * A refused sign-in: the form again (429 with Retry-After while the
 * back-off lasts, else 403), and the operator's line, counted per
 * address (app/log.h): a user's name as sshd logs it, a name of no user
 * as a keyed tag, never the text typed (a password, sometimes).
 */
static void
login_refused(struct req *r, const char *event, int wait)
{
	char	 w[16], who[STORE_MAX_NAME + 1];

	snprintf(w, sizeof(w), "%d", wait);
	store_user_logged(r->s, in_text(r, "user"), who, sizeof(who));
	log_refusal(event, http_client_address(r), who, wait > 0 ? w : NULL);
	r->status = wait > 0 ? 429 : 403;
	if (wait > 0)
		snprintf(r->retry_after, sizeof(r->retry_after), "%d", wait);
	login_form(r, wait > 0 ? "Too many failed logins. Please wait and try "
	    "again." : "Wrong user name, password or code.");
}

/*
 * The login form's fields, each as it was sent ("" kept: an empty
 * password is what was typed); the store judges them, so that every
 * refusal says the same words.  The fields a form carried through the
 * login (KEEP) are the carried form's, not the login's.
 */
const struct field_def login_fields[] = {
	{ .name = "user", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = "password", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = "code", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = "next", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = NULL }
};

/* POST /login (login_fields read) */
void
login_submit(struct req *r, int64_t id, const char *rest)
{
	char		 token[TOKEN_HEX + 1];
	const char	*next, *from;
	size_t		 i;
	int64_t		 attempt = 0;
	int		 wait = 0, addr_wait = 0;
	enum sb_err	 e;

	(void)id;
	(void)rest;
	if (!form_read(r))
		return;
	if (!http_csrf_ok(r, http_cookie(r, "__Host-sbpre"))) {
		error_page(r, 403, "This form has expired or came from another "
		    "site. Please log in again.");
		return;
	}
	/*
	 * The back-off first, from memory when this address was told to
	 * wait already, then counted in the database: a flood is refused
	 * before it takes a turn to hash, and its refusals count too.
	 */
	from = http_client_address(r);
	if ((wait = login_wait_known(r->srv, from, (time_t)http_now())) > 0) {
		login_refused(r, "login-locked", wait);
		return;
	}
	e = store_login_claim(r->s, in_text(r, "user"), from, http_now(),
	    &attempt, &wait, &addr_wait);
	if (e == SB_EPERM) {
		/* Remembered only what the address owes, whatever the name:
		 * one name's back-off must not lock out the rest. */
		if (addr_wait > 0)
			login_wait_note(r->srv, from, (time_t)http_now() +
			    addr_wait);
		login_refused(r, wait > 0 ? "login-locked" : "login-failed",
		    wait);
		return;
	}
	/*
	 * Argon2id takes 64 MiB and a tenth of a second: at most LOGIN_SLOTS
	 * at once, so that logins (anyone's, unauthenticated) never take
	 * the threads and memory the pages need; one per address, in turn,
	 * so that a flood from a few addresses does not keep everyone else
	 * out; past a short wait, 503.
	 */
	if (e == SB_OK && !login_turn_take(r->srv, from)) {
		log_refusal("login-busy", from, NULL, NULL);
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "2");
		login_form(r, "Many people are signing in just now. Please try "
		    "again in a moment.");
		return;
	}
	if (e == SB_OK) {
		e = store_login_claimed(r->s, attempt, in_text(r, "user"),
		    in_text(r, "password"), in_text(r, "code"), from,
		    http_now(), token);
		login_turn_give(r->srv, from);
	}
	if (e != SB_OK && e != SB_EPERM) {
		/* The server's failure (low memory): not the person's. */
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		login_form(r, "The server could not check your password just "
		    "now. Please try again in a moment.");
		return;
	}
	if (e != SB_OK) {
		login_refused(r, "login-failed", 0);
		return;
	}
	log_event("info", "login", "ip", http_client_address(r), "user",
	    in_text(r, "user"), NULL);
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=%s; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict", token);
	next = in_text(r, "next");
	if (!local_path(next))
		next = "/";
	for (i = 0; i < r->form.n; i++)
		if (strncmp(r->form.f[i].name, KEEP, strlen(KEEP)) == 0)
			break;
	/* A carried form, and a session to send it with: shown again. */
	if (i < r->form.n && store_session(r->s, token, http_now(), r->csrf) ==
	    SB_OK) {
		snprintf(r->token, sizeof(r->token), "%s", token);
		sodium_memzero(token, sizeof(token));
		resume_form(r, next);
		return;
	}
	sodium_memzero(token, sizeof(token));
	http_redirect(r, next);
}

/* GET /login[?next=PATH] */
void
login_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	login_form_with(r, NULL, http_query(r, "next"), NULL, false);
}

/* POST /logout */
void
logout_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	/* The cookie is cleared only once the server has ended the session:
	 * a browser that forgot a session the server still honours would
	 * leave the user thinking they were signed out. */
	if (store_logout(r->s, r->token) != SB_OK) {
		log_event("warn", "logout-failed", "reason",
		    store_errmsg(r->s), NULL);
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		error_page(r, 503, "You are not signed out yet: the practice "
		    "could not end your session just now. Please press "
		    "\"Log out\" again in a moment.");
		return;
	}
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	http_redirect(r, "/login");
}

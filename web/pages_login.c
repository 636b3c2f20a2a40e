/*
 * pages_login.c - logging in (a password, then the second factor when
 * the user has one) and out.  The login form carries its own CSRF token
 * in a pre-session cookie, since there is no session yet.
 */

#include <stdio.h>

#include <sodium.h>

#include "render/html.h"
#include "web/web_int.h"

static void
login_form(struct req *r, const char *msg)
{
	char		 pre[TOKEN_HEX + 1];
	unsigned char	 raw[32];
	const char	*old = cookie(r, "__Host-sbpre");
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
	HTML_LIT(&r->out, "<h1>securebase</h1>");
	if (msg != NULL) {
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">");
		html_text(&r->out, msg);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/login\">");
	csrf_field(r, pre);
	HTML_LIT(&r->out, "<label for=\"u\">User name</label><input "
	    "type=\"text\" id=\"u\" name=\"user\" autocomplete=\"username\" "
	    "required><label for=\"p\">Password</label><input "
	    "type=\"password\" id=\"p\" name=\"password\" "
	    "autocomplete=\"current-password\" required><label for=\"c\">"
	    "Code from your authenticator app (if you use one)</label><input "
	    "type=\"text\" id=\"c\" name=\"code\" inputmode=\"numeric\" "
	    "autocomplete=\"one-time-code\" maxlength=\"6\"><p><button "
	    "type=\"submit\">Log in</button></p></form>");
	page_end(r);
}

/* POST /login */
void
login_submit(struct req *r, int64_t id, const char *rest)
{
	char		 token[TOKEN_HEX + 1];
	int		 wait = 0;
	enum sb_err	 e;

	(void)id;
	(void)rest;
	if (!parse_form(r))
		return;
	if (!csrf_ok(r, cookie(r, "__Host-sbpre"))) {
		error_page(r, 403, "This form has expired or came from another "
		    "site. Please log in again.");
		return;
	}
	/*
	 * Argon2id takes 64 MiB and a tenth of a second: at most LOGIN_SLOTS
	 * at once, so that logins (anyone's, unauthenticated) never take
	 * the threads and memory the pages need; past that, 503 at once.
	 */
	if (!login_slot_take(r->srv)) {
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "2");
		login_form(r, "Many people are signing in just now. Please try "
		    "again in a moment.");
		return;
	}
	e = store_login(r->s, form_get(&r->form, "user"),
	    form_get(&r->form, "password"), form_get(&r->form, "code"),
	    client_address(r), now(), token, &wait);
	login_slot_give(r->srv);
	if (e != SB_OK && e != SB_EPERM) {
		/* The server's failure (low memory): not the person's. */
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		login_form(r, "The server could not check your password just "
		    "now. Please try again in a moment.");
		return;
	}
	if (e != SB_OK) {
		r->status = wait > 0 ? 429 : 403;
		if (wait > 0)
			snprintf(r->retry_after, sizeof(r->retry_after), "%d",
			    wait);
		login_form(r, wait > 0 ? "Too many failed logins. Please wait "
		    "and try again." : "Wrong user name, password or code.");
		return;
	}
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=%s; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict", token);
	redirect(r, "/");
}

/* GET /login */
void
login_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	login_form(r, NULL);
}

/* POST /logout */
void
logout_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	store_logout(r->s, r->token);
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	redirect(r, "/login");
}

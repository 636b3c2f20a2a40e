/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_account.c - a user's own account: their password, their second
 * factor (set up from a QR code in the page) and their sessions.
 *
 * Changing the password or the second factor asks for the current
 * password (whoever found an open session cannot lock its owner out) and
 * ends every other session of the user (store/users.c).  Each check of a
 * password takes a login slot: it costs an Argon2id hash like a login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/totp.h"
#include "core/text.h"
#include "app/log.h"
#include "render/charts.h"
#include "render/html.h"
#include "web/web_int.h"

#define SECRET_HEX	(TOTP_SECRET_BYTES * 2)

static SB_MUST enum sb_err
session_row(void *arg, const struct store_session_info *si)
{
	struct req	*r = arg;
	char		 id[32];

	HTML_LIT(&r->out, "<tr><td data-label=\"Started\">");
	html_when_t(&r->out, si->created);
	HTML_LIT(&r->out, "</td><td data-label=\"Last used\">");
	html_when_t(&r->out, si->last_seen);
	HTML_LIT(&r->out, "</td><td data-label=\"From\">");
	html_text(&r->out, si->address[0] ? si->address : "(unknown)");
	HTML_LIT(&r->out, "</td><td>");
	if (si->current)
		HTML_LIT(&r->out, "this one ");
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/account/sessions\">"
	    "<input type=\"hidden\" name=\"id\"");
	snprintf(id, sizeof(id), "%lld", (long long)si->id);
	html_attr(&r->out, "value", id);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button class=\"secondary\" type=\"submit\">");
	html_text(&r->out, si->current ? "End (log out)" : "End");
	HTML_LIT(&r->out, "</button></form></td></tr>");
	return SB_OK;
}

static void
password_fields(struct req *r, const char *id, const char *label)
{
	HTML_LIT(&r->out, "<label for=\"");
	html_text(&r->out, id);
	HTML_LIT(&r->out, "\">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><input type=\"password\" id=\"");
	html_text(&r->out, id);
	HTML_LIT(&r->out, "\" name=\"current\" autocomplete=\"current-password\""
	    " required>");
}

/* The name clients read: on their links, progress page and mail. */
static void
display_form(struct req *r, const struct store_user *u)
{
	HTML_LIT(&r->out, "<h2>Your name for clients</h2><p class=\"muted\" "
	    "id=\"dn-h\">Clients read it on their questionnaire links, their "
	    "progress page and the mail that brings a link, with the "
	    "practice's name (when the practice shows the therapist's). "
	    "Empty: your user name, ");
	html_text(&r->out, u->name);
	HTML_LIT(&r->out, ".</p><form method=\"post\" action=\"/account/"
	    "display\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<label for=\"dn\">Name</label><input type=\"text\""
	    " id=\"dn\" name=\"display\" maxlength=\"80\" "
	    "autocomplete=\"name\" aria-describedby=\"dn-h\"");
	html_attr(&r->out, "value", u->display);
	HTML_LIT(&r->out, "><p><button type=\"submit\" class=\"secondary\">"
	    "Save name</button></p></form>");
}

/* GET /account, or the page again with a message after a refused POST. */
static void
account_render(struct req *r, const char *msg, bool good)
{
	const struct store_user	*u = store_actor(r->s);
	bool			 totp = false;

	page_begin(r, "Your account");
	HTML_LIT(&r->out, "<h1>Your account</h1>");
	if (u->must_change)
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">Your "
		    "password was set under older, weaker rules. Please choose "
		    "a new one before you go on.</p>");
	if (msg != NULL) {
		HTML_LIT(&r->out, "<p role=\"alert\"");
		if (!good)
			HTML_LIT(&r->out, " class=\"high\"");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, msg);
		HTML_LIT(&r->out, "</p>");
	}
	if (!u->must_change && u->role != ROLE_ADMIN)
		display_form(r, u);
	HTML_LIT(&r->out, "<h2>Password</h2><form method=\"post\" "
	    "action=\"/account/password\">");
	csrf_field(r, r->csrf);
	password_fields(r, "pc", "Current password");
	HTML_LIT(&r->out, "<label for=\"pn\">New password (12 or more "
	    "characters, not a common one, not your user name; a few words "
	    "in a row make a good one)</label><input type=\"password\" "
	    "id=\"pn\" name=\"new\" autocomplete=\"new-password\" "
	    "minlength=\"12\" required><label for=\"pa\">New password again"
	    "</label><input type=\"password\" id=\"pa\" name=\"again\" "
	    "autocomplete=\"new-password\" minlength=\"12\" required><p>"
	    "<button type=\"submit\">Change password</button></p></form>");
	if (u->must_change) {
		page_end(r);
		return;
	}
	if (store_totp_enabled(r->s, u->name, &totp) != SB_OK) {
		read_failed(r);
		return;
	}
	HTML_LIT(&r->out, "<h2>Second factor</h2>");
	if (totp) {
		HTML_LIT(&r->out, "<p>On: you log in with a code from your "
		    "authenticator app.</p><form method=\"post\" "
		    "action=\"/account/totp-off\">");
		csrf_field(r, r->csrf);
		password_fields(r, "tc", "Current password");
		HTML_LIT(&r->out, "<p><button class=\"secondary\" "
		    "type=\"submit\">Turn the second factor off</button></p>"
		    "</form>");
	} else
		HTML_LIT(&r->out, "<p>Off. With a second factor, logging in "
		    "also takes a 6-digit code from an authenticator app on "
		    "your phone, so a password alone opens nothing.</p>");
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/account/totp\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">");
	html_text(&r->out, totp ? "Move it to a new app" : "Set up an "
	    "authenticator app");
	HTML_LIT(&r->out, "</button></p></form><h2>Your sessions</h2>"
	    "<p class=\"muted\">Where you are logged in now. End any you do "
	    "not recognise, and change your password.</p><table class=\"stack\">"
	    "<tr><th>"
	    "Started</th><th>Last used</th><th>From</th><th>End it</th></tr>");
	if (store_session_each(r->s, http_now(), session_row, r) != SB_OK) {
		read_failed(r);
		return;
	}
	HTML_LIT(&r->out, "</table><form method=\"post\" "
	    "action=\"/account/sessions\"><input type=\"hidden\" name=\"id\" "
	    "value=\"others\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button class=\"secondary\" type=\"submit\">End "
	    "all my other sessions</button></p></form>");
	page_end(r);
}

void
account_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	account_render(r, NULL, false);
}

static void
refuse(struct req *r, int status, const char *msg)
{
	buf_reset(&r->out);
	r->status = status;
	account_render(r, msg, false);
}

/*
 * Is the form's "current" the acting user's password?  false with the
 * page written when it is not, or when no slot is free.  Counted in the
 * user's back-off like a sign-in (store_reauth): 429 while it lasts, and
 * after five wrong ones the session ends.
 */
static bool
current_ok(struct req *r, const char *cur)
{
	char		 w[16];
	int		 wait = 0;
	bool		 ended = false;
	enum sb_err	 e;

	if (!login_slot_take(r->srv)) {
		snprintf(r->retry_after, sizeof(r->retry_after), "2");
		refuse(r, 503, "Many people are signing in just now. Please "
		    "try again in a moment.");
		return false;
	}
	e = store_reauth(r->s, cur, http_client_address(r), http_now(), &wait,
	    &ended);
	login_slot_give(r->srv);
	if (e != SB_OK && e != SB_EPERM) {
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		refuse(r, 503, "The server could not check your password just "
		    "now; nothing was changed. Please try again in a moment.");
		return false;
	}
	if (e == SB_OK)
		return true;
	snprintf(w, sizeof(w), "%d", wait);
	log_refusal(ended ? "reauth-session-ended" : wait > 0 ?
	    "reauth-locked" : "reauth-failed", http_client_address(r),
	    store_actor(r->s)->name, wait > 0 ? w : NULL);
	if (ended) {
		/* The session is gone: its cookie too, and a way back in. */
		snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
		r->token[0] = '\0';
		error_page(r, 403, "That was not your current password, five "
		    "times: this session has been ended. Sign in again.");
		return false;
	}
	if (wait > 0) {
		snprintf(r->retry_after, sizeof(r->retry_after), "%d", wait);
		refuse(r, 429, "Too many wrong passwords: nothing was changed. "
		    "Please wait and try again.");
		return false;
	}
	refuse(r, 403, "That is not your current password; nothing was "
	    "changed.");
	return false;
}

static void
password_post(struct req *r)
{
	const char	*nw = r->in[0].text;
	const char	*again = r->in[1].text;
	enum sb_err	 e;

	if (nw == NULL || again == NULL || strcmp(nw, again) != 0) {
		refuse(r, 400, "The two new passwords differ; nothing was "
		    "changed.");
		return;
	}
	if (!current_ok(r, r->in[2].text))
		return;
	if (!login_slot_take(r->srv)) {
		snprintf(r->retry_after, sizeof(r->retry_after), "2");
		refuse(r, 503, "Many people are signing in just now. Please "
		    "try again in a moment.");
		return;
	}
	e = store_user_passwd(r->s, store_actor(r->s)->name, nw);
	login_slot_give(r->srv);
	if (e != SB_OK) {
		char msg[512];

		snprintf(msg, sizeof(msg), "Not changed: %s.",
		    store_errmsg(r->s));
		refuse(r, e == SB_EINVAL ? 400 : 500, msg);
		return;
	}
	http_redirect_saying(r, "/account", "password");
}

/* POST /account/totp: a new secret, its QR code, and the form that turns
 * it on once the app shows a right code. */
static void
totp_new(struct req *r)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	char		 b32[TOTP_BASE32_LEN], hex[SECRET_HEX + 1], uri[512];
	const char	*name = store_actor(r->s)->name;
	struct buf	 label;

	randombytes_buf(secret, sizeof(secret));
	base32_encode(secret, sizeof(secret), b32, sizeof(b32));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	/* The label is the user's name, percent-encoded: it may hold
	 * letters beyond ASCII and signs such as @ or ?. */
	buf_init(&label, 512);
	text_add_percent(&label, name);
	snprintf(uri, sizeof(uri), "otpauth://totp/securebase:%s?secret=%s&"
	    "issuer=securebase&algorithm=SHA1&digits=%d&period=%d",
	    label.err == SB_OK && label.data ? label.data : "user", b32,
	    TOTP_DIGITS, TOTP_STEP);
	buf_free(&label);
	page_begin(r, "Set up your second factor");
	HTML_LIT(&r->out, "<h1>Set up your second factor</h1><ol><li>Open an "
	    "authenticator app on your phone and add an account by scanning "
	    "this code:</li></ol>");
	chart_qr(&r->out, uri, "QR code of your second-factor secret");
	HTML_LIT(&r->out, "<p>Or type this key into the app: <code>");
	html_text(&r->out, b32);
	HTML_LIT(&r->out, "</code></p><ol start=\"2\"><li>Type the 6-digit "
	    "code the app shows, and your password. Nothing changes until you "
	    "do.</li></ol><form method=\"post\" action=\"/account/totp-on\">"
	    "<input type=\"hidden\" name=\"secret\"");
	html_attr(&r->out, "value", hex);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<label for=\"tcode\">Code from the app</label>"
	    "<input type=\"text\" id=\"tcode\" name=\"code\" "
	    "inputmode=\"numeric\" autocomplete=\"one-time-code\" "
	    "maxlength=\"6\" required>");
	password_fields(r, "tp", "Current password");
	HTML_LIT(&r->out, "<p><button type=\"submit\">Turn it on</button> <a "
	    "href=\"/account\">Cancel</a></p></form>");
	page_end(r);
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(b32, sizeof(b32));
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(uri, sizeof(uri));
}

static void
totp_on(struct req *r)
{
	unsigned char	 secret[TOTP_SECRET_BYTES];
	const char	*hex = r->in[0].text;
	const char	*code = r->in[1].text;
	size_t		 n = 0;
	int64_t		 step;
	enum sb_err	 e;

	if (hex == NULL || strlen(hex) != SECRET_HEX || sodium_hex2bin(secret,
	    sizeof(secret), hex, SECRET_HEX, NULL, &n, NULL) != 0 ||
	    n != sizeof(secret)) {
		refuse(r, 400, "The form could not be read; start the set-up "
		    "again.");
		return;
	}
	/* The app must show the right code first: a second factor the
	 * user cannot produce would lock them out. */
	if (code == NULL || !totp_check(secret, sizeof(secret), code,
	    http_now(), &step)) {
		sodium_memzero(secret, sizeof(secret));
		refuse(r, 400, "That code is not the one the app should show "
		    "now; the second factor is not on. Start the set-up again, "
		    "and check the phone's clock.");
		return;
	}
	if (!current_ok(r, r->in[2].text)) {
		sodium_memzero(secret, sizeof(secret));
		return;
	}
	e = store_totp_set(r->s, store_actor(r->s)->name, secret,
	    sizeof(secret));
	sodium_memzero(secret, sizeof(secret));
	if (e != SB_OK) {
		refuse(r, 500, "The second factor could not be saved.");
		return;
	}
	http_redirect_saying(r, "/account", "totp");
}

static void
sessions_post(struct req *r)
{
	const char	*v = r->in[0].text;
	int64_t		 id = 0;
	bool		 mine = false;
	enum sb_err	 e;

	if (v == NULL || (strcmp(v, "others") != 0 && !http_parse_id(v,
	    strlen(v),
	    &id))) {
		refuse(r, 400, "No session was named.");
		return;
	}
	/* Ending the session in use is logging out. */
	mine = id != 0 && store_session_current(r->s) == id;
	if ((e = store_session_end(r->s, id)) != SB_OK) {
		refuse(r, e == SB_ENOENT ? 404 : 500, store_errmsg(r->s));
		return;
	}
	if (mine) {
		snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
		http_redirect(r, "/login");
		return;
	}
	http_redirect_saying(r, "/account", "session-ended");
}

/* POST /account/display: the name clients read (empty: none). */
static void
display_post(struct req *r)
{
	enum sb_err	 e;
	char		 msg[512];

	e = store_user_display(r->s, store_actor(r->s)->name, r->in[0].text);
	if (e == SB_OK) {
		http_redirect_saying(r, "/account", "name");
		return;
	}
	snprintf(msg, sizeof(msg), "Not saved: %s.", store_errmsg(r->s));
	refuse(r, e == SB_EINVAL || e == SB_ELIMIT ? 400 : 500, msg);
}

void
account_post(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	switch (r->op) {
	case OP_TOTP_NEW:
		totp_new(r);
		break;
	case OP_TOTP_ON:
		totp_on(r);
		break;
	case OP_TOTP_OFF:
		if (!current_ok(r, r->in[0].text))
			return;
		if (store_totp_set(r->s, store_actor(r->s)->name, NULL, 0) !=
		    SB_OK)
			refuse(r, 500, "The second factor could not be turned "
			    "off.");
		else
			http_redirect_saying(r, "/account", "totp-off");
		break;
	case OP_SESSIONS:
		sessions_post(r);
		break;
	case OP_DISPLAY:
		display_post(r);
		break;
	default:
		error_page(r, 404, "Not found.");
		break;
	}
}

/* The account forms' fields, checked before their handlers (routes.c);
 * a password is given as typed, even empty, for the store to judge. */
#define PW(n)	{ .name = n, .kind = FIELD_TEXT, .keep_empty = true }
const struct field_def password_change_fields[] = { PW("new"), PW("again"),
    PW("current"), { .name = NULL } };
const struct field_def totp_on_fields[] = { PW("secret"), PW("code"),
    PW("current"), { .name = NULL } };
const struct field_def totp_off_fields[] = { PW("current"),
    { .name = NULL } };
#undef PW
const struct field_def sessions_fields[] = {
	{ .name = "id", .kind = FIELD_TEXT, .required = true,
	    .missing = "No session was named." },
	{ .name = NULL } };
const struct field_def display_fields[] = {
	{ .name = "display", .kind = FIELD_TEXT, .keep_empty = true },
	{ .name = NULL }
};

void
account_refused(struct req *r, int64_t id, const char *field,
    const char *why)
{
	(void)id;
	(void)field;
	refuse(r, 400, why);
}

/* POST /account/password: the one account form a user whose password
 * must change may reach. */
void
account_password(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	password_post(r);
}

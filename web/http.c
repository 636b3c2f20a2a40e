/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * http.c - the request's helpers: its header lines, cookies, query and
 * form, the client's address, the origin and CSRF checks, a redirect,
 * the time it is served at.  Below every page; it writes no page but a
 * redirect's empty one.  See web_int.h.
 */
#include <arpa/inet.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/text.h"
#include "web/web_int.h"

const char *
http_client_address(struct req *r)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	if (r->address[0] != '\0')
		return r->address;
	/*
	 * Behind nginx every connection comes from nginx: with --trust-proxy
	 * the address nginx puts in X-Real-IP is the client's (only an
	 * address is taken), so that a failed login counts against its
	 * sender, not against everyone.
	 */
	if (r->srv->cfg->trust_proxy) {
		const char	*h = http_header(r, "X-Real-IP");
		unsigned char	 bin[16];

		if (h != NULL && strlen(h) < sizeof(r->address) &&
		    (inet_pton(AF_INET, h, bin) == 1 ||
		    inet_pton(AF_INET6, h, bin) == 1)) {
			snprintf(r->address, sizeof(r->address), "%s", h);
			return r->address;
		}
	}
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return "";
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)
		    sa)->sin_addr, r->address, sizeof(r->address));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)(const void *)
		    sa)->sin6_addr, r->address, sizeof(r->address));
	return r->address;
}

const char *
http_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *
http_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

bool
http_origin_ok(struct req *r)
{
	const char	*o = http_header(r, "Origin");
	const char	*site = http_header(r, "Sec-Fetch-Site");

	/* Browsers send both on a POST; either one from elsewhere is a
	 * forged request, whatever the token says.  A request with
	 * neither came from no browser of ours (a browser old enough to
	 * send neither is not supported): the token alone is not enough,
	 * since a leaked page holds it. */
	if (o == NULL && site == NULL)
		return false;
	if (o != NULL && strcmp(o, r->srv->cfg->origin) != 0)
		return false;
	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return false;
	return true;
}

void
http_redirect(struct req *r, const char *to)
{
	r->status = MHD_HTTP_SEE_OTHER;
	snprintf(r->location, sizeof(r->location), "%s", to);
}

/*
 * What a redirect after a change says on the page it leads to, once: a
 * code in a short-lived cookie, shown by the next page and cleared.  Only
 * these words are ever shown; a cookie with anything else says nothing.
 */
static const struct {
	const char	*code, *words;
} notices[] = {
	{ "saved", "Saved." },
	{ "removed", "Removed." },
	{ "ack", "Alert acknowledged." },
	{ "resolved", "Alert resolved: it has left the open alerts, and "
	    "stays in the client's alert history." },
	{ "shared", "Shared." },
	{ "unshared", "No longer shared." },
	{ "renewed", "A new link is on its way; the old one is closed." },
	{ "withdrawn", "Link withdrawn." },
	{ "password", "Your password is changed. Your other sessions have "
	    "ended." },
	{ "totp", "Your second factor is set. Your other sessions have "
	    "ended." },
	{ "totp-off", "Your second factor is off. Your other sessions have "
	    "ended." },
	{ "session-ended", "That session has ended." },
	{ "name", "Saved: clients read this name from now on." },
	{ "seen", "Marked seen." },
	{ "queued", "Queued for the tablet: give the client the code below." },
};
#define SAID_COOKIE	"__Host-sbsaid"

void
http_redirect_saying(struct req *r, const char *to, const char *code)
{
	size_t	 i;

	http_redirect(r, to);
	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(notices[i].code, code) == 0)
			snprintf(r->said, sizeof(r->said), SAID_COOKIE "=%s; "
			    "Path=/; Secure; HttpOnly; SameSite=Strict; "
			    "Max-Age=120", code);
}

const char *
http_notice(struct req *r)
{
	const char	*code = http_cookie(r, SAID_COOKIE);
	size_t		 i;

	if (code == NULL || code[0] == '\0')
		return NULL;
	/* Shown once: cleared with this page. */
	snprintf(r->said, sizeof(r->said), SAID_COOKIE "=; Path=/; Secure; "
	    "HttpOnly; SameSite=Strict; Max-Age=0");
	for (i = 0; i < sizeof(notices) / sizeof(notices[0]); i++)
		if (strcmp(notices[i].code, code) == 0)
			return notices[i].words;
	return NULL;
}

int64_t
http_now(void)
{
	return clock_now();
}

bool
http_csrf_ok(struct req *r, const char *want)
{
	const char	*got = form_get(&r->form, "csrf");

	return got != NULL && want != NULL && strlen(got) == strlen(want) &&
	    sodium_memcmp(got, want, strlen(want)) == 0 && http_origin_ok(r);
}

bool
http_parse_form(struct req *r)
{
	/* Once: the fields are decoded in place in the body. */
	if (r->parsed == 0)
		r->parsed = buf_add(&r->body, "", 0) == SB_OK &&
		    form_parse(r->body.data ? r->body.data : (char *)"",
		    &r->form) == SB_OK ? 1 : -1;
	return r->parsed > 0;
}

bool
http_parse_id(const char *s, size_t n, int64_t *id)
{
	long	 v;

	if (!text_int(s, n, &v) || v < 1)
		return false;
	*id = v;
	return true;
}

void
http_link_csrf(const char *token, char out[TOKEN_HEX + 1])
{
	unsigned char	 h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), (const unsigned char *)"sb-link-csrf-v1-key-0000000",
	    16);
	sodium_bin2hex(out, TOKEN_HEX + 1, h, sizeof(h));
}

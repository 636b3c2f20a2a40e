/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_links.c - a client's links on the client page: the links sent with
 * their state, sending one (a QR code to hand over, or by mail or SMS),
 * cancelling and renewing one, sharing the client with a colleague, and
 * the PDF report as a download.  Below pages_client.c, which shows the
 * sections; nothing here draws the whole client page.
 */
#include <string.h>

#include <sodium.h>

#include "render/charts.h"
#include "render/client_page.h"
#include "render/html.h"
#include "render/report.h"
#include "web/web_int.h"

/* The links sent, walked for their table. */
#define LINKS_SHOWN	8

struct links_list {
	struct req	*r;
	int64_t		 client;
	size_t		 n;
};

static void	link_shown(struct req *, const char *, const char *);

static void
link_button(struct req *r, int64_t client, int64_t link, const char *what,
    const char *label, bool secondary)
{
	char	 act[80], id[24];

	snprintf(act, sizeof(act), "/clients/%lld/links/%s", (long long)client,
	    what);
	snprintf(id, sizeof(id), "%lld", (long long)link);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"inline\"");
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><input type=\"hidden\" name=\"link\"");
	html_attr(&r->out, "value", id);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\"");
	if (secondary)
		HTML_LIT(&r->out, " class=\"secondary\"");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</button></form>");
}

static SB_MUST enum sb_err
link_row(void *arg, const struct store_link_row *l)
{
	struct links_list	*ll = arg;
	struct req		*r = ll->r;
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    l->instrument);
	bool			 open = strcmp(l->state, "finished") != 0 &&
				    strcmp(l->state, "cancelled") != 0;

	/* The newest LINKS_SHOWN (the list comes newest first); the
	 * older ones one click away, so that 60 links do not make the
	 * section pages long. */
	if (ll->n == LINKS_SHOWN)
		HTML_LIT(&r->out, "</table><details><summary>Older links"
		    "</summary>");
	if (ll->n++ == 0 || ll->n == LINKS_SHOWN + 1)
		HTML_LIT(&r->out, "<table class=\"links\"><tr><th>What</th>"
		    "<th>Sent</th><th>By</th><th>Valid until</th><th>State"
		    "</th><th>Change</th></tr>");
	HTML_LIT(&r->out, "<tr><td>");
	html_text(&r->out, re ? re->in->name : strcmp(l->instrument,
	    NARRATIVE_LINK) == 0 ? "Written answers to prompts" :
	    l->instrument);
	if (strcmp(l->mode, "in-session") == 0)
		HTML_LIT(&r->out, " (in the session)");
	/* Labelled: the rows stand as blocks in the side column. */
	HTML_LIT(&r->out, "</td><td data-label=\"Sent\">");
	html_when_t(&r->out, l->created);
	HTML_LIT(&r->out, "</td><td data-label=\"By\">");
	html_text(&r->out, l->by);
	HTML_LIT(&r->out, "</td><td data-label=\"Valid until\">");
	html_when_t(&r->out, l->expires);
	HTML_LIT(&r->out, "</td><td data-label=\"State\">");
	html_text(&r->out, l->state);
	HTML_LIT(&r->out, "</td><td>");
	if (open && store_actor(r->s)->role == ROLE_THERAPIST &&
	    strcmp(l->mode, "link") == 0) {
		link_button(r, ll->client, l->id, "renew", "Send again", false);
		if (strcmp(l->state, "expired") != 0)
			link_button(r, ll->client, l->id, "cancel", "Withdraw",
			    true);
	}
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

/* The links sent to the client and how far each came, with a way to
 * send one again (a new link, the answers so far kept) or withdraw it. */
void
links_section(struct req *r, int64_t id)
{
	struct links_list	 ll = { r, id, 0 };
	size_t			 mark = r->out.len;

	HTML_LIT(&r->out, "<h2 id=\"links\">Links sent</h2>");
	if (store_link_each(r->s, id, http_now(), link_row, &ll) != SB_OK) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		HTML_LIT(&r->out, "<h2 id=\"links\">Links sent</h2><p "
		    "class=\"high\">The links could not be read.</p>");
		return;
	}
	if (ll.n == 0)
		HTML_LIT(&r->out, "<p class=\"empty\">No links yet.</p>");
	else
		HTML_PICK(&r->out, ll.n > LINKS_SHOWN, "</table></details>",
		    "</table>");
}

const struct field_def link_change_fields[] = {
	{ .name = "link", .kind = FIELD_ID, .required = true,
	    .missing = "Choose the link.", .bad = "Choose the link." },
	{ .name = NULL } };

/* POST /clients/N/links/cancel and /renew, with the link's number
 * (link_change_fields checked). */
void
link_change_post(struct req *r, int64_t client, const char *rest)
{
	int64_t			 link = r->in[0].id;
	const struct reg_entry	*re;
	char			 token[TOKEN_HEX + 1], url[600], to[64];
	char			 instrument[64];
	int64_t			 id;
	enum sb_err		 e;

	(void)rest;
	if (r->op == OP_LINK_CANCEL)
		e = store_link_cancel(r->s, client, link, http_now());
	else
		e = store_link_renew(r->s, client, link, 14, http_now(), token,
		    instrument, &id);
	switch (e) {
	case SB_OK:
		break;
	case SB_ENOENT:
	case SB_EPERM:
		error_page(r, 404, "There is no such link of this client on "
		    "your caseload.");
		return;
	case SB_EINVAL:
		error_page(r, 409, "This link is finished or was withdrawn "
		    "already; nothing was changed.");
		return;
	default:
		error_page(r, 503, "The link could not be changed just now; "
		    "please try again in a moment.");
		return;
	}
	if (r->op == OP_LINK_CANCEL) {
		client_href(to, sizeof(to), client, "links");
		http_redirect_saying(r, to, "withdrawn");
		return;
	}
	snprintf(url, sizeof(url), "%s/q/%s", r->srv->cfg->origin, token);
	sodium_memzero(token, sizeof(token));
	re = registry_find(r->srv->cfg->reg, instrument);
	link_shown(r, url, re ? re->in->name : NULL);
}

/*
 * Sharing with a colleague, and stopping it: for the client's own
 * therapist (the store refuses anyone else, so the forms are only a
 * convenience).
 */
void
sharing_forms(struct req *r, int64_t id)
{
	char	 act[64];

	if (store_actor(r->s)->role != ROLE_THERAPIST)
		return;
	HTML_LIT(&r->out, "<h2>Sharing</h2><p class=\"muted\">Only you, "
	    "this client's therapist, can share the record or stop sharing "
	    "it.</p><form method=\"post\" class=\"inline\"");
	snprintf(act, sizeof(act), "/clients/%lld/share", (long long)id);
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><label for=\"sw\">Share with (user name)</label>"
	    "<input type=\"text\" id=\"sw\" name=\"with\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\">Share</button></form>"
	    "<form method=\"post\" class=\"inline\"");
	snprintf(act, sizeof(act), "/clients/%lld/unshare", (long long)id);
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><label for=\"uw\">Stop sharing with (user name)"
	    "</label><input type=\"text\" id=\"uw\" name=\"with\" "
	    "required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">Stop "
	    "sharing</button></form>");
}

const struct field_def share_fields[] = {
	{ .name = "with", .kind = FIELD_TEXT, .required = true,
	    .missing = "Give the colleague's user name." },
	{ .name = NULL } };

/* POST /clients/N/share and /unshare (share_fields checked). */
static void
share_post(struct req *r, int64_t id, bool share)
{
	const char	*with = r->in[0].text;
	char		 to[48];
	enum sb_err	 e;

	e = with == NULL ? SB_EINVAL : share ? store_client_share(r->s, id,
	    with) : store_client_unshare(r->s, id, with);
	if (e == SB_EPERM || e == SB_ENOENT) {
		/* The same words whether the client is another's or not
		 * there: nothing is told about other caseloads. */
		error_page(r, e == SB_EPERM ? 403 : 404, "Only a client's own "
		    "therapist can share the record, with an active colleague "
		    "it is shared with.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 400, "Give the colleague's user name.");
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	http_redirect_saying(r, to, share ? "shared" : "unshared");
}

/* A link not made or not sent, said as what went wrong: not every
 * failure is a wrong client. */
static void
link_refused(struct req *r, enum sb_err e)
{
	if (e == SB_ENOENT || e == SB_EPERM)
		error_page(r, 404, "There is no such client on your caseload.");
	else if (e == SB_EINVAL)
		error_page(r, 400, store_errmsg(r->s));
	else
		error_page(r, 503, "The link could not be made just now (the "
		    "practice database is busy or full); please try again in "
		    "a moment.");
}

/* One-click send: the link goes to the client's address or phone on
 * file at once (serve's sender), and the page says which way. */
static void
link_sent(struct req *r, int64_t client, const char *iid, const char *name,
    const char *channel)
{
	char		 used[8], back[64];
	int64_t		 id;
	enum sb_err	 e;

	if (strcmp(channel, "mail") != 0 && strcmp(channel, "sms") != 0) {
		error_page(r, 400, "Send by mail or by SMS.");
		return;
	}
	if ((e = store_link_send(r->s, client, iid, channel, 14, http_now(),
	    &id,
	    used)) != SB_OK) {
		link_refused(r, e);
		return;
	}
	client_href(back, sizeof(back), client, "links");
	page_begin(r, "Link sent");
	HTML_LIT(&r->out, "<h1>Link sent</h1><p role=\"status\">The link to ");
	html_text(&r->out, name ? name : "the narrative prompts");
	html_text(&r->out, strcmp(used, "sms") == 0 ? " is on its way to the "
	    "client's phone by SMS" : " is on its way to the client's mail "
	    "address");
	HTML_LIT(&r->out, " (valid for 14 days). The message names the "
	    "practice and holds the link, nothing clinical. Whether it was "
	    "delivered shows under Links sent and, for admins, in the "
	    "outbox.</p><p><a");
	html_attr(&r->out, "href", back);
	HTML_LIT(&r->out, ">Back to the client</a></p>");
	page_end(r);
}

/*
 * A link's form: the instrument, and which button: "send" (by mail or
 * SMS) or "now" (in session), kept as sent so that a button is there
 * even with an empty value.  /send (the caseload's) adds the client
 * after them, so that link_post reads both alike.
 */
#define LINK_FIELDS \
	{ .name = "instrument", .kind = FIELD_TEXT, .keep_empty = true }, \
	{ .name = "send", .kind = FIELD_TEXT, .keep_empty = true }, \
	{ .name = "now", .kind = FIELD_TEXT, .keep_empty = true }
const struct field_def link_fields[] = { LINK_FIELDS, { .name = NULL } };
const struct field_def send_fields[] = { LINK_FIELDS,
    { .name = "client", .kind = FIELD_ID, .required = true,
    .missing = "Choose the client.", .bad = "Choose the client." },
    { .name = NULL } };
#undef LINK_FIELDS

/* POST /clients/N/links: a questionnaire link for the client. */
void
link_post(struct req *r, int64_t client, const char *rest)
{
	const char		*iid = r->in[0].text;
	const char		*send = r->in[1].text;
	bool			 now = r->in[2].text != NULL;
	const struct reg_entry	*re;
	char			 token[TOKEN_HEX + 1], url[600];
	int64_t			 id;
	enum sb_err		 e;

	(void)rest;
	re = iid ? registry_find(r->srv->cfg->reg, iid) : NULL;
	if (iid != NULL && strcmp(iid, NARRATIVE_LINK) == 0)
		re = NULL;	/* the prompts, not a questionnaire */
	else if (re == NULL || !instrument_sendable(r, re)) {
		error_page(r, 400,
		    "That instrument cannot be sent (unknown, or "
		    "its licence needs permission).");
		return;
	}
	if (send != NULL) {
		link_sent(r, client, re ? re->in->id : NARRATIVE_LINK,
		    re ? re->in->name : NULL, send);
		return;
	}
	if ((e = store_link_create(r->s, client, re ? re->in->id :
	    NARRATIVE_LINK, now ? "in-session" : "link", now ? 1 : 14,
	    http_now(),
	    token, &id)) != SB_OK) {
		link_refused(r, e);
		return;
	}
	snprintf(url, sizeof(url), "%s/q/%s", r->srv->cfg->origin, token);
	/*
	 * In session: the questionnaire opens here, on the device that is
	 * then handed to the client.  The therapist's session ends first, so
	 * that nothing the client can reach on this device (Back, a typed
	 * address) shows a therapist's page: the link's pages need no
	 * session, every other page asks to sign in again (with the second
	 * factor, where the therapist has one).
	 */
	if (now) {
		if (store_logout(r->s, r->token) != SB_OK) {
			error_page(r, 503,
			    "The session could not be closed, so "
			    "the device was not handed over; try again.");
			return;
		}
		snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
		snprintf(url, sizeof(url), "/q/%s", token);
		http_redirect(r, url);
		return;
	}
	link_shown(r, url, re ? re->in->name : NULL);
}

/* The page that shows a new link once (what: the instrument's name, or
 * NULL for the narrative prompts). */
static void
link_shown(struct req *r, const char *url, const char *what)
{
	page_begin(r, "Link created");
	HTML_LIT(&r->out, "<h1>Link created</h1><p>Give this link to the "
	    "client (valid for 14 days, for one ");
	html_text(&r->out, what ? what : "set of written answers to the "
	    "prompts");
	HTML_LIT(&r->out, "):</p><p><a");
	html_attr(&r->out, "href", url);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, url);
	HTML_LIT(&r->out, "</a></p><p>Or let the client scan it with their "
	    "phone:</p>");
	chart_qr(&r->out, url, "QR code of the link");
	HTML_LIT(&r->out, "<p class=\"muted\">It is shown once: "
	    "securebase keeps only a hash of it.</p>");
	page_end(r);
}

/* POST /clients/N/share and /unshare */
void
share_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, true);
}

void
unshare_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, false);
}

/*
 * GET /clients/N/report[?for=client]: the progress report as a PDF
 * download, the therapist's or the one to hand to the client
 * (render/report.c draws one at a time).
 */
void
report_page(struct req *r, int64_t id, const char *rest)
{
	const char		*v = http_query(r, "for");
	bool			 for_client = v != NULL &&
	    strcmp(v, "client") == 0;
	int			 pages;
	enum sb_err		 e;

	(void)rest;
	if (v != NULL && !for_client && strcmp(v, "therapist") != 0) {
		error_page(r, 400, "A report is for the therapist or for the "
		    "client.");
		return;
	}
	buf_wipe(&r->out);
	buf_init(&r->out, REPORT_MAX);
	if (!view_begin(r))
		return;
	e = report_pdf(r->s, r->srv->cfg->reg, id, for_client, http_now(),
	    &r->out, &pages);
	if (e == SB_EPERM || e == SB_ENOENT) {
		error_page(r, 404, "There is no such client on your caseload.");
		view_end(r);
		return;
	}
	if (e != SB_OK) {
		fprintf(stderr, "securebase serve: report of client %lld: %s\n",
		    (long long)id, e == SB_EIO ? "cairo could not make the PDF"
		    : store_errmsg(r->s));
		error_page(r, 503, "The report could not be made just now; "
		    "nothing was changed. Please try again in a moment.");
		view_end(r);
		return;
	}
	r->type = "application/pdf";
	snprintf(r->disposition, sizeof(r->disposition), "attachment; "
	    "filename=\"%s-%lld.pdf\"", for_client ? "your-progress" :
	    "progress-report", (long long)id);
	view_end(r);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_safety.c - what the web application does so that a risk signal
 * reaches a person: the crisis and support text a client sees (with
 * tappable tel: numbers), the banner of open alerts on the client page,
 * the way from a notification to its alert, and the notification settings
 * and outbox on the administration page.
 *
 * What a client is told must be true: "your therapist will see this
 * answer" always (the alert is on the caseload and the client page), "and
 * a message is on its way to your therapist" only when a message to the
 * therapist themself was queued, a mail server is set and sending is not
 * held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/score.h"
#include "core/text.h"
#include "render/html.h"
#include "render/measure.h"
#include "web/web_int.h"

#define DEFAULT_SUPPORT \
	"If you are thinking about harming yourself or ending your life, " \
	"please talk to someone now: call your local emergency number, a " \
	"crisis line, or your therapist. You do not have to wait for your " \
	"next session."

void
support_text(struct req *r, struct buf *out)
{
	bool	 set = false;

	buf_reset(out);
	if (r->srv->cfg->crisis != NULL) {
		buf_adds(out, r->srv->cfg->crisis);	/* not HTML: text */
		return;
	}
	if (store_setting_get(r->s, SET_CRISIS_TEXT, out, &set) != SB_OK ||
	    !set) {
		buf_reset(out);
		buf_adds(out, DEFAULT_SUPPORT);	/* not HTML: text */
	}
}

/* Is c part of a written phone number ("+44 (0)116 123-4")? */
static bool
phone_char(char c)
{
	return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' ||
	    c == '(' || c == ')' || c == '.';
}

void
html_support(struct buf *out, const char *t)
{
	const char	*p, *end;
	char		 href[48], shown[48];
	size_t		 n, k, digits;

	while ((p = strstr(t, "tel:")) != NULL) {
		/* The number runs to its last digit. */
		end = p + 4;
		for (n = 0; phone_char(end[n]) && n < 40; n++)
			;
		while (n > 0 && (end[n - 1] < '0' || end[n - 1] > '9'))
			n--;
		for (k = 0, digits = 0; k < n; k++)
			digits += end[k] >= '0' && end[k] <= '9';
		{
			char pre[4096];
			size_t m = (size_t)(p - t);

			while (m > 0) {
				size_t c = m < sizeof(pre) - 1 ? m :
				    sizeof(pre) - 1;

				memcpy(pre, t, c);
				pre[c] = '\0';
				html_text(out, pre);
				t += c;
				m -= c;
			}
		}
		if (digits < 3) {	/* not a number: the text as it is */
			html_text(out, "tel:");
			t = p + 4;
			continue;
		}
		snprintf(shown, sizeof(shown), "%.*s", (int)n, end);
		memcpy(href, "tel:", 4);
		for (k = 0, digits = 4; k < n && digits < sizeof(href) - 1; k++)
			if ((end[k] >= '0' && end[k] <= '9') || (end[k] == '+' &&
			    digits == 4))
				href[digits++] = end[k];
		href[digits] = '\0';
		HTML_LIT(out, "<a");
		html_attr(out, "href", href);
		HTML_LIT(out, ">");
		html_text(out, shown);
		HTML_LIT(out, "</a>");
		t = end + n;
	}
	html_text(out, t);
}

/* Does a mail server send what the outbox holds? */
static bool
mail_configured(struct req *r)
{
	struct buf	 v;
	bool		 set = false;

	if (r->srv->cfg->smtp != NULL)
		return true;
	buf_init(&v, STORE_MAX_SETTING + 64);
	if (store_setting_get(r->s, SET_SMTP_URL, &v, &set) != SB_OK)
		set = false;
	buf_wipe(&v);
	return set;
}

/* Is all sending held (a restored practice)? */
static bool
sending_held(struct req *r)
{
	bool	 held = false;

	if (store_sending_held(r->s, &held, NULL, 0) != SB_OK)
		held = true;		/* not known: promise nothing */
	return held;
}

void
crisis_box(struct req *r, int queued)
{
	struct buf	 t;

	buf_init(&t, STORE_MAX_SETTING + 64);
	support_text(r, &t);
	HTML_LIT(&r->out, "<div class=\"crisis\" role=\"alert\"><p>");
	html_support(&r->out, t.data ? t.data : DEFAULT_SUPPORT);
	HTML_LIT(&r->out, "</p><p><strong>");
	/* queued counts only the therapist's own message (a duty address
	 * is not the therapist), and held sending sends nothing. */
	if (queued > 0 && mail_configured(r) && !sending_held(r))
		HTML_LIT(&r->out, "Your therapist will see this answer, and a "
		    "message is on its way to your therapist.");
	else
		HTML_LIT(&r->out, "Your therapist will see this answer.");
	HTML_LIT(&r->out, "</strong> No one watches securebase around the "
	    "clock: if you need help now, do not wait for your therapist; "
	    "contact one of the services above.</p></div>");
	buf_free(&t);
}

void
skipped_risk_box(struct req *r)
{
	struct buf	 t;

	buf_init(&t, STORE_MAX_SETTING + 64);
	support_text(r, &t);
	HTML_LIT(&r->out, "<div class=\"crisis\" role=\"note\"><p>");
	html_support(&r->out, t.data ? t.data : DEFAULT_SUPPORT);
	HTML_LIT(&r->out, "</p></div>");
	buf_free(&t);
}

void
unsaved_box(struct req *r, bool crisis)
{
	struct buf	 t;

	HTML_LIT(&r->out, "<div class=\"unsaved\" role=\"alert\"><p><strong>"
	    "Your answers on this page could not be saved just now.</strong> "
	    "They are still chosen below: please press the button again in a "
	    "moment. What you sent on earlier pages is kept.</p>");
	if (crisis) {
		buf_init(&t, STORE_MAX_SETTING + 64);
		support_text(r, &t);
		HTML_LIT(&r->out, "<p>Until they are saved, your therapist "
		    "cannot see them.</p><p>");
		html_support(&r->out, t.data ? t.data : DEFAULT_SUPPORT);
		HTML_LIT(&r->out, "</p>");
		buf_free(&t);
	}
	HTML_LIT(&r->out, "</div>");
}

void
support_box(struct req *r)
{
	struct buf	 t;

	buf_init(&t, STORE_MAX_SETTING + 64);
	support_text(r, &t);
	HTML_LIT(&r->out, "<aside class=\"support\" aria-label=\"Support\"><p>"
	    "Some of these questions are about painful things. You can stop "
	    "at any time and talk it over with your therapist. ");
	html_support(&r->out, t.data ? t.data : DEFAULT_SUPPORT);
	HTML_LIT(&r->out, "</p></aside>");
	buf_free(&t);
}

/* ---- the banner of open alerts on the client page ---- */

/* An alert's severity, what happened, when and its state: four cells
 * of a table row. */
void
alert_cells(struct req *r, const struct store_alert *a)
{
	/* The severity in a badge of its tone, and in words. */
	HTML_LIT(&r->out, "<td><span class=\"badge ");
	if (strcmp(a->severity, "high") == 0)
		HTML_LIT(&r->out, "high");
	else
		HTML_PICK(&r->out, strcmp(a->severity, "medium") == 0,
		    "medium", "low");
	HTML_LIT(&r->out, "\">");
	html_text(&r->out, a->severity);
	HTML_LIT(&r->out, "</span></td><td><strong>");
	html_text(&r->out, alert_rule_words(a->rule));
	HTML_LIT(&r->out, "</strong><br>");
	html_text(&r->out, a->detail);
	/* Labelled for a phone, where the rows stand as blocks. */
	HTML_LIT(&r->out, "</td><td data-label=\"Raised\">");
	html_when(&r->out, a->created);
	HTML_LIT(&r->out, "</td><td data-label=\"State\">");
	html_text(&r->out, a->state);
	HTML_LIT(&r->out, "</td>");
}

/* The hidden fields both of an alert's forms carry: which alert, where
 * to go back to (the caseload when it is "/"), the token. */
static void
alert_hidden(struct req *r, const char *id, const char *back)
{
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"alert\"");
	html_attr(&r->out, "value", id);
	HTML_LIT(&r->out, ">");
	if (strcmp(back, "/") != 0) {
		HTML_LIT(&r->out, "<input type=\"hidden\" name=\"back\"");
		html_attr(&r->out, "value", back);
		HTML_LIT(&r->out, ">");
	}
	csrf_field(r, r->csrf);
}

/*
 * The forms that handle alert a, answered by a redirect to back:
 * Acknowledge in one click while it is open, and Resolve, whose note
 * (what was done, required) opens on demand.  Field ids carry the
 * alert's number, so several alerts' forms sit on one page.
 */
void
alert_forms(struct req *r, const struct store_alert *a, const char *back)
{
	char	 id[32], fid[40];

	snprintf(id, sizeof(id), "%lld", (long long)a->id);
	snprintf(fid, sizeof(fid), "note-%lld", (long long)a->id);
	if (strcmp(a->state, "open") == 0) {
		HTML_LIT(&r->out, "<form method=\"post\" action=\"/alerts\" "
		    "class=\"inline\">");
		alert_hidden(r, id, back);
		HTML_LIT(&r->out, "<button type=\"submit\" name=\"state\" "
		    "value=\"ack\" class=\"secondary\">Acknowledge</button>"
		    "</form>");
	}
	HTML_LIT(&r->out, "<details class=\"resolve\"><summary>Resolve"
	    "</summary><form method=\"post\" action=\"/alerts\">");
	alert_hidden(r, id, back);
	HTML_LIT(&r->out, "<label");
	html_attr(&r->out, "for", fid);
	HTML_LIT(&r->out, ">What was done (needed to resolve)</label>"
	    "<input type=\"text\" name=\"note\" required");
	html_attr(&r->out, "id", fid);
	HTML_LIT(&r->out, "><button type=\"submit\" name=\"state\" "
	    "value=\"resolve\">Resolve</button></form></details>");
}

struct banner {
	struct req	*r;
	size_t		 n;
};

static SB_MUST enum sb_err
banner_row(void *arg, const struct store_alert *a)
{
	struct banner	*b = arg;
	struct req	*r = b->r;
	char		 back[48], anchor[40];

	b->n++;
	snprintf(back, sizeof(back), "/clients/%lld", (long long)a->client);
	snprintf(anchor, sizeof(anchor), "alert-%lld", (long long)a->id);
	HTML_LIT(&r->out, "<div class=\"alert\"");
	html_attr(&r->out, "id", anchor);
	HTML_LIT(&r->out, "><p><strong");
	html_attr(&r->out, "class", strcmp(a->severity, "high") == 0 ?
	    "high" : "");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, a->severity);
	HTML_LIT(&r->out, ": ");
	html_text(&r->out, alert_rule_words(a->rule));
	HTML_LIT(&r->out, "</strong> - ");
	html_text(&r->out, a->detail);
	if (a->historic[0] != '\0') {
		HTML_LIT(&r->out, " <em>(historic: answered ");
		html_text(&r->out, a->historic);
		HTML_LIT(&r->out, ", imported later)</em>");
	}
	HTML_LIT(&r->out, " <span class=\"muted\">raised ");
	html_when(&r->out, a->created);
	HTML_LIT(&r->out, "; ");
	html_text(&r->out, a->state);
	HTML_LIT(&r->out, "</span></p>");
	alert_forms(r, a, back);
	HTML_LIT(&r->out, "</div>");
	return SB_OK;
}

void
alert_banner(struct req *r, int64_t client)
{
	struct banner	 b = { r, 0 };
	size_t		 mark = r->out.len;

	HTML_LIT(&r->out, "<section class=\"banner\" aria-labelledby=\"ab\">"
	    "<h2 id=\"ab\">Open alerts</h2>");
	if (store_alert_each(r->s, client, banner_row, &b) != SB_OK) {
		r->out.len = mark;
		HTML_LIT(&r->out, "<p class=\"high\">The alerts of this client "
		    "could not be read.</p>");
		return;
	}
	/* Nothing open: no banner at all. */
	if (b.n == 0) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		return;
	}
	HTML_LIT(&r->out, "</section>");
}

/* The alert history's table, one row per alert, built as its steps
 * come (newest alert first, its steps oldest first). */
struct alert_hist {
	struct req	*r;
	int64_t		 last;		/* the alert of the open row */
	size_t		 n;
};

static SB_MUST enum sb_err
history_step(void *arg, const struct store_alert_step *st)
{
	struct alert_hist	*h = arg;
	struct req		*r = h->r;
	const struct store_alert *a = st->alert;

	if (a->id != h->last) {
		if (h->n++ > 0)
			HTML_LIT(&r->out, "</td></tr>");
		h->last = a->id;
		HTML_LIT(&r->out, "<tr>");
		alert_cells(r, a);
		HTML_LIT(&r->out, "<td>");
	}
	if (st->state[0] == '\0')
		return SB_OK;
	HTML_LIT(&r->out, "<p>");
	html_text(&r->out, st->state);
	HTML_LIT(&r->out, " by ");
	html_text(&r->out, st->by);
	HTML_LIT(&r->out, ", ");
	html_when(&r->out, st->at);
	if (st->note != NULL) {
		HTML_LIT(&r->out, ": ");
		html_text(&r->out, st->note);
	}
	HTML_LIT(&r->out, "</p>");
	return SB_OK;
}

void
alert_history(struct req *r, int64_t client)
{
	struct alert_hist h = { r, 0, 0 };
	size_t		 mark = r->out.len;

	HTML_LIT(&r->out, "<details id=\"alert-history\"><summary>Alert "
	    "history: every alert, resolved ones too, with what was done"
	    "</summary><table><tr><th>Severity</th><th>What</th><th>Raised"
	    "</th><th>State</th><th>What was done</th></tr>");
	if (store_alert_history(r->s, client, history_step, &h) != SB_OK) {
		r->out.len = mark;
		HTML_LIT(&r->out, "<p class=\"high\">The alert history of "
		    "this client could not be read.</p>");
		return;
	}
	if (h.n == 0) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		HTML_LIT(&r->out, "<p class=\"empty\">No alert has been "
		    "raised.</p>");
		return;
	}
	HTML_LIT(&r->out, "</td></tr></table></details>");
}

/*
 * Who a link's page comes from, at its top: the practice's name and the
 * therapist's, as the settings say, so that a link that came by text
 * message is recognised.  Nothing when neither is to be shown.
 */
void
client_from(struct req *r)
{
	const struct store_user	*u = store_actor(r->s);
	struct buf		 v;
	bool			 set, who;

	buf_init(&v, STORE_MAX_SETTING + 64);
	who = !(store_setting_get(r->s, SET_SHOW_THERAPIST, &v, &set) ==
	    SB_OK && set && strcmp(v.data, "no") == 0) && u != NULL;
	if (store_setting_get(r->s, SET_PRACTICE_NAME, &v, &set) != SB_OK)
		set = false;
	if (set || who) {
		HTML_LIT(&r->out, "<p class=\"from\">");
		if (set)
			html_text(&r->out, v.data);
		if (set && who)
			HTML_LIT(&r->out, " &middot; ");
		if (who) {
			HTML_LIT(&r->out, "from your therapist, ");
			html_text(&r->out, u->display[0] != '\0' ? u->display :
			    u->name);
		}
		HTML_LIT(&r->out, "</p>");
	}
	buf_free(&v);
}

/* GET /alerts/N: the way in from a notification, to the alert's client. */
void
alert_goto(struct req *r, int64_t alert, const char *rest)
{
	int64_t	 client;
	char	 to[80];

	(void)rest;
	if (store_alert_client(r->s, alert, &client) != SB_OK) {
		error_page(r, 404, "There is no such alert on your caseload.");
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld#alert-%lld",
	    (long long)client, (long long)alert);
	http_redirect(r, to);
}

/* ---- notifications on the administration page ---- */

static SB_MUST enum sb_err
outbox_row(void *arg, const struct store_mail *m)
{
	struct req	*r = arg;

	HTML_LIT(&r->out, "<tr><td>");
	html_int(&r->out, m->id);
	HTML_LIT(&r->out, "</td><td>");
	html_int(&r->out, m->alert);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, m->recipient);
	HTML_LIT(&r->out, "</td><td");
	html_attr(&r->out, "class", strcmp(m->state, "failed") == 0 ? "high" :
	    "");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, m->state);
	HTML_LIT(&r->out, "</td><td>");
	html_int(&r->out, m->attempts);
	HTML_LIT(&r->out, "</td><td>");
	html_when_t(&r->out, m->done ? m->done : m->created);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, m->reply);
	HTML_LIT(&r->out, "</td><td>");
	if (strcmp(m->state, "failed") == 0) {
		char	 id[24];

		snprintf(id, sizeof(id), "%lld", (long long)m->id);
		HTML_LIT(&r->out, "<form method=\"post\" action=\""
		    "/admin/resend\"><input type=\"hidden\" name=\"message\"");
		html_attr(&r->out, "value", id);
		HTML_LIT(&r->out, ">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<button class=\"secondary\" type=\"submit\""
		    ">Resend</button></form>");
	}
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

/* A therapist who cannot be told of their clients' alerts. */
static SB_MUST enum sb_err
unreachable_row(void *arg, const char *user, size_t clients)
{
	struct req	*r = arg;

	HTML_LIT(&r->out, "<li>");
	html_text(&r->out, user);
	HTML_LIT(&r->out, " (");
	html_int(&r->out, (int64_t)clients);
	html_text(&r->out, clients == 1 ? " client)" : " clients)");
	HTML_LIT(&r->out, "</li>");
	return SB_OK;
}

/*
 * What could keep an alert from reaching a person, in red at the top:
 * sending held, failed or stuck messages, therapists with clients and no
 * address, no duty address, no crisis number.
 */
static void
delivery_warnings(struct req *r)
{
	struct store_delivery_health	 h;
	char				 why[256] = "";
	bool				 held = false;
	size_t				 before;

	before = r->out.len;
	HTML_LIT(&r->out, "<div class=\"high\" role=\"alert\"><p>Therapists "
	    "with clients and no mail address: their clients' high alerts "
	    "reach only the duty address. Set an address below.</p><ul>");
	if (store_delivery_health(r->s, clock_now(), &h, unreachable_row,
	    r) != SB_OK) {
		r->out.len = before;
		r->out.data[before] = '\0';
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">What the "
		    "outbox holds could not be read just now.</p>");
		return;
	}
	/* No therapist was listed: the block is taken back. */
	if (strstr(r->out.data + before, "<li>") == NULL) {
		r->out.len = before;
		r->out.data[before] = '\0';
	} else
		HTML_LIT(&r->out, "</ul></div>");
	/* Unread, nothing is said of holding: the page's other reads
	 * show the failure. */
	(void)!store_sending_held(r->s, &held, why, sizeof(why));
	if (held) {
		HTML_LIT(&r->out, "<div class=\"high\" role=\"alert\"><p>"
		    "<strong>Sending is held</strong> (");
		html_text(&r->out, why);
		HTML_LIT(&r->out, "): no alert, measure or reminder is mailed "
		    "or sent by SMS. Release it once this is the practice's "
		    "own live copy.</p><form method=\"post\" action=\""
		    "/admin/release\">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<button type=\"submit\">Release sending"
		    "</button></form></div>");
	}
	if (h.failed > 0) {
		HTML_LIT(&r->out, "<div class=\"high\" role=\"alert\"><p>");
		html_int(&r->out, (int64_t)h.failed);
		html_text(&r->out, h.failed == 1 ? " message failed" :
		    " messages failed");
		HTML_LIT(&r->out, " (see the outbox below for the server's "
		    "reply). An open alert's message is tried again when the "
		    "mail settings change.</p><form method=\"post\" action=\""
		    "/admin/resend\">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<button type=\"submit\">Resend every failed "
		    "message</button></form></div>");
	}
	if (h.stuck > 0) {
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">");
		html_int(&r->out, (int64_t)h.stuck);
		html_text(&r->out, h.stuck == 1 ? " message has" :
		    " messages have");
		HTML_LIT(&r->out, " waited over an hour to be sent: is the "
		    "mail server reachable?</p>");
	}
	if (!h.duty_email)
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">No duty "
		    "address is set: a high alert of a therapist without an "
		    "address reaches no one, and no alert is escalated when "
		    "it is not acknowledged.</p>");
	if (!h.crisis)
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">The local "
		    "crisis number is not set: a client with a risk answer "
		    "sees general advice and no number to call. Write it into "
		    "the support text below (tel:NUMBER makes it a link)."
		    "</p>");
}

static void
setting_field(struct req *r, enum store_setting k, const char *label,
    bool secret)
{
	struct buf	 v;
	bool		 set = false, unread;
	char		 id[40];

	buf_init(&v, STORE_MAX_SETTING + 64);
	/* Unread, the field is shown disabled: a browser does not send a
	 * disabled field, and settings_post keeps what it is not sent, so
	 * saving the form cannot blank a setting it failed to show. */
	unread = store_setting_get(r->s, k, &v, &set) != SB_OK;
	snprintf(id, sizeof(id), "set-%s", store_setting_name(k));
	HTML_LIT(&r->out, "<label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label>");
	if (k == SET_CRISIS_TEXT) {
		HTML_LIT(&r->out, "<textarea rows=\"4\"");
		html_attr(&r->out, "id", id);
		html_attr(&r->out, "name", store_setting_name(k));
		if (unread)
			HTML_LIT(&r->out, " disabled placeholder=\"(could not "
			    "be read just now: reload the page)\"");
		HTML_LIT(&r->out, ">");
		if (set && !unread)
			html_text(&r->out, v.data);
		HTML_LIT(&r->out, "</textarea>");
	} else {
		HTML_LIT(&r->out, "<input");
		html_attr(&r->out, "type", secret ? "password" : "text");
		html_attr(&r->out, "id", id);
		html_attr(&r->out, "name", store_setting_name(k));
		/* A password is never sent back to the browser. */
		if (unread)
			HTML_LIT(&r->out, " disabled placeholder=\"(could not "
			    "be read just now: reload the page)\"");
		else if (set && !secret)
			html_attr(&r->out, "value", v.data);
		else if (secret)
			html_attr(&r->out, "placeholder", set ? "(set; leave "
			    "empty to keep)" : "(not set)");
		HTML_LIT(&r->out, ">");
	}
	buf_wipe(&v);
}

void
notify_admin(struct req *r)
{
	struct buf	 v;
	bool		 smtp = false, from = false;

	buf_init(&v, STORE_MAX_SETTING + 64);
	/* Unread, they count as unset: the warning below is shown, which
	 * errs on the side of telling. */
	(void)!store_setting_get(r->s, SET_SMTP_URL, &v, &smtp);
	(void)!store_setting_get(r->s, SET_SMTP_FROM, &v, &from);
	buf_wipe(&v);
	HTML_LIT(&r->out, "<h2 id=\"notifications\">Alert notifications</h2>");
	delivery_warnings(r);
	if (!smtp && r->srv->cfg->smtp == NULL)
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">No mail "
		    "server is configured: high alerts are NOT being sent to "
		    "anyone. They are seen only when someone opens "
		    "securebase.</p>");
	else if (!from)
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">No sender "
		    "address is set: messages cannot be sent until it is.</p>");
	HTML_LIT(&r->out, "<p class=\"muted\">A high alert sends a message "
	    "with no client name or clinical content to the client's "
	    "therapist (their address below) and to the duty address. The "
	    "support text is what a client sees with a risk answer, on the "
	    "narrative prompts and on the ACE; write tel: before a number "
	    "to make it a link (tel:116 123).</p><form method=\"post\" "
	    "action=\"/admin/settings\">");
	setting_field(r, SET_SMTP_URL, "Mail server (smtp://host:587 for "
	    "STARTTLS, smtps://host:465)", false);
	setting_field(r, SET_SMTP_USER, "Mail server user", false);
	setting_field(r, SET_SMTP_PASSWORD, "Mail server password", true);
	setting_field(r, SET_SMTP_FROM, "Sender address", false);
	setting_field(r, SET_DUTY_EMAIL, "Duty address (told of every high "
	    "alert, and of one not acknowledged in time)", false);
	setting_field(r, SET_ESCALATE_MINUTES, "Minutes before an alert not "
	    "acknowledged goes to the duty address again (empty: 30)", false);
	setting_field(r, SET_DUTY_PHONE, "Duty mobile for SMS (+ and the "
	    "country code, e.g. +447700900123)", false);
	setting_field(r, SET_SMS_URL, "SMS gateway: Kannel's sendsms "
	    "(http://host:13013/cgi-bin/sendsms)", false);
	setting_field(r, SET_SMS_USER, "SMS gateway user", false);
	setting_field(r, SET_SMS_PASSWORD, "SMS gateway password", true);
	setting_field(r, SET_SMS_FROM, "SMS sender name or number", false);
	setting_field(r, SET_ORIGIN, "This practice's address (for the link "
	    "in messages)", false);
	setting_field(r, SET_CRISIS_TEXT, "Support text for clients, with "
	    "local numbers", false);
	setting_field(r, SET_PRACTICE_NAME, "The practice's name, shown to "
	    "clients on a link's pages", false);
	setting_field(r, SET_SHOW_THERAPIST, "Show the therapist's user name "
	    "on a link's pages (yes or no; empty: yes)", false);
	setting_field(r, SET_RECOVERY, "How recovery is counted: "
	    "jacobson-truax (reliable change from each measure's norms; "
	    "empty: this) or talking-therapies (NHS Talking Therapies: PHQ-9 "
	    "caseness 10 and a fall of 6, GAD-7 8 and 4; other measures stay "
	    "Jacobson & Truax)", false);
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Save notification "
	    "settings</button></p></form><h3>Therapists' addresses</h3>"
	    "<form method=\"post\" action=\"/admin/email\"><label for=\"en\">"
	    "User name</label><input type=\"text\" id=\"en\" name=\"name\" "
	    "required><label for=\"ea\">Address (empty: none)</label>"
	    "<input type=\"text\" id=\"ea\" name=\"email\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Set address</button>"
	    "</p></form><h3>Outbox</h3><div class=\"wide\" tabindex=\"0\">"
	    "<table><tr><th>"
	    "Message</th><th>Alert</th><th>To</th><th>State</th><th>"
	    "Attempts</th><th>Time</th><th>Server's reply</th><th>"
	    "Action</th></tr>");
	if (store_outbox_each(r->s, 50, outbox_row, r) != SB_OK)
		HTML_LIT(&r->out, "<tr><td colspan=\"8\">The outbox could not "
		    "be read just now.</td></tr>");
	HTML_LIT(&r->out, "</table></div>");
}

/* The settings the form sends, in this order (settings_fields). */
static const enum store_setting keys[] = { SET_SMTP_URL, SET_SMTP_USER,
    SET_SMTP_PASSWORD, SET_SMTP_FROM, SET_DUTY_EMAIL, SET_ESCALATE_MINUTES,
    SET_DUTY_PHONE, SET_SMS_URL, SET_SMS_USER, SET_SMS_PASSWORD,
    SET_SMS_FROM, SET_ORIGIN, SET_CRISIS_TEXT, SET_PRACTICE_NAME,
    SET_SHOW_THERAPIST, SET_RECOVERY };

/*
 * The settings form's fields, checked before settings_post: each as
 * sent, "" too (an empty field unsets a setting, an absent one keeps
 * it); what a value must be is the store's to say.  The names are the
 * store's (store_setting_name), written here as the table is static.
 */
#define S(n)	{ .name = n, .kind = FIELD_TEXT, .keep_empty = true }
const struct field_def settings_fields[] = { S("smtp-url"), S("smtp-user"),
    S("smtp-password"), S("smtp-from"), S("duty-email"),
    S("escalate-minutes"), S("duty-phone"), S("sms-url"), S("sms-user"),
    S("sms-password"), S("sms-from"), S("origin"), S("crisis-text"),
    S("practice-name"), S("show-therapist"), S("recovery"),
    { .name = NULL } };
const struct field_def resend_fields[] = { S("message"), { .name = NULL } };
#undef S

bool
settings_fields_check(char *err, size_t errsz)
{
	size_t	 i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (settings_fields[i].name == NULL ||
		    strcmp(settings_fields[i].name, store_setting_name(keys[i]))
		    != 0) {
			snprintf(err, errsz, "the settings form's field %zu is "
			    "not the setting %s", i + 1,
			    store_setting_name(keys[i]));
			return false;
		}
	if (settings_fields[i].name != NULL) {
		snprintf(err, errsz, "the settings form has a field (%s) that "
		    "is no setting", settings_fields[i].name);
		return false;
	}
	return true;
}

/* POST /admin/settings (settings_fields checked, in keys' order, at
 * start): every field of the form, all or nothing. */
void
settings_post(struct req *r)
{
	const char	*v;
	size_t		 i;
	enum sb_err	 e = SB_OK;

	if (store_begin(r->s) != SB_OK) {
		error_page(r, 503, store_errmsg(r->s));
		return;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && e == SB_OK; i++) {
		v = r->in[i].text;	/* settings_fields, in keys' order */
		if (v == NULL)
			continue;
		/* An empty password field keeps the password. */
		if ((keys[i] == SET_SMTP_PASSWORD || keys[i] ==
		    SET_SMS_PASSWORD) && *v == '\0')
			continue;
		e = store_setting_set(r->s, keys[i], *v ? v : NULL);
	}
	if (e != SB_OK) {
		store_rollback(r->s);
		error_page(r, e == SB_EPERM ? 403 : 400, store_errmsg(r->s));
		return;
	}
	if (store_commit(r->s) != SB_OK) {
		error_page(r, 503, store_errmsg(r->s));
		return;
	}
	http_redirect_saying(r, "/admin#notifications", "saved");
}

const struct field_def email_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT },
	{ .name = "email", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /admin/email (email_fields checked). */
void
email_post(struct req *r)
{
	const char	*name = r->in[0].text;

	if (store_user_email(r->s, name ? name : "", r->in[1].text) != SB_OK) {
		error_page(r, 400, store_errmsg(r->s));
		return;
	}
	http_redirect_saying(r, "/admin#notifications", "saved");
}

void
delivery_post(struct req *r)
{
	const char	*m = r->in[0].text;	/* resend_fields */
	int64_t		 id = 0;
	size_t		 n;
	enum sb_err	 e;

	if (r->op == OP_RELEASE)
		e = store_sending_hold(r->s, NULL);
	else if (m != NULL && !http_parse_id(m, strlen(m), &id)) {
		error_page(r, 400, "Which message? Its number is in the "
		    "outbox.");
		return;
	} else
		e = store_outbox_resend(r->s, id, clock_now(), &n);
	if (e != SB_OK) {
		error_page(r, e == SB_EPERM ? 403 : e == SB_ENOENT ? 404 : 400,
		    store_errmsg(r->s));
		return;
	}
	http_redirect_saying(r, "/admin#notifications", "saved");
}

#define ALERT_WHICH	"Give the alert's number and choose acknowledge " \
	"or resolve."
static const char *const alert_states[] = { "ack", "resolve", NULL };

const struct field_def alert_fields[] = {
	{ .name = "alert", .kind = FIELD_ID, .required = true,
	    .missing = ALERT_WHICH, .bad = ALERT_WHICH },
	{ .name = "state", .kind = FIELD_CHOICE, .required = true,
	    .choices = alert_states, .missing = ALERT_WHICH,
	    .bad = ALERT_WHICH },
	{ .name = "note", .kind = FIELD_TEXT },
	{ .name = "back", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /alerts: acknowledge or resolve an alert (with its note);
 * alert_fields checked. */
void
alert_post(struct req *r, int64_t id, const char *rest)
{
	const char	*st = r->in[1].text;
	const char	*note = r->in[2].text;
	const char	*back = r->in[3].text;

	(void)rest;
	id = r->in[0].id;
	if (strcmp(st, "resolve") == 0 && (note == NULL || *note == '\0')) {
		error_page(r, 400, "Say what was done before resolving an "
		    "alert: the note is kept with it.");
		return;
	}
	switch (store_alert_move(r->s, id, strcmp(st, "ack") == 0 ?
	    "acknowledged" : "resolved", note && *note ? note : NULL)) {
	case SB_OK:
		break;
	case SB_EPERM:
	case SB_ENOENT:
		/* Not "client 7 is tom's": the same words for an alert that
		 * is not there and one on another caseload. */
		error_page(r, 404, "There is no such alert on your caseload.");
		return;
	default:
		error_page(r, 400, store_errmsg(r->s));
		return;
	}
	/* Back to the client page the banner was on, or the caseload. */
	if (back != NULL && strncmp(back, "/clients/", 9) == 0 &&
	    http_parse_id(back + 9, strlen(back + 9), &id))
		http_redirect_saying(r, back, strcmp(st, "ack") == 0 ? "ack" :
		    "resolved");
	else
		http_redirect_saying(r, "/", strcmp(st, "ack") == 0 ? "ack" :
		    "resolved");
}

void
partial_words(struct req *r, const struct score_partial *p)
{
	measure_partial(&r->out, p);
}

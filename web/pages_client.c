/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_client.c - the client page: a summary (actions, open alerts, a
 * tile per measure, the next measure due), then one section at a time,
 * chosen by a link (?section=, no script): Measures (each measure's
 * chart and change, the answers a day at a time), Attachment (the
 * planes), History (the attachment history and the timeline),
 * Narratives, Sessions & notes, and Care (plans, links sent, the
 * progress page, the alert history, episodes and consents, sharing).  The
 * measures, the timeline and the answers are a view (app/client_view.c)
 * written by render/client_page.c; the record's tables and forms are
 * pages_record.c's, the links, sharing and the PDF report pages_links.c's;
 * the history and narrative sections are their own files too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/client_view.h"
#include "app/record.h"
#include "render/client_page.h"
#include "web/pages_record.h"
#include "web/web_int.h"

/* The actions at the top: send a measure (PHQ-9 first), start it now,
 * add a session or note, the two reports. */
static void
actions(struct req *r, int64_t id)
{
	char	 href[64];

	HTML_LIT(&r->out, "<div class=\"actions\">");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		HTML_LIT(&r->out, "<form method=\"post\"");
		snprintf(href, sizeof(href), "/clients/%lld/links",
		    (long long)id);
		html_attr(&r->out, "action", href);
		HTML_LIT(&r->out, "><div><label for=\"i\">Send a measure"
		    "</label><select id=\"i\" name=\"instrument\">");
		instrument_options(r, r->srv->cfg->reg, true);
		HTML_LIT(&r->out, "</select></div>");
		csrf_field(r, r->csrf);
		/* One click sends it to the address or phone on file; the
		 * link and QR code stay for the room. */
		HTML_LIT(&r->out, "<button type=\"submit\" name=\"send\" "
		    "value=\"mail\">Send by mail</button><button type=\""
		    "submit\" name=\"send\" value=\"sms\">Send by SMS</button>"
		    "<button type=\"submit\" class=\"secondary\">Copy link / "
		    "QR</button><button type=\"submit\" name=\"now\" value=\"1\""
		    " class=\"secondary\">Start now on this device</button>"
		    "</form>");
		snprintf(href, sizeof(href), "/clients/%lld?section="
		    "sessions&add=session#add-session", (long long)id);
		HTML_LIT(&r->out, "<a class=\"button\"");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Add session</a>");
		snprintf(href, sizeof(href), "/clients/%lld?section="
		    "sessions&add=note#add-note", (long long)id);
		HTML_LIT(&r->out, "<a class=\"button\"");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Add note</a>");
	}
	snprintf(href, sizeof(href), "/clients/%lld/report", (long long)id);
	HTML_LIT(&r->out, "<a class=\"button\"");
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">Report (PDF)</a>");
	snprintf(href, sizeof(href), "/clients/%lld/report?for=client",
	    (long long)id);
	HTML_LIT(&r->out, "<a class=\"button\"");
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">Report for the client (PDF)</a></div>");
}

/* A card's opening, with its heading. */
static void
card(struct req *r, const char *id, const char *title)
{
	client_card_open(&r->out, id, title);
}

/* Sessions and notes, each with its form. */
static void
sessions_section(struct req *r, int64_t id, struct record_view *rv,
    const struct refused *rf)
{
	bool	 therapist = store_actor(r->s)->role == ROLE_THERAPIST;

	HTML_LIT(&r->out, "<div class=\"cols\"><div>");
	card(r, "sessions", "Sessions");
	if (therapist)
		session_form(r, id, rf);
	rows_table(r, &rv->sessions, SIDE_SESSIONS, "No sessions recorded "
	    "yet.");
	HTML_LIT(&r->out, "</section></div><div>");
	card(r, "notes", "Notes");
	if (therapist)
		note_form(r, id, rf);
	rows_table(r, &rv->notes, SIDE_NOTES, "No notes yet.");
	HTML_LIT(&r->out, "</section></div></div>");
}

/* Care: what is planned and sent (plans, links), then the alerts'
 * history, the progress page, the record of episodes and consents, and
 * sharing. */
static void
care_section(struct req *r, int64_t id, struct record_view *rv,
    const struct refused *rf)
{
	bool	 therapist = store_actor(r->s)->role == ROLE_THERAPIST;

	HTML_LIT(&r->out, "<div class=\"cols\"><div><section class="
	    "\"card\">");
	plans_section(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	links_section(r, id);
	HTML_LIT(&r->out, "</section></div><div>");
	card(r, "alerts-h", "Alerts");
	alert_history(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	progress_section(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	kiosk_section(r, id);
	HTML_LIT(&r->out, "</section>");
	card(r, "record", "Record");
	HTML_LIT(&r->out, "<h3>Episodes of care</h3>");
	rows_table(r, &rv->episodes, SIDE_EPISODES, "No episode recorded.");
	if (therapist)
		episode_form(r, id, rv, rf);
	HTML_LIT(&r->out, "<h3>Consents</h3>");
	rows_table(r, &rv->consents, SIDE_CONSENTS, "No consent recorded.");
	if (therapist)
		consent_forms(r, id, rv, rf);
	if (rv->cases.n > 0) {
		HTML_LIT(&r->out, "<h3>Seen with others</h3>");
		rows_table(r, &rv->cases, SIDE_CASES, "");
	}
	HTML_LIT(&r->out, "</section>");
	if (therapist) {
		HTML_LIT(&r->out, "<section class=\"card\">");
		sharing_forms(r, id);
		HTML_LIT(&r->out, "</section>");
	}
	HTML_LIT(&r->out, "</div></div>");
}

/* The section asked for, below the summary. */
static void
section_body(struct req *r, int64_t id, enum client_section sec,
    const struct client_view *cv, struct record_view *rv,
    const struct refused *rf)
{
	const char	*v;

	switch (sec) {
	case CS_MEASURES:
		v = http_query(r, "answers");
		HTML_LIT(&r->out, "<div class=\"cols\"><div>");
		client_measures_html(&r->out, cv);
		HTML_LIT(&r->out, "</div><div>");
		client_answers_html(&r->out, cv, v != NULL &&
		    strcmp(v, "all") == 0);
		HTML_LIT(&r->out, "</div></div>");
		break;
	case CS_ATTACHMENT:
		client_attachment_html(&r->out, cv, rv->name);
		break;
	case CS_HISTORY:
		v = http_query(r, "timeline");
		HTML_LIT(&r->out, "<div class=\"cols\"><div><section "
		    "class=\"card\">");
		history_section(r, id);
		HTML_LIT(&r->out, "</section></div><div>");
		client_timeline_html(&r->out, cv, v != NULL &&
		    strcmp(v, "life") == 0);
		HTML_LIT(&r->out, "</div></div>");
		break;
	case CS_NARRATIVES:
		HTML_LIT(&r->out, "<section class=\"card\">");
		narrative_section(r, id);
		HTML_LIT(&r->out, "</section>");
		break;
	case CS_SESSIONS:
		sessions_section(r, id, rv, rf);
		break;
	case CS_CARE:
	case CS__MAX:
		care_section(r, id, rv, rf);
		break;
	}
}

/* The client page: its summary, then one section (sec); rf: a refused
 * form to show again in its section. */
static void
client_story(struct req *r, int64_t id, enum client_section sec,
    const struct refused *rf)
{
	struct client_view	 cv;
	struct record_view	 rv;
	enum sb_err		 e;

	(void)!buf_grow(&r->out, 256 * 1024);	/* a failure: the appends say */
	memset(&rv, 0, sizeof(rv));
	buf_init(&rv.row, 1 << 20);
	if ((e = store_client_record(r->s, id, rv_head, rv_row, &rv)) !=
	    SB_OK) {
		/* Unknown and not-yours look the same from outside. */
		if (e == SB_EPERM || e == SB_ENOENT)
			error_page(r, 404, "There is no such client on your "
			    "caseload.");
		else
			read_failed(r);
		record_view_free(&rv);
		return;
	}
	if (client_view_build(r->s, r->srv->cfg->reg, id, http_now(), &cv) !=
	    SB_OK) {
		read_failed(r);
		goto out;
	}
	page_begin(r, "Client");
	/* The summary: who, what can be done, what needs attention, the
	 * latest scores, before anything else. */
	HTML_LIT(&r->out, "<div class=\"page-head\"><div><h1>");
	html_text(&r->out, rv.name);
	HTML_LIT(&r->out, "</h1><p class=\"muted\">Therapist ");
	html_text(&r->out, rv.therapist);
	HTML_LIT(&r->out, ", client since ");
	html_when(&r->out, rv.since);
	HTML_LIT(&r->out, "</p></div>");
	actions(r, id);
	HTML_LIT(&r->out, "</div>");
	if (rf != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" role=\"alert\">");
		html_text(&r->out, rf->why);
		HTML_LIT(&r->out, " Nothing was saved; what you typed is "
		    "below.</p>");
	}
	alert_banner(r, id);
	client_tiles_html(&r->out, &cv);
	client_tabs_html(&r->out, id, sec);
	section_body(r, id, sec, &cv, &rv, rf);
	page_end(r);
out:
	client_view_free(&cv);
	record_view_free(&rv);
}

/* GET /clients/N: the client page, one page view (every read on it
 * audited in one commit). */
void
client_page(struct req *r, int64_t id, const char *rest)
{
	enum client_section	 sec;

	(void)rest;
	if (!client_section_named(http_query(r, "section"), &sec)) {
		error_page(r, 404, "The client page has no such section: "
		    "choose one of its links.");
		return;
	}
	if (!view_begin(r))
		return;
	client_story(r, id, sec, NULL);
	view_end(r);
}

/* The client page again after a refused form, within one page view. */
static void
refused_page(struct req *r, int64_t id, const char *form, const char *field,
    const char *why)
{
	struct refused	 rf = { form, field, why };

	r->status = 400;
	if (!view_begin(r))
		return;
	client_story(r, id, strcmp(form, "session") == 0 ||
	    strcmp(form, "note") == 0 ? CS_SESSIONS : CS_CARE, &rf);
	view_end(r);
}

/*
 * The answer to an added session or note (e from the store): back to its
 * section, or the form again with the store's reason beside field, or
 * what went wrong in words.
 */
static void
answer_added(struct req *r, int64_t id, enum sb_err e, const char *form,
    const char *field, const char *section)
{
	char	 to[96];

	if (e == SB_EINVAL || e == SB_ELIMIT)
		refused_page(r, id, form, field, store_errmsg(r->s));
	else if (e == SB_EPERM || e == SB_ENOENT)
		error_page(r, 404, "There is no such client on your caseload.");
	else if (e != SB_OK)
		error_page(r, 503, "It could not be saved just now; please "
		    "send it again in a moment.");
	else {
		client_href(to, sizeof(to), id, section);
		http_redirect_saying(r, to, "saved");
	}
}

/* The session form's fields, checked before session_post runs. */
const struct field_def session_fields[] = {
	{ .name = "date", .kind = FIELD_DATE_PAST, .required = true,
	    .bad = "A session is recorded once it has happened: the date is "
	    "after today." },
	{ .name = "attendance", .kind = FIELD_TEXT, .required = true,
	    .missing = "Choose whether the client attended." },
	{ .name = "note", .kind = FIELD_TEXT },
	{ .name = NULL }
};

void
session_refused(struct req *r, int64_t id, const char *field,
    const char *why)
{
	refused_page(r, id, "session", field, why);
}

/* POST /clients/N/sessions: a session, from the form on the client
 * page (session_fields checked); refused in plain words, the form
 * refilled. */
void
session_post(struct req *r, int64_t id, const char *rest)
{
	int64_t		 sid;
	enum sb_err	 e;

	(void)rest;
	e = store_session_add(r->s, id, r->in[0].text, r->in[1].text,
	    r->in[2].text, &sid);
	answer_added(r, id, e, "session", "note", "sessions");
}

const struct field_def note_fields[] = {
	{ .name = "text", .kind = FIELD_WORDS, .required = true,
	    .missing = "The note is empty." },
	{ .name = NULL }
};

void
note_refused(struct req *r, int64_t id, const char *field, const char *why)
{
	refused_page(r, id, "note", field, why);
}

/* POST /clients/N/notes: a note (note_fields checked). */
void
note_post(struct req *r, int64_t id, const char *rest)
{
	int64_t		 nid;
	enum sb_err	 e;

	(void)rest;
	e = store_note_add(r->s, id, r->in[0].text, &nid);
	answer_added(r, id, e, "note", "text", "notes");
}

/* The care forms' fields, checked before care_post runs: the date
 * first, then what each form names. */
#define CARE_DATE { .name = "date", .kind = FIELD_DATE_PAST, \
	.required = true, .bad = "The date is after today." }
const struct field_def episode_start_fields[] = { CARE_DATE,
    { .name = NULL } };
const struct field_def episode_end_fields[] = { CARE_DATE,
    { .name = "episode", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def consent_add_fields[] = { CARE_DATE,
    { .name = "kind", .kind = FIELD_WORDS, .required = true,
    .missing = "Say what the consent is to." }, { .name = NULL } };
const struct field_def consent_withdraw_fields[] = { CARE_DATE,
    { .name = "consent", .kind = FIELD_TEXT }, { .name = NULL } };
#undef CARE_DATE

/* The form a care row's refusal goes beside. */
static const char *
care_form(const struct req *r)
{
	return r->op == OP_CONSENT_WITHDRAW ? "withdraw" : r->op ==
	    OP_CONSENT_ADD ? "consent" : "episode";
}

void
care_refused(struct req *r, int64_t id, const char *field, const char *why)
{
	refused_page(r, id, care_form(r), field, why);
}

/* An id the form chose, or 0 (the store then finds no such row). */
static int64_t
chosen_id(const char *v)
{
	int64_t	 id;

	return v != NULL && http_parse_id(v, strlen(v), &id) ? id : 0;
}

/*
 * POST /clients/N/care/WHAT, WHAT episodes, episodes/end, consents or
 * consents/withdraw: an episode of care started or ended, a consent
 * recorded or withdrawn, from the client page's Record section.
 */
void
care_post(struct req *r, int64_t id, const char *rest)
{
	const char	*date = r->in[0].text, *form = care_form(r);
	int64_t		 nid;
	enum sb_err	 e;

	(void)rest;
	if (r->op == OP_EPISODE_START)
		e = store_episode_start(r->s, id, date, &nid);
	else if (r->op == OP_EPISODE_END)
		e = store_episode_end(r->s, chosen_id(r->in[1].text), date,
		    NULL);
	else if (r->op == OP_CONSENT_ADD)
		e = store_consent_add(r->s, id, r->in[1].text, date, &nid);
	else if (r->op == OP_CONSENT_WITHDRAW)
		e = store_consent_withdraw(r->s, chosen_id(r->in[1].text), date,
		    NULL);
	else {
		error_page(r, 404, "Not found.");
		return;
	}
	/* A row not (any more) open is the form's fault, not a lost
	 * client: said beside the date. */
	if (e == SB_ENOENT && strcmp(form, "consent") != 0 &&
	    r->op != OP_EPISODE_START) {
		refused_page(r, id, form, "date", strcmp(form, "withdraw") == 0 ?
		    "Choose a consent that is in force." : "There is no open "
		    "episode to end.");
		return;
	}
	answer_added(r, id, e, form, strcmp(form, "consent") == 0 &&
	    e == SB_EINVAL && strstr(store_errmsg(r->s), "kind") != NULL ?
	    "kind" : "date", "record");
}


/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_record.c - the client page's record: sessions, notes, episodes,
 * consents and shared cases as tables (newest first, the older ones
 * folded), and their forms, refilled beside the field a refusal names.
 * Below pages_client.c, which places them; see pages_record.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/pages_record.h"

/* Rows of a side table shown before "older". */
#define ROWS_SHOWN	8

/* A client's name is clinical data: wiped before it is freed. */
static void
free_name(char *name)
{
	if (name != NULL) {
		mem_wipe(name, strlen(name));
		free(name);
	}
}

enum sb_err
rv_head(void *arg, const struct store_client_head *h)
{
	struct record_view	*rv = arg;

	/* The therapist as their clients read them, where they set it. */
	snprintf(rv->therapist, sizeof(rv->therapist), "%s",
	    h->therapist_shown != NULL ? h->therapist_shown : h->therapist);
	snprintf(rv->since, sizeof(rv->since), "%s", h->since);
	return (rv->name = strdup(h->name)) == NULL ? SB_ENOMEM : SB_OK;
}

static const char *
attendance_words(const char *a)
{
	if (strcmp(a, "attended") == 0)
		return "Attended";
	if (strcmp(a, "cancelled") == 0)
		return "Cancelled";
	if (strcmp(a, "did-not-attend") == 0)
		return "Did not attend";
	return a;
}

/* A cell of the row being made; v may be NULL (empty). */
static void
cell(struct buf *b, const char *v, bool when)
{
	HTML_LIT(b, "<td>");
	if (v != NULL && when)
		html_when(b, v);
	else if (v != NULL)
		html_text(b, v);
	HTML_LIT(b, "</td>");
}

enum sb_err
rv_row(void *arg, const struct store_record_row *row)
{
	struct record_view	*rv = arg;
	struct buf		*b = &rv->row;
	const char *const	*v = row->value;
	enum sb_err		 e;

	switch (row->section) {
	case STORE_SEC_SESSIONS:	/* date, attendance, note */
		HTML_LIT(b, "<tr>");
		cell(b, v[0], true);
		cell(b, v[1] ? attendance_words(v[1]) : NULL, false);
		cell(b, v[2], false);
		HTML_LIT(b, "</tr>");
		return html_rows_keep(&rv->sessions, b);
	case STORE_SEC_NOTES:		/* created, text */
		HTML_LIT(b, "<tr>");
		cell(b, v[0], true);
		HTML_LIT(b, "<td class=\"note\">");
		html_text(b, v[1] ? v[1] : "");
		HTML_LIT(b, "</td></tr>");
		return html_rows_keep(&rv->notes, b);
	case STORE_SEC_EPISODES:	/* started, ended */
		HTML_LIT(b, "<tr>");
		cell(b, v[0], true);
		cell(b, v[1] ? v[1] : "open", v[1] != NULL);
		HTML_LIT(b, "</tr>");
		if (v[1] == NULL)
			rv->open_episode = row->id;
		return html_rows_keep(&rv->episodes, b);
	case STORE_SEC_CONSENTS:	/* kind, given, withdrawn */
		HTML_LIT(b, "<tr>");
		cell(b, v[0], false);
		cell(b, v[1], true);
		cell(b, v[2] ? v[2] : "in force", v[2] != NULL);
		HTML_LIT(b, "</tr>");
		if ((e = html_rows_keep(&rv->consents, b)) != SB_OK ||
		    v[2] != NULL)
			return e;
		/* In force: one of the choices to withdraw. */
		HTML_LIT(b, "<option value=\"");
		html_int(b, row->id);
		HTML_LIT(b, "\">");
		html_text(b, v[0] ? v[0] : "");
		HTML_LIT(b, ", given ");
		html_text(b, v[1] ? v[1] : "");
		HTML_LIT(b, "</option>");
		return html_rows_keep(&rv->in_force, b);
	case STORE_SEC_CASES:		/* kind, sharing */
		HTML_LIT(b, "<tr>");
		cell(b, v[0], false);
		cell(b, v[1], false);
		HTML_LIT(b, "</tr>");
		return html_rows_keep(&rv->cases, b);
	default:
		/* People, ties and events: the history section; measures and
		 * alerts: their own sections. */
		return SB_OK;
	}
}

void
record_view_free(struct record_view *rv)
{
	free_name(rv->name);
	rv->name = NULL;
	html_rows_free(&rv->sessions);
	html_rows_free(&rv->notes);
	html_rows_free(&rv->episodes);
	html_rows_free(&rv->consents);
	html_rows_free(&rv->cases);
	html_rows_free(&rv->in_force);
	buf_wipe(&rv->row);
}

/* A form field's value as typed, when this form was the refused one. */
const char *
typed(struct req *r, const struct refused *rf, const char *form,
    const char *name)
{
	if (rf == NULL || strcmp(rf->form, form) != 0)
		return NULL;
	return form_get(&r->form, name);
}

static bool
at_fault(const struct refused *rf, const char *form, const char *field)
{
	return rf != NULL && strcmp(rf->form, form) == 0 &&
	    strcmp(rf->field, field) == 0;
}

/* The error beside a field at fault. */
static void
field_error(struct req *r, const struct refused *rf, const char *form,
    const char *field, const char *id)
{
	if (!at_fault(rf, form, field))
		return;
	HTML_LIT(&r->out, "<p class=\"field-error\"");
	html_attr(&r->out, "id", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, rf->why);
	HTML_LIT(&r->out, "</p>");
}

/* What marks a field at fault, and points to its error. */
static void
invalid_attrs(struct req *r, const struct refused *rf, const char *form,
    const char *field, const char *err_id)
{
	if (!at_fault(rf, form, field))
		return;
	HTML_LIT(&r->out, " aria-invalid=\"true\" autofocus");
	html_attr(&r->out, "aria-describedby", err_id);
}

/* Came the page from "Add session" or "Add note" (?add=what)?  Then its
 * form is open, without a script. */
bool
asked_to_add(struct req *r, const char *what)
{
	const char	*v = http_query(r, "add");

	return v != NULL && strcmp(v, what) == 0;
}

void
session_form(struct req *r, int64_t id, const struct refused *rf)
{
	static const char *const att[][2] = { { "attended", "Attended" },
	    { "cancelled", "Cancelled" }, { "did-not-attend",
	    "Did not attend" } };
	const char	*d = typed(r, rf, "session", "date");
	const char	*a = typed(r, rf, "session", "attendance");
	const char	*n = typed(r, rf, "session", "note");
	char		 today[16], action[64];
	size_t		 i;

	today_local(today);
	snprintf(action, sizeof(action), "/clients/%lld/sessions",
	    (long long)id);
	HTML_LIT(&r->out, "<details");
	if ((rf != NULL && strcmp(rf->form, "session") == 0) ||
	    asked_to_add(r, "session"))
		HTML_LIT(&r->out, " open");
	HTML_LIT(&r->out, " id=\"add-session\"><summary>Add a session"
	    "</summary><form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, "><div class=\"field\"><label for=\"sd\">Date"
	    "</label><input type=\"date\" id=\"sd\" name=\"date\" required");
	html_attr(&r->out, "value", d ? d : today);
	invalid_attrs(r, rf, "session", "date", "sd-err");
	HTML_LIT(&r->out, "></div><div class=\"field\"><label for=\"sa\">"
	    "Attendance</label><select id=\"sa\" name=\"attendance\" "
	    "required");
	invalid_attrs(r, rf, "session", "attendance", "sa-err");
	HTML_LIT(&r->out, "><option value=\"\">Choose</option>");
	for (i = 0; i < 3; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", att[i][0]);
		if (a != NULL && strcmp(a, att[i][0]) == 0)
			HTML_LIT(&r->out, " selected");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, att[i][1]);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select></div>");
	field_error(r, rf, "session", "date", "sd-err");
	field_error(r, rf, "session", "attendance", "sa-err");
	HTML_LIT(&r->out, "<label for=\"sn\">Note (optional)</label>"
	    "<textarea id=\"sn\" name=\"note\" rows=\"3\"");
	invalid_attrs(r, rf, "session", "note", "sn-err");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, n ? n : "");
	HTML_LIT(&r->out, "</textarea>");
	field_error(r, rf, "session", "note", "sn-err");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\">Add session</button>"
	    "</form></details>");
}

void
note_form(struct req *r, int64_t id, const struct refused *rf)
{
	const char	*t = typed(r, rf, "note", "text");
	char		 action[64];

	snprintf(action, sizeof(action), "/clients/%lld/notes", (long long)id);
	HTML_LIT(&r->out, "<details");
	if ((rf != NULL && strcmp(rf->form, "note") == 0) ||
	    asked_to_add(r, "note"))
		HTML_LIT(&r->out, " open");
	HTML_LIT(&r->out, " id=\"add-note\"><summary>Add a note</summary>"
	    "<form method=\"post\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, "><label for=\"nt\">Note</label><textarea id=\"nt\" "
	    "name=\"text\" rows=\"5\" required");
	invalid_attrs(r, rf, "note", "text", "nt-err");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, t ? t : "");
	HTML_LIT(&r->out, "</textarea>");
	field_error(r, rf, "note", "text", "nt-err");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p class=\"muted\">After 30 minutes without a "
	    "page sent you are signed out; a note sent after that is kept "
	    "and offered back to you once you sign in again.</p><button "
	    "type=\"submit\">Add note</button></form></details>");
}

/* A date field of a small form, today unless typed otherwise. */
static void
date_field(struct req *r, const struct refused *rf, const char *form,
    const char *id, const char *label)
{
	const char	*d = typed(r, rf, form, "date");
	char		 today[16], err[24];

	today_local(today);
	snprintf(err, sizeof(err), "%s-err", id);
	HTML_LIT(&r->out, "<div class=\"field\"><label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><input type=\"date\" name=\"date\" "
	    "required");
	html_attr(&r->out, "id", id);
	html_attr(&r->out, "value", d ? d : today);
	invalid_attrs(r, rf, form, "date", err);
	HTML_LIT(&r->out, "></div>");
}

/* A small form's opening: method, where, its CSRF field. */
static void
small_form(struct req *r, int64_t id, const char *what)
{
	char	 action[80];

	snprintf(action, sizeof(action), "/clients/%lld/care/%s",
	    (long long)id, what);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"add\"");
	html_attr(&r->out, "action", action);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
}

/* Start an episode of care, or end the open one. */
void
episode_form(struct req *r, int64_t id, const struct record_view *rv,
    const struct refused *rf)
{
	char	 ep[24];

	if (rv->open_episode == 0) {
		small_form(r, id, "episodes");
		date_field(r, rf, "episode", "ed", "Start an episode on");
		HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">"
		    "Start episode</button>");
	} else {
		small_form(r, id, "episodes/end");
		snprintf(ep, sizeof(ep), "%lld", (long long)rv->open_episode);
		HTML_LIT(&r->out, "<input type=\"hidden\" name=\"episode\"");
		html_attr(&r->out, "value", ep);
		HTML_LIT(&r->out, ">");
		date_field(r, rf, "episode", "ed", "End the open episode on");
		HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">"
		    "End episode</button>");
	}
	field_error(r, rf, "episode", "date", "ed-err");
	HTML_LIT(&r->out, "</form>");
}

/* Record a consent; withdraw one in force. */
void
consent_forms(struct req *r, int64_t id, const struct record_view *rv,
    const struct refused *rf)
{
	const char	*k = typed(r, rf, "consent", "kind");

	small_form(r, id, "consents");
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"ck\">Consent to"
	    "</label><input type=\"text\" id=\"ck\" name=\"kind\" "
	    "list=\"consent-kinds\" required");
	if (k != NULL)
		html_attr(&r->out, "value", k);
	invalid_attrs(r, rf, "consent", "kind", "ck-err");
	HTML_LIT(&r->out, "><datalist id=\"consent-kinds\"><option "
	    "value=\"research-export\"></datalist></div>");
	date_field(r, rf, "consent", "cd", "Given on");
	HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">"
	    "Record consent</button>");
	field_error(r, rf, "consent", "kind", "ck-err");
	field_error(r, rf, "consent", "date", "cd-err");
	HTML_LIT(&r->out, "</form>");
	if (rv->in_force.n == 0)
		return;
	small_form(r, id, "consents/withdraw");
	HTML_LIT(&r->out, "<div class=\"field\"><label for=\"cw\">Withdraw"
	    "</label><select id=\"cw\" name=\"consent\" required><option "
	    "value=\"\">Choose</option>");
	html_rows_put(&r->out, &rv->in_force, 0, rv->in_force.n, false);
	HTML_LIT(&r->out, "</select></div>");
	date_field(r, rf, "withdraw", "wd", "Withdrawn on");
	HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">"
	    "Withdraw consent</button>");
	field_error(r, rf, "withdraw", "date", "wd-err");
	HTML_LIT(&r->out, "</form>");
}

/* A side table's header row, inside <tr>. */
static void
side_head(struct req *r, enum side_table k)
{
	switch (k) {
	case SIDE_SESSIONS:
		HTML_LIT(&r->out, "<th>Date</th><th>Attendance</th><th>Note"
		    "</th>");
		break;
	case SIDE_NOTES:
		HTML_LIT(&r->out, "<th>Written</th><th>Note</th>");
		break;
	case SIDE_EPISODES:
		HTML_LIT(&r->out, "<th>Started</th><th>Ended</th>");
		break;
	case SIDE_CONSENTS:
		HTML_LIT(&r->out, "<th>Kind</th><th>Given</th><th>Withdrawn"
		    "</th>");
		break;
	case SIDE_CASES:
		HTML_LIT(&r->out, "<th>Case</th><th>Answers</th>");
		break;
	}
}

/* A table of kept rows (newest first), or its empty words. */
void
rows_table(struct req *r, const struct html_rows *t, enum side_table head,
    const char *empty)
{
	if (t->n == 0) {
		HTML_LIT(&r->out, "<p class=\"empty\">");
		html_text(&r->out, empty);
		HTML_LIT(&r->out, "</p>");
		return;
	}
	HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\"><table><tr>");
	side_head(r, head);
	HTML_LIT(&r->out, "</tr>");
	html_rows_put(&r->out, t, 0, ROWS_SHOWN, true);
	HTML_LIT(&r->out, "</table></div>");
	if (t->n <= ROWS_SHOWN)
		return;
	/* The older ones one click away: the side column stays short. */
	HTML_LIT(&r->out, "<details><summary>");
	html_int(&r->out, (int64_t)(t->n - ROWS_SHOWN));
	HTML_LIT(&r->out, " older</summary><div class=\"wide\" tabindex=\"0\">"
	    "<table><tr>");
	side_head(r, head);
	HTML_LIT(&r->out, "</tr>");
	html_rows_put(&r->out, t, ROWS_SHOWN, t->n, true);
	HTML_LIT(&r->out, "</table></div></details>");
}

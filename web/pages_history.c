/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_history.c - the attachment history in the browser: the map, the
 * patterns and the lifeline on the client page (each picture followed by
 * the same facts as text), a page for printing them on A4, snapshots and
 * their comparison, and the forms that add and remove people, ties and
 * life events.  The pictures' view is app/history_view.c's, written by
 * render/history_page.c; the forms are this file's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/patterns.h"
#include "core/text.h"
#include "render/client_page.h"
#include "render/history_page.h"
#include "render/html.h"
#include "web/web_int.h"



static void
option(struct buf *b, const char *value, const char *label)
{
	HTML_LIT(b, "<option");
	html_attr(b, "value", value);
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</option>");
}

/* An option, chosen when it is the current value. */
static void
option_at(struct buf *b, const char *value, const char *label,
    const char *current)
{
	HTML_LIT(b, "<option");
	html_attr(b, "value", value);
	if (current != NULL && strcmp(current, value) == 0)
		HTML_LIT(b, " selected");
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</option>");
}

static void
people_options(struct buf *b, const struct history *h, int64_t current)
{
	char	 v[24], cur[24];
	size_t	 i;

	snprintf(cur, sizeof(cur), "%lld", (long long)current);
	for (i = 0; i < h->npeople; i++) {
		snprintf(v, sizeof(v), "%lld", (long long)h->people[i].id);
		option_at(b, v, h->people[i].name, cur);
	}
}

static void
form_open(struct req *r, int64_t client, const char *action,
    const char *summary)
{
	char	 to[80];

	snprintf(to, sizeof(to), "/clients/%lld/%s", (long long)client,
	    action);
	HTML_LIT(&r->out, "<details><summary>");
	html_text(&r->out, summary);
	HTML_LIT(&r->out, "</summary><form method=\"post\"");
	html_attr(&r->out, "action", to);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
}

static void
form_close(struct req *r, const char *button)
{
	HTML_LIT(&r->out, "<p><button type=\"submit\">");
	html_text(&r->out, button);
	HTML_LIT(&r->out, "</button></p></form></details>");
}

/* A labelled text input (with its current value, for an edit); id is
 * unique on the page. */
static void
field(struct req *r, const char *id, const char *name, const char *label,
    const char *value)
{
	HTML_LIT(&r->out, "<label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><input type=\"text\"");
	html_attr(&r->out, "id", id);
	html_attr(&r->out, "name", name);
	if (value != NULL)
		html_attr(&r->out, "value", value);
	HTML_LIT(&r->out, ">");
}

/* A year or an age as a field value; none when unknown. */
static const char *
number_value(int v, int none, char *buf, size_t n)
{
	if (v == none)
		return NULL;
	snprintf(buf, n, "%d", v);
	return buf;
}

static void
select_open(struct req *r, const char *id, const char *name,
    const char *label)
{
	HTML_LIT(&r->out, "<label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><select");
	html_attr(&r->out, "id", id);
	html_attr(&r->out, "name", name);
	HTML_LIT(&r->out, ">");
}

static const char *const tie_types[] = { "parent", "adopted", "foster",
    "step", "partner", "married", "cohabiting", "separated", "divorced",
    "sibling", "twin", "identical-twin", "household", "close", "fused",
    "distant", "cut-off", "conflictual",
    "hostile", "abusive", "repaired", NULL };
static const char *const categories[] = { "separation", "loss", "divorce",
    "move", "illness", "neglect", "abuse", "trauma", "repair", "achievement",
    "other", NULL };

/* The fields of a person, empty or (p) as they are. */
static void
person_fields(struct req *r, const struct hist_person *p)
{
	char	 y[16], d[16];

	field(r, "hp-name", "name", "Name, or a role (\"grandmother\")",
	    p ? p->name : NULL);
	field(r, "hp-role", "role", "Role (self for the client; mother, "
	    "father, partner, best friend carry their ECR-RS)",
	    p ? p->role : NULL);
	field(r, "hp-gender", "gender", "Sex or gender, as the client "
	    "describes it", p ? p->gender : NULL);
	field(r, "hp-born", "born", "Born (year)", p ? number_value(p->born, 0,
	    y, sizeof(y)) : NULL);
	field(r, "hp-died", "died", "Died (year)", p ? number_value(p->died, 0,
	    d, sizeof(d)) : NULL);
	field(r, "hp-note", "note", "Note", p ? p->note : NULL);
}

static void
tie_fields(struct req *r, const struct history *h, const struct hist_tie *t)
{
	size_t	 i;

	select_open(r, "ht-a", "a", "From (for parent, adopted, foster, step: "
	    "the parent)");
	people_options(&r->out, h, t ? t->a : 0);
	HTML_LIT(&r->out, "</select>");
	select_open(r, "ht-b", "b", "To");
	people_options(&r->out, h, t ? t->b : 0);
	HTML_LIT(&r->out, "</select>");
	select_open(r, "ht-type", "type", "Tie");
	for (i = 0; tie_types[i] != NULL; i++)
		option_at(&r->out, tie_types[i], tie_types[i], t ? t->type :
		    NULL);
	HTML_LIT(&r->out, "</select>");
	field(r, "ht-start", "start", "From (YYYY, YYYY-MM or YYYY-MM-DD)",
	    t ? t->start : NULL);
	field(r, "ht-end", "end", "Until", t ? t->end : NULL);
	field(r, "ht-note", "note", "Note", t ? t->note : NULL);
}

/* The valences +3 to -3 in words, for the choice. */
static const char *const valence_words[7] = { "+3 very good", "+2 good",
    "+1 rather good", "0 mixed or neither", "-1 rather hard", "-2 hard",
    "-3 very hard" };

static void
event_fields(struct req *r, const struct hist_event *ev)
{
	char	 v[16], cur[16];
	size_t	 i;
	int	 k;

	select_open(r, "he-cat", "category", "Kind of event");
	for (i = 0; categories[i] != NULL; i++)
		option_at(&r->out, categories[i], categories[i], ev ?
		    ev->category : NULL);
	HTML_LIT(&r->out, "</select>");
	field(r, "he-date", "date", "Date (YYYY, YYYY-MM or YYYY-MM-DD)",
	    ev ? ev->date : NULL);
	field(r, "he-age", "age", "or the client's age then", ev ?
	    number_value(ev->age, -1, v, sizeof(v)) : NULL);
	field(r, "he-end-date", "end_date", "A period: until (date)", ev ?
	    ev->end_date : NULL);
	field(r, "he-end-age", "end_age", "or until age", ev ?
	    number_value(ev->end_age, -1, cur, sizeof(cur)) : NULL);
	/* No default: an event saved without a choice must not be stored
	 * as very good (or as anything). */
	snprintf(cur, sizeof(cur), "%d", ev ? ev->valence : 0);
	HTML_LIT(&r->out, "<label for=\"he-val\">How it was, -3 (very hard) "
	    "to +3 (very good)</label><select id=\"he-val\" name=\"valence\" "
	    "required>");
	if (ev == NULL)
		HTML_LIT(&r->out, "<option value=\"\" selected>Choose how it "
		    "was</option>");
	for (k = 3; k >= -3; k--) {
		snprintf(v, sizeof(v), "%d", k);
		option_at(&r->out, v, valence_words[3 - k], ev ? cur : NULL);
	}
	HTML_LIT(&r->out, "</select>");
	snprintf(cur, sizeof(cur), "%d", ev ? ev->intensity : 1);
	select_open(r, "he-int", "intensity", "Intensity, 1 to 5");
	for (k = 1; k <= 5; k++) {
		snprintf(v, sizeof(v), "%d", k);
		option_at(&r->out, v, v, ev ? cur : NULL);
	}
	HTML_LIT(&r->out, "</select>");
	field(r, "he-note", "note", "Note", ev ? ev->note : NULL);
}

/* Every entry of h as options "person:ID", "relationship:ID", "event:ID". */
static void
entry_options(struct req *r, const struct history *h)
{
	char	 v[48], label[1100];
	size_t	 i;

	for (i = 0; i < h->npeople; i++) {
		snprintf(v, sizeof(v), "person:%lld", (long long)h->people[i].id);
		snprintf(label, sizeof(label), "person: %s", h->people[i].name);
		option(&r->out, v, label);
	}
	for (i = 0; i < h->nties; i++) {
		snprintf(v, sizeof(v), "relationship:%lld",
		    (long long)h->ties[i].id);
		snprintf(label, sizeof(label), "tie: %.400s \xE2\x80\x93 %.400s "
		    "(%s)", history_person(h, h->ties[i].a)->name,
		    history_person(h, h->ties[i].b)->name, h->ties[i].type);
		option(&r->out, v, label);
	}
	for (i = 0; i < h->nevents; i++) {
		snprintf(v, sizeof(v), "event:%lld", (long long)h->events[i].id);
		snprintf(label, sizeof(label), "event: %s, %s",
		    h->events[i].category, h->events[i].date ?
		    h->events[i].date : "by age");
		option(&r->out, v, label);
	}
}

/* The client's snapshots for the compare form: id and "label (date)". */
struct snaps {
	struct snap {
		int64_t	 id;
		char	*shown;
	}		*v;
	size_t		 n, cap;
};

static SB_MUST enum sb_err
snap_keep(void *arg, const struct store_snapshot_row *row)
{
	struct snaps	*sn = arg;
	struct snap	*v;
	size_t		 cap, len;

	if (sn->n == sn->cap) {
		cap = sn->cap ? sn->cap * 2 : 16;
		if (cap > 100000 || (v = realloc(sn->v, cap * sizeof(*v))) ==
		    NULL)
			return SB_ENOMEM;
		sn->v = v;
		sn->cap = cap;
	}
	len = strlen(row->label) + 16;
	if ((sn->v[sn->n].shown = malloc(len)) == NULL)
		return SB_ENOMEM;
	snprintf(sn->v[sn->n].shown, len, "%s (%.10s)", row->label,
	    row->taken);
	sn->v[sn->n++].id = row->id;
	return SB_OK;
}

static void
snaps_free(struct snaps *sn)
{
	size_t	 i;

	for (i = 0; i < sn->n; i++)
		free(sn->v[i].shown);
	free(sn->v);
	memset(sn, 0, sizeof(*sn));
}

static void
snapshot_forms(struct req *r, int64_t client)
{
	struct snaps	 sn;
	char		 v[48];
	size_t		 i;
	int		 k;

	form_open(r, client, "snapshots", "Keep a snapshot of the map");
	field(r, "hs-label", "label", "Label (\"at intake\", \"month 6\")",
	    NULL);
	form_close(r, "Keep snapshot");
	memset(&sn, 0, sizeof(sn));
	if (store_snapshot_each(r->s, client, snap_keep, &sn) != SB_OK ||
	    sn.n == 0) {
		snaps_free(&sn);
		return;
	}
	snprintf(v, sizeof(v), "/clients/%lld/history", (long long)client);
	HTML_LIT(&r->out, "<details><summary>Compare snapshots</summary><form "
	    "method=\"get\"");
	html_attr(&r->out, "action", v);
	HTML_LIT(&r->out, ">");
	for (k = 0; k < 2; k++) {
		select_open(r, k ? "hc-to" : "hc-from", k ? "to" : "from",
		    k ? "To" : "From");
		if (k)
			option(&r->out, "now", "now");
		for (i = 0; i < sn.n; i++) {
			snprintf(v, sizeof(v), "%lld", (long long)sn.v[i].id);
			option(&r->out, v, sn.v[i].shown);
		}
		HTML_LIT(&r->out, "</select>");
	}
	HTML_LIT(&r->out, "<p><button type=\"submit\">Compare</button></p>"
	    "</form></details>");
	snaps_free(&sn);
}

static void
forms(struct req *r, int64_t client, const struct history *h)
{
	char	 to[64];

	form_open(r, client, "people", "Add a person");
	person_fields(r, NULL);
	form_close(r, "Add person");
	if (h->npeople >= 2) {
		form_open(r, client, "ties", "Add a tie");
		tie_fields(r, h, NULL);
		form_close(r, "Add tie");
	}
	form_open(r, client, "events", "Add a life event");
	event_fields(r, NULL);
	form_close(r, "Add event");
	if (h->npeople + h->nevents > 0) {
		/* Choosing what to change is a GET: it changes nothing. */
		snprintf(to, sizeof(to), "/clients/%lld/edit",
		    (long long)client);
		HTML_LIT(&r->out, "<details><summary>Change an entry</summary>"
		    "<form method=\"get\"");
		html_attr(&r->out, "action", to);
		HTML_LIT(&r->out, ">");
		select_open(r, "hx-what", "entry", "Entry");
		entry_options(r, h);
		HTML_LIT(&r->out, "</select><p><button type=\"submit\">Change"
		    "</button></p></form></details>");
		form_open(r, client, "remove", "Remove an entry");
		select_open(r, "hr-what", "entry", "Entry (a person goes with "
		    "their ties)");
		entry_options(r, h);
		HTML_LIT(&r->out, "</select>");
		form_close(r, "Remove");
	}
	snapshot_forms(r, client);
}

/* "person:12" into its kind and id. */
static bool
parse_entry(const char *v, char *what, size_t n, int64_t *id)
{
	const char	*colon;

	if (v == NULL || (colon = strchr(v, ':')) == NULL ||
	    (size_t)(colon - v) >= n || !http_parse_id(colon + 1,
	    strlen(colon + 1),
	    id))
		return false;
	snprintf(what, n, "%.*s", (int)(colon - v), v);
	return strcmp(what, "person") == 0 || strcmp(what, "relationship") ==
	    0 || strcmp(what, "event") == 0;
}

static void
edit_view(struct req *r, int64_t client)
{
	struct history	 h;
	char		 what[16], back[64];
	int64_t		 id;
	bool		 found = false;

	if (store_actor(r->s)->role != ROLE_THERAPIST) {
		error_page(r, 403, "Only a client's therapist changes their "
		    "history.");
		return;
	}
	if (!parse_entry(http_query(r, "entry"), what, sizeof(what), &id)) {
		error_page(r, 400, "Choose the entry to change.");
		return;
	}
	if (store_history_read(r->s, client, &h) != SB_OK) {
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	page_begin(r, "Change an entry");
	HTML_LIT(&r->out, "<h1>Change an entry</h1><form method=\"post\"");
	snprintf(back, sizeof(back), "/clients/%lld/edit", (long long)client);
	html_attr(&r->out, "action", back);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"entry\"");
	html_attr(&r->out, "value", http_query(r, "entry"));
	HTML_LIT(&r->out, ">");
	if (strcmp(what, "person") == 0 && history_person(&h, id) != NULL) {
		person_fields(r, history_person(&h, id));
		found = true;
	}
	if (strcmp(what, "relationship") == 0 && history_tie(&h, id) != NULL) {
		tie_fields(r, &h, history_tie(&h, id));
		found = true;
	}
	if (strcmp(what, "event") == 0 && history_event(&h, id) != NULL) {
		event_fields(r, history_event(&h, id));
		found = true;
	}
	history_free(&h);
	if (!found) {
		error_page(r, 404, "There is no such entry in this client's "
		    "history.");
		return;
	}
	client_href(back, sizeof(back), client, "history");
	HTML_LIT(&r->out, "<p><button type=\"submit\">Save</button> <a");
	html_attr(&r->out, "href", back);
	HTML_LIT(&r->out, ">Back without saving</a></p></form>");
	page_end(r);
}

void
history_edit_page(struct req *r, int64_t client, const char *rest)
{
	(void)rest;
	if (!view_begin(r))
		return;
	edit_view(r, client);
	view_end(r);
}

void
history_section(struct req *r, int64_t client)
{
	struct history_view	 v;
	char			 to[64];

	HTML_LIT(&r->out, "<h2 id=\"history\">Attachment history</h2>");
	if (history_view_build(r->s, r->srv->cfg->reg, client, &v) != SB_OK) {
		history_view_free(&v);
		HTML_LIT(&r->out, "<p>The history could not be read.</p>");
		return;
	}
	/* Onto the map with the client in view, on a phone too. */
	snprintf(to, sizeof(to), "/clients/%lld/history#map-self",
	    (long long)client);
	HTML_LIT(&r->out, "<p class=\"noprint\"><a");
	html_attr(&r->out, "href", to);
	HTML_LIT(&r->out, ">Map and lifeline on their own page, for printing"
	    "</a></p>");
	history_pictures_html(&r->out, &v, false);
	if (store_actor(r->s)->role == ROLE_THERAPIST)
		forms(r, client, &v.h);
	history_view_free(&v);
}

/* The comparison of two snapshots ("now": the history as it is). */
static void
comparison(struct req *r, int64_t client, const char *from, const char *to)
{
	struct history	 a, b;
	struct buf	 out;
	char		 la[1100], lb[1100];
	int64_t		 ia, ib = 0;
	bool		 ok;

	if (!http_parse_id(from, strlen(from), &ia) || (strcmp(to,
	    "now") != 0 &&
	    !http_parse_id(to, strlen(to), &ib))) {
		HTML_LIT(&r->out, "<p>Choose two snapshots to compare.</p>");
		return;
	}
	if (store_snapshot_read(r->s, client, ia, &a, la, sizeof(la)) !=
	    SB_OK) {
		HTML_LIT(&r->out, "<p>There is no such snapshot.</p>");
		return;
	}
	snprintf(lb, sizeof(lb), "now");
	ok = ib ? store_snapshot_read(r->s, client, ib, &b, lb, sizeof(lb)) ==
	    SB_OK : store_history_read(r->s, client, &b) == SB_OK;
	if (!ok) {
		history_free(&a);
		HTML_LIT(&r->out, "<p>There is no such snapshot.</p>");
		return;
	}
	HTML_LIT(&r->out, "<h2>What changed</h2><p>From ");
	html_text(&r->out, la);
	HTML_LIT(&r->out, " to ");
	html_text(&r->out, lb);
	HTML_LIT(&r->out, ":</p>");
	buf_init(&out, 1 << 22);
	if (history_compare(&a, &b, &out) == SB_OK)
		history_facts_html(&r->out, out.data);
	buf_wipe(&out);
	history_free(&a);
	history_free(&b);
}

static void
history_view(struct req *r, int64_t client)
{
	struct history_view	 v;
	const char		*from = http_query(r, "from");
	const char		*to = http_query(r, "to");
	const char		*self = NULL;
	size_t			 i;

	if (history_view_build(r->s, r->srv->cfg->reg, client, &v) != SB_OK) {
		history_view_free(&v);
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	/* Printed, the page says whose history it is: the client's name
	 * as their history has it. */
	for (i = 0; i < v.h.npeople && self == NULL; i++)
		if (v.h.people[i].role != NULL && strcmp(v.h.people[i].role,
		    "self") == 0)
			self = v.h.people[i].name;
	page_begin(r, "Attachment history");
	HTML_LIT(&r->out, "<h1>Attachment history");
	if (self != NULL) {
		HTML_LIT(&r->out, ": ");
		html_text(&r->out, self);
	}
	HTML_LIT(&r->out, "</h1>");
	if (from != NULL && to != NULL)
		comparison(r, client, from, to);
	history_pictures_html(&r->out, &v, true);
	history_view_free(&v);
	page_end(r);
}

void
history_page(struct req *r, int64_t client, const char *rest)
{
	(void)rest;
	if (!view_begin(r))
		return;
	history_view(r, client);
	view_end(r);
}

/*
 * The history forms' fields, checked before history_post runs (routes.c)
 * and read by name (in_text): an entry's edit takes the fields of its
 * kind, whichever it is.  Their values are checked where they are used
 * (form_person, form_tie, form_event), with the words for each.
 */
#define T(n)	{ .name = n, .kind = FIELD_TEXT }
#define PERSON	T("name"), T("role"), T("gender"), T("note"), T("born"), \
	T("died")
#define TIE	T("a"), T("b"), T("type"), T("start"), T("end")
#define EVENT	T("category"), T("date"), T("end_date"), T("age"), \
	T("end_age"), T("valence"), T("intensity")
const struct field_def person_form_fields[] = { PERSON, { .name = NULL } };
const struct field_def tie_form_fields[] = { TIE, T("note"), { .name = NULL } };
const struct field_def event_form_fields[] = { EVENT, T("note"),
    { .name = NULL } };
const struct field_def entry_edit_fields[] = { T("entry"), PERSON, TIE,
    EVENT, { .name = NULL } };
const struct field_def entry_remove_fields[] = { T("entry"),
    { .name = NULL } };
const struct field_def snapshot_fields[] = { T("label"), { .name = NULL } };
#undef T
#undef PERSON
#undef TIE
#undef EVENT

/* An optional year field: true and *y = 0 when empty. */
static bool
form_year(struct req *r, const char *name, int *y)
{
	const char	*v = in_text(r, name);
	long		 n;

	*y = 0;
	if (v == NULL || v[0] == '\0')
		return true;
	if (!text_int(v, strlen(v), &n) || n < 1800 || n > 2200)
		return false;
	*y = (int)n;
	return true;
}

static bool
form_age(struct req *r, const char *name, int *age)
{
	const char	*v = in_text(r, name);
	long		 n;

	*age = -1;
	if (v == NULL || v[0] == '\0')
		return true;
	if (!text_int(v, strlen(v), &n) || n < 0 || n > 130)
		return false;
	*age = (int)n;
	return true;
}

/* NULL for an empty field: optional text stays absent. */
static const char *
form_opt(struct req *r, const char *name)
{
	return in_text(r, name);
}

/* The person of the form; false (and the error page) when it is bad. */
static bool
form_person(struct req *r, struct store_person *p)
{
	p->name = form_opt(r, "name");
	p->role = form_opt(r, "role");
	p->gender = form_opt(r, "gender");
	p->note = form_opt(r, "note");
	if (!form_year(r, "born", &p->birth_year) ||
	    !form_year(r, "died", &p->death_year)) {
		error_page(r, 400, "Born and died are years, 1800 to 2200.");
		return false;
	}
	return true;
}

static bool
form_tie(struct req *r, struct store_relationship *t)
{
	const char	*a = in_text(r, "a"), *b = in_text(r, "b");

	t->type = form_opt(r, "type");
	t->start = form_opt(r, "start");
	t->end = form_opt(r, "end");
	t->note = form_opt(r, "note");
	if (a == NULL || b == NULL || !http_parse_id(a, strlen(a), &t->a) ||
	    !http_parse_id(b, strlen(b), &t->b)) {
		error_page(r, 400, "Choose the two people of the tie.");
		return false;
	}
	return true;
}

static bool
form_event(struct req *r, struct store_event *ev)
{
	const char	*v = in_text(r, "valence");
	const char	*i = in_text(r, "intensity");
	long		 n, m;

	ev->category = form_opt(r, "category");
	ev->date = form_opt(r, "date");
	ev->end_date = form_opt(r, "end_date");
	ev->note = form_opt(r, "note");
	if (!form_age(r, "age", &ev->age) || !form_age(r, "end_age",
	    &ev->end_age) || v == NULL || i == NULL ||
	    !text_int(v, strlen(v), &n) || !text_int(i, strlen(i), &m)) {
		error_page(r, 400, "Ages are 0 to 130; choose a valence and an "
		    "intensity.");
		return false;
	}
	ev->valence = (int)n;
	ev->intensity = (int)m;
	return true;
}

/* Adds (id 0) or replaces entry what:id from the form. */
static SB_MUST enum sb_err
put_entry(struct req *r, int64_t client, const char *what, int64_t id)
{
	struct store_person		 p;
	struct store_relationship	 t;
	struct store_event		 ev;
	int64_t				 nid;

	if (strcmp(what, "person") == 0) {
		if (!form_person(r, &p))
			return SB_EINVAL;
		return id ? store_person_update(r->s, client, id, &p) :
		    store_person_add(r->s, client, &p, &nid);
	}
	if (strcmp(what, "relationship") == 0) {
		if (!form_tie(r, &t))
			return SB_EINVAL;
		return id ? store_relationship_update(r->s, client, id, &t) :
		    store_relationship_add(r->s, client, &t, &nid);
	}
	if (!form_event(r, &ev))
		return SB_EINVAL;
	return id ? store_event_update(r->s, client, id, &ev) :
	    store_event_add(r->s, client, &ev, &nid);
}

void
history_post(struct req *r, int64_t client, const char *rest)
{
	char		 to[64], kind[16];
	int64_t		 id;
	enum sb_err	 e;

	(void)rest;
	if (r->op == OP_PERSON_ADD)
		e = put_entry(r, client, "person", 0);
	else if (r->op == OP_TIE_ADD)
		e = put_entry(r, client, "relationship", 0);
	else if (r->op == OP_EVENT_ADD)
		e = put_entry(r, client, "event", 0);
	else if (r->op == OP_ENTRY_EDIT || r->op == OP_ENTRY_REMOVE) {
		if (!parse_entry(in_text(r, "entry"), kind, sizeof(kind),
		    &id)) {
			error_page(r, 400, "Choose the entry.");
			return;
		}
		e = r->op == OP_ENTRY_EDIT ? put_entry(r, client, kind, id) :
		    store_history_remove(r->s, client, kind, id);
	} else if (r->op == OP_SNAPSHOT)
		e = store_snapshot_add(r->s, client, in_text(r, "label"),
		    &id);
	else {
		error_page(r, 404, "Not found.");
		return;
	}
	if (r->status != 200)
		return;		/* the form was refused before the store */
	if (e == SB_EPERM) {
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 400, store_errmsg(r->s));
		return;
	}
	client_href(to, sizeof(to), client, "history");
	http_redirect_saying(r, to, r->op == OP_ENTRY_REMOVE ? "removed" :
	    "saved");
}

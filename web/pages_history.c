/*
 * pages_history.c - the attachment history in the browser: the map, the
 * patterns and the lifeline on the client page (each picture followed by
 * the same facts as text), a page for printing them on A4, snapshots and
 * their comparison, and the forms that add and remove people, ties and
 * life events.  The pictures are web/history_svg.c's; the data store/'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram.h"
#include "core/patterns.h"
#include "core/text.h"
#include "web/history_svg.h"
#include "web/html.h"
#include "web/web_int.h"

#define MARKS_MAX	4096

static void
years(struct buf *b, int born, int died)
{
	char	 t[32];

	if (born && died)
		snprintf(t, sizeof(t), ", %d\xE2\x80\x93%d", born, died);
	else if (born)
		snprintf(t, sizeof(t), ", born %d", born);
	else if (died)
		snprintf(t, sizeof(t), ", died %d", died);
	else
		return;
	html_text(b, t);
}

/* The map's facts as text: its accessible alternative. */
static void
map_text(struct buf *b, const struct history *h)
{
	char	 t[96];
	size_t	 i;

	HTML_LIT(b, "<details><summary>The map as text</summary><h4>People"
	    "</h4><ul>");
	for (i = 0; i < h->npeople; i++) {
		const struct hist_person *p = &h->people[i];

		HTML_LIT(b, "<li>");
		html_text(b, p->name);
		if (p->role) {
			HTML_LIT(b, " (");
			html_text(b, strcmp(p->role, "self") == 0 ? "the client" :
			    p->role);
			HTML_LIT(b, ")");
		}
		if (p->gender) {
			HTML_LIT(b, ", ");
			html_text(b, p->gender);
		}
		years(b, p->born, p->died);
		if (p->has_ecr) {
			snprintf(t, sizeof(t), "; ECR-RS anxiety %.1f, avoidance "
			    "%.1f", p->ecr_anxiety, p->ecr_avoidance);
			html_text(b, t);
		}
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul><h4>Ties</h4><ul>");
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t2 = &h->ties[i];

		HTML_LIT(b, "<li>");
		html_text(b, history_person(h, t2->a)->name);
		HTML_LIT(b, " \xE2\x80\x93 ");
		html_text(b, history_person(h, t2->b)->name);
		HTML_LIT(b, ": ");
		html_text(b, strcmp(t2->type, "parent") == 0 ? "parent of" :
		    t2->type);
		if (t2->start) {
			HTML_LIT(b, ", from ");
			html_text(b, t2->start);
		}
		if (t2->end) {
			HTML_LIT(b, ", until ");
			html_text(b, t2->end);
		}
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul></details>");
}

static void
events_text(struct buf *b, const struct history *h)
{
	char	 t[64];
	double	 age;
	size_t	 i;

	HTML_LIT(b, "<details><summary>The lifeline as text</summary><table>"
	    "<tr><th>Event</th><th>When</th><th>Valence</th><th>Intensity</th>"
	    "<th>Note</th></tr>");
	for (i = 0; i < h->nevents; i++) {
		const struct hist_event *ev = &h->events[i];

		HTML_LIT(b, "<tr><td>");
		html_text(b, ev->category);
		HTML_LIT(b, "</td><td>");
		if (ev->date)
			html_text(b, ev->date);
		age = history_event_age(h, ev, false);
		if (age >= 0) {
			snprintf(t, sizeof(t), "%sage %.0f", ev->date ? ", " : "",
			    age);
			html_text(b, t);
		}
		if (ev->end_date || ev->end_age >= 0) {
			HTML_LIT(b, " until ");
			if (ev->end_date)
				html_text(b, ev->end_date);
			else
				html_int(b, ev->end_age);
		}
		snprintf(t, sizeof(t), "%+d", ev->valence);
		HTML_LIT(b, "</td><td>");
		html_text(b, t);
		HTML_LIT(b, "</td><td>");
		html_int(b, ev->intensity);
		HTML_LIT(b, "</td><td>");
		html_text(b, ev->note ? ev->note : "");
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></details>");
}

static void
facts_list(struct buf *b, const char *facts)
{
	const char	*line, *end;
	char		 one[2048];

	HTML_LIT(b, "<ul class=\"facts\">");
	for (line = facts; line && *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		snprintf(one, sizeof(one), "%.*s", (int)(end - line), line);
		HTML_LIT(b, "<li>");
		html_text(b, one);
		HTML_LIT(b, "</li>");
	}
	HTML_LIT(b, "</ul><p class=\"muted\">Facts counted from what is "
	    "recorded, not interpretations.</p>");
}

/* Map, patterns and lifeline of h. */
static void
pictures(struct req *r, int64_t client, const struct history *h)
{
	struct genogram		 g;
	struct buf		 facts, rows;
	struct lifeline_mark	*m;
	size_t			 nm = 0;

	if (genogram_layout(h, &g) != SB_OK) {
		HTML_LIT(&r->out, "<p>The map could not be drawn.</p>");
		return;
	}
	HTML_LIT(&r->out, "<h3>Relationship map</h3>");
	svg_map(&r->out, h, &g);
	map_text(&r->out, h);
	HTML_LIT(&r->out, "<h3>Patterns</h3>");
	buf_init(&facts, 1 << 20);
	if (history_patterns(h, &g, &facts) == SB_OK)
		facts_list(&r->out, facts.data);
	buf_wipe(&facts);
	genogram_free(&g);
	HTML_LIT(&r->out, "<h3>Lifeline</h3>");
	buf_init(&rows, 4 * 1024 * 1024);
	m = calloc(MARKS_MAX, sizeof(*m));
	if (m != NULL && store_history_marks(r->s, client, &rows) == SB_OK)
		nm = lifeline_marks_parse(rows.data, m, MARKS_MAX);
	svg_lifeline(&r->out, h, m, nm);
	events_text(&r->out, h);
	free(m);
	buf_free(&rows);
}

static void
option(struct buf *b, const char *value, const char *label)
{
	HTML_LIT(b, "<option");
	html_attr(b, "value", value);
	HTML_LIT(b, ">");
	html_text(b, label);
	HTML_LIT(b, "</option>");
}

static void
people_options(struct buf *b, const struct history *h)
{
	char	 v[24];
	size_t	 i;

	for (i = 0; i < h->npeople; i++) {
		snprintf(v, sizeof(v), "%lld", (long long)h->people[i].id);
		option(b, v, h->people[i].name);
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

/* A labelled text input; id is unique on the page. */
static void
field(struct req *r, const char *id, const char *name, const char *label)
{
	HTML_LIT(&r->out, "<label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><input type=\"text\"");
	html_attr(&r->out, "id", id);
	html_attr(&r->out, "name", name);
	HTML_LIT(&r->out, ">");
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

static void
forms(struct req *r, int64_t client, const struct history *h)
{
	static const char *const ties[] = { "parent", "adopted", "foster",
	    "step", "partner", "married", "cohabiting", "separated",
	    "divorced", "sibling", "twin", "close", "fused", "distant",
	    "cut-off", "conflictual", "hostile", "abusive", "repaired", NULL };
	static const char *const cats[] = { "separation", "loss", "divorce",
	    "move", "illness", "neglect", "abuse", "trauma", "repair",
	    "achievement", "other", NULL };
	struct buf	 snaps;
	const char	*line, *end;
	char		 v[48], label[1100];
	size_t		 i;
	int		 k;

	form_open(r, client, "people", "Add a person");
	field(r, "hp-name", "name", "Name, or a role (\"grandmother\")");
	field(r, "hp-role", "role", "Role (self for the client; mother, "
	    "father, partner, best friend carry their ECR-RS)");
	field(r, "hp-gender", "gender", "Sex or gender, as the client "
	    "describes it");
	field(r, "hp-born", "born", "Born (year)");
	field(r, "hp-died", "died", "Died (year)");
	field(r, "hp-note", "note", "Note");
	form_close(r, "Add person");
	if (h->npeople >= 2) {
		form_open(r, client, "ties", "Add a tie");
		select_open(r, "ht-a", "a", "From (for \"parent\": the parent)");
		people_options(&r->out, h);
		HTML_LIT(&r->out, "</select>");
		select_open(r, "ht-b", "b", "To");
		people_options(&r->out, h);
		HTML_LIT(&r->out, "</select>");
		select_open(r, "ht-type", "type", "Tie");
		for (i = 0; ties[i] != NULL; i++)
			option(&r->out, ties[i], ties[i]);
		HTML_LIT(&r->out, "</select>");
		field(r, "ht-start", "start", "From (YYYY, YYYY-MM or "
		    "YYYY-MM-DD)");
		field(r, "ht-end", "end", "Until");
		field(r, "ht-note", "note", "Note");
		form_close(r, "Add tie");
	}
	form_open(r, client, "events", "Add a life event");
	select_open(r, "he-cat", "category", "Kind of event");
	for (i = 0; cats[i] != NULL; i++)
		option(&r->out, cats[i], cats[i]);
	HTML_LIT(&r->out, "</select>");
	field(r, "he-date", "date", "Date (YYYY, YYYY-MM or YYYY-MM-DD)");
	field(r, "he-age", "age", "or the client's age then");
	field(r, "he-end-date", "end_date", "A period: until (date)");
	field(r, "he-end-age", "end_age", "or until age");
	select_open(r, "he-val", "valence", "How it was, -3 (very hard) to "
	    "+3 (very good)");
	for (k = 3; k >= -3; k--) {
		snprintf(v, sizeof(v), "%d", k);
		option(&r->out, v, v);
	}
	HTML_LIT(&r->out, "</select>");
	select_open(r, "he-int", "intensity", "Intensity, 1 to 5");
	for (k = 1; k <= 5; k++) {
		snprintf(v, sizeof(v), "%d", k);
		option(&r->out, v, v);
	}
	HTML_LIT(&r->out, "</select>");
	field(r, "he-note", "note", "Note");
	form_close(r, "Add event");
	if (h->npeople + h->nevents > 0) {
		form_open(r, client, "remove", "Remove an entry");
		select_open(r, "hr-what", "entry", "Entry (a person goes with "
		    "their ties)");
		for (i = 0; i < h->npeople; i++) {
			snprintf(v, sizeof(v), "person:%lld",
			    (long long)h->people[i].id);
			snprintf(label, sizeof(label), "person: %s",
			    h->people[i].name);
			option(&r->out, v, label);
		}
		for (i = 0; i < h->nties; i++) {
			snprintf(v, sizeof(v), "relationship:%lld",
			    (long long)h->ties[i].id);
			snprintf(label, sizeof(label), "tie: %.400s \xE2\x80\x93 "
			    "%.400s (%s)", history_person(h, h->ties[i].a)->name,
			    history_person(h, h->ties[i].b)->name,
			    h->ties[i].type);
			option(&r->out, v, label);
		}
		for (i = 0; i < h->nevents; i++) {
			snprintf(v, sizeof(v), "event:%lld",
			    (long long)h->events[i].id);
			snprintf(label, sizeof(label), "event: %s, %s",
			    h->events[i].category, h->events[i].date ?
			    h->events[i].date : "by age");
			option(&r->out, v, label);
		}
		HTML_LIT(&r->out, "</select>");
		form_close(r, "Remove");
	}
	form_open(r, client, "snapshots", "Keep a snapshot of the map");
	field(r, "hs-label", "label", "Label (\"at intake\", \"month 6\")");
	form_close(r, "Keep snapshot");
	buf_init(&snaps, 1 << 20);
	if (store_snapshot_list(r->s, client, &snaps) == SB_OK &&
	    snaps.len > 0) {
		snprintf(v, sizeof(v), "/clients/%lld/history",
		    (long long)client);
		HTML_LIT(&r->out, "<details><summary>Compare snapshots"
		    "</summary><form method=\"get\"");
		html_attr(&r->out, "action", v);
		HTML_LIT(&r->out, ">");
		for (k = 0; k < 2; k++) {
			select_open(r, k ? "hc-to" : "hc-from", k ? "to" :
			    "from", k ? "To" : "From");
			if (k)
				option(&r->out, "now", "now");
			for (line = snaps.data; line && *line;
			    line = *end ? end + 1 : end) {
				const char *t1, *t2;

				end = line + strcspn(line, "\n");
				t1 = memchr(line, '\t', (size_t)(end - line));
				t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(end -
				    t1 - 1)) : NULL;
				if (t2 == NULL)
					continue;
				snprintf(v, sizeof(v), "%.*s", (int)(t1 - line),
				    line);
				snprintf(label, sizeof(label), "%.*s (%.10s)",
				    (int)(end - t2 - 1), t2 + 1, t1 + 1);
				option(&r->out, v, label);
			}
			HTML_LIT(&r->out, "</select>");
		}
		HTML_LIT(&r->out, "<p><button type=\"submit\">Compare</button>"
		    "</p></form></details>");
	}
	buf_free(&snaps);
}

void
history_section(struct req *r, int64_t client)
{
	struct history	 h;
	char		 to[64];

	HTML_LIT(&r->out, "<h2 id=\"history\">Attachment history</h2>");
	if (store_history_read(r->s, client, &h) != SB_OK) {
		HTML_LIT(&r->out, "<p>The history could not be read.</p>");
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld/history", (long long)client);
	HTML_LIT(&r->out, "<p class=\"noprint\"><a");
	html_attr(&r->out, "href", to);
	HTML_LIT(&r->out, ">Map and lifeline on their own page, for printing"
	    "</a></p>");
	pictures(r, client, &h);
	if (store_actor(r->s)->role == ROLE_THERAPIST)
		forms(r, client, &h);
	history_free(&h);
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

	if (!parse_id(from, strlen(from), &ia) || (strcmp(to, "now") != 0 &&
	    !parse_id(to, strlen(to), &ib))) {
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
		facts_list(&r->out, out.data);
	buf_wipe(&out);
	history_free(&a);
	history_free(&b);
}

static void
history_view(struct req *r, int64_t client)
{
	struct history	 h;
	const char	*from = query(r, "from"), *to = query(r, "to");

	if (store_history_read(r->s, client, &h) != SB_OK) {
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	page_begin(r, "Attachment history");
	nav(r);
	HTML_LIT(&r->out, "<h1>Attachment history</h1>");
	if (from != NULL && to != NULL)
		comparison(r, client, from, to);
	pictures(r, client, &h);
	history_free(&h);
	page_end(r);
}

void
history_page(struct req *r, int64_t client)
{
	if (!view_begin(r))
		return;
	history_view(r, client);
	view_end(r);
}

/* An optional year field: true and *y = 0 when empty. */
static bool
form_year(struct req *r, const char *name, int *y)
{
	const char	*v = form_get(&r->form, name);
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
	const char	*v = form_get(&r->form, name);
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
	const char	*v = form_get(&r->form, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

static enum sb_err
add_person(struct req *r, int64_t client)
{
	struct store_person	 p = { form_opt(r, "name"), form_opt(r, "role"),
	    form_opt(r, "gender"), 0, 0, form_opt(r, "note") };
	int64_t			 id;

	if (!form_year(r, "born", &p.birth_year) ||
	    !form_year(r, "died", &p.death_year)) {
		error_page(r, 400, "Born and died are years, 1800 to 2200.");
		return SB_EINVAL;
	}
	return store_person_add(r->s, client, &p, &id);
}

static enum sb_err
add_tie(struct req *r, int64_t client)
{
	struct store_relationship t = { 0, 0, form_opt(r, "type"),
	    form_opt(r, "start"), form_opt(r, "end"), form_opt(r, "note") };
	const char	*a = form_get(&r->form, "a"), *b = form_get(&r->form, "b");
	int64_t		 id;

	if (a == NULL || b == NULL || !parse_id(a, strlen(a), &t.a) ||
	    !parse_id(b, strlen(b), &t.b)) {
		error_page(r, 400, "Choose the two people of the tie.");
		return SB_EINVAL;
	}
	return store_relationship_add(r->s, client, &t, &id);
}

static enum sb_err
add_event(struct req *r, int64_t client)
{
	struct store_event	 ev = { .category = form_opt(r, "category"),
	    .date = form_opt(r, "date"), .note = form_opt(r, "note"),
	    .end_date = form_opt(r, "end_date") };
	const char		*v = form_get(&r->form, "valence");
	const char		*i = form_get(&r->form, "intensity");
	long			 n;
	int64_t			 id;

	if (!form_age(r, "age", &ev.age) || !form_age(r, "end_age",
	    &ev.end_age) || v == NULL || i == NULL ||
	    !text_int(v, strlen(v), &n)) {
		error_page(r, 400, "Ages are 0 to 130; choose a valence and an "
		    "intensity.");
		return SB_EINVAL;
	}
	ev.valence = (int)n;
	if (!text_int(i, strlen(i), &n)) {
		error_page(r, 400, "Choose an intensity, 1 to 5.");
		return SB_EINVAL;
	}
	ev.intensity = (int)n;
	return store_event_add(r->s, client, &ev, &id);
}

static enum sb_err
remove_entry(struct req *r, int64_t client)
{
	const char	*v = form_get(&r->form, "entry"), *colon;
	char		 what[16];
	int64_t		 id;

	if (v == NULL || (colon = strchr(v, ':')) == NULL ||
	    (size_t)(colon - v) >= sizeof(what) ||
	    !parse_id(colon + 1, strlen(colon + 1), &id)) {
		error_page(r, 400, "Choose the entry to remove.");
		return SB_EINVAL;
	}
	snprintf(what, sizeof(what), "%.*s", (int)(colon - v), v);
	return store_history_remove(r->s, client, what, id);
}

void
history_post(struct req *r, int64_t client, const char *what)
{
	char		 to[64];
	int64_t		 id;
	enum sb_err	 e;

	if (strcmp(what, "people") == 0)
		e = add_person(r, client);
	else if (strcmp(what, "ties") == 0)
		e = add_tie(r, client);
	else if (strcmp(what, "events") == 0)
		e = add_event(r, client);
	else if (strcmp(what, "remove") == 0)
		e = remove_entry(r, client);
	else if (strcmp(what, "snapshots") == 0)
		e = store_snapshot_add(r->s, client, form_get(&r->form, "label"),
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
	snprintf(to, sizeof(to), "/clients/%lld#history", (long long)client);
	redirect(r, to);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_page.c - a client's history as the pages show it, from its view
 * (app/history_view.h): the map in its box with the map as text, the
 * patterns, the lifeline with the lifeline as text.  See history_page.h.
 */
#include <stdio.h>
#include <string.h>

#include "render/history_page.h"
#include "render/history_svg.h"
#include "render/html.h"

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

	HTML_LIT(b, "<details><summary>The lifeline as text</summary><table "
	    "class=\"stack\"><tr><th>Event</th><th>When</th><th>Valence</th><th>Intensity</th>"
	    "<th>Note</th></tr>");
	for (i = 0; i < h->nevents; i++) {
		const struct hist_event *ev = &h->events[i];

		HTML_LIT(b, "<tr><td>");
		html_text(b, ev->category);
		HTML_LIT(b, "</td><td data-label=\"When\">");
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
		HTML_LIT(b, "</td><td data-label=\"Valence\">");
		html_text(b, t);
		HTML_LIT(b, "</td><td data-label=\"Intensity\">");
		html_int(b, ev->intensity);
		HTML_LIT(b, "</td><td data-label=\"Note\">");
		html_text(b, ev->note ? ev->note : "");
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></details>");
}

void
history_facts_html(struct buf *b, const char *facts)
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

/*
 * The map in a box that scrolls sideways: shown whole while its text
 * stays at least 11 px on the screen, at its own size beyond that (the
 * stylesheet decides by the svg's class), with a switch to see it whole
 * anyway and one to hide the households' outlines.  No script: the
 * switches are checkboxes the stylesheet reads.  Printed, a map wider
 * than 760 units goes on a landscape page of its own.
 */
static void
map_box(struct buf *b, const struct history *h, const struct genogram *g,
    bool top)
{
	/* The heading inside: a wide map takes it to its landscape page. */
	HTML_PICK(b, g->width > 760, "<div class=\"mapbox wide\">",
	    "<div class=\"mapbox\">");
	HTML_PICK(b, top, "<h2>Relationship map</h2>",
	    "<h3>Relationship map</h3>");
	HTML_LIT(b, "<input type=\"checkbox\" id=\"map-whole\" "
	    "class=\"switch\"><label for=\"map-whole\" class=\"noprint\">"
	    "Fit the whole map on the screen</label> ");
	if (g->noutlines > 0)
		HTML_LIT(b, "<input type=\"checkbox\" id=\"map-hh\" "
		    "class=\"switch\" checked><label for=\"map-hh\" "
		    "class=\"noprint\">Show who lives together</label>");
	HTML_LIT(b, "<div class=\"mapscroll\" tabindex=\"0\" "
	    "aria-label=\"Relationship map, scrolls sideways\">");
	svg_map(b, h, g);
	HTML_LIT(b, "</div></div>");
}

void
history_pictures_html(struct buf *b, const struct history_view *v, bool top)
{
	if (!v->laid) {
		HTML_LIT(b, "<p>The map could not be drawn.</p>");
		return;
	}
	map_box(b, &v->h, &v->g, top);
	map_text(b, &v->h);
	HTML_PICK(b, top, "<h2>Patterns</h2>", "<h3>Patterns</h3>");
	if (v->facts_ok)
		history_facts_html(b, v->facts.data);
	HTML_PICK(b, top, "<h2>Lifeline</h2>", "<h3>Lifeline</h3>");
	svg_lifeline(b, &v->h, v->marks.v, v->marks.n);
	events_text(b, &v->h);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * caseload_page.c - the caseload's clients and measures due from their
 * view.  See caseload_page.h.
 */
#include <stdio.h>

#include "render/caseload_page.h"
#include "render/client_page.h"
#include "render/html.h"
#include "render/measure.h"

/* Each measure's latest score: the band's tone and words, and the move
 * from the one before, coloured by better or worse for that measure,
 * said in words too. */
static void
latest_cell(struct buf *b, const struct caseload_latest *l,
    enum change_convention conv)
{
	const struct instr_score	*sc;
	const char			*band, *tone;
	size_t				 i;

	if (l == NULL || l->nv == 0) {
		HTML_LIT(b, "<span class=\"muted\">No answers yet</span>");
		return;
	}
	for (i = 0; i < l->nv; i++) {
		sc = &l->v[i].re->in->scores[0];
		if (i > 0)
			HTML_LIT(b, "<br>");
		html_text(b, l->v[i].re->in->name);
		/* Scores about several figures (the ECR-RS): which one this
		 * is, never a bare number read as the client's own. */
		if (l->v[i].re->in->ntargets > 0) {
			HTML_LIT(b, " ");
			html_text(b, sc->label);
		}
		if (l->v[i].n == 0) {
			HTML_LIT(b, " <strong>not scored</strong> ");
			measure_partial(b, &l->v[i].part);
			continue;
		}
		HTML_LIT(b, " <strong>");
		html_num(b, l->v[i].last, 1);
		HTML_LIT(b, "</strong> ");
		if ((band = instr_band_label(sc, l->v[i].last)) != NULL) {
			tone = measure_tone(sc, l->v[i].last);
			HTML_LIT(b, "<span class=\"badge ");
			html_text(b, tone ? tone : "same");
			HTML_LIT(b, "\">");
			html_text(b, band);
			HTML_LIT(b, "</span> ");
		}
		if (l->v[i].n == 2)
			measure_move(b, sc, l->v[i].prev, l->v[i].last, conv);
	}
}

void
caseload_due_html(struct buf *b, const struct caseload_view *v)
{
	char	 href[64], words[160];
	size_t	 i;

	HTML_LIT(b, "<h2>Measures due</h2>");
	if (!v->plans_read) {
		HTML_LIT(b, "<p class=\"high\">The plans could not be read."
		    "</p>");
		return;
	}
	HTML_LIT(b, "<ul>");
	for (i = 0; i < v->ndue; i++) {
		const struct caseload_due	*d = &v->due[i];

		if (d->planned)
			snprintf(words, sizeof(words), ": %d measure%s sent "
			    "by the plan, not yet answered%s", d->open,
			    d->open == 1 ? "" : "s", d->reminded ?
			    " (reminded)" : "");
		else
			snprintf(words, sizeof(words), ": no plan, and no "
			    "questionnaire answered in the last 4 weeks");
		client_href(href, sizeof(href), d->c->id, "plans");
		HTML_LIT(b, "<li><a");
		html_attr(b, "href", href);
		HTML_LIT(b, ">");
		html_text(b, d->c->name);
		HTML_LIT(b, "</a>");
		html_text(b, words);
		HTML_LIT(b, "</li>");
	}
	if (v->ndue == 0)
		HTML_LIT(b, "<li>None: every plan's measures are answered, and "
		    "every client without a plan answered one in the last 4 "
		    "weeks.</li>");
	HTML_LIT(b, "</ul>");
}

void
caseload_rows_html(struct buf *b, const struct caseload_view *v,
    enum change_convention conv)
{
	char	 href[48];
	size_t	 i;

	if (v->nrows == 0) {
		HTML_LIT(b, "<p class=\"empty\">No client's name holds "
		    "\u201c");
		html_text(b, v->q);
		HTML_LIT(b, "\u201d.</p>");
	} else
		HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\">"
		    "<table class=\""
		    "caseload\"><tr><th>Client</th><th>Latest scores (band, "
		    "and the move from the one before)</th><th>Last answered"
		    "</th></tr>");
	for (i = 0; i < v->nrows; i++) {
		const struct caseload_row	*row = &v->rows[i];

		snprintf(href, sizeof(href), "/clients/%lld",
		    (long long)row->c->id);
		HTML_LIT(b, "<tr><td><a");
		html_attr(b, "href", href);
		HTML_LIT(b, ">");
		html_text(b, row->c->name);
		HTML_LIT(b, "</a>");
		if (row->alerts > 0) {
			HTML_LIT(b, " <span class=\"badge high\">");
			html_int(b, (int64_t)row->alerts);
			HTML_PICK(b, row->alerts == 1, " open alert",
			    " open alerts");
			HTML_LIT(b, "</span>");
		}
		HTML_LIT(b, "</td><td>");
		latest_cell(b, row->l, conv);
		HTML_LIT(b, "</td><td data-label=\"Last answered\">");
		if (row->l != NULL && row->l->newest[0] != '\0')
			html_when_at(b, row->l->newest, v->now);
		else
			HTML_LIT(b, "never");
		HTML_LIT(b, "</td></tr>");
	}
	if (v->nrows > 0)
		HTML_LIT(b, "</table></div>");
	caseload_due_html(b, v);
}

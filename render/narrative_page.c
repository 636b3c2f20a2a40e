/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative_page.c - one narrative written from its view: the prompt,
 * the chosen draft with its indicators marked (all, or one), the
 * indicators of that draft with what each is, and the change across
 * drafts per 1,000 words.  No store access.  See narrative_page.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/html.h"
#include "render/narrative_page.h"

struct mark {
	size_t		 start, end, ind;
};

static int
by_start(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end ? 1 : 0;
}

/*
 * The text with its spans marked (all indicators, or only show), each
 * <mark> titled with its indicator; where spans of two indicators
 * overlap, the first one is marked (the counts above are not affected).
 */
static void
highlighted(struct buf *b, const struct lexicon *lex, const char *text,
    const struct narr_result *res, int show)
{
	struct mark	*m;
	size_t		 n = 0, k, s, at = 0, cap = 0;
	char		*piece;
	const struct narr_about *a;

	for (k = 0; k < NARR_INDICATORS; k++)
		if (show < 0 || (size_t)show == k)
			cap += res->ind[k].nspans;
	m = cap ? calloc(cap, sizeof(*m)) : NULL;
	for (k = 0; m != NULL && k < NARR_INDICATORS; k++)
		for (s = 0; (show < 0 || (size_t)show == k) &&
		    s < res->ind[k].nspans; s++) {
			m[n].start = res->ind[k].spans[s].start;
			m[n].end = res->ind[k].spans[s].end;
			m[n++].ind = k;
		}
	if (n > 1)
		qsort(m, n, sizeof(*m), by_start);
	HTML_LIT(b, "<div class=\"narrative\">");
	for (k = 0; k <= n; k++) {
		size_t upto = k < n ? m[k].start : strlen(text);

		if (k < n && m[k].start < at)
			continue;	/* overlaps the one marked */
		if ((piece = strndup(text + at, upto - at)) != NULL) {
			html_text(b, piece);
			free(piece);
		}
		if (k == n)
			break;
		a = lexicon_about(lex, m[k].ind);
		HTML_LIT(b, "<mark");
		{
			char cls[24];

			snprintf(cls, sizeof(cls), "i%zu", m[k].ind);
			html_attr(b, "class", cls);
		}
		html_attr(b, "title", a->title);
		HTML_LIT(b, ">");
		if ((piece = strndup(text + m[k].start, m[k].end -
		    m[k].start)) != NULL) {
			html_text(b, piece);
			free(piece);
		}
		HTML_LIT(b, "</mark>");
		at = m[k].end;
	}
	HTML_LIT(b, "</div>");
	free(m);
}

/* Each indicator: count, rate, a link to show only it, and what it is. */
static void
indicator_table(struct buf *b, const struct lexicon *lex, const char *base,
    int version, const struct narr_result *res)
{
	const struct narr_about	*a;
	char			 href[256], num[32];
	size_t			 k;

	HTML_LIT(b, "<table><tr><th>Indicator</th><th>Count</th>"
	    "<th>Per 1,000 words</th><th>In the text</th></tr>");
	for (k = 0; k < NARR_INDICATORS; k++) {
		a = lexicon_about(lex, k);
		HTML_LIT(b, "<tr><td><span");
		snprintf(num, sizeof(num), "key i%zu", k);
		html_attr(b, "class", num);
		HTML_LIT(b, "></span><details><summary>");
		html_text(b, a->title);
		HTML_LIT(b, "</summary><dl><dt>What it is</dt><dd>");
		html_text(b, a->definition);
		HTML_LIT(b, "</dd><dt>The research it echoes</dt><dd>");
		html_text(b, a->research);
		HTML_LIT(b, "</dd><dt>How strong</dt><dd>");
		html_text(b, a->strength);
		HTML_LIT(b, "</dd><dt>Known false positives</dt><dd>");
		html_text(b, a->false_positives);
		HTML_LIT(b, "</dd></dl></details></td><td>");
		html_int(b, (int64_t)res->ind[k].count);
		HTML_LIT(b, "</td><td>");
		html_num(b, res->ind[k].per_1000, 1);
		HTML_LIT(b, "</td><td><a");
		snprintf(href, sizeof(href), "%s?v=%d&show=%s#text", base,
		    version, narr_ids[k]);
		html_attr(b, "href", href);
		HTML_LIT(b, ">Mark only these</a></td></tr>");
	}
	HTML_LIT(b, "</table>");
}

/* Per 1,000 words in each draft: the change across drafts. */
static void
change_table(struct buf *b, const struct lexicon *lex, const char *base,
    const struct drafts *ds, int64_t now)
{
	struct narr_result	 res;
	char			 href[256], v[16];
	size_t			 i, k;

	HTML_LIT(b, "<table><tr><th>Draft</th><th>Saved</th><th>By"
	    "</th><th>Words</th>");
	for (k = 0; k < NARR_INDICATORS; k++) {
		HTML_LIT(b, "<th>");
		html_text(b, lexicon_about(lex, k)->title);
		HTML_LIT(b, "</th>");
	}
	HTML_LIT(b, "</tr>");
	for (i = 0; i < ds->n; i++) {
		if (narrative_analyze(lex, ds->d[i].text,
		    strlen(ds->d[i].text), &res) != SB_OK)
			continue;
		snprintf(href, sizeof(href), "%s?v=%d#text", base,
		    ds->d[i].version);
		snprintf(v, sizeof(v), "%d", ds->d[i].version);
		HTML_LIT(b, "<tr><td><a");
		html_attr(b, "href", href);
		HTML_LIT(b, ">");
		html_text(b, v);
		HTML_LIT(b, "</a></td><td>");
		html_when_at(b, ds->d[i].created, now);
		HTML_LIT(b, "</td><td>");
		html_text(b, ds->d[i].author);
		HTML_LIT(b, "</td><td>");
		html_int(b, (int64_t)res.words);
		HTML_LIT(b, "</td>");
		for (k = 0; k < NARR_INDICATORS; k++) {
			HTML_LIT(b, "<td>");
			html_num(b, res.ind[k].per_1000, 1);
			HTML_LIT(b, "</td>");
		}
		HTML_LIT(b, "</tr>");
		narr_result_free(&res);
	}
	HTML_LIT(b, "</table>");
}

void
narrative_html(struct buf *b, const struct narrative_view *nv)
{
	const struct draft_copy	*d = &nv->ds.d[nv->sel];
	char			 all[160];

	HTML_LIT(b, "<h1>Narrative</h1><p class=\"prompt\">");
	html_text(b, nv->prompt);
	HTML_LIT(b, "</p><p class=\"muted\">Descriptive language "
	    "features, not an assessment: counts of defined words, with the "
	    "words that triggered each. No classification, no cut-off, no "
	    "overall score.</p>");
	if (nv->ds.n == 0) {
		HTML_LIT(b, "<p>Nothing written yet.</p>");
		return;
	}
	if (!nv->analysed)
		return;
	HTML_LIT(b, "<h2 id=\"text\">Draft ");
	html_int(b, d->version);
	HTML_LIT(b, " (");
	html_when_at(b, d->created, nv->now);
	HTML_LIT(b, ", by the ");
	html_text(b, d->author);
	HTML_LIT(b, "; ");
	html_int(b, (int64_t)nv->res.words);
	HTML_LIT(b, " words)</h2>");
	if (nv->only >= 0) {
		HTML_LIT(b, "<p>Marked: ");
		html_text(b, lexicon_about(nv->lex, (size_t)nv->only)->title);
		HTML_LIT(b, ". <a");
		snprintf(all, sizeof(all), "%s?v=%d#text", nv->base,
		    d->version);
		html_attr(b, "href", all);
		HTML_LIT(b, ">Mark all</a></p>");
	}
	highlighted(b, nv->lex, d->text, &nv->res, nv->only);
	HTML_LIT(b, "<h2>Indicators of this draft</h2>");
	indicator_table(b, nv->lex, nv->base, d->version, &nv->res);
	HTML_LIT(b, "<h2>Across drafts</h2><p class=\"muted\">Per 1,000 words "
	    "in each draft: the change within this person's writing, which is "
	    "where the research is closest.</p>");
	if (nv->ds.skipped)
		HTML_LIT(b, "<p class=\"muted\">The newest drafts are shown."
		    "</p>");
	HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\">");
	change_table(b, nv->lex, nv->base, &nv->ds, nv->now);
	HTML_LIT(b, "</div>");
}

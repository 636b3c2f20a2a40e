/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes_page.c - the outcomes page's content from the view app/
 * gathered (app/outcomes.h): the lead, how the figures are counted, and
 * one row per measure, therapist and caseness.  No store here: the page's
 * frame is web/'s, the numbers app/'s.  See outcomes_page.h.
 */
#include <stdio.h>
#include <string.h>

#include "render/html.h"
#include "render/outcomes_page.h"

static void
share(struct buf *b, size_t k, size_t n)
{
	char	 t[48];

	snprintf(t, sizeof(t), "%zu (%.0f%%)", k, n ? 100.0 * (double)k /
	    (double)n : 0.0);
	html_text(b, t);
}

/*
 * The practice's row of a measure when one therapist's row holds the
 * same clients (one therapist in the practice, or a therapist's own
 * view): shown once, not twice.
 */
static bool
same_as_one(const struct outcomes *o, const struct outcome_cell *c)
{
	size_t	 i, mine = 0;

	if (strcmp(c->therapist, OUTCOMES_ALL) != 0)
		return false;
	for (i = 0; i < o->n; i++)
		if (o->c[i].in == c->in && o->c[i].score == c->score &&
		    o->c[i].caseness == c->caseness && &o->c[i] != c &&
		    ++mine > 1)
			return false;
	return mine == 1;
}

/* d and its interval, or "-", and why to read it with care. */
static void
d_cell(struct buf *b, const struct outcome_cell *c)
{
	struct outcome_d	 d;
	char			 why[200], t[96];

	if (!outcome_effect_size(c, &d)) {
		HTML_LIT(b, "-");
		if (c->n > 0 && c->n < 3)
			HTML_LIT(b, " <span class=\"muted\">(d needs three "
			    "or more episodes with both scores)</span>");
		return;
	}
	snprintf(t, sizeof(t), "%.2f (95 %% CI %.2f to %.2f)", d.d, d.lo,
	    d.hi);
	html_text(b, t);
	if (outcome_effect_caution(c, why, sizeof(why))) {
		HTML_LIT(b, "<br><span class=\"badge medium\">read with "
		    "care</span> ");
		html_text(b, why);
	}
}

static void
outcome_row(struct buf *b, const struct outcome_cell *c)
{
	size_t	 k;

	HTML_LIT(b, "<tr><td>");
	html_text(b, c->in->name);
	HTML_LIT(b, " ");
	html_text(b, c->in->scores[c->score].label);
	if (c->caseness)
		HTML_LIT(b, "<br><span class=\"muted\">episodes begun "
		    "at caseness</span>");
	HTML_LIT(b, "</td><td>");
	html_text(b, c->therapist);
	HTML_LIT(b, "</td><td>");
	if (c->caseness)
		html_int(b, (int64_t)c->n);
	else {
		char	 t[64];

		snprintf(t, sizeof(t), "%zu of %zu (%.0f%%)", c->n,
		    outcome_episodes(c), outcome_episodes(c) ? 100.0 *
		    (double)c->n / (double)outcome_episodes(c) : 0.0);
		html_text(b, t);
	}
	HTML_LIT(b, "</td><td>");
	if (!c->caseness) {
		html_int(b, (int64_t)c->one_score);
		HTML_LIT(b, " / ");
		html_int(b, (int64_t)c->left_out);
	}
	for (k = 0; k < CHANGE__MAX; k++) {
		HTML_LIT(b, "</td><td>");
		if (c->unclassified == c->n)
			HTML_LIT(b, "-");
		else
			share(b, c->cls[k], c->n - c->unclassified);
	}
	HTML_LIT(b, "</td><td>");
	d_cell(b, c);
	HTML_LIT(b, "</td><td>");
	if (c->n == 0)
		HTML_LIT(b, "no episode with a first and a last score");
	else if (c->unclassified == c->n)
		HTML_LIT(b, "no norms in the definition: not "
		    "classified");
	else {
		html_text(b, c->label);
		HTML_LIT(b, "; ");
		html_text(b, c->in->scores[c->score].clinical.source ?
		    c->in->scores[c->score].clinical.source : "");
	}
	HTML_LIT(b, "</td></tr>");
}

void
outcomes_html(struct buf *b, const struct outcomes *o)
{
	size_t	 i;
	char	 t[160];

	/* The lead fits a phone's screen; how it is counted folds away. */
	HTML_LIT(b, "<h1>Outcomes</h1><p class=\"muted\">Per episode "
	    "of care, classified under the practice's convention (named in "
	    "the last column). Every figure is of the episodes with both a "
	    "first and a last score. These describe a caseload; they do not "
	    "rank therapists.</p><details><summary>How these are counted"
	    "</summary><p class=\"muted\">The change from the first to the "
	    "last of the client's own answers to a measure within one "
	    "episode, classified by Jacobson &amp; Truax (1991) with the "
	    "reliability and norms in the instrument's definition (reliable "
	    "change at p &lt; .05; recovered: reliable improvement that also "
	    "crosses the clinical cut-off), or by NHS Talking Therapies "
	    "(reliable recovery: from caseness to below it with a reliable "
	    "fall). A client who returns for a second episode is counted once "
	    "per episode; a client with no episode recorded counts as one. "
	    "\"Both scores\": the episodes with a first and a last score, of "
	    "all episodes with any; \"one / left out\": episodes with a "
	    "single score, and those whose first or last score is missing "
	    "because too many items were left unanswered; the others may have "
	    "gone better or worse. \"Begun at caseness\": the episodes whose "
	    "first score was on the clinical side of the cut-off. d is the "
	    "standardized mean change (Becker 1988; positive is improvement) "
	    "with its 95 % confidence interval.</p></details>");
	if (o->altered > 0) {
		snprintf(t, sizeof(t), "The episodes of %zu client%s were "
		    "changed outside securebase; their scores are left out.",
		    o->altered, o->altered == 1 ? "" : "s");
		HTML_LIT(b, "<p class=\"banner\">");
		html_text(b, t);
		HTML_LIT(b, "</p>");
	}
	if (o->n == 0)
		HTML_LIT(b, "<p>No episode has a score of a measure "
		    "yet.</p>");
	else {
		HTML_LIT(b, "<div class=\"wide\" tabindex=\"0\">"
		    "<table><tr><th class=\"measure\">Measure"
		    "</th><th>Therapist</th><th>Both scores</th><th>One / "
		    "left out</th><th>Recovered</th>"
		    "<th>Reliably improved</th><th>No reliable change</th><th>"
		    "Reliably deteriorated</th><th>d (95 % CI)</th><th "
		    "class=\"norms\">Convention and norms</th></tr>");
		for (i = 0; i < o->n; i++)
			if (!same_as_one(o, &o->c[i]))
				outcome_row(b, &o->c[i]);
		HTML_LIT(b, "</table></div>");
	}
}

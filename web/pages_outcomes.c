/*
 * pages_outcomes.c - GET /outcomes: the practice's outcomes for
 * therapists (their own clients) and supervisors (every therapist's, and
 * the practice's).  Counts and shares with the norms used; no ranking.
 */
#include <stdio.h>
#include <string.h>

#include "render/html.h"
#include "app/outcomes.h"
#include "web/web_int.h"

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
		    &o->c[i] != c && ++mine > 1)
			return false;
	return mine == 1;
}

static void
outcomes_view(struct req *r)
{
	struct outcomes	 o;
	const struct outcome_cell *c;
	size_t		 i, k;
	double		 d;
	char		 why[200];

	outcomes_init(&o);
	if (outcomes_collect(r->s, r->srv->cfg->reg, &o) != SB_OK) {
		outcomes_free(&o);
		error_page(r, 500, "The outcomes could not be gathered.");
		return;
	}
	page_begin(r, "Outcomes");
	HTML_LIT(&r->out, "<h1>Outcomes</h1><p class=\"muted\">For each client "
	    "with two or more administrations of a measure: the change from "
	    "the first to the last, classified by Jacobson &amp; Truax (1991) "
	    "with the reliability and norms in the instrument's definition "
	    "(reliable change at p &lt; .05; recovered: reliable improvement "
	    "that also crosses the clinical cut-off). Scores with no norms in "
	    "the instrument's definition are counted but not classified. "
	    "Left out: clients with two or more administrations whose first "
	    "or last score is missing because too many items were left "
	    "unanswered for the instrument's missing-data rule; they are not "
	    "among the clients counted. d is the pre-post effect "
	    "size (mean change over the SD of the first scores; positive is "
	    "improvement). These describe a caseload; they do not rank "
	    "therapists.</p>");
	if (o.n == 0)
		HTML_LIT(&r->out, "<p>No client has two administrations of a "
		    "measure yet.</p>");
	else {
		HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\">"
		    "<table><tr><th class=\"measure\">Measure"
		    "</th><th>Therapist</th><th>Clients</th><th>Left out</th>"
		    "<th>Recovered</th>"
		    "<th>Reliably improved</th><th>No reliable change</th><th>"
		    "Reliably deteriorated</th><th>d</th><th class=\"norms\">"
		    "Norms used</th>"
		    "</tr>");
		for (i = 0; i < o.n; i++) {
			c = &o.c[i];
			if (same_as_one(&o, c))
				continue;
			HTML_LIT(&r->out, "<tr><td>");
			html_text(&r->out, c->in->name);
			HTML_LIT(&r->out, " ");
			html_text(&r->out, c->in->scores[c->score].label);
			HTML_LIT(&r->out, "</td><td>");
			html_text(&r->out, c->therapist);
			HTML_LIT(&r->out, "</td><td>");
			html_int(&r->out, (int64_t)c->n);
			HTML_LIT(&r->out, "</td><td>");
			html_int(&r->out, (int64_t)c->left_out);
			for (k = 0; k < CHANGE__MAX; k++) {
				HTML_LIT(&r->out, "</td><td>");
				if (c->unclassified == c->n)
					HTML_LIT(&r->out, "-");
				else
					share(&r->out, c->cls[k], c->n -
					    c->unclassified);
			}
			HTML_LIT(&r->out, "</td><td>");
			if (outcome_effect_size(c, &d)) {
				html_num(&r->out, d, 2);
				if (outcome_effect_caution(c, why,
				    sizeof(why))) {
					HTML_LIT(&r->out, "<br><span class=\""
					    "badge medium\">read with care"
					    "</span> ");
					html_text(&r->out, why);
				}
			} else
				HTML_LIT(&r->out, "-");
			HTML_LIT(&r->out, "</td><td>");
			if (c->n == 0)
				HTML_LIT(&r->out, "no client with a first "
				    "and a last score");
			else if (c->unclassified == c->n)
				HTML_LIT(&r->out, "no norms in the "
				    "definition: not classified");
			else {
				html_text(&r->out, "criterion ");
				html_text(&r->out, change_criterion_name(
				    c->criterion));
				HTML_LIT(&r->out, "; ");
				html_text(&r->out,
				    c->in->scores[c->score].clinical.source ?
				    c->in->scores[c->score].clinical.source : "");
			}
			HTML_LIT(&r->out, "</td></tr>");
		}
		HTML_LIT(&r->out, "</table></div>");
	}
	page_end(r);
	outcomes_free(&o);
}

void
outcomes_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN) {
		error_page(r, 403, "Outcomes are clinical: for therapists and "
		    "supervisors.");
		return;
	}
	if (!view_begin(r))
		return;
	outcomes_view(r);
	view_end(r);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_progress.c - the client's own progress page (GET /p/TOKEN), and
 * on the client page the therapist's card that makes, makes anew and
 * revokes its standing link and chooses its measures (POST
 * /clients/N/progress/WHAT).
 *
 * The page shows only the client's own answers (respondent self), only
 * the measures the therapist shows, and only numbers and dates in plain
 * words: no bands in clinical words, no attachment category, no alert.
 * By default the alliance (WAI-SR) and attachment measures are hidden,
 * as is any measure without a better or worse direction (ACE): a
 * therapist shows them when they have talked them through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/record.h"
#include "app/registry.h"
#include "render/charts.h"
#include "render/client_page.h"
#include "render/html.h"
#include "store/web.h"
#include "web/web_int.h"

#define PROGRESS_POINTS	128

/* Shown unless the therapist chose: the default for a measure. */
static bool
shown_by_default(const struct instrument *in)
{
	return strcmp(in->id, "wai-sr") != 0 && strncmp(in->id, "ecr", 3) !=
	    0 && in->nscores > 0 && in->scores[0].direction != DIRECTION_NONE;
}

/* The therapist's choices over the defaults, by registry index. */
struct choices {
	const struct registry	*reg;
	bool			*shown;
};

static SB_MUST enum sb_err
choice_seen(void *arg, const char *id, bool shown)
{
	struct choices	*c = arg;
	size_t		 i;

	for (i = 0; i < c->reg->n; i++)
		if (strcmp(c->reg->v[i].in->id, id) == 0)
			c->shown[i] = shown;
	return SB_OK;
}

static SB_MUST enum sb_err
choices_read(struct req *r, int64_t client, bool *shown)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct choices		 c = { reg, shown };
	size_t			 i;

	for (i = 0; i < reg->n; i++)
		shown[i] = shown_by_default(reg->v[i].in);
	return store_progress_choices(r->s, client, choice_seen, &c);
}

/* One measure's points on the page: its first score, or for an
 * attachment measure its two dimensions (p anxiety, p2 avoidance). */
struct pseries {
	struct score_plan	*plan;
	struct chart_point	 p[PROGRESS_POINTS];
	struct chart_point	 p2[PROGRESS_POINTS];
	char			 dates[PROGRESS_POINTS][24];
	size_t			 n;
};

/*
 * An attachment measure's two dimensions (the ECR family): *ia anxiety,
 * *iv avoidance, the global ones where it asks about several people;
 * false for any other measure.
 */
static bool
dimensions(const struct instrument *in, size_t *ia, size_t *iv)
{
	*ia = instr_score_find(in, "anxiety");
	*iv = instr_score_find(in, "avoidance");
	if (*ia == INSTR_NONE || *iv == INSTR_NONE) {
		*ia = instr_score_find(in, "global.anxiety");
		*iv = instr_score_find(in, "global.avoidance");
	}
	return *ia != INSTR_NONE && *iv != INSTR_NONE;
}

struct gather {
	struct req	*r;
	const bool	*shown;
	struct pseries	*s;		/* one per registry entry */
};

static SB_MUST enum sb_err
row_seen(void *arg, const struct store_administration_row *a)
{
	struct gather		*g = arg;
	const struct registry	*reg = g->r->srv->cfg->reg;
	struct pseries		*ps;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i, k, ia, iv;

	/* Only the client's own answers: a partner's or a parent's report
	 * about them is not theirs to see here. */
	if (strcmp(a->respondent, "self") != 0)
		return SB_OK;
	for (i = 0; i < reg->n; i++)
		if (strcmp(reg->v[i].in->id, a->instrument) == 0)
			break;
	if (i == reg->n || !g->shown[i])
		return SB_OK;
	ps = &g->s[i];
	if (ps->plan == NULL && score_plan_new(reg->v[i].in, 0, 0, &ps->plan)
	    != SB_OK)
		return SB_ENOMEM;
	if (answers_decode(ps->plan, a->answers, ans) != SB_OK)
		return SB_OK;
	score_row(ps->plan, ans, v, ok);
	if (!dimensions(reg->v[i].in, &ia, &iv)) {
		ia = iv = 0;
		if (!ok[0])
			return SB_OK;
	} else if (!ok[ia] || !ok[iv])
		return SB_OK;
	/* The newest PROGRESS_POINTS: the oldest make way. */
	if (ps->n == PROGRESS_POINTS) {
		memmove(ps->dates, ps->dates[1], sizeof(ps->dates[0]) *
		    (PROGRESS_POINTS - 1));
		memmove(ps->p, ps->p + 1, sizeof(ps->p[0]) * (PROGRESS_POINTS -
		    1));
		memmove(ps->p2, ps->p2 + 1, sizeof(ps->p2[0]) *
		    (PROGRESS_POINTS - 1));
		ps->n--;
		for (k = 0; k < ps->n; k++)
			ps->p[k].date = ps->p2[k].date = ps->dates[k];
	}
	snprintf(ps->dates[ps->n], sizeof(ps->dates[0]), "%s", a->completed);
	ps->p[ps->n].date = ps->p2[ps->n].date = ps->dates[ps->n];
	ps->p[ps->n].value = v[ia];
	ps->p2[ps->n++].value = v[iv];
	return SB_OK;
}

/* "the first time, on 2 March, 4.3; the latest, on 9 June, 3.9." with
 * values rounded to one decimal. */
static void
first_latest(struct req *r, const struct chart_point *p, size_t n)
{
	char	 t[64];

	if (n == 1) {
		HTML_LIT(&r->out, "once, on ");
		html_when(&r->out, p[0].date);
		snprintf(t, sizeof(t), ": %.1f.", p[0].value);
		html_text(&r->out, t);
		return;
	}
	HTML_LIT(&r->out, "the first time, on ");
	html_when(&r->out, p[0].date);
	snprintf(t, sizeof(t), ", %.1f; the latest, on ", p[0].value);
	html_text(&r->out, t);
	html_when(&r->out, p[n - 1].date);
	snprintf(t, sizeof(t), ", %.1f.", p[n - 1].value);
	html_text(&r->out, t);
}

/*
 * An attachment measure: both dimensions, in the words of the client
 * PDF (after Fraley's description of the ECR-R), as averages on the
 * answer scale rounded to one decimal, with no better or worse: they
 * are measurements, not types, and the client reads them with the
 * therapist.
 */
static void
attachment_out(struct req *r, const struct instrument *in,
    const struct pseries *ps)
{
	char	 n[400];
	size_t	 i;

	HTML_LIT(&r->out, "<section class=\"card\"><h2>");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, "</h2><p>");
	snprintf(n, sizeof(n), "Two measurements, each the average of your "
	    "answers on the scale from %d to %d: how much you worry about "
	    "whether the people close to you will be there for you and "
	    "respond to you, and how uncomfortable you are with being close "
	    "to others and depending on them. They are measurements on a "
	    "scale, not types of person, and they can change.",
	    in->optsets[0].min, in->optsets[0].max);
	html_text(&r->out, n);
	HTML_LIT(&r->out, "</p><p>Worry about whether people close to you "
	    "will be there for you: ");
	first_latest(r, ps->p, ps->n);
	HTML_LIT(&r->out, "</p><p>Discomfort with being close to others and "
	    "depending on them: ");
	first_latest(r, ps->p2, ps->n);
	HTML_LIT(&r->out, "</p><details><summary>The numbers</summary><table>"
	    "<tr><th>Date</th><th>Worry</th><th>Discomfort with closeness"
	    "</th></tr>");
	for (i = 0; i < ps->n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_when(&r->out, ps->p[i].date);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, ps->p[i].value, 1);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, ps->p2[i].value, 1);
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></details></section>");
}

/* One measure: what its numbers mean, first and latest, the chart. */
static void
measure_out(struct req *r, const struct instrument *in,
    const struct pseries *ps)
{
	const struct instr_score	*sc = &in->scores[0];
	char				 n[256];
	size_t				 i;

	HTML_LIT(&r->out, "<section class=\"card\"><h2>");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, "</h2><p>");
	snprintf(n, sizeof(n), "Your answers add up to a number from %g to "
	    "%g. On this questionnaire a %s number means things were going "
	    "better for you when you answered.", sc->min, sc->max,
	    sc->direction == DIRECTION_LOWER_BETTER ? "lower" : "higher");
	html_text(&r->out, n);
	HTML_LIT(&r->out, "</p><p>");
	if (ps->n == 1) {
		HTML_LIT(&r->out, "You answered it once, on ");
		html_when(&r->out, ps->p[0].date);
		snprintf(n, sizeof(n), ": %g.", ps->p[0].value);
		html_text(&r->out, n);
	} else {
		HTML_LIT(&r->out, "The first time, on ");
		html_when(&r->out, ps->p[0].date);
		snprintf(n, sizeof(n), ", it was %g; the latest, on ",
		    ps->p[0].value);
		html_text(&r->out, n);
		html_when(&r->out, ps->p[ps->n - 1].date);
		snprintf(n, sizeof(n), ", %g.", ps->p[ps->n - 1].value);
		html_text(&r->out, n);
	}
	HTML_LIT(&r->out, "</p>");
	chart_progress(&r->out, in, sc, ps->p, ps->n);
	HTML_LIT(&r->out, "<details><summary>The numbers</summary><table>"
	    "<tr><th>Date</th><th>Score</th></tr>");
	for (i = 0; i < ps->n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_when(&r->out, ps->p[i].date);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, ps->p[i].value, 2);
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></details></section>");
}

/* GET /p/TOKEN: the client's scores over time, as their therapist
 * chose; no account, the link is the key. */
void
progress_page(struct req *r, int64_t id, const char *token)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct pseries		*s = NULL;
	struct gather		 g;
	bool			*shown = NULL;
	int64_t			 client;
	size_t			 i, any = 0;

	(void)id;
	if (strchr(token, '/') != NULL || store_progress_open(r->s, token,
	    &client) != SB_OK) {
		error_page(r, 404, "This page is not available: the link may "
		    "have been replaced. Please ask your therapist for the "
		    "new one.");
		return;
	}
	if ((shown = calloc(reg->n, sizeof(*shown))) == NULL ||
	    (s = calloc(reg->n, sizeof(*s))) == NULL) {
		error_page(r, 503, "This page cannot be shown just now; please "
		    "try again in a moment.");
		goto out;
	}
	g.r = r;
	g.shown = shown;
	g.s = s;
	if (choices_read(r, client, shown) != SB_OK ||
	    store_administration_each(r->s, NULL, client, row_seen, &g) !=
	    SB_OK) {
		error_page(r, 503, "This page cannot be shown just now; please "
		    "try again in a moment.");
		goto out;
	}
	page_begin(r, "Your progress");
	client_from(r);
	HTML_LIT(&r->out, "<h1>Your progress</h1><p>Your scores on the "
	    "questionnaires you answered, over time. Your therapist chose "
	    "which ones this page shows; talk them through together.</p>");
	for (i = 0; i < reg->n; i++)
		if (s[i].n > 0) {
			size_t	 ia, iv;

			if (dimensions(reg->v[i].in, &ia, &iv))
				attachment_out(r, reg->v[i].in, &s[i]);
			else
				measure_out(r, reg->v[i].in, &s[i]);
			any++;
		}
	if (any == 0)
		HTML_LIT(&r->out, "<p class=\"empty\">Nothing to show yet.</p>");
	HTML_LIT(&r->out, "<p class=\"muted\">These are your answers added "
	    "up, nothing more: this page does not diagnose anything.</p>");
	support_box(r);
	page_end(r);
out:
	for (i = 0; s != NULL && i < reg->n; i++)
		score_plan_free(s[i].plan);
	free(s);
	free(shown);
}

/* The client page's card: the link, and the measures it shows. */
void
progress_section(struct req *r, int64_t client)
{
	const struct registry	*reg = r->srv->cfg->reg;
	bool			*shown;
	char			 action[80], name[80];
	int64_t			 created;
	size_t			 i;
	bool			 therapist = store_actor(r->s)->role ==
				    ROLE_THERAPIST;

	HTML_LIT(&r->out, "<h2 id=\"progress\">The client's progress page"
	    "</h2>");
	if ((shown = calloc(reg->n, sizeof(*shown))) == NULL ||
	    store_progress_state(r->s, client, &created) != SB_OK ||
	    choices_read(r, client, shown) != SB_OK) {
		HTML_LIT(&r->out, "<p class=\"high\">It could not be read.</p>");
		free(shown);
		return;
	}
	HTML_LIT(&r->out, "<p>");
	if (created > 0) {
		HTML_LIT(&r->out, "A link made ");
		html_when_t(&r->out, created);
		HTML_LIT(&r->out, " is in force. It is shown once, when it is "
		    "made; make a new one to give it again (the old one stops "
		    "working).");
	} else
		HTML_LIT(&r->out, "No link: the client has no progress page.");
	HTML_LIT(&r->out, "</p>");
	if (therapist) {
		snprintf(action, sizeof(action), "/clients/%lld/progress/link",
		    (long long)client);
		HTML_LIT(&r->out, "<form method=\"post\" class=\"inline\"");
		html_attr(&r->out, "action", action);
		HTML_LIT(&r->out, ">");
		csrf_field(r, r->csrf);
		HTML_PICK(&r->out, created > 0, "<button type=\"submit\" "
		    "class=\"secondary\">Make a new link</button></form>",
		    "<button type=\"submit\">Make a link</button></form>");
		if (created > 0) {
			snprintf(action, sizeof(action),
			    "/clients/%lld/progress/revoke", (long long)client);
			HTML_LIT(&r->out, "<form method=\"post\" "
			    "class=\"inline\"");
			html_attr(&r->out, "action", action);
			HTML_LIT(&r->out, ">");
			csrf_field(r, r->csrf);
			HTML_LIT(&r->out, "<button type=\"submit\" "
			    "class=\"secondary\">Revoke</button></form>");
		}
		snprintf(action, sizeof(action),
		    "/clients/%lld/progress/measures", (long long)client);
		HTML_LIT(&r->out, "<form method=\"post\"");
		html_attr(&r->out, "action", action);
		HTML_LIT(&r->out, ">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<fieldset class=\"checks\"><legend>"
		    "Shown on the page</legend>");
		for (i = 0; i < reg->n; i++) {
			snprintf(name, sizeof(name), "show-%s",
			    reg->v[i].in->id);
			HTML_LIT(&r->out, "<label class=\"check\"><input "
			    "type=\"checkbox\" value=\"1\"");
			html_attr(&r->out, "name", name);
			if (shown[i])
				HTML_LIT(&r->out, " checked");
			HTML_LIT(&r->out, "> ");
			html_text(&r->out, reg->v[i].in->name);
			HTML_LIT(&r->out, "</label> ");
		}
		HTML_LIT(&r->out, "</fieldset><p class=\"muted\">The alliance "
		    "and attachment measures are hidden until you show them."
		    "</p><button type=\"submit\" class=\"secondary\">Save what "
		    "is shown</button></form>");
	}
	free(shown);
}

/* POST /clients/N/progress/WHAT: link, revoke, measures. */
void
progress_post(struct req *r, int64_t client, const char *rest)
{
	const struct registry	*reg = r->srv->cfg->reg;
	char			 token[TOKEN_HEX + 1], url[600], to[64],
				 name[80];
	size_t			 i;
	enum sb_err		 e = SB_OK;

	(void)rest;
	if (r->op == OP_PROGRESS_LINK) {
		if ((e = store_progress_link(r->s, client, http_now(),
		    token)) ==
		    SB_OK) {
			snprintf(url, sizeof(url), "%s/p/%s",
			    r->srv->cfg->origin, token);
			sodium_memzero(token, sizeof(token));
			page_begin(r, "Progress link made");
			HTML_LIT(&r->out, "<h1>Progress link made</h1><p>Give "
			    "this link to the client. It works until you make "
			    "a new one or revoke it:</p><p><a");
			html_attr(&r->out, "href", url);
			HTML_LIT(&r->out, ">");
			html_text(&r->out, url);
			HTML_LIT(&r->out, "</a></p>");
			chart_qr(&r->out, url, "QR code of the link");
			HTML_LIT(&r->out, "<p class=\"muted\">It is shown once: "
			    "securebase keeps only a hash of it.</p>");
			page_end(r);
			sodium_memzero(url, sizeof(url));
			return;
		}
	} else if (r->op == OP_PROGRESS_REVOKE)
		e = store_progress_revoke(r->s, client, http_now());
	else if (r->op == OP_PROGRESS_MEASURES) {
		for (i = 0; e == SB_OK && i < reg->n; i++) {
			snprintf(name, sizeof(name), "show-%s",
			    reg->v[i].in->id);
			e = store_progress_show(r->s, client, reg->v[i].in->id,
			    form_get(&r->form, name) != NULL);
		}
	} else {
		error_page(r, 404, "Not found.");
		return;
	}
	if (e == SB_EPERM || (e == SB_ENOENT && r->op != OP_PROGRESS_REVOKE)) {
		error_page(r, 404, "There is no such client on your caseload.");
		return;
	}
	if (e == SB_ENOENT) {
		error_page(r, 409, "There is no progress link to revoke.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 503, "It could not be saved just now; please "
		    "send it again in a moment.");
		return;
	}
	client_href(to, sizeof(to), client, "progress");
	http_redirect_saying(r, to, "saved");
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * client_page.c - the client page's measures written from their view.
 * See client_page.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/caseload.h"
#include "app/expected.h"
#include "core/expected.h"
#include "core/plane.h"
#include "core/text.h"
#include "render/charts.h"
#include "render/client_page.h"
#include "render/html.h"
#include "render/measure.h"

/* ---- the sections ---- */

static const struct {
	const char	*key, *label;
} sections[CS__MAX] = {
	[CS_MEASURES] = { "measures", "Measures" },
	[CS_ATTACHMENT] = { "attachment", "Attachment" },
	[CS_HISTORY] = { "history", "History" },
	[CS_NARRATIVES] = { "narratives", "Narratives" },
	[CS_SESSIONS] = { "sessions", "Sessions & notes" },
	[CS_CARE] = { "care", "Care" },
};

/* Each card's anchor and its section; a card not listed is in the
 * section of the same name. */
static const struct {
	const char		*anchor;
	enum client_section	 in;
} cards[] = {
	{ "answers", CS_MEASURES },
	{ "timeline", CS_HISTORY },
	{ "notes", CS_SESSIONS },
	{ "add-session", CS_SESSIONS },
	{ "add-note", CS_SESSIONS },
	{ "alerts-h", CS_CARE },
	{ "plans", CS_CARE },
	{ "add-plan", CS_CARE },
	{ "progress", CS_CARE },
	{ "links", CS_CARE },
	{ "record", CS_CARE },
	{ "sharing", CS_CARE },
	{ "kiosk", CS_CARE },
};

bool
client_section_named(const char *key, enum client_section *out)
{
	size_t	 i;

	*out = CS_MEASURES;
	if (key == NULL || key[0] == '\0')
		return true;
	for (i = 0; i < CS__MAX; i++)
		if (strcmp(key, sections[i].key) == 0) {
			*out = (enum client_section)i;
			return true;
		}
	return false;
}

enum client_section
client_section_of(const char *anchor)
{
	enum client_section	 s;
	size_t			 i;

	for (i = 0; i < sizeof(cards) / sizeof(cards[0]); i++)
		if (strcmp(anchor, cards[i].anchor) == 0)
			return cards[i].in;
	return client_section_named(anchor, &s) ? s : CS_MEASURES;
}

void
client_href(char *out, size_t n, int64_t id, const char *anchor)
{
	snprintf(out, n, "/clients/%lld?section=%s#%s", (long long)id,
	    sections[client_section_of(anchor)].key, anchor);
}

void
client_tabs_html(struct buf *b, int64_t id, enum client_section cur)
{
	char	 href[64];
	size_t	 i;

	HTML_LIT(b, "<nav class=\"tabs\" aria-label=\"Sections\"><ul>");
	for (i = 0; i < CS__MAX; i++) {
		snprintf(href, sizeof(href), "/clients/%lld?section=%s",
		    (long long)id, sections[i].key);
		HTML_LIT(b, "<li><a");
		html_attr(b, "href", href);
		if (i == (size_t)cur)
			HTML_LIT(b, " aria-current=\"page\"");
		HTML_LIT(b, ">");
		html_text(b, sections[i].label);
		HTML_LIT(b, "</a></li>");
	}
	HTML_LIT(b, "</ul></nav>");
}

void
client_card_open(struct buf *b, const char *id, const char *title)
{
	HTML_LIT(b, "<section class=\"card\"");
	html_attr(b, "aria-labelledby", id);
	HTML_LIT(b, "><h2");
	html_attr(b, "id", id);
	HTML_LIT(b, ">");
	html_text(b, title);
	HTML_LIT(b, "</h2>");
}

/* ---- the tiles at the top ---- */

/* One tile: a measure's latest score, its band and its change. */
static void
tile(struct buf *b, const struct client_view *v, const struct instrument *in,
    size_t k, const struct chart_point *p, size_t n)
{
	const struct instr_score	*sc = &in->scores[k];
	const char			*band, *tone;
	struct change_result		 cr;

	tone = measure_tone(sc, p[n - 1].value);
	HTML_LIT(b, "<li");
	if (tone != NULL) {
		HTML_LIT(b, " class=\"t-");
		html_text(b, tone);
		HTML_LIT(b, "\"");
	}
	HTML_LIT(b, "><span class=\"name\">");
	html_text(b, in->name);
	HTML_LIT(b, " ");
	html_text(b, sc->label);
	HTML_LIT(b, "</span><span class=\"score\">");
	html_num(b, p[n - 1].value, 1);
	HTML_LIT(b, "</span> ");
	if ((band = instr_band_label(sc, p[n - 1].value)) != NULL) {
		HTML_LIT(b, "<span class=\"badge ");
		html_text(b, tone ? tone : "same");
		HTML_LIT(b, "\">");
		html_text(b, band);
		HTML_LIT(b, "</span> ");
	}
	if (n > 1 && change_classify_as(sc, p[0].value, p[n - 1].value,
	    v->conv, &cr) == SB_OK) {
		HTML_LIT(b, "<span class=\"badge ");
		if (cr.cls == CHANGE_RECOVERED || cr.cls == CHANGE_IMPROVED)
			HTML_LIT(b, "better");
		else
			HTML_PICK(b, cr.cls == CHANGE_DETERIORATED, "worse",
			    "same");
		HTML_LIT(b, "\">");
		html_text(b, change_class_name(cr.cls));
		HTML_LIT(b, "</span>");
	} else if (n > 1)
		measure_move(b, sc, p[n - 2].value, p[n - 1].value, v->conv);
	HTML_LIT(b, "<br><span class=\"muted\">");
	html_when_at(b, p[n - 1].date, v->now);
	HTML_LIT(b, "</span></li>");
}

/* A measure whose latest answers are not scored: said, with what the
 * answered items add up to, not an older score. */
static void
tile_unscored(struct buf *b, const struct client_view *v,
    const struct client_series *se)
{
	HTML_LIT(b, "<li><span class=\"name\">");
	html_text(b, se->re->in->name);
	HTML_LIT(b, " ");
	html_text(b, se->re->in->scores[0].label);
	HTML_LIT(b, "</span><span class=\"score\">not scored</span> ");
	measure_partial(b, &se->part);
	HTML_LIT(b, "<br><span class=\"muted\">");
	html_when_at(b, se->partdate, v->now);
	HTML_LIT(b, "</span></li>");
}

/* The latest of each measure: the first score, or for an attachment
 * measure its two dimensions (the global ones where it asks about
 * several figures); then the next measure due. */
void
client_tiles_html(struct buf *b, const struct client_view *v)
{
	static const char *const dims[] = { "anxiety", "avoidance",
	    "global.anxiety", "global.avoidance" };
	struct chart_point		 p[CLIENT_POINTS];
	const struct client_series	*se;
	size_t				 i, k, d, n, shown = 0;
	int64_t				 at;

	HTML_LIT(b, "<ul class=\"tiles\" aria-label=\"Latest scores\">");
	for (i = 0; i < v->m.ns; i++) {
		se = &v->m.s[i];
		for (d = 0, k = INSTR_NONE; d < 4; d++)
			if ((k = instr_score_find(se->re->in, dims[d])) !=
			    INSTR_NONE)
				break;
		if (k == INSTR_NONE && se->lastpart) {
			tile_unscored(b, v, se);
			shown++;
			continue;
		}
		if (k == INSTR_NONE) {
			if ((n = client_points(se->pts[0], se->n, p)) > 0) {
				tile(b, v, se->re->in, 0, p, n);
				shown++;
			}
			continue;
		}
		for (d = d < 2 ? 0 : 2; d < 4; d++) {
			if ((k = instr_score_find(se->re->in, dims[d])) ==
			    INSTR_NONE)
				continue;
			if ((n = client_points(se->pts[k], se->n, p)) > 0) {
				tile(b, v, se->re->in, k, p, n);
				shown++;
			}
			if (d == 1)
				break;
		}
	}
	HTML_LIT(b, "</ul>");
	if (shown == 0)
		HTML_LIT(b, "<p class=\"empty\">No questionnaire answered "
		    "yet.</p>");
	/* The next measure due, by the caseload's rule (a questionnaire
	 * every 4 weeks). */
	HTML_LIT(b, "<p>Next measure due: <strong>");
	if (v->newest[0] == '\0' || !text_iso_seconds(v->newest, &at))
		HTML_LIT(b, "now (none answered yet)");
	else if (at + (int64_t)CASELOAD_DUE_DAYS * 86400 <= v->now)
		HTML_LIT(b, "now (none in the last 4 weeks)");
	else
		html_when_t_at(b, at + (int64_t)CASELOAD_DUE_DAYS * 86400,
		    v->now);
	HTML_LIT(b, "</strong></p>");
}

/* ---- a measure's chart and change ---- */

/*
 * When the latest score is not on track: what securebase already
 * measures, to look at with the client.  Prompts, not causes: nothing
 * here says why a score moved.
 */
static void
off_track_checklist(struct buf *b, const struct client_view *v,
    int64_t intake_t)
{
	static const char *const attach[] = { "ecr-rs", "ecr-r", "ecr",
	    "ecr-s" };
	const struct client_series	*w, *a = NULL;
	size_t				 i, ia, iv, sessions, events;
	char				 n[256];

	HTML_LIT(b, "<div class=\"banner\"><p><strong>Not on track"
	    "</strong>: the latest two scores are beyond the expected band. What "
	    "securebase already has, to look at together:</p><ul><li>"
	    "Alliance: ");
	if ((w = client_series_find(&v->m, "wai-sr")) != NULL &&
	    w->lastok[0]) {
		snprintf(n, sizeof(n), "WAI-SR %.1f", w->last[0]);
		html_text(b, n);
		if (w->n > 1 && !isnan(w->pts[0][w->n - 2].value)) {
			snprintf(n, sizeof(n), " (%.1f the time before)",
			    w->pts[0][w->n - 2].value);
			html_text(b, n);
		}
	} else
		HTML_LIT(b, "no WAI-SR answered");
	HTML_LIT(b, "</li><li>Attachment: ");
	for (i = 0; a == NULL && i < 4; i++)
		a = client_series_find(&v->m, attach[i]);
	/* About all figures together where the measure has several. */
	ia = iv = INSTR_NONE;
	if (a != NULL) {
		ia = instr_score_find(a->re->in, "global.anxiety");
		iv = instr_score_find(a->re->in, "global.avoidance");
		if (ia == INSTR_NONE || iv == INSTR_NONE) {
			ia = instr_score_find(a->re->in, "anxiety");
			iv = instr_score_find(a->re->in, "avoidance");
		}
	}
	if (ia != INSTR_NONE && iv != INSTR_NONE && a->lastok[ia] &&
	    a->lastok[iv]) {
		snprintf(n, sizeof(n), "%s %s %.2f, %s %.2f", a->re->in->name,
		    a->re->in->scores[ia].label, a->last[ia],
		    a->re->in->scores[iv].label, a->last[iv]);
		html_text(b, n);
	} else
		HTML_LIT(b, "no attachment measure answered");
	HTML_LIT(b, "</li>");
	client_counts(v, intake_t, &sessions, &events);
	HTML_LIT(b, "<li>Life events dated in the last 8 weeks: ");
	html_int(b, (int64_t)events);
	HTML_LIT(b, " (see the timeline)</li><li>Sessions attended since the "
	    "episode's first score: ");
	html_int(b, (int64_t)sessions);
	HTML_LIT(b, "</li></ul><p class=\"muted\">These are places to look, "
	    "not causes: securebase does not know why a score moved.</p>"
	    "</div>");
}

/* The latest score, its band and its change since the first. */
static void
measure_latest(struct buf *b, const struct client_view *v,
    const struct instr_score *sc, const struct chart_point *p, size_t n)
{
	struct change_result	 cr;
	const char		*band;
	char			 lab[96];

	HTML_LIT(b, "<p>Latest: <strong>");
	html_num(b, p[n - 1].value, 2);
	HTML_LIT(b, "</strong>");
	if ((band = instr_band_label(sc, p[n - 1].value)) != NULL) {
		HTML_LIT(b, " (");
		html_text(b, band);
		HTML_LIT(b, ")");
	}
	if (n > 1 && change_classify_as(sc, p[0].value, p[n - 1].value,
	    v->conv, &cr) == SB_OK) {
		change_label(&cr, lab, sizeof(lab));
		HTML_LIT(b, "; since the first: ");
		html_text(b, cr.convention == CONVENTION_TT && cr.cls ==
		    CHANGE_RECOVERED ? "reliable recovery" :
		    change_class_name(cr.cls));
		HTML_LIT(b, " (");
		if (cr.convention == CONVENTION_JT) {
			HTML_LIT(b, "RC ");
			html_num(b, cr.rc, 2);
			HTML_LIT(b, ", ");
		}
		html_text(b, lab);
		HTML_LIT(b, ")");
	}
	HTML_LIT(b, ".</p>");
}

/* Said under the chart whichever way: never a curve made up. */
void
client_expected_words(const struct client_series *se, char *out, size_t n)
{
	if (!expected_measure(se->re->in->id))
		snprintf(out, n, "No expected path: securebase has none for "
		    "this measure.");
	else if (se->drawn)
		snprintf(out, n, "Shaded green: the expected path and the band "
		    "8 in 10 comparable clients stay in; %s. \"Not on track\" "
		    "needs %s.", se->shaped, expected_rule_name(EXPECTED_RULE));
	else
		snprintf(out, n, "No expected path yet: %s.", se->shaped);
}

static void
measure_section(struct buf *b, const struct client_view *v,
    const struct client_series *se)
{
	const struct instrument		*in = se->re->in;
	const struct instr_score	*sc = &in->scores[0];
	struct chart_point		 p[CLIENT_POINTS];
	char				 msg[400];
	size_t				 n, i;

	n = client_points(se->pts[0], se->n, p);
	HTML_LIT(b, "<h3>");
	html_text(b, in->name);
	HTML_LIT(b, " ");
	html_text(b, sc->label);
	HTML_LIT(b, "</h3>");
	if (n == 0) {
		HTML_LIT(b, "<p>No complete administration yet.</p>");
		return;
	}
	measure_latest(b, v, sc, p, n);
	chart_measure(b, in, sc, p, n, se->drawn ? se->band : NULL,
	    se->shaped, v->ev, v->nev);
	client_expected_words(se, msg, sizeof(msg));
	HTML_LIT(b, "<p class=\"muted\">");
	html_text(b, msg);
	HTML_LIT(b, "</p>");
	if (se->off)
		off_track_checklist(b, v, se->intake_t);
	HTML_LIT(b, "<details><summary>The numbers</summary><table>"
	    "<tr><th>Date</th><th>Score</th><th>Band</th></tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(b, "<tr><td>");
		html_when_at(b, p[i].date, v->now);
		HTML_LIT(b, "</td><td>");
		html_num(b, p[i].value, 2);
		HTML_LIT(b, "</td><td>");
		html_text(b, instr_band_label(sc, p[i].value));
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></details>");
}

/* ---- attachment ---- */

/* Has the instrument the two attachment dimensions, plain or (about
 * several figures) global? */
static bool
is_attachment(const struct instrument *in)
{
	return (instr_score_find(in, "anxiety") != INSTR_NONE &&
	    instr_score_find(in, "avoidance") != INSTR_NONE) ||
	    (instr_score_find(in, "global.anxiety") != INSTR_NONE &&
	    instr_score_find(in, "global.avoidance") != INSTR_NONE);
}

/* A plane's numbers on demand: who's (NULL: the client's), by date. */
static void
plane_numbers(struct buf *b, const struct client_view *v, const char *who,
    const struct chart_point *a, const struct chart_point *av, size_t n)
{
	size_t	 i;

	HTML_LIT(b, "<details><summary>");
	if (who != NULL) {
		html_text(b, who);
		HTML_LIT(b, ": the numbers");
	} else
		HTML_LIT(b, "The numbers");
	HTML_LIT(b, "</summary><table><tr><th>Date</th><th "
	    "class=\"num\">Anxiety</th><th class=\"num\">Avoidance</th>"
	    "</tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(b, "<tr><td>");
		html_when_at(b, a[i].date, v->now);
		HTML_LIT(b, "</td><td class=\"num\">");
		html_num(b, a[i].value, 2);
		HTML_LIT(b, "</td><td class=\"num\">");
		html_num(b, av[i].value, 2);
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></details>");
}

/* The points where both scores ia and iv exist, into a and av. */
static size_t
pair_points(const struct client_series *se, size_t ia, size_t iv,
    struct chart_point *a, struct chart_point *av)
{
	size_t	 i, n = 0;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[ia][i].value) &&
		    !isnan(se->pts[iv][i].value)) {
			a[n] = se->pts[ia][i];
			av[n++] = se->pts[iv][i];
		}
	return n;
}

/* One attachment plane: the scores ia and iv of the series, under the
 * heading "instrument: who"; nothing when never both answered. */
static void
plane_one(struct buf *b, const struct client_view *v,
    const struct client_series *se, size_t ia, size_t iv, const char *who)
{
	const struct instrument	*in = se->re->in;
	const struct instr_optset *os = &in->optsets[0];
	struct chart_point	 a[CLIENT_POINTS], av[CLIENT_POINTS];
	struct plane_pos	 pos;
	size_t			 n;

	if ((n = pair_points(se, ia, iv, a, av)) == 0)
		return;
	HTML_LIT(b, "<div class=\"plane\"><h3>");
	html_text(b, in->name);
	if (who != NULL) {
		HTML_LIT(b, ": ");
		html_text(b, who);
	}
	HTML_LIT(b, "</h3>");
	chart_plane(b, a, av, n, os->min, os->max, true);
	plane_locate(a[n - 1].value, av[n - 1].value, os->min, os->max, &pos);
	HTML_LIT(b, "<p>Latest: anxiety ");
	html_num(b, pos.anxiety, 2);
	HTML_LIT(b, ", avoidance ");
	html_num(b, pos.avoidance, 2);
	HTML_LIT(b, " (");
	html_text(b, plane_region_name(pos.region));
	HTML_LIT(b, ").</p>");
	plane_numbers(b, v, NULL, a, av, n);
	HTML_LIT(b, "</div>");
}

/* An attachment measure's planes: one, or one per figure it asks about
 * (each named) and the global one. */
static void
plane_section(struct buf *b, const struct client_view *v,
    const struct client_series *se)
{
	const struct instrument	*in = se->re->in;
	char			 a[80], av[80];
	size_t			 t;

	HTML_LIT(b, "<div class=\"planes\">");
	if (in->ntargets == 0) {
		plane_one(b, v, se, instr_score_find(in, "anxiety"),
		    instr_score_find(in, "avoidance"), NULL);
		HTML_LIT(b, "</div>");
		return;
	}
	for (t = 0; t < in->ntargets; t++) {
		snprintf(a, sizeof(a), "%s.anxiety", in->targets[t].id);
		snprintf(av, sizeof(av), "%s.avoidance", in->targets[t].id);
		if (instr_score_find(in, a) != INSTR_NONE &&
		    instr_score_find(in, av) != INSTR_NONE)
			plane_one(b, v, se, instr_score_find(in, a),
			    instr_score_find(in, av), in->targets[t].label);
	}
	plane_one(b, v, se, instr_score_find(in, "global.anxiety"),
	    instr_score_find(in, "global.avoidance"), "all figures together "
	    "(global)");
	HTML_LIT(b, "</div>");
}

/* The points of an ECR-RS series about the partner: anxiety, avoidance. */
static size_t
partner_points(const struct client_series *se, struct chart_point *a,
    struct chart_point *av, const struct instrument **in)
{
	size_t	 ia, iv;

	if (se == NULL)
		return 0;
	ia = instr_score_find(se->re->in, "partner.anxiety");
	iv = instr_score_find(se->re->in, "partner.avoidance");
	if (ia == INSTR_NONE || iv == INSTR_NONE)
		return 0;
	*in = se->re->in;
	return pair_points(se, ia, iv, a, av);
}

/*
 * A partner seen with the client: both partners' ECR-RS about each
 * other (the "partner" figure) on one plane.  Only the therapist sees
 * this: each partner's own link shows them nothing of the other.
 */
static void
couple_plane(struct buf *b, const struct client_view *v,
    const struct client_other *o, const char *name)
{
	struct chart_point	 a1[CLIENT_POINTS], v1[CLIENT_POINTS],
				 a2[CLIENT_POINTS], v2[CLIENT_POINTS];
	struct chart_path	 p[2];
	const struct instrument	*in = NULL;
	size_t			 n1, n2, np = 0;

	HTML_LIT(b, "<div class=\"plane\"><h3>Seen as ");
	HTML_PICK(b, o->couple, "a couple", "a family");
	HTML_LIT(b, " with ");
	html_text(b, o->name);
	HTML_LIT(b, "</h3>");
	n1 = partner_points(client_series_find(&v->m, "ecr-rs"), a1, v1, &in);
	n2 = partner_points(client_series_find(&o->m, "ecr-rs"), a2, v2, &in);
	if (n1 > 0)
		p[np++] = (struct chart_path){ a1, v1, n1, name };
	if (n2 > 0)
		p[np++] = (struct chart_path){ a2, v2, n2, o->name };
	if (np == 0) {
		HTML_LIT(b, "<p class=\"empty\">Neither has answered the "
		    "ECR-RS about a partner yet.</p></div>");
		return;
	}
	HTML_LIT(b, "<p>Each one's ECR-RS about their partner, on one "
	    "plane.</p>");
	chart_plane_paths(b, p, np, in->optsets[0].min, in->optsets[0].max,
	    true);
	if (n1 > 0)
		plane_numbers(b, v, name, a1, v1, n1);
	if (n2 > 0)
		plane_numbers(b, v, o->name, a2, v2, n2);
	HTML_LIT(b, "<p class=\"muted\">Only you see both here: each "
	    "partner's own links show nothing of the other's answers.</p>"
	    "</div>");
}

void
client_attachment_html(struct buf *b, const struct client_view *v,
    const char *name)
{
	size_t	 i;
	bool	 any = false;

	client_card_open(b, "attachment", "Attachment");
	for (i = 0; i < v->m.ns; i++)
		if (is_attachment(v->m.s[i].re->in)) {
			plane_section(b, v, &v->m.s[i]);
			any = true;
		}
	for (i = 0; i < v->nothers; i++)
		couple_plane(b, v, &v->others[i], name);
	if (!v->others_ok)
		HTML_LIT(b, "<p class=\"high\">Who the client is seen with "
		    "could not be read.</p>");
	if (!any && v->nothers == 0)
		HTML_LIT(b, "<p class=\"empty\">No attachment measure "
		    "yet.</p>");
	else {
		HTML_LIT(b, "<p class=\"muted\">");
		html_text(b, PLANE_METHOD);
		HTML_LIT(b, " ");
		html_text(b, PLANE_CAVEAT);
		HTML_LIT(b, "</p>");
	}
	HTML_LIT(b, "</section>");
}

/* The latest alliance, every score of the WAI-SR. */
static void
alliance_latest(struct buf *b, const struct client_series *se)
{
	const struct instrument	*in = se->re->in;
	size_t			 k;

	HTML_LIT(b, "<h3>Latest alliance (WAI-SR)</h3><p>");
	for (k = 0; k < in->nscores; k++) {
		html_text(b, in->scores[k].label);
		HTML_LIT(b, ": ");
		if (se->lastok[k])
			html_num(b, se->last[k], 1);
		else
			HTML_LIT(b, "not scored");
		HTML_PICK(b, k + 1 < in->nscores, "; ", ".");
	}
	HTML_LIT(b, "</p>");
}

void
client_measures_html(struct buf *b, const struct client_view *v)
{
	size_t	 i;
	bool	 marked = false, any = false;

	client_card_open(b, "measures", "Measures");
	/* Said only when one falls among the answers. */
	for (i = 0; i < v->nev && !marked; i++)
		marked = strncmp(v->ev[i].date, v->first, 10) >= 0 &&
		    strncmp(v->ev[i].date, v->newest, 10) <= 0;
	if (marked)
		HTML_LIT(b, "<p class=\"muted\">Dotted brown lines on the "
		    "charts: life events from the lifeline, each where its "
		    "date falls between two answers (its name on hover).</p>");
	for (i = 0; i < v->m.ns; i++) {
		if (is_attachment(v->m.s[i].re->in))
			continue;
		measure_section(b, v, &v->m.s[i]);
		any = true;
	}
	if (!any)
		HTML_LIT(b, "<p class=\"empty\">No measures yet.</p>");
	for (i = 0; i < v->m.ns; i++)
		if (strcmp(v->m.s[i].re->in->id, "wai-sr") == 0 &&
		    v->m.s[i].n > 0)
			alliance_latest(b, &v->m.s[i]);
	HTML_LIT(b, "</section>");
}

/* ---- the timeline ---- */

/* The timeline's table, newest first, down to the first'th row. */
static void
timeline_rows(struct buf *b, const struct client_view *v, size_t first)
{
	static const char *const kinds[] = { "Session", "Measure",
	    "Life event" };
	size_t	 i;

	HTML_LIT(b, "<details><summary>Every date</summary><div "
	    "class=\"wide\" tabindex=\"0\"><table><tr><th>Date</th><th>What"
	    "</th><th>Detail</th></tr>");
	for (i = v->ntl; i > first; i--) {
		const struct client_dated *d = &v->tl[i - 1];

		HTML_LIT(b, "<tr><td>");
		html_when_at(b, d->date, v->now);
		HTML_LIT(b, "</td><td>");
		html_text(b, kinds[d->kind]);
		HTML_LIT(b, "</td><td>");
		html_text(b, d->what);
		if (d->kind == STORE_TL_EVENT) {
			HTML_LIT(b, " (");
			if (d->valence > 0)
				HTML_LIT(b, "+");
			html_int(b, d->valence);
			HTML_LIT(b, ")");
		}
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table></div></details>");
}

/*
 * The client's time line as a table (the lifeline beside it draws the
 * same dates): the therapy period (from the first session or measure)
 * unless the whole life is asked for.
 */
void
client_timeline_html(struct buf *b, const struct client_view *v, bool life)
{
	char	 from[11] = "", href[80];
	size_t	 i, first = 0;

	client_card_open(b, "timeline", "Timeline");
	if (v->ntl == 0) {
		HTML_LIT(b, "<p class=\"empty\">Nothing dated yet: sessions, "
		    "measures and life events appear here.</p></section>");
		return;
	}
	/* Rows come oldest first: the therapy starts at the first session
	 * or measure. */
	for (i = 0; i < v->ntl && from[0] == '\0'; i++)
		if (v->tl[i].kind != STORE_TL_EVENT)
			snprintf(from, sizeof(from), "%s", v->tl[i].date);
	if (!life && from[0] != '\0')
		while (first < v->ntl && strcmp(v->tl[first].date, from) < 0)
			first++;
	HTML_LIT(b, "<p>");
	if (life || from[0] == '\0')
		HTML_LIT(b, "The whole life.");
	else {
		HTML_LIT(b, "The therapy, from ");
		html_when_at(b, from, v->now);
		HTML_LIT(b, ".");
	}
	if (life && from[0] != '\0') {
		snprintf(href, sizeof(href), "/clients/%lld?section=history"
		    "#timeline", (long long)v->client);
		HTML_LIT(b, " <a");
		html_attr(b, "href", href);
		HTML_LIT(b, ">Show the therapy only</a>");
	} else if (first > 0) {
		snprintf(href, sizeof(href), "/clients/%lld?section=history"
		    "&timeline=life#timeline", (long long)v->client);
		HTML_LIT(b, " <a");
		html_attr(b, "href", href);
		HTML_LIT(b, ">Show the whole life (");
		html_int(b, (int64_t)first);
		HTML_PICK(b, first == 1, " earlier life event)",
		    " earlier life events)");
		HTML_LIT(b, "</a>");
	}
	HTML_LIT(b, "</p>");
	timeline_rows(b, v, first);
	HTML_LIT(b, "</section>");
}

/* ---- the answers, item by item ---- */

/* Days shown before "Show all". */
#define ANSWER_DAYS	8

/* One measure's answers of a day: its items and what was chosen. */
static void
answer_set(struct buf *b, const struct client_answers *a)
{
	const struct instrument	*in = a->re->in;
	size_t			 i, k, t;

	HTML_LIT(b, "<table><caption>");
	html_text(b, in->name);
	HTML_LIT(b, "</caption><tr><th>Item</th><th>Answer</th></tr>");
	for (i = 0; i < in->nitems; i++) {
		const struct instr_optset *os = &in->optsets[in->items[i].optset];

		/* About several figures (the ECR-RS): each one's items under
		 * its name. */
		t = in->items[i].target;
		if (t != INSTR_NONE && (i == 0 || in->items[i - 1].target !=
		    t)) {
			HTML_LIT(b, "<tr><th colspan=\"2\">");
			html_text(b, in->targets[t].label);
			HTML_LIT(b, "</th></tr>");
		}
		HTML_LIT(b, "<tr><td>");
		html_text(b, in->items[i].text);
		HTML_LIT(b, "</td><td>");
		for (k = 0; k < os->nopts; k++)
			if (a->ans[i] != SCORE_MISSING &&
			    os->opts[k].value == a->ans[i])
				html_text(b, os->opts[k].label);
		if (a->ans[i] == SCORE_MISSING)
			HTML_LIT(b, "(skipped)");
		HTML_LIT(b, "</td></tr>");
	}
	HTML_LIT(b, "</table>");
}

/* Newest day first; within a day, in the order answered. */
static int
answer_order(const void *pa, const void *pb)
{
	const struct client_answers	*a = *(const struct client_answers *
					    const *)pa;
	const struct client_answers	*b = *(const struct client_answers *
					    const *)pb;
	int				 c = strcmp(b->date, a->date);

	return c != 0 ? c : a < b ? -1 : a > b;
}

/* The days' groups from the sorted sets: one <details> a day, its
 * summary the day and the measures answered. */
static size_t
answer_days(struct buf *b, const struct client_view *v,
    const struct client_answers *const *o, size_t n, bool all)
{
	size_t	 i = 0, j, k, days = 0;

	while (i < n) {
		for (j = i; j < n && strcmp(o[j]->date, o[i]->date) == 0; j++)
			;
		if (all || days < ANSWER_DAYS) {
			HTML_LIT(b, "<details><summary>");
			html_when_at(b, o[i]->date, v->now);
			HTML_LIT(b, ": ");
			for (k = i; k < j; k++) {
				html_text(b, o[k]->re->in->name);
				if (k + 1 < j)
					HTML_LIT(b, ", ");
			}
			HTML_LIT(b, "</summary>");
			for (k = i; k < j; k++)
				answer_set(b, o[k]);
			HTML_LIT(b, "</details>");
		}
		days++;
		i = j;
	}
	return days;
}

void
client_answers_html(struct buf *b, const struct client_view *v, bool all)
{
	const struct client_answers	**o;
	char				  href[80];
	size_t				  i, days;

	client_card_open(b, "answers", "Answers, item by item");
	if (v->nanswers == 0) {
		HTML_LIT(b, "<p class=\"empty\">No answers yet.</p>"
		    "</section>");
		return;
	}
	if ((o = calloc(v->nanswers, sizeof(*o))) == NULL) {
		HTML_LIT(b, "<p class=\"high\">The answers could not be "
		    "listed just now.</p></section>");
		return;
	}
	for (i = 0; i < v->nanswers; i++)
		o[i] = &v->answers[i];
	qsort(o, v->nanswers, sizeof(*o), answer_order);
	days = answer_days(b, v, o, v->nanswers, all);
	if (days > ANSWER_DAYS) {
		HTML_LIT(b, "<p class=\"muted\">");
		if (all) {
			snprintf(href, sizeof(href), "/clients/%lld?section="
			    "measures#answers", (long long)v->client);
			html_int(b, (int64_t)days);
			HTML_LIT(b, " days. <a");
			html_attr(b, "href", href);
			HTML_LIT(b, ">Show the latest only</a>");
		} else {
			snprintf(href, sizeof(href), "/clients/%lld?section="
			    "measures&answers=all#answers",
			    (long long)v->client);
			HTML_LIT(b, "The latest ");
			html_int(b, ANSWER_DAYS);
			HTML_LIT(b, " days of ");
			html_int(b, (int64_t)days);
			HTML_LIT(b, ". <a");
			html_attr(b, "href", href);
			HTML_LIT(b, ">Show every day</a>");
		}
		HTML_LIT(b, "</p>");
	}
	free(o);
	HTML_LIT(b, "</section>");
}

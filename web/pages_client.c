/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_client.c - the client page: a summary (actions, open alerts, a
 * tile per measure, the next measure due), then two columns: what is
 * read (each measure's chart and change, the attachment planes, the time
 * line, the answer sets) and what is done in and after a session
 * (sessions, notes, episodes and consents with their forms, the alert
 * history, the links sent, sharing).  The record's tables and forms are
 * pages_record.c's, the links, sharing and the PDF report pages_links.c's;
 * the history and narrative sections are their own files too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/expected.h"
#include "app/record.h"
#include "core/plane.h"
#include "core/text.h"
#include "render/charts.h"
#include "web/pages_record.h"
#include "web/web_int.h"

/* Points of a measure shown on the client page. */
#define SERIES_POINTS	128

/*
 * One instrument's administrations of a client, for the story page; its
 * points one row per score of the instrument (a few, not the most an
 * instrument may have: the page is made for every view).
 */
struct series {
	const struct reg_entry	*re;
	struct score_plan	*plan;
	struct chart_point	(*pts)[SERIES_POINTS];
	char			 dates[SERIES_POINTS][24];
	size_t			 n;
	double			 last[INSTR_MAX_SCORES];
	bool			 lastok[INSTR_MAX_SCORES];
	/* The latest answers left the first score unscored (a risk item
	 * skipped): the answered items' sum, shown beside "not scored". */
	bool			 lastpart;
	struct score_partial	 part;
	char			 partdate[24];
};

struct story {
	const struct registry	*reg;
	struct series		*s;		/* ns of cap */
	size_t			 ns, cap;
	struct html_frag	*items;		/* item-level answers */
	char			 newest[24];	/* the latest answer's date */
	char			 first[24];	/* the earliest's */
	struct chart_event	*ev;		/* life events, for the charts */
	size_t			 nev;
};

static struct series *
series_of(struct story *st, const struct reg_entry *re)
{
	struct series	*grown, *se;
	size_t		 i, cap;

	for (i = 0; i < st->ns; i++)
		if (st->s[i].re == re)
			return &st->s[i];
	if (st->ns == st->cap) {
		cap = st->cap ? st->cap * 2 : 8;
		if (cap > REGISTRY_MAX || (grown = realloc(st->s, cap *
		    sizeof(*grown))) == NULL)
			return NULL;
		st->s = grown;
		st->cap = cap;
	}
	se = &st->s[st->ns];
	memset(se, 0, sizeof(*se));
	if ((se->pts = calloc(re->in->nscores, sizeof(*se->pts))) == NULL)
		return NULL;
	if (score_plan_new(re->in, 0, 0, &se->plan) != SB_OK) {
		free(se->pts);
		return NULL;
	}
	se->re = re;
	st->ns++;
	return se;
}

static void
story_free(struct story *st)
{
	size_t	 i;

	for (i = 0; i < st->ns; i++) {
		score_plan_free(st->s[i].plan);
		free(st->s[i].pts);
	}
	free(st->s);
	free(st->ev);
	st->ev = NULL;
}

static SB_MUST enum sb_err
story_row(void *arg, const struct store_administration_row *a)
{
	struct story		*st = arg;
	const struct reg_entry	*re = registry_find(st->reg, a->instrument);
	const struct instrument	*in;
	struct series		*se;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i;

	if (re == NULL || (se = series_of(st, re)) == NULL)
		return SB_OK;
	in = re->in;
	if (answers_decode(se->plan, a->answers, ans) != SB_OK)
		return SB_OK;	/* older definition: shown in the record */
	score_row(se->plan, ans, v, ok);
	if (se->n < SERIES_POINTS) {
		snprintf(se->dates[se->n], sizeof(se->dates[0]), "%.10s",
		    a->completed ? a->completed : "");
		for (i = 0; i < in->nscores; i++) {
			se->pts[i][se->n].date = se->dates[se->n];
			se->pts[i][se->n].value = ok[i] ? v[i] : NAN;
		}
		se->n++;
	}
	if (a->completed != NULL && strcmp(a->completed, st->newest) > 0)
		snprintf(st->newest, sizeof(st->newest), "%.10s", a->completed);
	if (a->completed != NULL && (st->first[0] == '\0' ||
	    strncmp(a->completed, st->first, 10) < 0))
		snprintf(st->first, sizeof(st->first), "%.10s", a->completed);
	memcpy(se->last, v, sizeof(v[0]) * in->nscores);
	memcpy(se->lastok, ok, sizeof(ok[0]) * in->nscores);
	se->lastpart = !ok[0] && score_partial(se->plan, ans, 0, &se->part);
	if (se->lastpart)
		snprintf(se->partdate, sizeof(se->partdate), "%.10s",
		    a->completed ? a->completed : "");
	/* Item level, on demand. */
	HTML_LIT(&st->items->b, "<details><summary>");
	html_when(&st->items->b, se->dates[se->n - 1]);
	HTML_LIT(&st->items->b, ": ");
	html_text(&st->items->b, in->name);
	HTML_LIT(&st->items->b, "</summary><table><tr><th>Item</th><th>Answer"
	    "</th></tr>");
	for (i = 0; i < in->nitems; i++) {
		const struct instr_optset *os = &in->optsets[in->items[i].optset];
		size_t k, t = in->items[i].target;

		/* About several figures (the ECR-RS): each one's items under
		 * its name. */
		if (t != INSTR_NONE && (i == 0 || in->items[i - 1].target !=
		    t)) {
			HTML_LIT(&st->items->b, "<tr><th colspan=\"2\">");
			html_text(&st->items->b, in->targets[t].label);
			HTML_LIT(&st->items->b, "</th></tr>");
		}
		HTML_LIT(&st->items->b, "<tr><td>");
		html_text(&st->items->b, in->items[i].text);
		HTML_LIT(&st->items->b, "</td><td>");
		for (k = 0; k < os->nopts; k++)
			if (ans[i] != SCORE_MISSING &&
			    os->opts[k].value == ans[i])
				html_text(&st->items->b, os->opts[k].label);
		if (ans[i] == SCORE_MISSING)
			HTML_LIT(&st->items->b, "(skipped)");
		HTML_LIT(&st->items->b, "</td></tr>");
	}
	HTML_LIT(&st->items->b, "</table></details>");
	return SB_OK;
}

/* Only the points where the score exists. */
static size_t
valid_points(const struct chart_point *in, size_t n, struct chart_point *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(in[i].value))
			out[k++] = in[i];
	return k;
}

/* The timeline counted for the not-on-track checklist. */
struct tl_count {
	char		 since[11];	/* the episode's first score's day */
	char		 recent[11];	/* eight weeks ago */
	size_t		 sessions, events;
};

static SB_MUST enum sb_err
tl_count_row(void *arg, const struct store_timeline_row *t)
{
	struct tl_count	*c = arg;

	if (t->kind == STORE_TL_SESSION && strcmp(t->what, "attended") == 0 &&
	    strcmp(t->date, c->since) >= 0)
		c->sessions++;
	else if (t->kind == STORE_TL_EVENT && strcmp(t->date, c->recent) >= 0)
		c->events++;
	return SB_OK;
}

/* The latest total of an instrument on the page, and the one before. */
static const struct series *
series_find(const struct story *st, const char *id)
{
	size_t	 i;

	for (i = 0; i < st->ns; i++)
		if (strcmp(st->s[i].re->in->id, id) == 0 && st->s[i].n > 0)
			return &st->s[i];
	return NULL;
}

/*
 * When the latest score is not on track: what securebase already
 * measures, to look at with the client.  Prompts, not causes: nothing
 * here says why a score moved.
 */
static void
off_track_checklist(struct req *r, int64_t client, const struct story *st,
    int64_t intake_t)
{
	static const char *const attach[] = { "ecr-rs", "ecr-r", "ecr",
	    "ecr-s" };
	struct tl_count		 c;
	const struct series	*w, *a = NULL;
	time_t			 t = (time_t)intake_t;
	struct tm		 tm;
	size_t			 i, ia, iv;
	char			 n[256];

	memset(&c, 0, sizeof(c));
	gmtime_r(&t, &tm);
	strftime(c.since, sizeof(c.since), "%Y-%m-%d", &tm);
	t = (time_t)(http_now() - 56 * 86400);
	gmtime_r(&t, &tm);
	strftime(c.recent, sizeof(c.recent), "%Y-%m-%d", &tm);
	HTML_LIT(&r->out, "<div class=\"banner\"><p><strong>Not on track"
	    "</strong>: the latest two scores are beyond the expected band. What "
	    "securebase already has, to look at together:</p><ul><li>"
	    "Alliance: ");
	if ((w = series_find(st, "wai-sr")) != NULL && w->lastok[0]) {
		snprintf(n, sizeof(n), "WAI-SR %.1f", w->last[0]);
		html_text(&r->out, n);
		if (w->n > 1 && w->pts[0][w->n - 2].value == w->pts[0][w->n -
		    2].value) {
			snprintf(n, sizeof(n), " (%.1f the time before)",
			    w->pts[0][w->n - 2].value);
			html_text(&r->out, n);
		}
	} else
		HTML_LIT(&r->out, "no WAI-SR answered");
	HTML_LIT(&r->out, "</li><li>Attachment: ");
	for (i = 0; a == NULL && i < 4; i++)
		a = series_find(st, attach[i]);
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
		html_text(&r->out, n);
	} else
		HTML_LIT(&r->out, "no attachment measure answered");
	HTML_LIT(&r->out, "</li>");
	if (store_timeline_each(r->s, client, tl_count_row, &c) == SB_OK) {
		HTML_LIT(&r->out,
		    "<li>Life events dated in the last 8 weeks: ");
		html_int(&r->out, (int64_t)c.events);
		HTML_LIT(&r->out, " (see the timeline)</li><li>Sessions "
		    "attended since the episode's first score: ");
		html_int(&r->out, (int64_t)c.sessions);
		HTML_LIT(&r->out, "</li>");
	}
	HTML_LIT(&r->out, "</ul><p class=\"muted\">These are places to "
	    "look, not causes: securebase does not know why a score moved."
	    "</p></div>");
}

/*
 * The expected band at each point, what shaped the latest one (shaped,
 * size 240), and whether the latest reading completes the alert rule.
 */
static void
expected_for(struct req *r, int64_t client, struct series *se,
    const struct chart_point *p, size_t n, struct chart_band *band,
    bool *drawn, char *shaped, int64_t *intake_t, bool *off)
{
	struct expected_view	 ev;
	struct expected_band	 b, last;
	int64_t			 t;
	size_t			 i;

	*drawn = *off = false;
	shaped[0] = '\0';
	memset(band, 0, n * sizeof(*band));
	if (expected_load(r->s, se->plan, client, &ev) == SB_OK) {
		*intake_t = ev.intake_t;
		for (i = 0; i < n; i++) {
			if (!text_iso_seconds(p[i].date, &t))
				continue;
			/* The chart's points are dated by day: the intake's
			 * day is the intake. */
			if (t < ev.intake_t && t > ev.intake_t - 86400)
				t = ev.intake_t;
			if (expected_at(&ev, t, &b)) {
				band[i].ok = *drawn = true;
				band[i].lo = b.lo;
				band[i].mid = b.mid;
				band[i].hi = b.hi;
				last = b;
			}
		}
		if (*drawn)
			expected_shaped(&ev, &last, shaped, 240);
		else if (!ev.intake_known)
			snprintf(shaped, 240, "it starts at a first score "
			    "within an open episode of care");
		else
			snprintf(shaped, 240, "this measure has no published "
			    "course, and fewer than %d of the practice's "
			    "completed episodes started within %.1f points of "
			    "the client's first score (%zu completed episodes "
			    "in all)", EXPECTED_OWN_ONLY, ev.reach,
			    ev.episodes);
		*off = expected_alarm_now(&ev, &b);
	}
	expected_view_free(&ev);
}

static void
measure_section(struct req *r, int64_t client, const struct story *st,
    struct series *se)
{
	struct chart_band		 eb[SERIES_POINTS];
	int64_t				 intake_t = 0;
	bool				 drawn = false, off = false;
	char				 msg[400], shaped[240] = "";
	const struct instrument		*in = se->re->in;
	const struct instr_score	*sc = &in->scores[0];
	struct chart_point		 p[SERIES_POINTS];
	struct change_result		 cr;
	const char			*band;
	size_t				 n, i;

	n = valid_points(se->pts[0], se->n, p);
	HTML_LIT(&r->out, "<h3>");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, " ");
	html_text(&r->out, sc->label);
	HTML_LIT(&r->out, "</h3>");
	if (n == 0) {
		HTML_LIT(&r->out, "<p>No complete administration yet.</p>");
		return;
	}
	HTML_LIT(&r->out, "<p>Latest: <strong>");
	html_num(&r->out, p[n - 1].value, 2);
	HTML_LIT(&r->out, "</strong>");
	if ((band = instr_band_label(sc, p[n - 1].value)) != NULL) {
		HTML_LIT(&r->out, " (");
		html_text(&r->out, band);
		HTML_LIT(&r->out, ")");
	}
	if (n > 1 && change_classify_as(sc, p[0].value, p[n - 1].value,
	    req_convention(r), &cr) == SB_OK) {
		char	 lab[96];

		change_label(&cr, lab, sizeof(lab));
		HTML_LIT(&r->out, "; since the first: ");
		html_text(&r->out, cr.convention == CONVENTION_TT && cr.cls ==
		    CHANGE_RECOVERED ? "reliable recovery" :
		    change_class_name(cr.cls));
		HTML_LIT(&r->out, " (");
		if (cr.convention == CONVENTION_JT) {
			HTML_LIT(&r->out, "RC ");
			html_num(&r->out, cr.rc, 2);
			HTML_LIT(&r->out, ", ");
		}
		html_text(&r->out, lab);
		HTML_LIT(&r->out, ")");
	}
	HTML_LIT(&r->out, ".</p>");
	if (expected_measure(in->id))
		expected_for(r, client, se, p, n, eb, &drawn, shaped,
		    &intake_t, &off);
	chart_measure(&r->out, in, sc, p, n, drawn ? eb : NULL, shaped,
	    st->ev, st->nev);
	/* Said under the chart whichever way: never a curve made up. */
	if (!expected_measure(in->id))
		snprintf(msg, sizeof(msg), "No expected path: securebase has "
		    "none for this measure.");
	else if (drawn)
		snprintf(msg, sizeof(msg), "Shaded green: the expected path "
		    "and the band 8 in 10 comparable clients stay in; %s. "
		    "\"Not on track\" needs %s.", shaped,
		    expected_rule_name(EXPECTED_RULE));
	else
		snprintf(msg, sizeof(msg), "No expected path yet: %s.", shaped);
	HTML_LIT(&r->out, "<p class=\"muted\">");
	html_text(&r->out, msg);
	HTML_LIT(&r->out, "</p>");
	if (off)
		off_track_checklist(r, client, st, intake_t);
	HTML_LIT(&r->out, "<details><summary>The numbers</summary><table>"
	    "<tr><th>Date</th><th>Score</th><th>Band</th></tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_when(&r->out, p[i].date);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, p[i].value, 2);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, instr_band_label(sc, p[i].value));
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></details>");
}

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

/* One attachment plane: the scores ia and iv of the series, under the
 * heading "instrument: who"; nothing when never both answered. */
/* A plane's numbers on demand: who's (NULL: the client's), by date. */
static void
plane_numbers(struct req *r, const char *who, const struct chart_point *a,
    const struct chart_point *v, size_t n)
{
	size_t	 i;

	HTML_LIT(&r->out, "<details><summary>");
	if (who != NULL) {
		html_text(&r->out, who);
		HTML_LIT(&r->out, ": the numbers");
	} else
		HTML_LIT(&r->out, "The numbers");
	HTML_LIT(&r->out, "</summary><table><tr><th>Date</th><th "
	    "class=\"num\">Anxiety</th><th class=\"num\">Avoidance</th>"
	    "</tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_when(&r->out, a[i].date);
		HTML_LIT(&r->out, "</td><td class=\"num\">");
		html_num(&r->out, a[i].value, 2);
		HTML_LIT(&r->out, "</td><td class=\"num\">");
		html_num(&r->out, v[i].value, 2);
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></details>");
}

static void
plane_one(struct req *r, struct series *se, size_t ia, size_t iv,
    const char *who)
{
	const struct instrument	*in = se->re->in;
	struct chart_point	 a[SERIES_POINTS], v[SERIES_POINTS];
	const struct instr_optset *os = &in->optsets[0];
	struct plane_pos	 pos;
	size_t			 i, n = 0;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[ia][i].value) &&
		    !isnan(se->pts[iv][i].value)) {
			a[n] = se->pts[ia][i];
			v[n++] = se->pts[iv][i];
		}
	if (n == 0)
		return;
	HTML_LIT(&r->out, "<div class=\"plane\"><h3>");
	html_text(&r->out, in->name);
	if (who != NULL) {
		HTML_LIT(&r->out, ": ");
		html_text(&r->out, who);
	}
	HTML_LIT(&r->out, "</h3>");
	chart_plane(&r->out, a, v, n, os->min, os->max, true);
	plane_locate(a[n - 1].value, v[n - 1].value, os->min, os->max, &pos);
	HTML_LIT(&r->out, "<p>Latest: anxiety ");
	html_num(&r->out, pos.anxiety, 2);
	HTML_LIT(&r->out, ", avoidance ");
	html_num(&r->out, pos.avoidance, 2);
	HTML_LIT(&r->out, " (");
	html_text(&r->out, plane_region_name(pos.region));
	HTML_LIT(&r->out, ").</p>");
	plane_numbers(r, NULL, a, v, n);
	HTML_LIT(&r->out, "</div>");
}

/* An attachment measure's planes: one, or one per figure it asks about
 * (each named) and the global one. */
static void
plane_section(struct req *r, struct series *se)
{
	const struct instrument	*in = se->re->in;
	char			 a[80], v[80];
	size_t			 t;

	HTML_LIT(&r->out, "<div class=\"planes\">");
	if (in->ntargets == 0) {
		plane_one(r, se, instr_score_find(in, "anxiety"),
		    instr_score_find(in, "avoidance"), NULL);
		HTML_LIT(&r->out, "</div>");
		return;
	}
	for (t = 0; t < in->ntargets; t++) {
		snprintf(a, sizeof(a), "%s.anxiety", in->targets[t].id);
		snprintf(v, sizeof(v), "%s.avoidance", in->targets[t].id);
		if (instr_score_find(in, a) != INSTR_NONE &&
		    instr_score_find(in, v) != INSTR_NONE)
			plane_one(r, se, instr_score_find(in, a),
			    instr_score_find(in, v), in->targets[t].label);
	}
	plane_one(r, se, instr_score_find(in, "global.anxiety"),
	    instr_score_find(in, "global.avoidance"), "all figures together "
	    "(global)");
	HTML_LIT(&r->out, "</div>");
}

/* ---- the record's tables: sessions, notes, episodes, consents ---- */

/* The time line's marks and its rows, gathered from the store. */
struct timeline {
	struct chart_mark	*m;
	struct html_rows		 rows;	/* the table's, one per mark */
	size_t			 n, cap;
	struct buf		 row;
};

static SB_MUST enum sb_err
timeline_row(void *arg, const struct store_timeline_row *row)
{
	static const char *const kinds[] = { "Session", "Measure",
	    "Life event" };
	struct timeline		*tl = arg;
	struct chart_mark	*m;
	size_t			 cap;

	if ((unsigned)row->kind > STORE_TL_EVENT)
		return SB_OK;
	if (tl->n == tl->cap) {
		cap = tl->cap ? tl->cap * 2 : 64;
		if (cap > 100000 || (m = realloc(tl->m, cap * sizeof(*m))) ==
		    NULL)
			return SB_ENOMEM;
		tl->m = m;
		tl->cap = cap;
	}
	m = &tl->m[tl->n++];
	snprintf(m->date, sizeof(m->date), "%s", row->date);
	m->lane = row->kind == STORE_TL_SESSION ? CHART_SESSION :
	    row->kind == STORE_TL_MEASURE ? CHART_MEASURE : CHART_EVENT;
	HTML_LIT(&tl->row, "<tr><td>");
	html_when(&tl->row, row->date);
	HTML_LIT(&tl->row, "</td><td>");
	html_text(&tl->row, kinds[row->kind]);
	HTML_LIT(&tl->row, "</td><td>");
	html_text(&tl->row, row->what);
	if (row->kind == STORE_TL_EVENT) {
		HTML_LIT(&tl->row, " (");
		if (row->valence > 0)
			HTML_LIT(&tl->row, "+");
		html_int(&tl->row, row->valence);
		HTML_LIT(&tl->row, ")");
	}
	HTML_LIT(&tl->row, "</td></tr>");
	return html_rows_keep(&tl->rows, &tl->row);
}

/*
 * The client's time line, chart and table: the therapy period (from the
 * first session or measure) unless the whole life is asked for
 * (?timeline=life), so that months of therapy are not a dot at the end
 * of decades.  False when it could not be read (an error page).
 */
static bool
timeline_section(struct req *r, int64_t id)
{
	const char	*v = http_query(r, "timeline");
	bool		 life = v != NULL && strcmp(v, "life") == 0;
	struct timeline	 tl;
	char		 from[11] = "", href[64];
	size_t		 i, first = 0, before = 0;
	bool		 ok = true;

	memset(&tl, 0, sizeof(tl));
	buf_init(&tl.row, 1 << 20);
	if (store_timeline_each(r->s, id, timeline_row, &tl) != SB_OK) {
		read_failed(r);
		ok = false;
		goto out;
	}
	/* Marks come oldest first: the therapy starts at the first
	 * session or measure. */
	for (i = 0; i < tl.n && from[0] == '\0'; i++)
		if (tl.m[i].lane != CHART_EVENT)
			snprintf(from, sizeof(from), "%s", tl.m[i].date);
	if (!life && from[0] != '\0')
		for (first = 0; first < tl.n && strcmp(tl.m[first].date, from) <
		    0; first++)
			before++;
	if (tl.n == 0) {
		HTML_LIT(&r->out, "<p class=\"empty\">Nothing dated yet: "
		    "sessions, measures and life events appear here.</p>");
		goto out;
	}
	snprintf(href, sizeof(href), "/clients/%lld", (long long)id);
	HTML_LIT(&r->out, "<p>");
	if (life || from[0] == '\0')
		HTML_LIT(&r->out, "The whole life.");
	else {
		HTML_LIT(&r->out, "The therapy, from ");
		html_when(&r->out, from);
		HTML_LIT(&r->out, ".");
	}
	if (life && from[0] != '\0') {
		HTML_LIT(&r->out, " <a");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Show the therapy only</a>");
	} else if (before > 0) {
		HTML_LIT(&r->out, " <a");
		/* not HTML: an address, escaped by html_attr */
		buf_printf(&tl.row, "%s?timeline=life#timeline", href);
		html_attr(&r->out, "href", tl.row.data);
		buf_reset(&tl.row);
		HTML_LIT(&r->out, ">Show the whole life (");
		html_int(&r->out, (int64_t)before);
		HTML_PICK(&r->out, before == 1, " earlier life event)",
		    " earlier life events)");
		HTML_LIT(&r->out, "</a>");
	}
	HTML_LIT(&r->out, "</p>");
	chart_timeline(&r->out, tl.m + first, tl.n - first);
	HTML_LIT(&r->out, "<details><summary>Every date</summary><div "
	    "class=\"wide\" tabindex=\"0\"><table><tr><th>Date</th><th>What</th>"
	    "<th>Detail"
	    "</th></tr>");
	html_rows_put(&r->out, &tl.rows, 0, tl.n - first, true);
	HTML_LIT(&r->out, "</table></div></details>");
out:
	free(tl.m);
	html_rows_free(&tl.rows);
	buf_wipe(&tl.row);
	return ok;
}

/* ---- the summary at the top ---- */

/* One tile: a measure's latest score, its band and its change. */
static void
tile(struct req *r, const struct instrument *in, size_t k,
    const struct chart_point *p, size_t n)
{
	const struct instr_score	*sc = &in->scores[k];
	const char			*band, *tone;
	struct change_result		 cr;

	tone = score_tone(sc, p[n - 1].value);
	HTML_LIT(&r->out, "<li");
	if (tone != NULL) {
		HTML_LIT(&r->out, " class=\"t-");
		html_text(&r->out, tone);
		HTML_LIT(&r->out, "\"");
	}
	HTML_LIT(&r->out, "><span class=\"name\">");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, " ");
	html_text(&r->out, sc->label);
	HTML_LIT(&r->out, "</span><span class=\"score\">");
	html_num(&r->out, p[n - 1].value, 1);
	HTML_LIT(&r->out, "</span> ");
	if ((band = instr_band_label(sc, p[n - 1].value)) != NULL) {
		HTML_LIT(&r->out, "<span class=\"badge ");
		html_text(&r->out, tone ? tone : "same");
		HTML_LIT(&r->out, "\">");
		html_text(&r->out, band);
		HTML_LIT(&r->out, "</span> ");
	}
	if (n > 1 && change_classify_as(sc, p[0].value, p[n - 1].value,
	    req_convention(r), &cr) == SB_OK) {
		HTML_LIT(&r->out, "<span class=\"badge ");
		if (cr.cls == CHANGE_RECOVERED || cr.cls == CHANGE_IMPROVED)
			HTML_LIT(&r->out, "better");
		else
			HTML_PICK(&r->out, cr.cls == CHANGE_DETERIORATED,
			    "worse", "same");
		HTML_LIT(&r->out, "\">");
		html_text(&r->out, change_class_name(cr.cls));
		HTML_LIT(&r->out, "</span>");
	} else if (n > 1)
		move_words(r, sc, p[n - 2].value, p[n - 1].value);
	HTML_LIT(&r->out, "<br><span class=\"muted\">");
	html_when(&r->out, p[n - 1].date);
	HTML_LIT(&r->out, "</span></li>");
}

/* The latest of each measure: the first score, or for an attachment
 * measure its two dimensions (the global ones where it asks about
 * several figures). */
static void
summary_tiles(struct req *r, struct story *st, const char *newest)
{
	static const char *const dims[] = { "anxiety", "avoidance",
	    "global.anxiety", "global.avoidance" };
	struct chart_point	 p[SERIES_POINTS];
	const struct instrument	*in;
	size_t			 i, k, d, n, shown = 0;
	int64_t			 at;

	HTML_LIT(&r->out, "<ul class=\"tiles\" aria-label=\"Latest scores\">");
	for (i = 0; i < st->ns; i++) {
		in = st->s[i].re->in;
		for (d = 0, k = INSTR_NONE; d < 4; d++)
			if ((k = instr_score_find(in, dims[d])) != INSTR_NONE)
				break;
		if (k == INSTR_NONE && st->s[i].lastpart) {
			/* The latest is not scored: said, with what the
			 * answered items add up to, not an older score. */
			HTML_LIT(&r->out, "<li><span class=\"name\">");
			html_text(&r->out, in->name);
			HTML_LIT(&r->out, " ");
			html_text(&r->out, in->scores[0].label);
			HTML_LIT(&r->out, "</span><span class=\"score\">not "
			    "scored</span> ");
			partial_words(r, &st->s[i].part);
			HTML_LIT(&r->out, "<br><span class=\"muted\">");
			html_when(&r->out, st->s[i].partdate);
			HTML_LIT(&r->out, "</span></li>");
			shown++;
			continue;
		}
		if (k == INSTR_NONE) {
			if ((n = valid_points(st->s[i].pts[0], st->s[i].n, p)) >
			    0) {
				tile(r, in, 0, p, n);
				shown++;
			}
			continue;
		}
		for (d = d < 2 ? 0 : 2; d < 4; d++) {
			if ((k = instr_score_find(in, dims[d])) == INSTR_NONE)
				continue;
			if ((n = valid_points(st->s[i].pts[k], st->s[i].n, p)) >
			    0) {
				tile(r, in, k, p, n);
				shown++;
			}
			if (d == 1)
				break;
		}
	}
	HTML_LIT(&r->out, "</ul>");
	if (shown == 0)
		HTML_LIT(&r->out, "<p class=\"empty\">No questionnaire answered "
		    "yet.</p>");
	/* The next measure due, by the caseload's rule (a questionnaire
	 * every 4 weeks); plans per client come with measurement-based
	 * care. */
	HTML_LIT(&r->out, "<p>Next measure due: <strong>");
	if (newest == NULL || !text_iso_seconds(newest, &at))
		HTML_LIT(&r->out, "now (none answered yet)");
	else if (at + (int64_t)DUE_DAYS * 86400 <= http_now())
		HTML_LIT(&r->out, "now (none in the last 4 weeks)");
	else
		html_when_t(&r->out, at + (int64_t)DUE_DAYS * 86400);
	HTML_LIT(&r->out, "</strong></p>");
}

/* The actions at the top: send a measure (PHQ-9 first), start it now,
 * add a session or note, the two reports. */
static void
actions(struct req *r, int64_t id)
{
	char	 href[64];

	HTML_LIT(&r->out, "<div class=\"actions\">");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		HTML_LIT(&r->out, "<form method=\"post\"");
		snprintf(href, sizeof(href), "/clients/%lld/links",
		    (long long)id);
		html_attr(&r->out, "action", href);
		HTML_LIT(&r->out, "><div><label for=\"i\">Send a measure"
		    "</label><select id=\"i\" name=\"instrument\">");
		instrument_options(r, r->srv->cfg->reg, true);
		HTML_LIT(&r->out, "</select></div>");
		csrf_field(r, r->csrf);
		/* One click sends it to the address or phone on file; the
		 * link and QR code stay for the room. */
		HTML_LIT(&r->out, "<button type=\"submit\" name=\"send\" "
		    "value=\"mail\">Send by mail</button><button type=\""
		    "submit\" name=\"send\" value=\"sms\">Send by SMS</button>"
		    "<button type=\"submit\" class=\"secondary\">Copy link / "
		    "QR</button><button type=\"submit\" name=\"now\" value=\"1\""
		    " class=\"secondary\">Start now on this device</button>"
		    "</form>");
		snprintf(href, sizeof(href), "/clients/%lld?add=session"
		    "#add-session", (long long)id);
		HTML_LIT(&r->out, "<a class=\"button\"");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Add session</a>");
		snprintf(href, sizeof(href), "/clients/%lld?add=note#add-note",
		    (long long)id);
		HTML_LIT(&r->out, "<a class=\"button\"");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">Add note</a>");
	}
	snprintf(href, sizeof(href), "/clients/%lld/report", (long long)id);
	HTML_LIT(&r->out, "<a class=\"button\"");
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">Report (PDF)</a>");
	snprintf(href, sizeof(href), "/clients/%lld/report?for=client",
	    (long long)id);
	HTML_LIT(&r->out, "<a class=\"button\"");
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">Report for the client (PDF)</a></div>");
}

/* A card's opening, with its heading. */
static void
card(struct req *r, const char *id, const char *title)
{
	HTML_LIT(&r->out, "<section class=\"card\"");
	html_attr(&r->out, "aria-labelledby", id);
	HTML_LIT(&r->out, "><h2");
	html_attr(&r->out, "id", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, title);
	HTML_LIT(&r->out, "</h2>");
}

/* The main column: measures, attachment, time line, history,
 * narratives, answers; false when a read failed (an error page). */
/* The points of an ECR-RS series about the partner: anxiety, avoidance. */
static size_t
partner_points(const struct series *se, struct chart_point *a,
    struct chart_point *v)
{
	const struct instrument	*in;
	size_t			 ia, iv, i, n = 0;

	if (se == NULL)
		return 0;
	in = se->re->in;
	ia = instr_score_find(in, "partner.anxiety");
	iv = instr_score_find(in, "partner.avoidance");
	if (ia == INSTR_NONE || iv == INSTR_NONE)
		return 0;
	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[ia][i].value) && !isnan(se->pts[iv][i].value)) {
			a[n] = se->pts[ia][i];
			v[n++] = se->pts[iv][i];
		}
	return n;
}

struct couple {
	struct req		*r;
	const struct story	*st;
	const char		*name;	/* this client's */
	size_t			 n;
};

/*
 * A partner seen with the client: both partners' ECR-RS about each
 * other (the "partner" figure) on one plane.  Only the therapist sees
 * this: each partner's own link shows them nothing of the other.
 */
static SB_MUST enum sb_err
couple_one(void *arg, int64_t other, const char *name, const char *kind)
{
	struct couple		*c = arg;
	struct req		*r = c->r;
	struct story		 o;
	struct html_frag	 items;
	struct chart_point	 a1[SERIES_POINTS], v1[SERIES_POINTS],
				 a2[SERIES_POINTS], v2[SERIES_POINTS];
	struct chart_path	 p[2];
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    "ecr-rs");
	size_t			 n1, n2, np = 0;
	enum sb_err		 e;

	buf_init(&items.b, 1 << 24);
	memset(&o, 0, sizeof(o));
	o.reg = r->srv->cfg->reg;
	o.items = &items;
	if ((e = store_administration_each(r->s, "ecr-rs", other, story_row,
	    &o)) != SB_OK)
		goto out;
	c->n++;
	HTML_LIT(&r->out, "<div class=\"plane\"><h3>Seen as ");
	HTML_PICK(&r->out, strcmp(kind, "couple") == 0, "a couple",
	    "a family");
	HTML_LIT(&r->out, " with ");
	html_text(&r->out, name);
	HTML_LIT(&r->out, "</h3>");
	n1 = partner_points(series_find(c->st, "ecr-rs"), a1, v1);
	n2 = partner_points(series_find(&o, "ecr-rs"), a2, v2);
	if (n1 > 0)
		p[np++] = (struct chart_path){ a1, v1, n1, c->name };
	if (n2 > 0)
		p[np++] = (struct chart_path){ a2, v2, n2, name };
	if (np == 0 || re == NULL) {
		HTML_LIT(&r->out, "<p class=\"empty\">Neither has answered the "
		    "ECR-RS about a partner yet.</p></div>");
		goto out;
	}
	HTML_LIT(&r->out, "<p>Each one's ECR-RS about their partner, on one "
	    "plane.</p>");
	chart_plane_paths(&r->out, p, np, re->in->optsets[0].min,
	    re->in->optsets[0].max, true);
	if (n1 > 0)
		plane_numbers(r, c->name, a1, v1, n1);
	if (n2 > 0)
		plane_numbers(r, name, a2, v2, n2);
	HTML_LIT(&r->out, "<p class=\"muted\">Only you see both here: each "
	    "partner's own links show nothing of the other's answers.</p>"
	    "</div>");
out:
	story_free(&o);
	buf_wipe(&items.b);
	return e;
}

/* The client's dated life events, for the measure charts. */
static SB_MUST enum sb_err
event_seen(void *arg, const struct store_timeline_row *t)
{
	struct story		*st = arg;
	struct chart_event	*e;

	if (t->kind != STORE_TL_EVENT || st->nev >= 512)
		return SB_OK;
	if ((e = realloc(st->ev, (st->nev + 1) * sizeof(*e))) == NULL)
		return SB_ENOMEM;
	st->ev = e;
	e = &st->ev[st->nev++];
	snprintf(e->date, sizeof(e->date), "%s", t->date);
	snprintf(e->label, sizeof(e->label), "%s", t->what);
	return SB_OK;
}

static bool
main_column(struct req *r, int64_t id, struct story *st, const char *name)
{
	size_t	 i, k;
	bool	 any = false;

	/* Without them the charts are still true: drawn unmarked. */
	if (store_timeline_each(r->s, id, event_seen, st) != SB_OK)
		st->nev = 0;
	card(r, "measures", "Measures");
	/* Said only when one falls among the answers. */
	for (i = 0, k = 0; i < st->nev && k == 0; i++)
		k = strncmp(st->ev[i].date, st->first, 10) >= 0 &&
		    strncmp(st->ev[i].date, st->newest, 10) <= 0;
	if (k)
		HTML_LIT(&r->out, "<p class=\"muted\">Dotted brown lines on "
		    "the charts: life events from the lifeline, each where its "
		    "date falls between two answers (its name on hover).</p>");
	for (i = 0; i < st->ns; i++) {
		if (is_attachment(st->s[i].re->in))
			continue;
		measure_section(r, id, st, &st->s[i]);
		any = true;
	}
	if (!any)
		HTML_LIT(&r->out, "<p class=\"empty\">No measures yet.</p>");
	for (i = 0; i < st->ns; i++) {
		const struct instrument *in = st->s[i].re->in;

		if (strcmp(in->id, "wai-sr") != 0 || st->s[i].n == 0)
			continue;
		HTML_LIT(&r->out, "<h3>Latest alliance (WAI-SR)</h3><p>");
		for (k = 0; k < in->nscores; k++) {
			html_text(&r->out, in->scores[k].label);
			HTML_LIT(&r->out, ": ");
			if (st->s[i].lastok[k])
				html_num(&r->out, st->s[i].last[k], 1);
			else
				HTML_LIT(&r->out, "not scored");
			HTML_PICK(&r->out, k + 1 < in->nscores, "; ", ".");
		}
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "</section>");
	card(r, "attachment", "Attachment");
	any = false;
	for (i = 0; i < st->ns; i++)
		if (is_attachment(st->s[i].re->in)) {
			plane_section(r, &st->s[i]);
			any = true;
		}
	{
		struct couple	 c = { r, st, name, 0 };

		if (store_case_others_each(r->s, id, couple_one, &c) != SB_OK)
			HTML_LIT(&r->out, "<p class=\"high\">Who the client "
			    "is seen with could not be read.</p>");
		any = any || c.n > 0;
	}
	if (!any)
		HTML_LIT(&r->out, "<p class=\"empty\">No attachment measure "
		    "yet.</p>");
	else {
		HTML_LIT(&r->out, "<p class=\"muted\">");
		html_text(&r->out, PLANE_METHOD);
		HTML_LIT(&r->out, " ");
		html_text(&r->out, PLANE_CAVEAT);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "</section>");
	card(r, "timeline", "Timeline");
	if (!timeline_section(r, id))
		return false;
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	history_section(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	narrative_section(r, id);
	HTML_LIT(&r->out, "</section>");
	card(r, "answers", "Answers, item by item");
	if (st->items->b.len > 0)
		html_frag_put(&r->out, st->items);
	else
		HTML_LIT(&r->out, "<p class=\"empty\">No answers yet.</p>");
	HTML_LIT(&r->out, "</section>");
	return true;
}

/* The side column: what is done in and after a session. */
static void
side_column(struct req *r, int64_t id, struct record_view *rv,
    const struct refused *rf)
{
	bool	 therapist = store_actor(r->s)->role == ROLE_THERAPIST;

	card(r, "sessions", "Sessions");
	if (therapist)
		session_form(r, id, rf);
	rows_table(r, &rv->sessions, SIDE_SESSIONS, "No sessions recorded "
	    "yet.");
	HTML_LIT(&r->out, "</section>");
	card(r, "notes", "Notes");
	if (therapist)
		note_form(r, id, rf);
	rows_table(r, &rv->notes, SIDE_NOTES, "No notes yet.");
	HTML_LIT(&r->out, "</section>");
	card(r, "alerts-h", "Alerts");
	alert_history(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	plans_section(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	progress_section(r, id);
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	links_section(r, id);
	HTML_LIT(&r->out, "</section>");
	card(r, "record", "Record");
	HTML_LIT(&r->out, "<h3>Episodes of care</h3>");
	rows_table(r, &rv->episodes, SIDE_EPISODES, "No episode recorded.");
	if (therapist)
		episode_form(r, id, rv, rf);
	HTML_LIT(&r->out, "<h3>Consents</h3>");
	rows_table(r, &rv->consents, SIDE_CONSENTS, "No consent recorded.");
	if (therapist)
		consent_forms(r, id, rv, rf);
	if (rv->cases.n > 0) {
		HTML_LIT(&r->out, "<h3>Seen with others</h3>");
		rows_table(r, &rv->cases, SIDE_CASES, "");
	}
	HTML_LIT(&r->out, "</section>");
	if (therapist) {
		HTML_LIT(&r->out, "<section class=\"card\">");
		sharing_forms(r, id);
		HTML_LIT(&r->out, "</section>");
	}
}

/* The client page; rf: a refused session or note form to show again. */
static void
client_story(struct req *r, int64_t id, const struct refused *rf)
{
	struct story		 st;
	struct record_view	 rv;
	struct html_frag	 items;
	enum sb_err		 e;

	/* The page is some 150 kB: its room taken at once, not doubled up
	 * to it copy by copy (each old copy wiped). */
	(void)!buf_grow(&r->out, 256 * 1024);	/* a failure: the appends say */
	memset(&rv, 0, sizeof(rv));
	buf_init(&rv.row, 1 << 20);
	if ((e = store_client_record(r->s, id, rv_head, rv_row, &rv)) !=
	    SB_OK) {
		/* Unknown and not-yours look the same from outside. */
		if (e == SB_EPERM || e == SB_ENOENT)
			error_page(r, 404, "There is no such client on your "
			    "caseload.");
		else
			read_failed(r);
		record_view_free(&rv);
		return;
	}
	buf_init(&items.b, 1 << 24);
	(void)!buf_grow(&items.b, 64 * 1024);	/* a failure: the appends say */
	memset(&st, 0, sizeof(st));
	st.reg = r->srv->cfg->reg;
	st.items = &items;
	if (store_administration_each(r->s, NULL, id, story_row, &st) !=
	    SB_OK) {
		read_failed(r);
		goto out;
	}
	page_begin(r, "Client");
	/* The summary: who, what can be done, what needs attention, the
	 * latest scores, before anything else. */
	HTML_LIT(&r->out, "<div class=\"page-head\"><div><h1>");
	html_text(&r->out, rv.name);
	HTML_LIT(&r->out, "</h1><p class=\"muted\">Therapist ");
	html_text(&r->out, rv.therapist);
	HTML_LIT(&r->out, ", client since ");
	html_when(&r->out, rv.since);
	HTML_LIT(&r->out, "</p></div>");
	actions(r, id);
	HTML_LIT(&r->out, "</div>");
	if (rf != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" role=\"alert\">");
		html_text(&r->out, rf->why);
		HTML_LIT(&r->out, " Nothing was saved; what you typed is "
		    "below.</p>");
	}
	alert_banner(r, id);
	summary_tiles(r, &st, st.newest);
	HTML_LIT(&r->out, "<nav class=\"jump\" aria-label=\"Sections\">"
	    "<a href=\"#measures\">Measures</a><a href=\"#attachment\">"
	    "Attachment</a><a href=\"#timeline\">Timeline</a><a href=\""
	    "#history\">History</a><a href=\"#narratives\">Narratives</a>"
	    "<a href=\"#sessions\">Sessions</a><a href=\"#notes\">Notes</a>"
	    "<a href=\"#plans\">Plans</a><a href=\"#progress\">Progress page</a><a href=\"#links\">Links</a><a href=\"#record\">Record</a>"
	    "</nav><div class=\"cols\"><div>");
	if (!main_column(r, id, &st, rv.name))
		goto out;
	HTML_LIT(&r->out, "</div><div>");
	side_column(r, id, &rv, rf);
	HTML_LIT(&r->out, "</div></div>");
	page_end(r);
out:
	story_free(&st);
	record_view_free(&rv);
	buf_wipe(&items.b);
}

/* The links table, a row as each link comes. */
/* The story page is one view: every read on it audited in one commit. */
/* GET /clients/N: the client page, in one page view. */
void
client_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	if (!view_begin(r))
		return;
	client_story(r, id, NULL);
	view_end(r);
}

/* The client page again after a refused form, within one page view. */
static void
refused_page(struct req *r, int64_t id, const char *form, const char *field,
    const char *why)
{
	struct refused	 rf = { form, field, why };

	r->status = 400;
	if (!view_begin(r))
		return;
	client_story(r, id, &rf);
	view_end(r);
}

/*
 * The answer to an added session or note (e from the store): back to its
 * section, or the form again with the store's reason beside field, or
 * what went wrong in words.
 */
static void
answer_added(struct req *r, int64_t id, enum sb_err e, const char *form,
    const char *field, const char *section)
{
	char	 to[64];

	if (e == SB_EINVAL || e == SB_ELIMIT)
		refused_page(r, id, form, field, store_errmsg(r->s));
	else if (e == SB_EPERM || e == SB_ENOENT)
		error_page(r, 404, "There is no such client on your caseload.");
	else if (e != SB_OK)
		error_page(r, 503, "It could not be saved just now; please "
		    "send it again in a moment.");
	else {
		snprintf(to, sizeof(to), "/clients/%lld#%s", (long long)id,
		    section);
		http_redirect(r, to);
	}
}

/* The session form's fields, checked before session_post runs. */
const struct field_def session_fields[] = {
	{ .name = "date", .kind = FIELD_DATE_PAST, .required = true,
	    .bad = "A session is recorded once it has happened: the date is "
	    "after today." },
	{ .name = "attendance", .kind = FIELD_TEXT, .required = true,
	    .missing = "Choose whether the client attended." },
	{ .name = "note", .kind = FIELD_TEXT },
	{ .name = NULL }
};

void
session_refused(struct req *r, int64_t id, const char *field,
    const char *why)
{
	refused_page(r, id, "session", field, why);
}

/* POST /clients/N/sessions: a session, from the form on the client
 * page (session_fields checked); refused in plain words, the form
 * refilled. */
void
session_post(struct req *r, int64_t id, const char *rest)
{
	int64_t		 sid;
	enum sb_err	 e;

	(void)rest;
	e = store_session_add(r->s, id, r->in[0].text, r->in[1].text,
	    r->in[2].text, &sid);
	answer_added(r, id, e, "session", "note", "sessions");
}

const struct field_def note_fields[] = {
	{ .name = "text", .kind = FIELD_WORDS, .required = true,
	    .missing = "The note is empty." },
	{ .name = NULL }
};

void
note_refused(struct req *r, int64_t id, const char *field, const char *why)
{
	refused_page(r, id, "note", field, why);
}

/* POST /clients/N/notes: a note (note_fields checked). */
void
note_post(struct req *r, int64_t id, const char *rest)
{
	int64_t		 nid;
	enum sb_err	 e;

	(void)rest;
	e = store_note_add(r->s, id, r->in[0].text, &nid);
	answer_added(r, id, e, "note", "text", "notes");
}

/* The care forms' fields, checked before care_post runs: the date
 * first, then what each form names. */
#define CARE_DATE { .name = "date", .kind = FIELD_DATE_PAST, \
	.required = true, .bad = "The date is after today." }
const struct field_def episode_start_fields[] = { CARE_DATE,
    { .name = NULL } };
const struct field_def episode_end_fields[] = { CARE_DATE,
    { .name = "episode", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def consent_add_fields[] = { CARE_DATE,
    { .name = "kind", .kind = FIELD_WORDS, .required = true,
    .missing = "Say what the consent is to." }, { .name = NULL } };
const struct field_def consent_withdraw_fields[] = { CARE_DATE,
    { .name = "consent", .kind = FIELD_TEXT }, { .name = NULL } };
#undef CARE_DATE

/* The form a care row's refusal goes beside. */
static const char *
care_form(const struct req *r)
{
	return r->op == OP_CONSENT_WITHDRAW ? "withdraw" : r->op ==
	    OP_CONSENT_ADD ? "consent" : "episode";
}

void
care_refused(struct req *r, int64_t id, const char *field, const char *why)
{
	refused_page(r, id, care_form(r), field, why);
}

/* An id the form chose, or 0 (the store then finds no such row). */
static int64_t
chosen_id(const char *v)
{
	int64_t	 id;

	return v != NULL && http_parse_id(v, strlen(v), &id) ? id : 0;
}

/*
 * POST /clients/N/care/WHAT, WHAT episodes, episodes/end, consents or
 * consents/withdraw: an episode of care started or ended, a consent
 * recorded or withdrawn, from the client page's Record section.
 */
void
care_post(struct req *r, int64_t id, const char *rest)
{
	const char	*date = r->in[0].text, *form = care_form(r);
	int64_t		 nid;
	enum sb_err	 e;

	(void)rest;
	if (r->op == OP_EPISODE_START)
		e = store_episode_start(r->s, id, date, &nid);
	else if (r->op == OP_EPISODE_END)
		e = store_episode_end(r->s, chosen_id(r->in[1].text), date,
		    NULL);
	else if (r->op == OP_CONSENT_ADD)
		e = store_consent_add(r->s, id, r->in[1].text, date, &nid);
	else if (r->op == OP_CONSENT_WITHDRAW)
		e = store_consent_withdraw(r->s, chosen_id(r->in[1].text), date,
		    NULL);
	else {
		error_page(r, 404, "Not found.");
		return;
	}
	/* A row not (any more) open is the form's fault, not a lost
	 * client: said beside the date. */
	if (e == SB_ENOENT && strcmp(form, "consent") != 0 &&
	    r->op != OP_EPISODE_START) {
		refused_page(r, id, form, "date", strcmp(form, "withdraw") == 0 ?
		    "Choose a consent that is in force." : "There is no open "
		    "episode to end.");
		return;
	}
	answer_added(r, id, e, form, strcmp(form, "consent") == 0 &&
	    e == SB_EINVAL && strstr(store_errmsg(r->s), "kind") != NULL ?
	    "kind" : "date", "record");
}


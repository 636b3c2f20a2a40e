/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * report.c - the printable progress report, A4, drawn with cairo and
 * pango; the charts are the web application's own SVG (render/charts.h,
 * render/history_svg.h), rendered by librsvg, so the paper shows what the
 * screen shows.  `securebase report` writes it to a file and the web
 * application sends it as a download.
 *
 * Two variants: for the therapist (scores with their statistics, alerts
 * and how they were resolved), and for the client (plain words a
 * therapist can hand over: no alerts, no statistics jargon).  Text goes
 * to pango as plain text, never markup.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "app/client_view.h"
#include "app/history_view.h"
#include "app/record.h"
#include "core/change.h"
#include "core/plane.h"
#include "core/score.h"
#include "core/text.h"
#include "store/store.h"
#include "render/charts.h"
#include "render/client_page.h"
#include "render/history_svg.h"
#include "render/measure.h"
#include "render/report.h"

#define PAGE_W		595.0	/* A4 in points */
#define PAGE_H		842.0
#define MARGIN		50.0
#define TEXT_W		(PAGE_W - 2 * MARGIN)
#define ADMINS_MAX	128

struct series {
	const struct instrument	*in;
	struct score_plan	*plan;		/* one for all its rows */
	struct chart_point	 pts[INSTR_MAX_SCORES][ADMINS_MAX];
	char			 dates[ADMINS_MAX][24];
	size_t			 n;
	/* The latest answers left the first score unscored: the answered
	 * items' sum (lastpart), said beside "not scored". */
	bool			 lastpart;
	struct score_partial	 part;
};

struct report {
	const struct registry	*reg;
	struct series		*s;
	size_t			 ns;
	cairo_t			*cr;
	cairo_surface_t		*surface;
	double			 y;
	bool			 for_client;
	enum change_convention	 convention;	/* the practice's */
	int			 page;
	char			*name;		/* the client's */
	char			*therapist;	/* theirs */
	char			 today[16];	/* the report's day */
	struct buf		 alerts;	/* its alert sections, as text */
	size_t			 nalerts;
	struct buf		 open;		/* the open ones, in words: */
	struct buf		 open_high;	/* the high ones first */
	size_t			 nopen;
	/* The client page's view (expected paths, the answers item by
	 * item) and the history's (the map, the lifeline, the year of
	 * birth); cv_ok, hv_ok: built (the report is made only when both
	 * reads succeeded). */
	struct client_view	 cv;
	bool			 cv_ok;
	struct history_view	 hv;
	bool			 hv_ok;
};

static SB_MUST enum sb_err
collect(void *arg, const struct store_administration_row *a)
{
	struct report		*rp = arg;
	const struct reg_entry	*re = registry_find(rp->reg, a->instrument);
	struct series		*se;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i;

	if (re == NULL)
		return SB_OK;
	for (i = 0; i < rp->ns && rp->s[i].in != re->in; i++)
		;
	if (i == rp->ns) {
		if (rp->ns == REGISTRY_MAX || score_plan_new(re->in, 0, 0,
		    &rp->s[rp->ns].plan) != SB_OK)
			return SB_OK;
		rp->s[rp->ns].in = re->in;
		rp->s[rp->ns].n = 0;
		rp->ns++;
	}
	se = &rp->s[i];
	if (se->n == ADMINS_MAX)
		return SB_OK;
	if (answers_decode(se->plan, a->answers, ans) == SB_OK) {
		score_row(se->plan, ans, v, ok);
		snprintf(se->dates[se->n], sizeof(se->dates[0]), "%.10s",
		    a->completed ? a->completed : "");
		for (i = 0; i < re->in->nscores; i++) {
			se->pts[i][se->n].date = se->dates[se->n];
			se->pts[i][se->n].value = ok[i] ? v[i] : NAN;
		}
		se->lastpart = !ok[0] && score_partial(se->plan, ans, 0,
		    &se->part);
		se->n++;
	}
	return SB_OK;
}

/* cairo's writer: the PDF bytes into a capped buffer. */
static cairo_status_t
into_buf(void *closure, const unsigned char *data, unsigned int n)
{
	struct buf	*b = closure;

	return buf_add(b, data, n) == SB_OK ? CAIRO_STATUS_SUCCESS :
	    CAIRO_STATUS_WRITE_ERROR;
}

/* ---- drawing ---- */

static void
new_page(struct report *rp)
{
	char	 foot[64];

	if (rp->page > 0)
		cairo_show_page(rp->cr);
	rp->page++;
	rp->y = MARGIN;
	snprintf(foot, sizeof(foot), "page %d", rp->page);
	cairo_save(rp->cr);
	cairo_set_source_rgb(rp->cr, 0.4, 0.4, 0.45);
	cairo_select_font_face(rp->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	    CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(rp->cr, 8);
	cairo_move_to(rp->cr, PAGE_W - MARGIN - 30, PAGE_H - 25);
	cairo_show_text(rp->cr, foot);
	cairo_restore(rp->cr);
}

/* Plain text (never markup) at the current line, wrapped. */
static void
text(struct report *rp, const char *s, const char *font)
{
	PangoLayout		*l = pango_cairo_create_layout(rp->cr);
	PangoFontDescription	*fd = pango_font_description_from_string(font);
	int			 w, h;
	size_t			 n;

	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(TEXT_W * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	/* Trailing line breaks (a list's last) are no blank lines. */
	n = strlen(s);
	while (n > 0 && s[n - 1] == '\n')
		n--;
	pango_layout_set_text(l, s, (int)n);
	pango_layout_get_pixel_size(l, &w, &h);
	if (rp->y + h > PAGE_H - MARGIN)
		new_page(rp);
	cairo_set_source_rgb(rp->cr, 0.11, 0.15, 0.2);
	cairo_move_to(rp->cr, MARGIN, rp->y);
	pango_cairo_show_layout(rp->cr, l);
	rp->y += h + 6;
	pango_font_description_free(fd);
	g_object_unref(l);
}

/* A section heading, kept with what follows it (a chart's height). */
static void
heading(struct report *rp, const char *s)
{
	if (rp->y + 180 > PAGE_H - MARGIN)
		new_page(rp);
	text(rp, s, "DejaVu Sans Bold 13");
}

/* The picture's size drawn w points wide, keeping its proportions, a
 * tall one (a large family's map) made to fit one page: false when the
 * SVG cannot be read. */
static bool
picture_size(RsvgHandle *h, double *w, double *hgt)
{
	gdouble		 sw, sh;

	if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &sw, &sh) ||
	    sw <= 0) {
		RsvgRectangle ink, logical;

		(void)rsvg_handle_get_geometry_for_element(h, NULL, &ink,
		    &logical, NULL);
		sw = logical.width > 0 ? logical.width : 640;
		sh = logical.height > 0 ? logical.height : 200;
	}
	*hgt = *w * sh / sw;
	if (*hgt > PAGE_H - 2 * MARGIN - 40) {
		*w *= (PAGE_H - 2 * MARGIN - 40) / *hgt;
		*hgt = PAGE_H - 2 * MARGIN - 40;
	}
	return true;
}

static RsvgHandle *
picture_open(const struct buf *svg)
{
	RsvgHandle	*h;
	GError		*err = NULL;

	if (svg->len == 0 || (h = rsvg_handle_new_from_data((const guint8 *)
	    svg->data, svg->len, &err)) == NULL) {
		if (err)
			g_error_free(err);
		return NULL;
	}
	return h;
}

/* One of our SVG pictures, w points wide; title, when not NULL, a
 * heading kept on the picture's page (a heading never ends a page). */
static void
picture_titled(struct report *rp, const char *title, const struct buf *svg,
    double w)
{
	RsvgHandle	*h;
	RsvgRectangle	 vp;
	GError		*err = NULL;
	double		 hgt;

	if ((h = picture_open(svg)) == NULL || !picture_size(h, &w, &hgt)) {
		if (h != NULL)
			g_object_unref(h);
		return;
	}
	if (rp->y + hgt + (title != NULL ? 30 : 0) > PAGE_H - MARGIN)
		new_page(rp);
	if (title != NULL)
		text(rp, title, "DejaVu Sans Bold 13");
	vp.x = MARGIN;
	vp.y = rp->y;
	vp.width = w;
	vp.height = hgt;
	(void)rsvg_handle_render_document(h, rp->cr, &vp, &err);
	if (err)
		g_error_free(err);
	g_object_unref(h);
	rp->y += hgt + 10;
}

/* A score as people write it: whole numbers whole, means to 2 places. */
static const char *
val(double v, char *buf, size_t n)
{
	snprintf(buf, n, fabs(v - round(v)) < 1e-9 ? "%.0f" : "%.2f", v);
	return buf;
}

/* A point's day in words ("9 Jun", the year where it is not the
 * series' latest's): the report reads like the pages. */
static const char *
day(const struct series *se, size_t i, char *buf, size_t n)
{
	if (!text_day_short(se->dates[i], se->dates[se->n - 1], buf,
	    n))
		snprintf(buf, n, "%s", se->dates[i]);
	return buf;
}

/* The change of the first score from first to last, in words. */
static void
change_words(struct report *rp, const struct series *se, size_t k)
{
	const struct instr_score *sc = &se->in->scores[k];
	struct change_result	 r;
	char			 t[1024], a[32], b[32], d1[24], d2[24];
	double			 pre = NAN, post = NAN;
	size_t			 i, first = 0, last = 0;
	const char		*band;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[k][i].value)) {
			if (isnan(pre)) {
				pre = se->pts[k][i].value;
				first = i;
			}
			post = se->pts[k][i].value;
			last = i;
		}
	if (isnan(pre))
		return;
	(void)day(se, first, d1, sizeof(d1));
	(void)day(se, last, d2, sizeof(d2));
	/* A client reads no clinical band: the progress page's words. */
	band = rp->for_client ? NULL : instr_band_label(sc, post);
	if (first == last) {
		snprintf(t, sizeof(t), "%s %s: %s on %s%s%s%s.", se->in->name,
		    sc->label, val(pre, a, sizeof(a)), d1, band ?
		    " (" : "",
		    band ? band : "", band ? ")" : "");
		text(rp, t, "DejaVu Sans 10");
		return;
	}
	if (change_classify_as(sc, pre, post, rp->convention, &r) != SB_OK) {
		snprintf(t, sizeof(t), "%s %s: %s on %s, %s on %s%s%s%s. %s",
		    se->in->name, sc->label, val(pre, a, sizeof(a)),
		    d1, val(post, b, sizeof(b)),
		    d2, band ? " (" : "", band ? band : "", band ?
		    ")" : "", rp->for_client ? "" : "No norms in the "
		    "definition: the change is not classified.");
		text(rp, t, "DejaVu Sans 10");
		return;
	}
	if (rp->for_client)
		snprintf(t, sizeof(t), "%s: %s at first (%s), %s most recently "
		    "(%s). %s", se->in->name, val(pre, a, sizeof(a)),
		    d1, val(post, b, sizeof(b)),
		    d2, r.cls == CHANGE_RECOVERED &&
		    r.convention == CONVENTION_JT ? "This is a real change for "
		    "the better, and your score is now closer to people who "
		    "are not seeking help than to those who are." : r.cls ==
		    CHANGE_RECOVERED || r.cls == CHANGE_IMPROVED ? "This is a "
		    "real change for the better: larger than the usual ups and "
		    "downs of this questionnaire." : r.cls ==
		    CHANGE_DETERIORATED ? "This is a real change for the "
		    "worse, which we will talk about together." : "This change "
		    "is within the usual ups and downs of this questionnaire.");
	else if (r.convention == CONVENTION_TT)
		snprintf(t, sizeof(t), "%s %s: %s (%s) to %s (%s)%s%s%s. %s: "
		    "%s (a change of %.0f points; %g needed, caseness from "
		    "%g).", se->in->name, sc->label, val(pre, a, sizeof(a)),
		    d1, val(post, b, sizeof(b)),
		    d2, band ? ", now " : "", band ? band : "",
		    "", "NHS Talking Therapies", r.cls == CHANGE_RECOVERED ?
		    "reliable recovery" : change_class_name(r.cls),
		    fabs(post - pre), r.min_change, r.cutoff);
	else
		snprintf(t, sizeof(t), "%s %s: %s (%s) to %s (%s)%s%s%s. "
		    "Jacobson & Truax: %s (reliable change index %.2f, %.1f "
		    "points needed; criterion %s, cut-off %.1f).", se->in->name,
		    sc->label, val(pre, a, sizeof(a)), d1,
		    val(post, b, sizeof(b)), d2,
		    band ? ", now " : "", band ? band : "", "",
		    change_class_name(r.cls), r.rc, r.min_change,
		    change_criterion_name(r.criterion), r.cutoff);
	text(rp, t, "DejaVu Sans 10");
}

/* The page's series of the measure se, when the view was read. */
static const struct client_series *
page_series(const struct report *rp, const struct series *se)
{
	return rp->cv_ok ? client_series_find(&rp->cv.m, se->in->id) : NULL;
}

/* The therapist's chart: the client page's, with the expected band
 * where the measure has one. */
static void
therapist_chart(struct report *rp, const struct series *se, struct buf *svg)
{
	const struct client_series	*cs = page_series(rp, se);
	struct chart_point		 p[CLIENT_POINTS];
	size_t				 n;

	if (cs == NULL || !cs->drawn || (n = client_points(cs->pts[0], cs->n,
	    p)) == 0) {
		chart_measure(svg, se->in, &se->in->scores[0], se->pts[0],
		    se->n, NULL, NULL, NULL, 0);
		return;
	}
	chart_measure(svg, se->in, &se->in->scores[0], p, n, cs->band,
	    cs->shaped, NULL, 0);
}

/* What the expected band is, beside its chart. */
static void
expected_words(struct report *rp, const struct series *se)
{
	const struct client_series	*cs = page_series(rp, se);
	char				 t[480];

	if (cs == NULL)
		return;
	client_expected_words(cs, t, sizeof(t));
	text(rp, t, "DejaVu Sans 9");
	if (cs->off)
		text(rp, "Not on track: the latest two scores are beyond the "
		    "expected band.", "DejaVu Sans Bold 9");
}

static void
measures(struct report *rp)
{
	struct buf	 svg;
	const char	*title = rp->for_client ? "Your questionnaires" :
			    "Measures";
	size_t		 i;

	buf_init(&svg, 1 << 22);
	for (i = 0; i < rp->ns; i++) {
		const struct series *se = &rp->s[i];

		/* The attachment measures and the alliance have their own
		 * sections; per-relationship ECR-RS is on the map. */
		if (instr_score_find(se->in, "anxiety") != INSTR_NONE ||
		    se->in->ntargets > 0 || strcmp(se->in->id, "wai-sr") == 0 ||
		    se->n == 0)
			continue;
		buf_reset(&svg);
		/* The client's copy has the progress page's chart: the
		 * scale and the points, no bands, no statistics. */
		if (rp->for_client)
			chart_progress(&svg, se->in, &se->in->scores[0],
			    se->pts[0], se->n);
		else
			therapist_chart(rp, se, &svg);
		/* The heading on the first chart's page. */
		picture_titled(rp, title, &svg, TEXT_W);
		title = NULL;
		change_words(rp, se, 0);
		if (!rp->for_client)
			expected_words(rp, se);
		if (se->lastpart) {
			char	 t[400], d[24];

			/* Not hidden: a skipped question leaves the total
			 * unscored, and the rest still says something. */
			(void)day(se, se->n - 1, d, sizeof(d));
			if (rp->for_client)
				snprintf(t, sizeof(t), "%s on %s: not scored, "
				    "because some questions were left blank.",
				    se->in->name, d);
			else
				snprintf(t, sizeof(t), "%s %s on %s: not scored "
				    "(%ld on the %zu of %zu items answered; not "
				    "comparable with the bands).", se->in->name,
				    se->in->scores[0].label, d, se->part.sum,
				    se->part.answered,
				    se->part.of);
			text(rp, t, "DejaVu Sans 10");
		}
	}
	buf_free(&svg);
}

static void
attachment(struct report *rp)
{
	struct buf		 svg;
	struct chart_point	 a[ADMINS_MAX], v[ADMINS_MAX];
	size_t			 i, k, n, ia, iv;

	buf_init(&svg, 1 << 22);
	for (i = 0; i < rp->ns; i++) {
		const struct series *se = &rp->s[i];

		ia = instr_score_find(se->in, "anxiety");
		iv = instr_score_find(se->in, "avoidance");
		if (ia == INSTR_NONE || iv == INSTR_NONE)
			continue;
		for (k = n = 0; k < se->n; k++)
			if (!isnan(se->pts[ia][k].value) &&
			    !isnan(se->pts[iv][k].value)) {
				a[n] = se->pts[ia][k];
				v[n++] = se->pts[iv][k];
			}
		if (n == 0)
			continue;
		buf_reset(&svg);
		/* No quadrant names for the client: they read as types. */
		chart_plane(&svg, a, v, n, se->in->optsets[0].min,
		    se->in->optsets[0].max, !rp->for_client);
		picture_titled(rp, rp->for_client ? "How you relate to people "
		    "close to you" : "Attachment (anxiety and avoidance)", &svg,
		    TEXT_W * 0.5);
		/* The dimensions in Fraley's words (ECR-R description):
		 * anxiety is worry about whether a partner is available and
		 * responsive; avoidance is discomfort with closeness and with
		 * depending on others. */
		text(rp, rp->for_client ? "The path shows your answers over "
		    "time. Further right means more discomfort with being close "
		    "to others and depending on them. Higher means more worry "
		    "about whether the people close to you will be there for "
		    "you and respond to you. These are two measurements on a "
		    "scale, not types of person, and they can change." :
		    "ECR family, trajectory from first to last administration. "
		    "Anxiety: worry about a partner's availability and "
		    "responsiveness; avoidance: discomfort with closeness and "
		    "dependence (after Fraley's description of the ECR-R). Dimensions, not categories. "
		    PLANE_CAVEAT, "DejaVu Sans 9");
		change_words(rp, se, ia);
		change_words(rp, se, iv);
	}
	buf_free(&svg);
}

static void
alliance(struct report *rp)
{
	size_t	 i, k;

	for (i = 0; i < rp->ns; i++)
		if (strcmp(rp->s[i].in->id, "wai-sr") == 0 && rp->s[i].n > 0) {
			heading(rp, rp->for_client ? "Our work together" :
			    "Alliance (WAI-SR)");
			for (k = 0; k < rp->s[i].in->nscores; k++)
				change_words(rp, &rp->s[i], k);
		}
}

/* The client's name, for the title. */
static SB_MUST enum sb_err
record_head(void *arg, const struct store_client_head *h)
{
	struct report	*rp = arg;
	const char	*t = h->therapist_shown != NULL ? h->therapist_shown :
			    h->therapist;

	if ((rp->name = strdup(h->name)) == NULL || (t != NULL &&
	    (rp->therapist = strdup(t)) == NULL))
		return SB_ENOMEM;
	return SB_OK;
}

/* The record's alerts and their history, for the therapist's version:
 * chosen by section, so that nothing a note says can pass for one. */
static SB_MUST enum sb_err
record_alerts(void *arg, const struct store_record_row *r)
{
	struct report	*rp = arg;
	const char	*v[STORE_RECORD_COLUMNS];
	char		 day[24];
	size_t		 i;

	if (rp->for_client || (r->section != STORE_SEC_ALERTS &&
	    r->section != STORE_SEC_ALERT_HISTORY))
		return SB_OK;
	for (i = 0; i < r->n; i++)
		v[i] = r->value[i] != NULL ? r->value[i] : "";
	if (r->section == STORE_SEC_ALERTS && r->n >= 5) {
		/* created, severity, rule, state, detail: in words, the
		 * day as the pages say it */
		if (!text_day_short(v[0], rp->today, day, sizeof(day)))
			snprintf(day, sizeof(day), "%.10s", v[0]);
		rp->nalerts++;
		buf_printf(&rp->alerts, "Alert %lld, %s: %s, %s (%s). %s\n",
		    (long long)r->id, day, v[1], alert_rule_words(v[2]), v[3],
		    v[4]);
		if (strcmp(v[3], "resolved") != 0) {
			rp->nopen++;
			buf_printf(strcmp(v[1], "high") == 0 ? &rp->open_high :
			    &rp->open, "%s: %s, raised %s, %s. %s\n", v[1],
			    alert_rule_words(v[2]), day, v[3], v[4]);
		}
	} else if (r->section == STORE_SEC_ALERT_HISTORY && r->n >= 5) {
		/* alert, at, state, by, note */
		if (!text_day_short(v[1], rp->today, day, sizeof(day)))
			snprintf(day, sizeof(day), "%.10s", v[1]);
		buf_printf(&rp->alerts, "    alert %s %s on %s by %s%s%s\n",
		    v[0], v[2], day, v[3], v[4][0] ? ": " : "", v[4]);
	}
	return SB_OK;
}

/* One measure's latest in a line: score, band, day, the change since
 * the first and, where the measure has one, the expected band now. */
static void
latest_line(struct report *rp, const struct series *se)
{
	const struct instr_score	*sc = &se->in->scores[0];
	const struct client_series	*cs = page_series(rp, se);
	struct chart_point		 p[CLIENT_POINTS];
	struct change_result		 cr;
	const char			*band;
	char				 t[600], a[24], d[24], x[200] = "";
	size_t				 i, first = SIZE_MAX, last = SIZE_MAX, n;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[0][i].value)) {
			if (first == SIZE_MAX)
				first = i;
			last = i;
		}
	if (last == SIZE_MAX)
		return;
	band = instr_band_label(sc, se->pts[0][last].value);
	if (last != first && change_classify_as(sc, se->pts[0][first].value,
	    se->pts[0][last].value, rp->convention, &cr) == SB_OK)
		snprintf(x, sizeof(x), "; since the first: %s",
		    change_class_name(cr.cls));
	if (cs != NULL && cs->drawn && (n = client_points(cs->pts[0], cs->n,
	    p)) > 0 && cs->band[n - 1].ok)
		snprintf(x + strlen(x), sizeof(x) - strlen(x), "; expected now "
		    "%.0f to %.0f%s", cs->band[n - 1].lo, cs->band[n - 1].hi,
		    cs->off ? ": not on track" : "");
	snprintf(t, sizeof(t), "%s %s: %s%s%s%s on %s%s.", se->in->name,
	    sc->label, val(se->pts[0][last].value, a, sizeof(a)),
	    band ? " (" : "", band ? band : "", band ? ")" : "",
	    day(se, last, d, sizeof(d)), x);
	text(rp, t, cs != NULL && cs->off ? "DejaVu Sans Bold 10" :
	    "DejaVu Sans 10");
}

/* Page one's latest scores, the measures in the order answered. */
static void
latest(struct report *rp)
{
	size_t	 i;

	heading(rp, "Latest scores");
	for (i = 0; i < rp->ns; i++)
		if (rp->s[i].n > 0 && rp->s[i].in->ntargets == 0)
			latest_line(rp, &rp->s[i]);
}

/* The latest answers of re, or NULL. */
static const struct client_answers *
latest_answers(const struct client_view *v, const struct reg_entry *re)
{
	const struct client_answers	*a = NULL;
	size_t				 i;

	for (i = 0; i < v->nanswers; i++)
		if (v->answers[i].re == re && (a == NULL ||
		    strcmp(v->answers[i].date, a->date) >= 0))
			a = &v->answers[i];
	return a;
}

/* The therapist's item tables: each measure's latest answers, item by
 * item, as the client chose them. */
static void
items(struct report *rp)
{
	const struct client_answers	*a;
	const struct instrument		*in;
	char				 t[600], d[24];
	size_t				 i, k, j, tg;

	if (rp->for_client || !rp->cv_ok || rp->cv.nanswers == 0)
		return;
	heading(rp, "Answers, item by item (the latest of each measure)");
	for (i = 0; i < rp->reg->n; i++) {
		if ((a = latest_answers(&rp->cv, &rp->reg->v[i])) == NULL)
			continue;
		in = a->re->in;
		if (!text_day_short(a->date, NULL, d, sizeof(d)))
			snprintf(d, sizeof(d), "%.10s", a->date);
		snprintf(t, sizeof(t), "%s, %s", in->name, d);
		if (rp->y + 60 > PAGE_H - MARGIN)
			new_page(rp);
		text(rp, t, "DejaVu Sans Bold 10");
		for (k = 0; k < in->nitems; k++) {
			const struct instr_optset *os =
			    &in->optsets[in->items[k].optset];
			const char	*chosen = "(skipped)";

			tg = in->items[k].target;
			if (tg != INSTR_NONE && (k == 0 ||
			    in->items[k - 1].target != tg))
				text(rp, in->targets[tg].label,
				    "DejaVu Sans Bold 8");
			for (j = 0; a->ans[k] != SCORE_MISSING &&
			    j < os->nopts; j++)
				if (os->opts[j].value == a->ans[k])
					chosen = os->opts[j].label;
			snprintf(t, sizeof(t), "%zu. %s \xe2\x80\x94 %s", k + 1,
			    in->items[k].text, chosen);
			text(rp, t, "DejaVu Sans 8");
		}
	}
}

/* The relationship map, for the therapist. */
static void
map(struct report *rp)
{
	struct buf	 svg;

	if (rp->for_client || !rp->hv_ok || !rp->hv.laid ||
	    rp->hv.h.npeople == 0)
		return;
	buf_init(&svg, 1 << 24);
	svg_map(&svg, &rp->hv.h, &rp->hv.g);
	picture_titled(rp, "Relationship map", &svg, TEXT_W);
	buf_free(&svg);
}

/* The client's year of birth from their history (self), or 0. */
static int
born(const struct report *rp)
{
	size_t	 i;

	for (i = 0; rp->hv_ok && i < rp->hv.h.npeople; i++)
		if (rp->hv.h.people[i].role != NULL &&
		    strcmp(rp->hv.h.people[i].role, "self") == 0)
			return rp->hv.h.people[i].born;
	return 0;
}

/* The period the answers cover, in words: "from 9 Jun to 7 Dec 2026". */
static void
period(const struct report *rp, char *out, size_t n)
{
	const char	*lo = NULL, *hi = NULL;
	char		 a[24], b[24];
	size_t		 i;

	for (i = 0; i < rp->ns; i++) {
		if (rp->s[i].n == 0)
			continue;
		if (lo == NULL || strcmp(rp->s[i].dates[0], lo) < 0)
			lo = rp->s[i].dates[0];
		if (hi == NULL || strcmp(rp->s[i].dates[rp->s[i].n - 1], hi) > 0)
			hi = rp->s[i].dates[rp->s[i].n - 1];
	}
	if (lo == NULL || !text_day_short(lo, hi, a, sizeof(a)) ||
	    !text_day_short(hi, NULL, b, sizeof(b))) {
		snprintf(out, n, "no answers yet");
		return;
	}
	snprintf(out, n, "answers from %s to %s", a, b);
}

/*
 * What a clinician reads first: whose record, whose client, which
 * period, and the alerts still open, in words.
 */
static void
first_page(struct report *rp, int64_t client)
{
	char	 t[1024], p[96], b[32] = "";

	period(rp, p, sizeof(p));
	if (born(rp) > 0)
		snprintf(b, sizeof(b), ", born %d", born(rp));
	snprintf(t, sizeof(t), "Client %lld%s, therapist %s; %s.",
	    (long long)client, b, rp->therapist ? rp->therapist : "not "
	    "recorded", p);
	text(rp, t, "DejaVu Sans 10");
	heading(rp, "Open alerts");
	if (rp->nopen > 0) {
		if (rp->open_high.data != NULL)
			text(rp, rp->open_high.data, "DejaVu Sans Bold 10");
		if (rp->open.data != NULL)
			text(rp, rp->open.data, "DejaVu Sans 10");
	} else
		text(rp, "None open: every alert raised has been resolved "
		    "(listed at the end).", "DejaVu Sans 10");
	latest(rp);
}

static void
alerts(struct report *rp)
{
	if (rp->for_client)
		return;
	heading(rp, "Alerts and how they were resolved");
	if (rp->nalerts > 0 && rp->alerts.data != NULL)
		text(rp, rp->alerts.data, "DejaVu Sans 8");
	else
		text(rp, "No alerts were raised.", "DejaVu Sans 10");
}

/* The lifeline with the therapy's marks. */
static void
lifeline(struct report *rp)
{
	struct buf	 svg;

	if (!rp->hv_ok || rp->hv.h.nevents == 0)
		return;
	buf_init(&svg, 1 << 24);
	svg_lifeline(&svg, &rp->hv.h, rp->hv.marks.v, rp->hv.marks.n);
	picture_titled(rp, rp->for_client ? "Your lifeline" : "Lifeline",
	    &svg, TEXT_W);
	buf_free(&svg);
}

/*
 * One report drawn at a time: fontconfig, pango's font map and librsvg
 * keep state that is not safe to share between threads, and a report is
 * rare next to pages, so one lock here costs nothing and no caller needs
 * to know.
 */
static pthread_mutex_t	 draw_lock = PTHREAD_MUTEX_INITIALIZER;

enum sb_err
report_pdf(struct store *s, const struct registry *reg, int64_t client,
    bool for_client, time_t now, struct buf *doc, int *pages)
{
	struct report	 rp;
	char		 title[1200], iso[16], made[32];
	size_t		 i;
	enum sb_err	 e;
	struct tm	 tm;
	bool		 locked = false;

	*pages = 0;
	memset(&rp, 0, sizeof(rp));
	rp.convention = record_convention(s);
	rp.reg = reg;
	rp.for_client = for_client;
	gmtime_r(&now, &tm);
	strftime(rp.today, sizeof(rp.today), "%Y-%m-%d", &tm);
	buf_init(&rp.alerts, 1 << 24);
	buf_init(&rp.open, 1 << 20);
	buf_init(&rp.open_high, 1 << 20);
	if ((rp.s = calloc(REGISTRY_MAX, sizeof(*rp.s))) == NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	if ((e = store_client_record(s, client, record_head, record_alerts,
	    &rp)) != SB_OK || (e = store_administration_each(s, NULL, client,
	    collect, &rp)) != SB_OK)
		goto out;
	/* The page's views: a read that fails is the report's failure,
	 * not a report without its parts. */
	e = history_view_build(s, reg, client, &rp.hv);
	rp.hv_ok = true;	/* freed below, after an error too */
	if (e == SB_OK && !for_client) {
		e = client_view_build(s, reg, client, (int64_t)now, &rp.cv);
		rp.cv_ok = true;
	}
	/* The page may leave out what it could not gather, and says so;
	 * a report is read later and alone, so it is made whole or not
	 * at all. */
	if (e == SB_OK && (!rp.hv.marks_ok || rp.hv.layout == SB_ENOMEM ||
	    (rp.cv_ok && (!rp.cv.expected_ok || !rp.cv.others_ok))))
		e = SB_EIO;
	if (e != SB_OK)
		goto out;
	/* The reads above run side by side; the drawing one at a time. */
	pthread_mutex_lock(&draw_lock);
	locked = true;
	rp.surface = cairo_pdf_surface_create_for_stream(into_buf, doc,
	    PAGE_W, PAGE_H);
	if (cairo_surface_status(rp.surface) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(rp.surface);
		e = SB_EIO;
		goto out;
	}
	cairo_pdf_surface_set_metadata(rp.surface, CAIRO_PDF_METADATA_TITLE,
	    for_client ? "Your progress" : "Progress report");
	rp.cr = cairo_create(rp.surface);
	new_page(&rp);
	gmtime_r(&now, &tm);
	snprintf(title, sizeof(title), "%s: %s", for_client ? "Your progress" :
	    "Progress report", rp.name ? rp.name : "");
	text(&rp, title, "DejaVu Sans Bold 18");
	/* The day in words, with its year ("8 Dec 2026"). */
	strftime(iso, sizeof(iso), "%Y-%m-%d", &tm);
	if (!text_day_short(iso, NULL, made, sizeof(made)))
		snprintf(made, sizeof(made), "%s", iso);
	snprintf(title, sizeof(title), for_client ? "Made on %s, for you and "
	    "your therapist to go through together. The questionnaires "
	    "describe; they do not diagnose." : "Made on %s. For the "
	    "therapist: contains alerts and statistics. The questionnaires "
	    "describe; they do not diagnose.", made);
	text(&rp, title, "DejaVu Sans 9");
	if (!for_client)
		first_page(&rp, client);
	measures(&rp);
	attachment(&rp);
	alliance(&rp);
	items(&rp);
	map(&rp);
	lifeline(&rp);
	alerts(&rp);
	cairo_destroy(rp.cr);
	cairo_surface_finish(rp.surface);
	if (e == SB_OK && (cairo_surface_status(rp.surface) !=
	    CAIRO_STATUS_SUCCESS || doc->err != SB_OK))
		e = doc->err != SB_OK ? (enum sb_err)doc->err : SB_EIO;
	cairo_surface_destroy(rp.surface);
	if (e == SB_OK)
		*pages = rp.page;
out:
	if (locked)
		pthread_mutex_unlock(&draw_lock);
	buf_wipe(&rp.alerts);
	buf_wipe(&rp.open);
	buf_wipe(&rp.open_high);
	free(rp.therapist);
	if (rp.name != NULL) {
		mem_wipe(rp.name, strlen(rp.name));
		free(rp.name);
	}
	for (i = 0; rp.s != NULL && i < rp.ns; i++)
		score_plan_free(rp.s[i].plan);
	free(rp.s);
	if (rp.cv_ok)
		client_view_free(&rp.cv);
	if (rp.hv_ok)
		history_view_free(&rp.hv);
	return e;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_client.c - the client page's measures written from a view
 * built in memory, with no store and no server: a score's tile with its
 * published band, an unscored latest said with what its answered items
 * add up to, the next measure due, the answers item by item with a
 * skipped one, the timeline of the therapy or of the whole life (newest
 * first), the not-on-track checklist's counts, and a partner whose name
 * is escaped and whose companions could not all be read.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/client_page.h"
#include "test.h"

/* 2026-12-02T12:00:00Z */
#define NOW	1796212800

/* A series of instrument id with the first score's values at dates. */
static void
series_fill(struct client_series *se, const char *id, const char *const *d,
    const double *val, size_t n)
{
	size_t	 i, k;

	memset(se, 0, sizeof(*se));
	se->re = registry_find(&test_reg, id);
	assert_non_null(se->re);
	se->pts = calloc(se->re->in->nscores, sizeof(*se->pts));
	se->dates = calloc(CLIENT_POINTS, sizeof(*se->dates));
	assert_non_null(se->pts);
	assert_non_null(se->dates);
	for (i = 0; i < n; i++) {
		snprintf(se->dates[i], sizeof(se->dates[0]), "%s", d[i]);
		for (k = 0; k < se->re->in->nscores; k++) {
			se->pts[k][i].date = se->dates[i];
			se->pts[k][i].value = k == 0 ? val[i] : NAN;
		}
	}
	se->n = n;
	se->last[0] = n > 0 ? val[n - 1] : 0;
	se->lastok[0] = n > 0;
}

static void
series_drop(struct client_series *se)
{
	free(se->pts);
	free(se->dates);
}

static void
write_with(void (*fn)(struct buf *, const struct client_view *),
    const struct client_view *v, struct buf *b)
{
	buf_init(b, 1 << 22);
	fn(b, v);
	assert_int_equal(b->err, SB_OK);
}

static void
a_tile_says_the_published_band_and_the_next_due(void **state)
{
	static const char *const d[] = { "2026-10-05", "2026-11-02" };
	static const double val[] = { 20, 5 };
	struct client_series	 se;
	struct client_view	 v;
	struct buf		 b;

	(void)state;
	series_fill(&se, "phq9", d, val, 2);
	memset(&v, 0, sizeof(v));
	v.now = NOW;
	v.m.s = &se;
	v.m.ns = 1;
	snprintf(v.newest, sizeof(v.newest), "2026-11-02");
	write_with(client_tiles_html, &v, &b);
	/* PHQ-9 5-9 is "Mild" (Kroenke, Spitzer & Williams 2001), the
	 * second of five bands: a low tone. */
	assert_non_null(strstr(b.data, "<li class=\"t-low\"><span class=\""
	    "name\">PHQ-9 Total score</span><span class=\"score\">5</span> "
	    "<span class=\"badge low\">Mild</span>"));
	/* 28 days after 2 November is 30 November, before 2 December. */
	assert_non_null(strstr(b.data, "Next measure due: <strong>now (none "
	    "in the last 4 weeks)</strong>"));
	buf_free(&b);
	/* Nothing answered: no tile, and due now. */
	v.m.ns = 0;
	v.newest[0] = '\0';
	write_with(client_tiles_html, &v, &b);
	assert_non_null(strstr(b.data, "No questionnaire answered yet."));
	assert_non_null(strstr(b.data, "<strong>now (none answered yet)"));
	buf_free(&b);
	series_drop(&se);
}

static void
an_unscored_latest_says_its_answered_items(void **state)
{
	static const char *const d[] = { "2026-11-30" };
	static const double val[] = { NAN };
	struct client_series	 se;
	struct client_view	 v;
	struct buf		 b;

	(void)state;
	series_fill(&se, "phq9", d, val, 1);
	se.lastok[0] = false;
	se.lastpart = true;
	se.part = (struct score_partial){ 24, 8, 9 };
	snprintf(se.partdate, sizeof(se.partdate), "2026-11-30");
	memset(&v, 0, sizeof(v));
	v.now = NOW;
	v.m.s = &se;
	v.m.ns = 1;
	write_with(client_tiles_html, &v, &b);
	assert_non_null(strstr(b.data, "<span class=\"score\">not scored"
	    "</span> <span class=\"muted\">(24 on the 8 of 9 items answered)"
	    "</span>"));
	assert_null(strstr(b.data, "No questionnaire answered yet."));
	buf_free(&b);
	series_drop(&se);
}

static void
write_answers(const struct client_view *v, bool all, struct buf *b)
{
	buf_init(b, 1 << 22);
	client_answers_html(b, v, all);
	assert_int_equal(b->err, SB_OK);
}

/* Ten days of answers, two measures on the last: one group a day, the
 * newest first with both its measures, eight days unless all. */
static void
answers_are_grouped_by_day_newest_first_and_paged(void **state)
{
	struct client_answers	 a[11];
	struct client_view	 v;
	struct buf		 b;
	int16_t			 ans[INSTR_MAX_ITEMS];
	const char		*gad, *phq;
	size_t			 i;

	(void)state;
	memset(ans, 0, sizeof(ans));
	memset(a, 0, sizeof(a));
	for (i = 0; i < 11; i++) {
		a[i].re = registry_find(&test_reg, i == 10 ? "gad7" : "phq9");
		assert_non_null(a[i].re);
		a[i].ans = ans;
		snprintf(a[i].date, sizeof(a[i].date), "2026-11-%02zu",
		    i == 10 ? 10 : i + 1);
	}
	memset(&v, 0, sizeof(v));
	v.client = 7;
	v.now = NOW;
	v.answers = a;
	v.nanswers = 11;
	write_answers(&v, false, &b);
	assert_int_equal(test_count(b.data, "<details>"), 8);
	assert_non_null(strstr(b.data, "<summary><time datetime=\"2026-11-10"
	    "\""));
	assert_non_null(strstr(b.data, "</time>: PHQ-9, GAD-7</summary>"));
	phq = strstr(b.data, "2026-11-10");
	gad = strstr(b.data, "2026-11-09");
	assert_true(phq != NULL && gad != NULL && phq < gad);
	assert_null(strstr(b.data, "\"2026-11-02\""));
	assert_non_null(strstr(b.data, "The latest 8 days of 10. <a href=\""
	    "/clients/7?section=measures&amp;answers=all#answers\">"));
	buf_free(&b);
	write_answers(&v, true, &b);
	assert_int_equal(test_count(b.data, "<details>"), 10);
	assert_non_null(strstr(b.data, "\"2026-11-01\""));
	assert_non_null(strstr(b.data, "10 days. <a href=\"/clients/7?"
	    "section=measures#answers\">Show the latest only</a>"));
	buf_free(&b);
}

/* Each form's card is found in its section: the link back after a
 * post opens the right one. */
static void
a_card_is_found_in_its_section(void **state)
{
	enum client_section	 s;
	char			 href[80];
	struct buf		 b;

	(void)state;
	client_href(href, sizeof(href), 3, "links");
	assert_string_equal(href, "/clients/3?section=care#links");
	client_href(href, sizeof(href), 3, "add-note");
	assert_string_equal(href, "/clients/3?section=sessions#add-note");
	client_href(href, sizeof(href), 3, "narratives");
	assert_string_equal(href, "/clients/3?section=narratives#narratives");
	client_href(href, sizeof(href), 3, "timeline");
	assert_string_equal(href, "/clients/3?section=history#timeline");
	assert_true(client_section_named(NULL, &s));
	assert_int_equal(s, CS_MEASURES);
	assert_true(client_section_named("care", &s));
	assert_int_equal(s, CS_CARE);
	assert_false(client_section_named("Care", &s));
	assert_false(client_section_named("care ", &s));
	buf_init(&b, 1 << 16);
	client_tabs_html(&b, 3, CS_SESSIONS);
	assert_int_equal(b.err, SB_OK);
	assert_int_equal(test_count(b.data, "<li>"), CS__MAX);
	assert_int_equal(test_count(b.data, "aria-current"), 1);
	assert_non_null(strstr(b.data, "<a href=\"/clients/3?section=sessions"
	    "\" aria-current=\"page\">Sessions &amp; notes</a>"));
	buf_free(&b);
}

static void
answers_name_each_option_and_a_skipped_item(void **state)
{
	struct client_answers	 a;
	struct client_view	 v;
	struct buf		 b;
	size_t			 i;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.re = registry_find(&test_reg, "phq9");
	assert_non_null(a.re);
	a.ans = calloc(a.re->in->nitems, sizeof(*a.ans));
	assert_non_null(a.ans);
	for (i = 0; i < a.re->in->nitems; i++)
		a.ans[i] = 0;
	a.ans[0] = 3;
	a.ans[8] = SCORE_MISSING;
	snprintf(a.date, sizeof(a.date), "2026-11-30");
	memset(&v, 0, sizeof(v));
	v.now = NOW;
	v.answers = &a;
	v.nanswers = 1;
	write_answers(&v, false, &b);
	/* The form's words for 3 and 0 (Spitzer, Kroenke & Williams
	 * 1999). */
	assert_non_null(strstr(b.data, "<tr><td>Little interest or pleasure "
	    "in doing things</td><td>Nearly every day</td></tr>"));
	assert_non_null(strstr(b.data, "hurting yourself in some way</td><td>"
	    "(skipped)</td></tr>"));
	assert_non_null(strstr(b.data, "doing things</td><td>Nearly every "
	    "day</td></tr><tr><td>Feeling down, depressed, or hopeless</td>"
	    "<td>Not at all</td></tr>"));
	buf_free(&b);
	v.nanswers = 0;
	write_answers(&v, false, &b);
	assert_non_null(strstr(b.data, "No answers yet."));
	buf_free(&b);
	free(a.ans);
}

static struct client_dated	 rows[] = {
	{ "1998", STORE_TL_EVENT, (char *)"Parents <separated>", -2 },
	{ "2026-06-09", STORE_TL_SESSION, (char *)"attended", 0 },
	{ "2026-06-16", STORE_TL_MEASURE, (char *)"phq9", 0 },
	{ "2026-10-20", STORE_TL_EVENT, (char *)"Moved in together", 1 },
	{ "2026-11-17", STORE_TL_SESSION, (char *)"cancelled", 0 },
	{ "2026-11-24", STORE_TL_SESSION, (char *)"attended", 0 },
};

static void
write_timeline(const struct client_view *v, bool life, struct buf *b)
{
	buf_init(b, 1 << 22);
	client_timeline_html(b, v, life);
	assert_int_equal(b->err, SB_OK);
}

static void
the_timeline_shows_the_therapy_or_the_whole_life(void **state)
{
	struct client_view	 v;
	struct buf		 b;
	const char		*a, *c;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.client = 7;
	v.now = NOW;
	v.tl = rows;
	v.ntl = sizeof(rows) / sizeof(rows[0]);
	write_timeline(&v, false, &b);
	assert_non_null(strstr(b.data, "The therapy, from <time datetime=\""
	    "2026-06-09\""));
	assert_non_null(strstr(b.data, "<a href=\"/clients/7?section=history"
	    "&amp;timeline=life#timeline\">Show the whole life (1 earlier "
	    "life event)</a>"));
	/* The event before the therapy is left out; newest first. */
	assert_null(strstr(b.data, "Parents"));
	a = strstr(b.data, "Moved in together (+1)");
	c = strstr(b.data, ">phq9<");
	assert_non_null(a);
	assert_non_null(c);
	assert_true(a < c);
	buf_free(&b);
	write_timeline(&v, true, &b);
	assert_non_null(strstr(b.data, "The whole life. <a href=\"/clients/7?"
	    "section=history#timeline\">Show the therapy only</a>"));
	assert_non_null(strstr(b.data, "<td>Life event</td><td>Parents "
	    "&lt;separated&gt; (-2)</td>"));
	buf_free(&b);
	v.ntl = 0;
	write_timeline(&v, false, &b);
	assert_non_null(strstr(b.data, "Nothing dated yet"));
	buf_free(&b);
}

static void
write_measures(const struct client_view *v, struct buf *b)
{
	buf_init(b, 1 << 22);
	client_measures_html(b, v);
	client_attachment_html(b, v, "Ada");
	assert_int_equal(b->err, SB_OK);
}

static void
not_on_track_counts_sessions_and_recent_events(void **state)
{
	static const char *const d[] = { "2026-06-16", "2026-11-24" };
	static const double val[] = { 15, 21 };
	struct client_series	 se;
	struct client_view	 v;
	struct buf		 b;

	(void)state;
	series_fill(&se, "phq9", d, val, 2);
	se.off = true;
	se.intake_t = 1781568000;	/* 2026-06-16T00:00:00Z */
	snprintf(se.shaped, sizeof(se.shaped), "a test's band");
	memset(&v, 0, sizeof(v));
	v.now = NOW;
	v.m.s = &se;
	v.m.ns = 1;
	v.tl = rows;
	v.ntl = sizeof(rows) / sizeof(rows[0]);
	v.others_ok = true;
	write_measures(&v, &b);
	assert_non_null(strstr(b.data, "<strong>Not on track</strong>"));
	assert_non_null(strstr(b.data, "Alliance: no WAI-SR answered"));
	assert_non_null(strstr(b.data, "Attachment: no attachment measure "
	    "answered"));
	/* 20 October is within the 8 weeks before 2 December (from 7
	 * October); 1998 is not. */
	assert_non_null(strstr(b.data, "Life events dated in the last 8 "
	    "weeks: 1 (see the timeline)"));
	/* Since 16 June: the session of 24 November, not the cancelled
	 * one, nor the one of 9 June before the first score. */
	assert_non_null(strstr(b.data, "Sessions attended since the "
	    "episode's first score: 1</li>"));
	/* PHQ-9 21 is "Severe" (20-27). */
	assert_non_null(strstr(b.data, "Latest: <strong>21</strong> (Severe)"));
	assert_non_null(strstr(b.data, "No attachment measure yet."));
	buf_free(&b);
	series_drop(&se);
}

static void
a_partner_is_named_escaped_and_a_failed_read_said(void **state)
{
	struct client_other	 o;
	struct client_view	 v;
	struct buf		 b;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.name = (char *)"Bo <i>";
	o.couple = true;
	memset(&v, 0, sizeof(v));
	v.now = NOW;
	v.others = &o;
	v.nothers = 1;
	v.others_ok = false;
	write_measures(&v, &b);
	assert_non_null(strstr(b.data, "<h3>Seen as a couple with Bo &lt;i&gt;"
	    "</h3><p class=\"empty\">Neither has answered the ECR-RS about a "
	    "partner yet.</p>"));
	assert_non_null(strstr(b.data, "Who the client is seen with could not "
	    "be read."));
	assert_null(strstr(b.data, "<i>"));
	assert_null(strstr(b.data, "No attachment measure yet."));
	assert_non_null(strstr(b.data, "No measures yet."));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    a_tile_says_the_published_band_and_the_next_due),
		cmocka_unit_test(an_unscored_latest_says_its_answered_items),
		cmocka_unit_test(answers_name_each_option_and_a_skipped_item),
		cmocka_unit_test(
		    answers_are_grouped_by_day_newest_first_and_paged),
		cmocka_unit_test(a_card_is_found_in_its_section),
		cmocka_unit_test(
		    the_timeline_shows_the_therapy_or_the_whole_life),
		cmocka_unit_test(
		    not_on_track_counts_sessions_and_recent_events),
		cmocka_unit_test(
		    a_partner_is_named_escaped_and_a_failed_read_said),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

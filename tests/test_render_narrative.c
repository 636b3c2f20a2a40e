/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_render_narrative.c - one narrative written from a view built in
 * memory, with no store and no server: the prompt and the text are text
 * and never markup, the chosen draft is named with its words counted,
 * every indicator has its row with a way to mark it alone, every draft
 * its row across drafts, one indicator marked alone says so with a way
 * back, and a narrative with no draft says nothing was written.
 */
#include <stdlib.h>
#include <string.h>

#include "core/builtin.h"
#include "render/narrative_page.h"
#include "test.h"

static struct lexicon	*en;

static int
load(void **state)
{
	(void)state;
	return test_lexicon_en(&en);
}

static int
unload(void **state)
{
	(void)state;
	lexicon_free(en);
	return 0;
}

/* Two drafts, the second shown, as app/narrative_view.c builds it. */
static void
two_drafts(struct narrative_view *nv, int only)
{
	static const char *const texts[2] = {
	    "My mother kept a garden.",
	    "I remember the day my mother <script>alert(1)</script> left." };
	size_t	 i;

	memset(nv, 0, sizeof(*nv));
	nv->lex = en;
	nv->prompt = "Your mother & you";
	nv->only = only;
	nv->now = 1796212800;	/* 2026-12-02T12:00:00Z */
	for (i = 0; i < 2; i++) {
		nv->ds.d[i].version = (int)i + 1;
		snprintf(nv->ds.d[i].created, sizeof(nv->ds.d[i].created),
		    "2026-11-0%zuT10:00:00Z", i + 1);
		snprintf(nv->ds.d[i].author, sizeof(nv->ds.d[i].author),
		    "client");
		nv->ds.d[i].text = strdup(texts[i]);
		assert_non_null(nv->ds.d[i].text);
	}
	nv->ds.n = 2;
	nv->sel = 1;
	snprintf(nv->base, sizeof(nv->base), "/clients/1/narratives/mother");
	assert_int_equal(narrative_analyze(en, texts[1], strlen(texts[1]),
	    &nv->res), SB_OK);
	nv->analysed = true;
}

/* How many times needle stands in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
the_chosen_draft_with_every_indicator(void **state)
{
	struct narrative_view	 nv;
	struct buf		 b;

	(void)state;
	two_drafts(&nv, -1);
	buf_init(&b, 1 << 22);
	narrative_html(&b, &nv);
	assert_int_equal(b.err, SB_OK);
	assert_non_null(strstr(b.data, "<p class=\"prompt\">Your mother &amp; "
	    "you</p>"));
	/* Draft 2, when (in words, a month before the page's time; the
	 * exact time in the title) and by whom, then its words counted. */
	assert_non_null(strstr(b.data, "<h2 id=\"text\">Draft 2 (<time "
	    "datetime=\"2026-11-02T10:00:00Z\" title=\"2026-11-02T10:00:00Z\">"
	    "2 Nov</time>, by the client; "));
	/* Each draft's row says when too, in words. */
	assert_non_null(strstr(b.data, ">1 Nov</time></td><td>client</td>"));
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;"));
	/* One row a indicator, each with a way to mark it alone. */
	assert_int_equal(count(b.data, ">Mark only these</a>"),
	    NARR_INDICATORS);
	assert_non_null(strstr(b.data, "/clients/1/narratives/mother?v=2&amp;"
	    "show=episodic#text"));
	/* One row a draft across drafts. */
	assert_non_null(strstr(b.data, "href=\"/clients/1/narratives/mother?"
	    "v=1#text\">1</a>"));
	assert_non_null(strstr(b.data, "href=\"/clients/1/narratives/mother?"
	    "v=2#text\">2</a>"));
	assert_null(strstr(b.data, "Marked: "));
	buf_free(&b);
	narrative_view_free(&nv);
}

static void
one_indicator_marked_alone(void **state)
{
	struct narrative_view	 nv;
	struct buf		 b;

	(void)state;
	two_drafts(&nv, 0);
	buf_init(&b, 1 << 22);
	narrative_html(&b, &nv);
	assert_non_null(strstr(b.data, "<p>Marked: "));
	assert_non_null(strstr(b.data, "<a href=\"/clients/1/narratives/"
	    "mother?v=2#text\">Mark all</a></p>"));
	/* Only indicator 0 can be marked: no other class. */
	assert_null(strstr(b.data, "<mark class=\"i1\""));
	buf_free(&b);
	narrative_view_free(&nv);
}

static void
nothing_written_says_so(void **state)
{
	struct narrative_view	 nv;
	struct buf		 b;

	(void)state;
	memset(&nv, 0, sizeof(nv));
	nv.lex = en;
	nv.prompt = "Your father";
	nv.only = -1;
	buf_init(&b, 1 << 16);
	narrative_html(&b, &nv);
	assert_non_null(strstr(b.data, "<p>Nothing written yet.</p>"));
	assert_null(strstr(b.data, "<table"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_chosen_draft_with_every_indicator),
		cmocka_unit_test(one_indicator_marked_alone),
		cmocka_unit_test(nothing_written_says_so),
	};

	return cmocka_run_group_tests(tests, load, unload);
}

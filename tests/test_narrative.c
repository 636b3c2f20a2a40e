/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_narrative.c - each discourse indicator finds what it defines and
 * leaves alone what it does not: a positive and a negative control for
 * every one, with the traps docs/reference/narrative.md names (the
 * historical present, "my mother is buried in...", "I don't remember the
 * name of the street", metacognition versus therapy jargon); offsets in
 * characters; the lexicon's errors name file and line; another language
 * is data.
 */
#include <stdlib.h>

#include "core/builtin.h"
#include "app/io.h"
#include "core/narrative.h"
#include "test.h"

static struct lexicon *en;

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

static size_t
ind(const char *id)
{
	size_t	 k;

	for (k = 0; k < NARR_INDICATORS; k++)
		if (strcmp(narr_ids[k], id) == 0)
			return k;
	fail_msg("no indicator %s", id);
	return 0;
}

/* The words that triggered indicator id in text, "|"-joined. */
static void
found(const char *text, const char *id, char *out, size_t n)
{
	struct narr_result	 r;
	const struct narr_count	*c;
	size_t			 s, len = 0;

	assert_int_equal(narrative_analyze(en, text, strlen(text), &r), SB_OK);
	c = &r.ind[ind(id)];
	assert_int_equal(c->count, c->nspans);
	out[0] = '\0';
	for (s = 0; s < c->nspans && len < n; s++)
		len += (size_t)snprintf(out + len, n - len, "%s%.*s", s ? "|" :
		    "", (int)(c->spans[s].end - c->spans[s].start),
		    text + c->spans[s].start);
	narr_result_free(&r);
}

#define EXPECT(text, id, want) do {					\
	char got_[1024];						\
	found((text), (id), got_, sizeof(got_));			\
	if (strcmp(got_, (want)) != 0) {				\
		print_error("%s in \"%s\": got \"%s\", want \"%s\"\n",	\
		    (id), (text), got_, (want));			\
		fail();							\
	}								\
} while (0)

static void
episodic_anchors_versus_none(void **state)
{
	(void)state;
	EXPECT("When I was 7 we went to the sea. One Sunday in 1989 it rained.",
	    "episodic", "When I was 7|One Sunday|in 1989");
	EXPECT("That night she did not come home.", "episodic", "That night");
	EXPECT("when I was seven", "episodic", "when I was seven");
	EXPECT("We were a family and we lived in a house.", "episodic", "");
}

static void
ordinal_ages_and_occasions_are_anchors(void **state)
{
	(void)state;
	EXPECT("On my seventh birthday, at the lake house, my father taught "
	    "me to swim.", "episodic", "On my seventh birthday");
	EXPECT("I cried on the first day of school.", "episodic",
	    "the first day of school");
	EXPECT("My 10th birthday was a disaster.", "episodic",
	    "My 10th birthday");
	EXPECT("In third grade a teacher noticed.", "episodic",
	    "In third grade");
	/* The traps: "first" that is not an occasion. */
	EXPECT("First of all, she was my first love.", "episodic", "");
	EXPECT("At first I was scared of the dark.", "episodic", "");
	EXPECT("Birthdays were always quiet in our house.", "episodic", "");
}

static void
generalisations_versus_episodes(void **state)
{
	(void)state;
	EXPECT("She was always wonderful. I had a normal childhood.",
	    "generalisation", "always|wonderful|normal childhood");
	EXPECT("She drove me to school on Monday.", "generalisation", "");
}

static void
dont_remember_but_not_a_detail(void **state)
{
	(void)state;
	EXPECT("I don't remember. I can't remember anything about her. "
	    "It's a blank.", "no_recall",
	    "I don't remember|I can't remember|It's a blank");
	/* The trap: a forgotten detail inside a memory that is told. */
	EXPECT("We lived on a hill; I don't remember the name of the street, "
	    "but I remember the red door.", "no_recall", "");
	/* The curly apostrophe of word processors reads the same. */
	EXPECT("I don\xE2\x80\x99t remember.", "no_recall",
	    "I don\xE2\x80\x99t remember");
	EXPECT("I remember everything about that house.", "no_recall", "");
}

static void
temporal_and_causal_connectives(void **state)
{
	(void)state;
	EXPECT("After the move things changed. Then I left, years later.",
	    "temporal", "After|Then|years later");
	EXPECT("I left because he drank, so I never went back.", "causal",
	    "because|so I");
	/* "so" as an intensifier is not a cause. */
	EXPECT("I was so happy there.", "causal", "");
	EXPECT("The garden had roses.", "temporal", "");
}

static void
present_tense_about_the_dead(void **state)
{
	(void)state;
	EXPECT("My mother died in 2001. My mother is waiting for me. "
	    "Mum says I should rest.", "dead_present", "mother is|Mum says");
	/* "the one who..." describes; it is left out. */
	EXPECT("My mother died in 2001. My mother is the one I call first.",
	    "dead_present", "");
	/* The traps: where she is buried, and the historical present about
	 * someone alive. */
	EXPECT("My mother died in 2001. My mother is buried in Leeds.",
	    "dead_present", "");
	EXPECT("Dad died when I was twelve. I'm seven, and my mum comes in and "
	    "says we are moving.", "dead_present", "");
	/* Before the death is told, the present is just the present. */
	EXPECT("My father is kind. Later my father died.", "dead_present", "");
	EXPECT("My grandmother's funeral was in May. Grandma is always in "
	    "my thoughts.", "dead_present", "Grandma is");
}

static void
a_pronoun_is_followed_back_to_the_dead(void **state)
{
	(void)state;
	/* "She" is the grandmother: the latest woman named. */
	EXPECT("My grandmother died when I was nine. She loves gardening and "
	    "she is always there for me.", "dead_present",
	    "She loves|she is");
	/* A death told with a pronoun. */
	EXPECT("I loved my grandfather. He died in 2010. He is still "
	    "watching over me.", "dead_present", "He is");
	/* The traps: a living person named after the death ... */
	EXPECT("My grandmother died when I was nine. My mother is a nurse "
	    "and she loves gardening.", "dead_present", "");
	/* ... two people of the same gender, the later one alive ... */
	EXPECT("My grandfather died last year. My brother took it hard. He "
	    "is always there for me.", "dead_present", "");
	/* ... a pronoun of the other gender ... */
	EXPECT("My father died in 2001. She is kind to me.", "dead_present",
	    "");
	/* ... and a new paragraph, where nobody has been named yet. */
	EXPECT("My grandmother died when I was nine.\n\nShe is my teacher "
	    "now.", "dead_present", "");
	EXPECT("My grandmother died when I was nine.\n  \r\nShe is my "
	    "teacher now.", "dead_present", "");
	/* A line break inside a paragraph keeps the referent. */
	EXPECT("My grandmother died when I was nine.\nShe is my guardian "
	    "angel.", "dead_present", "She is");
}

static void
hedges_and_fillers(void **state)
{
	(void)state;
	EXPECT("Maybe it was sort of my fault, I guess.", "hedge",
	    "Maybe|sort of|I guess");
	EXPECT("It was my fault.", "hedge", "");
	EXPECT("Um, we went there, you know, and stuff.", "filler",
	    "Um|you know|and stuff");
	EXPECT("We went there in the spring.", "filler", "");
}

static void
metacognition_not_jargon(void **state)
{
	(void)state;
	EXPECT("Looking back, I realise now she was scared. At the time I "
	    "thought she hated me. I may be remembering it wrong.",
	    "metacognition", "Looking back|I realise now|At the time I "
	    "thought|I may be remembering");
	/* Therapy talk is not monitoring. */
	EXPECT("My inner child was triggered by her toxic codependent "
	    "boundaries.", "metacognition", "");
}

static void
anger_at_an_absent_you(void **state)
{
	(void)state;
	EXPECT("Why did you never come? I hate you for it.",
	    "absent_address_anger", "Why did you never|hate you");
	/* Generic "you", "you know", and anger with no "you". */
	EXPECT("You just get on with it, you know.", "absent_address_anger",
	    "");
	EXPECT("I was angry with him for years.", "absent_address_anger", "");
	EXPECT("Thank you for listening.", "absent_address_anger", "");
}

static void
reported_speech_is_not_the_writer_s_anger(void **state)
{
	(void)state;
	/* Someone else's words to the writer, by a pronoun or a name of
	 * kin, before or after the "you". */
	EXPECT("My mother left. She said: you ruined everything.",
	    "absent_address_anger", "");
	EXPECT("Dad shouted that you always ruin it.", "absent_address_anger",
	    "");
	EXPECT("You ruined everything, he told me.", "absent_address_anger",
	    "");
	/* The trap: the writer speaking, and the next sentence. */
	EXPECT("I told her: I hate you for leaving.", "absent_address_anger",
	    "hate you");
	EXPECT("She said she would come. Why didn't you come? I hate you.",
	    "absent_address_anger", "Why didn't you|hate you");
}

static void
unfinished_sentences_where_marked(void **state)
{
	(void)state;
	EXPECT("And then she said --\nI left. It was as if... Nobody came.",
	    "unfinished", "--|...");
	EXPECT("I was going to \xE2\x80\x94\nShe never (trails off)",
	    "unfinished", "\xE2\x80\x94|(trails off)");
	/* Dashes around an aside do not end a sentence. */
	EXPECT("We left -- after school -- and walked home.", "unfinished", "");
}

static void
json_offsets_count_characters(void **state)
{
	struct narr_result	 r;
	struct buf		 b;
	/* "Zoë" is four bytes, three characters. */
	const char		*t = "Zoë: I don't remember.";

	(void)state;
	assert_int_equal(narrative_analyze(en, t, strlen(t), &r), SB_OK);
	assert_int_equal(r.words, 4);
	buf_init(&b, 1 << 16);
	assert_int_equal(narr_result_json(&r, t, strlen(t), &b), SB_OK);
	ASSERT_CONTAINS(b.data, "{\"id\": \"no_recall\", \"count\": 1, "
	    "\"per_1000\": 250.0, \"spans\": [[5, 21]]}");
	ASSERT_CONTAINS(b.data, "{\"words\": 4, \"indicators\": [{\"id\": "
	    "\"episodic\"");
	buf_free(&b);
	narr_result_free(&r);
}

static void
empty_and_hostile_text(void **state)
{
	struct narr_result	 r;
	char			 junk[4096];
	size_t			 i;

	(void)state;
	assert_int_equal(narrative_analyze(en, "", 0, &r), SB_OK);
	assert_int_equal(r.words, 0);
	assert_true(r.ind[0].per_1000 == 0);
	narr_result_free(&r);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 131 + 7);
	assert_int_equal(narrative_analyze(en, junk, sizeof(junk), &r), SB_OK);
	narr_result_free(&r);
}

static enum sb_err
parse(const char *text, struct lexicon **l, char *err, size_t n)
{
	return lexicon_parse("x.lexicon", text, strlen(text), l, err, n);
}

static void
lexicon_errors_name_the_line(void **state)
{
	struct lexicon	*l;
	char		 err[256];

	(void)state;
	assert_int_equal(parse("language xx\nindicator nonsense\n", &l, err,
	    sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:2: no indicator \"nonsense\"");
	assert_int_equal(parse("language xx\nindicator hedge\n  phrase "
	    "{nope} x\n", &l, err, sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:3: no class {nope}");
	assert_int_equal(parse("language xx\n  stray\n", &l, err,
	    sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:2: an indented line outside");
	assert_int_equal(parse("language xx\n", &l, err, sizeof(err)),
	    SB_EINVAL);
	ASSERT_CONTAINS(err, "indicator episodic has no title");
	assert_int_equal(parse("language xx\npronoun she female\n", &l, err,
	    sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:2: no class female");
	assert_int_equal(parse("language xx\nclass f\n  a\npronoun she\n",
	    &l, err, sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:4: pronoun WORD CLASS");
	assert_int_equal(parse("language xx\nclass f\n  a\npronoun she f\n"
	    "pronoun she f\n", &l, err, sizeof(err)), SB_EINVAL);
	ASSERT_CONTAINS(err, "x.lexicon:5: pronoun she twice");
}

/* A second language is a data file: a tiny one, made here. */
static void
another_language_is_data(void **state)
{
	static const char *const fields =
	    "  title t\n  definition d\n  research r\n  strength s\n"
	    "  false-positives f\n";
	struct buf	 b;
	struct lexicon	*l;
	struct narr_result r;
	char		 err[256];
	size_t		 k;
	const char	*t = "Ich weiß nicht mehr. Vielleicht.";

	(void)state;
	buf_init(&b, 1 << 16);
	buf_adds(&b, "language de\nname Deutsch (test)\n");
	for (k = 0; k < NARR_INDICATORS; k++) {
		buf_printf(&b, "indicator %s\n%s", narr_ids[k], fields);
		if (strcmp(narr_ids[k], "no_recall") == 0)
			buf_adds(&b, "  phrase ich weiß nicht mehr\n");
		if (strcmp(narr_ids[k], "hedge") == 0)
			buf_adds(&b, "  phrase vielleicht\n");
		if (strcmp(narr_ids[k], "unfinished") == 0)
			buf_adds(&b, "  marker --\n");
	}
	assert_int_equal(lexicon_parse("de.lexicon", b.data, b.len, &l, err,
	    sizeof(err)), SB_OK);
	assert_string_equal(lexicon_language(l), "de");
	assert_int_equal(narrative_analyze(l, t, strlen(t), &r), SB_OK);
	assert_int_equal(r.ind[ind("no_recall")].count, 1);
	assert_int_equal(r.ind[ind("hedge")].count, 1);
	narr_result_free(&r);
	lexicon_free(l);
	buf_free(&b);
}

static void
every_indicator_is_explained(void **state)
{
	size_t	 k;

	(void)state;
	for (k = 0; k < NARR_INDICATORS; k++) {
		const struct narr_about *a = lexicon_about(en, k);

		assert_string_equal(a->id, narr_ids[k]);
		assert_true(strlen(a->definition) > 40);
		assert_true(strlen(a->research) > 40);
		assert_true(strlen(a->false_positives) > 10);
		/* An honest grade leads the strength text. */
		assert_true(strncmp(a->strength, "Strong", 6) == 0 ||
		    strncmp(a->strength, "Moderate", 8) == 0 ||
		    strncmp(a->strength, "Weak", 4) == 0);
	}
}

/* docs/narrative.md shows what the page shows: the lexicon's own words. */
static void
the_docs_say_what_the_page_says(void **state)
{
	struct buf	 doc;
	char		 err[256];
	size_t		 k;

	(void)state;
	buf_init(&doc, 1 << 20);
	assert_int_equal(io_read_file("docs/narrative.md", 1 << 20, &doc, err,
	    sizeof(err)), SB_OK);
	for (k = 0; k < NARR_INDICATORS; k++) {
		ASSERT_CONTAINS(doc.data, lexicon_about(en, k)->definition);
		ASSERT_CONTAINS(doc.data, lexicon_about(en, k)->research);
		ASSERT_CONTAINS(doc.data, lexicon_about(en, k)->strength);
		ASSERT_CONTAINS(doc.data,
		    lexicon_about(en, k)->false_positives);
	}
	buf_free(&doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(episodic_anchors_versus_none),
		cmocka_unit_test(ordinal_ages_and_occasions_are_anchors),
		cmocka_unit_test(generalisations_versus_episodes),
		cmocka_unit_test(dont_remember_but_not_a_detail),
		cmocka_unit_test(temporal_and_causal_connectives),
		cmocka_unit_test(present_tense_about_the_dead),
		cmocka_unit_test(a_pronoun_is_followed_back_to_the_dead),
		cmocka_unit_test(hedges_and_fillers),
		cmocka_unit_test(metacognition_not_jargon),
		cmocka_unit_test(anger_at_an_absent_you),
		cmocka_unit_test(reported_speech_is_not_the_writer_s_anger),
		cmocka_unit_test(unfinished_sentences_where_marked),
		cmocka_unit_test(json_offsets_count_characters),
		cmocka_unit_test(empty_and_hostile_text),
		cmocka_unit_test(lexicon_errors_name_the_line),
		cmocka_unit_test(another_language_is_data),
		cmocka_unit_test(every_indicator_is_explained),
		cmocka_unit_test(the_docs_say_what_the_page_says),
	};

	return cmocka_run_group_tests(tests, load, unload);
}

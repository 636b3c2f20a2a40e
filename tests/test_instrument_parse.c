/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_instrument_parse.c - the definition format: a complete example
 * parses into the expected model; every malformed file is refused whole,
 * with each error named by file and line.
 */
#include <stdlib.h>

#include "app/io.h"
#include "test.h"

#define HEAD \
	"securebase-instrument 1\nid t\nversion 1\nname T\ntitle Test\n" \
	"citation C\nlicence free\nlicence-terms none\n"
#define OPTS	"options o\n  0 No\n  1 Yes\n"

static struct instrument *
parse_ok(const char *text)
{
	struct instrument	*in = NULL;
	struct buf		 err;

	buf_init(&err, 1 << 16);
	if (instr_parse(text, strlen(text), "t.instrument", &in, &err) !=
	    SB_OK) {
		print_error("unexpected errors:\n%s", err.data);
		fail();
	}
	buf_free(&err);
	return in;
}

/* The file must be refused, and the errors must contain want. */
static void
parse_bad(const char *text, size_t len, const char *want)
{
	struct instrument	*in = (struct instrument *)1;
	struct buf		 err;

	buf_init(&err, 1 << 16);
	assert_int_not_equal(instr_parse(text, len, "t.instrument", &in,
	    &err), SB_OK);
	assert_null(in);
	ASSERT_CONTAINS(err.data, want);
	buf_free(&err);
}

#define BAD(text, want)	parse_bad((text), strlen(text), (want))

static void
documented_example_parses(void **state)
{
	struct buf		 text;
	struct instrument	*in;
	char			 err[256];

	(void)state;
	assert_int_equal(io_read_file("docs/example.instrument",
	    INSTR_MAX_FILE, &text, err, sizeof(err)), SB_OK);
	in = parse_ok(text.data);
	assert_string_equal(in->id, "example-mood");
	assert_int_equal(in->nitems, 5);
	assert_true(in->items[1].reverse);
	assert_true(in->items[3].critical);
	assert_false(in->items[4].scored);
	assert_int_equal(in->nscores, 3);
	assert_int_equal(in->scores[0].max_missing, 1);
	assert_int_equal(in->scores[0].nbands, 3);
	assert_int_equal(in->scores[2].method, METHOD_CONVERT);
	assert_true(in->scores[0].clinical.set);
	assert_true(in->scores[0].course.set);
	ASSERT_NEAR(in->scores[0].course.m1, 5.0, 1e-12);
	ASSERT_NEAR(in->scores[0].course.s1, 3.0, 1e-12);
	assert_string_equal(in->scores[0].course.source,
	    "placeholder course, intake then end");
	assert_true(in->scores[0].tt.set);
	ASSERT_NEAR(in->scores[0].tt.caseness, 6, 1e-12);
	ASSERT_NEAR(in->scores[0].tt.change, 3, 1e-12);
	assert_int_equal(in->nunverified, 1);
	instr_free(in);
	buf_free(&text);
}

static void
ranges_targets_and_order(void **state)
{
	struct instrument	*in;

	(void)state;
	in = parse_ok(HEAD OPTS "targets\n  a A\n  b B\n"
	    "item q1 one\n  reverse\nitem q2 two\n"
	    "score s S\n  each-target\n  sum q1-q2\n"
	    "score u U\n  each-target\n  mean q2\n"
	    "score g G\n  mean-of a.s b.s\n");
	assert_int_equal(in->nitems, 4);
	assert_string_equal(in->items[2].id, "b.q1");
	assert_true(in->items[2].reverse);
	assert_int_equal(in->nscores, 5);
	/* Per-target scores are laid out target by target. */
	assert_string_equal(in->scores[0].id, "a.s");
	assert_string_equal(in->scores[1].id, "a.u");
	assert_string_equal(in->scores[2].id, "b.s");
	assert_string_equal(in->scores[4].id, "g");
	/* A target's score names its figure; the global one stays. */
	assert_string_equal(in->scores[2].label, "S (b)");
	assert_string_equal(in->scores[4].label, "G");
	ASSERT_NEAR(in->scores[0].max, 2, 0);
	instr_free(in);
}

static void
crlf_comments_and_blank_lines(void **state)
{
	struct instrument	*in;

	(void)state;
	in = parse_ok("# comment\r\n\r\nsecurebase-instrument 1\r\nid t\r\n"
	    "version 1\r\nname T\r\ntitle T # not a comment\r\ncitation C\r\n"
	    "licence free\r\nlicence-terms x\r\noptions o\r\n  0 No\r\n"
	    "  1 Yes\r\n   # indented comment\r\nitem q1 one\r\n"
	    "score s S\r\n  sum q1\r\n");
	assert_string_equal(in->title, "T # not a comment");
	instr_free(in);
}

static void
bad_files_name_file_and_line(void **state)
{
	(void)state;
	BAD("", "t.instrument:1: empty file");
	BAD("id t\n", "t.instrument:1: the first line must be");
	BAD("securebase-instrument 2\n", "t.instrument:1: unsupported format");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\nfrobnicate 1\n",
	    "t.instrument:15: unknown keyword \"frobnicate\"");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  summ q1\n",
	    "t.instrument:14: unknown score property \"summ\"");
	BAD(HEAD OPTS "item q1 one\n  reversed\nscore s S\n  sum q1\n",
	    "t.instrument:13: unknown item property");
	BAD(HEAD OPTS "item q1 one\nitem q1 again\nscore s S\n  sum q1\n",
	    "t.instrument:13: item q1 is defined twice");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1-q3\n",
	    "t.instrument:14: no item \"q2\"");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1 q1\n",
	    "t.instrument:14: \"q1\" is listed twice");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q3-q1\n",
	    "is not a range like q1-q9");
	BAD(HEAD "options o\n  0 No\n  0 Yes\nitem q1 one\nscore s S\n"
	    "  sum q1\n", "t.instrument:11: value 0 appears twice");
	BAD(HEAD "options o\n  x No\n", "t.instrument:10: an option line "
	    "starts with its whole-number value");
	BAD(HEAD "options o\n  0 No\nitem q1 one\nscore s S\n  sum q1\n",
	    "option set o needs at least two options");
	BAD(HEAD OPTS "item q1 one\n  options p\nscore s S\n  sum q1\n",
	    "t.instrument:12: item q1: no option set \"p\"");
	BAD(HEAD OPTS "item q1 one\n  critical 5\nscore s S\n  sum q1\n",
	    "critical value 5 is not one of its options");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  band 1 Hi\n  band 0 Lo\n"
	    "  sum q1\n", "t.instrument:15: bands must be listed from the "
	    "lowest");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  band 1 Hi\n",
	    "bands must start at or below the lowest possible score");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  reliability 1.2 |"
	    " x\n", "t.instrument:15: reliability must be a number between");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  reliability 0.8\n",
	    "needs its source after a '|'");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  clinical 5 -1 | "
	    "x\n", "needs a mean and a positive SD");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  reliability 0.8 | "
	    "x\n  clinical 1 1 | y\n", "has norms but no \"direction\"");
	BAD(HEAD OPTS "item q1 one\nitem q2 two\nscore s S\n  sum q1-q2\n"
	    "  missing prorate 2\n", "would allow a score with no answers");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  direction "
	    "lower-is-better\n  talking-therapies 1 0 | x\n", "reliable change "
	    "in points (positive)");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  talking-therapies "
	    "1 1 | x\n", "has \"talking-therapies\" but no \"direction\"");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  direction "
	    "lower-is-better\n  talking-therapies 5 1 | x\n", "the caseness "
	    "score lies outside");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  course 1 1 1\n",
	    "\"course\" needs the intake mean and SD and the end mean and SD");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  course 1 0 1 1 | "
	    "x\n", "(SDs positive)");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  course 1 1 1 1\n",
	    "\"course\" needs its source after a '|'");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  direction "
	    "lower-is-better\n  course 1 1 1 1 | x\n", "has a \"course\" but "
	    "no \"reliability\"");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\n  direction "
	    "lower-is-better\n  reliability 0.8 | r\n  course 9 1 1 1 | x\n",
	    "the \"course\" means lie outside");
	BAD(HEAD OPTS "item q1 one\n  loinc 44261-5\nscore s S\n  sum q1\n",
	    "\"44261-5\" is not a valid LOINC code");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\nscore m M\n"
	    "  convert s\n  table 0 1\n", "the table has no row for raw "
	    "score 1");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  sum q1\nscore m M\n"
	    "  mean-of x\n", "no score \"x\" is defined above this one");
	BAD(HEAD OPTS "item q1 one\n  unscored\nscore s S\n  sum q1\n",
	    "which is marked unscored");
	BAD(HEAD OPTS "item q1 one\nscore s S\n  each-target\n  sum q1\n",
	    "\"each-target\" but the instrument has no targets");
	BAD(HEAD OPTS "item q1 one\nscore s S\n", "score s has no method");
	BAD("securebase-instrument 1\nid T!\n", "t.instrument:2: id \"T!\"");
	BAD(HEAD OPTS "item q-1 one\n", "item id \"q-1\" is not a valid name");
	BAD(HEAD OPTS "item q1\n", "t.instrument:12: item q1 has no text");
	BAD("securebase-instrument 1\nid t\nid u\n", "\"id\" is given twice");
	BAD(HEAD "  stray\n", "t.instrument:9: indented line outside");
	BAD("securebase-instrument 1\nid t\n", "\"licence\" is missing");
	BAD("securebase-instrument 1\nid t\nlicence free\n",
	    "\"version\" is missing");
}

static void
every_error_is_reported_not_only_the_first(void **state)
{
	struct instrument	*in;
	struct buf		 err;
	const char		*t = HEAD OPTS "item q1 one\n  reverse x\n"
	    "item q2 two\n  critical\nscore s S\n  sum q1-q9\n";

	(void)state;
	buf_init(&err, 1 << 16);
	assert_int_equal(instr_parse(t, strlen(t), "t.instrument", &in,
	    &err), SB_EINVAL);
	ASSERT_CONTAINS(err.data, "t.instrument:13:");
	ASSERT_CONTAINS(err.data, "t.instrument:15:");
	buf_free(&err);
}

static void
hostile_bytes_and_sizes(void **state)
{
	char	*big;
	size_t	 n;

	(void)state;
	parse_bad(HEAD "title \0x\n", sizeof(HEAD "title \0x\n") - 1,
	    "t.instrument:9: line holds a NUL byte");
	BAD(HEAD "notice \xff\xfe\n", "t.instrument:9: line is not valid "
	    "UTF-8");
	BAD(HEAD "notice \xc0\xaf overlong\n", "not valid UTF-8");
	BAD(HEAD "notice \xed\xa0\x80 surrogate\n", "not valid UTF-8");
	/* A line over the limit. */
	n = INSTR_MAX_LINE + 100;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, "notice ", 7);
	big[n] = '\0';
	parse_bad(big, n, "line longer than");
	free(big);
	/* A file over the limit is refused before it is read. */
	n = INSTR_MAX_FILE + 1;
	big = calloc(1, n);
	assert_non_null(big);
	parse_bad(big, n, "file larger than");
	free(big);
	/* Too many errors: the list is capped and says so. */
	big = malloc(200 * 8 + 64);
	assert_non_null(big);
	{
		size_t o = (size_t)snprintf(big, 64, "securebase-instrument 1\n");
		for (n = 0; n < 200; n++)
			o += (size_t)snprintf(big + o, 9, "bogus 1\n");
		parse_bad(big, o, "more errors not shown");
	}
	free(big);
}

static void
loinc_check_digits(void **state)
{
	(void)state;
	assert_true(loinc_valid("44249-1"));
	assert_true(loinc_valid("44261-6"));
	assert_true(loinc_valid("70274-6"));
	assert_true(loinc_valid("69737-5"));
	assert_true(loinc_valid("LA6568-5"));
	assert_false(loinc_valid("44249-2"));
	assert_false(loinc_valid("4424a-1"));
	assert_false(loinc_valid("44249"));
	assert_false(loinc_valid("LAx-1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(documented_example_parses),
		cmocka_unit_test(ranges_targets_and_order),
		cmocka_unit_test(crlf_comments_and_blank_lines),
		cmocka_unit_test(bad_files_name_file_and_line),
		cmocka_unit_test(every_error_is_reported_not_only_the_first),
		cmocka_unit_test(hostile_bytes_and_sizes),
		cmocka_unit_test(loinc_check_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

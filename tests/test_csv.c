/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_csv.c - the bounded CSV/TSV reader: quoting, line endings,
 * delimiter detection, and limits that hold against hostile input.
 */
#include <stdlib.h>
#include <sys/types.h>

#include "core/csv.h"
#include "test.h"

/* Serves a string in chunks of at most `step` bytes. */
struct src {
	const char	*s;
	size_t		 len, off, step;
};

static ssize_t
src_read(void *ctx, char *dst, size_t n)
{
	struct src	*s = ctx;
	size_t		 k = s->len - s->off;

	if (k > n)
		k = n;
	if (k > s->step)
		k = s->step;
	memcpy(dst, s->s + s->off, k);
	s->off += k;
	return (ssize_t)k;
}

/* An endless line of 'a': as a 2 GB line would arrive. */
struct endless {
	size_t	 served;
};

static ssize_t
endless_read(void *ctx, char *dst, size_t n)
{
	struct endless	*e = ctx;

	memset(dst, 'a', n);
	e->served += n;
	return (ssize_t)n;
}

static ssize_t
failing_read(void *ctx, char *dst, size_t n)
{
	(void)ctx;
	(void)dst;
	(void)n;
	return -1;
}

static void
field_eq(const struct csv *c, size_t i, const char *want)
{
	assert_true(i < c->nfields);
	if (c->fields[i].n != strlen(want) ||
	    memcmp(c->fields[i].s, want, c->fields[i].n) != 0) {
		print_error("field %zu is \"%.*s\", expected \"%s\"\n", i,
		    (int)c->fields[i].n, c->fields[i].s, want);
		fail();
	}
}

static void
read_all_steps(const char *text, void (*check)(struct csv *))
{
	static const size_t	 steps[] = { 1, 2, 3, 7, 1 << 20 };
	struct csv		 c;
	struct src		 s;
	size_t			 i;

	/* The same text served one byte at a time up to all at once: a
	 * record split across reads must parse the same. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s.s = text;
		s.len = strlen(text);
		s.off = 0;
		s.step = steps[i];
		assert_int_equal(csv_open(&c, src_read, &s, 256, 16), SB_OK);
		check(&c);
		csv_close(&c);
	}
}

static void
check_quoting(struct csv *c)
{
	assert_int_equal(csv_next(c), SB_OK);
	assert_int_equal(c->nfields, 3);
	field_eq(c, 0, "id");
	assert_int_equal(csv_next(c), SB_OK);
	field_eq(c, 0, "a \"quoted\", name");
	field_eq(c, 1, "line1\nline2");
	field_eq(c, 2, "");
	assert_int_equal(c->line, 2);
	assert_int_equal(csv_next(c), SB_OK);
	assert_int_equal(c->line, 5);		/* after the quoted newline */
	field_eq(c, 0, "x");
	field_eq(c, 2, "z");
	assert_int_equal(csv_next(c), SB_EOF);
}

static void
quoted_fields_and_newlines(void **state)
{
	(void)state;
	read_all_steps("id,b,c\r\n\"a \"\"quoted\"\", name\",\"line1\nline2\","
	    "\r\n\r\nx,y,z", check_quoting);
}

static void
check_tsv(struct csv *c)
{
	assert_int_equal(csv_next(c), SB_OK);
	assert_int_equal(c->delim, '\t');
	field_eq(c, 0, "Q1");
	assert_int_equal(csv_next(c), SB_OK);
	field_eq(c, 1, "a,b");
	assert_int_equal(csv_next(c), SB_EOF);
}

static void
tab_separated_detected_and_bom_skipped(void **state)
{
	(void)state;
	read_all_steps("\xEF\xBB\xBFQ1\tQ2\n1\ta,b\n", check_tsv);
}

static void
malformed_quotes_are_errors(void **state)
{
	struct csv	 c;
	struct src	 s = { "a,b\n\"open,x\n", 0, 0, 64 };
	struct src	 t = { "a,b\n\"x\"y,z\n", 0, 0, 64 };
	struct src	 u = { "a,b\nx\"y,z\n", 0, 0, 64 };

	(void)state;
	s.len = strlen(s.s);
	assert_int_equal(csv_open(&c, src_read, &s, 256, 16), SB_OK);
	assert_int_equal(csv_next(&c), SB_OK);
	assert_int_equal(csv_next(&c), SB_EINVAL);
	ASSERT_CONTAINS(c.err, "line 2: a quoted field is never closed");
	csv_close(&c);
	t.len = strlen(t.s);
	assert_int_equal(csv_open(&c, src_read, &t, 256, 16), SB_OK);
	assert_int_equal(csv_next(&c), SB_OK);
	assert_int_equal(csv_next(&c), SB_EINVAL);
	ASSERT_CONTAINS(c.err, "line 2: text after a closing quote");
	csv_close(&c);
	u.len = strlen(u.s);
	assert_int_equal(csv_open(&c, src_read, &u, 256, 16), SB_OK);
	assert_int_equal(csv_next(&c), SB_OK);
	assert_int_equal(csv_next(&c), SB_EINVAL);
	/* A stray quote opens no field, but the record cannot be read. */
	ASSERT_CONTAINS(c.err, "line 2: a quoted field is never closed");
	csv_close(&c);
}

static void
endless_line_stops_early(void **state)
{
	struct csv	 c;
	struct endless	 e = { 0 };

	(void)state;
	assert_int_equal(csv_open(&c, endless_read, &e, 65536, 16), SB_OK);
	assert_int_equal(csv_next(&c), SB_ELIMIT);
	ASSERT_CONTAINS(c.err, "line 1: record longer than 65536 bytes");
	/* It read about the limit plus one buffer, not gigabytes. */
	assert_true(e.served < 4 * 1024 * 1024);
	csv_close(&c);
}

static void
too_many_fields_and_nul_bytes(void **state)
{
	struct csv	 c;
	struct src	 s = { "a,b,c,d,e\n", 0, 0, 64 };
	static const char nul[] = "a,b\nx,\0y\n";
	struct src	 t = { nul, sizeof(nul) - 1, 0, 64 };

	(void)state;
	s.len = strlen(s.s);
	assert_int_equal(csv_open(&c, src_read, &s, 256, 4), SB_OK);
	assert_int_equal(csv_next(&c), SB_ELIMIT);
	ASSERT_CONTAINS(c.err, "more than 4 fields");
	csv_close(&c);
	assert_int_equal(csv_open(&c, src_read, &t, 256, 4), SB_OK);
	assert_int_equal(csv_next(&c), SB_OK);
	assert_int_equal(csv_next(&c), SB_EINVAL);
	ASSERT_CONTAINS(c.err, "line 2: NUL byte");
	csv_close(&c);
}

static void
read_errors_are_reported(void **state)
{
	struct csv	 c;

	(void)state;
	assert_int_equal(csv_open(&c, failing_read, NULL, 256, 4), SB_OK);
	assert_int_equal(csv_next(&c), SB_EIO);
	ASSERT_CONTAINS(c.err, "read error");
	csv_close(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoted_fields_and_newlines),
		cmocka_unit_test(tab_separated_detected_and_bom_skipped),
		cmocka_unit_test(malformed_quotes_are_errors),
		cmocka_unit_test(endless_line_stops_early),
		cmocka_unit_test(too_many_fields_and_nul_bytes),
		cmocka_unit_test(read_errors_are_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

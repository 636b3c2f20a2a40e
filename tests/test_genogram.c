/*
 * test_genogram.c - the relationship map lays out hard families readably:
 * remarriage with children of both marriages, adoption and fostering
 * beside biological children, twins, three generations with cut-offs and
 * a same-sex couple, a client with no family, nobody at all.  For each:
 * every person is placed once, no two symbols (or their label slots)
 * overlap, parents sit a row above their children, partners who married
 * in sit beside their partner, siblings go by birth, and the SVG draws
 * every person and every tie exactly once with balanced tags.
 */
#include <stdlib.h>

#include "core/genogram.h"
#include "core/history.h"
#include "core/patterns.h"
#include "test.h"
#include "render/history_svg.h"

static void
add_person(struct history *h, int64_t id, const char *name,
    const char *gender, int born)
{
	struct hist_person	 p;
	char			 err[256];

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.name = (char *)name;
	p.gender = (char *)gender;
	p.born = born;
	if (strcmp(name, "Client") == 0)
		p.role = (char *)"self";
	if (history_add_person(h, &p, err, sizeof(err)) != SB_OK) {
		print_error("%s\n", err);
		fail();
	}
}

static void
tie(struct history *h, int64_t a, int64_t b, const char *type)
{
	struct hist_tie	 t;
	char		 err[256];

	memset(&t, 0, sizeof(t));
	t.a = a;
	t.b = b;
	snprintf(t.type, sizeof(t.type), "%s", type);
	if (history_add_tie(h, &t, err, sizeof(err)) != SB_OK) {
		print_error("%s\n", err);
		fail();
	}
}

static const struct geno_node *
at(const struct history *h, const struct genogram *g, int64_t id)
{
	const struct hist_person *p = history_person(h, id);

	assert_non_null(p);
	return &g->nodes[p - h->people];
}

/* How often needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay += strlen(needle))
		n++;
	return n;
}

/* Start and end tags match, and every tag closes. */
static void
assert_balanced(const char *svg)
{
	char		 stack[64][24];
	size_t		 depth = 0, n;
	const char	*p = svg, *end;

	while ((p = strchr(p, '<')) != NULL) {
		end = strchr(p, '>');
		assert_non_null(end);
		if (p[1] == '/') {
			assert_true(depth > 0);
			n = strcspn(p + 2, " >");
			if (strncmp(stack[depth - 1], p + 2, n) != 0 ||
			    stack[depth - 1][n] != '\0') {
				print_error("</%.*s> closes <%s>\n", (int)n, p + 2,
				    stack[depth - 1]);
				fail();
			}
			depth--;
		} else if (end[-1] != '/') {
			assert_true(depth < 64);
			n = strcspn(p + 1, " >");
			assert_true(n < 24);
			memcpy(stack[depth], p + 1, n);
			stack[depth++][n] = '\0';
		}
		p = end + 1;
	}
	assert_int_equal(depth, 0);
}

/* The checks every family must pass. */
static void
check_readable(const struct history *h)
{
	struct genogram	 g;
	struct buf	 svg, facts;
	size_t		 i, j;
	char		 attr[48];

	assert_int_equal(genogram_layout(h, &g), SB_OK);
	assert_int_equal(g.n, h->npeople);
	for (i = 0; i < g.n; i++) {
		assert_int_equal(g.nodes[i].person, i);
		for (j = i + 1; j < g.n; j++) {
			if (g.nodes[i].row != g.nodes[j].row)
				continue;
			if (fabs(g.nodes[i].x - g.nodes[j].x) < GENO_SLOT - 1e-6) {
				print_error("%s and %s overlap: x %.1f and %.1f\n",
				    h->people[i].name, h->people[j].name,
				    g.nodes[i].x, g.nodes[j].x);
				fail();
			}
		}
		assert_true(g.nodes[i].x >= GENO_MARGIN - 1e-6);
		assert_true(g.nodes[i].x <= g.width - GENO_MARGIN + 1e-6);
	}
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];

		if (history_tie_is_parent(t))
			assert_int_equal(at(h, &g, t->b)->row,
			    at(h, &g, t->a)->row + 1);
		if (history_tie_is_couple(t) || strcmp(t->type, "sibling") ==
		    0 || strcmp(t->type, "twin") == 0)
			assert_int_equal(at(h, &g, t->a)->row,
			    at(h, &g, t->b)->row);
	}
	buf_init(&svg, 1 << 22);
	svg_map(&svg, h, &g);
	assert_int_equal(svg.err, SB_OK);
	assert_balanced(svg.data);
	for (i = 0; i < h->npeople; i++) {
		snprintf(attr, sizeof(attr), "data-person=\"%lld\"",
		    (long long)h->people[i].id);
		assert_int_equal(count(svg.data, attr), 1);
	}
	for (i = 0; i < h->nties; i++) {
		snprintf(attr, sizeof(attr), "data-tie=\"%zu\"", i);
		assert_int_equal(count(svg.data, attr), 1);
	}
	buf_init(&facts, 1 << 16);
	assert_int_equal(history_patterns(h, &g, &facts), SB_OK);
	assert_true(facts.len > 0);
	buf_free(&facts);
	buf_free(&svg);
	genogram_free(&g);
}

/* Adjacent slots: nobody between a and b. */
static bool
beside(const struct history *h, const struct genogram *g, int64_t a,
    int64_t b)
{
	return fabs(at(h, g, a)->x - at(h, g, b)->x) < GENO_SLOT * 1.01;
}

static void
remarriage_with_children_of_both_marriages(void **state)
{
	struct history	 h;
	struct genogram	 g;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Father", "male", 1950);
	add_person(&h, 2, "First wife", "female", 1952);
	add_person(&h, 3, "Second wife", "female", 1960);
	add_person(&h, 4, "Client", "female", 1978);
	add_person(&h, 5, "Brother", "male", 1975);
	add_person(&h, 6, "Half-sister", "female", 1990);
	add_person(&h, 7, "Stepfather", "male", 1949);
	add_person(&h, 8, "Half-brother", "male", 1988);
	tie(&h, 1, 2, "divorced");
	tie(&h, 1, 3, "married");
	tie(&h, 2, 7, "married");
	tie(&h, 1, 4, "parent");
	tie(&h, 2, 4, "parent");
	tie(&h, 1, 5, "parent");
	tie(&h, 2, 5, "parent");
	tie(&h, 1, 6, "parent");
	tie(&h, 3, 6, "parent");
	tie(&h, 2, 8, "parent");
	tie(&h, 7, 8, "parent");
	tie(&h, 7, 4, "step");
	check_readable(&h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	/* The remarried father sits between both wives. */
	assert_true(beside(&h, &g, 1, 2));
	assert_true(beside(&h, &g, 1, 3));
	/* Brother (1975) before the client (1978). */
	assert_true(at(&h, &g, 5)->x < at(&h, &g, 4)->x);
	genogram_free(&g);
	history_free(&h);
}

static void
adoption_fostering_and_biological_children(void **state)
{
	struct history	 h;
	struct genogram	 g;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Mum", "female", 1950);
	add_person(&h, 2, "Dad", "male", 1948);
	add_person(&h, 3, "Older son", "male", 1975);
	add_person(&h, 4, "Client", "nonbinary", 1980);
	add_person(&h, 5, "Younger daughter", "female", 1983);
	add_person(&h, 6, "Foster child", NULL, 1990);
	tie(&h, 1, 2, "married");
	tie(&h, 1, 3, "parent");
	tie(&h, 2, 3, "parent");
	tie(&h, 1, 4, "adopted");
	tie(&h, 2, 4, "adopted");
	tie(&h, 1, 5, "parent");
	tie(&h, 2, 5, "parent");
	tie(&h, 1, 6, "foster");
	tie(&h, 4, 1, "close");
	check_readable(&h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	assert_true(beside(&h, &g, 1, 2));
	assert_true(at(&h, &g, 3)->x < at(&h, &g, 4)->x);
	assert_true(at(&h, &g, 4)->x < at(&h, &g, 5)->x);
	genogram_free(&g);
	history_free(&h);
}

static void
twins_sit_together(void **state)
{
	struct history	 h;
	struct genogram	 g;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Mother", "female", 1960);
	add_person(&h, 2, "Father", "male", 1958);
	add_person(&h, 3, "Client", "male", 1990);
	add_person(&h, 4, "Twin brother", "male", 1990);
	add_person(&h, 5, "Older sister", "female", 1985);
	tie(&h, 1, 2, "married");
	tie(&h, 1, 3, "parent");
	tie(&h, 2, 3, "parent");
	tie(&h, 1, 4, "parent");
	tie(&h, 2, 4, "parent");
	tie(&h, 1, 5, "parent");
	tie(&h, 2, 5, "parent");
	tie(&h, 3, 4, "twin");
	tie(&h, 3, 4, "conflictual");
	tie(&h, 3, 4, "close");
	check_readable(&h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	assert_true(beside(&h, &g, 3, 4));
	assert_true(at(&h, &g, 5)->x < at(&h, &g, 3)->x);
	genogram_free(&g);
	history_free(&h);
}

static void
three_generations_with_cutoffs_and_a_same_sex_couple(void **state)
{
	struct history	 h;
	struct buf	 facts;
	struct genogram	 g;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Grandfather M", "male", 1925);
	add_person(&h, 2, "Grandmother M", "female", 1928);
	add_person(&h, 3, "Grandfather F", "male", 1922);
	add_person(&h, 4, "Grandmother F", "female", 1926);
	add_person(&h, 5, "Mother", "female", 1952);
	add_person(&h, 6, "Uncle", "male", 1955);
	add_person(&h, 7, "Father", "male", 1950);
	add_person(&h, 8, "Aunt", "female", 1947);
	add_person(&h, 9, "Client", "female", 1980);
	add_person(&h, 10, "Sister", "female", 1983);
	add_person(&h, 11, "Sister's wife", "female", 1982);
	add_person(&h, 12, "Partner", "male", 1979);
	add_person(&h, 13, "Son", "male", 2010);
	add_person(&h, 14, "Best friend", "female", 1981);
	tie(&h, 1, 2, "married");
	tie(&h, 3, 4, "married");
	tie(&h, 1, 5, "parent");
	tie(&h, 2, 5, "parent");
	tie(&h, 1, 6, "parent");
	tie(&h, 2, 6, "parent");
	tie(&h, 3, 7, "parent");
	tie(&h, 4, 7, "parent");
	tie(&h, 3, 8, "parent");
	tie(&h, 4, 8, "parent");
	tie(&h, 5, 7, "separated");
	tie(&h, 5, 9, "parent");
	tie(&h, 7, 9, "parent");
	tie(&h, 5, 10, "parent");
	tie(&h, 7, 10, "parent");
	tie(&h, 10, 11, "married");
	tie(&h, 9, 12, "cohabiting");
	tie(&h, 9, 13, "parent");
	tie(&h, 12, 13, "parent");
	tie(&h, 2, 6, "cut-off");
	tie(&h, 9, 7, "cut-off");
	tie(&h, 7, 9, "hostile");
	tie(&h, 9, 14, "close");
	check_readable(&h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	assert_int_equal(g.rows, 4);
	assert_true(beside(&h, &g, 10, 11));
	assert_true(beside(&h, &g, 9, 12));
	buf_init(&facts, 1 << 16);
	assert_int_equal(history_patterns(&h, &g, &facts), SB_OK);
	ASSERT_CONTAINS(facts.data, "Cut-offs: Grandmother M \xE2\x80\x93 "
	    "Uncle (generation 1)");
	ASSERT_CONTAINS(facts.data, "They occur in 2 generations.");
	buf_free(&facts);
	genogram_free(&g);
	history_free(&h);
}

static void
client_with_no_family(void **state)
{
	struct history	 h;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Client", NULL, 0);
	check_readable(&h);
	history_free(&h);
	history_init(&h);
	check_readable(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remarriage_with_children_of_both_marriages),
		cmocka_unit_test(adoption_fostering_and_biological_children),
		cmocka_unit_test(twins_sit_together),
		cmocka_unit_test(
		    three_generations_with_cutoffs_and_a_same_sex_couple),
		cmocka_unit_test(client_with_no_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

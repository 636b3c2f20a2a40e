/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_genogram.c - the relationship map lays out hard families readably:
 * remarriage with children of both marriages, adoption and fostering
 * beside biological children, twins, three generations with cut-offs and
 * a same-sex couple, a client with no family, nobody at all; and the
 * families of tests/data/history, the hardest with a father remarried
 * after a death, identical twins, an adopted brother, a foster mother, a
 * divorce, long, accented and right-to-left names, households and every
 * kind of emotional tie.  For each: every person is placed once, no
 * symbol or label overlaps another, no line passes through a symbol or
 * label that is not one of its own people, parents sit a row above their
 * children, partners beside each other, and the SVG draws every person
 * and every tie exactly once, with balanced tags and no text below the
 * minimum size.  The crossings left are printed.
 */
#include <stdlib.h>

#include "app/io.h"
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
/* Every font-size in svg is at least the minimum. */
static void
assert_min_font(const char *svg)
{
	const char	*p = svg;
	double		 px;

	while ((p = strstr(p, "font-size=\"")) != NULL) {
		p += strlen("font-size=\"");
		px = strtod(p, NULL);
		if (px < GENO_TEXT_PX) {
			print_error("font-size %.1f below %.1f at \"%.40s\"\n",
			    px, GENO_TEXT_PX, p);
			fail();
		}
	}
}

/* The checks every family must pass; returns the crossings. */
static size_t
check_readable(const struct history *h)
{
	struct genogram	 g;
	struct geno_check c;
	struct buf	 svg, facts;
	size_t		 i, crossings;
	char		 attr[48];

	assert_int_equal(genogram_layout(h, &g), SB_OK);
	assert_int_equal(g.n, h->npeople);
	genogram_check(h, &g, &c);
	if (c.overlaps != 0 || c.through != 0) {
		print_error("%zu overlaps, %zu lines through a box: %s\n",
		    c.overlaps, c.through, c.what);
		fail();
	}
	for (i = 0; i < g.n; i++) {
		assert_int_equal(g.nodes[i].person, i);
		assert_true(g.nodes[i].sym.x0 >= GENO_MARGIN - 1e-6);
		assert_true(g.nodes[i].label.x1 <= g.width - GENO_MARGIN + 1e-6);
		assert_true(g.nodes[i].label.y1 <= g.height + 1e-6);
	}
	for (i = 0; i < h->nties; i++) {
		const struct hist_tie *t = &h->ties[i];

		if (history_tie_is_parent(t))
			assert_int_equal(at(h, &g, t->b)->row,
			    at(h, &g, t->a)->row + 1);
		if (history_tie_is_couple(t) || strcmp(t->type, "sibling") ==
		    0 || history_tie_is_twin(t))
			assert_int_equal(at(h, &g, t->a)->row,
			    at(h, &g, t->b)->row);
	}
	buf_init(&svg, 1 << 22);
	svg_map(&svg, h, &g);
	assert_int_equal(svg.err, SB_OK);
	assert_balanced(svg.data);
	assert_min_font(svg.data);
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
	crossings = c.crossings;
	genogram_free(&g);
	return crossings;
}

/* Beside each other: one row, nobody between them. */
static bool
beside(const struct history *h, const struct genogram *g, int64_t a,
    int64_t b)
{
	const struct geno_node	*p = at(h, g, a), *q = at(h, g, b);
	double			 lo = fmin(p->x, q->x), hi = fmax(p->x, q->x);
	size_t			 i;

	if (p->row != q->row)
		return false;
	for (i = 0; i < g->n; i++)
		if (g->nodes[i].row == p->row && g->nodes[i].x > lo + 1e-6 &&
		    g->nodes[i].x < hi - 1e-6)
			return false;
	return true;
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

/* A family of tests/data/history, read from its JSON form. */
static void
load(const char *file, struct history *h)
{
	struct buf	 in;
	char		 path[256], err[256];

	snprintf(path, sizeof(path), "tests/data/history/%s", file);
	buf_init(&in, 8 << 20);
	if (io_read_file(path, 8 << 20, &in, err, sizeof(err)) != SB_OK ||
	    history_from_json(in.data, in.len, h, err, sizeof(err)) !=
	    SB_OK) {
		print_error("%s: %s\n", path, err);
		fail();
	}
	buf_free(&in);
}

/* The person named name. */
static int64_t
named(const struct history *h, const char *name)
{
	size_t	 i;

	for (i = 0; i < h->npeople; i++)
		if (strcmp(h->people[i].name, name) == 0)
			return h->people[i].id;
	print_error("nobody is named %s\n", name);
	fail();
	return 0;
}

/* The line of the tie from a to b of type, or NULL when it has none. */
static const struct geno_line *
line_of(const struct history *h, const struct genogram *g, int64_t a,
    int64_t b, const char *type)
{
	size_t	 i;

	for (i = 0; i < h->nties; i++)
		if (h->ties[i].a == a && h->ties[i].b == b &&
		    strcmp(h->ties[i].type, type) == 0)
			return g->tie_line[i] == SIZE_MAX ? NULL :
			    &g->lines[g->tie_line[i]];
	print_error("no %s tie\n", type);
	fail();
	return NULL;
}

/*
 * Every family of tests/data/history: nothing overlaps, no line passes
 * through another's symbol or label, and the crossings are printed (and,
 * with SB_MAP_DIR set, the maps written there to be looked at).
 */
static void
hard_families_lay_out_cleanly(void **state)
{
	static const char *const files[] = { "remarriage.json",
	    "adoption.json", "twins.json", "three-generations.json",
	    "hard-family.json", "blended.json", "four-generations.json",
	    "alone.json" };
	const char	*dir = getenv("SB_MAP_DIR");
	struct history	 h;
	struct genogram	 g;
	struct buf	 svg;
	size_t		 i, crossings;
	char		 path[512], err[256];

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		history_init(&h);
		load(files[i], &h);
		crossings = check_readable(&h);
		print_message("# layout %-22s %3zu %-6s %3zu ties: 0 overlaps, "
		    "0 lines through a symbol or label, %zu line crossings\n",
		    files[i], h.npeople, h.npeople == 1 ? "person" : "people",
		    h.nties, crossings);
		if (dir != NULL) {
			assert_int_equal(genogram_layout(&h, &g), SB_OK);
			buf_init(&svg, 1 << 22);
			svg_map(&svg, &h, &g);
			snprintf(path, sizeof(path), "%s/%s.svg", dir, files[i]);
			assert_int_equal(io_write_whole(path, svg.data, svg.len,
			    err, sizeof(err)), SB_OK);
			buf_free(&svg);
			genogram_free(&g);
		}
		history_free(&h);
	}
}

/* How long line a runs on top of line b: segments parallel (both level
 * or both upright) closer than 4 units, counted where their extents
 * overlap. */
static double
on_top(const struct geno_line *a, const struct geno_line *b)
{
	double	 sum = 0, lo, hi;
	size_t	 i, j;

	for (i = 0; i + 1 < a->npts; i++)
		for (j = 0; j + 1 < b->npts; j++) {
			struct geno_pt p = a->pts[i], q = a->pts[i + 1];
			struct geno_pt r = b->pts[j], t = b->pts[j + 1];

			if (p.y == q.y && r.y == t.y && fabs(p.y - r.y) < 4) {
				lo = fmax(fmin(p.x, q.x), fmin(r.x, t.x));
				hi = fmin(fmax(p.x, q.x), fmax(r.x, t.x));
			} else if (p.x == q.x && r.x == t.x &&
			    fabs(p.x - r.x) < 4) {
				lo = fmax(fmin(p.y, q.y), fmin(r.y, t.y));
				hi = fmin(fmax(p.y, q.y), fmax(r.y, t.y));
			} else
				continue;
			if (hi > lo)
				sum += hi - lo;
		}
	return sum;
}

/* Every emotional line's run along a structural one, in all. */
static double
emotional_on_structure(const struct genogram *g)
{
	double	 sum = 0;
	size_t	 i, k;

	for (i = 0; i < g->nlines; i++)
		for (k = 0; g->lines[i].kind == GENO_EMOTIONAL &&
		    k < g->nlines; k++)
			if (g->lines[k].kind != GENO_EMOTIONAL)
				sum += on_top(&g->lines[i], &g->lines[k]);
	return sum;
}

/*
 * A hostile tie between a married couple and a conflictual one down a
 * child's line (as the demo's Ines Calloway has them) are drawn beside
 * those lines, not along them, where they read as one; the maps of the
 * hard families too.  Siblings with no parents drawn are a solid bracket,
 * not the dotted line the legend gives foster children, and the legend
 * names them.
 */
static void
emotional_lines_run_beside_couple_and_child_lines(void **state)
{
	static const char *const files[] = { "remarriage.json",
	    "adoption.json", "twins.json", "three-generations.json",
	    "hard-family.json", "blended.json", "four-generations.json" };
	struct history	 h;
	struct genogram	 g;
	struct buf	 svg;
	size_t		 i;

	(void)state;
	history_init(&h);
	add_person(&h, 1, "Mother", "female", 1948);
	add_person(&h, 2, "Father", "male", 1945);
	add_person(&h, 3, "Client", "female", 1976);
	add_person(&h, 4, "Brother", "male", 1950);
	add_person(&h, 5, "Sister", "female", 1953);
	tie(&h, 1, 2, "married");
	tie(&h, 1, 3, "parent");
	tie(&h, 2, 3, "parent");
	tie(&h, 2, 1, "hostile");
	tie(&h, 2, 3, "conflictual");
	tie(&h, 4, 5, "sibling");
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	ASSERT_NEAR(emotional_on_structure(&g), 0, 1e-9);
	buf_init(&svg, 1 << 22);
	svg_map(&svg, &h, &g);
	assert_int_equal(svg.err, SB_OK);
	assert_null(strstr(svg.data, "stroke-dasharray=\"1 3\""));
	assert_non_null(strstr(svg.data, ">siblings, no parents drawn</text>"));
	buf_free(&svg);
	genogram_free(&g);
	history_free(&h);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		history_init(&h);
		load(files[i], &h);
		assert_int_equal(genogram_layout(&h, &g), SB_OK);
		if (emotional_on_structure(&g) > 0)
			print_error("%s: emotional lines run %.0f units along "
			    "structural ones\n", files[i],
			    emotional_on_structure(&g));
		ASSERT_NEAR(emotional_on_structure(&g), 0, 1e-9);
		genogram_free(&g);
		history_free(&h);
	}
}

/*
 * The family the issue was found with: the twins side by side with no
 * partner between them, the half-sister on her parents' own sibling line,
 * the step line from the father's second couple and the foster line from
 * the foster mother, names wrapped and not cut.
 */
static void
the_hard_family_reads_like_a_genogram(void **state)
{
	struct history		 h;
	struct genogram		 g;
	const struct geno_line	*ada, *noa, *step, *foster, *bea, *rep;
	const struct geno_node	*n, *dad, *ruth;
	int64_t			 father, mother, ruthid;

	(void)state;
	history_init(&h);
	load("hard-family.json", &h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	father = named(&h, "Father");
	mother = named(&h, "Mother");
	ruthid = named(&h, "Second wife Ruth");
	assert_true(beside(&h, &g, named(&h, "Ada"), named(&h,
	    "Twin sister Bea")));
	assert_true(beside(&h, &g, named(&h, "Ada"), named(&h,
	    "Jonah Brightwater")));
	assert_true(beside(&h, &g, father, mother));
	assert_true(beside(&h, &g, father, ruthid));
	/* One family line for Ada and Bea, another for Noa. */
	ada = line_of(&h, &g, mother, named(&h, "Ada"), "parent");
	bea = line_of(&h, &g, mother, named(&h, "Twin sister Bea"), "parent");
	noa = line_of(&h, &g, father, named(&h, "Half-sister Noa"), "parent");
	assert_non_null(ada);
	assert_non_null(bea);
	assert_non_null(noa);
	assert_int_equal(ada->group, bea->group);
	assert_true(ada->group != noa->group);
	/* Twins from one point of their sibling line. */
	assert_true(fabs(ada->pts[2].x - bea->pts[2].x) < 1e-6);
	assert_non_null(line_of(&h, &g, named(&h, "Ada"), named(&h,
	    "Twin sister Bea"), "identical-twin"));
	/* The second parent's tie shares the first one's line. */
	assert_null(line_of(&h, &g, father, named(&h, "Ada"), "parent"));
	/* The step line leaves from between Father and Ruth. */
	step = line_of(&h, &g, ruthid, named(&h, "Ada"), "step");
	dad = at(&h, &g, father);
	ruth = at(&h, &g, ruthid);
	assert_non_null(step);
	assert_true(step->pts[0].x > fmin(dad->x, ruth->x) &&
	    step->pts[0].x < fmax(dad->x, ruth->x));
	ASSERT_NEAR(step->pts[0].y, dad->y, 1e-6);
	/* The foster line from under the foster mother's label. */
	foster = line_of(&h, &g, named(&h,
	    "Foster mother Agnieszka Wi\xC5\x9Bniewska"), named(&h,
	    "Adopted brother Kofi"), "foster");
	n = at(&h, &g, named(&h, "Foster mother Agnieszka Wi\xC5\x9Bniewska"));
	assert_non_null(foster);
	ASSERT_NEAR(foster->pts[0].x, n->x, 1e-6);
	ASSERT_NEAR(foster->pts[0].y, n->label.y1, 1e-6);
	/* The repaired tie across the generations is routed, not straight. */
	rep = line_of(&h, &g, named(&h, "Grandmother (maternal)"), named(&h,
	    "Ada"), "repaired");
	assert_non_null(rep);
	assert_true(rep->npts > 2);
	/* Names on two lines, not cut. */
	n = at(&h, &g, named(&h, "Grandmother (maternal)"));
	assert_int_equal(n->name_lines, 2);
	assert_false(n->name_cut);
	assert_int_equal(n->name_to[0], strlen("Grandmother"));
	n = at(&h, &g, named(&h, "Jonah Brightwater"));
	assert_false(n->name_cut);
	n = at(&h, &g, named(&h, "\xD7\xA9\xD7\xA8\xD7\x94 \xD7\x9C\xD7\x95"
	    "\xD7\x99-\xD7\x91\xD7\x9F \xD7\x93\xD7\x95\xD7\x93"));
	assert_false(n->name_cut);
	/* Households: Ada's and the father's, outlined. */
	assert_int_equal(g.households, 2);
	assert_true(g.noutlines >= 2);
	genogram_free(&g);
	history_free(&h);
}

/*
 * A line across forty generations still runs from one person to the
 * other: a route has as many points as it needs.
 */
static void
a_line_across_forty_generations_reaches_both_ends(void **state)
{
	struct history		 h;
	struct genogram		 g;
	const struct geno_line	*l;
	const struct geno_node	*top, *bottom;
	char			 name[16];
	int64_t			 i;

	(void)state;
	history_init(&h);
	for (i = 1; i <= 40; i++) {
		snprintf(name, sizeof(name), i == 1 ? "Client" : "P%lld",
		    (long long)i);
		add_person(&h, i, name, "male", 0);
		if (i > 1)
			tie(&h, i - 1, i, "parent");
	}
	tie(&h, 1, 40, "close");
	check_readable(&h);
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	assert_int_equal(g.rows, 40);
	l = line_of(&h, &g, 1, 40, "close");
	assert_non_null(l);
	top = at(&h, &g, 1);
	bottom = at(&h, &g, 40);
	/* It leaves the first person's symbol and ends on the last one's. */
	assert_true(l->pts[0].y >= top->sym.y0 && l->pts[0].y <= top->sym.y1);
	assert_true(l->pts[l->npts - 1].y >= bottom->sym.y0 - 1e-6 &&
	    l->pts[l->npts - 1].y <= bottom->sym.y1 + 1e-6);
	ASSERT_NEAR(fabs(l->pts[l->npts - 1].x - bottom->x) <= GENO_R + 1e-6,
	    1, 0);
	genogram_free(&g);
	history_free(&h);
}

/* A name longer than two lines is cut on the second, with the whole
 * name in the title. */
static void
a_name_too_long_for_two_lines_is_cut_on_the_second(void **state)
{
	struct history		 h;
	struct genogram		 g;
	struct buf		 svg;
	const char		*name = "Maximilian Alexander Bartholomew "
				    "Featherstonehaugh-Cholmondeley the third";

	(void)state;
	history_init(&h);
	add_person(&h, 1, name, "male", 1950);
	add_person(&h, 2, "Client", "female", 1980);
	tie(&h, 1, 2, "parent");
	assert_int_equal(genogram_layout(&h, &g), SB_OK);
	assert_int_equal(g.nodes[0].name_lines, 2);
	assert_true(g.nodes[0].name_cut);
	buf_init(&svg, 1 << 20);
	svg_map(&svg, &h, &g);
	/* User text sits between FSI (U+2068) and PDI (U+2069). */
	ASSERT_CONTAINS(svg.data, "<title>\xE2\x81\xA8Maximilian Alexander "
	    "Bartholomew Featherstonehaugh-Cholmondeley the third"
	    "\xE2\x81\xA9</title>");
	ASSERT_CONTAINS(svg.data, "\xE2\x80\xA6\xE2\x81\xA9</text>");
	buf_free(&svg);
	genogram_free(&g);
	history_free(&h);
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
		cmocka_unit_test(hard_families_lay_out_cleanly),
		cmocka_unit_test(
		    emotional_lines_run_beside_couple_and_child_lines),
		cmocka_unit_test(the_hard_family_reads_like_a_genogram),
		cmocka_unit_test(
		    a_name_too_long_for_two_lines_is_cut_on_the_second),
		cmocka_unit_test(
		    a_line_across_forty_generations_reaches_both_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

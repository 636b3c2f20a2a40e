/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * instrument.c - parse and query instrument definitions.  See instrument.h
 * and docs/instrument-format.md.
 *
 * Parsing happens in two passes.  The first reads lines into a builder that
 * keeps names as written (an item names its option set, a score names its
 * items) together with the line they came from.  The second resolves those
 * names, expands per-target items and scores, computes ranges and checks
 * everything that needs the whole file.  Only when both passes found no
 * error is the instrument handed out; otherwise everything is freed, so a
 * caller never sees half an instrument.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instrument.h"
#include "text.h"

/* A score as written, before its names are resolved. */
struct pscore {
	char			*id, *label;
	size_t			 line;
	int			 method;	/* -1 until given */
	char			*list;		/* names after the method */
	size_t			 list_line;
	bool			 each_target;
	size_t			 max_missing;
	struct instr_band	 bands[INSTR_MAX_BANDS];
	size_t			 nbands;
	struct instr_table_row	*table;
	size_t			 ntable;
	enum score_direction	 direction;
	char			*loinc;
	double			 reliability;
	char			*reliability_source;
	struct instr_norm	 clinical, functional;
	struct instr_course	 course;
	struct instr_tt		 tt;
};

/* An item as written. */
struct pitem {
	char		*id, *text, *optset, *loinc;
	size_t		 line;
	bool		 reverse, unscored, critical;
	int		 critical_min;
};

enum block {
	BLOCK_NONE,
	BLOCK_OPTIONS,
	BLOCK_ITEM,
	BLOCK_SCORE,
	BLOCK_TARGETS
};

struct parser {
	const char		*origin;
	size_t			 line;
	struct buf		*errors;
	size_t			 nerrors;
	bool			 oom;
	enum block		 block;
	bool			 saw_format;
	struct instrument	*in;
	struct pitem		*pitems;
	size_t			 npitems;
	struct pscore		*pscores;
	size_t			 npscores;
};

static void
perr_at(struct parser *p, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
perr_at(struct parser *p, size_t line, const char *fmt, ...)
{
	va_list	 ap;

	p->nerrors++;
	if (p->errors == NULL || p->nerrors > INSTR_MAX_ERRORS)
		return;
	if (buf_printf(p->errors, "%s:%zu: ", p->origin, line) != SB_OK)
		return;
	va_start(ap, fmt);
	(void)buf_vprintf(p->errors, fmt, ap);
	va_end(ap);
	(void)buf_addc(p->errors, '\n');
}

#define perr(p, ...)	perr_at((p), (p)->line, __VA_ARGS__)

static char *
xstrndup(struct parser *p, const char *s, size_t n)
{
	char	*d;

	if ((d = malloc(n + 1)) == NULL) {
		p->oom = true;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Grows *arr (of elements of size el) so that index n fits. */
static bool
grow(struct parser *p, void **arr, size_t n, size_t el)
{
	void	*np;
	size_t	 cap;

	/* Capacities are powers of two; grow when n reaches one. */
	if (n != 0 && (n & (n - 1)) != 0)
		return true;
	cap = n == 0 ? 4 : n * 2;
	if (cap < 4)
		cap = 4;
	if ((np = realloc(*arr, cap * el)) == NULL) {
		p->oom = true;
		return false;
	}
	memset((char *)np + n * el, 0, (cap - n) * el);
	*arr = np;
	return true;
}

static bool
id_valid(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > INSTR_MAX_ID || !islower((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

/* Instrument ids may hold '-' (ecr-r); item and score ids may not,
 * because '-' makes ranges in score lists. */
static bool
name_valid(const char *s, size_t n)
{
	return id_valid(s, n) && memchr(s, '-', n) == NULL;
}

bool
loinc_valid(const char *code)
{
	size_t	 n = strlen(code), i, pos;
	int	 sum = 0, d;

	if (n < 3 || n > 10 || code[n - 2] != '-' ||
	    !isdigit((unsigned char)code[n - 1]))
		return false;
	/* LOINC answer codes (LA...) carry their own check scheme;
	 * accept their shape. */
	if (code[0] == 'L' && code[1] == 'A') {
		for (i = 2; i < n - 2; i++)
			if (!isdigit((unsigned char)code[i]))
				return false;
		return n > 4;
	}
	/* Mod 10: double every other digit from the right, starting with
	 * the rightmost digit of the code proper. */
	for (pos = 0, i = n - 2; i-- > 0; pos++) {
		if (!isdigit((unsigned char)code[i]))
			return false;
		d = code[i] - '0';
		if (pos % 2 == 0) {
			d *= 2;
			d = d / 10 + d % 10;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10 == code[n - 1] - '0';
}

/* Splits "word rest" of s[0..n) into the word and the trimmed rest. */
static void
split_word(const char *s, size_t n, const char **w, size_t *wn,
    const char **r, size_t *rn)
{
	size_t	 i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	j = i;
	while (j < n && s[j] != ' ' && s[j] != '\t')
		j++;
	*w = s + i;
	*wn = j - i;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	while (n > j && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*r = s + j;
	*rn = n - j;
}

/* Splits "text | extra" at the last '|'. */
static void
split_bar(const char *s, size_t n, size_t *tn, const char **x, size_t *xn)
{
	const char	*bar = NULL;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (s[i] == '|')
			bar = s + i;
	if (bar == NULL) {
		*tn = n;
		*x = NULL;
		*xn = 0;
		return;
	}
	*tn = (size_t)(bar - s);
	while (*tn > 0 && (s[*tn - 1] == ' ' || s[*tn - 1] == '\t'))
		(*tn)--;
	*x = bar + 1;
	*xn = (size_t)(s + n - *x);
	while (*xn > 0 && (**x == ' ' || **x == '\t')) {
		(*x)++;
		(*xn)--;
	}
}

static bool
kw(const char *w, size_t wn, const char *s)
{
	return strlen(s) == wn && memcmp(w, s, wn) == 0;
}

/* Sets a once-only string field; a second definition is an error. */
static void
set_once(struct parser *p, char **field, const char *kwname,
    const char *r, size_t rn)
{
	if (*field != NULL) {
		perr(p, "\"%s\" is given twice", kwname);
		return;
	}
	if (rn == 0) {
		perr(p, "\"%s\" needs a value", kwname);
		return;
	}
	*field = xstrndup(p, r, rn);
}

static void
add_note(struct parser *p, char **arr, size_t *n, const char *kwname,
    const char *r, size_t rn)
{
	if (rn == 0) {
		perr(p, "\"%s\" needs a text", kwname);
		return;
	}
	if (*n >= INSTR_MAX_NOTES) {
		perr(p, "more than %d \"%s\" lines", INSTR_MAX_NOTES, kwname);
		return;
	}
	if ((arr[*n] = xstrndup(p, r, rn)) != NULL)
		(*n)++;
}

static bool
parse_loinc(struct parser *p, const char *r, size_t rn, char **out)
{
	char	 code[16];

	if (rn == 0 || rn >= sizeof(code)) {
		perr(p, "a LOINC code looks like 44261-6 or LA6568-5");
		return false;
	}
	memcpy(code, r, rn);
	code[rn] = '\0';
	if (!loinc_valid(code)) {
		perr(p, "\"%s\" is not a valid LOINC code (check digit or "
		    "form)", code);
		return false;
	}
	if (*out != NULL) {
		perr(p, "LOINC code given twice");
		return false;
	}
	*out = xstrndup(p, r, rn);
	return true;
}

static void
top_line(struct parser *p, const char *w, size_t wn, const char *r,
    size_t rn)
{
	struct instrument	*in = p->in;
	struct instr_optset	*os;
	struct pitem		*it;
	struct pscore		*sc;
	const char		*w2, *r2;
	size_t			 w2n, r2n;
	long			 v;

	p->block = BLOCK_NONE;
	if (!p->saw_format) {
		if (!kw(w, wn, "securebase-instrument")) {
			perr(p, "the first line must be "
			    "\"securebase-instrument %d\"",
			    INSTR_FORMAT_VERSION);
			p->saw_format = true;	/* say it once */
			return;
		}
		p->saw_format = true;
		if (!text_int(r, rn, &v) || v != INSTR_FORMAT_VERSION)
			perr(p, "unsupported format version \"%.*s\" "
			    "(this securebase reads version %d)",
			    (int)rn, r, INSTR_FORMAT_VERSION);
		return;
	}
	if (kw(w, wn, "securebase-instrument"))
		perr(p, "\"securebase-instrument\" must be the first line");
	else if (kw(w, wn, "id")) {
		if (!id_valid(r, rn))
			perr(p, "id \"%.*s\" must be 1-%d characters of "
			    "a-z, 0-9, '_', '.', '-', starting with a letter",
			    (int)(rn > 64 ? 64 : rn), r, INSTR_MAX_ID);
		else
			set_once(p, &in->id, "id", r, rn);
	} else if (kw(w, wn, "version"))
		set_once(p, &in->version, "version", r, rn);
	else if (kw(w, wn, "name"))
		set_once(p, &in->name, "name", r, rn);
	else if (kw(w, wn, "title"))
		set_once(p, &in->title, "title", r, rn);
	else if (kw(w, wn, "citation"))
		set_once(p, &in->citation, "citation", r, rn);
	else if (kw(w, wn, "instructions"))
		set_once(p, &in->instructions, "instructions", r, rn);
	else if (kw(w, wn, "notice"))
		set_once(p, &in->notice, "notice", r, rn);
	else if (kw(w, wn, "licence-terms"))
		set_once(p, &in->licence_terms, "licence-terms", r, rn);
	else if (kw(w, wn, "source"))
		add_note(p, in->sources, &in->nsources, "source", r, rn);
	else if (kw(w, wn, "unverified"))
		add_note(p, in->unverified, &in->nunverified, "unverified",
		    r, rn);
	else if (kw(w, wn, "loinc"))
		(void)parse_loinc(p, r, rn, &in->loinc);
	else if (kw(w, wn, "support")) {
		if (kw(r, rn, "yes"))
			in->support = true;
		else if (!kw(r, rn, "no"))
			perr(p, "support must be \"yes\" or \"no\", not "
			    "\"%.*s\"", (int)(rn > 64 ? 64 : rn), r);
	} else if (kw(w, wn, "licence")) {
		if (kw(r, rn, "free"))
			in->licence = LICENCE_FREE;
		else if (kw(r, rn, "permission-required"))
			in->licence = LICENCE_PERMISSION;
		else
			perr(p, "licence must be \"free\" or "
			    "\"permission-required\", not \"%.*s\"",
			    (int)(rn > 64 ? 64 : rn), r);
	} else if (kw(w, wn, "options")) {
		if (!name_valid(r, rn)) {
			perr(p, "option set name \"%.*s\" is not a valid name",
			    (int)(rn > 64 ? 64 : rn), r);
			return;
		}
		if (in->noptsets >= INSTR_MAX_OPTSETS) {
			perr(p, "more than %d option sets", INSTR_MAX_OPTSETS);
			return;
		}
		if (!grow(p, (void **)&in->optsets, in->noptsets, sizeof(*os)))
			return;
		os = &in->optsets[in->noptsets++];
		os->id = xstrndup(p, r, rn);
		p->block = BLOCK_OPTIONS;
	} else if (kw(w, wn, "targets")) {
		if (rn != 0)
			perr(p, "\"targets\" takes no value; list the "
			    "targets on the indented lines below it");
		if (in->ntargets != 0)
			perr(p, "\"targets\" is given twice");
		p->block = BLOCK_TARGETS;
	} else if (kw(w, wn, "item")) {
		split_word(r, rn, &w2, &w2n, &r2, &r2n);
		if (!name_valid(w2, w2n)) {
			perr(p, "item id \"%.*s\" is not a valid name "
			    "(a-z, 0-9, '_', '.'; starting with a letter)",
			    (int)(w2n > 64 ? 64 : w2n), w2);
			return;
		}
		if (r2n == 0) {
			perr(p, "item %.*s has no text", (int)w2n, w2);
			return;
		}
		if (!grow(p, (void **)&p->pitems, p->npitems, sizeof(*it)))
			return;
		it = &p->pitems[p->npitems++];
		it->id = xstrndup(p, w2, w2n);
		it->text = xstrndup(p, r2, r2n);
		it->line = p->line;
		p->block = BLOCK_ITEM;
	} else if (kw(w, wn, "score")) {
		split_word(r, rn, &w2, &w2n, &r2, &r2n);
		if (!name_valid(w2, w2n)) {
			perr(p, "score id \"%.*s\" is not a valid name",
			    (int)(w2n > 64 ? 64 : w2n), w2);
			return;
		}
		if (p->npscores >= INSTR_MAX_SCORES) {
			perr(p, "more than %d scores", INSTR_MAX_SCORES);
			return;
		}
		if (!grow(p, (void **)&p->pscores, p->npscores, sizeof(*sc)))
			return;
		sc = &p->pscores[p->npscores++];
		sc->id = xstrndup(p, w2, w2n);
		sc->label = r2n ? xstrndup(p, r2, r2n) : xstrndup(p, w2, w2n);
		sc->line = p->line;
		sc->method = -1;
		p->block = BLOCK_SCORE;
	} else
		perr(p, "unknown keyword \"%.*s\"", (int)(wn > 64 ? 64 : wn),
		    w);
}

static void
option_line(struct parser *p, const char *w, size_t wn, const char *r,
    size_t rn)
{
	struct instr_optset	*os = &p->in->optsets[p->in->noptsets - 1];
	struct instr_option	*o;
	const char		*x;
	size_t			 tn, xn, i;
	long			 v;

	if (!text_int(w, wn, &v) || v < -1000 || v > 1000) {
		perr(p, "an option line starts with its whole-number value "
		    "(-1000..1000), not \"%.*s\"", (int)(wn > 64 ? 64 : wn), w);
		return;
	}
	for (i = 0; i < os->nopts; i++)
		if (os->opts[i].value == (int)v) {
			perr(p, "value %ld appears twice in option set %s", v,
			    os->id);
			return;
		}
	if (os->nopts >= INSTR_MAX_OPTIONS) {
		perr(p, "more than %d options in set %s", INSTR_MAX_OPTIONS,
		    os->id);
		return;
	}
	split_bar(r, rn, &tn, &x, &xn);
	if (tn == 0) {
		perr(p, "option %ld has no label", v);
		return;
	}
	if (!grow(p, (void **)&os->opts, os->nopts, sizeof(*o)))
		return;
	o = &os->opts[os->nopts++];
	o->value = (int)v;
	o->label = xstrndup(p, r, tn);
	if (x != NULL)
		(void)parse_loinc(p, x, xn, &o->loinc);
}

static void
target_line(struct parser *p, const char *w, size_t wn, const char *r,
    size_t rn)
{
	struct instrument	*in = p->in;
	struct instr_target	*t;
	size_t			 i;

	if (!name_valid(w, wn) || memchr(w, '.', wn) != NULL) {
		perr(p, "target id \"%.*s\" is not a valid name (no '.')",
		    (int)(wn > 64 ? 64 : wn), w);
		return;
	}
	for (i = 0; i < in->ntargets; i++)
		if (kw(w, wn, in->targets[i].id)) {
			perr(p, "target %.*s is listed twice", (int)wn, w);
			return;
		}
	if (in->ntargets >= INSTR_MAX_TARGETS) {
		perr(p, "more than %d targets", INSTR_MAX_TARGETS);
		return;
	}
	if (!grow(p, (void **)&in->targets, in->ntargets, sizeof(*t)))
		return;
	t = &in->targets[in->ntargets++];
	t->id = xstrndup(p, w, wn);
	t->label = rn ? xstrndup(p, r, rn) : xstrndup(p, w, wn);
}

static void
item_line(struct parser *p, const char *w, size_t wn, const char *r,
    size_t rn)
{
	struct pitem	*it = &p->pitems[p->npitems - 1];
	long		 v;

	if (kw(w, wn, "reverse") && rn == 0)
		it->reverse = true;
	else if (kw(w, wn, "unscored") && rn == 0)
		it->unscored = true;
	else if (kw(w, wn, "options")) {
		if (it->optset != NULL)
			perr(p, "item %s names its option set twice", it->id);
		else if (rn == 0)
			perr(p, "\"options\" needs the name of an option set");
		else
			it->optset = xstrndup(p, r, rn);
	} else if (kw(w, wn, "loinc"))
		(void)parse_loinc(p, r, rn, &it->loinc);
	else if (kw(w, wn, "critical")) {
		if (!text_int(r, rn, &v) || v < -1000 || v > 1000)
			perr(p, "\"critical\" needs the lowest answer value "
			    "that raises the flag, e.g. \"critical 1\"");
		else {
			it->critical = true;
			it->critical_min = (int)v;
		}
	} else
		perr(p, "unknown item property \"%.*s\" (expected reverse, "
		    "unscored, options, loinc or critical)",
		    (int)(wn > 64 ? 64 : wn), w);
}

/* "M SD | source" for the clinical and functional norms. */
static void
norm_line(struct parser *p, struct instr_norm *nm, const char *name,
    const char *r, size_t rn)
{
	const char	*x, *w, *r2;
	size_t		 tn, xn, wn, r2n;

	split_bar(r, rn, &tn, &x, &xn);
	split_word(r, tn, &w, &wn, &r2, &r2n);
	if (nm->set) {
		perr(p, "\"%s\" is given twice", name);
		return;
	}
	if (!text_decimal(w, wn, &nm->mean) ||
	    !text_decimal(r2, r2n, &nm->sd) || nm->sd <= 0) {
		perr(p, "\"%s\" needs a mean and a positive SD, then "
		    "\"| source\"", name);
		return;
	}
	if (x == NULL || xn == 0) {
		perr(p, "\"%s\" needs its source after a '|'", name);
		return;
	}
	nm->set = true;
	nm->source = xstrndup(p, x, xn);
}

/* "M0 SD0 M1 SD1 | source": a published course, intake then end. */
static void
course_line(struct parser *p, struct instr_course *c, const char *r,
    size_t rn)
{
	const char	*x, *w;
	size_t		 tn, xn, wn, i;
	double		 v[4];

	split_bar(r, rn, &tn, &x, &xn);
	if (c->set) {
		perr(p, "\"course\" is given twice");
		return;
	}
	for (i = 0; i < 4; i++) {
		split_word(r, tn, &w, &wn, &r, &tn);
		if (!text_decimal(w, wn, &v[i]) || ((i & 1) && v[i] <= 0))
			break;
	}
	if (i < 4 || tn != 0) {
		perr(p, "\"course\" needs the intake mean and SD and the end "
		    "mean and SD (SDs positive), then \"| source\"");
		return;
	}
	if (x == NULL || xn == 0) {
		perr(p, "\"course\" needs its source after a '|'");
		return;
	}
	c->set = true;
	c->m0 = v[0];
	c->s0 = v[1];
	c->m1 = v[2];
	c->s1 = v[3];
	c->source = xstrndup(p, x, xn);
}

/* "CASENESS CHANGE | source": NHS Talking Therapies' recovery rule. */
static void
tt_line(struct parser *p, struct instr_tt *t, const char *r, size_t rn)
{
	const char	*x, *w, *r2;
	size_t		 tn, xn, wn, r2n;

	split_bar(r, rn, &tn, &x, &xn);
	split_word(r, tn, &w, &wn, &r2, &r2n);
	if (t->set) {
		perr(p, "\"talking-therapies\" is given twice");
		return;
	}
	if (!text_decimal(w, wn, &t->caseness) || !text_decimal(r2, r2n,
	    &t->change) || t->change <= 0) {
		perr(p, "\"talking-therapies\" needs the caseness score and "
		    "the reliable change in points (positive), then "
		    "\"| source\"");
		return;
	}
	if (x == NULL || xn == 0) {
		perr(p, "\"talking-therapies\" needs its source after a '|'");
		return;
	}
	t->set = true;
	t->source = xstrndup(p, x, xn);
}

static void
score_line(struct parser *p, const char *w, size_t wn, const char *r,
    size_t rn)
{
	static const char *const methods[] = { "sum", "mean", "convert",
	    "mean-of" };
	struct pscore	*sc = &p->pscores[p->npscores - 1];
	const char	*x, *w2, *r2;
	size_t		 tn, xn, w2n, r2n, m;
	long		 v;
	double		 d1, d2;

	for (m = 0; m < METHOD__MAX; m++)
		if (kw(w, wn, methods[m]))
			break;
	if (m < METHOD__MAX) {
		if (sc->method != -1) {
			perr(p, "score %s has two scoring methods", sc->id);
			return;
		}
		if (rn == 0) {
			perr(p, "\"%s\" needs what it combines", methods[m]);
			return;
		}
		sc->method = (int)m;
		sc->list = xstrndup(p, r, rn);
		sc->list_line = p->line;
	} else if (kw(w, wn, "each-target") && rn == 0)
		sc->each_target = true;
	else if (kw(w, wn, "missing")) {
		split_word(r, rn, &w2, &w2n, &r2, &r2n);
		if (kw(w2, w2n, "none") && r2n == 0)
			sc->max_missing = 0;
		else if (kw(w2, w2n, "prorate") && text_int(r2, r2n, &v) &&
		    v >= 1 && v <= INSTR_MAX_ITEMS)
			sc->max_missing = (size_t)v;
		else
			perr(p, "\"missing\" is \"none\" or \"prorate N\" "
			    "(N: how many answers may be missing)");
	} else if (kw(w, wn, "band")) {
		split_word(r, rn, &w2, &w2n, &r2, &r2n);
		if (!text_decimal(w2, w2n, &d1) || r2n == 0) {
			perr(p, "\"band\" needs the lowest score of the band "
			    "and its label, e.g. \"band 10 Moderate\"");
			return;
		}
		if (sc->nbands >= INSTR_MAX_BANDS) {
			perr(p, "more than %d bands", INSTR_MAX_BANDS);
			return;
		}
		if (sc->nbands > 0 && d1 <= sc->bands[sc->nbands - 1].from) {
			perr(p, "bands must be listed from the lowest score "
			    "up");
			return;
		}
		sc->bands[sc->nbands].from = d1;
		sc->bands[sc->nbands++].label = xstrndup(p, r2, r2n);
	} else if (kw(w, wn, "table")) {
		split_word(r, rn, &w2, &w2n, &r2, &r2n);
		if (!text_decimal(w2, w2n, &d1) ||
		    !text_decimal(r2, r2n, &d2)) {
			perr(p, "\"table\" needs a raw score and its converted "
			    "value, e.g. \"table 7 7.00\"");
			return;
		}
		if (sc->ntable >= INSTR_MAX_TABLE) {
			perr(p, "more than %d table rows", INSTR_MAX_TABLE);
			return;
		}
		if (sc->ntable > 0 && d1 <= sc->table[sc->ntable - 1].raw) {
			perr(p, "table rows must be listed from the lowest raw "
			    "score up, each once");
			return;
		}
		if (!grow(p, (void **)&sc->table, sc->ntable,
		    sizeof(*sc->table)))
			return;
		sc->table[sc->ntable].raw = d1;
		sc->table[sc->ntable++].value = d2;
	} else if (kw(w, wn, "direction")) {
		if (kw(r, rn, "lower-is-better"))
			sc->direction = DIRECTION_LOWER_BETTER;
		else if (kw(r, rn, "higher-is-better"))
			sc->direction = DIRECTION_HIGHER_BETTER;
		else
			perr(p, "direction is \"lower-is-better\" or "
			    "\"higher-is-better\"");
	} else if (kw(w, wn, "loinc"))
		(void)parse_loinc(p, r, rn, &sc->loinc);
	else if (kw(w, wn, "reliability")) {
		split_bar(r, rn, &tn, &x, &xn);
		if (sc->reliability != 0)
			perr(p, "\"reliability\" is given twice");
		else if (!text_decimal(r, tn, &d1) || d1 <= 0 || d1 >= 1)
			perr(p, "reliability must be a number between 0 and 1 "
			    "(exclusive)");
		else if (x == NULL || xn == 0)
			perr(p, "\"reliability\" needs its source after a '|'");
		else {
			sc->reliability = d1;
			sc->reliability_source = xstrndup(p, x, xn);
		}
	} else if (kw(w, wn, "clinical"))
		norm_line(p, &sc->clinical, "clinical", r, rn);
	else if (kw(w, wn, "functional"))
		norm_line(p, &sc->functional, "functional", r, rn);
	else if (kw(w, wn, "course"))
		course_line(p, &sc->course, r, rn);
	else if (kw(w, wn, "talking-therapies"))
		tt_line(p, &sc->tt, r, rn);
	else
		perr(p, "unknown score property \"%.*s\" (expected sum, mean, "
		    "convert, mean-of, each-target, missing, band, table, "
		    "direction, loinc, reliability, clinical, functional, "
		    "course or talking-therapies)",
		    (int)(wn > 64 ? 64 : wn), w);
}

static void
parse_line(struct parser *p, const char *s, size_t n)
{
	const char	*w, *r;
	size_t		 wn, rn, i = 0;
	bool		 indented;

	if (n > INSTR_MAX_LINE) {
		perr(p, "line longer than %d bytes", INSTR_MAX_LINE);
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		perr(p, "line holds a NUL byte");
		return;
	}
	if (!utf8_valid(s, n)) {
		perr(p, "line is not valid UTF-8");
		return;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return;
	indented = i > 0;
	split_word(s, n, &w, &wn, &r, &rn);
	if (!indented) {
		top_line(p, w, wn, r, rn);
		return;
	}
	switch (p->block) {
	case BLOCK_OPTIONS:
		option_line(p, w, wn, r, rn);
		break;
	case BLOCK_TARGETS:
		target_line(p, w, wn, r, rn);
		break;
	case BLOCK_ITEM:
		item_line(p, w, wn, r, rn);
		break;
	case BLOCK_SCORE:
		score_line(p, w, wn, r, rn);
		break;
	default:
		perr(p, "indented line outside an options, targets, item or "
		    "score block");
		break;
	}
}

/* ---- second pass: resolve names, expand targets, check the whole ---- */

/* Looks up one name in the instrument's items or scores. */
static size_t
find_name(const struct instrument *in, bool scores, const char *s, size_t n)
{
	size_t	 i;

	if (scores) {
		for (i = 0; i < in->nscores; i++)
			if (in->scores[i].id != NULL &&
			    kw(s, n, in->scores[i].id))
				return i;
		return INSTR_NONE;
	}
	for (i = 0; i < in->nitems; i++)
		if (kw(s, n, in->items[i].id))
			return i;
	return INSTR_NONE;
}

/* Splits "q12" into prefix "q" and number 12. */
static bool
split_num(const char *s, size_t n, size_t *plen, long *num)
{
	size_t	 k = n;

	while (k > 0 && isdigit((unsigned char)s[k - 1]))
		k--;
	if (k == n || k == 0 || n - k > 4)
		return false;
	*plen = k;
	return text_int(s + k, n - k, num);
}

/*
 * Resolves a list such as "q1-q18 q20" into indices; prefix is prepended
 * to each name (the target, "mother.") when non-NULL.
 */
static bool
resolve_list(struct parser *p, const char *list, size_t line,
    const char *prefix, bool scores, size_t **out, size_t *nout)
{
	struct instrument	*in = p->in;
	char			 name[2 * INSTR_MAX_ID + 16];
	const char		*s = list, *dash, *tok;
	size_t			 n, tn, pl1, pl2, idx, k;
	long			 a, b, j;

	*out = NULL;
	*nout = 0;
	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		tok = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
		tn = (size_t)(s - tok);
		dash = memchr(tok, '-', tn);
		if (dash != NULL && !scores) {
			if (!split_num(tok, (size_t)(dash - tok), &pl1, &a) ||
			    !split_num(dash + 1, tn - (size_t)(dash - tok) - 1,
			    &pl2, &b) || pl1 != pl2 ||
			    memcmp(tok, dash + 1, pl1) != 0 || b < a ||
			    b - a >= INSTR_MAX_ITEMS) {
				perr_at(p, line, "\"%.*s\" is not a range like "
				    "q1-q9", (int)(tn > 64 ? 64 : tn), tok);
				goto bad;
			}
		} else {
			a = b = 0;
			pl1 = tn;
		}
		for (j = a; j <= b; j++) {
			if (dash != NULL && !scores)
				n = (size_t)snprintf(name, sizeof(name),
				    "%s%.*s%ld", prefix ? prefix : "",
				    (int)pl1, tok, j);
			else
				n = (size_t)snprintf(name, sizeof(name),
				    "%s%.*s", prefix ? prefix : "",
				    (int)(tn > INSTR_MAX_ID ? INSTR_MAX_ID :
				    tn), tok);
			if (n >= sizeof(name))
				n = sizeof(name) - 1;
			idx = find_name(in, scores, name, n);
			if (idx == INSTR_NONE) {
				perr_at(p, line, "no %s \"%s\"%s", scores ?
				    "score" : "item", name, scores ?
				    " is defined above this one" : "");
				goto bad;
			}
			for (k = 0; k < *nout; k++)
				if ((*out)[k] == idx) {
					perr_at(p, line, "\"%s\" is listed "
					    "twice", name);
					goto bad;
				}
			if (!grow(p, (void **)out, *nout, sizeof(**out)))
				goto bad;
			(*out)[(*nout)++] = idx;
		}
	}
	if (*nout == 0) {
		perr_at(p, line, "the list is empty");
		goto bad;
	}
	return true;
bad:
	free(*out);
	*out = NULL;
	*nout = 0;
	return false;
}

static size_t
find_optset(const struct instrument *in, const char *name)
{
	size_t	 i;

	for (i = 0; i < in->noptsets; i++)
		if (strcmp(in->optsets[i].id, name) == 0)
			return i;
	return INSTR_NONE;
}

static void
finish_optsets(struct parser *p)
{
	struct instr_optset	*os;
	size_t			 i, j;

	for (i = 0; i < p->in->noptsets; i++) {
		os = &p->in->optsets[i];
		if (os->nopts < 2) {
			perr_at(p, 0, "option set %s needs at least two "
			    "options", os->id);
			continue;
		}
		os->min = os->max = os->opts[0].value;
		for (j = 1; j < os->nopts; j++) {
			if (os->opts[j].value < os->min)
				os->min = os->opts[j].value;
			if (os->opts[j].value > os->max)
				os->max = os->opts[j].value;
		}
	}
}

/* Builds the final items, one per (target, written item). */
static void
finish_items(struct parser *p)
{
	struct instrument	*in = p->in;
	struct pitem		*pi;
	struct instr_item	*it;
	size_t			 nt = in->ntargets ? in->ntargets : 1;
	size_t			 t, i, j, os, n;
	char			 name[2 * INSTR_MAX_ID + 2];
	bool			 found;

	if (p->npitems == 0) {
		perr_at(p, p->line, "the instrument has no items");
		return;
	}
	for (i = 0; i < p->npitems; i++)
		for (j = 0; j < i; j++)
			if (strcmp(p->pitems[i].id, p->pitems[j].id) == 0)
				perr_at(p, p->pitems[i].line,
				    "item %s is defined twice", p->pitems[i].id);
	if (p->npitems * nt > INSTR_MAX_ITEMS) {
		perr_at(p, p->line, "more than %d items", INSTR_MAX_ITEMS);
		return;
	}
	in->items = calloc(p->npitems * nt, sizeof(*in->items));
	if (in->items == NULL) {
		p->oom = true;
		return;
	}
	for (t = 0; t < nt; t++)
		for (i = 0; i < p->npitems; i++) {
			pi = &p->pitems[i];
			it = &in->items[in->nitems++];
			os = pi->optset == NULL ? 0 :
			    find_optset(in, pi->optset);
			if (os == INSTR_NONE || in->noptsets == 0) {
				if (t == 0)
					perr_at(p, pi->line, "item %s: no "
					    "option set \"%s\"", pi->id,
					    pi->optset ? pi->optset : "(any)");
				os = 0;
			}
			if (in->ntargets) {
				n = (size_t)snprintf(name, sizeof(name),
				    "%s.%s", in->targets[t].id, pi->id);
				it->id = xstrndup(p, name, n);
				it->target = t;
			} else {
				it->id = xstrndup(p, pi->id, strlen(pi->id));
				it->target = INSTR_NONE;
			}
			it->text = xstrndup(p, pi->text, strlen(pi->text));
			if (pi->loinc != NULL)
				it->loinc = xstrndup(p, pi->loinc,
				    strlen(pi->loinc));
			it->optset = os;
			it->reverse = pi->reverse;
			it->scored = !pi->unscored;
			it->critical = pi->critical;
			it->critical_min = pi->critical_min;
			if (!pi->critical || t > 0 || in->noptsets == 0)
				continue;
			found = false;
			for (j = 0; j < in->optsets[os].nopts; j++)
				if (in->optsets[os].opts[j].value ==
				    pi->critical_min)
					found = true;
			if (!found)
				perr_at(p, pi->line, "item %s: critical value "
				    "%d is not one of its options", pi->id,
				    pi->critical_min);
		}
}

static void
score_range(struct instrument *in, struct instr_score *sc)
{
	const struct instr_optset	*os;
	size_t				 i;
	double				 lo = 0, hi = 0, a, b;

	for (i = 0; i < sc->nitems; i++) {
		os = &in->optsets[in->items[sc->items[i]].optset];
		a = os->min;
		b = os->max;
		if (sc->method == METHOD_SUM) {
			lo += a;
			hi += b;
		} else if (i == 0 || a < lo || b > hi) {
			lo = i == 0 || a < lo ? a : lo;
			hi = i == 0 || b > hi ? b : hi;
		}
	}
	if (sc->method == METHOD_CONVERT)
		for (i = 0; i < sc->ntable; i++) {
			if (i == 0 || sc->table[i].value < lo)
				lo = sc->table[i].value;
			if (i == 0 || sc->table[i].value > hi)
				hi = sc->table[i].value;
		}
	if (sc->method == METHOD_MEAN_OF)
		for (i = 0; i < sc->nscores; i++) {
			a = in->scores[sc->scores[i]].min;
			b = in->scores[sc->scores[i]].max;
			lo = i == 0 || a < lo ? a : lo;
			hi = i == 0 || b > hi ? b : hi;
		}
	sc->min = lo;
	sc->max = hi;
}

/* Checks what a score needs once its inputs are known. */
static void
check_score(struct parser *p, const struct pscore *ps,
    struct instr_score *sc)
{
	struct instrument		*in = p->in;
	const struct instr_score	*src;
	size_t				 i, k, ninputs;
	double				 raw;

	for (i = 0; i < sc->nitems; i++)
		if (!in->items[sc->items[i]].scored)
			perr_at(p, ps->list_line, "score %s uses item %s, "
			    "which is marked unscored", sc->id,
			    in->items[sc->items[i]].id);
	ninputs = sc->nitems + sc->nscores;
	if (sc->max_missing >= ninputs && ninputs > 0)
		perr_at(p, ps->line, "score %s: \"missing prorate %zu\" would "
		    "allow a score with no answers", sc->id, sc->max_missing);
	if (sc->method == METHOD_CONVERT) {
		if (sc->nscores != 1)
			perr_at(p, ps->list_line, "\"convert\" takes exactly "
			    "one score");
		else if (sc->ntable == 0)
			perr_at(p, ps->line, "score %s converts but has no "
			    "\"table\" rows", sc->id);
		else {
			src = &in->scores[sc->scores[0]];
			/* Every whole raw score a complete answer set can
			 * produce must have a row, or some clients would get
			 * no score through a typo in the table. */
			if (src->method == METHOD_SUM && src->max_missing == 0)
				for (raw = src->min; raw <= src->max; raw++) {
					for (k = 0; k < sc->ntable; k++)
						if (sc->table[k].raw == raw)
							break;
					if (k == sc->ntable)
						perr_at(p, ps->line, "score %s:"
						    " the table has no row for "
						    "raw score %g", sc->id, raw);
				}
		}
	} else if (sc->ntable > 0)
		perr_at(p, ps->line, "score %s has \"table\" rows but does not "
		    "\"convert\"", sc->id);
	if (sc->nbands > 0 && (sc->bands[0].from > sc->min ||
	    sc->bands[sc->nbands - 1].from > sc->max))
		perr_at(p, ps->line, "score %s: bands must start at or below "
		    "the lowest possible score (%g) and lie within %g-%g",
		    sc->id, sc->min, sc->min, sc->max);
	if ((sc->clinical.set || sc->functional.set || sc->reliability != 0)
	    && sc->direction == DIRECTION_NONE)
		perr_at(p, ps->line, "score %s has norms but no \"direction\";"
		    " change cannot be classified without it", sc->id);
	if ((sc->clinical.set || sc->functional.set) && sc->reliability == 0)
		perr_at(p, ps->line, "score %s has norms but no "
		    "\"reliability\"", sc->id);
	if (ps->course.set && (sc->reliability == 0 ||
	    sc->direction == DIRECTION_NONE))
		perr_at(p, ps->line, "score %s has a \"course\" but no "
		    "\"reliability\" or \"direction\"; the expected path needs "
		    "both", sc->id);
	if (ps->tt.set && sc->direction == DIRECTION_NONE)
		perr_at(p, ps->line, "score %s has \"talking-therapies\" but no "
		    "\"direction\"", sc->id);
	if (ps->tt.set && (ps->tt.caseness < sc->min || ps->tt.caseness >
	    sc->max))
		perr_at(p, ps->line, "score %s: the caseness score lies outside "
		    "%g-%g", sc->id, sc->min, sc->max);
	if (ps->course.set && (ps->course.m0 < sc->min || ps->course.m0 >
	    sc->max || ps->course.m1 < sc->min || ps->course.m1 > sc->max))
		perr_at(p, ps->line, "score %s: the \"course\" means lie "
		    "outside %g-%g", sc->id, sc->min, sc->max);
}

static char *
dupnull(struct parser *p, const char *s)
{
	return s == NULL ? NULL : xstrndup(p, s, strlen(s));
}

/* Adds one final score from a written one, for one target (or none). */
static void
add_score(struct parser *p, const struct pscore *ps, size_t target)
{
	struct instrument	*in = p->in;
	struct instr_score	*sc;
	char			 prefix[INSTR_MAX_ID + 2] = "";
	char			 name[2 * INSTR_MAX_ID + 2], label[512];
	size_t			 n;

	if (in->nscores >= INSTR_MAX_SCORES) {
		perr_at(p, ps->line, "more than %d scores", INSTR_MAX_SCORES);
		return;
	}
	sc = &in->scores[in->nscores];
	if (target != INSTR_NONE) {
		snprintf(prefix, sizeof(prefix), "%s.", in->targets[target].id);
		n = (size_t)snprintf(name, sizeof(name), "%s%s", prefix,
		    ps->id);
		sc->id = xstrndup(p, name, n);
	} else
		sc->id = dupnull(p, ps->id);
	if (sc->id == NULL)
		return;
	if (find_name(in, true, sc->id, strlen(sc->id)) != INSTR_NONE) {
		perr_at(p, ps->line, "score %s is defined twice", sc->id);
		free(sc->id);
		sc->id = NULL;
		return;
	}
	in->nscores++;
	/* A relationship's score names its figure: "Attachment anxiety
	 * (mother)", never a bare label that reads as the client's own. */
	if (target != INSTR_NONE && ps->label != NULL) {
		n = (size_t)snprintf(label, sizeof(label), "%s (%s)", ps->label,
		    in->targets[target].id);
		sc->label = xstrndup(p, label, n < sizeof(label) ? n :
		    sizeof(label) - 1);
	} else
		sc->label = dupnull(p, ps->label);
	sc->method = (enum score_method)ps->method;
	sc->max_missing = ps->max_missing;
	sc->direction = ps->direction;
	sc->loinc = dupnull(p, ps->loinc);
	sc->reliability = ps->reliability;
	sc->reliability_source = dupnull(p, ps->reliability_source);
	sc->clinical = ps->clinical;
	sc->clinical.source = dupnull(p, ps->clinical.source);
	sc->functional = ps->functional;
	sc->functional.source = dupnull(p, ps->functional.source);
	sc->course = ps->course;
	sc->course.source = dupnull(p, ps->course.source);
	sc->tt = ps->tt;
	sc->tt.source = dupnull(p, ps->tt.source);
	if (ps->nbands > 0 &&
	    (sc->bands = calloc(ps->nbands, sizeof(*sc->bands))) == NULL) {
		p->oom = true;
		return;
	}
	for (n = 0; n < ps->nbands; n++) {
		sc->bands[n].from = ps->bands[n].from;
		sc->bands[n].label = dupnull(p, ps->bands[n].label);
	}
	sc->nbands = ps->nbands;
	if (ps->ntable > 0) {
		if ((sc->table = calloc(ps->ntable, sizeof(*sc->table))) ==
		    NULL) {
			p->oom = true;
			return;
		}
		memcpy(sc->table, ps->table, ps->ntable * sizeof(*sc->table));
		sc->ntable = ps->ntable;
	}
	if (sc->method == METHOD_SUM || sc->method == METHOD_MEAN) {
		if (!resolve_list(p, ps->list, ps->list_line,
		    target != INSTR_NONE ? prefix : NULL, false, &sc->items,
		    &sc->nitems))
			return;
	} else if (!resolve_list(p, ps->list, ps->list_line,
	    target != INSTR_NONE ? prefix : NULL, true, &sc->scores,
	    &sc->nscores))
		return;
	score_range(in, sc);
	check_score(p, ps, sc);
}

static bool
score_ready(struct parser *p, const struct pscore *ps)
{
	if (ps->method == -1) {
		perr_at(p, ps->line, "score %s has no method (sum, mean, "
		    "convert or mean-of)", ps->id);
		return false;
	}
	if (ps->each_target && p->in->ntargets == 0) {
		perr_at(p, ps->line, "score %s is \"each-target\" but the "
		    "instrument has no targets", ps->id);
		return false;
	}
	return true;
}

static void
finish_scores(struct parser *p)
{
	struct instrument	*in = p->in;
	size_t			 i, j, k, t;

	if (p->npscores == 0) {
		perr_at(p, p->line, "the instrument has no scores");
		return;
	}
	in->scores = calloc(INSTR_MAX_SCORES, sizeof(*in->scores));
	if (in->scores == NULL) {
		p->oom = true;
		return;
	}
	for (i = 0; i < p->npscores; i = j) {
		j = i + 1;
		if (!p->pscores[i].each_target) {
			if (score_ready(p, &p->pscores[i]))
				add_score(p, &p->pscores[i], INSTR_NONE);
			continue;
		}
		/* A run of per-target scores is laid out target by target
		 * (mother.anxiety, mother.avoidance, father.anxiety, ...), the
		 * order a reader of a result row expects. */
		while (j < p->npscores && p->pscores[j].each_target)
			j++;
		for (k = i; k < j; k++)
			if (!score_ready(p, &p->pscores[k]))
				return;
		for (t = 0; t < in->ntargets; t++)
			for (k = i; k < j; k++)
				add_score(p, &p->pscores[k], t);
	}
}

static void
finish(struct parser *p)
{
	struct instrument	*in = p->in;
	static const char *const required[] = { "id", "version", "name",
	    "title", "citation", "licence-terms" };
	const char *const	 fields[] = { in->id, in->version, in->name,
	    in->title, in->citation, in->licence_terms };
	size_t			 i;

	if (!p->saw_format) {
		perr_at(p, 1, "empty file: the first line must be "
		    "\"securebase-instrument %d\"", INSTR_FORMAT_VERSION);
		return;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (fields[i] == NULL)
			perr_at(p, p->line, "\"%s\" is missing", required[i]);
	if (in->noptsets == 0)
		perr_at(p, p->line, "the instrument has no option set");
	finish_optsets(p);
	if (p->nerrors > 0 || p->oom)
		return;
	finish_items(p);
	if (p->nerrors > 0 || p->oom)
		return;
	finish_scores(p);
}

static void
free_pending(struct parser *p)
{
	size_t	 i, j;

	for (i = 0; i < p->npitems; i++) {
		free(p->pitems[i].id);
		free(p->pitems[i].text);
		free(p->pitems[i].optset);
		free(p->pitems[i].loinc);
	}
	free(p->pitems);
	for (i = 0; i < p->npscores; i++) {
		free(p->pscores[i].id);
		free(p->pscores[i].label);
		free(p->pscores[i].list);
		free(p->pscores[i].table);
		free(p->pscores[i].loinc);
		free(p->pscores[i].reliability_source);
		free(p->pscores[i].clinical.source);
		free(p->pscores[i].functional.source);
		free(p->pscores[i].course.source);
		free(p->pscores[i].tt.source);
		for (j = 0; j < p->pscores[i].nbands; j++)
			free(p->pscores[i].bands[j].label);
	}
	free(p->pscores);
}

enum sb_err
instr_parse(const char *text, size_t len, const char *origin,
    struct instrument **out, struct buf *errors)
{
	struct parser	 p;
	const char	*s = text, *end = text + len, *nl;
	size_t		 n;
	enum sb_err	 rc = SB_OK;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.origin = origin != NULL ? origin : "(instrument)";
	p.errors = errors;
	if (len > INSTR_MAX_FILE) {
		perr_at(&p, 0, "file larger than %d bytes", INSTR_MAX_FILE);
		return SB_ELIMIT;
	}
	if ((p.in = calloc(1, sizeof(*p.in))) == NULL)
		return SB_ENOMEM;
	p.in->licence = LICENCE__MAX;
	while (s < end && !p.oom) {
		p.line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		parse_line(&p, s, n);
		s = nl != NULL ? nl + 1 : end;
	}
	if (!p.oom && p.in->licence == LICENCE__MAX && p.saw_format)
		perr_at(&p, p.line, "\"licence\" is missing (free or "
		    "permission-required)");
	if (!p.oom)
		finish(&p);
	if (p.nerrors > INSTR_MAX_ERRORS && errors != NULL)
		(void)buf_printf(errors, "%s: %zu more errors not shown\n",
		    p.origin, p.nerrors - INSTR_MAX_ERRORS);
	if (!p.oom)
		p.in->origin = xstrndup(&p, p.origin, strlen(p.origin));
	if (p.oom)
		rc = SB_ENOMEM;
	else if (p.nerrors > 0)
		rc = SB_EINVAL;
	free_pending(&p);
	if (rc != SB_OK) {
		instr_free(p.in);
		return rc;
	}
	*out = p.in;
	return SB_OK;
}

void
instr_free(struct instrument *in)
{
	size_t	 i, j;

	if (in == NULL)
		return;
	free(in->id);
	free(in->version);
	free(in->name);
	free(in->title);
	free(in->citation);
	free(in->instructions);
	free(in->notice);
	free(in->loinc);
	free(in->licence_terms);
	free(in->origin);
	for (i = 0; i < in->nsources; i++)
		free(in->sources[i]);
	for (i = 0; i < in->nunverified; i++)
		free(in->unverified[i]);
	for (i = 0; i < in->noptsets; i++) {
		for (j = 0; j < in->optsets[i].nopts; j++) {
			free(in->optsets[i].opts[j].label);
			free(in->optsets[i].opts[j].loinc);
		}
		free(in->optsets[i].opts);
		free(in->optsets[i].id);
	}
	free(in->optsets);
	for (i = 0; i < in->nitems; i++) {
		free(in->items[i].id);
		free(in->items[i].text);
		free(in->items[i].loinc);
	}
	free(in->items);
	for (i = 0; i < in->ntargets; i++) {
		free(in->targets[i].id);
		free(in->targets[i].label);
	}
	free(in->targets);
	for (i = 0; in->scores != NULL && i < INSTR_MAX_SCORES; i++) {
		struct instr_score *sc = &in->scores[i];

		free(sc->id);
		free(sc->label);
		free(sc->items);
		free(sc->scores);
		free(sc->table);
		free(sc->loinc);
		free(sc->reliability_source);
		free(sc->clinical.source);
		free(sc->functional.source);
		free(sc->course.source);
		free(sc->tt.source);
		for (j = 0; j < sc->nbands; j++)
			free(sc->bands[j].label);
		free(sc->bands);
	}
	free(in->scores);
	free(in);
}

size_t
instr_item_find(const struct instrument *in, const char *id, size_t idlen)
{
	size_t	 i;

	for (i = 0; i < in->nitems; i++)
		if (text_eq_nocase(id, idlen, in->items[i].id))
			return i;
	return INSTR_NONE;
}

size_t
instr_score_find(const struct instrument *in, const char *id)
{
	size_t	 i;

	for (i = 0; i < in->nscores; i++)
		if (strcmp(in->scores[i].id, id) == 0)
			return i;
	return INSTR_NONE;
}

const char *
instr_band_label(const struct instr_score *sc, double v)
{
	size_t	 i;

	if (sc->nbands == 0 || v < sc->bands[0].from)
		return NULL;
	for (i = sc->nbands; i-- > 0;)
		if (v >= sc->bands[i].from)
			return sc->bands[i].label;
	return NULL;
}

const char *
instr_licence_name(enum instr_licence l)
{
	return l == LICENCE_FREE ? "free" : "permission-required";
}

const char *
instr_method_name(enum score_method m)
{
	static const char *const names[] = { "sum", "mean", "convert",
	    "mean-of" };

	return m < METHOD__MAX ? names[m] : "?";
}

const char *
instr_direction_name(enum score_direction d)
{
	static const char *const names[] = { "none", "lower-is-better",
	    "higher-is-better" };

	return d < DIRECTION__MAX ? names[d] : "?";
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * answers.c - item answers from CSV/TSV.  See answers.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/answers.h"
#include "app/io.h"
#include "core/text.h"

#define COL_IGNORED	((size_t)-2)

/* Trims ASCII spaces, which hand-made files often leave around cells. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && **s == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] == ' ')
		(*n)--;
}

/* Prints a possibly hostile cell into an error message safely. */
static void
quote_cell(char *dst, size_t dsz, const char *s, size_t n)
{
	size_t	 i, j = 0;

	for (i = 0; i < n && j + 5 < dsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			dst[j++] = (char)c;
		else
			j += (size_t)snprintf(dst + j, dsz - j, "\\x%02x", c);
	}
	if (i < n && j + 4 < dsz) {
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j < dsz ? j : dsz - 1] = '\0';
}

static SB_MUST enum sb_err
read_header(struct answers *a)
{
	const struct instrument	*in = a->in;
	struct csv_field	*f;
	bool			*seen;
	char			 cell[64];
	size_t			 c, it;
	const char		*s;
	size_t			 n;
	enum sb_err		 e;

	if ((e = csv_next(&a->csv)) != SB_OK) {
		if (e == SB_EOF)
			snprintf(a->err, sizeof(a->err), "%s: empty file; the "
			    "first line must name the columns", a->path);
		else
			snprintf(a->err, sizeof(a->err), "%s: %s", a->path,
			    a->csv.err);
		return e == SB_EOF ? SB_EINVAL : e;
	}
	a->ncols = a->csv.nfields;
	if ((a->col = calloc(a->ncols, sizeof(*a->col))) == NULL ||
	    (a->lo = calloc(a->ncols, sizeof(*a->lo))) == NULL ||
	    (a->mask = calloc(a->ncols, sizeof(*a->mask))) == NULL ||
	    (seen = calloc(in->nitems, sizeof(*seen))) == NULL)
		return SB_ENOMEM;
	e = SB_OK;
	for (c = 0; c < a->ncols && e == SB_OK; c++) {
		f = &a->csv.fields[c];
		s = f->s;
		n = f->n;
		trim(&s, &n);
		a->col[c] = COL_IGNORED;
		if (!utf8_valid(s, n)) {
			snprintf(a->err, sizeof(a->err), "%s: header, column "
			    "%zu: not valid UTF-8", a->path, c + 1);
			e = SB_EINVAL;
		} else if (text_eq_nocase(s, n, "id")) {
			if (a->id_col != INSTR_NONE) {
				snprintf(a->err, sizeof(a->err), "%s: header: "
				    "two \"id\" columns", a->path);
				e = SB_EINVAL;
			}
			a->id_col = c;
		} else if (text_eq_nocase(s, n, "date")) {
			if (a->date_col != INSTR_NONE) {
				snprintf(a->err, sizeof(a->err), "%s: header: "
				    "two \"date\" columns", a->path);
				e = SB_EINVAL;
			}
			a->date_col = c;
		} else if ((it = instr_item_find(in, s, n)) != INSTR_NONE) {
			if (seen[it]) {
				snprintf(a->err, sizeof(a->err), "%s: header: "
				    "column %s appears twice", a->path,
				    in->items[it].id);
				e = SB_EINVAL;
			}
			seen[it] = true;
			a->col[c] = it;
			if (!score_answer_mask(a->plan, it, &a->lo[c],
			    &a->mask[c]))
				a->mask[c] = 0;
		}
	}
	for (it = 0; it < in->nitems && e == SB_OK; it++)
		if (!seen[it] && in->items[it].scored) {
			quote_cell(cell, sizeof(cell), in->items[it].id,
			    strlen(in->items[it].id));
			snprintf(a->err, sizeof(a->err), "%s: header: no column"
			    " %s (%s needs columns %s..%s)%s", a->path, cell,
			    in->id, in->items[0].id,
			    in->items[in->nitems - 1].id, a->ncols == 1 ?
			    "; the header is one column: give --delimiter "
			    "for the character that separates the columns" :
			    "");
			e = SB_EINVAL;
		}
	free(seen);
	return e;
}

bool
answers_delim(const char *w, char *delim)
{
	if (strcmp(w, ",") == 0 || strcmp(w, "comma") == 0)
		*delim = ',';
	else if (strcmp(w, ";") == 0 || strcmp(w, "semicolon") == 0)
		*delim = ';';
	else if (strcmp(w, "tab") == 0 || strcmp(w, "\t") == 0 ||
	    strcmp(w, "\\t") == 0)
		*delim = '\t';
	else
		return false;
	return true;
}

/* Is the cell one of the texts that mean no answer? */
static bool
is_missing(const struct answers *a, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < a->opts.nmissing; i++)
		if (strlen(a->opts.missing[i]) == n &&
		    memcmp(a->opts.missing[i], s, n) == 0)
			return true;
	return false;
}

/* A whole number written with a zero fraction, as SPSS and spreadsheets
 * export them ("2.00", "-1.0"); 2.5 is not one. */
static bool
whole_number(const char *s, size_t n, long *v)
{
	const char	*dot = memchr(s, '.', n);
	size_t		 k;

	if (dot == NULL || dot == s || dot == s + n - 1)
		return false;
	for (k = (size_t)(dot - s) + 1; k < n; k++)
		if (s[k] != '0')
			return false;
	return text_int(s, (size_t)(dot - s), v);
}

enum sb_err
answers_open(struct answers *a, const char *path, const struct score_plan *p,
    const struct answers_opts *o)
{
	size_t		 i;
	enum sb_err	 e;

	memset(a, 0, sizeof(*a));
	a->path = strcmp(path, "-") == 0 ? "(standard input)" : path;
	a->plan = p;
	a->in = score_plan_instrument(p);
	if (o != NULL)
		a->opts = *o;
	for (i = 0; i < a->opts.nmissing; i++)
		if (strlen(a->opts.missing[i]) == 1 &&
		    a->opts.missing[i][0] >= '0' && a->opts.missing[i][0] <= '9')
			a->missing_digit |= 1u << (a->opts.missing[i][0] - '0');
	a->id_col = INSTR_NONE;
	a->date_col = INSTR_NONE;
	if (strcmp(path, "-") == 0)
		a->fd = STDIN_FILENO;
	else if ((a->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(a->err, sizeof(a->err), "%s: %s", path,
		    strerror(errno));
		return SB_EIO;
	}
	if ((a->row = calloc(a->in->nitems, sizeof(*a->row))) == NULL) {
		answers_close(a);
		return SB_ENOMEM;
	}
	if ((e = csv_open(&a->csv, io_read_fd, &a->fd, ANSWERS_MAX_RECORD,
	    ANSWERS_MAX_FIELDS)) != SB_OK) {
		answers_close(a);
		return e;
	}
	a->csv.delim = a->opts.delim;
	if ((e = read_header(a)) != SB_OK) {
		if (e == SB_ENOMEM)
			snprintf(a->err, sizeof(a->err), "%s: out of memory",
			    a->path);
		return e;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
bad_cell(struct answers *a, size_t c, const char *what, const char *s,
    size_t n)
{
	char	 cell[48], col[48];
	int	 lo, hi;

	quote_cell(cell, sizeof(cell), s, n);
	if (a->col[c] < a->in->nitems) {
		snprintf(col, sizeof(col), "%s", a->in->items[a->col[c]].id);
		score_answer_range(a->plan, a->col[c], &lo, &hi);
		snprintf(a->err, sizeof(a->err), "%s: row %zu (line %zu), "
		    "column %s: %s \"%s\" (answers are %d..%d%s)", a->path,
		    a->rowno, a->csv.line, col, what, cell, lo, hi,
		    a->opts.nmissing ? ", or a --missing value" : "; empty = "
		    "missing");
	} else if (c == a->date_col)
		snprintf(a->err, sizeof(a->err), "%s: row %zu (line %zu), "
		    "column date: %s, not \"%s\"", a->path, a->rowno,
		    a->csv.line, what, cell);
	else
		snprintf(a->err, sizeof(a->err), "%s: row %zu (line %zu), "
		    "column %zu: %s", a->path, a->rowno, a->csv.line, c + 1,
		    what);
	return SB_EINVAL;
}

enum sb_err
answers_next(struct answers *a)
{
	struct csv_field	*f;
	const char		*s;
	size_t			 c, n, it;
	long			 v;
	enum sb_err		 e;

	if ((e = csv_next(&a->csv)) != SB_OK) {
		if (e != SB_EOF)
			snprintf(a->err, sizeof(a->err), "%s: row %zu: %s",
			    a->path, a->rowno + 1, a->csv.err);
		return e;
	}
	a->rowno++;
	if (a->csv.nfields != a->ncols) {
		snprintf(a->err, sizeof(a->err), "%s: row %zu (line %zu) has "
		    "%zu fields; the header has %zu", a->path, a->rowno,
		    a->csv.line, a->csv.nfields, a->ncols);
		return SB_EINVAL;
	}
	for (it = 0; it < a->in->nitems; it++)
		a->row[it] = SCORE_MISSING;
	a->id = "";
	a->idlen = 0;
	a->answered = 0;
	a->date[0] = '\0';
	for (c = 0; c < a->ncols; c++) {
		f = &a->csv.fields[c];
		s = f->s;
		n = f->n;
		it = a->col[c];
		if (c == a->id_col) {
			if (!utf8_valid(s, n))
				return bad_cell(a, c, "not valid UTF-8", s, n);
			if (n > ANSWERS_MAX_ID)
				return bad_cell(a, c, "id longer than 256 "
				    "bytes", s, n);
			a->id = s;
			a->idlen = n;
			continue;
		}
		if (c == a->date_col) {
			int64_t	 t;
			char	 d[24];

			trim(&s, &n);
			if (n == 0)
				continue;
			/* When the answers were given: a day, or a time in
			 * UTC, as --date and FHIR's authored are kept. */
			snprintf(d, sizeof(d), "%.*s", (int)(n < 21 ? n : 21),
			    s);
			if (n > 20 || !text_iso_seconds(d, &t))
				return bad_cell(a, c, "a date is YYYY-MM-DD or "
				    "YYYY-MM-DDTHH:MM:SSZ", s, n);
			if (n == 10)
				snprintf(a->date, sizeof(a->date),
				    "%.10sT12:00:00Z", d);
			else
				snprintf(a->date, sizeof(a->date), "%s", d);
			continue;
		}
		if (it == COL_IGNORED)
			continue;
		/* The common cell is one digit: no trimming or parsing. */
		if (n == 1 && s[0] >= '0' && s[0] <= '9' && a->mask[c] != 0 &&
		    !((a->missing_digit >> (s[0] - '0')) & 1)) {
			v = s[0] - '0';
			if (v < a->lo[c] || v - a->lo[c] >= 64 ||
			    !((a->mask[c] >> (v - a->lo[c])) & 1))
				return bad_cell(a, c, "not an answer of this "
				    "item:", s, n);
			a->row[it] = (int16_t)v;
			a->answered++;
			continue;
		}
		trim(&s, &n);
		if (n == 0 || is_missing(a, s, n))
			continue;
		if (!text_int(s, n, &v) && !whole_number(s, n, &v))
			return bad_cell(a, c, utf8_valid(s, n) ?
			    "not a whole number:" : "not valid UTF-8:", s, n);
		if (!score_answer_ok(a->plan, it, v))
			return bad_cell(a, c, "not an answer of this item:",
			    s, n);
		a->row[it] = (int16_t)v;
		a->answered++;
	}
	return SB_OK;
}

void
answers_close(struct answers *a)
{
	csv_close(&a->csv);
	if (a->fd > STDIN_FILENO)
		close(a->fd);
	a->fd = -1;
	free(a->col);
	free(a->lo);
	free(a->mask);
	free(a->row);
	a->lo = NULL;
	a->mask = NULL;
	a->col = NULL;
	a->row = NULL;
}

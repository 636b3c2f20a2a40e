/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * answers.h - reads rows of item answers from a CSV or TSV file for an
 * instrument: the shared input of `score` and `psychometrics`.
 *
 * The header names the columns.  A column named like an item (q1,
 * mother.q1; case-insensitive) holds that item's answers; a column named
 * "id" is carried through; other columns are ignored.  Every scored item
 * needs its column.  A cell holds the value of the chosen option before
 * any reversal, as a whole number ("2", or "2.00" as SPSS writes it); an
 * empty cell, or one equal to a --missing text, is a missing answer.  Any
 * other content that is not an accepted answer stops the reader with an
 * error naming the row, line and column.  Cells are separated by commas,
 * tabs or semicolons (from the header, or as the caller says).
 *
 * Ownership: answers_open() fills a reader closed with answers_close().
 */
#ifndef SB_ANSWERS_H
#define SB_ANSWERS_H

#include <stdint.h>

#include "core/csv.h"
#include "core/score.h"

#define ANSWERS_MAX_RECORD	(64 * 1024)
#define ANSWERS_MAX_FIELDS	1024
#define ANSWERS_MAX_ID		256
#define ANSWERS_MAX_MISSING	8

/* How cells are read: what means no answer, and the delimiter. */
struct answers_opts {
	const char	*missing[ANSWERS_MAX_MISSING];	/* "NA", "-99" */
	size_t		 nmissing;
	char		 delim;		/* ',', ';', '\t'; 0: from the header */
};

struct answers {
	struct csv		 csv;
	int			 fd;
	const char		*path;
	const struct score_plan	*plan;
	const struct instrument	*in;
	size_t			*col;		/* item index per column */
	int			*lo;		/* per column: lowest answer */
	uint64_t		*mask;		/* per column: accepted, or 0 */
	size_t			 ncols;
	size_t			 id_col;	/* or INSTR_NONE */
	size_t			 date_col;	/* or INSTR_NONE */
	char			 date[24];	/* the row's: "" or ISO UTC,
						 * a day as T12:00:00Z */
	struct answers_opts	 opts;
	unsigned		 missing_digit;	/* bit d: "d" means missing */
	size_t			 answered;	/* in the current row */
	int16_t			*row;		/* nitems answers */
	size_t			 rowno;		/* 1 = first data row */
	const char		*id;		/* of the row; NOT NUL-ended */
	size_t			 idlen;
	char			 err[512];
};

/* path "-" is standard input. */
/* o NULL: empty cells are missing, the delimiter from the header. */
enum sb_err	 answers_open(struct answers *, const char *path,
		    const struct score_plan *, const struct answers_opts *o)
		    SB_MUST;
/* Reads "--delimiter" words: "," ";" "tab"; false for anything else. */
bool		 answers_delim(const char *word, char *delim);
/* SB_OK: a row is in row/id; SB_EOF at the end; else err says why. */
enum sb_err	 answers_next(struct answers *) SB_MUST;
void		 answers_close(struct answers *);

#endif

/*
 * answers.h - reads rows of item answers from a CSV or TSV file for an
 * instrument: the shared input of `score` and `psychometrics`.
 *
 * The header names the columns.  A column named like an item (q1,
 * mother.q1; case-insensitive) holds that item's answers; a column named
 * "id" is carried through; other columns are ignored.  Every scored item
 * needs its column.  A cell holds the value of the chosen option before
 * any reversal; an empty cell, or one equal to the --missing text, is a
 * missing answer.  Any other content that is not an accepted answer stops
 * the reader with an error naming the row, line and column.
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
	const char		*missing;	/* or NULL */
	size_t			 missinglen;
	size_t			 answered;	/* in the current row */
	int16_t			*row;		/* nitems answers */
	size_t			 rowno;		/* 1 = first data row */
	const char		*id;		/* of the row; NOT NUL-ended */
	size_t			 idlen;
	char			 err[512];
};

/* path "-" is standard input. */
enum sb_err	 answers_open(struct answers *, const char *path,
		    const struct score_plan *, const char *missing);
/* SB_OK: a row is in row/id; SB_EOF at the end; else err says why. */
enum sb_err	 answers_next(struct answers *);
void		 answers_close(struct answers *);

#endif

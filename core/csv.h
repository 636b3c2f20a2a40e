/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * csv.h - a bounded, streaming reader of comma- or tab-separated records.
 *
 * RFC 4180 quoting ("a ""b""", newlines inside quotes), CRLF or LF, a UTF-8
 * byte-order mark skipped, blank lines skipped.  The delimiter is the
 * caller's when it sets delim after csv_open(), else taken from the first
 * record: a tab when it holds a tab and no comma, a semicolon when it
 * holds one and no comma (European spreadsheets), else a comma.
 * Bytes come from a read callback, so the module does no I/O itself.
 *
 * Every record must fit in max_record bytes and max_fields fields; a longer
 * one (a 2 GB line, say) stops the reader with SB_ELIMIT after reading at
 * most about max_record bytes of it, not the whole line.
 *
 * Ownership: struct csv is the caller's; csv_close() frees its buffers.
 * Fields point into the reader's buffer and are valid until the next
 * csv_next() call.
 */
#ifndef SB_CSV_H
#define SB_CSV_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Returns bytes read, 0 at end of input, -1 on error. */
typedef ssize_t	(*csv_read_fn)(void *ctx, char *dst, size_t n);

struct csv_field {
	char	*s;
	size_t	 n;
};

struct csv {
	csv_read_fn		 read;
	void			*ctx;
	char			*buf;
	size_t			 cap, start, end;
	int			 eof;
	char			 delim;		/* 0: from the first record */
	size_t			 line;		/* first line of the record */
	size_t			 next_line;
	size_t			 record;	/* records read, header included */
	size_t			 max_record;
	struct csv_field	*fields;
	size_t			 nfields, max_fields;
	char			 err[160];	/* why csv_next() failed */
};

enum sb_err	 csv_open(struct csv *, csv_read_fn, void *ctx,
		    size_t max_record, size_t max_fields) SB_MUST;
/* SB_OK: a record is in fields[0..nfields); SB_EOF: no more records. */
enum sb_err	 csv_next(struct csv *) SB_MUST;
void		 csv_close(struct csv *);

#endif

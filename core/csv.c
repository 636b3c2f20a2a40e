/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * csv.c - bounded streaming CSV/TSV reader.  See csv.h.
 *
 * A record is first located whole in the buffer (its end found with the
 * quote state tracked), refilling and compacting as needed; only then are
 * its fields split and unquoted in place.  Finding the end first keeps the
 * in-place unquoting from ever being redone on a partly rewritten record,
 * and lets the common record without quotes be split with memchr alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

enum sb_err
csv_open(struct csv *c, csv_read_fn fn, void *ctx, size_t max_record,
    size_t max_fields)
{
	memset(c, 0, sizeof(*c));
	c->read = fn;
	c->ctx = ctx;
	c->max_record = max_record;
	c->max_fields = max_fields;
	c->next_line = 1;
	/* Room for a whole maximal record plus read-ahead, so that large
	 * reads amortise the system calls. */
	c->cap = max_record + (1 << 20);
	if ((c->buf = malloc(c->cap)) == NULL)
		return SB_ENOMEM;
	if ((c->fields = calloc(max_fields, sizeof(*c->fields))) == NULL) {
		free(c->buf);
		c->buf = NULL;
		return SB_ENOMEM;
	}
	return SB_OK;
}

void
csv_close(struct csv *c)
{
	free(c->buf);
	free(c->fields);
	c->buf = NULL;
	c->fields = NULL;
}

/* Moves the unread bytes to the front and reads more after them. */
static SB_MUST enum sb_err
refill(struct csv *c)
{
	ssize_t	 n;

	if (c->start > 0) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	if (c->end == c->cap)
		return SB_ELIMIT;
	n = c->read(c->ctx, c->buf + c->end, c->cap - c->end);
	if (n < 0) {
		snprintf(c->err, sizeof(c->err), "read error after line %zu",
		    c->next_line);
		return SB_EIO;
	}
	if (n == 0)
		c->eof = 1;
	c->end += (size_t)n;
	return SB_OK;
}

/*
 * Finds the end of the record starting at c->start: *len is its length
 * without the line ending, *skip the bytes to consume.  SB_EOF when no bytes
 * are left.
 */
static SB_MUST enum sb_err
locate(struct csv *c, size_t *len, size_t *skip, size_t *lines, int *quoted)
{
	char		*s, *nl;
	size_t		 i, avail, from = 0;
	int		 inq = 0;
	enum sb_err	 e;

	*lines = 1;
	*quoted = 0;
	for (;;) {
		s = c->buf + c->start;
		avail = c->end - c->start;
		/* Fast path: a line without quotes ends at its newline. */
		if (!*quoted && from == 0 &&
		    (nl = memchr(s, '\n', avail)) != NULL &&
		    memchr(s, '"', (size_t)(nl - s)) == NULL) {
			*len = (size_t)(nl - s);
			*skip = *len + 1;
			goto found;
		}
		for (i = from; i < avail; i++) {
			if (s[i] == '"') {
				*quoted = 1;
				inq = !inq;
			} else if (s[i] == '\n') {
				if (!inq) {
					*len = i;
					*skip = i + 1;
					goto found;
				}
				(*lines)++;
			}
		}
		if (c->eof) {
			if (avail == 0)
				return SB_EOF;
			if (inq) {
				snprintf(c->err, sizeof(c->err), "line %zu: "
				    "a quoted field is never closed",
				    c->next_line);
				return SB_EINVAL;
			}
			*len = avail;
			*skip = avail;
			goto found;
		}
		if (avail >= c->max_record) {
			snprintf(c->err, sizeof(c->err), "line %zu: record "
			    "longer than %zu bytes", c->next_line,
			    c->max_record);
			return SB_ELIMIT;
		}
		/* refill() moves the record to the front of the buffer;
		 * offsets within it stay valid, so only the new bytes are
		 * scanned and the quote state carries over. */
		from = avail;
		if ((e = refill(c)) != SB_OK)
			return e;
	}
found:
	if (*len > c->max_record) {
		snprintf(c->err, sizeof(c->err), "line %zu: record longer "
		    "than %zu bytes", c->next_line, c->max_record);
		return SB_ELIMIT;
	}
	if (*len > 0 && s[*len - 1] == '\r')
		(*len)--;
	return SB_OK;
}

static SB_MUST enum sb_err
add_field(struct csv *c, char *s, size_t n)
{
	if (c->nfields == c->max_fields) {
		snprintf(c->err, sizeof(c->err), "line %zu: more than %zu "
		    "fields", c->line, c->max_fields);
		return SB_ELIMIT;
	}
	c->fields[c->nfields].s = s;
	c->fields[c->nfields].n = n;
	c->nfields++;
	return SB_OK;
}

static SB_MUST enum sb_err
split_plain(struct csv *c, char *s, size_t len)
{
	struct csv_field	*f = c->fields;
	size_t			 i, start = 0, n = 0, max = c->max_fields;
	const char		 d = c->delim;

	/* Fields are short (a digit or two), so a plain loop that stores
	 * them directly beats a memchr or a call per field. */
	for (i = 0; i < len; i++)
		if (s[i] == d) {
			if (n == max - 1)
				goto toomany;
			f[n].s = s + start;
			f[n++].n = i - start;
			start = i + 1;
		}
	f[n].s = s + start;
	f[n++].n = len - start;
	c->nfields = n;
	return SB_OK;
toomany:
	c->nfields = max;
	return add_field(c, s, 0);	/* reports "more than max fields" */
}

/* Splits a record that holds quotes, unquoting in place. */
static SB_MUST enum sb_err
split_quoted(struct csv *c, char *s, size_t len)
{
	size_t		 i = 0, w, start;
	enum sb_err	 e;

	for (;;) {
		start = w = i;
		if (i < len && s[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					goto unclosed;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						s[w++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				s[w++] = s[i];
			}
			if (i < len && s[i] != c->delim) {
				snprintf(c->err, sizeof(c->err), "line %zu: "
				    "text after a closing quote", c->line);
				return SB_EINVAL;
			}
		} else {
			while (i < len && s[i] != c->delim) {
				if (s[i] == '"') {
					snprintf(c->err, sizeof(c->err),
					    "line %zu: a quote inside an "
					    "unquoted field", c->line);
					return SB_EINVAL;
				}
				s[w++] = s[i++];
			}
		}
		if ((e = add_field(c, s + start, w - start)) != SB_OK)
			return e;
		if (i >= len)
			return SB_OK;
		i++;	/* the delimiter */
	}
unclosed:
	snprintf(c->err, sizeof(c->err), "line %zu: a quoted field is never "
	    "closed", c->line);
	return SB_EINVAL;
}

enum sb_err
csv_next(struct csv *c)
{
	char		*s;
	size_t		 len, skip, lines;
	int		 quoted;
	enum sb_err	 e;

	c->nfields = 0;
	for (;;) {
		if (c->end == c->start && !c->eof &&
		    (e = refill(c)) != SB_OK)
			return e;
		e = locate(c, &len, &skip, &lines, &quoted);
		if (e != SB_OK)
			return e;
		s = c->buf + c->start;
		c->line = c->next_line;
		c->next_line += lines;
		c->start += skip;
		if (c->record == 0 && len >= 3 &&
		    memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			len -= 3;
		}
		if (len > 0)
			break;
	}
	if (c->delim == 0) {
		c->delim = ',';
		if (memchr(s, '\t', len) != NULL && memchr(s, ',', len) == NULL)
			c->delim = '\t';
		/* European spreadsheets: ';' where the comma is the
		 * decimal sign. */
		else if (memchr(s, ';', len) != NULL &&
		    memchr(s, ',', len) == NULL)
			c->delim = ';';
	}
	c->record++;
	e = quoted ? split_quoted(c, s, len) : split_plain(c, s, len);
	if (e != SB_OK)
		return e;
	if (memchr(s, '\0', len) != NULL) {
		snprintf(c->err, sizeof(c->err), "line %zu: NUL byte",
		    c->line);
		return SB_EINVAL;
	}
	return SB_OK;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * html.c - escape-by-default HTML writer.  See html.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "render/html.h"

void
html_lit_(struct buf *b, const char *literal)
{
	buf_adds(b, literal);
}

void
html_text(struct buf *b, const char *s)
{
	const char	*run = s;

	if (s == NULL)
		return;
	/* Attribute-safe too: quotes are escaped as well as < > &. */
	for (; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_adds(b, rep);
		run = s + 1;
	}
	buf_adds(b, run);
}

void
html_attr(struct buf *b, const char *name, const char *value)
{
	buf_addc(b, ' ');
	buf_adds(b, name);	/* names are literals at every call site */
	buf_adds(b, "=\"");
	html_text(b, value);
	buf_addc(b, '"');
}

void
html_int(struct buf *b, int64_t v)
{
	char	 n[24];

	snprintf(n, sizeof(n), "%lld", (long long)v);
	buf_adds(b, n);
}

void
html_num(struct buf *b, double v, int decimals)
{
	text_add_number(b, v, decimals);
}

enum sb_err
html_rows_keep(struct html_rows *t, struct buf *row)
{
	char	**grown;
	size_t	  cap;

	if (row->err != SB_OK)
		return (enum sb_err)row->err;
	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if (cap > 1000000 || (grown = realloc(t->v, cap *
		    sizeof(*grown))) == NULL)
			return SB_ENOMEM;
		t->v = grown;
		t->cap = cap;
	}
	if ((t->v[t->n] = strdup(row->data ? row->data : "")) == NULL)
		return SB_ENOMEM;
	t->n++;
	buf_reset(row);
	return SB_OK;
}

void
html_rows_put(struct buf *b, const struct html_rows *t, size_t skip,
    size_t end, bool newest_first)
{
	size_t	 i;

	for (i = skip; i < end && i < t->n; i++)
		buf_adds(b, t->v[newest_first ? t->n - 1 - i : i]);
}

void
html_rows_free(struct html_rows *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		mem_wipe(t->v[i], strlen(t->v[i]));
		free(t->v[i]);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/*
 * A stored moment in plain words in the practice's time zone, "today
 * 14:05" or "3 Nov", with the exact UTC time kept in the <time> element
 * (and shown on hover).  Anything not a stored time is shown as it is.
 */
void
html_when_at(struct buf *b, const char *iso, int64_t now)
{
	char	 w[40];

	if (iso == NULL || !text_when_iso(iso, now, w, sizeof(w))) {
		html_text(b, iso ? iso : "");
		return;
	}
	HTML_LIT(b, "<time");
	html_attr(b, "datetime", iso);
	html_attr(b, "title", iso);
	HTML_LIT(b, ">");
	html_text(b, w);
	HTML_LIT(b, "</time>");
}

void
html_when_t_at(struct buf *b, int64_t t, int64_t now)
{
	char		 iso[24];
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(iso, sizeof(iso),
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		HTML_LIT(b, "?");
		return;
	}
	html_when_at(b, iso, now);
}

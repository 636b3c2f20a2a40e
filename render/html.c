/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * html.c - escape-by-default HTML writer.  See html.h.
 */
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "render/html.h"

void
html_raw(struct buf *b, const char *literal)
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

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * html.h - the one way bytes reach a browser: an escape-by-default HTML
 * writer.
 *
 * Markup comes only from string literals (HTML_LIT() and HTML_PICK()
 * refuse anything else at compile time); every other byte goes through
 * html_text() or html_attr(), which escape & < > " ' so that text can
 * never become markup, whatever a client or therapist typed.  kcgi's
 * khtml and cgit's html_txt/html_attr are the models.
 *
 * The promise is kept by lint (scripts/lint.sh), not by trust: nothing
 * outside this file calls html_lit_() but through the two macros, and
 * web/ appends nothing to a page but through these writers.  Markup made
 * ahead of its place (a table's rows, shown newest first) is kept as
 * html_rows, which only this writer's output goes into and only
 * html_rows_put() takes out.
 */
#ifndef SB_HTML_H
#define SB_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* "" s "" only compiles when s is a string literal. */
#define HTML_LIT(b, s)		html_lit_((b), "" s "")
/* One of two literals, as the condition says. */
#define HTML_PICK(b, c, s, t)	html_lit_((b), (c) ? "" s "" : "" t "")

/* Only through the macros above (lint). */
void	 html_lit_(struct buf *, const char *literal);
/* Escaped text (element content). */
void	 html_text(struct buf *, const char *);
/* name="escaped value" with a leading space. */
void	 html_attr(struct buf *, const char *name, const char *value);
void	 html_int(struct buf *, int64_t);
/* A number with up to the given decimals, escaped (it is text too). */
void	 html_num(struct buf *, double, int decimals);
/* An ISO time as words seen from now ("today 14:05", "23 Nov"), in a
 * <time> element that keeps the exact time; the text as it is when it is
 * no time. */
void	 html_when_at(struct buf *, const char *iso, int64_t now);
/* The same for a Unix time t; "?" when it is no time. */
void	 html_when_t_at(struct buf *, int64_t t, int64_t now);

/*
 * Rows made ahead of their place: each written with the functions above
 * into a scratch buffer, then kept (html_rows_keep takes the buffer's
 * bytes and resets it; a sticky error in it is returned), and placed
 * in order or newest first.  Zeroed is empty; html_rows_free wipes
 * (rows of a clinical record).
 */
struct html_rows {
	char	**v;		/* html.c's */
	size_t	  n, cap;
};

enum sb_err	 html_rows_keep(struct html_rows *, struct buf *row) SB_MUST;
/* Rows from the skip-th to the end-th, oldest first or newest first. */
void		 html_rows_put(struct buf *, const struct html_rows *,
		    size_t skip, size_t end, bool newest_first);
void		 html_rows_free(struct html_rows *);

#endif

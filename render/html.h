/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * html.h - the one way bytes reach a browser: an escape-by-default HTML
 * writer.
 *
 * Markup comes only from string literals (HTML_LIT() refuses anything
 * else at compile time); every other byte goes through html_text() or
 * html_attr(), which escape & < > " ' so that text can never become
 * markup, whatever a client or therapist typed.  kcgi's khtml and cgit's
 * html_txt/html_attr are the models.
 */
#ifndef SB_HTML_H
#define SB_HTML_H

#include <stdint.h>

#include "core/buf.h"

/* "" s "" only compiles when s is a string literal. */
#define HTML_LIT(b, s)	html_raw((b), "" s "")

void	 html_raw(struct buf *, const char *literal);
/* Escaped text (element content). */
void	 html_text(struct buf *, const char *);
/* name="escaped value" with a leading space. */
void	 html_attr(struct buf *, const char *name, const char *value);
void	 html_int(struct buf *, int64_t);
/* A number with up to the given decimals, escaped (it is text too). */
void	 html_num(struct buf *, double, int decimals);

#endif

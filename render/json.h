/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * json.h - the one JSON writer.  A document is built as jansson values
 * (every string escaped by jansson, never by hand) and written here, one
 * line with ", " and ": " between members, in the order built; numbers
 * are rounded to the decimals asked for and written without a trailing
 * ".0".
 *
 * Ownership: the json_* makers return a new reference (NULL when out of
 * memory); json_put steals v, as json_object_set_new does, also on
 * failure.  json_write takes nothing.
 */
#ifndef SB_RENDER_JSON_H
#define SB_RENDER_JSON_H

#include <stdbool.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"

/* Appends v to out as one line, and a newline when nl. */
enum sb_err	 json_write(struct buf *out, const json_t *v, bool nl) SB_MUST;
/* s as a JSON string, or null for NULL. */
json_t		*json_text(const char *s);
/* n bytes of s (not NUL-terminated) as a JSON string. */
json_t		*json_textn(const char *s, size_t n);
/* v rounded to decimals places; null when v is not finite. */
json_t		*json_fixed(double v, int decimals);
/* obj[key] = v (stolen); false when v is NULL or memory ran out. */
bool		 json_put(json_t *obj, const char *key, json_t *v);
/* arr += v (stolen); the same. */
bool		 json_push(json_t *arr, json_t *v);

#endif

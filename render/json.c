/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * json.c - the one JSON writer (json.h), on jansson.
 */
#include <math.h>
#include <string.h>

#include "render/json.h"

static int
to_buf(const char *p, size_t n, void *arg)
{
	return buf_add(arg, p, n) == SB_OK ? 0 : -1;
}

enum sb_err
json_write(struct buf *out, const json_t *v, bool nl)
{
	/* Indent 0 without JSON_COMPACT: one line, ", " and ": ".  Reals
	 * come rounded (json_fixed), so 15 digits write them exactly. */
	if (v == NULL || json_dump_callback(v, to_buf, out, JSON_ENCODE_ANY |
	    JSON_REAL_PRECISION(15)) != 0)
		return out->err != SB_OK ? (enum sb_err)out->err : SB_ENOMEM;
	if (nl)
		return buf_add(out, "\n", 1);
	return SB_OK;
}

json_t *
json_text(const char *s)
{
	return s == NULL ? json_null() : json_string(s);
}

json_t *
json_textn(const char *s, size_t n)
{
	return json_stringn(s, n);
}

json_t *
json_fixed(double v, int decimals)
{
	double	 scale = 1.0;
	int	 i;

	if (!isfinite(v))
		return json_null();
	for (i = 0; i < decimals; i++)
		scale *= 10.0;
	v = round(v * scale) / scale;
	if (v == trunc(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

bool
json_put(json_t *obj, const char *key, json_t *v)
{
	return v != NULL && json_object_set_new(obj, key, v) == 0;
}

bool
json_push(json_t *arr, json_t *v)
{
	return v != NULL && json_array_append_new(arr, v) == 0;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * answers.c - the stored form of a set of answers and of its scores, the
 * text written in every administration row.  See answers.h.
 */
#include <string.h>

#include "core/answers.h"
#include "core/text.h"

enum sb_err
answers_encode(const struct instrument *in, const int16_t *a, struct buf *b)
{
	size_t	 i;

	/* No printf here: imports encode a million of these. */
	buf_reset(b);
	for (i = 0; i < in->nitems; i++) {
		if (i > 0)
			buf_addc(b, ';');
		buf_adds(b, in->items[i].id);
		buf_addc(b, '=');
		if (a[i] != SCORE_MISSING)
			text_add_number(b, a[i], 0);
	}
	return (enum sb_err)b->err;
}

enum sb_err
answers_decode(const struct score_plan *p, const char *s, int16_t *a)
{
	const struct instrument	*in = score_plan_instrument(p);
	const char		*eq, *end;
	size_t			 i, it, next = 0, n;
	long			 v;

	for (i = 0; i < in->nitems; i++)
		a[i] = SCORE_MISSING;
	while (*s != '\0') {
		end = strchr(s, ';');
		if (end == NULL)
			end = s + strlen(s);
		eq = memchr(s, '=', (size_t)(end - s));
		if (eq == NULL)
			return SB_EINVAL;
		/* answers_encode writes the items in order: the next one is
		 * looked at first, the whole list only when it is not it (a
		 * caseload decodes every client's answers on every view). */
		n = (size_t)(eq - s);
		if (next < in->nitems && strlen(in->items[next].id) == n &&
		    memcmp(in->items[next].id, s, n) == 0)
			it = next;
		else
			it = instr_item_find(in, s, n);
		if (it == INSTR_NONE)
			return SB_ENOENT;
		next = it + 1;
		if (eq + 1 < end) {
			if (!text_int(eq + 1, (size_t)(end - eq - 1), &v) ||
			    !score_answer_ok(p, it, v))
				return SB_EINVAL;
			a[it] = (int16_t)v;
		}
		s = *end ? end + 1 : end;
	}
	return SB_OK;
}

enum sb_err
scores_json(const struct instrument *in, const double *v, const bool *ok,
    struct buf *b)
{
	size_t	 i;

	buf_reset(b);
	buf_addc(b, '{');
	for (i = 0; i < in->nscores; i++) {
		buf_adds(b, i ? ", \"" : "\"");
		buf_adds(b, in->scores[i].id);
		buf_adds(b, "\": ");
		if (ok[i])
			text_add_number(b, v[i], 6);
		else
			buf_adds(b, "null");
	}
	buf_addc(b, '}');
	return (enum sb_err)b->err;
}

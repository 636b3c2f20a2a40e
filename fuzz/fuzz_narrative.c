/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_narrative.c - libFuzzer target: any bytes, any length, as a
 * narrative.  The analyser must never crash; every span must lie inside
 * the text, in order, and the JSON must be written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/builtin.h"
#include "core/narrative.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct lexicon *en;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct narr_result	 r;
	struct buf		 out;
	char			 err[256];
	size_t			 i, k, s;

	if (en == NULL) {
		for (i = 0; builtin_lang[i].name != NULL; i++)
			if (strcmp(builtin_lang[i].name, "en.lexicon") == 0 &&
			    lexicon_parse("en.lexicon", builtin_lang[i].data,
			    builtin_lang[i].len, &en, err, sizeof(err)) != SB_OK)
				abort();
		if (en == NULL)
			abort();
	}
	if (narrative_analyze(en, (const char *)data, size, &r) != SB_OK)
		return 0;
	for (k = 0; k < NARR_INDICATORS; k++) {
		if (r.ind[k].count != r.ind[k].nspans)
			abort();
		for (s = 0; s < r.ind[k].nspans; s++) {
			const struct narr_span *sp = &r.ind[k].spans[s];

			if (sp->start > sp->end || sp->end > size ||
			    (s > 0 && sp->start < r.ind[k].spans[s - 1].start))
				abort();
		}
	}
	buf_init(&out, 1 << 26);
	if (narr_result_json(&r, (const char *)data, size, &out) != SB_OK &&
	    out.err != SB_ELIMIT)
		abort();
	buf_free(&out);
	narr_result_free(&r);
	return 0;
}

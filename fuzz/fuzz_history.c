/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_history.c - libFuzzer target: any bytes as a history JSON file.
 * The reader must never crash; what it accepts must lay out (every
 * person placed, nothing overlapping, no line through anyone else's
 * symbol or label) and draw (map, lifeline, patterns)
 * without a fault.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/genogram.h"
#include "core/history.h"
#include "core/patterns.h"
#include "render/history_svg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history	 h;
	struct genogram	 g;
	struct buf	 out;
	char		 err[512];

	if (history_from_json((const char *)data, size, &h, err,
	    sizeof(err)) != SB_OK)
		return 0;
	if (genogram_layout(&h, &g) == SB_OK) {
		struct geno_check c;

		if (g.n != h.npeople)
			abort();
		/* Whatever the data: nothing overlaps, no line passes
		 * through someone else's symbol or label. */
		genogram_check(&h, &g, &c);
		if (c.overlaps != 0 || c.through != 0) {
			fprintf(stderr, "map: %s\n", c.what);
			abort();
		}
		buf_init(&out, 1 << 24);
		svg_map(&out, &h, &g);
		buf_reset(&out);
		(void)history_patterns(&h, &g, &out);
		buf_reset(&out);
		svg_lifeline(&out, &h, NULL, 0);
		buf_free(&out);
		genogram_free(&g);
	}
	history_free(&h);
	return 0;
}

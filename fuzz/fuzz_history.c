/*
 * fuzz_history.c - libFuzzer target: any bytes as a history JSON file.
 * The reader must never crash; what it accepts must lay out (every
 * person placed, no two in one slot) and draw (map, lifeline, patterns)
 * without a fault.
 */
#include <math.h>
#include <stdint.h>
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
	size_t		 i, j;

	if (history_from_json((const char *)data, size, &h, err,
	    sizeof(err)) != SB_OK)
		return 0;
	if (genogram_layout(&h, &g) == SB_OK) {
		if (g.n != h.npeople)
			abort();
		for (i = 0; i < g.n; i++)
			for (j = i + 1; j < g.n; j++)
				if (g.nodes[i].row == g.nodes[j].row &&
				    fabs(g.nodes[i].x - g.nodes[j].x) <
				    GENO_SLOT - 1e-6)
					abort();
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

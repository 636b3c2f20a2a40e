/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_instrument.c - libFuzzer target: any bytes as an instrument
 * definition.  The parser must never crash, leak or read out of bounds,
 * and whatever it accepts must be scorable.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/instrument.h"
#include "core/score.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct instrument	*in;
	struct score_plan	*plan;
	struct buf		 err;
	int16_t			*row;
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i, crit[INSTR_MAX_ITEMS];

	buf_init(&err, 1 << 16);
	if (instr_parse((const char *)data, size, "fuzz", &in, &err) ==
	    SB_OK) {
		/* Score an all-minimum row and an all-missing row. */
		if (score_plan_new(in, 0, 0, &plan) == SB_OK) {
			row = calloc(in->nitems, sizeof(*row));
			if (row != NULL) {
				for (i = 0; i < in->nitems; i++)
					row[i] = (int16_t)in->optsets[
					    in->items[i].optset].min;
				score_row(plan, row, v, ok);
				(void)score_critical(plan, row, crit,
				    INSTR_MAX_ITEMS);
				for (i = 0; i < in->nitems; i++)
					row[i] = SCORE_MISSING;
				score_row(plan, row, v, ok);
				free(row);
			}
			score_plan_free(plan);
		}
		instr_free(in);
	}
	buf_free(&err);
	return 0;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_csv.c - libFuzzer target: any bytes as a CSV file, served in
 * small uneven reads.  The reader must never crash or read out of bounds,
 * and every field it returns must lie inside its buffer.
 */
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "core/csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct src {
	const uint8_t	*p;
	size_t		 len, off, step;
};

static ssize_t
src_read(void *ctx, char *dst, size_t n)
{
	struct src	*s = ctx;
	size_t		 k = s->len - s->off;

	if (k > n)
		k = n;
	if (k > s->step)
		k = s->step;
	memcpy(dst, s->p + s->off, k);
	s->off += k;
	/* Vary the read size so records straddle reads differently. */
	s->step = s->step % 13 + 1;
	return (ssize_t)k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv	 c;
	struct src	 s = { data, size, 0, 5 };
	size_t		 i, total = 0;
	volatile char	 sink = 0;

	if (csv_open(&c, src_read, &s, 1024, 64) != SB_OK)
		return 0;
	while (csv_next(&c) == SB_OK) {
		for (i = 0; i < c.nfields; i++) {
			/* Touch every byte so ASan checks the bounds. */
			if (c.fields[i].n > 0)
				sink ^= c.fields[i].s[c.fields[i].n - 1];
			total += c.fields[i].n;
		}
	}
	(void)sink;
	(void)total;
	csv_close(&c);
	return 0;
}

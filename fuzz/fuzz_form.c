/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_form.c - libFuzzer target: any bytes as a form body.  The decoder
 * must never crash or read out of bounds; what it accepts is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/form.h"
#include "core/text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	 f;
	char		*s;
	size_t		 i;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (form_parse(s, &f) == SB_OK)
		for (i = 0; i < f.n; i++)
			if (!utf8_valid(f.f[i].name, strlen(f.f[i].name)) ||
			    !utf8_valid(f.f[i].value, strlen(f.f[i].value)))
				abort();
	free(s);
	return 0;
}

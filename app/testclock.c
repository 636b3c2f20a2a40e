/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * testclock.c - the test clock, read in test builds only.  See
 * testclock.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "app/testclock.h"
#include "core/clock.h"
#include "core/text.h"

#if defined(SB_TEST_CLOCK) || defined(SB_TEST_BUILD)
void
testclock_read(void)
{
	const char	*p = getenv("SECUREBASE_TEST_CLOCK");
	char		 b[32];
	ssize_t		 n;
	long		 v;
	int		 fd;

	if (p == NULL || *p == '\0' || (fd = open(p, O_RDONLY |
	    O_CLOEXEC)) < 0) {
		clock_pin(-1);
		return;
	}
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == ' '))
		n--;
	if (n <= 0 || !text_int(b, (size_t)n, &v) || v < 0)
		clock_pin(-1);
	else
		clock_pin((int64_t)v);
}

bool
testclock_built(void)
{
	return true;
}
#else
void
testclock_read(void)
{
}

bool
testclock_built(void)
{
	return false;
}
#endif

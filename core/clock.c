/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clock.c - the time the program acts at; a file's time in tests.  See
 * clock.h.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/text.h"

bool
clock_fake(void)
{
	const char	*p = getenv("SECUREBASE_TEST_CLOCK");

	return p != NULL && *p != '\0';
}

int64_t
clock_now(void)
{
	const char	*p = getenv("SECUREBASE_TEST_CLOCK");
	char		 b[32];
	ssize_t		 n;
	long		 v;
	int		 fd;

	if (p == NULL || *p == '\0' || (fd = open(p, O_RDONLY |
	    O_CLOEXEC)) < 0)
		return (int64_t)time(NULL);
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == ' '))
		n--;
	if (n <= 0 || !text_int(b, (size_t)n, &v) || v < 0)
		return (int64_t)time(NULL);
	return (int64_t)v;
}

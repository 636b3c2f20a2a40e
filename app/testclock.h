/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * testclock.h - the test clock: a file that says what time it is.
 *
 * Tests run weeks of a practice in seconds by writing a decimal Unix
 * time into a file named by SECUREBASE_TEST_CLOCK and rewriting it while
 * `serve` runs.  Only a test build reads it: build/test/securebase (the
 * release objects with this file built with -DSB_TEST_CLOCK) and the
 * ASan build (SB_TEST_BUILD).  In the release build testclock_read() does
 * nothing and the variable is ignored, so no file and no environment can
 * move a practice's clock.
 *
 * testclock_read() reads the file once and pins core/clock.h's time to
 * it; a command calls it once at start (cli/main.c), the server at the
 * start of each request and of each background round (web/server.c).
 * A file that cannot be read or parsed lets the real time run, so a
 * broken test clock never stops a practice.
 */
#ifndef SB_TESTCLOCK_H
#define SB_TESTCLOCK_H

#include <stdbool.h>

void	 testclock_read(void);
/* Whether this build reads the test clock at all. */
bool	 testclock_built(void);

#endif

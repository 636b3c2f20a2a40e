/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clock.h - the time the program acts at.
 *
 * Everything that decides by the calendar (a link's expiry, a plan's due
 * sends and reminders, the outbox's next try, the time an answer is
 * recorded at) asks clock_now(), so that a test can run weeks of a
 * practice in seconds.  In a real installation it is time(2).
 *
 * For tests only: when SECUREBASE_TEST_CLOCK names a file, the time is
 * the decimal Unix time written in it, read again at every call (a test
 * moves the clock by rewriting the file while serve runs).  A file that
 * cannot be read or parsed gives the real time, so a broken test clock
 * never stops a practice.  clock_fake() says whether it is in use, and
 * `serve` and `schedule run` print a warning when it is.
 */
#ifndef SB_CLOCK_H
#define SB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

int64_t	 clock_now(void);
bool	 clock_fake(void);

#endif

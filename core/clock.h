/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * clock.h - the time the program acts at.
 *
 * Everything that decides by the calendar (a link's expiry, a plan's due
 * sends and reminders, the outbox's next try, the time an answer is
 * recorded at) asks clock_now(), so that a test can run weeks of a
 * practice in seconds.  In a real installation it is time(2).
 *
 * clock_pin() fixes the time (a negative value lets it run again);
 * clock_fake() says whether it is pinned.  Nothing here reads a file or
 * the environment: clock_pin() is called by the test clock of
 * app/testclock.h, which only a test build has, and by the demo, which
 * records its story week by week and then lets the clock go back to
 * what it was.
 */
#ifndef SB_CLOCK_H
#define SB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

int64_t	 clock_now(void);
void	 clock_pin(int64_t);
bool	 clock_fake(void);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * log.h - one line per event an operator watches (failed logins,
 * lockouts, alerts raised and notified, server errors), for the journal:
 *
 *   securebase: time=2026-11-30T20:40:00Z level=warn event=login-failed
 *     ip=192.0.2.7 user=anna
 *
 * key=value pairs in a fixed order per event, a value quoted when it
 * holds a space, a quote or a backslash, and any control or non-ASCII
 * byte written as \xNN, so that a line is always one line and a name
 * cannot forge a second event.  Nothing clinical goes in: ids, not names
 * or scores.
 *
 * Off until log_to() names a stream (serve does: stderr); commands that
 * talk to a person keep their own messages.
 */
#ifndef SB_LOG_H
#define SB_LOG_H

#include <stdio.h>

#define LOG_VALUE_MAX	128	/* longer values are cut, marked "..." */

/* The stream to log to; NULL: off (the default). */
void	 log_to(FILE *);
/*
 * One event: level ("info", "warn", "error"), its name, then key and
 * value pairs ending with NULL.  A NULL value is left out.
 */
void	 log_event(const char *level, const char *event, ...);

/*
 * A refused request that a flood repeats (a failed or refused login):
 * the first of an event from an address in LOG_AGG_SECONDS is logged as
 * log_event() would, with ip, user and wait; the rest are counted and
 * said in one line when the interval ends ("repeated=N seconds=10").
 * At most LOG_AGG_SLOTS addresses are followed at once; refusals from
 * further addresses are counted together in one line per interval.  So
 * a flood writes a few lines a second, and the lines that matter (an
 * alert, a mail, an anchor) are not lost among them in the journal's
 * rate limit.
 */
#define LOG_AGG_SECONDS	10
#define LOG_AGG_SLOTS	16
void	 log_refusal(const char *event, const char *ip, const char *user,
	    const char *wait);
/* Says what log_refusal() counted in intervals that have ended (serve
 * calls it every second, so that a count is not held back when the
 * flood stops). */
void	 log_tick(void);

#endif

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

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * log.c - the operator's event lines.  See log.h.
 */
#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "app/log.h"

static FILE		*out;
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;

void
log_to(FILE *f)
{
	pthread_mutex_lock(&mu);
	out = f;
	pthread_mutex_unlock(&mu);
}

/* A value as one token: bare, or quoted with \" \\ and \xNN. */
static void
value(struct buf *b, const char *v)
{
	size_t	 i, n = strlen(v);
	bool	 quote = n == 0;

	if (n > LOG_VALUE_MAX)
		n = LOG_VALUE_MAX;
	for (i = 0; i < n && !quote; i++)
		if (v[i] == ' ' || v[i] == '"' || v[i] == '\\' || v[i] == '=' ||
		    (unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e)
			quote = true;
	if (quote)
		buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	if (n < strlen(v))
		buf_adds(b, "...");
	if (quote)
		buf_addc(b, '"');
}

/* One line, the lock held: level, event, then key and value pairs. */
static void
line_v(const char *level, const char *event, va_list ap)
{
	struct buf	 b;
	const char	*k, *v;
	time_t		 now = (time_t)clock_now();
	struct tm	 tm;
	char		 at[32];

	if (out == NULL)
		return;
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_init(&b, 4096);
	buf_printf(&b, "securebase: time=%s level=%s event=", at, level);
	value(&b, event);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v == NULL)
			continue;
		buf_printf(&b, " %s=", k);
		value(&b, v);
	}
	if (b.err == SB_OK) {
		fprintf(out, "%s\n", b.data);
		fflush(out);
	}
	buf_free(&b);
}

static void
line(const char *level, const char *event, ...)
{
	va_list	 ap;

	va_start(ap, event);
	line_v(level, event, ap);
	va_end(ap);
}

void
log_event(const char *level, const char *event, ...)
{
	va_list	 ap;

	pthread_mutex_lock(&mu);
	va_start(ap, event);
	line_v(level, event, ap);
	va_end(ap);
	pthread_mutex_unlock(&mu);
}

/* ---- refusals, counted per address and interval ---- */

static struct agg {
	char	 event[24], ip[64];
	time_t	 start;			/* 0: free */
	long	 n;			/* after the first, not yet said */
}		 agg[LOG_AGG_SLOTS];
static time_t	 others_start;
static long	 others;		/* from addresses not followed */

/* Says and frees what ended by now (the lock held). */
static void
agg_flush(time_t now)
{
	char	 n[24], secs[24];
	size_t	 i;

	snprintf(secs, sizeof(secs), "%d", LOG_AGG_SECONDS);
	for (i = 0; i < LOG_AGG_SLOTS; i++) {
		if (agg[i].start == 0 || now - agg[i].start < LOG_AGG_SECONDS)
			continue;
		if (agg[i].n > 0) {
			snprintf(n, sizeof(n), "%ld", agg[i].n);
			line("warn", agg[i].event, "ip", agg[i].ip,
			    "repeated", n, "seconds", secs, NULL);
		}
		agg[i].start = 0;
	}
	if (others > 0 && now - others_start >= LOG_AGG_SECONDS) {
		snprintf(n, sizeof(n), "%ld", others);
		line("warn", "refused-elsewhere", "count", n, "seconds", secs,
		    NULL);
		others = 0;
	}
}

void
log_refusal(const char *event, const char *ip, const char *user,
    const char *wait)
{
	time_t	 now = (time_t)clock_now();
	size_t	 i, free_slot = LOG_AGG_SLOTS;

	if (ip == NULL)
		ip = "";
	pthread_mutex_lock(&mu);
	if (out == NULL) {
		pthread_mutex_unlock(&mu);
		return;
	}
	agg_flush(now);
	for (i = 0; i < LOG_AGG_SLOTS; i++) {
		if (agg[i].start == 0) {
			if (free_slot == LOG_AGG_SLOTS)
				free_slot = i;
			continue;
		}
		if (strcmp(agg[i].event, event) == 0 &&
		    strcmp(agg[i].ip, ip) == 0) {
			agg[i].n++;
			pthread_mutex_unlock(&mu);
			return;
		}
	}
	if (free_slot == LOG_AGG_SLOTS) {
		if (others++ == 0)
			others_start = now;
		pthread_mutex_unlock(&mu);
		return;
	}
	snprintf(agg[free_slot].event, sizeof(agg[free_slot].event), "%s",
	    event);
	snprintf(agg[free_slot].ip, sizeof(agg[free_slot].ip), "%s", ip);
	agg[free_slot].start = now;
	agg[free_slot].n = 0;
	line("warn", event, "ip", ip, "user", user, "wait", wait, NULL);
	pthread_mutex_unlock(&mu);
}

void
log_tick(void)
{
	pthread_mutex_lock(&mu);
	if (out != NULL)
		agg_flush((time_t)clock_now());
	pthread_mutex_unlock(&mu);
}

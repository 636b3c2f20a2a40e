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

void
log_event(const char *level, const char *event, ...)
{
	struct buf	 b;
	va_list		 ap;
	const char	*k, *v;
	time_t		 now = (time_t)clock_now();
	struct tm	 tm;
	char		 at[32];

	pthread_mutex_lock(&mu);
	if (out == NULL) {
		pthread_mutex_unlock(&mu);
		return;
	}
	gmtime_r(&now, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_init(&b, 4096);
	buf_printf(&b, "securebase: time=%s level=%s event=", at, level);
	value(&b, event);
	va_start(ap, event);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (v == NULL)
			continue;
		buf_printf(&b, " %s=", k);
		value(&b, v);
	}
	va_end(ap);
	if (b.err == SB_OK) {
		fprintf(out, "%s\n", b.data);
		fflush(out);
	}
	buf_free(&b);
	pthread_mutex_unlock(&mu);
}

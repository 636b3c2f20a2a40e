/*
 * notify.c - sending the outbox by SMTP through libcurl.  See notify.h.
 *
 * libcurl speaks SMTP, STARTTLS and AUTH; we give it the envelope and a
 * message of a few lines.  The server's last reply line is kept with the
 * outcome (CURLOPT_DEBUGFUNCTION sees the replies as CURLINFO_HEADER_IN),
 * so an admin sees "550 5.1.1 mailbox unknown", not "send failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/clock.h"
#include "app/notify.h"
#include "app/log.h"
#include "core/buf.h"

static char *
dup_setting(struct store *s, enum store_setting k, struct buf *b,
    enum sb_err *e)
{
	bool	 set;
	char	*v;

	if (*e != SB_OK)
		return NULL;
	if ((*e = store_setting_get(s, k, b, &set)) != SB_OK || !set)
		return NULL;
	if ((v = strdup(b->data)) == NULL)
		*e = SB_ENOMEM;
	return v;
}

enum sb_err
notify_load(struct store *s, const char *smtp, const char *origin,
    struct notify_config *c, bool *configured, char *err, size_t errsz)
{
	struct buf	 b;
	char		*tls, *show;
	enum sb_err	 e = SB_OK;

	memset(c, 0, sizeof(*c));
	*configured = false;
	buf_init(&b, STORE_MAX_SETTING + 64);
	c->url = smtp ? strdup(smtp) : dup_setting(s, SET_SMTP_URL, &b, &e);
	c->user = dup_setting(s, SET_SMTP_USER, &b, &e);
	c->password = dup_setting(s, SET_SMTP_PASSWORD, &b, &e);
	c->from = dup_setting(s, SET_SMTP_FROM, &b, &e);
	c->ca = dup_setting(s, SET_SMTP_CA, &b, &e);
	c->origin = origin ? strdup(origin) : dup_setting(s, SET_ORIGIN, &b,
	    &e);
	c->practice = dup_setting(s, SET_PRACTICE_NAME, &b, &e);
	show = dup_setting(s, SET_SHOW_THERAPIST, &b, &e);
	c->hide_therapist = show != NULL && strcmp(show, "no") == 0;
	free(show);
	tls = dup_setting(s, SET_SMTP_TLS, &b, &e);
	buf_wipe(&b);
	c->tls_none = tls != NULL && strcmp(tls, "none") == 0;
	free(tls);
	if (e != SB_OK) {
		snprintf(err, errsz, "reading the mail settings: %s",
		    store_errmsg(s));
		notify_free(c);
		return e;
	}
	if (smtp != NULL && strncmp(smtp, "smtp://", 7) != 0 &&
	    strncmp(smtp, "smtps://", 8) != 0) {
		snprintf(err, errsz, "--smtp starts with smtp:// (STARTTLS) or "
		    "smtps:// (TLS)");
		notify_free(c);
		return SB_EINVAL;
	}
	*configured = c->url != NULL;
	return SB_OK;
}

static void
wipe_free(char *p)
{
	if (p != NULL) {
		sodium_memzero(p, strlen(p));
		free(p);
	}
}

void
notify_free(struct notify_config *c)
{
	wipe_free(c->url);
	wipe_free(c->user);
	wipe_free(c->password);
	wipe_free(c->from);
	wipe_free(c->ca);
	wipe_free(c->origin);
	wipe_free(c->practice);
	memset(c, 0, sizeof(*c));
}

int64_t
notify_backoff(int attempts)
{
	int64_t	 d = NOTIFY_FIRST_RETRY;

	while (--attempts > 0 && d < NOTIFY_MAX_RETRY)
		d *= 2;
	return d < NOTIFY_MAX_RETRY ? d : NOTIFY_MAX_RETRY;
}

/* The message being read by libcurl. */
struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *out, size_t size, size_t n, void *arg)
{
	struct upload	*u = arg;
	size_t		 k = size * n < u->left ? size * n : u->left;

	memcpy(out, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

/* Keeps the server's last reply line. */
static int
debug_cb(CURL *h, curl_infotype t, char *data, size_t n, void *arg)
{
	char	*reply = arg;
	size_t	 k;

	(void)h;
	if (t != CURLINFO_HEADER_IN || n < 3 || data[0] < '0' || data[0] > '9')
		return 0;
	k = n < STORE_MAX_REPLY ? n : STORE_MAX_REPLY;
	while (k > 0 && (data[k - 1] == '\r' || data[k - 1] == '\n'))
		k--;
	memcpy(reply, data, k);
	reply[k] = '\0';
	for (n = 0; n < k; n++)		/* kept as text: no controls */
		if ((unsigned char)reply[n] < ' ' || reply[n] == 0x7f)
			reply[n] = ' ';
	return 0;
}

/* The RFC 5322 Date and a Message-ID's random part. */
static void
mail_stamp(char date[64], char rnd[17])
{
	unsigned char	 r[8];
	time_t		 t = (time_t)clock_now();
	struct tm	 tm;
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	gmtime_r(&t, &tm);
	/* Written out: strftime's names follow the locale. */
	snprintf(date, 64, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(rnd, 17, r, sizeof(r));
}

/* Composes an alert's message: no clinical content and no name. */
static enum sb_err
compose(const struct notify_config *c, const struct store_mail *m,
    struct buf *b)
{
	char		 date[64], rnd[17];

	mail_stamp(date, rnd);
	buf_printf(b, "Date: %s\r\nFrom: securebase <%s>\r\nTo: <%s>\r\n"
	    "Subject: securebase: an alert needs your attention\r\n"
	    "Message-ID: <%s.%lld@securebase>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n"
	    "A high-priority alert needs your attention in securebase:\r\n"
	    "%s/alerts/%lld\r\n\r\n"
	    "This message holds no information about the client. Sign in to "
	    "see the alert.\r\n", date, c->from, m->recipient, rnd,
	    (long long)m->id, c->origin ? c->origin : "", (long long)m->alert);
	return (enum sb_err)b->err;
}

/*
 * A client's message about a plan's send: who asks (the practice, the
 * therapist), the link and until when.  No measure's name: a subject
 * line "PHQ-9" on a shared screen says more than the client chose to.
 * The practice's name is one line of UTF-8 (settings check it), sent
 * as an RFC 2047 word in the Subject.
 */
static enum sb_err
compose_client(const struct notify_config *c, const struct store_mail *m,
    const struct store_send_mail *sm, struct buf *b)
{
	char		 date[64], rnd[17], until[64];
	const char	*who = c->practice ? c->practice : "your therapist";
	bool		 remind = strcmp(m->kind, "reminder") == 0;
	time_t		 t = (time_t)sm->expires;
	struct tm	 tm;
	size_t		 i;

	mail_stamp(date, rnd);
	gmtime_r(&t, &tm);
	strftime(until, sizeof(until), "%d %b %Y", &tm);
	buf_printf(b, "Date: %s\r\nFrom: securebase <%s>\r\nTo: <%s>\r\n"
	    "Subject: =?utf-8?B?", date, c->from, sm->email);
	{
		char	 subj[600], enc[820];

		snprintf(subj, sizeof(subj), "%s%.256s: a short questionnaire",
		    remind ? "Reminder from " : "From ", who);
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)subj,
		    strlen(subj), sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s?=\r\n", enc);
	}
	buf_printf(b, "Message-ID: <%s.%lld@securebase>\r\nMIME-Version: 1.0"
	    "\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n", rnd, (long long)m->id);
	if (remind)
		buf_printf(b, "A reminder: the questionnaire below is still "
		    "waiting for you.\r\n\r\n");
	/* "anna at Harbour Practice", "Harbour Practice", "anna, your
	 * therapist," or "Your therapist", as the settings allow. */
	if (!c->hide_therapist)
		buf_printf(b, "%s%s", sm->therapist, c->practice ? " at " :
		    ", your therapist,");
	buf_printf(b, "%s asks you to answer a short questionnaire before "
	    "your next session:\r\n\r\n%s/q/%s\r\n\r\nThe link works "
	    "until %s. It is for you alone: please do not forward this "
	    "message.\r\n", c->practice ? c->practice : c->hide_therapist ?
	    "Your therapist" : "", c->origin ? c->origin : "", sm->token,
	    until);
	/* The practice name could hold a line break only if the settings
	 * check failed; a bare CR or LF must not start a header. */
	for (i = 0; i < b->len; i++)
		if (b->data[i] == '\n' && (i == 0 || b->data[i - 1] != '\r'))
			b->data[i] = ' ';
	return (enum sb_err)b->err;
}

/*
 * One SMTP conversation.  Returns 0 sent, 1 try again later, 2 failed for
 * good (a 5xx reply); reply holds the server's last line or curl's error.
 */
static int
send_one(const struct notify_config *c, const struct store_mail *m,
    const struct store_send_mail *sm, char reply[STORE_MAX_REPLY + 1])
{
	CURL			*h;
	struct curl_slist	*rcpt = NULL;
	struct buf		 msg;
	struct upload		 u;
	char			 cerr[CURL_ERROR_SIZE] = "", last[STORE_MAX_REPLY
				    + 1] = "";
	long			 code = 0;
	CURLcode		 rc;
	int			 out = 1;

	reply[0] = '\0';
	if (c->from == NULL) {
		snprintf(reply, STORE_MAX_REPLY, "no sender address: securebase "
		    "settings set smtp-from ADDRESS");
		return 1;
	}
	buf_init(&msg, 8192);
	if ((sm != NULL ? compose_client(c, m, sm, &msg) : compose(c, m,
	    &msg)) != SB_OK || (h = curl_easy_init()) == NULL) {
		buf_free(&msg);
		snprintf(reply, STORE_MAX_REPLY, "out of memory");
		return 1;
	}
	u.p = msg.data;
	u.left = msg.len;
	rcpt = curl_slist_append(NULL, sm != NULL ? sm->email :
	    m->recipient);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)NOTIFY_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	/* STARTTLS is required unless the practice chose a local relay
	 * without it; the password is never sent in the clear. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->tls_none ? (long)CURLUSESSL_NONE
	    : (long)CURLUSESSL_ALL);
	if (c->ca != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca);
	if (c->user != NULL)
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
	if (c->password != NULL)
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, (void *)last);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	rc = rcpt == NULL ? CURLE_OUT_OF_MEMORY : curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		out = 0;
		snprintf(reply, STORE_MAX_REPLY + 1, "%s", last);
	} else {
		/* 5xx: the server refuses for good (RFC 5321 4.2.1). */
		out = code >= 500 && code < 600 ? 2 : 1;
		/* Both halves cut to fit: the server's words first. */
		snprintf(reply, STORE_MAX_REPLY + 1, "%.200s%s%.300s", last[0] ?
		    last : "", last[0] ? " - " : "", cerr[0] ? cerr :
		    curl_easy_strerror(rc));
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	buf_wipe(&msg);
	return out;
}

/*
 * What became of a message must be recorded once the server has taken it
 * (or refused it), or another sender sends it again when its lease ends.
 * So while the database is away (a restart, a failover) it is tried again
 * for half the lease; only a node that dies in that window leaves a
 * message to be sent twice.
 */
static enum sb_err
record(struct store *s, int64_t id, const char *state, int64_t now,
    int64_t next_try, const char *reply)
{
	struct timespec	 pause = { 0, 250 * 1000 * 1000 };
	enum sb_err	 e;
	int		 tries;

	for (tries = 1;; tries++) {
		e = store_outbox_result(s, id, state, now, next_try, reply);
		if (e == SB_OK || e == SB_EINVAL ||
		    tries >= NOTIFY_LEASE * 4 / 2)
			return e;
		nanosleep(&pause, NULL);
	}
}

/* What became of a message, for the operator: ids and states only (the
 * recipient may be a client). */
static void
notify_logged(const struct store_mail *m, int r)
{
	char	 id[24], alert[24], tries[16];

	snprintf(id, sizeof(id), "%lld", (long long)m->id);
	snprintf(alert, sizeof(alert), "%lld", (long long)m->alert);
	snprintf(tries, sizeof(tries), "%d", m->attempts + 1);
	log_event(r == 0 ? "info" : "warn", r == 0 ? "mail-sent" : r == 2 ?
	    "mail-failed" : "mail-retry", "outbox", id, "kind", m->kind,
	    "alert", m->alert ? alert : NULL, "attempt", tries, NULL);
}

enum sb_err
notify_run(struct store *s, const struct notify_config *c, int64_t now,
    struct notify_stats *st)
{
	struct store_mail	 m[NOTIFY_BATCH];
	char			 reply[STORE_MAX_REPLY + 1];
	size_t			 got, i;
	enum sb_err		 e;
	int			 r;

	do {
		if ((e = store_outbox_claim(s, now, NOTIFY_LEASE, m,
		    NOTIFY_BATCH, &got)) != SB_OK)
			return e;
		for (i = 0; i < got; i++) {
			struct store_send_mail	 sm;
			bool			 client = strcmp(m[i].kind,
						    "alert") != 0;

			if (client) {
				e = store_send_mail(s, m[i].send, now, &sm);
				if (e == SB_OK && !sm.open) {
					/* Answered, withdrawn or expired
					 * since it was queued, or the
					 * client's address was removed. */
					e = record(s, m[i].id, "dropped", now,
					    now, "not sent: the link was "
					    "answered, withdrawn or has "
					    "expired, or the client has no "
					    "address now");
					st->dropped++;
				}
				if (e != SB_OK)
					return e;
				if (!sm.open)
					continue;
			}
			r = send_one(c, &m[i], client ? &sm : NULL, reply);
			if (client)
				sodium_memzero(&sm, sizeof(sm));
			if (r == 1 && m[i].attempts >= NOTIFY_MAX_ATTEMPTS)
				r = 2;
			if (r == 0) {
				e = record(s, m[i].id, "sent", now, now,
				    reply);
				st->sent++;
			} else if (r == 2) {
				e = record(s, m[i].id, "failed", now, now,
				    reply);
				st->failed++;
			} else {
				e = record(s, m[i].id, "queued", now, now +
				    notify_backoff(m[i].attempts), reply);
				st->retry++;
			}
			if (e != SB_OK)
				return e;
			notify_logged(&m[i], r);
		}
	} while (got == NOTIFY_BATCH);
	return SB_OK;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
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

#include <unistd.h>

#include "core/clock.h"
#include "app/notify.h"
#include "app/log.h"
#include "core/buf.h"
#include "core/sms.h"

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

void
notify_node_name(const char *role, char *out, size_t outsz)
{
	char	 host[256];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outsz, "%.100s %.100s", host, role);
}

enum sb_err
notify_load(struct store *s, const char *smtp, const char *origin,
    const char *node, struct notify_config *c, bool *configured, char *err,
    size_t errsz)
{
	struct buf	 b;
	char		*tls, *show;
	enum sb_err	 e = SB_OK;

	memset(c, 0, sizeof(*c));
	*configured = false;
	buf_init(&b, STORE_MAX_SETTING + 64);
	c->node = node ? strdup(node) : NULL;
	c->sms_url = dup_setting(s, SET_SMS_URL, &b, &e);
	c->sms_user = dup_setting(s, SET_SMS_USER, &b, &e);
	c->sms_password = dup_setting(s, SET_SMS_PASSWORD, &b, &e);
	c->sms_from = dup_setting(s, SET_SMS_FROM, &b, &e);
	c->url = smtp ? strdup(smtp) : dup_setting(s, SET_SMTP_URL, &b, &e);
	c->user = dup_setting(s, SET_SMTP_USER, &b, &e);
	c->password = dup_setting(s, SET_SMTP_PASSWORD, &b, &e);
	c->from = dup_setting(s, SET_SMTP_FROM, &b, &e);
	c->ca = dup_setting(s, SET_SMTP_CA, &b, &e);
	/* The practice's origin first: every node's mail points at the
	 * address clients know, not at the node that happened to send. */
	c->origin = dup_setting(s, SET_ORIGIN, &b, &e);
	if (c->origin == NULL && e == SB_OK && origin != NULL)
		c->origin = strdup(origin);
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
	/* The settings refuse it; a --smtp given to serve is checked
	 * here: no password in clear across a network. */
	if (c->tls_none && c->url != NULL && !store_url_loopback(c->url)) {
		snprintf(err, errsz, "smtp-tls none is only for a relay on "
		    "this machine, not %.200s", c->url);
		notify_free(c);
		return SB_EINVAL;
	}
	*configured = c->url != NULL || c->sms_url != NULL;
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
	wipe_free(c->node);
	wipe_free(c->sms_url);
	wipe_free(c->sms_user);
	wipe_free(c->sms_password);
	wipe_free(c->sms_from);
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
static SB_MUST enum sb_err
compose(const struct notify_config *c, const struct store_mail *m,
    struct buf *b)
{
	char		 date[64], rnd[17];

	bool		 esc = strcmp(m->kind, "escalation") == 0;

	mail_stamp(date, rnd);
	buf_printf(b, "Date: %s\r\nFrom: securebase <%s>\r\nTo: <%s>\r\n"
	    "Subject: securebase: %s\r\n"
	    "Message-ID: <%s.%lld@securebase>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Auto-Submitted: auto-generated\r\n\r\n"
	    "%s\r\n%s/alerts/%lld\r\n\r\n"
	    "This message holds no information about the client. Sign in to "
	    "see the alert.\r\n", date, c->from, m->recipient, esc ? "an "
	    "alert is still not acknowledged" : "an alert needs your "
	    "attention", rnd, (long long)m->id, esc ? "A high-priority alert "
	    "has not been acknowledged in the time the practice set, and is "
	    "passed to the duty address:" : "A high-priority alert needs "
	    "your attention in securebase:", c->origin ? c->origin : "",
	    (long long)m->alert);
	return (enum sb_err)b->err;
}

/*
 * A client's message about a plan's send: who asks (the practice, the
 * therapist), the link and until when.  No measure's name: a subject
 * line "PHQ-9" on a shared screen says more than the client chose to.
 * The practice's name is one line of UTF-8 (settings check it), sent
 * as an RFC 2047 word in the Subject.
 */
static SB_MUST enum sb_err
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
 * An SMS: to a client, the practice's name (or "Your therapist"), the
 * link and its last day, nothing clinical; to the duty phone, that an
 * alert needs attention and its link.  Kept to two segments: the
 * practice's name is shortened if it would make it longer.
 */
static SB_MUST enum sb_err
compose_sms(const struct notify_config *c, const struct store_mail *m,
    const struct store_send_mail *sm, struct buf *b)
{
	struct sms_count	 n;
	char			 until[32], who[128];
	time_t			 t;
	struct tm		 tm;
	size_t			 cut;

	if (sm == NULL) {
		buf_printf(b, "securebase: %s: %s/alerts/%lld",
		    strcmp(m->kind, "escalation") == 0 ? "an alert is still "
		    "not acknowledged" : "an alert needs attention",
		    c->origin ? c->origin : "", (long long)m->alert);
		return (enum sb_err)b->err;
	}
	t = (time_t)sm->expires;
	gmtime_r(&t, &tm);
	strftime(until, sizeof(until), "%d %b", &tm);
	snprintf(who, sizeof(who), "%s", c->practice ? c->practice :
	    "Your therapist");
	for (cut = strlen(who);; ) {
		buf_reset(b);
		buf_printf(b, "%s%s: a short questionnaire for you, until %s: "
		    "%s/q/%s", strcmp(m->kind, "reminder") == 0 ? "Reminder "
		    "from " : "", who, until, c->origin ? c->origin : "",
		    sm->token);
		if (b->err || !sms_count(b->data, &n) || n.segments <= 2 ||
		    cut == 0)
			break;
		/* Shorter by one character, never inside one. */
		do
			cut--;
		while (cut > 0 && ((unsigned char)who[cut] & 0xc0) == 0x80);
		who[cut] = '\0';
	}
	return (enum sb_err)b->err;
}

/* Appends name=value, the value escaped for a URL query. */
static bool
query_add(CURL *h, struct buf *u, const char *name, const char *value)
{
	char	*v;

	if ((v = curl_easy_escape(h, value, 0)) == NULL)
		return false;
	buf_printf(u, "%s%s=%s", strchr(u->data, '?') ? "&" : "?", name, v);
	curl_free(v);
	return u->err == 0;
}

/* Keeps the first line of Kannel's answer ("0: Accepted for delivery"). */
static size_t
sms_body_cb(char *data, size_t size, size_t n, void *arg)
{
	char	*reply = arg;
	size_t	 have = strlen(reply), k = size * n, i;

	for (i = 0; i < k && have < STORE_MAX_REPLY / 2; i++) {
		if (data[i] == '\r' || data[i] == '\n')
			break;
		reply[have++] = (unsigned char)data[i] < ' ' ? ' ' : data[i];
	}
	reply[have] = '\0';
	return k;
}

/*
 * One request to Kannel's sendsms (HTTP GET, as its smsbox takes it).
 * Returns as send_one: 0 accepted (2xx), 1 try again later (no answer,
 * 5xx), 2 refused for good (4xx: wrong user or password, a bad number).
 */
static int
send_sms(const struct notify_config *c, const struct store_mail *m,
    const struct store_send_mail *sm, char reply[STORE_MAX_REPLY + 1])
{
	CURL		*h;
	struct buf	 url, text;
	struct sms_count n;
	char		 cerr[CURL_ERROR_SIZE] = "", body[STORE_MAX_REPLY + 1] = "";
	long		 code = 0;
	CURLcode	 rc;
	int		 out = 1;

	reply[0] = '\0';
	if (c->sms_url == NULL) {
		snprintf(reply, STORE_MAX_REPLY, "no SMS gateway: securebase "
		    "settings set sms-url http://HOST:13013/cgi-bin/sendsms");
		return 1;
	}
	buf_init(&url, 8192);
	buf_init(&text, 2048);
	if (compose_sms(c, m, sm, &text) != SB_OK || !sms_count(text.data,
	    &n) || (h = curl_easy_init()) == NULL) {
		buf_wipe(&url);
		buf_wipe(&text);
		snprintf(reply, STORE_MAX_REPLY, "out of memory");
		return 1;
	}
	buf_adds(&url, c->sms_url);
	if (!query_add(h, &url, "username", c->sms_user ? c->sms_user : "") ||
	    !query_add(h, &url, "password", c->sms_password ?
	    c->sms_password : "") || !query_add(h, &url, "to", sm != NULL ?
	    sm->phone : m->recipient) || !query_add(h, &url, "text",
	    text.data) || !query_add(h, &url, "charset", "UTF-8") ||
	    !query_add(h, &url, "coding", n.ucs2 ? "2" : "0") ||
	    (c->sms_from != NULL && !query_add(h, &url, "from", c->sms_from))) {
		snprintf(reply, STORE_MAX_REPLY, "out of memory");
		rc = CURLE_OUT_OF_MEMORY;
	} else {
		curl_easy_setopt(h, CURLOPT_URL, url.data);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sms_body_cb);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, (void *)body);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	}
	if (rc == CURLE_OK && code >= 200 && code < 300)
		out = 0;
	else if (rc == CURLE_OK && code >= 400 && code < 500)
		out = 2;
	if (rc == CURLE_OK)
		snprintf(reply, STORE_MAX_REPLY + 1, "HTTP %ld %.400s", code,
		    body);
	else if (reply[0] == '\0')
		snprintf(reply, STORE_MAX_REPLY + 1, "%.400s", cerr[0] ? cerr :
		    curl_easy_strerror(rc));
	curl_easy_cleanup(h);
	buf_wipe(&url);
	buf_wipe(&text);
	return out;
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
	if (c->url == NULL) {
		snprintf(reply, STORE_MAX_REPLY, "no mail server: securebase "
		    "settings set smtp-url smtp://HOST:587");
		return 1;
	}
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
static SB_MUST enum sb_err
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
	/* The claim counted this attempt already, as the database says. */
	snprintf(tries, sizeof(tries), "%d", m->attempts);
	log_event(r == 0 ? "info" : "warn", r == 0 ? "mail-sent" : r == 2 ?
	    "mail-failed" : "mail-retry", "outbox", id, "kind", m->kind,
	    "channel", m->channel,
	    "alert", m->alert ? alert : NULL, "attempt", tries, NULL);
}

/* Is this message one about an alert (to the therapist or duty)? */
static bool
about_alert(const struct store_mail *m)
{
	return strcmp(m->kind, "alert") == 0 || strcmp(m->kind,
	    "escalation") == 0;
}

/*
 * Why a message is no longer worth sending, or NULL: its alert was
 * handled, or a client's link can no longer be answered or the client
 * can no longer be reached (sm filled for a client's message).
 */
static SB_MUST enum sb_err
still_wanted(struct store *s, const struct store_mail *m, int64_t now,
    struct store_send_mail *sm, const char **why)
{
	bool		 open;
	enum sb_err	 e;

	*why = NULL;
	if (about_alert(m)) {
		if ((e = store_alert_is_open(s, m->alert, &open)) == SB_OK &&
		    !open)
			*why = "not sent: the alert was acknowledged or "
			    "resolved first";
		return e;
	}
	if ((e = store_send_mail(s, m, now, sm)) == SB_OK && !sm->open)
		*why = sm->altered ? "not sent: the plan, its send or its "
		    "link was changed outside securebase" : "not sent: the "
		    "link was answered, withdrawn or has expired, the "
		    "client's care has ended, or the client has no address "
		    "or phone for it now";
	return e;
}

/* Sends one claimed message and records what became of it. */
static SB_MUST enum sb_err
send_claimed(struct store *s, const struct notify_config *c,
    struct store_mail *m, int64_t now, struct notify_stats *st)
{
	struct store_send_mail	 sm;
	char			 reply[STORE_MAX_REPLY + 1];
	const char		*why;
	bool			 client = !about_alert(m);
	enum sb_err		 e;
	int			 r;

	memset(&sm, 0, sizeof(sm));
	if (m->altered) {
		e = record(s, m->id, "failed", now, now, "the recipient was "
		    "changed outside securebase: not sent");
		st->failed++;
		if (e == SB_OK)
			notify_logged(m, 2);
		goto out;
	}
	if ((e = still_wanted(s, m, now, &sm, &why)) != SB_OK)
		goto out;
	if (why != NULL) {
		e = record(s, m->id, "dropped", now, now, why);
		st->dropped++;
		goto out;
	}
	r = strcmp(m->channel, "sms") == 0 ? send_sms(c, m, client ? &sm :
	    NULL, reply) : send_one(c, m, client ? &sm : NULL, reply);
	/* A client's message gives up after its tries; an alert's is
	 * tried until it is sent or the alert is handled. */
	if (r == 1 && client && m->attempts >= NOTIFY_MAX_ATTEMPTS)
		r = 2;
	if (r == 0) {
		e = record(s, m->id, "sent", now, now, reply);
		st->sent++;
	} else if (r == 2) {
		e = record(s, m->id, "failed", now, now, reply);
		st->failed++;
	} else {
		e = record(s, m->id, "queued", now, now +
		    notify_backoff(m->attempts), reply);
		st->retry++;
	}
	if (e == SB_OK)
		notify_logged(m, r);
out:
	sodium_memzero(&sm, sizeof(sm));
	return e;
}

enum sb_err
notify_run(struct store *s, const struct notify_config *c, int64_t now,
    struct notify_stats *st)
{
	struct store_mail	 m[NOTIFY_BATCH];
	size_t			 got, i;
	enum sb_err		 e;

	if ((e = store_sending_held(s, &st->held, NULL, 0)) != SB_OK ||
	    st->held)
		return e;
	if ((e = store_escalate(s, now, &got)) != SB_OK)
		return e;
	st->escalated += got;
	do {
		if ((e = store_outbox_claim(s, now, NOTIFY_LEASE, c->node, m,
		    NOTIFY_BATCH, &got)) != SB_OK)
			return e;
		for (i = 0; i < got; i++)
			if ((e = send_claimed(s, c, &m[i], now, st)) != SB_OK)
				return e;
	} while (got == NOTIFY_BATCH);
	return SB_OK;
}

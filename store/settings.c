/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * settings.c - the practice's settings: their names, the checks a value
 * must pass (a mail server's address, a phone number, a FHIR base), and
 * reading and writing them, sealed.  A change to how mail or SMS is sent
 * puts the messages that failed under the old settings back in the queue.
 * Below the outbox (notify.c) and the reach checks (delivery.c); see
 * store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "store/store_int.h"

static const char *const setting_names[SET__MAX] = {
	"smtp-url", "smtp-user", "smtp-password", "smtp-from", "smtp-tls",
	"smtp-ca", "duty-email", "origin", "crisis-text", "historic-days",
	"practice-name", "show-therapist", "fhir-base", "escalate-minutes",
	"duty-phone", "sms-url", "sms-user", "sms-password", "sms-from",
	"sending-held", "recovery",
};

bool
store_fhir_base_ok(const char *v)
{
	size_t	 i, n;

	if (v == NULL || (n = strlen(v)) > STORE_MAX_FHIR_BASE ||
	    (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
	    n < 10 || v[n - 1] != '/')
		return false;
	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~' || strchr("?#|\"\\<>", v[i]))
			return false;
	return true;
}

bool
store_phone_clean(const char *in, char out[STORE_MAX_PHONE + 1])
{
	size_t	 n = 0, digits = 0;

	if (in == NULL)
		return false;
	for (; *in != '\0'; in++) {
		/* "+44 (0)7700 900123": the trunk prefix in brackets is
		 * dialled at home only, never after the country code. */
		if (strncmp(in, "(0)", 3) == 0 && n > 0) {
			in += 2;
			continue;
		}
		if (*in == ' ' || *in == '-' || *in == '.' || *in == '(' ||
		    *in == ')')
			continue;
		if (*in == '+' && n == 0) {
			out[n++] = '+';
			continue;
		}
		if (*in < '0' || *in > '9' || n >= STORE_MAX_PHONE)
			return false;
		/* E.164: the country code does not start with 0. */
		if (digits == 0 && *in == '0')
			return false;
		out[n++] = *in;
		digits++;
	}
	out[n] = '\0';
	return n > 0 && out[0] == '+' && digits >= 8 && digits <= 15;
}

enum sb_err
outbox_requeue_failed(struct store *s, const char *channel, int64_t now)
{
	struct stmt	*st;

	/* The alerts' messages that failed for good, while the alert is
	 * open: a new password or server may well carry them now. */
	if ((st = stmt(s, "UPDATE outbox SET state = 'queued', attempts = 0, "
	    "next_try = ?1, done = NULL, node = NULL WHERE state = 'failed' "
	    "AND channel = ?2 AND kind IN ('alert', 'escalation') AND "
	    "alert_id IN (SELECT id FROM live_alerts WHERE state = 'open')"))
	    ==
	    NULL)
		return fail_db(s, "queueing failed messages again");
	bind_int64(st, 1, now);
	bind_text_ref(st, 2, channel);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "queueing failed messages again");
	return SB_OK;
}

const char *
store_setting_name(enum store_setting k)
{
	return k < SET__MAX ? setting_names[k] : "?";
}

bool
store_setting_parse(const char *name, enum store_setting *k)
{
	size_t	 i;

	for (i = 0; name != NULL && i < SET__MAX; i++)
		if (strcmp(name, setting_names[i]) == 0) {
			*k = (enum store_setting)i;
			return true;
		}
	return false;
}

bool
store_email_ok(const char *a)
{
	const char	*at;
	size_t		 i, n;

	/* What a mail header and an SMTP RCPT can carry without quoting:
	 * printable ASCII, no spaces, brackets, quotes or commas, one @. */
	if (a == NULL || (n = strlen(a)) < 3 || n > STORE_MAX_EMAIL)
		return false;
	for (i = 0; i < n; i++)
		if (a[i] <= ' ' || a[i] > '~' || strchr("<>\"(),;:\\[]", a[i]))
			return false;
	at = strchr(a, '@');
	return at != NULL && at != a && at[1] != '\0' &&
	    strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL;
}

bool
store_url_loopback(const char *url)
{
	const char	*h = strstr(url, "://");
	char		 host[256];
	size_t		 n;

	if (h == NULL)
		return false;
	h += 3;
	if ((n = strcspn(h, ":/?#")) >= sizeof(host))
		return false;
	if (*h == '[') {		/* [::1]:25 */
		n = strcspn(h, "]");
		return n == 4 && strncmp(h, "[::1", 4) == 0 && h[4] == ']';
	}
	memcpy(host, h, n);
	host[n] = '\0';
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0;
}

/* Is smtp-tls none set (or about to be)?  Unset is require. */
static bool
tls_none_with(struct store *s, enum store_setting k, const char *v)
{
	struct buf	 b;
	bool		 set = false, none;

	if (k == SET_SMTP_TLS)
		return strcmp(v, "none") == 0;
	buf_init(&b, 64);
	none = store_setting_get(s, SET_SMTP_TLS, &b, &set) == SB_OK && set &&
	    strcmp(b.data, "none") == 0;
	buf_free(&b);
	return none;
}

/* The mail server's URL as it is or is about to be, into b; *set. */
static void
smtp_url_with(struct store *s, enum store_setting k, const char *v,
    struct buf *b, bool *set)
{
	*set = false;
	if (k == SET_SMTP_URL) {
		buf_reset(b);
		buf_adds(b, v);
		*set = b->err == 0;
	} else if (store_setting_get(s, SET_SMTP_URL, b, set) != SB_OK)
		*set = false;
}

/* Checks a setting's value before it is kept. */
static SB_MUST enum sb_err
setting_check(struct store *s, enum store_setting k, const char *v)
{
	long	 n;

	switch (k) {
	case SET_SMTP_URL:
		if (strncmp(v, "smtp://", 7) != 0 &&
		    strncmp(v, "smtps://", 8) != 0)
			return fail(s, SB_EINVAL,
			    "smtp-url starts with smtp:// "
			    "(STARTTLS) or smtps:// (TLS)");
		/* FALLTHROUGH */
	case SET_SMTP_TLS:
		if (k == SET_SMTP_TLS && strcmp(v, "require") != 0 &&
		    strcmp(v, "none") != 0)
			return fail(s, SB_EINVAL,
			    "smtp-tls is require or none");
		/* Without TLS the password crosses the network in clear:
		 * only for a relay on this machine. */
		if (tls_none_with(s, k, v)) {
			struct buf	 u;
			bool		 set, near;

			buf_init(&u, STORE_MAX_SETTING + 64);
			smtp_url_with(s, k, v, &u, &set);
			near = !set || store_url_loopback(u.data);
			buf_wipe(&u);
			if (!near)
				return fail(s, SB_EINVAL,
				    "smtp-tls none is only "
				    "for a relay on this machine (smtp-url on "
				    "localhost, 127.0.0.1 or [::1]): the password "
				    "would cross the network in clear");
		}
		break;
	case SET_SMTP_FROM:
	case SET_DUTY_EMAIL:
		if (!store_email_ok(v))
			return fail(s, SB_EINVAL, "%s is not a mail address: "
			    "name@domain, printable ASCII", setting_names[k]);
		break;
	case SET_ORIGIN:
		if (strncmp(v, "https://", 8) != 0 &&
		    strncmp(v, "http://", 7) != 0)
			return fail(s, SB_EINVAL,
			    "origin starts with https://");
		break;
	case SET_PRACTICE_NAME:
		if (text_control_at(v, strlen(v), false) >= 0)
			return fail(s, SB_EINVAL, "practice-name is one line");
		break;
	case SET_SHOW_THERAPIST:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return fail(s, SB_EINVAL,
			    "show-therapist is yes or no");
		break;
	case SET_FHIR_BASE:
		if (!store_fhir_base_ok(v))
			return fail(s, SB_EINVAL, "fhir-base is the practice's "
			    "FHIR base URL, https://host/path/ (printable "
			    "ASCII, no spaces, ? # or |, at most %d characters, "
			    "ending in /)", STORE_MAX_FHIR_BASE);
		break;
	case SET_HISTORIC_DAYS:
		if (!text_int(v, strlen(v), &n) || n < 1 || n > 36500)
			return fail(s, SB_EINVAL,
			    "historic-days is a number of "
			    "days, 1-36500");
		break;
	case SET_ESCALATE_MINUTES:
		if (!text_int(v, strlen(v), &n) || n < 1 || n > 10080)
			return fail(s, SB_EINVAL,
			    "escalate-minutes is a number "
			    "of minutes, 1-10080 (a week)");
		break;
	case SET_DUTY_PHONE: {
		char	 clean[STORE_MAX_PHONE + 1];

		if (!store_phone_clean(v, clean) || strcmp(clean, v) != 0)
			return fail(s, SB_EINVAL, "duty-phone is an "
			    "international mobile number as E.164 writes it: "
			    "+ and 8-15 digits, no spaces (+447700900123)");
		break;
	}
	case SET_SMS_URL:
		if (strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0)
			return fail(s, SB_EINVAL, "sms-url is Kannel's sendsms "
			    "address: http://HOST:13013/cgi-bin/sendsms");
		if (strpbrk(v, "?#") != NULL)
			return fail(s, SB_EINVAL, "sms-url has no ? or #: the "
			    "user, password and text are added to it");
		break;
	case SET_SMS_FROM:
		if (strlen(v) > 16 || text_control_at(v, strlen(v), false) >= 0)
			return fail(s, SB_EINVAL, "sms-from is at most 16 "
			    "characters on one line");
		break;
	case SET_RECOVERY:
		if (strcmp(v, "jacobson-truax") != 0 &&
		    strcmp(v, "talking-therapies") != 0)
			return fail(s, SB_EINVAL, "recovery is jacobson-truax "
			    "(reliable change from the measure's norms) or "
			    "talking-therapies (NHS Talking Therapies: PHQ-9 "
			    "caseness 10 and reliable change 6, GAD-7 8 and 4)");
		break;
	default:
		break;
	}
	return SB_OK;
}

static SB_MUST enum sb_err setting_write(struct store *, enum store_setting,
		    const char *);

enum sb_err
store_setting_set(struct store *s, enum store_setting k, const char *v)
{
	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin changes the practice's "
		    "settings");
	return setting_write(s, k, v);
}

enum sb_err
store_sending_hold_restored(struct store *s, const char *why)
{
	/* No user acts in a restore: the copy itself is held, before
	 * anyone can serve it. */
	return setting_write(s, SET_SENDING_HELD, why);
}

static SB_MUST enum sb_err
setting_write(struct store *s, enum store_setting k, const char *v)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (k >= SET__MAX)
		return fail(s, SB_EINVAL, "unknown setting");
	if (v != NULL && (*v == '\0' || !text_ok(v, STORE_MAX_SETTING)))
		return fail(s, SB_EINVAL, "%s: 1-%d bytes of UTF-8 text",
		    setting_names[k], STORE_MAX_SETTING);
	/* ESC, BEL and the like would reach a terminal through `settings`
	 * and the logs; only the support text has lines. */
	if (v != NULL && text_control_at(v, strlen(v), k == SET_CRISIS_TEXT)
	    >= 0)
		return fail(s, SB_EINVAL,
		    "%s holds a control character at byte "
		    "%ld%s", setting_names[k], text_control_at(v, strlen(v),
		    k == SET_CRISIS_TEXT) + 1, k == SET_CRISIS_TEXT ? "" : ": "
		    "it is one line");
	if (v != NULL && text_bidi_unpaired(v, strlen(v)) >= 0)
		return fail(s, SB_EINVAL, "%s holds a direction mark (U+202A-"
		    "U+202E, U+2066-U+2069) left open or unopened at byte %ld",
		    setting_names[k], text_bidi_unpaired(v, strlen(v)) + 1);
	if (v != NULL && (e = setting_check(s, k, v)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if (v == NULL) {
		if ((st = stmt(s, "DELETE FROM settings WHERE key = ?")) ==
		    NULL)
			return txn_end(s, fail_db(s, "removing the setting"));
		bind_text_ref(st, 1, setting_names[k]);
	} else {
		if ((st = stmt(s,
		    "INSERT INTO settings (id, key, value) VALUES "
		    "(?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = "
		    "excluded.value")) == NULL)
			return txn_end(s, fail_db(s, "keeping the setting"));
		/* One row id per setting, so the sealed value is bound to
		 * its key and cannot be moved to another. */
		bind_int64(st, 1, (int64_t)k + 1);
		bind_text_ref(st, 2, setting_names[k]);
		if ((e = bind_sealed(s, st, 3, "settings", "value",
		    (int64_t)k + 1, v)) != SB_OK)
			return txn_end(s, e);
	}
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping the setting"));
	/* New mail or SMS settings may carry what failed for good: an open
	 * alert's messages are tried again. */
	if (k <= SET_SMTP_CA && (e = outbox_requeue_failed(s, "mail",
	    clock_now())) != SB_OK)
		return txn_end(s, e);
	if (k >= SET_SMS_URL && k <= SET_SMS_FROM && (e =
	    outbox_requeue_failed(s, "sms", clock_now())) != SB_OK)
		return txn_end(s, e);
	/* The name of what changed, never the value: one is a password. */
	return txn_end(s, s->has_actor ? audit_append(s, v ? "setting-set" :
	    "setting-unset", "setting", (int64_t)k + 1, setting_names[k]) :
	    audit_append_as(s, "securebase restore", v ? "setting-set" :
	    "setting-unset", "setting", (int64_t)k + 1, setting_names[k]));
}

enum sb_err
store_setting_get(struct store *s, enum store_setting k, struct buf *out,
    bool *set)
{
	struct stmt	*st;
	enum sb_err	 e = SB_OK;

	*set = false;
	buf_reset(out);
	if (k >= SET__MAX)
		return fail(s, SB_EINVAL, "unknown setting");
	if ((st = stmt(s, "SELECT value FROM settings WHERE id = ? AND "
	    "key = ?")) == NULL)
		return fail_db(s, "reading the settings");
	bind_int64(st, 1, (int64_t)k + 1);
	bind_text_ref(st, 2, setting_names[k]);
	switch (st_step(st)) {
	case BE_ROW:
		e = column_opened(s, st, 0, "settings", "value", (int64_t)k + 1,
		    out);
		*set = e == SB_OK;
		break;
	case BE_DONE:
		break;
	default:
		e = fail_db(s, "reading the settings");
	}
	st_reset(st);
	return e;
}

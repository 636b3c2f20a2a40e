/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notify.c - the practice's settings, users' notification addresses, and
 * the outbox of alert notifications.  See store.h.
 *
 * A notification is queued by store_alert_raise() in the transaction that
 * raises its alert, so an alert and its messages exist together or not at
 * all.  The sender (app/notify.c: the thread in `serve`, and `securebase
 * notify send`) claims due messages with a lease, so two senders do not
 * send one message at once and a sender killed mid-send leaves the message
 * to be tried again: a message may in rare cases arrive twice, never zero
 * times.  The message names no client and holds no clinical word; its text
 * is made when it is sent, from the alert's number alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "store/store_int.h"

/* The sender of the audit rows written by the outbox: not a user name,
 * since user names have no spaces. */
#define NOTIFY_ACTOR	"securebase notify"

static const char *const setting_names[SET__MAX] = {
	"smtp-url", "smtp-user", "smtp-password", "smtp-from", "smtp-tls",
	"smtp-ca", "duty-email", "origin", "crisis-text", "historic-days",
	"practice-name", "show-therapist", "fhir-base", "escalate-minutes",
	"duty-phone", "sms-url", "sms-user", "sms-password", "sms-from",
	"sending-held", "recovery",
};

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
			return fail(s, SB_EINVAL, "smtp-url starts with smtp:// "
			    "(STARTTLS) or smtps:// (TLS)");
		/* FALLTHROUGH */
	case SET_SMTP_TLS:
		if (k == SET_SMTP_TLS && strcmp(v, "require") != 0 &&
		    strcmp(v, "none") != 0)
			return fail(s, SB_EINVAL, "smtp-tls is require or none");
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
				return fail(s, SB_EINVAL, "smtp-tls none is only "
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
			return fail(s, SB_EINVAL, "origin starts with https://");
		break;
	case SET_PRACTICE_NAME:
		if (text_control_at(v, strlen(v), false) >= 0)
			return fail(s, SB_EINVAL, "practice-name is one line");
		break;
	case SET_SHOW_THERAPIST:
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return fail(s, SB_EINVAL, "show-therapist is yes or no");
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
			return fail(s, SB_EINVAL, "historic-days is a number of "
			    "days, 1-36500");
		break;
	case SET_ESCALATE_MINUTES:
		if (!text_int(v, strlen(v), &n) || n < 1 || n > 10080)
			return fail(s, SB_EINVAL, "escalate-minutes is a number "
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
		return fail(s, SB_EINVAL, "%s holds a control character at byte "
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
		if ((st = stmt(s, "INSERT INTO settings (id, key, value) VALUES "
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

/*
 * Binds a staff address sealed for (table, column, id) to parameter i and
 * its tag to i + 1; both NULL for none.  The tag lets SQL see that a
 * message went to the therapist's own address without either in the
 * clear.
 */
static SB_MUST enum sb_err
bind_address(struct store *s, struct stmt *st, int i, const char *table,
    const char *column, int64_t id, const char *addr)
{
	unsigned char	 tag[ADDR_TAG_BYTES];
	enum sb_err	 e;

	if ((e = bind_sealed(s, st, i, table, column, id, addr)) != SB_OK)
		return e;
	if (addr == NULL) {
		bind_null(st, i + 1);
		return SB_OK;
	}
	keys_addr_tag(s->keys, addr, tag);
	bind_blob(st, i + 1, tag, sizeof(tag));
	return SB_OK;
}

enum sb_err
store_user_email(struct store *s, const char *name, const char *email)
{
	struct stmt	*st;
	bool		 row;
	int64_t		 id;
	enum sb_err	 e;

	if (!s->has_actor || (s->actor.role != ROLE_ADMIN &&
	    strcmp(s->actor.name, name) != 0))
		return fail(s, SB_EPERM, "only an admin or the user may set "
		    "an address");
	if (email != NULL && !store_email_ok(email))
		return fail(s, SB_EINVAL, "not a mail address: name@domain, "
		    "printable ASCII, at most %d characters", STORE_MAX_EMAIL);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT id FROM users WHERE name = ?")) == NULL)
		return txn_end(s, fail_db(s, "finding the user"));
	bind_text(st, 1, name);
	if ((e = step_row(s, st, &row, "finding the user")) != SB_OK || !row) {
		st_reset(st);
		return txn_end(s, e != SB_OK ? e : fail(s, SB_ENOENT, "no user "
		    "\"%.64s\"", name));
	}
	id = col_int64(st, 0);
	st_reset(st);
	if ((e = rows_check(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE users SET email = ?, email_tag = ? WHERE "
	    "id = ?")) == NULL)
		return txn_end(s, fail_db(s, "setting the address"));
	if ((e = bind_address(s, st, 1, "users", "email", id, email)) !=
	    SB_OK) {
		st_reset(st);
		return txn_end(s, e);
	}
	bind_int64(st, 3, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "setting the address"));
	if ((e = rows_seal(s, RT_USERS, id, 0)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "user-email", "user", 0, name));
}

/* One plain column of migration 24, sealed into its _sealed twin. */
struct addr_col {
	const char	*table, *column, *next, *update, *drop, *rename;
};

static const struct addr_col addr_cols[] = {
	{ "users", "email",
	    "SELECT id, email FROM users WHERE email IS NOT NULL AND id > ? "
	    "ORDER BY id LIMIT 1",
	    "UPDATE users SET email_sealed = ?, email_tag = ? WHERE id = ?",
	    "ALTER TABLE users DROP COLUMN email",
	    "ALTER TABLE users RENAME COLUMN email_sealed TO email" },
	{ "outbox", "recipient",
	    "SELECT id, recipient FROM outbox WHERE id > ? ORDER BY id "
	    "LIMIT 1",
	    "UPDATE outbox SET recipient_sealed = ?, recipient_tag = ? WHERE "
	    "id = ?",
	    "ALTER TABLE outbox DROP COLUMN recipient",
	    "ALTER TABLE outbox RENAME COLUMN recipient_sealed TO recipient" },
};

/* Seals one column's plain values, row by row (a row is read, then
 * written, so that no statement reads a table while it changes). */
static SB_MUST enum sb_err
addr_col_seal(struct store *s, const struct addr_col *c)
{
	struct stmt	*st;
	struct buf	 v;
	int64_t		 id = 0;
	bool		 row;
	enum sb_err	 e = SB_OK;

	buf_init(&v, STORE_MAX_SETTING + 64);
	for (;;) {
		if ((st = stmt(s, c->next)) == NULL) {
			e = fail_db(s, "reading the addresses to seal");
			break;
		}
		bind_int64(st, 1, id);
		if ((e = step_row(s, st, &row, "reading the addresses to "
		    "seal")) == SB_OK && row) {
			id = col_int64(st, 0);
			buf_reset(&v);
			e = buf_add(&v, col_text(st, 1), strlen(col_text(st,
			    1)));
		}
		st_reset(st);
		if (e != SB_OK || !row)
			break;
		if (s->keys == NULL) {
			e = fail(s, SB_EINVAL, "the migration that seals "
			    "addresses needs the practice key");
			break;
		}
		if ((st = stmt(s, c->update)) == NULL) {
			e = fail_db(s, "sealing an address");
			break;
		}
		if ((e = bind_address(s, st, 1, c->table, c->column, id,
		    v.data)) != SB_OK) {
			st_reset(st);
			break;
		}
		bind_int64(st, 3, id);
		if (st_step(st) != BE_DONE) {
			e = fail_db(s, "sealing an address");
			break;
		}
	}
	buf_wipe(&v);
	/* DROP COLUMN rewrites the table: no statement of ours may be
	 * running on it (as migration 12 does). */
	if (e == SB_OK)
		stmt_reset_all(s);
	if (e == SB_OK && (db_exec(s, c->drop) != BE_OK ||
	    db_exec(s, c->rename) != BE_OK))
		e = fail_db(s, "replacing the plain addresses");
	return e;
}

enum sb_err
addresses_seal_all(struct store *s)
{
	struct stmt	*st;
	int64_t		 id = 0;
	bool		 row;
	size_t		 i;
	enum sb_err	 e;

	if (s->depth == 0)
		return fail(s, SB_EINVAL, "addresses sealed outside a "
		    "transaction");
	for (i = 0; i < sizeof(addr_cols) / sizeof(addr_cols[0]); i++)
		if ((e = addr_col_seal(s, &addr_cols[i])) != SB_OK)
			return e;
	/* Each user's row seal covers the address as now stored (a schema
	 * made before its key, by init or for migrate, has no user yet). */
	for (;;) {
		if ((st = stmt(s, "SELECT id FROM users WHERE id > ? ORDER BY "
		    "id LIMIT 1")) == NULL)
			return fail_db(s, "sealing the users");
		bind_int64(st, 1, id);
		e = step_row(s, st, &row, "sealing the users");
		if (e == SB_OK && row)
			id = col_int64(st, 0);
		st_reset(st);
		if (e != SB_OK || !row)
			break;
		if (s->keys == NULL)
			return fail(s, SB_EINVAL, "the migration that seals "
			    "addresses needs the practice key");
		if ((e = rows_seal(s, RT_USERS, id, 0)) != SB_OK)
			return e;
	}
	return e != SB_OK || s->keys == NULL ? e : rows_flush(s);
}

/*
 * One queued message (in the caller's transaction): about an alert
 * (send 0) to addr, or a client's mail about a plan's send (alert 0),
 * whose address is read when it is sent.  *id: the message.
 */
enum sb_err
outbox_put(struct store *s, const struct outbox_new *n, int64_t *id)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM outbox", id)) !=
	    SB_OK)
		return e;
	if ((st = stmt(s, "INSERT INTO outbox (id, kind, alert_id, send_id, "
	    "link_id, channel, recipient, recipient_tag, state, created, "
	    "next_try) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)")) ==
	    NULL)
		return fail_db(s, "queueing the message");
	if ((e = bind_address(s, st, 7, "outbox", "recipient", *id,
	    n->addr)) != SB_OK) {
		st_reset(st);
		return e;
	}
	bind_int64(st, 1, *id);
	bind_text_ref(st, 2, n->kind);
	if (n->alert != 0)
		bind_int64(st, 3, n->alert);
	if (n->send != 0)
		bind_int64(st, 4, n->send);
	if (n->link != 0)
		bind_int64(st, 5, n->link);
	bind_text_ref(st, 6, n->channel ? n->channel : "mail");
	bind_int64(st, 9, n->now);
	bind_int64(st, 10, n->now);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "queueing the message");
	return SB_OK;
}

enum sb_err
outbox_insert(struct store *s, const char *kind, int64_t alert, int64_t send,
    const char *addr, int64_t now, int64_t *id)
{
	return outbox_put(s, &(struct outbox_new){ .kind = kind, .alert =
	    alert, .send = send, .addr = addr, .now = now }, id);
}

/* Queues one message about alert to addr by channel (inside the
 * alert's transaction). */
static SB_MUST enum sb_err
outbox_queue(struct store *s, int64_t alert, const char *channel,
    const char *addr, const char *to, int64_t now)
{
	int64_t		 id;
	enum sb_err	 e;

	if ((e = outbox_put(s, &(struct outbox_new){ .kind = "alert", .alert =
	    alert, .channel = channel, .addr = addr, .now = now }, &id)) !=
	    SB_OK)
		return e;
	/* Who, never the address: the audit trail cannot be rewritten,
	 * so what it holds stays. */
	return audit_append(s, "queue", "outbox", id, to);
}

enum sb_err
outbox_for_alert(struct store *s, int64_t client, int64_t alert, int64_t now,
    int *queued)
{
	bool		 row;
	struct stmt	*st;
	struct buf	 v;
	char		 owner[STORE_MAX_EMAIL + 1] = "";
	const char	*addr;
	bool		 set;
	enum sb_err	 e = SB_OK;

	/*
	 * Queued whenever there is someone to tell, mail server or not:
	 * `serve --smtp` may be the only configuration, and a server set up
	 * later still sends what waits.  Until then the admin page says in
	 * red that nothing is sent, and clients are promised no message.
	 */
	buf_init(&v, STORE_MAX_SETTING + 64);
	if ((st = stmt(s, "SELECT u.id, u.email FROM clients c JOIN users u "
	    "ON u.id = c.owner_id WHERE c.id = ? AND u.active = 1")) ==
	    NULL) {
		e = fail_db(s, "finding the therapist's address");
		goto out;
	}
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row,
	    "finding the therapist's address")) == SB_OK && row &&
	    (e = column_opened_null(s, st, 1, "users", "email",
	    col_int64(st, 0), &v, &addr)) == SB_OK && addr != NULL)
		snprintf(owner, sizeof(owner), "%s", addr);
	st_reset(st);
	if (e != SB_OK)
		goto out;
	/* Only the therapist's own message is counted: the client is told
	 * "a message is on its way to your therapist" by this count, and a
	 * duty address is not the therapist. */
	if (owner[0] != '\0') {
		if ((e = outbox_queue(s, alert, "mail", owner,
		    "mail to the therapist", now)) != SB_OK)
			goto out;
		(*queued)++;
	}
	if ((e = store_setting_get(s, SET_DUTY_EMAIL, &v, &set)) != SB_OK)
		goto out;
	if (set && strcmp(v.data, owner) != 0 &&
	    (e = outbox_queue(s, alert, "mail", v.data,
	    "mail to the duty address", now)) != SB_OK)
		goto out;
	if ((e = store_setting_get(s, SET_DUTY_PHONE, &v, &set)) != SB_OK)
		goto out;
	if (set && (e = outbox_queue(s, alert, "sms", v.data,
	    "SMS to the duty phone", now)) != SB_OK)
		goto out;
out:
	buf_wipe(&v);
	return e;
}

/* One message of the outbox, its recipient opened. */
static SB_MUST enum sb_err
mail_row(struct store *s, struct stmt *st, struct store_mail *m)
{
	struct buf	 to;
	enum sb_err	 e;

	memset(m, 0, sizeof(*m));
	m->id = col_int64(st, 0);
	m->alert = col_null(st, 1) ? 0 : col_int64(st, 1);
	buf_init(&to, STORE_MAX_SETTING + 64);
	e = column_opened(s, st, 2, "outbox", "recipient", m->id, &to);
	if (e == SB_OK)
		snprintf(m->recipient, sizeof(m->recipient), "%s", to.data);
	else if (e == SB_EPERM) {
		/* Said, and never sent: one altered row must not stop the
		 * others' sending. */
		m->altered = true;
		snprintf(m->recipient, sizeof(m->recipient),
		    "(changed outside securebase)");
		e = SB_OK;
	}
	buf_wipe(&to);
	snprintf(m->state, sizeof(m->state), "%s", col_text(st, 3));
	m->created = col_int64(st, 4);
	m->attempts = col_int(st, 5);
	m->next_try = col_int64(st, 6);
	if ((!col_null(st, 7)))
		snprintf(m->reply, sizeof(m->reply), "%s",
		    col_text(st, 7));
	m->done = col_int64(st, 8);
	snprintf(m->kind, sizeof(m->kind), "%s", col_text(st, 9));
	m->send = col_null(st, 10) ? 0 : col_int64(st, 10);
	m->link = col_null(st, 11) ? 0 : col_int64(st, 11);
	snprintf(m->channel, sizeof(m->channel), "%s", col_text(st, 12));
	return e;
}

enum sb_err
store_outbox_claim(struct store *s, int64_t now, int64_t lease,
    const char *node, struct store_mail *out, size_t max, size_t *got)
{
	struct stmt	*st;
	size_t		 i;
	enum sb_err	 e;
	bool		 any;
	int		 rc;

	*got = 0;
	/* A look without the write lock first: the sender asks every
	 * second, and pages must not queue behind an empty outbox. */
	if ((st = stmt(s, "SELECT 1 FROM outbox WHERE state = 'queued' AND "
	    "next_try <= ? LIMIT 1")) == NULL)
		return fail_db(s, "reading the outbox");
	bind_int64(st, 1, now);
	e = step_row(s, st, &any, "reading the outbox");
	st_reset(st);
	if (e != SB_OK || !any)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, s->be->outbox_claim)) == NULL)
		return txn_end(s, fail_db(s, "reading the outbox"));
	bind_int64(st, 1, now);
	bind_int64(st, 2, (int64_t)max);
	while (*got < max && (rc = st_step(st)) == BE_ROW)
		if ((e = mail_row(s, st, &out[(*got)++])) != SB_OK) {
			st_reset(st);
			return txn_end(s, e);
		}
	st_reset(st);
	/* The lease: another sender leaves these alone until it ends. */
	for (i = 0; i < *got; i++) {
		if ((st = stmt(s, "UPDATE outbox SET next_try = ?, attempts = "
		    "attempts + 1, node = ? WHERE id = ?")) == NULL)
			return txn_end(s, fail_db(s, "claiming a message"));
		bind_int64(st, 1, now + lease);
		if (node != NULL)
			bind_text(st, 2, node);
		else
			bind_null(st, 2);
		bind_int64(st, 3, out[i].id);
		if (st_step(st) != BE_DONE)
			return txn_end(s, fail_db(s, "claiming a message"));
		out[i].attempts++;
	}
	return txn_end(s, SB_OK);
}

enum sb_err
store_outbox_result(struct store *s, int64_t id, const char *state,
    int64_t now, int64_t next_try, const char *reply)
{
	struct stmt	*st;
	char		 detail[STORE_MAX_REPLY + 32];
	enum sb_err	 e;

	if (state == NULL || (strcmp(state, "sent") != 0 &&
	    strcmp(state, "failed") != 0 && strcmp(state, "queued") != 0 &&
	    strcmp(state, "dropped") != 0))
		return fail(s, SB_EINVAL, "a message is sent, failed, dropped "
		    "or queued");
	if (reply != NULL && !text_ok(reply, STORE_MAX_REPLY))
		reply = "(the server's reply was not UTF-8 text or too long)";
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* A link's token is kept only while it may still be sent: a failed
	 * message may be resent (the scheduler erases it with its link). */
	if ((st = stmt(s, strcmp(state, "queued") == 0 || strcmp(state,
	    "failed") == 0 ? "UPDATE outbox SET "
	    "state = ?, next_try = ?, reply = ?, done = ?, node = NULL WHERE "
	    "id = ? AND state = 'queued'" : "UPDATE outbox SET state = ?, "
	    "next_try = ?, reply = ?, done = ?, node = NULL, token = NULL "
	    "WHERE id = ? AND state = 'queued'")) == NULL)
		return txn_end(s, fail_db(s, "recording the sending"));
	bind_text(st, 1, state);
	bind_int64(st, 2, next_try);
	if (reply != NULL)
		bind_text(st, 3, reply);
	if (strcmp(state, "queued") != 0)
		bind_int64(st, 4, now);
	bind_int64(st, 5, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "recording the sending"));
	snprintf(detail, sizeof(detail), "%s%s%s", state, reply ? ": " : "",
	    reply ? reply : "");
	return txn_end(s, audit_append_as(s, NOTIFY_ACTOR, "send", "outbox",
	    id, detail));
}

enum sb_err
store_outbox_each(struct store *s, size_t max,
    enum sb_err (*fn)(void *, const struct store_mail *), void *arg)
{
	struct store_mail	 m;
	struct stmt		*st;
	enum sb_err		 e = SB_OK;
	int			 rc;

	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin sees the outbox");
	if ((st = stmt(s, "SELECT id, alert_id, recipient, state, created, "
	    "attempts, next_try, reply, done, kind, send_id, link_id, channel "
	    "FROM outbox ORDER BY id DESC LIMIT ?")) == NULL)
		return fail_db(s, "reading the outbox");
	bind_int64(st, 1, (int64_t)max);
	while ((rc = st_step(st)) == BE_ROW) {
		if ((e = mail_row(s, st, &m)) != SB_OK ||
		    (e = fn(arg, &m)) != SB_OK)
			break;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the outbox");
	st_reset(st);
	return e;
}

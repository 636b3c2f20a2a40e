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
	int64_t		 id;
	enum sb_err	 e;

	if (!self_or_admin(s, name))
		return fail(s, SB_EPERM, "only an admin or the user may set "
		    "an address");
	if (email != NULL && !store_email_ok(email))
		return fail(s, SB_EINVAL, "not a mail address: name@domain, "
		    "printable ASCII, at most %d characters", STORE_MAX_EMAIL);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = user_find(s, name, &id)) != SB_OK)
		return txn_end(s, e);
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
	if ((st = stmt(s, s->be->sql->outbox_claim)) == NULL)
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

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * schedule.c - measurement plans, the sends they make and their
 * reminders, and a client's mail address.  See store.h.
 *
 * Never twice: an occurrence's send is a row unique on (plan,
 * occurrence), written with its link and its mail in one transaction, so
 * two schedulers (serve and cron, two nodes) that both see it due make it
 * once: the second's insert fails on the unique key and its transaction
 * changes nothing.  A reminder is marked on the send in the transaction
 * that queues it.  The outbox then sends each message once (notify.c).
 *
 * The link's token is kept sealed on the send until the link is
 * finished, withdrawn or expired, so that the reminder can carry the
 * same link; then it is erased (a one-click send's, kept on its
 * message in the outbox for a resend, likewise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/plan.h"
#include "core/text.h"
#include "store/store_int.h"
#include "store/web.h"

/* The sender of the scheduler's audit rows: no user name has spaces. */
#define SCHEDULE_ACTOR	"securebase schedule"

enum sb_err
store_client_email(struct store *s, int64_t client, const char *email,
    struct store_stopped *stopped)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (email != NULL && !store_email_ok(email))
		return fail(s, SB_EINVAL, "not a mail address: name@domain, "
		    "printable ASCII, at most %d characters", STORE_MAX_EMAIL);
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE clients SET email = ? WHERE id = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "keeping the address"));
	if (email != NULL && (e = bind_sealed(s, st, 1, "clients", "email",
	    client, email)) != SB_OK)
		return txn_end(s, e);
	bind_int64(st, 2, client);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping the address"));
	if (email == NULL && (e = care_reach_check(s, client, clock_now(),
	    stopped)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, email ? "email-set" : "email-unset",
	    "client", client, ""));
}

/* The client's address (sealed) into out; *set false when none. */
static SB_MUST enum sb_err
email_read(struct store *s, int64_t client, struct buf *out, bool *set)
{
	return client_reach_read(s, client, "email", out, set);
}

enum sb_err
store_client_email_get(struct store *s, int64_t client, struct buf *out,
    bool *set)
{
	enum sb_err	 e;

	*set = false;
	if ((e = client_access_logged(s, client, false)) != SB_OK ||
	    (e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = email_read(s, client, out, set)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "client", client, "email"));
}

/* A plan made or resumed now would send nothing: said, not kept. */
static SB_MUST enum sb_err
plan_allowed(struct store *s, int64_t client)
{
	const char	*why;
	enum sb_err	 e;

	if ((e = care_blocked(s, client, clock_now(), &why)) != SB_OK)
		return e;
	if (why != NULL)
		return fail(s, SB_EINVAL, "client %lld: %s; a plan would send "
		    "nothing", (long long)client, store_stop_words(why));
	return SB_OK;
}

/* A plan's row, for write_one(). */
struct plan_binds {
	const struct store_plan	*p;
	enum plan_rule		 rule;
};

static SB_MUST enum sb_err
plan_check(struct store *s, void *arg)
{
	const struct plan_binds	*b = arg;

	return plan_allowed(s, b->p->client);
}

static SB_MUST enum sb_err
plan_bind(struct store *s, struct stmt *st, int64_t id, void *arg)
{
	const struct plan_binds	*b = arg;

	bind_int64(st, 1, id);
	bind_int64(st, 2, b->p->client);
	bind_text(st, 3, b->p->instrument);
	bind_text_ref(st, 4, plan_rule_name(b->rule));
	bind_text(st, 5, b->p->spec);
	bind_int64(st, 6, b->p->start);
	bind_int64(st, 7, b->p->remind_days);
	bind_int64(st, 8, b->p->expire_days);
	bind_int64(st, 9, s->actor.id);
	return SB_OK;
}

enum sb_err
store_plan_add(struct store *s, const struct store_plan *p, int64_t *id)
{
	struct plan_binds	 pb;
	struct plan_rules	 r;
	enum plan_rule		 rule;
	char			 why[160];

	if (!text_ok(p->instrument, 63) || p->instrument[0] == '\0')
		return fail(s, SB_EINVAL, "which measure?");
	if (!plan_rule_parse(p->rule, &rule))
		return fail(s, SB_EINVAL, "a plan's rule is days, sessions or "
		    "months");
	if (!plan_parse(rule, p->spec, &r, why, sizeof(why)))
		return fail(s, SB_EINVAL, "%s", why);
	if (p->expire_days < 1 || p->expire_days > 90)
		return fail(s, SB_EINVAL, "a link lasts 1-90 days");
	if (p->remind_days < 0 || p->remind_days >= p->expire_days)
		return fail(s, SB_EINVAL, "the reminder comes before the link "
		    "ends: 0 (none) to %d days", p->expire_days - 1);
	pb.p = p;
	pb.rule = rule;
	return write_one(s, &(struct write_one){ .client = p->client,
	    .check = plan_check, .id_sql = "SELECT coalesce(max(id), 0) FROM "
	    "plans", .sql = "INSERT INTO plans (id, client_id, instrument, "
	    "rule, spec, start, remind_days, expire_days, paused, created_by) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)", .what = "keeping the plan",
	    .seal = RT_PLANS, .bind = plan_bind, .arg = &pb,
	    .action = "plan-add", .of_client = true, .detail = p->instrument },
	    id);
}

enum sb_err
store_plan_set(struct store *s, int64_t client, int64_t plan,
    const char *what)
{
	struct stmt	*st;
	const char	*sql;
	enum sb_err	 e;

	if (what != NULL && strcmp(what, "pause") == 0)
		sql = "UPDATE plans SET paused = 1 WHERE id = ? AND client_id "
		    "= ? AND ended IS NULL";
	else if (what != NULL && strcmp(what, "resume") == 0)
		sql = "UPDATE plans SET paused = 0, end_reason = NULL WHERE id "
		    "= ? AND client_id = ? AND ended IS NULL";
	else if (what != NULL && strcmp(what, "end") == 0)
		sql = "UPDATE plans SET ended = ? WHERE id = ? AND client_id = "
		    "? AND ended IS NULL";
	else
		return fail(s, SB_EINVAL, "a plan is paused, resumed or ended");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if (strcmp(what, "resume") == 0 && (e = plan_allowed(s, client)) !=
	    SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, sql)) == NULL)
		return txn_end(s, fail_db(s, "changing the plan"));
	if (strcmp(what, "end") == 0) {
		bind_int64(st, 1, clock_now());
		bind_int64(st, 2, plan);
		bind_int64(st, 3, client);
	} else {
		bind_int64(st, 1, plan);
		bind_int64(st, 2, client);
	}
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "changing the plan"));
	if (db_changes(s) != 1)
		return txn_end(s, fail(s, SB_ENOENT, "this client has no plan "
		    "%lld in force", (long long)plan));
	return txn_end(s, audit_append(s, strcmp(what, "end") == 0 ?
	    "plan-end" : strcmp(what, "pause") == 0 ? "plan-pause" :
	    "plan-resume", "client", client, ""));
}

/* Attended sessions of client dated on or after start's day. */
static SB_MUST enum sb_err
sessions_since(struct store *s, int64_t client, int64_t start, int *n)
{
	struct stmt	*st;
	char		 day[16];
	time_t		 t = (time_t)start;
	struct tm	 tm;
	bool		 row;
	enum sb_err	 e;

	*n = 0;
	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if ((st = stmt(s, "SELECT count(*) FROM sessions WHERE client_id = ? "
	    "AND attendance = 'attended' AND date >= ?")) == NULL)
		return fail_db(s, "counting sessions");
	bind_int64(st, 1, client);
	bind_text(st, 2, day);
	if ((e = step_row(s, st, &row, "counting sessions")) == SB_OK && row)
		*n = col_int(st, 0);
	st_reset(st);
	return e;
}

/* A send's state in words at now, from its row and its link's. */
static const char *
send_state(const char *state, bool done, bool cancelled, bool opened,
    bool answers, int64_t expires, int64_t now)
{
	if (strcmp(state, "no-address") == 0)
		return "not sent: no address";
	if (strcmp(state, "superseded") == 0)
		return "replaced by a newer one";
	if (done)
		return "finished";
	if (cancelled)
		return "withdrawn";
	if (expires <= now)
		return "expired unanswered";
	if (answers)
		return "in progress";
	return opened ? "opened" : "sent";
}

/* Flags as 0 or 1 by CASE: PostgreSQL's booleans are not numbers. */
#define SEND_COLS "ps.state, CASE WHEN l.administration_id IS NOT NULL " \
	"THEN 1 ELSE 0 END, CASE WHEN l.cancelled IS NOT NULL THEN 1 ELSE 0 " \
	"END, CASE WHEN l.opened IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN " \
	"coalesce(l.answers, '') != '' THEN 1 ELSE 0 END, " \
	"coalesce(l.expires, 0)"

enum sb_err
store_plan_each(struct store *s, int64_t client, int64_t now,
    enum sb_err (*fn)(void *, const struct store_plan_row *), void *arg)
{
	struct store_plan_row	*rows = NULL;
	struct stmt		*st;
	size_t			 n = 0, cap = 0, i;
	bool			 row;
	enum sb_err		 e;

	if ((e = client_access_logged(s, client, false)) != SB_OK ||
	    (e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check_of(s, RT_PLANS, client)) != SB_OK)
		return txn_end(s, e);
	/* In force, and those the care lifecycle ended: the therapist
	 * is told what was stopped and why. */
	if ((st = stmt(s, "SELECT id, instrument, rule, spec, start, "
	    "remind_days, expire_days, paused, coalesce(ended, 0), "
	    "coalesce(end_reason, '') FROM plans WHERE client_id = ? AND "
	    "(ended IS NULL OR end_reason IS NOT NULL) ORDER BY id")) == NULL)
		return txn_end(s, fail_db(s, "reading the plans"));
	bind_int64(st, 1, client);
	while ((e = step_row(s, st, &row, "reading the plans")) == SB_OK &&
	    row) {
		struct store_plan_row	*r;

		if (n == cap) {
			void	*p = realloc(rows, (cap ? cap * 2 : 8) *
			    sizeof(*rows));

			if (p == NULL) {
				e = SB_ENOMEM;
				break;
			}
			rows = p;
			cap = cap ? cap * 2 : 8;
		}
		r = &rows[n++];
		memset(r, 0, sizeof(*r));
		r->p.id = col_int64(st, 0);
		r->p.client = client;
		snprintf(r->p.instrument, sizeof(r->p.instrument), "%s",
		    col_text(st, 1));
		snprintf(r->p.rule, sizeof(r->p.rule), "%s", col_text(st, 2));
		snprintf(r->p.spec, sizeof(r->p.spec), "%s", col_text(st, 3));
		r->p.start = col_int64(st, 4);
		r->p.remind_days = col_int(st, 5);
		r->p.expire_days = col_int(st, 6);
		r->p.paused = col_int(st, 7) != 0;
		r->p.ended = col_int64(st, 8);
		snprintf(r->p.stop_reason, sizeof(r->p.stop_reason), "%s",
		    col_text(st, 9));
	}
	st_reset(st);
	for (i = 0; e == SB_OK && i < n; i++) {
		if ((e = sessions_since(s, client, rows[i].p.start,
		    &rows[i].sessions)) != SB_OK)
			break;
		if ((st = stmt(s, "SELECT count(*), coalesce(sum(CASE WHEN "
		    "l.administration_id IS NOT NULL THEN 1 ELSE 0 END), 0) "
		    "FROM plan_sends ps LEFT JOIN links l ON l.id = ps.link_id "
		    "WHERE ps.plan_id = ? AND ps.state = 'sent'")) == NULL) {
			e = fail_db(s, "reading the sends");
			break;
		}
		bind_int64(st, 1, rows[i].p.id);
		if ((e = step_row(s, st, &row, "reading the sends")) == SB_OK &&
		    row) {
			rows[i].sent = (size_t)col_int64(st, 0);
			rows[i].finished = (size_t)col_int64(st, 1);
		}
		st_reset(st);
		if (e != SB_OK)
			break;
		if ((st = stmt(s, "SELECT ps.due, " SEND_COLS " FROM "
		    "plan_sends ps LEFT JOIN links l ON l.id = ps.link_id "
		    "WHERE ps.plan_id = ? ORDER BY ps.occurrence DESC LIMIT 1"))
		    == NULL) {
			e = fail_db(s, "reading the sends");
			break;
		}
		bind_int64(st, 1, rows[i].p.id);
		if ((e = step_row(s, st, &row, "reading the sends")) == SB_OK &&
		    row) {
			rows[i].last_due = col_int64(st, 0);
			rows[i].last_state = send_state(col_text(st, 1),
			    col_int(st, 2), col_int(st, 3), col_int(st, 4),
			    col_int(st, 5), col_int64(st, 6), now);
		}
		st_reset(st);
	}
	for (i = 0; e == SB_OK && i < n; i++)
		e = fn(arg, &rows[i]);
	free(rows);
	if (e != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "read", "plans", client, ""));
}

/* Withdraws the plan's open sends before a newer one (in the caller's
 * transaction). */
static SB_MUST enum sb_err
supersede(struct store *s, int64_t plan, int64_t now, size_t *n)
{
	struct stmt	*st;

	if ((st = stmt(s, "UPDATE links SET cancelled = ? WHERE id IN (SELECT "
	    "link_id FROM plan_sends WHERE plan_id = ? AND state = 'sent') "
	    "AND administration_id IS NULL AND cancelled IS NULL AND expires "
	    "> ?")) == NULL)
		return fail_db(s, "withdrawing the older link");
	bind_int64(st, 1, now);
	bind_int64(st, 2, plan);
	bind_int64(st, 3, now);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "withdrawing the older link");
	*n += (size_t)db_changes(s);
	if ((st = stmt(s, "UPDATE plan_sends SET state = 'superseded', token "
	    "= NULL WHERE plan_id = ? AND state = 'sent' AND link_id IN "
	    "(SELECT id FROM links WHERE cancelled = ?)")) == NULL)
		return fail_db(s, "withdrawing the older link");
	bind_int64(st, 1, plan);
	bind_int64(st, 2, now);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "withdrawing the older link");
	return SB_OK;
}

/* One plan's due occurrence: made once, with its link and mail. */
struct due_plan {
	int64_t		 id, client, owner, start;
	char		 instrument[64];
	enum plan_rule	 rule;
	struct plan_rules r;
	int		 expire_days;
};

/* Pauses a plan found altered, saying so (caller's transaction). */
static SB_MUST enum sb_err
plan_pause_altered(struct store *s, int64_t plan)
{
	struct stmt	*st;

	if ((st = stmt(s, "UPDATE plans SET paused = 1, end_reason = "
	    "'altered' WHERE id = ?")) == NULL)
		return fail_db(s, "pausing the plan");
	bind_int64(st, 1, plan);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "pausing the plan");
	return SB_OK;
}

/* Is the plan's occurrence made (sent, or kept as not sent)? */
static SB_MUST enum sb_err
send_made(struct store *s, int64_t plan, int64_t occ, bool *made)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT 1 FROM plan_sends WHERE plan_id = ? AND "
	    "occurrence = ?")) == NULL)
		return fail_db(s, "reading the sends");
	bind_int64(st, 1, plan);
	bind_int64(st, 2, occ);
	e = step_row(s, st, made, "reading the sends");
	st_reset(st);
	return e;
}

static SB_MUST enum sb_err
send_make(struct store *s, const struct due_plan *p, int64_t occ,
    int64_t due, int64_t now, struct store_schedule_stats *stats)
{
	unsigned char		 hash[MAC_BYTES];
	char			 token[TOKEN_HEX + 1];
	struct store_contact	 c;
	struct stmt		*st;
	const char		*why, *channel;
	int64_t			 send, link = 0;
	bool			 have, row;
	enum sb_err		 e;

	/* Made already?  Looked at without the write lock first: every
	 * round asks this of every plan, and almost always it was. */
	if ((e = send_made(s, p->id, occ, &row)) != SB_OK || row)
		goto out;
	if ((e = txn_begin(s)) != SB_OK)
		goto out;
	/* Again under the lock: another scheduler may have made it since. */
	if ((e = send_made(s, p->id, occ, &row)) != SB_OK || row) {
		e = txn_end(s, e);
		goto out;
	}
	/* A plan put in or changed outside securebase sends nothing: it is
	 * paused (the refusal recorded once the transaction ends), and the
	 * other plans go on. */
	if ((e = rows_check(s, RT_PLANS, p->id, 0)) == SB_EPERM) {
		e = txn_end(s, plan_pause_altered(s, p->id));
		stats->stopped++;
		goto out;
	}
	if (e != SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	/* Care ended (or a withdrawal dated ahead came due): the plan
	 * ends here, with the client's links and queued mail. */
	if ((e = care_blocked(s, p->client, now, &why)) != SB_OK ||
	    why != NULL) {
		if (e == SB_OK)
			e = care_stop(s, p->client, why, now, NULL);
		e = txn_end(s, e);
		stats->stopped++;
		goto out;
	}
	if ((e = supersede(s, p->id, now, &stats->superseded)) != SB_OK ||
	    (e = care_contact(s, p->client, &c)) != SB_OK ||
	    (e = next_id(s, "SELECT coalesce(max(id), 0) FROM plan_sends",
	    &send)) != SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	channel = care_channel(&c);
	have = channel != NULL;
	if (have) {
		new_token(token, hash);
		if ((e = next_id(s, "SELECT coalesce(max(id), 0) FROM links",
		    &link)) != SB_OK) {
			e = txn_end(s, e);
			goto out;
		}
		if ((st = stmt(s, "INSERT INTO links (id, token_hash, "
		    "client_id, instrument, created_by, created, expires, mode) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?, 'link')")) == NULL) {
			e = txn_end(s, fail_db(s, "creating the link"));
			goto out;
		}
		bind_int64(st, 1, link);
		bind_blob(st, 2, hash, MAC_BYTES);
		bind_int64(st, 3, p->client);
		bind_text(st, 4, p->instrument);
		bind_int64(st, 5, p->owner);
		bind_int64(st, 6, now);
		bind_int64(st, 7, now + (int64_t)p->expire_days * 86400);
		if (st_step(st) != BE_DONE) {
			e = txn_end(s, fail_db(s, "creating the link"));
			goto out;
		}
		if ((e = rows_seal(s, RT_LINKS, link, 0)) != SB_OK) {
			e = txn_end(s, e);
			goto out;
		}
	}
	if ((st = stmt(s, "INSERT INTO plan_sends (id, plan_id, occurrence, "
	    "due, state, link_id, token) VALUES (?, ?, ?, ?, ?, ?, ?)")) ==
	    NULL) {
		e = txn_end(s, fail_db(s, "keeping the send"));
		goto out;
	}
	bind_int64(st, 1, send);
	bind_int64(st, 2, p->id);
	bind_int64(st, 3, occ);
	bind_int64(st, 4, due);
	bind_text_ref(st, 5, have ? "sent" : "no-address");
	if (have) {
		bind_int64(st, 6, link);
		if ((e = bind_sealed(s, st, 7, "plan_sends", "token", send,
		    token)) != SB_OK) {
			e = txn_end(s, e);
			goto out;
		}
	}
	if (st_step(st) != BE_DONE) {
		e = txn_end(s, fail_db(s, "keeping the send"));
		goto out;
	}
	if ((e = rows_seal(s, RT_PLAN_SENDS, send, 0)) != SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	if (have && (e = outbox_for_send(s, send, "measure", channel, now)) !=
	    SB_OK) {
		e = txn_end(s, e);
		goto out;
	}
	if (have)
		stats->sent++;
	else
		stats->no_address++;
	e = txn_end(s, audit_append_as(s, SCHEDULE_ACTOR, have ? "plan-send" :
	    "plan-no-address", "client", p->client, p->instrument));
out:
	sodium_memzero(token, sizeof(token));
	return e;
}

enum sb_err
outbox_for_send(struct store *s, int64_t send, const char *kind,
    const char *channel, int64_t now)
{
	int64_t		 id;
	enum sb_err	 e;

	/* The recipient is the client, whose address or phone is read
	 * (opened) when the message is sent: none is kept here in the
	 * clear. */
	if ((e = outbox_put(s, &(struct outbox_new){ .kind = kind, .send =
	    send, .channel = channel, .addr = "the client", .now = now },
	    &id)) != SB_OK)
		return e;
	return audit_append_as(s, SCHEDULE_ACTOR, "queue", "outbox", id, kind);
}

/* Queues each reminder due at now, marking its send. */
static SB_MUST enum sb_err
reminders(struct store *s, int64_t now, struct store_schedule_stats *stats)
{
	struct store_contact	 c;
	struct stmt	*st;
	int64_t		 ids[64], clients[64];
	const char	*why, *channel;
	size_t		 n, i;
	bool		 row;
	enum sb_err	 e;

	do {
		n = 0;
		/* Only a plan in force reminds: one ended or paused since
		 * its send says nothing more. */
		if ((st = stmt(s, "SELECT ps.id, p.client_id FROM plan_sends "
		    "ps JOIN plans p ON p.id = ps.plan_id JOIN links l ON "
		    "l.id = ps.link_id WHERE ps.state = 'sent' AND ps.reminded "
		    "IS NULL AND p.ended IS NULL AND p.paused = 0 AND "
		    "p.remind_days > 0 AND l.created + p.remind_days * 86400 "
		    "<= ? AND l.administration_id IS NULL AND l.cancelled IS "
		    "NULL AND l.expires > ? ORDER BY ps.id LIMIT 64")) == NULL)
			return fail_db(s, "finding reminders");
		bind_int64(st, 1, now);
		bind_int64(st, 2, now);
		while (n < 64 && (e = step_row(s, st, &row,
		    "finding reminders")) == SB_OK && row) {
			clients[n] = col_int64(st, 1);
			ids[n++] = col_int64(st, 0);
		}
		st_reset(st);
		if (e != SB_OK)
			return e;
		for (i = 0; i < n; i++) {
			if ((e = txn_begin(s)) != SB_OK)
				return e;
			if ((e = care_blocked(s, clients[i], now, &why)) !=
			    SB_OK)
				return txn_end(s, e);
			if (why != NULL) {
				/* Its link is withdrawn: not found again. */
				if ((e = txn_end(s, care_stop(s, clients[i],
				    why, now, NULL))) != SB_OK)
					return e;
				stats->stopped++;
				continue;
			}
			if ((e = care_contact(s, clients[i], &c)) != SB_OK)
				return txn_end(s, e);
			channel = care_channel(&c);
			/* Marked where it is queued: once, whoever runs. */
			if ((st = stmt(s, "UPDATE plan_sends SET reminded = ? "
			    "WHERE id = ? AND reminded IS NULL")) == NULL)
				return txn_end(s, fail_db(s, "marking the "
				    "reminder"));
			bind_int64(st, 1, now);
			bind_int64(st, 2, ids[i]);
			if (st_step(st) != BE_DONE)
				return txn_end(s, fail_db(s, "marking the "
				    "reminder"));
			if (db_changes(s) == 1 && channel != NULL) {
				if ((e = outbox_for_send(s, ids[i], "reminder",
				    channel, now)) != SB_OK)
					return txn_end(s, e);
				stats->reminded++;
			}
			if ((e = txn_end(s, SB_OK)) != SB_OK)
				return e;
		}
	} while (n == 64);
	return SB_OK;
}

/* Erases the tokens of sends whose link can no longer be answered. */
static SB_MUST enum sb_err
tokens_erase(struct store *s, int64_t now)
{
	struct stmt	*st;
	enum sb_err	 e;
	bool		 any;

	/* A look without the write lock first, as above: most rounds have
	 * nothing to erase. */
	if ((st = stmt(s, "SELECT 1 FROM plan_sends ps JOIN links l ON l.id = "
	    "ps.link_id WHERE ps.token IS NOT NULL AND (l.administration_id "
	    "IS NOT NULL OR l.cancelled IS NOT NULL OR l.expires <= ?1) UNION "
	    "ALL SELECT 1 FROM outbox o JOIN links l ON l.id = o.link_id WHERE "
	    "o.token IS NOT NULL AND (l.administration_id IS NOT NULL OR "
	    "l.cancelled IS NOT NULL OR l.expires <= ?1) LIMIT 1")) == NULL)
		return fail_db(s, "reading used links");
	bind_int64(st, 1, now);
	e = step_row(s, st, &any, "reading used links");
	st_reset(st);
	if (e != SB_OK || !any)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE plan_sends SET token = NULL WHERE token IS "
	    "NOT NULL AND link_id IN (SELECT id FROM links WHERE "
	    "administration_id IS NOT NULL OR cancelled IS NOT NULL OR "
	    "expires <= ?)")) == NULL)
		return txn_end(s, fail_db(s, "erasing used links"));
	bind_int64(st, 1, now);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "erasing used links"));
	/* A one-click send's token, kept on its message for a resend. */
	if ((st = stmt(s, "UPDATE outbox SET token = NULL WHERE token IS NOT "
	    "NULL AND link_id IN (SELECT id FROM links WHERE "
	    "administration_id IS NOT NULL OR cancelled IS NOT NULL OR "
	    "expires <= ?)")) == NULL)
		return txn_end(s, fail_db(s, "erasing used links"));
	bind_int64(st, 1, now);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "erasing used links"));
	return txn_end(s, SB_OK);
}

enum sb_err
store_schedule_run(struct store *s, int64_t now,
    struct store_schedule_stats *stats)
{
	struct due_plan	*p = NULL;
	struct stmt	*st;
	char		 why[160];
	size_t		 n = 0, cap = 0, i;
	int64_t		 occ, due;
	int		 sessions;
	bool		 row;
	enum sb_err	 e;

	memset(stats, 0, sizeof(*stats));
	/* A restored copy sends nothing until an admin releases it. */
	if ((e = store_sending_held(s, &row, NULL, 0)) != SB_OK || row)
		return e;
	if ((st = stmt(s, "SELECT p.id, p.client_id, c.owner_id, p.start, "
	    "p.instrument, p.rule, p.spec, p.expire_days FROM plans p JOIN "
	    "clients c ON c.id = p.client_id JOIN users u ON u.id = "
	    "c.owner_id WHERE p.paused = 0 AND p.ended IS NULL AND p.start <= "
	    "? AND u.active = 1 ORDER BY p.id")) == NULL)
		return fail_db(s, "reading the plans");
	bind_int64(st, 1, now);
	while ((e = step_row(s, st, &row, "reading the plans")) == SB_OK &&
	    row) {
		if (n == cap) {
			void	*q = realloc(p, (cap ? cap * 2 : 16) *
			    sizeof(*p));

			if (q == NULL) {
				e = SB_ENOMEM;
				break;
			}
			p = q;
			cap = cap ? cap * 2 : 16;
		}
		memset(&p[n], 0, sizeof(p[n]));
		p[n].id = col_int64(st, 0);
		p[n].client = col_int64(st, 1);
		p[n].owner = col_int64(st, 2);
		p[n].start = col_int64(st, 3);
		snprintf(p[n].instrument, sizeof(p[n].instrument), "%s",
		    col_text(st, 4));
		p[n].expire_days = col_int(st, 7);
		/* A plan kept by an older release that no longer parses is
		 * left alone, not guessed at. */
		if (plan_rule_parse(col_text(st, 5), &p[n].rule) &&
		    plan_parse(p[n].rule, col_text(st, 6), &p[n].r, why,
		    sizeof(why)))
			n++;
	}
	st_reset(st);
	for (i = 0; e == SB_OK && i < n; i++) {
		sessions = 0;
		if (p[i].rule == PLAN_SESSIONS && (e = sessions_since(s,
		    p[i].client, p[i].start, &sessions)) != SB_OK)
			break;
		if (!plan_latest(&p[i].r, p[i].start, now, sessions, &occ,
		    &due))
			continue;
		/* One missed while nothing ran, and now past its link's
		 * life, is not sent late. */
		if (now - due >= (int64_t)p[i].expire_days * 86400)
			continue;
		e = send_make(s, &p[i], occ, due, now, stats);
	}
	free(p);
	if (e == SB_OK)
		e = reminders(s, now, stats);
	if (e == SB_OK)
		e = tokens_erase(s, now);
	return e;
}

/*
 * A message's link, by sql (bound: now, then id), which selects the
 * sealed token, the client, the therapist, the link's end, whether it
 * can still be answered, and the therapist's sealed display name and
 * id; the token is sealed for (table, token, id).
 */
static SB_MUST enum sb_err
token_mail(struct store *s, const char *sql, const char *table, int64_t id,
    int64_t now, struct store_send_mail *m, struct buf *b, int64_t *client)
{
	struct stmt	*st;
	const char	*t;
	bool		 row;
	enum sb_err	 e;

	if ((st = stmt(s, sql)) == NULL)
		return fail_db(s, "reading the message's link");
	bind_int64(st, 1, now);
	bind_int64(st, 2, id);
	if ((e = step_row(s, st, &row, "reading the message's link")) ==
	    SB_OK && row && col_int(st, 4)) {
		*client = col_int64(st, 1);
		m->expires = col_int64(st, 3);
		/* The therapist as the client reads them: their display
		 * name, or their user name. */
		if ((e = column_opened_null(s, st, 5, "users", "display",
		    col_int64(st, 6), b, &t)) == SB_OK)
			snprintf(m->therapist, sizeof(m->therapist), "%s",
			    t != NULL ? t : col_text(st, 2));
		if (e == SB_OK && (e = column_opened_null(s, st, 0, table,
		    "token", id, b, &t)) == SB_OK && t != NULL &&
		    strlen(t) == TOKEN_HEX) {
			memcpy(m->token, t, TOKEN_HEX + 1);
			m->open = true;
		}
	}
	st_reset(st);
	return e;
}

/* A one-click send's token is sealed on its message (kind link); a
 * plan's send's on the send (kinds measure, reminder), whose plan must
 * still be in force. */
#define LINK_OPEN "CASE WHEN l.administration_id IS NULL AND l.cancelled " \
	"IS NULL AND l.expires > ? AND "
#define LINK_MAIL_SQL "SELECT o.token, l.client_id, u.name, " \
	"l.expires, " LINK_OPEN "o.token IS NOT NULL THEN 1 ELSE 0 END, " \
	"u.display, u.id FROM outbox o JOIN links l ON l.id = o.link_id " \
	"JOIN users u ON u.id = l.created_by WHERE o.id = ?"
#define PLAN_MAIL_SQL "SELECT ps.token, p.client_id, u.name, " \
	"l.expires, " LINK_OPEN "ps.token IS NOT NULL AND p.ended IS NULL " \
	"THEN 1 ELSE 0 END, u.display, u.id FROM plan_sends ps JOIN plans p ON " \
	"p.id = ps.plan_id JOIN links l ON l.id = ps.link_id JOIN users u " \
	"ON u.id = l.created_by WHERE ps.id = ?"

enum sb_err
store_send_mail(struct store *s, const struct store_mail *msg, int64_t now,
    struct store_send_mail *m)
{
	struct buf	 b;
	int64_t		 client = 0;
	const char	*why;
	bool		 set, sms = strcmp(msg->channel, "sms") == 0;
	enum sb_err	 e;

	memset(m, 0, sizeof(*m));
	buf_init(&b, STORE_MAX_SETTING + 64);
	e = strcmp(msg->kind, "link") == 0 ? token_mail(s, LINK_MAIL_SQL,
	    "outbox", msg->id, now, m, &b, &client) : token_mail(s,
	    PLAN_MAIL_SQL, "plan_sends", msg->send, now, m, &b, &client);
	if (e != SB_OK || !m->open)
		goto out;
	/* A send, plan or link put in, moved or changed outside securebase
	 * sends nothing (recorded as tampering), and stops no other. */
	if ((e = strcmp(msg->kind, "link") == 0 ? rows_check(s, RT_LINKS,
	    msg->link, 0) : rows_check(s, RT_PLAN_SENDS, msg->send, 0)) ==
	    SB_OK && (e = rows_check_of(s, RT_PLANS, client)) == SB_OK)
		e = rows_check_of(s, RT_LINKS, client);
	if (e == SB_EPERM) {
		m->open = false;
		m->altered = true;
		e = SB_OK;
		goto out;
	}
	if (e != SB_OK)
		goto out;
	/* Care that ended after the message was queued stops it too. */
	if ((e = care_blocked(s, client, now, &why)) != SB_OK || why != NULL) {
		m->open = false;
		goto out;
	}
	if ((e = client_reach_read(s, client, sms ? "phone" : "email", &b,
	    &set)) != SB_OK)
		goto out;
	if (!set || strlen(b.data) > (sms ? (size_t)STORE_MAX_PHONE :
	    (size_t)STORE_MAX_EMAIL)) {
		m->open = false;
		goto out;
	}
	if (sms)
		snprintf(m->phone, sizeof(m->phone), "%s", b.data);
	else
		snprintf(m->email, sizeof(m->email), "%s", b.data);
out:
	buf_wipe(&b);
	if (e != SB_OK || !m->open)
		sodium_memzero(m->token, sizeof(m->token));
	return e;
}

enum sb_err
store_sends_open_each(struct store *s, int64_t now,
    enum sb_err (*fn)(void *, int64_t client, int open, int overdue),
    void *arg)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	if (!s->has_actor)
		return fail(s, SB_EPERM, "no acting user");
	/* Every client with a plan in force; open: sends still
	 * answerable; overdue: those past their reminder. */
	if ((st = stmt(s, "SELECT p.client_id, coalesce(sum(CASE WHEN l.id "
	    "IS NOT NULL THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN l.id "
	    "IS NOT NULL AND p.remind_days > 0 AND l.created + p.remind_days "
	    "* 86400 <= ?2 THEN 1 ELSE 0 END), 0) FROM "
	    SQL_READABLE_CLIENTS("?1") " r CROSS JOIN plans p LEFT JOIN "
	    "plan_sends ps ON ps.plan_id = p.id AND ps.state = 'sent' LEFT "
	    "JOIN links l ON l.id = ps.link_id AND l.administration_id IS "
	    "NULL AND l.cancelled IS NULL AND l.expires > ?2 WHERE "
	    "p.client_id = r.id AND p.ended IS NULL GROUP BY p.client_id "
	    "ORDER BY p.client_id")) == NULL)
		return fail_db(s, "reading the sends");
	bind_int64(st, 1, s->actor.id);
	bind_int64(st, 2, now);
	while ((e = step_row(s, st, &row, "reading the sends")) == SB_OK &&
	    row)
		if ((e = fn(arg, col_int64(st, 0), col_int(st, 1), col_int(st,
		    2))) != SB_OK)
			break;
	st_reset(st);
	return e;
}

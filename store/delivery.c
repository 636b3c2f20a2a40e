/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * delivery.c - what keeps a message from being sent to someone who asked
 * to stop, and from being lost when it must reach a person.  See store.h.
 *
 * The care lifecycle: ending an episode, withdrawing a treatment or
 * contact consent, discharging a client, or removing the last way to
 * reach them stops the client's plans, withdraws their open links and
 * drops the messages to them still queued, in the transaction of the
 * change (care_stop).  The scheduler asks care_blocked() before each
 * send and reminder, so a change dated ahead takes effect on its day.
 *
 * Alert mail that must reach a person: an open alert's message is tried
 * until it is sent or the alert is handled (app/notify.c); a failed one
 * is queued again when an admin resends it or changes the mail settings
 * (notify.c); an alert still open after the practice's escalation delay
 * is sent to the duty address (store_escalate).  A message leased by a
 * node that died is taken back by that node when it starts again.
 *
 * A restored copy of a practice holds all sending until an admin
 * releases it, so that a restore drill mails no one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/text.h"
#include "store/store_int.h"
#include "store/web.h"

#define LIFECYCLE_ACTOR	"securebase schedule"
#define ESCALATE_ACTOR	"securebase notify"

static const struct {
	const char	*reason, *words;
} stop_words[] = {
	{ "consent-withdrawn", "consent withdrawn" },
	{ "episode-ended", "episode of care ended" },
	{ "discharged", "client discharged" },
	{ "no-address", "no address or phone left" },
	{ "altered", "the client's episodes or consents were changed outside "
	    "securebase" },
};

const char *
store_stop_words(const char *reason)
{
	size_t	 i;

	for (i = 0; reason != NULL && i < sizeof(stop_words) /
	    sizeof(stop_words[0]); i++)
		if (strcmp(reason, stop_words[i].reason) == 0)
			return stop_words[i].words;
	return NULL;
}

/* The day of t as YYYY-MM-DD, as episodes and consents write it. */
static void
day_of(int64_t t, char day[16])
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	gmtime_r(&tt, &tm);
	strftime(day, 16, "%Y-%m-%d", &tm);
}

enum sb_err
care_stop(struct store *s, int64_t client, const char *reason, int64_t now,
    struct store_stopped *out)
{
	struct store_stopped	 n = { 0, 0, 0 };
	struct stmt		*st;
	bool			 pause = strcmp(reason, "no-address") == 0 ||
				    strcmp(reason, "altered") == 0;

	/* Paused when only the address went (a new one and "resume" carry
	 * on) or the care rows were altered (a restore and "resume" do).
	 * Ended otherwise: care is over. */
	if ((st = stmt(s, pause ? "UPDATE plans SET paused = 1, end_reason = "
	    "? WHERE client_id = ? AND ended IS NULL AND paused = 0" :
	    "UPDATE plans SET ended = ?, end_reason = ? WHERE client_id = ? "
	    "AND ended IS NULL")) == NULL)
		return fail_db(s, "stopping the plans");
	if (pause) {
		bind_text_ref(st, 1, reason);
		bind_int64(st, 2, client);
	} else {
		bind_int64(st, 1, now);
		bind_text_ref(st, 2, reason);
		bind_int64(st, 3, client);
	}
	if (st_step(st) != BE_DONE)
		return fail_db(s, "stopping the plans");
	n.plans = (size_t)db_changes(s);
	if (!pause) {
		if ((st = stmt(s, "UPDATE links SET cancelled = ?1 WHERE "
		    "client_id = ?2 AND administration_id IS NULL AND "
		    "cancelled IS NULL AND expires > ?1")) == NULL)
			return fail_db(s, "withdrawing the links");
		bind_int64(st, 1, now);
		bind_int64(st, 2, client);
		if (st_step(st) != BE_DONE)
			return fail_db(s, "withdrawing the links");
		n.links = (size_t)db_changes(s);
	}
	if ((st = stmt(s, "UPDATE outbox SET state = 'dropped', done = ?1, "
	    "token = NULL, reply = ?2 WHERE state = 'queued' AND kind IN "
	    "('measure', 'reminder', 'link') AND (send_id IN (SELECT ps.id "
	    "FROM plan_sends ps JOIN plans p ON p.id = ps.plan_id WHERE "
	    "p.client_id = ?3) OR link_id IN (SELECT id FROM links WHERE "
	    "client_id = ?3))")) == NULL)
		return fail_db(s, "cancelling the queued messages");
	bind_int64(st, 1, now);
	bind_text(st, 2, strcmp(reason, "altered") == 0 ? "not sent: the "
	    "client's episodes or consents were changed outside securebase" :
	    pause ? "not sent: the client has no address or phone now" :
	    "not sent: the client's care has ended (see the client's page)");
	bind_int64(st, 3, client);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "cancelling the queued messages");
	n.messages = (size_t)db_changes(s);
	if (out != NULL) {
		out->plans += n.plans;
		out->links += n.links;
		out->messages += n.messages;
	}
	if (n.plans + n.links + n.messages == 0)
		return SB_OK;
	{
		char	 d[96];

		snprintf(d, sizeof(d), "%s: %zu plans, %zu links, %zu "
		    "messages", reason, n.plans, n.links, n.messages);
		return s->has_actor ? audit_append(s, "care-stop", "client",
		    client, d) : audit_append_as(s, LIFECYCLE_ACTOR,
		    "care-stop", "client", client, d);
	}
}

/* Is kind one whose withdrawal ends sending? */
static bool
stopping_kind(const char *k)
{
	return strcmp(k, "treatment") == 0 || strcmp(k, "contact") == 0;
}

enum sb_err
care_blocked(struct store *s, int64_t client, int64_t now,
    const char **reason)
{
	struct stmt	*st;
	struct buf	 k;
	char		 day[16];
	bool		 gone[2] = { false, false };	/* treatment, contact */
	bool		 held[2] = { false, false }, row;
	size_t		 i;
	enum sb_err	 e;
	int		 rc;

	*reason = NULL;
	/*
	 * Rows changed outside securebase say nothing true about whether
	 * the client may be sent to: nothing is, and the change is
	 * recorded (after the transaction) and shown as tampering.  Not an
	 * error, so that one client's altered row does not stop the
	 * scheduler and the sender for every other client.
	 */
	if ((e = rows_check_of(s, RT_EPISODES, client)) == SB_EPERM ||
	    (e == SB_OK && (e = rows_check_of(s, RT_CONSENTS, client)) ==
	    SB_EPERM)) {
		*reason = "altered";
		return SB_OK;
	}
	if (e != SB_OK)
		return e;
	day_of(now, day);
	if ((st = stmt(s, "SELECT count(*), coalesce(sum(CASE WHEN substr("
	    "started, 1, 10) <= ?2 AND (ended IS NULL OR substr(ended, 1, 10) "
	    "> ?2) THEN 1 ELSE 0 END), 0) FROM episodes WHERE client_id = "
	    "?1")) == NULL)
		return fail_db(s, "reading the episodes");
	bind_int64(st, 1, client);
	bind_text(st, 2, day);
	if ((e = step_row(s, st, &row, "reading the episodes")) == SB_OK &&
	    row && col_int(st, 0) > 0 && col_int(st, 1) == 0)
		*reason = "episode-ended";
	st_reset(st);
	if (e != SB_OK || *reason != NULL)
		return e;
	/* Kinds are sealed: each of the client's few is opened. */
	if ((st = stmt(s, "SELECT id, kind, CASE WHEN withdrawn IS NOT NULL "
	    "AND substr(withdrawn, 1, 10) <= ?2 THEN 1 ELSE 0 END, CASE WHEN "
	    "substr(given, 1, 10) <= ?2 THEN 1 ELSE 0 END FROM consents WHERE "
	    "client_id = ?1")) == NULL)
		return fail_db(s, "reading consents");
	bind_int64(st, 1, client);
	bind_text(st, 2, day);
	buf_init(&k, STORE_MAX_FIELD + 64);
	while ((rc = st_step(st)) == BE_ROW) {
		if ((e = column_opened(s, st, 1, "consents", "kind",
		    col_int64(st, 0), &k)) != SB_OK)
			break;
		if (!stopping_kind(k.data))
			continue;
		i = strcmp(k.data, "treatment") == 0 ? 0 : 1;
		if (col_int(st, 2))
			gone[i] = true;
		else if (col_int(st, 3))
			held[i] = true;
	}
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading consents");
	st_reset(st);
	buf_wipe(&k);
	for (i = 0; e == SB_OK && i < 2; i++)
		if (gone[i] && !held[i])
			*reason = "consent-withdrawn";
	return e;
}

enum sb_err
store_episode_end(struct store *s, int64_t episode, const char *date,
    struct store_stopped *stopped)
{
	int64_t		 client = 0;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = care_close_row(s, RT_EPISODES, "episode", "SELECT client_id, "
	    "started FROM episodes WHERE id = ? AND ended IS NULL", "UPDATE "
	    "episodes SET ended = ? WHERE id = ?", episode, date, &client)) !=
	    SB_OK)
		return txn_end(s, e);
	return txn_end(s, care_stop_due(s, client, clock_now(), stopped));
}

enum sb_err
store_consent_withdraw(struct store *s, int64_t consent, const char *date,
    struct store_stopped *stopped)
{
	int64_t		 client = 0;
	enum sb_err	 e;

	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = care_close_row(s, RT_CONSENTS, "consent", "SELECT client_id, "
	    "given FROM consents WHERE id = ? AND withdrawn IS NULL", "UPDATE "
	    "consents SET withdrawn = ? WHERE id = ?", consent, date,
	    &client)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, care_stop_due(s, client, clock_now(), stopped));
}

enum sb_err
care_stop_due(struct store *s, int64_t client, int64_t now,
    struct store_stopped *stopped)
{
	const char	*why;
	enum sb_err	 e;

	/* As the scheduler would see it today: a change dated ahead
	 * waits for its day. */
	if ((e = care_blocked(s, client, now, &why)) != SB_OK || why == NULL)
		return e;
	return care_stop(s, client, why, now, stopped);
}

enum sb_err
store_client_discharge(struct store *s, int64_t client, const char *date,
    struct store_stopped *stopped)
{
	struct stmt	*st;
	int64_t		 episode = 0, c = 0;
	bool		 row;
	enum sb_err	 e;

	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT id FROM episodes WHERE client_id = ? AND "
	    "ended IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "reading the episodes"));
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "reading the episodes")) == SB_OK &&
	    row)
		episode = col_int64(st, 0);
	st_reset(st);
	if (e != SB_OK)
		return txn_end(s, e);
	if (episode != 0 && (e = care_close_row(s, RT_EPISODES, "episode",
	    "SELECT client_id, started FROM episodes WHERE id = ? AND ended IS "
	    "NULL", "UPDATE episodes SET ended = ? WHERE id = ?", episode, date,
	    &c)) != SB_OK)
		return txn_end(s, e);
	if (episode == 0 && !care_full_date(date))
		return txn_end(s, fail(s, SB_EINVAL, "a date is YYYY-MM-DD"));
	if ((e = care_stop(s, client, "discharged", clock_now(), stopped)) !=
	    SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, "discharge", "client", client,
	    date));
}

/* ---- how a client is reached ---- */

/* The client's sealed field (email or phone) into out; *set. */
enum sb_err
client_reach_read(struct store *s, int64_t client, const char *column,
    struct buf *out, bool *set)
{
	struct stmt	*st;
	const char	*t = NULL;
	bool		 row;
	enum sb_err	 e;

	*set = false;
	if ((st = stmt(s, strcmp(column, "phone") == 0 ? "SELECT phone FROM "
	    "clients WHERE id = ?" : "SELECT email FROM clients WHERE id = ?"))
	    == NULL)
		return fail_db(s, "reading how to reach the client");
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "reading how to reach the client")) ==
	    SB_OK && row && (e = column_opened_null(s, st, 0, "clients",
	    column, client, out, &t)) == SB_OK)
		*set = t != NULL;
	st_reset(st);
	return e;
}

/* After a removal: no way left to reach the client pauses the plans. */
enum sb_err
care_reach_check(struct store *s, int64_t client, int64_t now,
    struct store_stopped *stopped)
{
	struct stmt	*st;
	bool		 row, none = false;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT CASE WHEN email IS NULL AND phone IS NULL "
	    "THEN 1 ELSE 0 END FROM clients WHERE id = ?")) == NULL)
		return fail_db(s, "reading how to reach the client");
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "reading how to reach the client")) ==
	    SB_OK && row)
		none = col_int(st, 0) != 0;
	st_reset(st);
	if (e != SB_OK || !none)
		return e;
	return care_stop(s, client, "no-address", now, stopped);
}

enum sb_err
store_client_phone(struct store *s, int64_t client, const char *phone,
    struct store_stopped *stopped)
{
	char		 clean[STORE_MAX_PHONE + 1];
	struct stmt	*st;
	enum sb_err	 e;

	if (phone != NULL && !store_phone_clean(phone, clean))
		return fail(s, SB_EINVAL, "phone: not an international mobile "
		    "number: + and the country code, 8-15 digits (E.164), "
		    "e.g. +44 7700 900123");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE clients SET phone = ? WHERE id = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "keeping the phone"));
	if (phone != NULL && (e = bind_sealed(s, st, 1, "clients", "phone",
	    client, clean)) != SB_OK)
		return txn_end(s, e);
	bind_int64(st, 2, client);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping the phone"));
	if (phone == NULL && (e = care_reach_check(s, client, clock_now(),
	    stopped)) != SB_OK)
		return txn_end(s, e);
	return txn_end(s, audit_append(s, phone ? "phone-set" : "phone-unset",
	    "client", client, ""));
}

enum sb_err
store_client_channel(struct store *s, int64_t client, const char *channel)
{
	struct stmt	*st;
	enum sb_err	 e;

	if (channel == NULL || (strcmp(channel, "mail") != 0 &&
	    strcmp(channel, "sms") != 0))
		return fail(s, SB_EINVAL, "channel: mail or sms");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE clients SET channel = ? WHERE id = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "keeping the channel"));
	bind_text_ref(st, 1, channel);
	bind_int64(st, 2, client);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "keeping the channel"));
	return txn_end(s, audit_append(s, "channel-set", "client", client,
	    channel));
}

/* Which ways are on file, in the caller's transaction. */
static SB_MUST enum sb_err
contact_read(struct store *s, int64_t client, struct store_contact *c)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	memset(c, 0, sizeof(*c));
	snprintf(c->channel, sizeof(c->channel), "mail");
	if ((st = stmt(s, "SELECT CASE WHEN email IS NULL THEN 0 ELSE 1 END, "
	    "CASE WHEN phone IS NULL THEN 0 ELSE 1 END, channel FROM clients "
	    "WHERE id = ?")) == NULL)
		return fail_db(s, "reading how to reach the client");
	bind_int64(st, 1, client);
	if ((e = step_row(s, st, &row, "reading how to reach the client")) ==
	    SB_OK && row) {
		c->email = col_int(st, 0) != 0;
		c->phone = col_int(st, 1) != 0;
		snprintf(c->channel, sizeof(c->channel), "%s",
		    strcmp(col_text(st, 2), "sms") == 0 ? "sms" : "mail");
	}
	st_reset(st);
	return e;
}

enum sb_err
store_client_contact(struct store *s, int64_t client, struct store_contact *c)
{
	enum sb_err	 e;

	memset(c, 0, sizeof(*c));
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	return contact_read(s, client, c);
}

/* The channel a client's message goes by: asked, preferred, on file. */
static const char *
channel_pick(const struct store_contact *c, const char *asked)
{
	if (asked != NULL)
		return strcmp(asked, "sms") == 0 ? (c->phone ? "sms" : NULL) :
		    c->email ? "mail" : NULL;
	if (strcmp(c->channel, "sms") == 0 && c->phone)
		return "sms";
	if (c->email)
		return "mail";
	return c->phone ? "sms" : NULL;
}

const char *
care_channel(const struct store_contact *c)
{
	return channel_pick(c, NULL);
}

enum sb_err
care_contact(struct store *s, int64_t client, struct store_contact *c)
{
	return contact_read(s, client, c);
}

enum sb_err
store_link_send(struct store *s, int64_t client, const char *instrument,
    const char *channel, int days, int64_t now, int64_t *link,
    char channel_used[8])
{
	struct store_contact	 c;
	char			 token[TOKEN_HEX + 1];
	const char		*ch, *why;
	int64_t			 id;
	struct stmt		*st;
	enum sb_err		 e;

	channel_used[0] = '\0';
	if (channel != NULL && strcmp(channel, "mail") != 0 &&
	    strcmp(channel, "sms") != 0)
		return fail(s, SB_EINVAL, "channel: mail or sms");
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = care_blocked(s, client, now, &why)) != SB_OK)
		return txn_end(s, e);
	if (why != NULL)
		return txn_end(s, fail(s, SB_EINVAL, "not sent: %s; nothing "
		    "is sent to this client now", store_stop_words(why)));
	if ((e = contact_read(s, client, &c)) != SB_OK)
		return txn_end(s, e);
	if ((ch = channel_pick(&c, channel)) == NULL)
		return txn_end(s, fail(s, SB_EINVAL, channel == NULL ? "not "
		    "sent: the client has no mail address or phone on file" :
		    strcmp(channel, "sms") == 0 ? "not sent: the client has no "
		    "phone on file" : "not sent: the client has no mail "
		    "address on file"));
	if ((e = store_link_create(s, client, instrument, "link", days, now,
	    token, link)) != SB_OK)
		goto out;
	if ((e = outbox_put(s, &(struct outbox_new){ .kind = "link",
	    .link = *link, .channel = ch, .addr = "the client", .now = now },
	    &id)) != SB_OK)
		goto out;
	if ((st = stmt(s, "UPDATE outbox SET token = ? WHERE id = ?")) ==
	    NULL) {
		e = fail_db(s, "keeping the link to send");
		goto out;
	}
	if ((e = bind_sealed(s, st, 1, "outbox", "token", id, token)) !=
	    SB_OK)
		goto out;
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE) {
		e = fail_db(s, "keeping the link to send");
		goto out;
	}
	if ((e = audit_append(s, "queue", "outbox", id, ch)) != SB_OK)
		goto out;
	snprintf(channel_used, 8, "%s", ch);
out:
	sodium_memzero(token, sizeof(token));
	return txn_end(s, e);
}

/* ---- the outbox: leases, resends, escalation ---- */

enum sb_err
store_outbox_reclaim(struct store *s, const char *node, int64_t now,
    size_t *n)
{
	struct stmt	*st;
	enum sb_err	 e;

	*n = 0;
	if (node == NULL || *node == '\0')
		return SB_OK;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	/* The attempt the node died in did not happen: not counted. */
	if ((st = stmt(s, "UPDATE outbox SET next_try = ?1, attempts = CASE "
	    "WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, node = NULL "
	    "WHERE state = 'queued' AND node = ?2 AND next_try > ?1")) == NULL)
		return txn_end(s, fail_db(s, "taking back the leases"));
	bind_int64(st, 1, now);
	bind_text(st, 2, node);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "taking back the leases"));
	*n = (size_t)db_changes(s);
	if (*n == 0)
		return txn_end(s, SB_OK);
	return txn_end(s, audit_append_as(s, ESCALATE_ACTOR, "reclaim",
	    "outbox", 0, node));
}

enum sb_err
store_outbox_resend(struct store *s, int64_t id, int64_t now, size_t *n)
{
	struct stmt	*st;
	enum sb_err	 e;

	*n = 0;
	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin resends messages");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE outbox SET state = 'queued', attempts = 0, "
	    "next_try = ?1, done = NULL, node = NULL WHERE state = 'failed' "
	    "AND (?2 = 0 OR id = ?2)")) == NULL)
		return txn_end(s, fail_db(s, "queueing the message again"));
	bind_int64(st, 1, now);
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "queueing the message again"));
	*n = (size_t)db_changes(s);
	if (id != 0 && *n == 0)
		return txn_end(s, fail(s, SB_ENOENT, "no failed message %lld "
		    "in the outbox", (long long)id));
	return txn_end(s, audit_append(s, "resend", "outbox", id, ""));
}

enum sb_err
store_alert_is_open(struct store *s, int64_t alert, bool *open)
{
	struct stmt	*st;
	bool		 row;
	enum sb_err	 e;

	*open = false;
	if ((st = stmt(s, "SELECT state FROM live_alerts WHERE id = ?")) ==
	    NULL)
		return fail_db(s, "reading the alert");
	bind_int64(st, 1, alert);
	if ((e = step_row(s, st, &row, "reading the alert")) == SB_OK && row)
		*open = strcmp(col_text(st, 0), "open") == 0;
	st_reset(st);
	return e;
}

enum sb_err
store_escalate_minutes(struct store *s, int *minutes)
{
	struct buf	 v;
	long		 n;
	bool		 set;
	enum sb_err	 e;

	*minutes = STORE_ESCALATE_DEFAULT;
	buf_init(&v, 64);
	if ((e = store_setting_get(s, SET_ESCALATE_MINUTES, &v, &set)) ==
	    SB_OK && set && text_int(v.data, v.len, &n) && n >= 1 &&
	    n <= 10080)
		*minutes = (int)n;
	buf_free(&v);
	return e;
}

/* Queues the escalation of one alert (in the caller's transaction). */
static SB_MUST enum sb_err
escalate_one(struct store *s, int64_t alert, int64_t now, bool *done)
{
	struct stmt	*st;
	struct buf	 v;
	int64_t		 id;
	bool		 set, genuine;
	enum sb_err	 e;

	*done = false;
	/* An alert altered from outside is escalated all the same (the
	 * safer error), its alteration recorded and left for audit verify
	 * to show: not sealed over. */
	if ((e = rows_check(s, RT_ALERTS, alert, 0)) != SB_OK &&
	    e != SB_EPERM)
		return e;
	genuine = e == SB_OK;
	if ((st = stmt(s, "UPDATE alerts SET escalated = ? WHERE id = ? AND "
	    "escalated IS NULL AND state = 'open'")) == NULL)
		return fail_db(s, "escalating the alert");
	bind_int64(st, 1, now);
	bind_int64(st, 2, alert);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "escalating the alert");
	if (db_changes(s) != 1)
		return SB_OK;		/* another node did, or it was handled */
	if (genuine && (e = rows_seal(s, RT_ALERTS, alert, 0)) != SB_OK)
		return e;
	*done = true;
	buf_init(&v, STORE_MAX_SETTING + 64);
	if ((e = store_setting_get(s, SET_DUTY_EMAIL, &v, &set)) == SB_OK &&
	    set)
		e = outbox_put(s, &(struct outbox_new){ .kind = "escalation",
		    .alert = alert, .channel = "mail", .addr = v.data,
		    .now = now }, &id);
	if (e == SB_OK && (e = store_setting_get(s, SET_DUTY_PHONE, &v,
	    &set)) == SB_OK && set)
		e = outbox_put(s, &(struct outbox_new){ .kind = "escalation",
		    .alert = alert, .channel = "sms", .addr = v.data,
		    .now = now }, &id);
	buf_wipe(&v);
	if (e != SB_OK)
		return e;
	return audit_append_as(s, ESCALATE_ACTOR, "escalate", "alert", alert,
	    "");
}

enum sb_err
store_escalate(struct store *s, int64_t now, size_t *n)
{
	struct stmt	*st;
	int64_t		 ids[64];
	char		 cut[32];
	time_t		 t;
	struct tm	 tm;
	size_t		 got, i;
	int		 minutes;
	bool		 row, done;
	enum sb_err	 e;

	*n = 0;
	if ((e = store_escalate_minutes(s, &minutes)) != SB_OK)
		return e;
	/* alerts.created is written by now_iso(): ISO text in UTC, which
	 * compares as time. */
	t = (time_t)(now - (int64_t)minutes * 60);
	gmtime_r(&t, &tm);
	strftime(cut, sizeof(cut), "%Y-%m-%dT%H:%M:%SZ", &tm);
	do {
		got = 0;
		if ((st = stmt(s, "SELECT id FROM live_alerts WHERE state = "
		    "'open' AND severity = 'high' AND historic IS NULL AND "
		    "escalated IS NULL AND created <= ? ORDER BY id LIMIT 64"))
		    == NULL)
			return fail_db(s, "finding alerts to escalate");
		bind_text(st, 1, cut);
		while (got < 64 && (e = step_row(s, st, &row,
		    "finding alerts to escalate")) == SB_OK && row)
			ids[got++] = col_int64(st, 0);
		st_reset(st);
		if (e != SB_OK)
			return e;
		for (i = 0; i < got; i++) {
			if ((e = txn_begin(s)) != SB_OK)
				return e;
			if ((e = txn_end(s, escalate_one(s, ids[i], now,
			    &done))) != SB_OK)
				return e;
			*n += done;
		}
	} while (got == 64);
	return SB_OK;
}

enum sb_err
store_delivery_health(struct store *s, int64_t now,
    struct store_delivery_health *h,
    enum sb_err (*fn)(void *, const char *user, size_t clients), void *arg)
{
	static const enum store_setting	 keys[] = { SET_DUTY_EMAIL,
	    SET_DUTY_PHONE, SET_CRISIS_TEXT, SET_SENDING_HELD, SET_SMS_URL };
	bool				*flags[] = { &h->duty_email,
	    &h->duty_phone, &h->crisis, &h->held, &h->sms };
	struct stmt			*st;
	struct buf			 v;
	size_t				 i;
	bool				 row;
	enum sb_err			 e = SB_OK;
	int				 rc;

	memset(h, 0, sizeof(*h));
	if (!s->has_actor || s->actor.role != ROLE_ADMIN)
		return fail(s, SB_EPERM, "only an admin sees the outbox");
	buf_init(&v, STORE_MAX_SETTING + 64);
	for (i = 0; e == SB_OK && i < sizeof(keys) / sizeof(keys[0]); i++)
		e = store_setting_get(s, keys[i], &v, flags[i]);
	buf_wipe(&v);
	if (e != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT coalesce(sum(CASE WHEN state = 'failed' "
	    "THEN 1 ELSE 0 END), 0), coalesce(sum(CASE WHEN state = 'queued' "
	    "AND created < ? THEN 1 ELSE 0 END), 0) FROM outbox WHERE state "
	    "IN ('failed', 'queued')")) == NULL)
		return fail_db(s, "reading the outbox");
	bind_int64(st, 1, now - 3600);
	if ((e = step_row(s, st, &row, "reading the outbox")) == SB_OK && row) {
		h->failed = (size_t)col_int64(st, 0);
		h->stuck = (size_t)col_int64(st, 1);
	}
	st_reset(st);
	if (e != SB_OK || fn == NULL)
		return e;
	if ((st = stmt(s, "SELECT u.name, count(c.id) FROM users u JOIN "
	    "clients c ON c.owner_id = u.id WHERE u.active = 1 AND u.role = "
	    "'therapist' AND u.email IS NULL GROUP BY u.name ORDER BY "
	    "u.name")) == NULL)
		return fail_db(s, "reading the therapists");
	while ((rc = st_step(st)) == BE_ROW)
		if ((e = fn(arg, col_text(st, 0), (size_t)col_int64(st, 1))) !=
		    SB_OK)
			break;
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the therapists");
	st_reset(st);
	return e;
}

enum sb_err
store_sending_hold(struct store *s, const char *why)
{
	return store_setting_set(s, SET_SENDING_HELD, why);
}

enum sb_err
store_sending_held(struct store *s, bool *held, char *why, size_t whysz)
{
	struct buf	 v;
	enum sb_err	 e;

	buf_init(&v, STORE_MAX_SETTING + 64);
	if ((e = store_setting_get(s, SET_SENDING_HELD, &v, held)) == SB_OK &&
	    *held && why != NULL)
		snprintf(why, whysz, "%s", v.data);
	buf_free(&v);
	return e;
}

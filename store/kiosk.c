/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * kiosk.c - the waiting room's tablet: the questionnaires queued for a
 * day, each with its link's token and the client's code sealed for
 * (kiosk_queue, token or code, id), so that neither can be read from the
 * database nor moved to another entry.  See kiosk.h.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/text.h"
#include "store/kiosk.h"
#include "store/store_int.h"

/* The day of now (UTC), YYYY-MM-DD: the queue's days. */
static void
day_of(int64_t now, char out[11])
{
	char	 iso[32];

	if (!text_iso_from_seconds(now, iso, sizeof(iso)))
		snprintf(iso, sizeof(iso), "0000-00-00");
	snprintf(out, 11, "%.10s", iso);
}

static bool
is_kiosk(const struct store *s)
{
	return s->has_actor && s->actor.role == ROLE_KIOSK;
}

enum sb_err
store_kiosk_queue(struct store *s, int64_t client, const char *instrument,
    int64_t now, char code[KIOSK_CODE + 1], int64_t *id)
{
	char		 today[11], token[TOKEN_HEX + 1];
	struct stmt	*st;
	int64_t		 link;
	enum sb_err	 e;

	/* Today's appointments: a code given out for later would wait in
	 * the tablet's list for days. */
	day_of(now, today);
	if ((e = client_access_logged(s, client, true)) != SB_OK)
		return e;
	snprintf(code, KIOSK_CODE + 1, "%04u", (unsigned)
	    randombytes_uniform(10000));
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = store_link_create(s, client, instrument, "in-session", 1, now,
	    token, &link)) != SB_OK ||
	    (e = next_id(s, "SELECT coalesce(max(id), 0) FROM kiosk_queue",
	    id)) != SB_OK)
		goto out;
	if ((st = stmt(s, "INSERT INTO kiosk_queue (id, client_id, link_id, "
	    "day, token, code, created_by, created) VALUES (?, ?, ?, ?, ?, ?, "
	    "?, ?)")) == NULL) {
		e = fail_db(s, "queueing for the tablet");
		goto out;
	}
	bind_int64(st, 1, *id);
	bind_int64(st, 2, client);
	bind_int64(st, 3, link);
	bind_text(st, 4, today);
	if ((e = bind_sealed(s, st, 5, "kiosk_queue", "token", *id, token)) !=
	    SB_OK || (e = bind_sealed(s, st, 6, "kiosk_queue", "code", *id,
	    code)) != SB_OK) {
		st_reset(st);
		goto out;
	}
	bind_int64(st, 7, s->actor.id);
	bind_int64(st, 8, now);
	if (st_step(st) != BE_DONE)
		e = fail_db(s, "queueing for the tablet");
	else
		e = audit_append(s, "kiosk-queue", "client", client,
		    instrument);
out:
	sodium_memzero(token, sizeof(token));
	return txn_end(s, e);
}

/* The first word of name into first, and the first letter of its last
 * word into initial (empty for a name of one word). */
static void
name_parts(const char *name, struct store_kiosk_entry *k)
{
	const char	*sp = strchr(name, ' '), *last = strrchr(name, ' ');
	size_t		 n = sp != NULL ? (size_t)(sp - name) : strlen(name);
	size_t		 m = 1;

	if (n >= sizeof(k->first))
		n = sizeof(k->first) - 1;
	memcpy(k->first, name, n);
	k->first[n] = '\0';
	k->initial[0] = '\0';
	if (last == NULL || last[1] == '\0')
		return;
	/* One letter, however many bytes its UTF-8 takes. */
	while (last[1 + m] != '\0' && ((unsigned char)last[1 + m] & 0xc0) ==
	    0x80 && m < sizeof(k->initial) - 1)
		m++;
	memcpy(k->initial, last + 1, m);
	k->initial[m] = '\0';
}

enum sb_err
store_kiosk_each(struct store *s, int64_t now,
    enum sb_err (*fn)(void *, const struct store_kiosk_entry *), void *arg)
{
	struct store_kiosk_entry	 k;
	struct stmt			*st;
	struct buf			 name;
	char				 detail[48], day[11];
	bool				 row;
	size_t				 n = 0;
	enum sb_err			 e;

	if (!is_kiosk(s))
		return fail(s, SB_EPERM, "the tablet's list is a kiosk's");
	day_of(now, day);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT q.id, c.id, c.name FROM kiosk_queue q JOIN "
	    "clients c ON c.id = q.client_id JOIN links l ON l.id = q.link_id "
	    "WHERE q.day = ? AND q.opened IS NULL AND q.tries < ? AND "
	    "l.cancelled IS NULL AND l.administration_id IS NULL ORDER BY "
	    "q.id")) == NULL)
		return txn_end(s, fail_db(s, "reading the tablet's list"));
	bind_text(st, 1, day);
	bind_int64(st, 2, KIOSK_TRIES);
	buf_init(&name, STORE_MAX_FIELD + 64);
	while ((e = step_row(s, st, &row, "reading the tablet's list")) ==
	    SB_OK && row) {
		memset(&k, 0, sizeof(k));
		k.id = col_int64(st, 0);
		if ((e = column_opened(s, st, 2, "clients", "name",
		    col_int64(st, 1), &name)) != SB_OK)
			break;
		name_parts(name.data, &k);
		n++;
		if ((e = fn(arg, &k)) != SB_OK)
			break;
	}
	st_reset(st);
	buf_wipe(&name);
	snprintf(detail, sizeof(detail), "%zu first names", n);
	if (e == SB_OK)
		e = audit_append(s, "read", "kiosk", 0, detail);
	return txn_end(s, e);
}

enum sb_err
store_kiosk_client(struct store *s, int64_t client, int64_t now,
    enum sb_err (*fn)(void *, const struct store_kiosk_queued *), void *arg)
{
	struct store_kiosk_queued	 q;
	struct stmt			*st;
	struct buf			 code;
	char				 day[11];
	bool				 row;
	size_t				 n = 0;
	enum sb_err			 e;

	day_of(now, day);
	if ((e = client_access_logged(s, client, false)) != SB_OK)
		return e;
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT q.id, l.instrument, q.day, q.code, q.tries, "
	    "q.opened IS NOT NULL FROM kiosk_queue q JOIN links l ON l.id = "
	    "q.link_id WHERE q.client_id = ? AND q.day = ? ORDER BY q.id")) ==
	    NULL)
		return txn_end(s, fail_db(s, "reading the tablet's queue"));
	bind_int64(st, 1, client);
	bind_text(st, 2, day);
	buf_init(&code, 256);
	while ((e = step_row(s, st, &row, "reading the tablet's queue")) ==
	    SB_OK && row) {
		memset(&q, 0, sizeof(q));
		q.id = col_int64(st, 0);
		snprintf(q.instrument, sizeof(q.instrument), "%s",
		    col_text(st, 1));
		snprintf(q.day, sizeof(q.day), "%s", col_text(st, 2));
		if ((e = column_opened(s, st, 3, "kiosk_queue", "code", q.id,
		    &code)) != SB_OK)
			break;
		snprintf(q.code, sizeof(q.code), "%s", code.data);
		q.tries = col_int(st, 4);
		q.opened = col_int(st, 5) != 0;
		n++;
		if ((e = fn(arg, &q)) != SB_OK)
			break;
	}
	st_reset(st);
	buf_wipe(&code);
	if (e == SB_OK && n > 0)
		e = audit_append(s, "read", "kiosk", client, "");
	return txn_end(s, e);
}

/* A wrong code counted, in its own commit: the refusal stands even
 * though the try failed.  *left: the tries left. */
static SB_MUST enum sb_err
wrong_code(struct store *s, int64_t id, int tries, int *left)
{
	struct stmt	*st;
	enum sb_err	 e;

	if ((st = stmt(s, "UPDATE kiosk_queue SET tries = tries + 1 WHERE id "
	    "= ?")) == NULL)
		return txn_end(s, fail_db(s, "counting a wrong code"));
	bind_int64(st, 1, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "counting a wrong code"));
	*left = KIOSK_TRIES - (tries + 1);
	if ((e = txn_end(s, audit_append(s, "kiosk-wrong-code", "kiosk_queue",
	    id, *left == 0 ? "closed" : ""))) != SB_OK)
		return e;
	return fail(s, SB_EINVAL, "that code is not the one given");
}

enum sb_err
store_kiosk_open(struct store *s, int64_t id, const char *code,
    int64_t now, char token[TOKEN_HEX + 1], int *left)
{
	struct stmt	*st;
	struct buf	 kept;
	char		 day[11];
	bool		 row, right;
	int		 tries;
	enum sb_err	 e;

	*left = 0;
	if (!is_kiosk(s))
		return fail(s, SB_EPERM, "only the tablet opens its queue");
	day_of(now, day);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((st = stmt(s, "SELECT q.code, q.token, q.tries FROM kiosk_queue q "
	    "JOIN links l ON l.id = q.link_id WHERE q.id = ? AND q.day = ? AND "
	    "q.opened IS NULL AND q.tries < ? AND l.cancelled IS NULL AND "
	    "l.administration_id IS NULL")) == NULL)
		return txn_end(s, fail_db(s, "finding the entry"));
	bind_int64(st, 1, id);
	bind_text(st, 2, day);
	bind_int64(st, 3, KIOSK_TRIES);
	if ((e = step_row(s, st, &row, "finding the entry")) != SB_OK ||
	    !row) {
		st_reset(st);
		return txn_end(s, e != SB_OK ? e : fail(s, SB_ENOENT, "nothing "
		    "is waiting under that name now"));
	}
	tries = col_int(st, 2);
	buf_init(&kept, 256);
	if ((e = column_opened(s, st, 0, "kiosk_queue", "code", id, &kept)) !=
	    SB_OK) {
		st_reset(st);
		buf_wipe(&kept);
		return txn_end(s, e);
	}
	right = code != NULL && strlen(code) == KIOSK_CODE &&
	    sodium_memcmp(code, kept.data, KIOSK_CODE) == 0;
	if (right && (e = column_opened(s, st, 1, "kiosk_queue", "token", id,
	    &kept)) == SB_OK) {
		if (strlen(kept.data) == TOKEN_HEX)
			memcpy(token, kept.data, TOKEN_HEX + 1);
		else
			e = fail(s, SB_EPERM, "kiosk_queue %lld: the link "
			    "cannot be read", (long long)id);
	}
	st_reset(st);
	buf_wipe(&kept);
	if (e != SB_OK)
		return txn_end(s, e);
	if (!right)
		return wrong_code(s, id, tries, left);
	if ((st = stmt(s, "UPDATE kiosk_queue SET opened = ? WHERE id = ?")) ==
	    NULL)
		return txn_end(s, fail_db(s, "opening the entry"));
	bind_int64(st, 1, now);
	bind_int64(st, 2, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "opening the entry"));
	*left = KIOSK_TRIES - tries;
	return txn_end(s, audit_append(s, "kiosk-open", "kiosk_queue", id, ""));
}

enum sb_err
store_link_kiosk(struct store *s, int64_t link, bool *kiosk)
{
	struct stmt	*st;
	enum sb_err	 e;

	*kiosk = false;
	if ((st = stmt(s, "SELECT 1 FROM kiosk_queue WHERE link_id = ?")) ==
	    NULL)
		return fail_db(s, "finding the link's queue");
	bind_int64(st, 1, link);
	e = step_row(s, st, kiosk, "finding the link's queue");
	st_reset(st);
	return e;
}

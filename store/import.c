/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * import.c - long imports in short transactions, all or nothing.
 *
 * An import of 400,000 rows took 37 s in one transaction, and every other
 * writer (a client answering a link) failed behind it.  Here it commits
 * in slices of IMPORT_SLICE_MS and pauses between them, so others wait
 * about one slice; what it writes carries its id (administrations and
 * alerts .import_id) and the live_ views hide it while imports.state is
 * 'open'.  One short transaction marks it 'done', and all of it appears
 * at once.  Anything that stops it (an error, a kill, a full disk)
 * leaves an open import whose rows nobody sees, deleted by the abandon
 * path or by the next import.  See store.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "store/store_int.h"

/* Lets writers waiting for the lock (every 2 ms, db.c) take it. */
static void
pause_for_others(void)
{
	struct timespec	 nap = { 0, IMPORT_PAUSE_MS * 1000 * 1000 };

	nanosleep(&nap, NULL);
}

static struct batch_client *
note_entry(struct store *s, int64_t client, const char *instrument)
{
	struct batch_client	*b;
	size_t			 i, cap;

	for (i = s->nbc; i-- > 0;)
		if (s->bc[i].client == client && (instrument == NULL ||
		    strcmp(s->bc[i].instrument, instrument) == 0))
			return &s->bc[i];
	if (instrument == NULL)
		instrument = "";
	if (strlen(instrument) >= sizeof(s->bc[0].instrument)) {
		(void)!fail(s, SB_EINVAL,
		    "an instrument id of %zu bytes is too long",
		    strlen(instrument));
		return NULL;
	}
	if (s->nbc == s->capbc) {
		cap = s->capbc ? s->capbc * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*b) ||
		    (b = realloc(s->bc, cap * sizeof(*b))) == NULL) {
			(void)!fail(s, SB_ENOMEM, "out of memory");
			return NULL;
		}
		s->bc = b;
		s->capbc = cap;
	}
	b = &s->bc[s->nbc++];
	memset(b, 0, sizeof(*b));
	b->client = client;
	snprintf(b->instrument, sizeof(b->instrument), "%s", instrument);
	return b;
}

enum sb_err
import_note(struct store *s, int64_t client, const char *instrument,
    int64_t id)
{
	struct batch_client	*b;

	if ((b = note_entry(s, client, instrument)) == NULL)
		return SB_ENOMEM;
	if (b->n++ == 0)
		b->first = id;
	b->last = id;
	return SB_OK;
}

enum sb_err
import_note_alert(struct store *s, int64_t client)
{
	struct batch_client	*b;

	if ((b = note_entry(s, client, NULL)) == NULL)
		return SB_ENOMEM;
	b->alerts++;
	return SB_OK;
}

/*
 * Deletes what import id wrote, a slice per transaction, then marks it
 * abandoned with an audit row saying how much went.  Alerts first: they
 * point at the administrations.
 */
static SB_MUST enum sb_err
import_delete(struct store *s, int64_t id)
{
	static const char *const del[] = {
		"DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE "
		"import_id = ? ORDER BY id LIMIT 2000)",
		"DELETE FROM administrations WHERE id IN (SELECT id FROM "
		"administrations WHERE import_id = ? ORDER BY id LIMIT 2000)",
	};
	/* The same rows, taken out of their tables' seals first. */
	static const char *const macs[] = {
		"SELECT mac FROM alerts WHERE id IN (SELECT id FROM alerts "
		"WHERE import_id = ? ORDER BY id LIMIT 2000)",
		"SELECT mac FROM administrations WHERE id IN (SELECT id FROM "
		"administrations WHERE import_id = ? ORDER BY id LIMIT 2000)",
	};
	static const enum rowtab tab[] = { RT_ALERTS, RT_ADMINISTRATIONS };
	struct stmt	*st;
	int64_t		 gone[2] = { 0, 0 };
	char		 detail[96];
	size_t		 i;
	int64_t		 n;
	enum sb_err	 e;

	for (i = 0; i < 2; i++)
		do {
			if ((e = txn_begin(s)) != SB_OK)
				return e;
			if ((e = rows_drop_where(s, tab[i], macs[i], id)) !=
			    SB_OK)
				return txn_end(s, e);
			if ((st = stmt(s, del[i])) == NULL)
				return txn_end(s, fail_db(s, "deleting an "
				    "unfinished import"));
			bind_int64(st, 1, id);
			if (st_step(st) != BE_DONE)
				return txn_end(s, fail_db(s, "deleting an "
				    "unfinished import"));
			n = db_changes(s);
			gone[i] += n;
			if ((e = txn_end(s, SB_OK)) != SB_OK)
				return e;
			if (n > 0)
				pause_for_others();
		} while (n > 0);
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	if ((e = rows_check(s, RT_IMPORTS, id, 0)) != SB_OK)
		return txn_end(s, e);
	if ((st = stmt(s, "UPDATE imports SET state = 'abandoned' WHERE id = "
	    "?")) == NULL)
		return txn_end(s, fail_db(s, "closing an unfinished import"));
	bind_int64(st, 1, id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "closing an unfinished import"));
	if ((e = rows_seal(s, RT_IMPORTS, id, 0)) != SB_OK)
		return txn_end(s, e);
	snprintf(detail, sizeof(detail), "unfinished: %lld administrations "
	    "and %lld alerts deleted, never shown", (long long)gone[1],
	    (long long)gone[0]);
	return txn_end(s, audit_append(s, "abandon", "import", id, detail));
}

/* Imports left open by a process that died (untouched for long). */
static SB_MUST enum sb_err
import_sweep(struct store *s)
{
	struct stmt	*st;
	int64_t		 ids[16];
	size_t		 n = 0, i;
	int		 rc;
	enum sb_err	 e;

	if ((st = stmt(s, "SELECT id FROM imports WHERE state = 'open' AND "
	    "touched < ? ORDER BY id LIMIT 16")) == NULL)
		return fail_db(s, "reading unfinished imports");
	bind_int64(st, 1, clock_now() - IMPORT_STALE_S);
	while (n < 16 && (rc = st_step(st)) == BE_ROW)
		ids[n++] = col_int64(st, 0);
	st_reset(st);
	if (n < 16 && rc != BE_DONE)
		return fail_db(s, "reading unfinished imports");
	for (i = 0; i < n; i++)
		if ((e = import_delete(s, ids[i])) != SB_OK)
			return e;
	return SB_OK;
}

enum sb_err
store_import_begin(struct store *s)
{
	struct stmt	*st;
	char		 at[32];
	enum sb_err	 e;

	if (s->import_id != 0)
		return fail(s, SB_EINVAL, "an import is already open");
	if (s->depth != 0)
		return fail(s, SB_EINVAL, "an import begins outside any "
		    "transaction");
	if (!s->has_actor)
		return fail(s, SB_EPERM, "an import needs a user");
	if ((e = import_sweep(s)) != SB_OK)
		return e;
	/* Its own commit: the row must be there for a sweep to find. */
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	now_iso(at);
	if ((st = stmt(s, "INSERT INTO imports (state, started, touched, "
	    "created_by) VALUES ('open', ?, ?, ?)")) == NULL)
		return txn_end(s, fail_db(s, "starting the import"));
	bind_text(st, 1, at);
	bind_int64(st, 2, clock_now());
	bind_int64(st, 3, s->actor.id);
	if (st_step(st) != BE_DONE)
		return txn_end(s, fail_db(s, "starting the import"));
	s->import_id = db_last_id(s);
	if ((e = rows_seal(s, RT_IMPORTS, s->import_id, 0)) != SB_OK) {
		s->import_id = 0;
		return txn_end(s, e);
	}
	if ((e = txn_end(s, SB_OK)) != SB_OK) {
		s->import_id = 0;
		return e;
	}
	s->nbc = 0;
	s->nimp_ok = 0;
	s->ids_next = s->ids_n = 0;
	if ((e = store_slices_begin(s)) != SB_OK) {
		store_import_abandon(s);
		return e;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
import_touch(struct store *s, const char *state)
{
	struct stmt	*st;
	enum sb_err	 e;
	int64_t		 rows = 0;
	size_t		 i;

	for (i = 0; i < s->nbc; i++)
		rows += s->bc[i].n;
	/* Its state is sealed (done shows its rows); its clock is not. */
	if (strcmp(state, "open") != 0 && (e = rows_check(s, RT_IMPORTS,
	    s->import_id, 0)) != SB_OK)
		return e;
	if ((st = stmt(s, "UPDATE imports SET state = ?, touched = ?, rows = "
	    "? WHERE id = ? AND state = 'open'")) == NULL)
		return fail_db(s, "recording the import");
	bind_text_ref(st, 1, state);
	bind_int64(st, 2, clock_now());
	bind_int64(st, 3, rows);
	bind_int64(st, 4, s->import_id);
	if (st_step(st) != BE_DONE)
		return fail_db(s, "recording the import");
	/* A sweep by another process took it for dead: it is gone. */
	if (db_changes(s) != 1)
		return fail(s, SB_EIO, "import %lld was taken for abandoned "
		    "and deleted", (long long)s->import_id);
	if (strcmp(state, "open") != 0)
		return rows_seal(s, RT_IMPORTS, s->import_id, 0);
	return SB_OK;
}

enum sb_err
store_import_step(struct store *s)
{
	enum sb_err	 e;

	if (s->import_id == 0 || s->depth != 1)
		return fail(s, SB_EINVAL, "no import slice is open here");
	if (!slice_due(s))
		return SB_OK;
	if ((e = import_touch(s, "open")) != SB_OK ||
	    (e = slice_next(s)) != SB_OK) {
		store_import_abandon(s);
		return e;
	}
	return SB_OK;
}

/* Mail for the import's urgent alerts, as store_alert_raise() would
 * have queued it for each (historic ones are shown, not sent). */
static SB_MUST enum sb_err
import_mail(struct store *s)
{
	struct stmt	*st;
	int64_t		 now = clock_now();
	int		 rc, nq;
	enum sb_err	 e = SB_OK;

	if ((st = stmt(s, "SELECT id, client_id FROM alerts WHERE import_id = "
	    "? AND severity = 'high' AND historic IS NULL ORDER BY id")) ==
	    NULL)
		return fail_db(s, "reading the import's alerts");
	bind_int64(st, 1, s->import_id);
	while (e == SB_OK && (rc = st_step(st)) == BE_ROW)
		e = outbox_for_alert(s, col_int64(st, 1),
		    col_int64(st, 0), now, &nq);
	if (e == SB_OK && rc != BE_DONE)
		e = fail_db(s, "reading the import's alerts");
	st_reset(st);
	return e;
}

enum sb_err
store_import_finish(struct store *s, enum sb_err (*each_client)(void *,
    struct store *, int64_t client), void *arg, int64_t *import_id)
{
	struct batch_client	*b;
	char			 detail[160];
	size_t			 i, j;
	enum sb_err		 e;

	*import_id = 0;
	if (s->import_id == 0 || s->depth != 1)
		return fail(s, SB_EINVAL, "no import is open here");
	if ((e = import_touch(s, "done")) != SB_OK ||
	    (e = import_mail(s)) != SB_OK)
		goto fail;
	for (i = 0; i < s->nbc; i++) {
		b = &s->bc[i];
		if (b->n > 0 && (e = latest_refresh(s, b->client,
		    b->instrument)) != SB_OK)
			goto fail;
		snprintf(detail, sizeof(detail), "import %lld: %lld "
		    "administrations of %s, ids %lld..%lld; %lld alerts",
		    (long long)s->import_id, (long long)b->n, b->instrument,
		    (long long)b->first, (long long)b->last,
		    (long long)b->alerts);
		if ((e = audit_append(s, "import", "client", b->client,
		    detail)) != SB_OK)
			goto fail;
	}
	/* Once per client, however many instruments. */
	for (i = 0; each_client != NULL && i < s->nbc; i++) {
		for (j = 0; j < i && s->bc[j].client != s->bc[i].client; j++)
			;
		if (j == i && (e = each_client(arg, s, s->bc[i].client)) !=
		    SB_OK)
			goto fail;
	}
	if (s->depth != 1) {
		e = fail(s, SB_EINVAL, "the import's transaction was ended "
		    "inside it");
		goto fail;
	}
	if ((e = store_slices_end(s, SB_OK)) != SB_OK)
		goto fail;
	*import_id = s->import_id;
	s->import_id = 0;
	s->nimp_ok = 0;
	s->nbc = 0;
	return SB_OK;
fail:
	store_import_abandon(s);
	return e;
}

void
store_import_abandon(struct store *s)
{
	int64_t	 id = s->import_id;
	char	 err[sizeof(s->err)];

	if (id == 0)
		return;
	/* The caller wants the first error, not the clean-up's. */
	memcpy(err, s->err, sizeof(err));
	s->slicing = false;
	if (s->depth > 0) {
		s->depth = 1;
		(void)!txn_end(s, SB_EINVAL);	/* undoes it: err is kept */
	}
	s->import_id = 0;
	s->nimp_ok = 0;
	s->nbc = 0;
	/* If this fails too, the rows stay hidden and the next import's
	 * sweep deletes them. */
	(void)!import_delete(s, id);
	memcpy(s->err, err, sizeof(err));
}

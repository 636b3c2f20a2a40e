/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * stmt.c - the bottom of the store: statements through the backend's
 * table, transactions (nested, undone whole on any failure), the end of
 * rows told from an error (step_row), long writes in slices, and the
 * checks and seals every record module applies to what it binds and
 * reads.  Nothing here knows a record; see store_int.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/text.h"
#include "store/store_int.h"

enum sb_err
fail(struct store *s, enum sb_err e, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof(s->err), fmt, ap);
	va_end(ap);
	s->tampered = false;
	return e;
}

enum sb_err
fail_db(struct store *s, const char *what)
{
	enum be_rc	 rc = s->be->drv->errclass(s->conn);
	const char	*msg = s->be->drv->errmsg(s->conn);

#ifdef SB_FAULTS
	if (fault_taken() != NULL) {
		msg = fault_taken();
		rc = BE_ERROR;
	}
#endif
	snprintf(s->err, sizeof(s->err), "%s: %s", what, msg);
	s->tampered = false;
	/* Kept until the request ends: whatever the caller makes of the
	 * error ("no such link"), the answer is "not now" (web/server.c). */
	if (s->be->drv->gone != NULL && s->be->drv->gone(s->conn))
		s->away = true;
	if (rc == BE_NOMEM)
		return SB_ENOMEM;
	if (rc == BE_CONSTRAINT)
		return SB_EINVAL;
	return SB_EIO;
}

const char *
store_errmsg(const struct store *s)
{
	return s->err;
}

bool
store_tampered(const struct store *s)
{
	return s->tampered;
}

bool
store_away(const struct store *s)
{
	return s->away;
}

struct stmt *
stmt(struct store *s, const char *sql)
{
	struct stmt_slot	*c;
	struct stmt		*st;
	size_t			 i, cap;

	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].sql == sql) {
			st = s->cache[i].st;
			st->bad = false;
			s->be->drv->reset(st->h, true);
			return st;
		}
	if (s->ncache == s->capcache) {
		cap = s->capcache ? s->capcache * 2 : 128;
		if ((c = realloc(s->cache, cap * sizeof(*c))) == NULL)
			return NULL;	/* the caller's fail_db says why */
		s->cache = c;
		s->capcache = cap;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->be = s->be;
	if (s->be->drv->prepare(s->conn, sql, true, &st->h) != BE_OK) {
		free(st);
		return NULL;
	}
	s->cache[s->ncache].sql = sql;
	s->cache[s->ncache].st = st;
	s->ncache++;
	return st;
}

enum be_rc
st_prepare(struct store *s, const char *sql, struct stmt **out)
{
	struct stmt	*st;
	enum be_rc	 rc;

	if ((*out = st = calloc(1, sizeof(*st))) == NULL)
		return BE_NOMEM;
	st->be = s->be;
	if ((rc = s->be->drv->prepare(s->conn, sql, false, &st->h)) != BE_OK) {
		free(st);
		*out = NULL;
	}
	return rc;
}

void
st_finalize(struct stmt *st)
{
	if (st == NULL)
		return;
	st->be->drv->finalize(st->h);
	free(st);
}

enum be_rc
db_exec(struct store *s, const char *sql)
{
	return s->be->drv->exec(s->conn, sql);
}

void
stmt_reset_all(struct store *s)
{
	size_t	 i;

	for (i = 0; i < s->ncache; i++)
		st_reset(s->cache[i].st);
}

enum sb_err
txn_begin(struct store *s)
{
	if (s->depth++ > 0)
		return SB_OK;
	if (db_exec(s, s->be->sql->begin_write) != BE_OK) {
		s->depth = 0;
		return fail_db(s, "starting a transaction");
	}
	return SB_OK;
}

static void
forget(struct store *s)
{
	s->head_cached = s->head_dirty = false;
	s->acc_client = 0;
	s->ids_local = 0;	/* another writer may come between */
	if (s->hooks != NULL)
		s->hooks->forget(s);
}

/*
 * A row found altered inside the transaction just ended (rows.c): its
 * record, in a transaction of its own, so that the refusal's ROLLBACK
 * does not take it too.  e and the error message are kept.
 */
static SB_MUST enum sb_err
altered_record(struct store *s, enum sb_err e)
{
	char	 msg[sizeof(s->err)], table[sizeof(s->alt_table)];

	if (s->alt_table[0] == '\0' || s->hooks == NULL)
		return e;
	memcpy(table, s->alt_table, sizeof(table));
	s->alt_table[0] = '\0';
	memcpy(msg, s->err, sizeof(msg));
	if (txn_begin(s) == SB_OK)
		(void)!txn_end(s, s->hooks->altered(s, table, s->alt_id));
	memcpy(s->err, msg, sizeof(msg));
	return e;
}

enum sb_err
txn_end(struct store *s, enum sb_err e)
{
	if (s->depth == 0)
		return e;
	/* A read inside a page view has nothing to undo, and the view's
	 * snapshot and kept audit rows must outlive a refused read. */
	if (s->viewing && s->depth > 1) {
		s->depth--;
		return e;
	}
	if (e == SB_OK && s->depth == 1 && s->hooks != NULL)
		e = s->hooks->flush(s);
	if (e != SB_OK) {
		/* Any failure inside undoes the whole transaction. */
		s->depth = 0;
		forget(s);
		if (s->be->drv->in_txn(s->conn))
			db_exec(s, "ROLLBACK");
		return altered_record(s, e);
	}
	if (--s->depth > 0)
		return SB_OK;
	forget(s);
	if (db_exec(s, "COMMIT") != BE_OK) {
		e = fail_db(s, "committing");
		db_exec(s, "ROLLBACK");
		return e;
	}
	return altered_record(s, e);
}

enum sb_err
step_row(struct store *s, struct stmt *st, bool *row, const char *what)
{
	enum be_rc	 rc = st_step(st);

	*row = rc == BE_ROW;
	if (rc == BE_ROW || rc == BE_DONE)
		return SB_OK;
	return fail_db(s, what);
}

bool
slice_due(struct store *s)
{
	struct timespec	 now;

	if (!s->slicing || s->depth != 1)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - s->slice_start.tv_sec) * 1000 +
	    (now.tv_nsec - s->slice_start.tv_nsec) / 1000000 >=
	    IMPORT_SLICE_MS;
}

enum sb_err
slice_next(struct store *s)
{
	struct timespec	 nap = { 0, IMPORT_PAUSE_MS * 1000 * 1000 };
	enum sb_err	 e;

	if ((e = txn_end(s, SB_OK)) != SB_OK) {
		s->slicing = false;
		return e;
	}
	/* Writers waiting for the lock look every 2 ms (busy_wait): this
	 * is their turn. */
	nanosleep(&nap, NULL);
	if ((e = txn_begin(s)) != SB_OK) {
		s->slicing = false;
		return e;
	}
	clock_gettime(CLOCK_MONOTONIC, &s->slice_start);
	return SB_OK;
}

enum sb_err
store_slices_begin(struct store *s)
{
	enum sb_err	 e;

	if (s->depth != 0 || s->slicing)
		return fail(s, SB_EINVAL, "slices begin outside any "
		    "transaction");
	if ((e = txn_begin(s)) != SB_OK)
		return e;
	s->slicing = true;
	clock_gettime(CLOCK_MONOTONIC, &s->slice_start);
	return SB_OK;
}

enum sb_err
store_slices_step(struct store *s)
{
	return slice_due(s) ? slice_next(s) : SB_OK;
}

enum sb_err
store_slices_end(struct store *s, enum sb_err e)
{
	s->slicing = false;
	return txn_end(s, e);
}

enum sb_err
store_begin(struct store *s)
{
	return txn_begin(s);
}

enum sb_err
store_commit(struct store *s)
{
	return txn_end(s, SB_OK);
}

void
store_rollback(struct store *s)
{
	(void)!txn_end(s, SB_EINVAL);	/* a rollback: nothing to report */
}

void
now_iso(char out[32])
{
	time_t		 t = (time_t)clock_now();
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool
in_set(const char *v, const char *const *set)
{
	for (; *set != NULL; set++)
		if (v != NULL && strcmp(v, *set) == 0)
			return true;
	return false;
}

bool
text_ok(const char *s, size_t max)
{
	size_t	 n = strlen(s);

	return n <= max && utf8_valid(s, n);
}

/*
 * A name or label: one line of any Unicode text but control characters
 * (a line break or tab in a name forged rows wherever it was listed),
 * kept without the spaces around it.  *res is the trimmed text in out,
 * or NULL when an optional one is absent or blank.
 */
enum sb_err
name_check(struct store *s, const char *what, const char *t, bool required,
    char out[STORE_MAX_FIELD + 1], const char **res)
{
	size_t	 n = t != NULL ? strlen(t) : 0;
	long	 at;

	*res = NULL;
	text_trim(&t, &n);
	if (n == 0) {
		if (required)
			return fail(s, SB_EINVAL, "%s is empty", what);
		return SB_OK;
	}
	if (n > STORE_MAX_FIELD)
		return fail(s, SB_ELIMIT, "%s is longer than %d bytes", what,
		    STORE_MAX_FIELD);
	if (!utf8_valid(t, n))
		return fail(s, SB_EINVAL, "%s is not valid UTF-8", what);
	if ((at = text_control_at(t, n, false)) >= 0)
		return fail(s, SB_EINVAL, "%s holds a control character (a "
		    "line break, tab or the like) at byte %ld: a name is one "
		    "line", what, at + 1);
	if ((at = text_bidi_unpaired(t, n)) >= 0)
		return fail(s, SB_EINVAL, "%s holds a direction mark (U+202A-"
		    "U+202E, U+2066-U+2069) left open or unopened at byte %ld: "
		    "it would reorder what is shown after it", what, at + 1);
	memcpy(out, t, n);
	out[n] = '\0';
	*res = out;
	return SB_OK;
}

/* YYYY, YYYY-MM or YYYY-MM-DD with a real month and day. */
bool
date_ok(const char *s)
{
	return text_date_ok(s);
}

enum sb_err
next_id(struct store *s, const char *sql, int64_t *id)
{
	struct stmt	*st;

	if ((st = stmt(s, sql)) == NULL || st_step(st) != BE_ROW)
		return fail_db(s, "allocating an id");
	*id = col_int64(st, 0) + 1;
	st_reset(st);
	return SB_OK;
}

enum sb_err
bind_sealed(struct store *s, struct stmt *st, int i, const char *table,
    const char *column, int64_t id, const char *text)
{
	struct buf	 b;
	enum sb_err	 e;

	if (text == NULL) {
		bind_null(st, i);
		return SB_OK;
	}
	buf_init(&b, SEAL_MAX + 64);
	if ((e = field_seal(s->keys, table, column, id, text, strlen(text),
	    &b)) != SB_OK) {
		buf_free(&b);
		return fail(s, e, "cannot encrypt %s.%s", table, column);
	}
	bind_blob(st, i, b.data, b.len);
	buf_free(&b);
	return SB_OK;
}

enum sb_err
column_opened_null(struct store *s, struct stmt *st, int col,
    const char *table, const char *column, int64_t id, struct buf *out,
    const char **text)
{
	enum sb_err	 e;

	*text = NULL;
	if (col_null(st, col))
		return SB_OK;
	if ((e = column_opened(s, st, col, table, column, id, out)) == SB_OK)
		*text = out->data;
	return e;
}

enum sb_err
column_opened(struct store *s, struct stmt *st, int col, const char *table,
    const char *column, int64_t id, struct buf *out)
{
	const void	*p = col_blob(st, col);
	size_t		 n = col_bytes(st, col);

	if (col_null(st, col)) {
		buf_reset(out);
		return buf_add(out, "", 0);
	}
	if (field_open(s->keys, table, column, id, p, n, out) !=
	    SB_OK)
		return fail(s, SB_EPERM, "%s %lld: %s cannot be decrypted "
		    "(altered, moved, or another key)", table, (long long)id,
		    column);
	return SB_OK;
}

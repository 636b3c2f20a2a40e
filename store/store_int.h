/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_int.h - what the store modules share and nothing outside store/
 * may include: the handle, statement and transaction helpers.
 */
#ifndef SB_STORE_INT_H
#define SB_STORE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "store/backend.h"
#include "store/crypto.h"
#include "store/rows.h"
#include "store/store.h"

/* A writer waits this long for the write lock before "busy" (db.c). */
#define STORE_BUSY_MS	5000
/* An import's slice: commit after this long, then let others write. */
#define IMPORT_SLICE_MS	40
#define IMPORT_PAUSE_MS	4
#define IMPORT_IDS	512	/* ids taken at once for a bulk import */
/* An open import untouched this long belongs to a process that died. */
#define IMPORT_STALE_S	600
#define VIEW_ROWS	32	/* audit rows one page view may leave */
#define VIEW_DETAIL	1024	/* > the static statements in store/ (about 60) */

/*
 * A prepared statement of the store: the backend's, and whether a bind
 * failed.  A failed bind makes the next step fail, so that one check of
 * the step covers every bind before it (kcgi checks input once, before
 * the handler; here the step is that one place).
 */
struct stmt {
	const struct store_backend	*be;
	struct be_stmt			*h;
	bool				 bad;
};

/*
 * What the end of a transaction must also do beyond the engine: write the
 * rows' seals and the audit chain's head before COMMIT, forget them after
 * it or a ROLLBACK, and record a row found altered (in a transaction of
 * its own).  Set by store_new (practice.c), so that stmt.c, the bottom of
 * the store, names no module above it.
 */
struct txn_hooks {
	enum sb_err	(*flush)(struct store *);
	void		(*forget)(struct store *);
	enum sb_err	(*altered)(struct store *, const char *table,
			    int64_t id);
};

struct store {
	const struct store_backend	*be;
	const struct txn_hooks		*hooks;
	struct be_conn		*conn;
	struct keys		*keys;
	struct store_user	 actor;
	bool			 has_actor;
	int64_t			 session;	/* web_sessions rowid, or 0 */
	int			 depth;		/* txn_begin() nesting */
	/*
	 * Within one write transaction nobody else can write (BEGIN
	 * IMMEDIATE holds the lock), so the audit head and an access
	 * decision can be kept here instead of re-read for every row of an
	 * import; both are forgotten when the transaction ends, and the head
	 * is written once, just before COMMIT.
	 */
	bool			 head_cached, head_dirty;
	int64_t			 head_seq, head_epoch;
	unsigned char		 head_hash[MAC_BYTES];
	int64_t			 acc_client;	/* 0: nothing cached */
	/* The table seals of rows.h, kept like the audit head. */
	struct row_seal {
		bool		 loaded, dirty;
		int64_t		 n;
		unsigned char	 agg[MAC_BYTES];
	}			 seals[RT__N];
	/* A row found altered inside a transaction: recorded after it
	 * ends (alt_table[0] '\0': none). */
	char			 alt_table[24];
	int64_t			 alt_id;
	bool			 tampered;	/* store_tampered() */
	bool			 away;		/* store_away() */
	bool			 acc_write;
	/*
	 * An open import (store_import_begin): its id, when its current
	 * slice began, and per client and instrument how many
	 * administrations, which ids and how many alerts, for the audit
	 * rows and the latest scores written when it is done.
	 */
	int64_t			 import_id;	/* 0: none open */
	bool			 slicing;	/* store_slices_begin() */
	struct timespec		 slice_start;
	struct batch_client {
		int64_t		 client, first, last, n, alerts;
		char		 instrument[64];
	}			*bc;
	size_t			 nbc, capbc;
	/*
	 * An import's ids (import_id_next): those a server numbered and
	 * not yet used, or a file's next in this transaction; and the
	 * clients this import found writable, sorted (import_access).
	 */
	int64_t			 ids[IMPORT_IDS];
	size_t			 ids_next, ids_n;
	int64_t			 ids_local;	/* a file's next, or 0 */
	int64_t			*imp_ok;
	size_t			 nimp_ok, capimp_ok;
	/*
	 * A page view (store_view_begin): one read snapshot, and the audit
	 * rows its reads would write kept here until store_view_end() hands
	 * them to the group commit.
	 */
	bool			 viewing;
	struct view_row {
		char		 user[STORE_MAX_NAME + 1];
		char		 action[24], entity[24];
		int64_t		 id;
		char		 detail[VIEW_DETAIL];
	}			 view[VIEW_ROWS];
	size_t			 nview;
	int64_t			 view_changes;	/* writes before the view */
	/* Prepared statements of static SQL, kept for the connection's
	 * life; grows with the statements used (a server connection uses
	 * about a hundred). */
	struct stmt_slot {
		const char	*sql;		/* static text: compared by address */
		struct stmt	*st;
	}			*cache;
	size_t			 ncache, capcache;
	char			 err[512];
};

/* Sets the error message and returns e. */
enum sb_err	 fail(struct store *, enum sb_err e, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4))) SB_MUST;
/* An SQLite failure: message includes what was being done. */
enum sb_err	 fail_db(struct store *, const char *what) SB_MUST;

/* A cached prepared statement for static SQL, reset and cleared. */
struct stmt	*stmt(struct store *, const char *sql);
/* A statement of its own (SQL made at run time); st_finalize it. */
enum be_rc	 st_prepare(struct store *, const char *sql, struct stmt **);
void		 st_finalize(struct stmt *);
/* A statement without parameters or rows. */
enum be_rc	 db_exec(struct store *, const char *sql);

#ifdef SB_FAULTS
/*
 * The anomaly build (store/fault.c): the Nth step of the process fails
 * (SB_FAULT_STEP) or the Nth allocation SQLite makes (SB_FAULT_ALLOC),
 * and fault_taken() tells fail_db() that the failure was injected.
 */
bool		 fault_step_due(void);
bool		 fault_alloc_due(void);
/* The practice is open: allocations after this one are the command's. */
void		 fault_opened(void);
const char	*fault_taken(void);
#endif

/*
 * The statement calls of the record modules, through the backend.  Binds
 * record a failure in the statement (the step reports it); columns
 * count from 0 and text is NULL for NULL.
 */
static inline void
bind_int64(struct stmt *st, int i, int64_t v)
{
	if (st->be->drv->bind_int64(st->h, i, v) != BE_OK)
		st->bad = true;
}

/* Text is copied. */
static inline void
bind_text(struct stmt *st, int i, const char *v)
{
	if (st->be->drv->bind_text(st->h, i, v, false) != BE_OK)
		st->bad = true;
}

/* Text the caller keeps valid until the statement's reset. */
static inline void
bind_text_ref(struct stmt *st, int i, const char *v)
{
	if (st->be->drv->bind_text(st->h, i, v, true) != BE_OK)
		st->bad = true;
}

static inline void
bind_blob(struct stmt *st, int i, const void *v, size_t n)
{
	if (st->be->drv->bind_blob(st->h, i, v, n, false) != BE_OK)
		st->bad = true;
}

static inline void
bind_blob_ref(struct stmt *st, int i, const void *v, size_t n)
{
	if (st->be->drv->bind_blob(st->h, i, v, n, true) != BE_OK)
		st->bad = true;
}

static inline void
bind_null(struct stmt *st, int i)
{
	if (st->be->drv->bind_null(st->h, i) != BE_OK)
		st->bad = true;
}

static inline enum be_rc
st_step(struct stmt *st)
{
#ifdef SB_FAULTS
	if (fault_step_due())
		return BE_ERROR;
#endif
	if (st->bad)
		return BE_ERROR;
	return st->be->drv->step(st->h);
}

static inline void
st_reset(struct stmt *st)
{
	st->bad = false;
	st->be->drv->reset(st->h, false);
}

static inline int64_t
col_int64(struct stmt *st, int i)
{
	return st->be->drv->column_int64(st->h, i);
}

static inline int
col_int(struct stmt *st, int i)
{
	return (int)st->be->drv->column_int64(st->h, i);
}

static inline double
col_double(struct stmt *st, int i)
{
	return st->be->drv->column_double(st->h, i);
}

static inline const char *
col_text(struct stmt *st, int i)
{
	return st->be->drv->column_text(st->h, i);
}

static inline const void *
col_blob(struct stmt *st, int i)
{
	return st->be->drv->column_blob(st->h, i);
}

static inline size_t
col_bytes(struct stmt *st, int i)
{
	return st->be->drv->column_bytes(st->h, i);
}

static inline bool
col_null(struct stmt *st, int i)
{
	return st->be->drv->column_null(st->h, i);
}

/* Rows the last statement changed; the id the last insert made. */
static inline int64_t
db_changes(struct store *s)
{
	return s->be->drv->changes(s->conn);
}

static inline int64_t
db_last_id(struct store *s)
{
	return s->be->drv->last_id(s->conn);
}

/*
 * Steps st: SB_OK with *row true for a row, SB_OK with *row false at the
 * end, or the error with what in the message.  A loop on "== BE_ROW"
 * alone ends the same way on the end and on an I/O error, and a caller
 * would show truncated data as complete:
 *
 *	while ((e = step_row(s, st, &row, "reading x")) == SB_OK && row)
 */
enum sb_err	 step_row(struct store *, struct stmt *, bool *row,
		    const char *what) SB_MUST;
/* Resets every cached statement (before the schema changes). */
void		 stmt_reset_all(struct store *);

/*
 * Transactions nest: only the outermost txn_begin() issues BEGIN
 * IMMEDIATE (take the write lock now, not at the first write, so two
 * writers never deadlock) and only its txn_end() commits.  txn_end() with
 * an error rolls the whole transaction back.
 */
enum sb_err	 txn_begin(struct store *) SB_MUST;
enum sb_err	 txn_end(struct store *, enum sb_err) SB_MUST;

/* Slices (store_slices_begin): is the current one due to commit, and
 * commit it, let waiting writers in, and begin the next. */
bool		 slice_due(struct store *);
enum sb_err	 slice_next(struct store *) SB_MUST;

/* ISO 8601 UTC now: "2026-11-27T23:40:00Z". */
void		 now_iso(char out[32]);
/*
 * SB_EPERM (with the message in err) when the file at path is open to
 * group or others; what names it ("database", "backup").
 */
enum sb_err	 file_private(const char *path, const char *what, char *err,
		    size_t errsz) SB_MUST;
/* After a failure: the target's password, where err names it, hidden
 * (practice.c). */
void		 target_redact(const char *target, char *err, size_t errsz);
/* PRAGMA application_id of a practice database: "SBas". */
#define STORE_APPLICATION_ID		0x53426173
/* What is wrong with pw under the password rules (users.c,
 * core/password.h), or NULL when nothing is. */
const char	*password_problem(const char *pw, const char *name);
/* Is v one of set (NULL-terminated)? */
bool		 in_set(const char *v, const char *const *set);
/* Text checks shared by the record functions. */
bool		 text_ok(const char *s, size_t max);
/*
 * A name or label: one line of any Unicode text but control characters,
 * kept without the spaces around it.  *res is the trimmed text in out,
 * or NULL when an optional one (required false) is absent or blank.
 */
enum sb_err	 name_check(struct store *, const char *what, const char *t,
		    bool required, char out[STORE_MAX_FIELD + 1],
		    const char **res) SB_MUST;
bool		 date_ok(const char *s);

/*
 * The same rule as client_access() for SQL over "clients c", with the
 * acting user's id in parameter P.  The role is looked up in the
 * statement, not bound as text: a condition on a bound value alone (such
 * as "? = 'supervisor'") makes SQLite prepare the statement again at
 * every run, which was a third of a caseload page's cost.
 */
#define SQL_READABLE(P) "(c.owner_id = " P " OR EXISTS (SELECT 1 FROM " \
	"users WHERE id = " P " AND role = 'supervisor') OR EXISTS (SELECT " \
	"1 FROM client_shares WHERE client_id = c.id AND user_id = " P "))"
/*
 * The same rule as a set of client ids (one column, id), for lists over
 * many clients: "FROM " SQL_READABLE_CLIENTS("?1") " r CROSS JOIN t
 * WHERE t.client_id = r.id".  SQL_READABLE filters every client of the
 * network; this starts from the user's own and shared clients by index
 * (migration 16), so a therapist's caseload costs what they hold.  The
 * CROSS JOIN keeps this set outermost in SQLite, which cannot tell how
 * small it is when the user is a bound parameter and would otherwise
 * scan t (PostgreSQL plans it as any join).  A supervisor's branch is a
 * condition on the parameter alone, decided once before any row.
 */
#define SQL_READABLE_CLIENTS(P) "(SELECT id FROM clients WHERE owner_id = " \
	P " UNION SELECT client_id FROM client_shares WHERE user_id = " P \
	" UNION SELECT id FROM clients WHERE EXISTS (SELECT 1 FROM users " \
	"WHERE id = " P " AND role = 'supervisor'))"
/* Access of the acting user to a client. */
enum sb_err	 client_access(struct store *, int64_t client, bool write)
		    SB_MUST;
/* The rows that make the acting user's readable clients (clients' owners
 * and the user's shares) are genuine (rows.h): before a list reads
 * through SQL_READABLE_CLIENTS. */
enum sb_err	 readable_check(struct store *) SB_MUST;
/* The practice's keys for the database at path, looked at without
 * changing a byte (the key checked against it); the caller frees them. */
enum sb_err	 store_keys_of(const char *path, const struct store_key *,
		    struct keys **, char *err, size_t errsz) SB_MUST;
/* The same, leaving an audit row ("denied") when access is refused. */
enum sb_err	 client_access_logged(struct store *, int64_t client,
		    bool write) SB_MUST;

/*
 * A new record of a client written as every module writes one (write.c):
 * the client's access checked for writing (0: no client), then in one
 * transaction check() if there is one (what must hold of the rows
 * already there), a new id from id_sql ("SELECT coalesce(max(id), 0)
 * FROM t"), sql prepared, bind() given the statement and the id, one
 * step, the row sealed in seal, and the audit row: action ("create" when
 * NULL) on table and the new id, or, with of_client, on the client with
 * detail.  what names the work in an error ("adding the note").  *id is
 * the new row's.  The caller checks its input first.
 */
struct write_one {
	int64_t		 client;
	const char	*id_sql, *sql, *what, *table;
	enum rowtab	 seal;
	enum sb_err	(*check)(struct store *, void *arg);
	enum sb_err	(*bind)(struct store *, struct stmt *, int64_t id,
			    void *arg);
	void		*arg;
	const char	*action, *detail;
	bool		 of_client;
};

enum sb_err	 write_one(struct store *, const struct write_one *,
		    int64_t *id) SB_MUST;

/* Seals text for (table, column, id) and binds it to parameter i. */
enum sb_err	 bind_sealed(struct store *, struct stmt *, int i,
		    const char *table, const char *column, int64_t id,
		    const char *text) SB_MUST;
/* Like column_opened, and *text is NULL when the column is NULL, else
 * out's text. */
enum sb_err	 column_opened_null(struct store *, struct stmt *, int col,
		    const char *table, const char *column, int64_t id,
		    struct buf *out, const char **text) SB_MUST;
/* Opens a sealed column into out (text, NUL-terminated). */
enum sb_err	 column_opened(struct store *, struct stmt *, int col,
		    const char *table, const char *column, int64_t id,
		    struct buf *out) SB_MUST;
/* web.c: a fresh token (hex) and its hash; a token's hash, false when
 * it is not TOKEN_HEX lowercase hex digits. */
void		 new_token(char hex[64 + 1], unsigned char hash[MAC_BYTES]);
bool		 token_hash(const char *hex, unsigned char hash[MAC_BYTES]);
/* care.c: is d YYYY-MM-DD?  Sets a closing date on a row of a client's
 * sealed table t (episode, consent), after its start: *client is its
 * client. */
bool		 care_full_date(const char *d);
enum sb_err	 care_close_row(struct store *, enum rowtab t,
		    const char *what, const char *select, const char *update,
		    int64_t id, const char *date, int64_t *client) SB_MUST;
/* delivery.c, each in the caller's transaction: stops what sends to the
 * client (reason: consent-withdrawn, episode-ended, discharged,
 * no-address), counted into *stopped (may be NULL); stops it when
 * care_blocked finds a reason at now; *reason NULL when the client may
 * be sent to at now; pauses the plans when no address or phone is left;
 * which ways are on file and the channel a message goes by (NULL:
 * none); the client's sealed email or phone. */
enum sb_err	 care_stop(struct store *, int64_t client, const char *reason,
		    int64_t now, struct store_stopped *) SB_MUST;
enum sb_err	 care_stop_due(struct store *, int64_t client, int64_t now,
		    struct store_stopped *) SB_MUST;
enum sb_err	 care_blocked(struct store *, int64_t client, int64_t now,
		    const char **reason) SB_MUST;
enum sb_err	 care_reach_check(struct store *, int64_t client, int64_t now,
		    struct store_stopped *) SB_MUST;
enum sb_err	 care_contact(struct store *, int64_t client,
		    struct store_contact *) SB_MUST;
const char	*care_channel(const struct store_contact *);
enum sb_err	 client_reach_read(struct store *, int64_t client,
		    const char *column, struct buf *out, bool *set) SB_MUST;
/* notify.c: migration 24 (schema.c runs it on every engine): users'
 * addresses and the outbox's recipients sealed, with their tags, and the
 * plain columns dropped. */
#define ADDR_MIGRATION	24
enum sb_err	 addresses_seal_all(struct store *) SB_MUST;
/* delivery.c: the open alerts' failed messages of channel queued again
 * (the mail or SMS settings changed). */
enum sb_err	 outbox_requeue_failed(struct store *, const char *channel,
		    int64_t now) SB_MUST;
/* notify.c: one queued message, in the caller's transaction: of an
 * alert (kinds alert, escalation), a plan's send (measure, reminder) or
 * a one-click link, by channel (NULL: mail) to addr; *id out. */
struct outbox_new {
	const char	*kind, *channel, *addr;
	int64_t		 alert, send, link, now;
};
enum sb_err	 outbox_put(struct store *, const struct outbox_new *,
		    int64_t *id) SB_MUST;
/* notify.c: one queued message (kind alert, measure or reminder), of an
 * alert (send 0) or a send (alert 0), in the caller's transaction. */
enum sb_err	 outbox_insert(struct store *, const char *kind, int64_t alert,
		    int64_t send, const char *addr, int64_t now, int64_t *id)
		    SB_MUST;
/* schedule.c: queues a client's mail about a plan's send (kind
 * "measure" or "reminder") in the caller's transaction. */
enum sb_err	 outbox_for_send(struct store *, int64_t send,
		    const char *kind, const char *channel, int64_t now) SB_MUST;
/* The next id of a table (under the write lock). */
enum sb_err	 next_id(struct store *, const char *sql, int64_t *id) SB_MUST;

/* administration.c: the client's latest two administrations of the instrument,
 * into latest (in the caller's transaction). */
enum sb_err	 latest_refresh(struct store *, int64_t client,
		    const char *instrument) SB_MUST;
/* import.c: counts a row of the open import against its client (and
 * instrument). */
enum sb_err	 import_note(struct store *, int64_t client,
		    const char *instrument, int64_t administration) SB_MUST;
enum sb_err	 import_note_alert(struct store *, int64_t client) SB_MUST;

/* users.c: the id of the user named name; SB_ENOENT, said, when there
 * is none. */
enum sb_err	 user_find(struct store *, const char *name, int64_t *id)
		    SB_MUST;
/* May the acting user read clients' records at all (a therapist or a
 * supervisor; not an admin, not a kiosk)?  Which ones: client_access(). */
bool		 reads_records(const struct store *);
/* Is the acting user an admin, or the user named name? */
bool		 self_or_admin(const struct store *, const char *name);

/* audit.c */
enum sb_err	 audit_append(struct store *, const char *action,
		    const char *entity, int64_t id, const char *detail) SB_MUST;
/* The same row on behalf of user (the group commit writes other
 * connections' rows). */
enum sb_err	 audit_append_as(struct store *, const char *user,
		    const char *action, const char *entity, int64_t id,
		    const char *detail) SB_MUST;
/* The first head (row 0), written by init. */
enum sb_err	 audit_genesis(struct store *) SB_MUST;
/* Writes the cached head, if rows were appended (called before COMMIT). */
enum sb_err	 audit_flush_head(struct store *) SB_MUST;

/* notify.c: queues the notifications of a new high alert (inside its
 * transaction); *queued is incremented per message. */
enum sb_err	 outbox_for_alert(struct store *, int64_t client,
		    int64_t alert, int64_t now, int *queued) SB_MUST;

/* schema.c; schema_seal_described is migration 12's code on SQLite:
 * the columns that were clear, sealed. */
enum sb_err	 schema_seal_described(struct store *) SB_MUST;
/* latest, from administrations: a window over each client's measure,
 * newest first (a NULL completed sorts as oldest, as in
 * store_administration_each).
 * Migration 13 (from the table) and store_latest_rebuild() (from the
 * live view, migration 14) fill it so. */
#define LATEST_FILL(FROM, WHERE) \
	"INSERT INTO latest (client_id, instrument, last_id, prev_id, " \
	"  completed, last_answers, prev_answers, prev_completed) SELECT " \
	"  client_id, instrument, id, prev, completed, answers, " \
	"  prev_answers, prev_completed FROM (SELECT client_id, instrument, " \
	"  id, completed, answers, lead(id) OVER w AS prev, lead(answers) " \
	"  OVER w AS prev_answers, lead(completed) OVER w AS " \
	"  prev_completed, row_number() OVER w AS n FROM " FROM WHERE " " \
	"  WINDOW w AS (PARTITION BY client_id, instrument ORDER BY " \
	"  completed DESC NULLS LAST, id DESC)) ranked WHERE n = 1;"

int		 schema_latest(const struct store_backend *);
/* A new empty database at path with the latest schema and the
 * application id, nothing else (migrate.c fills it); removed again when
 * this fails. */
enum sb_err	 store_create_empty(const char *path, struct store **,
		    char *err, size_t errsz) SB_MUST;
enum sb_err	 schema_migrate(struct store *, int to) SB_MUST;

#endif

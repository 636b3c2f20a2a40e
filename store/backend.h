/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backend.h - the table of operations a database engine gives the store,
 * private to store/.
 *
 * As git's struct ref_storage_be puts the files and reftable backends
 * behind one refs API, this table puts an engine behind the store: the
 * record modules (users.c, records.c, administration.c, ...) hold the
 * policy that must be the same on every engine (access rules, audit rows,
 * sealed fields, alert rules) and their SQL, once, and reach the engine
 * only through these operations.  SQLite is store/sqlite.c, PostgreSQL
 * store/pg.c (docs/architecture.md says how to add another).
 *
 * The table is three: the driver (statements and their rows), the files
 * (the database as a whole: create, copy, load, guard, remove) and the
 * dialect (the schema's migrations and the statements whose words differ
 * by engine).  The SQL of store/ is written once, with "?" parameters, in
 * the part of SQL both engines speak; where an engine's words differ, the
 * statement is a member of the dialect, so that a record module never
 * asks which engine it runs on.
 *
 * Ownership: a connection owns its statements; finalize every prepared
 * statement before close.  Text and blobs a column returns belong to the
 * statement until its next step, reset or finalize.
 */
#ifndef SB_STORE_BACKEND_H
#define SB_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;
struct be_conn;		/* a connection, defined by each backend */
/* A value of a bulk row (bulk): NULL, an integer, text (terminated) or
 * bytes. */
struct be_val {
	enum { BV_NULL, BV_INT, BV_TEXT, BV_BLOB } t;
	int64_t		 i;
	const void	*p;
	size_t		 n;
};
struct be_stmt;		/* a prepared statement, likewise */

/* What a step or a call did, in the same words for every engine. */
enum be_rc {
	BE_OK = 0,
	BE_ROW,		/* a row is there to read */
	BE_DONE,	/* no more rows; a write is done */
	BE_BUSY,	/* another writer held the lock too long */
	BE_CONSTRAINT,	/* a unique, check or foreign key refused it */
	BE_NOMEM,
	BE_ERROR	/* anything else: I/O, corruption, SQL */
};

/* What a column of the current row holds. */
enum be_type {
	BE_T_NULL,
	BE_T_INT,
	BE_T_REAL,
	BE_T_TEXT,
	BE_T_BLOB
};

/* How a connection opens its target. */
enum be_mode {
	BE_READ,	/* read only: nothing on disk changes */
	BE_WRITE,	/* read and write an existing database */
	BE_PEEK		/* read only, without the session settings: to look
			 * at a file that may not be a practice at all */
};

/*
 * The driver: connections, statements, binds, steps and columns, and
 * what a connection can tell of itself and of its last failure.
 */
struct be_driver {
	/* Connections.  open writes a one-line reason to err. */
	enum sb_err	 (*open)(const char *target, enum be_mode,
			    struct be_conn **, char *err, size_t errsz);
	void		 (*close)(struct be_conn *);
	/* Statements without parameters or rows (BEGIN, a migration). */
	enum be_rc	 (*exec)(struct be_conn *, const char *sql);
	/* keep: the statement lives as long as the connection (the
	 * statement cache), so the engine may plan it once for good. */
	enum be_rc	 (*prepare)(struct be_conn *, const char *sql,
			    bool keep, struct be_stmt **);
	void		 (*finalize)(struct be_stmt *);
	/* Back to before the first step; clear: bindings too. */
	void		 (*reset)(struct be_stmt *, bool clear);
	/* Parameters count from 1.  Text and blobs are copied unless ref
	 * is set, when they must stay valid until the reset. */
	enum be_rc	 (*bind_int64)(struct be_stmt *, int, int64_t);
	enum be_rc	 (*bind_text)(struct be_stmt *, int, const char *,
			    bool ref);
	enum be_rc	 (*bind_blob)(struct be_stmt *, int, const void *,
			    size_t, bool ref);
	enum be_rc	 (*bind_null)(struct be_stmt *, int);
	enum be_rc	 (*step)(struct be_stmt *);
	/*
	 * Rows in bulk into table (its columns cols, "a, b, c"), n values
	 * a row as binds would give them: held and sent together
	 * (PostgreSQL: COPY ... FROM STDIN) before anything else is sent on
	 * the connection, which then fails with their failure, if any.
	 * NULL: not offered.
	 */
	enum be_rc	 (*bulk)(struct be_conn *, const char *table,
			    const char *cols, int n, const struct be_val *);
	/* Columns count from 0; text is NULL for NULL.  The count and
	 * names are known once a step has given a row. */
	int64_t		 (*column_int64)(struct be_stmt *, int);
	double		 (*column_double)(struct be_stmt *, int);
	const char	*(*column_text)(struct be_stmt *, int);
	const void	*(*column_blob)(struct be_stmt *, int);
	size_t		 (*column_bytes)(struct be_stmt *, int);
	bool		 (*column_null)(struct be_stmt *, int);
	enum be_type	 (*column_type)(struct be_stmt *, int);
	int		 (*column_count)(struct be_stmt *);
	const char	*(*column_name)(struct be_stmt *, int);

	/* Rows the last statement changed; rows all statements of the
	 * connection changed; the id the last insert made. */
	int64_t		 (*changes)(struct be_conn *);
	int64_t		 (*total_changes)(struct be_conn *);
	int64_t		 (*last_id)(struct be_conn *);
	/* The engine's words for the last failure, and their class. */
	const char	*(*errmsg)(struct be_conn *);
	enum be_rc	 (*errclass)(struct be_conn *);
	/* Was the last failure the database being away (the server down,
	 * restarting, unreachable) rather than the statement's own?  NULL
	 * where it cannot be (a file). */
	bool		 (*gone)(struct be_conn *);
	/* Is a transaction open on the connection? */
	bool		 (*in_txn)(struct be_conn *);

	/*
	 * Whose database is it: *app is the application id the file
	 * carries (0 for none, -1 when it is not this engine's at all);
	 * mark sets ours.
	 */
	enum be_rc	 (*identify)(struct be_conn *, int64_t *app);
	enum be_rc	 (*mark)(struct be_conn *, int64_t app);
	/* An engine's own check of its files: "ok", or what is wrong, in
	 * what; full is the slow, complete one (backups). */
	enum be_rc	 (*check)(struct be_conn *, bool full, char *what,
			    size_t whatsz);
};

/*
 * The database as a thing on a machine or a server: making it, copying
 * it whole (backups), loading a copy, a scratch database beside it, its
 * guard where nodes share it, removing it, and why it would not open.
 */
struct be_files {
	/* Is a target a file of this machine (its mode checked, a lock
	 * file beside it, one server at a time), or a server's database
	 * that several nodes share? */
	bool		 local;
	/* Makes the place for a new practice at target, or refuses when
	 * something is there already (nothing is touched then). */
	enum sb_err	 (*create)(const char *target, char *err,
			    size_t errsz);
	/* A copy of the whole database as it is now, into the new private
	 * file dest (made by the caller, empty), as one self-contained
	 * file.  Backups and restores (backup.c) are built on it. */
	enum sb_err	 (*copy)(struct be_conn *, const char *dest,
			    char *err, size_t errsz);
	/*
	 * The practice's guard where nodes share a server's database (NULL
	 * for files, which store/lock.c guards with flock): a lock held on
	 * a connection of its own, shared by every serve node, exclusive
	 * for upgrade, restore and migrate.  Refused (SB_EBUSY) while
	 * another holds it the other way, with their names (who, as each
	 * gave it) in err.  renew takes it again on a new connection when
	 * the server dropped the old one (a restart): SB_EBUSY when
	 * someone took it exclusively meanwhile.
	 */
	enum sb_err	 (*guard)(const char *target, bool exclusive,
			    const char *who, struct be_conn **, char *err,
			    size_t errsz);
	enum sb_err	 (*guard_renew)(struct be_conn *, bool exclusive,
			    const char *who, char *err, size_t errsz);
	/* Loads a copy that copy made into the empty database target, all
	 * or nothing; NULL where the copy is itself a database (SQLite). */
	enum sb_err	 (*load)(const char *path, const char *target,
			    char *err, size_t errsz);
	/* A new empty database beside the one c is connected to, to load a
	 * copy into and check it; its target into target.  unscratch
	 * drops it again.  NULL where a copy is itself a database. */
	enum sb_err	 (*scratch)(struct be_conn *c, char *target,
			    size_t n, char *err, size_t errsz);
	void		 (*unscratch)(struct be_conn *c, const char *target);
	/* Leaves the database at target one self-contained file, as a
	 * backup must be (after opening it has set the session's mode). */
	enum sb_err	 (*single)(const char *target, char *err,
			    size_t errsz);
	/* Removes a database and whatever the engine keeps beside it. */
	void		 (*remove)(const char *target);
	/* After a failed open for writing, a better reason when the cause
	 * is a file this user cannot write (err is left as it is when it
	 * is not). */
	void		 (*explain)(const char *target, char *err,
			    size_t errsz);
};

/*
 * The schema (its migrations, the audit trail's guards) and the dialect:
 * the statements whose words differ by engine.
 */
struct be_dialect {
	/* Ids for n new rows of a table whose id the engine numbers (an
	 * import's, written by bulk): "?1" the table, "?2" n; one id a
	 * row.  NULL where rows are numbered as they are written. */
	const char	*ids_sql;

	/* The schema as forward-only migrations, in this engine's DDL:
	 * migrations[v] takes a database from version v to v + 1; NULL
	 * ends the list.  version_table makes the table that records
	 * them (schema.c). */
	const char *const *migrations;
	const char	*version_table;
	/* What migration v does beyond its SQL, by v (NULL: nothing), in
	 * the same transaction; nmigration_code entries. */
	enum sb_err	 (*const *migration_code)(struct store *);
	size_t		 nmigration_code;
	/* The migration (0: none) that rebuilds a table others refer to:
	 * run with the engine's foreign keys off (set outside its
	 * transaction, as SQLite requires) and checked before its commit
	 * with fk_check, whose any row is a broken reference. */
	int		 rebuild_migration;
	const char	*fk_off, *fk_on, *fk_check;
	/* The triggers that keep the audit trail append-only, by name, with
	 * the SQL the engine keeps for each as its migrations wrote it:
	 * `audit verify` compares them (audit.c).  A NULL name ends it. */
	const struct be_guard {
		const char	*name, *sql;
	}		*guards;

	/* After rows were copied in with their ids (migrate.c): what makes
	 * the ids the engine hands out go on after them (NULL: nothing). */
	const char	*settle;

	/* Dialect: statements whose words differ by engine. */
	const char	*begin_write;	/* take the write lock now */
	const char	*begin_read;	/* one snapshot for a page view */
	const char	*guard_sql;	/* a trigger's SQL text by name (?) */
	/* The outbox's due messages (?1 now, ?2 how many), taken for this
	 * sender: PostgreSQL locks the rows and skips those another
	 * sender holds (FOR UPDATE SKIP LOCKED). */
	const char	*outbox_claim;
};

struct store_backend {
	const char	*name;		/* "sqlite" */
	/* Is target (a --db value) for this backend? */
	bool		 (*handles)(const char *target);
	const struct be_driver	*drv;
	const struct be_files	*fs;
	const struct be_dialect	*sql;
};

/* The backends, and the one for a --db target (NULL: none). */
extern const struct store_backend	sqlite_backend;
extern const struct store_backend	pg_backend;
const struct store_backend	*backend_for(const char *target);

/* The claim both engines share; PostgreSQL's adds its row locks. */
#define BE_OUTBOX_CLAIM \
	"SELECT id, alert_id, recipient, state, created, attempts, next_try, " \
	"reply, done, kind, send_id, link_id, channel FROM outbox WHERE " \
	"state = 'queued' AND next_try <= ? " \
	"ORDER BY next_try, id LIMIT ?"

#endif

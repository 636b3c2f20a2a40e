/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * rows.h - row seals: a keyed MAC over the fields of every row that
 * decides access or safety, so that an edit made with write access to
 * the database but without the key is seen.
 *
 * Each protected row carries
 *
 *	mac = BLAKE2b-256_rowkey("securebase-row-v1" || table || key ||
 *	    each sealed column, typed and length-prefixed)
 *
 * under a subkey of the practice key that is not in the database.  An
 * edited row, or a row inserted without the key, no longer matches.  A
 * deleted row leaves no row to check: for the tables where deleting
 * hides something (an alert, an administration, a share), a seal per
 * table keeps the count of its rows and the XOR of their MACs, under its
 * own MAC (row_seals).  A deletion, or a row put back from an older copy,
 * changes the count or the XOR; which row went is not named (the audit
 * trail says which were made).
 *
 * A write inside a transaction: rows_check() before an UPDATE of a row
 * (so that an edit made outside is not sealed over by the next genuine
 * one), rows_seal() after any INSERT or UPDATE, rows_drop() before a
 * DELETE.  The seals are kept in the store handle while the transaction
 * lasts and written by rows_flush() just before COMMIT, as the audit
 * head is.
 */
#ifndef SB_ROWS_H
#define SB_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

enum rowtab {
	RT_USERS,
	RT_CLIENTS,
	RT_SHARES,		/* client_shares: key (client_id, user_id) */
	RT_ALERTS,
	RT_ALERT_EVENTS,
	RT_ADMINISTRATIONS,
	RT_NOTES,
	RT_IMPORTS,
	RT_SESSIONS,		/* web_sessions, by rowid: not counted */
	/* Sealed since migration 25: the rows that let someone without an
	 * account in (what each link is: its token's hash, client, measure,
	 * maker, times; not its withdrawal or revocation, which a link's
	 * holder cannot undo without the database), and a case's sharing
	 * of answers. */
	RT_LINKS,		/* a questionnaire link: not counted */
	RT_PROGRESS_LINKS,	/* a client's progress page: not counted */
	RT_CASE_MEMBERS,	/* key (case_id, client_id): not counted */
	/* The care lifecycle, which decides whether a plan sends: a
	 * withdrawal undone or an ended episode deleted would send again
	 * to someone who asked to stop. */
	RT_EPISODES,
	RT_CONSENTS,
	/* A client's history and sessions: moved to another client, or put
	 * in, they would show in the wrong record (their text is sealed to
	 * its row already). */
	RT_PEOPLE,
	RT_RELATIONSHIPS,
	RT_EVENTS,
	RT_SESSIONS_HELD,	/* sessions (RT_SESSIONS are the web's) */
	RT_NARRATIVES,
	RT_DRAFTS,		/* narrative_drafts: their narrative's client */
	RT_SNAPSHOTS,		/* history_snapshots */
	/* What a plan is and what each send was (not their state, which
	 * the scheduler changes): a plan put in by hand or moved to
	 * another client sends nothing. */
	RT_PLANS,
	RT_PLAN_SENDS,
	RT__N
};

/* What audit verify found in the sealed tables. */
struct rows_report {
	bool		 intact;
	int64_t		 rows;		/* rows checked */
	size_t		 nbad;		/* rows and seals that fail */
	char		 what[2048];	/* the first of them, one per line */
};

/* Every protected row and every table seal. */
enum sb_err	 rows_verify(struct store *, struct rows_report *) SB_MUST;

#ifdef SB_STORE_INT_H
struct stmt;

/* The sealed columns of users and of web_sessions, in their order, for
 * a caller's query that checks the row with rows_check_stmt(). */
#define ROWS_USERS_COLS	"name, role, password, active, totp, email, " \
			"must_change, email_tag"
#define ROWS_USERS_NCOLS 8
#define ROWS_SESSIONS_COLS "token_hash, user_id, csrf, created"
/* administrations' and alerts', each column named as a.COLUMN */
#define ROWS_ADMIN_COLS_A "a.client_id, a.instrument, " \
			"a.instrument_version, a.respondent, a.target, " \
			"a.mode, a.started, a.completed, a.answers, " \
			"a.scores, a.created_by, a.scored_version, a.import_id"
#define ROWS_ALERTS_COLS_A "a.client_id, a.administration_id, a.rule, " \
			"a.severity, a.state, a.created, a.link_id, a.item, " \
			"a.historic, a.import_id, a.escalated"

/* The row's stored MAC matches its fields (SB_EPERM, recorded in the
 * audit trail when it can be, when not; SB_ENOENT without the row). */
enum sb_err	 rows_check(struct store *, enum rowtab, int64_t k1,
		    int64_t k2) SB_MUST;
/* Writes the row's MAC for its fields as they are now, and the table's
 * seal: counts the row in when it had no MAC yet. */
enum sb_err	 rows_seal(struct store *, enum rowtab, int64_t k1, int64_t k2)
		    SB_MUST;
/*
 * A row about to be written with its mac (an import's, sent in bulk):
 * its sealed columns' values v, in the table's order, give mac, and the
 * table's seal counts it, as rows_seal would once it is there.
 */
struct rowval {
	bool		 null;
	int64_t		 i;		/* 'i' */
	const void	*p;		/* 't' (terminated) or a blob */
	size_t		 n;		/* a blob's bytes */
};
#define ROWS_MAX_COLS	24
enum sb_err	 rows_seal_new(struct store *, enum rowtab, int64_t k1,
		    int64_t k2, const struct rowval *v,
		    unsigned char mac[MAC_BYTES]) SB_MUST;
/* Takes the row out of its table's seal, before it is deleted. */
enum sb_err	 rows_drop(struct store *, enum rowtab, int64_t k1, int64_t k2)
		    SB_MUST;
/* The same for every row a query finds: sql selects the rows' mac, with
 * one integer parameter. */
enum sb_err	 rows_drop_where(struct store *, enum rowtab, const char *sql,
		    int64_t arg) SB_MUST;
/*
 * Checks a row read by the caller's own query: its sealed columns are
 * the statement's columns col..col+n-1 in the table's order (none for
 * client_shares), its mac at maccol.  SB_EPERM (recorded) when not.
 */
enum sb_err	 rows_check_stmt(struct store *, enum rowtab, struct stmt *,
		    int col, int maccol, int64_t k1, int64_t k2) SB_MUST;
/* Every sealed row of one client (administrations, alerts and their
 * history, notes, links, episodes, consents): before the client's whole
 * record is read. */
enum sb_err	 rows_check_client(struct store *, int64_t client) SB_MUST;
/* The same for one table (one with rows per client). */
enum sb_err	 rows_check_of(struct store *, enum rowtab, int64_t client)
		    SB_MUST;
/* Writes the seals changed in this transaction (txn_end, before COMMIT). */
enum sb_err	 rows_flush(struct store *) SB_MUST;
/* Forgets the cached seals (the transaction ended). */
void		 rows_forget(struct store *);
/* Every row's MAC and every seal of the tables migration (23 or 25)
 * adds them to, made under the practice key (schema.c runs it on every
 * engine). */
#define ROWS_MIGRATION	23
#define ROWS_MIGRATION_LINKS 25
enum sb_err	 rows_seal_all(struct store *, int migration) SB_MUST;

#endif

#endif

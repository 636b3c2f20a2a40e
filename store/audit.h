/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * audit.h - the tamper-evident audit trail.
 *
 * Every read and write of client data appends a row: a write in the same
 * transaction as the change it records; the reads of a web page through
 * the group commit (store.h, "page views"), before the page is shown.
 * Row n carries
 *
 *	hash_n = BLAKE2b-256_key(hash_{n-1} || seq || time || user ||
 *	    action || entity || id || detail)
 *
 * keyed with a subkey of the practice key, which is not in the database:
 * whoever can write the file but not read the key cannot make an edited,
 * inserted or deleted row verify.  A head record (last seq and hash, an
 * epoch, with its own MAC) catches rows cut off the end; init writes the
 * first one (row 0), so a missing head is always tampering and nothing is
 * recorded without it.  Triggers refuse UPDATE and DELETE on the table,
 * and verify compares their SQL with the original; the chain catches what
 * bypasses them.
 *
 * Rows hold no clinical text: ids, actions and the acting user's name.
 */
#ifndef SB_AUDIT_H
#define SB_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct audit_report {
	bool		 intact;
	int64_t		 rows;		/* rows checked */
	int64_t		 bad_seq;	/* first bad row, 0 when intact */
	char		 what[256];	/* what is wrong, naming the row */
};

enum sb_err	 audit_verify(struct store *, struct audit_report *) SB_MUST;

/*
 * An anchor: the head (row count, last hash, epoch) with its MAC, written
 * somewhere the database's attacker cannot reach (the system log, the
 * backup report, paper).  Checked against it, a trail shows whether any
 * row up to the anchor was removed or rewritten, and whether the head was
 * rolled back past it (rows cut and an older head put back), which the
 * chain alone cannot show.  One line:
 *   securebase-anchor 1 seq=N epoch=E hash=HEX mac=HEX
 */
struct audit_anchor {
	int64_t		 seq, epoch;
	unsigned char	 hash[32], mac[32];
};
/* Records an "anchor" row and returns the head after it. */
enum sb_err	 audit_anchor_take(struct store *, struct audit_anchor *)
		    SB_MUST;
void		 audit_anchor_format(const struct audit_anchor *, char *out,
		    size_t n);
/* Finds an anchor in a line (a log's prefix is skipped). */
bool		 audit_anchor_parse(const char *line, struct audit_anchor *);
/* audit_verify, and each anchor checked as above. */
enum sb_err	 audit_verify_anchored(struct store *,
		    const struct audit_anchor *, size_t n,
		    struct audit_report *) SB_MUST;
/* One row of the trail (the strings valid during the call). */
struct audit_row {
	int64_t		 seq, entity_id;
	const char	*at, *user, *action, *entity, *detail;
};
/* Calls fn for the newest n rows, newest first (admin only; the viewing
 * is itself audited). */
enum sb_err	 audit_tail_each(struct store *, size_t n,
		    enum sb_err (*fn)(void *, const struct audit_row *),
		    void *arg) SB_MUST;
/* Which rows audit_find_each() reads: every field that is set must
 * match; the newest first, at most limit of them. */
struct audit_query {
	const char	*user;		/* the user's name, or NULL */
	const char	*action;	/* "read", "create", ..., or NULL */
	const char	*entity;	/* "client", ..., or NULL */
	int64_t		 entity_id;	/* with entity; 0: any */
	/* The rows about this client (0: any): its own, and those of its
	 * records (alerts, links, notes, answers, sessions, care, its
	 * history and drafts) by their ids. */
	int64_t		 client;
	const char	*since;		/* at >= since (a stored time), or NULL */
	const char	*until;		/* at < until, or NULL */
	int64_t		 before;	/* seq < before (the next page); 0: none */
	size_t		 limit;
};
/* Calls fn for the rows that match q, newest first (admin only; the
 * viewing is itself audited). */
enum sb_err	 audit_find_each(struct store *, const struct audit_query *q,
		    enum sb_err (*fn)(void *, const struct audit_row *),
		    void *arg) SB_MUST;

#endif

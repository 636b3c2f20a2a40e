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
 * inserted or deleted row verify.  A head record (last seq and hash, with
 * its own MAC) catches rows cut off the end.  Triggers refuse UPDATE and
 * DELETE on the table; the chain catches what bypasses them.
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

enum sb_err	 audit_verify(struct store *, struct audit_report *);
/*
 * Appends the newest n rows, newest first, as "seq\tat\tuser\taction\t
 * entity\tid\tdetail\n" (admin only; the viewing is itself audited).
 */
enum sb_err	 audit_tail(struct store *, size_t n, struct buf *);

#endif

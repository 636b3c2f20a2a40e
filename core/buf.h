/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * buf.h - a growable byte buffer with a hard size cap.
 *
 * Every buffer built from outside input has a limit ("toobig" in curl's
 * dynbuf): an append that would pass it fails with SB_ELIMIT and leaves the
 * buffer as it was, so a hostile input can never make us allocate without
 * bound.  The contents are always NUL-terminated for convenience; len does
 * not count the NUL.
 *
 * Errors are sticky: after one append fails, every later append fails
 * with the same code, so a writer may make many appends and check the
 * result of the last one (or b->err) alone.
 *
 * Ownership: the struct is the caller's (usually on the stack); buf_free()
 * releases the memory it points to.  buf_wipe() zeroes before freeing, for
 * buffers that held secrets; growing never leaves an unwiped copy behind
 * (a new block, the old one wiped and freed).
 */
#ifndef SB_BUF_H
#define SB_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;	/* allocated bytes */
	size_t	 max;	/* hard limit on len */
	int	 err;	/* sticky: the first failure, as an enum sb_err */
};

void		 buf_init(struct buf *, size_t max);
void		 buf_free(struct buf *);
void		 buf_wipe(struct buf *);
void		 buf_reset(struct buf *);
enum sb_err	 buf_add(struct buf *, const void *, size_t);
enum sb_err	 buf_adds(struct buf *, const char *);
enum sb_err	 buf_addc(struct buf *, char);
enum sb_err	 buf_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
enum sb_err	 buf_vprintf(struct buf *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
/* Makes room for n more bytes now, so later appends do not reallocate. */
enum sb_err	 buf_grow(struct buf *, size_t n) SB_MUST;
/* Zeroes n bytes at p in a way the compiler may not remove (secrets). */
void		 mem_wipe(void *p, size_t n);
/* Appends n zero bytes and points *p at them, for writing in place. */
enum sb_err	 buf_extend(struct buf *, size_t n, char **p) SB_MUST;
/* Hands the memory to the caller (who frees it); the buffer is reset. */
char		*buf_take(struct buf *);

#endif

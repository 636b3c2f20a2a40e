/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * io.h - the few file operations the command line needs, with limits.
 */
#ifndef SB_IO_H
#define SB_IO_H

#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/err.h"

/*
 * Reads all of path ("-" is standard input) into b, failing with SB_ELIMIT
 * past max bytes.  On failure a message naming the file is put in err.
 */
enum sb_err	 io_read_file(const char *path, size_t max, struct buf *b,
		    char *err, size_t errsz) SB_MUST;

/* Writes all n bytes to fd, retrying short writes; SB_EIO on failure. */
enum sb_err	 io_write_all(int fd, const void *p, size_t n) SB_MUST;

/*
 * Writes n bytes to path whole or not at all: into PATH.tmp (mode 0600,
 * since what the commands write is clinical), fsync, then rename over
 * path.  On failure err names the file and nothing is left behind.
 */
enum sb_err	 io_write_whole(const char *path, const void *p, size_t n,
		    char *err, size_t errsz) SB_MUST;
/* A csv_read_fn reading from the file descriptor pointed to by ctx. */
ssize_t		 io_read_fd(void *ctx, char *dst, size_t n);

/*
 * dir made (mode 0700), or already there and empty: anything else (a
 * file, a directory with files) is refused with err saying so.
 */
enum sb_err	 io_dir_fresh(const char *dir, char *err, size_t errsz) SB_MUST;

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * io.c - bounded file reading and complete writes.  See io.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

enum sb_err
io_read_file(const char *path, size_t max, struct buf *b, char *err,
    size_t errsz)
{
	char		 chunk[65536];
	int		 fd;
	ssize_t		 n;
	enum sb_err	 e = SB_OK;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? SB_ENOENT : SB_EIO;
	}
	buf_init(b, max);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			e = SB_EIO;
			break;
		}
		if (n == 0)
			break;
		if ((e = buf_add(b, chunk, (size_t)n)) != SB_OK) {
			snprintf(err, errsz, "%s: %s", path,
			    e == SB_ELIMIT ? "file too large" :
			    sb_strerror(e));
			break;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (e != SB_OK)
		buf_free(b);
	else if (b->data == NULL)
		e = buf_add(b, "", 0);
	return e;
}

enum sb_err
io_write_all(int fd, const void *p, size_t n)
{
	const char	*s = p;
	ssize_t		 w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return SB_EIO;
		s += w;
		n -= (size_t)w;
	}
	return SB_OK;
}

ssize_t
io_read_fd(void *ctx, char *dst, size_t n)
{
	int	 fd = *(int *)ctx;
	ssize_t	 r;

	do
		r = read(fd, dst, n);
	while (r == -1 && errno == EINTR);
	return r;
}

enum sb_err
io_write_whole(const char *path, const void *p, size_t n, char *err,
    size_t errsz)
{
	char	 tmp[4200];
	int	 fd;

	/* A new name of our own beside the target (mkstemp: O_EXCL, 0600),
	 * never a PATH.tmp that someone could have planted as a link. */
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		snprintf(err, errsz, "%.400s: path too long", path);
		return SB_ELIMIT;
	}
	if ((fd = mkstemp(tmp)) == -1 || fchmod(fd, 0600) == -1) {
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		snprintf(err, errsz, "%.400s: %s", tmp, strerror(errno));
		return SB_EIO;
	}
	if (io_write_all(fd, p, n) != SB_OK || fsync(fd) == -1) {
		snprintf(err, errsz, "%.400s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return SB_EIO;
	}
	if (close(fd) == -1 || rename(tmp, path) != 0) {
		snprintf(err, errsz, "%.400s: %s", path, strerror(errno));
		unlink(tmp);
		return SB_EIO;
	}
	return SB_OK;
}

enum sb_err
io_dir_fresh(const char *dir, char *err, size_t errsz)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0;

	if (mkdir(dir, 0700) == 0)
		return SB_OK;
	if (errno != EEXIST) {
		snprintf(err, errsz, "%.400s: %s", dir, strerror(errno));
		return SB_EIO;
	}
	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errsz, "%.400s: %s", dir, strerror(errno));
		return SB_EIO;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") !=
		    0)
			n++;
	closedir(d);
	if (n > 0) {
		snprintf(err, errsz, "%.400s: holds %zu file%s: give a new or "
		    "empty directory, so that nothing of an earlier export is "
		    "taken for part of this one", dir, n, n == 1 ? "" : "s");
		return SB_EINVAL;
	}
	return SB_OK;
}

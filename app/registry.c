/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * registry.c - built-in and local instruments, licence permissions.  See
 * registry.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/builtin.h"
#include "app/io.h"
#include "app/registry.h"
#include "core/text.h"

static SB_MUST enum sb_err
add(struct registry *r, struct instrument *in, bool builtin)
{
	struct reg_entry	*v;
	size_t			 i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].in->id, in->id) == 0) {
			/* A local file replaces the shipped definition. */
			instr_free(r->v[i].in);
			r->v[i].in = in;
			r->v[i].builtin = builtin;
			r->v[i].enabled = in->licence == LICENCE_FREE;
			return SB_OK;
		}
	if (r->n >= REGISTRY_MAX)
		return SB_ELIMIT;
	if ((v = realloc(r->v, (r->n + 1) * sizeof(*v))) == NULL)
		return SB_ENOMEM;
	r->v = v;
	memset(&v[r->n], 0, sizeof(v[r->n]));
	v[r->n].in = in;
	v[r->n].builtin = builtin;
	v[r->n].enabled = in->licence == LICENCE_FREE;
	r->n++;
	return SB_OK;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static SB_MUST enum sb_err
load_dir(struct registry *r, const char *dir, struct buf *warn)
{
	DIR			*d;
	struct dirent		*de;
	char			*names[REGISTRY_MAX], path[4096], err[512];
	size_t			 n = 0, i, len;
	struct buf		 text;
	struct instrument	*in;
	enum sb_err		 e = SB_OK;

	if ((d = opendir(dir)) == NULL) {
		buf_printf(warn, "%s: %s\n", dir, strerror(errno));
		return SB_EIO;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 12 || strcmp(de->d_name + len - 11, ".instrument"))
			continue;
		if (n == REGISTRY_MAX) {
			buf_printf(warn, "%s: more than %d definition files; "
			    "the rest are ignored\n", dir, REGISTRY_MAX);
			break;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			e = SB_ENOMEM;
			goto out;
		}
		n++;
	}
	/* Sorted, so that which file wins a duplicate id is predictable. */
	qsort(names, n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n && e == SB_OK; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path))
			continue;
		if (io_read_file(path, INSTR_MAX_FILE, &text, err,
		    sizeof(err)) != SB_OK) {
			buf_printf(warn, "%s\n", err);
			continue;
		}
		if (instr_parse(text.data, text.len, path, &in, warn) ==
		    SB_OK)
			e = add(r, in, false);
		buf_free(&text);
	}
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	closedir(d);
	return e;
}

/* Reads the licences file; a missing file means no permissions yet. */
static SB_MUST enum sb_err
load_licences(struct registry *r, const char *path, struct buf *warn)
{
	struct buf	 text, perm;
	char		 err[512], *line, *next, *f[4];
	size_t		 lineno = 0, i, k;
	enum sb_err	 e;

	e = io_read_file(path, LICENCES_MAX_FILE, &text, err, sizeof(err));
	if (e == SB_ENOENT)
		return SB_OK;
	if (e != SB_OK) {
		buf_printf(warn, "%s\n", err);
		return SB_OK;
	}
	for (line = text.data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		f[0] = line;
		for (k = 1; k < 4; k++)
			if ((f[k] = strchr(f[k - 1], '\t')) != NULL)
				*f[k]++ = '\0';
			else
				break;
		if (k < 4 || !utf8_valid(line, strlen(line)) ||
		    strchr(f[3], '\t') != NULL) {
			buf_printf(warn, "%s:%zu: expected ID, date, recorded "
			    "by and reference separated by tabs\n", path,
			    lineno);
			continue;
		}
		for (i = 0; i < r->n; i++)
			if (strcmp(r->v[i].in->id, f[0]) == 0)
				break;
		if (i == r->n) {
			buf_printf(warn, "%s:%zu: no instrument \"%s\"\n",
			    path, lineno, f[0]);
			continue;
		}
		free(r->v[i].permission);
		r->v[i].permission = NULL;
		buf_init(&perm, 4096);
		if (buf_printf(&perm, "%s, recorded by %s: %s", f[1], f[2],
		    f[3]) == SB_ENOMEM) {
			buf_free(&text);
			return SB_ENOMEM;
		}
		r->v[i].permission = buf_take(&perm);
		r->v[i].enabled = true;
	}
	buf_free(&text);
	return SB_OK;
}

enum sb_err
registry_load(struct registry *r, const char *dir, const char *licences,
    struct buf *warn)
{
	const struct builtin_file	*b;
	struct instrument		*in;
	enum sb_err			 e;

	r->v = NULL;
	r->n = 0;
	for (b = builtin_instruments; b->name != NULL; b++) {
		/* A shipped file that fails to parse is a build defect;
		 * the test suite parses every one. */
		if ((e = instr_parse(b->data, b->len, b->name, &in, warn)) !=
		    SB_OK) {
			if (e == SB_ENOMEM)
				goto bad;
			continue;
		}
		if ((e = add(r, in, true)) != SB_OK) {
			instr_free(in);
			goto bad;
		}
	}
	if (dir != NULL && (e = load_dir(r, dir, warn)) == SB_ENOMEM)
		goto bad;
	if (licences != NULL && (e = load_licences(r, licences, warn)) !=
	    SB_OK)
		goto bad;
	return SB_OK;
bad:
	registry_free(r);
	return e;
}

void
registry_free(struct registry *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		instr_free(r->v[i].in);
		free(r->v[i].permission);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

const struct reg_entry *
registry_find(const struct registry *r, const char *id)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].in->id, id) == 0)
			return &r->v[i];
	return NULL;
}

enum sb_err
registry_set_permission(struct registry *r, const char *id, const char *text)
{
	size_t	 i;
	char	*t;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].in->id, id) == 0) {
			if ((t = strdup(text)) == NULL)
				return SB_ENOMEM;
			free(r->v[i].permission);
			r->v[i].permission = t;
			r->v[i].enabled = true;
			return SB_OK;
		}
	return SB_ENOENT;
}

static bool
field_ok(const char *s)
{
	return *s != '\0' && strpbrk(s, "\t\r\n") == NULL &&
	    utf8_valid(s, strlen(s)) && strlen(s) <= 1000;
}

enum sb_err
registry_permit(const char *path, const char *id, const char *by,
    const char *ref, char *err, size_t errsz)
{
	char		 date[16];
	time_t		 now = (time_t)clock_now();
	struct tm	 tm;
	struct buf	 line;
	int		 fd;
	enum sb_err	 e;

	if (!field_ok(by) || !field_ok(ref)) {
		snprintf(err, errsz, "--by and --reference must be one line "
		    "of UTF-8 text without tabs, at most 1000 bytes");
		return SB_EINVAL;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	buf_init(&line, 4096);
	if ((e = buf_printf(&line, "%s\t%s\t%s\t%s\n", id, date, by, ref)) !=
	    SB_OK) {
		snprintf(err, errsz, "%s", sb_strerror(e));
		return e;
	}
	/* O_APPEND: one write of one line, so concurrent recorders do not
	 * interleave and a crash leaves at worst a missing line. */
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd == -1) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		buf_free(&line);
		return SB_EIO;
	}
	e = io_write_all(fd, line.data, line.len);
	if (e == SB_OK && fsync(fd) == -1)
		e = SB_EIO;
	if (close(fd) == -1)
		e = SB_EIO;
	if (e != SB_OK)
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
	buf_free(&line);
	return e;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * help.c - `securebase help CMD`, --help, and the usage line of a usage
 * error: all from the manual (man/securebase-CMD.1, written in mdoc),
 * as mandoc rendered it at build time and the Makefile compiled in.  One
 * source for `man securebase-score` and `securebase help score`, so the
 * two cannot drift apart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/builtin.h"

/* The rendered page of cmd (NULL: the overview), or NULL. */
static const struct builtin_file *
find(const char *cmd)
{
	const struct builtin_file	*f;
	char				 name[96];

	if (cmd != NULL && (strchr(cmd, '/') != NULL || strlen(cmd) > 64))
		return NULL;
	snprintf(name, sizeof(name), "securebase%s%s.txt", cmd ? "-" : "",
	    cmd ? cmd : "");
	for (f = builtin_man; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
help_print(const char *cmd)
{
	const struct builtin_file	*f = find(cmd);

	if (f == NULL)
		return usage_error(NULL, "no manual page for \"%.64s\"", cmd);
	fwrite(f->data, 1, f->len, stdout);
	return EXIT_OK;
}

/* The page's SYNOPSIS lines, each without the page's indent. */
static void
print_synopsis(const struct builtin_file *f)
{
	const char	*p, *end = f->data + f->len, *nl;
	bool		 first = true;

	if ((p = strstr(f->data, "\nSYNOPSIS\n")) == NULL) {
		fprintf(stderr, "securebase COMMAND");
		return;
	}
	for (p += strlen("\nSYNOPSIS\n"); p < end && *p != '\n'; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		while (p < nl && *p == ' ')
			p++;
		fprintf(stderr, "%s%.*s", first ? "" : "\n       ",
		    (int)(nl - p), p);
		first = false;
	}
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
	const struct builtin_file	*f = find(cmd);
	va_list				 ap;

	fprintf(stderr, "securebase%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: ");
	if (f != NULL)
		print_synopsis(f);
	else
		fprintf(stderr, "securebase COMMAND");
	fprintf(stderr, "\n(see: securebase help%s%s)\n", cmd ? " " : "",
	    cmd ? cmd : "");
	return EXIT_USAGE;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_audit.c - `securebase audit`: verify the audit trail, with anchors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "app/io.h"
#include "store/audit.h"
#include "store/backup.h"
#include "store/rows.h"

/*
 * The anchors of --anchor: one line, or a file of lines (a log, the
 * backup reports) in which every anchor found is used.
 */
static int
read_anchors(const char *arg, struct audit_anchor **out, size_t *n)
{
	struct audit_anchor	 a, *v = NULL, *nv;
	struct buf		 b;
	char			 err[512], *line, *next;
	size_t			 cap = 0;
	struct stat		 st;

	*out = NULL;
	*n = 0;
	if (stat(arg, &st) != 0) {
		if (!audit_anchor_parse(arg, &a))
			return usage_error("audit", "--anchor is a line "
			    "\"securebase-anchor 1 seq=... mac=...\" or a file "
			    "of them");
		if ((*out = malloc(sizeof(a))) == NULL)
			return EXIT_RUNTIME;
		**out = a;
		*n = 1;
		return EXIT_OK;
	}
	buf_init(&b, 1 << 26);
	if (io_read_file(arg, 1 << 26, &b, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase audit: %s\n", err);
		buf_free(&b);
		return EXIT_RUNTIME;
	}
	for (line = b.data; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (!audit_anchor_parse(line, &a))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				free(v);
				buf_free(&b);
				return EXIT_RUNTIME;
			}
			v = nv;
		}
		v[(*n)++] = a;
	}
	buf_free(&b);
	if (*n == 0) {
		free(v);
		fprintf(stderr, "securebase audit: %s: no anchor in it\n", arg);
		return EXIT_RUNTIME;
	}
	*out = v;
	return EXIT_OK;
}

int
cmd_audit(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *anchor = NULL;
	bool			 backup = false;
	struct opt		 opts[] = {
		{ "anchor", &anchor, NULL, NULL },
		{ "backup", NULL, &backup, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct audit_report	 r;
	struct rows_report	 rr;
	struct store_key	 key;
	bool			 summed = false, sumbad = false;
	char			 sp[4200], kf[4200], err[1024];
	struct audit_anchor	 a, *an = NULL;
	struct store		*s;
	char			 line[256];
	size_t			 npos, nan = 0;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("audit", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "anchor") == 0) {
		if (anchor != NULL)
			return usage_error("audit", "audit anchor takes no "
			    "--anchor");
		if ((s = cli_store(ctx, "audit", false, &rc)) == NULL)
			return rc;
		if ((e = audit_anchor_take(s, &a)) == SB_OK) {
			audit_anchor_format(&a, line, sizeof(line));
			printf("%s\n", line);
		}
		return cli_done(s, "audit", e);
	}
	if (strcmp(pos[0], "verify") != 0)
		return usage_error("audit", "audit verify [--anchor LINE|FILE], "
		    "or audit anchor");
	/* A backup's own checksum first (backup.h): any byte changed since
	 * it was made, in a sealed row or not.  Required with --backup;
	 * checked whenever one lies beside the file. */
	if (ctx->db != NULL && store_is_file(ctx->db) &&
	    (size_t)snprintf(sp, sizeof(sp), "%s.sum", ctx->db) < sizeof(sp) &&
	    (backup || access(sp, F_OK) == 0)) {
		if ((rc = cli_key(ctx, "audit", &key, kf, sizeof(kf))) !=
		    EXIT_OK)
			return rc;
		if (store_backup_sum_check(ctx->db, &key, err, sizeof(err)) ==
		    SB_OK)
			summed = true;
		else {
			fprintf(stderr, "securebase audit: NOT INTACT: %s\n",
			    err);
			sumbad = true;
		}
	} else if (backup)
		return usage_error("audit", "--backup checks a backup file "
		    "(--db PATH) and its PATH.sum");
	if (anchor != NULL && (rc = read_anchors(anchor, &an, &nan)) !=
	    EXIT_OK)
		return rc;
	/* Read-only: a backup checked in place stays as it was. */
	if ((s = cli_store_readonly(ctx, "audit", &rc)) == NULL) {
		free(an);
		return rc;
	}
	/* The file first: a damaged index would mislead the rest.  Then
	 * the trail, then the rows that decide access and safety: both
	 * are reported, whichever fails. */
	if ((e = store_quick_check(s)) == SB_OK &&
	    (e = audit_verify_anchored(s, an, nan, &r)) == SB_OK)
		e = rows_verify(s, &rr);
	free(an);
	if (e != SB_OK)
		return cli_done(s, "audit", e);
	store_close(s);
	if (!r.intact) {
		if (r.bad_seq > 0)
			fprintf(stderr, "securebase audit: NOT INTACT at row "
			    "%lld: %s\n", (long long)r.bad_seq, r.what);
		else
			fprintf(stderr, "securebase audit: NOT INTACT: %s\n",
			    r.what);
	} else {
		printf("audit trail intact: %lld rows", (long long)r.rows);
		if (nan > 0)
			printf(", nothing removed, rewritten or rolled back up "
			    "to %zu anchor%s", nan, nan == 1 ? "" : "s");
		printf("\n");
	}
	if (!rr.intact) {
		/* One line per row or table, each naming it. */
		fprintf(stderr, "securebase audit: sealed rows NOT INTACT "
		    "(%zu finding%s):\n%s", rr.nbad, rr.nbad == 1 ? "" : "s",
		    rr.what);
		if (strlen(rr.what) + 200 >= sizeof(rr.what))
			fprintf(stderr, "(more than these)\n");
	} else
		printf("sealed rows intact: %lld rows that decide access and "
		    "safety\n", (long long)rr.rows);
	if (summed)
		printf("backup checksum matches: %s\n", sp);
	return r.intact && rr.intact && !sumbad ? EXIT_OK : EXIT_RUNTIME;
}

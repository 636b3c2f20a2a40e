/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_backup.c - `securebase backup`: a verified copy of the practice.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "store/backup.h"

int
cmd_backup(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	struct opt	 opts[] = { { NULL, NULL, NULL, NULL } };
	struct store	*s;
	struct store_key key;
	struct audit_anchor a;
	char		 kf[4200], err[1024], line[256];
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("backup", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((s = cli_store(ctx, "backup", false, &rc)) == NULL)
		return rc;
	if ((rc = cli_key(ctx, "backup", &key, kf, sizeof(kf))) != EXIT_OK) {
		store_close(s);
		return rc;
	}
	/* The anchor goes into the report: kept with the backup's log, it
	 * proves later that the live trail was not rolled back past it. */
	if (audit_anchor_take(s, &a) != SB_OK) {
		fprintf(stderr, "securebase backup: %s\n", store_errmsg(s));
		store_close(s);
		return EXIT_RUNTIME;
	}
	rc = store_backup(s, pos[0], &key, err, sizeof(err)) == SB_OK ?
	    EXIT_OK : EXIT_RUNTIME;
	/* For the monitors (/metrics): the backup stands either way. */
	if (rc == EXIT_OK && store_backup_note(s, clock_now()) != SB_OK)
		fprintf(stderr, "securebase backup: warning: the backup is "
		    "made, but the practice could not record when: %s\n",
		    store_errmsg(s));
	store_close(s);
	if (rc != EXIT_OK)
		fprintf(stderr, "securebase backup: %s\n", err);
	else {
		audit_anchor_format(&a, line, sizeof(line));
		printf("backup written and verified: %s\nanchor: %s\n",
		    pos[0], line);
	}
	return rc;
}

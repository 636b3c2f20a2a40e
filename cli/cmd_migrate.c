/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_migrate.c - `securebase migrate`: a practice moved to another
 * database (SQLite to PostgreSQL and back), checked on arrival.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/store.h"

int
cmd_migrate(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *from = NULL, *to = NULL;
	struct opt	 opts[] = {
		{ "from", &from, NULL, NULL },
		{ "to", &to, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store_migrate_report r;
	struct ctx	 kctx = *ctx;
	struct store_key key;
	char		 kf[4200], err[1024], shown[512];
	size_t		 npos, i;
	int64_t		 total = 0;
	int		 rc;

	if ((rc = opts_parse("migrate", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (from == NULL || to == NULL)
		return usage_error("migrate", "migrate needs --from (the "
		    "practice) and --to (a new file or an empty database)");
	/* The key is the source's: PATH.key beside a file, or named. */
	kctx.db = from;
	if ((rc = cli_key(&kctx, "migrate", &key, kf, sizeof(kf))) != EXIT_OK)
		return rc;
	if (store_migrate(from, to, &key, &r, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase migrate: nothing was moved: %s\n",
		    err);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < r.ntables; i++)
		total += r.rows[i];
	store_target_shown(to, shown, sizeof(shown));
	printf("migrated %lld rows of %zu tables to %s; row counts and the "
	    "audit trail (%lld rows) verified there\n", (long long)total,
	    r.ntables, shown, (long long)r.audit_rows);
	for (i = 0; i < r.ntables; i++)
		printf("  %s\t%lld\n", r.table[i], (long long)r.rows[i]);
	if (store_is_file(to) && key.file != NULL)
		printf("The key stays %s: give it as --key-file with the new "
		    "database (it is not copied).\n", key.file);
	return EXIT_OK;
}

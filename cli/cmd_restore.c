/*
 * cmd_restore.c - `securebase restore`: a verified copy put in place.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "store/backup.h"

int
cmd_restore(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	bool		 replace = false;
	struct opt	 opts[] = {
		{ "replace", NULL, &replace, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store_key key;
	char		 kf[4200], err[1024];
	size_t		 npos;
	int		 rc;

	if ((rc = opts_parse("restore", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (ctx->db == NULL)
		return usage_error("restore", "restore needs --db PATH (where "
		    "to restore to)");
	if ((rc = cli_key(ctx, "restore", &key, kf, sizeof(kf))) != EXIT_OK)
		return rc;
	if (store_restore(pos[0], ctx->db, &key, replace, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase restore: refused: %s\n", err);
		return EXIT_RUNTIME;
	}
	printf("restored %s from %s (verified)\n", ctx->db, pos[0]);
	return EXIT_OK;
}

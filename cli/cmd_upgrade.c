/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_upgrade.c - `securebase upgrade`: a practice made by an earlier
 * release brought to this one's schema, after a verified backup.  Every
 * other command refuses an older practice and says to run this.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "store/store.h"

/* --check: the practice is older than this release. */
#define EXIT_OLDER	3

/*
 * --check: is the practice at this release's schema?  Changes nothing,
 * takes no lock (a package's postinst asks it while serve may run).
 */
static int
check(const char *db, const struct store_key *key)
{
	struct store	*s = NULL;
	char		 err[1024], shown[512];
	enum sb_err	 e;

	store_target_shown(db, shown, sizeof(shown));
	e = store_open_readonly(db, key, &s, err, sizeof(err));
	store_close(s);
	if (e == SB_OK) {
		printf("%s is at this release's schema (%d): nothing to "
		    "upgrade\n", shown, store_schema_latest());
		return EXIT_OK;
	}
	fprintf(stderr, "securebase upgrade: %s\n", err);
	return e == SB_EUPGRADE ? EXIT_OLDER : EXIT_RUNTIME;
}

int
cmd_upgrade(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *backup = NULL;
	bool		 only_check = false;
	struct opt	 opts[] = {
		{ "backup", &backup, NULL, NULL },
		{ "check", NULL, &only_check, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store_key key;
	char		 kf[4200], err[1024], def[4200], shown[512];
	size_t		 npos;
	int		 rc, from, to;

	if ((rc = opts_parse("upgrade", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (ctx->db == NULL)
		return usage_error("upgrade", "which practice? give --db PATH or "
		    "set SECUREBASE_DB");
	if ((rc = cli_key(ctx, "upgrade", &key, kf, sizeof(kf))) != EXIT_OK)
		return rc;
	if (only_check)
		return check(ctx->db, &key);
	/* A file's backup goes beside it by default, named for the time;
	 * a server's database needs a path for its dump. */
	if (backup == NULL && store_is_file(ctx->db)) {
		time_t		 now = (time_t)clock_now();
		struct tm	 tm;
		char		 stamp[32];

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		if ((size_t)snprintf(def, sizeof(def), "%s.before-upgrade-%s",
		    ctx->db, stamp) >= sizeof(def))
			return usage_error("upgrade", "--db is too long");
		backup = def;
	}
	if (store_upgrade(ctx->db, &key, backup, &from, &to, err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase upgrade: %s\n", err);
		return EXIT_RUNTIME;
	}
	store_target_shown(ctx->db, shown, sizeof(shown));
	if (from == to)
		printf("%s is at schema %d, this release's: nothing to do\n",
		    shown, to);
	else
		printf("backup written and verified: %s (schema %d)\n"
		    "upgraded %s from schema %d to %d\n", backup, from, shown,
		    from, to);
	return EXIT_OK;
}

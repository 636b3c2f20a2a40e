/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_restore.c - `securebase restore`: a verified copy put in place.
 */
#include <stdio.h>
#include <time.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "store/backup.h"

int
cmd_restore(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	bool		 replace = false, unsummed = false;
	struct opt	 opts[] = {
		{ "replace", NULL, &replace, NULL },
		{ "unsummed", NULL, &unsummed, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store_key key;
	char		 kf[4200], err[1024], kept[4300];
	enum sb_err	 e;
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
	if (store_restore(pos[0], ctx->db, &key, (replace ? RESTORE_REPLACE :
	    0) | (unsummed ? RESTORE_UNSUMMED : 0), kept, sizeof(kept), err,
	    sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase restore: refused: %s\n", err);
		return EXIT_RUNTIME;
	}
	printf("restored %s from %s (verified)\n", ctx->db, pos[0]);
	if (kept[0] != '\0')
		printf("the practice it replaced is kept as %s: remove it when "
		    "it is no longer needed\n", kept);
	/* A restore drill must mail no one: the copy's leases and due
	 * messages would otherwise go to real therapists and clients.
	 * An admin releases it (administration page, notify release). */
	{
		struct store	*s = NULL;
		char		 why[300];
		time_t		 t = (time_t)clock_now();
		struct tm	 tm;
		char		 day[32];

		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d %H:%M UTC", &tm);
		snprintf(why, sizeof(why), "restored from a backup on %s", day);
		e = store_open(ctx->db, &key, &s, err, sizeof(err));
		if (e == SB_EUPGRADE) {
			/* An older release's practice (a rollback): that
			 * release knows no hold, and this one serves it only
			 * after upgrade. */
			printf("sending is not held: %s has an older release's "
			    "schema; serve it with that release, or run "
			    "securebase upgrade first\n", ctx->db);
			return EXIT_OK;
		}
		if (e != SB_OK || store_sending_hold_restored(s, why) !=
		    SB_OK) {
			fprintf(stderr, "securebase restore: could not hold "
			    "sending in the restored practice: %s; run "
			    "securebase notify hold --reason restored before "
			    "serving it\n", s ? store_errmsg(s) : err);
			store_close(s);
			return EXIT_RUNTIME;
		}
		store_close(s);
		printf("sending is held in %s: nothing is mailed or sent by "
		    "SMS until an admin releases it (securebase notify "
		    "release, or the administration page)\n", ctx->db);
	}
	return EXIT_OK;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_episode.c - `securebase episode`: episodes of care.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

int
cmd_episode(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *client = NULL, *date = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "date", &date, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 id = 0;
	size_t		 npos;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("episode", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (date == NULL || !((strcmp(pos[0], "start") == 0 && npos == 1 &&
	    cli_id(client, &id)) || (strcmp(pos[0], "end") == 0 && npos == 2 &&
	    cli_id(pos[1], &id))))
		return usage_error("episode", "episode start --client ID --date"
		    " D, or episode end EPISODE --date D");
	if ((s = cli_store(ctx, "episode", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "start") == 0) {
		if ((e = store_episode_start(s, id, date, &id)) == SB_OK)
			cli_print_id(json, "episode", id);
	} else {
		struct store_stopped	 st = { 0, 0, 0 };

		if ((e = store_episode_end(s, id, date, &st)) == SB_OK)
			cli_print_stopped(&st);
	}
	return cli_done(s, "episode", e);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_session.c - `securebase session`: sessions and attendance.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

int
cmd_session(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *client = NULL, *date = NULL, *note = NULL;
	const char	*att = "attended";
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "date", &date, NULL, NULL },
		{ "attendance", &att, NULL, NULL },
		{ "note", &note, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	size_t		 npos;
	int64_t		 cid, id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("session", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") != 0 || !cli_id(client, &cid) ||
	    date == NULL)
		return usage_error("session", "session add needs --client ID "
		    "and --date YYYY-MM-DD");
	if ((s = cli_store(ctx, "session", true, &rc)) == NULL)
		return rc;
	if ((e = store_session_add(s, cid, date, att, note, &id)) == SB_OK)
		cli_print_id(json, "session", id);
	return cli_done(s, "session", e);
}

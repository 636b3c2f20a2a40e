/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_consent.c - `securebase consent`: consents given and withdrawn.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

int
cmd_consent(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *client = NULL, *kind = NULL, *date = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "kind", &kind, NULL, NULL },
		{ "date", &date, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 id = 0;
	size_t		 npos;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("consent", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (date == NULL || !((strcmp(pos[0], "add") == 0 && npos == 1 &&
	    kind != NULL && cli_id(client, &id)) ||
	    (strcmp(pos[0], "withdraw") == 0 && npos == 2 &&
	    cli_id(pos[1], &id))))
		return usage_error("consent", "consent add --client ID --kind K"
		    " --date D, or consent withdraw CONSENT --date D");
	if ((s = cli_store(ctx, "consent", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_consent_add(s, id, kind, date, &id)) == SB_OK)
			cli_print_id(json, "consent", id);
	} else {
		struct store_stopped	 st = { 0, 0, 0 };

		if ((e = store_consent_withdraw(s, id, date, &st)) == SB_OK)
			cli_print_stopped(&st);
	}
	return cli_done(s, "consent", e);
}

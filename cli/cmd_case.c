/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_case.c - `securebase case`: clients seen together, and their sharing.
 */
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

/* Parses "1,2,3" into ids. */
static bool
id_list(const char *s, int64_t *ids, size_t max, size_t *n)
{
	char	 one[32];
	size_t	 len;

	*n = 0;
	while (s != NULL && *s != '\0') {
		len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(one) || *n == max)
			return false;
		memcpy(one, s, len);
		one[len] = '\0';
		if (!cli_id(one, &ids[(*n)++]))
			return false;
		s += len;
		if (*s == ',')
			s++;
	}
	return *n > 0;
}

int
cmd_case(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *kind = NULL, *clients = NULL;
	const char	*client = NULL;
	bool		 json = false, unshare = false;
	struct opt	 opts[] = {
		{ "kind", &kind, NULL, NULL },
		{ "clients", &clients, NULL, NULL },
		{ "client", &client, NULL, NULL },
		{ "unshare", NULL, &unshare, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	int64_t		 ids[32], id = 0, cid = 0;
	size_t		 npos, n = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("case", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") == 0) {
		if (kind == NULL || !id_list(clients, ids, 32, &n))
			return usage_error("case", "case add needs --kind and "
			    "--clients ID,ID,...");
	} else if (strcmp(pos[0], "share-answers") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || !cli_id(client, &cid))
			return usage_error("case", "case share-answers CASE "
			    "--client ID [--unshare]");
	} else
		return usage_error("case", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if ((s = cli_store(ctx, "case", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_case_add(s, kind, ids, n, &id)) == SB_OK)
			cli_print_id(json, "case", id);
	} else
		e = store_case_share_answers(s, id, cid, !unshare);
	return cli_done(s, "case", e);
}

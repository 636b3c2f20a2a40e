/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_relationship.c - `securebase relationship`: the ties between them.
 */

#include "cli/cli.h"
#include "store/store.h"

int
cmd_relationship(const struct ctx *ctx, int argc, char **argv)
{
	const char			*pos[2], *client = NULL, *from = NULL;
	const char			*to = NULL;
	struct store_relationship	 r = { 0, 0, NULL, NULL, NULL, NULL }, q;
	const struct hist_tie		*cur;
	struct history			 h;
	bool				 json = false;
	struct opt			 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "from", &from, NULL, NULL },
		{ "to", &to, NULL, NULL },
		{ "type", &r.type, NULL, NULL },
		{ "start", &r.start, NULL, NULL },
		{ "end", &r.end, NULL, NULL },
		{ "note", &r.note, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store			*s;
	size_t				 npos;
	int64_t				 cid, id = 0;
	int				 rc, verb;
	enum sb_err			 e;

	if ((rc = opts_parse("relationship", argc, argv, opts, pos, 1, 2,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("relationship", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (from && !cli_id(from, &r.a)) ||
	    (to && !cli_id(to, &r.b)) || (verb == 'a' && (r.a == 0 ||
	    r.b == 0 || r.type == NULL)))
		return usage_error("relationship", "relationship add needs "
		    "--client ID --from PERSON --to PERSON --type TYPE");
	if ((s = cli_store(ctx, "relationship", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_relationship_add(s, cid, &r, &id)) == SB_OK)
			cli_print_id(json, "relationship", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "relationship", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_tie(&h, id)) == NULL)
			e = missing_entry("relationship", id);
		else {
			q.a = r.a ? r.a : cur->a;
			q.b = r.b ? r.b : cur->b;
			q.type = r.type ? r.type : cur->type;
			q.start = opt_text(r.start, cur->start);
			q.end = opt_text(r.end, cur->end);
			q.note = opt_text(r.note, cur->note);
			e = store_relationship_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "relationship", e);
}

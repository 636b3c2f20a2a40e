/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_person.c - `securebase person`: the people of a client's history.
 */

#include "cli/cli.h"
#include "store/store.h"

int
cmd_person(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *client = NULL, *born = NULL;
	const char		*died = NULL;
	struct store_person	 p = { NULL, NULL, NULL, 0, 0, NULL }, q;
	const struct hist_person *cur;
	struct history		 h;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "name", &p.name, NULL, NULL },
		{ "role", &p.role, NULL, NULL },
		{ "gender", &p.gender, NULL, NULL },
		{ "born", &born, NULL, NULL },
		{ "died", &died, NULL, NULL },
		{ "note", &p.note, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store		*s;
	size_t			 npos;
	int64_t			 cid, id = 0;
	int			 rc, verb;
	enum sb_err		 e;

	if ((rc = opts_parse("person", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("person", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (verb == 'a' && p.name == NULL))
		return usage_error("person", "person %s needs --client ID%s",
		    pos[0], verb == 'a' ? " and --name NAME" : "");
	if (!opt_int(born, 1800, 2200, &p.birth_year, 0) ||
	    !opt_int(died, 1800, 2200, &p.death_year, 0))
		return usage_error("person", "--born and --died are years "
		    "1800-2200");
	if ((s = cli_store(ctx, "person", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_person_add(s, cid, &p, &id)) == SB_OK)
			cli_print_id(json, "person", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "person", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_person(&h, id)) == NULL)
			e = missing_entry("person", id);
		else {
			q.name = opt_text(p.name, cur->name);
			q.role = opt_text(p.role, cur->role);
			q.gender = opt_text(p.gender, cur->gender);
			q.note = opt_text(p.note, cur->note);
			q.birth_year = born ? p.birth_year : cur->born;
			q.death_year = died ? p.death_year : cur->died;
			e = store_person_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "person", e);
}

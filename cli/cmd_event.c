/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_event.c - `securebase event`: life events.
 */

#include "cli/cli.h"
#include "store/store.h"

int
cmd_event(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *client = NULL, *age = NULL;
	const char		*val = NULL, *inten = NULL, *end_age = NULL;
	struct store_event	 ev = { .age = -1, .end_age = -1 }, q;
	const struct hist_event	*cur;
	struct history		 h;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "category", &ev.category, NULL, NULL },
		{ "date", &ev.date, NULL, NULL },
		{ "age", &age, NULL, NULL },
		{ "end-date", &ev.end_date, NULL, NULL },
		{ "end-age", &end_age, NULL, NULL },
		{ "valence", &val, NULL, NULL },
		{ "intensity", &inten, NULL, NULL },
		{ "note", &ev.note, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store		*s;
	size_t			 npos;
	int64_t			 cid, id = 0;
	int			 rc, verb;
	enum sb_err		 e;

	if ((rc = opts_parse("event", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((verb = entry_verb("event", pos, npos, &id)) == 0)
		return EXIT_USAGE;
	if (!cli_id(client, &cid) || (verb == 'a' && (ev.category == NULL ||
	    val == NULL || inten == NULL)))
		return usage_error("event", "event add needs --client ID "
		    "--category C --valence V --intensity I and --date or "
		    "--age");
	if (!opt_int(age, 0, 130, &ev.age, -1) ||
	    !opt_int(end_age, 0, 130, &ev.end_age, -1) ||
	    !opt_int(val, -3, 3, &ev.valence, 0) ||
	    !opt_int(inten, 1, 5, &ev.intensity, 0))
		return usage_error("event", "--age and --end-age are 0-130, "
		    "--valence -3..3, --intensity 1..5");
	if ((s = cli_store(ctx, "event", true, &rc)) == NULL)
		return rc;
	if (verb == 'a') {
		if ((e = store_event_add(s, cid, &ev, &id)) == SB_OK)
			cli_print_id(json, "event", id);
	} else if (verb == 'r')
		e = store_history_remove(s, cid, "event", id);
	else if ((e = entry_current(s, cid, &h)) == SB_OK) {
		if ((cur = history_event(&h, id)) == NULL)
			e = missing_entry("event", id);
		else {
			q.category = ev.category ? ev.category : cur->category;
			q.date = opt_text(ev.date, cur->date);
			q.age = age ? ev.age : cur->age;
			q.end_date = opt_text(ev.end_date, cur->end_date);
			q.end_age = end_age ? ev.end_age : cur->end_age;
			q.valence = val ? ev.valence : cur->valence;
			q.intensity = inten ? ev.intensity : cur->intensity;
			q.note = opt_text(ev.note, cur->note);
			e = store_event_update(s, cid, id, &q);
		}
		history_free(&h);
	}
	return cli_done(s, "event", e);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_alerts.c - `securebase alerts`: open alerts, acknowledged and resolved.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "render/json.h"
#include "store/store.h"

/* One open alert a line: id, client, severity, rule, state, raised,
 * detail. */
static SB_MUST enum sb_err
alert_line(void *arg, const struct store_alert *a)
{
	return buf_printf(arg, "%lld\tclient %lld\t%s\t%s\t%s\t%s\t%s\n",
	    (long long)a->id, (long long)a->client, a->severity, a->rule,
	    a->state, a->created, a->detail);
}

static SB_MUST enum sb_err
alert_json(void *arg, const struct store_alert *a)
{
	json_t	*one;

	one = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s?, s:s}", "id",
	    (json_int_t)a->id, "client", (json_int_t)a->client, "rule",
	    a->rule, "severity", a->severity, "state", a->state, "created",
	    a->created, "historic", a->historic[0] ? a->historic : NULL,
	    "detail", a->detail);
	if (one == NULL || json_array_append_new(arg, one) != 0)
		return SB_ENOMEM;
	return SB_OK;
}

int
cmd_alerts(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *note = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "note", &note, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	json_t		*list = NULL;
	struct buf	 out;
	size_t		 npos;
	int64_t		 id = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("alerts", argc, argv, opts, pos, 0, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (npos > 0 && (npos != 2 || (strcmp(pos[0], "ack") != 0 &&
	    strcmp(pos[0], "resolve") != 0) || !cli_id(pos[1], &id)))
		return usage_error("alerts", "alerts [ack|resolve ID]");
	if ((s = cli_store(ctx, "alerts", true, &rc)) == NULL)
		return rc;
	if (npos == 2)
		return cli_done(s, "alerts", store_alert_move(s, id,
		    strcmp(pos[0], "ack") == 0 ? "acknowledged" : "resolved",
		    note));
	if (json && (list = json_array()) == NULL)
		return cli_done(s, "alerts", SB_ENOMEM);
	buf_init(&out, 1 << 26);
	e = store_alert_open_each(s, json ? alert_json : alert_line, json ?
	    (void *)list : (void *)&out);
	if (e == SB_OK && json)
		e = json_write(&out, list, true);
	e = cli_emit(&out, e);
	json_decref(list);
	return cli_done(s, "alerts", e);
}

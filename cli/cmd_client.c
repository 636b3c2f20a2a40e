/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_client.c - `securebase client`: add, share, list and show clients.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "render/record.h"

/* One client a line: id, name, therapist. */
static SB_MUST enum sb_err
client_line(void *arg, const struct store_client_row *c)
{
	return buf_printf(arg, "%lld\t%s\t%s\n", (long long)c->id, c->name,
	    c->therapist);
}

int
cmd_client(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[2], *name = NULL, *with = NULL, *address = NULL;
	const char	*number = NULL, *channel = NULL, *date = NULL;
	bool		 json = false, remove = false;
	struct opt	 opts[] = {
		{ "name", &name, NULL, NULL },
		{ "with", &with, NULL, NULL },
		{ "address", &address, NULL, NULL },
		{ "number", &number, NULL, NULL },
		{ "channel", &channel, NULL, NULL },
		{ "date", &date, NULL, NULL },
		{ "remove", NULL, &remove, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store_stopped	 stopped = { 0, 0, 0 };
	struct store	*s;
	struct buf	 out;
	size_t		 npos;
	int64_t		 id = 0;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("client", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "add") == 0) {
		if (name == NULL || npos != 1)
			return usage_error("client", "add needs --name NAME");
	} else if (strcmp(pos[0], "email") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || (address == NULL) ==
		    !remove)
			return usage_error("client", "email CID --address "
			    "NAME@DOMAIN, or email CID --remove");
	} else if (strcmp(pos[0], "phone") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || (number == NULL) ==
		    !remove)
			return usage_error("client", "phone CID --number "
			    "+COUNTRY-NUMBER, or phone CID --remove");
	} else if (strcmp(pos[0], "channel") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || channel == NULL)
			return usage_error("client", "channel CID --channel "
			    "mail|sms");
	} else if (strcmp(pos[0], "discharge") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id) || date == NULL)
			return usage_error("client", "discharge CID --date "
			    "YYYY-MM-DD");
	} else if (strcmp(pos[0], "show") == 0 ||
	    strcmp(pos[0], "share") == 0 || strcmp(pos[0], "unshare") == 0) {
		if (npos != 2 || !cli_id(pos[1], &id))
			return usage_error("client", "%s needs a client id",
			    pos[0]);
		if (strcmp(pos[0], "show") != 0 && with == NULL)
			return usage_error("client", "%s needs --with USER",
			    pos[0]);
	} else if (strcmp(pos[0], "list") != 0)
		return usage_error("client", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if ((s = cli_store(ctx, "client", true, &rc)) == NULL)
		return rc;
	buf_init(&out, 1 << 26);
	if (strcmp(pos[0], "add") == 0) {
		if ((e = store_client_add(s, name, &id)) == SB_OK)
			cli_print_id(json, "client", id);
	} else if (strcmp(pos[0], "email") == 0)
		e = store_client_email(s, id, address, &stopped);
	else if (strcmp(pos[0], "phone") == 0)
		e = store_client_phone(s, id, number, &stopped);
	else if (strcmp(pos[0], "channel") == 0)
		e = store_client_channel(s, id, channel);
	else if (strcmp(pos[0], "discharge") == 0)
		e = store_client_discharge(s, id, date, &stopped);
	else if (strcmp(pos[0], "share") == 0)
		e = store_client_share(s, id, with);
	else if (strcmp(pos[0], "unshare") == 0)
		e = store_client_unshare(s, id, with);
	else if (strcmp(pos[0], "list") == 0)
		e = cli_emit(&out, store_client_each(s, client_line, &out));
	else if ((e = record_text(s, id, &out, NULL)) == SB_OK)
		fputs(out.data ? out.data : "", stdout);
	buf_wipe(&out);
	if (e == SB_OK)
		cli_print_stopped(&stopped);
	return cli_done(s, "client", e);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_report.c - `securebase report --client CID --pdf FILE
 * [--for-client]`: the printable progress report (render/report.h),
 * written whole to a private file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "cli/cli.h"
#include "app/io.h"
#include "render/report.h"
#include "store/store.h"

int
cmd_report(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1], *client = NULL, *pdf = NULL;
	bool		 for_client = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "pdf", &pdf, NULL, NULL },
		{ "for-client", NULL, &for_client, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry	 reg = { NULL, 0 };
	struct store	*s;
	struct buf	 doc;
	char		 err[512];
	size_t		 npos;
	int64_t		 cid;
	int		 rc, pages;
	enum sb_err	 e;

	if ((rc = opts_parse("report", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (!cli_id(client, &cid) || pdf == NULL)
		return usage_error("report", "report --client CID --pdf FILE");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if ((s = cli_store(ctx, "report", true, &rc)) == NULL) {
		registry_free(&reg);
		return rc;
	}
	/* Into memory first: the file then appears whole, mode 0600 (it is
	 * a clinical record), or not at all. */
	buf_init(&doc, REPORT_MAX);
	rc = EXIT_RUNTIME;
	if ((e = report_pdf(s, &reg, cid, for_client, (time_t)clock_now(), &doc,
	    &pages)) != SB_OK)
		fprintf(stderr, "securebase report: %s\n", e == SB_EIO ?
		    "the PDF could not be made" : store_errmsg(s)[0] ?
		    store_errmsg(s) : "out of memory");
	else if (io_write_whole(pdf, doc.data, doc.len, err, sizeof(err)) !=
	    SB_OK)
		fprintf(stderr, "securebase report: %s\n", err);
	else {
		printf("wrote %s (%d page%s)\n", pdf, pages, pages == 1 ? "" :
		    "s");
		rc = EXIT_OK;
	}
	buf_wipe(&doc);
	registry_free(&reg);
	store_close(s);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_history.c - securebase history: the attachment history as JSON
 * (export, import), as pictures (map, lifeline), as facts (patterns), and
 * its snapshots (snapshot, snapshots, compare).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "app/io.h"
#include "core/genogram.h"
#include "core/patterns.h"
#include "store/store.h"
#include "render/history_svg.h"

#define HISTORY_FILE_MAX	(8 * 1024 * 1024)

static SB_MUST enum sb_err
write_buf(const struct buf *b)
{
	return io_write_all(STDOUT_FILENO, b->data ? b->data : "", b->len);
}

static SB_MUST enum sb_err
do_export(struct store *s, int64_t cid)
{
	struct history	 h;
	struct buf	 out;
	enum sb_err	 e;

	if ((e = store_history_read(s, cid, &h)) != SB_OK)
		return e;
	buf_init(&out, 64 * 1024 * 1024);
	if ((e = history_to_json(&h, &out)) == SB_OK)
		e = write_buf(&out);
	buf_wipe(&out);
	history_free(&h);
	return e;
}

static int
do_import(struct store *s, int64_t cid, const char *file)
{
	struct history	 h;
	struct buf	 in;
	char		 err[512];
	enum sb_err	 e;

	buf_init(&in, HISTORY_FILE_MAX);
	if (io_read_file(file, HISTORY_FILE_MAX, &in, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase history: %s\n", err);
		buf_wipe(&in);
		return EXIT_RUNTIME;
	}
	e = history_from_json(in.data, in.len, &h, err, sizeof(err));
	buf_wipe(&in);
	if (e != SB_OK) {
		fprintf(stderr, "securebase history: %s: %s\n", file, err);
		return EXIT_RUNTIME;
	}
	if ((e = store_history_replace(s, cid, &h)) == SB_OK)
		printf("imported %zu people, %zu ties, %zu events\n",
		    h.npeople, h.nties, h.nevents);
	else
		fprintf(stderr, "securebase history: %s\n", store_errmsg(s));
	history_free(&h);
	return e == SB_OK ? EXIT_OK : EXIT_RUNTIME;
}

/*
 * What the map's layout leaves for a reader to stumble on: overlaps and
 * lines through someone else's symbol or label (an error naming the
 * first), and the crossings.
 */
static SB_MUST enum sb_err
layout_report(const struct history *h, const struct genogram *g,
    struct buf *out)
{
	struct geno_check	 c;

	genogram_check(h, g, &c);
	buf_printf(out, "%zu %s, %zu %s, %d %s: %zu overlaps, "
	    "%zu lines through a symbol or label, %zu line %s\n",
	    h->npeople, h->npeople == 1 ? "person" : "people", h->nties,
	    h->nties == 1 ? "tie" : "ties", g->rows, g->rows == 1 ?
	    "generation" : "generations", c.overlaps, c.through,
	    c.crossings, c.crossings == 1 ? "crossing" : "crossings");
	if (c.overlaps > 0 || c.through > 0) {
		fprintf(stderr, "securebase history: the map is not clean: "
		    "%s\n", c.what);
		return SB_EINVAL;
	}
	return SB_OK;
}

/* map, lifeline, layout or patterns of the client's history now. */
static SB_MUST enum sb_err
do_picture(struct store *s, int64_t cid, const char *what)
{
	struct history		 h;
	struct genogram		 g;
	struct buf		 out;
	struct lifeline_marks	 marks = { NULL, 0, 0 };
	enum sb_err		 e;

	if ((e = store_history_read(s, cid, &h)) != SB_OK)
		return e;
	buf_init(&out, 64 * 1024 * 1024);
	if (strcmp(what, "lifeline") == 0) {
		marks.max = MARKS_MAX;
		if ((marks.v = calloc(MARKS_MAX, sizeof(*marks.v))) == NULL)
			e = SB_ENOMEM;
		else if ((e = store_marks_each(s, cid, lifeline_mark_keep,
		    &marks)) == SB_OK)
			svg_lifeline(&out, &h, marks.v, marks.n);
	} else if ((e = genogram_layout(&h, &g)) == SB_OK) {
		if (strcmp(what, "map") == 0)
			svg_map(&out, &h, &g);
		else if (strcmp(what, "layout") == 0)
			e = layout_report(&h, &g, &out);
		else
			e = history_patterns(&h, &g, &out);
		genogram_free(&g);
	}
	if (e == SB_OK && (e = (enum sb_err)out.err) == SB_OK)
		e = write_buf(&out);
	free(marks.v);
	buf_wipe(&out);
	history_free(&h);
	return e;
}

static SB_MUST enum sb_err
do_compare(struct store *s, int64_t cid, int64_t a, int64_t b)
{
	struct history	 ha, hb;
	struct buf	 out;
	char		 la[1100], lb[1100];
	enum sb_err	 e;

	if ((e = store_snapshot_read(s, cid, a, &ha, la, sizeof(la))) != SB_OK)
		return e;
	if (b != 0)
		e = store_snapshot_read(s, cid, b, &hb, lb, sizeof(lb));
	else {
		snprintf(lb, sizeof(lb), "now");
		e = store_history_read(s, cid, &hb);
	}
	if (e != SB_OK) {
		history_free(&ha);
		return e;
	}
	buf_init(&out, 16 * 1024 * 1024);
	buf_printf(&out, "From %s to %s:\n", la, lb);
	if ((e = history_compare(&ha, &hb, &out)) == SB_OK)
		e = write_buf(&out);
	buf_wipe(&out);
	history_free(&ha);
	history_free(&hb);
	return e;
}

/* A snapshot a line: id, taken, label. */
static SB_MUST enum sb_err
snapshot_line(void *arg, const struct store_snapshot_row *r)
{
	return buf_printf(arg, "%lld\t%s\t%s\n", (long long)r->id, r->taken,
	    r->label);
}

int
cmd_history(const struct ctx *ctx, int argc, char **argv)
{
	static const char *const subs[] = { "export", "import", "map",
	    "lifeline", "patterns", "layout", "snapshot", "snapshots",
	    "compare", NULL };
	const char	*pos[3], *client = NULL, *label = NULL;
	bool		 json = false;
	struct opt	 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "label", &label, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct store	*s;
	struct buf	 lines;
	size_t		 npos, k;
	int64_t		 cid, a = 0, b = 0, id;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("history", argc, argv, opts, pos, 1, 3, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	for (k = 0; subs[k] != NULL && strcmp(subs[k], pos[0]) != 0; k++)
		;
	if (subs[k] == NULL)
		return usage_error("history", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if (!cli_id(client, &cid))
		return usage_error("history", "history %s needs --client ID",
		    pos[0]);
	if (strcmp(pos[0], "import") == 0 && npos != 2)
		return usage_error("history", "history import --client ID FILE");
	if (strcmp(pos[0], "snapshot") == 0 && label == NULL)
		return usage_error("history", "history snapshot --client ID "
		    "--label TEXT");
	if (strcmp(pos[0], "compare") == 0 && (npos < 2 || !cli_id(pos[1],
	    &a) || (npos == 3 && !cli_id(pos[2], &b))))
		return usage_error("history", "history compare --client ID "
		    "SNAPSHOT [SNAPSHOT]");
	if ((s = cli_store(ctx, "history", true, &rc)) == NULL)
		return rc;
	if (strcmp(pos[0], "import") == 0) {
		rc = do_import(s, cid, pos[1]);
		store_close(s);
		return rc;
	}
	if (strcmp(pos[0], "export") == 0)
		e = do_export(s, cid);
	else if (strcmp(pos[0], "snapshot") == 0) {
		if ((e = store_snapshot_add(s, cid, label, &id)) == SB_OK)
			cli_print_id(json, "snapshot", id);
	} else if (strcmp(pos[0], "snapshots") == 0) {
		buf_init(&lines, 1 << 26);
		e = cli_emit(&lines, store_snapshot_each(s, cid, snapshot_line,
		    &lines));
	}
	else if (strcmp(pos[0], "compare") == 0)
		e = do_compare(s, cid, a, b);
	else
		e = do_picture(s, cid, pos[0]);
	return cli_done(s, "history", e);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_score.c - `securebase score`: batch scoring of a CSV of answers.
 *
 * Output is written only when every row scored, so a bad row never leaves
 * a half-written result that looks complete.  Until then it is kept in
 * memory up to SCORE_MEM, and past that in a private temporary file with
 * no name (unlinked as soon as it is made): memory stays small whatever
 * the size of the input, in CSV and in JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "app/io.h"
#include "core/text.h"
#include "render/json.h"

#define SCORE_OUT_MAX	((size_t)1 << 30)	/* 1 GiB of results */
#define SCORE_MEM	((size_t)1 << 20)	/* in memory before the spool */

/* Results not yet written: the tail in out, the rest in fd (-1: none). */
struct spool {
	struct buf	*out;
	int		 fd;
	size_t		 total;		/* bytes spilled so far */
};

/* Moves out's bytes to the spool file, made on first use. */
static SB_MUST enum sb_err
spool_spill(struct spool *sp, char *err, size_t errsz)
{
	const char	*tmp = getenv("TMPDIR");
	char		 path[512];

	if (sp->fd == -1) {
		if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 400)
			tmp = "/tmp";
		snprintf(path, sizeof(path), "%s/securebase-score-XXXXXX", tmp);
		if ((sp->fd = mkstemp(path)) == -1) {
			snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
			return SB_EIO;
		}
		/* No name: nothing is left behind, whatever happens. */
		unlink(path);
	}
	if (sp->total + sp->out->len > SCORE_OUT_MAX) {
		snprintf(err, errsz, "more than %zu bytes of results; split "
		    "the file", SCORE_OUT_MAX);
		return SB_ELIMIT;
	}
	if (io_write_all(sp->fd, sp->out->data, sp->out->len) != SB_OK) {
		snprintf(err, errsz, "the temporary results: %s",
		    strerror(errno));
		return SB_EIO;
	}
	sp->total += sp->out->len;
	buf_reset(sp->out);
	return SB_OK;
}

/* All of it to standard output: the spool file, then the tail. */
static SB_MUST enum sb_err
spool_send(struct spool *sp)
{
	char	 chunk[1 << 16];
	ssize_t	 n;

	if (sp->fd != -1) {
		if (lseek(sp->fd, 0, SEEK_SET) == -1)
			return SB_EIO;
		while ((n = read(sp->fd, chunk, sizeof(chunk))) > 0)
			if (io_write_all(STDOUT_FILENO, chunk, (size_t)n) !=
			    SB_OK)
				return SB_EIO;
		if (n == -1)
			return SB_EIO;
	}
	return io_write_all(STDOUT_FILENO, sp->out->data, sp->out->len);
}
#define SCORE_DECIMALS	6
/* Marks an item index in the flags list as a blank risk item. */
#define FLAG_BLANK	((size_t)1 << (sizeof(size_t) * 8 - 1))

/* A sticky append, as buf_adds. */
static enum sb_err
csv_header(struct buf *o, const struct instrument *in, bool has_id)
{
	size_t	 i;

	buf_adds(o, has_id ? "row,id" : "row");
	for (i = 0; i < in->nscores; i++)
		buf_printf(o, ",%s", in->scores[i].id);
	for (i = 0; i < in->nscores; i++)
		if (in->scores[i].nbands > 0)
			buf_printf(o, ",%s.band", in->scores[i].id);
	return buf_adds(o, ",answered,flags\n");
}

static SB_MUST enum sb_err
csv_row(struct buf *o, const struct answers *a, const double *v,
    const bool *ok, const size_t *crit, size_t ncrit, size_t answered)
{
	const struct instrument	*in = a->in;
	const char		*band;
	size_t			 i;

	text_add_number(o, (double)a->rowno, 0);
	if (a->id_col != INSTR_NONE) {
		buf_addc(o, ',');
		text_add_csv_field(o, a->id, a->idlen);
	}
	for (i = 0; i < in->nscores; i++) {
		buf_addc(o, ',');
		if (ok[i])
			text_add_number(o, v[i], SCORE_DECIMALS);
	}
	for (i = 0; i < in->nscores; i++) {
		if (in->scores[i].nbands == 0)
			continue;
		buf_addc(o, ',');
		if (ok[i] && (band = instr_band_label(&in->scores[i], v[i])))
			text_add_csv_field(o, band, strlen(band));
	}
	buf_addc(o, ',');
	text_add_number(o, (double)answered, 0);
	buf_addc(o, ',');
	for (i = 0; i < ncrit; i++)
		buf_printf(o, "%s%s:%s", i ? " " : "", crit[i] & FLAG_BLANK ?
		    "unanswered" : "critical", in->items[crit[i] &
		    ~FLAG_BLANK].id);
	buf_addc(o, '\n');
	return (enum sb_err)o->err;
}

static SB_MUST enum sb_err
json_row(struct buf *o, const struct answers *a, const double *v,
    const bool *ok, const size_t *crit, size_t ncrit, size_t answered)
{
	const struct instrument	*in = a->in;
	json_t			*row = json_object(), *sc = json_object();
	json_t			*bands = json_object(), *flags = json_array();
	char			 flag[INSTR_MAX_ID + 16];
	size_t			 i;
	bool			 good;
	enum sb_err		 e = SB_ENOMEM;

	good = row != NULL && sc != NULL && bands != NULL && flags != NULL &&
	    json_put(row, "row", json_integer((json_int_t)a->rowno)) &&
	    json_put(row, "id", a->id_col != INSTR_NONE ?
	    json_textn(a->id, a->idlen) : json_null()) &&
	    json_put(row, "scores", json_incref(sc)) &&
	    json_put(row, "bands", json_incref(bands)) &&
	    json_put(row, "flags", json_incref(flags)) &&
	    json_put(row, "answered", json_integer((json_int_t)answered));
	for (i = 0; good && i < in->nscores; i++) {
		good = json_put(sc, in->scores[i].id, ok[i] ?
		    json_fixed(v[i], SCORE_DECIMALS) : json_null());
		if (good && in->scores[i].nbands > 0)
			good = json_put(bands, in->scores[i].id, json_text(
			    ok[i] ? instr_band_label(&in->scores[i], v[i]) :
			    NULL));
	}
	for (i = 0; good && i < ncrit; i++) {
		snprintf(flag, sizeof(flag), "%s:%s", crit[i] & FLAG_BLANK ?
		    "unanswered" : "critical", in->items[crit[i] &
		    ~FLAG_BLANK].id);
		good = json_push(flags, json_text(flag));
	}
	if (good)
		e = json_write(o, row, true);
	json_decref(sc);
	json_decref(bands);
	json_decref(flags);
	json_decref(row);
	return e;
}

int
cmd_score(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *format = "csv", *delim = NULL;
	const char		*scale = NULL;
	struct opt_list		 missing = { { NULL }, 0 };
	struct answers_opts	 ao;
	struct opt		 opts[] = {
		{ "format", &format, NULL, NULL },
		{ "missing", NULL, NULL, &missing },
		{ "delimiter", &delim, NULL, NULL },
		{ "scale", &scale, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	struct score_plan	*plan = NULL;
	struct answers		 a;
	struct buf		 out;
	struct spool		 sp;
	double			*values = NULL;
	bool			*ok = NULL, json;
	size_t			 npos, crit[INSTR_MAX_ITEMS], ncrit;
	size_t			 blank[INSTR_MAX_ITEMS], nb, k;
	int			 lo = 0, hi = 0, rc;
	enum sb_err		 e;

	memset(&a, 0, sizeof(a));
	a.fd = -1;
	/* Room for one row past SCORE_MEM before it spills. */
	buf_init(&out, SCORE_MEM + ((size_t)1 << 20));
	sp.out = &out;
	sp.fd = -1;
	sp.total = 0;
	if ((rc = opts_parse("score", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((rc = cli_answers_opts("score", &missing, delim, &ao)) != EXIT_OK)
		return rc;
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return usage_error("score", "--format is csv or json, not "
		    "\"%.32s\"", format);
	json = strcmp(format, "json") == 0;
	if (scale != NULL && !cli_scale(scale, &lo, &hi))
		return usage_error("score", "--scale is MIN-MAX with "
		    "MIN < MAX, e.g. 1-5");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((re = cli_instrument(&reg, pos[0])) == NULL)
		goto out;
	cli_licence_note(re);
	if (score_plan_new(re->in, lo, hi, &plan) != SB_OK ||
	    (values = calloc(re->in->nscores, sizeof(*values))) == NULL ||
	    (ok = calloc(re->in->nscores, sizeof(*ok))) == NULL) {
		fprintf(stderr, "securebase score: out of memory\n");
		goto out;
	}
	if ((e = answers_open(&a, npos > 1 ? pos[1] : "-", plan, &ao)) !=
	    SB_OK) {
		fprintf(stderr, "securebase score: %s\n", a.err[0] ? a.err :
		    sb_strerror(e));
		goto out;
	}
	if (!json)
		csv_header(&out, re->in, a.id_col != INSTR_NONE);
	while ((e = answers_next(&a)) == SB_OK) {
		score_row(plan, a.row, values, ok);
		ncrit = score_critical(plan, a.row, crit, INSTR_MAX_ITEMS);
		/* Blank risk items follow, marked: "unanswered:q9". */
		nb = score_unanswered_risk(plan, a.row, blank,
		    INSTR_MAX_ITEMS);
		for (k = 0; k < nb && ncrit < INSTR_MAX_ITEMS; k++)
			crit[ncrit++] = blank[k] | FLAG_BLANK;
		e = (json ? json_row : csv_row)(&out, &a, values, ok, crit,
		    ncrit, a.answered);
		if (e == SB_OK && out.len >= SCORE_MEM)
			e = spool_spill(&sp, a.err, sizeof(a.err));
		if (e != SB_OK)
			break;
	}
	if (e == SB_ELIMIT && a.err[0] == '\0')
		snprintf(a.err, sizeof(a.err), "a result row is too large");
	if (e != SB_EOF) {
		fprintf(stderr, "securebase score: %s\n", a.err[0] ? a.err :
		    sb_strerror(e));
		goto out;
	}
	if (spool_send(&sp) != SB_OK) {
		fprintf(stderr, "securebase score: cannot write the results\n");
		goto out;
	}
	rc = EXIT_OK;
out:
	if (sp.fd != -1)
		close(sp.fd);
	answers_close(&a);
	buf_free(&out);
	free(values);
	free(ok);
	score_plan_free(plan);
	registry_free(&reg);
	return rc;
}

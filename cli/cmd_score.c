/*
 * cmd_score.c - `securebase score`: batch scoring of a CSV of answers.
 *
 * Output is built in memory and written only when every row scored, so a
 * bad row never leaves a half-written result that looks complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "cli/io.h"
#include "core/text.h"

#define SCORE_OUT_MAX	((size_t)1 << 30)	/* 1 GiB of results */
#define SCORE_DECIMALS	6
/* Marks an item index in the flags list as a blank risk item. */
#define FLAG_BLANK	((size_t)1 << (sizeof(size_t) * 8 - 1))

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

static enum sb_err
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

static enum sb_err
json_row(struct buf *o, const struct answers *a, const double *v,
    const bool *ok, const size_t *crit, size_t ncrit, size_t answered)
{
	const struct instrument	*in = a->in;
	const char		*band;
	size_t			 i, k;

	buf_adds(o, "{\"row\": ");
	text_add_number(o, (double)a->rowno, 0);
	buf_adds(o, ", \"id\": ");
	if (a->id_col != INSTR_NONE)
		text_add_json_string(o, a->id, a->idlen);
	else
		buf_adds(o, "null");
	buf_adds(o, ", \"scores\": {");
	for (i = 0; i < in->nscores; i++) {
		buf_printf(o, "%s\"%s\": ", i ? ", " : "", in->scores[i].id);
		if (ok[i])
			text_add_number(o, v[i], SCORE_DECIMALS);
		else
			buf_adds(o, "null");
	}
	buf_adds(o, "}, \"bands\": {");
	for (i = k = 0; i < in->nscores; i++) {
		if (in->scores[i].nbands == 0)
			continue;
		buf_printf(o, "%s\"%s\": ", k++ ? ", " : "", in->scores[i].id);
		if (ok[i] && (band = instr_band_label(&in->scores[i], v[i])))
			text_add_json_string(o, band, strlen(band));
		else
			buf_adds(o, "null");
	}
	buf_adds(o, "}, \"flags\": [");
	for (i = 0; i < ncrit; i++)
		buf_printf(o, "%s\"%s:%s\"", i ? ", " : "", crit[i] &
		    FLAG_BLANK ? "unanswered" : "critical", in->items[crit[i] &
		    ~FLAG_BLANK].id);
	buf_adds(o, "], \"answered\": ");
	text_add_number(o, (double)answered, 0);
	buf_adds(o, "}\n");
	return (enum sb_err)o->err;
}

int
cmd_score(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *format = "csv", *missing = NULL;
	const char		*scale = NULL;
	struct opt		 opts[] = {
		{ "format", &format, NULL },
		{ "missing", &missing, NULL },
		{ "scale", &scale, NULL },
		{ NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	struct score_plan	*plan = NULL;
	struct answers		 a;
	struct buf		 out;
	double			*values = NULL;
	bool			*ok = NULL, json;
	size_t			 npos, crit[INSTR_MAX_ITEMS], ncrit;
	size_t			 blank[INSTR_MAX_ITEMS], nb, k;
	int			 lo = 0, hi = 0, rc;
	enum sb_err		 e;

	memset(&a, 0, sizeof(a));
	a.fd = -1;
	buf_init(&out, SCORE_OUT_MAX);
	if ((rc = opts_parse("score", argc, argv, opts, pos, 1, 2, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
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
	if ((e = answers_open(&a, npos > 1 ? pos[1] : "-", plan, missing)) !=
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
		if (e != SB_OK)
			break;
	}
	if (e == SB_ELIMIT && a.err[0] == '\0')
		snprintf(a.err, sizeof(a.err), "more than %zu bytes of "
		    "results; split the file", SCORE_OUT_MAX);
	if (e != SB_EOF) {
		fprintf(stderr, "securebase score: %s\n", a.err[0] ? a.err :
		    sb_strerror(e));
		goto out;
	}
	if (io_write_all(STDOUT_FILENO, out.data, out.len) != SB_OK) {
		fprintf(stderr, "securebase score: cannot write the results\n");
		goto out;
	}
	rc = EXIT_OK;
out:
	answers_close(&a);
	buf_free(&out);
	free(values);
	free(ok);
	score_plan_free(plan);
	registry_free(&reg);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_psychometrics.c - `securebase psychometrics`: alpha and item
 * statistics of a data file, for a practice checking its own data.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "app/io.h"
#include "core/psychometrics.h"
#include "core/text.h"
#include "render/json.h"

/* A figure, or "-" (text) / null (json) when it cannot be computed. */
static void
fig(struct buf *o, double v, bool json)
{
	if (isnan(v) || text_add_number(o, v, 3) != SB_OK)
		buf_adds(o, json ? "null" : "-");
}

static const char *
figstr(double v, char *dst)
{
	struct buf	 b;

	buf_init(&b, 31);
	if (isnan(v) || text_add_number(&b, v, 3) != SB_OK || b.data == NULL)
		snprintf(dst, 32, "-");
	else
		snprintf(dst, 32, "%s", b.data);
	buf_free(&b);
	return dst;
}

static void
report_text(struct buf *o, const struct instrument *in,
    const struct psy_score *r, size_t n, size_t rows)
{
	const struct psy_score	*s;
	size_t			 i, j;
	char			 f[4][32];

	buf_printf(o, "%s: %zu rows read\n", in->name, rows);
	for (i = 0; i < n; i++) {
		s = &r[i];
		buf_printf(o, "\n%s (%s): %zu complete rows, %zu items\n",
		    in->scores[s->score].label, in->scores[s->score].id, s->n,
		    s->k);
		buf_adds(o, "  Cronbach's alpha ");
		fig(o, s->alpha, false);
		buf_printf(o, "; score (%s) mean ",
		    instr_method_name(in->scores[s->score].method));
		fig(o, s->mean, false);
		buf_adds(o, ", SD ");
		fig(o, s->sd, false);
		buf_printf(o, "\n  %-11s %7s %7s %9s %11s\n", "item", "mean",
		    "SD", "r(drop)", "alpha(drop)");
		for (j = 0; j < s->k; j++)
			buf_printf(o, "  %-10s%s %7s %7s %9s %11s\n",
			    in->items[s->items[j].item].id,
			    in->items[s->items[j].item].reverse ? "R" : " ",
			    figstr(s->items[j].mean, f[0]),
			    figstr(s->items[j].sd, f[1]),
			    figstr(s->items[j].r_drop, f[2]),
			    figstr(s->items[j].alpha_drop, f[3]));
	}
	buf_adds(o, "\nR = reverse-keyed (statistics after reversal). "
	    "r(drop) = corrected item-total correlation.\nThese figures "
	    "describe this data set; they are not norms.\n");
}

/* A figure to 3 decimals, or null when it cannot be computed. */
static json_t *
jfig(double v)
{
	return isnan(v) ? json_null() : json_fixed(v, 3);
}

static void
report_json(struct buf *o, const struct instrument *in,
    const struct psy_score *r, size_t n, size_t rows)
{
	const struct psy_score	*s;
	json_t			*doc = json_object(), *scores = json_array();
	json_t			*one, *items, *it;
	size_t			 i, j;
	bool			 ok;

	ok = doc != NULL && scores != NULL &&
	    json_put(doc, "instrument", json_text(in->id)) &&
	    json_put(doc, "rows", json_integer((json_int_t)rows)) &&
	    json_put(doc, "scores", json_incref(scores));
	for (i = 0; ok && i < n; i++) {
		s = &r[i];
		ok = (one = json_object()) != NULL && json_push(scores, one) &&
		    (items = json_array()) != NULL &&
		    json_put(one, "score", json_text(in->scores[s->score].id)) &&
		    json_put(one, "n", json_integer((json_int_t)s->n)) &&
		    json_put(one, "k", json_integer((json_int_t)s->k)) &&
		    json_put(one, "alpha", jfig(s->alpha)) &&
		    json_put(one, "mean", jfig(s->mean)) &&
		    json_put(one, "sd", jfig(s->sd)) &&
		    json_put(one, "items", items);
		for (j = 0; ok && j < s->k; j++)
			ok = (it = json_object()) != NULL &&
			    json_push(items, it) &&
			    json_put(it, "item", json_text(in->items[
			    s->items[j].item].id)) &&
			    json_put(it, "mean", jfig(s->items[j].mean)) &&
			    json_put(it, "sd", jfig(s->items[j].sd)) &&
			    json_put(it, "r_drop", jfig(s->items[j].r_drop)) &&
			    json_put(it, "alpha_drop",
			    jfig(s->items[j].alpha_drop));
	}
	if (!ok || json_write(o, doc, true) != SB_OK)
		o->err = SB_ENOMEM;
	json_decref(scores);
	json_decref(doc);
}

/* Every scored item answered (for --complete). */
static bool
row_complete(const struct instrument *in, const int16_t *row)
{
	size_t	 i;

	for (i = 0; i < in->nitems; i++)
		if (in->items[i].scored && row[i] == SCORE_MISSING)
			return false;
	return true;
}

int
cmd_psychometrics(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *delim = NULL, *scale = NULL;
	bool			 json = false, complete = false;
	struct opt_list		 missing = { { NULL }, 0 };
	struct answers_opts	 ao;
	struct opt		 opts[] = {
		{ "complete", NULL, &complete, NULL },
		{ "missing", NULL, NULL, &missing },
		{ "delimiter", &delim, NULL, NULL },
		{ "scale", &scale, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	struct score_plan	*plan = NULL;
	struct psy		*psy = NULL;
	const struct psy_score	*res;
	struct answers		 a;
	struct buf		 out;
	size_t			 npos, nres;
	int			 lo = 0, hi = 0, rc;
	enum sb_err		 e;

	memset(&a, 0, sizeof(a));
	a.fd = -1;
	buf_init(&out, 64 * 1024 * 1024);
	if ((rc = opts_parse("psychometrics", argc, argv, opts, pos, 1, 2,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((rc = cli_answers_opts("psychometrics", &missing, delim, &ao)) !=
	    EXIT_OK)
		return rc;
	if (scale != NULL && !cli_scale(scale, &lo, &hi))
		return usage_error("psychometrics", "--scale is MIN-MAX with "
		    "MIN < MAX, e.g. 1-5");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((re = cli_instrument(&reg, pos[0])) == NULL)
		goto out;
	cli_licence_note(re);
	if (score_plan_new(re->in, lo, hi, &plan) != SB_OK ||
	    psy_new(plan, &psy) != SB_OK) {
		fprintf(stderr, "securebase psychometrics: out of memory\n");
		goto out;
	}
	if ((e = answers_open(&a, npos > 1 ? pos[1] : "-", plan, &ao)) !=
	    SB_OK) {
		fprintf(stderr, "securebase psychometrics: %s\n", a.err);
		goto out;
	}
	while ((e = answers_next(&a)) == SB_OK)
		if (!complete || row_complete(re->in, a.row))
			psy_add(psy, a.row);
	if (e != SB_EOF) {
		fprintf(stderr, "securebase psychometrics: %s\n", a.err);
		goto out;
	}
	psy_results(psy, &res, &nres);
	(json ? report_json : report_text)(&out, re->in, res, nres, a.rowno);
	if (out.err != SB_OK ||
	    io_write_all(STDOUT_FILENO, out.data, out.len) != SB_OK) {
		fprintf(stderr, "securebase psychometrics: cannot write\n");
		goto out;
	}
	rc = EXIT_OK;
out:
	answers_close(&a);
	buf_free(&out);
	psy_free(psy);
	score_plan_free(plan);
	registry_free(&reg);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_change.c - `securebase change`: Jacobson & Truax reliable and
 * clinically significant change between two scores, or NHS Talking
 * Therapies' reliable recovery (--convention talking-therapies).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "app/io.h"
#include "core/change.h"
#include "core/text.h"
#include "render/json.h"

static void
num(struct buf *o, double v)
{
	text_add_number(o, v, 3);
}

static void
report_text(struct buf *o, const struct instrument *in,
    const struct instr_score *sc, const struct change_result *r)
{
	buf_printf(o, "%s %s: ", in->name, sc->id);
	num(o, r->pre);
	buf_adds(o, " -> ");
	num(o, r->post);
	buf_printf(o, " (%s)\n  reliability ", instr_direction_name(
	    sc->direction));
	num(o, r->reliability);
	buf_printf(o, " (%s)\n  clinical mean ", sc->reliability_source);
	num(o, sc->clinical.mean);
	buf_adds(o, ", SD ");
	num(o, sc->clinical.sd);
	buf_printf(o, " (%s)\n", sc->clinical.source);
	if (sc->functional.set) {
		buf_adds(o, "  functional mean ");
		num(o, sc->functional.mean);
		buf_adds(o, ", SD ");
		num(o, sc->functional.sd);
		buf_printf(o, " (%s)\n", sc->functional.source);
	}
	buf_adds(o, "  SE = ");
	num(o, r->se);
	buf_adds(o, ", S_diff = ");
	num(o, r->sdiff);
	buf_adds(o, ", RC = ");
	num(o, r->rc);
	buf_printf(o, " (%s: |RC| %s 1.96)\n", r->reliable ? "reliable" :
	    "not reliable", r->reliable ? ">" : "<=");
	buf_adds(o, "  smallest reliable change: ");
	num(o, r->min_change);
	buf_printf(o, " points\n  cut-off (%s) = ",
	    change_criterion_name(r->criterion));
	num(o, r->cutoff);
	buf_printf(o, "; before %s it, after %s it\n", r->pre_past ?
	    "past" : "not past", r->post_past ? "past" : "not past");
	buf_printf(o, "  classification: %s\n", change_class_name(r->cls));
}

static void
report_tt(struct buf *o, const struct instrument *in,
    const struct instr_score *sc, const struct change_result *r)
{
	buf_printf(o, "%s %s: ", in->name, sc->id);
	num(o, r->pre);
	buf_adds(o, " -> ");
	num(o, r->post);
	buf_printf(o, " (%s)\n  NHS Talking Therapies: caseness from ",
	    instr_direction_name(sc->direction));
	num(o, r->cutoff);
	buf_adds(o, ", reliable change ");
	num(o, r->min_change);
	buf_printf(o, " points or more (%s)\n  change of ", sc->tt.source);
	num(o, r->post - r->pre);
	buf_printf(o, " points: %s; at caseness before: %s, after: %s\n",
	    r->reliable ? "reliable" : "not reliable", r->pre_past ? "no" :
	    "yes", r->post_past ? "no" : "yes");
	buf_printf(o, "  classification: %s\n", r->cls == CHANGE_RECOVERED ?
	    "reliable recovery" : change_class_name(r->cls));
}

static void
report_json(struct buf *o, const struct instrument *in,
    const struct instr_score *sc, const struct change_result *r)
{
	json_t	*doc = json_object(), *norms = json_object();
	bool	 ok;

	ok = doc != NULL && norms != NULL &&
	    json_put(doc, "instrument", json_text(in->id)) &&
	    json_put(doc, "score", json_text(sc->id)) &&
	    json_put(doc, "pre", json_fixed(r->pre, 3)) &&
	    json_put(doc, "post", json_fixed(r->post, 3)) &&
	    json_put(doc, "reliability", json_fixed(r->reliability, 3)) &&
	    json_put(doc, "sd", json_fixed(r->sd, 3)) &&
	    json_put(doc, "se", json_fixed(r->se, 6)) &&
	    json_put(doc, "sdiff", json_fixed(r->sdiff, 6)) &&
	    json_put(doc, "rc", json_fixed(r->rc, 6)) &&
	    json_put(doc, "reliable", json_boolean(r->reliable)) &&
	    json_put(doc, "min_change", json_fixed(r->min_change, 6)) &&
	    json_put(doc, "criterion", json_text(change_criterion_name(
	    r->criterion))) &&
	    json_put(doc, "cutoff", json_fixed(r->cutoff, 6)) &&
	    json_put(doc, "class", json_text(change_class_name(r->cls))) &&
	    json_put(doc, "convention", json_text(change_convention_name(
	    r->convention))) &&
	    json_put(norms, "talking_therapies", json_text(r->convention ==
	    CONVENTION_TT ? sc->tt.source : NULL)) &&
	    json_put(norms, "reliability", json_text(sc->reliability_source)) &&
	    json_put(norms, "clinical", json_text(sc->clinical.source)) &&
	    json_put(norms, "functional", json_text(sc->functional.set ?
	    sc->functional.source : NULL)) &&
	    json_put(doc, "norms", json_incref(norms));
	if (!ok || json_write(o, doc, true) != SB_OK)
		o->err = SB_ENOMEM;
	json_decref(norms);
	json_decref(doc);
}

int
cmd_change(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *pre_s = NULL, *post_s = NULL;
	const char		*score = NULL, *crit_s = NULL, *conv_s = NULL;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "pre", &pre_s, NULL, NULL },
		{ "post", &post_s, NULL, NULL },
		{ "score", &score, NULL, NULL },
		{ "criterion", &crit_s, NULL, NULL },
		{ "convention", &conv_s, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry			 reg = { NULL, 0 };
	const struct reg_entry		*re;
	const struct instrument		*in;
	const struct instr_score	*sc = NULL;
	struct change_result		 r;
	enum change_criterion		 crit = CRITERION_AUTO;
	enum change_convention		 conv = CONVENTION_JT;
	struct buf			 o;
	double				 pre, post;
	size_t				 npos, i;
	int				 rc;

	if ((rc = opts_parse("change", argc, argv, opts, pos, 1, 1, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (pre_s == NULL || post_s == NULL ||
	    !text_decimal(pre_s, strlen(pre_s), &pre) ||
	    !text_decimal(post_s, strlen(post_s), &post))
		return usage_error("change", "--pre and --post need numbers");
	if (crit_s != NULL) {
		if (strcmp(crit_s, "a") == 0)
			crit = CRITERION_A;
		else if (strcmp(crit_s, "b") == 0)
			crit = CRITERION_B;
		else if (strcmp(crit_s, "c") == 0)
			crit = CRITERION_C;
		else
			return usage_error("change", "--criterion is a, b or c");
	}
	if (conv_s != NULL && !change_convention_parse(conv_s, &conv))
		return usage_error("change", "--convention is jacobson-truax "
		    "or talking-therapies");
	if (conv == CONVENTION_TT && crit_s != NULL)
		return usage_error("change", "--criterion is Jacobson & "
		    "Truax's; NHS Talking Therapies has its own cut-off");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((re = cli_instrument(&reg, pos[0])) == NULL)
		goto out;
	in = re->in;
	for (i = 0; i < in->nscores && sc == NULL; i++)
		if (score != NULL ? strcmp(in->scores[i].id, score) == 0 :
		    conv == CONVENTION_TT ? in->scores[i].tt.set :
		    in->scores[i].clinical.set)
			sc = &in->scores[i];
	if (sc == NULL) {
		fprintf(stderr, "securebase change: %s has %s\n", in->id,
		    score ? "no such score" : "no score with norms; add "
		    "reliability and clinical norms to its definition");
		goto out;
	}
	if (pre < sc->min || pre > sc->max || post < sc->min ||
	    post > sc->max) {
		fprintf(stderr, "securebase change: %s %s scores lie in "
		    "%g..%g\n", in->id, sc->id, sc->min, sc->max);
		goto out;
	}
	if (conv == CONVENTION_TT) {
		if (!sc->tt.set) {
			fprintf(stderr, "securebase change: %s %s has no NHS "
			    "Talking Therapies rule (only PHQ-9 and GAD-7 "
			    "do)\n", in->id, sc->id);
			goto out;
		}
		/* The convention's measures were checked just above. */
		(void)!change_classify_as(sc, pre, post, conv, &r);
	} else if (change_classify(sc, pre, post, crit, &r) != SB_OK) {
		fprintf(stderr, "securebase change: %s %s lacks the norms "
		    "this needs (direction, reliability, clinical norms%s)\n",
		    in->id, sc->id, crit == CRITERION_B || crit == CRITERION_C ?
		    ", functional norms" : "");
		goto out;
	}
	buf_init(&o, 1024 * 1024);
	(json ? report_json : conv == CONVENTION_TT ? report_tt :
	    report_text)(&o, in, sc, &r);
	if (o.err == SB_OK &&
	    io_write_all(STDOUT_FILENO, o.data, o.len) == SB_OK)
		rc = EXIT_OK;
	buf_free(&o);
out:
	registry_free(&reg);
	return rc;
}

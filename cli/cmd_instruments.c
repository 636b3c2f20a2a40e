/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_instruments.c - `securebase instruments list|show|check|permit`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "app/io.h"
#include "core/text.h"
#include "render/json.h"
#include "store/store.h"

static const char *
state(const struct reg_entry *e)
{
	if (e->in->licence == LICENCE_FREE)
		return "enabled";
	return e->enabled ? "enabled (permission recorded)" :
	    "disabled: needs permission";
}

static int
flush(struct buf *o)
{
	int	 rc = EXIT_OK;

	if (o->err != SB_OK) {
		fprintf(stderr, "securebase instruments: %s\n",
		    sb_strerror((enum sb_err)o->err));
		rc = EXIT_RUNTIME;
	} else if (io_write_all(STDOUT_FILENO, o->data, o->len) != SB_OK) {
		fprintf(stderr, "securebase instruments: write failed\n");
		rc = EXIT_RUNTIME;
	}
	buf_free(o);
	return rc;
}

static int
do_list(const struct registry *r, bool json)
{
	struct buf		 o;
	const struct reg_entry	*e;
	json_t			*list = NULL;
	size_t			 i;

	buf_init(&o, 16 * 1024 * 1024);
	if (json && (list = json_array()) == NULL)
		o.err = SB_ENOMEM;
	if (!json)
		buf_printf(&o, "%-9s %-9s %5s  %-30s %s\n", "ID", "NAME",
		    "ITEMS", "LICENCE", "TITLE");
	for (i = 0; i < r->n; i++) {
		e = &r->v[i];
		if (!json) {
			buf_printf(&o, "%-9s %-9s %5zu  %-30s %s\n", e->in->id,
			    e->in->name, e->in->nitems, state(e),
			    e->in->title);
			continue;
		}
		if (!json_push(list, json_pack("{s:s, s:s, s:s, s:s?, s:I, s:s, "
		    "s:b, s:b}", "id", e->in->id, "name", e->in->name, "title",
		    e->in->title, "version", e->in->version, "items",
		    (json_int_t)e->in->nitems, "licence", instr_licence_name(
		    e->in->licence), "enabled", e->enabled, "builtin",
		    e->builtin)))
			o.err = SB_ENOMEM;
	}
	if (json && json_write(&o, list, true) != SB_OK)
		o.err = SB_ENOMEM;
	json_decref(list);
	return flush(&o);
}

static void
show_norm(struct buf *o, const char *name, const struct instr_norm *n)
{
	if (!n->set)
		return;
	buf_printf(o, "      %s norms: mean ", name);
	text_add_number(o, n->mean, 4);
	buf_adds(o, ", SD ");
	text_add_number(o, n->sd, 4);
	buf_printf(o, " (%s)\n", n->source);
}

static void
show_text(struct buf *o, const struct reg_entry *e)
{
	const struct instrument		*in = e->in;
	const struct instr_optset	*os;
	const struct instr_item		*it;
	const struct instr_score	*sc;
	size_t				 i, j;

	buf_printf(o, "%s (%s), version %s\n%s\n\n", in->name, in->id,
	    in->version, in->title);
	buf_printf(o, "Citation: %s\n", in->citation);
	buf_printf(o, "Licence: %s; %s\n", instr_licence_name(in->licence),
	    state(e));
	buf_printf(o, "Terms: %s\n", in->licence_terms);
	if (e->permission != NULL)
		buf_printf(o, "Permission: %s\n", e->permission);
	if (in->notice != NULL)
		buf_printf(o, "Notice shown on forms: %s\n", in->notice);
	if (in->loinc != NULL)
		buf_printf(o, "LOINC panel: %s\n", in->loinc);
	if (in->instructions != NULL)
		buf_printf(o, "\nInstructions: %s\n", in->instructions);
	for (i = 0; i < in->noptsets; i++) {
		os = &in->optsets[i];
		buf_printf(o, "\nOptions \"%s\":\n", os->id);
		for (j = 0; j < os->nopts; j++)
			buf_printf(o, "  %4d  %s%s%s\n", os->opts[j].value,
			    os->opts[j].label, os->opts[j].loinc ? "  LOINC " :
			    "", os->opts[j].loinc ? os->opts[j].loinc : "");
	}
	if (in->ntargets > 0) {
		buf_adds(o, "\nAnswered about each of:\n");
		for (i = 0; i < in->ntargets; i++)
			buf_printf(o, "  %-8s %s\n", in->targets[i].id,
			    in->targets[i].label);
	}
	buf_adds(o, "\nItems (R = reverse-keyed):\n");
	for (i = 0; i < in->nitems; i++) {
		it = &in->items[i];
		buf_printf(o, "  %-11s %s %s", it->id, it->reverse ? "R" : " ",
		    it->text);
		if (it->optset != 0)
			buf_printf(o, " [options: %s]",
			    in->optsets[it->optset].id);
		if (!it->scored)
			buf_adds(o, " [not scored]");
		if (it->critical)
			buf_printf(o, " [CRITICAL at >= %d]", it->critical_min);
		if (it->loinc != NULL)
			buf_printf(o, " [LOINC %s]", it->loinc);
		buf_addc(o, '\n');
	}
	buf_adds(o, "\nScores:\n");
	for (i = 0; i < in->nscores; i++) {
		sc = &in->scores[i];
		buf_printf(o, "  %s: %s\n      %s of", sc->id, sc->label,
		    instr_method_name(sc->method));
		for (j = 0; j < sc->nitems; j++)
			buf_printf(o, " %s", in->items[sc->items[j]].id);
		for (j = 0; j < sc->nscores; j++)
			buf_printf(o, " %s", in->scores[sc->scores[j]].id);
		buf_adds(o, "; range ");
		text_add_number(o, sc->min, 2);
		buf_adds(o, "-");
		text_add_number(o, sc->max, 2);
		if (sc->max_missing == 0)
			buf_adds(o, "; every answer needed\n");
		else
			buf_printf(o, "; up to %zu missing, %s\n",
			    sc->max_missing, sc->method == METHOD_SUM ?
			    "prorated (sum x items / answered)" :
			    "averaged over those present");
		if (sc->direction != DIRECTION_NONE)
			buf_printf(o, "      %s\n",
			    instr_direction_name(sc->direction));
		for (j = 0; j < sc->nbands; j++) {
			buf_adds(o, "      band from ");
			text_add_number(o, sc->bands[j].from, 2);
			buf_printf(o, ": %s\n", sc->bands[j].label);
		}
		if (sc->ntable > 0)
			buf_printf(o, "      conversion table of %zu rows\n",
			    sc->ntable);
		if (sc->reliability > 0) {
			buf_adds(o, "      reliability ");
			text_add_number(o, sc->reliability, 4);
			buf_printf(o, " (%s)\n", sc->reliability_source);
		}
		show_norm(o, "clinical", &sc->clinical);
		show_norm(o, "functional", &sc->functional);
		if (sc->course.set) {
			buf_adds(o, "      published course: ");
			text_add_number(o, sc->course.m0, 2);
			buf_adds(o, " (SD ");
			text_add_number(o, sc->course.s0, 2);
			buf_adds(o, ") at intake, ");
			text_add_number(o, sc->course.m1, 2);
			buf_adds(o, " (SD ");
			text_add_number(o, sc->course.s1, 2);
			buf_printf(o, ") at the end (%s)\n", sc->course.source);
		}
		if (sc->tt.set) {
			buf_adds(o, "      NHS Talking Therapies: caseness from ");
			text_add_number(o, sc->tt.caseness, 2);
			buf_adds(o, ", reliable change ");
			text_add_number(o, sc->tt.change, 2);
			buf_printf(o, " points (%s)\n", sc->tt.source);
		}
		if (sc->loinc != NULL)
			buf_printf(o, "      LOINC %s\n", sc->loinc);
	}
	if (in->nsources > 0)
		buf_adds(o, "\nSources:\n");
	for (i = 0; i < in->nsources; i++)
		buf_printf(o, "  - %s\n", in->sources[i]);
	if (in->nunverified > 0)
		buf_adds(o, "\nUNVERIFIED:\n");
	for (i = 0; i < in->nunverified; i++)
		buf_printf(o, "  - %s\n", in->unverified[i]);
}

static json_t *
json_norm(const struct instr_norm *n)
{
	if (!n->set)
		return json_null();
	return json_pack("{s:o, s:o, s:s}", "mean", json_fixed(n->mean, 6),
	    "sd", json_fixed(n->sd, 6), "source", n->source);
}

/* A list of strings. */
static json_t *
json_texts(const char *const *v, size_t n)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < n; i++)
		if (!json_push(a, json_text(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
item_json(const struct instrument *in, const struct instr_item *it)
{
	const struct instr_optset	*os = &in->optsets[it->optset];
	json_t				*opts = json_array();
	size_t				 j;

	for (j = 0; opts != NULL && j < os->nopts; j++)
		if (!json_push(opts, json_pack("{s:i, s:s, s:s?}", "value",
		    os->opts[j].value, "label", os->opts[j].label, "loinc",
		    os->opts[j].loinc))) {
			json_decref(opts);
			return NULL;
		}
	return json_pack("{s:s, s:s, s:b, s:b, s:o, s:s?, s:s?, s:o}", "id",
	    it->id, "text", it->text, "reverse", it->reverse, "scored",
	    it->scored, "critical_min", it->critical ?
	    json_integer(it->critical_min) : json_null(), "target",
	    it->target == INSTR_NONE ? NULL : in->targets[it->target].id,
	    "loinc", it->loinc, "options", opts);
}

static json_t *
score_json(const struct instrument *in, const struct instr_score *sc)
{
	json_t	*inputs = json_array(), *bands = json_array();
	size_t	 j;
	bool	 ok = inputs != NULL && bands != NULL;

	for (j = 0; ok && j < sc->nitems; j++)
		ok = json_push(inputs, json_text(in->items[sc->items[j]].id));
	for (j = 0; ok && j < sc->nscores; j++)
		ok = json_push(inputs, json_text(in->scores[sc->scores[j]].id));
	for (j = 0; ok && j < sc->nbands; j++)
		ok = json_push(bands, json_pack("{s:o, s:s}", "from",
		    json_fixed(sc->bands[j].from, 6), "label",
		    sc->bands[j].label));
	if (!ok) {
		json_decref(inputs);
		json_decref(bands);
		return NULL;
	}
	return json_pack("{s:s, s:s?, s:s, s:o, s:I, s:o, s:o, s:s, s:o, "
	    "s:s?, s:o, s:o, s:o, s:o}", "id", sc->id, "label", sc->label,
	    "method", instr_method_name(sc->method), "inputs", inputs,
	    "max_missing", (json_int_t)sc->max_missing, "min",
	    json_fixed(sc->min, 6), "max", json_fixed(sc->max, 6),
	    "direction", instr_direction_name(sc->direction), "bands", bands,
	    "loinc", sc->loinc, "reliability", sc->reliability > 0 ?
	    json_pack("{s:o, s:s?}", "value", json_fixed(sc->reliability, 6),
	    "source", sc->reliability_source) : json_null(), "clinical",
	    json_norm(&sc->clinical), "functional",
	    json_norm(&sc->functional), "course", sc->course.set ?
	    json_pack("{s:o, s:o, s:o, s:o, s:s}", "intake_mean",
	    json_fixed(sc->course.m0, 6), "intake_sd",
	    json_fixed(sc->course.s0, 6), "end_mean",
	    json_fixed(sc->course.m1, 6), "end_sd",
	    json_fixed(sc->course.s1, 6), "source", sc->course.source) :
	    json_null());
}

static void
show_json(struct buf *o, const struct reg_entry *e)
{
	const struct instrument	*in = e->in;
	json_t			*doc, *items = json_array();
	json_t			*scores = json_array();
	size_t			 i;
	bool			 ok = items != NULL && scores != NULL;

	for (i = 0; ok && i < in->nitems; i++)
		ok = json_push(items, item_json(in, &in->items[i]));
	for (i = 0; ok && i < in->nscores; i++)
		ok = json_push(scores, score_json(in, &in->scores[i]));
	if (!ok) {
		json_decref(items);
		json_decref(scores);
		o->err = SB_ENOMEM;
		return;
	}
	doc = json_pack("{s:s, s:s?, s:s, s:s, s:s?, s:s, s:b, s:s?, s:s?, "
	    "s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o}", "id", in->id, "version",
	    in->version, "name", in->name, "title", in->title, "citation",
	    in->citation, "licence", instr_licence_name(in->licence),
	    "enabled", e->enabled, "licence_terms", in->licence_terms,
	    "permission", e->permission, "notice", in->notice,
	    "instructions", in->instructions, "loinc", in->loinc, "items",
	    items, "scores", scores, "sources", json_texts(
	    (const char *const *)in->sources, in->nsources), "unverified",
	    json_texts((const char *const *)in->unverified,
	    in->nunverified));
	if (json_write(o, doc, true) != SB_OK)
		o->err = SB_ENOMEM;
	json_decref(doc);
}

static int
do_check(const char **files, size_t n)
{
	struct buf		 text, errs;
	struct instrument	*in;
	char			 err[512];
	size_t			 i;
	int			 rc = EXIT_OK;

	for (i = 0; i < n; i++) {
		if (io_read_file(files[i], INSTR_MAX_FILE, &text, err,
		    sizeof(err)) != SB_OK) {
			fprintf(stderr, "%s\n", err);
			rc = EXIT_RUNTIME;
			continue;
		}
		buf_init(&errs, 1024 * 1024);
		if (instr_parse(text.data, text.len, files[i], &in, &errs) ==
		    SB_OK) {
			printf("%s: ok (%s: %zu item%s, %zu score%s)\n",
			    files[i], in->id, in->nitems,
			    in->nitems == 1 ? "" : "s", in->nscores,
			    in->nscores == 1 ? "" : "s");
			instr_free(in);
		} else {
			fputs(errs.data ? errs.data : "out of memory\n",
			    stderr);
			rc = EXIT_RUNTIME;
		}
		buf_free(&errs);
		buf_free(&text);
	}
	return rc;
}

int
cmd_instruments(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[64], *by = NULL, *ref = NULL;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "json", NULL, &json, NULL },
		{ "by", &by, NULL, NULL },
		{ "reference", &ref, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*e;
	struct store		*s;
	struct buf		 o;
	char			 err[512];
	size_t			 npos;
	int			 rc;

	if ((rc = opts_parse("instruments", argc, argv, opts, pos, 1, 64,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "check") == 0) {
		if (npos < 2)
			return usage_error("instruments", "check needs at "
			    "least one FILE");
		return do_check(pos + 1, npos - 1);
	}
	if (strcmp(pos[0], "list") != 0 && strcmp(pos[0], "show") != 0 &&
	    strcmp(pos[0], "permit") != 0)
		return usage_error("instruments", "unknown subcommand "
		    "\"%.32s\"", pos[0]);
	if (strcmp(pos[0], "list") == 0 && npos != 1)
		return usage_error("instruments", "list takes no argument");
	if (strcmp(pos[0], "list") != 0 && npos != 2)
		return usage_error("instruments", "%s needs one ID", pos[0]);
	if (strcmp(pos[0], "permit") == 0 && (ref == NULL || (ctx->db == NULL &&
	    (by == NULL || ctx->licences == NULL))))
		return usage_error("instruments", "permit needs --reference and "
		    "either a practice (--db, --user: recorded and audited "
		    "there) or --by and a licences file (--licences FILE)");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if (strcmp(pos[0], "list") == 0) {
		rc = do_list(&reg, json);
		goto out;
	}
	rc = EXIT_RUNTIME;
	if ((e = cli_instrument(&reg, pos[1])) == NULL)
		goto out;
	if (strcmp(pos[0], "permit") == 0 && e->in->licence == LICENCE_FREE) {
		printf("%s is free to use; no permission needs recording.\n",
		    e->in->id);
		rc = EXIT_OK;
		goto out;
	}
	if (strcmp(pos[0], "permit") == 0 && ctx->db != NULL) {
		if ((s = cli_store(ctx, "instruments", true, &rc)) ==
		    NULL)
			goto out;
		if (store_permission_add(s, e->in->id, ref) != SB_OK) {
			fprintf(stderr, "securebase instruments permit: %s\n",
			    store_errmsg(s));
			store_close(s);
			goto out;
		}
		store_close(s);
		printf("%s: permission recorded in the practice; the "
		    "instrument is enabled.\n", e->in->id);
		rc = EXIT_OK;
		goto out;
	}
	if (strcmp(pos[0], "permit") == 0) {
		if (registry_permit(ctx->licences, e->in->id, by, ref, err,
		    sizeof(err)) != SB_OK) {
			fprintf(stderr, "securebase instruments permit: %s\n",
			    err);
			goto out;
		}
		printf("%s: permission recorded in %s; the instrument is "
		    "enabled.\n", e->in->id, ctx->licences);
		rc = EXIT_OK;
		goto out;
	}
	buf_init(&o, 16 * 1024 * 1024);
	(json ? show_json : show_text)(&o, e);
	rc = flush(&o);
out:
	registry_free(&reg);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_narrative.c - securebase narrative analyze: the discourse
 * indicators of any text, no database needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/builtin.h"
#include "cli/cli.h"
#include "app/io.h"
#include "core/narrative.h"
#include "core/text.h"
#include "render/json.h"
#include "store/store.h"

#define NARRATIVE_MAX	(256 * 1024 * 1024)	/* a text to analyse */
#define SHOWN_WORDS	5	/* examples per indicator in the table */

enum sb_err
cli_lexicon(const char *file, struct lexicon **out, char *err, size_t errsz)
{
	struct buf	 b;
	size_t		 i;
	enum sb_err	 e;

	if (file == NULL) {
		for (i = 0; builtin_lang[i].name != NULL; i++)
			if (strcmp(builtin_lang[i].name, "en.lexicon") == 0)
				return lexicon_parse("en.lexicon",
				    builtin_lang[i].data, builtin_lang[i].len, out,
				    err, errsz);
		snprintf(err, errsz, "no built-in English lexicon");
		return SB_ENOENT;
	}
	buf_init(&b, LEX_MAX_SIZE);
	if ((e = io_read_file(file, LEX_MAX_SIZE, &b, err, errsz)) == SB_OK)
		e = lexicon_parse(file, b.data ? b.data : "", b.len, out, err,
		    errsz);
	buf_free(&b);
	return e;
}

enum sb_err
cli_prompts_seed(struct store *s, char *err, size_t errsz)
{
	struct narr_prompt	*p;
	struct store_prompt_def	 defs[64];
	size_t			 i, n;
	enum sb_err		 e = SB_ENOENT;

	for (i = 0; builtin_lang[i].name != NULL; i++)
		if (strcmp(builtin_lang[i].name, "en.prompts") == 0)
			break;
	if (builtin_lang[i].name == NULL) {
		snprintf(err, errsz, "no built-in prompts");
		return e;
	}
	if ((e = narr_prompts_parse("en.prompts", builtin_lang[i].data,
	    builtin_lang[i].len, &p, &n, err, errsz)) != SB_OK)
		return e;
	for (i = 0; i < n && i < 64; i++) {
		defs[i].key = p[i].key;
		defs[i].text = p[i].text;
	}
	if ((e = store_prompts_seed(s, defs, i)) != SB_OK)
		snprintf(err, errsz, "%s", store_errmsg(s));
	narr_prompts_free(p, n);
	return e;
}

/* A table a person reads: each indicator, its rate, and its words. */
static void
table(const struct narr_result *r, const char *text)
{
	size_t	 k, s;

	printf("words: %zu\n%-22s %6s %9s  %s\n", r->words, "indicator",
	    "count", "per 1000", "words that triggered it");
	for (k = 0; k < NARR_INDICATORS; k++) {
		const struct narr_count *c = &r->ind[k];

		printf("%-22s %6zu %9.1f ", narr_ids[k], c->count, c->per_1000);
		for (s = 0; s < c->nspans && s < SHOWN_WORDS; s++)
			printf(" \"%.*s\"", (int)(c->spans[s].end -
			    c->spans[s].start), text + c->spans[s].start);
		if (c->nspans > SHOWN_WORDS)
			printf(" ...");
		printf("\n");
	}
	printf("Descriptive language features, not an assessment: see "
	    "docs/narrative.md.\n");
}

/* The indicators of each draft: the change across a client's drafts. */
struct drafts {
	const struct lexicon	*lex;
	json_t			*list;	/* --json: written once all are read */
	int			 n;
};

static SB_MUST enum sb_err
draft_row(void *arg, const struct store_draft *d)
{
	struct drafts		*dr = arg;
	struct narr_result	 r;
	size_t			 k;

	if (narrative_analyze(dr->lex, d->text, strlen(d->text), &r) != SB_OK)
		return SB_ENOMEM;
	if (dr->list != NULL) {
		json_t	*per = json_object();
		bool	 ok = per != NULL && json_push(dr->list, json_pack(
		    "{s:i, s:s, s:s, s:I, s:O}", "version", d->version,
		    "saved", d->created, "author", d->author, "words",
		    (json_int_t)r.words, "per_1000", per));

		for (k = 0; ok && k < NARR_INDICATORS; k++)
			ok = json_put(per, narr_ids[k],
			    json_fixed(r.ind[k].per_1000, 1));
		json_decref(per);
		if (!ok) {
			narr_result_free(&r);
			return SB_ENOMEM;
		}
	} else {
		if (dr->n == 0) {
			printf("%-7s %-10s %-9s %6s", "version", "saved",
			    "by", "words");
			for (k = 0; k < NARR_INDICATORS; k++)
				printf(" %.8s", narr_ids[k]);
			printf("\n");
		}
		printf("%-7d %-10.10s %-9s %6zu", d->version, d->created,
		    d->author, r.words);
		for (k = 0; k < NARR_INDICATORS; k++)
			printf(" %8.1f", r.ind[k].per_1000);
		printf("\n");
	}
	dr->n++;
	narr_result_free(&r);
	return SB_OK;
}

/* analyze: any text, no database. */
static int
analyze(const char *file, const char *lexfile, bool json)
{
	struct lexicon		*lex = NULL;
	struct narr_result	 r;
	struct buf		 text, out;
	char			 err[512];
	int			 rc = EXIT_RUNTIME;

	if (cli_lexicon(lexfile, &lex, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase narrative: %s\n", err);
		return EXIT_RUNTIME;
	}
	buf_init(&text, NARRATIVE_MAX);
	buf_init(&out, (size_t)1 << 30);
	if (io_read_file(file, NARRATIVE_MAX, &text, err, sizeof(err)) !=
	    SB_OK)
		fprintf(stderr, "securebase narrative: %s\n", err);
	else if (narrative_analyze(lex, text.data ? text.data : "", text.len,
	    &r) != SB_OK)
		fprintf(stderr, "securebase narrative: out of memory\n");
	else {
		if (!json) {
			table(&r, text.data ? text.data : "");
			rc = EXIT_OK;
		} else if (narr_result_json(&r, text.data ? text.data : "",
		    text.len, &out) == SB_OK && io_write_all(STDOUT_FILENO,
		    out.data, out.len) == SB_OK)
			rc = EXIT_OK;
		else
			fprintf(stderr, "securebase narrative: the result could "
			    "not be written\n");
		narr_result_free(&r);
	}
	buf_wipe(&text);
	buf_free(&out);
	lexicon_free(lex);
	return rc;
}

/* A prompt a line: key, text. */
static SB_MUST enum sb_err
prompt_line(void *arg, const struct store_prompt_def *p)
{
	/* Escaped: a prompt kept by an older release may hold ESC. */
	buf_printf(arg, "%s\t", p->key);
	text_add_shown(arg, p->text);
	return buf_addc(arg, '\n');
}

/* A narrative a line: prompt, drafts, last saved. */
static SB_MUST enum sb_err
narrative_line(void *arg, const struct store_narrative_row *n)
{
	return buf_printf(arg, "%s\t%d\t%s\n", n->prompt, n->drafts, n->last);
}

int
cmd_narrative(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *lexfile = NULL, *client = NULL;
	const char		*prompt = NULL, *text = NULL;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "lexicon", &lexfile, NULL, NULL },
		{ "client", &client, NULL, NULL },
		{ "prompt", &prompt, NULL, NULL },
		{ "text", &text, NULL, NULL },
		{ "json", NULL, &json, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct lexicon		*lex = NULL;
	struct drafts		 dr;
	struct store		*s;
	struct buf		 b, out;
	char			 err[512];
	size_t			 npos;
	int64_t			 cid = 0;
	int			 rc, version;
	enum sb_err		 e;

	if ((rc = opts_parse("narrative", argc, argv, opts, pos, 1, 2,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "analyze") == 0 || strcmp(pos[0], "analyse") == 0)
		return analyze(npos == 2 ? pos[1] : "-", lexfile, json);
	if (strcmp(pos[0], "prompts") != 0 && strcmp(pos[0], "prompt") != 0 &&
	    strcmp(pos[0], "add") != 0 && strcmp(pos[0], "list") != 0 &&
	    strcmp(pos[0], "drafts") != 0)
		return usage_error("narrative", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if (strcmp(pos[0], "prompt") == 0 && (npos != 2 || text == NULL))
		return usage_error("narrative", "narrative prompt KEY --text T");
	if ((strcmp(pos[0], "add") == 0 || strcmp(pos[0], "list") == 0 ||
	    strcmp(pos[0], "drafts") == 0) && !cli_id(client, &cid))
		return usage_error("narrative", "narrative %s needs --client ID",
		    pos[0]);
	if ((strcmp(pos[0], "add") == 0 || strcmp(pos[0], "drafts") == 0) &&
	    prompt == NULL)
		return usage_error("narrative", "narrative %s needs --prompt KEY",
		    pos[0]);
	if ((s = cli_store(ctx, "narrative", true, &rc)) == NULL)
		return rc;
	if (cli_prompts_seed(s, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase narrative: %s\n", err);
		store_close(s);
		return EXIT_RUNTIME;
	}
	buf_init(&b, STORE_MAX_TEXT + 1);
	buf_init(&out, 1 << 26);
	if (strcmp(pos[0], "prompts") == 0)
		e = cli_emit(&out, store_prompt_each(s, prompt_line, &out));
	else if (strcmp(pos[0], "prompt") == 0)
		e = store_prompt_set(s, pos[1], text);
	else if (strcmp(pos[0], "list") == 0)
		e = cli_emit(&out, store_narrative_each(s, cid, narrative_line,
		    &out));
	else if (strcmp(pos[0], "add") == 0) {
		if (io_read_file(npos == 2 ? pos[1] : "-", STORE_MAX_TEXT, &b,
		    err, sizeof(err)) != SB_OK) {
			fprintf(stderr, "securebase narrative: %s\n", err);
			buf_wipe(&b);
			store_close(s);
			return EXIT_RUNTIME;
		}
		if ((e = store_narrative_save(s, cid, prompt, b.data ? b.data :
		    "", false, &version)) == SB_OK)
			cli_print_id(json, "version", version);
	} else if ((e = cli_lexicon(lexfile, &lex, err, sizeof(err))) !=
	    SB_OK) {
		fprintf(stderr, "securebase narrative: %s\n", err);
	} else {
		dr.lex = lex;
		dr.list = NULL;
		dr.n = 0;
		if (json && (dr.list = json_array()) == NULL)
			e = SB_ENOMEM;
		else
			e = store_narrative_drafts(s, cid, prompt, draft_row,
			    &dr);
		if (e == SB_OK && json)
			e = json_write(&out, dr.list, true);
		e = cli_emit(&out, e);
		json_decref(dr.list);
		if (e == SB_OK && dr.n == 0 && !json)
			printf("no drafts for %s\n", prompt);
		lexicon_free(lex);
	}
	buf_wipe(&out);
	buf_wipe(&b);
	return cli_done(s, "narrative", e);
}

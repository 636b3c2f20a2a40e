/*
 * cmd_narrative.c - securebase narrative analyze: the discourse
 * indicators of any text, no database needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "cli/cli.h"
#include "cli/io.h"
#include "core/narrative.h"

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

int
cmd_narrative(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[2], *lexfile = NULL;
	bool			 json = false;
	struct opt		 opts[] = {
		{ "lexicon", &lexfile, NULL },
		{ "json", NULL, &json },
		{ NULL, NULL, NULL }
	};
	struct lexicon		*lex = NULL;
	struct narr_result	 r;
	struct buf		 text, out;
	char			 err[512];
	size_t			 npos;
	int			 rc;

	(void)ctx;
	if ((rc = opts_parse("narrative", argc, argv, opts, pos, 1, 2,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (strcmp(pos[0], "analyze") != 0 && strcmp(pos[0], "analyse") != 0)
		return usage_error("narrative", "unknown subcommand \"%.32s\"",
		    pos[0]);
	if (cli_lexicon(lexfile, &lex, err, sizeof(err)) != SB_OK) {
		fprintf(stderr, "securebase narrative: %s\n", err);
		return EXIT_RUNTIME;
	}
	buf_init(&text, NARRATIVE_MAX);
	buf_init(&out, (size_t)1 << 30);
	rc = EXIT_RUNTIME;
	if (io_read_file(npos == 2 ? pos[1] : "-", NARRATIVE_MAX, &text, err,
	    sizeof(err)) != SB_OK)
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

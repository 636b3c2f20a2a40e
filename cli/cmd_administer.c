/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_administer.c - `securebase administer ID`: the items one at a time
 * in a terminal, then the scores.
 *
 * Plain lines on standard input and output (no screen control), so that it
 * works over ssh, in a script and for a screen reader alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "app/record.h"
#include "core/plane.h"
#include "core/score.h"
#include "core/text.h"
#include "store/store.h"

#define LINE_MAX_INPUT	256

/*
 * Reads one line into dst.  Returns false at end of input; a longer line
 * is consumed whole and returned as "" so it is simply not understood.
 */
static bool
read_line(char *dst, size_t n)
{
	size_t	 len;
	int	 c;

	if (fgets(dst, (int)n, stdin) == NULL)
		return false;
	len = strlen(dst);
	if (len > 0 && dst[len - 1] == '\n')
		dst[--len] = '\0';
	else if (!feof(stdin)) {
		while ((c = getchar()) != EOF && c != '\n')
			;
		dst[0] = '\0';
		return true;
	}
	while (len > 0 && (dst[len - 1] == ' ' || dst[len - 1] == '\r'))
		dst[--len] = '\0';
	return true;
}

static void
show_item(const struct instrument *in, const int16_t *ans, size_t i)
{
	const struct instr_item		*it = &in->items[i];
	const struct instr_optset	*os = &in->optsets[it->optset];
	size_t				 k;

	printf("\n[%zu/%zu]", i + 1, in->nitems);
	if (it->target != INSTR_NONE)
		printf(" About: %s.", in->targets[it->target].label);
	printf(" %s\n", it->text);
	for (k = 0; k < os->nopts; k++)
		printf("   %d  %s\n", os->opts[k].value, os->opts[k].label);
	if (ans[i] != SCORE_MISSING)
		printf("(your answer so far: %d)\n", ans[i]);
	printf("> ");
	fflush(stdout);
}

static void
show_results(const struct instrument *in, const struct score_plan *plan,
    const int16_t *ans)
{
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 crit[INSTR_MAX_ITEMS], ncrit, i, k;
	size_t			 anx, avo;
	const char		*band;
	const struct instr_optset *os;
	struct plane_pos	 pos;
	struct buf		 b;

	score_row(plan, ans, v, ok);
	buf_init(&b, 64);
	printf("\nAnswered %zu of %zu items.\n\nScores:\n",
	    score_answered(plan, ans), in->nitems);
	for (i = 0; i < in->nscores; i++) {
		printf("  %-20s ", in->scores[i].label);
		if (!ok[i]) {
			printf("not scored (too many answers missing for "
			    "this score's rule)\n");
			continue;
		}
		buf_reset(&b);
		text_add_number(&b, v[i], 2);
		printf("%s", b.data ? b.data : "?");
		if ((band = instr_band_label(&in->scores[i], v[i])) != NULL)
			printf("  (%s)", band);
		printf("\n");
	}
	buf_free(&b);
	ncrit = score_critical(plan, ans, crit, INSTR_MAX_ITEMS);
	for (i = 0; i < ncrit; i++) {
		os = &in->optsets[in->items[crit[i]].optset];
		for (k = 0; k < os->nopts; k++)
			if (os->opts[k].value == ans[crit[i]])
				break;
		printf("\n!! Critical item %s was endorsed: \"%s\" - answer "
		    "%d (%s).\n   Follow your practice's risk procedure "
		    "today.\n", in->items[crit[i]].id, in->items[crit[i]].text,
		    ans[crit[i]], k < os->nopts ? os->opts[k].label : "?");
	}
	anx = instr_score_find(in, "anxiety");
	avo = instr_score_find(in, "avoidance");
	if (anx != INSTR_NONE && avo != INSTR_NONE && ok[anx] && ok[avo]) {
		os = &in->optsets[in->items[0].optset];
		plane_locate(v[anx], v[avo], os->min, os->max, &pos);
		printf("\nAttachment position: anxiety %.2f, avoidance %.2f "
		    "(scale midpoint %.1f).\nRegion: %s.\n%s\n%s\n",
		    pos.anxiety, pos.avoidance, pos.midpoint,
		    plane_region_name(pos.region), PLANE_METHOD, PLANE_CAVEAT);
	}
}

/* Asks the items in the terminal; false when the person stopped. */
static bool
ask_items(const struct instrument *in, const struct score_plan *plan,
    int16_t *ans)
{
	char	 line[LINE_MAX_INPUT];
	size_t	 i;
	long	 v;

	printf("%s - %s\n", in->name, in->title);
	if (in->notice != NULL)
		printf("%s\n", in->notice);
	if (in->instructions != NULL)
		printf("\n%s\n", in->instructions);
	printf("\nType the number of your answer and press Enter. "
	    "b = back, s = skip, q = stop.\n");
	for (i = 0; i < in->nitems;) {
		show_item(in, ans, i);
		if (!read_line(line, sizeof(line))) {
			printf("\n");
			fprintf(stderr, "securebase administer: input ended "
			    "before the last item; nothing scored\n");
			return false;
		}
		if (strcmp(line, "q") == 0) {
			fprintf(stderr, "securebase administer: stopped; "
			    "nothing scored\n");
			return false;
		} else if (strcmp(line, "b") == 0) {
			if (i > 0)
				i--;
		} else if (strcmp(line, "s") == 0) {
			ans[i] = SCORE_MISSING;
			i++;
		} else if (strcmp(line, "?") == 0)
			printf("Type an answer's number; b = back one item, "
			    "s = skip, q = stop without scoring.\n");
		else if (text_int(line, strlen(line), &v) &&
		    score_answer_ok(plan, i, v)) {
			ans[i] = (int16_t)v;
			i++;
		} else
			printf("Please type one of the numbers shown, or b, s "
			    "or q.\n");
	}
	return true;
}

/* Reads the one row of answers of a --answers file. */
static bool
read_answers_file(const char *path, const struct score_plan *plan,
    int16_t *ans)
{
	const struct instrument	*in = score_plan_instrument(plan);
	struct answers		 a;
	enum sb_err		 e;
	bool			 ok = false;

	if ((e = answers_open(&a, path, plan, NULL)) != SB_OK)
		fprintf(stderr, "securebase administer: %s\n", a.err);
	else if ((e = answers_next(&a)) != SB_OK)
		fprintf(stderr, "securebase administer: %s\n", e == SB_EOF ?
		    "the answers file has a header but no row" : a.err);
	else if (answers_next(&a) != SB_EOF)
		fprintf(stderr, "securebase administer: %s: one row of answers"
		    " per administration (use import --csv for many)\n", path);
	else {
		memcpy(ans, a.row, in->nitems * sizeof(*ans));
		ok = true;
	}
	answers_close(&a);
	return ok;
}

int
cmd_administer(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *client = NULL, *file = NULL;
	struct record_opts	 ro = { NULL, NULL, NULL, true, 0, NULL, 0, false };
	struct record_out	 rr;
	struct opt		 opts[] = {
		{ "client", &client, NULL, NULL },
		{ "answers", &file, NULL, NULL },
		{ "respondent", &ro.respondent, NULL, NULL },
		{ "mode", &ro.mode, NULL, NULL },
		{ "target", &ro.target, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	const struct instrument	*in;
	struct store		*s = NULL;
	struct score_plan	*plan = NULL;
	int16_t			*ans = NULL;
	size_t			 npos, i;
	int64_t			 cid = 0;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("administer", argc, argv, opts, pos, 1, 1,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (client != NULL && !cli_id(client, &cid))
		return usage_error("administer", "--client needs a client id");
	if (file != NULL && client == NULL)
		return usage_error("administer", "--answers stores an "
		    "administration: give --client ID (use score for "
		    "anonymous files)");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if (client != NULL) {
		if ((s = cli_store(ctx, "administer", true, &rc)) == NULL)
			goto out;
		if (!cli_db_permissions(s, &reg))
			goto out;
	}
	if ((re = cli_instrument(&reg, pos[0])) == NULL)
		goto out;
	in = re->in;
	if (!re->enabled) {
		fprintf(stderr, "securebase administer: %s is disabled: its "
		    "licence needs permission before it may be given to "
		    "anyone.\nTerms: %s\nAn administrator records permission "
		    "with: securebase instruments permit %s --by NAME "
		    "--reference TEXT\n", in->id, in->licence_terms, in->id);
		goto out;
	}
	if (score_plan_new(in, 0, 0, &plan) != SB_OK ||
	    (ans = malloc(in->nitems * sizeof(*ans))) == NULL) {
		fprintf(stderr, "securebase administer: out of memory\n");
		goto out;
	}
	for (i = 0; i < in->nitems; i++)
		ans[i] = SCORE_MISSING;
	if (file != NULL ? !read_answers_file(file, plan, ans) :
	    !ask_items(in, plan, ans))
		goto out;
	show_results(in, plan, ans);
	printf("\n%s\n", in->citation);
	if (s != NULL) {
		if (ro.mode == NULL)
			ro.mode = file != NULL ? "paper" : "in-session";
		if ((e = record_administration(s, plan, cid, ans, &ro, &rr))
		    != SB_OK) {
			fprintf(stderr, "securebase administer: not stored: "
			    "%s\n", store_errmsg(s));
			goto out;
		}
		printf("\nStored as administration %lld of client %lld",
		    (long long)rr.id, (long long)cid);
		if (rr.alerts > 0)
			printf("; %d alert%s raised (securebase alerts)",
			    rr.alerts, rr.alerts == 1 ? "" : "s");
		printf(".\n");
	}
	rc = EXIT_OK;
out:
	free(ans);
	score_plan_free(plan);
	registry_free(&reg);
	store_close(s);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_research.c - `securebase export --research DIR`: the research
 * export.  Per instrument a wide CSV (one row per administration), one
 * long CSV of every value, and a data dictionary, with clients named only
 * by pseudonyms; by default only clients with a research consent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "app/io.h"
#include "app/record.h"
#include "core/text.h"
#include "store/store.h"
#include "app/outcomes.h"

#define RESEARCH_CONSENT	"research-export"

struct rfile {
	const struct instrument	*in;
	struct score_plan	*plan;
	struct buf		 out;
};

struct rx {
	const struct registry	*reg;
	struct store		*s;
	const char		*consent;	/* NULL: everyone */
	struct rfile		 f[REGISTRY_MAX];
	size_t			 nf;
	struct buf		 lng;		/* the long format */
	int64_t			 client;	/* the current client */
	bool			 include;
	char			 pseudo[17];
	char			(*sessions)[11];	/* the client's, by date */
	size_t			 nsessions, capsessions;
	size_t			 rows, clients, left_out;
	char			 err[512];
};

static void
csv(struct buf *b, const char *s)
{
	buf_addc(b, ',');
	if (s != NULL)
		text_add_csv_field(b, s, strlen(s));
}

static struct rfile *
rfile_for(struct rx *x, const struct instrument *in)
{
	struct rfile	*f;
	size_t		 i;

	for (i = 0; i < x->nf; i++)
		if (x->f[i].in == in)
			return &x->f[i];
	f = &x->f[x->nf];
	memset(f, 0, sizeof(*f));
	if (score_plan_new(in, 0, 0, &f->plan) != SB_OK)
		return NULL;
	f->in = in;
	x->nf++;
	buf_init(&f->out, (size_t)1 << 30);
	buf_adds(&f->out, "client,date,session,administration,respondent,mode");
	for (i = 0; i < in->nitems; i++)
		csv(&f->out, in->items[i].id);
	for (i = 0; i < in->nscores; i++)
		csv(&f->out, in->scores[i].id);
	buf_addc(&f->out, '\n');
	return f;
}

/* Attended sessions up to and including date: the session number. */
static size_t
session_number(const struct rx *x, const char *date)
{
	size_t	 i, n = 0;

	for (i = 0; i < x->nsessions; i++)
		if (strncmp(x->sessions[i], date, 10) <= 0)
			n++;
	return n;
}

static SB_MUST enum sb_err
session_keep(void *arg, const char *date)
{
	struct rx	*x = arg;
	char		(*v)[11];
	size_t		 cap;

	if (x->nsessions == x->capsessions) {
		cap = x->capsessions ? x->capsessions * 2 : 64;
		if (cap > 1000000 || (v = realloc(x->sessions, cap *
		    sizeof(*v))) == NULL)
			return SB_ENOMEM;
		x->sessions = v;
		x->capsessions = cap;
	}
	snprintf(x->sessions[x->nsessions++], sizeof(x->sessions[0]), "%s",
	    date);
	return SB_OK;
}

static SB_MUST enum sb_err
research_row(void *arg, const struct store_administration_row *r)
{
	struct rx		*x = arg;
	const struct reg_entry	*re = registry_find(x->reg, r->instrument);
	struct rfile		*f;
	int16_t			 a[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	char			 date[16], lead[96];
	size_t			 i, sess;
	enum sb_err		 e;

	if (r->client != x->client) {
		x->client = r->client;
		x->include = true;
		if (x->consent != NULL && (e = store_consent_active(x->s,
		    r->client, x->consent, &x->include)) != SB_OK)
			return e;
		if (!x->include) {
			x->left_out++;
			return SB_OK;
		}
		x->clients++;
		store_client_pseudonym(x->s, r->client, x->pseudo);
		x->nsessions = 0;
		if ((e = store_session_dates_each(x->s, r->client,
		    session_keep, x)) != SB_OK)
			return e;
	}
	if (!x->include || re == NULL)
		return SB_OK;
	if ((f = rfile_for(x, re->in)) == NULL)
		return SB_ENOMEM;
	if (answers_decode(f->plan, r->answers, a) != SB_OK) {
		snprintf(x->err, sizeof(x->err), "administration %lld does not "
		    "match the current %s definition", (long long)r->id,
		    re->in->id);
		return SB_EINVAL;
	}
	score_row(f->plan, a, v, ok);
	snprintf(date, sizeof(date), "%.10s", r->completed ? r->completed : "");
	sess = session_number(x, date);
	snprintf(lead, sizeof(lead), "p%s,%s,%zu,a%lld", x->pseudo, date, sess,
	    (long long)r->id);
	buf_adds(&f->out, lead);
	csv(&f->out, r->respondent);
	csv(&f->out, r->mode);
	for (i = 0; i < re->in->nitems; i++) {
		buf_addc(&f->out, ',');
		if (a[i] == SCORE_MISSING)
			continue;
		buf_printf(&f->out, "%d", a[i]);
		buf_printf(&x->lng, "%s,%s,item,%s,%d\n", lead, re->in->id,
		    re->in->items[i].id, a[i]);
	}
	for (i = 0; i < re->in->nscores; i++) {
		buf_addc(&f->out, ',');
		if (!ok[i])
			continue;
		text_add_number(&f->out, v[i], 6);
		buf_printf(&x->lng, "%s,%s,score,%s,", lead, re->in->id,
		    re->in->scores[i].id);
		text_add_number(&x->lng, v[i], 6);
		buf_addc(&x->lng, '\n');
	}
	buf_addc(&f->out, '\n');
	x->rows++;
	return (enum sb_err)f->out.err;
}

/* What every column means, per instrument. */
static void
dictionary(const struct rx *x, struct buf *d)
{
	const struct instrument	*in;
	char			 vals[2048];
	size_t			 i, k, n, len;

	buf_adds(d, "instrument,variable,kind,text,values\n"
	    ",client,id,the client's pseudonym: p and 16 hex digits of a keyed "
	    "hash; the same client has the same pseudonym in every export of "
	    "this practice,\n"
	    ",date,date,the day the questionnaire was completed (YYYY-MM-DD),\n"
	    ",session,count,attended sessions up to and including that day,\n"
	    ",administration,id,the administration: a and its number in this "
	    "practice; one row of the instrument's file and its values in "
	    "long.csv,\n"
	    ",respondent,category,who answered,self; parent; partner; "
	    "therapist\n"
	    ",mode,category,how the answers were given,link (the client's own "
	    "device); in-session; paper; import\n"
	    ",(missing),coding,an empty cell: an item not answered; or a score "
	    "that the instrument's missing-data rule (below; each score's "
	    "values) does not allow with the answers given. long.csv has no "
	    "row for either. No other code marks a missing value,\n");
	for (i = 0; i < x->nf; i++) {
		in = x->f[i].in;
		/* Each instrument's citation and licence notice travel with
		 * its data (CORE-10's CC BY-ND needs its attribution). */
		buf_adds(d, in->id);
		csv(d, "(instrument)");
		csv(d, "citation");
		csv(d, in->citation ? in->citation : "");
		csv(d, "");
		buf_addc(d, '\n');
		buf_adds(d, in->id);
		csv(d, "(instrument)");
		csv(d, "licence");
		csv(d, in->notice ? in->notice : in->licence_terms ?
		    in->licence_terms : "");
		csv(d, in->licence_terms && in->notice ? in->licence_terms : "");
		buf_addc(d, '\n');
		for (k = 0; k < in->nitems; k++) {
			const struct instr_optset *os =
			    &in->optsets[in->items[k].optset];

			len = 0;
			vals[0] = '\0';
			for (n = 0; n < os->nopts && len < sizeof(vals); n++)
				len += (size_t)snprintf(vals + len,
				    sizeof(vals) - len, "%s%d=%s", n ? "; " : "",
				    os->opts[n].value, os->opts[n].label);
			buf_adds(d, in->id);
			csv(d, in->items[k].id);
			csv(d, in->items[k].reverse ? "item (reverse-keyed)" :
			    in->items[k].scored ? "item" : "item (not scored)");
			csv(d, in->items[k].text);
			csv(d, vals);
			buf_addc(d, '\n');
		}
		for (k = 0; k < in->nscores; k++) {
			const struct instr_score *sc = &in->scores[k];

			/* The range, how it is made and from what, and how
			 * many of its inputs may be missing. */
			len = (size_t)snprintf(vals, sizeof(vals), "%g-%g; %s "
			    "of", sc->min, sc->max, instr_method_name(
			    sc->method));
			for (n = 0; n < sc->nitems && len < sizeof(vals); n++)
				len += (size_t)snprintf(vals + len, sizeof(vals) -
				    len, " %s", in->items[sc->items[n]].id);
			for (n = 0; n < sc->nscores && len < sizeof(vals); n++)
				len += (size_t)snprintf(vals + len, sizeof(vals) -
				    len, " %s", in->scores[sc->scores[n]].id);
			if (len < sizeof(vals))
				snprintf(vals + len, sizeof(vals) - len, "; %s",
				    sc->max_missing == 0 ? "no input may be "
				    "missing" : "");
			if (sc->max_missing > 0 && len < sizeof(vals))
				snprintf(vals + len, sizeof(vals) - len, "; at "
				    "most %zu input%s may be missing", sc->max_missing,
				    sc->max_missing == 1 ? "" : "s");
			buf_adds(d, in->id);
			csv(d, in->scores[k].id);
			csv(d, "score");
			csv(d, in->scores[k].label);
			csv(d, vals);
			buf_addc(d, '\n');
		}
	}
}

/* DIR/name, whole or not at all. */
static SB_MUST enum sb_err
write_whole(const char *dir, const char *name, const struct buf *b,
    char *err, size_t errsz)
{
	char	 path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (b->err != SB_OK) {
		snprintf(err, errsz, "%.400s: too large", path);
		return SB_ELIMIT;
	}
	return io_write_whole(path, b->data ? b->data : "", b->len, err, errsz);
}

int
research_export(const struct ctx *ctx, const char *dir, const char *consent,
    bool everyone)
{
	struct registry	 reg = { NULL, 0 };
	struct rx	 x;
	struct buf	 dict;
	char		 name[128];
	size_t		 i;
	int		 rc;
	enum sb_err	 e;

	memset(&x, 0, sizeof(x));
	x.reg = &reg;
	x.consent = everyone ? NULL : consent ? consent : RESEARCH_CONSENT;
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if ((x.s = cli_store(ctx, "export", true, &rc)) == NULL) {
		registry_free(&reg);
		return rc;
	}
	rc = EXIT_RUNTIME;
	buf_init(&x.lng, (size_t)1 << 30);
	buf_init(&dict, 1 << 24);
	buf_adds(&x.lng, "client,date,session,administration,instrument,kind,"
	    "variable,value\n");
	/* A file left from an earlier export would pass for part of this
	 * one: the directory is new, or empty. */
	if (io_dir_fresh(dir, x.err, sizeof(x.err)) != SB_OK) {
		fprintf(stderr, "securebase export: %s\n", x.err);
		goto out;
	}
	if ((e = store_administration_each(x.s, NULL, 0, research_row, &x)) !=
	    SB_OK) {
		fprintf(stderr, "securebase export: %s\n", x.err[0] ? x.err :
		    store_errmsg(x.s));
		goto out;
	}
	dictionary(&x, &dict);
	for (i = 0; i < x.nf; i++) {
		snprintf(name, sizeof(name), "%s.csv", x.f[i].in->id);
		if (write_whole(dir, name, &x.f[i].out, x.err, sizeof(x.err)) !=
		    SB_OK)
			break;
	}
	if (i < x.nf || write_whole(dir, "long.csv", &x.lng, x.err,
	    sizeof(x.err)) != SB_OK || write_whole(dir, "dictionary.csv",
	    &dict, x.err, sizeof(x.err)) != SB_OK) {
		fprintf(stderr, "securebase export: %s\n", x.err);
		goto out;
	}
	printf("research export: %zu administrations of %zu client%s to %s "
	    "(pseudonymous)\n", x.rows, x.clients, x.clients == 1 ? "" : "s",
	    dir);
	if (x.consent != NULL)
		printf("%zu client%s without a \"%s\" consent left out\n",
		    x.left_out, x.left_out == 1 ? "" : "s", x.consent);
	rc = EXIT_OK;
out:
	for (i = 0; i < x.nf; i++) {
		buf_wipe(&x.f[i].out);
		score_plan_free(x.f[i].plan);
	}
	buf_wipe(&x.lng);
	free(x.sessions);
	buf_free(&dict);
	store_close(x.s);
	registry_free(&reg);
	return rc;
}

/* securebase outcomes: the practice's outcomes as a table. */
int
cmd_outcomes(const struct ctx *ctx, int argc, char **argv)
{
	const char	*pos[1];
	struct opt	 opts[] = { { NULL, NULL, NULL, NULL } };
	struct registry	 reg = { NULL, 0 };
	struct outcomes	 o;
	struct store	*s;
	struct buf	 out;
	size_t		 npos;
	int		 rc;
	enum sb_err	 e;

	if ((rc = opts_parse("outcomes", argc, argv, opts, pos, 0, 0,
	    &npos)) != EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if ((s = cli_store(ctx, "outcomes", true, &rc)) == NULL) {
		registry_free(&reg);
		return rc;
	}
	outcomes_init(&o);
	o.convention = record_convention(s);
	buf_init(&out, 1 << 24);
	if ((e = outcomes_collect(s, &reg, &o)) == SB_OK &&
	    (e = outcomes_text(&o, &out)) == SB_OK) {
		fwrite(out.data ? out.data : "", 1, out.len, stdout);
		printf("First to last of the client's own answers within one "
		    "episode of care; classified as the last column says "
		    "(the practice's recovery setting); d: standardized mean change (Becker 1988) with its "
		    "95 %% confidence interval (positive is improvement).\n");
		if (o.altered > 0)
			printf("The episodes of %zu client%s were changed "
			    "outside securebase; their scores are left out.\n",
			    o.altered, o.altered == 1 ? "" : "s");
	}
	buf_free(&out);
	outcomes_free(&o);
	registry_free(&reg);
	return cli_done(s, "outcomes", e);
}

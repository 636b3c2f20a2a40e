/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_exchange.c - `securebase export --csv DIR` and `securebase import
 * --csv FILE`: item-level answers in and out.
 *
 * Export writes one file per instrument (rows: one administration each,
 * every item answer and every score recomputed from the answers with the
 * current definition, beside the version that was current when stored).
 * Import reads every row first and writes nothing unless all are valid;
 * --dry-run reports every bad row and stops there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "cli/answers.h"
#include "cli/cli.h"
#include "app/io.h"
#include "app/record.h"
#include "core/text.h"
#include "store/store.h"

#define IMPORT_MAX_ROWS		(10 * 1000 * 1000)
/* From this many rows, say that the writing has begun. */
#define IMPORT_TELL_ROWS	10000
#define IMPORT_MAX_ERRORS	100

struct export_file {
	const struct instrument	*in;
	struct score_plan	*plan;
	char			 path[4200];
	struct buf		 out;
};

struct export {
	const struct registry	*reg;
	const char		*dir;
	struct export_file	 f[REGISTRY_MAX];
	size_t			 nf, rows, skipped;
	char			 err[512];
};

static void
field(struct buf *b, const char *s)
{
	buf_addc(b, ',');
	if (s != NULL)
		text_add_csv_field(b, s, strlen(s));
}

static struct export_file *
export_open(struct export *x, const struct instrument *in)
{
	struct export_file	*f;
	size_t			 i;

	for (i = 0; i < x->nf; i++)
		if (x->f[i].in == in)
			return &x->f[i];
	f = &x->f[x->nf];
	memset(f, 0, sizeof(*f));
	f->in = in;
	if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s.csv", x->dir,
	    in->id) >= sizeof(f->path) - 4) {
		snprintf(x->err, sizeof(x->err), "%.400s: path too long",
		    x->dir);
		return NULL;
	}
	if (score_plan_new(in, 0, 0, &f->plan) != SB_OK)
		return NULL;
	x->nf++;
	buf_init(&f->out, (size_t)1 << 30);
	buf_adds(&f->out, "administration,client,completed,mode,respondent,"
	    "target,instrument_version");
	for (i = 0; i < in->nitems; i++)
		field(&f->out, in->items[i].id);
	for (i = 0; i < in->nscores; i++)
		field(&f->out, in->scores[i].id);
	buf_addc(&f->out, '\n');
	return f;
}

static SB_MUST enum sb_err
export_row(void *arg, const struct store_administration_row *r)
{
	struct export		*x = arg;
	const struct reg_entry	*re = registry_find(x->reg, r->instrument);
	struct export_file	*f;
	int16_t			 a[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i;

	if (re == NULL) {
		x->skipped++;	/* an instrument no longer installed */
		return SB_OK;
	}
	if ((f = export_open(x, re->in)) == NULL)
		return SB_EIO;
	if (answers_decode(f->plan, r->answers, a) != SB_OK) {
		snprintf(x->err, sizeof(x->err), "administration %lld does not"
		    " match the current %s definition", (long long)r->id,
		    re->in->id);
		return SB_EINVAL;
	}
	score_row(f->plan, a, v, ok);
	buf_printf(&f->out, "%lld,%lld", (long long)r->id,
	    (long long)r->client);
	field(&f->out, r->completed);
	field(&f->out, r->mode);
	field(&f->out, r->respondent);
	field(&f->out, r->target);
	field(&f->out, r->version);
	for (i = 0; i < re->in->nitems; i++) {
		buf_addc(&f->out, ',');
		if (a[i] != SCORE_MISSING)
			buf_printf(&f->out, "%d", a[i]);
	}
	for (i = 0; i < re->in->nscores; i++) {
		buf_addc(&f->out, ',');
		if (ok[i])
			text_add_number(&f->out, v[i], 6);
	}
	buf_addc(&f->out, '\n');
	x->rows++;
	return (enum sb_err)f->out.err;
}

int
cmd_export(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *dir = NULL, *fdir = NULL;
	const char		*client = NULL, *rdir = NULL, *consent = NULL;
	bool			 pseudo = false, everyone = false;
	bool			 transaction = false, ndjson = false;
	struct opt		 opts[] = {
		{ "csv", &dir, NULL, NULL },
		{ "fhir", &fdir, NULL, NULL },
		{ "transaction", NULL, &transaction, NULL },
		{ "ndjson", NULL, &ndjson, NULL },
		{ "research", &rdir, NULL, NULL },
		{ "consent", &consent, NULL, NULL },
		{ "without-consent", NULL, &everyone, NULL },
		{ "client", &client, NULL, NULL },
		{ "pseudonymise", NULL, &pseudo, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	struct store		*s = NULL;
	struct export		 x;
	size_t			 npos, i;
	int			 rc;
	enum sb_err		 e;

	if ((rc = opts_parse("export", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if (fdir != NULL && dir == NULL)
		return fhir_export(ctx, fdir, client, pseudo, transaction,
		    ndjson);
	if (rdir != NULL && dir == NULL)
		return research_export(ctx, rdir, consent, everyone);
	if (dir == NULL)
		return usage_error("export", "export --csv DIR, --fhir DIR or "
		    "--research DIR");
	memset(&x, 0, sizeof(x));
	x.dir = dir;
	x.reg = &reg;
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((s = cli_store(ctx, "export", true, &rc)) == NULL)
		goto out;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "securebase export: %s: %s\n", dir,
		    strerror(errno));
		goto out;
	}
	if ((e = store_administration_each(s, NULL, 0, export_row, &x)) !=
	    SB_OK) {
		fprintf(stderr, "securebase export: %s\n", x.err[0] ? x.err :
		    store_errmsg(s));
		goto out;
	}
	/* Item-level clinical data: each file whole or not at all, and
	 * readable by the owner only. */
	for (i = 0; i < x.nf; i++)
		if (x.f[i].out.err != SB_OK || io_write_whole(x.f[i].path,
		    x.f[i].out.data, x.f[i].out.len, x.err, sizeof(x.err)) !=
		    SB_OK) {
			fprintf(stderr, "securebase export: %s\n", x.err[0] ?
			    x.err : "a file is too large");
			goto out;
		}
	printf("exported %zu administrations in %zu file%s to %s\n", x.rows,
	    x.nf, x.nf == 1 ? "" : "s", dir);
	if (x.skipped > 0)
		printf("(%zu administrations of instruments not installed were "
		    "left out)\n", x.skipped);
	rc = EXIT_OK;
out:
	for (i = 0; i < x.nf; i++) {
		buf_wipe(&x.f[i].out);
		score_plan_free(x.f[i].plan);
	}
	store_close(s);
	registry_free(&reg);
	return rc;
}

struct pending {
	int16_t		*rows;		/* n x nitems */
	int64_t		*clients;
	char		(*dates)[24];	/* the row's date column, or "" */
	size_t		 n, cap;
};

static bool
pending_add(struct pending *p, size_t nitems, const int16_t *row,
    int64_t client, const char *date)
{
	int16_t	*r;
	int64_t	*c;
	char	(*d)[24];
	size_t	 cap;

	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 1024;
		if ((r = realloc(p->rows, cap * nitems * sizeof(*r))) == NULL)
			return false;
		p->rows = r;
		if ((c = realloc(p->clients, cap * sizeof(*c))) == NULL)
			return false;
		p->clients = c;
		if ((d = realloc(p->dates, cap * sizeof(*d))) == NULL)
			return false;
		p->dates = d;
		p->cap = cap;
	}
	memcpy(p->rows + p->n * nitems, row, nitems * sizeof(*row));
	snprintf(p->dates[p->n], sizeof(p->dates[p->n]), "%s", date);
	p->clients[p->n++] = client;
	return true;
}

/* Is an ISO date or time (UTC) after today, or over 10 minutes ahead? */
static bool
date_ahead(const char *iso)
{
	int64_t	 t, now = clock_now();

	if (!text_iso_seconds(iso, &t))
		return false;
	/* A day is kept at noon: it is ahead only from the next day. */
	if (strcmp(iso + 10, "T12:00:00Z") == 0)
		return t / 86400 > now / 86400;
	return t > now + 600;
}

/*
 * Pass 1: every row of the file read and checked into p (each row's
 * client: cid, or the row's id column when 0); nothing is written.
 * False when a row is bad (each said, up to IMPORT_MAX_ERRORS).
 */
static bool
import_read(struct answers *a, const char *file,
    const struct instrument *in, int64_t cid, struct pending *p)
{
	size_t		 nerr = 0;
	int64_t		 rowcid;
	enum sb_err	 e;
	char		 cell[32];

	while ((e = answers_next(a)) != SB_EOF) {
		if (e == SB_OK && cid == 0) {
			snprintf(cell, sizeof(cell), "%.*s", (int)(a->idlen <
			    sizeof(cell) ? a->idlen : sizeof(cell) - 1), a->id);
			if (!cli_id(cell, &rowcid)) {
				snprintf(a->err, sizeof(a->err), "%s: row %zu "
				    "(line %zu), column id: not a client id",
				    file, a->rowno, a->csv.line);
				e = SB_EINVAL;
			}
		} else
			rowcid = cid;
		if (e == SB_OK && a->date[0] != '\0' && date_ahead(a->date)) {
			snprintf(a->err, sizeof(a->err), "%s: row %zu (line "
			    "%zu), column date: %.10s is after today: answers "
			    "are dated when they were given", file, a->rowno,
			    a->csv.line, a->date);
			e = SB_EINVAL;
		}
		if (e == SB_OK && p->n >= IMPORT_MAX_ROWS) {
			snprintf(a->err, sizeof(a->err), "%s: more than %d "
			    "rows; split the file", file, IMPORT_MAX_ROWS);
			e = SB_ELIMIT;
		}
		if (e == SB_OK && !pending_add(p, in->nitems, a->row, rowcid,
		    a->date)) {
			snprintf(a->err, sizeof(a->err), "out of memory");
			e = SB_ENOMEM;
		}
		if (e == SB_OK)
			continue;
		if (nerr++ < IMPORT_MAX_ERRORS)
			fprintf(stderr, "%s\n", a->err);
		/* A row error leaves the reader at the next row; anything
		 * else (a 2 GB line, a read error) ends the file. */
		if (e != SB_EINVAL || a->csv.nfields == 0)
			break;
	}
	if (nerr == 0)
		return true;
	if (nerr > IMPORT_MAX_ERRORS)
		fprintf(stderr, "... %zu more bad rows\n",
		    nerr - IMPORT_MAX_ERRORS);
	fprintf(stderr, "securebase import: %zu bad row%s; nothing imported\n",
	    nerr, nerr == 1 ? "" : "s");
	return false;
}

/* The row's date: its own, or the day given for all (completed), or
 * none (now). */
static const char *
row_date(const struct pending *p, size_t i, const char *completed)
{
	return p->dates[i][0] ? p->dates[i] : completed;
}

/*
 * A row stored already (the same file twice) is skipped and counted:
 * its answers and alerts are not made again.  Looked for before the
 * import's own rows are written (through the index
 * administrations_same), so that a look reads the earlier rows with the
 * same answers, never the rows this import adds.  skip[i] for each row;
 * false (said) when a look fails.
 */
static bool
import_seen(struct store *s, const struct instrument *in,
    const struct pending *p, const char *completed, bool *skip, size_t *same)
{
	struct buf	 enc;
	size_t		 i;
	bool		 ok = true;

	buf_init(&enc, 1 << 16);
	for (i = 0; ok && i < p->n; i++) {
		buf_reset(&enc);
		if (answers_encode(in, p->rows + i * in->nitems, &enc) !=
		    SB_OK || store_administration_same(s, p->clients[i],
		    in->id, row_date(p, i, completed), enc.data ? enc.data :
		    "", &skip[i]) != SB_OK) {
			fprintf(stderr, "securebase import: row %zu: %s; "
			    "nothing imported\n", i + 1, store_errmsg(s));
			ok = false;
		}
		*same += skip[i];
	}
	buf_free(&enc);
	return ok;
}

/*
 * Pass 2: short transactions, so that the practice keeps working (a
 * client can send a questionnaire meanwhile), and still all or nothing:
 * the rows stay hidden until the import is done.  The alerts raised and
 * the critical items endorsed are counted; false (said) on a failure,
 * with nothing imported.
 */
static bool
import_store(struct store *s, const struct score_plan *plan,
    const struct pending *p, const bool *skip, const char *completed,
    struct record_opts *ro, size_t *nalerts, size_t *ncrit, int64_t *id)
{
	const struct instrument	*in = score_plan_instrument(plan);
	struct record_out	 rr;
	size_t			 i;

	ro->import = true;
	if (store_import_begin(s) != SB_OK)
		goto fail;
	for (i = 0; i < p->n; i++) {
		if (skip[i])
			continue;
		ro->completed = row_date(p, i, completed);
		if (record_administration(s, plan, p->clients[i],
		    p->rows + i * in->nitems, ro, &rr) != SB_OK) {
			fprintf(stderr, "securebase import: row %zu: %s; "
			    "nothing imported\n", i + 1, store_errmsg(s));
			store_import_abandon(s);
			return false;
		}
		*nalerts += (size_t)rr.alerts;
		*ncrit += (size_t)rr.critical;
		if (store_import_step(s) != SB_OK)
			goto fail;
	}
	if (record_import_finish(s, id) == SB_OK)
		return true;
fail:
	fprintf(stderr, "securebase import: %s; nothing imported\n",
	    store_errmsg(s));
	return false;
}

/* The import's result, and the alerts it raised (an import is clinical
 * data arriving: its risk answers are alerted like any others). */
static void
import_said(const struct instrument *in, size_t n, size_t same,
    int64_t import_id, size_t nalerts, size_t ncrit,
    const struct record_opts *ro)
{
	int64_t	 day;

	printf("imported %zu administrations of %s (import %lld)\n", n - same,
	    in->id, (long long)import_id);
	if (same > 0)
		printf("%zu row%s already here: skipped (the same client, "
		    "measure, date and answers)\n", same, same == 1 ? "" : "s");
	if (nalerts > 0)
		printf("%zu alert%s raised (%zu critical item%s endorsed%s); "
		    "see securebase alerts\n", nalerts, nalerts == 1 ? "" : "s",
		    ncrit, ncrit == 1 ? "" : "s", ro->completed != NULL &&
		    ro->historic_days > 0 && record_day(ro->completed, &day) &&
		    clock_now() / 86400 - day > ro->historic_days ?
		    ", marked historic" : "");
}

int
cmd_import(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *file = NULL, *iid = NULL;
	const char		*client = NULL, *fhir = NULL, *delim = NULL;
	const char		*date = NULL, *hdays = NULL;
	struct opt_list		 missing = { { NULL }, 0 };
	struct answers_opts	 ao;
	char			 completed[32];
	long			 hd = 0;
	size_t			 nalerts = 0, ncrit = 0;
	bool			 dry = false;
	struct opt		 opts[] = {
		{ "csv", &file, NULL, NULL },
		{ "fhir", &fhir, NULL, NULL },
		{ "instrument", &iid, NULL, NULL },
		{ "client", &client, NULL, NULL },
		{ "missing", NULL, NULL, &missing },
		{ "delimiter", &delim, NULL, NULL },
		{ "dry-run", NULL, &dry, NULL },
		{ "date", &date, NULL, NULL },
		{ "historic-days", &hdays, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	const struct reg_entry	*re;
	struct store		*s = NULL;
	struct score_plan	*plan = NULL;
	struct answers		 a;
	struct pending		 p = { NULL, NULL, NULL, 0, 0 };
	size_t			 same = 0;
	bool			*skip = NULL;
	struct record_opts	 ro = { "self", "import", NULL, false, 0, NULL,
	    0, false };
	size_t			 npos;
	int64_t			 cid = 0, day, import_id;
	int			 rc;

	memset(&a, 0, sizeof(a));
	a.fd = -1;
	if ((rc = opts_parse("import", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	if ((rc = cli_answers_opts("import", &missing, delim, &ao)) != EXIT_OK)
		return rc;
	if (hdays != NULL && (!text_int(hdays, strlen(hdays), &hd) ||
	    hd < 1 || hd > 36500))
		return usage_error("import", "--historic-days is a number of "
		    "days, 1-36500");
	if (fhir != NULL && file == NULL)
		return fhir_import(ctx, fhir, client, (int)hd);
	if (date != NULL && (strlen(date) != 10 || !record_day(date, &day)))
		return usage_error("import", "--date is the day the answers "
		    "were given: YYYY-MM-DD");
	/* Answers are not given in the future: such a date is a typing
	 * slip, and would raise a current alert for nothing. */
	if (date != NULL && day > clock_now() / 86400)
		return usage_error("import", "--date %s is after today: the "
		    "day the answers were given", date);
	if (file == NULL || iid == NULL)
		return usage_error("import", "import --csv FILE --instrument ID"
		    " [--client ID] [--dry-run], or import --fhir FILE");
	if (client != NULL && !cli_id(client, &cid))
		return usage_error("import", "--client needs a client id");
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if ((re = cli_instrument(&reg, iid)) == NULL)
		goto out;
	if ((s = cli_store(ctx, "import", true, &rc)) == NULL)
		goto out;
	if (score_plan_new(re->in, 0, 0, &plan) != SB_OK)
		goto out;
	if (answers_open(&a, file, plan, &ao) != SB_OK) {
		fprintf(stderr, "securebase import: %s\n", a.err);
		goto out;
	}
	if (cid == 0 && a.id_col == INSTR_NONE) {
		fprintf(stderr, "securebase import: %s: give --client ID, or "
		    "an id column holding each row's client id\n", file);
		goto out;
	}
	if (!import_read(&a, file, re->in, cid, &p))
		goto out;
	if (dry) {
		printf("%zu rows are valid; nothing imported (--dry-run)\n",
		    p.n);
		rc = EXIT_OK;
		goto out;
	}
	if (date != NULL)
		snprintf(completed, sizeof(completed), "%sT12:00:00Z", date);
	ro.historic_days = hd > 0 ? (int)hd : record_historic_days(s);
	if ((skip = calloc(p.n ? p.n : 1, sizeof(*skip))) == NULL) {
		fprintf(stderr, "securebase import: out of memory; nothing "
		    "imported\n");
		goto out;
	}
	if (!import_seen(s, re->in, &p, date != NULL ? completed : NULL, skip,
	    &same))
		goto out;
	if (p.n >= IMPORT_TELL_ROWS)
		fprintf(stderr, "securebase import: %zu rows are valid; "
		    "storing them (securebase stays usable meanwhile)\n", p.n);
	if (!import_store(s, plan, &p, skip, date != NULL ? completed : NULL,
	    &ro, &nalerts, &ncrit, &import_id))
		goto out;
	import_said(re->in, p.n, same, import_id, nalerts, ncrit, &ro);
	rc = EXIT_OK;
out:
	answers_close(&a);
	free(p.rows);
	free(p.clients);
	free(p.dates);
	free(skip);
	score_plan_free(plan);
	store_close(s);
	registry_free(&reg);
	return rc;
}

struct rescore_item {
	int64_t		 id;
	char		*scores;
	const char	*version;
};

struct rescore {
	const struct registry	*reg;
	const char		*only;
	struct rescore_item	*v;
	size_t			 n, cap, seen;
	char			 err[256];
};

static SB_MUST enum sb_err
rescore_row(void *arg, const struct store_administration_row *r)
{
	struct rescore		*x = arg;
	const struct reg_entry	*re = registry_find(x->reg, r->instrument);
	struct score_plan	*plan;
	struct rescore_item	*v;
	int16_t			 a[INSTR_MAX_ITEMS];
	double			 val[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	struct buf		 json;
	enum sb_err		 e;

	if (re == NULL || (x->only != NULL && strcmp(x->only, r->instrument)))
		return SB_OK;
	x->seen++;
	if (score_plan_new(re->in, 0, 0, &plan) != SB_OK)
		return SB_ENOMEM;
	if ((e = answers_decode(plan, r->answers, a)) != SB_OK) {
		snprintf(x->err, sizeof(x->err), "administration %lld does not"
		    " fit the current %s definition; left as it was",
		    (long long)r->id, re->in->id);
		score_plan_free(plan);
		return e;
	}
	score_row(plan, a, val, ok);
	score_plan_free(plan);
	buf_init(&json, 1 << 20);
	if ((e = scores_json(re->in, val, ok, &json)) != SB_OK) {
		buf_free(&json);
		return e;
	}
	/* Only what changed is rewritten (and audited). */
	if (r->scores != NULL && strcmp(r->scores, json.data) == 0 &&
	    r->scored_version != NULL &&
	    strcmp(r->scored_version, re->in->version) == 0) {
		buf_free(&json);
		return SB_OK;
	}
	if (x->n == x->cap) {
		v = realloc(x->v, (x->cap ? x->cap * 2 : 64) * sizeof(*v));
		if (v == NULL) {
			buf_free(&json);
			return SB_ENOMEM;
		}
		x->v = v;
		x->cap = x->cap ? x->cap * 2 : 64;
	}
	x->v[x->n].id = r->id;
	x->v[x->n].scores = buf_take(&json);
	x->v[x->n].version = re->in->version;
	x->n++;
	return SB_OK;
}

int
cmd_rescore(const struct ctx *ctx, int argc, char **argv)
{
	const char		*pos[1], *only = NULL;
	struct opt		 opts[] = {
		{ "instrument", &only, NULL, NULL },
		{ NULL, NULL, NULL, NULL }
	};
	struct registry		 reg = { NULL, 0 };
	struct store		*s = NULL;
	struct rescore		 x;
	size_t			 npos, i;
	int			 rc;
	enum sb_err		 e, e2;

	if ((rc = opts_parse("rescore", argc, argv, opts, pos, 0, 0, &npos)) !=
	    EXIT_OK)
		return rc == EXIT_HELPED ? EXIT_OK : rc;
	memset(&x, 0, sizeof(x));
	x.reg = &reg;
	x.only = only;
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	if (only != NULL && cli_instrument(&reg, only) == NULL)
		goto out;
	if ((s = cli_store(ctx, "rescore", true, &rc)) == NULL)
		goto out;
	/* Read everything first, in one snapshot and without the write
	 * lock (a page view), then write. */
	if ((e = store_view_begin(s)) == SB_OK) {
		e = store_administration_each(s, only, 0, rescore_row, &x);
		if ((e2 = store_view_end(s, NULL)) != SB_OK && e == SB_OK)
			e = e2;
	}
	if (e != SB_OK) {
		fprintf(stderr, "securebase rescore: %s\n", x.err[0] ? x.err :
		    store_errmsg(s));
		goto out;
	}
	/*
	 * Then in slices, so that the practice keeps working.  Not all or
	 * nothing as a whole, and need not be: each administration carries
	 * the definition version it was scored with, so one stopped half-way
	 * is right row by row, and running rescore again finishes it.
	 */
	if ((e = store_slices_begin(s)) != SB_OK) {
		fprintf(stderr, "securebase rescore: %s\n", store_errmsg(s));
		goto out;
	}
	for (i = 0; e == SB_OK && i < x.n; i++)
		if ((e = store_administration_rescore(s, x.v[i].id,
		    x.v[i].scores, x.v[i].version)) == SB_OK)
			e = store_slices_step(s);
	if ((e = store_slices_end(s, e)) != SB_OK) {
		fprintf(stderr, "securebase rescore: %s; what was rescored "
		    "before this is kept; run rescore again to finish\n",
		    store_errmsg(s));
		goto out;
	}
	/* The caseload's latest scores, built anew (also in slices). */
	if (store_latest_rebuild(s) != SB_OK) {
		fprintf(stderr, "securebase rescore: %s\n", store_errmsg(s));
		goto out;
	}
	printf("%zu administrations checked; %zu rescored with the current "
	    "definitions\n", x.seen, x.n);
	rc = EXIT_OK;
out:
	for (i = 0; i < x.n; i++)
		free(x.v[i].scores);
	free(x.v);
	store_close(s);
	registry_free(&reg);
	return rc;
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * cmd_fhir.c - `securebase export --fhir DIR` and `securebase import
 * --fhir FILE`: FHIR R4 out (a Bundle per client) and in (a
 * QuestionnaireResponse, a Questionnaire, or a Bundle of them), all or
 * nothing.  The resources are core/fhir.h's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli/answers.h"
#include "cli/cli.h"
#include "app/clients.h"
#include "app/io.h"
#include "app/record.h"
#include "core/clock.h"
#include "core/fhir.h"
#include "render/fhir.h"
#include "render/json.h"
#include "core/text.h"
#include "store/store.h"

/* ---- export ---- */

/* NDJSON (FHIR bulk data): one file per resource type, a resource a line. */
enum { NJ_PATIENT, NJ_QUESTIONNAIRE, NJ_RESPONSE, NJ_OBSERVATION, NJ__MAX };
static const char *const nj_type[NJ__MAX] = { "Patient", "Questionnaire",
    "QuestionnaireResponse", "Observation" };

struct fx {
	const struct registry	*reg;
	struct store		*s;
	const char		*dir;
	bool			 pseudo;
	bool			 ndjson;
	struct client_names	 clients;	/* with their names */
	struct fhir_bundle	 fb;		/* the open bundle */
	bool			 transaction;
	struct buf		 base;		/* the practice's FHIR base */
	struct buf		 nj[NJ__MAX];	/* NDJSON files, whole */
	int64_t			 client;	/* of the open bundle, 0: none */
	const struct instrument	*used[REGISTRY_MAX];
	/* Questionnaires already in the NDJSON file, by id. */
	char			 nj_used[REGISTRY_MAX][160];
	size_t			 nnj_used;
	/* One score plan per instrument for the whole export. */
	struct score_plan	*plans[REGISTRY_MAX];
	size_t			 nused, files, admins, skipped;
	size_t			 other_version;	/* of an uninstalled version */
	char			 err[512];
};

static void
patient_id(struct fx *x, int64_t client, char *out, size_t n)
{
	char	 p[17];

	if (x->pseudo) {
		store_client_pseudonym(x->s, client, p);
		snprintf(out, n, "p%s", p);
	} else
		snprintf(out, n, "c%lld", (long long)client);
}

/* The open bundle's resources, a line each, onto the NDJSON files (a
 * Questionnaire once). */
static SB_MUST enum sb_err
bundle_lines(struct fx *x)
{
	json_t		*en, *res;
	const char	*type;
	size_t		 i, k;
	enum sb_err	 e;

	json_array_foreach(x->fb.entries, i, en) {
		res = json_object_get(en, "resource");
		type = json_string_value(json_object_get(res, "resourceType"));
		for (k = 0; k < NJ__MAX && type && strcmp(type, nj_type[k]);
		    k++)
			;
		if (k == NJ__MAX)
			continue;
		if (k == NJ_QUESTIONNAIRE) {
			const char *id = json_string_value(json_object_get(res,
			    "id"));
			size_t j;

			for (j = 0; j < x->nnj_used && id && strcmp(id,
			    x->nj_used[j]) != 0; j++)
				;
			if (id == NULL || j < x->nnj_used ||
			    x->nnj_used == REGISTRY_MAX)
				continue;
			snprintf(x->nj_used[x->nnj_used++], sizeof(
			    x->nj_used[0]), "%s", id);
		}
		if ((e = json_write(&x->nj[k], res, true)) != SB_OK)
			return e;
	}
	return SB_OK;
}

/* Writes the open bundle to DIR/ID.json, whole or not at all. */
static SB_MUST enum sb_err
bundle_close(struct fx *x)
{
	struct buf	 out;
	char		 pid[40], path[4200];
	enum sb_err	 e;

	if (x->client == 0)
		return SB_OK;
	patient_id(x, x->client, pid, sizeof(pid));
	snprintf(path, sizeof(path), "%s/%s.json", x->dir, pid);
	buf_init(&out, (size_t)1 << 30);
	if (x->ndjson)
		e = bundle_lines(x);
	else if ((e = fhir_bundle_write(&x->fb, &out)) == SB_OK)
		e = io_write_whole(path, out.data, out.len, x->err,
		    sizeof(x->err));
	else
		snprintf(x->err, sizeof(x->err), "%.400s: too large", path);
	buf_wipe(&out);
	fhir_bundle_free(&x->fb);
	x->client = 0;
	if (e != SB_OK)
		return e;
	x->files++;
	return SB_OK;
}

static SB_MUST enum sb_err
bundle_open(struct fx *x, int64_t client)
{
	const struct client_name *c;
	char			 pid[40];
	enum sb_err		 e;

	if ((e = bundle_close(x)) != SB_OK)
		return e;
	patient_id(x, client, pid, sizeof(pid));
	if ((e = fhir_bundle_new(&x->fb, x->base.data, pid,
	    x->transaction)) != SB_OK)
		return e;
	x->client = client;
	x->nused = 0;
	return fhir_add_patient(&x->fb, pid, !x->pseudo &&
	    (c = client_names_find(&x->clients, client)) != NULL ? c->name :
	    NULL);
}

static SB_MUST enum sb_err
fhir_row(void *arg, const struct store_administration_row *r)
{
	struct fx		*x = arg;
	const struct reg_entry	*re = registry_find(x->reg, r->instrument);
	struct score_plan	**plan;
	struct fhir_admin	 a;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	char			 id[32], pid[40];
	size_t			 i;
	enum sb_err		 e;

	if (re == NULL) {
		x->skipped++;
		return SB_OK;
	}
	if (r->client != x->client && (e = bundle_open(x, r->client)) != SB_OK)
		return e;
	for (i = 0; i < x->nused && x->used[i] != re->in; i++)
		;
	if (i == x->nused) {
		x->used[x->nused++] = re->in;
		if ((e = fhir_add_questionnaire(&x->fb, re->in)) != SB_OK)
			return e;
	}
	plan = &x->plans[re - x->reg->v];
	if (*plan == NULL && score_plan_new(re->in, 0, 0, plan) != SB_OK)
		return SB_ENOMEM;
	/* Only the installed version's Questionnaire can be written; an
	 * answer to another would point at items it does not have.  Such
	 * answers are left out and counted, not passed off as this
	 * version's. */
	if (strcmp(r->version, re->in->version) != 0) {
		x->other_version++;
		return SB_OK;
	}
	if (answers_decode(*plan, r->answers, ans) != SB_OK) {
		snprintf(x->err, sizeof(x->err), "administration %lld does not "
		    "match the current %s definition", (long long)r->id,
		    re->in->id);
		return SB_EINVAL;
	}
	score_row(*plan, ans, v, ok);
	snprintf(id, sizeof(id), "a%lld", (long long)r->id);
	patient_id(x, r->client, pid, sizeof(pid));
	a.id = id;
	a.patient = pid;
	a.authored = r->completed;
	a.version = r->version;
	a.respondent = r->respondent;
	a.answers = ans;
	a.scores = v;
	a.scored = ok;
	if ((e = fhir_add_administration(&x->fb, re->in, &a)) != SB_OK)
		return e;
	x->admins++;
	return SB_OK;
}

/* The NDJSON files, each whole or not at all. */
static SB_MUST enum sb_err
ndjson_write(struct fx *x)
{
	char		 path[4200];
	size_t		 k;
	enum sb_err	 e;

	for (k = 0; k < NJ__MAX; k++) {
		if (x->nj[k].len == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s.ndjson", x->dir, nj_type[k]);
		if (x->nj[k].err != SB_OK) {
			snprintf(x->err, sizeof(x->err), "%.400s: too large",
			    path);
			return SB_ELIMIT;
		}
		if ((e = io_write_whole(path, x->nj[k].data, x->nj[k].len,
		    x->err, sizeof(x->err))) != SB_OK)
			return e;
	}
	return SB_OK;
}

int
fhir_export(const struct ctx *ctx, const char *dir, const char *client,
    bool pseudo, bool transaction, bool ndjson)
{
	struct registry	 reg = { NULL, 0 };
	struct fx	 x;
	int64_t		 cid = 0;
	size_t		 i;
	int		 rc;
	enum sb_err	 e;

	if (client != NULL && !cli_id(client, &cid))
		return usage_error("export", "--client is a client id");
	if (transaction && ndjson)
		return usage_error("export", "--transaction makes Bundles; "
		    "--ndjson makes files of resources: one of them");
	memset(&x, 0, sizeof(x));
	x.dir = dir;
	x.pseudo = pseudo;
	x.ndjson = ndjson;
	x.reg = &reg;
	buf_init(&x.base, STORE_MAX_SETTING + 64);
	for (i = 0; i < NJ__MAX; i++)
		buf_init(&x.nj[i], (size_t)1 << 30);
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if ((x.s = cli_store(ctx, "export", true, &rc)) == NULL) {
		registry_free(&reg);
		return rc;
	}
	rc = EXIT_RUNTIME;
	if (store_fhir_base(x.s, &x.base) != SB_OK) {
		fprintf(stderr, "securebase export: %s\n", store_errmsg(x.s));
		goto out;
	}
	x.transaction = transaction;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "securebase export: %s: %s\n", dir,
		    strerror(errno));
		goto out;
	}
	if ((!pseudo && client_names_load(x.s, &x.clients) != SB_OK) ||
	    (e = store_administration_each(x.s, NULL, cid, fhir_row, &x)) !=
	    SB_OK ||
	    (e = bundle_close(&x)) != SB_OK ||
	    (ndjson && (e = ndjson_write(&x)) != SB_OK)) {
		fprintf(stderr, "securebase export: %s\n", x.err[0] ? x.err :
		    store_errmsg(x.s));
		goto out;
	}
	if (ndjson)
		printf("exported %zu administrations of %zu client%s as FHIR R4 "
		    "NDJSON (one file per resource type) to %s\n", x.admins,
		    x.files, x.files == 1 ? "" : "s", dir);
	else
		printf("exported %zu administrations of %zu client%s as FHIR R4 "
		    "%s Bundles to %s\n", x.admins, x.files, x.files == 1 ? "" :
		    "s", transaction ? "transaction" : "collection", dir);
	if (x.skipped > 0)
		printf("(%zu administrations of instruments not installed were "
		    "left out)\n", x.skipped);
	if (x.other_version > 0)
		printf("(%zu administrations of other versions than the "
		    "installed ones were left out: their Questionnaires are not "
		    "installed)\n", x.other_version);
	rc = EXIT_OK;
out:
	for (i = 0; i < REGISTRY_MAX; i++)
		score_plan_free(x.plans[i]);
	for (i = 0; i < NJ__MAX; i++)
		buf_wipe(&x.nj[i]);
	fhir_bundle_free(&x.fb);
	buf_free(&x.base);
	client_names_free(&x.clients);
	store_close(x.s);
	registry_free(&reg);
	return rc;
}

/* ---- import ---- */

/* The instrument a response's canonical names: ".../Questionnaire/ID"
 * (with "|VERSION" or not), or a LOINC panel code in it. */
static const struct reg_entry *
instrument_of(const struct registry *reg, const char *canonical)
{
	const struct reg_entry	*re;
	const char		*slash, *bar = strchr(canonical, '|');
	char			 id[256];
	size_t			 i;

	snprintf(id, sizeof(id), "%.*s", bar ? (int)(bar - canonical) :
	    (int)strlen(canonical), canonical);
	if ((slash = strrchr(id, '/')) != NULL &&
	    (re = registry_find(reg, slash + 1)) != NULL)
		return re;
	for (i = 0; i < reg->n; i++)
		if (reg->v[i].in->loinc && strstr(canonical,
		    reg->v[i].in->loinc) != NULL)
			return &reg->v[i];
	return NULL;
}

/* Does the canonical end in "/Questionnaire/ID" (with "|VERSION" or
 * not)? */
static bool
names_instrument(const char *canonical, const char *id)
{
	const char	*bar = strchr(canonical, '|');
	size_t		 n = bar ? (size_t)(bar - canonical) : strlen(canonical);
	size_t		 k = strlen(id);

	return n > k + 15 && strncmp(canonical + n - k - 15,
	    "/Questionnaire/", 15) == 0 && strncmp(canonical + n - k, id, k) ==
	    0;
}

/*
 * A response whose canonical is someone else's (US Core's "phq-9-example")
 * belongs to the instrument whose items its linkIds name most often: by
 * item id, or "/LOINC" as LHC-Forms and US Core write them.
 */
static const struct reg_entry *
instrument_by_items(const struct registry *reg, const char *json)
{
	const struct reg_entry	*best = NULL;
	char			 pat[96];
	size_t			 i, k, n, most = 0;

	for (i = 0; i < reg->n; i++) {
		const struct instrument *in = reg->v[i].in;

		for (k = n = 0; k < in->nitems; k++) {
			snprintf(pat, sizeof(pat), "\"/%s\"", in->items[k].loinc ?
			    in->items[k].loinc : "-");
			if (in->items[k].loinc && strstr(json, pat) != NULL)
				n++;
		}
		if (n > most) {
			most = n;
			best = &reg->v[i];
		}
	}
	return best;
}

/* One response (or panel) ready to store, and where it came from. */
struct pending_qr {
	const struct reg_entry	*re;
	int16_t			 ans[INSTR_MAX_ITEMS];
	struct fhir_qr		 qr;
	char			 src_system[256];	/* "": unknown */
	char			 src_value[512];
};

/* A Bundle's Patient: how responses name it, and how to find it again. */
struct pending_patient {
	char		 id[128];
	char		 full[512];		/* its entry's fullUrl, or "" */
	char		 name[256];
	char		 src_system[256];	/* "": not to be matched */
	char		 src_value[512];
};

struct fimport {
	const struct registry	*reg;
	int64_t			 now;
	struct pending_qr	*q;
	size_t			 nq, capq;
	struct pending_patient	*p;
	size_t			 np, capp;
	size_t			 unsourced;	/* responses with no id at all */
	/* New instrument definitions, written only when all is valid. */
	struct buf		 defs[16];
	char			 defid[16][64];
	size_t			 ndefs;
};

#define URI_SYSTEM	"urn:ietf:rfc:3986"

/* The totals a response carried against its answers' scores (err: the
 * first that differs). */
static bool
totals_agree(const struct pending_qr *p, char *err, size_t errsz)
{
	struct score_plan	*plan;
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES], agree;

	if (p->qr.ntotals == 0)
		return true;
	if (score_plan_new(p->re->in, 0, 0, &plan) != SB_OK) {
		snprintf(err, errsz, "out of memory");
		return false;
	}
	score_row(plan, p->ans, v, ok);
	agree = fhir_totals_agree(&p->qr, p->re->in, v, ok, err, errsz);
	score_plan_free(plan);
	return agree;
}

/*
 * Where a resource came from, to know it again: its identifier; else its
 * entry's fullUrl when that is absolute or a urn:uuid (a URI is its own
 * identifier, RFC 3986); else for a response its id, which is matched
 * within the one client only.
 */
static void
source_of(const char *ident_system, const char *ident_value,
    const char *full, const char *type, const char *id, bool local_ok,
    char *sys, size_t syssz, char *val, size_t valsz)
{
	sys[0] = val[0] = '\0';
	if (ident_value[0] != '\0') {
		snprintf(sys, syssz, "%s", ident_system);
		snprintf(val, valsz, "%s", ident_value);
	} else if (full != NULL && (strncmp(full, "urn:uuid:", 9) == 0 ||
	    strncmp(full, "http://", 7) == 0 ||
	    strncmp(full, "https://", 8) == 0)) {
		snprintf(sys, syssz, "%s", URI_SYSTEM);
		snprintf(val, valsz, "%s", full);
	} else if (local_ok && id[0] != '\0') {
		snprintf(sys, syssz, "%s.id", type);
		snprintf(val, valsz, "%s", id);
	}
}

static struct pending_qr *
new_pending(struct fimport *im)
{
	struct pending_qr	*p;

	if (im->nq == im->capq) {
		size_t cap = im->capq ? im->capq * 2 : 64;

		if ((p = realloc(im->q, cap * sizeof(*p))) == NULL)
			return NULL;
		im->q = p;
		im->capq = cap;
	}
	p = &im->q[im->nq];
	memset(p, 0, sizeof(*p));
	return p;
}

static SB_MUST enum sb_err
take_response(struct fimport *im, const char *json, size_t len,
    const char *path, const char *full, char *err, size_t errsz)
{
	struct pending_qr	*p;
	char			 canon[512], e2[400];

	if (fhir_response_questionnaire(json, len, canon, sizeof(canon), e2,
	    sizeof(e2)) != SB_OK) {
		snprintf(err, errsz, "%s%s", path, e2);
		return SB_EINVAL;
	}
	if ((p = new_pending(im)) == NULL)
		return SB_ENOMEM;
	if ((p->re = instrument_of(im->reg, canon)) == NULL &&
	    (p->re = instrument_by_items(im->reg, json)) == NULL) {
		snprintf(err, errsz, "%squestionnaire: \"%.200s\" is no instrument "
		    "of this practice, and its items match none (import its "
		    "Questionnaire first)", path, canon);
		return SB_EINVAL;
	}
	/* A response to another version of our items is not read as
	 * answers to these (someone else's canonical, found by its items,
	 * versions their Questionnaire, not ours). */
	if (names_instrument(canon, p->re->in->id) &&
	    strchr(canon, '|') != NULL &&
	    strcmp(strchr(canon, '|') + 1, p->re->in->version) != 0) {
		snprintf(err, errsz, "%squestionnaire: \"%.200s\" answers "
		    "version %.20s of %s, and this practice has version %s",
		    path, canon, strchr(canon, '|') + 1, p->re->in->name,
		    p->re->in->version);
		return SB_EINVAL;
	}
	if (fhir_read_response(json, len, p->re->in, im->now, p->ans, &p->qr,
	    e2, sizeof(e2)) != SB_OK || !totals_agree(p, e2, sizeof(e2))) {
		snprintf(err, errsz, "%s%s", path, e2);
		return SB_EINVAL;
	}
	source_of(p->qr.ident_system, p->qr.ident_value, full,
	    "QuestionnaireResponse", p->qr.id, true, p->src_system,
	    sizeof(p->src_system), p->src_value, sizeof(p->src_value));
	im->unsourced += p->src_value[0] == '\0';
	im->nq++;
	return SB_OK;
}

/* An Observation panel (hasMember) of bundle.entry[i]: its code names the
 * instrument. */
static SB_MUST enum sb_err
take_panel(struct fimport *im, const char *bundle, size_t len, size_t i,
    json_t *res, const char *path, const char *full, char *err,
    size_t errsz)
{
	struct pending_qr	*p;
	json_t			*code;
	char			 e2[400];

	code = json_object_get(json_array_get(json_object_get(
	    json_object_get(res, "code"), "coding"), 0), "code");
	if ((p = new_pending(im)) == NULL)
		return SB_ENOMEM;
	if (!json_is_string(code) || (p->re = instrument_of(im->reg,
	    json_string_value(code))) == NULL) {
		snprintf(err, errsz, "%scode: \"%.40s\" is the code of no "
		    "instrument of this practice", path, json_is_string(code) ?
		    json_string_value(code) : "");
		return SB_EINVAL;
	}
	if (fhir_read_panel(bundle, len, i, p->re->in, im->now, p->ans, &p->qr,
	    e2, sizeof(e2)) != SB_OK) {
		json_t *from = json_object_get(json_array_get(
		    json_object_get(res, "derivedFrom"), 0), "reference");

		snprintf(err, errsz, "%s%s%s%.200s%s", path, e2, json_is_string(
		    from) ? "; the panel was derived from " : "",
		    json_is_string(from) ? json_string_value(from) : "",
		    json_is_string(from) ? ": import that instead" : "");
		return SB_EINVAL;
	}
	source_of(p->qr.ident_system, p->qr.ident_value, full, "Observation",
	    p->qr.id, true, p->src_system, sizeof(p->src_system),
	    p->src_value, sizeof(p->src_value));
	im->unsourced += p->src_value[0] == '\0';
	im->nq++;
	return SB_OK;
}

/* A HumanName as one line: its text, or its given names and family. */
static void
human_name(json_t *res, char *out, size_t n)
{
	json_t		*names = json_object_get(res, "name"), *nm, *g;
	struct buf	 b;
	size_t		 i, k;

	out[0] = '\0';
	json_array_foreach(names, i, nm) {
		if (json_is_string(json_object_get(nm, "text"))) {
			snprintf(out, n, "%s", json_string_value(
			    json_object_get(nm, "text")));
			return;
		}
		buf_init(&b, 1024);
		json_array_foreach(json_object_get(nm, "given"), k, g)
			if (json_is_string(g))
				buf_printf(&b, "%s%s", b.len ? " " : "",
				    json_string_value(g));
		if (json_is_string(json_object_get(nm, "family")))
			buf_printf(&b, "%s%s", b.len ? " " : "",
			    json_string_value(json_object_get(nm, "family")));
		if (b.len > 0 && b.err == SB_OK)
			snprintf(out, n, "%s", b.data);
		buf_free(&b);
		if (out[0] != '\0')
			return;
	}
}

static SB_MUST enum sb_err
take_patient(struct fimport *im, json_t *res, const char *full)
{
	struct pending_patient	*pp;
	struct fhir_qr		 ids;
	json_t			*id = json_object_get(res, "identifier"), *one;
	size_t			 i;

	if (im->np == im->capp) {
		size_t cap = im->capp ? im->capp * 2 : 64;

		if ((pp = realloc(im->p, cap * sizeof(*pp))) == NULL)
			return SB_ENOMEM;
		im->p = pp;
		im->capp = cap;
	}
	pp = &im->p[im->np];
	memset(pp, 0, sizeof(*pp));
	memset(&ids, 0, sizeof(ids));
	snprintf(pp->id, sizeof(pp->id), "%s", json_is_string(json_object_get(
	    res, "id")) ? json_string_value(json_object_get(res, "id")) : "");
	snprintf(pp->full, sizeof(pp->full), "%s", full ? full : "");
	human_name(res, pp->name, sizeof(pp->name));
	if (pp->name[0] == '\0')
		snprintf(pp->name, sizeof(pp->name), "Imported %s", pp->id);
	json_array_foreach(id, i, one)
		if (json_is_string(json_object_get(one, "value"))) {
			snprintf(ids.ident_value, sizeof(ids.ident_value), "%s",
			    json_string_value(json_object_get(one, "value")));
			snprintf(ids.ident_system, sizeof(ids.ident_system),
			    "%s", json_is_string(json_object_get(one,
			    "system")) ? json_string_value(json_object_get(one,
			    "system")) : "");
			break;
		}
	/* A bare id ("example") is no one's in particular: not matched. */
	source_of(ids.ident_system, ids.ident_value, full, "Patient", pp->id,
	    false, pp->src_system, sizeof(pp->src_system), pp->src_value,
	    sizeof(pp->src_value));
	im->np++;
	return SB_OK;
}

/* Does ref (a subject reference) name the Bundle's patient p? */
static bool
names_patient(const struct pending_patient *p, const char *ref)
{
	char	 rel[160];
	size_t	 n = strlen(ref), m;

	if (p->full[0] != '\0' && strcmp(p->full, ref) == 0)
		return true;
	if (p->id[0] == '\0')
		return false;
	snprintf(rel, sizeof(rel), "Patient/%s", p->id);
	m = strlen(rel);
	return strcmp(ref, rel) == 0 || (n > m && strcmp(ref + n - m, rel) ==
	    0 && ref[n - m - 1] == '/');
}

/* A Questionnaire: a new instrument definition, checked by the parser. */
/* Texts equal but for case and runs of spaces. */
static bool
same_text(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if ((*a | 0x20) != (*b | 0x20))
			return false;
		a++;
		b++;
	}
}

/*
 * A shipped instrument asking the same items, in the same order (each by
 * its LOINC code where both have one, else by its words): an imported
 * variant of it keeps its critical items.
 */
static const struct instrument *
shipped_like(const struct registry *reg, const struct instrument *in)
{
	const struct instrument	*s;
	size_t			 i, k;
	bool			 crit;

	for (i = 0; i < reg->n; i++) {
		s = reg->v[i].in;
		if (!reg->v[i].builtin || s->nitems != in->nitems)
			continue;
		for (k = 0, crit = false; k < s->nitems; k++) {
			const struct instr_item *a = &s->items[k], *b =
			    &in->items[k];

			if (a->loinc != NULL && b->loinc != NULL ?
			    strcmp(a->loinc, b->loinc) != 0 :
			    !same_text(a->text, b->text))
				break;
			crit |= a->critical;
		}
		if (k == s->nitems && crit)
			return s;
	}
	return NULL;
}

static bool
has_critical(const struct instrument *in)
{
	size_t	 k;

	for (k = 0; k < in->nitems; k++)
		if (in->items[k].critical)
			return true;
	return false;
}

static SB_MUST enum sb_err
take_questionnaire(struct fimport *im, const char *json, size_t len,
    const char *path, char *err, size_t errsz)
{
	const struct instrument	*like;
	struct instrument	*in;
	struct buf		 def, errs, warn;
	json_t			*root = json_loadb(json, len, 0, NULL);
	json_t			*id = root ? json_object_get(root, "id") : NULL;
	json_t			*url = root ? json_object_get(root, "url") : NULL;
	const struct reg_entry	*re;
	char			 e2[400];
	enum sb_err		 e;

	/* One of ours (its canonical names an installed instrument), or
	 * already installed: nothing to do. */
	if ((json_is_string(url) && (re = instrument_of(im->reg,
	    json_string_value(url))) != NULL && strstr(json_string_value(url),
	    "/Questionnaire/") != NULL) || (json_is_string(id) &&
	    registry_find(im->reg, json_string_value(id)))) {
		json_decref(root);
		return SB_OK;
	}
	json_decref(root);
	buf_init(&def, 1 << 20);
	buf_init(&errs, 1 << 16);
	buf_init(&warn, 1 << 16);
	if ((e = fhir_questionnaire_to_instrument(json, len, NULL, &def, &warn,
	    e2, sizeof(e2))) != SB_OK) {
		snprintf(err, errsz, "%s%s", path, e2);
		goto out;
	}
	if ((e = instr_parse(def.data, def.len, "(from FHIR)", &in, &errs)) !=
	    SB_OK) {
		snprintf(err, errsz, "%sthe Questionnaire does not make a valid "
		    "instrument: %.300s", path, errs.data ? errs.data : "");
		goto out;
	}
	if (warn.len > 0 && warn.err == SB_OK) {
		const char *l = warn.data, *nl;

		for (; (nl = strchr(l, '\n')) != NULL; l = nl + 1)
			fprintf(stderr, "securebase import: warning: %s%.*s\n",
			    path, (int)(nl - l), l);
	}
	/* A variant of a shipped instrument keeps its risk items. */
	if (!has_critical(in) && (like = shipped_like(im->reg, in)) != NULL) {
		instr_free(in);
		in = NULL;
		buf_reset(&def);
		buf_reset(&errs);
		if ((e = fhir_questionnaire_to_instrument(json, len, like, &def,
		    NULL, e2, sizeof(e2))) != SB_OK || (e = instr_parse(def.data,
		    def.len, "(from FHIR)", &in, &errs)) != SB_OK) {
			snprintf(err, errsz, "%sthe Questionnaire does not make "
			    "a valid instrument: %.300s", path, errs.data ?
			    errs.data : e2);
			goto out;
		}
		fprintf(stderr, "securebase import: %s%s asks the items of %s: "
		    "its critical items are kept\n", path, in->id, like->name);
	} else if (!has_critical(in))
		fprintf(stderr, "securebase import: warning: %s%s has no "
		    "critical items: no answer to it will raise a risk alert "
		    "(mark them with the extension %s, see docs/exchange.md)\n",
		    path, in->id, FHIR_CRITICAL_URL);
	if (im->ndefs == 16) {
		snprintf(err, errsz, "%sat most 16 new Questionnaires in one "
		    "import", path);
		e = SB_ELIMIT;
	} else {
		/* Kept until everything is checked: nothing half-imported. */
		snprintf(im->defid[im->ndefs], sizeof(im->defid[0]), "%s",
		    in->id);
		im->defs[im->ndefs++] = def;
		buf_init(&def, 0);
	}
	instr_free(in);
out:
	buf_free(&def);
	buf_free(&errs);
	buf_free(&warn);
	return e;
}

/* The new definitions: into the --instruments directory, or shown. */
static SB_MUST enum sb_err
write_definitions(const struct fimport *im, const struct ctx *ctx)
{
	char	 file[4200];
	size_t	 i;
	int	 fd;

	for (i = 0; i < im->ndefs; i++) {
		if (ctx->instruments_dir == NULL) {
			fwrite(im->defs[i].data, 1, im->defs[i].len, stdout);
			printf("# (give --instruments DIR to install it)\n");
			continue;
		}
		snprintf(file, sizeof(file), "%s/%s.instrument",
		    ctx->instruments_dir, im->defid[i]);
		if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600)) == -1 || io_write_all(fd, im->defs[i].data,
		    im->defs[i].len) != SB_OK || close(fd) == -1) {
			fprintf(stderr, "securebase import: %s: %s\n", file,
			    strerror(errno));
			return SB_EIO;
		}
		printf("instrument %s written to %s (scored as a sum; licence "
		    "unknown: record a permission to use it)\n", im->defid[i],
		    file);
	}
	return SB_OK;
}

/* What a Bundle entry's resource is, "" when it has none. */
static const char *
entry_type(json_t *res)
{
	json_t	*t = json_object_get(res, "resourceType");

	return json_is_string(t) ? json_string_value(t) : "";
}

static SB_MUST enum sb_err
take_bundle(struct fimport *im, const char *json, size_t len,
    bool bare_panel, char *err, size_t errsz)
{
	char		 path[64], *one;
	const char	*type, *full;
	json_t		*root, *entries, *en, *res;
	size_t		 i, taken = 0, skipped = 0;
	enum sb_err	 e = SB_OK;

	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL)) ==
	    NULL)
		return SB_EINVAL;
	entries = json_object_get(root, "entry");
	/* Patients first: a response may come before its subject. */
	json_array_foreach(entries, i, en) {
		res = json_object_get(en, "resource");
		full = json_string_value(json_object_get(en, "fullUrl"));
		if (strcmp(entry_type(res), "Patient") == 0 &&
		    (e = take_patient(im, res, full)) != SB_OK)
			goto out;
	}
	json_array_foreach(entries, i, en) {
		snprintf(path, sizeof(path), bare_panel ? "" :
		    "entry[%zu].resource.", i);
		res = json_object_get(en, "resource");
		full = json_string_value(json_object_get(en, "fullUrl"));
		type = entry_type(res);
		if (strcmp(type, "Observation") == 0) {
			/* A panel carries the answers of its members; a
			 * member or a score alone is read through its panel
			 * or recomputed. */
			if (json_object_get(res, "hasMember") == NULL) {
				skipped++;
				continue;
			}
			if ((e = take_panel(im, json, len, i, res, path, full,
			    err, errsz)) != SB_OK)
				goto out;
			taken++;
			continue;
		}
		if (strcmp(type, "Questionnaire") != 0 &&
		    strcmp(type, "QuestionnaireResponse") != 0) {
			skipped += strcmp(type, "Patient") != 0;
			continue;
		}
		if ((one = json_dumps(res, JSON_COMPACT)) == NULL) {
			e = SB_ENOMEM;
			goto out;
		}
		e = type[13] == '\0' ? take_questionnaire(im, one, strlen(one),
		    path, err, errsz) : take_response(im, one, strlen(one), path,
		    full, err, errsz);
		free(one);
		if (e != SB_OK)
			goto out;
		taken++;
	}
	if (taken == 0) {
		snprintf(err, errsz, "%s holds no QuestionnaireResponse, "
		    "Questionnaire or Observation panel (with hasMember): "
		    "nothing to import%s", bare_panel ? "the file" : "the Bundle",
		    skipped ? " (Observations are read through their panel)" :
		    "");
		e = SB_EINVAL;
	}
out:
	json_decref(root);
	return e;
}

static SB_MUST enum sb_err
take(struct fimport *im, const char *json, size_t len, char *err,
    size_t errsz)
{
	char		 type[64];
	json_t		*root, *wrap;
	char		*text;
	enum sb_err	 e;

	fhir_resource_type(json, len, type, sizeof(type));
	if (type[0] == '\0') {
		json_error_t je;

		if ((root = json_loadb(json, len, 0, &je)) == NULL) {
			snprintf(err, errsz, "line %d, column %d: %s", je.line,
			    je.column, je.text);
			return SB_EINVAL;
		}
		json_decref(root);
	}
	if (strcmp(type, "QuestionnaireResponse") == 0)
		return take_response(im, json, len, "", NULL, err, errsz);
	if (strcmp(type, "Questionnaire") == 0)
		return take_questionnaire(im, json, len, "", err, errsz);
	if (strcmp(type, "Bundle") == 0)
		return take_bundle(im, json, len, false, err, errsz);
	if (strcmp(type, "Observation") != 0) {
		snprintf(err, errsz, "resourceType: a QuestionnaireResponse, a "
		    "Questionnaire, an Observation panel or a Bundle");
		return SB_EINVAL;
	}
	/* An Observation alone: a panel of one entry. */
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL)) ==
	    NULL)
		return SB_EINVAL;
	wrap = json_pack("{sss[{so}]}", "resourceType", "Bundle", "entry",
	    "resource", root);
	if (wrap == NULL || (text = json_dumps(wrap, JSON_COMPACT)) == NULL) {
		json_decref(wrap);
		return SB_ENOMEM;
	}
	e = take_bundle(im, text, strlen(text), true, err, errsz);
	free(text);
	json_decref(wrap);
	return e;
}

/*
 * The Bundle's patients as clients: one imported before (by its source)
 * is that client again; the others are new, with their source kept.
 */
static SB_MUST enum sb_err
patients_to_clients(struct store *s, const struct fimport *im,
    int64_t *made, size_t *nnew)
{
	size_t		 i;
	enum sb_err	 e;

	for (i = 0; i < im->np; i++) {
		const struct pending_patient *pp = &im->p[i];

		made[i] = 0;
		if (pp->src_value[0] != '\0' && (e = store_source_find(s,
		    SOURCE_CLIENT, 0, pp->src_system, pp->src_value,
		    &made[i])) != SB_OK)
			return e;
		if (made[i] != 0)
			continue;
		if ((e = store_client_add(s, pp->name, &made[i])) != SB_OK)
			return e;
		(*nnew)++;
		if (pp->src_value[0] != '\0' && (e = store_source_add(s,
		    SOURCE_CLIENT, made[i], 0, pp->src_system, pp->src_value,
		    NULL)) != SB_OK)
			return e;
	}
	return SB_OK;
}

int
fhir_import(const struct ctx *ctx, const char *file, const char *client,
    int historic_days)
{
	struct registry		 reg = { NULL, 0 };
	struct fimport		 im;
	struct store		*s = NULL;
	struct score_plan	*plan;
	struct buf		 in;
	char			 err[1024];
	int64_t			 cid = 0, *made = NULL, found;
	struct record_out	 rr;
	size_t			 i, k, nalerts = 0, ncrit = 0, nnew = 0;
	size_t			 nin = 0, nagain = 0;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if (client != NULL && !cli_id(client, &cid))
		return usage_error("import", "--client is a client id");
	memset(&im, 0, sizeof(im));
	im.reg = &reg;
	im.now = clock_now();
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	rc = EXIT_RUNTIME;
	buf_init(&in, FHIR_MAX);
	/* Everything is read and checked before anything is written. */
	if (io_read_file(file, FHIR_MAX, &in, err, sizeof(err)) != SB_OK ||
	    take(&im, in.data ? in.data : "", in.len, err, sizeof(err)) !=
	    SB_OK) {
		fprintf(stderr, "securebase import: %s: %s\n", file, err);
		goto out;
	}
	if (im.nq == 0) {
		rc = write_definitions(&im, ctx) == SB_OK ? EXIT_OK :
		    EXIT_RUNTIME;
		goto out;
	}
	if (cid == 0 && im.np == 0) {
		fprintf(stderr, "securebase import: %s: whose answers? give "
		    "--client ID, or a Bundle with the Patient\n", file);
		goto out;
	}
	/* Every response's subject is in the Bundle, before any write. */
	for (i = 0; cid == 0 && i < im.nq; i++) {
		for (k = 0; k < im.np && !names_patient(&im.p[k],
		    im.q[i].qr.patient); k++)
			;
		if (k == im.np) {
			fprintf(stderr, "securebase import: %s: response %zu "
			    "names \"%.200s\", which is no Patient of the "
			    "Bundle\n", file, i + 1, im.q[i].qr.patient);
			goto out;
		}
	}
	if ((s = cli_store(ctx, "import", true, &rc)) == NULL)
		goto out;
	rc = EXIT_RUNTIME;
	if (historic_days <= 0)
		historic_days = record_historic_days(s);
	if ((made = calloc(im.np + 1, sizeof(*made))) == NULL ||
	    store_begin(s) != SB_OK)
		goto dberr;
	if (cid == 0 && patients_to_clients(s, &im, made, &nnew) != SB_OK)
		goto dberr;
	for (i = 0; i < im.nq; i++) {
		const struct pending_qr *q = &im.q[i];
		struct record_opts ro = { q->qr.respondent[0] ?
		    q->qr.respondent : "self", "import", NULL, false, 0,
		    q->qr.authored, historic_days, false };
		int64_t who = cid;

		for (k = 0; who == 0 && k < im.np; k++)
			if (names_patient(&im.p[k], q->qr.patient))
				who = made[k];
		/* Known again: the same response imported before. */
		if (q->src_value[0] != '\0') {
			if (store_source_find(s, SOURCE_ADMINISTRATION, who,
			    q->src_system, q->src_value, &found) != SB_OK)
				goto dberr;
			if (found != 0) {
				nagain++;
				continue;
			}
		}
		if (score_plan_new(q->re->in, 0, 0, &plan) != SB_OK)
			goto dberr;
		e = record_administration(s, plan, who, q->ans, &ro, &rr);
		score_plan_free(plan);
		if (e != SB_OK || (q->src_value[0] != '\0' &&
		    store_source_add(s, SOURCE_ADMINISTRATION, who, rr.id,
		    q->src_system, q->src_value, q->qr.offset) != SB_OK))
			goto dberr;
		nin++;
		nalerts += (size_t)rr.alerts;
		ncrit += (size_t)rr.critical;
	}
	if (store_commit(s) != SB_OK)
		goto dberr;
	if (nin == 0)
		printf("nothing new: all %zu responses were already imported\n",
		    nagain);
	else
		printf("imported %zu response%s%s\n", nin, nin == 1 ? "" : "s",
		    nnew ? " with their patients as new clients" : "");
	if (nin > 0 && nagain > 0)
		printf("%zu response%s already imported, left as %s\n", nagain,
		    nagain == 1 ? " was" : "s were", nagain == 1 ? "it was" :
		    "they were");
	if (im.unsourced > 0)
		fprintf(stderr, "securebase import: %s: warning: %zu response%s "
		    "no id or identifier: importing the file again would add "
		    "%s again\n", file, im.unsourced, im.unsourced == 1 ?
		    " has" : "s have", im.unsourced == 1 ? "it" : "them");
	if (nalerts > 0)
		printf("%zu alert%s raised (%zu critical item%s endorsed); see "
		    "securebase alerts\n", nalerts, nalerts == 1 ? "" : "s",
		    ncrit, ncrit == 1 ? "" : "s");
	rc = write_definitions(&im, ctx) == SB_OK ? EXIT_OK : EXIT_RUNTIME;
	goto out;
dberr:
	fprintf(stderr, "securebase import: %s\n", store_errmsg(s));
	store_rollback(s);
out:
	for (i = 0; i < im.ndefs; i++)
		buf_free(&im.defs[i]);
	free(made);
	free(im.q);
	free(im.p);
	buf_wipe(&in);
	store_close(s);
	registry_free(&reg);
	return rc;
}

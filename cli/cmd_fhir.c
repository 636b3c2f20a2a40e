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
#include "core/fhir.h"
#include "core/text.h"
#include "store/store.h"

/* ---- export ---- */

struct fx {
	const struct registry	*reg;
	struct store		*s;
	const char		*dir;
	bool			 pseudo;
	struct client_names	 clients;	/* with their names */
	struct buf		 out;		/* the open bundle */
	int64_t			 client;	/* of the open bundle, 0: none */
	const struct instrument	*used[REGISTRY_MAX];
	/* One score plan per instrument for the whole export. */
	struct score_plan	*plans[REGISTRY_MAX];
	size_t			 nused, files, admins, skipped;
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

/* Writes the open bundle to DIR/ID.json, whole or not at all. */
static enum sb_err
bundle_close(struct fx *x)
{
	char		 pid[40], path[4200];
	enum sb_err	 e;

	if (x->client == 0)
		return SB_OK;
	fhir_bundle_end(&x->out);
	patient_id(x, x->client, pid, sizeof(pid));
	snprintf(path, sizeof(path), "%s/%s.json", x->dir, pid);
	if (x->out.err != SB_OK) {
		snprintf(x->err, sizeof(x->err), "%.400s: too large", path);
		return SB_ELIMIT;
	}
	if ((e = io_write_whole(path, x->out.data, x->out.len, x->err,
	    sizeof(x->err))) != SB_OK)
		return e;
	x->files++;
	x->client = 0;
	buf_wipe(&x->out);
	return SB_OK;
}

static enum sb_err
bundle_open(struct fx *x, int64_t client)
{
	const struct client_name *c;
	char			 pid[40];
	enum sb_err		 e;

	if ((e = bundle_close(x)) != SB_OK)
		return e;
	buf_init(&x->out, (size_t)1 << 30);
	x->client = client;
	x->nused = 0;
	patient_id(x, client, pid, sizeof(pid));
	fhir_bundle_begin(&x->out, pid);
	fhir_patient(&x->out, pid, !x->pseudo &&
	    (c = client_names_find(&x->clients, client)) != NULL ? c->name :
	    NULL);
	return SB_OK;
}

static enum sb_err
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
		fhir_questionnaire(&x->out, re->in);
	}
	plan = &x->plans[re - x->reg->v];
	if (*plan == NULL && score_plan_new(re->in, 0, 0, plan) != SB_OK)
		return SB_ENOMEM;
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
	a.answers = ans;
	a.scores = v;
	a.scored = ok;
	fhir_administration(&x->out, re->in, &a);
	x->admins++;
	return SB_OK;
}

int
fhir_export(const struct ctx *ctx, const char *dir, const char *client,
    bool pseudo)
{
	struct registry	 reg = { NULL, 0 };
	struct fx	 x;
	int64_t		 cid = 0;
	size_t		 i;
	int		 rc;
	enum sb_err	 e;

	if (client != NULL && !cli_id(client, &cid))
		return usage_error("export", "--client is a client id");
	memset(&x, 0, sizeof(x));
	x.dir = dir;
	x.pseudo = pseudo;
	x.reg = &reg;
	if ((rc = cli_registry(ctx, &reg)) != EXIT_OK)
		return rc;
	if ((x.s = cli_store(ctx, "export", true, &rc)) == NULL) {
		registry_free(&reg);
		return rc;
	}
	rc = EXIT_RUNTIME;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "securebase export: %s: %s\n", dir,
		    strerror(errno));
		goto out;
	}
	if ((!pseudo && client_names_load(x.s, &x.clients) != SB_OK) ||
	    (e = store_administration_each(x.s, NULL, cid, fhir_row, &x)) !=
	    SB_OK ||
	    (e = bundle_close(&x)) != SB_OK) {
		fprintf(stderr, "securebase export: %s\n", x.err[0] ? x.err :
		    store_errmsg(x.s));
		goto out;
	}
	printf("exported %zu administrations of %zu client%s as FHIR R4 "
	    "Bundles to %s\n", x.admins, x.files, x.files == 1 ? "" : "s",
	    dir);
	if (x.skipped > 0)
		printf("(%zu administrations of instruments not installed were "
		    "left out)\n", x.skipped);
	rc = EXIT_OK;
out:
	for (i = 0; i < REGISTRY_MAX; i++)
		score_plan_free(x.plans[i]);
	buf_wipe(&x.out);
	client_names_free(&x.clients);
	store_close(x.s);
	registry_free(&reg);
	return rc;
}

/* ---- import ---- */

/* The instrument a response's canonical names: ".../Questionnaire/ID",
 * or a LOINC panel code in it. */
static const struct reg_entry *
instrument_of(const struct registry *reg, const char *canonical)
{
	const char	*slash = strrchr(canonical, '/');
	size_t		 i;

	if (slash != NULL && registry_find(reg, slash + 1) != NULL)
		return registry_find(reg, slash + 1);
	for (i = 0; i < reg->n; i++)
		if (reg->v[i].in->loinc && strstr(canonical,
		    reg->v[i].in->loinc) != NULL)
			return &reg->v[i];
	return NULL;
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

/* One response ready to store. */
struct pending_qr {
	const struct reg_entry	*re;
	int16_t			 ans[INSTR_MAX_ITEMS];
	struct fhir_qr		 qr;
	char			 patient[128];
};

struct fimport {
	const struct registry	*reg;
	struct pending_qr	*q;
	size_t			 nq, capq;
	/* Patients of a bundle: their ids and names. */
	char			 (*pid)[128];
	char			 (*pname)[256];
	size_t			 np, capp;
	/* New instrument definitions, written only when all is valid. */
	struct buf		 defs[16];
	char			 defid[16][64];
	size_t			 ndefs;
};

static enum sb_err
take_response(struct fimport *im, const char *json, size_t len,
    const char *path, char *err, size_t errsz)
{
	struct pending_qr	*p;
	char			 canon[512], e2[400];
	const char		*ref;

	if (fhir_response_questionnaire(json, len, canon, sizeof(canon), e2,
	    sizeof(e2)) != SB_OK) {
		snprintf(err, errsz, "%s%s", path, e2);
		return SB_EINVAL;
	}
	if (im->nq == im->capq) {
		size_t cap = im->capq ? im->capq * 2 : 64;

		if ((p = realloc(im->q, cap * sizeof(*p))) == NULL)
			return SB_ENOMEM;
		im->q = p;
		im->capq = cap;
	}
	p = &im->q[im->nq];
	memset(p, 0, sizeof(*p));
	if ((p->re = instrument_of(im->reg, canon)) == NULL &&
	    (p->re = instrument_by_items(im->reg, json)) == NULL) {
		snprintf(err, errsz, "%squestionnaire: \"%.200s\" is no instrument "
		    "of this practice, and its items match none (import its "
		    "Questionnaire first)", path, canon);
		return SB_EINVAL;
	}
	if (fhir_read_response(json, len, p->re->in, p->ans, &p->qr, e2,
	    sizeof(e2)) != SB_OK) {
		snprintf(err, errsz, "%s%s", path, e2);
		return SB_EINVAL;
	}
	ref = p->qr.patient;
	if (strncmp(ref, "Patient/", 8) == 0)
		ref += 8;
	snprintf(p->patient, sizeof(p->patient), "%s", ref);
	im->nq++;
	return SB_OK;
}

static enum sb_err
take_patient(struct fimport *im, json_t *res)
{
	json_t	*id = json_object_get(res, "id"), *name;
	void	*q;

	if (im->np == im->capp) {
		size_t cap = im->capp ? im->capp * 2 : 64;

		if ((q = realloc(im->pid, cap * sizeof(*im->pid))) == NULL)
			return SB_ENOMEM;
		im->pid = q;
		if ((q = realloc(im->pname, cap * sizeof(*im->pname))) == NULL)
			return SB_ENOMEM;
		im->pname = q;
		im->capp = cap;
	}
	snprintf(im->pid[im->np], 128, "%s", json_is_string(id) ?
	    json_string_value(id) : "");
	name = json_object_get(json_array_get(json_object_get(res, "name"), 0),
	    "text");
	snprintf(im->pname[im->np], 256, "%s", json_is_string(name) ?
	    json_string_value(name) : "");
	if (im->pname[im->np][0] == '\0')
		snprintf(im->pname[im->np], 256, "Imported %s", im->pid[im->np]);
	im->np++;
	return SB_OK;
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

static enum sb_err
take_questionnaire(struct fimport *im, const char *json, size_t len,
    const char *path, char *err, size_t errsz)
{
	const struct instrument	*like;
	struct instrument	*in;
	struct buf		 def, errs;
	json_t			*root = json_loadb(json, len, 0, NULL);
	json_t			*id = root ? json_object_get(root, "id") : NULL;
	char			 e2[400];
	enum sb_err		 e;

	/* One of ours, or already installed: nothing to do. */
	if (json_is_string(id) && registry_find(im->reg, json_string_value(id))) {
		json_decref(root);
		return SB_OK;
	}
	json_decref(root);
	buf_init(&def, 1 << 20);
	buf_init(&errs, 1 << 16);
	if ((e = fhir_questionnaire_to_instrument(json, len, NULL, &def, e2,
	    sizeof(e2))) != SB_OK) {
		snprintf(err, errsz, "%s%s", path, e2);
		goto out;
	}
	if ((e = instr_parse(def.data, def.len, "(from FHIR)", &in, &errs)) !=
	    SB_OK) {
		snprintf(err, errsz, "%sthe Questionnaire does not make a valid "
		    "instrument: %.300s", path, errs.data ? errs.data : "");
		goto out;
	}
	/* A variant of a shipped instrument keeps its risk items. */
	if (!has_critical(in) && (like = shipped_like(im->reg, in)) != NULL) {
		instr_free(in);
		in = NULL;
		buf_reset(&def);
		buf_reset(&errs);
		if ((e = fhir_questionnaire_to_instrument(json, len, like, &def,
		    e2, sizeof(e2))) != SB_OK || (e = instr_parse(def.data,
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
	return e;
}

/* The new definitions: into the --instruments directory, or shown. */
static enum sb_err
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

static enum sb_err
take(struct fimport *im, const char *json, size_t len, char *err,
    size_t errsz)
{
	char		 type[64], path[64], *one;
	json_t		*root, *entries, *en, *res;
	size_t		 i;
	enum sb_err	 e = SB_OK;

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
		return take_response(im, json, len, "", err, errsz);
	if (strcmp(type, "Questionnaire") == 0)
		return take_questionnaire(im, json, len, "", err, errsz);
	if (strcmp(type, "Bundle") != 0) {
		snprintf(err, errsz, "resourceType: a QuestionnaireResponse, a "
		    "Questionnaire or a Bundle");
		return SB_EINVAL;
	}
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL)) ==
	    NULL)
		return SB_EINVAL;
	entries = json_object_get(root, "entry");
	json_array_foreach(entries, i, en) {
		snprintf(path, sizeof(path), "entry[%zu].resource.", i);
		res = json_object_get(en, "resource");
		fhir_resource_type("", 0, type, sizeof(type));
		if (json_is_string(json_object_get(res, "resourceType")))
			snprintf(type, sizeof(type), "%s", json_string_value(
			    json_object_get(res, "resourceType")));
		if (strcmp(type, "Patient") == 0) {
			if ((e = take_patient(im, res)) != SB_OK)
				break;
			continue;
		}
		if (strcmp(type, "Questionnaire") != 0 &&
		    strcmp(type, "QuestionnaireResponse") != 0)
			continue;	/* Observations: recomputed from answers */
		if ((one = json_dumps(res, JSON_COMPACT)) == NULL) {
			e = SB_ENOMEM;
			break;
		}
		e = type[13] == '\0' ? take_questionnaire(im, one, strlen(one),
		    path, err, errsz) : take_response(im, one, strlen(one), path,
		    err, errsz);
		free(one);
		if (e != SB_OK)
			break;
	}
	json_decref(root);
	return e;
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
	int64_t			 cid = 0, *made = NULL;
	struct record_out	 rr;
	size_t			 i, k, nalerts = 0, ncrit = 0;
	int			 rc;
	enum sb_err		 e = SB_OK;

	if (client != NULL && !cli_id(client, &cid))
		return usage_error("import", "--client is a client id");
	memset(&im, 0, sizeof(im));
	im.reg = &reg;
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
	if ((s = cli_store(ctx, "import", true, &rc)) == NULL)
		goto out;
	rc = EXIT_RUNTIME;
	if (historic_days <= 0)
		historic_days = record_historic_days(s);
	if ((made = calloc(im.np + 1, sizeof(*made))) == NULL ||
	    store_begin(s) != SB_OK)
		goto dberr;
	for (i = 0; cid == 0 && i < im.np; i++)
		if ((e = store_client_add(s, im.pname[i], &made[i])) != SB_OK)
			goto dberr;
	for (i = 0; i < im.nq; i++) {
		struct record_opts ro = { "self", "import", NULL, false, 0,
		    im.q[i].qr.authored[0] ? im.q[i].qr.authored : NULL,
		    historic_days, false };
		int64_t who = cid;

		for (k = 0; who == 0 && k < im.np; k++)
			if (strcmp(im.pid[k], im.q[i].patient) == 0)
				who = made[k];
		if (who == 0) {
			fprintf(stderr, "securebase import: %s: response %zu names "
			    "Patient/%s, which the Bundle does not hold\n", file,
			    i + 1, im.q[i].patient);
			store_rollback(s);
			goto out;
		}
		if (score_plan_new(im.q[i].re->in, 0, 0, &plan) != SB_OK)
			goto dberr;
		e = record_administration(s, plan, who, im.q[i].ans, &ro, &rr);
		score_plan_free(plan);
		if (e != SB_OK)
			goto dberr;
		nalerts += (size_t)rr.alerts;
		ncrit += (size_t)rr.critical;
	}
	if (store_commit(s) != SB_OK)
		goto dberr;
	printf("imported %zu responses%s\n", im.nq, im.np && !cid ?
	    " with their patients as new clients" : "");
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
	free(im.pid);
	free(im.pname);
	buf_wipe(&in);
	store_close(s);
	registry_free(&reg);
	return rc;
}

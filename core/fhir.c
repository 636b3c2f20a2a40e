/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fhir.c - FHIR R4 in.  See fhir.h (and render/fhir.h for FHIR out).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "core/fhir.h"
#include "core/score.h"
#include "core/text.h"

#define LOINC_SYSTEM	"http://loinc.org"
#define WEIGHT_URL	"http://hl7.org/fhir/StructureDefinition/itemWeight"
#define ORDINAL_URL	"http://hl7.org/fhir/StructureDefinition/ordinalValue"

/* ---- reading ---- */

void
fhir_resource_type(const char *json, size_t len, char *out, size_t outsz)
{
	json_t	*root = json_loadb(json, len, 0, NULL);
	json_t	*t = root ? json_object_get(root, "resourceType") : NULL;

	snprintf(out, outsz, "%s", json_is_string(t) ? json_string_value(t) :
	    "");
	json_decref(root);
}

static json_t *
load(const char *json, size_t len, const char *want, char *err,
    size_t errsz)
{
	json_error_t	 je;
	json_t		*root, *t;

	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je)) ==
	    NULL) {
		snprintf(err, errsz, "line %d, column %d: %s", je.line,
		    je.column, je.text);
		return NULL;
	}
	t = json_object_get(root, "resourceType");
	if (!json_is_string(t) || strcmp(json_string_value(t), want) != 0) {
		snprintf(err, errsz, "resourceType: expected %s", want);
		json_decref(root);
		return NULL;
	}
	return root;
}

enum sb_err
fhir_response_questionnaire(const char *json, size_t len, char *out,
    size_t outsz, char *err, size_t errsz)
{
	json_t	*root, *q;

	if ((root = load(json, len, "QuestionnaireResponse", err, errsz)) ==
	    NULL)
		return SB_EINVAL;
	q = json_object_get(root, "questionnaire");
	if (!json_is_string(q)) {
		snprintf(err, errsz, "questionnaire: required (a canonical URL)");
		json_decref(root);
		return SB_EINVAL;
	}
	snprintf(out, outsz, "%s", json_string_value(q));
	json_decref(root);
	return SB_OK;
}

/* The instrument item a linkId names: its id, or "/LOINC". */
static size_t
item_of(const struct instrument *in, const char *link)
{
	size_t	 i;

	i = instr_item_find(in, link, strlen(link));
	if (i != INSTR_NONE)
		return i;
	/* "/44250-9" (LHC-Forms) or "44250-9" (as EHRs write it). */
	if (link[0] == '/')
		link++;
	for (i = 0; i < in->nitems; i++)
		if (in->items[i].loinc && strcmp(in->items[i].loinc, link) == 0)
			return i;
	return INSTR_NONE;
}

/* The score a linkId names (its id, or its LOINC code bare or after a
 * slash), or INSTR_NONE. */
static size_t
score_of_link(const struct instrument *in, const char *link)
{
	const char	*code = link[0] == '/' ? link + 1 : link;
	size_t		 i;

	for (i = 0; i < in->nscores; i++)
		if (strcmp(in->scores[i].id, link) == 0 ||
		    (in->scores[i].loinc && strcmp(in->scores[i].loinc, code) ==
		    0))
			return i;
	return INSTR_NONE;
}

/* A total as a response writes it: valueInteger, valueDecimal or
 * valueQuantity.value; false for anything else. */
static bool
total_value(json_t *ans, double *v)
{
	json_t	*c;

	if ((c = json_object_get(ans, "valueInteger")) != NULL ||
	    (c = json_object_get(ans, "valueDecimal")) != NULL ||
	    (c = json_object_get(json_object_get(ans, "valueQuantity"),
	    "value")) != NULL) {
		*v = json_number_value(c);
		return json_is_number(c) && *v > -1e9 && *v < 1e9;
	}
	return false;
}

/* A total the response carried, kept for fhir_totals_agree(). */
static SB_MUST enum sb_err
keep_total(struct fhir_qr *out, size_t score, json_t *ans, const char *here,
    char *err, size_t errsz)
{
	struct fhir_total	*t;
	double			 v;

	if (!json_is_array(ans) || json_array_size(ans) != 1 ||
	    !total_value(json_array_get(ans, 0), &v)) {
		snprintf(err, errsz, "%s.answer: a total is one number", here);
		return SB_EINVAL;
	}
	if (out->ntotals == sizeof(out->totals) / sizeof(out->totals[0]))
		return SB_OK;	/* more totals than scores: the first ones */
	t = &out->totals[out->ntotals++];
	t->score = score;
	t->value = v;
	snprintf(t->at, sizeof(t->at), "%.63s", here);
	return SB_OK;
}

bool
fhir_totals_agree(const struct fhir_qr *qr, const struct instrument *in,
    const double *values, const bool *valid, char *err, size_t errsz)
{
	const struct fhir_total	*t;
	size_t			 i;

	for (i = 0; i < qr->ntotals; i++) {
		t = &qr->totals[i];
		if (t->score >= in->nscores)
			continue;
		if (!valid[t->score]) {
			snprintf(err, errsz, "%s: a %s %s of %g was sent, and the "
			    "answers give none (too many left out)", t->at,
			    in->name, in->scores[t->score].label, t->value);
			return false;
		}
		/* Half a point: a total sent rounded (CORE-10's prorated
		 * one) still agrees. */
		if (fabs(values[t->score] - t->value) > 0.5) {
			snprintf(err, errsz, "%s: the %s %s sent is %g, and the "
			    "answers give %g", t->at, in->name,
			    in->scores[t->score].label, t->value,
			    values[t->score]);
			return false;
		}
	}
	return true;
}

/* The option value an answer names: a coding (LOINC answer code or the
 * option's value), a whole number (valueInteger, or valueDecimal such as
 * 2.0), or the option's words (valueString, as some forms write it). */
static bool
answer_value(const struct instrument *in, size_t item, json_t *ans, int *v,
    const char **what)
{
	const struct instr_optset *os = &in->optsets[in->items[item].optset];
	json_t	*c, *code;
	size_t	 k;
	long	 n;
	double	 d;

	*what = "valueCoding.code";
	if ((c = json_object_get(ans, "valueCoding")) != NULL) {
		code = json_object_get(c, "code");
		if (!json_is_string(code))
			return false;
		for (k = 0; k < os->nopts; k++)
			if ((os->opts[k].loinc && strcmp(os->opts[k].loinc,
			    json_string_value(code)) == 0) ||
			    (text_int(json_string_value(code),
			    strlen(json_string_value(code)), &n) &&
			    n == os->opts[k].value)) {
				*v = os->opts[k].value;
				return true;
			}
		return false;
	}
	if ((c = json_object_get(ans, "valueString")) != NULL) {
		*what = "valueString";
		for (k = 0; json_is_string(c) && k < os->nopts; k++)
			if (strcasecmp(os->opts[k].label,
			    json_string_value(c)) == 0) {
				*v = os->opts[k].value;
				return true;
			}
		return false;
	}
	if ((c = json_object_get(ans, "valueDecimal")) != NULL) {
		*what = "valueDecimal";
		d = json_number_value(c);
		/* The range first: a cast of 1e300 is undefined. */
		if (!json_is_number(c) || !(d >= -1000 && d <= 1000) ||
		    d != (double)(int)d)
			return false;
		n = (int)d;
	} else {
		*what = "valueInteger";
		if ((c = json_object_get(ans, "valueInteger")) == NULL ||
		    !json_is_integer(c) || json_integer_value(c) < -1000 ||
		    json_integer_value(c) > 1000)
			return false;
		n = (long)json_integer_value(c);
	}
	for (k = 0; k < os->nopts; k++)
		if (os->opts[k].value == n) {
			*v = os->opts[k].value;
			return true;
		}
	return false;
}

/* Walks items (and nested groups), path for errors. */
static SB_MUST enum sb_err
read_items(json_t *items, const char *path, const struct instrument *in,
    int16_t *answers, char (*where)[64], struct fhir_qr *out, char *err,
    size_t errsz)
{
	json_t		*it, *link, *ans;
	char		 here[256];
	const char	*what;
	size_t		 i, k, sc;
	int		 v;
	enum sb_err	 e;

	if (items == NULL)
		return SB_OK;
	if (!json_is_array(items)) {
		snprintf(err, errsz, "%s: must be an array", path);
		return SB_EINVAL;
	}
	json_array_foreach(items, i, it) {
		snprintf(here, sizeof(here), "%s[%zu]", path, i);
		link = json_object_get(it, "linkId");
		if (!json_is_string(link)) {
			snprintf(err, errsz, "%s.linkId: required", here);
			return SB_EINVAL;
		}
		if (json_object_get(it, "item") != NULL) {
			char sub[300];

			snprintf(sub, sizeof(sub), "%s.item", here);
			if ((e = read_items(json_object_get(it, "item"), sub, in,
			    answers, where, out, err, errsz)) != SB_OK)
				return e;
		}
		ans = json_object_get(it, "answer");
		if (ans == NULL)
			continue;
		/* A total: securebase computes its own, and holds the
		 * one sent against it. */
		if ((sc = score_of_link(in, json_string_value(link))) !=
		    INSTR_NONE) {
			if ((e = keep_total(out, sc, ans, here, err, errsz)) !=
			    SB_OK)
				return e;
			continue;
		}
		if ((k = item_of(in, json_string_value(link))) == INSTR_NONE) {
			snprintf(err, errsz, "%s.linkId: \"%.64s\" is not an item "
			    "of %s", here, json_string_value(link), in->name);
			return SB_EINVAL;
		}
		if (!json_is_array(ans) || json_array_size(ans) != 1) {
			snprintf(err, errsz, "%s.answer: one answer expected", here);
			return SB_EINVAL;
		}
		if (!answer_value(in, k, json_array_get(ans, 0), &v, &what)) {
			snprintf(err, errsz, "%s.answer[0].%s: not an answer of "
			    "%s %s", here, what, in->name, in->items[k].id);
			return SB_EINVAL;
		}
		/* Two answers to one item: which one the client meant is
		 * not ours to guess. */
		if (where[k][0] != '\0') {
			snprintf(err, errsz, "%s.linkId: %s %s is answered "
			    "twice (also at %s)", here, in->name,
			    in->items[k].id, where[k]);
			return SB_EINVAL;
		}
		snprintf(where[k], sizeof(where[k]), "%.63s", here);
		answers[k] = (int16_t)v;
	}
	return SB_OK;
}

bool
fhir_datetime(const char *s, char utc[FHIR_TIME_LEN], char offset[8],
    int64_t *when, const char **why)
{
	char		 local[21];
	int64_t		 t;
	size_t		 n = strlen(s), i;
	const char	*z;
	int		 oh, om, sign;

	*why = "not an R4 dateTime: YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with "
	    "Z or an offset such as -05:00";
	if (n == 4 || n == 7) {
		*why = "a year or a month only: the answers need their day";
		return false;
	}
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	if (n == 10) {
		snprintf(local, sizeof(local), "%.10sT00:00:00Z", s);
		offset[0] = '\0';
		sign = oh = om = 0;
	} else {
		/* hh:mm:ss, optional fraction, then the zone R4 requires
		 * with a time. */
		if (n < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
			return false;
		for (i = 11; i < 19; i++)
			if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
				return false;
		z = s + 19;
		if (*z == '.') {
			for (z++, i = 0; *z >= '0' && *z <= '9'; z++)
				i++;
			if (i == 0 || i > 9)
				return false;
		}
		if (strcmp(z, "Z") == 0) {
			sign = oh = om = 0;
			snprintf(offset, 8, "Z");
		} else {
			if (strlen(z) != 6 || (z[0] != '+' && z[0] != '-') ||
			    z[3] != ':' || z[1] < '0' || z[1] > '9' ||
			    z[2] < '0' || z[2] > '9' || z[4] < '0' ||
			    z[4] > '9' || z[5] < '0' || z[5] > '9')
				return false;
			sign = z[0] == '-' ? -1 : 1;
			oh = (z[1] - '0') * 10 + (z[2] - '0');
			om = (z[4] - '0') * 10 + (z[5] - '0');
			/* R4 takes -12:00 to +14:00. */
			if (om > 59 || oh * 60 + om > (sign < 0 ? 12 : 14) *
			    60) {
				*why = "an offset beyond -12:00..+14:00";
				return false;
			}
			snprintf(offset, 8, "%.6s", z);
		}
		if ((s[11] - '0') * 10 + (s[12] - '0') > 23 ||
		    (s[14] - '0') * 10 + (s[15] - '0') > 59 ||
		    (s[17] - '0') * 10 + (s[18] - '0') > 59) {
			*why = "not a time of day";
			return false;
		}
		snprintf(local, sizeof(local), "%.19sZ", s);
	}
	/* The wall time as if it were UTC, less its offset, is UTC. */
	if (!text_iso_seconds(local, &t)) {
		*why = "not a calendar date in 1800-2200";
		return false;
	}
	t -= (int64_t)sign * (oh * 3600 + om * 60);
	if (!text_iso_from_seconds(t, utc, FHIR_TIME_LEN)) {
		*why = "out of range";
		return false;
	}
	*when = t;
	return true;
}

/* The first identifier with a value: system (or "") and value. */
static void
read_identifier(json_t *root, struct fhir_qr *out)
{
	json_t	*id = json_object_get(root, "identifier"), *one, *v;
	size_t	 i;

	/* QuestionnaireResponse.identifier is one Identifier in R4; a
	 * Patient's is a list. */
	if (json_is_object(id))
		id = json_pack("[O]", id);
	else
		json_incref(id);
	json_array_foreach(id, i, one) {
		if (!json_is_string(v = json_object_get(one, "value")))
			continue;
		snprintf(out->ident_value, sizeof(out->ident_value), "%s",
		    json_string_value(v));
		v = json_object_get(one, "system");
		snprintf(out->ident_system, sizeof(out->ident_system), "%s",
		    json_is_string(v) ? json_string_value(v) : "");
		break;
	}
	json_decref(id);
}

/*
 * Who answered, from QuestionnaireResponse.source (or author): the
 * Patient, a RelatedPerson contained with a v3 role code (a parent's or
 * a partner's), a Practitioner.  "" when it says nothing we know.
 */
static void
read_respondent(json_t *root, struct fhir_qr *out)
{
	json_t		*ref = json_object_get(root, "source"), *c, *v;
	const char	*r, *code;
	size_t		 i, k;
	static const char *const parent[] = { "PRN", "MTH", "FTH", "NPRN",
	    "STPPRN", "GUARD", "ADOPTP", "FTHFOST", "MTHFOST", NULL };
	static const char *const partner[] = { "SIGOTHR", "SPS", "HUSB",
	    "WIFE", "DOMPART", "FMRSPS", NULL };

	if (ref == NULL)
		ref = json_object_get(root, "author");
	v = json_object_get(ref, "type");
	if (json_is_string(v) && strcmp(json_string_value(v), "Practitioner") ==
	    0) {
		snprintf(out->respondent, sizeof(out->respondent), "therapist");
		return;
	}
	if (!json_is_string(v = json_object_get(ref, "reference")))
		return;
	r = json_string_value(v);
	if (strncmp(r, "Patient/", 8) == 0 || strcmp(r, out->patient) == 0)
		snprintf(out->respondent, sizeof(out->respondent), "self");
	else if (strncmp(r, "Practitioner", 12) == 0)
		snprintf(out->respondent, sizeof(out->respondent), "therapist");
	if (r[0] != '#')
		return;
	json_array_foreach(json_object_get(root, "contained"), i, c) {
		if (!json_is_string(v = json_object_get(c, "id")) ||
		    strcmp(json_string_value(v), r + 1) != 0)
			continue;
		v = json_object_get(c, "resourceType");
		if (json_is_string(v) && strcmp(json_string_value(v),
		    "Practitioner") == 0) {
			snprintf(out->respondent, sizeof(out->respondent),
			    "therapist");
			return;
		}
		v = json_object_get(json_array_get(json_object_get(
		    json_array_get(json_object_get(c, "relationship"), 0),
		    "coding"), 0), "code");
		code = json_is_string(v) ? json_string_value(v) : "";
		for (k = 0; parent[k]; k++)
			if (strcmp(code, parent[k]) == 0)
				snprintf(out->respondent,
				    sizeof(out->respondent), "parent");
		for (k = 0; partner[k]; k++)
			if (strcmp(code, partner[k]) == 0)
				snprintf(out->respondent,
				    sizeof(out->respondent), "partner");
	}
}

/* authored: required, a moment with its offset, not in the future. */
static SB_MUST enum sb_err
read_authored(json_t *v, const char *name, int64_t now, struct fhir_qr *out,
    char *err, size_t errsz)
{
	const char	*why;
	int64_t		 t;

	if (v == NULL) {
		snprintf(err, errsz, "%s: required: when the answers were given",
		    name);
		return SB_EINVAL;
	}
	if (!json_is_string(v) || !fhir_datetime(json_string_value(v),
	    out->authored, out->offset, &t, &why)) {
		snprintf(err, errsz, "%s: \"%.40s\": %s", name,
		    json_is_string(v) ? json_string_value(v) : "(not text)",
		    json_is_string(v) ? why : "a dateTime is a string");
		return SB_EINVAL;
	}
	/* Five minutes for clocks that disagree; more is a mistake. */
	if (t > now + 300) {
		snprintf(err, errsz, "%s: \"%.40s\" is in the future", name,
		    json_string_value(v));
		return SB_EINVAL;
	}
	return SB_OK;
}

enum sb_err
fhir_read_response(const char *json, size_t len, const struct instrument *in,
    int64_t now, int16_t *answers, struct fhir_qr *out, char *err,
    size_t errsz)
{
	json_t		*root, *v, *sub;
	char		(*where)[64] = NULL;
	size_t		 i;
	enum sb_err	 e;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < in->nitems; i++)
		answers[i] = SCORE_MISSING;
	if ((root = load(json, len, "QuestionnaireResponse", err, errsz)) ==
	    NULL)
		return SB_EINVAL;
	v = json_object_get(root, "status");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "completed") !=
	    0 && strcmp(json_string_value(v), "amended") != 0)) {
		snprintf(err, errsz, "status: only a completed response is "
		    "imported");
		e = SB_EINVAL;
		goto out;
	}
	if (json_is_string(v = json_object_get(root, "questionnaire")))
		snprintf(out->questionnaire, sizeof(out->questionnaire), "%s",
		    json_string_value(v));
	if (json_is_string(v = json_object_get(root, "id")))
		snprintf(out->id, sizeof(out->id), "%s", json_string_value(v));
	read_identifier(root, out);
	if ((e = read_authored(json_object_get(root, "authored"), "authored",
	    now, out, err, errsz)) != SB_OK)
		goto out;
	if ((sub = json_object_get(root, "subject")) != NULL &&
	    json_is_string(v = json_object_get(sub, "reference")))
		snprintf(out->patient, sizeof(out->patient), "%s",
		    json_string_value(v));
	read_respondent(root, out);
	if ((where = calloc(in->nitems ? in->nitems : 1, sizeof(*where))) ==
	    NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	e = read_items(json_object_get(root, "item"), "item", in, answers,
	    where, out, err, errsz);
out:
	free(where);
	json_decref(root);
	return e;
}

/* A Bundle entry's resource whose fullUrl, or "Type/id", is ref. */
static json_t *
bundle_find(json_t *entries, const char *ref)
{
	json_t		*en, *res, *u, *t, *id;
	char		 rel[300];
	size_t		 i;

	json_array_foreach(entries, i, en) {
		res = json_object_get(en, "resource");
		u = json_object_get(en, "fullUrl");
		if (json_is_string(u) && strcmp(json_string_value(u), ref) == 0)
			return res;
		t = json_object_get(res, "resourceType");
		id = json_object_get(res, "id");
		if (!json_is_string(t) || !json_is_string(id))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", json_string_value(t),
		    json_string_value(id));
		/* "Observation/x", or an absolute URL ending in it. */
		if (strcmp(rel, ref) == 0 || (strlen(ref) > strlen(rel) &&
		    strcmp(ref + strlen(ref) - strlen(rel), rel) == 0 &&
		    ref[strlen(ref) - strlen(rel) - 1] == '/'))
			return res;
	}
	return NULL;
}

enum sb_err
fhir_read_panel(const char *bundle, size_t len, size_t entry,
    const struct instrument *in, int64_t now, int16_t *answers,
    struct fhir_qr *out, char *err, size_t errsz)
{
	json_t		*root, *entries, *panel, *m, *obs, *code, *ans;
	char		(*where)[64] = NULL, here[96];
	const char	*what, *c;
	size_t		 i, k;
	int		 v;
	enum sb_err	 e = SB_EINVAL;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < in->nitems; i++)
		answers[i] = SCORE_MISSING;
	if ((root = json_loadb(bundle, len, JSON_REJECT_DUPLICATES, NULL)) ==
	    NULL)
		return SB_EINVAL;
	entries = json_object_get(root, "entry");
	panel = json_object_get(json_array_get(entries, entry), "resource");
	if (json_is_string(m = json_object_get(panel, "id")))
		snprintf(out->id, sizeof(out->id), "%s", json_string_value(m));
	read_identifier(panel, out);
	if ((e = read_authored(json_object_get(panel, "effectiveDateTime"),
	    "effectiveDateTime", now, out, err, errsz)) != SB_OK)
		goto out;
	if (json_is_string(m = json_object_get(json_object_get(panel,
	    "subject"), "reference")))
		snprintf(out->patient, sizeof(out->patient), "%s",
		    json_string_value(m));
	snprintf(out->respondent, sizeof(out->respondent), "self");
	if ((where = calloc(in->nitems ? in->nitems : 1, sizeof(*where))) ==
	    NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	e = SB_EINVAL;
	json_array_foreach(json_object_get(panel, "hasMember"), i, m) {
		snprintf(here, sizeof(here), "hasMember[%zu]", i);
		code = json_object_get(m, "reference");
		if (!json_is_string(code) || (obs = bundle_find(entries,
		    json_string_value(code))) == NULL) {
			snprintf(err, errsz, "%s: %.200s is not in the Bundle "
			    "(a panel is imported with its member "
			    "Observations)", here, json_is_string(code) ?
			    json_string_value(code) : "(no reference)");
			goto out;
		}
		code = json_object_get(json_array_get(json_object_get(
		    json_object_get(obs, "code"), "coding"), 0), "code");
		c = json_is_string(code) ? json_string_value(code) : "";
		{
			char link[24];

			snprintf(link, sizeof(link), "/%.20s", c);
			if (score_of_link(in, link) != INSTR_NONE)
				continue;	/* a total: ours is computed */
			if ((k = item_of(in, link)) == INSTR_NONE) {
				snprintf(err, errsz, "%s: code %.20s is no item "
				    "of %s", here, c, in->name);
				goto out;
			}
		}
		/* The member's value as an answer: valueCodeableConcept is
		 * a coding, valueInteger a number. */
		ans = json_object_get(obs, "valueCodeableConcept");
		if (ans != NULL)
			ans = json_pack("{sO}", "valueCoding", json_array_get(
			    json_object_get(ans, "coding"), 0));
		else if (json_object_get(obs, "valueInteger") != NULL)
			ans = json_pack("{sO}", "valueInteger",
			    json_object_get(obs, "valueInteger"));
		else if (json_object_get(obs, "valueQuantity") != NULL)
			ans = json_pack("{sO}", "valueDecimal", json_object_get(
			    json_object_get(obs, "valueQuantity"), "value"));
		if (ans == NULL || !answer_value(in, k, ans, &v, &what)) {
			snprintf(err, errsz, "%s: the value of %.200s is not an "
			    "answer of %s %s", here, json_string_value(
			    json_object_get(m, "reference")), in->name,
			    in->items[k].id);
			json_decref(ans);
			goto out;
		}
		json_decref(ans);
		if (where[k][0] != '\0') {
			snprintf(err, errsz, "%s: %s %s is answered twice (also "
			    "at %s)", here, in->name, in->items[k].id,
			    where[k]);
			goto out;
		}
		snprintf(where[k], sizeof(where[k]), "%.63s", here);
		answers[k] = (int16_t)v;
	}
	e = SB_OK;
out:
	free(where);
	json_decref(root);
	return e;
}

/* The weight of an answerOption: itemWeight, or the older ordinalValue. */
static bool
option_weight(json_t *opt, double *w)
{
	json_t	*ext, *x, *url;
	size_t	 i;

	ext = json_object_get(opt, "extension");
	json_array_foreach(ext, i, x) {
		url = json_object_get(x, "url");
		if (json_is_string(url) && (strcmp(json_string_value(url),
		    WEIGHT_URL) == 0 || strcmp(json_string_value(url),
		    ORDINAL_URL) == 0) && json_is_number(json_object_get(x,
		    "valueDecimal"))) {
			*w = json_number_value(json_object_get(x,
			    "valueDecimal"));
			return true;
		}
	}
	return false;
}

/* One line of definition text: no line breaks from the source. */
static void
line_text(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		buf_addc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
}

/* The item's critical-from extension: *from, or false. */
static bool
item_critical(json_t *item, long *from)
{
	json_t	*ext, *x, *url, *v;
	size_t	 i;

	ext = json_object_get(item, "extension");
	json_array_foreach(ext, i, x) {
		url = json_object_get(x, "url");
		v = json_object_get(x, "valueInteger");
		if (json_is_string(url) && strcmp(json_string_value(url),
		    FHIR_CRITICAL_URL) == 0 && json_is_integer(v) &&
		    json_integer_value(v) >= -1000 &&
		    json_integer_value(v) <= 1000) {
			*from = (long)json_integer_value(v);
			return true;
		}
	}
	return false;
}

/* The Questionnaire's choice items, groups walked in order. */
struct qitem {
	json_t		*item;
	json_t		*opts;		/* answerOption-shaped, a reference */
	char		 path[128];
};
#define QITEMS_MAX	INSTR_MAX_ITEMS

/*
 * An answerValueSet as answerOptions: the ValueSet contained in the
 * Questionnaire ("#id") or by its url, its compose.include.concept (or
 * expansion.contains) with their weights.  NULL and err when it is not
 * in the file: securebase reads no terminology server.
 */
static json_t *
valueset_options(json_t *root, const char *ref, const char *path, char *err,
    size_t errsz)
{
	json_t		*vs = NULL, *one, *inc, *c, *opts, *list, *o;
	const char	*sys;
	size_t		 i, k;

	json_array_foreach(json_object_get(root, "contained"), i, one) {
		json_t *id = json_object_get(one, "id");
		json_t *url = json_object_get(one, "url");

		if ((ref[0] == '#' && json_is_string(id) &&
		    strcmp(json_string_value(id), ref + 1) == 0) ||
		    (json_is_string(url) && strcmp(json_string_value(url), ref) ==
		    0)) {
			vs = one;
			break;
		}
	}
	if (vs == NULL) {
		snprintf(err, errsz, "%s.answerValueSet: \"%.200s\" is not "
		    "contained in the Questionnaire (securebase reads the value "
		    "set from the file, not from a terminology server)", path,
		    ref);
		return NULL;
	}
	opts = json_array();
	json_array_foreach(json_object_get(json_object_get(vs, "compose"),
	    "include"), i, inc) {
		sys = json_string_value(json_object_get(inc, "system"));
		json_array_foreach(json_object_get(inc, "concept"), k, c) {
			o = json_pack("{s{ss?sOsO?}sO?}", "valueCoding",
			    "system", sys, "code", json_object_get(c, "code"),
			    "display", json_object_get(c, "display"),
			    "extension", json_object_get(c, "extension"));
			if (o == NULL || json_array_append_new(opts, o) != 0) {
				json_decref(opts);
				snprintf(err, errsz, "%s.answerValueSet: a "
				    "concept without a code", path);
				return NULL;
			}
		}
	}
	list = json_object_get(json_object_get(vs, "expansion"), "contains");
	json_array_foreach(list, k, c) {
		o = json_pack("{s{sOsOsO?}sO?}", "valueCoding", "system",
		    json_object_get(c, "system"), "code", json_object_get(c,
		    "code"), "display", json_object_get(c, "display"),
		    "extension", json_object_get(c, "extension"));
		if (o == NULL || json_array_append_new(opts, o) != 0) {
			json_decref(opts);
			snprintf(err, errsz, "%s.answerValueSet: a concept "
			    "without a system and code", path);
			return NULL;
		}
	}
	if (json_array_size(opts) == 0) {
		json_decref(opts);
		snprintf(err, errsz, "%s.answerValueSet: \"%.200s\" lists no "
		    "concepts", path, ref);
		return NULL;
	}
	return opts;
}

/*
 * Walks items and their groups in order: a choice item (answerOption or
 * a contained answerValueSet) is asked; a group's items are walked; a
 * display item is text.  Anything else (a computed total, a free-text or
 * number item) is left out with a line in warn (when not NULL).
 */
static SB_MUST enum sb_err
collect_items(json_t *root, json_t *items, const char *path,
    struct qitem *q, size_t *nq, struct buf *warn, char *err, size_t errsz)
{
	json_t		*it, *t, *opts;
	char		 here[128];
	const char	*type;
	size_t		 i;
	enum sb_err	 e;

	if (!json_is_array(items)) {
		snprintf(err, errsz, "%s: must be an array", path);
		return SB_EINVAL;
	}
	json_array_foreach(items, i, it) {
		snprintf(here, sizeof(here), "%.100s[%zu]", path, i);
		t = json_object_get(it, "type");
		type = json_is_string(t) ? json_string_value(t) : "";
		if (strcmp(type, "group") == 0) {
			char sub[128];

			snprintf(sub, sizeof(sub), "%.110s.item", here);
			if ((e = collect_items(root, json_object_get(it, "item"),
			    sub, q, nq, warn, err, errsz)) != SB_OK)
				return e;
			continue;
		}
		if (strcmp(type, "display") == 0)
			continue;
		if ((opts = json_object_get(it, "answerOption")) != NULL)
			json_incref(opts);
		else if (json_is_string(t = json_object_get(it,
		    "answerValueSet"))) {
			if ((opts = valueset_options(root, json_string_value(t),
			    here, err, errsz)) == NULL)
				return SB_EINVAL;
		} else {
			/* A total the form computes, or a free answer:
			 * securebase scores choices and computes its own
			 * totals.  Said, not silently dropped. */
			if (warn != NULL)
				buf_printf(warn, "%s: a %s item (\"%.60s\") is "
				    "not a choice: left out\n", here, type[0] ?
				    type : "typeless", json_is_string(
				    json_object_get(it, "text")) ?
				    json_string_value(json_object_get(it,
				    "text")) : "");
			continue;
		}
		if (!json_is_array(opts) || *nq == QITEMS_MAX) {
			snprintf(err, errsz, *nq == QITEMS_MAX ? "%s: more than "
			    "%d items" : "%s.answerOption: must be an array",
			    here, QITEMS_MAX);
			json_decref(opts);
			return SB_EINVAL;
		}
		q[*nq].item = it;
		q[*nq].opts = opts;
		snprintf(q[*nq].path, sizeof(q[*nq].path), "%s", here);
		(*nq)++;
	}
	return SB_OK;
}

enum sb_err
fhir_questionnaire_to_instrument(const char *json, size_t len,
    const struct instrument *like, struct buf *out, struct buf *warn,
    char *err, size_t errsz)
{
	long		 from;
	json_t		*root, *items, *it, *opts, *o, *c, *v;
	struct qitem	*q = NULL;
	char		 id[64], path[200];
	const char	*title;
	size_t		 i, k, n = 0, nq = 0, scored = 0;
	double		 w;
	enum sb_err	 e = SB_EINVAL;

	if ((root = load(json, len, "Questionnaire", err, errsz)) == NULL)
		return SB_EINVAL;
	/* An id from the LOINC panel code or the resource id. */
	v = json_object_get(root, "id");
	snprintf(id, sizeof(id), "fhir-%.40s", json_is_string(v) ?
	    json_string_value(v) : "questionnaire");
	for (k = 0; id[k]; k++)
		if (!((id[k] >= 'a' && id[k] <= 'z') || (id[k] >= '0' &&
		    id[k] <= '9') || id[k] == '-'))
			id[k] = id[k] >= 'A' && id[k] <= 'Z' ? (char)(id[k] + 32) :
			    '-';
	title = json_is_string(v = json_object_get(root, "title")) ?
	    json_string_value(v) : id;
	buf_adds(out, "# Made by securebase import --fhir from a FHIR "
	    "Questionnaire.\nsecurebase-instrument 1\nid ");
	buf_adds(out, id);
	buf_adds(out, "\nversion 1\nname ");
	line_text(out, title);
	buf_adds(out, "\ntitle ");
	line_text(out, title);
	buf_adds(out, "\ncitation ");
	line_text(out, json_is_string(v = json_object_get(root, "publisher")) ?
	    json_string_value(v) : "From a FHIR Questionnaire; see its source.");
	buf_adds(out, "\nlicence permission-required\nlicence-terms ");
	line_text(out, json_is_string(v = json_object_get(root, "copyright")) ?
	    json_string_value(v) : "Not stated in the FHIR Questionnaire.");
	buf_adds(out, "\nsource The FHIR Questionnaire it was imported from.\n"
	    "unverified Imported from FHIR: items, options and weights as the "
	    "Questionnaire gave them; scored as the sum of the weights, which "
	    "the Questionnaire may not intend.\n");
	if (json_is_array(v = json_object_get(root, "code")) &&
	    json_is_string(json_object_get(json_array_get(v, 0), "code")) &&
	    loinc_valid(json_string_value(json_object_get(json_array_get(v,
	    0), "code")))) {
		buf_adds(out, "loinc ");
		buf_adds(out, json_string_value(json_object_get(
		    json_array_get(v, 0), "code")));
		buf_adds(out, "\n");
	}
	items = json_object_get(root, "item");
	if ((q = calloc(QITEMS_MAX, sizeof(*q))) == NULL) {
		e = SB_ENOMEM;
		goto out;
	}
	if ((e = collect_items(root, items, "item", q, &nq, warn, err,
	    errsz)) != SB_OK)
		goto out;
	e = SB_EINVAL;
	/* Each choice item brings its own option set. */
	for (i = 0; i < nq; i++) {
		opts = q[i].opts;
		buf_printf(out, "\noptions set%zu\n", i + 1);
		json_array_foreach(opts, k, o) {
			snprintf(path, sizeof(path), "%.128s.answerOption[%zu]",
			    q[i].path, k);
			if (!option_weight(o, &w)) {
				/* Unweighted: the item is asked, not scored. */
				w = (double)k;
			} else if (!(w >= -1000 && w <= 1000) ||
			    w != (double)(int)w) {
				/* The range first: casting 1e300 (or NaN) to
				 * int is undefined behaviour. */
				snprintf(err, errsz, "%s: a weight must be a "
				    "whole number -1000..1000", path);
				goto out;
			}
			c = json_object_get(o, "valueCoding");
			if (!json_is_object(c) || !json_is_string(
			    json_object_get(c, "code"))) {
				snprintf(err, errsz, "%s.valueCoding: required, "
				    "with a code", path);
				goto out;
			}
			buf_printf(out, "  %d ", (int)w);
			line_text(out, json_is_string(json_object_get(c,
			    "display")) ? json_string_value(json_object_get(c,
			    "display")) : json_string_value(json_object_get(c,
			    "code")));
			if (strncmp(json_string_value(json_object_get(c,
			    "code")), "LA", 2) == 0) {
				buf_adds(out, " | ");
				buf_adds(out, json_string_value(
				    json_object_get(c, "code")));
			}
			buf_adds(out, "\n");
		}
	}
	buf_adds(out, "\n");
	for (i = 0; i < nq; i++) {
		bool weighted = false;

		it = q[i].item;
		json_array_foreach(q[i].opts, k, o)
			if (option_weight(o, &w))
				weighted = true;
		n++;
		buf_printf(out, "item i%zu ", n);
		line_text(out, json_is_string(json_object_get(it, "text")) ?
		    json_string_value(json_object_get(it, "text")) : "(no text)");
		buf_printf(out, "\n  options set%zu\n", i + 1);
		v = json_object_get(it, "code");
		if (json_is_array(v) && json_is_string(json_object_get(
		    json_array_get(v, 0), "code")) && loinc_valid(
		    json_string_value(json_object_get(json_array_get(v, 0),
		    "code"))))
			buf_printf(out, "  loinc %s\n", json_string_value(
			    json_object_get(json_array_get(v, 0), "code")));
		if (!weighted)
			buf_adds(out, "  unscored\n");
		else
			scored++;
		if (item_critical(it, &from))
			buf_printf(out, "  critical %ld\n", from);
		else if (like != NULL && n <= like->nitems &&
		    like->items[n - 1].critical)
			buf_printf(out, "  critical %d\n",
			    like->items[n - 1].critical_min);
	}
	if (scored == 0) {
		snprintf(err, errsz, "item: no answerOption carries an itemWeight "
		    "or ordinalValue extension, so nothing can be scored");
		goto out;
	}
	buf_adds(out, "\nscore total Total (sum of the weights)\n  sum");
	for (i = 0; i < nq; i++) {
		bool weighted = false;

		json_array_foreach(q[i].opts, k, o)
			if (option_weight(o, &w))
				weighted = true;
		if (weighted)
			buf_printf(out, " i%zu", i + 1);
	}
	buf_adds(out, "\n  missing none\n");
	e = out->err;
out:
	for (i = 0; q != NULL && i < nq; i++)
		json_decref(q[i].opts);
	free(q);
	json_decref(root);
	return e;
}

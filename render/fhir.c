/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fhir.c - FHIR R4 Bundles out, built as jansson values.  See fhir.h; the
 * representation follows docs/reference/instruments.md section 18
 * (itemWeight on answerOption, valueQuantity in UCUM {score}, derivedFrom
 * the response).  Every string goes through jansson: nothing here
 * escapes by hand.
 */
#include <stdio.h>
#include <string.h>

#include "core/score.h"
#include "render/fhir.h"
#include "render/json.h"

#define LOINC_SYSTEM	"http://loinc.org"
#define WEIGHT_URL	"http://hl7.org/fhir/StructureDefinition/itemWeight"
#define ORDINAL_URL	"http://hl7.org/fhir/StructureDefinition/ordinalValue"
#define V3_ROLE		"http://terminology.hl7.org/CodeSystem/v3-RoleCode"
#define CATEGORY	"http://terminology.hl7.org/CodeSystem/" \
			"observation-category"
#define ABSENT		"http://terminology.hl7.org/CodeSystem/" \
			"data-absent-reason"
#define UCUM		"http://unitsofmeasure.org"

enum sb_err
fhir_bundle_new(struct fhir_bundle *b, const char *base, const char *id,
    bool transaction)
{
	memset(b, 0, sizeof(*b));
	b->base = base;
	b->transaction = transaction;
	b->entries = json_array();
	b->root = json_pack("{sssssssO}", "resourceType", "Bundle", "id", id,
	    "type", transaction ? "transaction" : "collection", "entry",
	    b->entries);
	if (b->root == NULL || b->entries == NULL) {
		fhir_bundle_free(b);
		return SB_ENOMEM;
	}
	json_decref(b->entries);	/* the root holds it */
	return SB_OK;
}

void
fhir_bundle_free(struct fhir_bundle *b)
{
	if (b->root != NULL)
		json_decref(b->root);
	else
		json_decref(b->entries);
	b->root = b->entries = NULL;
}

enum sb_err
fhir_bundle_write(const struct fhir_bundle *b, struct buf *out)
{
	return json_write(out, b->root, true);
}

/* A new resource of type with id (its first two members). */
static json_t *
resource(const char *type, const char *id)
{
	return json_pack("{ssss}", "resourceType", type, "id", id);
}

/* The resource into the Bundle as an entry: its fullUrl, and for a
 * transaction a PUT by id, so that sending it twice changes nothing.
 * res is stolen, also on failure. */
static SB_MUST enum sb_err
add_entry(struct fhir_bundle *b, const char *type, const char *id,
    json_t *res)
{
	json_t	*en;
	char	 url[768], rel[512];

	if (res == NULL)
		return SB_ENOMEM;
	snprintf(url, sizeof(url), "%s%s/%s", b->base, type, id);
	snprintf(rel, sizeof(rel), "%s/%s", type, id);
	en = json_pack("{ssso}", "fullUrl", url, "resource", res);
	if (en != NULL && b->transaction && !json_put(en, "request",
	    json_pack("{ssss}", "method", "PUT", "url", rel))) {
		json_decref(en);
		return SB_ENOMEM;
	}
	return json_push(b->entries, en) ? SB_OK : SB_ENOMEM;
}

enum sb_err
fhir_add_patient(struct fhir_bundle *b, const char *pid, const char *name)
{
	json_t	*p = resource("Patient", pid);
	char	 sys[560];

	snprintf(sys, sizeof(sys), "%sclient", b->base);
	if (p == NULL || !json_put(p, "identifier", json_pack("[{ssss}]",
	    "system", sys, "value", pid)) || (name != NULL && !json_put(p,
	    "name", json_pack("[{ss}]", "text", name)))) {
		json_decref(p);
		return SB_ENOMEM;
	}
	return add_entry(b, "Patient", pid, p);
}

/* Where an option's code lives: LOINC, or the instrument's own. */
static json_t *
option_coding(const struct fhir_bundle *b, const struct instrument *in,
    const struct instr_optset *os, const struct instr_option *op)
{
	char	 sys[768], v[16];

	if (op->loinc != NULL)
		return json_pack("{ssssss}", "system", LOINC_SYSTEM, "code",
		    op->loinc, "display", op->label);
	snprintf(sys, sizeof(sys), "%sCodeSystem/%s-%s", b->base, in->id,
	    os->id);
	snprintf(v, sizeof(v), "%d", op->value);
	return json_pack("{ssssss}", "system", sys, "code", v, "display",
	    op->label);
}

static json_t *
loinc_code(const char *code)
{
	return json_pack("[{ssss}]", "system", LOINC_SYSTEM, "code", code);
}

/* The Questionnaire's id in a Bundle: one per version. */
static void
questionnaire_id(const struct instrument *in, char *out, size_t n)
{
	size_t	 k;

	snprintf(out, n, "%s-v%s", in->id, in->version);
	for (k = 0; out[k]; k++)
		if (!((out[k] >= 'a' && out[k] <= 'z') || (out[k] >= 'A' &&
		    out[k] <= 'Z') || (out[k] >= '0' && out[k] <= '9') ||
		    out[k] == '-' || out[k] == '.'))
			out[k] = '-';
}

/* One item's answerOptions: the coding, and the weight (what the answer
 * adds to a score; reversed items count backwards) in SDC's itemWeight
 * and R4's own ordinalValue, for readers of either. */
static json_t *
answer_options(const struct fhir_bundle *b, const struct instrument *in,
    const struct instr_item *it)
{
	const struct instr_optset	*os = &in->optsets[it->optset];
	json_t				*arr = json_array(), *o;
	size_t				 k;
	int				 w;

	for (k = 0; arr != NULL && k < os->nopts; k++) {
		const struct instr_option *op = &os->opts[k];

		w = it->reverse ? os->min + os->max - op->value : op->value;
		o = json_object();
		if (o == NULL || (it->scored && !json_put(o, "extension",
		    json_pack("[{sssi}{sssi}]", "url", WEIGHT_URL,
		    "valueDecimal", w, "url", ORDINAL_URL, "valueDecimal",
		    w))) || !json_put(o, "valueCoding", option_coding(b, in,
		    os, op)) || !json_push(arr, o)) {
			json_decref(o);
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

enum sb_err
fhir_add_questionnaire(struct fhir_bundle *b, const struct instrument *in)
{
	json_t	*q, *items, *it;
	char	 url[768], qid[160];
	size_t	 i;

	questionnaire_id(in, qid, sizeof(qid));
	snprintf(url, sizeof(url), "%sQuestionnaire/%s", b->base, in->id);
	q = resource("Questionnaire", qid);
	items = json_array();
	if (q == NULL || items == NULL || !json_put(q, "url", json_text(url)) ||
	    !json_put(q, "version", json_text(in->version)) ||
	    !json_put(q, "title", json_text(in->title ? in->title :
	    in->name)) || !json_put(q, "status", json_text("active")) ||
	    ((in->licence_terms || in->notice) && !json_put(q, "copyright",
	    json_text(in->licence_terms ? in->licence_terms : in->notice))) ||
	    (in->loinc != NULL && !json_put(q, "code", loinc_code(in->loinc))))
		goto nomem;
	for (i = 0; i < in->nitems; i++) {
		const struct instr_item *ii = &in->items[i];

		it = json_pack("{ssssss}", "linkId", ii->id, "text", ii->text,
		    "type", "choice");
		if (it == NULL || (ii->loinc != NULL && !json_put(it, "code",
		    loinc_code(ii->loinc))) || !json_put(it, "answerOption",
		    answer_options(b, in, ii)) || !json_push(items, it)) {
			json_decref(it);
			goto nomem;
		}
	}
	if (!json_put(q, "item", items)) {
		items = NULL;
		goto nomem;
	}
	return add_entry(b, "Questionnaire", qid, q);
nomem:
	json_decref(items);
	json_decref(q);
	return SB_ENOMEM;
}

/*
 * Who gave the answers, as R4 says it: the client (author and source:
 * the Patient), a parent or a partner (a contained RelatedPerson with its
 * v3 role code), or the therapist (a Practitioner, by type).
 */
static bool
respondent(json_t *qr, const struct fhir_admin *a, const char *patient_ref)
{
	const char	*role, *display;
	json_t		*rp;

	if (a->respondent == NULL || strcmp(a->respondent, "self") == 0)
		return json_put(qr, "author", json_pack("{ss}", "reference",
		    patient_ref)) && json_put(qr, "source", json_pack("{ss}",
		    "reference", patient_ref));
	if (strcmp(a->respondent, "therapist") == 0)
		return json_put(qr, "author", json_pack("{ssss}", "type",
		    "Practitioner", "display", "the client's therapist")) &&
		    json_put(qr, "source", json_pack("{ssss}", "type",
		    "Practitioner", "display", "the client's therapist"));
	role = strcmp(a->respondent, "parent") == 0 ? "PRN" : "SIGOTHR";
	display = strcmp(a->respondent, "parent") == 0 ? "parent" :
	    "significant other";
	rp = json_pack("{sssss{ss}s[{s[{ssssss}]}]}", "resourceType",
	    "RelatedPerson", "id", "respondent", "patient", "reference",
	    patient_ref, "relationship", "coding", "system", V3_ROLE, "code",
	    role, "display", display);
	return json_put(qr, "contained", json_pack("[o]", rp)) &&
	    json_put(qr, "author", json_pack("{ss}", "reference",
	    "#respondent")) && json_put(qr, "source", json_pack("{ss}",
	    "reference", "#respondent"));
}

static json_t *
response(const struct fhir_bundle *b, const struct instrument *in,
    const struct fhir_admin *a, const char *ref)
{
	json_t	*qr = resource("QuestionnaireResponse", a->id), *items, *it;
	char	 url[768];
	size_t	 i, k;

	/* The canonical names the version answered: after a change of the
	 * instrument an old response still points at its own items. */
	snprintf(url, sizeof(url), "%sQuestionnaire/%s|%s", b->base, in->id,
	    a->version ? a->version : in->version);
	items = json_array();
	if (qr == NULL || items == NULL ||
	    !json_put(qr, "questionnaire", json_text(url)) ||
	    !json_put(qr, "status", json_text("completed")) ||
	    !json_put(qr, "subject", json_pack("{ss}", "reference", ref)) ||
	    (a->authored && a->authored[0] && !json_put(qr, "authored",
	    json_text(a->authored))) || !respondent(qr, a, ref))
		goto nomem;
	for (i = 0; i < in->nitems; i++) {
		const struct instr_optset *os = &in->optsets[in->items[i].optset];

		if (a->answers[i] == SCORE_MISSING)
			continue;
		for (k = 0; k < os->nopts && os->opts[k].value !=
		    a->answers[i]; k++)
			;
		if (k == os->nopts)
			continue;
		it = json_pack("{ssss}", "linkId", in->items[i].id, "text",
		    in->items[i].text);
		if (it == NULL || !json_put(it, "answer", json_pack("[{so}]",
		    "valueCoding", option_coding(b, in, os, &os->opts[k]))) ||
		    !json_push(items, it)) {
			json_decref(it);
			goto nomem;
		}
	}
	if (!json_put(qr, "item", items)) {
		items = NULL;
		goto nomem;
	}
	return qr;
nomem:
	json_decref(items);
	json_decref(qr);
	return NULL;
}

/* A score: its value and band, or why it is absent. */
static json_t *
observation(const struct fhir_bundle *b, const struct instrument *in,
    const struct fhir_admin *a, size_t i, const char *oid, const char *ref)
{
	const struct instr_score	*sc = &in->scores[i];
	const char			*band;
	json_t				*o = resource("Observation", oid);
	json_t				*coding;
	char				 text[512], sys[768], code[160];
	char				 from[160];

	snprintf(text, sizeof(text), "%s %s", in->name, sc->label);
	if (sc->loinc != NULL)
		/* LOINC's own display is its long name, which the
		 * instrument files do not carry: the text says it. */
		coding = json_pack("{ssss}", "system", LOINC_SYSTEM, "code",
		    sc->loinc);
	else {
		snprintf(sys, sizeof(sys), "%sCodeSystem/scores", b->base);
		snprintf(code, sizeof(code), "%s.%s", in->id, sc->id);
		coding = json_pack("{ssssss}", "system", sys, "code", code,
		    "display", text);
	}
	snprintf(from, sizeof(from), "QuestionnaireResponse/%s", a->id);
	if (o == NULL || !json_put(o, "status", json_text("final")) ||
	    !json_put(o, "category", json_pack("[{s[{ssssss}]}]", "coding",
	    "system", CATEGORY, "code", "survey", "display", "Survey")) ||
	    !json_put(o, "code", json_pack("{s[o]ss}", "coding", coding,
	    "text", text)) || !json_put(o, "subject", json_pack("{ss}",
	    "reference", ref)) || (a->authored && a->authored[0] &&
	    !json_put(o, "effectiveDateTime", json_text(a->authored))))
		goto nomem;
	if (a->scored[i]) {
		if (!json_put(o, "valueQuantity", json_pack("{sossssss}",
		    "value", json_fixed(a->scores[i], 6), "unit", "{score}",
		    "system", UCUM, "code", "{score}")) ||
		    ((band = instr_band_label(sc, a->scores[i])) != NULL &&
		    !json_put(o, "interpretation", json_pack("[{ss}]", "text",
		    band))))
			goto nomem;
	} else if (!json_put(o, "dataAbsentReason", json_pack(
	    "{s[{ssssss}]ss}", "coding", "system", ABSENT, "code", "unknown",
	    "display", "Unknown", "text", "too many items unanswered for the "
	    "instrument's missing-data rule")))
		/* Too few answers for the instrument's rule: the score is
		 * absent, and says so. */
		goto nomem;
	if (!json_put(o, "derivedFrom", json_pack("[{ss}]", "reference",
	    from)))
		goto nomem;
	return o;
nomem:
	json_decref(o);
	return NULL;
}

enum sb_err
fhir_add_administration(struct fhir_bundle *b, const struct instrument *in,
    const struct fhir_admin *a)
{
	char		 ref[256], oid[160];
	size_t		 i, k;
	enum sb_err	 e;

	snprintf(ref, sizeof(ref), "Patient/%s", a->patient);
	if ((e = add_entry(b, "QuestionnaireResponse", a->id, response(b, in,
	    a, ref))) != SB_OK)
		return e;
	for (i = 0; i < in->nscores; i++) {
		snprintf(oid, sizeof(oid), "%s-%s", a->id, in->scores[i].id);
		for (k = 0; oid[k]; k++)
			if (oid[k] == '.' || oid[k] == '_')
				oid[k] = '-';
		if ((e = add_entry(b, "Observation", oid, observation(b, in, a,
		    i, oid, ref))) != SB_OK)
			return e;
	}
	return SB_OK;
}

/*
 * fhir.c - FHIR R4 out and in.  See fhir.h; the representation follows
 * docs/reference/instruments.md section 18 (itemWeight on answerOption,
 * valueQuantity in UCUM {score}, derivedFrom the response).
 */
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

/* ---- writing ---- */

static void
str(struct buf *b, const char *s)
{
	text_add_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* "key": "value" with a leading comma unless first. */
static void
kv(struct buf *b, const char *key, const char *value, bool first)
{
	buf_printf(b, "%s\"%s\":", first ? "" : ",", key);
	str(b, value);
}

static void
num(struct buf *b, double v)
{
	text_add_number(b, v, 6);
}

/* A comma before every entry but the first of an array. */
static void
sep(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != '[')
		buf_addc(b, ',');
}

void
fhir_bundle_begin(struct buf *b, const char *id)
{
	buf_adds(b, "{\"resourceType\":\"Bundle\"");
	kv(b, "id", id, false);
	buf_adds(b, ",\"type\":\"collection\",\"entry\":[");
}

void
fhir_bundle_end(struct buf *b)
{
	buf_adds(b, "]}\n");
}

static void
entry_begin(struct buf *b, const char *type, const char *id)
{
	char	 url[512];

	sep(b);
	snprintf(url, sizeof(url), FHIR_BASE "%s/%s", type, id);
	buf_adds(b, "{");
	kv(b, "fullUrl", url, true);
	buf_printf(b, ",\"resource\":{\"resourceType\":\"%s\"", type);
	kv(b, "id", id, false);
}

static void
entry_end(struct buf *b)
{
	buf_adds(b, "}}");
}

void
fhir_patient(struct buf *b, const char *pid, const char *name)
{
	entry_begin(b, "Patient", pid);
	buf_adds(b, ",\"identifier\":[{\"system\":\"" FHIR_BASE
	    "client\",\"value\":");
	str(b, pid);
	buf_adds(b, "}]");
	if (name != NULL) {
		buf_adds(b, ",\"name\":[{\"text\":");
		str(b, name);
		buf_adds(b, "}]");
	}
	entry_end(b);
}

/* Where an option's code lives: LOINC, or the instrument's own. */
static void
option_coding(struct buf *b, const struct instrument *in,
    const struct instr_optset *os, const struct instr_option *o)
{
	char	 v[16];

	buf_adds(b, "{\"system\":");
	if (o->loinc != NULL) {
		str(b, LOINC_SYSTEM);
		kv(b, "code", o->loinc, false);
	} else {
		char sys[256];

		snprintf(sys, sizeof(sys), FHIR_BASE "CodeSystem/%s-%s", in->id,
		    os->id);
		str(b, sys);
		snprintf(v, sizeof(v), "%d", o->value);
		kv(b, "code", v, false);
	}
	kv(b, "display", o->label, false);
	buf_adds(b, "}");
}

static void
loinc_code(struct buf *b, const char *code)
{
	buf_adds(b, "[{\"system\":\"" LOINC_SYSTEM "\",\"code\":");
	str(b, code);
	buf_adds(b, "}]");
}

void
fhir_questionnaire(struct buf *b, const struct instrument *in)
{
	char		 url[512];
	size_t		 i, k;

	entry_begin(b, "Questionnaire", in->id);
	snprintf(url, sizeof(url), FHIR_BASE "Questionnaire/%s", in->id);
	kv(b, "url", url, false);
	kv(b, "version", in->version, false);
	kv(b, "title", in->title ? in->title : in->name, false);
	buf_adds(b, ",\"status\":\"active\"");
	if (in->licence_terms || in->notice)
		kv(b, "copyright", in->licence_terms ? in->licence_terms :
		    in->notice, false);
	if (in->loinc != NULL) {
		buf_adds(b, ",\"code\":");
		loinc_code(b, in->loinc);
	}
	buf_adds(b, ",\"item\":[");
	for (i = 0; i < in->nitems; i++) {
		const struct instr_item *it = &in->items[i];
		const struct instr_optset *os = &in->optsets[it->optset];

		sep(b);
		buf_adds(b, "{");
		kv(b, "linkId", it->id, true);
		kv(b, "text", it->text, false);
		buf_adds(b, ",\"type\":\"choice\"");
		if (it->loinc != NULL) {
			buf_adds(b, ",\"code\":");
			loinc_code(b, it->loinc);
		}
		buf_adds(b, ",\"answerOption\":[");
		for (k = 0; k < os->nopts; k++) {
			const struct instr_option *o = &os->opts[k];
			/* The weight is what the answer adds to a score:
			 * reversed items count backwards. */
			int w = it->reverse ? os->min + os->max - o->value :
			    o->value;

			sep(b);
			buf_adds(b, "{");
			if (it->scored)
				buf_printf(b, "\"extension\":[{\"url\":\""
				    WEIGHT_URL "\",\"valueDecimal\":%d}],", w);
			buf_adds(b, "\"valueCoding\":");
			option_coding(b, in, os, o);
			buf_adds(b, "}");
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "]");
	entry_end(b);
}

void
fhir_administration(struct buf *b, const struct instrument *in,
    const struct fhir_admin *a)
{
	char		 ref[256], oid[160], url[512];
	const char	*band;
	size_t		 i, k;

	entry_begin(b, "QuestionnaireResponse", a->id);
	snprintf(url, sizeof(url), FHIR_BASE "Questionnaire/%s", in->id);
	kv(b, "questionnaire", url, false);
	buf_adds(b, ",\"status\":\"completed\",\"subject\":{\"reference\":");
	snprintf(ref, sizeof(ref), "Patient/%s", a->patient);
	str(b, ref);
	buf_adds(b, "}");
	if (a->authored && a->authored[0])
		kv(b, "authored", a->authored, false);
	buf_adds(b, ",\"item\":[");
	for (i = 0; i < in->nitems; i++) {
		const struct instr_optset *os = &in->optsets[in->items[i].optset];

		if (a->answers[i] == SCORE_MISSING)
			continue;
		for (k = 0; k < os->nopts && os->opts[k].value !=
		    a->answers[i]; k++)
			;
		if (k == os->nopts)
			continue;
		sep(b);
		buf_adds(b, "{");
		kv(b, "linkId", in->items[i].id, true);
		kv(b, "text", in->items[i].text, false);
		buf_adds(b, ",\"answer\":[{\"valueCoding\":");
		option_coding(b, in, os, &os->opts[k]);
		buf_adds(b, "}]}");
	}
	buf_adds(b, "]");
	entry_end(b);
	for (i = 0; i < in->nscores; i++) {
		const struct instr_score *sc = &in->scores[i];

		if (!a->scored[i])
			continue;
		snprintf(oid, sizeof(oid), "%s-%s", a->id, sc->id);
		for (k = 0; oid[k]; k++)
			if (oid[k] == '.' || oid[k] == '_')
				oid[k] = '-';
		entry_begin(b, "Observation", oid);
		buf_adds(b, ",\"status\":\"final\",\"category\":[{\"coding\":"
		    "[{\"system\":\"http://terminology.hl7.org/CodeSystem/"
		    "observation-category\",\"code\":\"survey\"}]}],\"code\":{"
		    "\"coding\":[{\"system\":");
		if (sc->loinc != NULL) {
			str(b, LOINC_SYSTEM);
			kv(b, "code", sc->loinc, false);
		} else {
			char sys[256], code[160];

			snprintf(sys, sizeof(sys), FHIR_BASE "CodeSystem/scores");
			snprintf(code, sizeof(code), "%s.%s", in->id, sc->id);
			str(b, sys);
			kv(b, "code", code, false);
		}
		buf_adds(b, "}]");
		{
			char text[512];

			snprintf(text, sizeof(text), "%s %s", in->name,
			    sc->label);
			kv(b, "text", text, false);
		}
		buf_adds(b, "},\"subject\":{\"reference\":");
		str(b, ref);
		buf_adds(b, "}");
		if (a->authored && a->authored[0])
			kv(b, "effectiveDateTime", a->authored, false);
		buf_adds(b, ",\"valueQuantity\":{\"value\":");
		num(b, a->scores[i]);
		buf_adds(b, ",\"unit\":\"{score}\",\"system\":\"http://"
		    "unitsofmeasure.org\",\"code\":\"{score}\"}");
		if ((band = instr_band_label(sc, a->scores[i])) != NULL) {
			buf_adds(b, ",\"interpretation\":[{\"text\":");
			str(b, band);
			buf_adds(b, "}]");
		}
		buf_adds(b, ",\"derivedFrom\":[{\"reference\":");
		snprintf(url, sizeof(url), "QuestionnaireResponse/%s", a->id);
		str(b, url);
		buf_adds(b, "}]");
		entry_end(b);
	}
}

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
	for (i = 0; link[0] == '/' && i < in->nitems; i++)
		if (in->items[i].loinc && strcmp(in->items[i].loinc, link + 1) ==
		    0)
			return i;
	return INSTR_NONE;
}

static bool
is_score_link(const struct instrument *in, const char *link)
{
	size_t	 i;

	for (i = 0; i < in->nscores; i++)
		if (strcmp(in->scores[i].id, link) == 0 || (link[0] == '/' &&
		    in->scores[i].loinc && strcmp(in->scores[i].loinc, link + 1) ==
		    0))
			return true;
	return false;
}

/* The option value an answer names. */
static bool
answer_value(const struct instrument *in, size_t item, json_t *ans, int *v,
    const char **what)
{
	const struct instr_optset *os = &in->optsets[in->items[item].optset];
	json_t	*c, *code;
	size_t	 k;
	long	 n;

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
	*what = "valueInteger";
	if ((c = json_object_get(ans, "valueInteger")) != NULL &&
	    json_is_integer(c)) {
		for (k = 0; k < os->nopts; k++)
			if (os->opts[k].value == json_integer_value(c)) {
				*v = os->opts[k].value;
				return true;
			}
	}
	return false;
}

/* Walks items (and nested groups), path for errors. */
static enum sb_err
read_items(json_t *items, const char *path, const struct instrument *in,
    int16_t *answers, char *err, size_t errsz)
{
	json_t		*it, *link, *ans;
	char		 here[256];
	const char	*what;
	size_t		 i, k;
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
			    answers, err, errsz)) != SB_OK)
				return e;
		}
		ans = json_object_get(it, "answer");
		if (ans == NULL)
			continue;
		if (is_score_link(in, json_string_value(link)))
			continue;	/* a total: securebase computes its own */
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
		answers[k] = (int16_t)v;
	}
	return SB_OK;
}

enum sb_err
fhir_read_response(const char *json, size_t len, const struct instrument *in,
    int16_t *answers, struct fhir_qr *out, char *err, size_t errsz)
{
	json_t		*root, *v, *sub;
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
		json_decref(root);
		return SB_EINVAL;
	}
	if (json_is_string(v = json_object_get(root, "questionnaire")))
		snprintf(out->questionnaire, sizeof(out->questionnaire), "%s",
		    json_string_value(v));
	if (json_is_string(v = json_object_get(root, "authored"))) {
		const char *a = json_string_value(v);

		if (strlen(a) < 10 || !text_date_ok((char[11]){ a[0], a[1],
		    a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], 0 })) {
			snprintf(err, errsz, "authored: \"%.40s\" is not a "
			    "date-time", a);
			json_decref(root);
			return SB_EINVAL;
		}
		/* Seconds precision, UTC as written. */
		snprintf(out->authored, sizeof(out->authored), "%.19sZ", a);
		if (strlen(a) < 19)
			snprintf(out->authored, sizeof(out->authored),
			    "%.10sT00:00:00Z", a);
	}
	if ((sub = json_object_get(root, "subject")) != NULL &&
	    json_is_string(v = json_object_get(sub, "reference")))
		snprintf(out->patient, sizeof(out->patient), "%s",
		    json_string_value(v));
	e = read_items(json_object_get(root, "item"), "item", in, answers, err,
	    errsz);
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

enum sb_err
fhir_questionnaire_to_instrument(const char *json, size_t len,
    const struct instrument *like, struct buf *out, char *err, size_t errsz)
{
	long		 from;
	json_t		*root, *items, *it, *opts, *o, *c, *v;
	char		 id[64], path[128];
	const char	*title;
	size_t		 i, k, n = 0, scored = 0;
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
	if (!json_is_array(items)) {
		snprintf(err, errsz, "item: must be an array");
		goto out;
	}
	/* Each choice item brings its own option set. */
	json_array_foreach(items, i, it) {
		opts = json_object_get(it, "answerOption");
		if (!json_is_array(opts))
			continue;
		buf_printf(out, "\noptions set%zu\n", i + 1);
		json_array_foreach(opts, k, o) {
			snprintf(path, sizeof(path), "item[%zu].answerOption[%zu]",
			    i, k);
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
			if (!json_is_object(c)) {
				snprintf(err, errsz, "%s.valueCoding: required",
				    path);
				goto out;
			}
			buf_printf(out, "  %d ", (int)w);
			line_text(out, json_is_string(json_object_get(c,
			    "display")) ? json_string_value(json_object_get(c,
			    "display")) : json_string_value(json_object_get(c,
			    "code")));
			if (json_is_string(json_object_get(c, "code")) &&
			    strncmp(json_string_value(json_object_get(c, "code")),
			    "LA", 2) == 0) {
				buf_adds(out, " | ");
				buf_adds(out, json_string_value(
				    json_object_get(c, "code")));
			}
			buf_adds(out, "\n");
		}
	}
	buf_adds(out, "\n");
	json_array_foreach(items, i, it) {
		bool weighted = false;

		opts = json_object_get(it, "answerOption");
		if (!json_is_array(opts))
			continue;
		json_array_foreach(opts, k, o)
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
	n = 0;
	json_array_foreach(items, i, it) {
		bool weighted = false;

		opts = json_object_get(it, "answerOption");
		if (!json_is_array(opts))
			continue;
		n++;
		json_array_foreach(opts, k, o)
			if (option_weight(o, &w))
				weighted = true;
		if (weighted)
			buf_printf(out, " i%zu", n);
	}
	buf_adds(out, "\n  missing none\n");
	e = out->err;
out:
	json_decref(root);
	return e;
}

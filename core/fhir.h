/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fhir.h - FHIR R4 in: responses, panels and questionnaires read into
 * answers and instrument definitions.  Pure: JSON text in, no I/O.  (FHIR
 * out is render/fhir.h.)
 *
 * A QuestionnaireResponse for a known instrument becomes item
 * answers; a Questionnaire whose options carry itemWeight or ordinalValue
 * becomes an instrument definition (docs/instrument-format.md), scored as
 * a sum.  Every error names the JSON path.
 */
#ifndef SB_FHIR_H
#define SB_FHIR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/instrument.h"

#define FHIR_MAX	(64 * 1024 * 1024)	/* a file to import */
#define FHIR_TIME_LEN	21			/* YYYY-MM-DDTHH:MM:SSZ */

/*
 * An R4 dateTime as a moment: "YYYY-MM-DD" (midnight UTC) or
 * "YYYY-MM-DDThh:mm:ss[.f](Z|+hh:mm|-hh:mm)".  utc gets the moment in
 * UTC, offset the zone as written ("Z", "-05:00"; "" for a date), *when
 * its Unix time.  False with *why in words for anything else, a year or
 * a month alone included.
 */
bool	 fhir_datetime(const char *s, char utc[FHIR_TIME_LEN],
	    char offset[8], int64_t *when, const char **why);

/* What an imported QuestionnaireResponse (or Observation panel) holds. */
struct fhir_qr {
	char		 questionnaire[512];	/* canonical as written */
	char		 authored[FHIR_TIME_LEN];	/* UTC */
	char		 offset[8];		/* as written: "-05:00", "Z" */
	char		 patient[512];		/* subject reference or "" */
	char		 id[128];		/* the resource id or "" */
	char		 ident_system[256];	/* its identifier, or "" */
	char		 ident_value[256];
	char		 respondent[16];	/* self, parent, ...; "": unsaid */
	/* Totals the response carried (an EHR's 44261-6): which score,
	 * the value sent and where, for the caller to hold against its
	 * own (fhir_totals_agree). */
	struct fhir_total {
		size_t		 score;
		double		 value;
		char		 at[64];
	}		 totals[4];
	size_t		 ntotals;
};
/*
 * Reads a QuestionnaireResponse (json: one resource) for instrument in:
 * answers by linkId (the item id, "/LOINC" as LHC-Forms writes it, or the
 * bare LOINC code as EHRs write it; a total's linkId is kept in totals,
 * never taken for an answer) and
 * valueCoding (LOINC LA code or option value), valueInteger, a whole
 * valueDecimal or the option's words in valueString.  authored is
 * required and may not be later than now (plus five minutes); an item
 * answered twice is refused.
 */
enum sb_err	 fhir_read_response(const char *json, size_t len,
		    const struct instrument *in, int64_t now, int16_t *answers,
		    struct fhir_qr *out, char *err, size_t errsz) SB_MUST;
/*
 * Reads the Observation panel at bundle.entry[entry] (US Core's PHQ-9
 * panel): its hasMember Observations, found in the same Bundle by
 * fullUrl or Type/id, are the answers by their LOINC codes;
 * effectiveDateTime is the time.
 */
enum sb_err	 fhir_read_panel(const char *bundle, size_t len, size_t entry,
		    const struct instrument *in, int64_t now, int16_t *answers,
		    struct fhir_qr *out, char *err, size_t errsz) SB_MUST;
/*
 * Do the totals a response carried agree with the scores computed from
 * its answers (values, valid: as score_row gives them)?  False with the
 * first that does not in err: a total the answers do not give is a
 * mistake somewhere, not to be stored as though it were not there.
 */
bool		 fhir_totals_agree(const struct fhir_qr *,
		    const struct instrument *, const double *values,
		    const bool *valid, char *err, size_t errsz);
/* The "questionnaire" canonical of a response, to find its instrument. */
enum sb_err	 fhir_response_questionnaire(const char *json, size_t len,
		    char *out, size_t outsz, char *err, size_t errsz) SB_MUST;
/*
 * A Questionnaire with weighted options as instrument definition text
 * (out), for instr_parse: its choice items in order (groups walked,
 * answerValueSet read from a ValueSet contained in the Questionnaire),
 * options with their weights, one total score (a sum of the weighted
 * items).  Items that are not choices are left out, each with a line in
 * warn (NULL: not told).
 *
 * Critical items: an item carrying the extension FHIR_CRITICAL_URL with
 * a valueInteger N is critical from the answer weighted N up.  When like
 * is not NULL (a shipped instrument with the same items, found by the
 * caller), its critical items are kept, item by item in order.
 */
#define FHIR_CRITICAL_URL \
	"urn:securebase:fhir:StructureDefinition:critical-from"
enum sb_err	 fhir_questionnaire_to_instrument(const char *json,
		    size_t len, const struct instrument *like, struct buf *out,
		    struct buf *warn, char *err, size_t errsz) SB_MUST;
/* The resourceType of json (one resource), or "" when there is none. */
void		 fhir_resource_type(const char *json, size_t len, char *out,
		    size_t outsz);

#endif

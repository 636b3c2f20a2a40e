/*
 * fhir.h - FHIR R4 resources from instruments and administrations, and
 * back.  Pure: JSON text in and out, no I/O.
 *
 * Out: a Questionnaire per instrument (LOINC codes only where the
 * definition carries them, which the instrument files take from the
 * reference; answer weights in the itemWeight extension), a
 * QuestionnaireResponse per administration, an Observation per score
 * (valueQuantity in UCUM {score}, LOINC where the definition has one,
 * interpretation from the band, derivedFrom the response), a minimal
 * Patient, gathered in a collection Bundle.
 *
 * In: a QuestionnaireResponse for a known instrument becomes item
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

#define FHIR_BASE	"https://securebase.invalid/fhir/"
#define FHIR_MAX	(64 * 1024 * 1024)	/* a file to import */

/* A Bundle being written: fhir_bundle_begin, entries, fhir_bundle_end. */
void	 fhir_bundle_begin(struct buf *, const char *id);
void	 fhir_bundle_end(struct buf *);

/* Patient/PID: name only when given (NULL: pseudonymous, the id alone). */
void	 fhir_patient(struct buf *, const char *pid, const char *name);
void	 fhir_questionnaire(struct buf *, const struct instrument *);

struct fhir_admin {
	const char	*id;		/* "a12" */
	const char	*patient;	/* "c3" or a pseudonym */
	const char	*authored;	/* ISO 8601 */
	const int16_t	*answers;	/* per item; SCORE_MISSING: none */
	const double	*scores;	/* per score */
	const bool	*scored;	/* per score: a value, not missing */
};
/* The QuestionnaireResponse and one Observation per score. */
void	 fhir_administration(struct buf *, const struct instrument *,
	    const struct fhir_admin *);

/* What an imported QuestionnaireResponse holds. */
struct fhir_qr {
	char		 questionnaire[128];	/* canonical: instrument id */
	char		 authored[32];		/* YYYY-MM-DDTHH:MM:SSZ or "" */
	char		 patient[128];		/* subject reference or "" */
};
/*
 * Reads a QuestionnaireResponse (json: one resource) for instrument in:
 * answers by linkId (the item id, or "/LOINC" as LHC-Forms writes it) and
 * valueCoding (LOINC LA code or option value) or valueInteger/valueDecimal.
 */
enum sb_err	 fhir_read_response(const char *json, size_t len,
		    const struct instrument *in, int16_t *answers,
		    struct fhir_qr *out, char *err, size_t errsz);
/* The "questionnaire" canonical of a response, to find its instrument. */
enum sb_err	 fhir_response_questionnaire(const char *json, size_t len,
		    char *out, size_t outsz, char *err, size_t errsz);
/*
 * A Questionnaire with weighted options as instrument definition text
 * (out), for instr_parse: items in order, options with their weights,
 * one total score (a sum of the weighted items).
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
		    char *err, size_t errsz);
/* The resourceType of json (one resource), or "" when there is none. */
void		 fhir_resource_type(const char *json, size_t len, char *out,
		    size_t outsz);

#endif

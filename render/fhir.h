/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fhir.h - FHIR R4 out: a Bundle per client, built as jansson values and
 * written by the one JSON writer (render/json.h).  Reading FHIR is
 * core/fhir.h's.
 *
 * A Bundle holds the Patient, a Questionnaire per instrument and version
 * (LOINC codes only where the definition carries them; answer weights in
 * SDC's itemWeight and R4's ordinalValue), a QuestionnaireResponse per
 * administration (its canonical with |version; author and source from
 * the respondent) and an Observation per score (valueQuantity in UCUM
 * {score}, or a dataAbsentReason when the missing-data rule leaves no
 * score; derivedFrom the response).  Every fullUrl, identifier system and
 * canonical starts with the practice's base.
 *
 * Ownership: fhir_bundle_new() fills a bundle freed with
 * fhir_bundle_free(); entries() lends its entries array.
 */
#ifndef SB_RENDER_FHIR_H
#define SB_RENDER_FHIR_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/instrument.h"

struct fhir_bundle {
	json_t		*root;
	json_t		*entries;	/* root's entry array */
	const char	*base;		/* "https://practice.example/fhir/" */
	bool		 transaction;	/* entries carry a PUT by id */
};

struct fhir_admin {
	const char	*id;		/* "a12" */
	const char	*patient;	/* "c3" or a pseudonym */
	const char	*authored;	/* ISO 8601 */
	const char	*version;	/* of the instrument answered */
	const char	*respondent;	/* self, parent, partner, therapist */
	const int16_t	*answers;	/* per item; SCORE_MISSING: none */
	const double	*scores;	/* per score */
	const bool	*scored;	/* per score: a value, not missing */
};

/* A collection Bundle (or a transaction) with id, empty. */
enum sb_err	 fhir_bundle_new(struct fhir_bundle *, const char *base,
		    const char *id, bool transaction) SB_MUST;
void		 fhir_bundle_free(struct fhir_bundle *);
/* Patient/PID: name only when given (NULL: pseudonymous, the id alone). */
enum sb_err	 fhir_add_patient(struct fhir_bundle *, const char *pid,
		    const char *name) SB_MUST;
/* Questionnaire/ID-vVERSION, canonical BASE/Questionnaire/ID. */
enum sb_err	 fhir_add_questionnaire(struct fhir_bundle *,
		    const struct instrument *) SB_MUST;
/* The QuestionnaireResponse and one Observation per score. */
enum sb_err	 fhir_add_administration(struct fhir_bundle *,
		    const struct instrument *, const struct fhir_admin *)
		    SB_MUST;
/* The Bundle as one line of JSON, and a newline. */
enum sb_err	 fhir_bundle_write(const struct fhir_bundle *, struct buf *)
		    SB_MUST;

#endif

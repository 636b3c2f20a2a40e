/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_fhir.c - libFuzzer target: any bytes as a FHIR file to import.
 * The resource type, a QuestionnaireResponse read against the PHQ-9's
 * items, and a Questionnaire turned into definition text (which must then
 * parse or be refused, never crash) must never fault, whatever comes in:
 * weights of 1e300, NaN-like numbers, deep nesting, wrong types.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fhir.h"
#include "core/instrument.h"
#include "core/score.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The PHQ-9's items and codes, enough to read responses against. */
static const char phq[] =
"securebase-instrument 1\nid phq9\nversion 1\nname PHQ-9\ntitle PHQ-9\n"
"citation Kroenke 2001\nlicence free\nlicence-terms free\nloinc 44249-1\n"
"options f\n  0 Not at all | LA6568-5\n  1 Several days | LA6569-3\n"
"  2 More than half the days | LA6570-1\n  3 Nearly every day | LA6571-9\n"
"item q1 a\n  loinc 44250-9\nitem q2 b\n  loinc 44255-8\n"
"item q9 c\n  loinc 44260-8\n  critical 1\n"
"score total Total\n  sum q1 q2 q9\n  missing none\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct instrument	*in;
	struct instrument		*made;
	struct fhir_qr			 qr;
	struct buf			 def, errs;
	int16_t				 a[INSTR_MAX_ITEMS];
	char				 type[64], canon[256], err[512];

	if (in == NULL) {
		buf_init(&errs, 1 << 16);
		if (instr_parse(phq, sizeof(phq) - 1, "phq", &in, &errs) !=
		    SB_OK)
			abort();
		buf_free(&errs);
	}
	fhir_resource_type((const char *)data, size, type, sizeof(type));
	(void)fhir_response_questionnaire((const char *)data, size, canon,
	    sizeof(canon), err, sizeof(err));
	(void)fhir_read_response((const char *)data, size, in, 1800000000, a,
	    &qr, err, sizeof(err));
	/* The same bytes as a Bundle whose first entry is a panel. */
	(void)fhir_read_panel((const char *)data, size, 0, in, 1800000000, a,
	    &qr, err, sizeof(err));
	buf_init(&def, 1 << 20);
	buf_init(&errs, 1 << 16);
	if (fhir_questionnaire_to_instrument((const char *)data, size, in,
	    &def, NULL, err, sizeof(err)) == SB_OK && def.len > 0 &&
	    instr_parse(def.data, def.len, "fhir", &made, &errs) == SB_OK)
		instr_free(made);
	buf_free(&def);
	buf_free(&errs);
	return 0;
}

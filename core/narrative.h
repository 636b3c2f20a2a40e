/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative.h - descriptive discourse indicators of a narrative: each a
 * count of defined word patterns, located by offsets, with the words that
 * triggered it.  Never a classification or a score: see
 * docs/reference/narrative.md section 5 and docs/narrative.md.  Pure:
 * no I/O.
 *
 * The words are data: a lexicon file per language (lang/en.lexicon is
 * the shipped English one) holds word classes, and for each indicator
 * its patterns, exclusions and the text a therapist sees about it.  The
 * indicator ids are fixed (the interface contract); a lexicon must
 * define every one.
 *
 * Ownership: a lexicon is the caller's to lexicon_free(); a result's
 * spans are freed by narr_result_free().
 */
#ifndef SB_NARRATIVE_H
#define SB_NARRATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define NARR_INDICATORS	11
#define LEX_MAX_SIZE	(1024 * 1024)	/* a lexicon file */

/* The contract's ids, in the order results and pages list them. */
extern const char *const narr_ids[NARR_INDICATORS];

struct lexicon;

/* What a therapist reads about an indicator, one click away. */
struct narr_about {
	const char	*id, *title, *definition, *research, *strength;
	const char	*false_positives;
};

/* Parses lexicon text; errors are "name:line: what". */
enum sb_err	 lexicon_parse(const char *name, const char *text, size_t len,
		    struct lexicon **out, char *err, size_t errsz) SB_MUST;
void		 lexicon_free(struct lexicon *);
const char	*lexicon_language(const struct lexicon *);
/* About indicator i (0 .. NARR_INDICATORS-1, in narr_ids order). */
const struct narr_about *lexicon_about(const struct lexicon *, size_t i);

struct narr_span {
	size_t		 start, end;	/* bytes, [start, end) */
};

struct narr_count {
	size_t		 count;
	double		 per_1000;
	struct narr_span *spans;	/* in text order */
	size_t		 nspans, cap;
};

struct narr_result {
	size_t		 words;
	struct narr_count ind[NARR_INDICATORS];	/* in narr_ids order */
};

/*
 * Analyses text (UTF-8 or not: other bytes count as letters), up to 4 GB
 * (SB_ELIMIT beyond), in memory of about 24 bytes per word.
 */
enum sb_err	 narrative_analyze(const struct lexicon *, const char *text,
		    size_t len, struct narr_result *out) SB_MUST;
void		 narr_result_free(struct narr_result *);
/*
 * The contract's JSON: {"words": N, "indicators": [{"id": ..., "count":
 * ..., "per_1000": ..., "spans": [[start, end], ...]}, ...]}, offsets in
 * characters (Unicode code points) from the start of text.
 */
enum sb_err	 narr_result_json(const struct narr_result *,
		    const char *text, size_t len, struct buf *out) SB_MUST;

/*
 * The prompts file (lang/en.prompts): "prompt KEY" lines, each followed by
 * its text on indented lines (joined with spaces).  *out is the caller's
 * to narr_prompts_free().
 */
struct narr_prompt {
	char		 key[33];
	char		*text;
};
enum sb_err	 narr_prompts_parse(const char *name, const char *text,
		    size_t len, struct narr_prompt **out, size_t *n, char *err,
		    size_t errsz) SB_MUST;
void		 narr_prompts_free(struct narr_prompt *, size_t n);

#endif

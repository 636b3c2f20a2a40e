/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * instrument.h - the instrument model and its plain-text definition format.
 *
 * An instrument (PHQ-9, ECR-R, ...) is data: a definition file lists its
 * items, response options, reverse keys, scores, missing-data rules, bands,
 * critical items, norms, LOINC codes, citation and licence.  This module
 * parses such a file into a struct instrument and answers questions about
 * it; it does no I/O (the caller reads the file) and never half-loads: a
 * file with any error yields no instrument and every error, each prefixed
 * "file:line: ".  The format is documented in docs/instrument-format.md.
 *
 * Ownership: instr_parse() returns an instrument the caller frees with
 * instr_free(); every string inside belongs to the instrument.
 */
#ifndef SB_INSTRUMENT_H
#define SB_INSTRUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Limits: a definition larger than these is refused, not truncated. */
#define INSTR_MAX_FILE		(1024 * 1024)
#define INSTR_MAX_LINE		4096
#define INSTR_MAX_ID		32
#define INSTR_MAX_ITEMS		512	/* after expanding targets */
#define INSTR_MAX_OPTIONS	32	/* per option set */
#define INSTR_MAX_OPTSETS	16
#define INSTR_MAX_SCORES	64
#define INSTR_MAX_BANDS		16
#define INSTR_MAX_TABLE		256
#define INSTR_MAX_TARGETS	8
#define INSTR_MAX_NOTES		32	/* source and unverified lines */
#define INSTR_MAX_ERRORS	50

#define INSTR_FORMAT_VERSION	1
#define INSTR_NONE		((size_t)-1)

enum instr_licence {
	LICENCE_FREE,			/* use needs no permission */
	LICENCE_PERMISSION,		/* load disabled until recorded */
	LICENCE__MAX
};

enum score_method {
	METHOD_SUM,		/* sum of (reversed) item values */
	METHOD_MEAN,		/* mean of (reversed) item values */
	METHOD_CONVERT,		/* another score looked up in a table */
	METHOD_MEAN_OF,		/* mean of other scores */
	METHOD__MAX
};

enum score_direction {
	DIRECTION_NONE,		/* no better/worse: change is not classified */
	DIRECTION_LOWER_BETTER,
	DIRECTION_HIGHER_BETTER,
	DIRECTION__MAX
};

struct instr_option {
	int		 value;
	char		*label;
	char		*loinc;		/* LOINC answer code or NULL */
};

struct instr_optset {
	char			*id;
	struct instr_option	*opts;
	size_t			 nopts;
	int			 min, max;	/* of the values */
};

struct instr_item {
	char		*id;		/* "q1", or "mother.q1" with targets */
	char		*text;
	size_t		 optset;	/* index into optsets */
	bool		 reverse;	/* scored as (min + max) - value */
	bool		 scored;	/* false: asked, never summed */
	bool		 critical;	/* flag when value >= critical_min */
	int		 critical_min;
	char		*loinc;
	size_t		 target;	/* index into targets or INSTR_NONE */
};

struct instr_band {
	double		 from;		/* band holds from <= score < next */
	char		*label;
};

struct instr_norm {
	bool		 set;
	double		 mean, sd;
	char		*source;
};

/*
 * A published course of treatment: the mean and SD at intake and at the
 * end, from one named sample.  The expected path (core/expected.h) is
 * fitted to it.
 */
struct instr_course {
	bool		 set;
	double		 m0, s0, m1, s1;
	char		*source;
};

/*
 * NHS Talking Therapies' recovery rule for a score: caseness from this
 * value on (in the worse direction), and a reliable change of at least
 * this many points.
 */
struct instr_tt {
	bool		 set;
	double		 caseness, change;
	char		*source;
};

struct instr_table_row {
	double		 raw, value;
};

struct instr_score {
	char			*id;
	char			*label;
	enum score_method	 method;
	size_t			*items;		/* SUM, MEAN: item indices */
	size_t			 nitems;
	size_t			*scores;	/* CONVERT (1), MEAN_OF */
	size_t			 nscores;
	size_t			 max_missing;	/* inputs that may be absent */
	struct instr_table_row	*table;		/* CONVERT */
	size_t			 ntable;
	struct instr_band	*bands;
	size_t			 nbands;
	enum score_direction	 direction;
	char			*loinc;
	double			 reliability;	/* 0 when not given */
	char			*reliability_source;
	struct instr_norm	 clinical, functional;
	struct instr_course	 course;
	struct instr_tt		 tt;
	double			 min, max;	/* possible range */
};

struct instr_target {
	char		*id;
	char		*label;
};

struct instrument {
	char			*id;
	char			*version;
	char			*name;		/* short: "PHQ-9" */
	char			*title;
	char			*citation;
	char			*instructions;
	char			*notice;	/* shown on every form */
	char			*loinc;		/* panel code or NULL */
	/* Asks about hard experiences (the ACE): the client's form shows
	 * the practice's support text ("support yes" in the file). */
	bool			 support;
	enum instr_licence	 licence;
	char			*licence_terms;
	char			*sources[INSTR_MAX_NOTES];
	size_t			 nsources;
	char			*unverified[INSTR_MAX_NOTES];
	size_t			 nunverified;
	struct instr_optset	*optsets;
	size_t			 noptsets;
	struct instr_item	*items;
	size_t			 nitems;
	struct instr_target	*targets;
	size_t			 ntargets;
	struct instr_score	*scores;
	size_t			 nscores;
	char			*origin;	/* file name it was read from */
};

/*
 * Parses a definition held in text[0..len).  On success *out is a new
 * instrument.  On failure *out is NULL, the return is SB_EINVAL (or
 * SB_ENOMEM) and each problem is appended to errors as one line
 * "origin:line: message\n" (at most INSTR_MAX_ERRORS of them).
 */
enum sb_err	 instr_parse(const char *text, size_t len, const char *origin,
		    struct instrument **out, struct buf *errors) SB_MUST;
void		 instr_free(struct instrument *);

/* Index of the item or score with this id (case-insensitive), or INSTR_NONE. */
size_t		 instr_item_find(const struct instrument *, const char *id,
		    size_t idlen);
size_t		 instr_score_find(const struct instrument *, const char *id);

/* The band label of a score value, or NULL when the score has no bands. */
const char	*instr_band_label(const struct instr_score *, double value);

const char	*instr_licence_name(enum instr_licence);
const char	*instr_method_name(enum score_method);
const char	*instr_direction_name(enum score_direction);

/* True when code is a LOINC code with a valid mod-10 check digit. */
bool		 loinc_valid(const char *code);

#endif

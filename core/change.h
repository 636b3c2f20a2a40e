/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * change.h - reliable and clinically significant change (Jacobson & Truax,
 * 1991, J Consult Clin Psychol 59:12-19).
 *
 *   S_diff = SD_clinical * sqrt(2) * sqrt(1 - r_xx)
 *   RC     = (post - pre) / S_diff          reliable when |RC| > 1.96
 *   cut-off a = M_clin -/+ 2 SD_clin        (beyond the clinical mean)
 *   cut-off b = M_func +/- 2 SD_func        (within the functional range)
 *   cut-off c = (SD_func M_clin + SD_clin M_func) / (SD_func + SD_clin)
 *
 * Classification (for the better direction of the score):
 *   recovered     reliable improvement, pre not past the cut-off, post past it
 *   improved      reliable improvement otherwise
 *   deteriorated  reliable change for the worse
 *   unchanged     |RC| <= 1.96
 *
 * The norms, the reliability and the criterion used are returned with the
 * result so that they can be stored beside every classification: the same
 * pair of scores is "recovered" under one criterion and not another.
 *
 * A practice may compare under NHS Talking Therapies' convention instead
 * (change_classify_as): caseness from a fixed score (PHQ-9 10, GAD-7 8)
 * and a reliable change of a fixed number of points (6 and 4); "reliable
 * recovery" is a reliable improvement from caseness to below it.  A
 * score without those figures falls back to Jacobson & Truax, and the
 * result says which convention was applied.
 */
#ifndef SB_CHANGE_H
#define SB_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "instrument.h"

#define CHANGE_Z	1.96	/* two-tailed p < .05 */

enum change_class {
	CHANGE_RECOVERED,
	CHANGE_IMPROVED,
	CHANGE_UNCHANGED,
	CHANGE_DETERIORATED,
	CHANGE__MAX
};

enum change_convention {
	CONVENTION_JT,		/* Jacobson & Truax (1991) */
	CONVENTION_TT,		/* NHS Talking Therapies */
	CONVENTION__MAX
};

enum change_criterion {
	CRITERION_AUTO,		/* c if both norms, else a or b */
	CRITERION_A,
	CRITERION_B,
	CRITERION_C,
	CRITERION__MAX
};

struct change_result {
	double			 pre, post;
	double			 reliability;
	double			 sd;		/* SD_clinical used in S_diff */
	double			 se;		/* standard error of measurement */
	double			 sdiff;
	double			 rc;
	double			 min_change;	/* 1.96 * S_diff, in points */
	bool			 reliable;
	enum change_criterion	 criterion;	/* the one applied */
	double			 cutoff;
	bool			 pre_past, post_past;	/* of the cut-off */
	enum change_class	 cls;
	enum change_convention	 convention;	/* the one applied */
};

/*
 * Classifies the change of one score from pre to post using the norms
 * stored with the score.  SB_ENOENT when the score lacks what is needed
 * (direction, reliability, clinical norms, or the norms the criterion needs).
 */
enum sb_err	 change_classify(const struct instr_score *, double pre,
		    double post, enum change_criterion,
		    struct change_result *) SB_MUST;

/*
 * The same under a convention: Talking Therapies where the score carries
 * its figures, else Jacobson & Truax with CRITERION_AUTO.
 */
enum sb_err	 change_classify_as(const struct instr_score *, double pre,
		    double post, enum change_convention,
		    struct change_result *) SB_MUST;
/* "Jacobson & Truax, criterion c" or "NHS Talking Therapies (caseness
 * 10, reliable change 6)": what a label says was applied. */
void		 change_label(const struct change_result *, char *out,
		    size_t size);
const char	*change_convention_name(enum change_convention);
/* "jacobson-truax" or "talking-therapies" (the setting's words). */
bool		 change_convention_parse(const char *,
		    enum change_convention *);

/* The three cut-offs; false when the norms for one are missing. */
bool		 change_cutoff(const struct instr_score *,
		    enum change_criterion, double *);

const char	*change_class_name(enum change_class);
const char	*change_criterion_name(enum change_criterion);

#endif

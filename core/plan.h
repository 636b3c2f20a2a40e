/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * plan.h - the rules of a measurement plan: when each occurrence of a
 * measure is due.  Pure; store/schedule.c keeps the plans and what was
 * sent, and asks here which occurrence is due now.
 *
 * A rule and its spec:
 *   days      "14": at the start, then every 14 days (1-365);
 *   sessions  "every": at the start and after every attended session;
 *             "3,6,9": after the 3rd, 6th and 9th attended session
 *             since the start (0 in the list: at the start);
 *   months    "0,3,6": at the start and 3 and 6 calendar months later
 *             (a day the month lacks becomes its last day).
 * Lists ascend, at most PLAN_MAX_LIST entries.
 *
 * An occurrence is a number: the k-th interval (days), the session count
 * (sessions), the month offset (months).  Only the latest one due is
 * sent: a practice whose server was off for a month sends today's
 * measure, not the four it missed.
 */
#ifndef SB_PLAN_H
#define SB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PLAN_MAX_LIST	24
#define PLAN_MAX_SPEC	96

enum plan_rule {
	PLAN_DAYS,
	PLAN_SESSIONS,
	PLAN_MONTHS,
	PLAN__MAX
};

struct plan_rules {
	enum plan_rule	 rule;
	bool		 every;			/* sessions "every" */
	int		 interval;		/* days */
	int		 list[PLAN_MAX_LIST];	/* sessions, months */
	size_t		 n;
};

const char	*plan_rule_name(enum plan_rule);
bool		 plan_rule_parse(const char *, enum plan_rule *);
/* Parses spec for rule; false with why (a sentence) when it is wrong. */
bool		 plan_parse(enum plan_rule, const char *spec,
		    struct plan_rules *, char *why, size_t whysz);
/*
 * The latest occurrence due at now for a plan started at start, with
 * sessions attended since the start: *occ and its due time (for a
 * session, the time it was reached is not known here: now).  False when
 * none is due yet.
 */
bool		 plan_latest(const struct plan_rules *, int64_t start,
		    int64_t now, int sessions, int64_t *occ, int64_t *due);
/*
 * When the next occurrence after now falls: *due (days, months), or the
 * attended session it follows, *session (sessions).  False when the
 * plan has no more.
 */
bool		 plan_next(const struct plan_rules *, int64_t start,
		    int64_t now, int sessions, int64_t *due, int *session);
/* start plus m calendar months (UTC), the day clamped to the month. */
int64_t		 plan_add_months(int64_t start, int m);
/* The rule in words: "every 14 days", "after sessions 3, 6 and 9". */
void		 plan_words(const struct plan_rules *, char *out, size_t n);

/* A template: plans a practice starts a client with. */
struct plan_template_item {
	const char	*instrument;
	enum plan_rule	 rule;
	const char	*spec;
};
struct plan_template {
	const char			*id, *title;
	const struct plan_template_item	*items;
	size_t				 n;
};
extern const struct plan_template	 plan_templates[];
extern const size_t			 plan_ntemplates;

#endif

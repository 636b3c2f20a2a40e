/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history.h - a client's attachment history as data: the people in their
 * life, the ties between them (structural: parent, partner, sibling ...;
 * emotional: close, cut-off, hostile ...), life events, and each figure's
 * relationship-specific attachment (ECR-RS).  Pure: no I/O.
 *
 * The JSON interchange form (docs/history-format.md) is read and written
 * here; the store fills and saves a struct history, and the map, the
 * lifeline and the patterns are drawn from one.
 *
 * Ownership: a struct history owns every string in it; history_free()
 * releases them (wiping: names and notes are clinical text).
 */
#ifndef SB_HISTORY_H
#define SB_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

#define HIST_SCHEMA		1	/* "schema" of the JSON form */
#define HIST_MAX_PEOPLE		200
#define HIST_MAX_TIES		800
#define HIST_MAX_EVENTS		500
#define HIST_MAX_FIELD		1024	/* a name, role, gender, label */
#define HIST_MAX_NOTE		(16 * 1024)

enum tie_kind { TIE_STRUCTURAL, TIE_EMOTIONAL };

struct hist_person {
	int64_t		 id;		/* the store's id; in JSON, "id" */
	char		*name;		/* or a role: "mother" */
	char		*role;		/* "self" marks the client; NULL */
	char		*gender;	/* as the client describes it; NULL */
	int		 born, died;	/* years; 0 = unknown */
	char		*note;		/* NULL */
	/* ECR-RS for this figure, filled from the store; not in JSON. */
	bool		 has_ecr;
	double		 ecr_anxiety, ecr_avoidance;
};

struct hist_tie {
	int64_t		 id;
	int64_t		 a, b;		/* person ids; parent ties: a is parent */
	enum tie_kind	 kind;
	char		 type[16];	/* see history_tie_kind() */
	char		*start, *end;	/* YYYY[-MM[-DD]]; NULL */
	char		*note;
};

struct hist_event {
	int64_t		 id;
	char		 category[16];
	char		*date;		/* YYYY[-MM[-DD]]; NULL */
	int		 age;		/* -1 = unknown */
	/* A period ends at end_date or end_age; both unset: a moment. */
	char		*end_date;
	int		 end_age;	/* -1 = unset */
	int		 valence;	/* -3 .. +3 */
	int		 intensity;	/* 1 .. 5 */
	char		*note;
};

struct history {
	struct hist_person	*people;
	size_t			 npeople;
	struct hist_tie		*ties;
	size_t			 nties;
	struct hist_event	*events;
	size_t			 nevents;
};

void		 history_init(struct history *);
void		 history_free(struct history *);

/*
 * Appends a copy of p (strings duplicated); errors name what is wrong
 * with it ("people[3].born: 1700 is not a year 1800-2200").
 */
enum sb_err	 history_add_person(struct history *, const struct hist_person *,
		    char *err, size_t errsz) SB_MUST;
enum sb_err	 history_add_tie(struct history *, const struct hist_tie *,
		    char *err, size_t errsz) SB_MUST;
enum sb_err	 history_add_event(struct history *, const struct hist_event *,
		    char *err, size_t errsz) SB_MUST;

/* The kind of a tie type, false when it is neither. */
bool		 history_tie_kind(const char *type, enum tie_kind *);
bool		 history_category_ok(const char *category);
/* A parent tie (parent, adopted, foster, step): a is b's parent. */
bool		 history_tie_is_parent(const struct hist_tie *);
/* A couple tie (partner, married, cohabiting, separated, divorced). */
bool		 history_tie_is_couple(const struct hist_tie *);
/* Twins: twin or identical-twin. */
bool		 history_tie_is_twin(const struct hist_tie *);
/* a and b live together: structural, but says nothing of generations. */
bool		 history_tie_is_household(const struct hist_tie *);
/* The person marked "self", or NULL. */
const struct hist_person *history_self(const struct history *);
/* The person, tie or event with this id, or NULL. */
const struct hist_person *history_person(const struct history *, int64_t);
const struct hist_tie	 *history_tie(const struct history *, int64_t);
const struct hist_event	 *history_event(const struct history *, int64_t);
/*
 * Age at an event's start (end: false) or end, in years: its own age, or
 * its year minus self's birth year; -1 when neither is known.
 */
double		 history_event_age(const struct history *,
		    const struct hist_event *, bool end);

/*
 * Gives figures their ECR-RS scores from one administration's scores
 * JSON ({"mother.anxiety": 3.2, ...}).  With target "person:ID" that
 * person takes the first domain answered in full; otherwise each domain
 * (mother, father, partner, friend) goes to the person whose role names
 * it ("best friend" counts as friend).  Call oldest first: the latest
 * administration wins.
 */
void		 history_apply_ecr(struct history *, const char *target,
		    const char *scores_json);

/* The JSON form, to out. */
enum sb_err	 history_to_json(const struct history *, struct buf *out)
		    SB_MUST;
/*
 * Reads the JSON form; every error names the path ("ties[2].b: no person
 * with id 9").  Ids in the file only join ties to people; the store gives
 * new ones.  All or nothing: on error *h is left empty.
 */
enum sb_err	 history_from_json(const char *json, size_t len,
		    struct history *h, char *err, size_t errsz) SB_MUST;

#endif

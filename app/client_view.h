/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * client_view.h - what the client page shows of a client's measures,
 * gathered in one read: each measure's scores over time (with the
 * expected path where the measure has one), the answers item by item,
 * the timeline with the life events the charts mark, and each person the
 * client is seen with, with their ECR-RS.  render/client_page.h writes
 * it; the record's tables and forms around it are web/pages_record.c's.
 *
 * Ownership: client_view_free() frees all of it, after an error too.
 */
#ifndef SB_APP_CLIENT_VIEW_H
#define SB_APP_CLIENT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/registry.h"
#include "core/change.h"
#include "core/points.h"
#include "core/score.h"
#include "store/store.h"

/* The points of a measure the page shows (the first ones: the page is
 * made for every view). */
#define CLIENT_POINTS	128
/* The most life events a chart marks. */
#define CLIENT_EVENTS	512

/* One measure's administrations of the client. */
struct client_series {
	const struct reg_entry	*re;
	struct score_plan	*plan;
	/* pts[k][i]: score k at point i (NAN: not scored); each point's
	 * date is dates[i]. */
	struct chart_point	(*pts)[CLIENT_POINTS];
	char			(*dates)[24];
	size_t			 n;
	double			 last[INSTR_MAX_SCORES];
	bool			 lastok[INSTR_MAX_SCORES];
	/* The latest answers left the first score unscored (a risk item
	 * skipped): the answered items' sum, shown beside "not scored". */
	bool			 lastpart;
	struct score_partial	 part;
	char			 partdate[24];
	/*
	 * The expected path (app/expected.h), for a measure that has one:
	 * band[i] at the i-th point where the first score exists; drawn
	 * when any is; shaped says what shaped the latest (or why there is
	 * none); off when the latest reading completes the alert rule;
	 * intake_t the episode's first score (Unix time).
	 */
	struct chart_band	 band[CLIENT_POINTS];
	bool			 drawn, off;
	char			 shaped[240];
	int64_t			 intake_t;
};

/* The measures of one client. */
struct client_measures {
	struct client_series	*s;		/* ns of cap */
	size_t			 ns, cap;
};

/* One answer set, item by item (ans: re->in->nitems of them). */
struct client_answers {
	const struct reg_entry	*re;
	char			 date[24];
	int16_t			*ans;
};

/* One dated row of the timeline, oldest first. */
struct client_dated {
	char			 date[11];	/* YYYY[-MM[-DD]] */
	enum store_timeline_kind kind;
	char			*what;
	int			 valence;	/* life events */
};

/* Someone the client is seen with, and their ECR-RS. */
struct client_other {
	char			*name;
	bool			 couple;	/* else a family */
	struct client_measures	 m;		/* the ECR-RS only */
};

struct client_view {
	int64_t			 client;
	int64_t			 now;		/* the page's time */
	enum change_convention	 conv;		/* the practice's */
	struct client_measures	 m;
	struct client_answers	*answers;	/* nanswers of acap */
	size_t			 nanswers, acap;
	char			 newest[24];	/* the latest answer's date */
	char			 first[24];	/* the earliest's */
	struct client_dated	*tl;		/* ntl of tlcap */
	size_t			 ntl, tlcap;
	struct chart_event	*ev;		/* the life events, nev */
	size_t			 nev;
	struct client_other	*others;	/* nothers */
	size_t			 nothers;
	bool			 others_ok;	/* false: not all read */
	/* false: an expected path could not be read (the page draws the
	 * chart without it; the report does not go on). */
	bool			 expected_ok;
};

/*
 * The client's measures, answers, timeline and those seen with them,
 * as the store's actor may read them, at the page's time now.  A
 * failed read of the administrations or the timeline is the error;
 * an expected path or a companion that cannot be read leaves the view
 * without it (no band drawn; others_ok false), as the page then says.
 */
enum sb_err	 client_view_build(struct store *, const struct registry *,
		    int64_t client, int64_t now, struct client_view *) SB_MUST;
void		 client_view_free(struct client_view *);

/* The series of instrument id with a point, or NULL. */
const struct client_series *client_series_find(const struct client_measures *,
		    const char *id);
/* The n points of in where the score exists, into out; how many. */
size_t		 client_points(const struct chart_point *in, size_t n,
		    struct chart_point *out);
/*
 * What the not-on-track checklist counts: the sessions attended since
 * the day of since (Unix time) and the life events dated in the eight
 * weeks before the view's time.
 */
void		 client_counts(const struct client_view *, int64_t since,
		    size_t *sessions, size_t *events);

#endif

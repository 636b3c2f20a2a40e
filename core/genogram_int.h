/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram_int.h - what the files of the map's layout share: the
 * work of one layout (people by row and order), the routes' symbolic
 * points and lines, the spacing constants, and the steps each file
 * gives the others.  genogram.c (sizes, households, the whole),
 * genogram_order.c (generations and places), genogram_route.c (routes
 * round the symbols), genogram_lines.c (the structural lines and the
 * heights), genogram_check.c (the check).  Private to core/genogram*.
 */
#ifndef SB_GENOGRAM_INT_H
#define SB_GENOGRAM_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/genogram.h"

#define UNSET		INT_MIN
#define SYM_TOP		(GENO_R * 1.2)	/* the most a symbol reaches up */
#define LANE		8.0	/* between two lanes of a space */
#define ZONE_PAD	14.0	/* between a space's lanes and the rows */
#define ZONE_PAD_LOW	24.0	/* between a sibling line and the children */
#define ZONE_MIN	64.0	/* the least space between two rows */
#define XLANE		6.0	/* between two lines down one gap */
#define LABEL_GAP	4.0	/* between a symbol and its label */
#define MAX_ROUTED	200	/* beyond: no search for the fewest crossings */

struct work {
	const struct history	*h;
	struct genogram		*g;
	int			*gen;		/* per person */
	int			*comp;		/* component, -1: unconnected */
	double			*key;		/* ordering key in its row */
	size_t			*order;		/* people sorted by row, order */
	size_t			*pos;		/* person -> index in order */
	size_t			*row_at;	/* row -> first index in order */
	size_t			 n;
};

/* A point whose height is a row's centre plus v, or lane v of space z. */
enum yref { Y_ROW, Y_LANE };

struct spt {
	double		 x, v;
	int		 ref;		/* enum yref */
	int		 at;		/* the row, or the space */
};

struct sline {
	size_t		 tie;
	enum geno_line_kind kind;
	size_t		 group;
	struct spt	*p;		/* as many as the route needs */
	size_t		 n, cap;
	bool		 oom;		/* a point could not be added */
	size_t		 own[4];	/* people it may touch */
	size_t		 nown;
	int		 mid_seg;	/* couples: the segment of the marks */
};

/* A horizontal lane's piece, taken. */
struct taken {
	int		 zone, lane;
	double		 x0, x1;
};

struct lay {
	struct work	*w;
	struct sline	*l;
	size_t		 nl, capl;
	struct taken	*tk;
	size_t		 ntk, captk;
	size_t		*gap_used;	/* per gap: lines down it */
	int		*exits;		/* per person and side: lines out */
	size_t		*couple_drop;	/* per tie: its line, for a couple */
	size_t		 groups;
	bool		 low;		/* routes take the low lanes */
};

/* The passes that draw ties, in the order they take lanes. */
enum pass { PASS_COUPLE, PASS_PARENT, PASS_SIBLING, PASS_EMOTIONAL,
    PASS_NONE };

/* Does segment a-b cross c-d properly (not at an end, not along)? */
bool	 geno_cross(double ax, double ay, double bx, double by, double cx,
	    double cy, double dx, double dy);

/* The steps each file gives the others (by file: order, route, lines). */
double		 geno_sym_half(enum geno_shape s);
size_t		 geno_index_of(const struct history *h, int64_t id);
enum sb_err	 geno_generations(struct work *w, struct genogram *g) SB_MUST;
size_t		 geno_primary_parents(const struct work *w, size_t c,
		    size_t out[2]);
size_t		 geno_twin_in(const struct work *w, const size_t *o,
		    size_t lo, size_t hi, size_t i);
void		 geno_row_span(const struct work *w, int r, size_t *r0,
		    size_t *r1);
enum sb_err	 geno_order_and_place(struct work *w) SB_MUST;
struct spt	 geno_at_row(double x, int row, double dy);
struct spt	 geno_at_lane(double x, int zone, int lane);
int		 geno_lane_in(struct lay *L, int zone, double x0, double x1,
		    bool low, bool commit);
double		 geno_gap_x(struct lay *L, int r, size_t k, bool commit);
size_t		 geno_gap_beside(const struct lay *L, size_t i, int s);
double		 geno_side_x(const struct geno_node *nd, int s, double dy);
double		 geno_top_dy(const struct geno_node *nd, double dx);
struct sline	*geno_new_line(struct lay *L, size_t tie,
		    enum geno_line_kind kind, size_t group);
void		 geno_own(struct sline *l, size_t person);
void		 geno_add_pt(struct sline *l, struct spt p);
void		 geno_route_over(struct lay *L, size_t a, size_t b,
		    bool commit, struct sline *r);
void		 geno_route_under(struct lay *L, size_t a, size_t b,
		    double dy, bool commit, struct sline *r);
bool		 geno_adjacent(const struct work *w, size_t a, size_t b);
enum sb_err	 geno_route_any(struct lay *L, size_t tie,
		    enum geno_line_kind kind, size_t a, size_t b) SB_MUST;
bool		 geno_couple_drop(const struct lay *L, size_t tie,
		    struct spt *out);
enum sb_err	 geno_families(struct lay *L, size_t *unit_of) SB_MUST;
enum sb_err	 geno_tie_lines(struct lay *L, enum pass pass,
		    const size_t *unit_of) SB_MUST;
enum sb_err	 geno_finish(struct lay *L, const size_t *unit_of) SB_MUST;

#endif

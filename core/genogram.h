/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * genogram.h - the relationship map's geometry: where each person of a
 * history goes, how big their symbol and label are, and the path of every
 * line, so that the map (render/history_svg.c) only draws and the layout
 * tests can check what a reader will see.  Pure geometry: no drawing.
 *
 * Rows are generations (parents above children, partners and siblings on
 * one row).  Each child hangs from the couple (or single parent) it was
 * born to or adopted by, on a sibling line of that couple's own; twins
 * from one point.  Step and foster lines come from the step- or foster
 * parent's couple, in their own line type.  Partners sit beside each
 * other.  Emotional lines leave a symbol at its side, run down through the
 * free space between people and along their own lanes between the rows,
 * so they never pass through a symbol or a label; the route with the
 * fewest crossings is taken; genogram_check() counts those left.
 *
 * Ownership: a struct genogram owns its nodes, lines and outlines;
 * genogram_free() releases them.  Names stay in the history: a node holds
 * byte ranges of its person's name.
 */
#ifndef SB_GENOGRAM_H
#define SB_GENOGRAM_H

#include "core/history.h"

#define GENO_R		20.0	/* half a symbol's side */
#define GENO_NAME_PX	14.0	/* the name's font size */
#define GENO_TEXT_PX	12.0	/* every other text: the smallest */
#define GENO_LINE	16.0	/* a label line */
/* A line's baseline above its foot: DejaVu's ascent (0.93 em) of a
 * name stays inside the line. */
#define GENO_BASELINE	2.5
#define GENO_LABEL_W	172.0	/* the widest a label line may be */
#define GENO_GAP	28.0	/* free space between two people's boxes */
#define GENO_MARGIN	40.0

/* A symbol's shape, from the gender as the client describes it. */
enum geno_shape { GENO_SQUARE, GENO_CIRCLE, GENO_DIAMOND };

struct geno_box {
	double		 x0, y0, x1, y1;
};

struct geno_pt {
	double		 x, y;
};

struct geno_node {
	size_t		 person;	/* index into history.people */
	int		 row;		/* 0 = the oldest generation shown */
	double		 x, y;		/* the symbol's centre */
	enum geno_shape	 shape;
	double		 half;		/* half the width of symbol or label */
	struct geno_box	 sym, label;	/* what may not be overlapped */
	/*
	 * The name on one or two lines: bytes [from, to) of the person's
	 * name; cut: the second line was too long and ends in an ellipsis
	 * (the full name is in the title and the text beside the map).
	 */
	size_t		 name_from[2], name_to[2];
	int		 name_lines;
	bool		 name_cut;
	/* The lines under the name: dates, role, ECR-RS. */
	bool		 has_dates, has_role, has_ecr;
	size_t		 role_chars;	/* the role cut to this many */
	size_t		 household;	/* its outline's; SIZE_MAX: none */
};

enum geno_line_kind {
	GENO_COUPLE,		/* a couple tie */
	GENO_CHILD,		/* a parent tie: from the couple to the child */
	GENO_SIBLING,		/* siblings or twins without parents shown */
	GENO_TWIN_BAR,		/* identical twins: the bar between them */
	GENO_EMOTIONAL
};

struct geno_line {
	size_t		 tie;		/* index into history.ties */
	enum geno_line_kind kind;
	size_t		 group;		/* lines of one family share a group */
	struct geno_pt	*pts;		/* from the tie's a towards its b */
	size_t		 npts;
	struct geno_pt	 mid;		/* slashes, dates, cut-off marks */
};

/* Who lives with whom: one outline per run of a household in a row. */
struct geno_outline {
	size_t		 household;	/* 0, 1, ...: which household */
	struct geno_box	 box;
};

struct genogram {
	struct geno_node *nodes;	/* one per person, in people order */
	size_t		  n;
	int		  rows;
	double		  width, height;
	struct geno_line *lines;
	size_t		  nlines;
	size_t		 *tie_line;	/* per tie: its line, or SIZE_MAX */
	struct geno_outline *outlines;
	size_t		  noutlines, households;
};

/* Lays out h; g owns what it holds (genogram_free). */
enum sb_err	 genogram_layout(const struct history *h, struct genogram *g)
		    SB_MUST;
void		 genogram_free(struct genogram *);

enum geno_shape	 genogram_shape(const char *gender);

/*
 * What a reader would stumble on: symbols or labels that overlap, lines
 * through a symbol or label that is not one of the line's own people (an
 * outline through one of another household), and crossings.  what names
 * the first problem found ("line 3 (Mother - Jonah: cut-off) passes
 * through Father's label"); empty when there is none.
 */
struct geno_check {
	size_t		 overlaps, through, crossings;
	char		 what[256];
};
void		 genogram_check(const struct history *, const struct genogram *,
		    struct geno_check *);

#endif

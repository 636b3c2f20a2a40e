/*
 * genogram.h - where each person of a history goes on the relationship
 * map: rows by generation (parents above children, partners and siblings
 * on one row), order within a row by parents' position, then birth year,
 * with partners beside each other.  Pure geometry, no drawing: the map
 * (web/history_svg.c) draws at these places, and the layout tests check
 * them.
 *
 * Every person gets one slot GENO_SLOT wide in their row, and slots never
 * overlap, so neither do symbols or the labels drawn inside the slots.
 */
#ifndef SB_GENOGRAM_H
#define SB_GENOGRAM_H

#include "core/history.h"

#define GENO_SLOT	120.0	/* width of one person's slot */
#define GENO_ROW	170.0	/* height of one generation's row */
#define GENO_MARGIN	70.0

struct geno_node {
	size_t		 person;	/* index into history.people */
	int		 row;		/* 0 = the oldest generation shown */
	double		 x, y;		/* the symbol's centre */
};

struct genogram {
	struct geno_node *nodes;	/* one per person, in people order */
	size_t		  n;
	int		  rows;
	double		  width, height;
};

/* Lays out h; g owns its nodes (genogram_free). */
enum sb_err	 genogram_layout(const struct history *h, struct genogram *g);
void		 genogram_free(struct genogram *);

#endif

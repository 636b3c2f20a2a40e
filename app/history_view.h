/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * history_view.h - a client's attachment history as its pictures show
 * it, gathered in one read: the history, its map's layout and patterns,
 * and the therapy's dated marks for the lifeline.  render/history_page.h
 * writes it; the edit forms around it are web/pages_history.c's.
 *
 * Ownership: history_view_free() frees all of it.
 */
#ifndef SB_APP_HISTORY_VIEW_H
#define SB_APP_HISTORY_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/genogram.h"
#include "core/history.h"
#include "app/registry.h"
#include "store/store.h"

/* The most marks a lifeline shows. */
#define MARKS_MAX	4096

/* One dated mark of the therapy: a session, or a measure's score. */
struct lifeline_mark {
	char		 date[11];	/* YYYY-MM-DD */
	char		 series[64];	/* "session", or a measure's name */
	double		 value;		/* the score (measures) */
};

/* Marks gathered from store_marks_each(): at most max in v. */
struct lifeline_marks {
	struct lifeline_mark	*v;
	size_t			 n, max;
};

/* store_marks_each()'s callback: keeps a mark (arg: lifeline_marks). */
enum sb_err	 lifeline_mark_keep(void *arg, const struct store_mark *)
		    SB_MUST;
/* Each mark's series in the words a person reads: "PHQ-9", "ECR-RS
 * Attachment anxiety (mother)", not the ids the store keeps ("phq9",
 * "ecr-rs mother.anxiety"); an instrument not loaded keeps its id. */
void		 lifeline_marks_name(struct lifeline_marks *,
		    const struct registry *);

struct history_view {
	struct history		 h;
	bool			 laid;		/* false: no map (see h) */
	struct genogram		 g;
	struct buf		 facts;		/* the patterns, one a line */
	bool			 facts_ok;
	struct lifeline_marks	 marks;		/* n 0 when unread */
	/* What could not be gathered, for a reader that must not go on
	 * without it (the report): the layout's error (SB_OK: laid or no
	 * map to lay), and whether the marks were read. */
	enum sb_err		 layout;
	bool			 marks_ok;
};

/*
 * The client's history and the therapy's marks.  A history that cannot
 * be read is the error; a map that cannot be laid out, patterns that
 * cannot be counted or marks that cannot be read leave the view without
 * them (laid, facts_ok false; no marks), as the page then says.
 */
enum sb_err	 history_view_build(struct store *, const struct registry *,
		    int64_t client,
		    struct history_view *) SB_MUST;
void		 history_view_free(struct history_view *);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * narrative_view.h - one narrative as its page shows it, gathered in one
 * read: the prompt's words, the newest drafts, the one chosen (?v=) with
 * its indicators counted, and the indicator to mark alone (?show=).
 * render/narrative_page.h writes it; the form for a new draft is
 * web/pages_narrative.c's.
 *
 * Ownership: narrative_view_free() wipes and frees the drafts' texts and
 * the analysis.
 */
#ifndef SB_APP_NARRATIVE_VIEW_H
#define SB_APP_NARRATIVE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/narrative.h"
#include "store/store.h"

#define DRAFTS_SHOWN	64

struct draft_copy {
	int		 version;
	char		 created[24], author[12];
	char		*text;
};

struct drafts {
	struct draft_copy d[DRAFTS_SHOWN];
	size_t		 n;
	size_t		 skipped;	/* older drafts beyond DRAFTS_SHOWN */
};

struct narrative_view {
	const struct lexicon	*lex;
	const char		*prompt;	/* the caller's */
	struct drafts		 ds;		/* oldest first */
	size_t			 sel;		/* the draft shown */
	int			 only;		/* an indicator alone, or -1 */
	bool			 analysed;	/* res is sel's */
	struct narr_result	 res;
	char			 base[128];	/* the page's address */
	int64_t			 now;		/* the page's time */
};

/*
 * The narrative of key (a prompt of the practice, whose words are
 * prompt) for client: v the draft asked for (NULL: the newest), show an
 * indicator's id to mark alone (NULL: all).  An error: the drafts could
 * not be read (the client is not one the user may read, or the store).
 */
enum sb_err	 narrative_view_build(struct store *, const struct lexicon *,
		    int64_t client, const char *key, const char *prompt,
		    const char *v, const char *show, struct narrative_view *)
		    SB_MUST;
void		 narrative_view_free(struct narrative_view *);

#endif

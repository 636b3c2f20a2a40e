/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * patterns.h - facts drawn from an attachment history for the
 * "patterns" panel: which figures carry the highest avoidance and
 * anxiety, which losses and separations came before age 10, in which
 * generations cut-offs, separations and hostile ties occur.  Statements
 * of what the data hold, never interpretations: the software counts, the
 * therapist and client make sense of it.
 */
#ifndef SB_PATTERNS_H
#define SB_PATTERNS_H

#include "core/buf.h"
#include "core/genogram.h"
#include "core/history.h"

/* One fact per line into out; generations from g (row 0 = "1"). */
enum sb_err	 history_patterns(const struct history *,
		    const struct genogram *g, struct buf *out) SB_MUST;

/*
 * What changed from history a ("at intake") to b ("month 6"), one line
 * each: "+ person Aunt May", "- tie Mother \u2013 Client (close)",
 * "+ event loss, age 41".  People are matched by name (ids change on an
 * import), ties by the names of their two people and their type, events
 * by category and date or age.  "No change." when there is none.
 */
enum sb_err	 history_compare(const struct history *a,
		    const struct history *b, struct buf *out) SB_MUST;

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * alliance.h - the alliance watched.  In attachment-based therapy the
 * working alliance is the secure base the work stands on, so a rupture
 * is worth a look before it ends the therapy.  After each WAI-SR the
 * total and the Bond scale are compared with the client's own readings:
 *
 *   - below the client's first reading of that scale (the alliance is
 *     weaker than when the work began); or
 *   - lower than the previous reading by more than a reliable change,
 *     1.96 x SD x sqrt(2 (1 - r)) (Jacobson & Truax 1991).
 *
 * No published SD of WAI-SR scores could be checked, so SD is the
 * spread of the first WAI-SR of each of the practice's completed
 * episodes, once ALLIANCE_MIN_EPISODES of them have one; r is .80, the
 * lower bound Munder et al. (2010) report for every WAI-SR scale in two
 * samples (a lower r makes the threshold larger, so it errs toward fewer
 * alerts).  Until then only the first rule applies.  The alert is the
 * therapist's: a client never sees it.
 */
#ifndef SB_APP_ALLIANCE_H
#define SB_APP_ALLIANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/score.h"
#include "store/store.h"

#define ALLIANCE_RELIABILITY	0.80
#define ALLIANCE_MIN_EPISODES	20

/* Is instrument one the alliance rule watches (WAI-SR)? */
bool		 alliance_measure(const char *instrument);
/*
 * The client's previous administration's scores, before this one is
 * stored; *have false when there is none.
 */
enum sb_err	 alliance_previous(struct store *, const struct score_plan *,
		    int64_t client, double *prev, bool *prev_ok, bool *have)
		    SB_MUST;
/*
 * After administration admin with scores v/ok is stored: raises the
 * alliance-drop alert for each watched scale that fell (once per scale
 * while unresolved), counting them in *n.
 */
enum sb_err	 alliance_raise(struct store *, const struct score_plan *,
		    int64_t client, int64_t admin, const double *v,
		    const bool *ok, const double *prev, const bool *prev_ok,
		    bool have_prev, int *n) SB_MUST;

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * outcomes.h - gathers the practice's outcomes (core/outcomes.h) from the
 * store: each client's first and last administration of each instrument,
 * under the therapist who holds the client.  Used by the outcomes page
 * and `securebase outcomes`.
 */
#ifndef SB_APP_OUTCOMES_H
#define SB_APP_OUTCOMES_H

#include "app/registry.h"
#include "core/outcomes.h"
#include "store/store.h"

enum sb_err	 outcomes_collect(struct store *, const struct registry *,
		    struct outcomes *) SB_MUST;

#endif

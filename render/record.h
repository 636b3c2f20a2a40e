/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * record.h - one client's whole record as plain text, the form of
 * `securebase client show` and of the record on the client page:
 *
 *	Client 1: Ada Example
 *	Therapist: anna
 *	Since: 2026-11-27T10:00:00Z
 *	People:
 *	  3<TAB>Mother<TAB>mother<TAB>female<TAB>1950
 *	...
 *
 * For people to read; nothing parses it back.
 */
#ifndef SB_RENDER_RECORD_H
#define SB_RENDER_RECORD_H

#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

/* The section's heading ("Alert history"). */
const char	*record_section_title(enum store_section);
/*
 * Appends the record of the client to out (a store read, audited); with
 * name not NULL, *name is a copy of the client's name for a title (the
 * caller's to wipe and free).
 */
enum sb_err	 record_text(struct store *, int64_t client, struct buf *out,
		    char **name) SB_MUST;

#endif

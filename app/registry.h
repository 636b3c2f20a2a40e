/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * registry.h - the instruments this installation knows, and whether each
 * may be administered.
 *
 * The shipped definitions are built into the binary; a directory given
 * with --instruments (or SECUREBASE_INSTRUMENTS) adds definitions or
 * replaces a shipped one with the same id, with no recompile.  An
 * instrument whose licence needs permission is loaded disabled until a
 * permission is recorded for it in the licences file (--licences or
 * SECUREBASE_LICENCES): one line per permission,
 *
 *	ID <tab> YYYY-MM-DD <tab> recorded by <tab> reference
 *
 * Disabled instruments can still score existing data; they cannot be
 * administered.
 *
 * Ownership: registry_load() fills a struct the caller frees with
 * registry_free().
 */
#ifndef SB_REGISTRY_H
#define SB_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/instrument.h"

#define REGISTRY_MAX		256
#define LICENCES_MAX_FILE	(1024 * 1024)

struct reg_entry {
	struct instrument	*in;
	bool			 enabled;
	bool			 builtin;
	char			*permission;	/* as recorded, or NULL */
};

struct registry {
	struct reg_entry	*v;
	size_t			 n;
};

/*
 * Loads the built-in instruments, then those in dir (may be NULL), then the
 * permissions in licences (may be NULL or absent).  A definition file that
 * does not parse is skipped with its errors appended to warnings; so is a
 * malformed licences line.  Returns SB_OK unless memory or a directory read
 * fails (message in warnings).
 */
enum sb_err	 registry_load(struct registry *, const char *dir,
		    const char *licences, struct buf *warnings) SB_MUST;
void		 registry_free(struct registry *);
const struct reg_entry *registry_find(const struct registry *,
		    const char *id);

/* Records a permission already known (from the practice database). */
enum sb_err	 registry_set_permission(struct registry *, const char *id,
		    const char *text) SB_MUST;

/* Appends a permission line for id to the licences file. */
enum sb_err	 registry_permit(const char *licences, const char *id,
		    const char *by, const char *reference, char *err,
		    size_t errsz) SB_MUST;

#endif

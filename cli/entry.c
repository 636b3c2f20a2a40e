/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * entry.c - what person, relationship and event (the entries of a
 * client's history) share: optional options, the verb and id, the
 * history as it stands.  See cli.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "core/text.h"

/*
 * Parses an optional whole number option within [lo, hi]; "" (an edit
 * clearing the field) gives empty.
 */
bool
opt_int(const char *s, long lo, long hi, int *out, int empty)
{
	long	 v;

	if (s == NULL)
		return true;
	if (s[0] == '\0') {
		*out = empty;
		return true;
	}
	if (!text_int(s, strlen(s), &v) || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* An option given to an edit replaces the value; "" clears it. */
const char *
opt_text(const char *given, const char *current)
{
	if (given == NULL)
		return current;
	return given[0] == '\0' ? NULL : given;
}

/*
 * "add", "edit ID" or "remove ID" of the person, relationship and event
 * commands: *id is the entry for edit and remove.
 */
int
entry_verb(const char *cmd, const char **pos, size_t npos, int64_t *id)
{
	if (strcmp(pos[0], "add") == 0 && npos == 1)
		return 'a';
	if ((strcmp(pos[0], "edit") == 0 || strcmp(pos[0], "remove") == 0) &&
	    npos == 2 && cli_id(pos[1], id))
		return pos[0][0];
	usage_error(cmd, "%s add, %s edit ID or %s remove ID", cmd, cmd, cmd);
	return 0;
}

/* An edit of an entry the client's history does not hold: said here,
 * since the store was not asked. */
enum sb_err
missing_entry(const char *what, int64_t id)
{
	fprintf(stderr, "securebase %s: no %s %lld in this client's "
	    "history\n", what, what, (long long)id);
	return SB_ENOENT;
}

/* The client's history, for an edit to start from. */
enum sb_err
entry_current(struct store *s, int64_t cid, struct history *h)
{
	return store_history_read(s, cid, h);
}

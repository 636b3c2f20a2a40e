/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_record.h - what the client page (pages_client.c) and its record
 * (pages_record.c) share: the record read for the page, a refused form,
 * and the side tables and forms it draws.
 */
#ifndef SB_WEB_PAGES_RECORD_H
#define SB_WEB_PAGES_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "render/html.h"
#include "store/store.h"
#include "web/web_int.h"

/* The record's side tables, kept to be shown newest first. */
struct record_view {
	char		*name;			/* sealed: wiped */
	char		 therapist[STORE_MAX_DISPLAY + 1];
	char		 since[24];
	struct html_rows	 sessions, notes, episodes, consents, cases;
	struct buf	 row;			/* the row being made */
	int64_t		 open_episode;		/* or 0 */
	struct html_rows	 in_force;	/* consents: <option>s */
};

/* What the therapist had typed into a refused form, and why it was
 * refused, for the client page shown again (NULL: none). */
struct refused {
	const char	*form;		/* "session" or "note" */
	const char	*field;		/* the field at fault */
	const char	*why;
};

/* The side tables of the record. */
enum side_table { SIDE_SESSIONS, SIDE_NOTES, SIDE_EPISODES, SIDE_CONSENTS,
    SIDE_CASES };

/* store_client_record()'s callbacks, into a record_view. */
enum sb_err	 rv_head(void *, const struct store_client_head *) SB_MUST;
enum sb_err	 rv_row(void *, const struct store_record_row *) SB_MUST;
void		 record_view_free(struct record_view *);
/* A table of kept rows (newest first), or its empty words. */
void		 rows_table(struct req *, const struct html_rows *,
		    enum side_table, const char *empty);
/* The forms; the refused one (or NULL) refilled. */
void		 session_form(struct req *, int64_t client,
		    const struct refused *);
void		 note_form(struct req *, int64_t client,
		    const struct refused *);
void		 episode_form(struct req *, int64_t client,
		    const struct record_view *, const struct refused *);
void		 consent_forms(struct req *, int64_t client,
		    const struct record_view *, const struct refused *);
/* Came the page from "Add session" or "Add note" (?add=what)? */
bool		 asked_to_add(struct req *, const char *what);
/* A form field's value as typed, when this form was the refused one. */
const char	*typed(struct req *, const struct refused *, const char *form,
		    const char *name);

#endif

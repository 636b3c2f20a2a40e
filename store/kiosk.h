/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * kiosk.h - the waiting room's tablet (issue 35).  A therapist queues a
 * questionnaire for a client's appointment today and gives the client
 * a four-digit code; the tablet, signed in as a kiosk (a role that reads
 * no record), lists only the first names of the day's queue; a client
 * picks theirs, types the code, and the questionnaire opens.  Three wrong
 * codes close that entry.  Everything is audited.
 */
#ifndef SB_STORE_KIOSK_H
#define SB_STORE_KIOSK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/web.h"

#define KIOSK_CODE	4	/* digits */
#define KIOSK_TRIES	3	/* wrong codes before an entry closes */

/*
 * Queues instrument for client for the day of now (UTC: the queue's
 * days) as the acting therapist: a link answered on the tablet
 * (in-session), valid a day, and its code into code (shown to the
 * therapist to give the client; kept sealed).  *id: the queue's entry.
 */
enum sb_err	 store_kiosk_queue(struct store *, int64_t client,
		    const char *instrument, int64_t now,
		    char code[KIOSK_CODE + 1], int64_t *id) SB_MUST;

/* An entry of the day's queue, as the tablet shows it: the client's
 * first name and the first letter of their last (to tell two apart). */
struct store_kiosk_entry {
	int64_t		 id;
	char		 first[64], initial[8];
};
/* The kiosk's list for the day of now: entries not opened nor closed
 * (the acting user a kiosk; audited as one read of first names). */
enum sb_err	 store_kiosk_each(struct store *, int64_t now,
		    enum sb_err (*fn)(void *, const struct store_kiosk_entry *),
		    void *arg) SB_MUST;

/* An entry of a client's queue, as their therapist sees it. */
struct store_kiosk_queued {
	int64_t		 id;
	char		 instrument[64], day[11], code[KIOSK_CODE + 1];
	int		 tries;
	bool		 opened;
};
/* The client's entries of the day of now (read access; audited). */
enum sb_err	 store_kiosk_client(struct store *, int64_t client,
		    int64_t now,
		    enum sb_err (*fn)(void *, const struct store_kiosk_queued *),
		    void *arg) SB_MUST;

/*
 * The kiosk's try at entry id with code, at now: the right code marks
 * it opened and gives the link's token; a wrong one counts (*left: the
 * tries left, 0 closed) and is SB_EINVAL; an entry not waiting today is
 * SB_ENOENT.
 */
enum sb_err	 store_kiosk_open(struct store *, int64_t id, const char *code,
		    int64_t now, char token[TOKEN_HEX + 1], int *left) SB_MUST;

/* Was link queued for the tablet (its pages then lead back to it)? */
enum sb_err	 store_link_kiosk(struct store *, int64_t link, bool *kiosk)
		    SB_MUST;

#endif

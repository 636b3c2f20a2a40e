/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web.h - what the web application keeps in the practice database: login
 * sessions and client questionnaire links.
 *
 * Tokens are 256 random bits given to the browser (hex) and stored only as
 * their BLAKE2b hash, so the database alone opens nothing.  A session ends
 * after 30 idle minutes or 12 hours in all (OWASP ASVS 4.0 3.3.2, level
 * 2: 30 minutes leaves time to write up a session); a link after
 * its expiry or its one completed administration.
 */
#ifndef SB_WEB_STORE_H
#define SB_WEB_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define TOKEN_HEX	64		/* 32 bytes as hex */
#define SESSION_IDLE	(30 * 60)
#define SESSION_MAX	(12 * 60 * 60)
#define LOGIN_WINDOW	(15 * 60)	/* back-off counts failures this long */
#define LOGIN_FREE	5		/* failures before back-off starts */
#define LOGIN_ADDRESS_FREE 30		/* from one address, any names */

/*
 * Checks the password, and the TOTP code when the user has a second
 * factor (code may be NULL otherwise), and opens a session: token out.
 *
 * Each attempt is counted before the password is hashed, in the
 * transaction that checks the count, so parallel guesses cannot slip past
 * the back-off.  The count is per (name, client address), so that a
 * stranger elsewhere cannot lock a therapist out, and per address (any
 * name).  *wait_seconds > 0: refused until then.  A failure is audited
 * with the name only when it is a user's name, else "(invalid name)".
 * SB_ENOMEM or SB_EIO: the server could not check (not counted, audited
 * as "login-error"); SB_EPERM: refused.
 */
enum sb_err	 store_login(struct store *, const char *user,
		    const char *password, const char *code, const char *from,
		    int64_t now, char token[TOKEN_HEX + 1], int *wait_seconds)
		    SB_MUST;
/*
 * store_login in its two steps, so that the web application checks the
 * back-off and counts the attempt before it waits for a turn to hash
 * (a flood is refused without taking one): the claim (*attempt, or
 * *wait_seconds > 0 and SB_EPERM; *address_wait_seconds is the part
 * owed by the address, whatever the name), then the password, code and
 * session.
 * An attempt claimed and never checked (no turn) stays counted.
 */
enum sb_err	 store_login_claim(struct store *, const char *user,
		    const char *from, int64_t now, int64_t *attempt,
		    int *wait_seconds, int *address_wait_seconds) SB_MUST;
enum sb_err	 store_login_claimed(struct store *, int64_t attempt,
		    const char *user, const char *password, const char *code,
		    const char *from, int64_t now, char token[TOKEN_HEX + 1])
		    SB_MUST;
/*
 * The acting user's current password, asked again before a change to
 * their password or second factor: counted in their back-off as a
 * sign-in from that address is (*wait_seconds > 0: refused, SB_EPERM),
 * audited ("reauth", "reauth-failed"), and after LOGIN_FREE failures
 * the session itself is ended (*ended, audited "session-ended").
 */
enum sb_err	 store_reauth(struct store *, const char *password,
		    const char *from, int64_t now, int *wait_seconds,
		    bool *ended) SB_MUST;
/* Finds a live session and makes its user the actor; refreshes it. */
enum sb_err	 store_session(struct store *, const char *token, int64_t now,
		    char csrf[TOKEN_HEX + 1]) SB_MUST;
enum sb_err	 store_logout(struct store *, const char *token) SB_MUST;

/* One live session of the acting user, as their account page lists it. */
struct store_session_info {
	int64_t		 id;		/* to end it by */
	int64_t		 created, last_seen;
	char		 address[64];	/* where it was opened from */
	bool		 current;	/* the session making the request */
};
/* Calls fn for each live session of the acting user, newest use first. */
enum sb_err	 store_session_each(struct store *, int64_t now,
		    enum sb_err (*fn)(void *, const struct store_session_info *),
		    void *arg) SB_MUST;
/*
 * Ends one of the acting user's own sessions (SB_ENOENT for anyone
 * else's), or with id 0 all of them but the current one; audited.
 */
enum sb_err	 store_session_end(struct store *, int64_t id) SB_MUST;
/* The id of the session store_session() found for this request, or 0. */
int64_t		 store_session_current(const struct store *);

struct store_link {
	int64_t		 id, client, administration;
	char		 instrument[64];
	char		*answers;	/* the caller frees */
	int64_t		 expires;
	int64_t		 created_by;
	char		 mode[16];	/* "link" or "in-session" */
	bool		 done;		/* a narrative link, finished */
};
/*
 * A new link for the acting therapist's client, valid for days; mode is
 * "link" (sent to the client) or "in-session" (answered on a device in
 * the session).
 */
enum sb_err	 store_link_create(struct store *, int64_t client,
		    const char *instrument, const char *mode, int days,
		    int64_t now, char token[TOKEN_HEX + 1], int64_t *id)
		    SB_MUST;
/*
 * The link of a token, if it exists and has not expired; acts as the
 * therapist who made it so that what the client does is stored and
 * audited on their caseload.  SB_ENOENT for unknown or expired.
 */
enum sb_err	 store_link_open(struct store *, const char *token,
		    int64_t now, struct store_link *) SB_MUST;
/* Saves the answers given so far (autosave); SB_EPERM once complete. */
/*
 * Counts one POST through the link of token in minute (Unix time / 60),
 * on the link's row, so that every node over one PostgreSQL database
 * counts the same: *ok false when it is more than limit in that minute.
 * A token of no link is let through (the link's lookup refuses it), and
 * so is every post to a file practice, which one node serves (its own
 * count in memory is the whole count).
 */
enum sb_err	 store_link_post(struct store *, const char *token,
		    int64_t minute, int limit, bool *ok) SB_MUST;
enum sb_err	 store_link_save(struct store *, int64_t link,
		    const char *answers) SB_MUST;
/* Marks a narrative link finished by the client. */
enum sb_err	 store_link_finish(struct store *, int64_t link) SB_MUST;
/* One link of a client, as its therapist sees it. */
struct store_link_row {
	int64_t		 id;
	char		 instrument[64], mode[16], by[64];
	int64_t		 created, expires;
	/* "sent", "opened", "in progress", "finished", "expired" or
	 * "cancelled", at now. */
	const char	*state;
};
/* Calls fn for each link of the client, newest first (audited read). */
enum sb_err	 store_link_each(struct store *, int64_t client, int64_t now,
		    enum sb_err (*fn)(void *, const struct store_link_row *),
		    void *arg) SB_MUST;
/* Withdraws a link not yet finished: it opens no more.  SB_ENOENT for a
 * link not of this client, SB_EINVAL when it is finished or withdrawn,
 * SB_EPERM for a client not on the actor's caseload. */
enum sb_err	 store_link_cancel(struct store *, int64_t client,
		    int64_t link, int64_t now) SB_MUST;
/*
 * Sends a link again: the old one is withdrawn and a new one, valid for
 * days, carries the answers given so far (the token of the old one is
 * known to nobody, so it cannot be shown again); instrument gets what
 * it asks.
 */
enum sb_err	 store_link_renew(struct store *, int64_t client, int64_t link,
		    int days, int64_t now, char token[TOKEN_HEX + 1],
		    char instrument[64], int64_t *id) SB_MUST;
/* Marks the link used by the stored administration; SB_EPERM when it
 * already was (a second submission). */
enum sb_err	 store_link_done(struct store *, int64_t link,
		    int64_t administration) SB_MUST;

/*
 * ---- the client's own progress page (store/progress.c) ----
 *
 * One standing link per client, made by their therapist; making it anew
 * revokes the old one.  Opening it acts as the client's therapist, so
 * that what the page reads is audited on their caseload.
 */
enum sb_err	 store_progress_link(struct store *, int64_t client,
		    int64_t now, char token[TOKEN_HEX + 1]) SB_MUST;
/* SB_ENOENT when there is no link in force. */
enum sb_err	 store_progress_revoke(struct store *, int64_t client,
		    int64_t now) SB_MUST;
/* *created: when the link in force was made, or 0 for none. */
enum sb_err	 store_progress_state(struct store *, int64_t client,
		    int64_t *created) SB_MUST;
/* The client of a token in force; SB_ENOENT for any other token. */
enum sb_err	 store_progress_open(struct store *, const char *token,
		    int64_t *client) SB_MUST;
/* Shows or hides a measure on the page (the therapist's choice). */
enum sb_err	 store_progress_show(struct store *, int64_t client,
		    const char *instrument, bool shown) SB_MUST;
/* Calls fn for each measure the therapist chose to show or hide. */
enum sb_err	 store_progress_choices(struct store *, int64_t client,
		    enum sb_err (*fn)(void *, const char *instrument,
		    bool shown), void *arg) SB_MUST;

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notify.h - sending the outbox: alert notifications by mail through
 * libcurl's SMTP (STARTTLS or TLS, with authentication).  Used by the
 * sender thread of `securebase serve` and by `securebase notify send`.
 *
 * A message to a therapist says only that an alert needs attention, with
 * a link to it: no client name, no instrument, no answer.  A message to a
 * client (a plan's send or its reminder) carries the practice's name,
 * the therapist's (unless the practice hides it) and the link: no
 * measure's name, nothing clinical.  Each is composed when it is sent; a
 * client's is dropped when its link can no longer be answered.
 */
#ifndef SB_NOTIFY_H
#define SB_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define NOTIFY_BATCH		16	/* messages claimed at once */
#define NOTIFY_LEASE		180	/* s a claimed message is left alone */
#define NOTIFY_TIMEOUT		60	/* s for one SMTP conversation */
#define NOTIFY_FIRST_RETRY	5	/* s; doubled per attempt */
#define NOTIFY_MAX_RETRY	900	/* s between attempts at most */
#define NOTIFY_MAX_ATTEMPTS	12	/* then a client's message has failed */

/* Where and how to send; strings are owned (wiped by notify_free). */
struct notify_config {
	char	*node;		/* this sender's name in the leases */
	char	*sms_url, *sms_user, *sms_password, *sms_from;	/* Kannel */
	char	*url;		/* smtp://host:port or smtps:// */
	char	*user, *password;
	char	*from;
	char	*ca;		/* CA file, or NULL: the system's */
	char	*origin;	/* for the link in the message */
	char	*practice;	/* practice-name, for a client's mail */
	bool	 hide_therapist;	/* show-therapist no */
	bool	 tls_none;	/* smtp-tls none: a local relay only */
};

/*
 * Reads the practice's settings; smtp, when not NULL, replaces the stored
 * one (serve --smtp); origin is used for links only when the practice has
 * no origin setting, so that every node's mail points at the same place.
 * node names this sender in the outbox's leases (NULL: none).
 * *configured is false when neither an SMTP URL nor an SMS gateway is
 * set: then nothing is sent.
 */
enum sb_err	 notify_load(struct store *, const char *smtp,
		    const char *origin, const char *node,
		    struct notify_config *, bool *configured, char *err,
		    size_t errsz) SB_MUST;
/* This machine's sender name for a role ("serve 127.0.0.1:8080"): the
 * same after a restart, so that the node takes back its own leases. */
void		 notify_node_name(const char *role, char *out, size_t outsz);
void		 notify_free(struct notify_config *);

struct notify_stats {
	size_t	 sent, failed, retry, dropped, escalated, reclaimed;
	bool	 held;		/* sending is held: nothing was sent */
};
/*
 * Sends every message due at now, one SMTP conversation or one request
 * to Kannel each, and records each outcome: sent; failed (a 5xx reply,
 * or for a client's message NOTIFY_MAX_ATTEMPTS tries); or queued again
 * after a back-off.  An alert's message is tried until it is sent or the
 * alert is handled (then dropped); one that failed for good is tried
 * again when the settings change.  Escalates first (store_escalate).
 */
enum sb_err	 notify_run(struct store *, const struct notify_config *,
		    int64_t now, struct notify_stats *) SB_MUST;

/* The back-off after the given number of attempts, in seconds. */
int64_t		 notify_backoff(int attempts);

#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * limits.c - the server's counters the pages consult: the login slots
 * and turns, the addresses told to wait, the posts per link a minute,
 * and whether this node still fits its database.  See web_int.h.
 */
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "web/web_int.h"

bool
login_slot_take(struct server *srv)
{
	bool	 ok;

	pthread_mutex_lock(&srv->lock);
	if ((ok = srv->logins < LOGIN_SLOTS))
		srv->logins++;
	pthread_mutex_unlock(&srv->lock);
	return ok;
}

void
login_slot_give(struct server *srv)
{
	pthread_mutex_lock(&srv->lock);
	srv->logins--;
	pthread_mutex_unlock(&srv->lock);
	pthread_cond_broadcast(&srv->turn_cv);
}

/* The waiting turn with the lowest ticket (the lock held), or NULL. */
static struct login_turn *
turn_first(struct server *srv)
{
	struct login_turn	*t = NULL;
	size_t			 i;

	for (i = 0; i < srv->nturns; i++)
		if (!srv->turns[i].hashing && (t == NULL ||
		    srv->turns[i].ticket < t->ticket))
			t = &srv->turns[i];
	return t;
}

static void
turn_drop(struct server *srv, uint64_t ticket)
{
	size_t	 i;

	for (i = 0; i < srv->nturns; i++)
		if (srv->turns[i].ticket == ticket) {
			srv->turns[i] = srv->turns[--srv->nturns];
			return;
		}
}

bool
login_turn_take(struct server *srv, const char *addr)
{
	struct login_turn	*t;
	struct timespec		 until;
	uint64_t		 ticket;
	size_t			 i;
	bool			 ok = false;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)(LOGIN_QUEUE_MS % 1000) * 1000000L;
	until.tv_sec += LOGIN_QUEUE_MS / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < srv->nturns; i++)
		if (strcmp(srv->turns[i].addr, addr) == 0)
			goto out;	/* one at a time from an address */
	if (srv->nturns == sizeof(srv->turns) / sizeof(srv->turns[0]))
		goto out;
	t = &srv->turns[srv->nturns++];
	snprintf(t->addr, sizeof(t->addr), "%s", addr);
	t->ticket = ticket = ++srv->next_ticket;
	t->hashing = false;
	for (;;) {
		if (srv->logins < LOGIN_SLOTS && (t = turn_first(srv)) !=
		    NULL && t->ticket == ticket) {
			t->hashing = true;
			srv->logins++;
			ok = true;
			break;
		}
		if (pthread_cond_timedwait(&srv->turn_cv, &srv->lock,
		    &until) != 0) {
			turn_drop(srv, ticket);
			break;
		}
	}
out:
	pthread_mutex_unlock(&srv->lock);
	/* The next in line may be one whose slot is free. */
	if (!ok)
		pthread_cond_broadcast(&srv->turn_cv);
	return ok;
}

void
login_turn_give(struct server *srv, const char *addr)
{
	size_t	 i;

	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < srv->nturns; i++)
		if (srv->turns[i].hashing && strcmp(srv->turns[i].addr,
		    addr) == 0) {
			srv->turns[i] = srv->turns[--srv->nturns];
			srv->logins--;
			break;
		}
	pthread_mutex_unlock(&srv->lock);
	pthread_cond_broadcast(&srv->turn_cv);
}

int
login_wait_known(struct server *srv, const char *addr, time_t now)
{
	size_t	 i;
	int	 w = 0;

	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < LOGIN_WAITS; i++)
		if (srv->waits[i].until > now && strcmp(srv->waits[i].addr,
		    addr) == 0) {
			w = (int)(srv->waits[i].until - now);
			break;
		}
	pthread_mutex_unlock(&srv->lock);
	return w;
}

void
login_wait_note(struct server *srv, const char *addr, time_t until)
{
	size_t	 i, slot = 0;

	pthread_mutex_lock(&srv->lock);
	/* Its own entry, else one that is over, else the soonest over. */
	for (i = 0; i < LOGIN_WAITS; i++) {
		if (strcmp(srv->waits[i].addr, addr) == 0) {
			slot = i;
			break;
		}
		if (srv->waits[i].until < srv->waits[slot].until)
			slot = i;
	}
	snprintf(srv->waits[slot].addr, sizeof(srv->waits[slot].addr), "%s",
	    addr);
	srv->waits[slot].until = until;
	pthread_mutex_unlock(&srv->lock);
}

bool
link_rate_ok(struct server *srv, const char *token)
{
	struct link_rate	*e = NULL;
	unsigned char		 tag[16];
	int64_t			 minute = clock_now() / 60;
	size_t			 i;
	bool			 ok = true;

	crypto_generichash(tag, sizeof(tag), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < LINK_RATE_SLOTS; i++) {
		if (srv->rates[i].minute == minute &&
		    memcmp(srv->rates[i].tag, tag, sizeof(tag)) == 0) {
			e = &srv->rates[i];
			break;
		}
		if (e == NULL && srv->rates[i].minute != minute)
			e = &srv->rates[i];	/* a free (stale) entry */
	}
	if (e == NULL)
		ok = false;	/* 512 links busy this very minute */
	else if (e->minute != minute || memcmp(e->tag, tag, sizeof(tag)) !=
	    0) {
		memcpy(e->tag, tag, sizeof(tag));
		e->minute = minute;
		e->n = 1;
	} else
		ok = ++e->n <= LINK_RATE;
	pthread_mutex_unlock(&srv->lock);
	return ok;
}

void
link_rate_give(struct server *srv, const char *token)
{
	unsigned char	 tag[16];
	int64_t		 minute = clock_now() / 60;
	size_t		 i;

	crypto_generichash(tag, sizeof(tag), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < LINK_RATE_SLOTS; i++)
		if (srv->rates[i].minute == minute && memcmp(srv->rates[i].tag,
		    tag, sizeof(tag)) == 0) {
			if (srv->rates[i].n > 0)
				srv->rates[i].n--;
			break;
		}
	pthread_mutex_unlock(&srv->lock);
}

bool
node_current(const struct req *r, int *seen)
{
	bool	 fits;

	pthread_mutex_lock(&r->srv->lock);
	*seen = r->srv->schema_seen;
	fits = !r->srv->guard_lost;
	pthread_mutex_unlock(&r->srv->lock);
	return fits && (*seen == 0 || r->s == NULL ||
	    *seen == store_schema_expected(r->s));
}

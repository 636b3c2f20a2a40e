/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * server.c - libmicrohttpd glue: limits, the request life cycle, the
 * store pool, security headers, and the page frame.  See web.h.
 */
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <curl/curl.h>

#include "core/clock.h"
#include "app/log.h"
#include "app/testclock.h"
#include "web/sandbox.h"
#include "app/notify.h"
#include "store/audit.h"
#include "store/rows.h"
#include "web/web_int.h"

/* Limits: see c-style-security.md section 3.3; set every one. */
#define CONN_LIMIT	256
#define PER_IP_PROXY	128	/* behind nginx, all come from its address */
#define PER_IP_DIRECT	32	/* reached directly: a few browsers */
#define CONN_TIMEOUT	30		/* seconds without a byte */
/*
 * Seconds for a whole request header, however slowly it trickles in (the
 * idle timeout above restarts with every byte): a connection still
 * sending its header then is cut, so that slow senders cannot keep the
 * connection slots from everyone else.
 */
#define HEADER_DEADLINE	10
#define CONN_MEMORY	(32 * 1024)	/* MHD zeroes it per request: keep it small */
#define POOL_THREADS	16
/*
 * Descriptors: what serve holds besides connections (stdio, the lock
 * file, the listening socket, syslog, MHD's inter-thread pipe, a mail
 * connection, the shared -shm, slack), and two (database and WAL) per
 * store handle.  The connection limit is what RLIMIT_NOFILE leaves, so
 * that MHD turns connections away at its limit (accepted and closed at
 * once) instead of meeting EMFILE, where it would spin on a listening
 * socket it cannot accept from.
 */
#define FDS_FIXED	24
#define FDS_PER_STORE	2
#define FDS_WANTED	4096	/* the soft limit is raised up to this */

/*
 * A ticker: a thread of its own that calls tick(arg) about once a second
 * until stopped.  Serve has two: the sender of notifications and the
 * watchman of the header deadline, apart so that a slow mail server
 * never delays the watchman.
 */
struct ticker {
	void			(*tick)(void *);
	void			*arg;
	pthread_t		 th;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	bool			 stop, started;
};

static void *
ticker_main(void *arg)
{
	struct ticker	*t = arg;
	struct timespec	 until;

	pthread_mutex_lock(&t->mu);
	while (!t->stop) {
		pthread_mutex_unlock(&t->mu);
		testclock_read();	/* a test build's clock, each round */
		t->tick(t->arg);
		pthread_mutex_lock(&t->mu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		if (!t->stop)
			(void)pthread_cond_timedwait(&t->cv, &t->mu, &until);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

static bool
ticker_start(struct ticker *t, void (*tick)(void *), void *arg)
{
	memset(t, 0, sizeof(*t));
	t->tick = tick;
	t->arg = arg;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	t->started = pthread_create(&t->th, NULL, ticker_main, t) == 0;
	return t->started;
}

static void
ticker_stop(struct ticker *t)
{
	if (t->started) {
		pthread_mutex_lock(&t->mu);
		t->stop = true;
		pthread_cond_signal(&t->cv);
		pthread_mutex_unlock(&t->mu);
		pthread_join(t->th, NULL);
	}
	pthread_cond_destroy(&t->cv);
	pthread_mutex_destroy(&t->mu);
}

/*
 * The audit trail's anchor, to the system log (the journal, under
 * systemd) and to standard error: a copy of the head kept where someone
 * who can write the database cannot reach, so that `audit verify
 * --anchor` can later show that no row was removed or rolled back.
 */
static void
anchor_now(struct store *s)
{
	struct audit_anchor	 a;
	char			 line[256];

	if (audit_anchor_take(s, &a) != SB_OK) {
		fprintf(stderr, "securebase serve: no audit anchor: %s\n",
		    store_errmsg(s));
		return;
	}
	audit_anchor_format(&a, line, sizeof(line));
	syslog(LOG_NOTICE, "%s", line);
	fprintf(stderr, "securebase serve: %s\n", line);
}

/*
 * The rows that decide access and safety, checked with each anchor: a
 * deleted alert is in no page anyone reads, so this is where it shows
 * (and on the administration page).
 */
static void
rows_now(struct store *s)
{
	struct rows_report	 r;
	const char		*p, *nl;

	if (rows_verify(s, &r) != SB_OK) {
		fprintf(stderr, "securebase serve: the sealed rows could not "
		    "be checked: %s\n", store_errmsg(s));
		return;
	}
	if (r.intact)
		return;
	for (p = r.what; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		syslog(LOG_ALERT, "sealed rows NOT INTACT: %.*s", (int)(nl -
		    p), p);
		fprintf(stderr, "securebase serve: sealed rows NOT INTACT: "
		    "%.*s\n", (int)(nl - p), p);
	}
}

/*
 * The sender, with a connection of its own: sends the outbox at every
 * tick (a message queued by a client's answer leaves within a second),
 * rereading the settings each time so that a change on the
 * administration page needs no restart; and writes the anchor.
 */
struct sender {
	const struct web_config	*cfg;
	struct server		*srv;		/* its counters (/metrics) */
	struct store		*s;
	bool			 told, told_plans, reclaimed, told_held;
	char			 node[256];	/* this node in the leases */
	time_t			 anchored;
	int64_t			 scheduled;	/* the scheduler's last round */
};

/* The scheduler's rounds, this far apart: a send due at 09:00 goes out
 * by 09:01, and plans are not read every second. */
#define SCHEDULE_EVERY	60

static void
sender_tick(void *arg)
{
	struct sender		*sd = arg;
	struct notify_config	 c;
	struct notify_stats	 st;
	char			 err[512];
	bool			 configured;
	int			 v;

	/* Counted refusals whose interval is over are said now. */
	log_tick();
	if (sd->s == NULL && store_open(sd->cfg->db, &sd->cfg->key, &sd->s,
	    err, sizeof(err)) != SB_OK)
		sd->s = NULL;
	if (sd->s == NULL)
		return;
	/* Nothing is sent or scheduled by a node whose release does not
	 * read the database's schema (an upgrade by another release). */
	if ((v = store_schema_version(sd->s)) > 0 &&
	    v != store_schema_expected(sd->s))
		return;
	if (!sd->reclaimed) {
		size_t	 n;

		/* What this node leased before it was killed is sent now,
		 * not when the lease would have ended. */
		if (store_outbox_reclaim(sd->s, sd->node, clock_now(), &n) ==
		    SB_OK) {
			sd->reclaimed = true;
			if (n > 0)
				fprintf(stderr, "securebase serve: %zu message%s "
				    "this node had claimed before it stopped: "
				    "sending now\n", n, n == 1 ? "" : "s");
		}
	}
	if (sd->cfg->anchor_minutes > 0 && (time_t)clock_now() - sd->anchored >=
	    (time_t)sd->cfg->anchor_minutes * 60) {
		anchor_now(sd->s);
		rows_now(sd->s);
		sd->anchored = (time_t)clock_now();
	}
	if (clock_now() - sd->scheduled >= SCHEDULE_EVERY) {
		struct store_schedule_stats	 ss;

		sd->scheduled = clock_now();
		if (store_schedule_run(sd->s, sd->scheduled, &ss) != SB_OK &&
		    !sd->told_plans) {
			/* Said once; the next round tries again. */
			fprintf(stderr, "securebase serve: the plans' sends: "
			    "%s\n", store_errmsg(sd->s));
			sd->told_plans = true;
		}
		/* Counted once it is over: a round seen in /metrics has
		 * made its sends (the tests wait on it). */
		pthread_mutex_lock(&sd->srv->lock);
		sd->srv->rounds++;
		pthread_mutex_unlock(&sd->srv->lock);
	}
	if (notify_load(sd->s, sd->cfg->smtp, sd->cfg->origin, sd->node, &c,
	    &configured, err, sizeof(err)) != SB_OK) {
		if (!sd->told) {
			/* Said once: nothing is sent until it is fixed. */
			fprintf(stderr, "securebase serve: not sending: %s\n",
			    err);
			sd->told = true;
		}
		return;
	}
	memset(&st, 0, sizeof(st));
	if (configured && notify_run(sd->s, &c, clock_now(), &st) != SB_OK) {
		if (!sd->told) {
			/* Said once: the outbox keeps the messages. */
			fprintf(stderr, "securebase serve: sending "
			    "notifications: %s\n", store_errmsg(sd->s));
			sd->told = true;
		}
	} else if (st.held && !sd->told_held) {
		/* Said once: the admin page offers the release. */
		fprintf(stderr, "securebase serve: sending is held (a "
		    "restored practice?): nothing is mailed until an admin "
		    "releases it (administration page, or securebase notify "
		    "release)\n");
		sd->told_held = true;
	} else if (!st.held)
		sd->told_held = false;
	notify_free(&c);
}

/* ---- descriptors and log lines as resources ---- */

struct limits {
	unsigned int	 threads, pool, conns;
	unsigned long	 nofile;
};

/* Sizes threads, the store pool and the connection limit to the
 * descriptors the process may have; false when too few for any use. */
static bool
plan_limits(struct limits *l, char *err, size_t errsz)
{
	struct rlimit	 rl;
	unsigned long	 base;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
	    && rl.rlim_cur < FDS_WANTED && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max <
		    FDS_WANTED ? rl.rlim_max : FDS_WANTED;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		rl.rlim_cur = 1024;
	l->nofile = rl.rlim_cur == RLIM_INFINITY ? FDS_WANTED :
	    (unsigned long)rl.rlim_cur;
	l->threads = POOL_THREADS;
	l->pool = POOL_MAX;
	if (l->nofile < 512) {		/* a tight limit: a small server */
		l->threads = 2;
		l->pool = 4;
	}
	/* Handles: those lent to requests (one per thread), the pool, the
	 * audit group's and the sender's. */
	base = FDS_FIXED + l->threads + FDS_PER_STORE * (l->threads +
	    l->pool + 2);
	if (l->nofile < base + 8) {
		snprintf(err, errsz, "only %lu file descriptors (ulimit -n); "
		    "serve needs at least %lu", l->nofile, base + 8);
		return false;
	}
	l->conns = l->nofile - base > CONN_LIMIT ? CONN_LIMIT :
	    (unsigned int)(l->nofile - base);
	return true;
}

/*
 * libmicrohttpd's own messages (a connection refused at the limit, a
 * failed accept), at most one a second: under attack or at a resource
 * limit they come thousands a second, and the log must not become the
 * outage.  The count of those left out is said with the next.
 */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
	static time_t		 last;
	static unsigned long	 dropped;
	char			 line[512];
	time_t			 now = (time_t)clock_now();

	(void)cls;
	pthread_mutex_lock(&mu);
	if (now == last) {
		dropped++;
		pthread_mutex_unlock(&mu);
		return;
	}
	last = now;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	if (dropped > 0)
		fprintf(stderr, "securebase serve: %s (and %lu more like it "
		    "left out)\n", line, dropped);
	else
		fprintf(stderr, "securebase serve: %s\n", line);
	dropped = 0;
	pthread_mutex_unlock(&mu);
}

/* ---- the header deadline ---- */

/*
 * Nearly at the connection limit: the connection that has waited longest
 * without a whole request header (never the newcomer) is cut, so that
 * idle or slow connections cannot keep a new request waiting in the
 * kernel's queue while the limit holds.  Called with srv->lock held.
 */
static void
evict_idlest(struct server *srv, const struct conn_watch *newcomer)
{
	struct conn_watch	*w, *old = NULL;

	for (w = srv->watch; w != NULL; w = w->next)
		if (w != newcomer && w->since != 0 && (old == NULL ||
		    w->since <= old->since))
			old = w;
	if (old != NULL) {
		(void)shutdown(old->fd, SHUT_RDWR);
		old->since = 0;
	}
}

static void
on_connection(void *cls, struct MHD_Connection *conn, void **ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct server			*srv = cls;
	struct conn_watch		*w;
	const union MHD_ConnectionInfo	*ci;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci == NULL || (w = calloc(1, sizeof(*w))) == NULL)
			return;		/* unwatched: the idle timeout stays */
		w->fd = ci->connect_fd;
		w->since = (time_t)clock_now();
		pthread_mutex_lock(&srv->lock);
		if ((w->next = srv->watch) != NULL)
			w->next->prev = w;
		srv->watch = w;
		if (++srv->nconn + 1 >= srv->conn_cap)
			evict_idlest(srv, w);
		pthread_mutex_unlock(&srv->lock);
		*ctx = w;
		return;
	}
	/* Closed: MHD closes the socket after this returns, so that the
	 * watchman never touches a number already given to another. */
	if ((w = *ctx) == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	if (w->prev != NULL)
		w->prev->next = w->next;
	else
		srv->watch = w->next;
	if (w->next != NULL)
		w->next->prev = w->prev;
	srv->nconn--;
	pthread_mutex_unlock(&srv->lock);
	free(w);
	*ctx = NULL;
}

/* A request of the connection has its header (since = 0), or is done and
 * the next one's clock starts (since = now). */
static void
header_clock(struct server *srv, struct MHD_Connection *conn, time_t since)
{
	const union MHD_ConnectionInfo	*ci;
	struct conn_watch		*w;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (w = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	w->since = since;
	pthread_mutex_unlock(&srv->lock);
}

/*
 * The watch, every second: cuts the connections whose header is overdue
 * (shutdown() makes MHD see the end of the stream and close the
 * connection itself), and stops the server when its database file is no
 * longer the one it opened: writes acknowledged from then on would be
 * lost with the old file.
 */
static void	 guard_keep(struct server *);

static void
watch_tick(void *arg)
{
	struct server		*srv = arg;
	struct conn_watch	*w;
	struct stat		 sb;
	time_t			 now = (time_t)clock_now();

	if (srv->db_file && !srv->db_gone && (stat(srv->cfg->db, &sb) == -1 ||
	    sb.st_dev != srv->db_dev || sb.st_ino != srv->db_ino)) {
		srv->db_gone = true;
		syslog(LOG_ERR, "%s was replaced or removed while serving; "
		    "stopping (restore with securebase serve stopped)",
		    srv->cfg->db);
		fprintf(stderr, "securebase serve: %s was replaced or removed "
		    "while serving; stopping (restore with securebase serve "
		    "stopped)\n", srv->cfg->db);
		(void)kill(getpid(), SIGTERM);
	}
	if (srv->watch_ticks++ % 5 == 0)
		guard_keep(srv);

	pthread_mutex_lock(&srv->lock);
	for (w = srv->watch; w != NULL; w = w->next)
		if (w->since != 0 && now - w->since >= HEADER_DEADLINE) {
			(void)shutdown(w->fd, SHUT_RDWR);
			w->since = 0;
		}
	pthread_mutex_unlock(&srv->lock);
}

/*
 * Does this node still fit the database?  A node of the old release
 * left running when another upgraded the practice must not write into a
 * schema it does not know, nor tell a balancer that it is well.  The
 * schema is read at most once a second; a read that fails is not a
 * verdict (the database away says so itself).
 */
static bool
node_fits(struct req *r)
{
	struct server	*srv = r->srv;
	struct timespec	 ts;
	bool		 ask, fits;
	int		 v, was;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&srv->lock);
	if ((ask = srv->schema_at != (int64_t)ts.tv_sec))
		srv->schema_at = (int64_t)ts.tv_sec;
	pthread_mutex_unlock(&srv->lock);
	if (ask && (v = store_schema_version(r->s)) > 0) {
		pthread_mutex_lock(&srv->lock);
		was = srv->schema_seen;
		srv->schema_seen = v;
		pthread_mutex_unlock(&srv->lock);
		if (v != was && v != store_schema_expected(r->s)) {
			syslog(LOG_ERR, "the database has schema %d and this "
			    "node reads %d: answering 503 until it is replaced "
			    "by the release that upgraded it", v,
			    store_schema_expected(r->s));
			fprintf(stderr, "securebase serve: the database has "
			    "schema %d and this node (%s) reads %d: answering "
			    "503 until it is replaced by the release that "
			    "upgraded it\n", v, SB_VERSION,
			    store_schema_expected(r->s));
		}
	}
	pthread_mutex_lock(&srv->lock);
	fits = !srv->guard_lost && (srv->schema_seen == 0 ||
	    srv->schema_seen == store_schema_expected(r->s));
	pthread_mutex_unlock(&srv->lock);
	return fits;
}

/* The practice's lock, held again after the database server dropped it
 * (store_lock_renew); every few seconds from the watch. */
static void
guard_keep(struct server *srv)
{
	char		 err[512];
	enum sb_err	 e;
	bool		 was;

	e = store_lock_renew(srv->cfg->guard, err, sizeof(err));
	if (e == SB_EIO)
		return;		/* away: the next tick tries again */
	pthread_mutex_lock(&srv->lock);
	was = srv->guard_lost;
	srv->guard_lost = e == SB_EBUSY;
	pthread_mutex_unlock(&srv->lock);
	if (e == SB_EBUSY && !was) {
		syslog(LOG_ERR, "%s; answering 503", err);
		fprintf(stderr, "securebase serve: %s; answering 503\n", err);
	}
}

static struct store *
pool_get(struct server *srv)
{
	struct store	*s = NULL;
	char		 err[512];

	pthread_mutex_lock(&srv->lock);
	if (srv->npool > 0)
		s = srv->pool[--srv->npool];
	pthread_mutex_unlock(&srv->lock);
	if (s == NULL) {
		if (store_open(srv->cfg->db, &srv->cfg->key, &s, err,
		    sizeof(err)) != SB_OK) {
			fprintf(stderr, "securebase serve: %s\n", err);
			return NULL;
		}
		pthread_mutex_lock(&srv->lock);
		srv->stores_open++;
		pthread_mutex_unlock(&srv->lock);
	}
	store_act_clear(s);
	return s;
}

static void
pool_put(struct server *srv, struct store *s)
{
	if (s == NULL)
		return;
	store_act_clear(s);
	pthread_mutex_lock(&srv->lock);
	if (srv->npool < srv->pool_cap) {
		srv->pool[srv->npool++] = s;
		s = NULL;
	} else
		srv->stores_open--;
	pthread_mutex_unlock(&srv->lock);
	store_close(s);
}

static void
security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'none'; style-src 'self'; img-src 'self'; "
	    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* same-origin, not no-referrer: with no-referrer browsers send
	 * "Origin: null" on our own form posts, which the CSRF check must
	 * refuse; nothing (not even a link token) leaves for other sites. */
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
}

/*
 * A server error, for the operator: the method and the path with its
 * ids (never a link's token, which opens a client's questionnaire).
 */
static void
log_request_error(const struct req *r)
{
	char	 status[16], path[96];

	snprintf(status, sizeof(status), "%d", r->status);
	if (strncmp(r->url, "/q/", 3) == 0 || strncmp(r->url, "/p/", 3) == 0)
		snprintf(path, sizeof(path), "%.3s(token)", r->url);
	else
		snprintf(path, sizeof(path), "%.90s", r->url);
	log_event("error", "http-error", "status", status, "method",
	    r->method, "path", path, NULL);
}

static enum MHD_Result
respond(struct req *r)
{
	struct MHD_Response	*resp;
	enum MHD_Result		 ret;
	size_t			 g;

	if (r->out.err != SB_OK)
		error_page(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "The page was too "
		    "large to show.");
	if (r->status >= 500)
		log_request_error(r);
	g = metric_group(r->url);
	pthread_mutex_lock(&r->srv->lock);
	r->srv->requests[g]++;
	if (r->status >= 500)
		r->srv->errors[g]++;
	pthread_mutex_unlock(&r->srv->lock);
	resp = MHD_create_response_from_buffer(r->out.len, r->out.data ?
	    r->out.data : (char *)"", MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	security_headers(resp);
	/* Nothing is kept by browsers or proxies but the stylesheet. */
	MHD_add_response_header(resp, "Cache-Control", r->cache ? r->cache :
	    "no-store");
	if (r->encoding != NULL) {
		MHD_add_response_header(resp, "Content-Encoding", r->encoding);
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	}
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type :
	    "text/html; charset=utf-8");
	if (r->location[0] != '\0')
		MHD_add_response_header(resp, "Location", r->location);
	if (r->cookie[0] != '\0')
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->said[0] != '\0')
		MHD_add_response_header(resp, "Set-Cookie", r->said);
	if (r->disposition[0] != '\0')
		MHD_add_response_header(resp, "Content-Disposition",
		    r->disposition);
	if (r->retry_after[0] != '\0')
		MHD_add_response_header(resp, "Retry-After", r->retry_after);
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **ptr)
{
	struct req		*r = *ptr;
	enum MHD_Result		 ret;

	(void)version;
	if (r == NULL) {
		testclock_read();	/* a test build's clock, each request */
		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		r->srv = cls;
		r->conn = conn;
		r->method = method;
		r->url = url;
		r->status = MHD_HTTP_OK;
		r->convention = -1;
		buf_init(&r->body, BODY_MAX);
		buf_init(&r->out, PAGE_MAX);
		*ptr = r;
		header_clock(r->srv, conn, 0);	/* the header is in */
		return MHD_YES;
	}
	if (*size > 0) {
		/* Keep reading but stop keeping: the answer is 413. */
		if (!r->too_big && buf_add(&r->body, data, *size) != SB_OK)
			r->too_big = true;
		*size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		error_page(r, 413, "The request is too "
		    "large.");
	else if ((r->s = pool_get(r->srv)) == NULL) {
		if (strcmp(url, "/health") == 0)
			health_page(r, 0, NULL);
		else if (strcmp(url, "/metrics") == 0)
			metrics_page(r, 0, NULL);
		else
			away_page(r);
	}
	else if (!node_fits(r)) {
		if (strcmp(url, "/health") == 0)
			health_page(r, 0, NULL);
		else if (strcmp(url, "/metrics") == 0)
			metrics_page(r, 0, NULL);
		else
			away_page(r);
		pool_put(r->srv, r->s);
		r->s = NULL;
	} else {
		web_route(r);
		/* Whatever the page made of a failed read: not now. */
		if (store_away(r->s) && strcmp(url, "/health") != 0 &&
		    strcmp(url, "/metrics") != 0)
			away_page(r);
		/* Back to the pool before the page is sent: a slow reader
		 * holds no database handle (nor its descriptors). */
		pool_put(r->srv, r->s);
		r->s = NULL;
	}
	ret = respond(r);
	return ret;
}

static void
on_done(void *cls, struct MHD_Connection *conn, void **ptr,
    enum MHD_RequestTerminationCode code)
{
	struct req	*r = *ptr;

	(void)code;
	/* Kept alive, the connection has the deadline for its next header
	 * from now. */
	header_clock(cls, conn, (time_t)clock_now());
	if (r == NULL)
		return;
	pool_put(cls, r->s);
	buf_wipe(&r->body);	/* may hold a password */
	buf_wipe(&r->out);	/* a client's page or report */
	free(r);
	*ptr = NULL;
}

/* What serve never needs, given up before any thread starts, so that
 * every thread runs under it (web/sandbox.h); said to the operator. */
static bool
serve_sandbox(const struct web_config *cfg, char *err, size_t errsz)
{
	struct sandbox_paths	 sp = { cfg->db, cfg->key.file,
				    cfg->key.passphrase_file };
	char			 note[256];
	int			 abi;

	if (cfg->no_sandbox) {
		fprintf(stderr, "securebase serve: sandbox: off "
		    "(--no-sandbox)\n");
		return true;
	}
	if (!sandbox_enter(&sp, &abi, note, sizeof(note), err, errsz))
		return false;
	if (abi > 0)
		fprintf(stderr, "securebase serve: sandbox: seccomp (no new "
		    "processes, ptrace, mounts, modules, keyrings, raw "
		    "sockets) and Landlock %d (files: the practice's "
		    "directory, the key, the system's libraries and "
		    "certificates; nothing executed)\n", abi);
	else
		fprintf(stderr, "securebase serve: sandbox: seccomp (no new "
		    "processes, ptrace, mounts, modules, keyrings, raw "
		    "sockets); %s\n", note);
	return true;
}

/* A file is watched (restore swaps files); a server's database is not
 * this node's to watch.  False when the file is not there. */
static bool
serve_watch_file(struct server *srv, const char *db, char *err,
    size_t errsz)
{
	struct stat	 sb;

	srv->db_file = store_is_file(db);
	if (srv->db_file && stat(db, &sb) == -1) {
		snprintf(err, errsz, "%s: %s", db, strerror(errno));
		return false;
	}
	srv->db_dev = srv->db_file ? sb.st_dev : 0;
	srv->db_ino = srv->db_file ? sb.st_ino : 0;
	return true;
}

/*
 * libmicrohttpd listening on sa: a pool of threads each polling many
 * connections (epoll), sized to the machine, far fewer context switches
 * than a thread per connection at 64 connections.  Handlers block only
 * briefly: an indexed SQLite read, and a page's wait for the group
 * commit of its audit rows, which is why there are more threads than
 * cores (the more pages wait together, the more rows one fsync
 * carries).  A login's Argon2id holds one pool thread for its ~0.1 s.
 */
static struct MHD_Daemon *
serve_listen(struct server *srv, const struct limits *lim,
    const struct sockaddr_in *sa)
{
	const struct web_config	*cfg = srv->cfg;

	return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_AUTO | MHD_USE_ERROR_LOG, cfg->port, NULL, NULL,
	    on_request, srv,
	    /* First: the options after it log through it. */
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, lim->threads,
	    MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
	    MHD_OPTION_CONNECTION_LIMIT, lim->conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)(cfg->trust_proxy ?
	    PER_IP_PROXY : PER_IP_DIRECT),
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, on_done, srv,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
	    MHD_OPTION_END);
}

/* The sender and the watch of slow requests started, and the operator
 * told where serve listens. */
static void
serve_started(struct server *srv, struct sender *sd, struct ticker *sending,
    struct ticker *watching, const struct limits *lim)
{
	const struct web_config	*cfg = srv->cfg;
	char			 shown[512], role[128], port[8], sch[12];

	memset(sd, 0, sizeof(*sd));
	sd->cfg = cfg;
	sd->srv = srv;
	snprintf(role, sizeof(role), "serve %s:%u", cfg->host, cfg->port);
	notify_node_name(role, sd->node, sizeof(sd->node));
	if (!ticker_start(sending, sender_tick, sd))
		fprintf(stderr, "securebase serve: cannot start the sender of "
		    "notifications; use securebase notify send from cron\n");
	if (!ticker_start(watching, watch_tick, srv))
		fprintf(stderr, "securebase serve: cannot start the watch of "
		    "slow requests; put nginx in front (docs/deploy.md)\n");
	store_target_shown(cfg->db, shown, sizeof(shown));
	printf("securebase: serving %s on http://%s:%u/ (at most %u "
	    "connections, %lu descriptors)\n", shown, cfg->host, cfg->port,
	    lim->conns, lim->nofile);
	fflush(stdout);
	snprintf(port, sizeof(port), "%u", cfg->port);
	snprintf(sch, sizeof(sch), "%d", store_schema_latest());
	log_event("info", "serve-start", "version", SB_VERSION, "schema", sch,
	    "listen", cfg->host, "port", port, NULL);
}

int
web_serve(const struct web_config *cfg, char *err, size_t errsz)
{
	struct server		 srv;
	struct sender		 sd;
	struct ticker		 sending, watching;
	struct MHD_Daemon	*d;
	struct sockaddr_in	 sa;
	struct limits		 lim;
	sigset_t		 set;
	int			 sig;

	memset(&srv, 0, sizeof(srv));
	/* A route table row that checks no token would be a hole. */
	if (!web_routes_check(err, errsz))
		return 1;
	/* Times are shown in the machine's zone (TZ): read it once, before
	 * any thread calls localtime_r. */
	tzset();
	/* The operator's event lines, to the journal (app/log.h). */
	log_to(stderr);
	if (!serve_sandbox(cfg, err, errsz))
		return 1;
	srv.cfg = cfg;
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.turn_cv, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
		snprintf(err, errsz, "%s: not an IPv4 address", cfg->host);
		return 2;
	}
	/* Block the stop signals in every thread; main waits for them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (!plan_limits(&lim, err, errsz))
		return 1;
	srv.pool_cap = lim.pool;
	srv.conn_cap = lim.conns;
	if (audit_group_open(cfg->db, &cfg->key, &srv.group, err, errsz) !=
	    SB_OK)
		return 1;
	if (!serve_watch_file(&srv, cfg->db, err, errsz)) {
		audit_group_close(srv.group);
		return 1;
	}
	if ((d = serve_listen(&srv, &lim, &sa)) == NULL) {
		snprintf(err, errsz, "cannot listen on %s:%u", cfg->host,
		    cfg->port);
		audit_group_close(srv.group);
		return 1;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	openlog("securebase", LOG_PID, LOG_AUTHPRIV);
	serve_started(&srv, &sd, &sending, &watching, &lim);
	sigwait(&set, &sig);
	log_event("info", "serve-stop", "signal", sig == SIGTERM ? "TERM" :
	    sig == SIGINT ? "INT" : "other", NULL);
	MHD_stop_daemon(d);
	ticker_stop(&watching);
	ticker_stop(&sending);
	store_close(sd.s);
	closelog();
	curl_global_cleanup();
	while (srv.npool > 0)
		store_close(srv.pool[--srv.npool]);
	audit_group_close(srv.group);
	pthread_cond_destroy(&srv.turn_cv);
	pthread_mutex_destroy(&srv.lock);
	if (srv.db_gone) {
		snprintf(err, errsz, "stopped: %s was replaced or removed",
		    cfg->db);
		return 1;
	}
	return 0;
}

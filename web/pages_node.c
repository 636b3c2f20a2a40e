/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_node.c - the node's own answers: /health, /metrics and the
 * stylesheet (and, in the test build, /test/escape).  See web_int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "app/log.h"
#include "render/html.h"
#include "render/metrics.h"
#include "render/json.h"
#include "web/web_int.h"

static const char *const metric_groups[METRIC_GROUPS] = {
	"client", "login", "clients", "admin", "monitor", "static", "other"
};

/* Does the browser take gzip?  Accept-Encoding's "gzip" token,
 * unless its weight is 0 ("gzip;q=0": refused). */
static bool
takes_gzip(struct req *r)
{
	const char	*p = MHD_lookup_connection_value(r->conn,
	    MHD_HEADER_KIND, "Accept-Encoding");
	const char	*q;
	size_t		 n, name;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		name = strcspn(p, " \t;,");
		if (name == 4 && strncasecmp(p, "gzip", 4) == 0) {
			q = p + name;
			q += strspn(q, " \t;");
			if (strncmp(q, "q=", 2) != 0)
				return true;
			return strtod(q + 2, NULL) > 0;
		}
		p += n;
	}
	return false;
}

/*
 * GET /static/style-<hash>.css: web/style.css, compiled in
 * (build/builtin_web.c), kept by browsers for a year: a new stylesheet
 * has a new name.  The bare /static/style.css (an old page, a
 * bookmark) is asked for again each time.  Gzipped when the browser
 * takes it.
 */
void
style_page(struct req *r, int64_t id, const char *rest)
{
	const struct builtin_file	*f = &builtin_web[0];

	(void)id;
	if (rest == NULL)	/* its own row: /static/style.css */
		r->cache = "no-cache";
	else if (strcmp(rest, style_href() + strlen("/static/")) == 0)
		r->cache = "public, max-age=31536000, immutable";
	else {
		error_page(r, 404, "Not found.");
		return;
	}
	if (takes_gzip(r)) {
		f = &builtin_web[1];
		r->encoding = "gzip";
	}
	buf_add(&r->out, f->data, f->len);	/* not HTML: the stylesheet */
	r->type = "text/css; charset=utf-8";
}

/* Is the one asking this machine itself (a monitor beside the node, or
 * nginx's X-Real-IP of such a one)? */
static bool
from_loopback(struct req *r)
{
	const char	*a = http_client_address(r);

	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	    strncmp(a, "::ffff:127.", 11) == 0;
}

/*
 * GET /health, for load balancers and monitors: whether this node can
 * serve the database.  No session, no clinical data, never kept by
 * caches.  503 when the database does not answer, or has a schema this
 * node does not read (another release upgraded it), so that a balancer
 * sends the practice to another node.  The release and the schema only
 * to this machine: to anyone else they say which flaws to try.
 */
void
health_page(struct req *r, int64_t id, const char *rest)
{
	json_t	*o = json_object();
	int	 v = r->s != NULL ? store_schema_version(r->s) : -1, seen;
	bool	 up = v > 0, fits = up && node_current(r, &seen) &&
		    v == store_schema_expected(r->s), own = from_loopback(r);
	char	 why[96];

	(void)id;
	(void)rest;
	if (up && !fits)
		snprintf(why, sizeof(why), "schema %d; this node reads %d: "
		    "replace it with the release that upgraded the database",
		    v, store_schema_expected(r->s));
	else
		snprintf(why, sizeof(why), "%s", up ? "ok" : "not answering");
	r->type = "application/json";
	r->status = fits ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE;
	if (o == NULL || !json_put(o, "status", json_text(fits ? "ok" :
	    "unavailable")) || !json_put(o, "database", json_text(why)) ||
	    (own && up && (!json_put(o, "version", json_text(SB_VERSION)) ||
	    !json_put(o, "schema", json_integer(v)))) ||
	    json_write(&r->out, o, true) != SB_OK)
		r->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	json_decref(o);
}

size_t
metric_group(const char *url)
{
	if (strncmp(url, "/q/", 3) == 0 || strncmp(url, "/p/", 3) == 0)
		return 0;
	if (strcmp(url, "/login") == 0 || strcmp(url, "/logout") == 0 ||
	    strncmp(url, "/account", 8) == 0)
		return 1;
	if (strncmp(url, "/clients", 8) == 0 || strcmp(url, "/") == 0 ||
	    strncmp(url, "/alerts", 7) == 0 || strcmp(url, "/send") == 0 ||
	    strcmp(url, "/outcomes") == 0)
		return 2;
	if (strncmp(url, "/admin", 6) == 0)
		return 3;
	if (strcmp(url, "/health") == 0 || strcmp(url, "/metrics") == 0)
		return 4;
	if (strncmp(url, "/static/", 8) == 0)
		return 5;
	return 6;
}

const char *
metric_group_name(size_t g)
{
	return g < METRIC_GROUPS ? metric_groups[g] : "other";
}

/* Does the request carry the monitor's token (--metrics-token-file)?
 * Compared as hashes, so that neither its bytes nor its length show in
 * the time taken. */
static bool
metrics_token_ok(struct req *r)
{
	const struct web_config	*cfg = r->srv->cfg;
	const char		*h = http_header(r, "Authorization");
	unsigned char		 want[32], got[32];

	if (cfg->metrics_token == NULL || h == NULL ||
	    strncmp(h, "Bearer ", 7) != 0)
		return false;
	crypto_generichash(want, sizeof(want), (const unsigned char *)
	    cfg->metrics_token, cfg->metrics_token_len, NULL, 0);
	crypto_generichash(got, sizeof(got), (const unsigned char *)h + 7,
	    strlen(h + 7), NULL, 0);
	return sodium_memcmp(want, got, sizeof(want)) == 0;
}

/*
 * GET /metrics, for Prometheus (text format 0.0.4): how this node and
 * the practice are doing, in counts only: no name, no score, no client
 * id.  For this machine (loopback, or nginx's X-Real-IP of it) or with
 * the token; anyone else gets 403.  Read while the database is away
 * too: securebase_up says so.
 */
void
metrics_page(struct req *r, int64_t id, const char *rest)
{
	struct metrics_view	 m;
	uint64_t		 req[METRIC_GROUPS], err[METRIC_GROUPS];
	int			 v, seen;

	(void)id;
	(void)rest;
	r->type = "text/plain; version=0.0.4; charset=utf-8";
	if (!from_loopback(r) && !metrics_token_ok(r)) {
		r->status = 403;
		HTML_LIT(&r->out, "/metrics is for this machine, or for a "
		    "monitor with the token (serve --metrics-token-file)\n");
		return;
	}
	memset(&m, 0, sizeof(m));
	v = r->s != NULL ? store_schema_version(r->s) : -1;
	m.up = v > 0 && node_current(r, &seen) && v ==
	    store_schema_expected(r->s);
	m.now = http_now();
	m.read = m.up && store_gauges(r->s, m.now, &m.g) == SB_OK;
	pthread_mutex_lock(&r->srv->lock);
	memcpy(req, r->srv->requests, sizeof(req));
	memcpy(err, r->srv->errors, sizeof(err));
	m.rounds = r->srv->rounds;
	m.open = r->srv->stores_open;
	m.idle = (unsigned)r->srv->npool;
	pthread_mutex_unlock(&r->srv->lock);
	m.ngroups = METRIC_GROUPS;
	m.groups = metric_groups;
	m.requests = req;
	m.errors = err;
	metrics_text(&r->out, &m);
}

#ifdef SB_TEST_BUILD
/*
 * GET /test/escape, in the test build only: what someone who took over
 * this process would try first, a program run and the password hashes
 * read.  The sandbox (web/sandbox.h) must refuse both; each refusal or
 * success is logged and said.
 */
void
escape_page(struct req *r, int64_t id, const char *rest)
{
	char *const	 argv[] = { (char *)"/bin/true", NULL };
	char *const	 envp[] = { NULL };
	char		 line[160];
	int		 fd, err;

	(void)id;
	(void)rest;
	r->type = "text/plain; charset=utf-8";
	/* execve only returns when it failed; a success would replace
	 * the server, which the test sees too. */
	execve(argv[0], argv, envp);
	err = errno;
	snprintf(line, sizeof(line), "execve /bin/true: %s (%s)\n",
	    err == EPERM ? "refused" : "failed", strerror(err));
	log_event("warn", "sandbox", "tried", "execve", "result", err == EPERM ?
	    "refused" : strerror(err), NULL);
	buf_adds(&r->out, line);	/* not HTML: text/plain */
	if ((fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC)) == -1) {
		err = errno;
		snprintf(line, sizeof(line), "open /etc/shadow: %s (%s)\n",
		    err == EACCES || err == EPERM ? "refused" : "failed",
		    strerror(err));
		log_event("warn", "sandbox", "tried", "/etc/shadow", "result",
		    err == EACCES || err == EPERM ? "refused" : strerror(err),
		    NULL);
	} else {
		close(fd);
		snprintf(line, sizeof(line), "open /etc/shadow: allowed\n");
		log_event("warn", "sandbox", "tried", "/etc/shadow", "result",
		    "allowed", NULL);
	}
	buf_adds(&r->out, line);	/* not HTML: text/plain */
}
#endif

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages.c - the route table, and what every page shares: the form, its
 * CSRF field and check, the menu, ids in paths.  The pages themselves
 * are in pages_NAME.c by what a person looks for: login, caseload,
 * client, questionnaire, alerts, admin, account, history, narrative,
 * outcomes, safety.
 *
 * One rule per page: check who may do it, then act through the store
 * (which checks access again and audits), then render through html.h.
 * A POST changes state only after its CSRF token and Origin pass; a GET
 * never changes state.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/log.h"
#include "app/record.h"
#include "core/clock.h"
#include "core/text.h"
#include "render/html.h"
#include "render/metrics.h"
#include "render/json.h"
#include "core/change.h"
#include "web/web_int.h"

int64_t
now(void)
{
	return clock_now();
}

/*
 * A stored moment in plain words in the practice's time zone, "today
 * 14:05" or "3 Nov", with the exact UTC time kept in the <time> element
 * (and shown on hover).  Anything not a stored time is shown as it is.
 */
void
html_when(struct buf *b, const char *iso)
{
	char	 w[40];

	if (iso == NULL || !text_when_iso(iso, now(), w, sizeof(w))) {
		html_text(b, iso ? iso : "");
		return;
	}
	HTML_LIT(b, "<time");
	html_attr(b, "datetime", iso);
	html_attr(b, "title", iso);
	HTML_LIT(b, ">");
	html_text(b, w);
	HTML_LIT(b, "</time>");
}

void
html_when_t(struct buf *b, int64_t t)
{
	char		 iso[24];
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(iso, sizeof(iso),
	    "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		HTML_LIT(b, "?");
		return;
	}
	html_when(b, iso);
}

/*
 * The tone of a score, from the instrument's own published bands: none
 * in the lowest (the best) band, then low, medium, high as the band
 * climbs towards the worst; NULL without bands or a direction.  Shown
 * with the band's words, never by colour alone (docs/design.md).
 */
const char *
score_tone(const struct instr_score *sc, double v)
{
	size_t	 k = 0, i;
	double	 f;

	if (sc->nbands < 2 || sc->direction == DIRECTION_NONE || isnan(v))
		return NULL;
	for (i = 0; i < sc->nbands; i++)
		if (v >= sc->bands[i].from)
			k = i;
	if (sc->direction == DIRECTION_HIGHER_BETTER)
		k = sc->nbands - 1 - k;
	f = (double)k / (double)(sc->nbands - 1);
	return f == 0 ? NULL : f < 0.5 ? "low" : f < 0.75 ? "medium" : "high";
}

/*
 * "up from 12" in a badge.  Only a reliable change (under the practice's
 * convention: Jacobson & Truax with the measure's norms, or NHS Talking
 * Therapies' points) is coloured and called better or worse; a
 * smaller move, or one on a measure without norms, is said in neutral
 * words, so a one-point wiggle never looks like a deterioration.  The
 * arrow and the words say it without colour.
 */
enum change_convention
req_convention(struct req *r)
{
	if (r->convention < 0)
		r->convention = (int)record_convention(r->s);
	return (enum change_convention)r->convention;
}

void
move_words(struct req *r, const struct instr_score *sc, double prev,
    double last)
{
	struct change_result	 cr;
	bool			 known, better = false, worse = false;
	char			 w[96];

	known = change_classify_as(sc, prev, last, req_convention(r), &cr) ==
	    SB_OK;
	if (known && cr.reliable) {
		better = cr.cls == CHANGE_IMPROVED ||
		    cr.cls == CHANGE_RECOVERED;
		worse = cr.cls == CHANGE_DETERIORATED;
	}
	HTML_LIT(&r->out, "<span class=\"badge ");
	if (better)
		HTML_LIT(&r->out, "better");
	else
		HTML_PICK(&r->out, worse, "worse", "same");
	HTML_LIT(&r->out, "\">");
	if (last > prev)
		HTML_LIT(&r->out, "&#8593; up from ");
	else if (last < prev)
		HTML_LIT(&r->out, "&#8595; down from ");
	else
		HTML_LIT(&r->out, "&#8594; same as ");
	html_num(&r->out, prev, 1);
	if (better)
		HTML_LIT(&r->out, ", reliably better");
	else if (worse)
		HTML_LIT(&r->out, ", reliably worse");
	else if (known && last != prev) {
		snprintf(w, sizeof(w), "; under %.1f points, no reliable "
		    "change", cr.min_change);
		html_text(&r->out, w);
	}
	HTML_LIT(&r->out, "</span>");
}

/* The CSRF field every POST form carries. */
void
csrf_field(struct req *r, const char *token)
{
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"csrf\"");
	html_attr(&r->out, "value", token);
	HTML_LIT(&r->out, ">");
}

bool
csrf_ok(struct req *r, const char *want)
{
	const char	*got = form_get(&r->form, "csrf");

	return got != NULL && want != NULL && strlen(got) == strlen(want) &&
	    sodium_memcmp(got, want, strlen(want)) == 0 && origin_ok(r);
}

bool
parse_form(struct req *r)
{
	/* Once: the fields are decoded in place in the body. */
	if (r->parsed == 0)
		r->parsed = buf_add(&r->body, "", 0) == SB_OK &&
		    form_parse(r->body.data ? r->body.data : (char *)"",
		    &r->form) == SB_OK ? 1 : -1;
	if (r->parsed < 0) {
		error_page(r, 400, "The form could not be read.");
		return false;
	}
	return true;
}

void
nav(struct req *r)
{
	const struct store_user	*u = store_actor(r->s);

	HTML_LIT(&r->out, "<header class=\"top\"><nav aria-label=\"Main\">"
	    "<span class=\"brand\">securebase</span>");
	if (u != NULL && u->role == ROLE_ADMIN)
		HTML_LIT(&r->out, "<a href=\"/admin\">Administration</a>");
	else
		HTML_LIT(&r->out, "<a href=\"/\">Caseload</a><a "
		    "href=\"/outcomes\">Outcomes</a>");
	HTML_LIT(&r->out, "<span class=\"who\">");
	html_text(&r->out, u ? u->name : "");
	HTML_LIT(&r->out, "</span><a href=\"/account\">Your account</a><form "
	    "method=\"post\" action=\"/logout\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button class=\"quiet\" type=\"submit\">Log "
	    "out</button></form></nav></header>");
}

/*
 * <option>s of a <select> of instruments: those that may be sent
 * (sendable), or those whose licence needs permission.
 */
static void
permit_seen(void *arg, const char *instrument, const char *text)
{
	struct req		*r = arg;
	const struct registry	*reg = r->srv->cfg->reg;
	const struct reg_entry	*re = registry_find(reg, instrument);

	(void)text;
	if (re != NULL)
		r->permitted[re - reg->v] = true;
}

bool
instrument_sendable(struct req *r, const struct reg_entry *re)
{
	const struct registry	*reg = r->srv->cfg->reg;

	if (re->enabled)
		return true;
	if (!r->permits_read) {
		/* A failed read leaves it as serve started: not sendable. */
		(void)!store_permission_each(r->s, permit_seen, r);
		r->permits_read = true;
	}
	return r->permitted[re - reg->v];
}

void
instrument_options(struct req *r, const struct registry *reg, bool sendable)
{
	size_t	 i, pass;
	bool	 first;

	/* Sendable: PHQ-9 first (and so chosen), the measure sent most;
	 * then the rest in the registry's order. */
	for (pass = sendable ? 0 : 1; pass < 2; pass++)
		for (i = 0; i < reg->n; i++) {
			if (sendable ? !instrument_sendable(r, &reg->v[i]) :
			    reg->v[i].in->licence == LICENCE_FREE ||
			    instrument_sendable(r, &reg->v[i]))
				continue;
			first = strcmp(reg->v[i].in->id, "phq9") == 0;
			if (sendable && first != (pass == 0))
				continue;
			HTML_LIT(&r->out, "<option");
			html_attr(&r->out, "value", reg->v[i].in->id);
			HTML_LIT(&r->out, ">");
			html_text(&r->out, reg->v[i].in->name);
			HTML_LIT(&r->out, "</option>");
		}
}

bool
parse_id(const char *s, size_t n, int64_t *id)
{
	long	 v;

	if (!text_int(s, n, &v) || v < 1)
		return false;
	*id = v;
	return true;
}

/* The stylesheet's address, worked out once from its bytes. */
static char		style_name[48];
static pthread_once_t	style_once = PTHREAD_ONCE_INIT;

static void
style_name_init(void)
{
	unsigned char	 h[8];
	char		 hex[sizeof(h) * 2 + 1];

	crypto_generichash(h, sizeof(h), (const unsigned char *)
	    builtin_web[0].data, builtin_web[0].len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(style_name, sizeof(style_name), "/static/style-%s.css", hex);
}

const char *
style_href(void)
{
	pthread_once(&style_once, style_name_init);
	return style_name;
}

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
	if (strcmp(rest, style_href() + strlen("/static/")) == 0)
		r->cache = "public, max-age=31536000, immutable";
	else if (strcmp(rest, "style.css") == 0)
		r->cache = "no-cache";
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
	const char	*a = client_address(r);

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

static const char *const metric_groups[METRIC_GROUPS] = {
	"client", "login", "clients", "admin", "monitor", "static", "other"
};

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
	const char		*h = header(r, "Authorization");
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
	m.now = now();
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
static void
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

/*
 * The pages, first match wins (kcgi's pages[] as the model).  In a path,
 * "#" is a client, alert or other id and "*" the non-empty rest.  GET
 * routes answer HEAD too.  Unless open, a route needs a session, a POST
 * its CSRF token, and a user whose password must change may reach only
 * the routes marked so.
 */
static const struct route {
	const char	*method;
	const char	*path;
	bool		 open;		/* without a session */
	bool		 must_change;	/* reachable before a new password */
	page_fn		*fn;
} routes[] = {
	{ "GET", "/static/*", true, false, style_page },
	{ "GET", "/health", true, false, health_page },
	{ "GET", "/metrics", true, false, metrics_page },
#ifdef SB_TEST_BUILD
	{ "GET", "/test/escape", true, false, escape_page },
#endif
	{ "GET", "/q/*", true, false, questionnaire_page },
	{ "GET", "/p/*", true, false, progress_page },
	{ "POST", "/q/*", true, false, questionnaire_page },
	{ "GET", "/login", true, false, login_page },
	{ "POST", "/login", true, false, login_submit },
	{ "GET", "/", false, false, home_page },
	{ "GET", "/outcomes", false, false, outcomes_page },
	{ "GET", "/account", false, true, account_page },
	{ "POST", "/account/password", false, true, account_password },
	{ "POST", "/account/*", false, false, account_post },
	{ "GET", "/admin", false, false, admin_page },
	{ "POST", "/admin/*", false, false, admin_post },
	{ "POST", "/logout", false, true, logout_page },
	{ "POST", "/alerts", false, false, alert_post },
	{ "GET", "/alerts/#", false, false, alert_goto },
	{ "POST", "/clients", false, false, client_add_page },
	{ "POST", "/send", false, false, send_post },
	{ "GET", "/clients/#", false, false, client_page },
	{ "POST", "/clients/#/links", false, false, link_post },
	{ "POST", "/clients/#/links/*", false, false, link_change_post },
	{ "GET", "/clients/#/report", false, false, report_page },
	{ "POST", "/clients/#/sessions", false, false, session_post },
	{ "POST", "/clients/#/notes", false, false, note_post },
	{ "POST", "/clients/#/care/*", false, false, care_post },
	{ "POST", "/clients/#/plans/*", false, false, plans_post },
	{ "POST", "/clients/#/progress/*", false, false, progress_post },
	{ "POST", "/clients/#/share", false, false, share_page },
	{ "POST", "/clients/#/unshare", false, false, unshare_page },
	{ "GET", "/clients/#/history", false, false, history_page },
	{ "GET", "/clients/#/edit", false, false, history_edit_page },
	{ "GET", "/clients/#/narratives/*", false, false, narrative_page },
	{ "POST", "/clients/#/narratives/*", false, false, narrative_post },
	{ "POST", "/clients/#/*", false, false, history_post },
};

/* Does url match path?  *id and *rest get what "#" and "*" matched. */
static bool
path_match(const char *path, const char *url, int64_t *id, const char **rest)
{
	const char	*seg;
	size_t		 n;

	*id = 0;
	*rest = NULL;
	while (*path != '\0') {
		if (path[0] == '*') {
			if (*url == '\0')
				return false;
			*rest = url;
			return true;
		}
		if (path[0] == '#') {
			seg = url;
			n = strcspn(url, "/");
			if (!parse_id(seg, n, id))
				return false;
			url += n;
			path++;
			continue;
		}
		if (*path++ != *url++)
			return false;
	}
	return *url == '\0';
}

void
route(struct req *r)
{
	const struct route	*rt = NULL;
	const char		*method = r->method, *tok, *rest = NULL;
	int64_t			 id = 0;
	size_t			 i;
	bool			 post;

	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
		error_page(r, 405, "Method not allowed.");
		return;
	}
	post = strcmp(method, "POST") == 0;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strcmp(routes[i].method, method) == 0 &&
		    path_match(routes[i].path, r->url, &id, &rest)) {
			rt = &routes[i];
			break;
		}
	if (rt != NULL && rt->open) {
		rt->fn(r, id, rest);
		return;
	}
	/* Everything else needs a session, even to learn it is not
	 * there. */
	tok = cookie(r, SESSION_COOKIE);
	if (tok == NULL || store_session(r->s, tok, now(), r->csrf) != SB_OK) {
		signed_out(r, post, tok != NULL);
		return;
	}
	snprintf(r->token, sizeof(r->token), "%s", tok);
	r->menu = true;
	if (post) {
		if (!parse_form(r))
			return;
		if (!csrf_ok(r, r->csrf)) {
			error_page(r, 403, "This form has expired or came from "
			    "another site; nothing was changed.");
			return;
		}
	}
	/* A password under older rules: nothing else until it is new. */
	if (store_actor(r->s)->must_change && (rt == NULL ||
	    !rt->must_change)) {
		redirect(r, "/account");
		return;
	}
	if (rt == NULL)
		error_page(r, 404, "Not found.");
	else
		rt->fn(r, id, rest);
}

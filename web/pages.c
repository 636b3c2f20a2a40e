/*
 * pages.c - the pages: routing, login, dashboard, client page, links,
 * alerts, and the client's questionnaire.
 *
 * One rule per page: check who may do it, then act through the store
 * (which checks access again and audits), then render through html.h.
 * A POST changes state only after its CSRF token and Origin pass; a GET
 * never changes state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include <math.h>

#include "app/clients.h"
#include "app/record.h"
#include "core/change.h"
#include "core/plane.h"
#include "core/score.h"
#include "core/text.h"
#include "store/audit.h"
#include "render/charts.h"
#include "render/html.h"
#include "render/record.h"
#include "web/web_int.h"

#define PAGE_ITEMS	5

int64_t
now(void)
{
	return (int64_t)time(NULL);
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
	if (buf_add(&r->body, "", 0) != SB_OK ||
	    form_parse(r->body.data ? r->body.data : (char *)"", &r->form) !=
	    SB_OK) {
		error_page(r, 400, "The form could not be read.");
		return false;
	}
	return true;
}

/* ---- login ---- */

static void
login_form(struct req *r, const char *msg)
{
	char		 pre[TOKEN_HEX + 1];
	unsigned char	 raw[32];
	const char	*old = cookie(r, "__Host-sbpre");
	size_t		 i;

	/*
	 * Login CSRF: a pre-session token in a cookie and in the form.  An
	 * existing one is kept, so that a second tab, or the browser's own
	 * request for a favicon landing here, does not void the form the
	 * person is filling in.
	 */
	for (i = 0; old != NULL && i < TOKEN_HEX; i++)
		if (!((old[i] >= '0' && old[i] <= '9') ||
		    (old[i] >= 'a' && old[i] <= 'f')))
			break;
	if (old != NULL && i == TOKEN_HEX && old[i] == '\0')
		snprintf(pre, sizeof(pre), "%s", old);
	else {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(pre, sizeof(pre), raw, sizeof(raw));
		snprintf(r->cookie, sizeof(r->cookie), "__Host-sbpre=%s; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict", pre);
	}
	page_begin(r, "Log in");
	HTML_LIT(&r->out, "<h1>securebase</h1>");
	if (msg != NULL) {
		HTML_LIT(&r->out, "<p class=\"high\" role=\"alert\">");
		html_text(&r->out, msg);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/login\">");
	csrf_field(r, pre);
	HTML_LIT(&r->out, "<label for=\"u\">User name</label><input "
	    "type=\"text\" id=\"u\" name=\"user\" autocomplete=\"username\" "
	    "required><label for=\"p\">Password</label><input "
	    "type=\"password\" id=\"p\" name=\"password\" "
	    "autocomplete=\"current-password\" required><label for=\"c\">"
	    "Code from your authenticator app (if you use one)</label><input "
	    "type=\"text\" id=\"c\" name=\"code\" inputmode=\"numeric\" "
	    "autocomplete=\"one-time-code\" maxlength=\"6\"><p><button "
	    "type=\"submit\">Log in</button></p></form>");
	page_end(r);
}

static void
login_post(struct req *r)
{
	char		 token[TOKEN_HEX + 1];
	int		 wait = 0;
	enum sb_err	 e;

	if (!parse_form(r))
		return;
	if (!csrf_ok(r, cookie(r, "__Host-sbpre"))) {
		error_page(r, 403, "This form has expired or came from another "
		    "site. Please log in again.");
		return;
	}
	/*
	 * Argon2id takes 64 MiB and a tenth of a second: at most LOGIN_SLOTS
	 * at once, so that logins (anyone's, unauthenticated) never take
	 * the threads and memory the pages need; past that, 503 at once.
	 */
	if (!login_slot_take(r->srv)) {
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "2");
		login_form(r, "Many people are signing in just now. Please try "
		    "again in a moment.");
		return;
	}
	e = store_login(r->s, form_get(&r->form, "user"),
	    form_get(&r->form, "password"), form_get(&r->form, "code"),
	    client_address(r), now(), token, &wait);
	login_slot_give(r->srv);
	if (e != SB_OK && e != SB_EPERM) {
		/* The server's failure (low memory): not the person's. */
		r->status = 503;
		snprintf(r->retry_after, sizeof(r->retry_after), "5");
		login_form(r, "The server could not check your password just "
		    "now. Please try again in a moment.");
		return;
	}
	if (e != SB_OK) {
		r->status = wait > 0 ? 429 : 403;
		if (wait > 0)
			snprintf(r->retry_after, sizeof(r->retry_after), "%d",
			    wait);
		login_form(r, wait > 0 ? "Too many failed logins. Please wait "
		    "and try again." : "Wrong user name, password or code.");
		return;
	}
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=%s; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict", token);
	redirect(r, "/");
}

/* ---- therapist pages ---- */

void
nav(struct req *r)
{
	const struct store_user	*u = store_actor(r->s);

	if (u != NULL && u->role == ROLE_ADMIN)
		HTML_LIT(&r->out, "<nav><a href=\"/admin\">Administration</a>"
		    "<span class=\"muted\">");
	else
		HTML_LIT(&r->out, "<nav><a href=\"/\">Caseload</a><a "
		    "href=\"/outcomes\">Outcomes</a><span class=\"muted\">");
	html_text(&r->out, u ? u->name : "");
	HTML_LIT(&r->out, "</span><a href=\"/account\">Your account</a><form "
	    "method=\"post\" action=\"/logout\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button class=\"secondary\" type=\"submit\">Log "
	    "out</button></form></nav>");
}

/*
 * <option>s of a <select> of instruments: those that may be sent
 * (sendable), or those whose licence needs permission.
 */
static void
instrument_options(struct req *r, const struct registry *reg, bool sendable)
{
	size_t	 i;

	for (i = 0; i < reg->n; i++) {
		if (sendable ? !reg->v[i].enabled :
		    reg->v[i].in->licence == LICENCE_FREE)
			continue;
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", reg->v[i].in->id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, reg->v[i].in->name);
		HTML_LIT(&r->out, "</option>");
	}
}

/* The last two values of each instrument's first score, per client. */
struct latest {
	int64_t			 client;
	char			 newest[24];	/* date of the latest answer */
	struct {
		const struct reg_entry	*re;
		double			 prev, last;
		size_t			 n;
	}			 v[16];
	size_t			 nv;
};

struct latest_all {
	const struct registry	*reg;
	struct latest		*c;
	size_t			 n, cap;
	/* One score plan per instrument for the whole walk. */
	struct score_plan	*plans[REGISTRY_MAX];
};

/* The first score of answers under plan p; false when not scorable. */
static bool
first_score(struct score_plan *p, const char *answers, double *out)
{
	int16_t	 ans[INSTR_MAX_ITEMS];
	double	 v[INSTR_MAX_SCORES];
	bool	 ok[INSTR_MAX_SCORES];

	if (answers == NULL || answers_decode(p, answers, ans) != SB_OK)
		return false;
	score_row(p, ans, v, ok);
	*out = v[0];
	return ok[0];
}

/*
 * One measure of one client from store_latest_each: its latest score and
 * the one before.  The latest answers not scorable (too many items left
 * out): the measure is not shown rather than an older score as latest.
 */
static enum sb_err
latest_row(void *arg, const struct store_latest *a)
{
	struct latest_all	*all = arg;
	const struct reg_entry	*re = registry_find(all->reg, a->instrument);
	struct latest		*l, *grown;
	struct score_plan	*p;
	double			 last, prev;
	size_t			 i;

	if (re == NULL || instr_score_find(re->in, "anxiety") != INSTR_NONE)
		return SB_OK;
	/* Rows come ordered by client: a new client starts a new entry. */
	if (all->n == 0 || all->c[all->n - 1].client != a->client) {
		if (all->n == all->cap) {
			all->cap = all->cap ? all->cap * 2 : 64;
			if ((grown = realloc(all->c, all->cap *
			    sizeof(*grown))) == NULL)
				return SB_ENOMEM;
			all->c = grown;
		}
		memset(&all->c[all->n], 0, sizeof(all->c[0]));
		all->c[all->n++].client = a->client;
	}
	l = &all->c[all->n - 1];
	if (a->last.completed != NULL && strcmp(a->last.completed,
	    l->newest) > 0)
		snprintf(l->newest, sizeof(l->newest), "%.23s",
		    a->last.completed);
	i = (size_t)(re - all->reg->v);
	if (all->plans[i] == NULL &&
	    score_plan_new(re->in, 0, 0, &all->plans[i]) != SB_OK)
		return SB_ENOMEM;
	p = all->plans[i];
	if (l->nv == 16 || !first_score(p, a->last.answers, &last))
		return SB_OK;
	l->v[l->nv].re = re;
	l->v[l->nv].last = last;
	l->v[l->nv].n = 1;
	if (a->prev.id != 0 && first_score(p, a->prev.answers, &prev)) {
		l->v[l->nv].prev = prev;
		l->v[l->nv].n = 2;
	}
	l->nv++;
	return SB_OK;
}

/* "PHQ-9 16, up from 12" with an arrow that is also said in words. */
static void
latest_cell(struct req *r, const struct latest_all *all, int64_t client)
{
	const struct latest	*l = NULL;
	size_t			 i;

	for (i = 0; i < all->n; i++)
		if (all->c[i].client == client)
			l = &all->c[i];
	for (i = 0; l != NULL && i < l->nv; i++) {
		if (i > 0)
			HTML_LIT(&r->out, "<br>");
		html_text(&r->out, l->v[i].re->in->name);
		HTML_LIT(&r->out, " <strong>");
		html_num(&r->out, l->v[i].last, 1);
		HTML_LIT(&r->out, "</strong>");
		if (l->v[i].n < 2)
			continue;
		if (l->v[i].last > l->v[i].prev)
			HTML_LIT(&r->out, " &#8593; up from ");
		else if (l->v[i].last < l->v[i].prev)
			HTML_LIT(&r->out, " &#8595; down from ");
		else
			HTML_LIT(&r->out, " &#8594; same as ");
		html_num(&r->out, l->v[i].prev, 1);
	}
}

#define DUE_DAYS	28

/*
 * Measures due: clients whose latest answer is more than DUE_DAYS old, or
 * who have none.  Worked out from the data at each view, not stored.
 */
static void
due_list(struct req *r, const struct latest_all *all,
    const struct client_names *cl)
{
	char		 cutoff[24];
	time_t		 t = time(NULL) - (time_t)DUE_DAYS * 86400;
	struct tm	 tm;
	size_t		 i, k, n = 0;
	bool		 due;

	gmtime_r(&t, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	HTML_LIT(&r->out, "<h2>Measures due</h2><ul>");
	for (k = 0; k < cl->n; k++) {
		due = true;
		for (i = 0; i < all->n; i++)
			if (all->c[i].client == cl->v[k].id)
				due = strcmp(all->c[i].newest, cutoff) < 0;
		if (!due)
			continue;
		HTML_LIT(&r->out, "<li>");
		html_text(&r->out, cl->v[k].name);
		HTML_LIT(&r->out, ": no questionnaire answered in the last 4 "
		    "weeks</li>");
		n++;
	}
	if (n == 0)
		HTML_LIT(&r->out, "<li>None: every client answered a "
		    "questionnaire in the last 4 weeks.</li>");
	HTML_LIT(&r->out, "</ul>");
}

/* The caseload's rows; false when the scores could not be read. */
static bool
client_rows(struct req *r, const struct client_names *cl)
{
	struct latest_all	 all;
	char			 href[48];
	size_t			 i;
	bool			 ok;

	memset(&all, 0, sizeof(all));
	all.reg = r->srv->cfg->reg;
	/* Two administrations per measure and client, whatever the
	 * length of the history. */
	if (!(ok = store_latest_each(r->s, latest_row, &all) == SB_OK))
		goto out;
	for (i = 0; i < cl->n; i++) {
		snprintf(href, sizeof(href), "/clients/%lld",
		    (long long)cl->v[i].id);
		HTML_LIT(&r->out, "<tr><td><a");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, cl->v[i].name);
		HTML_LIT(&r->out, "</a></td><td>");
		latest_cell(r, &all, cl->v[i].id);
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table>");
	due_list(r, &all, cl);
out:
	for (i = 0; i < REGISTRY_MAX; i++)
		score_plan_free(all.plans[i]);
	free(all.c);
	return ok;
}

/* The open alerts of the caseload, kept for the page. */
struct open_alerts {
	struct req			*r;
	const struct client_names	*cl;
	size_t				 n;
};

/* One alert a row: the client by name, linked to their page. */
static enum sb_err
alert_row(void *arg, const struct store_alert *a)
{
	struct open_alerts		*o = arg;
	struct req			*r = o->r;
	const struct client_name	*c;
	char				 href[48], who[32];

	if (o->n++ == 0)
		HTML_LIT(&r->out, "<table><tr><th>Alert</th><th>Client</th>"
		    "<th>Severity</th><th>Rule</th><th>State</th><th>Raised"
		    "</th><th>Detail</th></tr>");
	HTML_LIT(&r->out, "<tr><td>");
	html_int(&r->out, a->id);
	HTML_LIT(&r->out, "</td><td><a");
	snprintf(href, sizeof(href), "/clients/%lld", (long long)a->client);
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">");
	snprintf(who, sizeof(who), "client %lld", (long long)a->client);
	html_text(&r->out, (c = client_names_find(o->cl, a->client)) !=
	    NULL ? c->name : who);
	HTML_LIT(&r->out, "</a></td>");
	if (strcmp(a->severity, "high") == 0)
		HTML_LIT(&r->out, "<td class=\"high\">");
	else
		HTML_LIT(&r->out, "<td>");
	html_text(&r->out, a->severity);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->rule);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->state);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->created);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->detail);
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

static void
dashboard(struct req *r)
{
	struct client_names	 cl;
	struct open_alerts	 oa;
	enum sb_err		 e;

	/* Overdue measures become alerts with a lifecycle; usually there is
	 * nothing new and this is one read. */
	{
		size_t raised;

		if (store_alerts_overdue(r->s, now(), DUE_DAYS, &raised) !=
		    SB_OK) {
			error_page(r, 503, "The practice is busy; please try "
			    "again.");
			return;
		}
	}
	if (!view_begin(r))
		return;
	if (client_names_load(r->s, &cl) != SB_OK) {
		read_failed(r);
		client_names_free(&cl);
		view_end(r);
		return;
	}
	page_begin(r, "Caseload");
	nav(r);
	HTML_LIT(&r->out, "<h1>Caseload</h1><h2>Open alerts</h2>");
	oa.r = r;
	oa.cl = &cl;
	oa.n = 0;
	e = store_alert_open_each(r->s, alert_row, &oa);
	if (e != SB_OK) {
		read_failed(r);
		client_names_free(&cl);
		view_end(r);
		return;
	}
	if (oa.n > 0) {
		HTML_LIT(&r->out, "</table><form method=\"post\" "
		    "action=\"/alerts\"><label for=\"a\">Alert number"
		    "</label><input type=\"text\" id=\"a\" name=\"alert\" "
		    "inputmode=\"numeric\"><label for=\"n\">Note</label><input"
		    " type=\"text\" id=\"n\" name=\"note\">");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p><button name=\"state\" value=\"ack\" "
		    "type=\"submit\">Acknowledge</button><button name=\"state\""
		    " value=\"resolve\" type=\"submit\" class=\"secondary\">"
		    "Resolve</button></p></form>");
	} else
		HTML_LIT(&r->out, "<p>No open alerts.</p>");
	HTML_LIT(&r->out, "<h2>Clients</h2>");
	if (cl.n > 0) {
		HTML_LIT(&r->out, "<table><tr><th>Client</th><th>Latest scores"
		    " (and the one before)</th></tr>");
		if (!client_rows(r, &cl)) {
			read_failed(r);
			client_names_free(&cl);
			view_end(r);
			return;
		}
	} else
		HTML_LIT(&r->out, "<p>No clients yet.</p>");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		HTML_LIT(&r->out, "<h2>New client</h2><form method=\"post\" "
		    "action=\"/clients\"><label for=\"cn\">Name</label><input "
		    "type=\"text\" id=\"cn\" name=\"name\" required>");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p><button type=\"submit\">Add client"
		    "</button></p></form>");
	}
	page_end(r);
	view_end(r);
	client_names_free(&cl);
}

/* One instrument's administrations of a client, for the story page. */
struct series {
	const struct reg_entry	*re;
	struct score_plan	*plan;
	struct chart_point	 pts[INSTR_MAX_SCORES][128];
	char			 dates[128][24];
	size_t			 n;
	double			 last[INSTR_MAX_SCORES];
	bool			 lastok[INSTR_MAX_SCORES];
};

struct story {
	const struct registry	*reg;
	struct series		*s;
	size_t			 ns;
	struct buf		*items;		/* item-level answers, HTML */
};

static struct series *
series_of(struct story *st, const struct reg_entry *re)
{
	size_t	 i;

	for (i = 0; i < st->ns; i++)
		if (st->s[i].re == re)
			return &st->s[i];
	if (st->ns == REGISTRY_MAX ||
	    score_plan_new(re->in, 0, 0, &st->s[st->ns].plan) != SB_OK)
		return NULL;
	st->s[st->ns].re = re;
	return &st->s[st->ns++];
}

static enum sb_err
story_row(void *arg, const struct store_admin_row *a)
{
	struct story		*st = arg;
	const struct reg_entry	*re = registry_find(st->reg, a->instrument);
	const struct instrument	*in;
	struct series		*se;
	int16_t			 ans[INSTR_MAX_ITEMS];
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	size_t			 i;

	if (re == NULL || (se = series_of(st, re)) == NULL)
		return SB_OK;
	in = re->in;
	if (answers_decode(se->plan, a->answers, ans) != SB_OK)
		return SB_OK;	/* older definition: shown in the record */
	score_row(se->plan, ans, v, ok);
	if (se->n < 128) {
		snprintf(se->dates[se->n], sizeof(se->dates[0]), "%.10s",
		    a->completed ? a->completed : "");
		for (i = 0; i < in->nscores; i++) {
			se->pts[i][se->n].date = se->dates[se->n];
			se->pts[i][se->n].value = ok[i] ? v[i] : NAN;
		}
		se->n++;
	}
	memcpy(se->last, v, sizeof(v[0]) * in->nscores);
	memcpy(se->lastok, ok, sizeof(ok[0]) * in->nscores);
	/* Item level, on demand. */
	HTML_LIT(st->items, "<details><summary>");
	html_text(st->items, se->dates[se->n - 1]);
	HTML_LIT(st->items, " ");
	html_text(st->items, in->name);
	HTML_LIT(st->items, "</summary><table><tr><th>Item</th><th>Answer"
	    "</th></tr>");
	for (i = 0; i < in->nitems; i++) {
		const struct instr_optset *os = &in->optsets[in->items[i].optset];
		size_t k;

		HTML_LIT(st->items, "<tr><td>");
		html_text(st->items, in->items[i].text);
		HTML_LIT(st->items, "</td><td>");
		for (k = 0; k < os->nopts; k++)
			if (ans[i] != SCORE_MISSING &&
			    os->opts[k].value == ans[i])
				html_text(st->items, os->opts[k].label);
		if (ans[i] == SCORE_MISSING)
			HTML_LIT(st->items, "(skipped)");
		HTML_LIT(st->items, "</td></tr>");
	}
	HTML_LIT(st->items, "</table></details>");
	return SB_OK;
}

/* Only the points where the score exists. */
static size_t
valid_points(const struct chart_point *in, size_t n, struct chart_point *out)
{
	size_t	 i, k = 0;

	for (i = 0; i < n; i++)
		if (!isnan(in[i].value))
			out[k++] = in[i];
	return k;
}

static void
measure_section(struct req *r, struct series *se)
{
	const struct instrument		*in = se->re->in;
	const struct instr_score	*sc = &in->scores[0];
	struct chart_point		 p[128];
	struct change_result		 cr;
	const char			*band;
	size_t				 n, i;

	n = valid_points(se->pts[0], se->n, p);
	HTML_LIT(&r->out, "<h3>");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, " ");
	html_text(&r->out, sc->label);
	HTML_LIT(&r->out, "</h3>");
	if (n == 0) {
		HTML_LIT(&r->out, "<p>No complete administration yet.</p>");
		return;
	}
	HTML_LIT(&r->out, "<p>Latest: <strong>");
	html_num(&r->out, p[n - 1].value, 2);
	HTML_LIT(&r->out, "</strong>");
	if ((band = instr_band_label(sc, p[n - 1].value)) != NULL) {
		HTML_LIT(&r->out, " (");
		html_text(&r->out, band);
		HTML_LIT(&r->out, ")");
	}
	if (n > 1 && change_classify(sc, p[0].value, p[n - 1].value,
	    CRITERION_AUTO, &cr) == SB_OK) {
		HTML_LIT(&r->out, "; since the first: ");
		html_text(&r->out, change_class_name(cr.cls));
		HTML_LIT(&r->out, " (RC ");
		html_num(&r->out, cr.rc, 2);
		HTML_LIT(&r->out, ", Jacobson &amp; Truax, criterion ");
		html_text(&r->out, change_criterion_name(cr.criterion));
		HTML_LIT(&r->out, ")");
	}
	HTML_LIT(&r->out, ".</p>");
	chart_measure(&r->out, in, sc, p, n);
	HTML_LIT(&r->out, "<details><summary>The numbers</summary><table>"
	    "<tr><th>Date</th><th>Score</th><th>Band</th></tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_text(&r->out, p[i].date);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, p[i].value, 2);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, instr_band_label(sc, p[i].value));
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></details>");
}

static void
plane_section(struct req *r, struct series *se)
{
	const struct instrument	*in = se->re->in;
	size_t			 ia = instr_score_find(in, "anxiety");
	size_t			 iv = instr_score_find(in, "avoidance");
	struct chart_point	 a[128], v[128];
	const struct instr_optset *os = &in->optsets[0];
	struct plane_pos	 pos;
	size_t			 i, n = 0;

	for (i = 0; i < se->n; i++)
		if (!isnan(se->pts[ia][i].value) &&
		    !isnan(se->pts[iv][i].value)) {
			a[n] = se->pts[ia][i];
			v[n++] = se->pts[iv][i];
		}
	if (n == 0)
		return;
	HTML_LIT(&r->out, "<h3>Attachment position (");
	html_text(&r->out, in->name);
	HTML_LIT(&r->out, ")</h3>");
	chart_plane(&r->out, a, v, n, os->min, os->max, true);
	plane_locate(a[n - 1].value, v[n - 1].value, os->min, os->max, &pos);
	HTML_LIT(&r->out, "<p>Latest: anxiety ");
	html_num(&r->out, pos.anxiety, 2);
	HTML_LIT(&r->out, ", avoidance ");
	html_num(&r->out, pos.avoidance, 2);
	HTML_LIT(&r->out, " (");
	html_text(&r->out, plane_region_name(pos.region));
	HTML_LIT(&r->out, ").</p><p class=\"muted\">");
	html_text(&r->out, PLANE_METHOD);
	HTML_LIT(&r->out, " ");
	html_text(&r->out, PLANE_CAVEAT);
	HTML_LIT(&r->out, "</p><table><tr><th>Date</th><th>Anxiety</th><th>"
	    "Avoidance</th></tr>");
	for (i = 0; i < n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_text(&r->out, a[i].date);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, a[i].value, 2);
		HTML_LIT(&r->out, "</td><td>");
		html_num(&r->out, v[i].value, 2);
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table>");
}

static void	sharing_forms(struct req *, int64_t);

/* The time line's marks and its table, gathered from the store. */
struct timeline {
	struct chart_mark	*m;
	size_t			 n, cap;
	struct buf		 table;
};

static enum sb_err
timeline_row(void *arg, const struct store_timeline_row *row)
{
	static const char *const kinds[] = { "session", "measure", "event" };
	struct timeline		*tl = arg;
	struct chart_mark	*m;
	size_t			 cap;

	if ((unsigned)row->kind > STORE_TL_EVENT)
		return SB_OK;
	if (tl->n == tl->cap) {
		cap = tl->cap ? tl->cap * 2 : 64;
		if (cap > 100000 || (m = realloc(tl->m, cap * sizeof(*m))) ==
		    NULL)
			return SB_ENOMEM;
		tl->m = m;
		tl->cap = cap;
	}
	m = &tl->m[tl->n++];
	snprintf(m->date, sizeof(m->date), "%s", row->date);
	m->lane = row->kind == STORE_TL_SESSION ? CHART_SESSION :
	    row->kind == STORE_TL_MEASURE ? CHART_MEASURE : CHART_EVENT;
	HTML_LIT(&tl->table, "<tr><td>");
	html_text(&tl->table, row->date);
	HTML_LIT(&tl->table, "</td><td>");
	html_text(&tl->table, kinds[row->kind]);
	HTML_LIT(&tl->table, "</td><td>");
	html_text(&tl->table, row->what);
	if (row->kind == STORE_TL_EVENT) {
		HTML_LIT(&tl->table, " (");
		html_int(&tl->table, row->valence);
		HTML_LIT(&tl->table, ")");
	}
	HTML_LIT(&tl->table, "</td></tr>");
	return SB_OK;
}

/* The client's time line, chart and table; false when it could not be
 * read (the page is then an error page). */
static bool
timeline_section(struct req *r, int64_t id)
{
	struct timeline	 tl;
	bool		 ok = true;

	memset(&tl, 0, sizeof(tl));
	buf_init(&tl.table, 1 << 22);
	if (store_timeline_each(r->s, id, timeline_row, &tl) != SB_OK) {
		read_failed(r);
		ok = false;
	} else if (tl.n > 0) {
		HTML_LIT(&r->out, "<h2>Timeline</h2>");
		chart_timeline(&r->out, tl.m, tl.n);
		HTML_LIT(&r->out, "<details><summary>Every date</summary><table>"
		    "<tr><th>Date</th><th>What</th><th>Detail</th></tr>");
		buf_add(&r->out, tl.table.data, tl.table.len);
		HTML_LIT(&r->out, "</table></details>");
	}
	free(tl.m);
	buf_free(&tl.table);
	return ok;
}

/* A client's name is clinical data: wiped before it is freed. */
static void
free_name(char *name)
{
	if (name != NULL) {
		mem_wipe(name, strlen(name));
		free(name);
	}
}

static void
client_story(struct req *r, int64_t id)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct story		 st;
	struct buf		 rec, items;
	char			*name = NULL;
	enum sb_err		 e;
	size_t			 i, k;
	bool			 any;

	buf_init(&rec, 1 << 24);
	if ((e = record_text(r->s, id, &rec, &name)) != SB_OK) {
		/* Unknown and not-yours look the same from outside. */
		if (e == SB_EPERM || e == SB_ENOENT)
			error_page(r, 404, "There is no such client on your "
			    "caseload.");
		else
			read_failed(r);
		buf_wipe(&rec);
		free_name(name);
		return;
	}
	buf_init(&items, 1 << 24);
	memset(&st, 0, sizeof(st));
	st.reg = reg;
	st.items = &items;
	st.s = calloc(REGISTRY_MAX, sizeof(*st.s));
	if (st.s == NULL || store_admin_each(r->s, NULL, id, story_row, &st) !=
	    SB_OK) {
		free(st.s);
		buf_wipe(&rec);
		buf_wipe(&items);
		free_name(name);
		read_failed(r);
		return;
	}
	page_begin(r, "Client");
	nav(r);
	HTML_LIT(&r->out, "<h1>");
	html_text(&r->out, name);
	HTML_LIT(&r->out, "</h1>");
	/* What needs attention first, where it can be acted on. */
	alert_banner(r, id);
	if (!timeline_section(r, id))
		goto out;
	HTML_LIT(&r->out, "<h2>Measures</h2>");
	any = false;
	for (i = 0; i < st.ns; i++) {
		if (instr_score_find(st.s[i].re->in, "anxiety") != INSTR_NONE &&
		    instr_score_find(st.s[i].re->in, "avoidance") !=
		    INSTR_NONE)
			continue;
		measure_section(r, &st.s[i]);
		any = true;
	}
	if (!any)
		HTML_LIT(&r->out, "<p>No measures yet.</p>");
	HTML_LIT(&r->out, "<h2>Attachment</h2>");
	any = false;
	for (i = 0; i < st.ns; i++)
		if (instr_score_find(st.s[i].re->in, "anxiety") != INSTR_NONE &&
		    instr_score_find(st.s[i].re->in, "avoidance") !=
		    INSTR_NONE) {
			plane_section(r, &st.s[i]);
			any = true;
		}
	if (!any)
		HTML_LIT(&r->out, "<p>No attachment measure yet.</p>");
	for (i = 0; i < st.ns; i++) {
		const struct instrument *in = st.s[i].re->in;

		if (strcmp(in->id, "wai-sr") != 0 || st.s[i].n == 0)
			continue;
		HTML_LIT(&r->out, "<h2>Latest alliance (WAI-SR)</h2><p>");
		for (k = 0; k < in->nscores; k++) {
			html_text(&r->out, in->scores[k].label);
			HTML_LIT(&r->out, ": ");
			if (st.s[i].lastok[k])
				html_num(&r->out, st.s[i].last[k], 1);
			else
				HTML_LIT(&r->out, "not scored");
			if (k + 1 < in->nscores)
				HTML_LIT(&r->out, "; ");
			else
				HTML_LIT(&r->out, ".");
		}
		HTML_LIT(&r->out, "</p>");
	}
	history_section(r, id);
	narrative_section(r, id);
	HTML_LIT(&r->out, "<h2>Answers, item by item</h2>");
	buf_add(&r->out, items.data ? items.data : "", items.len);
	HTML_LIT(&r->out, "<h2>Record</h2><details><summary>People, "
	    "relationships, life events, sessions, notes, alerts</summary>"
	    "<pre>");
	html_text(&r->out, rec.data);
	HTML_LIT(&r->out, "</pre></details><h2>Send a measure</h2><form "
	    "method=\"post\" action=\"/clients/");
	html_int(&r->out, id);
	HTML_LIT(&r->out, "/links\"><label for=\"i\">Instrument</label>"
	    "<select id=\"i\" name=\"instrument\">");
	instrument_options(r, reg, true);
	HTML_LIT(&r->out, "</select>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Create link</button>"
	    "<button type=\"submit\" name=\"now\" value=\"1\" "
	    "class=\"secondary\">Start now on this device</button></p>"
	    "</form>");
	sharing_forms(r, id);
	page_end(r);
out:
	for (i = 0; i < st.ns; i++)
		score_plan_free(st.s[i].plan);
	free(st.s);
	buf_wipe(&rec);
	free_name(name);
	buf_wipe(&items);
}

/*
 * Sharing with a colleague, and stopping it: for the client's own
 * therapist (the store refuses anyone else, so the forms are only a
 * convenience).
 */
static void
sharing_forms(struct req *r, int64_t id)
{
	char	 act[64];

	if (store_actor(r->s)->role != ROLE_THERAPIST)
		return;
	HTML_LIT(&r->out, "<h2>Sharing</h2><p class=\"muted\">Only you, "
	    "this client's therapist, can share the record or stop sharing "
	    "it.</p><form method=\"post\" class=\"inline\"");
	snprintf(act, sizeof(act), "/clients/%lld/share", (long long)id);
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><label for=\"sw\">Share with (user name)</label>"
	    "<input type=\"text\" id=\"sw\" name=\"with\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\">Share</button></form>"
	    "<form method=\"post\" class=\"inline\"");
	snprintf(act, sizeof(act), "/clients/%lld/unshare", (long long)id);
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><label for=\"uw\">Stop sharing with (user name)"
	    "</label><input type=\"text\" id=\"uw\" name=\"with\" "
	    "required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">Stop "
	    "sharing</button></form>");
}

static void
share_post(struct req *r, int64_t id, bool share)
{
	const char	*with = form_get(&r->form, "with");
	char		 to[48];
	enum sb_err	 e;

	e = with == NULL ? SB_EINVAL : share ? store_client_share(r->s, id,
	    with) : store_client_unshare(r->s, id, with);
	if (e == SB_EPERM || e == SB_ENOENT) {
		/* The same words whether the client is another's or not
		 * there: nothing is told about other caseloads. */
		error_page(r, e == SB_EPERM ? 403 : 404, "Only a client's own "
		    "therapist can share the record, with an active colleague "
		    "it is shared with.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, 400, "Give the colleague's user name.");
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	redirect(r, to);
}

/* The story page is one view: every read on it audited in one commit. */
static void
client_page(struct req *r, int64_t id)
{
	if (!view_begin(r))
		return;
	client_story(r, id);
	view_end(r);
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

static void
link_post(struct req *r, int64_t client)
{
	const char		*iid = form_get(&r->form, "instrument");
	const struct reg_entry	*re;
	char			 token[TOKEN_HEX + 1], url[600];
	int64_t			 id;
	enum sb_err		 e;

	re = iid ? registry_find(r->srv->cfg->reg, iid) : NULL;
	if (iid != NULL && strcmp(iid, NARRATIVE_LINK) == 0)
		re = NULL;	/* the prompts, not a questionnaire */
	else if (re == NULL || !re->enabled) {
		error_page(r, 400, "That instrument cannot be sent (unknown, or "
		    "its licence needs permission).");
		return;
	}
	if ((e = store_link_create(r->s, client, re ? re->in->id :
	    NARRATIVE_LINK, form_get(&r->form, "now") != NULL ? "in-session" :
	    "link", form_get(&r->form, "now") != NULL ? 1 : 14, now(), token,
	    &id)) != SB_OK) {
		/* Says what went wrong: not every failure is a wrong client. */
		if (e == SB_ENOENT || e == SB_EPERM)
			error_page(r, 404, "There is no such client on your "
			    "caseload.");
		else if (e == SB_EINVAL)
			error_page(r, 400, store_errmsg(r->s));
		else
			error_page(r, 503, "The link could not be made just "
			    "now (the practice database is busy or full); "
			    "please try again in a moment.");
		return;
	}
	snprintf(url, sizeof(url), "%s/q/%s", r->srv->cfg->origin, token);
	/*
	 * In session: the questionnaire opens here, on the device that is
	 * then handed to the client.  The therapist's session ends first, so
	 * that nothing the client can reach on this device (Back, a typed
	 * address) shows a therapist's page: the link's pages need no
	 * session, every other page asks to sign in again (with the second
	 * factor, where the therapist has one).
	 */
	if (form_get(&r->form, "now") != NULL) {
		if (store_logout(r->s, r->token) != SB_OK) {
			error_page(r, 503, "The session could not be closed, so "
			    "the device was not handed over; try again.");
			return;
		}
		snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; "
		    "Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
		snprintf(url, sizeof(url), "/q/%s", token);
		redirect(r, url);
		return;
	}
	page_begin(r, "Link created");
	nav(r);
	HTML_LIT(&r->out, "<h1>Link created</h1><p>Give this link to the "
	    "client (valid for 14 days, for one ");
	html_text(&r->out, re ? re->in->name : "set of written answers to the "
	    "prompts");
	HTML_LIT(&r->out, "):</p><p><a");
	html_attr(&r->out, "href", url);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, url);
	HTML_LIT(&r->out, "</a></p><p>Or let the client scan it with their "
	    "phone:</p>");
	chart_qr(&r->out, url, "QR code of the link");
	HTML_LIT(&r->out, "<p class=\"muted\">It is shown once: "
	    "securebase keeps only a hash of it.</p>");
	page_end(r);
}

static void
alert_post(struct req *r)
{
	const char	*a = form_get(&r->form, "alert");
	const char	*st = form_get(&r->form, "state");
	const char	*note = form_get(&r->form, "note");
	const char	*back = form_get(&r->form, "back");
	int64_t		 id;

	if (a == NULL || st == NULL || !parse_id(a, strlen(a), &id) ||
	    (strcmp(st, "ack") != 0 && strcmp(st, "resolve") != 0)) {
		error_page(r, 400, "Give the alert's number and choose "
		    "acknowledge or resolve.");
		return;
	}
	if (strcmp(st, "resolve") == 0 && (note == NULL || *note == '\0')) {
		error_page(r, 400, "Say what was done before resolving an "
		    "alert: the note is kept with it.");
		return;
	}
	switch (store_alert_move(r->s, id, strcmp(st, "ack") == 0 ?
	    "acknowledged" : "resolved", note && *note ? note : NULL)) {
	case SB_OK:
		break;
	case SB_EPERM:
	case SB_ENOENT:
		/* Not "client 7 is tom's": the same words for an alert that
		 * is not there and one on another caseload. */
		error_page(r, 404, "There is no such alert on your caseload.");
		return;
	default:
		error_page(r, 400, store_errmsg(r->s));
		return;
	}
	/* Back to the client page the banner was on, or the caseload. */
	if (back != NULL && strncmp(back, "/clients/", 9) == 0 &&
	    parse_id(back + 9, strlen(back + 9), &id))
		redirect(r, back);
	else
		redirect(r, "/");
}

/* ---- administration: users, licences, the audit trail ---- */

static enum sb_err
audit_row(void *arg, const struct audit_row *a)
{
	struct req	*r = arg;

	HTML_LIT(&r->out, "<tr><td>");
	html_int(&r->out, a->seq);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->at);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->user);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->action);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->entity);
	HTML_LIT(&r->out, "</td><td>");
	html_int(&r->out, a->entity_id);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->detail);
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

static enum sb_err
user_row(void *arg, const struct store_user_row *u)
{
	struct req	*r = arg;

	HTML_LIT(&r->out, "<tr><td>");
	html_text(&r->out, u->name);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, store_role_name(u->role));
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, u->active ? "active" : "disabled");
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

static void
admin_page(struct req *r)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct audit_report	 rep;
	size_t			 i;

	page_begin(r, "Administration");
	nav(r);
	HTML_LIT(&r->out, "<h1>Administration</h1>");
	/* First: whether a risk alert reaches anyone outside this page. */
	notify_admin(r);
	HTML_LIT(&r->out, "<h2>Users</h2>");
	HTML_LIT(&r->out, "<table><tr><th>User</th><th>Role</th><th>"
	    "State</th></tr>");
	if (store_user_each(r->s, user_row, r) != SB_OK) {
		read_failed(r);
		return;
	}
	HTML_LIT(&r->out, "</table>");
	HTML_LIT(&r->out, "<h3>Add a user</h3><form method=\"post\" "
	    "action=\"/admin/users\"><label for=\"un\">User name</label>"
	    "<input type=\"text\" id=\"un\" name=\"name\" required>"
	    "<label for=\"ur\">Role</label><select id=\"ur\" name=\"role\">"
	    "<option value=\"therapist\">therapist</option><option "
	    "value=\"supervisor\">supervisor</option><option value=\"admin\">"
	    "admin</option></select><label for=\"up\">Password (12 or more "
	    "characters, not a common one)</label><input type=\"password\" id=\"up\" "
	    "name=\"password\" autocomplete=\"new-password\" required>"
	    "<label for=\"ue\">Address for alert notifications (optional)"
	    "</label><input type=\"text\" id=\"ue\" name=\"email\" "
	    "autocomplete=\"off\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Add user</button></p>"
	    "</form><h3>Disable a user</h3><form method=\"post\" "
	    "action=\"/admin/disable\"><label for=\"dn\">User name</label>"
	    "<input type=\"text\" id=\"dn\" name=\"name\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button class=\"secondary\" type=\"submit\">"
	    "Disable</button></p></form><h2>Instrument licences</h2><table>"
	    "<tr><th>Instrument</th><th>Licence</th><th>State</th></tr>");
	for (i = 0; i < reg->n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_text(&r->out, reg->v[i].in->name);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, reg->v[i].in->licence_terms);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, reg->v[i].in->licence == LICENCE_FREE ?
		    "free" : reg->v[i].enabled ? reg->v[i].permission :
		    "disabled: needs permission");
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table><h3>Record a permission</h3><form "
	    "method=\"post\" action=\"/admin/permit\"><label for=\"pi\">"
	    "Instrument</label><select id=\"pi\" name=\"instrument\">");
	instrument_options(r, reg, false);
	HTML_LIT(&r->out, "</select><label for=\"pr\">Where the permission "
	    "is (letter, e-mail, licence number)</label><input type=\"text\""
	    " id=\"pr\" name=\"reference\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Record permission"
	    "</button></p></form><p class=\"muted\">A permission recorded "
	    "here takes effect when the server is restarted.</p>"
	    "<h2>Audit trail</h2>");
	if (audit_verify(r->s, &rep) == SB_OK) {
		HTML_LIT(&r->out, "<p>");
		if (rep.intact) {
			HTML_LIT(&r->out, "The chain verifies: ");
			html_int(&r->out, rep.rows);
			HTML_LIT(&r->out, " rows, none changed, removed or "
			    "inserted.");
		} else {
			HTML_LIT(&r->out, "<strong class=\"high\">NOT INTACT: ");
			html_text(&r->out, rep.what);
			HTML_LIT(&r->out, "</strong>");
		}
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<table><tr><th>Row</th><th>Time</th><th>User"
	    "</th><th>Action</th><th>On</th><th>Id</th><th>Detail</th></tr>");
	if (audit_tail_each(r->s, 100, audit_row, r) != SB_OK) {
		read_failed(r);
		return;
	}
	HTML_LIT(&r->out, "</table>");
	prompts_admin(r);
	page_end(r);
}

static void
admin_post(struct req *r, const char *what)
{
	enum store_role	 role;
	const char	*name = form_get(&r->form, "name");
	int64_t		 id;
	enum sb_err	 e;

	if (strcmp(what, "users") == 0) {
		if (!store_role_parse(form_get(&r->form, "role"), &role))
			e = SB_EINVAL;
		else {
			const char *em = form_get(&r->form, "email");

			/* The user and their address together, or neither. */
			if ((e = store_begin(r->s)) == SB_OK &&
			    (e = store_user_add(r->s, name ? name : "", role,
			    form_get(&r->form, "password") ?
			    form_get(&r->form, "password") : "", &id)) ==
			    SB_OK && (em == NULL || *em == '\0' ||
			    (e = store_user_email(r->s, name, em)) == SB_OK))
				e = store_commit(r->s);
			else
				store_rollback(r->s);
		}
	} else if (strcmp(what, "disable") == 0)
		e = store_user_disable(r->s, name ? name : "");
	else if (strcmp(what, "permit") == 0) {
		const char *iid = form_get(&r->form, "instrument");
		const struct reg_entry *re = iid ? registry_find(
		    r->srv->cfg->reg, iid) : NULL;

		e = re == NULL ? SB_EINVAL : store_permission_add(r->s,
		    re->in->id, form_get(&r->form, "reference") ?
		    form_get(&r->form, "reference") : "");
	} else if (strcmp(what, "settings") == 0 ||
	    strcmp(what, "email") == 0) {
		if (store_actor(r->s)->role != ROLE_ADMIN)
			error_page(r, 403, "Administration is for admins.");
		else if (strcmp(what, "settings") == 0)
			settings_post(r);
		else
			email_post(r);
		return;
	} else if (strcmp(what, "prompts") == 0) {
		if (store_actor(r->s)->role != ROLE_ADMIN)
			error_page(r, 403, "Administration is for admins.");
		else
			prompts_post(r);
		return;
	} else {
		error_page(r, 404, "Not found.");
		return;
	}
	if (e != SB_OK) {
		error_page(r, e == SB_EPERM ? 403 : 400, store_errmsg(r->s)[0] ?
		    store_errmsg(r->s) : "That could not be done.");
		return;
	}
	redirect(r, "/admin");
}

/* ---- the client's questionnaire (no account: the link is the key) ---- */

void
link_csrf(const char *token, char out[TOKEN_HEX + 1])
{
	unsigned char	 h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), (const unsigned char *)"sb-link-csrf-v1-key-0000000",
	    16);
	sodium_bin2hex(out, TOKEN_HEX + 1, h, sizeof(h));
}

static void
questionnaire(struct req *r, const char *token)
{
	const struct reg_entry	*re;
	const struct instrument	*in;
	const struct instr_optset *os;
	struct store_link	 l;
	struct score_plan	*plan = NULL;
	int16_t			 ans[INSTR_MAX_ITEMS];
	struct buf		 enc;
	char			 csrf[TOKEN_HEX + 1], href[128];
	const char		*p, *v, *go;
	size_t			 i, k, page = 0, pages, first, last;
	long			 val;
	int			 ncrit = 0, queued = 0;
	bool			 crisis = false, unsaved = false, finish;
	enum sb_err		 e;

	/* A link is one person's: more than LINK_RATE posts a minute are
	 * a script, not someone answering. */
	if (strcmp(r->method, "POST") == 0 && !link_rate_ok(r->srv, token)) {
		snprintf(r->retry_after, sizeof(r->retry_after), "60");
		error_page(r, 429, "Too many answers sent in a minute. Please "
		    "wait a minute; nothing you sent before is lost.");
		return;
	}
	if (store_link_open(r->s, token, now(), &l) != SB_OK) {
		error_page(r, 404, "This link is not valid: it may have "
		    "expired. Please ask your therapist for a new one.");
		return;
	}
	if (strcmp(l.instrument, NARRATIVE_LINK) == 0) {
		narrative_link(r, token, &l);
		free(l.answers);
		return;
	}
	re = registry_find(r->srv->cfg->reg, l.instrument);
	if (re == NULL || !re->enabled || l.administration != 0 ||
	    score_plan_new(re->in, 0, 0, &plan) != SB_OK) {
		error_page(r, l.administration ? 410 : 404, l.administration ?
		    "This questionnaire is complete. Thank you." :
		    "This questionnaire is not available.");
		free(l.answers);
		return;
	}
	in = re->in;
	if (answers_decode(plan, l.answers, ans) != SB_OK)
		for (i = 0; i < in->nitems; i++)
			ans[i] = SCORE_MISSING;
	pages = (in->nitems + PAGE_ITEMS - 1) / PAGE_ITEMS;
	p = strcmp(r->method, "POST") == 0 ? NULL : query(r, "p");
	link_csrf(token, csrf);
	if (strcmp(r->method, "POST") == 0) {
		if (!parse_form(r))
			goto out;
		if (!csrf_ok(r, csrf)) {
			error_page(r, 403, "This form came from somewhere else.");
			goto out;
		}
		p = form_get(&r->form, "p");
	}
	if (p != NULL && (!text_int(p, strlen(p), &val) || val < 0 ||
	    (size_t)val >= pages)) {
		error_page(r, 400, "There is no such page.");
		goto out;
	}
	page = p ? (size_t)val : 0;
	first = page * PAGE_ITEMS;
	last = first + PAGE_ITEMS < in->nitems ? first + PAGE_ITEMS :
	    in->nitems;
	if (strcmp(r->method, "POST") == 0) {
		for (i = first; i < last; i++) {
			v = form_get(&r->form, in->items[i].id);
			if (v == NULL || *v == '\0') {
				ans[i] = SCORE_MISSING;	/* skipped */
				continue;
			}
			if (!text_int(v, strlen(v), &val) ||
			    !score_answer_ok(plan, i, val)) {
				error_page(r, 400, "An answer was not one of "
				    "the choices.");
				goto out;
			}
			ans[i] = (int16_t)val;
		}
		go = form_get(&r->form, "go");
		finish = !(go != NULL && strcmp(go, "back") == 0 && page > 0) &&
		    page + 1 >= pages;
		/*
		 * The page's answers, the alerts they raise and, on the last
		 * page, the administration and the link's end: one
		 * transaction.  If any of it cannot be written none of it is,
		 * and the client is told so instead of being shown the
		 * crisis text for an answer nobody will see.
		 */
		buf_init(&enc, 1 << 16);
		answers_encode(in, ans, &enc);
		e = store_begin(r->s);
		if (e == SB_OK)
			e = store_link_save(r->s, l.id, enc.data);
		if (e == SB_OK)
			e = record_link_critical(r->s, plan, l.client, l.id,
			    ans, &ncrit, &queued);
		if (e == SB_OK && finish) {
			struct record_opts ro = { "self", l.mode, NULL, true,
			    l.id, NULL, 0, false };
			struct record_out rr;

			if ((e = record_administration(r->s, plan, l.client,
			    ans, &ro, &rr)) == SB_OK)
				e = store_link_done(r->s, l.id, rr.id);
			if (e == SB_OK)
				queued += rr.queued;
		}
		if (e == SB_OK)
			e = store_commit(r->s);
		else
			store_rollback(r->s);
		buf_free(&enc);
		if (e == SB_EPERM) {
			error_page(r, 409, "These answers were already sent, "
			    "or the questionnaire is closed. Thank you.");
			goto out;
		}
		/* The crisis text goes with the page that holds the risk
		 * answer, every time it is sent with it. */
		for (i = first; i < last; i++)
			if (in->items[i].critical && ans[i] != SCORE_MISSING &&
			    ans[i] >= in->items[i].critical_min)
				crisis = true;
		/* Not saved (the disk, or the database busy for longer than
		 * the wait): the same page again with what they chose, and
		 * nothing that says anyone will see it. */
		if (e != SB_OK) {
			r->status = 503;
			unsaved = true;
			goto form;
		}
		if (finish) {
			page_begin(r, "Thank you");
			if (crisis || ncrit > 0)
				crisis_box(r, queued);
			HTML_LIT(&r->out, "<h1>Thank you</h1><p>Your answers "
			    "have been sent to your therapist.</p>");
			if (strcmp(l.mode, "in-session") == 0)
				HTML_LIT(&r->out, "<p>Please hand the device "
				    "back to your therapist.</p><p><a href=\""
				    "/login\">Therapist: sign in again</a></p>");
			page_end(r);
			goto out;
		}
		if (go != NULL && strcmp(go, "back") == 0 && page > 0)
			page--;
		else
			page++;
		if (!crisis) {
			snprintf(href, sizeof(href), "/q/%s?p=%zu", token, page);
			redirect(r, href);
			goto out;
		}
	}
	first = page * PAGE_ITEMS;
	last = first + PAGE_ITEMS < in->nitems ? first + PAGE_ITEMS :
	    in->nitems;
form:
	page_begin(r, in->name);
	if (unsaved)
		unsaved_box(r, crisis);
	else if (crisis)
		crisis_box(r, queued);
	HTML_LIT(&r->out, "<h1>");
	html_text(&r->out, in->title);
	HTML_LIT(&r->out, "</h1>");
	if (in->support && page == 0 && !crisis && !unsaved)
		support_box(r);
	if (in->instructions != NULL) {
		HTML_LIT(&r->out, "<p>");
		html_text(&r->out, in->instructions);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "<p class=\"muted\">Page ");
	html_int(&r->out, (int64_t)page + 1);
	HTML_LIT(&r->out, " of ");
	html_int(&r->out, (int64_t)pages);
	HTML_LIT(&r->out, ". Your answers are saved on every page; you may "
	    "skip any question.</p><form method=\"post\"");
	snprintf(href, sizeof(href), "/q/%s", token);
	html_attr(&r->out, "action", href);
	HTML_LIT(&r->out, ">");
	csrf_field(r, csrf);
	HTML_LIT(&r->out, "<input type=\"hidden\" name=\"p\"");
	{
		char pn[24];

		snprintf(pn, sizeof(pn), "%zu", page);
		html_attr(&r->out, "value", pn);
	}
	HTML_LIT(&r->out, ">");
	for (i = first; i < last; i++) {
		os = &in->optsets[in->items[i].optset];
		HTML_LIT(&r->out, "<fieldset><legend>");
		html_int(&r->out, (int64_t)i + 1);
		HTML_LIT(&r->out, ". ");
		if (in->items[i].target != INSTR_NONE) {
			html_text(&r->out, in->targets[in->items[i].target].label);
			HTML_LIT(&r->out, ": ");
		}
		html_text(&r->out, in->items[i].text);
		HTML_LIT(&r->out, "</legend>");
		for (k = 0; k < os->nopts; k++) {
			char value[16];

			snprintf(value, sizeof(value), "%d", os->opts[k].value);
			HTML_LIT(&r->out, "<label><input type=\"radio\"");
			html_attr(&r->out, "name", in->items[i].id);
			html_attr(&r->out, "value", value);
			if (ans[i] == os->opts[k].value)
				HTML_LIT(&r->out, " checked");
			HTML_LIT(&r->out, ">");
			html_text(&r->out, os->opts[k].label);
			HTML_LIT(&r->out, "</label>");
		}
		HTML_LIT(&r->out, "</fieldset>");
	}
	if (page > 0)
		HTML_LIT(&r->out, "<button class=\"secondary\" name=\"go\" "
		    "value=\"back\" type=\"submit\">Back</button>");
	if (page + 1 < pages)
		HTML_LIT(&r->out, "<button name=\"go\" value=\"next\" "
		    "type=\"submit\">Save and continue</button>");
	else
		HTML_LIT(&r->out, "<button name=\"go\" value=\"next\" "
		    "type=\"submit\">Send my answers</button>");
	HTML_LIT(&r->out, "</form><p class=\"muted\">");
	html_text(&r->out, in->notice ? in->notice : in->citation);
	HTML_LIT(&r->out, "</p>");
	page_end(r);
out:
	free(l.answers);
	score_plan_free(plan);
}

/* ---- routing ---- */

/*
 * The handlers of the route table: each gets the id matched by "#" and
 * the rest matched by "*" (or 0 and NULL).
 */
static void
r_style(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	/* web/style.css, compiled in (build/builtin_web.c). */
	buf_add(&r->out, builtin_web[0].data, builtin_web[0].len);
	r->type = "text/css; charset=utf-8";
}

static void
r_questionnaire(struct req *r, int64_t id, const char *token)
{
	(void)id;
	if (strchr(token, '/') != NULL)
		error_page(r, 404, "Not found.");
	else
		questionnaire(r, token);
}

static void
r_login_form(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	login_form(r, NULL);
}

static void
r_login(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	login_post(r);
}

static void
r_home(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN)
		redirect(r, "/admin");
	else
		dashboard(r);
}

static void
r_outcomes(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	outcomes_page(r);
}

static void
r_account(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	account_page(r);
}

static void
r_account_post(struct req *r, int64_t id, const char *what)
{
	(void)id;
	account_post(r, what);
}

static void
r_account_password(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	account_post(r, "password");
}

static void
r_admin(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_ADMIN)
		error_page(r, 403, "Administration is for admins.");
	else
		admin_page(r);
}

static void
r_admin_post(struct req *r, int64_t id, const char *what)
{
	(void)id;
	admin_post(r, what);
}

static void
r_logout(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	store_logout(r->s, r->token);
	snprintf(r->cookie, sizeof(r->cookie), SESSION_COOKIE "=; Path=/; "
	    "Secure; HttpOnly; SameSite=Strict; Max-Age=0");
	redirect(r, "/login");
}

static void
r_alert_post(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	alert_post(r);
}

static void
r_alert_goto(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	alert_goto(r, id);
}

static void
r_client_add(struct req *r, int64_t id, const char *rest)
{
	char		 to[64];
	enum sb_err	 e;

	(void)rest;
	if ((e = store_client_add(r->s, form_get(&r->form, "name"), &id)) !=
	    SB_OK) {
		error_page(r, e == SB_EPERM ? 403 : 400, store_errmsg(r->s));
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	redirect(r, to);
}

static void
r_client(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	client_page(r, id);
}

static void
r_links(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	link_post(r, id);
}

static void
r_share(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, true);
}

static void
r_unshare(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, false);
}

static void
r_history(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	history_page(r, id);
}

static void
r_history_edit(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	history_edit_page(r, id);
}

static void
r_history_post(struct req *r, int64_t id, const char *what)
{
	history_post(r, id, what);
}

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
	void		(*fn)(struct req *, int64_t, const char *);
} routes[] = {
	{ "GET", "/static/style.css", true, false, r_style },
	{ "GET", "/q/*", true, false, r_questionnaire },
	{ "POST", "/q/*", true, false, r_questionnaire },
	{ "GET", "/login", true, false, r_login_form },
	{ "POST", "/login", true, false, r_login },
	{ "GET", "/", false, false, r_home },
	{ "GET", "/outcomes", false, false, r_outcomes },
	{ "GET", "/account", false, true, r_account },
	{ "POST", "/account/password", false, true, r_account_password },
	{ "POST", "/account/*", false, false, r_account_post },
	{ "GET", "/admin", false, false, r_admin },
	{ "POST", "/admin/*", false, false, r_admin_post },
	{ "POST", "/logout", false, true, r_logout },
	{ "POST", "/alerts", false, false, r_alert_post },
	{ "GET", "/alerts/#", false, false, r_alert_goto },
	{ "POST", "/clients", false, false, r_client_add },
	{ "GET", "/clients/#", false, false, r_client },
	{ "POST", "/clients/#/links", false, false, r_links },
	{ "POST", "/clients/#/share", false, false, r_share },
	{ "POST", "/clients/#/unshare", false, false, r_unshare },
	{ "GET", "/clients/#/history", false, false, r_history },
	{ "GET", "/clients/#/edit", false, false, r_history_edit },
	{ "GET", "/clients/#/narratives/*", false, false, narrative_page },
	{ "POST", "/clients/#/narratives/*", false, false, narrative_post },
	{ "POST", "/clients/#/*", false, false, r_history_post },
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
		redirect(r, "/login");
		return;
	}
	snprintf(r->token, sizeof(r->token), "%s", tok);
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

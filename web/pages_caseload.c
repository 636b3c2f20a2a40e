/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_caseload.c - the therapist's caseload: each client with the
 * latest score of each measure and its change, measures due, the open
 * alerts with their forms, and adding a client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/text.h"
#include "app/clients.h"
#include "app/record.h"
#include "render/html.h"
#include "web/web_int.h"

/* The last two values of each instrument's first score, per client. */
struct latest {
	int64_t			 client;
	char			 newest[24];	/* date of the latest answer */
	struct {
		const struct reg_entry	*re;
		double			 prev, last;
		size_t			 n;	/* 0: not scored (part) */
		struct score_partial	 part;
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
static SB_MUST enum sb_err
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
	if (l->nv == 16)
		return SB_OK;
	if (!first_score(p, a->last.answers, &last)) {
		int16_t	 ans[INSTR_MAX_ITEMS];

		/* Not scored (a risk item skipped, say): what the answered
		 * items add up to is shown beside it, not hidden. */
		if (a->last.answers != NULL && answers_decode(p,
		    a->last.answers, ans) == SB_OK && score_partial(p, ans, 0,
		    &l->v[l->nv].part)) {
			l->v[l->nv].re = re;
			l->v[l->nv].n = 0;
			l->nv++;
		}
		return SB_OK;
	}
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

/* Each measure's latest score: the band's tone and words, and the move
 * from the one before, coloured by better or worse for that measure,
 * said in words too. */
static void
latest_cell(struct req *r, const struct latest *l)
{
	const struct instr_score	*sc;
	const char			*band, *tone;
	size_t				 i;

	if (l == NULL || l->nv == 0) {
		HTML_LIT(&r->out, "<span class=\"muted\">No answers yet"
		    "</span>");
		return;
	}
	for (i = 0; i < l->nv; i++) {
		sc = &l->v[i].re->in->scores[0];
		if (i > 0)
			HTML_LIT(&r->out, "<br>");
		html_text(&r->out, l->v[i].re->in->name);
		/* Scores about several figures (the ECR-RS): which one this
		 * is, never a bare number read as the client's own. */
		if (l->v[i].re->in->ntargets > 0) {
			HTML_LIT(&r->out, " ");
			html_text(&r->out, sc->label);
		}
		if (l->v[i].n == 0) {
			HTML_LIT(&r->out, " <strong>not scored</strong> ");
			partial_words(r, &l->v[i].part);
			continue;
		}
		HTML_LIT(&r->out, " <strong>");
		html_num(&r->out, l->v[i].last, 1);
		HTML_LIT(&r->out, "</strong> ");
		if ((band = instr_band_label(sc, l->v[i].last)) != NULL) {
			tone = score_tone(sc, l->v[i].last);
			HTML_LIT(&r->out, "<span class=\"badge ");
			html_text(&r->out, tone ? tone : "same");
			HTML_LIT(&r->out, "\">");
			html_text(&r->out, band);
			HTML_LIT(&r->out, "</span> ");
		}
		if (l->v[i].n == 2)
			move_words(r, sc, l->v[i].prev, l->v[i].last);
	}
}

/* The clients with a plan in force, and their open sends. */
struct planned {
	int64_t		*client;
	int		*open, *overdue;
	size_t		 n, cap;
};

static SB_MUST enum sb_err
planned_add(void *arg, int64_t client, int open, int overdue)
{
	struct planned	*p = arg;
	size_t		 cap = p->cap ? p->cap * 2 : 64;
	void		*a, *b, *c;

	if (p->n == p->cap) {
		a = realloc(p->client, cap * sizeof(*p->client));
		b = a ? realloc(p->open, cap * sizeof(*p->open)) : NULL;
		c = b ? realloc(p->overdue, cap * sizeof(*p->overdue)) : NULL;
		if (a != NULL)
			p->client = a;
		if (b != NULL)
			p->open = b;
		if (c == NULL)
			return SB_ENOMEM;
		p->overdue = c;
		p->cap = cap;
	}
	p->client[p->n] = client;
	p->open[p->n] = open;
	p->overdue[p->n++] = overdue;
	return SB_OK;
}

/*
 * Measures due.  A client with a plan: the sends not yet answered, and
 * how many are past their reminder.  A client without one: none answered
 * in DUE_DAYS, or never.  Worked out from the data at each view.
 */
static void
due_list(struct req *r, const struct latest_all *all,
    const struct client_names *cl)
{
	struct planned	 p = { NULL, NULL, NULL, 0, 0 };
	char		 cutoff[24], words[160];
	time_t		 t = (time_t)clock_now() - (time_t)DUE_DAYS * 86400;
	struct tm	 tm;
	size_t		 i, k, n = 0;
	bool		 due, planned;

	gmtime_r(&t, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%dT%H:%M:%SZ", &tm);
	HTML_LIT(&r->out, "<h2>Measures due</h2>");
	if (store_sends_open_each(r->s, http_now(), planned_add, &p) != SB_OK) {
		HTML_LIT(&r->out, "<p class=\"high\">The plans could not be "
		    "read.</p>");
		goto out;
	}
	HTML_LIT(&r->out, "<ul>");
	for (k = 0; k < cl->n; k++) {
		planned = false;
		for (i = 0; i < p.n && !planned; i++)
			planned = p.client[i] == cl->v[k].id;
		if (planned) {
			i--;
			if (p.open[i] == 0)
				continue;
			snprintf(words, sizeof(words), ": %d measure%s sent "
			    "by the plan, not yet answered%s", p.open[i],
			    p.open[i] == 1 ? "" : "s", p.overdue[i] > 0 ?
			    " (reminded)" : "");
		} else {
			due = true;
			for (i = 0; i < all->n; i++)
				if (all->c[i].client == cl->v[k].id)
					due = strcmp(all->c[i].newest,
					    cutoff) < 0;
			if (!due)
				continue;
			snprintf(words, sizeof(words), ": no plan, and no "
			    "questionnaire answered in the last 4 weeks");
		}
		HTML_LIT(&r->out, "<li><a");
		{
			char	 href[48];

			snprintf(href, sizeof(href), "/clients/%lld#plans",
			    (long long)cl->v[k].id);
			html_attr(&r->out, "href", href);
		}
		HTML_LIT(&r->out, ">");
		html_text(&r->out, cl->v[k].name);
		HTML_LIT(&r->out, "</a>");
		html_text(&r->out, words);
		HTML_LIT(&r->out, "</li>");
		n++;
	}
	if (n == 0)
		HTML_LIT(&r->out, "<li>None: every plan's measures are "
		    "answered, and every client without a plan answered one in "
		    "the last 4 weeks.</li>");
	HTML_LIT(&r->out, "</ul>");
out:
	free(p.client);
	free(p.open);
	free(p.overdue);
}

/* How the caseload is ordered: ?sort=name (the default), alerts (the
 * most open alerts first) or recent (the latest answer first). */
enum order { BY_NAME, BY_ALERTS, BY_RECENT };

struct rowkey {
	const struct client_name	*c;
	const struct latest		*l;
	size_t				 alerts;
};

static int
row_cmp(const struct rowkey *a, const struct rowkey *b, enum order o)
{
	const char	*na = a->l ? a->l->newest : "", *nb = b->l ?
	    b->l->newest : "";
	int		 c;

	if (o == BY_ALERTS && a->alerts != b->alerts)
		return a->alerts > b->alerts ? -1 : 1;
	if (o == BY_RECENT && (c = strcmp(nb, na)) != 0)
		return c;
	if ((c = strcasecmp(a->c->name, b->c->name)) != 0)
		return c;
	return a->c->id < b->c->id ? -1 : a->c->id > b->c->id;
}

/* A stable merge sort of the rows (qsort has no context to carry the
 * order, and is not stable). */
static void
rows_sort(struct rowkey *v, struct rowkey *tmp, size_t n, enum order o)
{
	size_t	 w, i, lo, mid, hi, a, b;

	for (w = 1; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			for (a = lo, b = mid, i = lo; i < hi; i++)
				tmp[i] = a < mid && (b >= hi || row_cmp(&v[a],
				    &v[b], o) <= 0) ? v[a++] : v[b++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
}

/* Does the name hold q (ASCII letters without regard to case)? */
static bool
name_has(const char *name, const char *q)
{
	size_t	 n = strlen(q), i;

	if (n == 0)
		return true;
	for (i = 0; name[i] != '\0'; i++)
		if (strncasecmp(name + i, q, n) == 0)
			return true;
	return false;
}

/* The caseload's table; false when the scores could not be read. */
static bool
client_rows(struct req *r, const struct client_names *cl,
    const size_t *alerts, const char *q, enum order o)
{
	struct latest_all	 all;
	struct rowkey		*keys = NULL, *tmp = NULL;
	char			 href[48];
	size_t			 i, k, n = 0;
	bool			 ok;

	memset(&all, 0, sizeof(all));
	all.reg = r->srv->cfg->reg;
	/* Two administrations per measure and client, whatever the
	 * length of the history. */
	if (!(ok = store_latest_each(r->s, latest_row, &all) == SB_OK))
		goto out;
	if ((keys = calloc(cl->n + 1, sizeof(*keys))) == NULL ||
	    (tmp = calloc(cl->n + 1, sizeof(*tmp))) == NULL) {
		ok = false;
		goto out;
	}
	/* Rows come ordered by client: one walk pairs them up. */
	for (i = 0, k = 0; i < cl->n; i++) {
		while (k < all.n && all.c[k].client < cl->v[i].id)
			k++;
		if (!name_has(cl->v[i].name, q))
			continue;
		keys[n].c = &cl->v[i];
		keys[n].l = k < all.n && all.c[k].client == cl->v[i].id ?
		    &all.c[k] : NULL;
		keys[n++].alerts = alerts[i];
	}
	rows_sort(keys, tmp, n, o);
	if (n == 0) {
		HTML_LIT(&r->out, "<p class=\"empty\">No client's name holds "
		    "\u201c");
		html_text(&r->out, q);
		HTML_LIT(&r->out, "\u201d.</p>");
	} else
		HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\">"
		    "<table class=\""
		    "caseload\"><tr><th>Client</th><th>Latest scores (band, "
		    "and the move from the one before)</th><th>Last answered"
		    "</th></tr>");
	for (i = 0; i < n; i++) {
		snprintf(href, sizeof(href), "/clients/%lld",
		    (long long)keys[i].c->id);
		HTML_LIT(&r->out, "<tr><td><a");
		html_attr(&r->out, "href", href);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, keys[i].c->name);
		HTML_LIT(&r->out, "</a>");
		if (keys[i].alerts > 0) {
			HTML_LIT(&r->out, " <span class=\"badge high\">");
			html_int(&r->out, (int64_t)keys[i].alerts);
			HTML_PICK(&r->out, keys[i].alerts == 1, " open alert",
			    " open alerts");
			HTML_LIT(&r->out, "</span>");
		}
		HTML_LIT(&r->out, "</td><td>");
		latest_cell(r, keys[i].l);
		HTML_LIT(&r->out, "</td><td data-label=\"Last answered\">");
		if (keys[i].l != NULL && keys[i].l->newest[0] != '\0')
			html_when(&r->out, keys[i].l->newest);
		else
			HTML_LIT(&r->out, "never");
		HTML_LIT(&r->out, "</td></tr>");
	}
	if (n > 0)
		HTML_LIT(&r->out, "</table></div>");
	due_list(r, &all, cl);
out:
	for (i = 0; i < REGISTRY_MAX; i++)
		score_plan_free(all.plans[i]);
	free(all.c);
	free(keys);
	free(tmp);
	return ok;
}

/* Search and order: a GET form, so the view can be bookmarked. */
static void
find_form(struct req *r, const char *q, enum order o)
{
	static const char *const names[][2] = { { "name", "Name" },
	    { "alerts", "Open alerts first" }, { "recent",
	    "Latest answer first" } };
	size_t	 i;

	HTML_LIT(&r->out, "<form method=\"get\" action=\"/\" class=\"add\" "
	    "role=\"search\"><div class=\"field\"><label for=\"q\">Find a "
	    "client</label><input type=\"search\" id=\"q\" name=\"q\"");
	html_attr(&r->out, "value", q);
	HTML_LIT(&r->out, "></div><div class=\"field\"><label for=\"o\">"
	    "Order</label><select id=\"o\" name=\"sort\">");
	for (i = 0; i < 3; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", names[i][0]);
		if ((size_t)o == i)
			HTML_LIT(&r->out, " selected");
		HTML_LIT(&r->out, ">");
		html_text(&r->out, names[i][1]);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select></div><button type=\"submit\" class=\""
	    "secondary\">Show</button></form>");
}

/* The open alerts of the caseload, kept for the page. */
struct open_alerts {
	struct req			*r;
	const struct client_names	*cl;
	size_t				*count;	/* per client, as cl */
	size_t				 n;
	int				 escalate;	/* minutes */
};

/* One alert a row: the client by name, linked to their page, what
 * happened in words, and the forms that handle it, on the row. */
static SB_MUST enum sb_err
alert_row(void *arg, const struct store_alert *a)
{
	struct open_alerts		*o = arg;
	struct req			*r = o->r;
	const struct client_name	*c;
	char				 href[64], who[32];
	int64_t				 at;

	if (o->n++ == 0)
		HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\">"
		    "<table class=\"alerts\">"
		    "<tr><th>Client</th>"
		    "<th>Severity</th><th>What</th><th>Raised</th><th>State"
		    "</th><th>Handle</th></tr>");
	HTML_LIT(&r->out, "<tr><td><a");
	snprintf(href, sizeof(href), "/clients/%lld#alert-%lld",
	    (long long)a->client, (long long)a->id);
	html_attr(&r->out, "href", href);
	HTML_LIT(&r->out, ">");
	snprintf(who, sizeof(who), "client %lld", (long long)a->client);
	html_text(&r->out, (c = client_names_find(o->cl, a->client)) !=
	    NULL ? c->name : who);
	if (c != NULL)
		o->count[c - o->cl->v]++;
	/* Open past the practice's escalation time: passed to the duty
	 * address, and marked here too. */
	if (strcmp(a->severity, "high") == 0 && strcmp(a->state, "open") == 0
	    && a->historic[0] == '\0' && text_iso_seconds(a->created, &at) &&
	    http_now() - at >= (int64_t)o->escalate * 60)
		HTML_LIT(&r->out, " <span class=\"badge high\">overdue: not "
		    "acknowledged</span>");
	HTML_LIT(&r->out, "</a></td>");
	alert_cells(r, a);
	HTML_LIT(&r->out, "<td>");
	alert_forms(r, a, "/");
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

/*
 * The form that adds a client, near the top.  After a refused name, the
 * name as typed is back in the field with the reason beside it.
 */
static void
add_client_form(struct req *r, const char *typed, const char *err)
{
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/clients\" "
	    "class=\"add\"><label for=\"cn\">New client's name</label>"
	    "<input type=\"text\" id=\"cn\" name=\"name\" required");
	if (typed != NULL)
		html_attr(&r->out, "value", typed);
	if (err != NULL)
		HTML_LIT(&r->out, " aria-invalid=\"true\" "
		    "aria-describedby=\"cn-err\" autofocus");
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\">Add client</button>");
	if (err != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" id=\"cn-err\">");
		html_text(&r->out, err);
		HTML_LIT(&r->out, "</p>");
	}
	HTML_LIT(&r->out, "</form>");
}

/* One click from the caseload: a measure to one of the therapist's own
 * clients, by mail or SMS, to what is on file. */
static void
send_form(struct req *r, const struct client_names *cl)
{
	const char	*me = store_actor(r->s)->name;
	char		 id[24];
	size_t		 i, mine = 0;

	for (i = 0; i < cl->n; i++)
		mine += strcmp(cl->v[i].therapist, me) == 0;
	if (mine == 0)
		return;
	HTML_LIT(&r->out, "<form method=\"post\" action=\"/send\" class=\""
	    "add\"><label for=\"sc\">Send a measure to</label><select id=\""
	    "sc\" name=\"client\">");
	for (i = 0; i < cl->n; i++) {
		if (strcmp(cl->v[i].therapist, me) != 0)
			continue;
		snprintf(id, sizeof(id), "%lld", (long long)cl->v[i].id);
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", id);
		HTML_LIT(&r->out, ">");
		html_text(&r->out, cl->v[i].name);
		HTML_LIT(&r->out, "</option>");
	}
	HTML_LIT(&r->out, "</select><label for=\"si\">Measure</label><select "
	    "id=\"si\" name=\"instrument\">");
	instrument_options(r, r->srv->cfg->reg, true);
	HTML_LIT(&r->out, "</select>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\" name=\"send\" value=\"mail\">"
	    "Send by mail</button><button type=\"submit\" name=\"send\" "
	    "value=\"sms\">Send by SMS</button></form>");
}

/* POST /send: the caseload's one-click send, as the client page's. */
void
send_post(struct req *r, int64_t id, const char *rest)
{
	const char	*c = form_get(&r->form, "client");

	if (c == NULL || !http_parse_id(c, strlen(c), &id)) {
		error_page(r, 400, "Choose the client.");
		return;
	}
	if (form_get(&r->form, "send") == NULL) {
		error_page(r, 400, "Send by mail or by SMS.");
		return;
	}
	link_post(r, id, rest);
}

/* The caseload; typed and err: a refused new client (else NULL). */
static void
dashboard(struct req *r, const char *typed, const char *err)
{
	struct client_names	 cl;
	struct open_alerts	 oa = { NULL, NULL, NULL, 0, 0 };
	const char		*q, *sort;
	enum order		 o;

	/* Overdue measures become alerts with a lifecycle; usually there is
	 * nothing new and this is one read. */
	{
		size_t raised;

		if (store_alerts_overdue(r->s, http_now(), DUE_DAYS, &raised) !=
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
	q = http_query(r, "q");
	sort = http_query(r, "sort");
	o = sort && strcmp(sort, "alerts") == 0 ? BY_ALERTS : sort &&
	    strcmp(sort, "recent") == 0 ? BY_RECENT : BY_NAME;
	if ((oa.count = calloc(cl.n + 1, sizeof(*oa.count))) == NULL) {
		read_failed(r);
		goto out;
	}
	/* At once, not doubled up; a failure: the appends say. */
	(void)!buf_grow(&r->out, 64 * 1024);
	page_begin(r, "Caseload");
	HTML_LIT(&r->out, "<div class=\"page-head\"><h1>Caseload</h1>");
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		add_client_form(r, typed, err);
		send_form(r, &cl);
	}
	HTML_LIT(&r->out, "</div><section class=\"card\" aria-labelledby=\""
	    "oa-h\"><h2 id=\"oa-h\">Open alerts</h2>");
	oa.r = r;
	oa.cl = &cl;
	oa.n = 0;
	if (store_escalate_minutes(r->s, &oa.escalate) != SB_OK)
		oa.escalate = STORE_ESCALATE_DEFAULT;
	if (store_alert_open_each(r->s, alert_row, &oa) != SB_OK) {
		read_failed(r);
		goto out;
	}
	if (oa.n > 0)
		HTML_LIT(&r->out, "</table></div>");
	else
		HTML_LIT(&r->out, "<p class=\"empty\">No open alerts.</p>");
	HTML_LIT(&r->out, "</section><section class=\"card\" aria-labelledby="
	    "\"cl-h\"><h2 id=\"cl-h\">Clients</h2>");
	if (cl.n > 0) {
		find_form(r, q ? q : "", o);
		if (!client_rows(r, &cl, oa.count, q ? q : "", o)) {
			read_failed(r);
			goto out;
		}
	} else
		HTML_LIT(&r->out, "<p class=\"empty\">No clients yet.</p>");
	HTML_LIT(&r->out, "</section>");
	page_end(r);
out:
	view_end(r);
	client_names_free(&cl);
	free(oa.count);
}

/* GET /: the caseload, or the administration page for an admin. */
void
home_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN)
		http_redirect(r, "/admin");
	else
		dashboard(r, NULL, NULL);
}

const struct field_def client_add_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /clients: a new client, from the form on the caseload
 * (client_add_fields checked: the store says what a name needs). */
void
client_add_page(struct req *r, int64_t id, const char *rest)
{
	char		 to[64], why[300];
	enum sb_err	 e;

	(void)rest;
	if ((e = store_client_add(r->s, r->in[0].text, &id)) !=
	    SB_OK) {
		if (e != SB_EINVAL && e != SB_ELIMIT) {
			error_page(r, e == SB_EPERM ? 403 : 503,
			    store_errmsg(r->s));
			return;
		}
		/* The caseload again, the name as typed and why not. */
		snprintf(why, sizeof(why), "Not added: %s.",
		    store_errmsg(r->s));
		r->status = 400;
		dashboard(r, r->in[0].text, why);
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	http_redirect(r, to);
}

/*
 * pages_caseload.c - the therapist's caseload: each client with the
 * latest score of each measure and its change, measures due, the open
 * alerts with their forms, and adding a client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		/* Scores about several figures (the ECR-RS): which one this
		 * is, never a bare number read as the client's own. */
		if (l->v[i].re->in->ntargets > 0) {
			HTML_LIT(&r->out, " ");
			html_text(&r->out, l->v[i].re->in->scores[0].label);
		}
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

/* One alert a row: the client by name, linked to their page, what
 * happened in words, and the forms that handle it, on the row. */
static enum sb_err
alert_row(void *arg, const struct store_alert *a)
{
	struct open_alerts		*o = arg;
	struct req			*r = o->r;
	const struct client_name	*c;
	char				 href[64], who[32];

	if (o->n++ == 0)
		HTML_LIT(&r->out, "<table class=\"alerts\"><tr><th>Client</th>"
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

/* The caseload; typed and err: a refused new client (else NULL). */
static void
dashboard(struct req *r, const char *typed, const char *err)
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
	HTML_LIT(&r->out, "<h1>Caseload</h1>");
	if (store_actor(r->s)->role == ROLE_THERAPIST)
		add_client_form(r, typed, err);
	HTML_LIT(&r->out, "<h2>Open alerts</h2>");
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
	if (oa.n > 0)
		HTML_LIT(&r->out, "</table>");
	else
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
	page_end(r);
	view_end(r);
	client_names_free(&cl);
}

/* GET /: the caseload, or the administration page for an admin. */
void
home_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN)
		redirect(r, "/admin");
	else
		dashboard(r, NULL, NULL);
}

/* POST /clients: a new client, from the form on the caseload. */
void
client_add_page(struct req *r, int64_t id, const char *rest)
{
	char		 to[64], why[300];
	enum sb_err	 e;

	(void)rest;
	if ((e = store_client_add(r->s, form_get(&r->form, "name"), &id)) !=
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
		dashboard(r, form_get(&r->form, "name"), why);
		return;
	}
	snprintf(to, sizeof(to), "/clients/%lld", (long long)id);
	redirect(r, to);
}

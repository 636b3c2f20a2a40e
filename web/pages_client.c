/*
 * pages_client.c - the client page: the summary of each measure with its
 * chart and change, the attachment plane, the time line, the answer
 * sets, sending a questionnaire link, and sharing the client with a
 * colleague.  The history and narrative sections are their own files.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app/record.h"
#include "core/change.h"
#include "core/plane.h"
#include "render/charts.h"
#include "render/html.h"
#include "render/record.h"
#include "web/web_int.h"

static void	sharing_forms(struct req *, int64_t);
static void	links_section(struct req *, int64_t);
static void	link_shown(struct req *, const char *, const char *);

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
story_row(void *arg, const struct store_administration_row *a)
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
	if (st.s == NULL || store_administration_each(r->s, NULL, id,
	    story_row, &st) != SB_OK) {
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
	alert_history(r, id);
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
	HTML_LIT(&r->out, "</pre></details>");
	/* Only the client's therapist sends measures: a supervisor reads. */
	if (store_actor(r->s)->role == ROLE_THERAPIST) {
		HTML_LIT(&r->out, "<h2>Send a measure</h2><form method=\"post\" "
		    "action=\"/clients/");
		html_int(&r->out, id);
		HTML_LIT(&r->out, "/links\"><label for=\"i\">Instrument"
		    "</label><select id=\"i\" name=\"instrument\">");
		instrument_options(r, reg, true);
		HTML_LIT(&r->out, "</select>");
		csrf_field(r, r->csrf);
		HTML_LIT(&r->out, "<p><button type=\"submit\">Create link"
		    "</button><button type=\"submit\" name=\"now\" value=\"1\" "
		    "class=\"secondary\">Start now on this device</button></p>"
		    "</form>");
	}
	links_section(r, id);
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

/* The links table, a row as each link comes. */
struct links_list {
	struct req	*r;
	int64_t		 client;
	size_t		 n;
};

static void
day_words(struct buf *b, int64_t t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	char		 d[32];

	gmtime_r(&tt, &tm);
	strftime(d, sizeof(d), "%e %b %Y", &tm);
	html_text(b, d[0] == ' ' ? d + 1 : d);
}

static void
link_button(struct req *r, int64_t client, int64_t link, const char *what,
    const char *label, bool secondary)
{
	char	 act[80], id[24];

	snprintf(act, sizeof(act), "/clients/%lld/links/%s", (long long)client,
	    what);
	snprintf(id, sizeof(id), "%lld", (long long)link);
	HTML_LIT(&r->out, "<form method=\"post\" class=\"inline\"");
	html_attr(&r->out, "action", act);
	HTML_LIT(&r->out, "><input type=\"hidden\" name=\"link\"");
	html_attr(&r->out, "value", id);
	HTML_LIT(&r->out, ">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<button type=\"submit\"");
	if (secondary)
		HTML_LIT(&r->out, " class=\"secondary\"");
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</button></form>");
}

static enum sb_err
link_row(void *arg, const struct store_link_row *l)
{
	struct links_list	*ll = arg;
	struct req		*r = ll->r;
	const struct reg_entry	*re = registry_find(r->srv->cfg->reg,
				    l->instrument);
	bool			 open = strcmp(l->state, "finished") != 0 &&
				    strcmp(l->state, "cancelled") != 0;

	if (ll->n++ == 0)
		HTML_LIT(&r->out, "<table class=\"links\"><tr><th>What</th>"
		    "<th>Sent</th><th>By</th><th>Valid until</th><th>State"
		    "</th><th></th></tr>");
	HTML_LIT(&r->out, "<tr><td>");
	html_text(&r->out, re ? re->in->name : strcmp(l->instrument,
	    NARRATIVE_LINK) == 0 ? "Written answers to prompts" :
	    l->instrument);
	if (strcmp(l->mode, "in-session") == 0)
		HTML_LIT(&r->out, " (in the session)");
	HTML_LIT(&r->out, "</td><td>");
	day_words(&r->out, l->created);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, l->by);
	HTML_LIT(&r->out, "</td><td>");
	day_words(&r->out, l->expires);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, l->state);
	HTML_LIT(&r->out, "</td><td>");
	if (open && store_actor(r->s)->role == ROLE_THERAPIST &&
	    strcmp(l->mode, "link") == 0) {
		link_button(r, ll->client, l->id, "renew", "Send again", false);
		if (strcmp(l->state, "expired") != 0)
			link_button(r, ll->client, l->id, "cancel", "Withdraw",
			    true);
	}
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

/* The links sent to the client and how far each came, with a way to
 * send one again (a new link, the answers so far kept) or withdraw it. */
static void
links_section(struct req *r, int64_t id)
{
	struct links_list	 ll = { r, id, 0 };
	size_t			 mark = r->out.len;

	HTML_LIT(&r->out, "<h2 id=\"links\">Links sent</h2>");
	if (store_link_each(r->s, id, now(), link_row, &ll) != SB_OK) {
		r->out.len = mark;
		r->out.data[mark] = '\0';
		HTML_LIT(&r->out, "<h2 id=\"links\">Links sent</h2><p "
		    "class=\"high\">The links could not be read.</p>");
		return;
	}
	if (ll.n == 0)
		HTML_LIT(&r->out, "<p>No links yet.</p>");
	else
		HTML_LIT(&r->out, "</table>");
}

/* POST /clients/N/links/cancel and /renew, with the link's number. */
void
link_change_post(struct req *r, int64_t client, const char *what)
{
	const char		*v = form_get(&r->form, "link");
	const struct reg_entry	*re;
	char			 token[TOKEN_HEX + 1], url[600], to[64];
	char			 instrument[64];
	int64_t			 link, id;
	enum sb_err		 e;

	if (v == NULL || !parse_id(v, strlen(v), &link) ||
	    (strcmp(what, "cancel") != 0 && strcmp(what, "renew") != 0)) {
		error_page(r, 400, "Choose the link.");
		return;
	}
	if (what[0] == 'c')
		e = store_link_cancel(r->s, client, link, now());
	else
		e = store_link_renew(r->s, client, link, 14, now(), token,
		    instrument, &id);
	switch (e) {
	case SB_OK:
		break;
	case SB_ENOENT:
	case SB_EPERM:
		error_page(r, 404, "There is no such link of this client on "
		    "your caseload.");
		return;
	case SB_EINVAL:
		error_page(r, 409, "This link is finished or was withdrawn "
		    "already; nothing was changed.");
		return;
	default:
		error_page(r, 503, "The link could not be changed just now; "
		    "please try again in a moment.");
		return;
	}
	if (what[0] == 'c') {
		snprintf(to, sizeof(to), "/clients/%lld#links",
		    (long long)client);
		redirect(r, to);
		return;
	}
	snprintf(url, sizeof(url), "%s/q/%s", r->srv->cfg->origin, token);
	sodium_memzero(token, sizeof(token));
	re = registry_find(r->srv->cfg->reg, instrument);
	link_shown(r, url, re ? re->in->name : NULL);
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
/* GET /clients/N: the client page, in one page view. */
void
client_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	if (!view_begin(r))
		return;
	client_story(r, id);
	view_end(r);
}

/* POST /clients/N/links: a questionnaire link for the client. */
void
link_post(struct req *r, int64_t client, const char *rest)
{
	const char		*iid = form_get(&r->form, "instrument");
	const struct reg_entry	*re;
	char			 token[TOKEN_HEX + 1], url[600];
	int64_t			 id;
	enum sb_err		 e;

	(void)rest;
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
	link_shown(r, url, re ? re->in->name : NULL);
}

/* The page that shows a new link once (what: the instrument's name, or
 * NULL for the narrative prompts). */
static void
link_shown(struct req *r, const char *url, const char *what)
{
	page_begin(r, "Link created");
	nav(r);
	HTML_LIT(&r->out, "<h1>Link created</h1><p>Give this link to the "
	    "client (valid for 14 days, for one ");
	html_text(&r->out, what ? what : "set of written answers to the "
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

/* POST /clients/N/share and /unshare */
void
share_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, true);
}

void
unshare_page(struct req *r, int64_t id, const char *rest)
{
	(void)rest;
	share_post(r, id, false);
}

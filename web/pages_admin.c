/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_admin.c - the administration page: users and roles, licences of
 * instruments, the practice's settings and prompts, and the audit trail
 * with its verification.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "store/audit.h"
#include "store/rows.h"
#include "render/html.h"
#include "web/web_int.h"

#define AUDIT_PAGE	100

/* The audit table as it is written: rows, and the last row's number
 * (where the next page starts). */
struct audit_page {
	struct req	*r;
	size_t		 n;
	int64_t		 last;
};

static SB_MUST enum sb_err
audit_row(void *arg, const struct audit_row *a)
{
	struct audit_page	*p = arg;
	struct req		*r = p->r;

	if (p->n++ == 0)
		HTML_LIT(&r->out, "<div class=\"wide\" tabindex=\"0\">"
		    "<table><tr><th "
		    "class=\"num\">Row</th><th>Time</th><th>User</th><th>"
		    "Action</th><th>On</th><th class=\"num\">Id</th><th>"
		    "Detail</th></tr>");
	p->last = a->seq;

	HTML_LIT(&r->out, "<tr><td class=\"num\">");
	html_int(&r->out, a->seq);
	HTML_LIT(&r->out, "</td><td>");
	html_when(&r->out, a->at);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->user);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->action);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->entity);
	HTML_LIT(&r->out, "</td><td class=\"num\">");
	html_int(&r->out, a->entity_id);
	HTML_LIT(&r->out, "</td><td>");
	html_text(&r->out, a->detail);
	HTML_LIT(&r->out, "</td></tr>");
	return SB_OK;
}

static SB_MUST enum sb_err
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

/* A query parameter of the page's address, or NULL when empty. */
static const char *
arg(struct req *r, const char *name)
{
	const char	*v = http_query(r, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/* &name=value for an address, value percent-encoded; nothing when
 * value is NULL. */
static void
url_param(struct buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, "&%s=", name);	/* not HTML: an address */
	text_add_percent(b, v);
}

/* A day of the calendar (YYYY-MM-DD) from the practice's midnight, as a
 * stored (UTC) time; next: the midnight after it. */
static bool
day_start(const char *d, bool next, char out[24])
{
	int64_t		 t;
	struct tm	 tm;
	time_t		 tt;

	if (d == NULL || strlen(d) != 10 || !text_iso_seconds(d, &t))
		return false;
	tt = (time_t)t;
	gmtime_r(&tt, &tm);	/* the day's fields */
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += next;
	tm.tm_isdst = -1;
	if ((tt = mktime(&tm)) == (time_t)-1)
		return false;
	gmtime_r(&tt, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return true;
}

/* What a filter field's input says beyond its type. */
enum field_hint { HINT_NONE, HINT_NUMERIC, HINT_ACTIONS };

/* A field of the audit filter, refilled. */
static void
filter_field(struct req *r, const char *id, const char *label,
    const char *type, const char *v, enum field_hint hint)
{
	HTML_LIT(&r->out, "<div class=\"field\"><label");
	html_attr(&r->out, "for", id);
	HTML_LIT(&r->out, ">");
	html_text(&r->out, label);
	HTML_LIT(&r->out, "</label><input");
	html_attr(&r->out, "type", type);
	html_attr(&r->out, "id", id);
	html_attr(&r->out, "name", id);
	if (v != NULL)
		html_attr(&r->out, "value", v);
	if (hint == HINT_NUMERIC)
		HTML_LIT(&r->out, " inputmode=\"numeric\"");
	else if (hint == HINT_ACTIONS)
		HTML_LIT(&r->out, " list=\"actions\"");
	HTML_LIT(&r->out, "></div>");
}

/*
 * The audit trail, filtered (user, client, action, days) and paged
 * (AUDIT_PAGE rows, then "Older" from the last row shown); false when
 * it could not be read (an error page).
 */
static bool
audit_section(struct req *r)
{
	static const char *const actions[] = { "read", "create", "update",
	    "delete", "login", "denied", "share", "unshare", "complete",
	    "import", "permit", "session-end", NULL };
	struct audit_query	 q;
	struct audit_page	 p = { r, 0, 0 };
	const char		*user = arg(r, "user"), *client = arg(r,
	    "client"), *action = arg(r, "action"), *from = arg(r, "from"),
	    *to = arg(r, "to"), *before = arg(r, "before"), *why = NULL;
	char			 since[24], until[24];
	long			 v = 0;
	size_t			 i;
	struct buf		 more;

	memset(&q, 0, sizeof(q));
	q.limit = AUDIT_PAGE;
	q.user = user;
	q.action = action;
	if (client != NULL) {
		if (!text_int(client, strlen(client), &v) || v < 1)
			why = "The client is given by their number, as in "
			    "the address of their page (/clients/12).";
		q.entity = "client";
		q.entity_id = v;
	}
	if (from != NULL && !day_start(from, false, since))
		why = "\u201cFrom\u201d is not a day of the calendar.";
	else if (from != NULL)
		q.since = since;
	if (to != NULL && !day_start(to, true, until))
		why = "\u201cTo\u201d is not a day of the calendar.";
	else if (to != NULL)
		q.until = until;
	if (before != NULL && (!text_int(before, strlen(before), &v) ||
	    v < 1))
		why = "That page of the audit trail does not exist.";
	else if (before != NULL)
		q.before = v;
	HTML_LIT(&r->out, "<form method=\"get\" action=\"/admin#audit\" "
	    "class=\"add\" id=\"audit\" role=\"search\" aria-label=\""
	    "Search the audit trail\">");
	filter_field(r, "user", "User", "text", user, HINT_NONE);
	filter_field(r, "client", "Client number", "text", client,
	    HINT_NUMERIC);
	filter_field(r, "action", "Action", "text", action, HINT_ACTIONS);
	HTML_LIT(&r->out, "<datalist id=\"actions\">");
	for (i = 0; actions[i] != NULL; i++) {
		HTML_LIT(&r->out, "<option");
		html_attr(&r->out, "value", actions[i]);
		HTML_LIT(&r->out, ">");
	}
	HTML_LIT(&r->out, "</datalist>");
	filter_field(r, "from", "From", "date", from, HINT_NONE);
	filter_field(r, "to", "To", "date", to, HINT_NONE);
	HTML_LIT(&r->out, "<button type=\"submit\" class=\"secondary\">"
	    "Show</button>");
	if (why != NULL) {
		HTML_LIT(&r->out, "<p class=\"field-error\" role=\"alert\">");
		html_text(&r->out, why);
		HTML_LIT(&r->out, "</p></form>");
		return true;
	}
	HTML_LIT(&r->out, "</form>");
	if (audit_find_each(r->s, &q, audit_row, &p) != SB_OK) {
		read_failed(r);
		return false;
	}
	if (p.n == 0) {
		HTML_LIT(&r->out, "<p class=\"empty\">No rows match.</p>");
		return true;
	}
	HTML_LIT(&r->out, "</table></div><p>");
	if (before != NULL)
		HTML_LIT(&r->out, "<a href=\"/admin#audit\">Newest</a> ");
	if (p.n == AUDIT_PAGE && p.last > 1) {
		buf_init(&more, 4096);
		/* not HTML: an address, escaped by html_attr below */
		buf_printf(&more, "/admin?before=%lld", (long long)p.last);
		url_param(&more, "user", user);
		url_param(&more, "client", client);
		url_param(&more, "action", action);
		url_param(&more, "from", from);
		url_param(&more, "to", to);
		buf_adds(&more, "#audit");	/* not HTML: an address */
		HTML_LIT(&r->out, "<a");
		html_attr(&r->out, "href", more.err == SB_OK ? more.data :
		    "/admin#audit");
		HTML_LIT(&r->out, ">Older rows</a>");
		buf_free(&more);
	}
	HTML_LIT(&r->out, "</p>");
	return true;
}

/* GET /admin: users, licences, settings, prompts, the audit trail. */
void
admin_page(struct req *r, int64_t id, const char *rest)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct audit_report	 rep;
	struct rows_report	 rows;
	const char		*p, *nl;
	char			 line[256];
	size_t			 i;

	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_ADMIN) {
		error_page(r, 403, "Administration is for admins.");
		return;
	}
	page_begin(r, "Administration");
	HTML_LIT(&r->out, "<h1>Administration</h1><nav class=\"jump\" "
	    "aria-label=\"Sections\"><a href=\"#notifications\">Alert "
	    "notifications</a><a href=\"#users\">Users</a><a href=\""
	    "#licences\">Licences</a><a href=\"#audit-h\">Audit trail</a>"
	    "<a href=\"#prompts\">Narrative prompts</a></nav><section "
	    "class=\"card\">");
	/* First: whether a risk alert reaches anyone outside this page. */
	notify_admin(r);
	HTML_LIT(&r->out, "</section><section class=\"card\"><h2 id=\"users\">"
	    "Users</h2><div class=\"wide\" tabindex=\"0\"><table><tr><th>"
	    "User</th><th>Role</th><th>State</th></tr>");
	if (store_user_each(r->s, user_row, r) != SB_OK) {
		read_failed(r);
		return;
	}
	HTML_LIT(&r->out, "</table></div>");
	HTML_LIT(&r->out, "<h3>Add a user</h3><form method=\"post\" "
	    "action=\"/admin/users\"><label for=\"un\">User name</label>"
	    "<input type=\"text\" id=\"un\" name=\"name\" required>"
	    "<label for=\"ur\">Role</label><select id=\"ur\" name=\"role\">"
	    "<option value=\"therapist\">therapist</option><option "
	    "value=\"supervisor\">supervisor</option><option value=\"admin\">"
	    "admin</option></select><label for=\"up\">Password (12 or more "
	    "characters, not a common one)</label><input type=\"password\" id=\"up\" "
	    "name=\"password\" autocomplete=\"new-password\" required>"
	    "<label for=\"ue\">Address for alert notifications (required "
	    "for a therapist)</label><input type=\"email\" id=\"ue\" "
	    "name=\"email\" autocomplete=\"off\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Add user</button></p>"
	    "</form><h3>Disable a user</h3><form method=\"post\" "
	    "action=\"/admin/disable\"><label for=\"dn\">User name</label>"
	    "<input type=\"text\" id=\"dn\" name=\"name\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button class=\"secondary\" type=\"submit\">"
	    "Disable</button></p></form></section><section class=\"card\">"
	    "<h2 id=\"licences\">Instrument licences</h2><div class=\"wide\" "
	    "tabindex=\"0\"><table><tr><th>Instrument</th><th>Licence</th>"
	    "<th>State</th></tr>");
	for (i = 0; i < reg->n; i++) {
		HTML_LIT(&r->out, "<tr><td>");
		html_text(&r->out, reg->v[i].in->name);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, reg->v[i].in->licence_terms);
		HTML_LIT(&r->out, "</td><td>");
		html_text(&r->out, reg->v[i].in->licence == LICENCE_FREE ?
		    "free" : reg->v[i].enabled && reg->v[i].permission ?
		    reg->v[i].permission : instrument_sendable(r, &reg->v[i]) ?
		    "permitted (recorded here)" : "disabled: needs "
		    "permission");
		HTML_LIT(&r->out, "</td></tr>");
	}
	HTML_LIT(&r->out, "</table></div><h3>Record a permission</h3><form "
	    "method=\"post\" action=\"/admin/permit\"><label for=\"pi\">"
	    "Instrument</label><select id=\"pi\" name=\"instrument\">");
	instrument_options(r, reg, false);
	HTML_LIT(&r->out, "</select><label for=\"pr\">Where the permission "
	    "is (letter, e-mail, licence number)</label><input type=\"text\""
	    " id=\"pr\" name=\"reference\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Record permission"
	    "</button></p></form><p class=\"muted\">A permission recorded "
	    "here takes effect at once, on every server of the practice."
	    "</p></section><section class=\"card\"><h2 id=\"audit-h\">"
	    "Audit trail</h2>");
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
	/* The rows that decide access and safety (store/rows.h): each one
	 * changed outside securebase is named, a line each. */
	if (rows_verify(r->s, &rows) == SB_OK) {
		HTML_LIT(&r->out, "<p>");
		if (rows.intact) {
			HTML_LIT(&r->out, "The sealed rows verify: ");
			html_int(&r->out, rows.rows);
			HTML_LIT(&r->out, " rows that decide access and safety "
			    "(users, clients and shares, answers and scores, "
			    "alerts, notes), none changed outside securebase."
			    "</p>");
		} else {
			HTML_LIT(&r->out, "<strong class=\"high\">NOT INTACT: "
			    "rows changed outside securebase (with write "
			    "access to the database, without the key). "
			    "Nothing is done with them; restore a verified "
			    "backup, and find out who could write the "
			    "database.</strong></p><ul class=\"high\">");
			for (p = rows.what; *p != '\0'; p = nl + 1) {
				if ((nl = strchr(p, '\n')) == NULL)
					break;
				snprintf(line, sizeof(line), "%.*s", (int)(nl -
				    p), p);
				HTML_LIT(&r->out, "<li>");
				html_text(&r->out, line);
				HTML_LIT(&r->out, "</li>");
			}
			HTML_LIT(&r->out, "</ul>");
		}
	}
	if (!audit_section(r))
		return;
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	prompts_admin(r);
	HTML_LIT(&r->out, "</section>");
	page_end(r);
}

/* The admin forms' fields, checked before admin_post runs (routes.c);
 * the handler finds them in r->in in this order. */
const struct field_def user_add_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT },
	{ .name = "role", .kind = FIELD_TEXT },
	{ .name = "email", .kind = FIELD_TEXT },
	{ .name = "password", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def user_disable_fields[] = {
	{ .name = "name", .kind = FIELD_TEXT }, { .name = NULL } };
const struct field_def permit_fields[] = {
	{ .name = "instrument", .kind = FIELD_TEXT },
	{ .name = "reference", .kind = FIELD_TEXT }, { .name = NULL } };

/* POST /admin/WHAT */
void
admin_post(struct req *r, int64_t id, const char *rest)
{
	enum store_role	 role;
	const char	*name = r->in[0].text;	/* users, disable */
	int64_t		 uid;
	enum sb_err	 e;

	(void)id;
	(void)rest;
	if (r->op == OP_USER_ADD) {
		if (!store_role_parse(r->in[1].text, &role))
			e = SB_EINVAL;
		else {
			const char *em = r->in[2].text;

			/* A therapist's alerts are mailed to them: the
			 * address is required, not optional. */
			if (store_actor(r->s)->role != ROLE_ADMIN) {
				error_page(r, 403, "Administration is for "
				    "admins.");
				return;
			}
			if (role == ROLE_THERAPIST && (em == NULL ||
			    *em == '\0')) {
				error_page(r, 400, "A therapist needs a mail "
				    "address: their clients' high alerts are "
				    "sent to it.");
				return;
			}
			/* The user and their address together, or neither. */
			if ((e = store_begin(r->s)) == SB_OK &&
			    (e = store_user_add(r->s, name ? name : "", role,
			    r->in[3].text ? r->in[3].text : "", &uid)) ==
			    SB_OK && (em == NULL || *em == '\0' ||
			    (e = store_user_email(r->s, name, em)) == SB_OK))
				e = store_commit(r->s);
			else
				store_rollback(r->s);
		}
	} else if (r->op == OP_USER_DISABLE)
		e = store_user_disable(r->s, name ? name : "");
	else if (r->op == OP_PERMIT) {
		const char *iid = r->in[0].text;
		const struct reg_entry *re = iid ? registry_find(
		    r->srv->cfg->reg, iid) : NULL;

		e = re == NULL ? SB_EINVAL : store_permission_add(r->s,
		    re->in->id, r->in[1].text ? r->in[1].text : "");
	} else if (r->op == OP_SETTINGS || r->op == OP_EMAIL ||
	    r->op == OP_RELEASE || r->op == OP_RESEND) {
		if (store_actor(r->s)->role != ROLE_ADMIN)
			error_page(r, 403, "Administration is for admins.");
		else if (r->op == OP_SETTINGS)
			settings_post(r);
		else if (r->op == OP_EMAIL)
			email_post(r);
		else
			delivery_post(r);
		return;
	} else if (r->op == OP_PROMPTS) {
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
	http_redirect(r, "/admin");
}

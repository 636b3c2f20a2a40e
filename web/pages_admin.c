/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_admin.c - the administration page: users and roles, licences of
 * instruments (app/admin_view.c's view, written by render/admin_page.c,
 * with their forms), the practice's settings and prompts, and the audit
 * trail with its verification.
 */
#include <stdio.h>
#include <string.h>

#include "app/admin_view.h"
#include "render/admin_page.h"
#include "render/audit_page.h"
#include "render/html.h"
#include "web/web_int.h"

/* A query parameter of the page's address, or NULL when empty. */
static const char *
arg(struct req *r, const char *name)
{
	const char	*v = http_query(r, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * The audit trail, filtered (user, client, action, days) and paged
 * (AUDIT_PAGE rows, then "Older" from the last row shown): the view is
 * app/audit_view.c's, written by render/audit_page.c; false when it
 * could not be read (an error page).
 */
static bool
audit_section(struct req *r)
{
	struct audit_filter	 f = { arg(r, "user"), arg(r, "client"),
				    arg(r, "action"), arg(r, "from"),
				    arg(r, "to"), arg(r, "before") };
	struct audit_view	 v;
	bool			 ok;

	if ((ok = audit_view_build(r->s, &f, http_now(), &v) == SB_OK))
		audit_html(&r->out, &v);
	else
		read_failed(r);
	audit_view_free(&v);
	return ok;
}

/* GET /admin: users, licences, settings, prompts, the audit trail. */
void
admin_page(struct req *r, int64_t id, const char *rest)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct admin_view	 v;

	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_ADMIN) {
		error_page(r, 403, "Administration is for admins.");
		return;
	}
	if (admin_view_build(r->s, reg, &v) != SB_OK) {
		read_failed(r);
		goto out;
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
	    "Users</h2>");
	admin_users_html(&r->out, &v);
	HTML_LIT(&r->out, "<h3>Add a user</h3><form method=\"post\" "
	    "action=\"/admin/users\"><label for=\"un\">User name</label>"
	    "<input type=\"text\" id=\"un\" name=\"name\" required>"
	    "<label for=\"ur\">Role</label><select id=\"ur\" name=\"role\">"
	    "<option value=\"therapist\">therapist</option><option "
	    "value=\"supervisor\">supervisor</option><option value=\"admin\">"
	    "admin</option><option value=\"kiosk\">kiosk (the waiting room's "
	    "tablet)</option></select><label for=\"up\">Password (12 or more "
	    "characters, not a common one)</label><input type=\"password\" "
	    "id=\"up\" name=\"password\" autocomplete=\"new-password\" "
	    "required><label for=\"ue\">Address for alert notifications "
	    "(required for a therapist)</label><input type=\"email\" "
	    "id=\"ue\" name=\"email\" autocomplete=\"off\">");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button type=\"submit\">Add user</button></p>"
	    "</form><h3>Disable a user</h3><form method=\"post\" "
	    "action=\"/admin/disable\"><label for=\"dn\">User name</label>"
	    "<input type=\"text\" id=\"dn\" name=\"name\" required>");
	csrf_field(r, r->csrf);
	HTML_LIT(&r->out, "<p><button class=\"secondary\" type=\"submit\">"
	    "Disable</button></p></form></section><section class=\"card\">"
	    "<h2 id=\"licences\">Instrument licences</h2>");
	admin_licences_html(&r->out, &v);
	HTML_LIT(&r->out, "<h3>Record a permission</h3><form "
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
	admin_integrity_html(&r->out, &v);
	if (!audit_section(r))
		goto out;
	HTML_LIT(&r->out, "</section><section class=\"card\">");
	prompts_admin(r);
	HTML_LIT(&r->out, "</section>");
	page_end(r);
out:
	admin_view_free(&v);
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
	http_redirect_saying(r, "/admin", "saved");
}

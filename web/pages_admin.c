/*
 * pages_admin.c - the administration page: users and roles, licences of
 * instruments, the practice's settings and prompts, and the audit trail
 * with its verification.
 */
#include <string.h>

#include "store/audit.h"
#include "render/html.h"
#include "web/web_int.h"

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

/* GET /admin: users, licences, settings, prompts, the audit trail. */
void
admin_page(struct req *r, int64_t id, const char *rest)
{
	const struct registry	*reg = r->srv->cfg->reg;
	struct audit_report	 rep;
	size_t			 i;

	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_ADMIN) {
		error_page(r, 403, "Administration is for admins.");
		return;
	}
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

/* POST /admin/WHAT */
void
admin_post(struct req *r, int64_t id, const char *what)
{
	enum store_role	 role;
	const char	*name = form_get(&r->form, "name");
	int64_t		 uid;
	enum sb_err	 e;

	(void)id;
	if (strcmp(what, "users") == 0) {
		if (!store_role_parse(form_get(&r->form, "role"), &role))
			e = SB_EINVAL;
		else {
			const char *em = form_get(&r->form, "email");

			/* The user and their address together, or neither. */
			if ((e = store_begin(r->s)) == SB_OK &&
			    (e = store_user_add(r->s, name ? name : "", role,
			    form_get(&r->form, "password") ?
			    form_get(&r->form, "password") : "", &uid)) ==
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

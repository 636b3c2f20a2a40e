/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_inbox.c - GET /inbox, the therapist's inbox (what needs a look,
 * each row one click from its client), and POST /inbox/seen, which
 * marks one new answer, or all of them, seen.  The view is
 * app/inbox.c's, its HTML render/inbox_page.c's.
 */
#include <string.h>

#include "app/inbox.h"
#include "render/inbox_page.h"
#include "web/web_int.h"

void
inbox_page(struct req *r, int64_t id, const char *rest)
{
	struct inbox_view	 v;

	(void)id;
	(void)rest;
	if (store_actor(r->s)->role != ROLE_THERAPIST) {
		error_page(r, 403, "The inbox lists a therapist's own clients; "
		    "this account has none.");
		return;
	}
	if (!view_begin(r))
		return;
	if (inbox_view_build(r->s, r->srv->cfg->reg, http_now(), &v) !=
	    SB_OK)
		read_failed(r);
	else {
		page_begin(r, "Inbox");
		inbox_html(&r->out, &v, r->csrf);
		page_end(r);
	}
	inbox_view_free(&v);
	view_end(r);
}

/* The form's fields: the response's number, 0 for every new one
 * answered up to upto (the newest the page showed). */
const struct field_def inbox_seen_fields[] = {
	{ .name = "response", .kind = FIELD_TEXT, .required = true,
	    .missing = "Choose the answer." },
	{ .name = "upto", .kind = FIELD_TEXT },
	{ .name = NULL }
};

void
inbox_seen_post(struct req *r, int64_t id, const char *rest)
{
	const char	*v = r->in[0].text;
	enum sb_err	 e;

	(void)id;
	(void)rest;
	if (strcmp(v, "0") == 0)
		id = 0;
	else if (!http_parse_id(v, strlen(v), &id)) {
		error_page(r, 400, "Choose the answer.");
		return;
	}
	if ((e = store_response_seen(r->s, id, r->in[1].text, http_now())) ==
	    SB_OK)
		http_redirect_saying(r, "/inbox", "seen");
	else if (e == SB_EINVAL)
		error_page(r, 400, "The form could not be read; open the inbox "
		    "again.");
	else if (e == SB_ENOENT || e == SB_EPERM)
		error_page(r, 404, "There is no such answer among your "
		    "clients'.");
	else
		error_page(r, 503, "It could not be saved just now; please "
		    "try again in a moment.");
}

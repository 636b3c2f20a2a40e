/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * pages_outcomes.c - GET /outcomes: the practice's outcomes for
 * therapists (their own clients) and supervisors (every therapist's, and
 * the practice's).  Counts and shares with the norms used; no ranking.
 * The view is app/outcomes.c's, its HTML render/outcomes_page.c's: this
 * page reads one and writes the other inside the page's frame.
 */
#include "render/outcomes_page.h"
#include "app/outcomes.h"
#include "app/record.h"
#include "web/web_int.h"

static void
outcomes_view(struct req *r)
{
	struct outcomes	 o;

	outcomes_init(&o);
	o.convention = record_convention(r->s);
	if (outcomes_collect(r->s, r->srv->cfg->reg, &o) != SB_OK) {
		outcomes_free(&o);
		error_page(r, 500, "The outcomes could not be gathered.");
		return;
	}
	page_begin(r, "Outcomes");
	outcomes_html(&r->out, &o);
	page_end(r);
	outcomes_free(&o);
}

void
outcomes_page(struct req *r, int64_t id, const char *rest)
{
	(void)id;
	(void)rest;
	if (store_actor(r->s)->role == ROLE_ADMIN) {
		error_page(r, 403, "Outcomes are clinical: for therapists and "
		    "supervisors.");
		return;
	}
	if (!view_begin(r))
		return;
	outcomes_view(r);
	view_end(r);
}

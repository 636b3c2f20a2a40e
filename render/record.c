/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * record.c - one client's record as plain text.  See record.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/record.h"

static const char *const titles[STORE_SECTIONS] = {
	[STORE_SEC_PEOPLE] = "People",
	[STORE_SEC_RELATIONSHIPS] = "Relationships",
	[STORE_SEC_EVENTS] = "Life events",
	[STORE_SEC_SESSIONS] = "Sessions",
	[STORE_SEC_NOTES] = "Notes",
	[STORE_SEC_ADMINISTRATIONS] = "Administrations",
	[STORE_SEC_ALERTS] = "Alerts",
	[STORE_SEC_ALERT_HISTORY] = "Alert history",
	[STORE_SEC_EPISODES] = "Episodes of care",
	[STORE_SEC_CONSENTS] = "Consents",
	[STORE_SEC_CASES] = "Cases",
};

struct text {
	struct buf		*out;
	enum store_section	 next;	/* the first heading not yet written */
	char			**name;
};

const char *
record_section_title(enum store_section s)
{
	return s < STORE_SECTIONS ? titles[s] : "?";
}

/* Headings up to and including sec, so that empty sections show too. */
static void
headings_to(struct text *t, enum store_section sec)
{
	for (; t->next <= sec && t->next < STORE_SECTIONS; t->next++)
		buf_printf(t->out, "%s:\n", titles[t->next]);
}

static SB_MUST enum sb_err
head(void *arg, const struct store_client_head *h)
{
	struct text	*t = arg;

	buf_printf(t->out, "Client %lld: %s\nTherapist: %s\nSince: %s\n",
	    (long long)h->id, h->name, h->therapist, h->since);
	if (t->name != NULL && (*t->name = strdup(h->name)) == NULL)
		return SB_ENOMEM;
	return SB_OK;
}

static SB_MUST enum sb_err
row(void *arg, const struct store_record_row *r)
{
	struct text	*t = arg;
	size_t		 i;

	headings_to(t, r->section);
	buf_printf(t->out, "  %lld", (long long)r->id);
	for (i = 0; i < r->n; i++)
		if (r->value[i] != NULL && r->value[i][0] != '\0')
			buf_printf(t->out, "\t%s", r->value[i]);
	buf_addc(t->out, '\n');
	return SB_OK;
}

enum sb_err
record_text(struct store *s, int64_t client, struct buf *out, char **name)
{
	struct text	 t = { out, STORE_SEC_PEOPLE, name };
	enum sb_err	 e;

	if (name != NULL)
		*name = NULL;
	if ((e = store_client_record(s, client, head, row, &t)) != SB_OK)
		return e;
	headings_to(&t, STORE_SECTIONS - 1);
	return out->err != SB_OK ? (enum sb_err)out->err : SB_OK;
}

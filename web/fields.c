/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fields.c - a POST's fields checked against its route's table before
 * the handler runs (kcgi's validators as the model).  See web_int.h.
 *
 * A row of the route table names its fields: their kind, whether they
 * are required, their limits, and the words said beside one that is
 * refused.  web_route() reads them here into r->in, in the table's
 * order, so that a handler receives checked values and a refused field
 * goes back beside itself without the handler running.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/form.h"
#include "core/text.h"
#include "web/web_int.h"

void
today_local(char out[16])
{
	time_t		 t = (time_t)clock_now();
	struct tm	 tm;

	if (localtime_r(&t, &tm) == NULL || strftime(out, 16, "%Y-%m-%d",
	    &tm) == 0)
		out[0] = '\0';
}

const char *
date_problem(const char *date, const char *late)
{
	char	 today[16];
	int64_t	 at;

	today_local(today);
	if (date == NULL || date[0] == '\0')
		return "Give the date.";
	if (strlen(date) != 10 || !text_iso_seconds(date, &at))
		return "The date is not a day of the calendar; give it as year, "
		    "month and day.";
	if (strcmp(date, today) > 0)
		return late;
	return NULL;
}

/* Is there something other than white space in v? */
static bool
has_words(const char *v)
{
	for (; *v != '\0'; v++)
		if (*v != ' ' && *v != '\n' && *v != '\r' && *v != '\t')
			return true;
	return false;
}

/* What is wrong with v (sent, not empty) under d, or NULL; the id of a
 * FIELD_ID into *id. */
static const char *
field_problem(const struct field_def *d, const char *v, int64_t *id)
{
	/* A table without words still refuses: never NULL for a fault. */
	const char	*bad = d->bad ? d->bad : "A field is not as it should "
			    "be.";
	size_t		 i;

	if (d->max > 0 && strlen(v) > d->max)
		return bad;
	switch (d->kind) {
	case FIELD_TEXT:
		return NULL;
	case FIELD_WORDS:
		return has_words(v) ? NULL : d->missing ? d->missing : bad;
	case FIELD_DATE_PAST:
		return date_problem(v, bad);
	case FIELD_ID:
		return http_parse_id(v, strlen(v), id) ? NULL : bad;
	case FIELD_CHOICE:
		for (i = 0; d->choices != NULL && d->choices[i] != NULL; i++)
			if (strcmp(v, d->choices[i]) == 0)
				return NULL;
		return bad;
	}
	return bad;
}

bool
fields_read(struct req *r, const struct field_def *defs, const char **field,
    const char **why)
{
	const char	*v;
	size_t		 i;

	memset(r->in, 0, sizeof(r->in));
	r->fields = defs;
	for (i = 0; i < FIELDS_MAX && defs[i].name != NULL; i++) {
		v = form_get(&r->form, defs[i].name);
		/* A password may be empty: "" is what was typed. */
		if (v != NULL && v[0] == '\0' && defs[i].keep_empty) {
			r->in[i].text = v;
			continue;
		}
		if (v == NULL || v[0] == '\0') {
			if (!defs[i].required)
				continue;
			*field = defs[i].name;
			/* The table's words; a date has its own. */
			if (defs[i].missing != NULL)
				*why = defs[i].missing;
			else if (defs[i].kind == FIELD_DATE_PAST)
				*why = date_problem(NULL, NULL);
			else
				*why = "A required field is empty.";
			return false;
		}
		if ((*why = field_problem(&defs[i], v, &r->in[i].id)) != NULL) {
			*field = defs[i].name;
			return false;
		}
		r->in[i].text = v;
	}
	return true;
}

const char *
in_text(const struct req *r, const char *name)
{
	size_t	 i;

	for (i = 0; r->fields != NULL && i < FIELDS_MAX &&
	    r->fields[i].name != NULL; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return r->in[i].text;
	return NULL;
}

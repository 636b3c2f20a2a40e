/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * plan.c - when a measurement plan's occurrences are due.  See plan.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/plan.h"
#include "core/text.h"

static const char *const rule_names[PLAN__MAX] = { "days", "sessions",
    "months" };

const char *
plan_rule_name(enum plan_rule r)
{
	return r < PLAN__MAX ? rule_names[r] : "?";
}

bool
plan_rule_parse(const char *s, enum plan_rule *r)
{
	size_t	 i;

	for (i = 0; s != NULL && i < PLAN__MAX; i++)
		if (strcmp(s, rule_names[i]) == 0) {
			*r = (enum plan_rule)i;
			return true;
		}
	return false;
}

/* "3,6,9" (spaces allowed after commas) ascending, each lo..hi. */
static bool
parse_list(const char *spec, int lo, int hi, struct plan_rules *p,
    char *why, size_t whysz)
{
	const char	*s = spec, *e;
	long		 v;

	p->n = 0;
	while (*s != '\0') {
		while (*s == ' ')
			s++;
		for (e = s; *e != '\0' && *e != ','; e++)
			;
		if (p->n == PLAN_MAX_LIST) {
			snprintf(why, whysz, "at most %d numbers", PLAN_MAX_LIST);
			return false;
		}
		if (!text_int(s, (size_t)(e - s), &v) || v < lo || v > hi) {
			snprintf(why, whysz, "\"%.*s\" is not a number from %d "
			    "to %d", (int)(e - s > 16 ? 16 : e - s), s, lo, hi);
			return false;
		}
		if (p->n > 0 && v <= p->list[p->n - 1]) {
			snprintf(why, whysz, "the numbers must go up: %ld after "
			    "%d", v, p->list[p->n - 1]);
			return false;
		}
		p->list[p->n++] = (int)v;
		s = *e == ',' ? e + 1 : e;
	}
	if (p->n == 0) {
		snprintf(why, whysz, "give at least one number");
		return false;
	}
	return true;
}

bool
plan_parse(enum plan_rule r, const char *spec, struct plan_rules *p,
    char *why, size_t whysz)
{
	long	 v;

	memset(p, 0, sizeof(*p));
	p->rule = r;
	if (spec == NULL || strlen(spec) > PLAN_MAX_SPEC) {
		snprintf(why, whysz, "the rule is at most %d characters",
		    PLAN_MAX_SPEC);
		return false;
	}
	switch (r) {
	case PLAN_DAYS:
		if (!text_int(spec, strlen(spec), &v) || v < 1 || v > 365) {
			snprintf(why, whysz, "every how many days: a number "
			    "from 1 to 365");
			return false;
		}
		p->interval = (int)v;
		return true;
	case PLAN_SESSIONS:
		if (strcmp(spec, "every") == 0) {
			p->every = true;
			return true;
		}
		return parse_list(spec, 0, 200, p, why, whysz);
	case PLAN_MONTHS:
		return parse_list(spec, 0, 120, p, why, whysz);
	default:
		snprintf(why, whysz, "a rule is days, sessions or months");
		return false;
	}
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t
plan_add_months(int64_t start, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	time_t		 t = (time_t)start;
	struct tm	 tm;
	char		 iso[32];
	int64_t		 out;
	int		 y, mo, last;

	gmtime_r(&t, &tm);
	y = tm.tm_year + 1900 + (tm.tm_mon + m) / 12;
	mo = (tm.tm_mon + m) % 12;
	last = days[mo] + (mo == 1 && leap(y));
	/* Through text_iso_seconds: the calendar is counted in one place. */
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo + 1,
	    tm.tm_mday > last ? last : tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return text_iso_seconds(iso, &out) ? out : start;
}

bool
plan_latest(const struct plan_rules *p, int64_t start, int64_t now,
    int sessions, int64_t *occ, int64_t *due)
{
	size_t	 i;
	int64_t	 d;

	if (now < start)
		return false;
	switch (p->rule) {
	case PLAN_DAYS:
		*occ = (now - start) / ((int64_t)p->interval * 86400);
		*due = start + *occ * p->interval * 86400;
		return true;
	case PLAN_MONTHS:
		for (i = p->n; i-- > 0;)
			if ((d = plan_add_months(start, p->list[i])) <= now) {
				*occ = p->list[i];
				*due = d;
				return true;
			}
		return false;
	case PLAN_SESSIONS:
		*due = now;
		if (p->every) {
			*occ = sessions;
			return true;
		}
		for (i = p->n; i-- > 0;)
			if (p->list[i] <= sessions) {
				*occ = p->list[i];
				return true;
			}
		return false;
	default:
		return false;
	}
}

bool
plan_next(const struct plan_rules *p, int64_t start, int64_t now,
    int sessions, int64_t *due, int *session)
{
	size_t	 i;
	int64_t	 d, k;

	*due = 0;
	*session = 0;
	switch (p->rule) {
	case PLAN_DAYS:
		k = now < start ? 0 : (now - start) / ((int64_t)p->interval *
		    86400) + 1;
		*due = start + k * p->interval * 86400;
		return true;
	case PLAN_MONTHS:
		for (i = 0; i < p->n; i++)
			if ((d = plan_add_months(start, p->list[i])) > now) {
				*due = d;
				return true;
			}
		return false;
	case PLAN_SESSIONS:
		if (now < start) {
			*due = start;
			return true;
		}
		if (p->every) {
			*session = sessions + 1;
			return true;
		}
		for (i = 0; i < p->n; i++)
			if (p->list[i] > sessions) {
				*session = p->list[i];
				return true;
			}
		return false;
	default:
		return false;
	}
}

/* "3, 6 and 9" */
static void
list_words(const struct plan_rules *p, const char *zero, char *out,
    size_t n)
{
	size_t	 i, len;

	out[0] = '\0';
	for (i = 0; i < p->n; i++) {
		len = strlen(out);
		if (p->list[i] == 0 && zero != NULL)
			snprintf(out + len, n - len, "%s", zero);
		else
			snprintf(out + len, n - len, "%s%d", i == 0 ? "" :
			    i + 1 == p->n ? " and " : ", ", p->list[i]);
	}
}

void
plan_words(const struct plan_rules *p, char *out, size_t n)
{
	char	 l[PLAN_MAX_LIST * 8];

	switch (p->rule) {
	case PLAN_DAYS:
		if (p->interval == 7)
			snprintf(out, n, "every week");
		else
			snprintf(out, n, "every %d days", p->interval);
		break;
	case PLAN_SESSIONS:
		if (p->every) {
			snprintf(out, n, "at the start and after every "
			    "attended session");
			break;
		}
		list_words(p, "at the start", l, sizeof(l));
		snprintf(out, n, "%s%s", p->list[0] == 0 ? "" :
		    p->n == 1 ? "after session " : "after sessions ", l);
		if (p->list[0] == 0 && p->n > 1)
			snprintf(out, n, "at the start, then after sessions "
			    "%s", strchr(l, ',') ? strchr(l, ',') + 2 :
			    strstr(l, " and ") + 5);
		break;
	case PLAN_MONTHS:
		list_words(p, "at the start", l, sizeof(l));
		snprintf(out, n, "%s%s", l, p->list[p->n - 1] == 0 ? "" :
		    " months");
		if (p->list[0] == 0 && p->n > 1)
			snprintf(out, n, "at the start, then %s months", strchr(
			    l, ',') ? strchr(l, ',') + 2 : strstr(l, " and ") +
			    5);
		break;
	default:
		snprintf(out, n, "?");
	}
}

/*
 * The attachment-focused default: symptoms before every session (PHQ-9,
 * GAD-7), the alliance after sessions 3, 6 and 9 (WAI-SR), and
 * attachment at the start, 3 and 6 months (ECR-R).
 */
static const struct plan_template_item attachment_items[] = {
	{ "phq9", PLAN_SESSIONS, "every" },
	{ "gad7", PLAN_SESSIONS, "every" },
	{ "wai-sr", PLAN_SESSIONS, "3,6,9" },
	{ "ecr-r", PLAN_MONTHS, "0,3,6" },
};
static const struct plan_template_item core_items[] = {
	{ "core10", PLAN_DAYS, "14" },
};

const struct plan_template plan_templates[] = {
	{ "attachment", "Attachment-focused: PHQ-9 and GAD-7 before every "
	    "session, WAI-SR after sessions 3, 6 and 9, ECR-R at the start, 3 "
	    "and 6 months", attachment_items, sizeof(attachment_items) /
	    sizeof(attachment_items[0]) },
	{ "core10", "CORE-10 every 2 weeks", core_items, 1 },
};
const size_t plan_ntemplates = sizeof(plan_templates) /
    sizeof(plan_templates[0]);

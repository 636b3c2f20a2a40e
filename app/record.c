/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * record.c - storing administrations and raising their alerts.  See
 * record.h.
 *
 * The rules are the brief's: an endorsed critical item (PHQ-9 item 9,
 * CORE-10 item 6) raises a high-severity alert at once; a reliable
 * deterioration against the client's first administration of the same
 * instrument (Jacobson & Truax, with the instrument's norms) raises a
 * medium one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "app/expected.h"
#include "app/alliance.h"
#include "app/record.h"
#include "core/change.h"
#include "core/text.h"

/* Imported answers older than this raise their alerts marked historic
 * (the default: two weeks, the PHQ-9's own look-back). */
#define RECORD_HISTORIC_DAYS	14

bool
record_day(const char *s, int64_t *day)
{
	long	 y, m, d;
	int64_t	 era, yoe, doy, doe;

	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' ||
	    !text_int(s, 4, &y) || !text_int(s + 5, 2, &m) ||
	    !text_int(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	/* Days from civil (proleptic Gregorian), as in H. Hinnant's
	 * "chrono-compatible low-level date algorithms". */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*day = era * 146097 + doe - 719468;
	return true;
}

enum change_convention
record_convention(struct store *s)
{
	struct buf		 b;
	bool			 set;
	enum change_convention	 c = CONVENTION_JT;

	buf_init(&b, STORE_MAX_SETTING + 64);
	if (store_setting_get(s, SET_RECOVERY, &b, &set) == SB_OK && set &&
	    !change_convention_parse(b.data, &c))
		c = CONVENTION_JT;
	buf_free(&b);
	return c;
}

int
record_historic_days(struct store *s)
{
	struct buf	 b;
	bool		 set;
	long		 v = RECORD_HISTORIC_DAYS;

	buf_init(&b, STORE_MAX_SETTING + 64);
	if (store_setting_get(s, SET_HISTORIC_DAYS, &b, &set) == SB_OK && set &&
	    (!text_int(b.data, b.len, &v) || v < 1 || v > 36500))
		v = RECORD_HISTORIC_DAYS;
	buf_free(&b);
	return (int)v;
}

/* The date of an administration old enough to be historic, or "". */
static void
historic_date(const struct record_opts *o, char out[16])
{
	int64_t	 day;

	out[0] = '\0';
	if (o->completed == NULL || o->historic_days <= 0 ||
	    !record_day(o->completed, &day))
		return;
	if (clock_now() / 86400 - day > o->historic_days)
		snprintf(out, 16, "%.10s", o->completed);
}

/*
 * The safety rule, one for every path: an endorsed critical item raises a
 * high alert, a critical item left blank a medium one.
 */
static SB_MUST enum sb_err
raise_safety(struct store *s, const struct score_plan *p, int64_t client,
    int64_t admin, const int16_t *a, const struct record_opts *o,
    struct record_out *r)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct store_alert_new	 al;
	char			 detail[200], hist[16];
	size_t			 i;
	int64_t			 id;
	int			 q;
	enum sb_err		 e;

	historic_date(o, hist);
	for (i = 0; i < in->nitems; i++) {
		const struct instr_item *it = &in->items[i];

		if (!it->critical)
			continue;
		memset(&al, 0, sizeof(al));
		al.client = client;
		al.administration = admin;
		al.link = o->link;
		al.item = it->id;
		al.historic = hist[0] ? hist : NULL;
		if (a[i] == SCORE_MISSING) {
			al.rule = "risk-item-unanswered";
			al.severity = "medium";
			snprintf(detail, sizeof(detail), "%s %s (a risk item) "
			    "was not answered%s%s", in->name, it->id,
			    hist[0] ? "; historic, answered " : "", hist);
		} else if (a[i] >= it->critical_min) {
			al.rule = "critical-item";
			al.severity = "high";
			snprintf(detail, sizeof(detail), "%s %s answered %d "
			    "(critical from %d)%s%s", in->name, it->id, a[i],
			    it->critical_min, hist[0] ? "; historic, answered "
			    : "", hist);
			r->critical++;
		} else
			continue;
		al.detail = detail;
		if ((e = store_alert_raise(s, &al, &id, &q)) != SB_OK)
			return e;
		r->alerts++;
		r->queued += q;
	}
	return SB_OK;
}

enum sb_err
record_link_critical(struct store *s, const struct score_plan *p,
    int64_t client, int64_t link, const int16_t *a, int *critical,
    int *queued)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct store_alert_new	 al;
	char			 detail[200];
	size_t			 i;
	int64_t			 id;
	int			 q;
	enum sb_err		 e;

	*critical = *queued = 0;
	for (i = 0; i < in->nitems; i++) {
		const struct instr_item *it = &in->items[i];

		if (!it->critical || a[i] == SCORE_MISSING ||
		    a[i] < it->critical_min)
			continue;
		memset(&al, 0, sizeof(al));
		al.client = client;
		al.link = link;
		al.item = it->id;
		al.rule = "critical-item";
		al.severity = "high";
		snprintf(detail, sizeof(detail), "%s %s answered %d on a link "
		    "(critical from %d)", in->name, it->id, a[i],
		    it->critical_min);
		al.detail = detail;
		if ((e = store_alert_raise(s, &al, &id, &q)) != SB_OK)
			return e;
		(*critical)++;
		*queued += q;
	}
	return SB_OK;
}

static SB_MUST enum sb_err
raise_deterioration(struct store *s, const struct score_plan *p,
    int64_t client, int64_t admin, const double *v, const bool *ok, int *n)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct change_result	 r;
	int16_t			 base[INSTR_MAX_ITEMS];
	double			 bv[INSTR_MAX_SCORES];
	bool			 bok[INSTR_MAX_SCORES], found, pending;
	char			*answers = NULL, detail[200];
	size_t			 i;
	int64_t			 id;
	enum sb_err		 e;

	/* The first administration is the baseline; for the first one
	 * itself the comparison finds no change. */
	if ((e = store_administration_first(s, client, in->id, &answers,
	    &found)) != SB_OK || !found)
		return e;
	/* A baseline stored under an older definition may not decode; it
	 * then gives no comparison rather than a wrong one. */
	e = answers_decode(p, answers, base);
	free(answers);
	if (e != SB_OK)
		return SB_OK;
	score_row(p, base, bv, bok);
	for (i = 0; i < in->nscores; i++) {
		if (!ok[i] || !bok[i] || change_classify(&in->scores[i], bv[i],
		    v[i], CRITERION_AUTO, &r) != SB_OK ||
		    r.cls != CHANGE_DETERIORATED)
			continue;
		/* One alert per deterioration until someone resolves it, not
		 * one per questionnaire while it lasts. */
		snprintf(detail, sizeof(detail), "%s %s:", in->name,
		    in->scores[i].id);
		if ((e = store_alert_pending(s, client,
		    "reliable-deterioration", detail, &pending)) != SB_OK)
			return e;
		if (pending)
			continue;
		snprintf(detail, sizeof(detail), "%s %s: %g at baseline, %g "
		    "at the time (RC %.2f, reliable change needs %.2f points)",
		    in->name, in->scores[i].id, bv[i], v[i], r.rc,
		    r.min_change);
		if ((e = store_alert_add(s, client, admin,
		    "reliable-deterioration", "medium", detail, &id)) != SB_OK)
			return e;
		(*n)++;
	}
	return SB_OK;
}

/*
 * Not on track: the episode's readings beyond the expected band's worse
 * edge (app/expected.h) under the alert rule, none before a week after
 * the episode's first score.  One medium alert per episode while it is
 * unresolved.
 */
static SB_MUST enum sb_err
raise_off_track(struct store *s, const struct score_plan *p,
    int64_t client, int64_t admin, const char *completed, double v, int *n)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct expected_view	 ev;
	struct expected_band	 b;
	char			 prefix[96], detail[480], shaped[200];
	int64_t			 t, id;
	bool			 pending;
	enum sb_err		 e;

	if (!expected_measure(in->id) || !text_iso_seconds(completed, &t))
		return SB_OK;
	if ((e = expected_load(s, p, client, &ev)) != SB_OK)
		goto out;
	if (!expected_alarm_now(&ev, &b))
		goto out;
	snprintf(prefix, sizeof(prefix), "%s not on track, episode %lld:",
	    in->name, (long long)ev.episode);
	if ((e = store_alert_pending(s, client, "not-on-track", prefix,
	    &pending)) != SB_OK || pending)
		goto out;
	expected_shaped(&ev, &b, shaped, sizeof(shaped));
	snprintf(detail, sizeof(detail), "%s %g after %lld days, the second "
	    "reading in a row beyond the expected band; expected %.1f, band "
	    "%.1f to %.1f (first score %g; %s)", prefix, v, (long long)((t -
	    ev.intake_t) / 86400), b.mid, b.lo, b.hi, ev.intake, shaped);
	if ((e = store_alert_add(s, client, admin, "not-on-track", "medium",
	    detail, &id)) == SB_OK)
		(*n)++;
out:
	expected_view_free(&ev);
	return e;
}

static SB_MUST enum sb_err
overdue_resolve(void *arg, struct store *s, int64_t client)
{
	(void)arg;
	return store_alerts_resolve_rule(s, client, "measure-overdue",
	    "a questionnaire was completed");
}

enum sb_err
record_import_finish(struct store *s, int64_t *import_id)
{
	return store_import_finish(s, overdue_resolve, NULL, import_id);
}

enum sb_err
record_administration(struct store *s, const struct score_plan *p,
    int64_t client, const int16_t *a, const struct record_opts *o,
    struct record_out *r)
{
	const struct instrument	*in = score_plan_instrument(p);
	struct store_administration	 ad;
	struct buf		 ans, sc;
	double			 v[INSTR_MAX_SCORES];
	bool			 ok[INSTR_MAX_SCORES];
	char			 at[32];
	double			 prev[INSTR_MAX_SCORES];
	bool			 prev_ok[INSTR_MAX_SCORES], have_prev = false;
	time_t			 t = (time_t)clock_now();
	struct tm		 tm;
	enum sb_err		 e;

	memset(r, 0, sizeof(*r));
	score_row(p, a, v, ok);
	buf_init(&ans, 1 << 20);
	buf_init(&sc, 1 << 20);
	/* One allocation each, sized for a typical instrument. */
	if ((e = buf_grow(&ans, 16 * in->nitems + 16)) != SB_OK ||
	    (e = buf_grow(&sc, 48 * in->nscores + 16)) != SB_OK ||
	    (e = answers_encode(in, a, &ans)) != SB_OK ||
	    (e = scores_json(in, v, ok, &sc)) != SB_OK)
		goto out;
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	memset(&ad, 0, sizeof(ad));
	ad.instrument = in->id;
	ad.version = in->version;
	ad.respondent = o->respondent ? o->respondent : "self";
	ad.mode = o->mode ? o->mode : "in-session";
	ad.target = o->target;
	ad.completed = o->completed ? o->completed : at;
	ad.answers = ans.data;
	ad.scores = sc.data;
	if ((e = store_begin(s)) != SB_OK)
		goto out;
	/* The alliance comparison needs the one before this one. */
	if (o->alerts && (e = alliance_previous(s, p, client, prev, prev_ok,
	    &have_prev)) != SB_OK)
		goto rollback;
	if ((e = store_administration_add(s, client, &ad, &r->id)) != SB_OK)
		goto rollback;
	if ((e = raise_safety(s, p, client, r->id, a, o, r)) != SB_OK)
		goto rollback;
	if (o->alerts && (e = alliance_raise(s, p, client, r->id, v, ok, prev,
	    prev_ok, have_prev, &r->alerts)) != SB_OK)
		goto rollback;
	if (o->alerts && (e = raise_deterioration(s, p, client, r->id, v, ok,
	    &r->alerts)) != SB_OK)
		goto rollback;
	if (o->alerts && !o->import && ok[0] && (e = raise_off_track(s, p,
	    client, r->id, ad.completed, v[0], &r->alerts)) != SB_OK)
		goto rollback;
	/* A questionnaire answered ends "measure overdue" (an import's,
	 * when the import is done). */
	if (!o->import && (e = overdue_resolve(NULL, s, client)) != SB_OK)
		goto rollback;
	e = store_commit(s);
	goto out;
rollback:
	store_rollback(s);
out:
	buf_free(&ans);
	buf_free(&sc);
	return e;
}

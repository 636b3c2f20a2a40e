/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store_safety.c - the safety rules in the store and in recording:
 * an item's alert on a link is raised once; a high alert's mails are
 * queued in its transaction (none when it is rolled back, none for a
 * historic one); the outbox leases what it hands out; the SMTP password
 * is never stored in the clear; every recorded administration raises the
 * critical and blank-risk-item alerts, historic when old.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/record.h"
#include "store/web.h"
#include "store_fixture.h"

#define SMTP_PW	"Tr0ub4dor&3-mail"

struct seen {
	size_t	 n, high, medium;
	char	 rules[512];
	char	 historic[16];
	int64_t	 administration;
};

static enum sb_err
count_alert(void *arg, const struct store_alert *a)
{
	struct seen	*s = arg;

	s->n++;
	s->high += strcmp(a->severity, "high") == 0;
	s->medium += strcmp(a->severity, "medium") == 0;
	strncat(s->rules, a->rule, sizeof(s->rules) - strlen(s->rules) - 2);
	strncat(s->rules, " ", sizeof(s->rules) - strlen(s->rules) - 1);
	if (a->historic[0] != '\0')
		snprintf(s->historic, sizeof(s->historic), "%s", a->historic);
	s->administration = a->administration;
	return SB_OK;
}

static struct seen
alerts_of(struct store *s, int64_t client)
{
	struct seen	 seen;

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_alert_each(s, client, count_alert, &seen),
	    SB_OK);
	return seen;
}

/* Mail is configured: a server, a sender, anna's and the duty address. */
static void
configure_mail(void)
{
	struct store	*s = fix_open(&fix, "boss");

	assert_int_equal(store_setting_set(s, SET_SMTP_URL,
	    "smtp://127.0.0.1:1"), SB_OK);
	assert_int_equal(store_setting_set(s, SET_SMTP_FROM,
	    "sb@clinic.test"), SB_OK);
	assert_int_equal(store_setting_set(s, SET_DUTY_EMAIL,
	    "duty@clinic.test"), SB_OK);
	assert_int_equal(store_user_email(s, "anna", "anna@clinic.test"),
	    SB_OK);
	store_close(s);
}

static struct store_alert_new
item9(int64_t client, int64_t link)
{
	struct store_alert_new	 a;

	memset(&a, 0, sizeof(a));
	a.client = client;
	a.link = link;
	a.rule = "critical-item";
	a.severity = "high";
	a.detail = "PHQ-9 q9 answered 2 on a link (critical from 1)";
	a.item = "q9";
	return a;
}

static void
link_item_alert_is_raised_once(void **state)
{
	struct store		*s;
	struct store_alert_new	 a;
	char			 token[TOKEN_HEX + 1];
	int64_t			 link, id1, id2, id3;
	int			 q;
	struct seen		 seen;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_link_create(s, fix.client, "phq9", "link", 14,
	    (int64_t)time(NULL), token, &link), SB_OK);
	a = item9(fix.client, link);
	assert_int_equal(store_alert_raise(s, &a, &id1, &q), SB_OK);
	/* The client saves the page again, and again. */
	assert_int_equal(store_alert_raise(s, &a, &id2, &q), SB_OK);
	assert_int_equal(id2, id1);
	a.administration = 0;
	assert_int_equal(store_alert_raise(s, &a, &id3, &q), SB_OK);
	assert_int_equal(id3, id1);
	seen = alerts_of(s, fix.client);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.high, 1);
	/* An alert on a link names its item. */
	a.item = NULL;
	assert_int_equal(store_alert_raise(s, &a, &id3, &q), SB_EINVAL);
	store_close(s);
}

static size_t
outbox_due(struct store *s, int64_t at)
{
	struct store_mail	 m[8];
	size_t			 got;

	assert_int_equal(store_outbox_claim(s, at, 60, NULL, m, 8, &got), SB_OK);
	return got;
}

static void
high_alert_queues_mail_in_its_transaction(void **state)
{
	struct store		*s;
	struct store_alert_new	 a;
	int64_t			 id, now = (int64_t)time(NULL);
	int			 q = -1;

	(void)state;
	s = fix_open(&fix, "anna");
	a = item9(fix.client, 0);
	a.item = NULL;
	/* Nobody to tell: nothing queued. */
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	assert_int_equal(q, 0);
	store_close(s);
	configure_mail();
	s = fix_open(&fix, "anna");
	/* Rolled back with the answers: no alert, no mail. */
	assert_int_equal(store_begin(s), SB_OK);
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	assert_int_equal(q, 1);
	store_rollback(s);
	assert_int_equal(outbox_due(s, now + 1), 0);
	assert_int_equal(alerts_of(s, fix.client).n, 1);
	/* Committed: the therapist and the duty address, and only the
	 * therapist's own message is counted (the client is told of it). */
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	assert_int_equal(q, 1);
	assert_int_equal(outbox_due(s, now + 1), 2);
	/* Historic and medium alerts send nothing. */
	a.historic = "2024-01-02";
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	assert_int_equal(q, 0);
	a.historic = NULL;
	a.severity = "medium";
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	assert_int_equal(q, 0);
	store_close(s);
}

static void
outbox_leases_and_records_outcomes(void **state)
{
	struct store		*s;
	struct store_alert_new	 a;
	struct store_mail	 m[8];
	int64_t			 id, now = (int64_t)time(NULL);
	size_t			 got;
	int			 q;

	(void)state;
	configure_mail();
	s = fix_open(&fix, "anna");
	a = item9(fix.client, 0);
	a.item = NULL;
	assert_int_equal(store_alert_raise(s, &a, &id, &q), SB_OK);
	store_close(s);
	s = fix_open(&fix, NULL);	/* the sender acts as no user */
	assert_int_equal(store_outbox_claim(s, now + 1, 60, NULL, m, 8, &got),
	    SB_OK);
	assert_int_equal(got, 2);
	assert_int_equal(m[0].attempts, 1);
	/* Leased: another sender gets nothing until the lease ends. */
	assert_int_equal(outbox_due(s, now + 2), 0);
	assert_int_equal(store_outbox_result(s, m[0].id, "sent", now + 2,
	    now + 2, "250 ok"), SB_OK);
	assert_int_equal(store_outbox_result(s, m[1].id, "queued", now + 2,
	    now + 10, "connection refused"), SB_OK);
	assert_int_equal(outbox_due(s, now + 9), 0);
	assert_int_equal(store_outbox_claim(s, now + 10, 60, NULL, m, 8, &got),
	    SB_OK);
	assert_int_equal(got, 1);
	assert_int_equal(m[0].attempts, 2);
	assert_int_equal(store_outbox_result(s, m[0].id, "failed", now + 10,
	    now + 10, "554 refused"), SB_OK);
	/* A message sent or failed is not sent again. */
	assert_int_equal(outbox_due(s, now + 100000), 0);
	assert_int_equal(store_outbox_result(s, m[0].id, "bogus", now, now,
	    NULL), SB_EINVAL);
	store_close(s);
}


static void
smtp_password_is_sealed(void **state)
{
	struct store	*s;
	struct buf	 v;
	bool		 set;

	(void)state;
	s = fix_open(&fix, "anna");
	assert_int_equal(store_setting_set(s, SET_SMTP_PASSWORD,
	    SMTP_PW), SB_EPERM);
	store_close(s);
	s = fix_open(&fix, "boss");
	assert_int_equal(store_setting_set(s, SET_SMTP_PASSWORD,
	    SMTP_PW), SB_OK);
	assert_int_equal(store_setting_set(s, SET_SMTP_URL, "http://x"),
	    SB_EINVAL);
	assert_int_equal(store_setting_set(s, SET_DUTY_EMAIL, "a b@c.d"),
	    SB_EINVAL);
	buf_init(&v, 1 << 16);
	assert_int_equal(store_setting_get(s, SET_SMTP_PASSWORD, &v, &set),
	    SB_OK);
	assert_true(set);
	assert_string_equal(v.data, SMTP_PW);
	buf_wipe(&v);
	assert_false(fix_db_has(&fix, SMTP_PW, strlen(SMTP_PW)));
	store_close(s);
}

static void
record(struct store *s, const char *answers, const char *completed,
    struct record_out *out)
{
	const struct reg_entry	*re = registry_find(&test_reg, "phq9");
	struct score_plan	*p;
	struct record_opts	 o = { "self", "import", NULL, false, 0,
	    completed, 14, false };
	int16_t			 a[INSTR_MAX_ITEMS];

	assert_non_null(re);
	assert_int_equal(score_plan_new(re->in, 0, 0, &p), SB_OK);
	assert_int_equal(answers_decode(p, answers, a), SB_OK);
	assert_int_equal(record_administration(s, p, fix.client, a, &o, out),
	    SB_OK);
	score_plan_free(p);
}

static void
every_recording_raises_the_safety_alerts(void **state)
{
	struct store		*s;
	struct record_out	 r;
	struct seen		 seen;

	(void)state;
	s = fix_open(&fix, "anna");
	/* An import, even with change alerts off. */
	record(s, "q1=1;q2=1;q3=1;q4=1;q5=1;q6=1;q7=1;q8=1;q9=2;q10=0", NULL,
	    &r);
	assert_int_equal(r.critical, 1);
	assert_int_equal(r.alerts, 1);
	seen = alerts_of(s, fix.client);
	assert_int_equal(seen.high, 1);
	assert_int_equal(seen.administration, r.id);
	assert_string_equal(seen.historic, "");
	/* A blank risk item: its own, medium alert. */
	record(s, "q1=3;q2=3;q3=3;q4=3;q5=3;q6=3;q7=3;q8=3;q9=;q10=0", NULL,
	    &r);
	assert_int_equal(r.critical, 0);
	seen = alerts_of(s, fix.client);
	assert_int_equal(seen.medium, 1);
	ASSERT_CONTAINS(seen.rules, "risk-item-unanswered");
	/* Old answers: historic, with their date. */
	record(s, "q1=0;q2=0;q3=0;q4=0;q5=0;q6=0;q7=0;q8=0;q9=1;q10=0",
	    "2024-03-05T10:00:00Z", &r);
	seen = alerts_of(s, fix.client);
	assert_int_equal(seen.high, 2);
	assert_string_equal(seen.historic, "2024-03-05");
	/* Not endorsed, not blank: nothing. */
	record(s, "q1=0;q2=0;q3=0;q4=0;q5=0;q6=0;q7=0;q8=0;q9=0;q10=0", NULL,
	    &r);
	assert_int_equal(r.alerts, 0);
	store_close(s);
}

static void
record_day_counts_from_1970(void **state)
{
	int64_t	 d;

	(void)state;
	/* Days since 1970-01-01, checked against date -d ... +%s / 86400. */
	assert_true(record_day("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_true(record_day("2000-03-01T00:00:00Z", &d));
	assert_int_equal(d, 11017);
	assert_true(record_day("2026-11-29", &d));
	assert_int_equal(d, 20786);
	assert_false(record_day("2026-13-01", &d));
	assert_false(record_day("26-1-1", &d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(link_item_alert_is_raised_once,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    high_alert_queues_mail_in_its_transaction, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(
		    outbox_leases_and_records_outcomes, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(smtp_password_is_sealed,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    every_recording_raises_the_safety_alerts, fix_setup,
		    fix_teardown),
		cmocka_unit_test(record_day_counts_from_1970),
	};

	return cmocka_run_group_tests(tests, test_registry_setup,
	    test_registry_teardown);
}

/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_store_view.c - page views: their reads' audit rows reach the trail
 * through the group commit, also when pages arrive together from many
 * threads; a refused read is still recorded; a write inside a view is
 * undone.
 */
#include <pthread.h>
#include <string.h>

#include "render/record.h"
#include "store_fixture.h"

static struct audit_group *
group_open(void)
{
	struct audit_group	*g;
	char			 err[512];
	struct store_key	 k = { fix.key, NULL };

	if (audit_group_open(fix.db, &k, &g, err, sizeof(err)) != SB_OK) {
		print_error("audit_group_open: %s\n", err);
		fail();
	}
	return g;
}

static int64_t
trail_rows(void)
{
	struct store		*s = fix_open(&fix, NULL);
	struct audit_report	 r;

	assert_int_equal(audit_verify(s, &r), SB_OK);
	if (!r.intact)
		print_error("audit: %s\n", r.what);
	assert_true(r.intact);
	store_close(s);
	return r.rows;
}

static enum sb_err
trail_row(void *arg, const struct audit_row *a)
{
	buf_printf(arg, "%lld\t%s\t%s\t%s\t%s\t%lld\t%s\n",
	    (long long)a->seq, a->at, a->user, a->action, a->entity,
	    (long long)a->entity_id, a->detail);
	return SB_OK;
}

/* The newest rows of the trail, as the admin page shows them. */
static void
trail_tail(struct buf *out)
{
	struct store	*s = fix_open(&fix, "boss");

	assert_int_equal(audit_tail_each(s, 20, trail_row, out), SB_OK);
	store_close(s);
}

static void
view_rows_reach_the_trail(void **state)
{
	struct audit_group	*g = group_open();
	struct store		*s = fix_open(&fix, "anna");
	struct buf		 list, tail;
	int64_t			 before = trail_rows();

	(void)state;
	buf_init(&list, 1 << 16);
	buf_init(&tail, 1 << 16);
	assert_int_equal(store_view_begin(s), SB_OK);
	assert_int_equal(fix_client_list(s, &list), SB_OK);
	assert_non_null(strstr(list.data, "Zebulon"));
	/* Nothing is on disk before the view ends. */
	assert_int_equal(trail_rows(), before);
	assert_int_equal(store_view_end(s, g), SB_OK);
	assert_int_equal(trail_rows(), before + 1);
	trail_tail(&tail);
	assert_non_null(strstr(tail.data, "\tanna\tread\tclient-list\t"));
	buf_free(&list);
	buf_free(&tail);
	store_close(s);
	audit_group_close(g);
}

static void
refused_read_in_a_view_is_recorded(void **state)
{
	struct audit_group	*g = group_open();
	struct store		*s = fix_open(&fix, "tom");
	struct buf		 rec, tail;

	(void)state;
	buf_init(&rec, 1 << 16);
	buf_init(&tail, 1 << 16);
	assert_int_equal(store_view_begin(s), SB_OK);
	assert_int_equal(record_text(s, fix.client, &rec, NULL), SB_EPERM);
	/* The view goes on after a refusal: the page shows an error. */
	assert_int_equal(fix_client_list(s, &rec), SB_OK);
	assert_int_equal(store_view_end(s, g), SB_OK);
	trail_tail(&tail);
	assert_non_null(strstr(tail.data, "\ttom\tdenied\tclient\t"));
	assert_non_null(strstr(tail.data, "\ttom\tread\tclient-list\t"));
	buf_free(&rec);
	buf_free(&tail);
	store_close(s);
	audit_group_close(g);
}

static void
write_inside_a_view_is_undone(void **state)
{
	struct audit_group	*g = group_open();
	struct store		*s = fix_open(&fix, "anna");
	struct buf		 list;
	int64_t			 id, before = trail_rows();

	(void)state;
	buf_init(&list, 1 << 16);
	assert_int_equal(store_view_begin(s), SB_OK);
	if (fix_pg() == NULL) {
		(void)!store_client_add(s, "Written In A View", &id);
		assert_int_equal(store_view_end(s, g), SB_EINVAL);
		assert_non_null(strstr(store_errmsg(s), "tried to write"));
	} else {
		/* PostgreSQL refuses the write itself (the view is a READ
		 * ONLY transaction), and the view's end says it failed. */
		assert_int_not_equal(store_client_add(s, "Written In A View",
		    &id), SB_OK);
		assert_non_null(strstr(store_errmsg(s), "read-only"));
		assert_int_not_equal(store_view_end(s, g), SB_OK);
	}
	assert_int_equal(fix_client_list(s, &list), SB_OK);
	assert_null(strstr(list.data, "Written In A View"));
	/* Neither the undone write's row nor the view's rows: only the
	 * client list read just now, outside any view. */
	assert_int_equal(trail_rows(), before + 1);
	buf_free(&list);
	store_close(s);
	audit_group_close(g);
}

#define THREADS	8
#define VIEWS	40

struct worker {
	struct audit_group	*g;
	int			 failures;
};

static void *
pages(void *arg)
{
	struct worker	*w = arg;
	struct store	*s = fix_open(&fix, "anna");
	struct buf	 list;
	int		 i;

	buf_init(&list, 1 << 16);
	for (i = 0; i < VIEWS; i++) {
		buf_reset(&list);
		if (store_view_begin(s) != SB_OK ||
		    fix_client_list(s, &list) != SB_OK ||
		    store_view_end(s, w->g) != SB_OK)
			w->failures++;
	}
	buf_free(&list);
	store_close(s);
	return NULL;
}

static void
pages_from_many_threads_all_land_in_one_chain(void **state)
{
	struct worker	 w[THREADS];
	pthread_t	 t[THREADS];
	int64_t		 before = trail_rows();
	int		 i;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		w[i].g = group_open();
		w[i].failures = 0;
	}
	/* One group shared by all, as in the server. */
	for (i = 0; i < THREADS; i++) {
		if (i > 0) {
			audit_group_close(w[i].g);
			w[i].g = w[0].g;
		}
		assert_int_equal(pthread_create(&t[i], NULL, pages, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	audit_group_close(w[0].g);
	assert_int_equal(trail_rows(), before + THREADS * VIEWS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(view_rows_reach_the_trail,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    refused_read_in_a_view_is_recorded, fix_setup,
		    fix_teardown),
		cmocka_unit_test_setup_teardown(write_inside_a_view_is_undone,
		    fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
		    pages_from_many_threads_all_land_in_one_chain, fix_setup,
		    fix_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

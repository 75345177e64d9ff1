// SPDX-License-Identifier: Apache-2.0
/* The reorder window: events out in (ts, cpu, arrival) order, late ones flagged, copies own their data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/reorder.h"

struct sink {
	uint64_t ts[64];
	int64_t cpu[64];
	bool late[64];
	uint64_t seg0[64];
	char frame0[64][16];
	int n;
	int stop_at; /* return nonzero when the n-th event arrives */
};

static int collect(void *ctx, const struct dt_event *ev)
{
	struct sink *s = ctx;
	s->ts[s->n] = ev->ts;
	s->cpu[s->n] = ev->cpu;
	s->late[s->n] = ev->has & DT_HAS_LATE;
	s->seg0[s->n] = ev->nsegs ? ev->segs[0].len : 0;
	snprintf(s->frame0[s->n], sizeof(s->frame0[0]), "%s", ev->nstack ? ev->stack[0] : "");
	s->n++;
	return s->stop_at && s->n == s->stop_at ? 7 : 0;
}

static void push(struct dt_reorder *r, uint64_t ts, int64_t cpu)
{
	static struct dt_event ev;
	dt_event_clear(&ev);
	ev.type = DT_EV_ATTACH;
	ev.ts = ts;
	ev.cpu = cpu;
	ev.has |= DT_HAS_CPU;
	assert_int_equal(dt_reorder_push(r, &ev), 0);
}

static void test_window_sorts(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(100, collect, &s);
	push(r, 1000, 0);
	push(r, 990, 1); /* ring order differs from time order by less than the window */
	push(r, 1050, 0);
	assert_int_equal(s.n, 0); /* nothing is older than newest - window yet */
	push(r, 1095, 1);         /* releases ts <= 995 */
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ts[0], 990);
	assert_int_equal(dt_reorder_flush(r), 0);
	assert_int_equal(s.n, 4);
	uint64_t want[] = {990, 1000, 1050, 1095};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(s.ts[i], want[i]);
		assert_false(s.late[i]);
	}
	assert_int_equal(dt_reorder_stats(r)->late, 0);
	assert_int_equal(dt_reorder_stats(r)->max_behind_ns, 10);
	dt_reorder_free(r);
}

static void test_ties_by_cpu_then_arrival(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(100, collect, &s);
	push(r, 500, 3);
	push(r, 500, 1);
	push(r, 500, 1);
	dt_reorder_flush(r);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.cpu[0], 1);
	assert_int_equal(s.cpu[1], 1);
	assert_int_equal(s.cpu[2], 3);
	dt_reorder_free(r);
}

static void test_late_event_flagged(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(100, collect, &s);
	push(r, 1000, 0);
	assert_int_equal(dt_reorder_release(r, 1100), 0); /* the clock passed ts + window */
	assert_int_equal(s.n, 1);
	push(r, 950, 1); /* older than what was handed on: passed at once, late */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ts[1], 950);
	assert_true(s.late[1]);
	push(r, 1000, 1); /* equal ts is not an inversion */
	dt_reorder_flush(r);
	assert_false(s.late[2]);
	assert_int_equal(dt_reorder_stats(r)->late, 1);
	dt_reorder_free(r);
}

static void test_release_by_clock(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(1000, collect, &s);
	push(r, 5000, 0);
	push(r, 5500, 0);
	dt_reorder_release(r, 5999); /* live output lags by the window */
	assert_int_equal(s.n, 0);
	dt_reorder_release(r, 6000);
	assert_int_equal(s.n, 1);
	dt_reorder_release(r, 7000);
	assert_int_equal(s.n, 2);
	dt_reorder_free(r);
}

static void test_copies_segments_and_stack(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(100, collect, &s);
	static struct dt_event ev;
	struct dt_seg segs[2] = {{4096, 111}, {8192, 222}};
	char stack[1][DT_FRAME_MAX] = {"vgem_prime+0x1"};
	dt_event_clear(&ev);
	ev.type = DT_EV_MAP;
	ev.ts = 10;
	ev.segs = segs;
	ev.nsegs = 2;
	ev.stack = stack;
	ev.nstack = 1;
	dt_reorder_push(r, &ev);
	segs[0].len = 999; /* the producer reuses its storage */
	strcpy(stack[0], "clobbered");
	dt_reorder_flush(r);
	assert_int_equal(s.seg0[0], 111);
	assert_string_equal(s.frame0[0], "vgem_prime+0x1");
	dt_reorder_free(r);
}

static void test_consumer_stop_passed_back(void **state)
{
	(void)state;
	struct sink s = {.stop_at = 1};
	struct dt_reorder *r = dt_reorder_new(0, collect, &s); /* no window: arrival order */
	static struct dt_event ev;
	dt_event_clear(&ev);
	ev.ts = 1;
	assert_int_equal(dt_reorder_push(r, &ev), 7);
	ev.ts = 2;
	assert_int_equal(dt_reorder_push(r, &ev), 0);
	dt_reorder_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_sorts),
		cmocka_unit_test(test_ties_by_cpu_then_arrival),
		cmocka_unit_test(test_late_event_flagged),
		cmocka_unit_test(test_release_by_clock),
		cmocka_unit_test(test_copies_segments_and_stack),
		cmocka_unit_test(test_consumer_stop_passed_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

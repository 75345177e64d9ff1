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

/* Frames known plain (the recorder's symbol cache, dt_event_learn_stack) are copied up to their NUL only:
 * every length around the 16-byte steps comes out whole, with its length. */
static char got_stack[DT_STACK_MAX][DT_FRAME_MAX];
static uint8_t got_len[DT_STACK_MAX];
static uint32_t got_n;
static bool got_plain;

static int collect_stack(void *ctx, const struct dt_event *ev)
{
	(void)ctx;
	got_n = ev->nstack;
	got_plain = ev->stack_plain;
	for (uint32_t i = 0; i < ev->nstack; i++) {
		memcpy(got_stack[i], ev->stack[i], DT_FRAME_MAX);
		got_len[i] = ev->stack_len[i];
	}
	return 0;
}

static void test_copies_plain_stack_by_length(void **state)
{
	(void)state;
	static const size_t lens[] = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 111, 112, 113, DT_FRAME_MAX - 1};
	uint32_t n = sizeof(lens) / sizeof(lens[0]);
	static char stack[DT_STACK_MAX][DT_FRAME_MAX], want[DT_STACK_MAX][DT_FRAME_MAX];
	for (uint32_t i = 0; i < n; i++) {
		for (size_t k = 0; k < lens[i]; k++)
			stack[i][k] = (char)('a' + (i + k) % 26);
		stack[i][lens[i]] = '\0';
		strcpy(want[i], stack[i]);
	}
	for (int window = 0; window < 2; window++) {
		struct dt_reorder *r = dt_reorder_new(window ? 100 : 0, collect_stack, NULL);
		static struct dt_event ev;
		static char junk[DT_STACK_MAX][DT_FRAME_MAX];
		memset(junk, 'Y', sizeof(junk)); /* a first event leaves the held copy's storage full of bytes */
		for (uint32_t i = 0; i < n; i++)
			junk[i][DT_FRAME_MAX - 1] = '\0';
		dt_event_clear(&ev);
		ev.ts = 5;
		ev.stack = junk;
		ev.nstack = n;
		dt_reorder_push(r, &ev);
		dt_reorder_flush(r);
		dt_event_clear(&ev);
		ev.type = DT_EV_MAP;
		ev.ts = 10;
		ev.stack = stack;
		ev.nstack = n;
		dt_event_learn_stack(&ev);
		assert_true(ev.stack_plain);
		memset(got_stack, 'Z', sizeof(got_stack));
		got_n = 0;
		dt_reorder_push(r, &ev);
		for (uint32_t i = 0; i < n; i++)
			memset(stack[i], 'c', DT_FRAME_MAX); /* the producer reuses its storage: no NUL left */
		dt_reorder_flush(r);
		assert_int_equal(got_n, n);
		assert_true(got_plain);
		for (uint32_t i = 0; i < n; i++) {
			assert_string_equal(got_stack[i], want[i]);
			assert_int_equal(got_len[i], lens[i]);
		}
		for (uint32_t i = 0; i < n; i++)
			strcpy(stack[i], want[i]);
		dt_reorder_free(r);
	}
}

/* A slot (dt_reorder_slot) decoded in place is held as it is: its fields and strings come out unchanged, its
 * segments and stack (the producer's storage, reused at once) are copied; an unused slot is handed out again;
 * events pushed from elsewhere are copied as before; no window, no slot. */
static void test_slot_decoded_in_place(void **state)
{
	(void)state;
	struct sink s = {0};
	struct dt_reorder *r = dt_reorder_new(100, collect, &s);
	static struct dt_seg segs[2];
	static char stack[2][DT_FRAME_MAX];
	struct dt_event *slot = dt_reorder_slot(r);
	assert_non_null(slot);
	assert_ptr_equal(dt_reorder_slot(r), slot); /* not pushed yet: the same one */
	dt_event_clear(slot);
	slot->type = DT_EV_MAP;
	slot->ts = 20;
	slot->cpu = 1;
	segs[0] = (struct dt_seg){4096, 333};
	segs[1] = (struct dt_seg){8192, 444};
	slot->segs = segs;
	slot->nsegs = 2;
	strcpy(stack[0], "vb2_dc_map+0x35");
	slot->stack = stack;
	slot->nstack = 1;
	dt_event_learn_stack(slot);
	assert_int_equal(dt_reorder_push(r, slot), 0);
	segs[0].len = 999; /* the producer reuses its storage for the next record */
	memset(stack[0], 'x', DT_FRAME_MAX);
	/* the next slot is another one: the pushed slot is held */
	struct dt_event *next = dt_reorder_slot(r);
	assert_non_null(next);
	assert_ptr_not_equal(next, slot);
	push(r, 10, 0); /* an event from elsewhere, earlier: copied, sorted before the slot's */
	dt_reorder_flush(r);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ts[0], 10);
	assert_int_equal(s.ts[1], 20);
	assert_int_equal(s.cpu[1], 1);
	assert_int_equal(s.seg0[1], 333);
	assert_string_equal(s.frame0[1], "vb2_dc_map+0x35");
	dt_reorder_free(r); /* frees the unused slot too (valgrind/ASan suites) */
	struct dt_reorder *none = dt_reorder_new(0, collect, &s);
	assert_null(dt_reorder_slot(none));
	dt_reorder_free(none);
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

/* Mostly in order with a few behind (the FIFO and the heap both hold events, more than their first
 * capacity): every event comes out once, in (ts, cpu, arrival) order, with its strings whole. */
struct order_sink {
	uint64_t last_ts, n;
	int64_t last_cpu;
	uint64_t last_arrival_of_tie;
	bool sorted, strings_ok;
};

static int check_order(void *ctx, const struct dt_event *ev)
{
	struct order_sink *s = ctx;
	char want[32];
	snprintf(want, sizeof(want), "comm-%llu", (unsigned long long)ev->seq % 1000);
	if (!ev->comm.set || ev->comm.len != strlen(want) || strcmp(ev->comm.s, want) || ev->dev.set ||
	    strcmp(ev->bus.s, "platform"))
		s->strings_ok = false;
	if (s->n && (ev->ts < s->last_ts || (ev->ts == s->last_ts && ev->cpu < s->last_cpu) ||
		     (ev->ts == s->last_ts && ev->cpu == s->last_cpu && ev->seq < s->last_arrival_of_tie)))
		s->sorted = false;
	s->last_ts = ev->ts;
	s->last_cpu = ev->cpu;
	s->last_arrival_of_tie = ev->seq; /* seq here: the arrival number */
	s->n++;
	return 0;
}

static void test_fifo_and_heap_merge(void **state)
{
	(void)state;
	struct order_sink s = {.sorted = true, .strings_ok = true};
	struct dt_reorder *r = dt_reorder_new(1000000, check_order, &s);
	static struct dt_event ev;
	uint64_t ts = 1000, x = 12345;
	for (uint64_t i = 0; i < 3000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		dt_event_clear(&ev);
		ev.type = DT_EV_MAP;
		ev.seq = i;
		ev.cpu = (int64_t)((x >> 33) % 3);
		ts += (x >> 40) % 3; /* ties happen */
		/* one in 8 arrives up to 50 ns behind the newest: to the heap */
		ev.ts = (x >> 20) % 8 == 0 && ts > 50 ? ts - (x >> 45) % 50 : ts;
		char comm[32];
		snprintf(comm, sizeof(comm), "comm-%llu", (unsigned long long)i % 1000);
		dt_str_set(&ev.comm, comm, strlen(comm));
		dt_str_set(&ev.bus, "platform", 8);
		assert_int_equal(dt_reorder_push(r, &ev), 0);
	}
	assert_true(dt_reorder_stats(r)->held_max > 256);
	assert_int_equal(dt_reorder_flush(r), 0);
	assert_int_equal(s.n, 3000);
	assert_true(s.sorted);
	assert_true(s.strings_ok);
	assert_true(dt_reorder_stats(r)->reordered > 0);
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
		cmocka_unit_test(test_copies_plain_stack_by_length),
		cmocka_unit_test(test_slot_decoded_in_place),
		cmocka_unit_test(test_consumer_stop_passed_back),
		cmocka_unit_test(test_fifo_and_heap_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

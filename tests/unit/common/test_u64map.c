/* SPDX-License-Identifier: Apache-2.0 */
/* Open-addressing id map with backward-shift deletion (src/common/u64map.c), checked against a reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/u64map.h"

#define N 20000

static uint64_t rng = 88172645463325252ull;
static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Every key must be reachable from its home slot without crossing an empty slot. */
static void check_invariants(const struct u64map *m)
{
	size_t live = 0;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].val)
			continue;
		live++;
		assert_ptr_equal(u64map_get(m, m->slots[i].key), m->slots[i].val);
	}
	assert_int_equal(live, m->len);
}

static void test_empty(void **state)
{
	struct u64map m = {0};
	assert_null(u64map_get(&m, 1));
	assert_null(u64map_del(&m, 1));
	u64map_free(&m);
	assert_int_equal(m.len, 0);
}

static void test_put_get_replace(void **state)
{
	struct u64map m = {0};
	int a, b;
	assert_int_equal(u64map_put(&m, 0, &a), 0);
	assert_int_equal(u64map_put(&m, UINT64_MAX, &b), 0);
	assert_ptr_equal(u64map_get(&m, 0), &a);
	assert_ptr_equal(u64map_get(&m, UINT64_MAX), &b);
	assert_int_equal(u64map_put(&m, 0, &b), 0);
	assert_int_equal(m.len, 2);
	assert_ptr_equal(u64map_get(&m, 0), &b);
	assert_ptr_equal(u64map_del(&m, 0), &b);
	assert_null(u64map_get(&m, 0));
	assert_null(u64map_del(&m, 0));
	assert_int_equal(m.len, 1);
	u64map_free(&m);
}

/* Sequential ids (the common case), inserted then deleted in an interleaved order. */
static void test_many_sequential(void **state)
{
	struct u64map m = {0};
	static char vals[N];
	for (uint64_t k = 1; k <= N; k++)
		assert_int_equal(u64map_put(&m, k, &vals[k - 1]), 0);
	assert_int_equal(m.len, N);
	check_invariants(&m);
	for (uint64_t k = 1; k <= N; k += 2)
		assert_ptr_equal(u64map_del(&m, k), &vals[k - 1]);
	check_invariants(&m);
	for (uint64_t k = 1; k <= N; k++)
		assert_ptr_equal(u64map_get(&m, k), k % 2 ? NULL : &vals[k - 1]);
	for (uint64_t k = 2; k <= N; k += 2)
		assert_ptr_equal(u64map_del(&m, k), &vals[k - 1]);
	assert_int_equal(m.len, 0);
	for (size_t i = 0; i < m.cap; i++)
		assert_null(m.slots[i].val);
	u64map_free(&m);
}

/* Random operations against a reference array: catches a wrong backward shift,
 * which leaves a key unreachable behind a hole or resurrects a deleted one. */
static void test_random_vs_reference(void **state)
{
	enum { KEYS = 3000 };
	struct u64map m = {0};
	static uint64_t keys[KEYS];
	static void *ref[KEYS];
	static char vals[KEYS];
	/* a small key space drawn from sparse 64-bit values, plus colliding neighbours */
	for (size_t i = 0; i < KEYS; i++)
		keys[i] = i % 3 == 0 ? xorshift() : (i % 3 == 1 ? keys[i - 1] + 1 : (uint64_t)i * 64);
	for (int op = 0; op < 200000; op++) {
		size_t i = xorshift() % KEYS;
		if (xorshift() % 3) {
			assert_int_equal(u64map_put(&m, keys[i], &vals[i]), 0);
			ref[i] = &vals[i];
		} else {
			assert_ptr_equal(u64map_del(&m, keys[i]), ref[i]);
			ref[i] = NULL;
		}
		if (op % 20000 == 0) {
			size_t live = 0;
			for (size_t k = 0; k < KEYS; k++) {
				assert_ptr_equal(u64map_get(&m, keys[k]), ref[k]);
				live += ref[k] != NULL;
			}
			assert_int_equal(m.len, live);
			check_invariants(&m);
		}
	}
	for (size_t k = 0; k < KEYS; k++)
		assert_ptr_equal(u64map_get(&m, keys[k]), ref[k]);
	u64map_free(&m);
}

/* Keys that all hash into one probe run and wrap around the end of the table. */
static void test_wraparound_cluster(void **state)
{
	struct u64map m = {0};
	static char vals[40];
	/* find keys whose home is one of the last slots of a 64-slot table */
	uint64_t keys[40];
	size_t n = 0;
	int dummy;
	assert_int_equal(u64map_put(&m, 0xdead, &dummy), 0);
	assert_int_equal(m.cap, 64);
	u64map_del(&m, 0xdead);
	for (uint64_t k = 1; n < 40; k++) {
		uint64_t h = k;
		h ^= h >> 33;
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
		if ((h & 63) >= 60)
			keys[n++] = k;
	}
	for (size_t i = 0; i < 40; i++)
		assert_int_equal(u64map_put(&m, keys[i], &vals[i]), 0);
	/* 40 of 64 slots: the table grew once; delete from the middle of runs */
	for (size_t i = 0; i < 40; i += 3)
		assert_ptr_equal(u64map_del(&m, keys[i]), &vals[i]);
	for (size_t i = 0; i < 40; i++)
		assert_ptr_equal(u64map_get(&m, keys[i]), i % 3 == 0 ? NULL : &vals[i]);
	check_invariants(&m);
	u64map_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_put_get_replace),
		cmocka_unit_test(test_many_sequential),
		cmocka_unit_test(test_random_vs_reference),
		cmocka_unit_test(test_wraparound_cluster),
	};
	return cmocka_run_group_tests_name("u64map", tests, NULL, NULL);
}

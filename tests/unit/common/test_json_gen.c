/* SPDX-License-Identifier: Apache-2.0 */
/* The line writer (dt_jline, src/common/json_gen.c) writes the very bytes yajl_gen writes through the
 * dt_json_* helpers: the findings' JSON must not depend on which writer made it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <yajl/yajl_gen.h>

#include "common/json_gen.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* mostly printable ASCII (the fast path), sometimes any byte at any place (quotes, controls, UTF-8, junk) */
static size_t random_string(char *s, size_t cap)
{
	size_t len = next_random() % cap;
	unsigned odd = (unsigned)(next_random() % 4);
	for (size_t i = 0; i < len; i++) {
		uint64_t r = next_random();
		s[i] = odd && r % 29 == 0 ? (char)(r >> 8) : (char)(' ' + (r >> 8) % 95);
	}
	return len;
}

static void test_strings_match_yajl(void **state)
{
	struct dt_jline l;
	assert_int_equal(dt_jline_init(&l), 0);
	yajl_gen g = yajl_gen_alloc(NULL);
	assert_non_null(g);
	char s[600];
	for (int i = 0; i < 200000; i++) {
		size_t len = random_string(s, sizeof(s));
		dt_jline_reset(&l);
		dt_jline_open(&l, '[');
		dt_jline_strn(&l, s, len);
		dt_jline_close(&l, ']');
		yajl_gen_clear(g);
		yajl_gen_reset(g, NULL);
		yajl_gen_array_open(g);
		dt_json_strn(g, s, len);
		yajl_gen_array_close(g);
		const unsigned char *want;
		size_t n;
		yajl_gen_get_buf(g, &want, &n);
		if (l.len != n || memcmp(l.p, want, n))
			fail_msg("string %d (%zu bytes): line writer \"%.*s\", yajl \"%.*s\"", i, len, (int)l.len, l.p,
				 (int)n, (const char *)want);
	}
	yajl_gen_free(g);
	dt_jline_free(&l);
}

/* The string as the line writer and as yajl (dt_json_strn) write it, as an array element. */
static void assert_same_string(struct dt_jline *l, yajl_gen g, const char *s, size_t len)
{
	dt_jline_reset(l);
	dt_jline_open(l, '[');
	dt_jline_strn(l, "x", 1); /* a value before it: its ',' */
	dt_jline_strn(l, s, len);
	dt_jline_close(l, ']');
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL);
	yajl_gen_array_open(g);
	dt_json_strn(g, "x", 1);
	dt_json_strn(g, s, len);
	yajl_gen_array_close(g);
	const unsigned char *want;
	size_t n;
	yajl_gen_get_buf(g, &want, &n);
	if (l->len != n || memcmp(l->p, want, n))
		fail_msg("%zu bytes: line writer \"%.*s\", yajl \"%.*s\"", len, (int)l->len, l->p, (int)n,
			 (const char *)want);
}

/* Every byte value at every place of strings of 1..40 bytes: the 16-byte blocks, their overlapping last
 * block, the 8-byte words and the byte tail each meet every control byte, quote, backslash, DEL, UTF-8
 * lead and continuation byte; and strings at and past the 4000-byte cut. */
static void test_every_byte_everywhere(void **state)
{
	struct dt_jline l;
	assert_int_equal(dt_jline_init(&l), 0);
	yajl_gen g = yajl_gen_alloc(NULL);
	assert_non_null(g);
	char s[5000];
	for (size_t len = 1; len <= 40; len++)
		for (size_t at = 0; at < len; at++)
			for (int c = 0; c < 256; c++) {
				memset(s, 'a', len);
				s[at] = (char)c;
				assert_same_string(&l, g, s, len);
			}
	for (size_t len = 3990; len <= 4010; len++) {
		memset(s, 'b', len);
		assert_same_string(&l, g, s, len);
		s[len / 2] = '\n';
		assert_same_string(&l, g, s, len);
	}
	assert_same_string(&l, g, "", 0);
	yajl_gen_free(g);
	dt_jline_free(&l);
	(void)state;
}

/* Keys, numbers at their limits, booleans, null and nesting: the bytes yajl_gen writes. */
static void test_members_match_yajl(void **state)
{
	static const uint64_t u[] = {0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 99999, 100000, 4294967295u,
				     4294967296u, 999999999999999999ull, 1000000000000000000ull, UINT64_MAX - 1,
				     UINT64_MAX};
	static const int64_t i[] = {0, -1, 1, -9, -10, 12345, INT64_MAX, INT64_MIN, INT64_MIN + 1};
	struct dt_jline l;
	assert_int_equal(dt_jline_init(&l), 0);
	yajl_gen g = yajl_gen_alloc(NULL);
	assert_non_null(g);
	dt_jline_reset(&l);
	dt_jline_open(&l, '{');
	yajl_gen_map_open(g);
	for (size_t k = 0; k < sizeof(u) / sizeof(u[0]); k++) {
		dt_jline_u64(&l, "u", u[k]);
		dt_json_u64(g, "u", u[k]);
	}
	for (size_t k = 0; k < sizeof(i) / sizeof(i[0]); k++) {
		dt_jline_i64(&l, "i", i[k]);
		dt_json_i64(g, "i", i[k]);
	}
	for (int k = 0; k < 20000; k++) { /* every length of number, every digit pair */
		uint64_t v = next_random() >> (next_random() % 64);
		dt_jline_u64(&l, "r", v);
		dt_json_u64(g, "r", v);
		dt_jline_i64(&l, "s", (int64_t)v);
		dt_json_i64(g, "s", (int64_t)v);
	}
	dt_jline_bool(&l, "t", true);
	dt_json_bool(g, "t", true);
	dt_jline_bool(&l, "f", false);
	dt_json_bool(g, "f", false);
	dt_jline_null(&l, "n");
	dt_json_null(g, "n");
	dt_jline_str(&l, "s", NULL);
	dt_json_str(g, "s", NULL);
	dt_jline_str(&l, "segment_boundary_mask", "v\"\\\x01\xff");
	dt_json_str(g, "segment_boundary_mask", "v\"\\\x01\xff");
	dt_jline_key(&l, "a");
	dt_jline_open(&l, '[');
	dt_json_key(g, "a");
	yajl_gen_array_open(g);
	for (int k = 0; k < 3; k++) {
		dt_jline_open(&l, '{');
		dt_jline_close(&l, '}');
		dt_jline_u64v(&l, (uint64_t)k);
		yajl_gen_map_open(g);
		yajl_gen_map_close(g);
		dt_json_u64v(g, (uint64_t)k);
	}
	dt_jline_close(&l, ']');
	yajl_gen_array_close(g);
	dt_jline_close(&l, '}');
	yajl_gen_map_close(g);
	const unsigned char *want;
	size_t n;
	yajl_gen_get_buf(g, &want, &n);
	assert_false(l.oom);
	if (l.len != n || memcmp(l.p, want, n))
		fail_msg("line writer \"%.*s\", yajl \"%.*s\"", (int)l.len, l.p, (int)n, (const char *)want);
	yajl_gen_free(g);
	dt_jline_free(&l);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_match_yajl),
		cmocka_unit_test(test_every_byte_everywhere),
		cmocka_unit_test(test_members_match_yajl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_match_yajl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

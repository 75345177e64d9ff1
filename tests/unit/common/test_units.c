/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes in messages and profiles (src/common/units.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/units.h"

static void test_fmt_size(void **state)
{
	static const struct { uint64_t b; const char *s; } cases[] = {
		{0, "0 B"}, {1, "1 B"}, {1023, "1023 B"}, {1024, "1 KiB"}, {4100, "4.0 KiB"}, {65536, "64 KiB"},
		{1536 * 1024, "1.5 MiB"}, {4 << 20, "4 MiB"}, {1ull << 30, "1 GiB"}, {3ull << 40, "3 TiB"},
		{5ull << 50, "5120 TiB"}, {UINT64_MAX, "16777216.0 TiB"},
	};
	char out[32];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(dt_fmt_size(out, sizeof(out), cases[i].b), cases[i].s);
	/* a small buffer is never overrun */
	char tiny[4];
	dt_fmt_size(tiny, sizeof(tiny), 65536);
	assert_string_equal(tiny, "64 ");
	/* the same text as printf's "%.1f" for every fraction (ties to even included) and size class */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 2000000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t b = i < 4096 ? (uint64_t)i * 256 + (i & 3) : x >> (x % 56);
		if (i % 3 == 0)
			b = (b & ~1023ull) | 512; /* an exact half in KiB */
		char want[64], got[64];
		int u = 0;
		uint64_t whole = b;
		while (whole >= 1024 && u < 4)
			whole /= 1024, u++;
		static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
		uint64_t div = 1ull << (10 * u);
		if (b % div)
			snprintf(want, sizeof(want), "%.1f %s", (double)b / (double)div, unit[u]);
		else
			snprintf(want, sizeof(want), "%llu %s", (unsigned long long)(b / div), unit[u]);
		if (strcmp(dt_fmt_size(got, sizeof(got), b), want))
			fail_msg("%llu: \"%s\", printf gives \"%s\"", (unsigned long long)b, got, want);
	}
}

/* A limit and a size one byte apart never read the same: the rounded ones carry their bytes. */
static void test_fmt_size_exact(void **state)
{
	(void)state;
	char a[64], b[64];
	assert_string_equal(dt_fmt_size_exact(a, sizeof(a), 65536), "64 KiB");
	assert_string_equal(dt_fmt_size_exact(a, sizeof(a), 65535), "64.0 KiB (65535 bytes)");
	assert_string_equal(dt_fmt_size_exact(a, sizeof(a), 1507328), "1.4 MiB (1507328 bytes)");
	assert_string_not_equal(dt_fmt_size_exact(a, sizeof(a), 1507327), dt_fmt_size_exact(b, sizeof(b), 1507328));
	assert_string_equal(dt_fmt_size_exact(a, sizeof(a), 4100), "4.0 KiB (4100 bytes)");
	assert_string_equal(dt_fmt_size_exact(a, sizeof(a), 1000), "1000 B");
	assert_string_equal(dt_fmt_size_exact(a, 12, 65535), "64.0 KiB (6"); /* cut, still terminated */
}

static void test_parse_size(void **state)
{
	static const struct { const char *s; uint64_t v; } ok[] = {
		{"0", 0}, {"65536", 65536}, {"64K", 65536}, {"64k", 65536}, {"64KiB", 65536}, {"64KB", 65536},
		{"1M", 1 << 20}, {"1MiB", 1 << 20}, {"3G", 3ull << 30}, {"0x10000", 65536}, {"0XFFFFFFFF", 0xffffffffu},
		{"18446744073709551615", UINT64_MAX}, {"010", 10}, {"0x10K", 16384},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uint64_t v = 12345;
		if (dt_parse_size(ok[i].s, &v) != 0)
			fail_msg("\"%s\" refused", ok[i].s);
		if (v != ok[i].v)
			fail_msg("\"%s\" gave %llu, want %llu", ok[i].s, (unsigned long long)v, (unsigned long long)ok[i].v);
	}
	static const char *const bad[] = {
		"", " 5", "-1", "-0", "K", "1.5M", "64Q", "64KiBs", "64Kx", "1T", "18446744073709551616",
		"17179869184G", "0x", "abc", "5 ", NULL,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 777;
		if (dt_parse_size(bad[i], &v) == 0)
			fail_msg("\"%s\" accepted as %llu", bad[i] ? bad[i] : "(null)", (unsigned long long)v);
		assert_int_equal(v, 777);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_size),
		cmocka_unit_test(test_fmt_size_exact),
		cmocka_unit_test(test_parse_size),
	};
	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}

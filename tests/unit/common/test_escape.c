/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping of untrusted strings (src/common/escape.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/escape.h"

static const char *text(const char *s, size_t len)
{
	static char out[512];
	size_t n = dt_escape_text(out, sizeof(out), s, len);
	assert_int_equal(n, strlen(out));
	return out;
}
#define TEXT(lit) text((lit), sizeof(lit) - 1)

static const char *utf8(const char *s, size_t len)
{
	static char out[512];
	size_t n = dt_sanitize_utf8(out, sizeof(out), s, len);
	assert_int_equal(n, strlen(out));
	return out;
}
#define UTF8(lit) utf8((lit), sizeof(lit) - 1)

static const char *xml(const char *s, size_t len)
{
	static char out[512];
	dt_escape_xml(out, sizeof(out), s, len);
	return out;
}
#define XML(lit) xml((lit), sizeof(lit) - 1)

/* Nothing a terminal acts on may survive: no ESC, no C0/C1, no bidi controls. */
static void assert_inert(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control byte 0x%02x in \"%s\"", *p, s);
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("C1 control in \"%s\"", s);
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
			fail_msg("bidi embedding in \"%s\"", s);
		if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			fail_msg("bidi isolate in \"%s\"", s);
	}
}

static void test_plain(void **state)
{
	assert_string_equal(TEXT("vivid.0"), "vivid.0");
	assert_string_equal(TEXT(""), "");
	assert_string_equal(TEXT("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xa7"), "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xa7");
}

static void test_ansi_newline_quotes(void **state)
{
	const char *s = TEXT("\x1b[31mred\x1b[0m");
	assert_string_equal(s, "\\x1b[31mred\\x1b[0m");
	assert_inert(s);
	assert_string_equal(TEXT("a\nb\tc\rd"), "a\\nb\\tc\\x0dd");
	assert_string_equal(TEXT("say \"hi\" \\o/"), "say \\\"hi\\\" \\\\o/");
	assert_string_equal(TEXT("nul\0x"), "nul\\x00x");
	assert_string_equal(TEXT("del\x7f"), "del\\x7f");
	assert_string_equal(TEXT("\xc2\x9b" "31m"), "\\xc2\\x9b31m"); /* C1 CSI */
}

static void test_html(void **state)
{
	assert_string_equal(TEXT("<script>alert(1)</script>"), "<script>alert(1)</script>");
	assert_string_equal(XML("<script>alert('x' & \"y\")</script>"),
			    "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
	assert_string_equal(XML("a\x01" "b\xff"), "a\\x01b\\xff");
}

static void test_invalid_utf8(void **state)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{"\xff", 1, "\\xff"},
		{"a\x80" "b", 3, "a\\x80b"},                   /* lone continuation */
		{"\xc3", 1, "\\xc3"},                          /* cut sequence */
		{"\xc3(", 2, "\\xc3("},                        /* bad continuation */
		{"\xc0\xaf", 2, "\\xc0\\xaf"},                 /* overlong '/' */
		{"\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf"},        /* overlong */
		{"\xed\xa0\x80", 3, "\\xed\\xa0\\x80"},        /* surrogate */
		{"\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80"}, /* > U+10FFFF */
		{"\xf8\x88\x80\x80\x80", 5, "\\xf8\\x88\\x80\\x80\\x80"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(text(cases[i].in, cases[i].len), cases[i].out);
		assert_string_equal(utf8(cases[i].in, cases[i].len), cases[i].out);
	}
}

static void test_bidi(void **state)
{
	/* RLO, LRE, PDF, LRI, PDI, RLM, ALM */
	const char *s = TEXT("a\xe2\x80\xae" "b\xe2\x80\xaa" "c\xe2\x80\xac" "d\xe2\x81\xa6" "e\xe2\x81\xa9" "f\xe2\x80\x8f"
			     "g\xd8\x9c");
	assert_string_equal(s, "a\\xe2\\x80\\xaeb\\xe2\\x80\\xaac\\xe2\\x80\\xacd\\xe2\\x81\\xa6e\\xe2\\x81\\xa9f"
			       "\\xe2\\x80\\x8fg\\xd8\\x9c");
	assert_inert(s);
}

static void test_sanitize_utf8_keeps_controls(void **state)
{
	/* the JSON generator escapes these itself; only invalid bytes change */
	assert_string_equal(UTF8("a\nb\x1b[0m\"\\"), "a\nb\x1b[0m\"\\");
	assert_string_equal(UTF8("\xe2\x80\xae"), "\xe2\x80\xae");
	assert_string_equal(UTF8("ok\xfe"), "ok\\xfe");
}

static void test_truncation(void **state)
{
	char out[16];
	size_t n = dt_escape_text(out, sizeof(out), "abcdefghijklmnopqrstuvwxyz", 26);
	assert_string_equal(out, "abcdefghijkl...");
	assert_int_equal(n, strlen(out));
	/* an escape is never cut in half */
	n = dt_escape_text(out, sizeof(out), "abcdefghij\x1b\x1b\x1b", 13);
	assert_string_equal(out, "abcdefghij...");
	/* a multi-byte character is never cut in half */
	n = dt_escape_text(out, sizeof(out), "abcdefghij\xe2\x9c\x93\xe2\x9c\x93", 16);
	assert_string_equal(out, "abcdefghij...");
	/* exactly fitting: no marker */
	n = dt_escape_text(out, sizeof(out), "abcdefghijkl", 12);
	assert_string_equal(out, "abcdefghijkl");
	/* tiny buffers stay NUL-terminated and in bounds */
	char guard[8];
	memset(guard, 'G', sizeof(guard));
	dt_escape_text(guard, 4, "abcdef", 6);
	assert_string_equal(guard, "...");
	assert_int_equal(guard[4], 'G');
	dt_escape_text(guard, 1, "abcdef", 6);
	assert_string_equal(guard, "");
	assert_int_equal(guard[1], '.');
	n = dt_escape_text(guard, 0, "abc", 3);
	assert_int_equal(n, 0);
}

/* The plain-byte helpers (escape.h) against the rule written out: every byte value, at every position. */
static bool rule_plain(unsigned char c)
{
	return !(c < 0x20 || c >= 0x7f || c == '"' || c == '\\');
}

static void test_plain_byte_helpers(void **state)
{
	(void)state;
	int plain = 0;
	for (int c = 0; c < 256; c++) {
		assert_int_equal(dt_plain_byte((unsigned char)c), rule_plain((unsigned char)c));
		plain += rule_plain((unsigned char)c);
	}
	assert_int_equal(plain, 0x7f - 0x20 - 2);
	char buf[32];
	for (int c = 0; c < 256; c++) {
		for (int at = 0; at < 16; at++) {
			memset(buf, 'a', sizeof(buf));
			buf[at] = (char)c;
			bool ok = rule_plain((unsigned char)c);
#ifdef __SSE2__
			assert_int_equal(dt_plain_bad16(buf), ok ? 0u : 1u << at);
#endif
			uint64_t x;
			memcpy(&x, buf + (at & 8), 8);
			assert_int_equal(dt_plain8(buf + (at & 8)), ok);
			/* the flagged bit is that byte's high bit (little-endian): the bytes below it are exact */
			assert_true(ok ? dt_plain_bad8(x) == 0 : (dt_plain_bad8(x) & ((2ull << (8 * (at & 7) + 7)) - 1)) ==
								  1ull << (8 * (at & 7) + 7));
		}
	}
	/* dt_plain_len: a NUL ends a plain string, any other byte that is not plain makes it cap + 1 */
	char frame[128];
	for (int c = 0; c < 256; c++) {
		for (int at = 0; at < 40; at += 13) {
			memset(frame, 'f', sizeof(frame));
			frame[at] = (char)c;
			frame[60] = '\0';
			assert_int_equal(dt_plain_len(frame, sizeof(frame)), c == 0 ? (size_t)at : rule_plain((unsigned char)c) ? 60u : sizeof(frame) + 1);
		}
	}
	memset(frame, 'f', sizeof(frame));
	assert_int_equal(dt_plain_len(frame, sizeof(frame)), sizeof(frame)); /* no NUL: all of it, plain */
	frame[127] = '\n';
	assert_int_equal(dt_plain_len(frame, sizeof(frame)), sizeof(frame) + 1);
	frame[127] = '\0';
	assert_int_equal(dt_plain_len(frame, sizeof(frame)), 127);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_ansi_newline_quotes),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_sanitize_utf8_keeps_controls),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_plain_byte_helpers),
	};
	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}

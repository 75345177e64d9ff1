/* SPDX-License-Identifier: Apache-2.0 */
/* Baselines (src/render/baseline.c): keys, matching, file format, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/baseline.h"

static struct dt_buffer buf(uint64_t ino, const char *exporter, const char *name, uint64_t size)
{
	struct dt_buffer b = {.ino = ino, .size = size, .exporter = (char *)exporter, .name = (char *)name};
	return b;
}

static struct dt_attachment att(uint64_t id, struct dt_buffer *b, const char *dev, const char *driver)
{
	struct dt_attachment a = {.id = id, .buf = b, .dev = (char *)dev, .driver = (char *)driver};
	return a;
}

static struct dt_finding finding(enum dt_rule_id rule, const struct dt_buffer *b, const struct dt_attachment *a,
				 uint64_t ts, uint64_t seq)
{
	struct dt_finding f = {.rule = rule, .sev = DT_SEV_ERROR, .buf = b, .att = a, .ts = ts, .seq = seq,
			       .message = "a message"};
	return f;
}

/* A baseline keeps the severity it accepted: a finding whose severity rose is new. */
static void test_severity_rise_is_new(void **state)
{
	struct dt_baseline *bl = dt_baseline_new();
	struct dt_buffer b = buf(1, "system", NULL, 65536);
	struct dt_attachment a = att(2, &b, "vivid.0", "vivid");
	struct dt_finding f = finding(DT_RULE_LATE_ATTACH, &b, &a, 1, 1);
	f.sev = DT_SEV_WARNING;
	assert_int_equal(dt_baseline_add(bl, &f), 0);
	assert_true(dt_baseline_has(bl, &f));
	f.sev = DT_SEV_INFO;
	assert_true(dt_baseline_has(bl, &f));
	f.sev = DT_SEV_ERROR;
	assert_false(dt_baseline_has(bl, &f));
	/* written and read back with the severity and the profile */
	assert_int_equal(dt_baseline_set_profile(bl, "board.profile", "driver=vivid contiguous=yes\n"), 0);
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_int_equal(dt_baseline_write(bl, mem), 0);
	fclose(mem);
	assert_non_null(strstr(text, "\"severity\":\"warning\""));
	char err[256];
	struct dt_baseline *back = dt_baseline_parse("b", text, len, err, sizeof(err));
	assert_non_null(back);
	const char *name;
	assert_string_equal(dt_baseline_profile(back, &name), "driver=vivid contiguous=yes\n");
	assert_string_equal(name, "board.profile");
	assert_false(dt_baseline_has(back, &f));
	f.sev = DT_SEV_WARNING;
	assert_true(dt_baseline_has(back, &f));
	dt_baseline_free(back);
	free(text);
	/* a baseline written before severities accepts any */
	static const char old[] = "{\"format\":\"dmabuf-trace-baseline\",\"version\":1}\n"
				  "{\"rule\":\"late-attach\",\"exporter\":\"system\",\"dev\":\"vivid.0\",\"driver\":\"vivid\","
				  "\"name\":null,\"size\":65536}\n";
	back = dt_baseline_parse("old", old, strlen(old), err, sizeof(err));
	assert_non_null(back);
	f.sev = DT_SEV_ERROR;
	assert_true(dt_baseline_has(back, &f));
	assert_null(dt_baseline_profile(back, NULL));
	dt_baseline_free(back);
	dt_baseline_free(bl);
}

static void test_matches_stable_keys_only(void **state)
{
	struct dt_baseline *bl = dt_baseline_new();
	struct dt_buffer b1 = buf(4242, "system", "frame0", 4 << 20);
	struct dt_attachment a1 = att(2, &b1, "vivid.0", "vivid");
	struct dt_finding f = finding(DT_RULE_LATE_ATTACH, &b1, &a1, 5000, 4);
	assert_int_equal(dt_baseline_add(bl, &f), 0);
	assert_int_equal(dt_baseline_add(bl, &f), 0); /* counted, not a second key */
	assert_int_equal(dt_baseline_size(bl), 1);

	/* other inode, attachment id, time, seq, a lower severity and message: still the same finding */
	struct dt_buffer b2 = buf(9999, "system", "frame0", 4 << 20);
	struct dt_attachment a2 = att(77, &b2, "vivid.0", "vivid");
	struct dt_finding g = finding(DT_RULE_LATE_ATTACH, &b2, &a2, 123456789, 99);
	g.sev = DT_SEV_WARNING;
	g.message = "something else";
	assert_true(dt_baseline_has(bl, &g));

	/* each key matters */
	g.rule = DT_RULE_SEGMENT_SIZE;
	assert_false(dt_baseline_has(bl, &g));
	g.rule = DT_RULE_LATE_ATTACH;
	b2.exporter = "vgem";
	assert_false(dt_baseline_has(bl, &g));
	b2.exporter = "system";
	b2.size = 4096;
	assert_false(dt_baseline_has(bl, &g));
	b2.size = 4 << 20;
	b2.name = "frame1";
	assert_false(dt_baseline_has(bl, &g));
	b2.name = NULL; /* unnamed is not the same as named */
	assert_false(dt_baseline_has(bl, &g));
	b2.name = "frame0";
	a2.dev = "vivid.1";
	assert_false(dt_baseline_has(bl, &g));
	a2.dev = "vivid.0";
	a2.driver = NULL;
	assert_false(dt_baseline_has(bl, &g));
	a2.driver = "vivid";
	assert_true(dt_baseline_has(bl, &g));
	dt_baseline_free(bl);
}

static void test_trace_level_and_provisional(void **state)
{
	struct dt_baseline *bl = dt_baseline_new();
	struct dt_finding lost = {.rule = DT_RULE_LOST_EVENTS, .sev = DT_SEV_WARNING, .message = "lost"};
	assert_int_equal(dt_baseline_add(bl, &lost), 0);
	assert_true(dt_baseline_has(bl, &lost));
	struct dt_buffer p = buf(5, NULL, NULL, 0);
	p.provisional = true;
	struct dt_attachment a = att(1, &p, "?", NULL);
	struct dt_finding f = finding(DT_RULE_UNKNOWN_ATTACHMENT, &p, &a, 1, 1);
	assert_false(dt_baseline_has(bl, &f));
	assert_int_equal(dt_baseline_add(bl, &f), 0);
	p.ino = 6;
	assert_true(dt_baseline_has(bl, &f));
	dt_baseline_free(bl);
}

static void test_write_parse_roundtrip(void **state)
{
	struct dt_baseline *bl = dt_baseline_new();
	/* hostile bytes: quotes, markup, a control character and an invalid UTF-8 byte */
	struct dt_buffer b = buf(1, "sys\"tem", "<script>alert(1)</script>\"'\x1b\xff", 65536);
	struct dt_attachment a = att(1, &b, "dev\ttab", "drv\\x");
	struct dt_finding f1 = finding(DT_RULE_SEGMENT_SIZE, &b, &a, 1, 1);
	struct dt_finding f2 = finding(DT_RULE_DETACH_WHILE_MAPPED, &b, &a, 2, 2);
	struct dt_finding f3 = {.rule = DT_RULE_LOST_EVENTS, .sev = DT_SEV_WARNING, .message = "lost"};
	dt_baseline_add(bl, &f2);
	dt_baseline_add(bl, &f1);
	dt_baseline_add(bl, &f3);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(dt_baseline_write(bl, out), 0);
	fclose(out);
	/* header, then sorted by rule: detach-while-mapped, lost-events, segment-size */
	assert_non_null(strstr(text, "{\"format\":\"dmabuf-trace-baseline\",\"version\":1,"));
	char *d = strstr(text, "\"rule\":\"detach-while-mapped\""), *l = strstr(text, "\"rule\":\"lost-events\""),
	     *s = strstr(text, "\"rule\":\"segment-size\"");
	assert_true(d && l && s && d < l && l < s);
	assert_null(strstr(text, "\"buf\""));
	assert_null(strstr(text, "\"ts\""));
	char err[256] = "";
	struct dt_baseline *back = dt_baseline_parse("b", text, len, err, sizeof(err));
	if (!back)
		fail_msg("%s\n%s", err, text);
	assert_int_equal(dt_baseline_size(back), 3);
	assert_true(dt_baseline_has(back, &f1));
	assert_true(dt_baseline_has(back, &f2));
	assert_true(dt_baseline_has(back, &f3));
	free(text);
	dt_baseline_free(back);
	dt_baseline_free(bl);
}

static void expect_error(const char *text, const char *want)
{
	char err[256] = "";
	struct dt_baseline *b = dt_baseline_parse("k.baseline", text, strlen(text), err, sizeof(err));
	if (b) {
		dt_baseline_free(b);
		fail_msg("accepted: %s", text);
	}
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

#define HDR "{\"format\":\"dmabuf-trace-baseline\",\"version\":1}\n"

static void test_errors(void **state)
{
	expect_error("", "k.baseline: empty");
	expect_error("{\"format\":\"other\",\"version\":1}\n", "k.baseline:1: not a dmabuf-trace baseline");
	expect_error("{\"format\":\"dmabuf-trace-baseline\",\"version\":2}\n", "k.baseline:1: unsupported baseline version");
	expect_error("[1]\n", "k.baseline:1: not a JSON object");
	expect_error(HDR "{\"rule\":\"late-attach\"\n", "k.baseline:2: not a JSON object");
	expect_error(HDR "{\"rule\":\"no-such\"}\n", "k.baseline:2: unknown rule \"no-such\"");
	expect_error(HDR "\n{\"exporter\":\"x\"}\n", "k.baseline:3: \"rule\" must be a string");
	expect_error(HDR "{\"rule\":\"late-attach\",\"dev\":5}\n", "k.baseline:2: \"dev\" must be a string or null");
	expect_error(HDR "{\"rule\":\"late-attach\",\"size\":-1}\n", "k.baseline:2: \"size\" must be a byte count");
	expect_error(HDR "{\"rule\":\"late-attach\",\"size\":1.5}\n", "k.baseline:2: \"size\" must be a byte count");
	char nul[] = HDR "{\"rule\":\"late-attach\"}\0\n";
	char err[256];
	assert_null(dt_baseline_parse("k.baseline", nul, sizeof(nul) - 1, err, sizeof(err)));
	assert_non_null(strstr(err, "k.baseline:2: NUL byte"));
}

static void test_parse_lenient(void **state)
{
	/* blank lines, CRLF-free extra fields and a last line without newline are fine */
	const char *text = HDR "\n{\"rule\":\"late-attach\",\"exporter\":\"system\",\"dev\":\"vivid.0\",\"driver\":\"vivid\","
			       "\"name\":null,\"size\":65536,\"why\":\"accepted: vivid attaches late by design\"}";
	char err[256] = "";
	struct dt_baseline *b = dt_baseline_parse("k", text, strlen(text), err, sizeof(err));
	if (!b)
		fail_msg("%s", err);
	struct dt_buffer bb = buf(3, "system", NULL, 65536);
	struct dt_attachment a = att(9, &bb, "vivid.0", "vivid");
	struct dt_finding f = finding(DT_RULE_LATE_ATTACH, &bb, &a, 7, 7);
	assert_true(dt_baseline_has(b, &f));
	dt_baseline_free(b);
}

static void test_load_missing_file(void **state)
{
	char err[256] = "";
	assert_null(dt_baseline_load("/nonexistent/k.baseline", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/k.baseline: No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_stable_keys_only),
		cmocka_unit_test(test_severity_rise_is_new),
		cmocka_unit_test(test_trace_level_and_provisional),
		cmocka_unit_test(test_write_parse_roundtrip),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_parse_lenient),
		cmocka_unit_test(test_load_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

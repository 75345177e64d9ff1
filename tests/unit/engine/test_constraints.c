/* SPDX-License-Identifier: Apache-2.0 */
/* Importer constraints profiles (src/engine/constraints.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/constraints.h"

static struct dt_constraints *parse(const char *text)
{
	char err[256] = "";
	struct dt_constraints *c = dt_constraints_parse("p.profile", text, err, sizeof(err));
	if (!c)
		fail_msg("unexpected error: %s", err);
	return c;
}

static void expect_error(const char *text, int line, const char *what)
{
	char err[256] = "";
	struct dt_constraints *c = dt_constraints_parse("p.profile", text, err, sizeof(err));
	if (c) {
		dt_constraints_free(c);
		fail_msg("\"%s\" was accepted", text);
	}
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "p.profile:%d: ", line);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, what))
		fail_msg("error \"%s\" does not start with \"%s\" or lacks \"%s\"", err, prefix, what);
}

static struct dt_limits apply(const struct dt_constraints *c, const char *dev, const char *drv, unsigned *bits)
{
	struct dt_limits l = {.set = 0, .max_seg_size = 111, .seg_boundary_mask = 222};
	*bits = dt_constraints_apply(c, dev, drv, &l);
	return l;
}

static void test_every_property(void **state)
{
	struct dt_constraints *c = parse("# board\n\n   \t\n"
					 "device=vivid.0 max-segments=4 contiguous=yes max-segment-size=64K "
					 "segment-boundary=0xffffffff   # trailing comment\n");
	unsigned bits;
	struct dt_limits l = apply(c, "vivid.0", "vivid", &bits);
	assert_int_equal(bits, DT_LIM_MAX_SEGMENTS | DT_LIM_CONTIGUOUS | DT_LIM_MAX_SEG_SIZE | DT_LIM_SEG_BOUNDARY);
	assert_int_equal(l.set, bits);
	assert_int_equal(l.max_segments, 4);
	assert_true(l.contiguous);
	assert_int_equal(l.max_seg_size, 65536);
	assert_int_equal(l.seg_boundary_mask, 0xffffffffu);
	/* no match: nothing applied, kernel values kept */
	l = apply(c, "vivid.1", "vivid", &bits);
	assert_int_equal(bits, 0);
	assert_int_equal(l.max_seg_size, 111);
	assert_int_equal(l.seg_boundary_mask, 222);
	dt_constraints_free(c);

	static const struct { const char *v; uint64_t want; } sizes[] = {
		{"65536", 65536}, {"64K", 65536}, {"64KiB", 65536}, {"64kb", 65536}, {"1M", 1 << 20},
		{"0x10000", 65536}, {"2G", 2ull << 30},
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char text[100];
		snprintf(text, sizeof(text), "device=d max-segment-size=%s\n", sizes[i].v);
		c = parse(text);
		l = apply(c, "d", NULL, &bits);
		assert_int_equal(l.max_seg_size, sizes[i].want);
		dt_constraints_free(c);
	}
	static const char *const yes[] = {"yes", "YES", "true", "1"}, *const no[] = {"no", "False", "0"};
	for (size_t i = 0; i < 4; i++) {
		char text[100];
		snprintf(text, sizeof(text), "device=d contiguous=%s\n", yes[i]);
		c = parse(text);
		l = apply(c, "d", NULL, &bits);
		assert_true(l.contiguous && (bits & DT_LIM_CONTIGUOUS));
		dt_constraints_free(c);
	}
	for (size_t i = 0; i < 3; i++) {
		char text[100];
		snprintf(text, sizeof(text), "device=d contiguous=%s\n", no[i]);
		c = parse(text);
		l = apply(c, "d", NULL, &bits);
		assert_true(!l.contiguous && (bits & DT_LIM_CONTIGUOUS));
		dt_constraints_free(c);
	}
}

static void test_precedence(void **state)
{
	/* written lowest-precedence last, to show the order of lines does not decide between tiers */
	struct dt_constraints *c = parse("device=0000:03:00.0 max-segments=3\n"
					 "driver=amdgpu max-segments=2 max-segment-size=1M\n"
					 "device=* max-segments=1 max-segment-size=4K contiguous=yes\n");
	unsigned bits;
	struct dt_limits l = apply(c, "0000:03:00.0", "amdgpu", &bits);
	assert_int_equal(l.max_segments, 3);       /* device beats driver beats * */
	assert_int_equal(l.max_seg_size, 1 << 20); /* driver beats * per property */
	assert_true(l.contiguous);                 /* only * sets it */
	l = apply(c, "0000:04:00.0", "amdgpu", &bits);
	assert_int_equal(l.max_segments, 2);
	l = apply(c, "0000:04:00.0", "i915", &bits);
	assert_int_equal(l.max_segments, 1);
	assert_int_equal(l.max_seg_size, 4096);
	/* no driver bound: driver= lines never match */
	l = apply(c, "0000:04:00.0", NULL, &bits);
	assert_int_equal(l.max_segments, 1);
	dt_constraints_free(c);
	assert_int_equal(dt_constraints_apply(NULL, "d", "x", &l), 0);
}

static void test_later_line_wins(void **state)
{
	struct dt_constraints *c = parse("driver=vivid max-segments=8\n"
					 "driver=viv* max-segments=16\n"
					 "device=* max-segments=100\n"
					 "device=* max-segments=200\n"
					 "device=vivid.* contiguous=yes\n"
					 "device=vivid.0 contiguous=no\n");
	unsigned bits;
	struct dt_limits l = apply(c, "vivid.0", "vivid", &bits);
	assert_int_equal(l.max_segments, 16);
	assert_false(l.contiguous);
	l = apply(c, "vivid.1", "vivid", &bits);
	assert_true(l.contiguous);
	l = apply(c, "uvc", "uvcvideo", &bits);
	assert_int_equal(l.max_segments, 200);
	dt_constraints_free(c);
}

static void test_globs(void **state)
{
	struct dt_constraints *c = parse("device=0000:0[3-4]:00.? max-segments=5\n"
					 "driver=*vb2* max-segments=6\n");
	unsigned bits;
	assert_int_equal(apply(c, "0000:03:00.1", NULL, &bits).max_segments, 5);
	assert_int_equal(apply(c, "0000:04:00.7", NULL, &bits).max_segments, 5);
	apply(c, "0000:05:00.0", NULL, &bits);
	assert_int_equal(bits, 0);
	apply(c, "0000:03:00.10", NULL, &bits);
	assert_int_equal(bits, 0);
	assert_int_equal(apply(c, "x", "my-vb2-drv", &bits).max_segments, 6);
	dt_constraints_free(c);
}

static void test_errors_name_file_line(void **state)
{
	expect_error("# ok\nvivid max-segments=1\n", 2, "must start with device=GLOB, driver=GLOB or exporter=GLOB");
	expect_error("exporter= provides=contiguous\n", 1, "empty exporter pattern");
	expect_error("exporter=system\n", 1, "no properties after the matcher");
	expect_error("exporter=system contiguous=yes\n", 1, "takes only provides=contiguous or provides=none");
	expect_error("exporter=system provides=luck\n", 1, "provides needs contiguous or none");
	expect_error("\n\ndevice= max-segments=1\n", 3, "empty device pattern");
	expect_error("driver= max-segments=1\n", 1, "empty driver pattern");
	expect_error("device=x\n", 1, "no properties after the matcher");
	expect_error("device=x   # only a comment\n", 1, "no properties");
	expect_error("device=x colour=red\n", 1, "unknown property \"colour\"");
	expect_error("device=x max-segments\n", 1, "expected property=value");
	expect_error("device=x =5\n", 1, "expected property=value");
	expect_error("device=x max-segments=0\n", 1, "max-segments needs a positive integer");
	expect_error("device=x max-segments=many\n", 1, "max-segments needs a positive integer");
	expect_error("device=x max-segments=-1\n", 1, "max-segments");
	expect_error("device=x contiguous=maybe\n", 1, "contiguous needs yes or no");
	expect_error("device=x max-segment-size=64Q\n", 1, "max-segment-size needs a size");
	expect_error("device=x max-segment-size=1.5M\n", 1, "max-segment-size");
	expect_error("device=x max-segment-size=0\n", 1, "max-segment-size");
	expect_error("device=x max-segment-size=99999999999999999999\n", 1, "max-segment-size");
	expect_error("device=x segment-boundary=0x1000\n", 1, "segment-boundary needs a mask of the form 2^n-1");
	expect_error("device=x segment-boundary=\n", 1, "segment-boundary");
	expect_error("device=x\x01 max-segments=1\n", 1, "control character");
	/* the error is on the first bad line, after good ones */
	expect_error("device=a max-segments=1\ndevice=b max-segments=2\ndevice=c max-segments=x\n", 3, "max-segments");
}

static void test_exporters(void **state)
{
	struct dt_constraints *c = parse("exporter=videobuf2_* provides=contiguous\n"
					 "exporter=videobuf2_vmalloc provides=none\n"
					 "driver=vivid contiguous=yes\n");
	bool declared;
	assert_true(dt_constraints_exporter_contiguous(c, "videobuf2_dma_contig", &declared));
	assert_true(declared);
	/* a later line wins */
	assert_false(dt_constraints_exporter_contiguous(c, "videobuf2_vmalloc", &declared));
	assert_true(declared);
	assert_false(dt_constraints_exporter_contiguous(c, "system", &declared));
	assert_false(declared);
	assert_false(dt_constraints_exporter_contiguous(c, NULL, &declared));
	assert_false(dt_constraints_exporter_contiguous(NULL, "system", &declared));
	/* exporter lines never act as importer limits */
	unsigned bits;
	struct dt_limits l = apply(c, "videobuf2_dma_contig", NULL, &bits);
	assert_int_equal(bits, 0);
	assert_int_equal(l.set, 0);
	dt_constraints_free(c);
}

static void test_load(void **state)
{
	char err[256];
	assert_null(dt_constraints_load("/nonexistent.profile", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent.profile: cannot open constraints"));
	assert_null(dt_constraints_load("/", err, sizeof(err)));
	assert_non_null(strstr(err, "/: "));

	char path[] = "/tmp/dt-profile-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "device=a max-segments=1\nfoo\n", 28), 28);
	close(fd);
	assert_null(dt_constraints_load(path, err, sizeof(err)));
	char want[64];
	snprintf(want, sizeof(want), "%s:2: ", path);
	assert_non_null(strstr(err, want));

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "device=a max-segments=1\0\n", 25), 25);
	close(fd);
	assert_null(dt_constraints_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "NUL byte"));

	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	struct dt_constraints *c = dt_constraints_load(path, err, sizeof(err));
	assert_non_null(c); /* an empty profile is valid and changes nothing */
	unsigned bits;
	apply(c, "a", "b", &bits);
	assert_int_equal(bits, 0);
	dt_constraints_free(c);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_property),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_later_line_wins),
		cmocka_unit_test(test_globs),
		cmocka_unit_test(test_errors_name_file_line),
		cmocka_unit_test(test_exporters),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests_name("constraints", tests, NULL, NULL);
}

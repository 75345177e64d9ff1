/* SPDX-License-Identifier: Apache-2.0 */
/* How renderers name buffers and importers (src/render/describe.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render/describe.h"
#include "common/escape.h"

static void test_buffer(void **state)
{
	char out[512];
	assert_string_equal(dt_format_buffer(out, sizeof(out), 42, "system", 4 << 20, "frame0", false, dt_escape_text),
			    "42 (system, 4 MiB, \"frame0\")");
	assert_string_equal(dt_format_buffer(out, sizeof(out), 42, NULL, 0, NULL, true, dt_escape_text),
			    "42 (export not traced)");
	/* seeded from bufinfo: exported before tracing, but its exporter and size are known */
	assert_string_equal(dt_format_buffer(out, sizeof(out), 7, "udmabuf", 65536, NULL, true, dt_escape_text),
			    "7 (udmabuf, 64 KiB, exported before tracing)");
	assert_string_equal(dt_format_buffer(out, sizeof(out), 1, "x<", 4096, "\"<b>\"", false, dt_escape_xml),
			    "1 (x&lt;, 4 KiB, &quot;&quot;&lt;b&gt;&quot;&quot;)");
	assert_string_equal(dt_format_buffer(out, sizeof(out), 1, "e", 1, "a\x1b[31m", false, dt_escape_text),
			    "1 (e, 1 B, \"a\\x1b[31m\")");
}

static void test_device(void **state)
{
	char out[512];
	assert_string_equal(dt_format_device(out, sizeof(out), "vivid.0", "vivid", false, dt_escape_text), "vivid.0 [vivid]");
	assert_string_equal(dt_format_device(out, sizeof(out), "vgem", NULL, false, dt_escape_text), "vgem [no driver]");
	assert_string_equal(dt_format_device(out, sizeof(out), "?", NULL, true, dt_escape_text), "? [unknown]");
	assert_string_equal(dt_format_device(out, sizeof(out), "d\n", "<i>", false, dt_escape_xml), "d\\x0a [&lt;i&gt;]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* dmabuf-trace state (src/render/state.c): where --at stops, what counts as live, ordering, escaping,
 * through the real engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/errors.h"
#include "render/state.h"

#define H "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"6.12\",\"clock\":\"boottime\"}\n"
#define ATT(ts, seq, buf, att, dev, drv)                                                                   \
	"{\"type\":\"attach\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att ",\"dev\":\"" dev    \
	"\",\"driver\":" drv ",\"bus\":\"platform\",\"dynamic\":false,\"max_seg_size\":65536,"                 \
	"\"seg_boundary_mask\":4294967295,\"dma_parms\":true}\n"
#define EV(type, ts, seq, buf, att)                                                                        \
	"{\"type\":\"" type "\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att "}\n"
#define MAP(ts, seq, buf, att)                                                                             \
	"{\"type\":\"map\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att                        \
	",\"dir\":\"bidirectional\",\"nents\":1,\"segs\":[[4096,4096]]}\n"

/* Two buffers: 7 (vgem, named) gets vivid.0 (mapped at 200) then vgem (no driver, 300); vivid.0 unmaps at
 * 350 and detaches at 400; 7 is released at 500. 9 (system) is exported at 250 and stays. */
static const char trace[] =
	H "{\"type\":\"export\",\"ts\":100,\"seq\":1,\"buf\":7,\"size\":4096,\"exporter\":\"vgem\",\"name\":\"frame0\"}\n"
	ATT(150, 2, 7, 1, "vivid.0", "\"vivid\"")
	MAP(200, 3, 7, 1)
	"{\"type\":\"export\",\"ts\":250,\"seq\":4,\"buf\":9,\"size\":8192,\"exporter\":\"system\"}\n"
	ATT(300, 5, 7, 2, "vgem", "null")
	EV("unmap", 350, 6, 7, 1)
	EV("detach", 400, 7, 7, 1)
	EV("detach", 450, 8, 7, 2)
	"{\"type\":\"release\",\"ts\":500,\"seq\":9,\"buf\":7}\n";

struct fixture {
	char path[64];
};

static int write_trace(void **state, const char *text)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "/tmp/test_state.XXXXXX");
	int fd = mkstemp(f->path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -1;
	close(fd);
	*state = f;
	return 0;
}

static int setup(void **state) { return write_trace(state, trace); }

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->path);
	free(f);
	return 0;
}

/* Runs the command's core; returns its output (caller frees) and sets *rc. */
static char *run(const char *path, bool stop_set, uint64_t at, enum dt_format fmt, bool have_buf, uint64_t buf, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	*rc = dt_render_state(path, stop_set, at, fmt, have_buf, buf, out);
	fclose(out);
	return text;
}

static void expect_json(const char *path, bool stop_set, uint64_t at, const char *want)
{
	int rc;
	char *got = run(path, stop_set, at, FMT_JSON, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_string_equal(got, want);
	free(got);
}

#define B7(atts)                                                                                           \
	"{\"buf\":7,\"exporter\":\"vgem\",\"size\":4096,\"name\":\"frame0\",\"provisional\":false,"           \
	"\"attachments\":[" atts "]}\n"
#define B9 "{\"buf\":9,\"exporter\":\"system\",\"size\":8192,\"name\":null,\"provisional\":false,\"attachments\":[]}\n"
#define VIVID(mapped) "{\"att\":1,\"dev\":\"vivid.0\",\"driver\":\"vivid\",\"mapped\":" mapped ",\"provisional\":false}"
#define VGEM "{\"att\":2,\"dev\":\"vgem\",\"driver\":null,\"mapped\":false,\"provisional\":false}"

/* The state after every event at or before --at, none after; an event exactly at --at counts. */
static void test_at_steps(void **state)
{
	const char *p = ((struct fixture *)*state)->path;
	expect_json(p, true, 0, "");
	expect_json(p, true, 99, "");
	expect_json(p, true, 100, B7(""));
	expect_json(p, true, 150, B7(VIVID("false")));
	expect_json(p, true, 200, B7(VIVID("true")));
	/* Buffers in trace order, attachments in attach order (the engine keeps them newest first). */
	expect_json(p, true, 300, B7(VIVID("true") "," VGEM) B9);
	expect_json(p, true, 349, B7(VIVID("true") "," VGEM) B9);
	expect_json(p, true, 350, B7(VIVID("false") "," VGEM) B9);
	expect_json(p, true, 400, B7(VGEM) B9);
	expect_json(p, true, 450, B7("") B9);
	expect_json(p, true, 500, B9);
	expect_json(p, true, UINT64_MAX, B9);
	expect_json(p, false, 0, B9); /* no --at: the end of the trace */
}

static void test_buf_filter_and_text(void **state)
{
	const char *p = ((struct fixture *)*state)->path;
	int rc;
	char *got = run(p, true, 300, FMT_JSON, true, 9, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_string_equal(got, B9);
	free(got);
	got = run(p, true, 300, FMT_TEXT, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_non_null(strstr(got, " at 300 ns: 2 live buffers, 2 attachments\n"));
	const char *b7 = strstr(got, "buffer 7 (vgem, 4 KiB, \"frame0\")\n");
	assert_non_null(b7);
	const char *a1 = strstr(got, "  att 1    vivid.0 [vivid]");
	const char *a2 = strstr(got, "  att 2    vgem [no driver]");
	assert_non_null(a1);
	assert_non_null(a2);
	assert_true(b7 < a1 && a1 < a2);
	assert_non_null(strstr(a1, " mapped\n"));
	assert_non_null(strstr(a2, " attached\n"));
	assert_non_null(strstr(got, "buffer 9 (system, 8 KiB)\n  (no attachment)\n"));
	free(got);
	got = run(p, false, 0, FMT_TEXT, false, 0, &rc);
	assert_non_null(strstr(got, " at its end: 1 live buffer, 0 attachments\n"));
	free(got);
}

/* Untrusted names: control bytes and invalid UTF-8 never reach the terminal raw; JSON stays valid. */
static void test_escaping(void **state)
{
	(void)state;
	void *st;
	assert_int_equal(write_trace(&st, H
		"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":3,\"size\":4096,\"exporter\":\"x\",\"name\":\"a\\u001b[31m\\\"b\"}\n"
		ATT(2, 2, 3, 1, "dev\\u0007\\u202e", "\"drv\"")), 0);
	const char *p = ((struct fixture *)st)->path;
	int rc;
	char *got = run(p, false, 0, FMT_TEXT, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_null(strchr(got, '\033'));
	assert_null(strchr(got, '\a'));
	assert_null(strstr(got, "\xe2\x80\xae")); /* U+202E right-to-left override */
	assert_non_null(strstr(got, "\\x1b[31m"));
	free(got);
	got = run(p, false, 0, FMT_JSON, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_null(strchr(got, '\033'));
	assert_non_null(strstr(got, "\"name\":\"a\\u001B[31m\\\"b\""));
	free(got);
	teardown(&st);
}

static void test_bad_input(void **state)
{
	(void)state;
	void *st;
	assert_int_equal(write_trace(&st, H "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":3,\"size\":4096,\"exporter\":\"x\"}\n"
		"{\"type\":\"release\",\"ts\":5,\"seq\":2,\"buf\":3}\nnot json\n"), 0);
	int rc;
	char *got = run(((struct fixture *)st)->path, false, 0, FMT_JSON, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_INPUT);
	assert_string_equal(got, ""); /* nothing printed for a trace that cannot be read to the end */
	free(got);
	/* ... but --at stops reading at the first later event: the state up to there is what was asked for. */
	got = run(((struct fixture *)st)->path, true, 1, FMT_JSON, false, 0, &rc);
	assert_int_equal(rc, DT_EXIT_OK);
	assert_string_equal(got, "{\"buf\":3,\"exporter\":\"x\",\"size\":4096,\"name\":null,\"provisional\":false,\"attachments\":[]}\n");
	free(got);
	teardown(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_at_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buf_filter_and_text, setup, teardown),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

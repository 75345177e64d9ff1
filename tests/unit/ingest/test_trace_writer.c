// SPDX-License-Identifier: Apache-2.0
/* The trace writer's hand-made JSON (src/ingest/trace_writer.c): numbers at every digit count and sign, stack
 * frames copied by their known lengths (struct dt_event.stack_plain, the recorder's symbol cache) give the
 * same bytes as frames looked at byte by byte, and untrusted frames and names that are not plain ASCII are
 * escaped, never copied raw. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/trace_writer.h"

static char frames[DT_STACK_MAX][DT_FRAME_MAX];

/* One event's line, NUL-terminated, in out. */
static void line_of(const struct dt_event *ev, char *out, size_t cap)
{
	struct dt_writer *w = dt_writer_new(-1, "test");
	assert_non_null(w);
	const char *line;
	size_t len;
	assert_int_equal(dt_writer_format(w, ev, &line, &len), 0);
	assert_true(len < cap);
	memcpy(out, line, len);
	out[len] = '\0';
	dt_writer_free(w);
}

static void release_event(struct dt_event *ev, uint64_t ts, uint64_t seq, int64_t pid, uint64_t buf)
{
	dt_event_clear(ev);
	ev->stack = frames;
	ev->type = DT_EV_RELEASE;
	ev->has = DT_HAS_PID | DT_HAS_BUF;
	ev->ts = ts;
	ev->seq = seq;
	ev->pid = pid;
	ev->buf = buf;
}

static void test_numbers_every_digit_count(void **state)
{
	(void)state;
	uint64_t vals[80];
	size_t n = 0;
	vals[n++] = 0;
	for (uint64_t p = 1, i = 0; i < 20; i++, p *= 10) {
		vals[n++] = p;         /* 1, 10, 100, ... 10^19 */
		vals[n++] = p * 10 - 1; /* 9, 99, ... (the last wraps to 10^20 - 1 mod 2^64: still a number) */
		vals[n++] = p + p / 2 + 1;
	}
	vals[n++] = UINT64_MAX;
	vals[n++] = UINT64_MAX - 1;
	vals[n++] = 10001;
	vals[n++] = 100000001;
	for (size_t i = 0; i < n; i++) {
		uint64_t v = vals[i];
		int64_t pids[] = {(int64_t)(v >> 1), -(int64_t)(v >> 1), v > INT64_MAX ? INT64_MIN : -(int64_t)v};
		for (size_t k = 0; k < 3; k++) {
			struct dt_event ev;
			release_event(&ev, v, v ^ 1, pids[k], v / 3);
			char got[256], want[256];
			line_of(&ev, got, sizeof(got));
			snprintf(want, sizeof(want), "{\"type\":\"release\",\"ts\":%" PRIu64 ",\"seq\":%" PRIu64 ",\"pid\":%" PRId64
				 ",\"buf\":%" PRIu64 "}\n", v, v ^ 1, pids[k], v / 3);
			if (strcmp(got, want))
				fail_msg("value %" PRIu64 " pid %" PRId64 ":\n got %s want %s", v, pids[k], got, want);
		}
	}
}

/* frames[] set from list; stack_plain false (the writer looks at the bytes) */
static void set_stack(struct dt_event *ev, const char *const *list, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		memset(frames[i], 'X', DT_FRAME_MAX); /* junk after each NUL: only the frame's own bytes count */
		size_t len = strlen(list[i]);
		assert_true(len < DT_FRAME_MAX);
		memcpy(frames[i], list[i], len + 1);
	}
	ev->nstack = n;
	ev->stack_plain = false;
}

static void test_plain_stack_by_lengths(void **state)
{
	(void)state;
	char longest[DT_FRAME_MAX];
	memset(longest, 'f', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	const char *const list[] = {
		"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]", "a", "", "fifteen_bytes_x", "sixteen_bytes_xx",
		"seventeen_bytes_x", "__x64_sys_ioctl+0x94", "~ !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}", longest,
	};
	uint32_t n = sizeof(list) / sizeof(list[0]);
	struct dt_event ev;
	release_event(&ev, 5, 6, 7, 8);
	set_stack(&ev, list, n);
	char want[8192], scanned[8192], copied[8192];
	size_t at = (size_t)snprintf(want, sizeof(want), "{\"type\":\"release\",\"ts\":5,\"seq\":6,\"pid\":7,\"buf\":8,\"stack\":[");
	for (uint32_t i = 0; i < n; i++)
		at += (size_t)snprintf(want + at, sizeof(want) - at, "%s\"%s\"", i ? "," : "", list[i]);
	snprintf(want + at, sizeof(want) - at, "]}\n");
	line_of(&ev, scanned, sizeof(scanned));
	assert_string_equal(scanned, want);

	dt_event_learn_stack(&ev);
	assert_true(ev.stack_plain);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(ev.stack_len[i], strlen(list[i]));
	line_of(&ev, copied, sizeof(copied));
	assert_string_equal(copied, want);
}

/* Quotes, backslash, control bytes, DEL, valid and invalid UTF-8 in a frame and in the task name: the symbol
 * cache does not call the stack plain, and the writer escapes them as yajl does. */
static void test_untrusted_frames_escaped(void **state)
{
	(void)state;
	static const char *const hostile[] = {
		"q\"uote", "back\\slash", "ctl\x01\x1f\ttab", "del\x7f", "utf8\xc3\xa9", "bad\xff\xfe",
	};
	for (size_t h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
		const char *const list[] = {"plain_before+0x1 [m]", hostile[h], "plain_after+0x2"};
		struct dt_event ev;
		release_event(&ev, 1, 2, 3, 4);
		set_stack(&ev, list, 3);
		dt_str_set(&ev.comm, hostile[h], strlen(hostile[h]));
		dt_event_learn_stack(&ev);
		assert_false(ev.stack_plain);
		char got[4096];
		line_of(&ev, got, sizeof(got));
		static const char *const esc[] = {
			"q\\\"uote", "back\\\\slash", "ctl\\u0001\\u001F\\ttab", "del\x7f", "utf8\xc3\xa9", "bad\\\\xff\\\\xfe",
		};
		char want[4096];
		snprintf(want, sizeof(want),
			 "{\"type\":\"release\",\"ts\":1,\"seq\":2,\"pid\":3,\"comm\":\"%s\",\"buf\":4,\"stack\":[\"plain_before+0x1 "
			 "[m]\",\"%s\",\"plain_after+0x2\"]}\n",
			 esc[h], esc[h]);
		if (strcmp(got, want))
			fail_msg("hostile %zu:\n got %s want %s", h, got, want);
	}
	/* the learnt plainness is all or nothing: one hostile frame among plain ones */
	const char *const mixed[] = {"a+0x1", "b+0x2", "c\"+0x3"};
	struct dt_event ev;
	release_event(&ev, 0, 0, 0, 0);
	set_stack(&ev, mixed, 3);
	dt_event_learn_stack(&ev);
	assert_false(ev.stack_plain);
	/* no NUL within the frame's buffer: not plain either */
	memset(frames[1], 'a', DT_FRAME_MAX);
	set_stack(&ev, mixed, 1);
	ev.nstack = 2;
	dt_event_learn_stack(&ev);
	assert_false(ev.stack_plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_every_digit_count),
		cmocka_unit_test(test_plain_stack_by_lengths),
		cmocka_unit_test(test_untrusted_frames_escaped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

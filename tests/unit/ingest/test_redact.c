// SPDX-License-Identifier: Apache-2.0
/* Segment address redaction (src/ingest/redact.c): every boundary up to 4 GiB keeps its verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/redact.h"

static bool crosses(uint64_t start, uint64_t len, uint64_t mask)
{
	return len && ((start ^ (start + len - 1)) & ~mask) != 0;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random layouts: runs of back-to-back segments with gaps, at arbitrary (also unaligned) addresses. */
static void test_every_mask_up_to_4g_keeps_its_verdict(void **state)
{
	struct dt_redactor *r = dt_redactor_new(12345);
	assert_non_null(r);
	static struct dt_seg segs[64];
	uint64_t seed = 0x243f6a8885a308d3ull;
	for (int round = 0; round < 20000; round++) {
		struct dt_event ev;
		memset(&ev, 0, sizeof(ev));
		ev.type = DT_EV_MAP;
		ev.segs = segs;
		ev.nsegs = 1 + (uint32_t)(rnd(&seed) % 64);
		uint64_t addr = rnd(&seed) & ((1ull << 40) - 1);
		if (round % 3 == 0)
			addr &= ~0xfffull; /* page aligned, as most are */
		for (uint32_t i = 0; i < ev.nsegs; i++) {
			uint64_t shift = rnd(&seed) % 34; /* lengths from 1 byte to 16 GiB */
			segs[i].addr = addr;
			segs[i].len = 1 + (rnd(&seed) & ((1ull << shift) - 1));
			addr += segs[i].len;
			if (rnd(&seed) % 3 == 0)
				addr += 4096 + (rnd(&seed) & 0xffffff); /* a gap: a new run */
		}
		const struct dt_event *out = dt_redact(r, &ev);
		assert_non_null(out);
		assert_int_equal(out->nsegs, ev.nsegs);
		for (uint32_t i = 0; i < ev.nsegs; i++) {
			assert_int_equal(out->segs[i].len, segs[i].len);
			assert_true(out->segs[i].addr != segs[i].addr || segs[i].addr >= (1ull << 40));
			if (i) {
				bool was = segs[i - 1].addr + segs[i - 1].len == segs[i].addr;
				bool is = out->segs[i - 1].addr + out->segs[i - 1].len == out->segs[i].addr;
				assert_int_equal(was, is);
			}
			for (int n = 0; n <= 32; n++) {
				uint64_t mask = (1ull << n) - 1;
				if (crosses(segs[i].addr, segs[i].len, mask) != crosses(out->segs[i].addr, out->segs[i].len, mask))
					fail_msg("round %d seg %u len 0x%llx at 0x%llx -> 0x%llx: mask 0x%llx verdict changed", round,
						 i, (unsigned long long)segs[i].len, (unsigned long long)segs[i].addr,
						 (unsigned long long)out->segs[i].addr, (unsigned long long)mask);
			}
		}
	}
	dt_redactor_free(r);
}

static void test_no_segments_passes_through(void **state)
{
	struct dt_redactor *r = dt_redactor_new(1);
	struct dt_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = DT_EV_ATTACH;
	assert_ptr_equal(dt_redact(r, &ev), &ev);
	dt_redactor_free(r);
}

/* Two redactors (two runs of the tool) place the same layout differently: nothing to correlate. */
static void test_random_base(void **state)
{
	static struct dt_seg segs[1] = {{0x12345000, 0x10000}};
	struct dt_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = DT_EV_MAP;
	ev.segs = segs;
	ev.nsegs = 1;
	struct dt_redactor *a = dt_redactor_new(0), *b = dt_redactor_new(0);
	uint64_t x = dt_redact(a, &ev)->segs[0].addr, y = dt_redact(b, &ev)->segs[0].addr;
	assert_true(x != y);
	assert_true(x != segs[0].addr && y != segs[0].addr);
	dt_redactor_free(a);
	dt_redactor_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_mask_up_to_4g_keeps_its_verdict),
		cmocka_unit_test(test_no_segments_passes_through),
		cmocka_unit_test(test_random_base),
	};
	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}

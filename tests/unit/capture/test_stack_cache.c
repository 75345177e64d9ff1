// SPDX-License-Identifier: Apache-2.0
/* The recorder's stack cache (src/capture/decode.c symbolize): two stacks whose keys share a hash slot both stay
 * cached (two ways), so alternating them symbolizes each once; what comes out is each one's own frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/capture_internal.h"
#include "capture/ksyms.h"

#define A_BASE 0xffffffffc0100000ull
#define B_BASE 0xffffffffc0200000ull

static char first[2][DT_FRAME_MAX];
static int got;

static int on_event(void *ctx, const struct dt_event *ev)
{
	(void)ctx;
	snprintf(first[got++ % 2], DT_FRAME_MAX, "%s", ev->nstack ? ev->stack[0] : "");
	return 0;
}

static void attach_rec(struct dt_rec_attach *r, const uint64_t *ips)
{
	memset(r, 0, sizeof(*r));
	r->h.type = DT_REC_ATTACH;
	r->h.flags = DT_RF_STACK | DT_RF_BUF | DT_RF_ATT;
	r->h.ts = 1000;
	r->h.ino = 7;
	r->h.att = 1;
	strcpy(r->dev, "vivid.0");
	r->st.nstack = 2;
	r->st.ips[0] = ips[0];
	r->st.ips[1] = ips[1];
}

static void test_colliding_stacks_both_cached(void **state)
{
	(void)state;
	char path[] = "/tmp/dt-test-ksyms-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "%016llx t vb2_dc_attach_dmabuf\t[videobuf2_dma_contig]\n", A_BASE);
	fprintf(f, "%016llx t drm_gem_prime_import_dev\t[drm]\n", B_BASE);
	fprintf(f, "%016llx t outer_caller\t[drm]\n", B_BASE + 0x100000ull);
	fclose(f);
	struct dt_capture *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->ksyms = dt_ksyms_load(path);
	unlink(path);
	assert_non_null(c->ksyms);
	c->ksyms_reloaded = time(NULL) + 3600; /* every frame resolves: no reload */
	c->fn = on_event;

	/* two stacks (different offsets into the same functions) with one hash slot */
	uint64_t a[2] = {A_BASE + 0x10, B_BASE + 0x100000ull + 0x20}, b[2] = {0, B_BASE + 0x100000ull + 0x20};
	uint32_t want = dt_symc_slot(a, 2), off;
	for (off = 1; off < 0x10000; off++) {
		b[0] = B_BASE + off;
		if (dt_symc_slot(b, 2) == want)
			break;
	}
	assert_true(off < 0x10000);
	static struct dt_rec_attach ra, rb;
	attach_rec(&ra, a);
	attach_rec(&rb, b);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(dt_capture_on_sample(c, &ra, sizeof(ra)), 0);
		assert_int_equal(dt_capture_on_sample(c, &rb, sizeof(rb)), 0);
		assert_string_equal(first[0], "vb2_dc_attach_dmabuf+0x10 [videobuf2_dma_contig]");
		char wb[64];
		snprintf(wb, sizeof(wb), "drm_gem_prime_import_dev+0x%x [drm]", off);
		assert_string_equal(first[1], wb);
	}
	/* the real cache put them in one pair of ways: both filled, once each */
	uint32_t s = want & ~1u;
	assert_int_equal(c->symc[s].nips + c->symc[s + 1].nips, 4);
	assert_int_equal(c->rstats.stacks_uncached, 2);
	dt_ksyms_free(c->ksyms);
	free(c->symc);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colliding_stacks_both_cached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

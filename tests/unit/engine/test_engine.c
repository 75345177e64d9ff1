/* SPDX-License-Identifier: Apache-2.0 */
/* Timeline engine and rules (src/engine/engine.c, src/rules/), fed constructed events through a checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine/constraints.h"
#include "rules/rules.h"

struct got {
	enum dt_rule_id rule;
	enum dt_severity sev;
	uint64_t buf, att;
	char dev[64];
	bool incomplete, provisional, unverified, has_ev;
	char msg[1024];
};

struct ctx {
	struct got f[64];
	int n;
	int events;
	struct dt_checker *e;
	struct dt_constraints *cons;
	uint64_t seq;
	struct dt_seg segs[64];
	char map_by[600]; /* the attachment's map_by after the last map event ("(null)": none) */
};

static void on_finding(void *p, const struct dt_finding *f)
{
	struct ctx *c = p;
	assert_true(c->n < 64);
	struct got *g = &c->f[c->n++];
	g->rule = f->rule;
	g->sev = f->sev;
	g->buf = f->buf ? f->buf->ino : 0;
	g->att = f->att ? f->att->id : 0;
	snprintf(g->dev, sizeof(g->dev), "%s", f->att && f->att->dev ? f->att->dev : "");
	g->incomplete = f->incomplete;
	g->provisional = f->provisional;
	g->unverified = f->unverified;
	g->has_ev = f->ev != NULL;
	snprintf(g->msg, sizeof(g->msg), "%s", dt_finding_message(f));
}

static void on_event(void *p, const struct dt_event *ev, const struct dt_buffer *b, const struct dt_attachment *a)
{
	struct ctx *c = p;
	c->events++;
	if (ev->type == DT_EV_MAP && a)
		snprintf(c->map_by, sizeof(c->map_by), "%s", a->map_by ? a->map_by : "(null)");
}

static struct ctx *setup(const char *profile)
{
	struct ctx *c = calloc(1, sizeof(*c));
	if (profile) {
		char err[256];
		c->cons = dt_constraints_parse("p", profile, err, sizeof(err));
		assert_non_null(c->cons);
	}
	struct dt_checker_opts o = {c->cons, on_finding, on_event, c};
	c->e = dt_checker_new(&o);
	assert_non_null(c->e);
	return c;
}

static void teardown(struct ctx *c)
{
	dt_checker_free(c->e);
	dt_constraints_free(c->cons);
	free(c);
}

static struct dt_event base(struct ctx *c, enum dt_event_type t, uint64_t buf)
{
	struct dt_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.seq = ++c->seq;
	ev.ts = c->seq * 1000000;
	ev.buf = buf;
	ev.has = DT_HAS_TS | DT_HAS_SEQ | DT_HAS_BUF;
	ev.segs = c->segs;
	return ev;
}

static void feed(struct ctx *c, const struct dt_event *ev)
{
	if (dt_checker_feed(c->e, ev) != 0)
		fail_msg("feed failed: %s", dt_checker_error(c->e));
}

static void export(struct ctx *c, uint64_t buf, uint64_t size, const char *name)
{
	struct dt_event ev = base(c, DT_EV_EXPORT, buf);
	ev.size = size;
	ev.has |= DT_HAS_SIZE;
	dt_str_set(&ev.exporter, "system", 6);
	if (name)
		dt_str_set(&ev.name, name, strlen(name));
	feed(c, &ev);
}

/* max_seg_size 0: field absent; mask 0: absent; parms: dma_parms. */
static void attach(struct ctx *c, uint64_t buf, uint64_t att, const char *dev, const char *drv, uint64_t max_seg_size,
		   uint64_t mask, bool parms)
{
	struct dt_event ev = base(c, DT_EV_ATTACH, buf);
	ev.att = att;
	ev.has |= DT_HAS_ATT | DT_HAS_DMA_PARMS;
	dt_str_set(&ev.dev, dev, strlen(dev));
	if (drv)
		dt_str_set(&ev.driver, drv, strlen(drv));
	if (max_seg_size) {
		ev.max_seg_size = max_seg_size;
		ev.has |= DT_HAS_MAX_SEG_SIZE;
	}
	if (mask) {
		ev.seg_boundary_mask = mask;
		ev.has |= DT_HAS_SEG_BOUNDARY;
	}
	ev.dma_parms = parms;
	feed(c, &ev);
}

/* segs as addr,len pairs; total: segs_total (0 = nsegs). */
static void map(struct ctx *c, uint64_t buf, uint64_t att, uint64_t total, int nsegs, const uint64_t *pairs)
{
	struct dt_event ev = base(c, DT_EV_MAP, buf);
	ev.att = att;
	ev.dir = DT_DIR_BIDIRECTIONAL;
	ev.nents = total ? total : (uint64_t)nsegs;
	ev.segs_total = ev.nents;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nsegs = (uint32_t)nsegs;
	for (int i = 0; i < nsegs; i++) {
		c->segs[i].addr = pairs[2 * i];
		c->segs[i].len = pairs[2 * i + 1];
	}
	feed(c, &ev);
}

static void simple(struct ctx *c, enum dt_event_type t, uint64_t buf, uint64_t att)
{
	struct dt_event ev = base(c, t, buf);
	ev.att = att;
	if (att)
		ev.has |= DT_HAS_ATT;
	feed(c, &ev);
}

static const struct got *only(struct ctx *c, enum dt_rule_id rule)
{
	const struct got *g = NULL;
	for (int i = 0; i < c->n; i++) {
		if (c->f[i].rule != rule)
			continue;
		if (g)
			fail_msg("rule %s reported more than once", dt_rule_info[rule].id);
		g = &c->f[i];
	}
	if (!g)
		fail_msg("rule %s not reported (%d findings)", dt_rule_info[rule].id, c->n);
	return g;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static const uint64_t FOUR_MB_SCATTERED[] = {0x100000, 0x100000, 0x400000, 0x100000, 0x800000, 0x100000,
					     0x1000000, 0x100000};
static const uint64_t ONE_4MB[] = {0x100000000ull, 0x400000};

static void test_clean_lifecycle(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4 << 20, "frame");
	attach(c, 1, 10, "gpu", "amdgpu", 0xffffffff, UINT64_MAX, true);
	attach(c, 1, 11, "vivid.0", "vivid", 65536, UINT64_MAX, true);
	static const uint64_t small[] = {0x10000, 0x10000, 0x30000, 0x10000};
	map(c, 1, 10, 0, 2, small);
	map(c, 1, 11, 0, 2, small);
	struct dt_event v = base(c, DT_EV_VMAP, 1);
	feed(c, &v);
	v = base(c, DT_EV_VUNMAP, 1);
	feed(c, &v);
	simple(c, DT_EV_UNMAP, 1, 11);
	simple(c, DT_EV_DETACH, 1, 11);
	simple(c, DT_EV_UNMAP, 1, 10);
	simple(c, DT_EV_DETACH, 1, 10);
	simple(c, DT_EV_RELEASE, 1, 0);
	dt_checker_finish(c->e);
	assert_int_equal(c->n, 0);
	assert_int_equal(c->events, 12);
	const struct dt_engine_stats *s = dt_engine_stats(dt_checker_engine(c->e));
	assert_int_equal(s->buffers, 1);
	assert_int_equal(s->attachments, 2);
	assert_int_equal(s->live_buffers, 0);
	assert_int_equal(s->live_attachments, 0);
	assert_int_equal(s->events[DT_EV_MAP], 2);
	teardown(c);
}

static void test_late_attach_error(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4 << 20, NULL);
	attach(c, 1, 10, "gpu", "amdgpu", 0xffffffff, UINT64_MAX, true);
	map(c, 1, 10, 0, 4, FOUR_MB_SCATTERED);
	assert_int_equal(c->n, 0);
	attach(c, 1, 11, "vivid.0", "vivid", 65536, UINT64_MAX, true);
	const struct got *g = only(c, DT_RULE_LATE_ATTACH);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_int_equal(g->att, 11);
	assert_int_equal(g->buf, 1);
	assert_contains(g->msg, "vivid.0 attached");
	assert_contains(g->msg, "after gpu mapped");
	assert_contains(g->msg, "1 MiB exceeds vivid.0's max_segment_size of 64 KiB");
	teardown(c);
}

static void test_late_attach_warning(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4 << 20, NULL);
	attach(c, 1, 10, "gpu", "amdgpu", 0xffffffff, UINT64_MAX, true);
	map(c, 1, 10, 0, 1, ONE_4MB);
	attach(c, 1, 11, "disp", "drm", 0xffffffff, UINT64_MAX, true);
	const struct got *g = only(c, DT_RULE_LATE_ATTACH);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_contains(g->msg, "happens to fit disp");
	/* only the default 64 KiB limit broken: still a warning, and it says why */
	attach(c, 1, 12, "uvc", NULL, 0, 0, false);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[1].rule, DT_RULE_LATE_ATTACH);
	assert_int_equal(c->f[1].sev, DT_SEV_WARNING);
	assert_contains(c->f[1].msg, "never declared a max segment size");
	/* the mapping is gone, the placement stays: attaching now is still late, and the message says so */
	simple(c, DT_EV_UNMAP, 1, 10);
	attach(c, 1, 13, "after-unmap", NULL, 0xffffffff, 0, true);
	assert_int_equal(c->n, 3);
	assert_int_equal(c->f[2].rule, DT_RULE_LATE_ATTACH);
	assert_int_equal(c->f[2].sev, DT_SEV_WARNING);
	assert_contains(c->f[2].msg, "after gpu mapped at +0.002000s and unmapped at +0.005000s");
	/* once per (buffer, device): disp attaching again is not reported again */
	attach(c, 1, 14, "disp", "drm", 0xffffffff, UINT64_MAX, true);
	assert_int_equal(c->n, 3);
	teardown(c);
}

/* The placement is the first map: an importer attached by then was known to the exporter. */
static void test_late_attach_placement_is_first_map(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4 << 20, NULL);
	attach(c, 1, 10, "vivid.0", "vivid", 65536, UINT64_MAX, true);
	attach(c, 1, 11, "gpu", "amdgpu", 0xffffffff, UINT64_MAX, true);
	map(c, 1, 11, 0, 4, FOUR_MB_SCATTERED);
	simple(c, DT_EV_DETACH, 1, 10);
	/* vivid.0 again: it was attached at the placement, so not late */
	attach(c, 1, 12, "vivid.0", "vivid", 65536, UINT64_MAX, true);
	assert_int_equal(c->n, 0);
	/* the first mapper detaches while mapped; a new device judged against the last known layout */
	simple(c, DT_EV_DETACH, 1, 11);
	assert_int_equal(c->n, 1);
	attach(c, 1, 13, "isp", "isp", 65536, UINT64_MAX, true);
	const struct got *g = only(c, DT_RULE_LATE_ATTACH);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "after gpu mapped at +0.003000s and detached without unmapping at +0.006000s");
	assert_contains(g->msg, "1 MiB exceeds isp's max_segment_size of 64 KiB");
	teardown(c);
}

static void test_late_attach_names_first_mapper(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "first", NULL, 0xffffffff, 0, true);
	attach(c, 1, 11, "second", NULL, 0xffffffff, 0, true);
	map(c, 1, 10, 0, 1, ONE_4MB);
	map(c, 1, 11, 0, 1, ONE_4MB);
	attach(c, 1, 12, "third", NULL, 0xffffffff, 0, true);
	const struct got *g = only(c, DT_RULE_LATE_ATTACH);
	assert_contains(g->msg, "after first mapped");
	teardown(c);
}

static void test_segment_count_and_contiguous(void **state)
{
	struct ctx *c = setup("driver=vivid max-segments=1 contiguous=yes\n");
	attach(c, 1, 10, "vivid.0", "vivid", 0xffffffff, UINT64_MAX, true);
	map(c, 1, 10, 0, 4, FOUR_MB_SCATTERED);
	const struct got *g = only(c, DT_RULE_SEGMENT_COUNT);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "4 DMA segments but vivid.0 takes at most 1 (from the constraints profile)");
	g = only(c, DT_RULE_NOT_CONTIGUOUS);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "needs contiguous");
	assert_int_equal(c->n, 2);
	/* back-to-back segments are contiguous even when there are several */
	simple(c, DT_EV_UNMAP, 1, 10);
	c->n = 0;
	static const uint64_t adjacent[] = {0x10000, 0x10000, 0x20000, 0x10000};
	map(c, 1, 10, 0, 2, adjacent);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->f[0].rule, DT_RULE_SEGMENT_COUNT);
	teardown(c);
}

static void test_segment_size(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "dev0", "drv", 65536, 0, true);
	map(c, 1, 10, 0, 1, ONE_4MB);
	const struct got *g = only(c, DT_RULE_SEGMENT_SIZE);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "4 MiB exceeds dev0's max_segment_size of 64 KiB");
	/* dma_parms false: only the kernel default, a warning that says so */
	attach(c, 2, 20, "dev1", NULL, 65536, 0, false);
	map(c, 2, 20, 0, 1, ONE_4MB);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[1].rule, DT_RULE_SEGMENT_SIZE);
	assert_int_equal(c->f[1].sev, DT_SEV_WARNING);
	assert_contains(c->f[1].msg, "kernel's 64 KiB default");
	/* exactly at the limit is fine */
	static const uint64_t at[] = {0x10000, 0x10000};
	attach(c, 3, 30, "dev2", NULL, 65536, 0, true);
	map(c, 3, 30, 0, 1, at);
	assert_int_equal(c->n, 2);
	teardown(c);
}

static void test_segment_size_profile_overrides(void **state)
{
	/* the profile's limit replaces the kernel's, and then it is a hard error even without dma_parms */
	struct ctx *c = setup("device=dev1 max-segment-size=1M\n");
	attach(c, 1, 10, "dev1", NULL, 65536, 0, false);
	static const uint64_t half[] = {0, 0x80000};
	map(c, 1, 10, 0, 1, half);
	assert_int_equal(c->n, 0);
	map(c, 1, 10, 0, 1, ONE_4MB);
	const struct got *g = only(c, DT_RULE_SEGMENT_SIZE);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "(from the constraints profile)");
	teardown(c);
}

static void test_segment_boundary(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "dev", NULL, 0xffffffff, 0xffff, true);
	/* 0x8000+0x10000 crosses a 64 KiB boundary; 0x20000+0x10000 ends exactly at one */
	static const uint64_t segs[] = {0x20000, 0x10000, 0x38000, 0x10000};
	map(c, 1, 10, 0, 2, segs);
	const struct got *g = only(c, DT_RULE_SEGMENT_BOUNDARY);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "1 DMA segment crosses dev's segment boundary (mask 0xffff)");
	assert_contains(g->msg, "first at 0x38000");
	simple(c, DT_EV_UNMAP, 1, 10);
	c->n = 0;
	static const uint64_t fine[] = {0x20000, 0x10000, 0x30000, 0x10000};
	map(c, 1, 10, 0, 2, fine);
	assert_int_equal(c->n, 0);
	teardown(c);
}

static void test_kernel_counted_crossings(void **state)
{
	/* truncated segs, but the recorder counted crossings over the whole view */
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "dev", NULL, 0xffffffff, 0xffff, true);
	struct dt_event ev = base(c, DT_EV_MAP, 1);
	ev.att = 10;
	ev.nents = ev.segs_total = 100;
	ev.nsegs = 1;
	c->segs[0].addr = 0;
	c->segs[0].len = 0x1000;
	ev.boundary_crossings = 3;
	ev.max_seg = 0x1000;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS | DT_HAS_CROSSINGS | DT_HAS_MAX_SEG;
	feed(c, &ev);
	const struct got *g = only(c, DT_RULE_SEGMENT_BOUNDARY);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "3 DMA segments cross");
	assert_int_equal(c->n, 1);
	teardown(c);
}

/* The recorder counts crossings against the kernel's mask: once the profile overrides the mask,
 * that count says nothing about the profile's mask. */
static void test_profile_mask_ignores_kernel_crossings(void **state)
{
	for (int stricter = 0; stricter < 2; stricter++) {
		struct ctx *c = setup(stricter ? "device=dev segment-boundary=0xfff\n" : "device=dev segment-boundary=0xffffffff\n");
		attach(c, 1, 10, "dev", NULL, 0xffffffff, 0xffff, true);
		struct dt_event ev = base(c, DT_EV_MAP, 1);
		ev.att = 10;
		ev.nents = ev.segs_total = 100;
		ev.nsegs = 1;
		c->segs[0].addr = 0;
		c->segs[0].len = 0x1000;
		/* crossings of the kernel's 64 KiB mask: fine for the looser 4 GiB mask; for the stricter 4 KiB mask
		 * the 99 unrecorded segments cannot be judged */
		ev.boundary_crossings = stricter ? 0 : 3;
		ev.max_seg = 0x1000;
		ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS | DT_HAS_CROSSINGS | DT_HAS_MAX_SEG;
		feed(c, &ev);
		if (stricter) {
			const struct got *g = only(c, DT_RULE_SEGMENT_BOUNDARY);
			assert_int_equal(g->sev, DT_SEV_WARNING);
			assert_contains(g->msg, "cannot tell");
		} else {
			assert_int_equal(c->n, 1); /* the unverifiable part, never "3 DMA segments cross" */
			const struct got *g = only(c, DT_RULE_SEGMENT_BOUNDARY);
			assert_int_equal(g->sev, DT_SEV_WARNING);
			assert_contains(g->msg, "cannot tell");
		}
		teardown(c);
	}
}

static void test_truncated_segs_cannot_tell(void **state)
{
	struct ctx *c = setup("device=dev contiguous=yes\n");
	attach(c, 1, 10, "dev", NULL, 65536, 0xffffffff, true);
	/* 2 of 8 segments recorded, both small and adjacent: nothing can be concluded */
	static const uint64_t two[] = {0x1000, 0x1000, 0x2000, 0x1000};
	map(c, 1, 10, 8, 2, two);
	const struct got *g = only(c, DT_RULE_SEGMENT_SIZE);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_contains(g->msg, "only 2 of 8 segments were recorded");
	assert_contains(g->msg, "cannot tell");
	assert_true(g->unverified); /* a flag, so that advise need not read messages */
	g = only(c, DT_RULE_NOT_CONTIGUOUS);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_contains(g->msg, "cannot tell");
	g = only(c, DT_RULE_SEGMENT_BOUNDARY);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_contains(g->msg, "cannot tell");
	assert_int_equal(c->n, 3);
	/* what the recorded part proves is still reported as an error */
	simple(c, DT_EV_UNMAP, 1, 10);
	c->n = 0;
	static const uint64_t gap[] = {0x1000, 0x1000, 0x9000, 0x20000};
	map(c, 1, 10, 8, 2, gap);
	assert_int_equal(only(c, DT_RULE_NOT_CONTIGUOUS)->sev, DT_SEV_ERROR);
	assert_int_equal(only(c, DT_RULE_SEGMENT_SIZE)->sev, DT_SEV_ERROR);
	assert_false(only(c, DT_RULE_SEGMENT_SIZE)->unverified);
	teardown(c);
}

static void test_late_attach_truncated_does_not_guess(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "gpu", NULL, 0xffffffff, 0, true);
	static const uint64_t two[] = {0x1000, 0x1000, 0x2000, 0x1000};
	map(c, 1, 10, 8, 2, two);
	attach(c, 1, 11, "small", NULL, 65536, 0, true);
	const struct got *g = only(c, DT_RULE_LATE_ATTACH);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_null(strstr(g->msg, "happens to fit"));
	assert_contains(g->msg, "cannot tell");
	assert_true(g->unverified);
	teardown(c);
}

/* The first mapper is the attachment whose mapping went live first, not the one mapped most recently. */
static void test_late_attach_first_mapper_by_live_since(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "early", NULL, 0xffffffff, 0, true);
	attach(c, 1, 11, "later", NULL, 0xffffffff, 0, true);
	map(c, 1, 10, 0, 1, ONE_4MB);
	map(c, 1, 11, 0, 1, ONE_4MB);
	map(c, 1, 10, 0, 1, ONE_4MB); /* remapped while still mapped: still live since the first map */
	attach(c, 1, 12, "third", NULL, 0xffffffff, 0, true);
	assert_contains(only(c, DT_RULE_LATE_ATTACH)->msg, "after early mapped");
	teardown(c);
}

/* A provisional attachment's device is unknown: a device= glob that happens to match "?" must not apply. */
static void test_provisional_ignores_device_globs(void **state)
{
	struct ctx *c = setup("device=? max-segments=1\n");
	static const uint64_t s[] = {0, 4096, 8192, 4096};
	map(c, 5, 50, 0, 2, s);
	for (int i = 0; i < c->n; i++)
		assert_int_not_equal(c->f[i].rule, DT_RULE_SEGMENT_COUNT);
	teardown(c);
}

static void test_map_failed(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4096, NULL);
	struct dt_event ev = base(c, DT_EV_ATTACH, 1);
	dt_str_set(&ev.dev, "vivid.0", 7);
	ev.err = -12;
	ev.has |= DT_HAS_ERR;
	feed(c, &ev);
	const struct got *g = only(c, DT_RULE_MAP_FAILED);
	assert_int_equal(g->sev, DT_SEV_INFO);
	assert_contains(g->msg, "refused to attach vivid.0");
	assert_contains(g->msg, "(-12)");
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->live_attachments, 0);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	ev = base(c, DT_EV_MAP, 1);
	ev.att = 10;
	ev.err = -22;
	ev.has |= DT_HAS_ATT | DT_HAS_ERR;
	feed(c, &ev);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[1].rule, DT_RULE_MAP_FAILED);
	assert_int_equal(c->f[1].att, 10);
	assert_contains(c->f[1].msg, "refused to map the buffer for gpu");
	assert_contains(c->f[1].msg, "(-22)");
	/* a failed map leaves nothing mapped */
	simple(c, DT_EV_DETACH, 1, 10);
	assert_int_equal(c->n, 2);
	teardown(c);
}

static void test_lifecycle_rules(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4096, NULL);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	simple(c, DT_EV_UNMAP, 1, 10);
	const struct got *g = only(c, DT_RULE_UNBALANCED_UNMAP);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	static const uint64_t s[] = {0, 4096};
	map(c, 1, 10, 0, 1, s);
	map(c, 1, 10, 0, 1, s);
	simple(c, DT_EV_UNMAP, 1, 10);
	simple(c, DT_EV_DETACH, 1, 10);
	g = only(c, DT_RULE_DETACH_WHILE_MAPPED);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "1 map without unmap");
	attach(c, 1, 11, "disp", NULL, 0, 0, true);
	attach(c, 1, 12, "cam", NULL, 0, 0, true);
	simple(c, DT_EV_RELEASE, 1, 0);
	g = only(c, DT_RULE_RELEASE_WITH_ATTACHMENTS);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_int_equal(g->buf, 1);
	assert_int_equal(g->att, 0);
	assert_contains(g->msg, "2 attachments are still attached");
	assert_contains(g->msg, "disp");
	assert_contains(g->msg, "cam");
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->live_attachments, 0);
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->live_buffers, 0);
	/* the released attachments are gone: an event for one is unknown now */
	simple(c, DT_EV_UNMAP, 1, 11);
	assert_int_equal(c->f[c->n - 1].rule, DT_RULE_UNKNOWN_ATTACHMENT);
	teardown(c);
}

static void test_leak_at_end(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4096, NULL);
	attach(c, 1, 12, "b-mapped", NULL, 0, 0, true);
	attach(c, 1, 11, "a-attached", NULL, 0, 0, true);
	static const uint64_t s[] = {0, 4096};
	map(c, 1, 12, 0, 1, s);
	assert_int_equal(c->n, 0);
	dt_checker_finish(c->e);
	assert_int_equal(c->n, 2);
	/* in attach order, with no triggering event */
	assert_int_equal(c->f[0].rule, DT_RULE_LEAK_AT_END);
	assert_int_equal(c->f[0].sev, DT_SEV_INFO);
	assert_int_equal(c->f[0].att, 12);
	assert_false(c->f[0].has_ev);
	assert_contains(c->f[0].msg, "still attached and mapped");
	assert_int_equal(c->f[1].att, 11);
	assert_contains(c->f[1].msg, "still attached when");
	teardown(c);
}

static void test_provisional(void **state)
{
	struct ctx *c = setup(NULL);
	/* the trace starts after buffer 5 was exported and attachment 50 attached and mapped */
	simple(c, DT_EV_UNMAP, 5, 50);
	const struct got *g = only(c, DT_RULE_UNKNOWN_ATTACHMENT);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_true(g->provisional);
	assert_int_equal(g->att, 50);
	assert_contains(g->msg, "unmap of attachment 50 whose attach is not in the trace");
	/* no unbalanced-unmap guess for the mid-way unmap; reported once only */
	assert_int_equal(c->n, 1);
	static const uint64_t s[] = {0, 0x400000};
	map(c, 5, 50, 0, 1, s);
	simple(c, DT_EV_UNMAP, 5, 50);
	simple(c, DT_EV_DETACH, 5, 50);
	assert_int_equal(c->n, 1); /* unknown device: no limits to break */
	simple(c, DT_EV_DETACH, 5, 51);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[1].rule, DT_RULE_UNKNOWN_ATTACHMENT);
	/* a known attachment on a provisional buffer: findings say the buffer is provisional */
	attach(c, 5, 52, "dev", NULL, 65536, 0, true);
	map(c, 5, 52, 0, 1, s);
	g = only(c, DT_RULE_SEGMENT_SIZE);
	assert_true(g->provisional);
	simple(c, DT_EV_UNMAP, 5, 52);
	simple(c, DT_EV_DETACH, 5, 52);
	simple(c, DT_EV_RELEASE, 5, 0);
	/* a fully traced buffer is not provisional */
	export(c, 6, 4096, NULL);
	attach(c, 6, 60, "dev", NULL, 65536, 0, true);
	map(c, 6, 60, 0, 1, s);
	assert_false(c->f[c->n - 1].provisional);
	teardown(c);
}

/* An attachment met mid-way may hold a map made before the trace: its unmaps are not unbalanced until it has
 * mapped in the trace (then a second unmap is). */
static void test_provisional_unmaps(void **state)
{
	struct ctx *c = setup(NULL);
	simple(c, DT_EV_UNMAP, 5, 50);
	simple(c, DT_EV_UNMAP, 5, 50);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->f[0].rule, DT_RULE_UNKNOWN_ATTACHMENT);
	static const uint64_t s[] = {0, 0x400000};
	map(c, 5, 50, 0, 1, s);
	simple(c, DT_EV_UNMAP, 5, 50);
	assert_int_equal(c->n, 1);
	simple(c, DT_EV_UNMAP, 5, 50);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[1].rule, DT_RULE_UNBALANCED_UNMAP);
	teardown(c);
}

static void test_provisional_gets_catch_all_profile(void **state)
{
	struct ctx *c = setup("device=* max-segments=1\ndriver=x max-segments=100\n");
	static const uint64_t s[] = {0, 4096, 8192, 4096};
	map(c, 5, 50, 0, 2, s);
	assert_int_equal(only(c, DT_RULE_SEGMENT_COUNT)->sev, DT_SEV_ERROR);
	assert_true(only(c, DT_RULE_SEGMENT_COUNT)->provisional);
	teardown(c);
}

static void test_lost_events_mark_incomplete(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	simple(c, DT_EV_UNMAP, 1, 10);
	assert_false(c->f[0].incomplete);
	struct dt_event ev = base(c, DT_EV_LOST, 0);
	ev.count = 7;
	ev.has = DT_HAS_TS | DT_HAS_SEQ | DT_HAS_COUNT;
	feed(c, &ev);
	const struct got *g = only(c, DT_RULE_LOST_EVENTS);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_int_equal(g->buf, 0);
	assert_contains(g->msg, "dropped 7 events");
	simple(c, DT_EV_UNMAP, 1, 10);
	assert_true(c->f[c->n - 1].incomplete);
	dt_checker_finish(c->e);
	assert_true(c->f[c->n - 1].incomplete);
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->lost, 7);
	teardown(c);
}

/* Feeds a lost event of count and cause (has: extra DT_HAS_ bits). */
static void lost(struct ctx *c, uint64_t count, enum dt_lost_cause cause, uint32_t has)
{
	struct dt_event ev = base(c, DT_EV_LOST, 0);
	ev.count = count;
	ev.cause = cause;
	ev.has = DT_HAS_TS | DT_HAS_SEQ | DT_HAS_COUNT | has;
	feed(c, &ev);
}

/* A lost event names its cause; count_known:false says "at least"; a late event marks what follows incomplete. */
static void test_lost_cause_and_late(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	lost(c, 2, DT_LOST_NESTED, 0);
	assert_contains(c->f[c->n - 1].msg, "dropped 2 events (the same hook nested in one task)");
	lost(c, 1, DT_LOST_RECURSION, DT_HAS_COUNT_UNKNOWN);
	assert_contains(c->f[c->n - 1].msg, "at least 1 event, how many is not known (a BPF program did not run");
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->lost, 3);
	/* an attachment id the kernel could not keep drops no event: said so, not counted as lost */
	lost(c, 2, DT_LOST_ATT_IDS, 0);
	assert_contains(c->f[c->n - 1].msg, "could not keep the id of 2 attachments");
	assert_contains(c->f[c->n - 1].msg, "no event was dropped");
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->lost, 3);
	/* the recorder's own write failures are not the kernel's drops */
	lost(c, 5, DT_LOST_WRITE, 0);
	assert_contains(c->f[c->n - 1].msg, "5 events were not written (the recorder could not write them)");
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->lost, 8);
	teardown(c);

	c = setup(NULL);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	simple(c, DT_EV_UNMAP, 1, 10);
	assert_false(c->f[c->n - 1].incomplete);
	struct dt_event ev = base(c, DT_EV_UNMAP, 1);
	ev.att = 10;
	ev.has |= DT_HAS_ATT | DT_HAS_LATE;
	feed(c, &ev);
	assert_true(c->f[c->n - 1].incomplete); /* the late event's own finding, and all after it */
	simple(c, DT_EV_UNMAP, 1, 10);
	assert_true(c->f[c->n - 1].incomplete);
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->late, 1);
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->lost, 0);
	teardown(c);
}

static void test_contradictions(void **state)
{
	struct ctx *c = setup(NULL);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	struct dt_event ev = base(c, DT_EV_ATTACH, 1);
	ev.att = 10;
	ev.has |= DT_HAS_ATT;
	dt_str_set(&ev.dev, "gpu", 3);
	assert_int_equal(dt_checker_feed(c->e, &ev), -1);
	assert_contains(dt_checker_error(c->e), "attachment 10 attached again");
	ev = base(c, DT_EV_UNMAP, 2);
	ev.att = 10;
	ev.has |= DT_HAS_ATT;
	assert_int_equal(dt_checker_feed(c->e, &ev), -1);
	assert_contains(dt_checker_error(c->e), "attachment 10 belongs to buffer 1, not 2");
	teardown(c);
}

static void test_reexport_after_lost_release(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 4096, "old");
	attach(c, 1, 10, "gpu", NULL, 0, 0, true);
	export(c, 1, 8192, "new"); /* inode reused: the release was lost */
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->live_attachments, 0);
	assert_int_equal(dt_engine_stats(dt_checker_engine(c->e))->live_buffers, 1);
	attach(c, 1, 10, "gpu", NULL, 0, 0, true); /* not "attached again" */
	dt_checker_finish(c->e);
	/* the forgotten attachment is said (no loss explained it), the new one is left at the end */
	assert_int_equal(c->n, 2);
	assert_int_equal(c->f[0].rule, DT_RULE_LOST_EVENTS);
	assert_int_equal(c->f[0].sev, DT_SEV_WARNING);
	assert_int_equal(c->f[1].rule, DT_RULE_LEAK_AT_END);
	assert_true(c->f[1].incomplete);
	teardown(c);
}

/* Memory follows live objects: many buffers come and go, live counts return to 0. */
/* One contiguous 1 MiB segment mapped from a stack that names frame. */
static void map_from(struct ctx *c, uint64_t buf, uint64_t att, uint64_t orig_nents, const char *frame)
{
	static char stack[2][DT_FRAME_MAX];
	struct dt_event ev = base(c, DT_EV_MAP, buf);
	ev.att = att;
	ev.dir = DT_DIR_FROM_DEVICE;
	ev.nents = ev.segs_total = 1;
	ev.orig_nents = orig_nents;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS | DT_HAS_ORIG_NENTS;
	ev.nsegs = 1;
	c->segs[0].addr = 0x10000000;
	c->segs[0].len = 1 << 20;
	if (frame) {
		snprintf(stack[0], sizeof(stack[0]), "%s", frame);
		snprintf(stack[1], sizeof(stack[1]), "__prepare_dmabuf.constprop.0+0x3d5 [videobuf2_common]");
		ev.stack = stack;
		ev.nstack = 2;
	}
	feed(c, &ev);
}

/* vb2_dc_map_dmabuf on the map stack: vivid.0 needs contiguous memory without a profile. */
static void test_kernel_implied_contiguous(void **state)
{
	struct ctx *c = setup(NULL);
	export(c, 1, 2 << 20, NULL);
	attach(c, 1, 10, "vivid.0", "vivid", 0xffffffff, UINT64_MAX, true);
	static char stack[1][DT_FRAME_MAX] = {"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]"};
	struct dt_event ev = base(c, DT_EV_MAP, 1);
	ev.att = 10;
	ev.nents = ev.segs_total = 2;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nsegs = 2;
	c->segs[0] = (struct dt_seg){0x100000, 0x100000};
	c->segs[1] = (struct dt_seg){0x400000, 0x100000};
	ev.stack = stack;
	ev.nstack = 1;
	feed(c, &ev);
	const struct got *g = only(c, DT_RULE_NOT_CONTIGUOUS);
	assert_int_equal(g->sev, DT_SEV_ERROR);
	assert_contains(g->msg, "vivid.0 needs contiguous DMA memory (implied by videobuf2-dma-contig)");
	/* a compiler clone of the function is the function (5.10 kernels show .part/.isra/.constprop frames) */
	c->n = 0;
	attach(c, 1, 12, "vivid.0", "vivid", 0xffffffff, UINT64_MAX, true);
	snprintf(stack[0], sizeof(stack[0]), "vb2_dc_map_dmabuf.isra.0+0x35 [videobuf2_dma_contig]");
	ev = base(c, DT_EV_MAP, 1);
	ev.att = 12;
	ev.nents = ev.segs_total = 2;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nsegs = 2;
	ev.stack = stack;
	ev.nstack = 1;
	feed(c, &ev);
	g = only(c, DT_RULE_NOT_CONTIGUOUS);
	assert_contains(g->msg, "(implied by videobuf2-dma-contig)");
	assert_contains(g->msg, "via vb2_dc_map_dmabuf.isra.0+0x35 [videobuf2_dma_contig]"); /* the real symbol shown */
	/* a frame that only starts like it is not it */
	c->n = 0;
	attach(c, 1, 11, "other", NULL, 0xffffffff, UINT64_MAX, true);
	snprintf(stack[0], sizeof(stack[0]), "vb2_dc_map_dmabuf_extra+0x1 [x]");
	ev = base(c, DT_EV_MAP, 1);
	ev.att = 11;
	ev.nents = ev.segs_total = 2;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nsegs = 2;
	ev.stack = stack;
	ev.nstack = 1;
	feed(c, &ev);
	for (int i = 0; i < c->n; i++)
		assert_int_not_equal(c->f[i].rule, DT_RULE_NOT_CONTIGUOUS);
	teardown(c);
	/* the profile overrides the built-in knowledge */
	c = setup("driver=vivid contiguous=no\n");
	export(c, 1, 2 << 20, NULL);
	attach(c, 1, 10, "vivid.0", "vivid", 0xffffffff, UINT64_MAX, true);
	snprintf(stack[0], sizeof(stack[0]), "vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]");
	ev = base(c, DT_EV_MAP, 1);
	ev.att = 10;
	ev.nents = ev.segs_total = 2;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nsegs = 2;
	ev.stack = stack;
	ev.nstack = 1;
	feed(c, &ev);
	assert_int_equal(c->n, 0);
	teardown(c);
}

static void test_contiguous_by_chance(void **state)
{
	struct ctx *c = setup("exporter=cma* provides=contiguous\n");
	export(c, 1, 1 << 20, NULL); /* exporter "system" */
	attach(c, 1, 10, "vivid.0", "vivid", 0xffffffff, UINT64_MAX, true);
	map_from(c, 1, 10, 1, "vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]");
	const struct got *g = only(c, DT_RULE_CONTIGUOUS_BY_CHANCE);
	assert_int_equal(g->sev, DT_SEV_WARNING);
	assert_contains(g->msg, "(implied by videobuf2-dma-contig) and got one back-to-back range of 1 MiB");
	assert_contains(g->msg, "exporter=system provides=contiguous");
	/* an IOMMU made it one range from 256 CPU entries: by design */
	c->n = 0;
	export(c, 2, 1 << 20, NULL);
	attach(c, 2, 11, "vivid.1", "vivid", 0xffffffff, UINT64_MAX, true);
	map_from(c, 2, 11, 256, "vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]");
	/* an importer without the need */
	export(c, 3, 1 << 20, NULL);
	attach(c, 3, 12, "gpu", "amdgpu", 0xffffffff, UINT64_MAX, true);
	map_from(c, 3, 12, 1, NULL);
	assert_int_equal(c->n, 0);
	teardown(c);
}

/* A map by comm[pid] (comm NULL: no task) from the frames (NULL-terminated), or by "by" when not NULL. */
static const char *map_as(struct ctx *c, const char *comm, int64_t pid, const char *by, const char *const *frames)
{
	static char stack[DT_STACK_MAX][DT_FRAME_MAX];
	struct dt_event ev = base(c, DT_EV_MAP, 1);
	ev.att = 10;
	ev.dir = DT_DIR_BIDIRECTIONAL;
	ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	ev.nents = ev.segs_total = ev.nsegs = 1;
	c->segs[0] = (struct dt_seg){0x100000, 0x1000};
	if (comm) {
		dt_str_set(&ev.comm, comm, strlen(comm));
		ev.pid = pid;
		ev.has |= DT_HAS_PID;
	}
	if (by)
		dt_str_set(&ev.by, by, strlen(by));
	for (; frames && frames[ev.nstack]; ev.nstack++)
		snprintf(stack[ev.nstack], sizeof(stack[0]), "%s", frames[ev.nstack]);
	ev.stack = stack;
	feed(c, &ev);
	simple(c, DT_EV_UNMAP, 1, 10);
	return c->map_by;
}

/* map_by is kept when a map's caller is the previous one's, and follows every change (engine.c caller_is). */
static void test_map_by_follows_caller(void **state)
{
	(void)state;
	struct ctx *c = setup(NULL);
	export(c, 1, 0x1000, NULL);
	attach(c, 1, 10, "dev", NULL, 0, 0, true);
	static const char *const two[] = {"dma_buf_map_attachment+0x1", "f1+0x2", "f2+0x3", "f3", NULL};
	static const char *const one[] = {"f1+0x2", NULL};
	static const char *const other[] = {"f1+0x2", "f2+0x4", NULL};
	static const char *const core_only[] = {"__dma_buf_map", NULL};
	assert_string_equal(map_as(c, "app", 7, NULL, two), "app[7] via f1+0x2 <- f2+0x3");
	assert_string_equal(map_as(c, "app", 7, NULL, two), "app[7] via f1+0x2 <- f2+0x3");
	assert_string_equal(map_as(c, "app", 7, NULL, one), "app[7] via f1+0x2"); /* a prefix of the last */
	assert_string_equal(map_as(c, "app", 7, NULL, two), "app[7] via f1+0x2 <- f2+0x3"); /* longer */
	assert_string_equal(map_as(c, "app", 7, NULL, other), "app[7] via f1+0x2 <- f2+0x4");
	assert_string_equal(map_as(c, "app", 71, NULL, other), "app[71] via f1+0x2 <- f2+0x4");
	assert_string_equal(map_as(c, "app", -71, NULL, other), "app[-71] via f1+0x2 <- f2+0x4");
	assert_string_equal(map_as(c, "apps", -71, NULL, other), "apps[-71] via f1+0x2 <- f2+0x4");
	assert_string_equal(map_as(c, "apps", -71, NULL, core_only), "apps[-71]");
	assert_string_equal(map_as(c, NULL, 0, NULL, other), "via f1+0x2 <- f2+0x4");
	assert_string_equal(map_as(c, NULL, 0, NULL, NULL), "(null)");
	assert_string_equal(map_as(c, "app", 7, "restated[1] via x", two), "restated[1] via x");
	assert_string_equal(map_as(c, "app", 7, NULL, two), "app[7] via f1+0x2 <- f2+0x3");
	/* over 511 bytes: cut there, and the same again */
	char comm[DT_STR_MAX], f1[DT_FRAME_MAX], f2[DT_FRAME_MAX];
	memset(comm, 'c', sizeof(comm) - 1);
	comm[sizeof(comm) - 1] = '\0';
	memset(f1, '1', sizeof(f1) - 1);
	f1[sizeof(f1) - 1] = '\0';
	memset(f2, '2', sizeof(f2) - 1);
	f2[sizeof(f2) - 1] = '\0';
	const char *const long_frames[] = {f1, f2, NULL};
	char want[1024];
	snprintf(want, sizeof(want), "%s[7] via %s <- %s", comm, f1, f2);
	want[511] = '\0';
	assert_string_equal(map_as(c, comm, 7, NULL, long_frames), want);
	assert_string_equal(map_as(c, comm, 7, NULL, long_frames), want);
	f2[100] = '\0';
	snprintf(want, sizeof(want), "%s[7] via %s <- %s", comm, f1, f2);
	want[511] = '\0';
	assert_string_equal(map_as(c, comm, 7, NULL, long_frames), want);
	teardown(c);
}

static void test_memory_bounded(void **state)
{
	struct ctx *c = setup(NULL);
	static const uint64_t s[] = {0, 4096};
	for (uint64_t i = 1; i <= 5000; i++) {
		export(c, i, 4096, NULL);
		attach(c, i, i * 2, "a", NULL, 0, 0, true);
		attach(c, i, i * 2 + 1, "b", NULL, 0, 0, true);
		map(c, i, i * 2, 0, 1, s);
		map(c, i, i * 2 + 1, 0, 1, s);
		const struct dt_engine_stats *st = dt_engine_stats(dt_checker_engine(c->e));
		assert_int_equal(st->live_buffers, 1);
		assert_int_equal(st->live_attachments, 2);
		simple(c, DT_EV_UNMAP, i, i * 2);
		simple(c, DT_EV_UNMAP, i, i * 2 + 1);
		simple(c, DT_EV_DETACH, i, i * 2);
		simple(c, DT_EV_DETACH, i, i * 2 + 1);
		simple(c, DT_EV_RELEASE, i, 0);
	}
	const struct dt_engine_stats *st = dt_engine_stats(dt_checker_engine(c->e));
	assert_int_equal(st->live_buffers, 0);
	assert_int_equal(st->live_attachments, 0);
	assert_int_equal(st->buffers, 5000);
	assert_int_equal(st->attachments, 10000);
	assert_int_equal(c->n, 0);
	teardown(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_lifecycle),
		cmocka_unit_test(test_late_attach_error),
		cmocka_unit_test(test_late_attach_warning),
		cmocka_unit_test(test_late_attach_placement_is_first_map),
		cmocka_unit_test(test_kernel_implied_contiguous),
		cmocka_unit_test(test_contiguous_by_chance),
		cmocka_unit_test(test_map_by_follows_caller),
		cmocka_unit_test(test_late_attach_names_first_mapper),
		cmocka_unit_test(test_segment_count_and_contiguous),
		cmocka_unit_test(test_segment_size),
		cmocka_unit_test(test_segment_size_profile_overrides),
		cmocka_unit_test(test_segment_boundary),
		cmocka_unit_test(test_kernel_counted_crossings),
		cmocka_unit_test(test_profile_mask_ignores_kernel_crossings),
		cmocka_unit_test(test_truncated_segs_cannot_tell),
		cmocka_unit_test(test_late_attach_truncated_does_not_guess),
		cmocka_unit_test(test_map_failed),
		cmocka_unit_test(test_lifecycle_rules),
		cmocka_unit_test(test_leak_at_end),
		cmocka_unit_test(test_provisional),
		cmocka_unit_test(test_provisional_unmaps),
		cmocka_unit_test(test_provisional_gets_catch_all_profile),
		cmocka_unit_test(test_lost_events_mark_incomplete),
		cmocka_unit_test(test_lost_cause_and_late),
		cmocka_unit_test(test_late_attach_first_mapper_by_live_since),
		cmocka_unit_test(test_provisional_ignores_device_globs),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_reexport_after_lost_release),
		cmocka_unit_test(test_memory_bounded),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}

// SPDX-License-Identifier: Apache-2.0
/* Segment address redaction (ingest/redact.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ingest/redact.h"

#define MAX_BOUNDARY_SHIFT 32 /* boundaries up to 4 GiB keep their results */
#define REGION_SHIFT 40       /* each run gets its own 1 TiB region */

struct dt_redactor {
	uint64_t rng; /* xorshift state: only the placement is random, not a secret key */
	struct dt_event out;
	struct dt_seg *segs;
	uint32_t cap;
};

static uint64_t next_random(struct dt_redactor *r)
{
	uint64_t x = r->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return r->rng = x;
}

struct dt_redactor *dt_redactor_new(uint64_t seed)
{
	struct dt_redactor *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (!seed && getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)(uintptr_t)r ^ 0x9e3779b97f4a7c15ull;
	r->rng = seed ? seed : 1;
	return r;
}

/* The largest k <= 32 such that a multiple of 2^k lies in (start, start+len-1]: the largest boundary the
 * run crosses (at *point); -1 when the run crosses none (len < 2). */
static int largest_crossed(uint64_t start, uint64_t len, uint64_t *point)
{
	if (len < 2)
		return -1;
	uint64_t lo = start + 1, hi = start + len - 1;
	for (int k = MAX_BOUNDARY_SHIFT; k >= 0; k--) {
		uint64_t m = hi & ~((1ull << k) - 1);
		if (m >= lo) {
			*point = m;
			return k;
		}
	}
	return -1;
}

/* Moves one run [start, start+len) into region `region`; returns the new start. */
static uint64_t place_run(struct dt_redactor *r, uint64_t start, uint64_t len, uint32_t region)
{
	uint64_t base = ((uint64_t)region + 1) << REGION_SHIFT;
	uint64_t middle = base + (1ull << (REGION_SHIFT - 1));
	uint64_t point;
	int k = largest_crossed(start, len, &point);
	if (k < 0) /* crosses nothing: any place that keeps the offset in its page */
		return middle + (next_random(r) & ((1ull << 30) - 1) & ~0xfffull) + (start & 0xfff);
	/* An odd multiple of 2^k (any multiple at the 4 GiB cap) near the middle of the region: the run
	 * keeps its offset to the crossed boundary, so it crosses exactly the boundaries of 2^0..2^k it
	 * crossed, and no larger one up to 4 GiB. */
	uint64_t spread = k >= 30 ? 64 : 1ull << (30 - k); /* choices of the multiple, within 1 GiB or 256 GiB */
	uint64_t multiple = next_random(r) % spread;
	if (k < MAX_BOUNDARY_SHIFT)
		multiple |= 1;
	uint64_t new_point = middle + (multiple << k);
	return new_point - (point - start);
}

const struct dt_event *dt_redact(struct dt_redactor *r, const struct dt_event *ev)
{
	if (!ev->nsegs)
		return ev;
	if (ev->nsegs > r->cap) {
		struct dt_seg *s = realloc(r->segs, ev->nsegs * sizeof(*s));
		if (!s)
			return NULL;
		r->segs = s;
		r->cap = ev->nsegs;
	}
	r->out = *ev;
	r->out.segs = r->segs;
	uint32_t region = 0;
	for (uint32_t i = 0; i < ev->nsegs;) {
		/* one back-to-back run: segments i..j-1 */
		uint64_t start = ev->segs[i].addr, end = start + ev->segs[i].len;
		uint32_t j = i + 1;
		while (j < ev->nsegs && ev->segs[j].addr == end) {
			end += ev->segs[j].len;
			j++;
		}
		uint64_t moved = place_run(r, start, end - start, region++);
		for (uint32_t s = i; s < j; s++) {
			r->segs[s].addr = moved + (ev->segs[s].addr - start);
			r->segs[s].len = ev->segs[s].len;
		}
		i = j;
	}
	return &r->out;
}

void dt_redactor_free(struct dt_redactor *r)
{
	if (!r)
		return;
	free(r->segs);
	free(r);
}

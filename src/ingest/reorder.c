// SPDX-License-Identifier: Apache-2.0
/* Reorder window: held events keyed (ts, cpu, arrival). The ring hands them over almost always in that
 * order already: those go to a FIFO (no heap work), the few that arrive behind the FIFO's newest into a
 * binary min-heap; the earlier of the two heads is handed on first. */
#include "ingest/reorder.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct held {
	uint64_t arrival;
	struct dt_event ev;
	struct dt_seg *segs;
	uint32_t segs_cap;
	char (*stack)[DT_FRAME_MAX];
	uint32_t stack_cap;
	struct held *next_free;
};

struct dt_reorder {
	uint64_t window;
	dt_reorder_fn out;
	void *ctx;
	int stop; /* the consumer's nonzero return, passed back once */
	struct held **heap;
	size_t n, cap;
	struct held **fifo; /* a ring of fcap slots: in key order, oldest at fhead */
	size_t fhead, fn, fcap;
	struct held *free_list;
	uint64_t arrivals;
	uint64_t newest_ts;   /* newest ts pushed */
	uint64_t released_ts; /* ts of the last event handed on in order */
	uint64_t released_arrival;
	bool released_any;
	struct dt_reorder_stats st;
	struct held *pending; /* handed out by dt_reorder_slot, not pushed yet */
};

static bool before(const struct held *a, const struct held *b)
{
	if (a->ev.ts != b->ev.ts)
		return a->ev.ts < b->ev.ts;
	if (a->ev.cpu != b->ev.cpu)
		return a->ev.cpu < b->ev.cpu;
	return a->arrival < b->arrival;
}

static void sift_up(struct dt_reorder *r, size_t i)
{
	struct held *h = r->heap[i];
	while (i) {
		size_t p = (i - 1) / 2;
		if (!before(h, r->heap[p]))
			break;
		r->heap[i] = r->heap[p];
		i = p;
	}
	r->heap[i] = h;
}

static void sift_down(struct dt_reorder *r, size_t i)
{
	struct held *h = r->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= r->n)
			break;
		if (c + 1 < r->n && before(r->heap[c + 1], r->heap[c]))
			c++;
		if (!before(r->heap[c], h))
			break;
		r->heap[i] = r->heap[c];
		i = c;
	}
	r->heap[i] = h;
}

struct dt_reorder *dt_reorder_new(uint64_t window_ns, dt_reorder_fn out, void *ctx)
{
	struct dt_reorder *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->window = window_ns;
	r->out = out;
	r->ctx = ctx;
	return r;
}

static int give(struct dt_reorder *r, struct dt_event *ev)
{
	int rc = r->out(r->ctx, ev);
	if (rc && !r->stop)
		r->stop = rc;
	return rc;
}

static int take_stop(struct dt_reorder *r)
{
	int rc = r->stop;
	r->stop = 0;
	return rc;
}

/* The earliest held event, NULL when none. */
static struct held *earliest(const struct dt_reorder *r)
{
	struct held *f = r->fn ? r->fifo[r->fhead] : NULL;
	if (!r->n)
		return f;
	return f && before(f, r->heap[0]) ? f : r->heap[0];
}

/* Hands on h, the earliest held event. */
static void pop(struct dt_reorder *r, struct held *h)
{
	if (r->fn && h == r->fifo[r->fhead]) {
		r->fhead = (r->fhead + 1) & (r->fcap - 1);
		r->fn--;
	} else {
		r->heap[0] = r->heap[--r->n];
		if (r->n)
			sift_down(r, 0);
	}
	if (h->arrival < r->released_arrival)
		r->st.reordered++;
	if (h->arrival > r->released_arrival || !r->released_any)
		r->released_arrival = h->arrival;
	r->released_ts = h->ev.ts;
	r->released_any = true;
	give(r, &h->ev);
	h->next_free = r->free_list;
	r->free_list = h;
}

static int release_until(struct dt_reorder *r, uint64_t limit)
{
	struct held *h;
	while ((h = earliest(r)) && h->ev.ts <= limit)
		pop(r, h);
	return take_stop(r);
}

/* The event's strings are DT_STR_MAX-byte buffers that hold a few bytes each (most are unset): a struct
 * copy moved 2.4 KiB per held event, more than the rest of the window's work. The fields between them are
 * copied as they are, each string up to its length in 16-byte steps. */
static inline __attribute__((always_inline)) void copy_str(struct dt_str *d, const struct dt_str *s)
{
	size_t n = s->len < DT_STR_MAX ? s->len : DT_STR_MAX - 1;
	for (size_t i = 0; i < n; i += 16)
		memcpy(d->s + i, s->s + i, 16);
	d->s[n] = '\0';
	d->len = (uint16_t)n;
	d->set = s->set;
}

#define GAP(d, s, from, to) memcpy((char *)(d) + (from), (const char *)(s) + (from), (to) - (from))
#define END(m) (offsetof(struct dt_event, m) + sizeof(struct dt_str))
_Static_assert(DT_STR_MAX % 16 == 0 && DT_FRAME_MAX > 64, "copy_str copies 16-byte steps, copy_in 64 bytes and the rest");
_Static_assert(offsetof(struct dt_event, comm) < offsetof(struct dt_event, exporter) &&
		       END(exporter) <= offsetof(struct dt_event, name) && END(name) <= offsetof(struct dt_event, dev) &&
		       END(dev) <= offsetof(struct dt_event, driver) && END(driver) <= offsetof(struct dt_event, bus) &&
		       END(bus) <= offsetof(struct dt_event, by) && END(by) <= offsetof(struct dt_event, type_name) &&
		       END(type_name) <= offsetof(struct dt_event, cause_name),
	       "copy_event walks the strings in declaration order");

static void copy_event(struct dt_event *d, const struct dt_event *s)
{
	GAP(d, s, 0, offsetof(struct dt_event, comm));
	copy_str(&d->comm, &s->comm);
	GAP(d, s, END(comm), offsetof(struct dt_event, exporter));
	copy_str(&d->exporter, &s->exporter);
	GAP(d, s, END(exporter), offsetof(struct dt_event, name));
	copy_str(&d->name, &s->name);
	GAP(d, s, END(name), offsetof(struct dt_event, dev));
	copy_str(&d->dev, &s->dev);
	GAP(d, s, END(dev), offsetof(struct dt_event, driver));
	copy_str(&d->driver, &s->driver);
	GAP(d, s, END(driver), offsetof(struct dt_event, bus));
	copy_str(&d->bus, &s->bus);
	GAP(d, s, END(bus), offsetof(struct dt_event, by));
	copy_str(&d->by, &s->by);
	GAP(d, s, END(by), offsetof(struct dt_event, type_name));
	copy_str(&d->type_name, &s->type_name);
	GAP(d, s, END(type_name), offsetof(struct dt_event, cause_name));
	copy_str(&d->cause_name, &s->cause_name);
	GAP(d, s, END(cause_name), sizeof(struct dt_event));
}

/* The segments and stack of ev (h's own event, or the one being copied in) into h's storage, which the held
 * event then points at. */
static inline __attribute__((always_inline)) bool copy_tail(struct held *h, const struct dt_event *ev)
{
	if (ev->nsegs > h->segs_cap) {
		struct dt_seg *s = realloc(h->segs, ev->nsegs * sizeof(*s));
		if (!s)
			return false;
		h->segs = s;
		h->segs_cap = ev->nsegs;
	}
	if (ev->nstack > h->stack_cap) {
		char(*st)[DT_FRAME_MAX] = realloc(h->stack, ev->nstack * sizeof(*st));
		if (!st)
			return false;
		h->stack = st;
		h->stack_cap = ev->nstack;
	}
	if (ev->nsegs)
		memcpy(h->segs, ev->segs, ev->nsegs * sizeof(*h->segs));
	if (ev->stack_plain) {
		/* each frame's first 64 bytes, the rest only when its NUL is further on (kernel frames are mostly
		 * 20-60 bytes of DT_FRAME_MAX): a fixed-size copy is a few moves, no loop */
		for (uint32_t i = 0; i < ev->nstack; i++) {
			memcpy(h->stack[i], ev->stack[i], 64);
			if (ev->stack_len[i] >= 64)
				memcpy(h->stack[i] + 64, ev->stack[i] + 64, DT_FRAME_MAX - 64);
		}
	} else if (ev->nstack) {
		memcpy(h->stack, ev->stack, ev->nstack * sizeof(*h->stack));
	}
	h->ev.segs = h->segs;
	h->ev.stack = h->stack;
	return true;
}

static bool copy_in(struct held *h, const struct dt_event *ev)
{
	if (!copy_tail(h, ev))
		return false;
	copy_event(&h->ev, ev);
	h->ev.segs = h->segs;
	h->ev.stack = h->stack;
	return true;
}

/* A held slot for the window. Not calloc: clearing its 2.4 KiB (glibc's rep stosb, one emulated instruction
 * per byte under QEMU's icount) cost as much as the copy that fills it; copy_in writes every byte of ev a
 * consumer reads (the fields between the strings, each string up to its NUL, its len and set). */
static struct held *new_held(void)
{
	struct held *h = malloc(sizeof(*h));
	if (!h)
		return NULL;
	h->segs = NULL;
	h->segs_cap = 0;
	h->stack = NULL;
	h->stack_cap = 0;
	h->next_free = NULL;
	return h;
}

/* A slot's event, decoded in place: only its segments and stack, which point into the producer's storage,
 * are copied. */
static bool adopt_in(struct held *h)
{
	return copy_tail(h, &h->ev);
}

struct dt_event *dt_reorder_slot(struct dt_reorder *r)
{
	if (!r->window)
		return NULL;
	if (!r->pending) {
		struct held *h = r->free_list;
		if (h)
			r->free_list = h->next_free;
		else
			h = new_held();
		r->pending = h;
	}
	return r->pending ? &r->pending->ev : NULL;
}

/* An event older than one already handed on: out of order for good. */
static bool is_late(const struct dt_reorder *r, const struct dt_event *ev)
{
	return r->released_any && ev->ts < r->released_ts;
}

/* Doubles the FIFO's ring (a power of two), keeping its order. */
static bool grow_fifo(struct dt_reorder *r)
{
	size_t nc = r->fcap ? 2 * r->fcap : 256;
	struct held **nf = malloc(nc * sizeof(*nf));
	if (!nf)
		return false;
	for (size_t i = 0; i < r->fn; i++)
		nf[i] = r->fifo[(r->fhead + i) & (r->fcap - 1)];
	free(r->fifo);
	r->fifo = nf;
	r->fcap = nc;
	r->fhead = 0;
	return true;
}

int dt_reorder_push(struct dt_reorder *r, const struct dt_event *ev)
{
	struct held *h;

	r->st.pushed++;
	if (ev->ts > r->newest_ts)
		r->newest_ts = ev->ts;
	else if (r->newest_ts - ev->ts > r->st.max_behind_ns)
		r->st.max_behind_ns = r->newest_ts - ev->ts;
	if (is_late(r, ev) || !r->window) {
		struct dt_event late = *ev;
		if (is_late(r, ev)) {
			late.has |= DT_HAS_LATE;
			r->st.late++;
		} else {
			r->released_ts = ev->ts;
			r->released_any = true;
		}
		give(r, &late);
		return take_stop(r);
	}
	/* the slot the producer decoded into (dt_reorder_slot) is taken over as it is */
	bool adopt = r->pending && ev == &r->pending->ev;
	if (adopt) {
		h = r->pending;
		r->pending = NULL;
	} else {
		h = r->free_list;
		if (h)
			r->free_list = h->next_free;
		else
			h = new_held();
	}
	bool in_order = !r->fn || r->fifo[(r->fhead + r->fn - 1) & (r->fcap - 1)]->ev.ts < ev->ts ||
			(r->fifo[(r->fhead + r->fn - 1) & (r->fcap - 1)]->ev.ts == ev->ts &&
			 r->fifo[(r->fhead + r->fn - 1) & (r->fcap - 1)]->ev.cpu <= ev->cpu);
	if (in_order && r->fn == r->fcap && !grow_fifo(r))
		in_order = false;
	if (!in_order && r->n == r->cap) {
		size_t nc = r->cap ? 2 * r->cap : 256;
		struct held **nh = realloc(r->heap, nc * sizeof(*nh));
		if (nh) {
			r->heap = nh;
			r->cap = nc;
		}
	}
	if (!h || (!in_order && r->n == r->cap) || !(adopt ? adopt_in(h) : copy_in(h, ev))) {
		/* no memory to hold it: everything held goes first, then this one */
		if (h) {
			h->next_free = r->free_list;
			r->free_list = h;
		}
		release_until(r, UINT64_MAX);
		struct dt_event now = *ev;
		if (is_late(r, ev)) {
			now.has |= DT_HAS_LATE;
			r->st.late++;
		} else { /* handed on in order: an event before it that comes next is late */
			r->released_ts = ev->ts;
			r->released_any = true;
		}
		give(r, &now);
		take_stop(r);
		return -ENOMEM;
	}
	h->arrival = r->arrivals++;
	if (in_order) {
		r->fifo[(r->fhead + r->fn++) & (r->fcap - 1)] = h;
	} else {
		r->heap[r->n++] = h;
		sift_up(r, r->n - 1);
	}
	if (r->n + r->fn > r->st.held_max)
		r->st.held_max = r->n + r->fn;
	if (r->newest_ts >= r->window)
		return release_until(r, r->newest_ts - r->window);
	return take_stop(r);
}

int dt_reorder_release(struct dt_reorder *r, uint64_t now)
{
	if (now < r->window)
		return take_stop(r);
	return release_until(r, now - r->window);
}

int dt_reorder_flush(struct dt_reorder *r)
{
	return release_until(r, UINT64_MAX);
}

const struct dt_reorder_stats *dt_reorder_stats(const struct dt_reorder *r)
{
	return &r->st;
}

void dt_reorder_free(struct dt_reorder *r)
{
	if (!r)
		return;
	if (r->pending) {
		r->pending->next_free = r->free_list;
		r->free_list = r->pending;
	}
	for (size_t i = 0; i < r->n; i++) {
		r->heap[i]->next_free = r->free_list;
		r->free_list = r->heap[i];
	}
	for (size_t i = 0; i < r->fn; i++) {
		struct held *h = r->fifo[(r->fhead + i) & (r->fcap - 1)];
		h->next_free = r->free_list;
		r->free_list = h;
	}
	while (r->free_list) {
		struct held *h = r->free_list;
		r->free_list = h->next_free;
		free(h->segs);
		free(h->stack);
		free(h);
	}
	free(r->heap);
	free(r->fifo);
	free(r);
}

// SPDX-License-Identifier: Apache-2.0
/* See restate.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "daemon/restate.h"

struct collect {
	const struct dt_buffer **v;
	size_t n, cap;
	bool oom;
};

static void collect_buffer(void *ctx, const struct dt_buffer *b)
{
	struct collect *c = ctx;
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		const struct dt_buffer **nv = realloc(c->v, ncap * sizeof(*nv));
		if (!nv) {
			c->oom = true;
			return;
		}
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = b;
}

static int by_first_seq(const void *x, const void *y)
{
	const struct dt_buffer *a = *(const struct dt_buffer *const *)x, *b = *(const struct dt_buffer *const *)y;
	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static int by_live_since(const void *x, const void *y)
{
	const struct dt_attachment *a = *(const struct dt_attachment *const *)x;
	const struct dt_attachment *b = *(const struct dt_attachment *const *)y;
	if (a->live_since_seq != b->live_since_seq)
		return a->live_since_seq < b->live_since_seq ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void set_str(struct dt_str *dst, const char *s)
{
	if (s)
		dt_str_set(dst, s, strlen(s));
}

static void export_event(struct dt_event *ev, const struct dt_buffer *b)
{
	dt_event_clear(ev);
	ev->type = DT_EV_EXPORT;
	ev->has |= DT_HAS_TS | DT_HAS_BUF | DT_HAS_SIZE | DT_HAS_STATE;
	if (b->provisional)
		ev->has |= DT_HAS_SEEDED; /* its export was never seen: keep it provisional */
	ev->ts = b->first_ts;
	ev->buf = b->ino;
	ev->size = b->size;
	dt_str_set(&ev->exporter, b->exporter ? b->exporter : "", b->exporter ? strlen(b->exporter) : 0);
	set_str(&ev->name, b->name);
}

static void attach_event(struct dt_event *ev, const struct dt_attachment *a)
{
	dt_event_clear(ev);
	ev->type = DT_EV_ATTACH;
	ev->has |= DT_HAS_TS | DT_HAS_BUF | DT_HAS_ATT | DT_HAS_STATE;
	ev->ts = a->attach_ts;
	ev->buf = a->buf->ino;
	ev->att = a->id;
	set_str(&ev->dev, a->dev);
	set_str(&ev->driver, a->driver);
	set_str(&ev->bus, a->bus);
	ev->dynamic = a->dynamic;
	if (a->provisional) {
		/* Seeded or never seen attaching: the device is known at best, its limits are not. */
		ev->has |= DT_HAS_SEEDED;
		return;
	}
	if (a->limits_untraced) /* as its attach was: no limits in the event (ftrace tracepoints) */
		return;
	/* The kernel's values: the profile is applied again by whoever reads the segment. */
	ev->has |= DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY | DT_HAS_DMA_PARMS;
	ev->dma_parms = a->dma_parms;
	ev->max_seg_size = a->kernel_max_seg_size;
	ev->seg_boundary_mask = a->kernel_seg_boundary_mask;
}

static void mapping_fields(struct dt_event *ev, const struct dt_mapping *m)
{
	ev->has |= DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL;
	ev->nents = m->nents;
	ev->orig_nents = m->orig_nents;
	ev->segs_total = m->segs_total;
	ev->nsegs = m->nsegs;
	ev->segs = m->segs;
	if (m->max_seg_known) {
		ev->has |= DT_HAS_MAX_SEG;
		ev->max_seg = m->max_seg;
	}
	if (m->total_len) {
		ev->has |= DT_HAS_TOTAL_LEN;
		ev->total_len = m->total_len;
	}
	if (m->contiguous_known) {
		ev->has |= DT_HAS_CONTIGUOUS;
		ev->contiguous = m->contiguous;
	}
	if (m->crossings_known) {
		ev->has |= DT_HAS_CROSSINGS;
		ev->boundary_crossings = m->crossings;
	}
	ev->cached = m->cached;
}

static void map_event(struct dt_event *ev, const struct dt_attachment *a, uint64_t ts)
{
	dt_event_clear(ev);
	ev->type = DT_EV_MAP;
	ev->has |= DT_HAS_TS | DT_HAS_BUF | DT_HAS_ATT | DT_HAS_STATE;
	ev->ts = ts;
	ev->buf = a->buf->ino;
	ev->att = a->id;
	mapping_fields(ev, &a->map);
	set_str(&ev->by, a->map_by);
}

static void history_event(struct dt_event *ev, const struct dt_buffer *b, enum dt_history_kind kind, uint64_t ts)
{
	dt_event_clear(ev);
	ev->type = DT_EV_HISTORY;
	ev->has |= DT_HAS_TS | DT_HAS_BUF | DT_HAS_STATE;
	ev->kind = kind;
	ev->ts = ts;
	ev->buf = b->ino;
}

/* The buffer's first map, ended or not, and the devices it knew of: what late-attach judges by. */
static int restate_first_map(const struct dt_buffer *b, struct dt_event *ev, dt_restate_fn fn, void *ctx, int *count)
{
	const struct dt_first_map *f = &b->first_map;
	if (!f->seen)
		return 0;
	history_event(ev, b, DT_HIST_FIRST_MAP, f->ts);
	ev->has |= DT_HAS_ATT;
	ev->att = f->att;
	set_str(&ev->dev, f->dev);
	set_str(&ev->by, f->map_by);
	/* Who mapped, as fields (engine.h, struct dt_caller): the history event's own comm, pid and stack. */
	char frames[DT_CALLER_FRAMES][DT_FRAME_MAX];
	char(*storage)[DT_FRAME_MAX] = ev->stack;
	if (f->who.known) {
		set_str(&ev->comm, f->who.comm);
		if (f->who.has_pid) {
			ev->has |= DT_HAS_PID;
			ev->pid = f->who.pid;
		}
		for (unsigned i = 0; i < f->who.nframes; i++)
			snprintf(frames[i], sizeof(frames[i]), "%s", f->who.frames[i]);
		ev->stack = frames;
		ev->nstack = f->who.nframes;
	}
	if (f->ended) {
		ev->has |= DT_HAS_UNTIL;
		ev->until = f->end_ts;
		ev->detached = f->ended_by_detach;
	}
	int rc = fn(ctx, ev);
	(*count)++;
	ev->stack = storage; /* the caller's storage again, for the events after this one */
	ev->nstack = 0;
	const struct dt_dev_list *lists[] = {&f->placed, &f->late};
	const enum dt_history_kind kinds[] = {DT_HIST_PLACED, DT_HIST_LATE};
	for (int l = 0; l < 2 && rc >= 0; l++) {
		for (size_t i = 0; i < lists[l]->n && rc >= 0; i++) {
			history_event(ev, b, kinds[l], f->ts);
			set_str(&ev->dev, lists[l]->names[i]);
			rc = fn(ctx, ev);
			(*count)++;
		}
	}
	return rc;
}

/* The attachments the buffer keeps after their detach (engine.h), oldest first: an event naming one later is a
 * use after free in the next segment too. */
static int restate_detached(const struct dt_buffer *b, struct dt_event *ev, dt_restate_fn fn, void *ctx, int *count)
{
	int rc = 0;
	for (unsigned i = 0; i < DT_DETACHED_KEPT && rc >= 0; i++) {
		const struct dt_attachment *a = b->detached[(b->detached_next + i) % DT_DETACHED_KEPT];
		if (!a)
			continue;
		history_event(ev, b, DT_HIST_DETACHED, a->detach_ts);
		ev->has |= DT_HAS_ATT;
		ev->att = a->id;
		set_str(&ev->dev, a->dev);
		set_str(&ev->driver, a->driver);
		set_str(&ev->bus, a->bus);
		ev->detached = a->map_depth > 0; /* detached while mapped: a late unmap from before corrects it */
		rc = fn(ctx, ev);
		(*count)++;
	}
	return rc;
}

int dt_restate(const struct dt_engine *e, dt_restate_fn fn, void *ctx)
{
	struct collect c = {0};
	dt_engine_foreach_buffer(e, collect_buffer, &c);
	if (c.oom) {
		free(c.v);
		return -1;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), by_first_seq);
	size_t natt;
	const struct dt_attachment **atts = dt_engine_attachments(e, &natt); /* attach order */
	struct dt_event *ev = calloc(1, sizeof(*ev));
	struct u64map last_live = {0};
	int count = 0, rc = 0;
	if (!ev || (natt && !atts)) {
		rc = -1;
		goto out;
	}
	if (dt_engine_after_loss(e)) {
		/* Events were lost earlier in the run: the findings that follow stay marked incomplete. */
		dt_event_clear(ev);
		ev->type = DT_EV_LOST;
		ev->has |= DT_HAS_TS | DT_HAS_COUNT | DT_HAS_STATE;
		ev->ts = dt_engine_stats(e)->last_ts;
		if (dt_engine_stats(e)->ids_lost) /* what the release and unknown-attachment rules still need */
			ev->cause = DT_LOST_ATT_IDS;
		rc = fn(ctx, ev);
		count++;
	}
	for (size_t i = 0; i < c.n && rc >= 0; i++) {
		export_event(ev, c.v[i]);
		rc = fn(ctx, ev);
		count++;
	}
	for (size_t i = 0; i < natt && rc >= 0; i++) {
		attach_event(ev, atts[i]);
		rc = fn(ctx, ev);
		count++;
	}
	for (size_t i = 0; i < c.n && rc >= 0; i++) {
		rc = restate_first_map(c.v[i], ev, fn, ctx, &count);
		if (rc >= 0)
			rc = restate_detached(c.v[i], ev, fn, ctx, &count);
	}
	/* Live mappings in the order they went live (the first map is restated above). The last one of a
	 * buffer becomes its last known layout when read back: noted to tell where that is wrong. */
	if (natt)
		qsort(atts, natt, sizeof(*atts), by_live_since);
	for (size_t i = 0; i < natt && rc >= 0; i++) {
		const struct dt_attachment *a = atts[i];
		if (a->map_depth && u64map_put(&last_live, a->buf->ino, (void *)a) < 0)
			rc = -1;
		for (unsigned d = 0; d < a->map_depth && rc >= 0; d++) {
			map_event(ev, a, d == 0 ? a->live_since_ts : a->map.ts);
			rc = fn(ctx, ev);
			count++;
		}
	}
	/* The last known layout where no live mapping restates it: the latest mapper unmapped or detached. */
	for (size_t i = 0; i < c.n && rc >= 0; i++) {
		const struct dt_buffer *b = c.v[i];
		const struct dt_mapping *m = dt_buffer_last_map(b);
		if (!m || (b->last_mapper && u64map_get(&last_live, b->ino) == b->last_mapper))
			continue;
		history_event(ev, b, DT_HIST_LAYOUT, m->ts);
		mapping_fields(ev, m);
		rc = fn(ctx, ev);
		count++;
	}
out:
	u64map_free(&last_live);
	free(ev);
	free(atts);
	free(c.v);
	return rc < 0 ? rc : count;
}

// SPDX-License-Identifier: Apache-2.0
/* Ring-buffer records (include/dmabuf_trace_abi.h) -> struct dt_event, with kernel stacks
 * symbolized from /proc/kallsyms and lost-record accounting. */
#include "capture/capture_internal.h"
#include "dmabuf_trace.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdio.h>

/* Copies a kernel string field (NUL-terminated within max) into an event string. */
static void str_set(struct dt_str *d, const char *s, size_t max)
{
	dt_str_set(d, s, strnlen(s, max));
}

static void ev_reset(struct dt_capture *c)
{
	/* the consumer's slot when it gives one (record's reorder window decodes in place), else our own */
	struct dt_event *slot = c->slot ? c->slot(c->slot_ctx) : NULL;
	c->evp = slot ? slot : &c->ev;
	dt_event_clear(c->evp);
	c->evp->segs = c->segs;
	c->evp->stack = c->stack;
}

static enum dt_dma_dir kdir(uint32_t d)
{
	switch (d) {
	case 0: return DT_DIR_BIDIRECTIONAL;
	case 1: return DT_DIR_TO_DEVICE;
	case 2: return DT_DIR_FROM_DEVICE;
	default: return DT_DIR_UNSET;
	}
}

static bool skip_frame(const struct dt_ksym *s)
{
	if (!s)
		return false;
	if (s->mod && !strcmp(s->mod, "bpf"))
		return true;
	return !strncmp(s->name, "bpf_prog_", 9) || !strncmp(s->name, "bpf_trampoline_", 15);
}

uint32_t dt_symc_slot(const uint64_t *ips, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ ips[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)h & (SYMC_SLOTS - 1);
}

static void symbolize(struct dt_capture *c, const struct dt_rec_stack *st)
{
	uint32_t n = st->nstack < DT_ABI_STACK_MAX ? st->nstack : DT_ABI_STACK_MAX;
	bool unresolved = false;
	struct symc *sc = NULL;

	if (!n)
		goto sym;
	if (!c->symc)
		c->symc = calloc(SYMC_SLOTS, sizeof(*c->symc));
	if (c->symc) {
		/* Two ways: the BPF programs' frames (new addresses at every load) are part of the key, so two of a
		 * run's few stacks can share a hash; direct-mapped, they evicted each other at every event (seen: 8002
		 * of 16000 stacks symbolized uncached, the recorder's CPU doubled). */
		uint32_t slot = dt_symc_slot(st->ips, n);
		struct symc *a = &c->symc[slot], *b = &c->symc[slot ^ 1];
		if (a->nips == n && !memcmp(a->ips, st->ips, n * sizeof(st->ips[0])))
			sc = a;
		else if (b->nips == n && !memcmp(b->ips, st->ips, n * sizeof(st->ips[0])))
			sc = b;
		if (sc) {
			sc->used = ++c->symc_clock;
			c->evp->nstack = sc->nframes;
			c->evp->stack = sc->frames;
			c->evp->stack_plain = sc->plain;
			memcpy(c->evp->stack_len, sc->lens, sizeof(sc->lens));
			return;
		}
		/* miss: an empty way, else the one used longer ago */
		sc = !a->nips ? a : !b->nips ? b : a->used <= b->used ? a : b;
	}
	for (uint32_t i = 0; i < n; i++)
		if (!dt_ksyms_find(c->ksyms, st->ips[i]))
			unresolved = true;
	c->rstats.stacks_uncached++;
	if (unresolved && time(NULL) - c->ksyms_reloaded >= 2) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct dt_ksyms *k = dt_ksyms_load(NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		c->rstats.ksyms_reloads++;
		c->rstats.ksyms_reload_ms += (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (k) {
			dt_ksyms_free(c->ksyms);
			c->ksyms = k;
			if (c->symc)
				memset(c->symc, 0, SYMC_SLOTS * sizeof(*c->symc));
		}
		c->ksyms_reloaded = time(NULL);
		unresolved = false;
		for (uint32_t i = 0; i < n; i++)
			if (!dt_ksyms_find(c->ksyms, st->ips[i]))
				unresolved = true;
	}
sym:
	c->evp->nstack = 0;
	c->evp->stack = c->stack;
	for (uint32_t i = 0; i < n && c->evp->nstack < DT_STACK_MAX; i++) {
		const struct dt_ksym *s = dt_ksyms_find(c->ksyms, st->ips[i]);

		if (skip_frame(s))
			continue;
		/* Innermost frame = first caller outside the dma-buf core, the same in
		 * every mode: fexit stacks start in the hooked function, kretprobe stacks
		 * at its caller, and _unlocked wrappers add one more dma_buf_ frame. */
		if (!c->evp->nstack && s && !s->mod && !strncmp(s->name, "dma_buf_", 8))
			continue;
		if (!dt_ksyms_format(c->ksyms, st->ips[i], c->stack[c->evp->nstack], DT_FRAME_MAX))
			unresolved = true; /* "?" */
		c->evp->nstack++;
	}
	dt_event_learn_stack(c->evp);
	if (sc && !unresolved) {
		sc->used = ++c->symc_clock;
		sc->nips = n;
		memcpy(sc->ips, st->ips, n * sizeof(st->ips[0]));
		sc->nframes = c->evp->nstack;
		memcpy(sc->frames, c->stack, c->evp->nstack * sizeof(c->stack[0]));
		sc->plain = c->evp->stack_plain;
		memcpy(sc->lens, c->evp->stack_len, sizeof(sc->lens));
	}
}

static int deliver(struct dt_capture *c)
{
	int r = c->fn ? c->fn(c->fnctx, c->evp) : 0;

	c->delivered++;
	if (r)
		c->stop = r;
	return r ? -ECANCELED : 0;
}

static void set_size(struct dt_event *ev, uint64_t size)
{
	if (size) {
		ev->size = size;
		ev->has |= DT_HAS_SIZE;
	}
}

static void decode_hdr(struct dt_event *ev, const struct dt_rec_hdr *h)
{
	ev->ts = h->ts;
	ev->pid = h->pid;
	ev->tid = h->tid;
	ev->cpu = h->cpu;
	ev->has = DT_HAS_PID | DT_HAS_TID | DT_HAS_CPU;
	str_set(&ev->comm, h->comm, sizeof(h->comm));
	if (h->flags & DT_RF_BUF) {
		ev->buf = h->ino;
		ev->has |= DT_HAS_BUF;
	}
	if (h->flags & DT_RF_ATT) {
		ev->att = h->att;
		ev->has |= DT_HAS_ATT;
	}
	if (h->flags & DT_RF_ERR) {
		ev->err = h->err;
		ev->has |= DT_HAS_ERR;
	}
}

static bool decode_export(struct dt_capture *c, const void *data, size_t len)
{
	const struct dt_rec_export *r = data;
	struct dt_event *ev = c->evp;

	if (len < sizeof(*r))
		return false;
	ev->type = DT_EV_EXPORT;
	set_size(ev, r->size);
	if (r->exp_name[0])
		str_set(&ev->exporter, r->exp_name, sizeof(r->exp_name));
	if (r->name[0])
		str_set(&ev->name, r->name, sizeof(r->name));
	return true;
}

static bool decode_attach(struct dt_capture *c, const void *data, size_t len)
{
	const struct dt_rec_attach *r = data;
	struct dt_event *ev = c->evp;

	if (len < sizeof(*r))
		return false;
	ev->type = DT_EV_ATTACH;
	set_size(ev, r->size);
	str_set(&ev->dev, r->dev, sizeof(r->dev));
	if (r->aflags & DT_AF_DRIVER)
		str_set(&ev->driver, r->driver, sizeof(r->driver));
	if (r->aflags & DT_AF_BUS)
		str_set(&ev->bus, r->bus, sizeof(r->bus));
	ev->dynamic = r->aflags & DT_AF_DYNAMIC;
	ev->dma_parms = r->aflags & DT_AF_DMA_PARMS;
	ev->max_seg_size = r->max_seg_size;
	ev->seg_boundary_mask = r->seg_boundary_mask;
	if (r->bufname[0])
		str_set(&ev->name, r->bufname, sizeof(r->bufname));
	ev->has |= DT_HAS_DMA_PARMS | DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY;
	if (r->h.flags & DT_RF_STACK)
		symbolize(c, &r->st);
	return true;
}

/* The walk's results. A walk cut at its bound (--max-walk, or 128 segments where bpf_loop is
 * missing) leaves only the kernel's counts and the carried segments as facts: the longest
 * segment, total length, contiguity and crossings are unknown ("cannot tell"). */
static void decode_walk(struct dt_capture *c, const struct dt_rec_map *r)
{
	struct dt_event *ev = c->evp;

	ev->nents = r->nents;
	ev->orig_nents = r->orig_nents;
	ev->nsegs = r->nsegs < DT_ABI_SEGS_MAX ? r->nsegs : DT_ABI_SEGS_MAX;
	for (uint32_t i = 0; i < ev->nsegs; i++) {
		c->segs[i].addr = r->segs[i].addr;
		c->segs[i].len = r->segs[i].len;
	}
	ev->has |= DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_SEGS;
	if (r->mflags & DT_MF_WALK_CUT) {
		ev->segs_total = r->nents;
		ev->walked = r->segs_total;
		ev->has |= DT_HAS_WALK_CAPPED;
		return;
	}
	ev->segs_total = r->segs_total;
	ev->max_seg = r->max_seg;
	ev->total_len = r->total_len;
	ev->boundary_crossings = r->crossings;
	ev->contiguous = r->mflags & DT_MF_CONTIGUOUS;
	ev->has |= DT_HAS_MAX_SEG | DT_HAS_TOTAL_LEN | DT_HAS_CONTIGUOUS | DT_HAS_CROSSINGS;
}

static bool decode_map(struct dt_capture *c, const void *data, size_t len)
{
	const struct dt_rec_map *r = data;
	struct dt_event *ev = c->evp;
	size_t segs = r->nsegs < DT_ABI_SEGS_MAX ? r->nsegs : DT_ABI_SEGS_MAX;

	if (len < offsetof(struct dt_rec_map, segs) + segs * sizeof(r->segs[0]))
		return false;
	ev->type = DT_EV_MAP;
	ev->dir = kdir(r->dir);
	c->dma_calls = r->dma_calls;
	c->dma_ents = r->dma_ents;
	c->dma_armed = r->mflags & DT_MF_DMA_HOOK;
	set_size(ev, r->size);
	ev->cached = r->mflags & DT_MF_CACHED;
	/* without attach->sgt (6.15+, bpf/core_fixes.bpf.h get_attach_sgt) a cached mapping cannot be told
	 * from a fresh one: say so rather than write "not cached" */
	if (!(r->mflags & DT_MF_SGT_FIELD) && !(r->h.flags & DT_RF_ERR))
		ev->has |= DT_HAS_CACHED_UNKNOWN;
	if (r->bufname[0])
		str_set(&ev->name, r->bufname, sizeof(r->bufname));
	if (r->mflags & DT_MF_WALKED)
		decode_walk(c, r);
	if (r->h.flags & DT_RF_STACK)
		symbolize(c, &r->st);
	return true;
}

static bool decode_simple(struct dt_capture *c, uint32_t type, const void *data, size_t len)
{
	static const enum dt_event_type ev_type[] = {
		[DT_REC_UNMAP] = DT_EV_UNMAP, [DT_REC_DETACH] = DT_EV_DETACH, [DT_REC_RELEASE] = DT_EV_RELEASE,
		[DT_REC_VMAP] = DT_EV_VMAP,   [DT_REC_VUNMAP] = DT_EV_VUNMAP,
	};
	const struct dt_rec_simple *r = data;

	if (len < sizeof(*r))
		return false;
	c->evp->type = ev_type[type];
	set_size(c->evp, r->size);
	if (type == DT_REC_UNMAP)
		c->evp->dir = kdir(r->dir);
	return true;
}

static int on_lost_record(struct dt_capture *c, const struct dt_rec_lost *r);

#define LOST_CHECK_MS 5.0

static double mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

int dt_capture_on_sample(void *ctx, void *data, size_t len)
{
	struct dt_capture *c = ctx;
	const struct dt_rec_hdr *h = data;
	bool ok;

	if (len < sizeof(*h))
		return 0;
	if (h->type == DT_REC_LOST)
		return len < sizeof(struct dt_rec_lost) ? 0 : on_lost_record(c, data);
	ev_reset(c);
	decode_hdr(c->evp, h);
	switch (h->type) {
	case DT_REC_EXPORT: ok = decode_export(c, data, len); break;
	case DT_REC_ATTACH: ok = decode_attach(c, data, len); break;
	case DT_REC_MAP: ok = decode_map(c, data, len); break;
	case DT_REC_UNMAP:
	case DT_REC_DETACH:
	case DT_REC_RELEASE:
	case DT_REC_VMAP:
	case DT_REC_VUNMAP: ok = decode_simple(c, h->type, data, len); break;
	default: ok = false; break;
	}
	int r = ok ? deliver(c) : 0;
	/* Under a sustained flood the ring never drains: report losses close to where they happened, every
	 * LOST_CHECK_MS (well inside the reorder window). Reading the counters takes a syscall per hook (the
	 * lost map, each program's recursion misses), too many to make every 64 events of a flood: the clock is
	 * looked at every 64 events and the counters read at most every LOST_CHECK_MS. After this record is
	 * delivered: libbpf has consumed it already, so a stop that a lost event asks for must not drop it. */
	if (!r && ++c->since_lost_check >= 64) {
		c->since_lost_check = 0;
		if (mono_ms() - c->lost_checked_ms >= LOST_CHECK_MS) {
			dt_capture_check_lost(c);
			if (c->stop)
				return -ECANCELED;
		}
	}
	return r;
}

static const enum dt_lost_cause cause_event[DT_CAUSE__COUNT] = {
	[DT_RC_RING] = DT_LOST_RING, [DT_RC_SCRATCH] = DT_LOST_SCRATCH, [DT_RC_NO_ENTRY] = DT_LOST_NO_ENTRY,
	[DT_RC_NESTED] = DT_LOST_NESTED, [DT_RC_ATT_IDS] = DT_LOST_ATT_IDS, [DT_CAUSE_RECURSION] = DT_LOST_RECURSION,
	[DT_CAUSE_KPROBE_MISSED] = DT_LOST_KPROBE_MISSED,
};

/* Sums the BPF side's per-CPU drop counters; first[] gets the earliest unreported drop's time (0: none). */
static bool read_loss_totals(struct dt_capture *c, uint64_t total[DT_RC__COUNT], uint64_t first[DT_RC__COUNT])
{
	uint32_t key = 0;

	memset(total, 0, DT_RC__COUNT * sizeof(total[0]));
	memset(first, 0, DT_RC__COUNT * sizeof(first[0]));
	if (!c->lossbuf)
		c->lossbuf = calloc(c->ncpus, sizeof(*c->lossbuf));
	if (!c->checked)
		c->checked = calloc(c->ncpus, sizeof(*c->checked));
	if (!c->lossbuf || !c->checked || bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.lost), &key, c->lossbuf))
		return false;
	for (int i = 0; i < c->ncpus; i++)
		for (int k = 0; k < DT_RC__COUNT; k++) {
			total[k] += c->lossbuf[i].total[k];
			if (c->lossbuf[i].first_ts[k] && (!first[k] || c->lossbuf[i].first_ts[k] < first[k]))
				first[k] = c->lossbuf[i].first_ts[k];
		}
	return true;
}

uint64_t dt_capture_folded_total(struct dt_capture *c)
{
	uint64_t total[DT_RC__COUNT], first[DT_RC__COUNT], n = 0;

	if (read_loss_totals(c, total, first))
		for (int i = 0; i < c->ncpus; i++)
			n += c->lossbuf[i].folded;
	return n;
}

bool dt_capture_att_ids(struct dt_capture *c, uint64_t *stale_removed, int64_t *held)
{
	if (!c->skel || !c->skel->bss)
		return false;
	*stale_removed = __atomic_load_n(&c->skel->bss->att_stale_removed, __ATOMIC_RELAXED);
	*held = __atomic_load_n(&c->skel->bss->att_held, __ATOMIC_RELAXED);
	return true;
}

bool dt_capture_ret_sp_seen(struct dt_capture *c, uint64_t seen[3])
{
	if (!c->skel || !c->skel->bss)
		return false;
	for (int i = 0; i < 3; i++)
		seen[i] = __atomic_load_n(&c->skel->bss->ret_sp_seen[i], __ATOMIC_RELAXED);
	return seen[0] || seen[1] || seen[2];
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void deliver_lost(struct dt_capture *c, int cause, uint64_t ts, uint64_t count, bool known, int64_t cpu)
{
	ev_reset(c);
	c->evp->type = DT_EV_LOST;
	c->evp->ts = ts;
	c->evp->count = count;
	c->evp->has = DT_HAS_COUNT | (known ? 0 : DT_HAS_COUNT_UNKNOWN);
	if (cpu >= 0) {
		c->evp->cpu = cpu;
		c->evp->has |= DT_HAS_CPU;
	}
	c->evp->cause = cause_event[cause];
	c->written[cause] += count;
	c->lost_total += count;
	deliver(c);
}

/* A DT_REC_LOST record: drops on one CPU, placed where the first happened. Preempted programs on
 * one CPU may report a drop twice: the exact per-cause totals bound what is delivered. */
static int on_lost_record(struct dt_capture *c, const struct dt_rec_lost *r)
{
	uint64_t total[DT_RC__COUNT], first[DT_RC__COUNT], n = r->count;
	bool known = true;

	if (r->cause >= DT_RC__COUNT || !n)
		return 0;
	if (c->checked && r->h.cpu < (uint32_t)c->ncpus) { /* what a loss check delivered already */
		uint64_t *done = &c->checked[r->h.cpu].n[r->cause], overlap = n < *done ? n : *done;
		n -= overlap;
		*done -= overlap;
		if (!*done)
			c->checked[r->h.cpu].first_ts[r->cause] = 0;
		if (!n)
			return 0;
	}
	if (read_loss_totals(c, total, first)) {
		uint64_t allowed = total[r->cause] > c->written[r->cause] ? total[r->cause] - c->written[r->cause] : 0;
		if (n > allowed)
			n = allowed;
	} else {
		known = false; /* the counters could not be read: the record's own count, unchecked */
	}
	if (!n)
		return 0;
	deliver_lost(c, r->cause, r->h.ts, n, known, r->h.cpu);
	return c->stop ? -ECANCELED : 0;
}

/* Drops the BPF side counted but has not put into the stream (no record on that CPU since), and the
 * kernel's own miss counters. */
/* every: deliver every cause, whatever the callback asks (the last check, after the last poll) */
static void check_lost(struct dt_capture *c, bool every)
{
	uint64_t total[DT_RC__COUNT], first[DT_RC__COUNT], rec, km;

	c->since_lost_check = 0;
	c->lost_checked_ms = mono_ms();
	if (read_loss_totals(c, total, first)) {
		/* Per CPU, what no record put into the ring yet (total - reported), at that CPU's first drop: a record
		 * already in the ring brings its own time and CPU when it is read. */
		for (int i = 0; i < c->ncpus; i++)
			for (int k = 0; k < DT_RC__COUNT && (every || !c->stop); k++) {
				const struct dt_lossctr *l = &c->lossbuf[i];
				struct dt_loss_checked *ck = &c->checked[i];
				uint64_t unrep = l->total[k] > l->reported[k] ? l->total[k] - l->reported[k] : 0;
				uint64_t n = unrep > ck->n[k] ? unrep - ck->n[k] : 0;
				uint64_t allowed = total[k] > c->written[k] ? total[k] - c->written[k] : 0;
				if (n > allowed) /* a preempted flush may report a drop twice: the exact totals bound it */
					n = allowed;
				if (!n)
					continue;
				/* drops after the ones this time already placed happened since the last check */
				uint64_t ts = l->first_ts[k] && l->first_ts[k] != ck->first_ts[k] ? l->first_ts[k] : boot_ns();
				ck->n[k] += n;
				ck->first_ts[k] = l->first_ts[k];
				deliver_lost(c, k, ts, n, true, i);
			}
		/* The last check: records still in the ring will not be read, so what they hold goes now. */
		for (int k = 0; k < DT_RC__COUNT && every; k++)
			if (total[k] > c->written[k])
				deliver_lost(c, k, boot_ns(), total[k] - c->written[k], true, -1);
	}
	dt_capture_kernel_misses(c, &rec, &km);
	if (rec > c->written[DT_CAUSE_RECURSION] && (every || !c->stop))
		deliver_lost(c, DT_CAUSE_RECURSION, boot_ns(), rec - c->written[DT_CAUSE_RECURSION], true, -1);
	if (km > c->written[DT_CAUSE_KPROBE_MISSED] && (every || !c->stop))
		deliver_lost(c, DT_CAUSE_KPROBE_MISSED, boot_ns(), km - c->written[DT_CAUSE_KPROBE_MISSED], true, -1);
}

void dt_capture_check_lost(struct dt_capture *c)
{
	check_lost(c, false);
}

void dt_capture_report_losses(struct dt_capture *c)
{
	if (c->fn)
		check_lost(c, true);
}

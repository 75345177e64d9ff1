/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "engine/engine.h"
#include "engine/kernel_limits.h"

struct dt_engine {
	struct dt_engine_opts opts;
	struct u64map buffers;     /* ino -> struct dt_buffer */
	struct u64map attachments; /* att id -> struct dt_attachment */
	struct dt_engine_stats stats;
	bool after_loss;
	bool redacted; /* dt_engine_set_redacted */
	bool restoring; /* applying a daemon segment's restated state: rebuild, report no transition */
	bool have_ts; /* stats.first_ts is set */
	/* Detached attachments kept for the next attach (linked by next): most traces attach the same devices
	 * again and again, so the struct and its dev/driver/bus strings are reused instead of freed and made. */
	struct dt_attachment *spare;
	unsigned nspare;
	char err[256];
};

#define SPARE_ATTACHMENTS 32

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts)
{
	struct dt_engine *e = calloc(1, sizeof(*e));
	if (e)
		e->opts = *opts;
	return e;
}

const char *dt_engine_error(const struct dt_engine *e) { return e->err; }

const struct dt_mapping *dt_buffer_last_map(const struct dt_buffer *b)
{
	return b->last_mapper ? &b->last_mapper->map : b->have_kept_map ? &b->kept_map : NULL;
}
const struct dt_engine_stats *dt_engine_stats(const struct dt_engine *e) { return &e->stats; }
bool dt_engine_after_loss(const struct dt_engine *e) { return e->after_loss; }
void dt_engine_set_redacted(struct dt_engine *e, bool redacted) { e->redacted = redacted; }

bool dt_dev_list_has(const struct dt_dev_list *l, const char *dev)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->names[i], dev) == 0)
			return true;
	return false;
}

static int dev_list_add(struct dt_dev_list *l, const char *dev)
{
	if (dt_dev_list_has(l, dev))
		return 0;
	char **grown = realloc(l->names, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	l->names = grown;
	if (!(l->names[l->n] = strdup(dev)))
		return -1;
	l->n++;
	return 0;
}

static void dev_list_free(struct dt_dev_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	*l = (struct dt_dev_list){0};
}

static char *dup_str(const struct dt_str *s)
{
	return s->set ? strndup(s->s, s->len) : NULL;
}

static void caller_free(struct dt_caller *c)
{
	free(c->comm);
	for (unsigned i = 0; i < c->nframes; i++)
		free(c->frames[i]);
	memset(c, 0, sizeof(*c));
}

/* Reports a transition to the observer (the rules). */
static void report(struct dt_engine *e, enum dt_transition_kind kind, const struct dt_event *ev,
		   const struct dt_buffer *buf, const struct dt_attachment *att)
{
	if (!e->opts.on_transition || e->restoring)
		return; /* restated state was judged when it happened, in an earlier segment */
	struct dt_transition t = {kind, ev, buf, att, e->after_loss, &e->stats};
	e->opts.on_transition(e->opts.transition_ctx, &t);
}

static void free_attachment(struct dt_attachment *a)
{
	free(a->dev);
	free(a->driver);
	free(a->bus);
	free(a->map.segs);
	free(a->map_by);
	free(a);
}

/* A detached attachment: kept as a spare (its strings too) or freed. */
static void retire_attachment(struct dt_engine *e, struct dt_attachment *a)
{
	if (e->nspare >= SPARE_ATTACHMENTS) {
		free_attachment(a);
		return;
	}
	free(a->map.segs);
	free(a->map_by);
	a->map.segs = NULL;
	a->map_by = NULL;
	a->next = e->spare;
	e->spare = a;
	e->nspare++;
}

/* s as a new attachment string: the spare's old copy when it holds the same bytes, else a new one
 * (strndup, as dup_str); *old is consumed. NULL for an unset s or out of memory. */
static char *reuse_str(char **old, const char *s, size_t len, bool set)
{
	char *o = *old;
	*old = NULL;
	if (set && o && strncmp(o, s, len) == 0 && o[strnlen(s, len)] == '\0')
		return o;
	free(o);
	return set ? strndup(s, len) : NULL;
}

static void unlink_attachment(struct dt_engine *e, struct dt_attachment *a)
{
	struct dt_buffer *b = a->buf;
	if (b->last_mapper == a) {
		/* Keep the last known layout: take over the mapping (segments included) instead of copying. */
		free(b->kept_map.segs);
		b->kept_map = a->map;
		b->have_kept_map = true;
		b->last_mapper = NULL;
		a->map.segs = NULL;
		a->map.nsegs = 0;
	}
	for (struct dt_attachment **p = &b->atts; *p; p = &(*p)->next) {
		if (*p == a) {
			*p = a->next;
			break;
		}
	}
	b->n_atts--;
	u64map_del(&e->attachments, a->id);
	e->stats.live_attachments--;
}

/* A detached attachment of b, kept among its last DT_DETACHED_KEPT (the oldest one retired for it). */
static void keep_detached(struct dt_engine *e, struct dt_buffer *b, struct dt_attachment *a, uint64_t ts)
{
	free(a->map.segs);
	a->map.segs = NULL;
	a->map.nsegs = 0;
	a->detach_ts = ts;
	a->next = NULL;
	struct dt_attachment **slot = &b->detached[b->detached_next];
	if (*slot)
		retire_attachment(e, *slot);
	*slot = a;
	b->detached_next = (b->detached_next + 1) % DT_DETACHED_KEPT;
}

/* b's kept detached attachment with this id, or NULL; *at (if given): its slot. */
static struct dt_attachment *find_detached(struct dt_buffer *b, uint64_t id, unsigned *at)
{
	for (unsigned i = 0; i < DT_DETACHED_KEPT; i++)
		if (b->detached[i] && b->detached[i]->id == id) {
			if (at)
				*at = i;
			return b->detached[i];
		}
	return NULL;
}

static void free_buffer(struct dt_engine *e, struct dt_buffer *b, const struct dt_event *ev)
{
	report(e, DT_TR_BUFFER_GONE, ev, b, NULL);
	while (b->atts) {
		struct dt_attachment *a = b->atts;
		unlink_attachment(e, a);
		retire_attachment(e, a);
	}
	for (unsigned i = 0; i < DT_DETACHED_KEPT; i++)
		if (b->detached[i])
			retire_attachment(e, b->detached[i]);
	u64map_del(&e->buffers, b->ino);
	e->stats.live_buffers--;
	free(b->kept_map.segs);
	free(b->first_map.dev);
	free(b->first_map.map_by);
	caller_free(&b->first_map.who);
	dev_list_free(&b->first_map.placed);
	dev_list_free(&b->first_map.late);
	free(b->exporter);
	free(b->name);
	free(b);
}

static struct dt_buffer *new_buffer(struct dt_engine *e, const struct dt_event *ev, bool provisional)
{
	struct dt_buffer *b = calloc(1, sizeof(*b));
	if (!b || u64map_put(&e->buffers, ev->buf, b) < 0) {
		free(b);
		snprintf(e->err, sizeof(e->err), "out of memory");
		return NULL;
	}
	b->ino = ev->buf;
	b->provisional = provisional;
	b->first_ts = ev->ts;
	b->first_seq = ev->seq;
	e->stats.buffers++;
	e->stats.live_buffers++;
	return b;
}

/* The buffer an event refers to; a provisional one if its export was not recorded. */
static struct dt_buffer *buffer_for(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = u64map_get(&e->buffers, ev->buf);
	if (!b)
		b = new_buffer(e, ev, true);
	if (!b)
		return NULL;
	/* Names are set with DMA_BUF_SET_NAME after export: later events carry the current one. */
	if (ev->name.set && (!b->name || strcmp(b->name, ev->name.s) != 0)) {
		free(b->name);
		b->name = dup_str(&ev->name);
	}
	if (!b->size && (ev->has & DT_HAS_SIZE))
		b->size = ev->size;
	return b;
}

/* Limits the importer's kernel code implies, recognised from the event's stack; the profile overrides them. */
static void apply_kernel_limits(struct dt_attachment *a, const struct dt_event *ev)
{
	if (!ev->nstack || !(dt_kernel_limit_bits() & ~a->lim_profile & ~a->lim_implied))
		return; /* nothing the stack could add (every map of a vb2-dma-contig importer after its attach) */
	const struct dt_kernel_limit *k = dt_kernel_limit_for_stack(ev->stack, ev->nstack);
	unsigned bits = k ? k->set & ~a->lim_profile & ~a->lim_implied : 0;
	if (!bits)
		return;
	if (bits & DT_LIM_CONTIGUOUS)
		a->lim.contiguous = k->contiguous;
	a->lim.set |= bits;
	a->lim_implied |= bits;
	a->implied_by = k->source;
}

static struct dt_attachment *new_attachment(struct dt_engine *e, struct dt_buffer *b, const struct dt_event *ev,
					    bool provisional)
{
	struct dt_attachment *a = e->spare;
	char *dev = NULL, *driver = NULL, *bus = NULL;
	if (a) {
		e->spare = a->next;
		e->nspare--;
		dev = a->dev, driver = a->driver, bus = a->bus;
		memset(a, 0, sizeof(*a));
	} else if (!(a = calloc(1, sizeof(*a)))) {
		goto oom;
	}
	a->dev = provisional ? reuse_str(&dev, "?", 1, true) : reuse_str(&dev, ev->dev.s, ev->dev.len, ev->dev.set);
	a->driver = reuse_str(&driver, ev->driver.s, ev->driver.len, !provisional && ev->driver.set);
	a->bus = reuse_str(&bus, ev->bus.s, ev->bus.len, !provisional && ev->bus.set);
	if (!a->dev || (!provisional && ((ev->driver.set && !a->driver) || (ev->bus.set && !a->bus))) ||
	    u64map_put(&e->attachments, ev->att, a) < 0) {
		free_attachment(a);
		goto oom;
	}
	a->id = ev->att;
	a->buf = b;
	a->provisional = provisional;
	a->attach_ts = ev->ts;
	a->attach_seq = ev->seq;
	a->next = b->atts;
	b->atts = a;
	b->n_atts++;
	e->stats.attachments++;
	e->stats.live_attachments++;
	if (provisional) {
		/* Unknown device: only the profile's catch-all lines can say anything ("" matches no
		 * device= or driver= pattern but "*"). */
		a->lim.max_seg_size = UINT64_MAX;
		a->lim.seg_boundary_mask = UINT64_MAX;
		a->dma_parms = true;
		a->lim_profile = dt_constraints_apply(e->opts.constraints, "", NULL, &a->lim);
		apply_kernel_limits(a, ev);
		return a;
	}
	a->dynamic = ev->dynamic;
	a->kernel_max_seg_size = (ev->has & DT_HAS_MAX_SEG_SIZE) ? ev->max_seg_size : 0;
	a->kernel_seg_boundary_mask = (ev->has & DT_HAS_SEG_BOUNDARY) ? ev->seg_boundary_mask : 0;
	a->dma_parms = (ev->has & DT_HAS_DMA_PARMS) ? ev->dma_parms : true;
	a->limits_untraced = !(ev->has & (DT_HAS_MAX_SEG_SIZE | DT_HAS_DMA_PARMS));
	a->lim.max_seg_size = (ev->has & DT_HAS_MAX_SEG_SIZE) && ev->max_seg_size ? ev->max_seg_size
		: DT_DEFAULT_MAX_SEG_SIZE;
	a->lim.seg_boundary_mask = (ev->has & DT_HAS_SEG_BOUNDARY) && ev->seg_boundary_mask
		? ev->seg_boundary_mask : UINT64_MAX;
	a->lim.set = DT_LIM_MAX_SEG_SIZE | DT_LIM_SEG_BOUNDARY;
	if (ev->has & DT_HAS_SEEDED) {
		/* From a bufinfo snapshot: the device is known, its limits and attach time are not. */
		a->provisional = true;
		a->dma_parms = true;
		a->lim.max_seg_size = a->lim.seg_boundary_mask = UINT64_MAX;
		a->lim.set = 0;
	}
	a->lim_profile = dt_constraints_apply(e->opts.constraints, a->dev, a->driver, &a->lim);
	apply_kernel_limits(a, ev);
	return a;
oom:
	snprintf(e->err, sizeof(e->err), "out of memory");
	return NULL;
}

/* The attachment an event refers to; a provisional one (reported once) if its attach was not recorded. One of b's
 * detached ones (*gone set) if it detached before. */
static struct dt_attachment *attachment_for(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer *b,
					    bool *gone)
{
	struct dt_attachment *a = u64map_get(&e->attachments, ev->att);
	*gone = false;
	if (a) {
		if (a->buf != b) {
			snprintf(e->err, sizeof(e->err), "attachment %" PRIu64 " belongs to buffer %" PRIu64 ", not %" PRIu64,
				 ev->att, a->buf->ino, b->ino);
			return NULL;
		}
		return a;
	}
	if ((a = find_detached(b, ev->att, NULL))) {
		*gone = true;
		return a;
	}
	a = new_attachment(e, b, ev, true);
	if (a)
		report(e, DT_TR_UNKNOWN_ATTACHMENT, ev, b, a);
	return a;
}

static void notify(struct dt_engine *e, const struct dt_event *ev, const struct dt_buffer *b,
		   const struct dt_attachment *a)
{
	if (e->opts.on_event)
		e->opts.on_event(e->opts.ctx, ev, b, a);
}

/* Appends s to out (cap bytes, kept NUL-terminated) as snprintf at out + *n would, *n counting the whole
 * length; describe_caller runs for every map, so no printf. */
static void append(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (*n + 1 < cap) {
		size_t k = len < cap - 1 - *n ? len : cap - 1 - *n;
		memcpy(out + *n, s, k);
		out[*n + k] = '\0';
	}
	*n += len;
}

/* "dma_buf_..." or "__dma_buf_...": a frame of the dma-buf core (no strncmp call: every frame of every map). */
static bool is_dma_buf_core(const char *frame)
{
	if (frame[0] == '_' && frame[1] == '_')
		frame += 2;
	static const char core[] = "dma_buf_";
	for (size_t i = 0; i < sizeof(core) - 1; i++)
		if (frame[i] != core[i])
			return false;
	return true;
}

/* The index of the first frame from i on that names the caller (not the dma-buf core), or nstack: describe_caller,
 * caller_is and caller_set show the first DT_CALLER_FRAMES of them. */
static uint32_t caller_frame(const struct dt_event *ev, uint32_t i)
{
	while (i < ev->nstack && is_dma_buf_core(ev->stack[i]))
		i++;
	return i;
}

/* "[pid]" at the end of pid (no NUL): returns where it starts. */
static const char *bracketed_pid(char pid[24], int64_t value)
{
	char *p = pid + 24;
	uint64_t v = value < 0 ? -(uint64_t)value : (uint64_t)value;
	*--p = ']';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	if (value < 0)
		*--p = '-';
	*--p = '[';
	return p;
}

/* "comm[pid] via f0 <- f1" from the event into out (512 bytes), for naming the code path in findings;
 * false when the event names no task and no frame. */
static bool describe_caller(const struct dt_event *ev, char out[512])
{
	if (!ev->comm.set && !ev->nstack)
		return false;
	size_t n = 0, cap = 512;
	out[0] = '\0';
	if (ev->comm.set) {
		append(out, cap, &n, ev->comm.s, strlen(ev->comm.s));
		if (ev->has & DT_HAS_PID) { /* a trace without pid: the comm alone, not "[0]" (the idle task's) */
			char pid[24];
			const char *p = bracketed_pid(pid, ev->pid);
			append(out, cap, &n, p, (size_t)(pid + sizeof(pid) - p));
		}
	}
	/* The dma-buf core itself is skipped: the caller of interest is the driver above it. */
	for (uint32_t i = caller_frame(ev, 0), shown = 0; i < ev->nstack && shown < DT_CALLER_FRAMES && n < cap;
	     i = caller_frame(ev, i + 1)) {
		const char *sep = shown ? " <- " : (n ? " via " : "via ");
		append(out, cap, &n, sep, strlen(sep));
		append(out, cap, &n, ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX));
		shown++;
	}
	return n > 0; /* no comm and only dma-buf core frames: nothing names the caller */
}

/* The task and frames describe_caller names, as fields (once per buffer: its first map); -1 out of memory. */
static int caller_set(struct dt_caller *c, const struct dt_event *ev)
{
	caller_free(c);
	c->known = true;
	if (ev->comm.set && !(c->comm = dup_str(&ev->comm)))
		return -1;
	c->has_pid = ev->comm.set && (ev->has & DT_HAS_PID);
	c->pid = ev->pid;
	for (uint32_t i = caller_frame(ev, 0); i < ev->nstack && c->nframes < DT_CALLER_FRAMES;
	     i = caller_frame(ev, i + 1)) {
		if (!(c->frames[c->nframes] = strndup(ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX))))
			return -1;
		c->nframes++;
	}
	return 0;
}

/* Whether describe_caller(ev) would write exactly s, found without writing it (set_map_by: the same task
 * mapping again). False too when that text would be cut at 511 bytes: the caller then writes it. */
static bool caller_is(const struct dt_event *ev, const char *s)
{
	if (!ev->comm.set && !ev->nstack)
		return false;
	size_t n = 0;
#define CALLER_PIECE(piece, len)                                                                                \
	do {                                                                                                    \
		size_t k_ = (len);                                                                              \
		if (n + k_ >= 511 || strncmp(s + n, (piece), k_) != 0) /* stops at s's end: no byte past it */ \
			return false;                                                                           \
		n += k_;                                                                                        \
	} while (0)
	if (ev->comm.set) {
		CALLER_PIECE(ev->comm.s, strlen(ev->comm.s));
		if (ev->has & DT_HAS_PID) {
			char pid[24];
			const char *p = bracketed_pid(pid, ev->pid);
			CALLER_PIECE(p, (size_t)(pid + sizeof(pid) - p));
		}
	}
	for (uint32_t i = caller_frame(ev, 0), shown = 0; i < ev->nstack && shown < DT_CALLER_FRAMES;
	     i = caller_frame(ev, i + 1)) {
		const char *sep = shown ? " <- " : (n ? " via " : "via ");
		CALLER_PIECE(sep, strlen(sep));
		CALLER_PIECE(ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX));
		shown++;
	}
#undef CALLER_PIECE
	return s[n] == '\0';
}

/* The mapping task of a new map: the event's "by", else its task and frames. Kept as is when the same as the
 * previous map's (the common case: one task mapping a buffer again and again), instead of freed and copied. */
static void set_map_by(struct dt_attachment *a, const struct dt_event *ev)
{
	char out[512];
	const char *s = NULL;
	size_t len = 0;
	if (ev->by.set) {
		s = ev->by.s;
		len = ev->by.len;
	} else if (a->map_by && caller_is(ev, a->map_by)) {
		return;
	} else if (describe_caller(ev, out)) {
		s = out;
		len = strlen(out);
	}
	if (s && a->map_by && strlen(a->map_by) == len && memcmp(a->map_by, s, len) == 0)
		return;
	free(a->map_by);
	a->map_by = s ? strndup(s, len) : NULL;
}

static int on_export(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = u64map_get(&e->buffers, ev->buf);
	if (b && b->provisional && (ev->has & DT_HAS_LATE)) {
		/* The export of the buffer its earlier events made provisional, arriving after them (late): the
		 * same buffer, not a reused inode. It takes over what the export says. */
		free(b->exporter); /* its name, if later events gave one, is newer than the export's: kept */
		if (b->first_ts > ev->ts) {
			b->first_ts = ev->ts;
			b->first_seq = ev->seq;
		}
	} else {
		if (b) { /* inode reused: its release was lost; start afresh */
			/* Still attached, and nothing said events are missing: say it, and what is forgotten. (Without
			 * attachments only the release is missing: ftrace tracepoint logs have none.) */
			if (!e->after_loss && b->n_atts) {
				report(e, DT_TR_RELEASE_NOT_TRACED, ev, b, NULL);
				e->after_loss = true;
			}
			free_buffer(e, b, ev);
		}
		b = new_buffer(e, ev, false);
		if (!b)
			return -1;
	}
	b->size = ev->size;
	b->provisional = (ev->has & DT_HAS_SEEDED) != 0; /* exported before tracing started */
	/* A restated buffer whose export was never seen has no exporter: written as "". */
	b->exporter = e->restoring && !ev->exporter.len ? NULL : dup_str(&ev->exporter);
	bool declared;
	b->exporter_contiguous = dt_constraints_exporter_contiguous(e->opts.constraints, b->exporter, &declared);
	if (!b->name)
		b->name = dup_str(&ev->name);
	notify(e, ev, b, NULL);
	return 0;
}

/* By kernel time: only a late event (out of ts order) has attachments attached after it. */
static bool attached_after(const struct dt_attachment *a, const struct dt_event *ev)
{
	return !a->provisional && a->attach_ts > ev->ts;
}

/* After the rules judged its attach: a device attaching after the buffer's first map is late once. */
static int mark_late(struct dt_engine *e, struct dt_buffer *b, const struct dt_attachment *a)
{
	const struct dt_first_map *f = &b->first_map;
	if (f->seen && strcmp(f->dev, a->dev) != 0 && !dt_dev_list_has(&f->placed, a->dev) &&
	    dev_list_add(&b->first_map.late, a->dev) < 0) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	return 0;
}

static int on_attach(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = buffer_for(e, ev);
	if (!b)
		return -1;
	if (ev->has & DT_HAS_ERR) {
		report(e, DT_TR_ATTACH_FAILED, ev, b, NULL);
		notify(e, ev, b, NULL);
		return 0;
	}
	if (u64map_get(&e->attachments, ev->att)) {
		snprintf(e->err, sizeof(e->err), "attachment %" PRIu64 " attached again while still attached", ev->att);
		return -1;
	}
	unsigned at;
	struct dt_attachment *gone = find_detached(b, ev->att, &at);
	if (gone) { /* its id reused (a pointer the kernel handed out again): the new attachment's now */
		b->detached[at] = NULL;
		retire_attachment(e, gone);
	}
	struct dt_attachment *a = new_attachment(e, b, ev, false);
	if (!a)
		return -1;
	/* Late (two CPUs raced past the reorder window) from before the first map: the exporter knew it. */
	struct dt_first_map *f = &b->first_map;
	if (f->seen && ev->ts < f->ts && dev_list_add(&f->placed, a->dev) < 0) { /* once per device: the list says */
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	report(e, DT_TR_ATTACH, ev, b, a);
	if (mark_late(e, b, a) < 0)
		return -1;
	notify(e, ev, b, a);
	return 0;
}

/* Returns -1 when out of memory for the segments. */
static int store_mapping(const struct dt_engine *e, struct dt_attachment *a, const struct dt_event *ev)
{
	struct dt_mapping *m = &a->map;
	m->addrs_redacted = e->redacted;
	m->ts = ev->ts;
	m->seq = ev->seq;
	m->nents = ev->nents;
	m->orig_nents = ev->has & DT_HAS_ORIG_NENTS ? ev->orig_nents : ev->nents;
	m->segs_total = ev->has & DT_HAS_SEGS_TOTAL ? ev->segs_total : ev->nents;
	m->max_seg_known = ev->has & DT_HAS_MAX_SEG;
	m->max_seg = ev->max_seg;
	m->total_len = ev->total_len;
	m->cached = ev->cached;
	m->crossings_known = ev->has & DT_HAS_CROSSINGS;
	m->crossings = ev->boundary_crossings;
	if (m->nsegs != ev->nsegs) {
		free(m->segs);
		m->segs = ev->nsegs ? malloc(ev->nsegs * sizeof(*m->segs)) : NULL;
		if (ev->nsegs && !m->segs) {
			m->nsegs = 0;
			return -1;
		}
	}
	m->nsegs = m->segs ? ev->nsegs : 0;
	if (m->nsegs)
		memcpy(m->segs, ev->segs, m->nsegs * sizeof(*m->segs));
	/* Contiguity: the kernel's own verdict over the full view, else what the stored segments prove. */
	if (ev->has & DT_HAS_CONTIGUOUS) {
		m->contiguous_known = true;
		m->contiguous = ev->contiguous;
	} else if (m->segs_total <= 1) {
		m->contiguous_known = true;
		m->contiguous = true;
	} else {
		m->contiguous_known = m->nsegs >= m->segs_total;
		m->contiguous = true;
		for (uint32_t i = 1; i < m->nsegs; i++) {
			if (m->segs[i - 1].addr + m->segs[i - 1].len != m->segs[i].addr) {
				m->contiguous_known = true;
				m->contiguous = false;
				break;
			}
		}
	}
	if (!m->max_seg_known) {
		for (uint32_t i = 0; i < m->nsegs; i++)
			if (m->segs[i].len > m->max_seg)
				m->max_seg = m->segs[i].len;
		m->max_seg_known = m->nsegs >= m->segs_total;
	}
	return 0;
}

/* The buffer and attachment an event refers to (provisional ones if not traced); -1 on error. 1: the attachment
 * detached before, so the event is a use after free, reported here and applied to nothing; or it arrived late
 * (two CPUs raced past the reorder window) from before that detach, which was judged without it. */
static int objects_for(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer **b, struct dt_attachment **a)
{
	bool gone = false;
	*b = buffer_for(e, ev);
	*a = *b ? attachment_for(e, ev, *b, &gone) : NULL;
	if (gone) {
		/* what the freed attachment was mapped as, for the timeline and report (nothing else changes) */
		if (ev->type == DT_EV_MAP && !(ev->has & DT_HAS_ERR) && store_mapping(e, *a, ev) < 0) {
			snprintf(e->err, sizeof(e->err), "out of memory");
			return -1;
		}
		/* A second detach is one after the other whatever their order: only a map or unmap can be earlier. */
		bool before = (ev->has & DT_HAS_LATE) && ev->ts < (*a)->detach_ts && ev->type != DT_EV_DETACH;
		if (!before)
			report(e, DT_TR_USED_AFTER_DETACH, ev, *b, *a);
		else if (ev->type == DT_EV_UNMAP && !(*a)->map_depth)
			report(e, DT_TR_UNMAP_WITHOUT_MAP, ev, *b, *a);
		else if (!(ev->type == DT_EV_MAP && (ev->has & DT_HAS_ERR))) /* a refused map changed nothing */
			report(e, DT_TR_LATE_BEFORE_DETACH, ev, *b, *a);
		if (before && ev->type == DT_EV_UNMAP && (*a)->map_depth)
			(*a)->map_depth--; /* the detach left fewer maps than it was judged with */
		notify(e, ev, *b, *a);
		return 1;
	}
	return *a ? 0 : -1;
}

static int on_map(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b;
	struct dt_attachment *a;
	int rc = objects_for(e, ev, &b, &a);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (ev->has & DT_HAS_ERR) {
		report(e, DT_TR_MAP_FAILED, ev, b, a);
		notify(e, ev, b, a);
		return 0;
	}
	if (store_mapping(e, a, ev) < 0) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	apply_kernel_limits(a, ev);
	set_map_by(a, ev);
	if (a->map_depth++ == 0) {
		a->live_since_ts = ev->ts;
		a->live_since_seq = ev->seq;
	}
	a->maps++;
	b->maps++;
	b->last_mapper = a;
	if (!b->first_map.seen) {
		struct dt_first_map *f = &b->first_map;
		f->seen = true;
		f->att = a->id;
		f->ts = ev->ts;
		f->seq = ev->seq;
		f->dev = strdup(a->dev);
		f->map_by = a->map_by ? strdup(a->map_by) : NULL;
		bool oom = !f->dev || (a->map_by && !f->map_by);
		/* A restated map carries only the text ("by"); its history event restates the fields. */
		if (!ev->by.set && !oom)
			oom = caller_set(&f->who, ev) < 0;
		/* Placed: attached before this map. One attached after it (this map is late, applied after that
		 * attach) is not; it is judged below, as its attach would have been. A provisional one's attach
		 * is not in the trace: placed, as before. */
		for (const struct dt_attachment *o = b->atts; o && !oom; o = o->next)
			if (!attached_after(o, ev))
				oom = dev_list_add(&f->placed, o->dev) < 0;
		if (oom) {
			snprintf(e->err, sizeof(e->err), "out of memory");
			return -1;
		}
		report(e, DT_TR_MAP, ev, b, a);
		for (const struct dt_attachment *o = b->atts; o; o = o->next)
			if (attached_after(o, ev)) {
				report(e, DT_TR_ATTACHED_BEFORE_LATE_MAP, ev, b, o);
				if (mark_late(e, b, o) < 0)
					return -1;
			}
		notify(e, ev, b, a);
		return 0;
	}
	report(e, DT_TR_MAP, ev, b, a);
	notify(e, ev, b, a);
	return 0;
}

/* The buffer's first mapping ended (its attachment's maps all unmapped, or it detached mapped). */
static void end_first_map(struct dt_buffer *b, const struct dt_attachment *a, const struct dt_event *ev,
			  bool by_detach)
{
	struct dt_first_map *f = &b->first_map;
	if (!f->seen || f->ended || f->att != a->id)
		return;
	f->ended = true;
	f->ended_by_detach = by_detach;
	f->end_ts = ev->ts;
}

static int on_unmap(struct dt_engine *e, const struct dt_event *ev)
{
	bool known = u64map_get(&e->attachments, ev->att) != NULL;
	struct dt_buffer *b;
	struct dt_attachment *a;
	int rc = objects_for(e, ev, &b, &a);
	if (rc)
		return rc < 0 ? -1 : 0;
	/* An attachment whose attach was not seen (seeded from bufinfo, or met mid-way) and that has not mapped
	 * in the trace may hold a map made before it: its unmaps are not known to be unbalanced. */
	if (a->map_depth == 0 && known && !(a->provisional && a->maps == 0))
		report(e, DT_TR_UNMAP_WITHOUT_MAP, ev, b, a);
	else if (a->map_depth && --a->map_depth == 0)
		end_first_map(b, a, ev, false);
	notify(e, ev, b, a);
	return 0;
}

static int on_detach(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b;
	struct dt_attachment *a;
	int rc = objects_for(e, ev, &b, &a);
	if (rc)
		return rc < 0 ? -1 : 0;
	if (a->map_depth) {
		report(e, DT_TR_DETACH_WHILE_MAPPED, ev, b, a);
		end_first_map(b, a, ev, true);
	}
	notify(e, ev, b, a);
	unlink_attachment(e, a);
	keep_detached(e, b, a, ev->ts);
	return 0;
}

static int on_release(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = buffer_for(e, ev);
	if (!b)
		return -1;
	if (b->n_atts)
		report(e, DT_TR_RELEASE_WITH_ATTACHMENTS, ev, b, NULL);
	notify(e, ev, b, NULL);
	free_buffer(e, b, ev);
	return 0;
}

static int on_vmap(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = buffer_for(e, ev);
	if (!b)
		return -1;
	if (ev->type == DT_EV_VMAP)
		b->vmaps++;
	notify(e, ev, b, NULL);
	return 0;
}

/* What each cause means (docs/trace-format.md). */
static int on_lost(struct dt_engine *e, const struct dt_event *ev)
{
	if (ev->cause != DT_LOST_ATT_IDS) /* an id not kept drops no event */
		e->stats.lost += ev->count;
	else
		e->stats.ids_lost = true;
	report(e, DT_TR_LOST, ev, NULL, NULL);
	e->after_loss = true; /* the loss itself is exact; what follows may not be */
	notify(e, ev, NULL, NULL);
	return 0;
}

/* A detached attachment as restated (DT_HIST_DETACHED): kept as its detach kept it. */
static int restore_detached(struct dt_engine *e, struct dt_buffer *b, const struct dt_event *ev)
{
	struct dt_attachment *a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	a->id = ev->att;
	a->buf = b;
	a->dev = dup_str(&ev->dev);
	a->driver = ev->driver.set ? dup_str(&ev->driver) : NULL;
	a->bus = ev->bus.set ? dup_str(&ev->bus) : NULL;
	if (!a->dev || (ev->driver.set && !a->driver) || (ev->bus.set && !a->bus)) {
		free_attachment(a);
		return -1;
	}
	a->map_depth = ev->detached ? 1 : 0;
	keep_detached(e, b, a, ev->ts);
	return 0;
}

/* A restated history event (engine.h, docs/trace-format.md): what the buffer's past left behind that no
 * live object carries. */
static int on_history(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_buffer *b = u64map_get(&e->buffers, ev->buf);
	if (!b)
		return 0; /* history of a buffer not restated: nothing to attach it to */
	struct dt_first_map *f = &b->first_map;
	int rc = 0;
	switch (ev->kind) {
	case DT_HIST_FIRST_MAP:
		free(f->dev);
		free(f->map_by);
		f->seen = true;
		f->att = ev->att;
		f->ts = ev->ts;
		f->seq = ev->seq;
		f->dev = dup_str(&ev->dev);
		f->map_by = dup_str(&ev->by);
		f->ended = (ev->has & DT_HAS_UNTIL) != 0;
		f->ended_by_detach = f->ended && ev->detached;
		f->end_ts = ev->until;
		rc = !f->dev || (ev->by.set && !f->map_by) ? -1 : 0;
		/* the task and frames as restated (restate.c); an older state file has only the text */
		caller_free(&f->who);
		if (rc == 0 && (ev->comm.set || ev->nstack || !ev->by.set))
			rc = caller_set(&f->who, ev);
		break;
	case DT_HIST_DETACHED: rc = restore_detached(e, b, ev); break;
	case DT_HIST_PLACED: rc = dev_list_add(&f->placed, ev->dev.s); break;
	case DT_HIST_LATE: rc = dev_list_add(&f->late, ev->dev.s); break;
	case DT_HIST_LAYOUT: {
		/* The layout a late importer is judged against, its mapping no longer live: kept like a detached one's. */
		struct dt_attachment tmp = {0};
		tmp.map = b->kept_map;
		rc = store_mapping(e, &tmp, ev);
		b->kept_map = tmp.map;
		b->have_kept_map = rc == 0;
		b->last_mapper = NULL;
		break;
	}
	default:
		break; /* a kind from a newer writer */
	}
	if (rc < 0)
		snprintf(e->err, sizeof(e->err), "out of memory");
	return rc;
}

static int feed(struct dt_engine *e, const struct dt_event *ev);

int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev)
{
	if (ev->type == DT_EV_HISTORY) {
		e->stats.restated++;
		return on_history(e, ev);
	}
	if (!(ev->has & DT_HAS_STATE))
		return feed(e, ev);
	/* A daemon segment's restated state: rebuild the objects, report no transition, count no event. */
	e->restoring = true;
	e->stats.restated++;
	int rc = 0;
	switch (ev->type) {
	case DT_EV_EXPORT: rc = on_export(e, ev); break;
	case DT_EV_ATTACH: rc = on_attach(e, ev); break;
	case DT_EV_MAP: rc = on_map(e, ev); break;
	case DT_EV_LOST: /* events were lost before the segment: findings stay marked */
		e->after_loss = true;
		e->stats.ids_lost |= ev->cause == DT_LOST_ATT_IDS;
		break;
	default: break; /* only objects are restated */
	}
	e->restoring = false;
	return rc;
}

static int feed(struct dt_engine *e, const struct dt_event *ev)
{
	struct dt_engine_stats *s = &e->stats;
	if (!e->have_ts || ev->ts < s->first_ts)
		s->first_ts = ev->ts; /* a first ts of 0 is a time like any other */
	e->have_ts = true;
	if (ev->ts > s->last_ts)
		s->last_ts = ev->ts;
	if ((unsigned)ev->type < DT_EV__COUNT)
		s->events[ev->type]++;
	if (ev->has & DT_HAS_LATE) {
		/* out of ts order: what it would have changed earlier was judged without it */
		s->late++;
		e->after_loss = true;
	}
	switch (ev->type) {
	case DT_EV_EXPORT: return on_export(e, ev);
	case DT_EV_ATTACH: return on_attach(e, ev);
	case DT_EV_MAP: return on_map(e, ev);
	case DT_EV_UNMAP: return on_unmap(e, ev);
	case DT_EV_DETACH: return on_detach(e, ev);
	case DT_EV_RELEASE: return on_release(e, ev);
	case DT_EV_VMAP:
	case DT_EV_VUNMAP: return on_vmap(e, ev);
	case DT_EV_LOST: return on_lost(e, ev);
	default: return 0;
	}
}

static int by_attach_seq(const void *x, const void *y)
{
	const struct dt_attachment *a = *(struct dt_attachment *const *)x, *b = *(struct dt_attachment *const *)y;
	return a->attach_seq < b->attach_seq ? -1 : a->attach_seq > b->attach_seq;
}

void dt_engine_finish(struct dt_engine *e)
{
	size_t n;
	struct dt_attachment **list = (struct dt_attachment **)u64map_values(&e->attachments, &n);
	if (!list)
		return;
	/* Report in attach order so output is deterministic. */
	qsort(list, n, sizeof(*list), by_attach_seq);
	for (size_t i = 0; i < n; i++)
		report(e, DT_TR_LEFT_AT_END, NULL, list[i]->buf, list[i]);
	free(list);
}

void dt_engine_reset(struct dt_engine *e, const struct dt_constraints *constraints)
{
	size_t n;
	struct dt_buffer **list = (struct dt_buffer **)u64map_values(&e->buffers, &n);
	for (size_t i = 0; list && i < n; i++)
		free_buffer(e, list[i], NULL);
	free(list);
	e->opts.constraints = constraints;
	e->after_loss = false;
}

const struct dt_attachment **dt_engine_attachments(const struct dt_engine *e, size_t *n)
{
	struct dt_attachment **list = (struct dt_attachment **)u64map_values(&e->attachments, n);
	if (!list) {
		*n = 0;
		return NULL;
	}
	qsort(list, *n, sizeof(*list), by_attach_seq);
	return (const struct dt_attachment **)list;
}

void dt_engine_foreach_buffer(const struct dt_engine *e, void (*fn)(void *ctx, const struct dt_buffer *b), void *ctx)
{
	for (size_t i = 0; i < e->buffers.cap; i++)
		if (e->buffers.slots[i].val)
			fn(ctx, e->buffers.slots[i].val);
}

void dt_engine_free(struct dt_engine *e)
{
	if (!e)
		return;
	/* Deleting shifts map entries, so take the list first. */
	size_t n;
	struct dt_buffer **list = (struct dt_buffer **)u64map_values(&e->buffers, &n);
	for (size_t i = 0; list && i < n; i++)
		free_buffer(e, list[i], NULL);
	free(list);
	while (e->spare) {
		struct dt_attachment *a = e->spare;
		e->spare = a->next;
		free_attachment(a);
	}
	u64map_free(&e->buffers);
	u64map_free(&e->attachments);
	free(e);
}

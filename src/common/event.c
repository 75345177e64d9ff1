/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <string.h>

#include "common/escape.h"
#include "common/event.h"

static const char *const type_names[DT_EV__COUNT] = {
	[DT_EV_EXPORT] = "export", [DT_EV_ATTACH] = "attach", [DT_EV_MAP] = "map",
	[DT_EV_UNMAP] = "unmap",   [DT_EV_DETACH] = "detach", [DT_EV_RELEASE] = "release",
	[DT_EV_VMAP] = "vmap",     [DT_EV_VUNMAP] = "vunmap", [DT_EV_LOST] = "lost",
	[DT_EV_HISTORY] = "history", [DT_EV_UNKNOWN] = "unknown",
};

const char *dt_event_type_name(enum dt_event_type t)
{
	return (unsigned)t < DT_EV__COUNT ? type_names[t] : "unknown";
}

enum dt_event_type dt_event_type_from_name(const char *s, size_t len)
{
	for (int t = 0; t < DT_EV_UNKNOWN; t++)
		if (strlen(type_names[t]) == len && memcmp(type_names[t], s, len) == 0)
			return (enum dt_event_type)t;
	return DT_EV_UNKNOWN;
}

static const char *const dir_names[] = {
	[DT_DIR_UNSET] = "unset",
	[DT_DIR_BIDIRECTIONAL] = "bidirectional",
	[DT_DIR_TO_DEVICE] = "to_device",
	[DT_DIR_FROM_DEVICE] = "from_device",
};

const char *dt_dir_name(enum dt_dma_dir d)
{
	return (unsigned)d <= DT_DIR_FROM_DEVICE ? dir_names[d] : "unset";
}

enum dt_dma_dir dt_dir_from_name(const char *s, size_t len)
{
	for (int d = DT_DIR_BIDIRECTIONAL; d <= DT_DIR_FROM_DEVICE; d++)
		if (strlen(dir_names[d]) == len && memcmp(dir_names[d], s, len) == 0)
			return (enum dt_dma_dir)d;
	return DT_DIR_UNSET;
}

void dt_str_set(struct dt_str *dst, const char *src, size_t len)
{
	if (len >= DT_STR_MAX) {
		/* Keep the start and mark the cut, so the reader sees it was longer. */
		len = DT_STR_MAX - 4;
		memcpy(dst->s, src, len);
		memcpy(dst->s + len, "...", 3);
		len += 3;
	} else {
		memcpy(dst->s, src, len);
	}
	dst->s[len] = '\0';
	dst->len = (uint16_t)len;
	dst->set = true;
}

void dt_event_clear(struct dt_event *ev)
{
	/* Only reset what presence is judged by: clearing the whole struct
	 * (kilobytes of string buffers) per event would dominate parsing time. */
	ev->type = DT_EV_UNKNOWN;
	ev->has = 0;
	ev->ts = ev->seq = 0;
	ev->comm.set = ev->exporter.set = ev->name.set = false;
	ev->dev.set = ev->driver.set = ev->bus.set = ev->type_name.set = false;
	ev->comm.len = ev->exporter.len = ev->name.len = 0;
	ev->dev.len = ev->driver.len = ev->bus.len = ev->type_name.len = 0;
	ev->comm.s[0] = ev->exporter.s[0] = ev->name.s[0] = '\0';
	ev->dev.s[0] = ev->driver.s[0] = ev->bus.s[0] = ev->type_name.s[0] = '\0';
	ev->dynamic = ev->dma_parms = ev->cached = ev->contiguous = false;
	ev->dir = DT_DIR_UNSET;
	ev->nsegs = 0;
	ev->nstack = 0;
	ev->stack_plain = false;
	ev->pid = ev->tid = ev->cpu = 0;
	ev->buf = ev->att = ev->size = 0;
	ev->err = 0;
	ev->max_seg_size = ev->seg_boundary_mask = 0;
	ev->nents = ev->orig_nents = ev->segs_total = ev->max_seg = 0;
	ev->total_len = ev->boundary_crossings = ev->count = 0;
	ev->cause = DT_LOST_RING;
	ev->since = 0;
	ev->by.set = false;
	ev->by.len = 0;
	ev->by.s[0] = '\0';
	ev->cause_name.set = false;
	ev->cause_name.len = 0;
	ev->cause_name.s[0] = '\0';
	ev->walked = 0;
	ev->kind = DT_HIST_NONE;
	ev->until = 0;
	ev->detached = false;
}

static const char *const history_kind_names[DT_HIST__COUNT] = {
	[DT_HIST_NONE] = "none",     [DT_HIST_FIRST_MAP] = "first-map", [DT_HIST_PLACED] = "placed",
	[DT_HIST_LATE] = "late",     [DT_HIST_LAYOUT] = "layout",       [DT_HIST_DETACHED] = "detached",
};

const char *dt_history_kind_name(enum dt_history_kind k)
{
	return (unsigned)k < DT_HIST__COUNT ? history_kind_names[k] : "none";
}

enum dt_history_kind dt_history_kind_from_name(const char *s, size_t len)
{
	for (int k = DT_HIST_NONE + 1; k < DT_HIST__COUNT; k++)
		if (strlen(history_kind_names[k]) == len && memcmp(history_kind_names[k], s, len) == 0)
			return (enum dt_history_kind)k;
	return DT_HIST_NONE;
}

static const char *const lost_cause_names[DT_LOST__COUNT] = {
	[DT_LOST_RING] = "ring",
	[DT_LOST_WRITE] = "write",
	[DT_LOST_GAP] = "gap",
	[DT_LOST_SCRATCH] = "scratch",
	[DT_LOST_NO_ENTRY] = "no-entry",
	[DT_LOST_NESTED] = "nested",
	[DT_LOST_ATT_IDS] = "att-ids",
	[DT_LOST_RECURSION] = "recursion",
	[DT_LOST_KPROBE_MISSED] = "kprobe-missed",
	[DT_LOST_OTHER] = "other",
};

const char *dt_lost_cause_name(enum dt_lost_cause c)
{
	return (unsigned)c < DT_LOST__COUNT ? lost_cause_names[c] : "?";
}

int dt_lost_cause_from_name(const char *s, size_t len)
{
	for (int c = 0; c < DT_LOST__COUNT; c++)
		if (strlen(lost_cause_names[c]) == len && memcmp(lost_cause_names[c], s, len) == 0)
			return c;
	return -1;
}

static bool str_equal(const struct dt_str *a, const struct dt_str *b)
{
	return a->set == b->set && (!a->set || (a->len == b->len && memcmp(a->s, b->s, a->len) == 0));
}

bool dt_event_equal(const struct dt_event *a, const struct dt_event *b)
{
	if (a->type != b->type || a->has != b->has || a->ts != b->ts || a->seq != b->seq || a->pid != b->pid ||
	    a->tid != b->tid || a->cpu != b->cpu || a->buf != b->buf || a->att != b->att || a->size != b->size ||
	    a->err != b->err || a->dynamic != b->dynamic || a->dma_parms != b->dma_parms ||
	    a->max_seg_size != b->max_seg_size || a->seg_boundary_mask != b->seg_boundary_mask || a->dir != b->dir ||
	    a->cached != b->cached || a->contiguous != b->contiguous || a->nents != b->nents ||
	    a->orig_nents != b->orig_nents || a->segs_total != b->segs_total || a->max_seg != b->max_seg ||
	    a->total_len != b->total_len || a->boundary_crossings != b->boundary_crossings ||
	    a->nsegs != b->nsegs || a->count != b->count || a->cause != b->cause || a->walked != b->walked ||
	    a->nstack != b->nstack || a->kind != b->kind || a->until != b->until || a->detached != b->detached)
		return false;
	const struct dt_str *sa[] = {&a->comm, &a->exporter, &a->name, &a->dev, &a->driver, &a->bus, &a->type_name, &a->by, &a->cause_name};
	const struct dt_str *sb[] = {&b->comm, &b->exporter, &b->name, &b->dev, &b->driver, &b->bus, &b->type_name, &b->by, &b->cause_name};
	for (size_t i = 0; i < sizeof(sa) / sizeof(sa[0]); i++)
		if (!str_equal(sa[i], sb[i]))
			return false;
	if (a->nsegs && memcmp(a->segs, b->segs, a->nsegs * sizeof(*a->segs)) != 0)
		return false;
	for (uint32_t i = 0; i < a->nstack; i++)
		if (strcmp(a->stack[i], b->stack[i]) != 0)
			return false;
	return true;
}

/* Length of one compiler clone suffix at s (".part.0", ".isra.12", ".constprop.0", ".cold"), or 0. */
static size_t clone_suffix_len(const char *s)
{
	static const char *const numbered[] = {".part.", ".isra.", ".constprop.", ".llvm."};

	if (!strncmp(s, ".cold", 5) && !isalnum((unsigned char)s[5]) && s[5] != '_')
		return 5;
	for (size_t i = 0; i < sizeof(numbered) / sizeof(numbered[0]); i++) {
		size_t n = strlen(numbered[i]), d = 0;

		if (strncmp(s, numbered[i], n))
			continue;
		while (isdigit((unsigned char)s[n + d]))
			d++;
		if (d)
			return n + d;
	}
	return 0;
}

bool dt_frame_is(const char *frame, const char *symbol)
{
	size_t n = strlen(symbol), k;
	const char *p = frame + n;

	if (strncmp(frame, symbol, n))
		return false;
	while ((k = clone_suffix_len(p)))
		p += k;
	return *p == '+' || *p == ' ' || *p == '\0';
}

void dt_event_learn_stack(struct dt_event *ev)
{
	ev->stack_plain = false;
	for (uint32_t f = 0; f < ev->nstack; f++) {
		size_t n = dt_plain_len(ev->stack[f], DT_FRAME_MAX);
		if (n >= DT_FRAME_MAX)
			return; /* a byte that is not plain, or no NUL */
		ev->stack_len[f] = (uint8_t)n;
	}
	ev->stack_plain = true;
}

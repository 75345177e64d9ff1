// SPDX-License-Identifier: Apache-2.0
/* Lifecycle rules: the order of attach, map, unmap, detach and release, refusals by the
 * kernel, what the trace cannot know (attachments seen mid-way, lost events). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/rule.h"

/* "err" is untrusted: -INT64_MIN is undefined, and only -1..-4095 are errnos. */
static const char *err_text(int64_t err)
{
	return err < 0 && err >= -4095 ? strerror((int)-err) : "not an errno";
}

void dt_rule_map_failed(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_event *ev = t->ev;
	if (t->kind == DT_TR_ATTACH_FAILED)
		dt_emit(rc, t, DT_RULE_MAP_FAILED, DT_SEV_INFO, "the kernel refused to attach %s: %s (%" PRId64 ")",
			ev->dev.s, err_text(ev->err), ev->err);
	else
		dt_emit(rc, t, DT_RULE_MAP_FAILED, DT_SEV_INFO,
			"the kernel refused to map the buffer for %s: %s (%" PRId64 ")", t->att->dev, err_text(ev->err),
			ev->err);
}

void dt_rule_unbalanced_unmap(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	dt_emit(rc, t, DT_RULE_UNBALANCED_UNMAP, DT_SEV_WARNING, "%s unmapped the buffer without a matching map",
		t->att->dev);
}

/* A late map or unmap from before the detach (DT_TR_LATE_BEFORE_DETACH): what the detach's verdict missed. */
static void late_before_detach(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_attachment *a = t->att;
	const struct dt_event *ev = t->ev;
	uint64_t before = a->detach_ts - ev->ts;
	if (ev->type == DT_EV_UNMAP) /* a->map_depth: the maps the detach was judged with (at least 1) */
		dt_emit(rc, t, DT_RULE_DETACH_WHILE_MAPPED, DT_SEV_WARNING,
			"%s unmapped attachment %" PRIu64 " %" PRIu64 ".%03" PRIu64 " ms before detaching it, but the unmap "
			"arrived late (two CPUs raced past the reorder window): the detach was judged without it, %s",
			a->dev, a->id, before / 1000000, before / 1000 % 1000,
			a->map_depth == 1 ? "so its detach-while-mapped error is wrong (it had unmapped)"
					  : "with one map too many");
	else
		dt_emit_unverified(rc, t, DT_RULE_DETACH_WHILE_MAPPED,
			"%s mapped attachment %" PRIu64 " %" PRIu64 ".%03" PRIu64 " ms before detaching it, but the map "
			"arrived late (two CPUs raced past the reorder window): the detach was judged without it, and "
			"whether it was unmapped before the detach and whether its scatterlist fits %s's limits cannot be "
			"told", a->dev, a->id, before / 1000000, before / 1000 % 1000, a->dev);
}

void dt_rule_detach_while_mapped(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_attachment *a = t->att;
	if (t->kind == DT_TR_LATE_BEFORE_DETACH) {
		late_before_detach(rc, t);
		return;
	}
	if (a->map.cached) /* the exporter caches its mapping (cache_sgt_mapping): dma_buf_detach unmaps it */
		dt_emit(rc, t, DT_RULE_DETACH_WHILE_MAPPED, DT_SEV_WARNING,
			"%s detached while still mapped (%u map%s without unmap): the importer must unmap before detach; "
			"this exporter caches the mapping (its last map was the cached one), so dma_buf_detach unmaps it "
			"and nothing leaks here, but with another exporter it would", a->dev, a->map_depth,
			a->map_depth == 1 ? "" : "s");
	else
		dt_emit(rc, t, DT_RULE_DETACH_WHILE_MAPPED, DT_SEV_ERROR,
			"%s detached while still mapped (%u map%s without unmap): the importer must unmap before detach",
			a->dev, a->map_depth, a->map_depth == 1 ? "" : "s");
}

void dt_rule_use_after_detach(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_attachment *a = t->att;
	const struct dt_event *ev = t->ev;
	const char *what = ev->type == DT_EV_MAP ? "mapped" : ev->type == DT_EV_UNMAP ? "unmapped" : "detached again";
	uint64_t after = ev->ts > a->detach_ts ? ev->ts - a->detach_ts : 0;
	dt_emit(rc, t, DT_RULE_USE_AFTER_DETACH, DT_SEV_ERROR,
		"%s %s attachment %" PRIu64 " %" PRIu64 ".%03" PRIu64 " ms after detaching it: dma_buf_detach frees the "
		"attachment, so this is a use after free", a->dev, what, a->id, after / 1000000, after / 1000 % 1000);
}

void dt_rule_unknown_attachment(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	dt_emit(rc, t, DT_RULE_UNKNOWN_ATTACHMENT, DT_SEV_WARNING,
		"%s of attachment %" PRIu64 " whose attach is not in the trace (%s); its device and limits are unknown",
		dt_event_type_name(t->ev->type), t->ev->att,
		t->stats->ids_lost ? "the kernel could not keep some attachment ids, an att-ids loss: it may be one attached "
				     "under another id"
				   : "tracing started mid-way?");
}

/* "gpu0, vivid.0 mapped": b's attached devices (with_mapped: which are mapped); the length of the list. */
static size_t attached_devices(const struct dt_buffer *b, bool with_mapped, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	for (const struct dt_attachment *a = b->atts; a && n < outsz; a = a->next)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s%s", n ? ", " : "", a->dev,
				      with_mapped && a->map_depth ? " mapped" : "");
	return n;
}

void dt_rule_release_with_attachments(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_buffer *b = t->buf;
	char devs[256];
	attached_devices(b, false, devs, sizeof(devs));
	if (t->stats->ids_lost) /* their detaches may have come under new ids, as unknown attachments */
		dt_emit_unverified(rc, t, DT_RULE_RELEASE_WITH_ATTACHMENTS,
			"buffer released while %u attachment%s still attached (%s), but the kernel could not keep some "
			"attachment ids (att-ids), so their detaches may have come under other ids: cannot tell",
			b->n_atts, b->n_atts == 1 ? " is" : "s are", devs);
	else
		dt_emit(rc, t, DT_RULE_RELEASE_WITH_ATTACHMENTS, DT_SEV_ERROR,
			"buffer released while %u attachment%s still attached (%s): an importer dropped its reference "
			"before detaching", b->n_atts, b->n_atts == 1 ? " is" : "s are", devs);
}

void dt_rule_leak_at_end(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	dt_emit(rc, t, DT_RULE_LEAK_AT_END, DT_SEV_INFO, "%s still %s when the trace ended", t->att->dev,
		t->att->map_depth ? "attached and mapped" : "attached");
}

static const char *cause_text(const struct dt_event *ev, char other[DT_STR_MAX + 64])
{
	switch (ev->cause) {
	case DT_LOST_RING: return "ring buffer full";
	case DT_LOST_WRITE: return "the recorder could not write them";
	case DT_LOST_GAP: return "no tracer ran, or the segments that held them are missing";
	case DT_LOST_SCRATCH: return "per-task record scratch map full";
	case DT_LOST_NO_ENTRY: return "a return found no state from its entry: evicted, map full, or the call began before tracing";
	case DT_LOST_NESTED: return "the same hook nested in one task";
	case DT_LOST_ATT_IDS: return "attachment id map full: the attachment's later events carry a new id";
	case DT_LOST_RECURSION: return "a BPF program did not run: recursion prevention";
	case DT_LOST_KPROBE_MISSED: return "the kprobe missed hits: kretprobe maxactive exceeded";
	case DT_LOST_OTHER:
		snprintf(other, DT_STR_MAX + 64, "a cause this version does not know: %s",
			 ev->cause_name.set ? ev->cause_name.s : "other");
		return other;
	default: return "unknown cause";
	}
}

/* A live buffer's inode exported again: its release was not traced (DT_TR_RELEASE_NOT_TRACED). */
static void release_not_traced(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_buffer *b = t->buf;
	char devs[256];
	size_t n = attached_devices(b, true, devs, sizeof(devs));
	dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
		"buffer %" PRIu64 " was exported again while the trace still had it live%s%s%s: a live dma-buf keeps its "
		"inode, so its release and what came before it were not traced; findings from here on may be "
		"incomplete", b->ino, n ? " (attached: " : "", devs, n ? ")" : "");
}

void dt_rule_lost_events(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_event *ev = t->ev;
	if (t->kind == DT_TR_RELEASE_NOT_TRACED) {
		release_not_traced(rc, t);
		return;
	}
	char other[DT_STR_MAX + 64];
	const char *why = cause_text(ev, other);
	const char *s = ev->count == 1 ? "" : "s";
	if (ev->cause == DT_LOST_ATT_IDS) /* nothing was dropped: ids were not kept */
		dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
			"the kernel could not keep the id of %" PRIu64 " attachment%s (%s); no event was dropped, but "
			"findings from here on may be incomplete", ev->count, s, why);
	else if (ev->cause == DT_LOST_WRITE)
		dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
			"%s%" PRIu64 " event%s %s (%s); findings from here on may be incomplete",
			ev->has & DT_HAS_COUNT_UNKNOWN ? "at least " : "", ev->count, s, ev->count == 1 ? "was not written" :
			"were not written", why);
	else if (ev->cause == DT_LOST_GAP && ev->count == 0)
		dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
			"events of an unknown number are missing (%s); findings from here on may be incomplete", why);
	else if (ev->has & DT_HAS_COUNT_UNKNOWN)
		dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
			"the kernel dropped at least %" PRIu64 " event%s, how many is not known (%s); findings from here on "
			"may be incomplete", ev->count, s, why);
	else
		dt_emit(rc, t, DT_RULE_LOST_EVENTS, DT_SEV_WARNING,
			"the kernel dropped %" PRIu64 " event%s (%s); findings from here on may be incomplete",
			ev->count, s, why);
}

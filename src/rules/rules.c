/* The rules: what a mapping must satisfy for each importer, and when an attach
 * comes too late. Lifecycle rules that need only state (unbalanced-unmap,
 * detach-while-mapped, ...) sit with the state changes in engine.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "common/units.h"

const struct dt_rule_info dt_rule_info[DT_RULE__COUNT] = {
	[DT_RULE_LATE_ATTACH] = {"late-attach", "an importer attached after another had mapped the buffer"},
	[DT_RULE_SEGMENT_COUNT] = {"segment-count", "more DMA segments than the importer's max-segments"},
	[DT_RULE_NOT_CONTIGUOUS] = {"not-contiguous", "the importer needs contiguous memory, the mapping is not"},
	[DT_RULE_SEGMENT_SIZE] = {"segment-size", "a DMA segment longer than the importer's max_segment_size"},
	[DT_RULE_SEGMENT_BOUNDARY] = {"segment-boundary", "a DMA segment crosses the importer's segment boundary"},
	[DT_RULE_MAP_FAILED] = {"map-failed", "the kernel refused a map or attach"},
	[DT_RULE_UNBALANCED_UNMAP] = {"unbalanced-unmap", "unmap without a matching map"},
	[DT_RULE_DETACH_WHILE_MAPPED] = {"detach-while-mapped", "detach of an attachment that is still mapped"},
	[DT_RULE_UNKNOWN_ATTACHMENT] = {"unknown-attachment", "an event for an attachment whose attach is not in the trace"},
	[DT_RULE_RELEASE_WITH_ATTACHMENTS] = {"release-with-attachments", "buffer released while still attached"},
	[DT_RULE_LEAK_AT_END] = {"leak-at-end", "still attached or mapped when the trace ended"},
	[DT_RULE_LOST_EVENTS] = {"lost-events", "the kernel dropped events"},
};

static const char *const severity_names[] = {"info", "warning", "error"};

const char *dt_severity_name(enum dt_severity s)
{
	return (unsigned)s <= DT_SEV_ERROR ? severity_names[s] : "?";
}

int dt_severity_from_name(const char *s)
{
	for (int i = 0; i <= DT_SEV_ERROR; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

/* One limit judged against one mapping layout. */
enum { CHECK_COUNT, CHECK_CONTIG, CHECK_SIZE, CHECK_BOUNDARY, CHECK__N };

static const enum dt_rule_id check_rule[CHECK__N] = {
	[CHECK_COUNT] = DT_RULE_SEGMENT_COUNT,
	[CHECK_CONTIG] = DT_RULE_NOT_CONTIGUOUS,
	[CHECK_SIZE] = DT_RULE_SEGMENT_SIZE,
	[CHECK_BOUNDARY] = DT_RULE_SEGMENT_BOUNDARY,
};

struct verdict {
	bool broken[CHECK__N];
	bool unverified[CHECK__N]; /* data missing (segments truncated): cannot tell */
	bool soft[CHECK__N];       /* broken, but only against the kernel's default limit */
	char why[CHECK__N][256];
};

static bool crosses(uint64_t start, uint64_t len, uint64_t mask)
{
	return len && ((start ^ (start + len - 1)) & ~mask) != 0;
}

static const char *source(const struct dt_attachment *a, unsigned bit)
{
	return (a->lim_profile & bit) ? " (from the constraints profile)" : "";
}

/* Judges mapping m (possibly another importer's) against importer a's limits. */
static void judge(const struct dt_mapping *m, const struct dt_attachment *mapper, const struct dt_attachment *a,
		  struct verdict *v)
{
	char s1[32], s2[32];
	const struct dt_limits *lim = &a->lim;
	bool truncated = m->nsegs < m->segs_total;
	memset(v, 0, sizeof(*v));

	if ((lim->set & DT_LIM_MAX_SEGMENTS) && m->nents > lim->max_segments) {
		v->broken[CHECK_COUNT] = true;
		snprintf(v->why[CHECK_COUNT], sizeof(v->why[0]),
			 "%" PRIu64 " DMA segments but %s takes at most %" PRIu64 "%s", m->nents, a->dev,
			 lim->max_segments, source(a, DT_LIM_MAX_SEGMENTS));
	}

	if ((lim->set & DT_LIM_CONTIGUOUS) && lim->contiguous) {
		if (m->contiguous_known && !m->contiguous) {
			v->broken[CHECK_CONTIG] = true;
			snprintf(v->why[CHECK_CONTIG], sizeof(v->why[0]),
				 "%s needs contiguous DMA memory%s but the mapping is %" PRIu64
				 " DMA segments that are not one back-to-back range", a->dev, source(a, DT_LIM_CONTIGUOUS),
				 m->segs_total);
		} else if (!m->contiguous_known) {
			v->unverified[CHECK_CONTIG] = true;
			snprintf(v->why[CHECK_CONTIG], sizeof(v->why[0]),
				 "%s needs contiguous DMA memory but only %u of %" PRIu64
				 " segments were recorded and they are adjacent: cannot tell", a->dev, m->nsegs, m->segs_total);
		}
	}

	if (lim->set & DT_LIM_MAX_SEG_SIZE) {
		uint64_t longest = m->max_seg;
		if (longest > lim->max_seg_size) {
			v->broken[CHECK_SIZE] = true;
			bool kernel_default = !a->dma_parms && !(a->lim_profile & DT_LIM_MAX_SEG_SIZE);
			v->soft[CHECK_SIZE] = kernel_default;
			snprintf(v->why[CHECK_SIZE], sizeof(v->why[0]), "a DMA segment of %s exceeds %s's max_segment_size of %s%s",
				 dt_fmt_size(s1, sizeof(s1), longest), a->dev, dt_fmt_size(s2, sizeof(s2), lim->max_seg_size),
				 kernel_default ? " (only the kernel's 64 KiB default: the device never declared a max segment size)"
						: source(a, DT_LIM_MAX_SEG_SIZE));
		} else if (!m->max_seg_known) {
			v->unverified[CHECK_SIZE] = true;
			snprintf(v->why[CHECK_SIZE], sizeof(v->why[0]),
				 "only %u of %" PRIu64 " segments were recorded (none longer than %s's %s limit): cannot tell",
				 m->nsegs, m->segs_total, a->dev, dt_fmt_size(s2, sizeof(s2), lim->max_seg_size));
		}
	}

	uint64_t mask = lim->seg_boundary_mask;
	if ((lim->set & DT_LIM_SEG_BOUNDARY) && mask != UINT64_MAX) {
		/* The kernel counted crossings over the full view, but for the mapper's own kernel mask:
		 * it says nothing about another importer's mask or a mask from the profile. */
		bool kernel_counted = m->crossings_known && mapper == a && !(a->lim_profile & DT_LIM_SEG_BOUNDARY);
		uint64_t found = 0, first_addr = 0, first_len = 0;
		for (uint32_t i = 0; i < m->nsegs; i++) {
			if (crosses(m->segs[i].addr, m->segs[i].len, mask)) {
				if (!found++) {
					first_addr = m->segs[i].addr;
					first_len = m->segs[i].len;
				}
			}
		}
		if (kernel_counted && m->crossings > found)
			found = m->crossings;
		if (found) {
			v->broken[CHECK_BOUNDARY] = true;
			if (first_len)
				snprintf(v->why[CHECK_BOUNDARY], sizeof(v->why[0]),
					 "%" PRIu64 " DMA segment%s cross%s %s's segment boundary (mask 0x%" PRIx64 "%s), "
					 "first at 0x%" PRIx64 " + %s", found, found == 1 ? "" : "s", found == 1 ? "es" : "",
					 a->dev, mask, source(a, DT_LIM_SEG_BOUNDARY), first_addr,
					 dt_fmt_size(s1, sizeof(s1), first_len));
			else
				snprintf(v->why[CHECK_BOUNDARY], sizeof(v->why[0]),
					 "%" PRIu64 " DMA segment%s cross%s %s's segment boundary (mask 0x%" PRIx64 "%s)",
					 found, found == 1 ? "" : "s", found == 1 ? "es" : "", a->dev, mask,
					 source(a, DT_LIM_SEG_BOUNDARY));
		} else if (truncated && !kernel_counted) {
			v->unverified[CHECK_BOUNDARY] = true;
			snprintf(v->why[CHECK_BOUNDARY], sizeof(v->why[0]),
				 "only %u of %" PRIu64 " segments were recorded (none crosses mask 0x%" PRIx64 "): cannot tell",
				 m->nsegs, m->segs_total, mask);
		}
	}
}

static const char *by(const struct dt_attachment *a, char *out, size_t outsz)
{
	if (!a->map_by)
		return "";
	snprintf(out, outsz, "; mapped by %s", a->map_by);
	return out;
}

void dt_rules_map(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer *b, struct dt_attachment *a)
{
	struct verdict v;
	char who[600];
	judge(&a->map, a, a, &v);
	for (int c = 0; c < CHECK__N; c++) {
		if (v.broken[c])
			dt_emit(e, check_rule[c], v.soft[c] ? DT_SEV_WARNING : DT_SEV_ERROR, b, a, ev, "%s%s", v.why[c],
				by(a, who, sizeof(who)));
		else if (v.unverified[c])
			dt_emit_unverified(e, check_rule[c], b, a, ev, "%s", v.why[c]);
	}
}

void dt_rules_attach(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer *b, struct dt_attachment *a)
{
	/* The first mapper among the live mappings decided the backing store. */
	const struct dt_attachment *first = NULL;
	for (const struct dt_attachment *o = b->atts; o; o = o->next)
		if (o != a && o->map_depth && (!first || o->live_since_seq < first->live_since_seq))
			first = o;
	if (!first)
		return;

	struct verdict v;
	judge(&first->map, first, a, &v);
	char reasons[700] = "";
	size_t n = 0;
	bool hard = false;
	for (int c = 0; c < CHECK__N; c++) {
		if (!v.broken[c])
			continue;
		hard |= !v.soft[c];
		n += (size_t)snprintf(reasons + n, sizeof(reasons) - n, "%s%s", n ? "; " : "", v.why[c]);
		if (n >= sizeof(reasons))
			break;
	}
	/* Truncated segments: say what cannot be told instead of "happens to fit". */
	char unknown[700] = "";
	size_t nu = 0;
	for (int c = 0; c < CHECK__N && nu < sizeof(unknown); c++)
		if (v.unverified[c])
			nu += (size_t)snprintf(unknown + nu, sizeof(unknown) - nu, "%s%s", nu ? "; " : "", v.why[c]);
	char who[600];
	double ms = ev->ts > first->live_since_ts ? (double)(ev->ts - first->live_since_ts) / 1e6 : 0.0;
	if (!n && nu)
		dt_emit_unverified(e, DT_RULE_LATE_ATTACH, b, a, ev,
			"%s attached %.3f ms after %s mapped the buffer: the exporter allocated before every importer had "
			"attached, and whether the live mapping fits %s is unknown: %s%s",
			a->dev, ms, first->dev, a->dev, unknown, by(first, who, sizeof(who)));
	else if (n)
		dt_emit(e, DT_RULE_LATE_ATTACH, hard ? DT_SEV_ERROR : DT_SEV_WARNING, b, a, ev,
			"%s attached %.3f ms after %s mapped the buffer, so the exporter allocated without knowing %s's "
			"limits, and the live mapping breaks them: %s%s",
			a->dev, ms, first->dev, a->dev, reasons, by(first, who, sizeof(who)));
	else
		dt_emit(e, DT_RULE_LATE_ATTACH, DT_SEV_WARNING, b, a, ev,
			"%s attached %.3f ms after %s mapped the buffer: the exporter allocated before every importer had "
			"attached (the live mapping happens to fit %s)%s",
			a->dev, ms, first->dev, a->dev, by(first, who, sizeof(who)));
}

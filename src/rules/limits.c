// SPDX-License-Identifier: Apache-2.0
/* The limit rules: segment-count, not-contiguous, segment-size, segment-boundary.
 * Each judges a new mapping against its own importer's limits (kernel values, the
 * constraints profile). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/limits.h"
#include "rules/rule.h"
#include "common/units.h"

static bool crosses(uint64_t start, uint64_t len, uint64_t mask)
{
	return len && ((start ^ (start + len - 1)) & ~mask) != 0;
}

/* Where a limit came from, for the message: the profile, the importer's kernel code, or the kernel's value. */
#define SOURCE_MAX 96
static const char *source(const struct dt_attachment *a, unsigned bit, char *out)
{
	if (a->lim_profile & bit)
		return " (from the constraints profile)";
	if (a->lim_implied & bit) {
		snprintf(out, SOURCE_MAX, " (implied by %s)", a->implied_by);
		return out;
	}
	return "";
}

static void judge_count(const struct dt_mapping *m, const struct dt_attachment *a, struct dt_limit_verdict *v,
			bool text)
{
	char src[SOURCE_MAX];
	const struct dt_limits *lim = &a->lim;
	if ((lim->set & DT_LIM_MAX_SEGMENTS) && m->nents > lim->max_segments) {
		v->broken = true;
		if (text)
			snprintf(v->why, sizeof(v->why), "%" PRIu64 " DMA segments but %s takes at most %" PRIu64 "%s", m->nents,
			 a->dev, lim->max_segments, source(a, DT_LIM_MAX_SEGMENTS, src));
	}
}

static void judge_contig(const struct dt_mapping *m, const struct dt_attachment *a, struct dt_limit_verdict *v,
			 bool text)
{
	char src[SOURCE_MAX];
	const struct dt_limits *lim = &a->lim;
	if (!(lim->set & DT_LIM_CONTIGUOUS) || !lim->contiguous)
		return;
	if (m->contiguous_known && !m->contiguous) {
		v->broken = true;
		if (text)
			snprintf(v->why, sizeof(v->why),
			 "%s needs contiguous DMA memory%s but the mapping is %" PRIu64
			 " DMA segments that are not one back-to-back range", a->dev, source(a, DT_LIM_CONTIGUOUS, src),
			 m->segs_total);
	} else if (!m->contiguous_known) {
		v->unverified = true;
		if (text)
			snprintf(v->why, sizeof(v->why),
			 "%s needs contiguous DMA memory but only %u of %" PRIu64
			 " segments were recorded and they are adjacent: cannot tell", a->dev, m->nsegs, m->segs_total);
	}
}

static void judge_size(const struct dt_mapping *m, bool own, const struct dt_attachment *a,
		       struct dt_limit_verdict *v, bool text)
{
	char src[SOURCE_MAX];
	char s1[64], s2[64];
	const struct dt_limits *lim = &a->lim;
	if (!(lim->set & DT_LIM_MAX_SEG_SIZE))
		return;
	uint64_t longest = m->max_seg;
	/* Its own mapping, only the default known, but an IOMMU merged every CPU entry into this one segment: iommu-dma merges
	 * only up to the device's dma_get_max_seg_size(), so its limit is at least the segment's length. */
	bool merged_proves_limit = own && a->limits_untraced && !(a->lim_profile & DT_LIM_MAX_SEG_SIZE) && m->nents == 1 &&
				   m->orig_nents > 1;
	if (longest > lim->max_seg_size && !merged_proves_limit) {
		v->broken = true;
		/* Only the kernel's default is known: the device declared none, or the trace does not say (ftrace
		 * tracepoints carry no dma_parms). The same fact gets the same severity on every path. */
		bool from_profile = a->lim_profile & DT_LIM_MAX_SEG_SIZE;
		bool kernel_default = !a->dma_parms && !from_profile;
		bool untraced = a->limits_untraced && !from_profile;
		v->soft = kernel_default || untraced;
		if (text)
			dt_join(v->why, sizeof(v->why), "a DMA segment of ", dt_fmt_size_exact(s1, sizeof(s1), longest), " exceeds ",
			a->dev, "'s max_segment_size of ", dt_fmt_size_exact(s2, sizeof(s2), lim->max_seg_size),
			kernel_default ? " (only the kernel's 64 KiB default: the device never declared a max segment size)"
			: untraced ? " (only the kernel's 64 KiB default: the trace does not carry the device's limits)"
				   : source(a, DT_LIM_MAX_SEG_SIZE, src), (const char *)NULL);
	} else if (!m->max_seg_known) {
		v->unverified = true;
		if (text)
			snprintf(v->why, sizeof(v->why),
			 "only %u of %" PRIu64 " segments were recorded (none longer than %s's %s limit): cannot tell",
			 m->nsegs, m->segs_total, a->dev, dt_fmt_size_exact(s2, sizeof(s2), lim->max_seg_size));
	}
}

static void judge_boundary(const struct dt_mapping *m, bool own, const struct dt_attachment *a,
			   struct dt_limit_verdict *v, bool text)
{
	char src[SOURCE_MAX];
	char s1[32];
	const struct dt_limits *lim = &a->lim;
	uint64_t mask = lim->seg_boundary_mask;
	if (!(lim->set & DT_LIM_SEG_BOUNDARY) || mask == UINT64_MAX)
		return;
	/* The kernel counted crossings over the full view, but for the mapper's own kernel mask:
	 * it says nothing about another importer's mask or a mask from the profile. */
	bool kernel_counted = m->crossings_known && own && !(a->lim_profile & DT_LIM_SEG_BOUNDARY);
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
		v->broken = true;
		if (!text)
			return;
		if (first_len)
			snprintf(v->why, sizeof(v->why),
				 "%" PRIu64 " DMA segment%s cross%s %s's segment boundary (mask 0x%" PRIx64 "%s), "
				 "first at 0x%" PRIx64 " + %s", found, found == 1 ? "" : "s", found == 1 ? "es" : "",
				 a->dev, mask, source(a, DT_LIM_SEG_BOUNDARY, src), first_addr,
				 dt_fmt_size(s1, sizeof(s1), first_len));
		else
			snprintf(v->why, sizeof(v->why),
				 "%" PRIu64 " DMA segment%s cross%s %s's segment boundary (mask 0x%" PRIx64 "%s)",
				 found, found == 1 ? "" : "s", found == 1 ? "es" : "", a->dev, mask,
				 source(a, DT_LIM_SEG_BOUNDARY, src));
	} else if (m->nsegs < m->segs_total && !kernel_counted) {
		v->unverified = true;
		if (text)
			snprintf(v->why, sizeof(v->why),
			 "only %u of %" PRIu64 " segments were recorded (none crosses mask 0x%" PRIx64 "): cannot tell",
			 m->nsegs, m->segs_total, mask);
	}
}

/* Redaction keeps every boundary up to 4 GiB (docs/trace-format.md): a larger mask's crossings, found or not,
 * are the redacted addresses', not the kernel's. The kernel's own count for the mapper's mask still holds. */
static bool boundary_redacted_away(const struct dt_mapping *m, bool own, const struct dt_attachment *a,
				   struct dt_limit_verdict *v, bool text)
{
	const struct dt_limits *lim = &a->lim;
	uint64_t mask = lim->seg_boundary_mask;
	if (!m->addrs_redacted || !(lim->set & DT_LIM_SEG_BOUNDARY) || mask <= 0xffffffffu || mask == UINT64_MAX ||
	    (m->crossings_known && own && !(a->lim_profile & DT_LIM_SEG_BOUNDARY)))
		return false;
	v->unverified = true;
	if (text)
		snprintf(v->why, sizeof(v->why),
			 "the trace's segment addresses are redacted, which keeps boundaries up to 4 GiB only: whether a "
			 "segment crosses %s's mask 0x%" PRIx64 " cannot be told", a->dev, mask);
	return true;
}

static void judge(enum dt_limit_check check, const struct dt_mapping *m, bool own, const struct dt_attachment *a,
		  struct dt_limit_verdict *v, bool text)
{
	v->broken = v->unverified = v->soft = false;
	v->why[0] = '\0';
	switch (check) {
	case DT_CHECK_COUNT: judge_count(m, a, v, text); break;
	case DT_CHECK_CONTIG: judge_contig(m, a, v, text); break;
	case DT_CHECK_SIZE: judge_size(m, own, a, v, text); break;
	case DT_CHECK_BOUNDARY:
		if (!boundary_redacted_away(m, own, a, v, text))
			judge_boundary(m, own, a, v, text);
		break;
	case DT_CHECK__N: break;
	}
}

void dt_judge_limit(enum dt_limit_check check, const struct dt_mapping *m, bool own, const struct dt_attachment *a,
		    struct dt_limit_verdict *v)
{
	judge(check, m, own, a, v, true);
}

const char *dt_mapped_by(const char *map_by, char *out, size_t outsz)
{
	if (!map_by)
		return "";
	return dt_join(out, outsz, "; mapped by ", map_by, (const char *)NULL);
}

struct own_mapping {
	enum dt_limit_check check;
	const struct dt_attachment *att;
};

/* The message of judge_own_mapping's finding, made only when someone reads it: the verdict again, with text. */
static void own_mapping_text(const void *ctx, char *out, size_t outsz)
{
	const struct own_mapping *o = ctx;
	struct dt_limit_verdict v;
	char who[600];
	dt_judge_limit(o->check, &o->att->map, true, o->att, &v);
	if (v.broken)
		dt_join(out, outsz, v.why, dt_mapped_by(o->att->map_by, who, sizeof(who)), (const char *)NULL);
	else
		dt_join(out, outsz, v.why, (const char *)NULL);
}

/* A new mapping against its own importer's limit. */
static void judge_own_mapping(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_limit_check check,
			      enum dt_rule_id rule)
{
	struct dt_limit_verdict v;
	judge(check, &t->att->map, true, t->att, &v, false);
	struct own_mapping o = {check, t->att};
	if (v.broken)
		dt_emit_rendered(rc, t, rule, v.soft ? DT_SEV_WARNING : DT_SEV_ERROR, false, own_mapping_text, &o);
	else if (v.unverified)
		dt_emit_rendered(rc, t, rule, DT_SEV_WARNING, true, own_mapping_text, &o);
}

void dt_rule_segment_count(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	judge_own_mapping(rc, t, DT_CHECK_COUNT, DT_RULE_SEGMENT_COUNT);
}

void dt_rule_not_contiguous(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	judge_own_mapping(rc, t, DT_CHECK_CONTIG, DT_RULE_NOT_CONTIGUOUS);
}

void dt_rule_segment_size(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	judge_own_mapping(rc, t, DT_CHECK_SIZE, DT_RULE_SEGMENT_SIZE);
}

void dt_rule_segment_boundary(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	judge_own_mapping(rc, t, DT_CHECK_BOUNDARY, DT_RULE_SEGMENT_BOUNDARY);
}

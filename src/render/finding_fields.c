// SPDX-License-Identifier: Apache-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json_gen.h"
#include "render/finding_fields.h"
#include "render/findings.h"

const struct dt_first_map *dt_finding_mapper(const struct dt_finding *f)
{
	/* The first successful map fixed the placement (rules/late_attach.c): that mapper, live or not. */
	if (f->rule != DT_RULE_LATE_ATTACH || !f->buf || !f->buf->first_map.seen)
		return NULL;
	return &f->buf->first_map;
}

/* Who mapped, from its fields (engine.h): never parsed back from map_by's text, which an untrusted comm
 * holding " via " or "[1]" would make lie. Nothing when only that text is known or it names no one. */
static void json_task(struct dt_jline *l, const struct dt_caller *who)
{
	if (!who->known || (!who->comm && !who->nframes))
		return;
	if (who->comm) {
		dt_jline_str(l, "comm", who->comm);
		if (who->has_pid)
			dt_jline_i64(l, "pid", who->pid);
	}
	dt_jline_key(l, "stack");
	dt_jline_open(l, '[');
	for (unsigned i = 0; i < who->nframes; i++)
		dt_jline_strn(l, who->frames[i], strlen(who->frames[i]));
	dt_jline_close(l, ']');
}

/* Where the limit came from, as the message says it: a profile, the importer's code (implied), only the
 * kernel's default because the trace does not carry the device's limits (untraced), the kernel's default
 * because the device declared none, or the device's own (kernel). */
static const char *source(const struct dt_attachment *a, unsigned bit)
{
	if (a->lim_profile & bit)
		return "profile";
	if (a->lim_implied & bit)
		return "implied";
	if (a->limits_untraced)
		return "untraced";
	if (bit == DT_LIM_MAX_SEG_SIZE && !a->dma_parms)
		return "kernel-default";
	return "kernel";
}

static void json_limit(struct dt_jline *l, const struct dt_attachment *a, unsigned which)
{
	dt_jline_key(l, "limit");
	dt_jline_open(l, '{');
	const struct dt_limits *lim = &a->lim;
	unsigned from = 0;
	if ((which & DT_LIM_MAX_SEGMENTS) && (lim->set & DT_LIM_MAX_SEGMENTS)) {
		dt_jline_u64(l, "max_segments", lim->max_segments);
		from = from ? from : DT_LIM_MAX_SEGMENTS;
	}
	if ((which & DT_LIM_CONTIGUOUS) && (lim->set & DT_LIM_CONTIGUOUS)) {
		dt_jline_bool(l, "contiguous", lim->contiguous);
		from = from ? from : DT_LIM_CONTIGUOUS;
	}
	if ((which & DT_LIM_MAX_SEG_SIZE) && (lim->set & DT_LIM_MAX_SEG_SIZE)) {
		dt_jline_u64(l, "max_segment_size", lim->max_seg_size);
		from = from ? from : DT_LIM_MAX_SEG_SIZE;
	}
	if ((which & DT_LIM_SEG_BOUNDARY) && (lim->set & DT_LIM_SEG_BOUNDARY)) {
		dt_jline_u64(l, "segment_boundary_mask", lim->seg_boundary_mask);
		from = from ? from : DT_LIM_SEG_BOUNDARY;
	}
	if (from && (which & (which - 1)) == 0) /* one limit: say where it came from */
		dt_jline_str(l, "from", source(a, from));
	dt_jline_close(l, '}');
}

static void json_observed(struct dt_jline *l, const struct dt_mapping *m)
{
	dt_jline_key(l, "observed");
	dt_jline_open(l, '{');
	dt_jline_u64(l, "nents", m->nents);
	dt_jline_u64(l, "segments", m->segs_total);
	if (m->max_seg_known)
		dt_jline_u64(l, "max_segment", m->max_seg);
	if (m->contiguous_known)
		dt_jline_bool(l, "contiguous", m->contiguous);
	if (m->crossings_known)
		dt_jline_u64(l, "crossings", m->crossings);
	dt_jline_bool(l, "segments_truncated", m->nsegs < m->segs_total);
	dt_jline_close(l, '}');
}

void dt_finding_json_extra(struct dt_jline *l, const struct dt_finding *f)
{
	dt_jline_u64(l, "schema", DT_FINDING_SCHEMA);
	unsigned which = 0;
	switch (f->rule) {
	case DT_RULE_SEGMENT_COUNT: which = DT_LIM_MAX_SEGMENTS; break;
	case DT_RULE_NOT_CONTIGUOUS: which = DT_LIM_CONTIGUOUS; break;
	case DT_RULE_SEGMENT_SIZE: which = DT_LIM_MAX_SEG_SIZE; break;
	case DT_RULE_SEGMENT_BOUNDARY: which = DT_LIM_SEG_BOUNDARY; break;
	case DT_RULE_LATE_ATTACH: which = ~0u; break;
	default: break;
	}
	const struct dt_first_map *mapper = dt_finding_mapper(f);
	if (mapper) {
		dt_jline_key(l, "mapper");
		dt_jline_open(l, '{');
		dt_jline_u64(l, "att", mapper->att);
		dt_jline_str(l, "dev", mapper->dev);
		const char *driver = NULL; /* known while that attachment is live */
		for (const struct dt_attachment *o = f->buf->atts; o; o = o->next)
			if (o->id == mapper->att)
				driver = o->driver;
		dt_jline_str(l, "driver", driver);
		dt_jline_u64(l, "ts", mapper->ts);
		dt_jline_bool(l, "live", !mapper->ended);
		json_task(l, &mapper->who);
		dt_jline_close(l, '}');
	}
	if (which && f->att && !f->att->provisional) {
		json_limit(l, f->att, which);
		/* what the importer was judged against: its own mapping, or for late-attach the buffer's last layout */
		const struct dt_mapping *m = f->rule == DT_RULE_LATE_ATTACH ? dt_buffer_last_map(f->buf) : &f->att->map;
		if (m)
			json_observed(l, m);
	}
}

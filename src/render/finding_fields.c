// SPDX-License-Identifier: Apache-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

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

/* map_by is "comm[pid] via frame <- frame" (engine.c): its task and frames as fields. */
static void json_task(yajl_gen g, const char *map_by)
{
	if (!map_by)
		return;
	const char *via = strstr(map_by, " via ");
	const char *task_end = via ? via : map_by + strlen(map_by);
	if (!strncmp(map_by, "via ", 4)) { /* frames, no task */
		via = map_by - 1;
		task_end = map_by;
	}
	if (task_end > map_by && task_end[-1] == ']') {
		const char *open = task_end - 1;
		while (open > map_by && *open != '[')
			open--;
		if (*open == '[') {
			char pid[24];
			size_t n = (size_t)(task_end - 1 - open - 1);
			if (n < sizeof(pid)) {
				memcpy(pid, open + 1, n);
				pid[n] = '\0';
				dt_json_key(g, "comm");
				dt_json_strn(g, map_by, (size_t)(open - map_by));
				dt_json_key(g, "pid");
				yajl_gen_integer(g, strtoll(pid, NULL, 10));
			}
		}
	}
	dt_json_key(g, "stack");
	yajl_gen_array_open(g);
	for (const char *p = via ? via + 5 : NULL; p && *p;) {
		const char *e = strstr(p, " <- ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		dt_json_strn(g, p, n);
		p = e ? e + 4 : NULL;
	}
	yajl_gen_array_close(g);
}

static const char *source(const struct dt_attachment *a, unsigned bit)
{
	if (a->lim_profile & bit)
		return "profile";
	if (bit == DT_LIM_MAX_SEG_SIZE && !a->dma_parms)
		return "kernel-default";
	return "kernel";
}

static void json_limit(yajl_gen g, const struct dt_attachment *a, unsigned which)
{
	dt_json_key(g, "limit");
	yajl_gen_map_open(g);
	const struct dt_limits *l = &a->lim;
	unsigned from = 0;
	if ((which & DT_LIM_MAX_SEGMENTS) && (l->set & DT_LIM_MAX_SEGMENTS)) {
		dt_json_u64(g, "max_segments", l->max_segments);
		from = from ? from : DT_LIM_MAX_SEGMENTS;
	}
	if ((which & DT_LIM_CONTIGUOUS) && (l->set & DT_LIM_CONTIGUOUS)) {
		dt_json_bool(g, "contiguous", l->contiguous);
		from = from ? from : DT_LIM_CONTIGUOUS;
	}
	if ((which & DT_LIM_MAX_SEG_SIZE) && (l->set & DT_LIM_MAX_SEG_SIZE)) {
		dt_json_u64(g, "max_segment_size", l->max_seg_size);
		from = from ? from : DT_LIM_MAX_SEG_SIZE;
	}
	if ((which & DT_LIM_SEG_BOUNDARY) && (l->set & DT_LIM_SEG_BOUNDARY)) {
		dt_json_u64(g, "segment_boundary_mask", l->seg_boundary_mask);
		from = from ? from : DT_LIM_SEG_BOUNDARY;
	}
	if (from && (which & (which - 1)) == 0) /* one limit: say where it came from */
		dt_json_str(g, "from", source(a, from));
	yajl_gen_map_close(g);
}

static void json_observed(yajl_gen g, const struct dt_mapping *m)
{
	dt_json_key(g, "observed");
	yajl_gen_map_open(g);
	dt_json_u64(g, "nents", m->nents);
	dt_json_u64(g, "segments", m->segs_total);
	if (m->max_seg_known)
		dt_json_u64(g, "max_segment", m->max_seg);
	if (m->contiguous_known)
		dt_json_bool(g, "contiguous", m->contiguous);
	if (m->crossings_known)
		dt_json_u64(g, "crossings", m->crossings);
	dt_json_bool(g, "segments_truncated", m->nsegs < m->segs_total);
	yajl_gen_map_close(g);
}

size_t dt_finding_json_extra(char *out, size_t outsz, const struct dt_finding *f)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return 0;
	yajl_gen_map_open(g);
	dt_json_u64(g, "schema", DT_FINDING_SCHEMA);
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
		dt_json_key(g, "mapper");
		yajl_gen_map_open(g);
		dt_json_u64(g, "att", mapper->att);
		dt_json_str(g, "dev", mapper->dev);
		const char *driver = NULL; /* known while that attachment is live */
		for (const struct dt_attachment *o = f->buf->atts; o; o = o->next)
			if (o->id == mapper->att)
				driver = o->driver;
		dt_json_str(g, "driver", driver);
		dt_json_u64(g, "ts", mapper->ts);
		dt_json_bool(g, "live", !mapper->ended);
		json_task(g, mapper->map_by);
		yajl_gen_map_close(g);
	}
	if (which && f->att && !f->att->provisional) {
		json_limit(g, f->att, which);
		/* what the importer was judged against: its own mapping, or for late-attach the buffer's last layout */
		const struct dt_mapping *m = f->rule == DT_RULE_LATE_ATTACH ? dt_buffer_last_map(f->buf) : &f->att->map;
		if (m)
			json_observed(g, m);
	}
	yajl_gen_map_close(g);
	const unsigned char *buf;
	size_t len;
	yajl_gen_get_buf(g, &buf, &len);
	size_t n = 0;
	/* the members without the braces, after a comma */
	if (len >= 2 && len - 2 + 2 <= outsz) {
		out[0] = ',';
		memcpy(out + 1, buf + 1, len - 2);
		n = len - 1;
		out[n] = '\0';
	}
	yajl_gen_free(g);
	return n;
}

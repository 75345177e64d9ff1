/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "common/json_gen.h"
#include "render/advise.h"
#include "common/escape.h"
#include "common/units.h"

static const char *const verdict_names[] = {
	[DT_VERDICT_NOT_MAPPED] = "not mapped",
	[DT_VERDICT_SATISFIED] = "satisfied",
	[DT_VERDICT_UNKNOWN] = "cannot tell",
	[DT_VERDICT_SOFT] = "broke only the kernel's default limit",
	[DT_VERDICT_REFUSED] = "refused by the kernel",
	[DT_VERDICT_BROKEN] = "NOT satisfied",
};

const char *dt_verdict_name(enum dt_verdict v)
{
	return verdict_names[v];
}

static bool same_device(const struct dt_model_att *a, const struct dt_model_att *b)
{
	if (a->provisional != b->provisional || strcmp(a->dev, b->dev) != 0)
		return false;
	return (!a->driver && !b->driver) || (a->driver && b->driver && strcmp(a->driver, b->driver) == 0);
}

/* What one finding says about the importer's mapping (NOT_MAPPED: nothing, the lowest verdict). */
static enum dt_verdict judge(const struct dt_model_finding *f)
{
	switch (f->rule) {
	case DT_RULE_SEGMENT_COUNT:
	case DT_RULE_NOT_CONTIGUOUS:
	case DT_RULE_SEGMENT_SIZE:
	case DT_RULE_SEGMENT_BOUNDARY:
		if (f->sev == DT_SEV_ERROR)
			return DT_VERDICT_BROKEN;
		return f->unverified ? DT_VERDICT_UNKNOWN : DT_VERDICT_SOFT;
	case DT_RULE_LATE_ATTACH: /* an error: the live mapping breaks the late importer's limits */
		return f->sev == DT_SEV_ERROR ? DT_VERDICT_BROKEN : DT_VERDICT_NOT_MAPPED;
	case DT_RULE_MAP_FAILED:
		return DT_VERDICT_REFUSED;
	default: /* lifecycle findings say nothing about the backing */
		return DT_VERDICT_NOT_MAPPED;
	}
}

/* Strictness order: needs contiguous, fewest segments, smallest segments, narrowest boundary. */
static int stricter(const struct dt_limits *a, const struct dt_limits *b)
{
	bool ca = (a->set & DT_LIM_CONTIGUOUS) && a->contiguous, cb = (b->set & DT_LIM_CONTIGUOUS) && b->contiguous;
	if (ca != cb)
		return ca ? -1 : 1;
	uint64_t sa = a->set & DT_LIM_MAX_SEGMENTS ? a->max_segments : UINT64_MAX;
	uint64_t sb = b->set & DT_LIM_MAX_SEGMENTS ? b->max_segments : UINT64_MAX;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->max_seg_size != b->max_seg_size)
		return a->max_seg_size < b->max_seg_size ? -1 : 1;
	if (a->seg_boundary_mask != b->seg_boundary_mask)
		return a->seg_boundary_mask < b->seg_boundary_mask ? -1 : 1;
	return 0;
}

/* Which parts of the intersection an importer's limits set (equal them). */
static unsigned defines(const struct dt_limits *l, const struct dt_limits *meet)
{
	unsigned d = 0;
	if (meet->contiguous && (l->set & DT_LIM_CONTIGUOUS) && l->contiguous)
		d |= DT_LIM_CONTIGUOUS;
	if ((meet->set & DT_LIM_MAX_SEGMENTS) && (l->set & DT_LIM_MAX_SEGMENTS) && l->max_segments == meet->max_segments)
		d |= DT_LIM_MAX_SEGMENTS;
	if (l->max_seg_size == meet->max_seg_size && meet->max_seg_size != UINT64_MAX)
		d |= DT_LIM_MAX_SEG_SIZE;
	if (l->seg_boundary_mask == meet->seg_boundary_mask && meet->seg_boundary_mask != UINT64_MAX)
		d |= DT_LIM_SEG_BOUNDARY;
	return d;
}

int dt_advise_buffer(const struct dt_model *m, size_t bi, struct dt_advice *out)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	memset(out, 0, sizeof(*out));
	out->strictest = DT_MODEL_NONE;
	out->imp = calloc(b->natts + 1, sizeof(*out->imp));
	if (!out->imp)
		return -1;
	out->meet.max_seg_size = UINT64_MAX;
	out->meet.seg_boundary_mask = UINT64_MAX;
	out->meet.max_segments = UINT64_MAX;
	for (size_t k = 0; k < b->natts; k++) {
		const struct dt_model_att *a = &m->atts[b->atts[k]];
		struct dt_advice_importer *imp = NULL;
		for (size_t i = 0; i < out->nimp && !imp; i++)
			if (same_device(&m->atts[out->imp[i].att], a))
				imp = &out->imp[i];
		if (!imp) {
			imp = &out->imp[out->nimp++];
			imp->att = b->atts[k];
			imp->why = DT_MODEL_NONE;
			imp->verdict = DT_VERDICT_NOT_MAPPED;
		}
		imp->natts++;
		for (size_t i = 0; i < a->nmaps; i++)
			imp->maps += !a->maps[i].failed;
		if (imp->maps && imp->verdict == DT_VERDICT_NOT_MAPPED)
			imp->verdict = DT_VERDICT_SATISFIED;
		for (size_t i = a->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext) {
			const struct dt_model_finding *f = &m->findings[i];
			if (f->rule == DT_RULE_LATE_ATTACH)
				imp->late = true;
			enum dt_verdict v = judge(f);
			if (v > imp->verdict) {
				imp->verdict = v;
				imp->why = i;
			}
		}
	}
	for (size_t i = 0; i < out->nimp; i++) {
		const struct dt_model_att *a = &m->atts[out->imp[i].att];
		if (out->imp[i].verdict > out->overall)
			out->overall = out->imp[i].verdict;
		if (a->provisional)
			continue; /* limits unknown */
		out->known++;
		const struct dt_limits *l = &a->lim;
		if ((l->set & DT_LIM_MAX_SEG_SIZE) && l->max_seg_size < out->meet.max_seg_size)
			out->meet.max_seg_size = l->max_seg_size;
		if (l->set & DT_LIM_SEG_BOUNDARY)
			out->meet.seg_boundary_mask &= l->seg_boundary_mask;
		if ((l->set & DT_LIM_MAX_SEGMENTS) && l->max_segments < out->meet.max_segments)
			out->meet.max_segments = l->max_segments;
		if ((l->set & DT_LIM_CONTIGUOUS) && l->contiguous)
			out->meet.contiguous = true;
		out->meet.set |= l->set;
		if (out->strictest == DT_MODEL_NONE || stricter(l, &m->atts[out->imp[out->strictest].att].lim) < 0)
			out->strictest = i;
	}
	if (!(out->meet.set & DT_LIM_CONTIGUOUS))
		out->meet.contiguous = false;
	out->meet.set &= ~(unsigned)(out->meet.contiguous ? 0 : DT_LIM_CONTIGUOUS);
	if (out->strictest != DT_MODEL_NONE)
		out->defines = defines(&m->atts[out->imp[out->strictest].att].lim, &out->meet);
	return 0;
}

void dt_advice_free(struct dt_advice *a)
{
	free(a->imp);
	a->imp = NULL;
}

static const char *fmt_mask(char *out, size_t n, uint64_t mask)
{
	char sz[32];
	if (mask == UINT64_MAX)
		snprintf(out, n, "none");
	else
		snprintf(out, n, "0x%" PRIx64 " (%s)", mask, dt_fmt_size(sz, sizeof(sz), mask + 1));
	return out;
}

/* "contiguous, at most 1 segment, segments up to 64 KiB, within 0xffffffff (4 GiB) boundaries" */
static const char *fmt_limits(char *out, size_t n, const struct dt_limits *l, unsigned only, bool kernel_default)
{
	char sz[64], mask[64];
	size_t k = 0;
	out[0] = '\0';
	if ((only & DT_LIM_CONTIGUOUS) && (l->set & DT_LIM_CONTIGUOUS) && l->contiguous)
		k += (size_t)snprintf(out + k, n - k, "contiguous");
	if ((only & DT_LIM_MAX_SEGMENTS) && (l->set & DT_LIM_MAX_SEGMENTS) && k < n)
		k += (size_t)snprintf(out + k, n - k, "%sat most %" PRIu64 " segment%s", k ? ", " : "", l->max_segments,
				      l->max_segments == 1 ? "" : "s");
	if ((only & DT_LIM_MAX_SEG_SIZE) && l->max_seg_size != UINT64_MAX && k < n)
		k += (size_t)snprintf(out + k, n - k, "%ssegments up to %s%s", k ? ", " : "",
				      dt_fmt_size_exact(sz, sizeof(sz), l->max_seg_size), kernel_default ? " (kernel default)" : "");
	if ((only & DT_LIM_SEG_BOUNDARY) && l->seg_boundary_mask != UINT64_MAX && k < n)
		k += (size_t)snprintf(out + k, n - k, "%sno segment across a %s boundary", k ? ", " : "",
				      fmt_mask(mask, sizeof(mask), l->seg_boundary_mask));
	if (!k)
		snprintf(out, n, "no limits");
	return out;
}

void dt_advise_print(FILE *out, const struct dt_model *m, size_t bi, const struct dt_advice *adv)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	char desc[DT_STR_MAX * 10], dev[DT_STR_MAX * 10], lim[400], msg[2048];
	fprintf(out, "buffer %s\n", dt_model_describe_buf(desc, sizeof(desc), b, dt_escape_text));
	if (!adv->nimp) {
		fprintf(out, "  no importer attached%s\n\n", b->failed_attaches ? " (the kernel refused every attach)" : "");
		return;
	}
	fprintf(out, "  importers (%zu):\n", adv->nimp);
	for (size_t i = 0; i < adv->nimp; i++) {
		const struct dt_advice_importer *imp = &adv->imp[i];
		const struct dt_model_att *a = &m->atts[imp->att];
		dt_model_describe_att(dev, sizeof(dev), a, dt_escape_text);
		if (a->provisional)
			snprintf(lim, sizeof(lim), "limits unknown (attach not traced)");
		else
			fmt_limits(lim, sizeof(lim), &a->lim, ~0u, !a->dma_parms && !(a->lim_profile & DT_LIM_MAX_SEG_SIZE));
		fprintf(out, "    %-30s %s%s; %" PRIu64 " map%s: %s\n", dev, lim, imp->late ? "; attached late" : "", imp->maps,
			imp->maps == 1 ? "" : "s", dt_verdict_name(imp->verdict));
		if (imp->why != DT_MODEL_NONE) {
			const struct dt_model_finding *f = &m->findings[imp->why];
			dt_escape_text(msg, sizeof(msg), f->message, strlen(f->message));
			fprintf(out, "      %s: %s\n", dt_rule_info[f->rule].id, msg);
		}
	}
	if (adv->strictest == DT_MODEL_NONE) {
		fprintf(out, "  no importer's limits are known (their attaches were not traced)\n\n");
		return;
	}
	fprintf(out, "  intersection: %s\n", fmt_limits(lim, sizeof(lim), &adv->meet, ~0u, false));
	const struct dt_model_att *s = &m->atts[adv->imp[adv->strictest].att];
	dt_model_describe_att(dev, sizeof(dev), s, dt_escape_text);
	if (adv->known == 1) {
		fprintf(out, "  most restrictive: %s (the only importer with known limits)\n", dev);
	} else if (adv->defines) {
		fprintf(out, "  most restrictive: %s (sets %s)\n", dev,
			fmt_limits(lim, sizeof(lim), &adv->meet, adv->defines, false));
	} else {
		fprintf(out, "  most restrictive: %s (no importer has limits beyond the others)\n", dev);
	}
	/* Ties, and importers that set a part of the intersection the strictest does not. */
	for (size_t i = 0; i < adv->nimp; i++) {
		const struct dt_model_att *o = &m->atts[adv->imp[i].att];
		if (i == adv->strictest || o->provisional)
			continue;
		char odev[DT_STR_MAX * 10];
		dt_model_describe_att(odev, sizeof(odev), o, dt_escape_text);
		unsigned d = defines(&o->lim, &adv->meet);
		if (stricter(&o->lim, &s->lim) == 0)
			fprintf(out, "  equally strict: %s\n", odev);
		else if (d & ~adv->defines)
			fprintf(out, "  also constraining: %s (sets %s)\n", odev,
				fmt_limits(lim, sizeof(lim), &adv->meet, d & ~adv->defines, false));
	}
	/* The exporter is usually a driver or heap name: say if it already is the strictest importer's driver. */
	bool exporter_is_strictest = b->exporter && s->driver && strcmp(b->exporter, s->driver) == 0;
	bool late = false;
	for (size_t i = 0; i < adv->nimp; i++)
		late |= adv->imp[i].late;
	if (exporter_is_strictest)
		fprintf(out, "  advice: the exporter already is %s's driver; keep it%s\n", dev,
			late ? ", and attach every importer before the first map" : "");
	else if (adv->known > 1)
		fprintf(out, "  advice: let %s export the buffer, or allocate from a heap that meets the intersection%s\n",
			dev, late ? "; attach every importer before the first map so the exporter sees all their limits" : "");
	else
		fprintf(out, "  advice: allocate to %s's limits%s\n", dev,
			late ? "; attach every importer before the first map" : "");
	const char *verdict;
	switch (adv->overall) {
	case DT_VERDICT_NOT_MAPPED: verdict = "never mapped: nothing to judge"; break;
	case DT_VERDICT_SATISFIED: verdict = "satisfied every importer"; break;
	case DT_VERDICT_UNKNOWN: verdict = "cannot tell for every importer (segments were truncated)"; break;
	case DT_VERDICT_SOFT: verdict = "broke only the kernel's default 64 KiB limit of an importer without dma_parms"; break;
	case DT_VERDICT_REFUSED: verdict = "the kernel refused to map it for an importer"; break;
	default: verdict = "did NOT satisfy every importer"; break;
	}
	fprintf(out, "  recorded backing: %s\n\n", verdict);
}

/* Stable ids for machines (dt_verdict_name is for people). */
static const char *const verdict_id[] = {
	[DT_VERDICT_NOT_MAPPED] = "not-mapped", [DT_VERDICT_SATISFIED] = "satisfied", [DT_VERDICT_UNKNOWN] = "unknown",
	[DT_VERDICT_SOFT] = "default-limit-only", [DT_VERDICT_REFUSED] = "refused", [DT_VERDICT_BROKEN] = "broken",
};

static void json_limits(yajl_gen g, const char *key, const struct dt_limits *l)
{
	dt_json_key(g, key);
	yajl_gen_map_open(g);
	if (l->set & DT_LIM_MAX_SEGMENTS)
		dt_json_u64(g, "max_segments", l->max_segments);
	if (l->set & DT_LIM_CONTIGUOUS)
		dt_json_bool(g, "contiguous", l->contiguous);
	if (l->set & DT_LIM_MAX_SEG_SIZE)
		dt_json_u64(g, "max_segment_size", l->max_seg_size);
	if (l->set & DT_LIM_SEG_BOUNDARY)
		dt_json_u64(g, "segment_boundary_mask", l->seg_boundary_mask);
	yajl_gen_map_close(g);
}

int dt_advise_json(FILE *out, const struct dt_model *m, size_t bi, const struct dt_advice *adv)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return -1;
	yajl_gen_map_open(g);
	dt_json_str(g, "trace", m->path);
	dt_json_u64(g, "buf", b->ino);
	dt_json_str(g, "exporter", b->exporter);
	dt_json_u64(g, "size", b->size);
	dt_json_str(g, "name", b->name);
	dt_json_key(g, "importers");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < adv->nimp; i++) {
		const struct dt_advice_importer *imp = &adv->imp[i];
		const struct dt_model_att *a = &m->atts[imp->att];
		yajl_gen_map_open(g);
		dt_json_u64(g, "att", a->id);
		dt_json_str(g, "dev", a->dev);
		dt_json_str(g, "driver", a->driver);
		if (a->provisional) {
			dt_json_key(g, "limits");
			yajl_gen_null(g);
		} else {
			json_limits(g, "limits", &a->lim);
		}
		dt_json_bool(g, "late", imp->late);
		dt_json_u64(g, "maps", imp->maps);
		dt_json_str(g, "verdict", verdict_id[imp->verdict]);
		dt_json_str(g, "rule", imp->why != DT_MODEL_NONE ? dt_rule_info[m->findings[imp->why].rule].id : NULL);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	if (adv->strictest == DT_MODEL_NONE) {
		dt_json_key(g, "intersection");
		yajl_gen_null(g);
		dt_json_key(g, "most_restrictive");
		yajl_gen_null(g);
	} else {
		json_limits(g, "intersection", &adv->meet);
		const struct dt_model_att *s = &m->atts[adv->imp[adv->strictest].att];
		dt_json_key(g, "most_restrictive");
		yajl_gen_map_open(g);
		dt_json_str(g, "dev", s->dev);
		dt_json_str(g, "driver", s->driver);
		yajl_gen_map_close(g);
	}
	dt_json_str(g, "verdict", verdict_id[adv->overall]);
	yajl_gen_map_close(g);
	const unsigned char *text;
	size_t len;
	yajl_gen_get_buf(g, &text, &len);
	fwrite(text, 1, len, out);
	fputc('\n', out);
	yajl_gen_free(g);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Builds struct dt_model from the engine's event and finding callbacks. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/analyse.h"
#include "common/escape.h"
#include "common/errors.h"
#include "render/model.h"
#include "common/u64map.h"
#include "common/units.h"

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 8;
	while (ncap < need)
		ncap *= 2;
	void *n = realloc(*arr, ncap * elem);
	if (!n)
		return false;
	*arr = n;
	*cap = ncap;
	return true;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void dt_model_init(struct dt_model *m, const char *path)
{
	memset(m, 0, sizeof(*m));
	m->path = path;
	m->live_bufs = calloc(1, sizeof(struct u64map));
	m->live_atts = calloc(1, sizeof(struct u64map));
	if (!m->live_bufs || !m->live_atts)
		m->oom = true;
}

static size_t lookup(struct u64map *map, uint64_t key)
{
	void *v = map ? u64map_get(map, key) : NULL;
	return v ? (size_t)(uintptr_t)v - 1 : DT_MODEL_NONE;
}

static void remember(struct dt_model *m, struct u64map *map, uint64_t key, size_t idx)
{
	if (!map || u64map_put(map, key, (void *)(uintptr_t)(idx + 1)) < 0)
		m->oom = true;
}

static void close_att(struct dt_model *m, size_t ai, uint64_t ts)
{
	struct dt_model_att *a = &m->atts[ai];
	for (size_t i = 0; i < a->nmaps; i++) {
		if (a->maps[i].open) {
			a->maps[i].open = false;
			a->maps[i].end_ts = ts;
		}
	}
	a->end_ts = ts;
	if (m->live_atts && lookup(m->live_atts, a->id) == ai)
		u64map_del(m->live_atts, a->id);
}

static void close_buf(struct dt_model *m, size_t bi, uint64_t ts)
{
	struct dt_model_buf *b = &m->bufs[bi];
	for (size_t i = 0; i < b->natts; i++)
		if (m->live_atts && lookup(m->live_atts, m->atts[b->atts[i]].id) == b->atts[i])
			close_att(m, b->atts[i], ts);
	b->end_ts = ts;
	if (m->live_bufs && lookup(m->live_bufs, b->ino) == bi)
		u64map_del(m->live_bufs, b->ino);
}

static size_t new_buf(struct dt_model *m, const struct dt_buffer *eb, uint64_t ts)
{
	if (!grow((void **)&m->bufs, &m->capbufs, m->nbufs + 1, sizeof(*m->bufs))) {
		m->oom = true;
		return DT_MODEL_NONE;
	}
	size_t bi = m->nbufs++;
	struct dt_model_buf *b = &m->bufs[bi];
	memset(b, 0, sizeof(*b));
	b->ino = eb->ino;
	b->size = eb->size;
	b->exporter = dup_or_null(eb->exporter);
	b->name = dup_or_null(eb->name);
	b->provisional = eb->provisional;
	b->first_ts = eb->first_ts ? eb->first_ts : ts;
	b->end_ts = ts;
	remember(m, m->live_bufs, eb->ino, bi);
	return bi;
}

/* The engine keeps a buffer's latest name (DMA_BUF_SET_NAME after export) and learns a seeded
 * buffer's size and exporter late: so does the model. */
static void sync_buf(struct dt_model *m, struct dt_model_buf *b, const struct dt_buffer *eb)
{
	if (eb->name && (!b->name || strcmp(b->name, eb->name) != 0)) {
		char *n = strdup(eb->name);
		if (!n) {
			m->oom = true;
			return;
		}
		free(b->name);
		b->name = n;
	}
	if (eb->exporter && !b->exporter && !(b->exporter = strdup(eb->exporter)))
		m->oom = true;
	if (!b->size)
		b->size = eb->size;
}

static size_t buf_for(struct dt_model *m, const struct dt_buffer *eb, uint64_t ts)
{
	if (!eb)
		return DT_MODEL_NONE;
	size_t bi = lookup(m->live_bufs, eb->ino);
	if (bi == DT_MODEL_NONE)
		return new_buf(m, eb, ts);
	sync_buf(m, &m->bufs[bi], eb);
	return bi;
}

static size_t att_for(struct dt_model *m, const struct dt_attachment *ea, uint64_t ts)
{
	if (!ea)
		return DT_MODEL_NONE;
	size_t ai = lookup(m->live_atts, ea->id);
	/* The same id attached anew (reused after a use after detach brought the old one back): a new attachment,
	 * the old one ends here. */
	if (ai != DT_MODEL_NONE && ea->attach_ts && m->atts[ai].attach_ts != ea->attach_ts) {
		close_att(m, ai, ts);
		ai = DT_MODEL_NONE;
	}
	if (ai != DT_MODEL_NONE)
		return ai;
	size_t bi = buf_for(m, ea->buf, ts);
	if (bi == DT_MODEL_NONE)
		return DT_MODEL_NONE;
	struct dt_model_buf *b = &m->bufs[bi];
	if (!grow((void **)&m->atts, &m->capatts, m->natts + 1, sizeof(*m->atts)) ||
	    !grow((void **)&b->atts, &b->capatts, b->natts + 1, sizeof(*b->atts))) {
		m->oom = true;
		return DT_MODEL_NONE;
	}
	ai = m->natts++;
	struct dt_model_att *a = &m->atts[ai];
	memset(a, 0, sizeof(*a));
	a->id = ea->id;
	a->buf = bi;
	a->dev = dup_or_null(ea->dev ? ea->dev : "?");
	a->driver = dup_or_null(ea->driver);
	a->provisional = ea->provisional;
	a->dma_parms = ea->dma_parms;
	a->lim = ea->lim;
	a->lim_profile = ea->lim_profile;
	a->attach_ts = ea->attach_ts ? ea->attach_ts : ts;
	a->end_ts = ts;
	b->atts[b->natts++] = ai;
	remember(m, m->live_atts, ea->id, ai);
	return ai;
}

void dt_model_on_event(void *ctx, const struct dt_event *ev, const struct dt_buffer *eb,
		       const struct dt_attachment *ea)
{
	struct dt_model *m = ctx;
	if (!m->seen_event) {
		m->seen_event = true;
		m->first_seen_ts = ev->ts;
	}
	if (ev->type == DT_EV_LOST || !eb)
		return;
	/* --buf/--exporter drop whole buffers, --dev/--driver the other importers' attachments. */
	if (m->select && !dt_select_buffer(m->select, eb->ino, eb->exporter, true))
		return;
	if (m->select && ea && !dt_select_device(m->select, ea->dev, ea->driver))
		return;
	if (ev->type == DT_EV_EXPORT) {
		size_t old = lookup(m->live_bufs, eb->ino);
		if (old != DT_MODEL_NONE) /* inode reused: the release was lost */
			close_buf(m, old, ev->ts);
	}
	size_t bi = buf_for(m, eb, ev->ts);
	if (bi == DT_MODEL_NONE)
		return;
	if (ev->ts > m->bufs[bi].end_ts)
		m->bufs[bi].end_ts = ev->ts;
	size_t ai = att_for(m, ea, ev->ts);
	struct dt_model_att *a = ai != DT_MODEL_NONE ? &m->atts[ai] : NULL;
	if (a && ev->ts > a->end_ts)
		a->end_ts = ev->ts;
	switch (ev->type) {
	case DT_EV_ATTACH:
		if (ev->has & DT_HAS_ERR)
			m->bufs[bi].failed_attaches++;
		break;
	case DT_EV_MAP: {
		if (!a)
			break;
		if (!grow((void **)&a->maps, &a->capmaps, a->nmaps + 1, sizeof(*a->maps))) {
			m->oom = true;
			break;
		}
		struct dt_model_map *mp = &a->maps[a->nmaps];
		memset(mp, 0, sizeof(*mp));
		mp->ts = mp->end_ts = ev->ts;
		for (size_t i = 0; i < a->nmaps; i++)
			mp->depth += a->maps[i].open;
		a->nmaps++;
		if (ev->has & DT_HAS_ERR) {
			mp->failed = true;
			mp->err = ev->err;
			break;
		}
		mp->open = true;
		mp->nents = ea->map.nents;
		mp->max_seg = ea->map.max_seg;
		mp->max_seg_known = ea->map.max_seg_known;
		mp->contiguous_known = ea->map.contiguous_known;
		mp->contiguous = ea->map.contiguous;
		break;
	}
	case DT_EV_UNMAP:
		if (!a)
			break;
		for (size_t i = a->nmaps; i-- > 0;) { /* innermost open map */
			if (a->maps[i].open) {
				a->maps[i].open = false;
				a->maps[i].unmapped = true;
				a->maps[i].end_ts = ev->ts;
				break;
			}
		}
		break;
	case DT_EV_DETACH:
		if (a) {
			a->detached = true;
			close_att(m, ai, ev->ts);
		}
		break;
	case DT_EV_RELEASE:
		m->bufs[bi].released = true;
		close_buf(m, bi, ev->ts);
		break;
	default:
		break;
	}
}

void dt_model_on_finding(void *ctx, const struct dt_finding *f)
{
	struct dt_model *m = ctx;
	if (f->sev < m->min_severity)
		return;
	if (m->select && !dt_select_finding(m->select, f, m->first_seen_ts))
		return;
	if (!grow((void **)&m->findings, &m->capfindings, m->nfindings + 1, sizeof(*m->findings))) {
		m->oom = true;
		return;
	}
	struct dt_model_finding mf = {
		.rule = f->rule,
		.sev = f->sev,
		.buf = buf_for(m, f->buf, f->ts),
		.att = att_for(m, f->att, f->ts),
		.ts = f->ts,
		.seq = f->seq,
		.incomplete = f->incomplete,
		.provisional = f->provisional,
		.unverified = f->unverified,
		.message = strdup(dt_finding_message(f)),
	};
	if (!mf.message) {
		m->oom = true;
		return;
	}
	m->findings[m->nfindings++] = mf;
}

void dt_model_finish(struct dt_model *m, uint64_t end_ts)
{
	m->ffirst_trace = DT_MODEL_NONE;
	for (size_t i = 0; i < m->nbufs; i++)
		m->bufs[i].ffirst = DT_MODEL_NONE;
	for (size_t i = 0; i < m->natts; i++)
		m->atts[i].ffirst = DT_MODEL_NONE;
	for (size_t i = m->nfindings; i-- > 0;) {
		struct dt_model_finding *f = &m->findings[i];
		size_t *head = f->att != DT_MODEL_NONE ? &m->atts[f->att].ffirst
			: f->buf != DT_MODEL_NONE ? &m->bufs[f->buf].ffirst : &m->ffirst_trace;
		f->fnext = *head;
		*head = i;
	}
	for (size_t i = 0; i < m->nbufs; i++)
		if (m->live_bufs && lookup(m->live_bufs, m->bufs[i].ino) == i)
			close_buf(m, i, end_ts);
	if (m->live_bufs)
		u64map_free(m->live_bufs);
	if (m->live_atts)
		u64map_free(m->live_atts);
	free(m->live_bufs);
	free(m->live_atts);
	m->live_bufs = m->live_atts = NULL;
}

enum dt_status dt_model_load(struct dt_model *m, const char *path, const struct dt_constraints *c, enum dt_severity min)
{
	return dt_model_load_full(m, path, c, c != NULL, min, false, NULL);
}

enum dt_status dt_model_load_snapshot(struct dt_model *m, const char *path, const struct dt_constraints *c,
				      enum dt_severity min, bool accept_bufinfo)
{
	return dt_model_load_full(m, path, c, c != NULL, min, accept_bufinfo, NULL);
}

int dt_model_load_constrained(struct dt_model *m, const char *path, const struct dt_constraints *c, bool given,
			      enum dt_severity min)
{
	return dt_model_load_full(m, path, c, given, min, false, NULL);
}

enum dt_status dt_model_load_full(struct dt_model *m, const char *path, const struct dt_constraints *c, bool given,
				  enum dt_severity min, bool accept_bufinfo, const struct dt_select *select)
{
	dt_model_init(m, path);
	m->min_severity = min;
	m->select = select;
	struct dt_analysis a = {
		.path = path,
		.accept_bufinfo = accept_bufinfo,
		.constraints = c,
		.constraints_given = given,
		.on_finding = dt_model_on_finding,
		.on_event = dt_model_on_event,
		.ctx = m,
	};
	enum dt_status rc = dt_analyse(&a);
	m->stats = a.stats;
	m->truncated = a.truncated;
	dt_model_finish(m, a.stats.engine.last_ts);
	if (rc == DT_OK && m->oom) {
		dt_err("%s: out of memory holding the trace", path);
		rc = DT_ERR_SYSTEM;
	}
	return rc;
}

void dt_model_free(struct dt_model *m)
{
	dt_model_finish(m, 0);
	for (size_t i = 0; i < m->nbufs; i++) {
		free(m->bufs[i].exporter);
		free(m->bufs[i].name);
		free(m->bufs[i].atts);
	}
	for (size_t i = 0; i < m->natts; i++) {
		free(m->atts[i].dev);
		free(m->atts[i].driver);
		free(m->atts[i].maps);
	}
	for (size_t i = 0; i < m->nfindings; i++)
		free(m->findings[i].message);
	free(m->bufs);
	free(m->atts);
	free(m->findings);
	memset(m, 0, sizeof(*m));
}

const char *dt_model_describe_buf(char *out, size_t outsz, const struct dt_model_buf *b, dt_escaper esc)
{
	return dt_format_buffer(out, outsz, b->ino, b->exporter, b->size, b->name, b->provisional, esc);
}

const char *dt_model_describe_att(char *out, size_t outsz, const struct dt_model_att *a, dt_escaper esc)
{
	return dt_format_device(out, outsz, a->dev, a->driver, a->provisional, esc);
}

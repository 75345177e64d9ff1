// SPDX-License-Identifier: Apache-2.0
/* late-attach: the exporter places the backing store no later than the buffer's first
 * successful map, so an importer that attaches after another device mapped cannot
 * influence the placement, whether or not that mapping is still live (6.1's DRM
 * exporters, vgem and udmabuf even keep it cached after unmap). Once per (buffer,
 * device); judged against the last known layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/u64map.h"
#include "rules/limits.h"
#include "rules/rule.h"

/* Per buffer: the devices attached when it was first mapped (the exporter knew their
 * limits) and the late ones already reported. */
struct device_list {
	char **names;
	size_t n;
};

struct buffer_memory {
	struct device_list placed, reported;
};

struct late_state {
	struct u64map buffers; /* ino -> struct buffer_memory */
};

static bool list_has(const struct device_list *l, const char *dev)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->names[i], dev) == 0)
			return true;
	return false;
}

/* Out of memory only means a finding may repeat: never fatal. */
static void list_add(struct device_list *l, const char *dev)
{
	if (list_has(l, dev))
		return;
	char **grown = realloc(l->names, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return;
	l->names = grown;
	if ((l->names[l->n] = strdup(dev)))
		l->n++;
}

static void list_free(struct device_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
}

static void memory_free(struct buffer_memory *m)
{
	list_free(&m->placed);
	list_free(&m->reported);
	free(m);
}

void *dt_rule_late_attach_state_new(void)
{
	return calloc(1, sizeof(struct late_state));
}

void dt_rule_late_attach_state_free(void *state)
{
	struct late_state *s = state;
	for (size_t i = 0; i < s->buffers.cap; i++)
		if (s->buffers.slots[i].val)
			memory_free(s->buffers.slots[i].val);
	u64map_free(&s->buffers);
	free(s);
}

static struct buffer_memory *memory_for(struct late_state *s, uint64_t ino)
{
	struct buffer_memory *m = u64map_get(&s->buffers, ino);
	if (m)
		return m;
	m = calloc(1, sizeof(*m));
	if (m && u64map_put(&s->buffers, ino, m) < 0) {
		free(m);
		m = NULL;
	}
	return m;
}

/* The buffer's first map: remember who was attached, the importers the exporter could know. */
static void on_first_map(struct late_state *s, const struct dt_buffer *b)
{
	struct buffer_memory *m = memory_for(s, b->ino);
	if (!m)
		return;
	for (const struct dt_attachment *o = b->atts; o; o = o->next)
		list_add(&m->placed, o->dev);
}

/* How the late importer came after the placement: "vivid.0 attached 2.000 ms after vgem mapped the
 * buffer, while vgem's mapping is live" or "... attached after vgem mapped at +x and unmapped at +y". */
static const char *lateness(const struct dt_transition *t, char *out, size_t outsz)
{
	const struct dt_first_map *f = &t->buf->first_map;
	const char *dev = t->att->dev;
	double ms = t->ev->ts > f->ts ? (double)(t->ev->ts - f->ts) / 1e6 : 0.0;
	if (!f->ended)
		snprintf(out, outsz, "%s attached %.3f ms after %s mapped the buffer, while %s's mapping is live", dev, ms,
			 f->dev, f->dev);
	else
		snprintf(out, outsz, "%s attached %.3f ms after %s mapped at +%.6fs and %s at +%.6fs (the first map fixed "
			 "the placement)", dev, ms, f->dev, dt_rule_rel_time(t, f->ts),
			 f->ended_by_detach ? "detached without unmapping" : "unmapped", dt_rule_rel_time(t, f->end_ts));
	return out;
}

static void judge_attach(struct late_state *s, struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_buffer *b = t->buf;
	const struct dt_attachment *a = t->att;
	const struct dt_first_map *f = &b->first_map;
	const struct dt_mapping *layout = dt_buffer_last_map(b);
	if (!f->seen || !layout || strcmp(f->dev, a->dev) == 0)
		return;
	struct buffer_memory *m = memory_for(s, b->ino);
	if (m && (list_has(&m->placed, a->dev) || list_has(&m->reported, a->dev)))
		return;
	if (m)
		list_add(&m->reported, a->dev);

	char reasons[700] = "";
	size_t n = 0;
	bool hard = false;
	/* Truncated segments: say what cannot be told instead of "happens to fit". */
	char unknown[700] = "";
	size_t nu = 0;
	struct dt_limit_verdict v[DT_CHECK__N];
	for (int c = 0; c < DT_CHECK__N; c++)
		dt_judge_limit((enum dt_limit_check)c, layout, false, a, &v[c]);
	for (int c = 0; c < DT_CHECK__N; c++) {
		if (!v[c].broken)
			continue;
		hard |= !v[c].soft;
		n += (size_t)snprintf(reasons + n, sizeof(reasons) - n, "%s%s", n ? "; " : "", v[c].why);
		if (n >= sizeof(reasons))
			break;
	}
	for (int c = 0; c < DT_CHECK__N && nu < sizeof(unknown); c++)
		if (v[c].unverified)
			nu += (size_t)snprintf(unknown + nu, sizeof(unknown) - nu, "%s%s", nu ? "; " : "", v[c].why);
	char who[600], late[400];
	const char *mapped_by = dt_mapped_by(f->map_by, who, sizeof(who));
	lateness(t, late, sizeof(late));
	if (!n && nu)
		dt_emit_unverified(rc, t, DT_RULE_LATE_ATTACH,
			"%s: the exporter allocated before every importer had attached, and whether the last known "
			"layout fits %s is unknown: %s%s", late, a->dev, unknown, mapped_by);
	else if (n)
		dt_emit(rc, t, DT_RULE_LATE_ATTACH, hard ? DT_SEV_ERROR : DT_SEV_WARNING,
			"%s, so the exporter allocated without knowing %s's limits, and the last known layout breaks "
			"them: %s%s", late, a->dev, reasons, mapped_by);
	else
		dt_emit(rc, t, DT_RULE_LATE_ATTACH, DT_SEV_WARNING,
			"%s: the exporter allocated before every importer had attached (the last known layout happens "
			"to fit %s)%s", late, a->dev, mapped_by);
}

void dt_rule_late_attach(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	struct late_state *s = dt_rule_state(rc);
	switch (t->kind) {
	case DT_TR_MAP:
		if (t->buf->first_map.seq == t->ev->seq)
			on_first_map(s, t->buf);
		break;
	case DT_TR_ATTACH:
		judge_attach(s, rc, t);
		break;
	case DT_TR_BUFFER_GONE: {
		struct buffer_memory *m = u64map_del(&s->buffers, t->buf->ino);
		if (m)
			memory_free(m);
		break;
	}
	default:
		break;
	}
}

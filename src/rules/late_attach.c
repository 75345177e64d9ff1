// SPDX-License-Identifier: Apache-2.0
/* late-attach: the exporter places the backing store no later than the buffer's first
 * successful map, so an importer that attaches after another device mapped cannot
 * influence the placement, whether or not that mapping is still live (6.1's DRM
 * exporters, vgem and udmabuf even keep it cached after unmap). Once per (buffer,
 * device); judged against the last known layout. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rules/limits.h"
#include "rules/rule.h"

/* How the late importer came after the placement: "vivid.0 attached 2.000 ms after vgem mapped the
 * buffer, while vgem's mapping is live" or "... attached after vgem mapped at +x and unmapped at +y". */
static const char *lateness(const struct dt_transition *t, char *out, size_t outsz)
{
	const struct dt_first_map *f = &t->buf->first_map;
	const char *dev = t->att->dev;
	double ms = t->att->attach_ts > f->ts ? (double)(t->att->attach_ts - f->ts) / 1e6 : 0.0;
	if (!f->ended)
		snprintf(out, outsz, "%s attached %.3f ms after %s mapped the buffer, while %s's mapping is live", dev, ms,
			 f->dev, f->dev);
	else
		snprintf(out, outsz, "%s attached %.3f ms after %s mapped at +%.6fs and %s at +%.6fs (the first map fixed "
			 "the placement)", dev, ms, f->dev, dt_rule_rel_time(t, f->ts),
			 f->ended_by_detach ? "detached without unmapping" : "unmapped", dt_rule_rel_time(t, f->end_ts));
	return out;
}

/* The engine keeps what this rule remembers (the devices attached at the first map and the late ones
 * judged so far, engine.h dt_first_map) so that a daemon segment restates it. */
static void judge_attach(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_buffer *b = t->buf;
	const struct dt_attachment *a = t->att;
	const struct dt_first_map *f = &b->first_map;
	const struct dt_mapping *layout = dt_buffer_last_map(b);
	if (!f->seen || !layout || strcmp(f->dev, a->dev) == 0 || dt_dev_list_has(&f->placed, a->dev) ||
	    dt_dev_list_has(&f->late, a->dev))
		return;

	char reasons[700] = "";
	size_t n = 0;
	bool hard = false;
	/* Truncated segments: say what cannot be told instead of "happens to fit". */
	char unknown[700] = "";
	size_t nu = 0;
	struct dt_limit_verdict v[DT_CHECK__N] = {0};
	if (layout->nents && layout->orig_nents > layout->nents)
		/* Fewer DMA segments than CPU entries: an IOMMU merged them for the device that mapped, so the
		 * segments are that device's I/O addresses and say nothing of how the memory maps for another. */
		nu = (size_t)snprintf(unknown, sizeof(unknown), "it is the mapping device's IOMMU view (%" PRIu64
				      " CPU entries merged into %" PRIu64 " DMA segment%s)", layout->orig_nents,
				      layout->nents, layout->nents == 1 ? "" : "s");
	else
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
	if (t->kind == DT_TR_ATTACH || t->kind == DT_TR_ATTACHED_BEFORE_LATE_MAP)
		judge_attach(rc, t);
}

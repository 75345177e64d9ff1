// SPDX-License-Identifier: Apache-2.0
/* late-attach: an importer attached after another had mapped the buffer, so the
 * exporter placed the backing store without knowing the late importer's limits. */
#include <stdio.h>

#include "rules/limits.h"
#include "rules/rule.h"

void dt_rule_late_attach(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_buffer *b = t->buf;
	const struct dt_attachment *a = t->att;
	const struct dt_event *ev = t->ev;
	/* The first mapper among the live mappings decided the backing store. */
	const struct dt_attachment *first = NULL;
	for (const struct dt_attachment *o = b->atts; o; o = o->next)
		if (o != a && o->map_depth && (!first || o->live_since_seq < first->live_since_seq))
			first = o;
	if (!first)
		return;

	char reasons[700] = "";
	size_t n = 0;
	bool hard = false;
	/* Truncated segments: say what cannot be told instead of "happens to fit". */
	char unknown[700] = "";
	size_t nu = 0;
	struct dt_limit_verdict v[DT_CHECK__N];
	for (int c = 0; c < DT_CHECK__N; c++)
		dt_judge_limit((enum dt_limit_check)c, &first->map, false, a, &v[c]);
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
	char who[600];
	double ms = ev->ts > first->live_since_ts ? (double)(ev->ts - first->live_since_ts) / 1e6 : 0.0;
	if (!n && nu)
		dt_emit_unverified(rc, t, DT_RULE_LATE_ATTACH,
			"%s attached %.3f ms after %s mapped the buffer: the exporter allocated before every importer had "
			"attached, and whether the live mapping fits %s is unknown: %s%s",
			a->dev, ms, first->dev, a->dev, unknown, dt_mapped_by(first->map_by, who, sizeof(who)));
	else if (n)
		dt_emit(rc, t, DT_RULE_LATE_ATTACH, hard ? DT_SEV_ERROR : DT_SEV_WARNING,
			"%s attached %.3f ms after %s mapped the buffer, so the exporter allocated without knowing %s's "
			"limits, and the live mapping breaks them: %s%s",
			a->dev, ms, first->dev, a->dev, reasons, dt_mapped_by(first->map_by, who, sizeof(who)));
	else
		dt_emit(rc, t, DT_RULE_LATE_ATTACH, DT_SEV_WARNING,
			"%s attached %.3f ms after %s mapped the buffer: the exporter allocated before every importer had "
			"attached (the live mapping happens to fit %s)%s",
			a->dev, ms, first->dev, a->dev, dt_mapped_by(first->map_by, who, sizeof(who)));
}

// SPDX-License-Identifier: Apache-2.0
#include <string.h>
#include <yajl/yajl_gen.h>

#include "common/escape.h"
#include "common/json_gen.h"
#include "render/summary.h"

void dt_print_summary_json(FILE *out, const char *trace, const struct dt_run_stats *rs, int truncated)
{
	const struct dt_engine_stats *s = &rs->engine;
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return;
	uint64_t events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += s->events[t];
	yajl_gen_map_open(g);
	dt_json_str(g, "type", "summary");
	dt_json_str(g, "trace", trace);
	dt_json_u64(g, "events", events);
	dt_json_u64(g, "buffers", s->buffers);
	dt_json_u64(g, "attachments", s->attachments);
	dt_json_u64(g, "lost", s->lost);
	dt_json_u64(g, "errors", rs->by_severity[DT_SEV_ERROR]);
	dt_json_u64(g, "warnings", rs->by_severity[DT_SEV_WARNING]);
	dt_json_u64(g, "info", rs->by_severity[DT_SEV_INFO]);
	dt_json_key(g, "rules");
	yajl_gen_map_open(g);
	for (int r = 0; r < DT_RULE__COUNT; r++)
		if (rs->findings[r])
			dt_json_u64(g, dt_rule_info[r].id, rs->findings[r]);
	yajl_gen_map_close(g);
	dt_json_bool(g, "cut_short", truncated != 0);
	yajl_gen_map_close(g);
	dt_json_put_line(g, out);
	yajl_gen_free(g);
}

void dt_print_shown(FILE *out, const char *trace, const struct dt_shown *s, bool json)
{
	if (!s->not_selected && !s->baseline)
		return;
	if (!json) {
		char name[300];
		dt_escape_text(name, sizeof(name), trace, strlen(trace));
		if (s->not_selected)
			fprintf(out, "%s: %llu finding%s of the summary not selected (--rule, --dev, --buf, ...): not shown and "
				"not in the exit status\n", name, s->not_selected, s->not_selected == 1 ? "" : "s");
		if (s->baseline)
			fprintf(out, "%s: %llu findings in the baseline not shown, %llu new error%s\n", name, s->in_baseline,
				s->new_errors, s->new_errors == 1 ? "" : "s");
		return;
	}
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return;
	yajl_gen_map_open(g);
	dt_json_str(g, "type", "shown");
	dt_json_str(g, "trace", trace);
	dt_json_u64(g, "not_selected", s->not_selected);
	if (s->baseline) {
		dt_json_u64(g, "in_baseline", s->in_baseline);
		dt_json_u64(g, "new_errors", s->new_errors);
	}
	yajl_gen_map_close(g);
	dt_json_put_line(g, out);
	yajl_gen_free(g);
}

void dt_run_stats_add(struct dt_run_stats *t, const struct dt_run_stats *s)
{
	for (int e = 0; e < DT_EV__COUNT; e++)
		t->engine.events[e] += s->engine.events[e];
	for (int r = 0; r < DT_RULE__COUNT; r++)
		t->findings[r] += s->findings[r];
	for (int v = 0; v < 3; v++)
		t->by_severity[v] += s->by_severity[v];
	t->engine.buffers += s->engine.buffers;
	t->engine.attachments += s->engine.attachments;
	t->engine.lost += s->engine.lost;
}

// SPDX-License-Identifier: Apache-2.0
/* Each buffer's history as aligned text (or one JSON object per event and finding), findings inline. A
 * buffer's block is printed when it is released (and the rest at the end), so memory holds only the
 * histories of live buffers. */
#ifndef DT_RENDER_TIMELINE_H
#define DT_RENDER_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/constraints.h"
#include "render/format.h"
#include "rules/rules.h"
#include "rules/select.h"

struct dt_timeline_opts {
	const char *trace;
	const struct dt_constraints *constraints; /* may be NULL */
	bool constraints_given; /* --constraints FILE or none; else the trace's recorded profile applies */
	enum dt_severity min_severity;
	bool color;
	bool have_buf; /* only buffer buf (when select is NULL) */
	uint64_t buf;
	const struct dt_select *select; /* buffers, importers, tasks, times, rules shown; NULL: have_buf only */
	enum dt_format format;          /* FMT_TEXT or FMT_JSON */
	bool name_trace;                /* a "== TRACE" line first (several traces) */
	uint64_t *printed;              /* adds the buffers printed; NULL: no buffer printed is an input error */
	/* Findings: text folds a repeat on the same buffer (same rule, severity and importer) into a short
	 * "again" line unless no_group; by_severity prints the buffers with errors first (held to the end);
	 * with have_max at most max finding lines over the run (trace order), *findings_shown counting them
	 * (NULL: this trace alone) and *findings_hidden the ones left out. */
	bool no_group, by_severity, have_max;
	uint64_t max;
	uint64_t *findings_shown, *findings_hidden;
};

/* Returns a dt_status (DT_EXIT_INPUT when the trace is malformed, or nothing was printed for have_buf
 * without printed). */
int dt_render_timeline(const struct dt_timeline_opts *o, FILE *out);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Renders findings as they are emitted: text (people) or JSON Lines (machines). */
#ifndef DT_FINDINGS_OUT_H
#define DT_FINDINGS_OUT_H

#include <stdio.h>

#include "render/format.h"
#include "engine/engine.h"
#include "render/format.h"
#include "rules/rules.h"

/* The JSON finding schema ("schema" in every finding object): bumped when a field changes meaning or goes
 * away; new fields do not bump it. 2: mapper, limit/observed objects. */
#define DT_FINDING_SCHEMA 2

struct dt_findings_out {
	FILE *out;
	enum dt_format format;
	enum dt_severity min_severity;
	bool color;
	const char *trace;   /* name shown with each finding */
	const struct dt_engine *engine; /* for the time base */
	unsigned long long shown;
	void *gen; /* yajl_gen for JSON */
};

void dt_findings_out_init(struct dt_findings_out *o, FILE *out, enum dt_format format, enum dt_severity min,
			  bool color, const char *trace);
/* A dt_finding_fn. */
void dt_findings_out_emit(void *ctx, const struct dt_finding *f);
void dt_findings_out_fini(struct dt_findings_out *o);

/* Shared by every text renderer: "1234 (vgem, 4 MiB, "name")" with the name escaped. */
const char *dt_describe_buffer(char *out, size_t outsz, const struct dt_buffer *b);
/* "vivid.0 [vivid]" escaped; "[no driver]" when none is bound. */
const char *dt_describe_device(char *out, size_t outsz, const struct dt_attachment *a);
/* Summary of a finished trace, "N events, N buffers ...; findings: rule N, ..." */
/* --color: always, never, or auto (on a terminal). */
bool dt_use_color(enum dt_color c, FILE *f);
void dt_print_summary(FILE *out, const char *trace, const struct dt_run_stats *s, int truncated);

#endif

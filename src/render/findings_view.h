// SPDX-License-Identifier: Apache-2.0
/* Findings a person can scan, in front of the line writer (render/findings.c): repeats grouped into one line
 * (same rule, severity, importer and exporter: "×20, buffers 3–22, first +0.460 s, last +1.200 s"), sorted by
 * time or severity, capped at --max-findings, named by trace when there are several, wrapped under a fixed
 * indent on a terminal. The writer formats each line; this layer only decides which lines and in what order. */
#ifndef DT_FINDINGS_VIEW_H
#define DT_FINDINGS_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rules/rules.h"
#include "render/findings.h"

struct dt_view_group;

struct dt_view_opts {
	bool group;       /* text only: fold repeats */
	bool by_severity; /* errors first, then time */
	bool have_max;
	uint64_t max;     /* lines shown over the whole run */
	unsigned wrap;    /* terminal width to wrap at, 0: one line per finding */
};

struct dt_findings_view {
	/* settings */
	FILE *out;
	bool group;            /* text only: fold repeats */
	bool by_severity;      /* errors first, then time */
	bool have_max;
	uint64_t max;          /* lines shown over the whole run */
	unsigned wrap;         /* terminal width to wrap at, 0: one line per finding */
	const char *trace_tag; /* prefix naming the trace (several traces), NULL: none */
	/* the line writer, formatting into a memory stream */
	struct dt_findings_out fmt;
	char *line;
	size_t linecap;
	FILE *mem;
	/* per trace */
	struct dt_view_group *groups;
	size_t ngroups, capgroups;
	bool oom;
	uint64_t t0;           /* the trace's first ts, taken while its engine lives */
	/* over the run */
	uint64_t lines_shown, lines_hidden;
};

/* Streams straight to out when nothing needs the whole trace (no grouping, time order). */
int dt_findings_view_init(struct dt_findings_view *v, const struct dt_view_opts *o, FILE *out,
			  enum dt_format format, enum dt_severity min, bool color);
/* Starts a trace (name: for the line writer's JSON "trace"; tag: text prefix or NULL). */
void dt_findings_view_trace(struct dt_findings_view *v, const char *name, const char *tag,
			    const struct dt_engine *engine);
/* A dt_finding_fn (ctx: the view). */
void dt_findings_view_emit(void *ctx, const struct dt_finding *f);
/* Prints what the trace held back (groups, sorted lines). */
void dt_findings_view_flush(struct dt_findings_view *v);
/* "N more finding lines not shown (--max-findings N)" when the cap hid some. */
void dt_findings_view_fini(struct dt_findings_view *v);

/* Prints line (no trailing newline needed) wrapped at width under a fixed indent; width 0: as is. Escape
 * sequences count as zero width. */
void dt_print_wrapped(FILE *out, const char *line, unsigned width, unsigned indent);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* report --html: one self-contained HTML file (inline CSS and SVG, no script, no
 * network: a Content-Security-Policy forbids both): a summary per rule, then per
 * buffer a swimlane per importer (attach to detach, maps nested, unmap and detach
 * markers, findings highlighted) and the findings with their messages. Buffers
 * without findings beyond the first 200 are counted, not drawn. Every
 * string from the trace is XML-escaped. */
#ifndef DT_HTML_REPORT_H
#define DT_HTML_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "render/model.h"

struct dt_html_opts {
	bool group;       /* repeats on a buffer (same rule, severity, importer) share one card; else a card each */
	bool by_severity; /* a buffer's cards errors first (else trace order); buffers are always errors first */
	bool have_max;
	uint64_t max;     /* cards shown over the whole report; the summaries count every finding */
};

/* Several traces in one page: a grand total and a table of contents, then each trace's part (ids prefixed
 * "tN-"). One trace: the page as dt_html_write makes it. Returns 0, or -1 on a write or memory error. */
int dt_html_write_traces(const struct dt_model *const *models, size_t n, const struct dt_html_opts *o, FILE *out);
/* One trace, repeats grouped, trace order. */
int dt_html_write(const struct dt_model *m, FILE *out);

#endif

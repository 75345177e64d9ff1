/* SPDX-License-Identifier: Apache-2.0 */
/* report --html: one self-contained HTML file (inline CSS and SVG, no script, no
 * network: a Content-Security-Policy forbids both): a summary per rule, then per
 * buffer a swimlane per importer (attach to detach, maps nested, unmap and detach
 * markers, findings highlighted) and the findings with their messages. Buffers
 * without findings beyond the first 200 are counted, not drawn. Every
 * string from the trace is XML-escaped. */
#ifndef DT_HTML_REPORT_H
#define DT_HTML_REPORT_H

#include <stdio.h>

#include "render/model.h"

/* Returns 0, or -1 on a write error. */
int dt_html_write(const struct dt_model *m, FILE *out);

#endif

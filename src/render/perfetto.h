/* SPDX-License-Identifier: Apache-2.0 */
/* export --perfetto: Chrome trace-event JSON (the Perfetto UI and chrome://tracing
 * open it). Each buffer is a process: one track for the buffer (export to release,
 * with buffer-level findings), one per attachment (attach to detach as a slice,
 * maps nested inside, the attachment's findings as instant events), and a flow
 * from the buffer's track to each importer's attach. Times are microseconds since
 * the trace's first event (or, with --absolute-time, the trace's boottime). */
#ifndef DT_PERFETTO_H
#define DT_PERFETTO_H

#include <stdbool.h>
#include <stdio.h>

#include "render/model.h"

/* Returns 0, or -1 on a write or memory error. */
int dt_perfetto_write(const struct dt_model *m, FILE *out);
/* With absolute: timestamps are the trace's own boottime (export --absolute-time), so the file lays over a
 * system-wide Perfetto or ftrace capture of the same boot. */
int dt_perfetto_write_time(const struct dt_model *m, FILE *out, bool absolute);
int dt_perfetto_write_absolute(const struct dt_model *m, FILE *out);
/* Several traces in one file, each as its own processes (names start with the trace's; pids do not overlap),
 * on one time axis: relative, every trace starts at 0; absolute, each at its own boottime. */
int dt_perfetto_write_traces(const struct dt_model *const *models, size_t n, FILE *out, bool absolute);

#endif

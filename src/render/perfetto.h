/* export --perfetto: Chrome trace-event JSON (the Perfetto UI and chrome://tracing
 * open it). Each buffer is a process: one track for the buffer (export to release,
 * with buffer-level findings), one per attachment (attach to detach as a slice,
 * maps nested inside, the attachment's findings as instant events), and a flow
 * from the buffer's track to each importer's attach. Times are microseconds since
 * the trace's first event. */
#ifndef DT_PERFETTO_H
#define DT_PERFETTO_H

#include <stdio.h>

#include "render/model.h"

/* Returns 0, or -1 on a write or memory error. */
int dt_perfetto_write(const struct dt_model *m, FILE *out);

#endif

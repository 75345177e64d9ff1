// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace daemon: always-on tracing into segments (daemon/segments.h), a control socket
 * (daemon/control.h), a flight recorder (daemon/flight.h), findings to the journal (daemon/journal.h)
 * and metrics (daemon/metrics.h). The event path is record's: source -> fan-out (segment writer,
 * flight recorder, engine). */
#ifndef DT_DAEMON_DAEMON_H
#define DT_DAEMON_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"

/* After an error finding, the automatic snapshot waits this long so it holds what followed too. */
#define DT_SNAPSHOT_POST_SECONDS 2.0
#define DT_JOURNAL_INTERVAL_SECONDS 10.0
#define DT_METRICS_INTERVAL_SECONDS 5.0

struct dt_daemon_opts {
	const char *dir;
	const char *constraints;     /* profile path, re-read on SIGHUP */
	uint64_t rotate_bytes;
	double rotate_seconds;
	unsigned keep;
	uint64_t keep_bytes;
	const char *socket_path;     /* NULL: no socket */
	const char *socket_group;
	bool snapshot_on_error;
	unsigned snapshot_limit;     /* automatic snapshots per hour */
	uint64_t flight_bytes;
	bool redact;                 /* segments and snapshots with redacted segment addresses (ingest/redact.h) */
	double reorder_window_ms;    /* the live ingest stage's reorder window (record's --reorder-window) */
	const char *metrics_file;
	const char *from_trace;      /* replay a trace instead of tracing the kernel (tests, demos) */
	const char *seed_bufinfo;
	struct dt_capture_opts capture;
};

/* Runs until SIGTERM/SIGINT. Returns a DT_EXIT_* status. */
int dt_daemon_run(const struct dt_daemon_opts *o);

#endif

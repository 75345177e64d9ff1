// SPDX-License-Identifier: Apache-2.0
/* The flight recorder: the newest events as trace lines in memory, bounded in bytes (--flight-recorder),
 * written out as a valid trace on request (snapshot) or after an error finding (--snapshot-on-error).
 * A snapshot starts with the state restated as it was at its first event, like a daemon segment, so it is
 * a self-contained trace whose findings are the run's (memory: the lines, plus the live objects of a
 * trailing engine that lines leaving the ring are read back into). */
#ifndef DT_DAEMON_FLIGHT_H
#define DT_DAEMON_FLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/event.h"
#include "ingest/trace_writer.h"

struct dt_flight;

struct dt_flight *dt_flight_new(size_t budget_bytes);
void dt_flight_free(struct dt_flight *f);
/* Sink: keeps ev (oldest lines go when over budget). */
int dt_flight_sink(void *flight, const struct dt_event *ev);

/* Writes the restated state at the window's start (last_ns before the newest event, 0: every kept line)
 * and the window's events to w, numbered from 1: the caller writes the header and the end line. Returns
 * the last seq written, or -1 (out of memory, a write that failed). */
int dt_flight_snapshot(const struct dt_flight *f, uint64_t last_ns, struct dt_writer *w);
/* Kept lines with ts >= newest ts - last_ns (last_ns 0: all), and the newest ts. */
size_t dt_flight_count(const struct dt_flight *f, uint64_t last_ns);
uint64_t dt_flight_newest_ts(const struct dt_flight *f);
size_t dt_flight_bytes(const struct dt_flight *f);

#endif

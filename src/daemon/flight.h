// SPDX-License-Identifier: Apache-2.0
/* The flight recorder: the newest events as trace lines in memory, bounded in bytes (--flight-recorder),
 * written out as a valid trace on request (snapshot) or after an error finding (--snapshot-on-error). */
#ifndef DT_DAEMON_FLIGHT_H
#define DT_DAEMON_FLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/event.h"

struct dt_flight;

struct dt_flight *dt_flight_new(size_t budget_bytes);
void dt_flight_free(struct dt_flight *f);
/* Sink: keeps ev (oldest lines go when over budget). */
int dt_flight_sink(void *flight, const struct dt_event *ev);

/* Calls out for each kept line with ts >= newest ts - last_ns (last_ns 0: all), oldest first. */
typedef int (*dt_flight_line_fn)(void *ctx, const char *line, size_t len);
int dt_flight_each(const struct dt_flight *f, uint64_t last_ns, dt_flight_line_fn out, void *ctx);
/* Lines that would be written for last_ns, and the newest ts. */
size_t dt_flight_count(const struct dt_flight *f, uint64_t last_ns);
uint64_t dt_flight_newest_ts(const struct dt_flight *f);
size_t dt_flight_bytes(const struct dt_flight *f);

#endif

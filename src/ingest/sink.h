/* SPDX-License-Identifier: Apache-2.0 */
/* The one event path. A source (the live ring buffer, a trace file, ftrace text) hands each
 * event, in stream order, to a sink. A fan-out passes it on to several consumers: the trace
 * writer, the engine, and later a flight recorder; a reorder stage can sit between the live
 * source and the fan-out. */
#ifndef DT_INGEST_SINK_H
#define DT_INGEST_SINK_H

#include <stdbool.h>

#include "common/event.h"

/* 0: go on. < 0: this consumer failed (the fan-out stops calling it and remembers). */
typedef int (*dt_sink_fn)(void *ctx, const struct dt_event *ev);

struct dt_sink {
	dt_sink_fn event;
	void *ctx;
	const char *name;
};

#define DT_FANOUT_MAX 8

struct dt_fanout {
	struct dt_sink to[DT_FANOUT_MAX];
	bool failed[DT_FANOUT_MAX];
	unsigned n;
};

/* Returns the consumer's index, or -1 when the fan-out is full. */
int dt_fanout_add(struct dt_fanout *f, dt_sink_fn fn, void *ctx, const char *name);
/* Passes ev to every consumer that has not failed. */
void dt_fanout_event(struct dt_fanout *f, const struct dt_event *ev);
bool dt_fanout_failed(const struct dt_fanout *f, int index);

#endif

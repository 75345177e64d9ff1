// SPDX-License-Identifier: Apache-2.0
/* The engine's live state as trace events ("state": true, docs/trace-format.md): what a daemon segment
 * and a snapshot start with, so that they alone rebuild the same buffers, attachments and live mappings,
 * and each buffer's history (its first map, live or ended, the devices that knew of it, the last known
 * layout) as the whole run had at that point. */
#ifndef DT_DAEMON_RESTATE_H
#define DT_DAEMON_RESTATE_H

#include "engine/engine.h"

/* fn gets each event in an order that keeps the run's order (exports by first appearance, attaches in
 * attach order, history, live maps in the order they went live, layouts) and assigns its seq; a negative
 * return stops. */
typedef int (*dt_restate_fn)(void *ctx, struct dt_event *ev);

/* Returns the number of events, or a negative value (out of memory, or fn's). */
int dt_restate(const struct dt_engine *e, dt_restate_fn fn, void *ctx);

#endif

// SPDX-License-Identifier: Apache-2.0
/* The buffers that existed before tracing, from the BPF dmabuf iterator's records: seeded the same way by
 * record and the daemon. */
#ifndef DT_DAEMON_SEED_H
#define DT_DAEMON_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

/* The records dt_capture_dmabuf_iter_read gave, as seeded events with time ts into fn; says how many (or
 * why not) and how many buffers had more attachments than the iterator lists. Frees buf. */
void dt_seed_from_iterator(void *buf, size_t len, uint64_t ts, dt_capture_event_fn fn, void *ctx);

#endif

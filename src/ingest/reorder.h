// SPDX-License-Identifier: Apache-2.0
/* Reorder window between a live source (the BPF ring buffer) and its consumers (trace writer,
 * engine). The ring holds records in the order their slots were reserved, which on several CPUs is
 * not the order the hooked calls completed (a map record is reserved after its sg walk and stack
 * unwind). Events are held for `window` ns of their own clock (CLOCK_BOOTTIME) and handed on in
 * (ts, cpu, arrival) order; one that arrives after events with a later ts were handed on is passed
 * at once with DT_HAS_LATE set (never silently misplaced). */
#ifndef DT_INGEST_REORDER_H
#define DT_INGEST_REORDER_H

#include <stdint.h>

#include "common/event.h"

struct dt_reorder;

/* Receives every event in order; a nonzero return is remembered and returned by the next
 * dt_reorder_push/release/flush call. The event is valid only during the call. */
typedef int (*dt_reorder_fn)(void *ctx, const struct dt_event *ev);

struct dt_reorder_stats {
	uint64_t pushed, late;
	uint64_t reordered;       /* events handed on before one that had arrived earlier */
	uint64_t max_behind_ns;   /* largest (newest ts seen - ts) at arrival: how late the ring delivered */
	uint64_t held_max;        /* most events held at once */
};

/* window_ns 0: no holding (events pass in arrival order; late ones still flagged). */
struct dt_reorder *dt_reorder_new(uint64_t window_ns, dt_reorder_fn out, void *ctx);
/* Copies ev (with its segments and stack) and hands on every held event whose window has closed
 * against the newest ts seen. Returns 0, a negative errno (out of memory: the event is passed on at
 * once, flagged late if out of order), or the consumer's nonzero value. */
int dt_reorder_push(struct dt_reorder *r, const struct dt_event *ev);
/* An event for the producer to fill in place (the window's own storage; NULL without a window or memory): the next
 * dt_reorder_push of exactly this pointer holds it without copying its fields (its segments and stack, which may
 * point into the producer's storage, are copied). Until then the same slot is returned; pushing another event
 * leaves it unused. Its strings and fields start in any state: the producer clears it (dt_event_clear). */
struct dt_event *dt_reorder_slot(struct dt_reorder *r);
/* Hands on every held event with ts + window <= now (CLOCK_BOOTTIME ns): live output lags by the window. */
int dt_reorder_release(struct dt_reorder *r, uint64_t now);
/* Hands on everything held (end of recording). */
int dt_reorder_flush(struct dt_reorder *r);
const struct dt_reorder_stats *dt_reorder_stats(const struct dt_reorder *r);
void dt_reorder_free(struct dt_reorder *r);

#endif

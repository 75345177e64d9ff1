// SPDX-License-Identifier: Apache-2.0
/* The live ingest stage that record and the daemon share: events from the BPF ring go through the
 * reorder window (ingest/reorder.h) into kernel time order, then each gets the stream's next seq and, with
 * --redact, redacted segment addresses (ingest/redact.h), and goes to the consumer (a fan-out). An event
 * that needs no reordering (a seeded buffer, a gap, a replayed trace) is passed on through the same
 * numbering and redaction. A redaction that fails (out of memory) stops the stage: never an original
 * address instead. */
#ifndef DT_INGEST_LIVE_STAGE_H
#define DT_INGEST_LIVE_STAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest/reorder.h"
#include "ingest/sink.h"

struct dt_live_stage_opts {
	double reorder_window_ms; /* record's and the daemon's --reorder-window (DT_DEFAULT_REORDER_WINDOW_MS) */
	bool redact;
	uint64_t *seq;            /* the stream's last seq, advanced per event (the caller numbers its own lines too) */
	dt_sink_fn out;           /* gets every event in order; its return value is ignored */
	void *ctx;
};

struct dt_live_stage;

/* NULL when out of memory. */
struct dt_live_stage *dt_live_stage_new(const struct dt_live_stage_opts *o);
/* From the ring, in ring order: held for the window. */
int dt_live_stage_push(void *stage, const struct dt_event *ev);
/* An event to decode the next ring record into, pushed then without a copy (dt_reorder_slot); NULL: none. */
struct dt_event *dt_live_stage_slot(void *stage);
/* Not held: numbered, redacted and passed on at once (a dt_sink_fn / dt_bufinfo_fn). */
int dt_live_stage_pass(void *stage, const struct dt_event *ev);
/* Passes every held event whose window has closed at now (CLOCK_BOOTTIME ns). */
void dt_live_stage_release(struct dt_live_stage *s, uint64_t now);
/* Passes everything held (end of tracing, before a segment is closed for good). */
void dt_live_stage_flush(struct dt_live_stage *s);
/* A redaction failed: the stage passes nothing more. */
bool dt_live_stage_failed(const struct dt_live_stage *s);
bool dt_live_stage_redacts(const struct dt_live_stage *s);
const struct dt_reorder_stats *dt_live_stage_reorder_stats(const struct dt_live_stage *s);
double dt_live_stage_window_ms(const struct dt_live_stage *s);
void dt_live_stage_free(struct dt_live_stage *s);

#endif

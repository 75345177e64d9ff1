/* Runs one trace file through the engine: the shared path of check, timeline,
 * baseline, export, report and advise. */
#ifndef DT_ANALYSE_H
#define DT_ANALYSE_H

#include "common/errors.h"
#include "engine/engine.h"

struct dt_analysis {
	const char *path;
	bool accept_bufinfo; /* a dma_buf/bufinfo snapshot is an input too (state, advise) */
	const struct dt_constraints *constraints;
	dt_finding_fn on_finding;
	dt_event_fn on_event;
	void *ctx;
	/* Called once the engine exists (renderers use it for the time base). */
	void (*on_start)(void *ctx, struct dt_engine *e);
	/* Stop feeding at the first event with ts > stop_ts (when stop_set; no end-of-trace findings then). */
	bool stop_set;
	uint64_t stop_ts;
	bool stop_relative; /* stop_ts counts from the first event's ts ("+0.03s") */
	/* Called with the engine's final state (after the last event fed, before the end-of-trace findings). */
	void (*on_end)(void *ctx, struct dt_engine *e);
	/* out */
	struct dt_engine_stats stats;
	int truncated;
	bool stopped; /* stop_ts was reached before the end of the trace */
	bool seen_event;      /* the input had an event (fed or not) */
	uint64_t first_seen_ts;
};

/* DT_OK, or DT_ERR_INPUT / DT_ERR_SYSTEM after dt_err("FILE:LINE: what"). */
enum dt_status dt_analyse(struct dt_analysis *a);
/* Loads --constraints (NULL path: none). DT_ERR_INPUT after dt_err() on failure. */
enum dt_status dt_load_constraints(const char *path, struct dt_constraints **out);

#endif

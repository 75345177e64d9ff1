/* SPDX-License-Identifier: Apache-2.0 */
/* Runs one trace file through the engine: the shared path of check, timeline,
 * baseline, export, report and advise. */
#ifndef DT_ANALYSE_H
#define DT_ANALYSE_H

#include "common/errors.h"
#include "rules/rules.h"

struct dt_analysis {
	const char *path;
	bool accept_bufinfo; /* a dma_buf/bufinfo snapshot is an input too (state, advise) */
	/* --constraints FILE (loaded) or none (NULL) when constraints_given; otherwise the profile the trace
	 * was recorded with (its header), if any, is used. Which one was used is said on stderr when the
	 * trace carries one. */
	const struct dt_constraints *constraints;
	bool constraints_given;
	/* When set: copies of the used profile's name and text (NULL: none) for the caller to free. */
	bool keep_profile;
	char *used_profile_name, *used_profile_text;
	dt_finding_fn on_finding;
	dt_event_fn on_event;
	void *ctx;
	/* Called once the engine exists (renderers use it for the time base). */
	void (*on_start)(void *ctx, const struct dt_engine *e);
	/* Stop feeding at the first event with ts > stop_ts (when stop_set; no end-of-trace findings then). */
	bool stop_set;
	uint64_t stop_ts;
	bool stop_relative; /* stop_ts counts from the first event's ts ("+0.03s") */
	/* Called with the engine's final state (after the last event fed, before the end-of-trace findings). */
	void (*on_end)(void *ctx, const struct dt_engine *e);
	/* out */
	struct dt_run_stats stats;
	int truncated;
	bool stopped; /* stop_ts was reached before the end of the trace */
	bool seen_event;      /* the input had an event (fed or not) */
	uint64_t first_seen_ts;
};

/* Returns DT_EXIT_OK, or DT_EXIT_INPUT after printing "dmabuf-trace: FILE:LINE: what" to stderr. */
int dt_analyse(struct dt_analysis *a);
/* Loads --constraints (NULL path: not given; "none": no profile, *out NULL). Prints the error and returns -1
 * on failure. */
int dt_load_constraints(const char *path, struct dt_constraints **out);

#endif

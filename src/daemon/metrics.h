// SPDX-License-Identifier: Apache-2.0
/* Prometheus text exposition of the daemon's state and counters (--metrics-file, written atomically
 * for node_exporter's textfile collector; also the "metrics" request). Names: dmabuf_trace_ prefix,
 * _total for counters, units in the name. */
#ifndef DT_DAEMON_METRICS_H
#define DT_DAEMON_METRICS_H

#include <stdio.h>

#include "engine/engine.h"
#include "rules/rules.h"

struct dt_metrics_extra {
	unsigned long long segments_total, unwritten_total, snapshots_total, journal_folded_total;
	double uptime_seconds;
	const uint64_t (*findings)[DT_RULE__COUNT][3]; /* per rule and severity */
	const uint64_t *lost_by_cause;                 /* DT_LOST__COUNT */
	uint64_t gaps;
};

int dt_metrics_print(FILE *out, const struct dt_engine *e, const struct dt_metrics_extra *x);
/* PATH.tmp, then rename: a scraper never sees half a file. 0 or -1 (errno). */
int dt_metrics_write_file(const char *path, const struct dt_engine *e, const struct dt_metrics_extra *x);

#endif

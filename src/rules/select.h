// SPDX-License-Identifier: Apache-2.0
/* Which findings (and buffers) a person asked to see: --buf, --pid, --comm, --dev, --driver, --exporter,
 * --since/--until, --rule/--no-rule. One selection for every analysis command, so the flags mean the same
 * everywhere. Strings match as shell globs (fnmatch); empty lists match everything. */
#ifndef DT_SELECT_H
#define DT_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "rules/rules.h"

#define DT_SELECT_MAX 16 /* values per repeatable flag */

/* A point in trace time: absolute ns of the trace's clock, or relative to its first event ("+0.03s"),
 * the same numbers the text output prints. */
struct dt_time_arg {
	bool set, relative;
	uint64_t ns;
};

struct dt_select {
	uint64_t bufs[DT_SELECT_MAX];
	unsigned nbufs;
	int64_t pids[DT_SELECT_MAX];
	unsigned npids;
	const char *comms[DT_SELECT_MAX], *devs[DT_SELECT_MAX], *drivers[DT_SELECT_MAX],
		*exporters[DT_SELECT_MAX];
	unsigned ncomms, ndevs, ndrivers, nexporters;
	struct dt_time_arg since, until;
	/* Rules shown: with rule_only set only those in rules_on; never those in rules_off. */
	bool rule_only;
	uint32_t rules_on, rules_off;
};

/* "123456789" (ns), "+0.03s", "+30ms", "+250us", "+1000ns", "+2" (seconds). 0, or -1 if malformed. */
int dt_time_arg_parse(const char *s, struct dt_time_arg *out);
/* The absolute ts of a time argument in a trace whose first event is at t0. */
uint64_t dt_time_arg_resolve(const struct dt_time_arg *t, uint64_t t0);

/* True when any filter is set that is not about rules. */
bool dt_select_active(const struct dt_select *s);
bool dt_select_rule(const struct dt_select *s, enum dt_rule_id rule);
/* Buffer-level match (--buf, --exporter); NULL buffer (lost events) matches only when neither is set. */
bool dt_select_buffer(const struct dt_select *s, uint64_t ino, const char *exporter, bool have_buf);
/* Attachment-level match (--dev, --driver); dev NULL matches only when neither is set. */
bool dt_select_device(const struct dt_select *s, const char *dev, const char *driver);
/* Task match (--pid, --comm); unknown task matches only when neither is set. */
bool dt_select_task(const struct dt_select *s, bool known, int64_t pid, const char *comm);
bool dt_select_time(const struct dt_select *s, uint64_t ts, uint64_t t0);
/* Everything above for one engine finding (t0: the trace's first ts). */
bool dt_select_finding(const struct dt_select *s, const struct dt_finding *f, uint64_t t0);

#endif

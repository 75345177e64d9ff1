// SPDX-License-Identifier: Apache-2.0
/* Where the daemon's findings go: the systemd journal with structured fields (DMABUF_RULE=,
 * DMABUF_SEVERITY=, DMABUF_BUF=, DMABUF_DEV=, DMABUF_EXPORTER=, DMABUF_PID=, DMABUF_COUNT=, priority from
 * the severity) when running under systemd and built WITH_SYSTEMD=1, else one text line each on stderr.
 * Repeats are aggregated: within an interval the first finding per rule x importer x exporter is
 * logged, the others are counted and logged as one entry with the count when the interval ends, so the
 * journal's rate limit never drops findings silently. */
#ifndef DT_DAEMON_JOURNAL_H
#define DT_DAEMON_JOURNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "rules/rules.h"

struct dt_journal;

/* interval_s: aggregation window (0: log every finding). Without a journal, findings go through the error
 * voice (common/errors.h) to stderr. */
struct dt_journal *dt_journal_new(double interval_s);
bool dt_journal_uses_journal(const struct dt_journal *j);
void dt_journal_finding(struct dt_journal *j, const struct dt_finding *f);
/* Logs the counts of intervals that ended (or all, when flush). */
void dt_journal_tick(struct dt_journal *j, bool flush);
/* Findings logged as entries, and findings folded into a count. */
void dt_journal_counts(const struct dt_journal *j, unsigned long long *entries, unsigned long long *folded);
void dt_journal_free(struct dt_journal *j);

#endif

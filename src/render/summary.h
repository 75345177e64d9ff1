// SPDX-License-Identifier: Apache-2.0
/* A finished trace's tally for machines: one JSON object, {"type":"summary", ...}, the numbers of
 * dt_print_summary (render/findings.h). */
#ifndef DT_SUMMARY_H
#define DT_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#include "rules/rules.h"

void dt_print_summary_json(FILE *out, const char *trace, const struct dt_run_stats *s, int truncated);

/* What of the summary's findings check showed: the summary counts every finding of the trace; the exit
 * status and the lines only those selected (--rule, --dev, ...) and not in the baseline. */
struct dt_shown {
	unsigned long long not_selected, in_baseline, new_errors;
	bool baseline; /* --baseline given */
};
/* Text: a line for the findings not selected (when some were not) and the baseline's line; JSON: one
 * {"type":"shown", ...} object when either applies. Nothing otherwise. */
void dt_print_shown(FILE *out, const char *trace, const struct dt_shown *s, bool json);

/* Adds s to t (a grand total over several traces). */
void dt_run_stats_add(struct dt_run_stats *t, const struct dt_run_stats *s);

#endif

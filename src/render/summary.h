// SPDX-License-Identifier: Apache-2.0
/* A finished trace's tally for machines: one JSON object, {"type":"summary", ...}, the numbers of
 * dt_print_summary (render/findings.h). */
#ifndef DT_SUMMARY_H
#define DT_SUMMARY_H

#include <stdio.h>

#include "rules/rules.h"

void dt_print_summary_json(FILE *out, const char *trace, const struct dt_run_stats *s, int truncated);

/* Adds s to t (a grand total over several traces). */
void dt_run_stats_add(struct dt_run_stats *t, const struct dt_run_stats *s);

#endif

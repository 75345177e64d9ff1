/* SPDX-License-Identifier: Apache-2.0 */
/* check --format junit: one <testsuite> per trace, one <testcase> per rule x buffer
 * (plus trace-level lost-events). Error findings are <failure>s carrying their
 * messages; warnings and info go to the testcase's <system-out>. */
#ifndef DT_FINDINGS_JUNIT_H
#define DT_FINDINGS_JUNIT_H

#include <stdio.h>

#include "render/model.h"
#include "rules/select.h"

struct dt_junit {
	FILE *body; /* suites, buffered until the totals are known */
	char *buf;
	size_t len;
	unsigned long long tests, failures, errors;
	/* rules left out by --rule / --no-rule: no testcase (one would pass without having been judged) */
	const struct dt_select *select;
};

int dt_junit_init(struct dt_junit *j);
/* Adds the suite of one analysed trace. */
void dt_junit_add_trace(struct dt_junit *j, const struct dt_model *m);
/* Adds a suite for a trace that could not be analysed (one <error> testcase). */
void dt_junit_add_unreadable(struct dt_junit *j, const char *trace, int exit_status);
/* Writes the document to out and frees. Returns 0, or -1 on a write error. */
int dt_junit_finish(struct dt_junit *j, FILE *out);

#endif

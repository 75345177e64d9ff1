// SPDX-License-Identifier: Apache-2.0
/* The state of a trace at one point (default: its end): live buffers and their live attachments, as text
 * or one JSON object per buffer. */
#ifndef DT_STATE_H
#define DT_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/errors.h"
#include "engine/constraints.h"
#include "render/format.h"
#include "rules/select.h"

struct dt_state_opts {
	struct dt_time_arg at;                   /* unset: the end of the trace */
	enum dt_format format;
	const struct dt_select *select;          /* may be NULL */
	const struct dt_constraints *constraints; /* --constraints FILE, or none (NULL) when constraints_given */
	bool constraints_given;                  /* else: the profile the trace was recorded with */
};

enum dt_status dt_render_state_opts(const char *trace, const struct dt_state_opts *o, FILE *out);

/* The older form: stop_set: the state after the last event with ts <= at (absolute). have_buf: only that buffer. */
enum dt_status dt_render_state(const char *trace, bool stop_set, uint64_t at, enum dt_format format, bool have_buf,
			      uint64_t buf, FILE *out);
/* The same with --constraints: a profile (or none) when given, else the one the trace was recorded with. */
int dt_render_state_constrained(const char *trace, const struct dt_constraints *c, bool constraints_given,
				bool stop_set, uint64_t at, enum dt_format format, bool have_buf, uint64_t buf, FILE *out);

#endif

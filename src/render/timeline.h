/* Each buffer's history as aligned text, findings inline. A buffer's block is printed when it is
 * released (and the rest at the end), so memory holds only the histories of live buffers. */
#ifndef DT_RENDER_TIMELINE_H
#define DT_RENDER_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/constraints.h"
#include "rules/rules.h"

struct dt_timeline_opts {
	const char *trace;
	const struct dt_constraints *constraints; /* may be NULL */
	bool constraints_given; /* --constraints FILE or none; else the trace's recorded profile applies */
	enum dt_severity min_severity;
	bool color;
	bool have_buf; /* only buffer buf */
	uint64_t buf;
};

/* Returns a dt_status (DT_EXIT_INPUT when the trace is malformed or buf never appears). */
int dt_render_timeline(const struct dt_timeline_opts *o, FILE *out);

#endif

/* The live buffers and their live attachments at one point of a trace (default: its end), as the
 * engine rebuilt them: text for people, JSON for the end-to-end tests that compare with bufinfo. */
#ifndef DT_RENDER_STATE_H
#define DT_RENDER_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "render/format.h"

/* Stops at the first event after at (when stop_set); only buffer buf when have_buf. Returns a dt_status. */
int dt_render_state(const char *trace, bool stop_set, uint64_t at, enum dt_format format, bool have_buf,
		    uint64_t buf, FILE *out);
struct dt_constraints;
/* The same with --constraints: a profile (or none) when given, else the one the trace was recorded with. */
int dt_render_state_constrained(const char *trace, const struct dt_constraints *c, bool constraints_given,
				bool stop_set, uint64_t at, enum dt_format format, bool have_buf, uint64_t buf, FILE *out);

#endif

/* Shared between engine.c (state) and rules.c (checks); not for other modules. */
#ifndef DT_ENGINE_INTERNAL_H
#define DT_ENGINE_INTERNAL_H

#include <stdarg.h>

#include "engine/engine.h"
#include "common/u64map.h"

struct dt_engine {
	struct dt_engine_opts opts;
	struct u64map buffers;     /* ino -> struct dt_buffer */
	struct u64map attachments; /* att id -> struct dt_attachment */
	struct dt_engine_stats stats;
	bool after_loss;
	bool restoring; /* feeding a state event: rebuild, do not judge */
	bool have_ts; /* stats.first_ts is set */
	char err[256];
};

/* Emits a finding; message is printf-style. */
void dt_emit(struct dt_engine *e, enum dt_rule_id rule, enum dt_severity sev, const struct dt_buffer *buf,
	     const struct dt_attachment *att, const struct dt_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* The same for a check the recorded data cannot decide ("cannot tell"). */
void dt_emit_unverified(struct dt_engine *e, enum dt_rule_id rule, const struct dt_buffer *buf,
			const struct dt_attachment *att, const struct dt_event *ev, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Rule hooks, called by the engine after it updated its state for the event. */
void dt_rules_attach(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer *buf,
		     struct dt_attachment *att);
void dt_rules_map(struct dt_engine *e, const struct dt_event *ev, struct dt_buffer *buf,
		  struct dt_attachment *att);

#endif

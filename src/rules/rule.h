// SPDX-License-Identifier: Apache-2.0
/* What a rule sees: the transition (read-only views of the engine's objects), its own
 * state, and an emitter. No rule touches the engine. The table of rules is in rules.c. */
#ifndef DT_RULES_RULE_H
#define DT_RULES_RULE_H

#include <stddef.h>

#include "rules/rules.h"

/* Emits a finding about t's buffer and attachment; message is printf-style. */
void dt_emit(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule, enum dt_severity sev,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same for a check the recorded data cannot decide ("cannot tell"): a warning. */
void dt_emit_unverified(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same with the message written by render(ctx, out, outsz) when someone reads it (dt_finding_message):
 * for messages that cost more to make than the verdict. ctx must stay valid during the call. */
typedef void (*dt_text_fn)(const void *ctx, char *out, size_t outsz);
void dt_emit_rendered(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
		      enum dt_severity sev, bool unverified, dt_text_fn render, const void *ctx);
/* The rule's own state (from its state_new), NULL if it has none. */
void *dt_rule_state(struct dt_rule_ctx *rc);

/* Seconds since the trace's first event, for "+1.234567s" in messages. */
double dt_rule_rel_time(const struct dt_transition *t, uint64_t ts);

/* The judges, one per rule (rules.c lists them). */
void dt_rule_late_attach(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_segment_count(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_not_contiguous(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_segment_size(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_segment_boundary(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_map_failed(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_unbalanced_unmap(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_use_after_detach(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_detach_while_mapped(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_unknown_attachment(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_release_with_attachments(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_leak_at_end(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_lost_events(struct dt_rule_ctx *rc, const struct dt_transition *t);
void dt_rule_contiguous_by_chance(struct dt_rule_ctx *rc, const struct dt_transition *t);

#endif

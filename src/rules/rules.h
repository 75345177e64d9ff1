/* SPDX-License-Identifier: Apache-2.0 */
/* The rules: they judge the engine's transitions (engine.h) and emit findings.
 * Every rule is one row of the table in rules.c; rule ids are a public contract
 * (CI filters and baselines use them): never rename.
 * A checker is the engine with every rule on its transitions: what the commands feed. */
#ifndef DT_RULES_H
#define DT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

enum dt_severity { DT_SEV_INFO, DT_SEV_WARNING, DT_SEV_ERROR };

enum dt_rule_id {
	DT_RULE_LATE_ATTACH,
	DT_RULE_SEGMENT_COUNT,
	DT_RULE_NOT_CONTIGUOUS,
	DT_RULE_SEGMENT_SIZE,
	DT_RULE_SEGMENT_BOUNDARY,
	DT_RULE_MAP_FAILED,
	DT_RULE_UNBALANCED_UNMAP,
	DT_RULE_DETACH_WHILE_MAPPED,
	DT_RULE_UNKNOWN_ATTACHMENT,
	DT_RULE_RELEASE_WITH_ATTACHMENTS,
	DT_RULE_LEAK_AT_END,
	DT_RULE_LOST_EVENTS,
	DT_RULE_CONTIGUOUS_BY_CHANCE,
	DT_RULE_USE_AFTER_DETACH,
	DT_RULE__COUNT,
};

struct dt_rule_ctx;
/* Judges one transition; emits through rc (rules/emit.h). */
typedef void (*dt_rule_fn)(struct dt_rule_ctx *rc, const struct dt_transition *t);

struct dt_rule_info {
	const char *id;
	const char *summary;
	unsigned transitions; /* DT_ON(kind) bits: the transitions the rule judges */
	dt_rule_fn judge;
	/* Optional per-run state of the rule (rc->state), made at the start of a run. */
	void *(*state_new)(void);
	void (*state_free)(void *state);
};

#define DT_ON(kind) (1u << (kind))

extern const struct dt_rule_info dt_rule_info[DT_RULE__COUNT];
const char *dt_severity_name(enum dt_severity s);
/* Returns -1 if unknown. */
int dt_severity_from_name(const char *s);

struct dt_finding {
	enum dt_rule_id rule;
	enum dt_severity sev;
	const struct dt_buffer *buf;
	const struct dt_attachment *att; /* NULL for buffer-level findings */
	const struct dt_event *ev;       /* triggering event, NULL at end of trace */
	uint64_t ts, seq;
	bool incomplete;  /* events were lost before this finding */
	bool unverified;  /* "cannot tell": the recorded data (truncated segs) does not decide it */
	bool provisional; /* about an object whose start was not in the trace */
	/* The text: read it with dt_finding_message(). Rules leave it NULL and the emitter formats it when first
	 * asked (findings nobody shows, record --quiet, cost no printf); a finding made elsewhere sets it. */
	const char *message;
	struct dt_finding_text *text;
};

/* The finding's message (valid while the finding is). */
const char *dt_finding_message(const struct dt_finding *f);

typedef void (*dt_finding_fn)(void *ctx, const struct dt_finding *f);

/* What a run counted: the engine's state counters, the findings per rule and per severity. */
struct dt_run_stats {
	struct dt_engine_stats engine;
	uint64_t findings[DT_RULE__COUNT];
	uint64_t by_severity[3];
};

struct dt_checker_opts {
	const struct dt_constraints *constraints; /* may be NULL */
	dt_finding_fn on_finding;
	dt_event_fn on_event; /* after the event's findings */
	void *ctx;
};

struct dt_checker;

struct dt_checker *dt_checker_new(const struct dt_checker_opts *opts);
/* 0, or -1 with dt_checker_error() set (an event contradicting the trace). */
int dt_checker_feed(struct dt_checker *c, const struct dt_event *ev);
const char *dt_checker_error(const struct dt_checker *c);
/* dt_checker_feed as a dt_sink_fn (ingest/sink.h) for live streams: an event the engine refuses is
 * reported as a warning and the stream goes on. */
int dt_checker_sink(void *checker, const struct dt_event *ev);
/* End of trace: the findings about what is still attached or mapped. */
void dt_checker_finish(struct dt_checker *c);
struct dt_run_stats dt_checker_stats(const struct dt_checker *c);
/* Forgets the live objects (dt_engine_reset): a daemon segment that does not continue the previous one. */
void dt_checker_reset(struct dt_checker *c, const struct dt_constraints *constraints);
/* The trace's segment addresses are redacted (dt_engine_set_redacted). */
void dt_checker_set_redacted(struct dt_checker *c, bool redacted);
/* The state behind the findings (time base, state dumps). */
const struct dt_engine *dt_checker_engine(const struct dt_checker *c);
void dt_checker_free(struct dt_checker *c);

#endif

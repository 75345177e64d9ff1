/* SPDX-License-Identifier: Apache-2.0 */
/* The table of rules, the emitter they report through, and the checker that puts them
 * on the engine's transitions. To add a rule: an id in rules.h, a row here, its judge
 * in a file of src/rules/ (declared in rules/rule.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/units.h"
#include "rules/rule.h"

const struct dt_rule_info dt_rule_info[DT_RULE__COUNT] = {
	[DT_RULE_LATE_ATTACH] = {"late-attach", "an importer attached after another had mapped the buffer",
				 DT_ON(DT_TR_ATTACH) | DT_ON(DT_TR_ATTACHED_BEFORE_LATE_MAP),
				 dt_rule_late_attach},
	[DT_RULE_SEGMENT_COUNT] = {"segment-count", "more DMA segments than the importer's max-segments",
				   DT_ON(DT_TR_MAP), dt_rule_segment_count},
	[DT_RULE_NOT_CONTIGUOUS] = {"not-contiguous", "the importer needs contiguous memory, the mapping is not",
				    DT_ON(DT_TR_MAP), dt_rule_not_contiguous},
	[DT_RULE_SEGMENT_SIZE] = {"segment-size", "a DMA segment longer than the importer's max_segment_size",
				  DT_ON(DT_TR_MAP), dt_rule_segment_size},
	[DT_RULE_SEGMENT_BOUNDARY] = {"segment-boundary", "a DMA segment crosses the importer's segment boundary",
				      DT_ON(DT_TR_MAP), dt_rule_segment_boundary},
	[DT_RULE_MAP_FAILED] = {"map-failed", "the kernel refused a map or attach",
				DT_ON(DT_TR_ATTACH_FAILED) | DT_ON(DT_TR_MAP_FAILED), dt_rule_map_failed},
	[DT_RULE_UNBALANCED_UNMAP] = {"unbalanced-unmap", "unmap without a matching map",
				      DT_ON(DT_TR_UNMAP_WITHOUT_MAP), dt_rule_unbalanced_unmap},
	[DT_RULE_DETACH_WHILE_MAPPED] = {"detach-while-mapped", "detach of an attachment that is still mapped",
					 DT_ON(DT_TR_DETACH_WHILE_MAPPED) | DT_ON(DT_TR_LATE_BEFORE_DETACH),
					 dt_rule_detach_while_mapped},
	[DT_RULE_UNKNOWN_ATTACHMENT] = {"unknown-attachment",
					"an event for an attachment whose attach is not in the trace",
					DT_ON(DT_TR_UNKNOWN_ATTACHMENT), dt_rule_unknown_attachment},
	[DT_RULE_RELEASE_WITH_ATTACHMENTS] = {"release-with-attachments", "buffer released while still attached",
					      DT_ON(DT_TR_RELEASE_WITH_ATTACHMENTS), dt_rule_release_with_attachments},
	[DT_RULE_LEAK_AT_END] = {"leak-at-end", "still attached or mapped when the trace ended",
				 DT_ON(DT_TR_LEFT_AT_END), dt_rule_leak_at_end},
	[DT_RULE_LOST_EVENTS] = {"lost-events", "the kernel dropped events", DT_ON(DT_TR_LOST) | DT_ON(DT_TR_RELEASE_NOT_TRACED),
				 dt_rule_lost_events},
	[DT_RULE_CONTIGUOUS_BY_CHANCE] = {"contiguous-by-chance",
					  "the importer needs contiguous memory and got it from an exporter that does not "
					  "guarantee it", DT_ON(DT_TR_MAP), dt_rule_contiguous_by_chance},
	[DT_RULE_USE_AFTER_DETACH] = {"use-after-detach", "a map, unmap or detach of an attachment after its detach",
				      DT_ON(DT_TR_USED_AFTER_DETACH), dt_rule_use_after_detach},
};

static const char *const severity_names[] = {"info", "warning", "error"};

const char *dt_severity_name(enum dt_severity s)
{
	return (unsigned)s <= DT_SEV_ERROR ? severity_names[s] : "?";
}

int dt_severity_from_name(const char *s)
{
	for (int i = 0; i <= DT_SEV_ERROR; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

/* The emitter: where findings go, and their counts. */
struct dt_emitter {
	dt_finding_fn on_finding;
	void *ctx;
	uint64_t findings[DT_RULE__COUNT];
	uint64_t by_severity[3];
};

struct dt_rule_ctx {
	struct dt_emitter *emitter;
	void *state;
};

/* Kinds of transition (engine.h): DT_TR_BUFFER_GONE is the last. */
#define TRANSITION_KINDS (DT_TR_BUFFER_GONE + 1)

struct dt_checker {
	struct dt_engine *engine;
	struct dt_emitter emitter;
	struct dt_rule_ctx rules[DT_RULE__COUNT];
	/* per kind of transition, the rules that judge it in table order, ending with DT_RULE__COUNT */
	unsigned char judges[TRANSITION_KINDS][DT_RULE__COUNT + 1];
};

/* A rule's message, formatted at the first dt_finding_message() (emit_va's call to the observer is its life). */
struct dt_finding_text {
	const char *fmt;
	va_list ap;
	dt_text_fn render; /* instead of fmt */
	const void *render_ctx;
	bool done;
	char msg[1024];
};

const char *dt_finding_message(const struct dt_finding *f)
{
	struct dt_finding_text *x = f->text;
	if (f->message || !x)
		return f->message ? f->message : "";
	if (x->done)
		return x->msg;
	x->done = true;
	if (x->render) {
		x->render(x->render_ctx, x->msg, sizeof(x->msg));
		return x->msg;
	}
	va_list ap;
	va_copy(ap, x->ap);
	if (strcmp(x->fmt, "%s%s") == 0) { /* joined without printf's cost */
		const char *a = va_arg(ap, const char *);
		dt_join(x->msg, sizeof(x->msg), a, va_arg(ap, const char *), (const char *)NULL);
	} else {
		vsnprintf(x->msg, sizeof(x->msg), x->fmt, ap);
	}
	va_end(ap);
	return x->msg;
}

static void emit_text(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
		      enum dt_severity sev, bool unverified, struct dt_finding_text *text)
{
	struct dt_finding f = {
		.rule = rule,
		.sev = sev,
		.buf = t->buf,
		.att = t->att,
		.ev = t->ev,
		.ts = t->ev ? t->ev->ts : t->stats->last_ts,
		.seq = t->ev ? t->ev->seq : 0,
		.incomplete = t->after_loss,
		.unverified = unverified,
		.provisional = (t->buf && t->buf->provisional) || (t->att && t->att->provisional),
		.text = text,
	};
	struct dt_emitter *em = rc->emitter;
	em->findings[rule]++;
	em->by_severity[sev]++;
	if (em->on_finding)
		em->on_finding(em->ctx, &f);
}

static void emit_va(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
		    enum dt_severity sev, bool unverified, const char *fmt, va_list ap)
{
	struct dt_finding_text text;
	text.fmt = fmt;
	va_copy(text.ap, ap);
	text.render = NULL;
	text.done = false;
	emit_text(rc, t, rule, sev, unverified, &text);
	va_end(text.ap);
}

void dt_emit_rendered(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
		      enum dt_severity sev, bool unverified, dt_text_fn render, const void *ctx)
{
	struct dt_finding_text text;
	text.fmt = NULL;
	text.render = render;
	text.render_ctx = ctx;
	text.done = false;
	emit_text(rc, t, rule, sev, unverified, &text);
}

void dt_emit(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule, enum dt_severity sev,
	     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_va(rc, t, rule, sev, false, fmt, ap);
	va_end(ap);
}

void dt_emit_unverified(struct dt_rule_ctx *rc, const struct dt_transition *t, enum dt_rule_id rule,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_va(rc, t, rule, DT_SEV_WARNING, true, fmt, ap);
	va_end(ap);
}

void *dt_rule_state(struct dt_rule_ctx *rc) { return rc->state; }

double dt_rule_rel_time(const struct dt_transition *t, uint64_t ts)
{
	return ts >= t->stats->first_ts ? (double)(ts - t->stats->first_ts) / 1e9 : 0.0;
}

/* The engine's observer: every rule that judges this kind of transition, in table order. */
static void dispatch(void *ctx, const struct dt_transition *t)
{
	struct dt_checker *c = ctx;
	if ((unsigned)t->kind >= TRANSITION_KINDS)
		return;
	for (const unsigned char *r = c->judges[t->kind]; *r != DT_RULE__COUNT; r++)
		dt_rule_info[*r].judge(&c->rules[*r], t);
}

struct dt_checker *dt_checker_new(const struct dt_checker_opts *opts)
{
	struct dt_checker *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->emitter.on_finding = opts->on_finding;
	c->emitter.ctx = opts->ctx;
	for (int k = 0; k < TRANSITION_KINDS; k++) {
		unsigned char *j = c->judges[k];
		for (int r = 0; r < DT_RULE__COUNT; r++)
			if (dt_rule_info[r].transitions & DT_ON(k))
				*j++ = (unsigned char)r;
		*j = DT_RULE__COUNT;
	}
	for (int r = 0; r < DT_RULE__COUNT; r++) {
		c->rules[r].emitter = &c->emitter;
		if (dt_rule_info[r].state_new && !(c->rules[r].state = dt_rule_info[r].state_new())) {
			dt_checker_free(c);
			return NULL;
		}
	}
	struct dt_engine_opts eo = {opts->constraints, dispatch, c, opts->on_event, opts->ctx};
	c->engine = dt_engine_new(&eo);
	if (!c->engine) {
		dt_checker_free(c);
		return NULL;
	}
	return c;
}

int dt_checker_feed(struct dt_checker *c, const struct dt_event *ev) { return dt_engine_feed(c->engine, ev); }

int dt_checker_sink(void *checker, const struct dt_event *ev)
{
	struct dt_checker *c = checker;
	if (dt_checker_feed(c, ev) < 0)
		dt_warn("event %" PRIu64 ": %s", ev->seq, dt_checker_error(c));
	return 0;
}
const char *dt_checker_error(const struct dt_checker *c) { return dt_engine_error(c->engine); }
void dt_checker_finish(struct dt_checker *c) { dt_engine_finish(c->engine); }
void dt_checker_reset(struct dt_checker *c, const struct dt_constraints *constraints)
{
	dt_engine_reset(c->engine, constraints);
}
const struct dt_engine *dt_checker_engine(const struct dt_checker *c) { return c->engine; }
void dt_checker_set_redacted(struct dt_checker *c, bool redacted) { dt_engine_set_redacted(c->engine, redacted); }

struct dt_run_stats dt_checker_stats(const struct dt_checker *c)
{
	struct dt_run_stats s;
	s.engine = *dt_engine_stats(c->engine);
	memcpy(s.findings, c->emitter.findings, sizeof(s.findings));
	memcpy(s.by_severity, c->emitter.by_severity, sizeof(s.by_severity));
	return s;
}

void dt_checker_free(struct dt_checker *c)
{
	if (!c)
		return;
	dt_engine_free(c->engine); /* reports the buffers going away to the rules first */
	for (int r = 0; r < DT_RULE__COUNT; r++)
		if (dt_rule_info[r].state_free && c->rules[r].state)
			dt_rule_info[r].state_free(c->rules[r].state);
	free(c);
}

// SPDX-License-Identifier: Apache-2.0
/* See live_stage.h. */
#include <inttypes.h>
#include <stdlib.h>

#include "common/errors.h"
#include "ingest/live_stage.h"
#include "ingest/redact.h"

struct dt_live_stage {
	struct dt_reorder *reorder;
	struct dt_redactor *redactor; /* --redact */
	double window_ms;
	uint64_t *seq;
	dt_sink_fn out;
	void *ctx;
	bool failed;
};

/* After the window: the stream's seq, the redaction, the consumer. */
static int number_and_pass(void *ctx, const struct dt_event *ev)
{
	struct dt_live_stage *s = ctx;
	if (s->failed)
		return 1;
	struct dt_event *e = (struct dt_event *)ev; /* the producer's copy; seq is the stream's to assign */
	e->seq = ++*s->seq;
	e->line = 0;
	const struct dt_event *out = s->redactor ? dt_redact(s->redactor, e) : e;
	if (!out) {
		dt_err("out of memory redacting event %" PRIu64 ": stopping", e->seq);
		s->failed = true;
		return 1;
	}
	s->out(s->ctx, out);
	return 0;
}

struct dt_live_stage *dt_live_stage_new(const struct dt_live_stage_opts *o)
{
	struct dt_live_stage *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->window_ms = o->reorder_window_ms;
	s->seq = o->seq;
	s->out = o->out;
	s->ctx = o->ctx;
	s->reorder = dt_reorder_new((uint64_t)(o->reorder_window_ms * 1e6), number_and_pass, s);
	s->redactor = o->redact ? dt_redactor_new(0) : NULL;
	if (!s->reorder || (o->redact && !s->redactor)) {
		dt_live_stage_free(s);
		return NULL;
	}
	return s;
}

int dt_live_stage_push(void *stage, const struct dt_event *ev)
{
	struct dt_live_stage *s = stage;
	return s->failed ? 1 : dt_reorder_push(s->reorder, ev);
}

struct dt_event *dt_live_stage_slot(void *stage)
{
	struct dt_live_stage *s = stage;
	return s->failed ? NULL : dt_reorder_slot(s->reorder);
}

int dt_live_stage_pass(void *stage, const struct dt_event *ev)
{
	return number_and_pass(stage, ev);
}

void dt_live_stage_release(struct dt_live_stage *s, uint64_t now)
{
	dt_reorder_release(s->reorder, now);
}

void dt_live_stage_flush(struct dt_live_stage *s)
{
	dt_reorder_flush(s->reorder);
}

bool dt_live_stage_failed(const struct dt_live_stage *s) { return s->failed; }
bool dt_live_stage_redacts(const struct dt_live_stage *s) { return s->redactor != NULL; }
const struct dt_reorder_stats *dt_live_stage_reorder_stats(const struct dt_live_stage *s)
{
	return dt_reorder_stats(s->reorder);
}
double dt_live_stage_window_ms(const struct dt_live_stage *s) { return s->window_ms; }

void dt_live_stage_free(struct dt_live_stage *s)
{
	if (!s)
		return;
	dt_reorder_free(s->reorder);
	dt_redactor_free(s->redactor);
	free(s);
}

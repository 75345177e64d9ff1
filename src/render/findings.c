/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "render/describe.h"
#include "common/escape.h"
#include "render/finding_fields.h"
#include "render/findings.h"
#include "common/errors.h"
#include "common/json_gen.h"
#include "common/units.h"

void dt_findings_out_init(struct dt_findings_out *o, FILE *out, enum dt_format format, enum dt_severity min,
			  bool color, const char *trace)
{
	memset(o, 0, sizeof(*o));
	o->out = out;
	o->format = format;
	o->min_severity = min;
	o->color = color;
	o->trace = trace;
	if (format == FMT_JSON) {
		struct dt_jline *l = malloc(sizeof(*l));
		if (l && dt_jline_init(l) == 0)
			o->gen = l;
		else
			free(l); /* emit_json says so per finding */
	}
}

void dt_findings_out_fini(struct dt_findings_out *o)
{
	if (o->gen) {
		dt_jline_free(o->gen);
		free(o->gen);
	}
	o->gen = NULL;
	fflush(o->out);
}

const char *dt_describe_buffer(char *out, size_t outsz, const struct dt_buffer *b)
{
	if (!b) {
		snprintf(out, outsz, "-");
		return out;
	}
	return dt_format_buffer(out, outsz, b->ino, b->exporter, b->size, b->name, b->provisional, dt_escape_text);
}

const char *dt_describe_device(char *out, size_t outsz, const struct dt_attachment *a)
{
	if (!a) {
		snprintf(out, outsz, "-");
		return out;
	}
	return dt_format_device(out, outsz, a->dev, a->driver, a->provisional, dt_escape_text);
}

static const char *const sev_color[] = {"\033[36m", "\033[33m", "\033[1;31m"};

static void emit_text(struct dt_findings_out *o, const struct dt_finding *f)
{
	char bufdesc[600], devdesc[420], msg[2048];
	const struct dt_engine_stats *s = o->engine ? dt_engine_stats(o->engine) : NULL;
	double rel = s && f->ts >= s->first_ts ? (double)(f->ts - s->first_ts) / 1e9 : 0.0;
	const char *message = dt_finding_message(f);
	dt_escape_text(msg, sizeof(msg), message, strlen(message));
	fprintf(o->out, "%s%-7s%s %-24s +%.6fs seq %-6" PRIu64 " buf %s %s: %s%s%s\n", o->color ? sev_color[f->sev] : "",
		dt_severity_name(f->sev), o->color ? "\033[0m" : "", dt_rule_info[f->rule].id, rel, f->seq,
		dt_describe_buffer(bufdesc, sizeof(bufdesc), f->buf), dt_describe_device(devdesc, sizeof(devdesc), f->att),
		msg, f->provisional ? DT_NOTE_PROVISIONAL : "", f->incomplete ? DT_NOTE_INCOMPLETE : "");
}

/* One JSON object per line, written straight into one buffer (dt_jline: the bytes yajl_gen wrote,
 * without its per-field cost) and handed to stdio in one piece. */
static void emit_json(struct dt_findings_out *o, const struct dt_finding *f)
{
	struct dt_jline *l = o->gen;
	if (!l) {
		dt_err("out of memory writing a finding");
		return;
	}
	dt_jline_reset(l);
	dt_jline_open(l, '{');
	dt_jline_str(l, "trace", o->trace);
	dt_jline_str(l, "rule", dt_rule_info[f->rule].id);
	dt_jline_str(l, "severity", dt_severity_name(f->sev));
	if (f->buf) {
		dt_jline_u64(l, "buf", f->buf->ino);
		dt_jline_str(l, "exporter", f->buf->exporter);
		dt_jline_u64(l, "size", f->buf->size);
		dt_jline_str(l, "name", f->buf->name);
	} else {
		dt_jline_null(l, "buf");
	}
	if (f->att) {
		dt_jline_u64(l, "att", f->att->id);
		dt_jline_str(l, "dev", f->att->dev);
		dt_jline_str(l, "driver", f->att->driver);
	} else {
		dt_jline_null(l, "att");
		/* A refused attach has no attachment, but the event names the device. */
		dt_jline_str(l, "dev", f->ev && f->ev->type == DT_EV_ATTACH && f->ev->dev.set ? f->ev->dev.s : NULL);
	}
	dt_jline_u64(l, "ts", f->ts);
	dt_jline_u64(l, "seq", f->seq);
	dt_jline_str(l, "message", dt_finding_message(f));
	dt_jline_bool(l, "incomplete", f->incomplete);
	dt_jline_bool(l, "provisional", f->provisional);
	dt_jline_bool(l, "unverified", f->unverified);
	if (f->ev && f->ev->comm.set) {
		dt_jline_str(l, "comm", f->ev->comm.s);
		dt_jline_i64(l, "pid", f->ev->pid);
	}
	if (f->ev && f->ev->nstack) {
		dt_jline_key(l, "stack");
		dt_jline_open(l, '[');
		for (uint32_t i = 0; i < f->ev->nstack; i++)
			dt_jline_strn(l, f->ev->stack[i], strnlen(f->ev->stack[i], DT_FRAME_MAX));
		dt_jline_close(l, ']');
	}
	dt_finding_json_extra(l, f); /* the structured members: schema, mapper, limit, observed */
	dt_jline_close(l, '}');
	if (l->oom) {
		dt_err("out of memory writing a finding");
		return;
	}
	char *nl = dt_jline_room(l, 1);
	if (!nl) {
		dt_err("out of memory writing a finding");
		return;
	}
	*nl = '\n';
	fwrite(l->p, 1, l->len + 1, o->out);
}

void dt_findings_out_emit(void *ctx, const struct dt_finding *f)
{
	struct dt_findings_out *o = ctx;
	if (f->sev < o->min_severity)
		return;
	o->shown++;
	if (o->format == FMT_JSON)
		emit_json(o, f);
	else
		emit_text(o, f);
}

void dt_print_summary(FILE *out, const char *trace, const struct dt_run_stats *s, int truncated)
{
	uint64_t events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += s->engine.events[t];
	char name[300];
	dt_escape_text(name, sizeof(name), trace, strlen(trace));
	fprintf(out, "%s: %" PRIu64 " events, %" PRIu64 " buffers, %" PRIu64 " attachments, %" PRIu64
		" lost; %" PRIu64 " errors, %" PRIu64 " warnings, %" PRIu64 " info",
		name, events, s->engine.buffers, s->engine.attachments, s->engine.lost, s->by_severity[DT_SEV_ERROR],
		s->by_severity[DT_SEV_WARNING], s->by_severity[DT_SEV_INFO]);
	const char *sep = " (";
	for (int r = 0; r < DT_RULE__COUNT; r++) {
		if (!s->findings[r])
			continue;
		fprintf(out, "%s%s %" PRIu64, sep, dt_rule_info[r].id, s->findings[r]);
		sep = ", ";
	}
	fprintf(out, "%s%s\n", *sep == ',' ? ")" : "", truncated ? "; the trace was cut short" : "");
}

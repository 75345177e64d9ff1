#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "render/describe.h"
#include "common/escape.h"
#include "render/finding_fields.h"
#include "render/findings.h"
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
	if (format == FMT_JSON)
		o->gen = yajl_gen_alloc(NULL);
}

void dt_findings_out_fini(struct dt_findings_out *o)
{
	if (o->gen)
		yajl_gen_free(o->gen);
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
	dt_escape_text(msg, sizeof(msg), f->message, strlen(f->message));
	fprintf(o->out, "%s%-7s%s %-24s +%.6fs seq %-6" PRIu64 " buf %s %s: %s%s%s\n", o->color ? sev_color[f->sev] : "",
		dt_severity_name(f->sev), o->color ? "\033[0m" : "", dt_rule_info[f->rule].id, rel, f->seq,
		dt_describe_buffer(bufdesc, sizeof(bufdesc), f->buf), dt_describe_device(devdesc, sizeof(devdesc), f->att),
		msg, f->provisional ? " [trace started mid-way]" : "", f->incomplete ? " [incomplete: events were lost]" : "");
}

static void emit_json(struct dt_findings_out *o, const struct dt_finding *f)
{
	yajl_gen g = o->gen;
	yajl_gen_map_open(g);
	dt_json_str(g, "trace", o->trace);
	dt_json_str(g, "rule", dt_rule_info[f->rule].id);
	dt_json_str(g, "severity", dt_severity_name(f->sev));
	if (f->buf) {
		dt_json_u64(g, "buf", f->buf->ino);
		dt_json_str(g, "exporter", f->buf->exporter);
		dt_json_u64(g, "size", f->buf->size);
		dt_json_str(g, "name", f->buf->name);
	} else {
		dt_json_key(g, "buf");
		yajl_gen_null(g);
	}
	if (f->att) {
		dt_json_u64(g, "att", f->att->id);
		dt_json_str(g, "dev", f->att->dev);
		dt_json_str(g, "driver", f->att->driver);
	} else {
		dt_json_key(g, "att");
		yajl_gen_null(g);
		/* A refused attach has no attachment, but the event names the device. */
		dt_json_str(g, "dev", f->ev && f->ev->type == DT_EV_ATTACH && f->ev->dev.set ? f->ev->dev.s : NULL);
	}
	dt_json_u64(g, "ts", f->ts);
	dt_json_u64(g, "seq", f->seq);
	dt_json_str(g, "message", f->message);
	dt_json_key(g, "incomplete");
	yajl_gen_bool(g, f->incomplete);
	dt_json_key(g, "provisional");
	yajl_gen_bool(g, f->provisional);
	if (f->ev && f->ev->comm.set) {
		dt_json_str(g, "comm", f->ev->comm.s);
		dt_json_key(g, "pid");
		yajl_gen_integer(g, f->ev->pid);
	}
	if (f->ev && f->ev->nstack) {
		dt_json_key(g, "stack");
		yajl_gen_array_open(g);
		for (uint32_t i = 0; i < f->ev->nstack; i++) {
			char clean[DT_FRAME_MAX * 4];
			size_t n = dt_sanitize_utf8(clean, sizeof(clean), f->ev->stack[i], strnlen(f->ev->stack[i], DT_FRAME_MAX));
			yajl_gen_string(g, (const unsigned char *)clean, n);
		}
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
	const unsigned char *out;
	size_t len;
	yajl_gen_get_buf(g, &out, &len);
	/* the structured members (schema, mapper, limit, observed) go in before the closing brace */
	char extra[4096];
	size_t nextra = dt_finding_json_extra(extra, sizeof(extra), f);
	fwrite(out, 1, len - 1, o->out);
	fwrite(extra, 1, nextra, o->out);
	fputs("}\n", o->out);
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL);
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

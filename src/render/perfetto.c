/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "common/escape.h"
#include "render/perfetto.h"
#include "common/units.h"

struct pf {
	yajl_gen g;
	FILE *out;
	const struct dt_model *m;
	bool absolute; /* timestamps are the trace's boottime, not since its first event */
	int err;
};

static void flush(struct pf *p)
{
	const unsigned char *buf;
	size_t len;
	yajl_gen_get_buf(p->g, &buf, &len);
	if (len && fwrite(buf, 1, len, p->out) != len)
		p->err = -1;
	yajl_gen_clear(p->g);
}

static void key(struct pf *p, const char *k)
{
	yajl_gen_string(p->g, (const unsigned char *)k, strlen(k));
}

/* Untrusted or not, every string goes through the UTF-8 sanitizer. */
static void str(struct pf *p, const char *k, const char *v)
{
	if (k)
		key(p, k);
	if (!v) {
		yajl_gen_null(p->g);
		return;
	}
	char clean[8192];
	size_t n = dt_sanitize_utf8(clean, sizeof(clean), v, strlen(v));
	yajl_gen_string(p->g, (const unsigned char *)clean, n);
}

static void u64(struct pf *p, const char *k, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	key(p, k);
	yajl_gen_number(p->g, num, (size_t)n);
}

static void boolean(struct pf *p, const char *k, bool v)
{
	key(p, k);
	yajl_gen_bool(p->g, v);
}

/* Microseconds since the first event, with ns precision. */
static void us(struct pf *p, const char *k, uint64_t ts_ns, bool relative)
{
	uint64_t t0 = p->absolute ? 0 : dt_model_t0(p->m);
	uint64_t v = relative ? (ts_ns >= t0 ? ts_ns - t0 : 0) : ts_ns;
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRIu64 ".%03" PRIu64, v / 1000, v % 1000);
	key(p, k);
	yajl_gen_number(p->g, num, (size_t)n);
}

/* Opens an event object with the common fields. */
static void ev_open(struct pf *p, const char *ph, const char *name, const char *cat, uint64_t pid, uint64_t tid,
		    uint64_t ts)
{
	yajl_gen_map_open(p->g);
	str(p, "ph", ph);
	str(p, "name", name);
	if (cat)
		str(p, "cat", cat);
	u64(p, "pid", pid);
	u64(p, "tid", tid);
	us(p, "ts", ts, true);
}

static void ev_close(struct pf *p)
{
	yajl_gen_map_close(p->g);
	flush(p);
}

static void meta(struct pf *p, const char *what, uint64_t pid, uint64_t tid, const char *name, int64_t sort)
{
	yajl_gen_map_open(p->g);
	str(p, "ph", "M");
	str(p, "name", what);
	u64(p, "pid", pid);
	u64(p, "tid", tid);
	key(p, "args");
	yajl_gen_map_open(p->g);
	if (name)
		str(p, "name", name);
	else
		u64(p, "sort_index", (uint64_t)sort);
	yajl_gen_map_close(p->g);
	ev_close(p);
}

static void finding_event(struct pf *p, const struct dt_model_finding *f, uint64_t pid, uint64_t tid, bool global)
{
	ev_open(p, "i", dt_rule_info[f->rule].id, f->sev == DT_SEV_ERROR ? "finding,error"
		: f->sev == DT_SEV_WARNING ? "finding,warning" : "finding,info", pid, tid, f->ts);
	str(p, "s", global ? "g" : "t");
	key(p, "args");
	yajl_gen_map_open(p->g);
	str(p, "severity", dt_severity_name(f->sev));
	str(p, "message", f->message);
	u64(p, "seq", f->seq);
	if (f->incomplete)
		boolean(p, "incomplete", true);
	if (f->provisional)
		boolean(p, "provisional", true);
	yajl_gen_map_close(p->g);
	ev_close(p);
}

static void limits_args(struct pf *p, const struct dt_model_att *a)
{
	u64(p, "max_seg_size", a->lim.max_seg_size);
	char mask[24];
	snprintf(mask, sizeof(mask), "0x%" PRIx64, a->lim.seg_boundary_mask);
	str(p, "seg_boundary_mask", mask);
	if (a->lim.set & DT_LIM_MAX_SEGMENTS)
		u64(p, "max_segments", a->lim.max_segments);
	if (a->lim.set & DT_LIM_CONTIGUOUS)
		boolean(p, "needs_contiguous", a->lim.contiguous);
	if (!a->dma_parms)
		boolean(p, "kernel_default_max_seg_size", true);
}

int dt_perfetto_write(const struct dt_model *m, FILE *out)
{
	return dt_perfetto_write_time(m, out, false);
}

int dt_perfetto_write_absolute(const struct dt_model *m, FILE *out)
{
	return dt_perfetto_write_time(m, out, true);
}

/* One trace's processes: the trace-level one (pid_base: lost events) and one per buffer after it. With
 * several traces, names start with the trace's (tag) and pids, tids and flow ids do not overlap. */
static void write_model(struct pf *p, const struct dt_model *m, uint64_t pid_base, const char *tag,
			uint64_t *next_tid_io, uint64_t flow_base)
{
	p->m = m;
	char tname0[DT_STR_MAX * 10 + 32];
	snprintf(tname0, sizeof(tname0), "%s%sdmabuf-trace", tag ? tag : "", tag ? ": " : "");
	/* Trace-level process for events that concern no buffer (lost events). */
	meta(p, "process_name", pid_base, 0, tname0, 0);
	if (tag)
		meta(p, "process_sort_index", pid_base, 0, NULL, (int64_t)pid_base);
	uint64_t next_tid = *next_tid_io;
	for (size_t bi = 0; bi < m->nbufs; bi++) {
		const struct dt_model_buf *b = &m->bufs[bi];
		uint64_t pid = pid_base + bi + 1, btid = next_tid++;
		char desc[DT_STR_MAX * 10], name[DT_STR_MAX * 20 + 32];
		dt_model_describe_buf(desc, sizeof(desc), b, dt_sanitize_utf8);
		snprintf(name, sizeof(name), "%s%sbuffer %s", tag ? tag : "", tag ? ": " : "", desc);
		meta(p, "process_name", pid, btid, name, 0);
		meta(p, "process_sort_index", pid, btid, NULL, (int64_t)pid);
		char tname[DT_STR_MAX * 6 + 32], exp[DT_STR_MAX * 6];
		dt_sanitize_utf8(exp, sizeof(exp), b->exporter ? b->exporter : "?", b->exporter ? strlen(b->exporter) : 1);
		snprintf(tname, sizeof(tname), "exporter %s", b->provisional ? "(not traced)" : exp);
		meta(p, "thread_name", pid, btid, tname, 0);
		meta(p, "thread_sort_index", pid, btid, NULL, 0);
		ev_open(p, "X", name, "buffer", pid, btid, b->first_ts);
		us(p, "dur", b->end_ts >= b->first_ts ? b->end_ts - b->first_ts : 0, false);
		key(p, "args");
		yajl_gen_map_open(p->g);
		u64(p, "inode", b->ino);
		str(p, "exporter", b->exporter);
		u64(p, "size", b->size);
		str(p, "name", b->name);
		boolean(p, "released", b->released);
		yajl_gen_map_close(p->g);
		ev_close(p);
		for (size_t k = 0; k < b->natts; k++) {
			size_t ai = b->atts[k];
			const struct dt_model_att *a = &m->atts[ai];
			uint64_t tid = next_tid++;
			char adesc[DT_STR_MAX * 14], aname[DT_STR_MAX * 14 + 32];
			dt_model_describe_att(adesc, sizeof(adesc), a, dt_sanitize_utf8);
			snprintf(aname, sizeof(aname), "importer %s", adesc);
			meta(p, "thread_name", pid, tid, aname, 0);
			meta(p, "thread_sort_index", pid, tid, NULL, (int64_t)k + 1);
			snprintf(aname, sizeof(aname), "attachment %" PRIu64 " %s", a->id, adesc);
			ev_open(p, "X", aname, "attachment", pid, tid, a->attach_ts);
			us(p, "dur", a->end_ts >= a->attach_ts ? a->end_ts - a->attach_ts : 0, false);
			key(p, "args");
			yajl_gen_map_open(p->g);
			u64(p, "att", a->id);
			str(p, "dev", a->dev);
			str(p, "driver", a->driver);
			limits_args(p, a);
			str(p, "ended_by", a->detached ? "detach" : b->released && a->end_ts == b->end_ts ? "release"
				: "end of trace");
			yajl_gen_map_close(p->g);
			ev_close(p);
			/* flow: exporter -> importer, at the attach */
			ev_open(p, "s", "attach", "flow", pid, btid, a->attach_ts);
			u64(p, "id", flow_base + ai + 1);
			ev_close(p);
			ev_open(p, "f", "attach", "flow", pid, tid, a->attach_ts);
			u64(p, "id", flow_base + ai + 1);
			str(p, "bp", "e");
			ev_close(p);
			for (size_t i = 0; i < a->nmaps; i++) {
				const struct dt_model_map *mp = &a->maps[i];
				if (mp->failed) {
					ev_open(p, "i", "map refused", "map", pid, tid, mp->ts);
					str(p, "s", "t");
					key(p, "args");
					yajl_gen_map_open(p->g);
					key(p, "err");
					yajl_gen_integer(p->g, mp->err);
					yajl_gen_map_close(p->g);
					ev_close(p);
					continue;
				}
				char mname[64];
				snprintf(mname, sizeof(mname), "map (%" PRIu64 " segment%s)", mp->nents, mp->nents == 1 ? "" : "s");
				ev_open(p, "X", mname, "map", pid, tid, mp->ts);
				us(p, "dur", mp->end_ts >= mp->ts ? mp->end_ts - mp->ts : 0, false);
				key(p, "args");
				yajl_gen_map_open(p->g);
				u64(p, "nents", mp->nents);
				if (mp->max_seg_known)
					u64(p, "max_seg", mp->max_seg);
				if (mp->contiguous_known)
					boolean(p, "contiguous", mp->contiguous);
				str(p, "ended_by", mp->unmapped ? "unmap" : a->detached && mp->end_ts == a->end_ts ? "detach"
					: "end of attachment");
				yajl_gen_map_close(p->g);
				ev_close(p);
			}
			for (size_t i = a->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
				finding_event(p, &m->findings[i], pid, tid, false);
		}
		for (size_t i = b->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
			finding_event(p, &m->findings[i], pid, btid, false);
	}
	for (size_t i = m->ffirst_trace; i != DT_MODEL_NONE; i = m->findings[i].fnext)
		finding_event(p, &m->findings[i], pid_base, 0, true);
	*next_tid_io = next_tid;
}

int dt_perfetto_write_traces(const struct dt_model *const *models, size_t n, FILE *out, bool absolute)
{
	struct pf p = {.g = yajl_gen_alloc(NULL), .out = out, .absolute = absolute};
	if (!p.g)
		return -1;
	yajl_gen_map_open(p.g);
	key(&p, "traceEvents");
	yajl_gen_array_open(p.g);
	flush(&p);
	uint64_t pid_base = 0, next_tid = 1, flow_base = 0;
	for (size_t t = 0; t < n; t++) {
		char tag[DT_STR_MAX * 10];
		if (n > 1)
			dt_sanitize_utf8(tag, sizeof(tag), models[t]->path, strlen(models[t]->path));
		write_model(&p, models[t], pid_base, n > 1 ? tag : NULL, &next_tid, flow_base);
		pid_base += models[t]->nbufs + 1;
		flow_base += models[t]->natts;
	}
	yajl_gen_array_close(p.g);
	str(&p, "displayTimeUnit", "ns");
	key(&p, "otherData");
	yajl_gen_map_open(p.g);
	if (n == 1)
		str(&p, "trace", models[0]->path);
	str(&p, "tool", "dmabuf-trace");
	str(&p, "time_origin", absolute ? "boot (CLOCK_BOOTTIME, the traces' own ts)"
		: n > 1 ? "each trace's first event (CLOCK_BOOTTIME): the traces start together" :
		"the trace's first event (CLOCK_BOOTTIME)");
	if (n == 1)
		u64(&p, "first_ts_ns", dt_model_t0(models[0]));
	else {
		key(&p, "traces");
		yajl_gen_array_open(p.g);
		for (size_t t = 0; t < n; t++) {
			yajl_gen_map_open(p.g);
			str(&p, "trace", models[t]->path);
			u64(&p, "first_ts_ns", dt_model_t0(models[t]));
			yajl_gen_map_close(p.g);
		}
		yajl_gen_array_close(p.g);
	}
	yajl_gen_map_close(p.g);
	yajl_gen_map_close(p.g);
	flush(&p);
	if (fputc('\n', out) == EOF)
		p.err = -1;
	yajl_gen_free(p.g);
	return p.err;
}

int dt_perfetto_write_time(const struct dt_model *m, FILE *out, bool absolute)
{
	return dt_perfetto_write_traces(&m, 1, out, absolute);
}

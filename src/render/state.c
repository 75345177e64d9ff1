// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace state: the live buffers and their live attachments at one point of a trace (default: its
 * end), as the engine rebuilt them. For post-mortem ("what was attached when it hung") and for comparing
 * with the kernel's own view (debugfs dma_buf/bufinfo) in the end-to-end tests. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "render/state.h"
#include "rules/analyse.h"
#include "common/escape.h"
#include "render/findings.h"
#include "common/json_gen.h"
#include "common/u64map.h"

struct state {
	const struct dt_buffer **bufs;
	size_t n, cap;
	const struct dt_select *select; /* --buf, --exporter, --dev, --driver (may be NULL) */
	/* --pid/--comm/--since/--until: the state is rebuilt from every event, and shows the buffers and
	 * attachments that had an event of those tasks in that time (keys: inode, attach seq). */
	bool by_events;
	struct u64map hit_bufs, hit_atts;
	const struct dt_engine *engine;
	size_t live; /* every live buffer, selected or not: the header says how many were left out */
	bool oom;
};

static bool attachment_hit(const struct state *s, const struct dt_attachment *a)
{
	return !s->by_events || u64map_get((struct u64map *)&s->hit_atts, a->attach_seq);
}

static void collect_one(void *ctx, const struct dt_buffer *b)
{
	struct state *s = ctx;
	s->live++;
	if (s->select) {
		if (!dt_select_buffer(s->select, b->ino, b->exporter, true))
			return;
		if (s->select->ndevs || s->select->ndrivers) { /* a buffer with an importer asked for */
			bool hit = false;
			for (const struct dt_attachment *a = b->atts; a && !hit; a = a->next)
				hit = dt_select_device(s->select, a->dev, a->driver);
			if (!hit)
				return;
		}
		if (s->by_events && !u64map_get(&s->hit_bufs, b->ino))
			return;
	}
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;
		const struct dt_buffer **nb = realloc(s->bufs, ncap * sizeof(*nb));
		if (!nb) {
			s->oom = true;
			return;
		}
		s->bufs = nb;
		s->cap = ncap;
	}
	s->bufs[s->n++] = b;
}

/* Buffers in the order they appeared in the trace (inode breaks ties: seeded buffers share a seq). */
static int by_first_seq(const void *x, const void *y)
{
	const struct dt_buffer *a = *(const struct dt_buffer *const *)x, *b = *(const struct dt_buffer *const *)y;
	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

/* Attachments in attach order (the engine keeps them newest first). */
static int by_attach(const void *x, const void *y)
{
	const struct dt_attachment *a = *(const struct dt_attachment *const *)x, *b = *(const struct dt_attachment *const *)y;
	if (a->attach_seq != b->attach_seq)
		return a->attach_seq < b->attach_seq ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The buffer's live attachments shown, in attach order; *n set. NULL with *n 0 when none (or out of memory:
 * *oom set). */
static const struct dt_attachment **sorted_atts(const struct state *s, const struct dt_buffer *b, size_t *n,
						bool *oom)
{
	*n = 0;
	*oom = false;
	size_t k = 0;
	for (const struct dt_attachment *a = b->atts; a; a = a->next)
		k += attachment_hit(s, a);
	if (!k)
		return NULL;
	const struct dt_attachment **v = malloc(k * sizeof(*v));
	if (!v) {
		*oom = true;
		return NULL;
	}
	for (const struct dt_attachment *a = b->atts; a; a = a->next)
		if (attachment_hit(s, a))
			v[(*n)++] = a;
	qsort(v, *n, sizeof(*v), by_attach);
	return v;
}

/* One JSON object per buffer and line. Returns -1 when out of memory. */
static int print_json(FILE *out, const struct state *s, const struct dt_buffer *const *bufs, size_t n)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct dt_buffer *b = bufs[i];
		size_t na;
		bool oom;
		const struct dt_attachment **atts = sorted_atts(s, b, &na, &oom);
		if (oom) {
			rc = -1;
			break;
		}
		yajl_gen_map_open(g);
		dt_json_u64(g, "buf", b->ino);
		dt_json_str(g, "exporter", b->exporter);
		dt_json_u64(g, "size", b->size);
		dt_json_str(g, "name", b->name);
		dt_json_bool(g, "provisional", b->provisional);
		yajl_gen_string(g, (const unsigned char *)"attachments", 11);
		yajl_gen_array_open(g);
		for (size_t j = 0; j < na; j++) {
			const struct dt_attachment *a = atts[j];
			yajl_gen_map_open(g);
			dt_json_u64(g, "att", a->id);
			dt_json_str(g, "dev", a->dev);
			dt_json_str(g, "driver", a->driver);
			dt_json_bool(g, "mapped", a->map_depth > 0);
			dt_json_bool(g, "provisional", a->provisional);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		yajl_gen_map_close(g);
		free(atts);
		const unsigned char *text;
		size_t len;
		yajl_gen_get_buf(g, &text, &len);
		fwrite(text, 1, len, out);
		fputc('\n', out);
		yajl_gen_clear(g);
		yajl_gen_reset(g, NULL);
	}
	yajl_gen_free(g);
	return rc;
}

static int print_text(FILE *out, const struct state *s, const struct dt_buffer *const *bufs, size_t n,
		      const char *trace, const struct dt_analysis *an, uint64_t at)
{
	char name[600], desc[600], dev[420];
	dt_escape_text(name, sizeof(name), trace, strlen(trace));
	size_t natts = 0;
	for (size_t i = 0; i < n; i++)
		for (const struct dt_attachment *a = bufs[i]->atts; a; a = a->next)
			natts += attachment_hit(s, a);
	if (an->stop_set)
		fprintf(out, "%s at %" PRIu64 " ns: ", name, at);
	else
		fprintf(out, "%s at its end: ", name);
	fprintf(out, "%zu live buffer%s, %zu attachment%s", n, n == 1 ? "" : "s", natts, natts == 1 ? "" : "s");
	if (s->live > n)
		fprintf(out, " (%zu other live buffer%s not selected)", s->live - n, s->live - n == 1 ? "" : "s");
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		const struct dt_buffer *b = bufs[i];
		size_t na;
		bool oom;
		const struct dt_attachment **atts = sorted_atts(s, b, &na, &oom);
		if (oom)
			return -1;
		fprintf(out, "buffer %s\n", dt_describe_buffer(desc, sizeof(desc), b));
		if (na < b->n_atts)
			fprintf(out, "  (%zu other attachment%s: no event of the --pid/--comm/--since/--until asked for)\n",
				b->n_atts - na, b->n_atts - na == 1 ? "" : "s");
		else if (!na)
			fprintf(out, "  (no attachment)\n");
		for (size_t j = 0; j < na; j++) {
			const struct dt_attachment *a = atts[j];
			fprintf(out, "  att %-4" PRIu64 " %-36s %s%s\n", a->id, dt_describe_device(dev, sizeof(dev), a),
				a->map_depth ? "mapped" : "attached", a->provisional ? " (attach not traced)" : "");
		}
		free(atts);
	}
	return 0;
}

struct run {
	struct state st;
	struct dt_analysis an;
	const char *trace;
	enum dt_format format;
	uint64_t at;
	FILE *out;
	enum dt_status rc;
};

static void on_end(void *ctx, const struct dt_engine *e)
{
	struct run *r = ctx;
	dt_engine_foreach_buffer(e, collect_one, &r->st);
	if (r->st.oom) {
		r->rc = DT_ERR_SYSTEM;
		return;
	}
	if (r->st.n)
		qsort(r->st.bufs, r->st.n, sizeof(*r->st.bufs), by_first_seq);
	/* Printed here: the engine (and so the buffers) goes away when dt_analyse returns. */
	int prc = r->format == FMT_JSON ? print_json(r->out, &r->st, r->st.bufs, r->st.n)
					: print_text(r->out, &r->st, r->st.bufs, r->st.n, r->trace, &r->an, r->an.stop_ts);
	if (prc < 0)
		r->rc = DT_ERR_SYSTEM;
	const struct dt_engine_stats *s = dt_engine_stats(e);
	if (s->lost)
		dt_warn("the kernel dropped %" PRIu64 " event%s before this point: the state may be incomplete", s->lost,
			s->lost == 1 ? "" : "s");
}

static void on_start(void *ctx, const struct dt_engine *e)
{
	((struct run *)ctx)->st.engine = e;
}

/* --pid/--comm/--since/--until: remember the buffers and attachments their events touched. */
static void on_event(void *ctx, const struct dt_event *ev, const struct dt_buffer *b, const struct dt_attachment *a)
{
	struct state *s = &((struct run *)ctx)->st;
	if (!b || !dt_select_time(s->select, ev->ts, dt_engine_stats(s->engine)->first_ts) ||
	    !dt_select_task(s->select, ev->comm.set, ev->pid, ev->comm.set ? ev->comm.s : NULL))
		return;
	if (u64map_put(&s->hit_bufs, b->ino, (void *)1) < 0 || (a && u64map_put(&s->hit_atts, a->attach_seq, (void *)1) < 0))
		s->oom = true;
}

enum dt_status dt_render_state(const char *trace, bool stop_set, uint64_t at, enum dt_format format, bool have_buf,
			      uint64_t buf, FILE *out)
{
	struct dt_select sel = {0};
	if (have_buf)
		sel.bufs[sel.nbufs++] = buf;
	struct dt_state_opts o = {.at = {.set = stop_set, .ns = at}, .format = format, .select = &sel};
	return dt_render_state_opts(trace, &o, out);
}

int dt_render_state_constrained(const char *trace, const struct dt_constraints *c, bool constraints_given,
				bool stop_set, uint64_t at, enum dt_format format, bool have_buf, uint64_t buf, FILE *out)
{
	struct dt_select sel = {0};
	if (have_buf)
		sel.bufs[sel.nbufs++] = buf;
	struct dt_state_opts o = {.at = {.set = stop_set, .ns = at}, .format = format, .select = &sel, .constraints = c,
				  .constraints_given = constraints_given};
	return dt_render_state_opts(trace, &o, out);
}

enum dt_status dt_render_state_opts(const char *trace, const struct dt_state_opts *o, FILE *out)
{
	struct run r = {.trace = trace, .format = o->format, .at = o->at.ns, .out = out, .rc = DT_OK};
	r.st.select = o->select;
	r.an.constraints_given = o->constraints_given;
	r.an.path = trace;
	r.an.accept_bufinfo = true;
	r.an.constraints = o->constraints;
	r.an.ctx = &r;
	r.an.stop_set = o->at.set;
	r.an.stop_ts = o->at.ns;
	r.an.stop_relative = o->at.relative;
	r.an.on_end = on_end;
	const struct dt_select *sel = o->select;
	r.st.by_events = sel && (sel->npids || sel->ncomms || sel->since.set || sel->until.set);
	if (r.st.by_events) {
		r.an.on_start = on_start;
		r.an.on_event = on_event;
	}
	enum dt_status rc = dt_analyse(&r.an);
	free(r.st.bufs);
	u64map_free(&r.st.hit_bufs);
	u64map_free(&r.st.hit_atts);
	if (rc != DT_OK)
		return rc;
	/* An --at outside the trace is almost always a clock mix-up (relative vs absolute): say so. */
	const struct dt_engine_stats *s = &r.an.stats.engine;
	if (o->at.set && r.an.seen_event && r.an.stop_ts < r.an.first_seen_ts)
		dt_warn("--at %" PRIu64 " ns is before the trace's first event (ts %" PRIu64 "): nothing was live yet; "
			"times are the trace's ts, or +SECONDS from its first event", r.an.stop_ts, r.an.first_seen_ts);
	else if (o->at.set && !r.an.stopped && r.an.stop_ts > s->last_ts)
		dt_warn("--at %" PRIu64 " ns is after the trace's last event (ts %" PRIu64 "): this is the state at its "
			"end", r.an.stop_ts, s->last_ts);
	if (r.rc == DT_ERR_SYSTEM)
		dt_err("out of memory");
	return r.rc;
}

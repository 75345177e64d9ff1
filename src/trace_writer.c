#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "escape.h"
#include "json_gen.h"
#include "trace_writer.h"

#define FLUSH_AT (256 * 1024)

struct dt_writer {
	int fd;
	char *name;
	yajl_gen gen;
	char *buf;
	size_t len, cap;
	unsigned long long events;
	bool promise_end;
	bool failed;
	char err[256];
};

struct dt_writer *dt_writer_new(int fd, const char *name)
{
	struct dt_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = fd;
	w->name = strdup(name);
	w->gen = yajl_gen_alloc(NULL);
	w->cap = FLUSH_AT + 65536;
	w->buf = malloc(w->cap);
	if (!w->name || !w->gen || !w->buf) {
		dt_writer_free(w);
		return NULL;
	}
	return w;
}

static void kstr(yajl_gen g, const char *k, const struct dt_str *s)
{
	dt_json_key(g, k);
	if (s->set)
		dt_json_strn(g, s->s, s->len);
	else
		yajl_gen_null(g);
}

/* Moves the generated object into the line buffer. */
static int take_line(struct dt_writer *w)
{
	const unsigned char *out;
	size_t n;
	yajl_gen_get_buf(w->gen, &out, &n);
	if (w->len + n + 1 > w->cap) {
		if (dt_writer_flush(w) < 0)
			return -1;
		if (n + 1 > w->cap) {
			char *nb = realloc(w->buf, n + 1);
			if (!nb)
				return -1;
			w->buf = nb;
			w->cap = n + 1;
		}
	}
	memcpy(w->buf + w->len, out, n);
	w->buf[w->len + n] = '\n';
	w->len += n + 1;
	yajl_gen_clear(w->gen);
	yajl_gen_reset(w->gen, NULL);
	if (w->len >= FLUSH_AT)
		return dt_writer_flush(w);
	return w->failed ? -1 : 0;
}

int dt_writer_header(struct dt_writer *w, const char *kernel, const char *host, const char *tool,
		     unsigned long long start_unix_ns)
{
	yajl_gen g = w->gen;
	yajl_gen_map_open(g);
	dt_json_key(g, "type");
	dt_json_strn(g, "header", 6);
	dt_json_key(g, "format");
	dt_json_strn(g, "dmabuf-trace", 12);
	dt_json_u64(g, "version", 1);
	dt_json_key(g, "kernel");
	dt_json_strn(g, kernel ? kernel : "unknown", strlen(kernel ? kernel : "unknown"));
	dt_json_key(g, "clock");
	dt_json_strn(g, "boottime", 8);
	if (host) {
		dt_json_key(g, "host");
		dt_json_strn(g, host, strlen(host));
	}
	if (tool) {
		dt_json_key(g, "tool");
		dt_json_strn(g, tool, strlen(tool));
	}
	if (start_unix_ns)
		dt_json_u64(g, "start_unix_ns", start_unix_ns);
	if (w->promise_end)
		dt_json_bool(g, "ends", true);
	yajl_gen_map_close(g);
	return take_line(w);
}

int dt_writer_event(struct dt_writer *w, const struct dt_event *ev)
{
	yajl_gen g = w->gen;
	const char *type = dt_event_type_name(ev->type);
	yajl_gen_map_open(g);
	dt_json_key(g, "type");
	dt_json_strn(g, type, strlen(type));
	dt_json_u64(g, "ts", ev->ts);
	dt_json_u64(g, "seq", ev->seq);
	if (ev->has & DT_HAS_PID)
		dt_json_i64(g, "pid", ev->pid);
	if (ev->has & DT_HAS_TID)
		dt_json_i64(g, "tid", ev->tid);
	if (ev->comm.set)
		kstr(g, "comm", &ev->comm);
	if (ev->has & DT_HAS_CPU)
		dt_json_i64(g, "cpu", ev->cpu);
	if (ev->type == DT_EV_LOST) {
		dt_json_u64(g, "count", ev->count);
		goto done;
	}
	dt_json_u64(g, "buf", ev->buf);
	if (ev->has & DT_HAS_ATT)
		dt_json_u64(g, "att", ev->att);
	if (ev->has & DT_HAS_ERR)
		dt_json_i64(g, "err", ev->err);
	switch (ev->type) {
	case DT_EV_EXPORT:
		if (ev->has & DT_HAS_SEEDED)
			dt_json_bool(g, "seeded", true);
		dt_json_u64(g, "size", ev->size);
		kstr(g, "exporter", &ev->exporter);
		if (ev->name.set)
			kstr(g, "name", &ev->name);
		break;
	case DT_EV_ATTACH:
		if (ev->has & DT_HAS_SEEDED)
			dt_json_bool(g, "seeded", true);
		if (ev->name.set) /* the buffer's name now (set after export) */
			kstr(g, "name", &ev->name);
		kstr(g, "dev", &ev->dev);
		kstr(g, "driver", &ev->driver);
		kstr(g, "bus", &ev->bus);
		dt_json_bool(g, "dynamic", ev->dynamic);
		dt_json_u64(g, "max_seg_size", ev->max_seg_size);
		dt_json_u64(g, "seg_boundary_mask", ev->seg_boundary_mask);
		dt_json_bool(g, "dma_parms", ev->dma_parms);
		break;
	case DT_EV_MAP:
		if (ev->name.set)
			kstr(g, "name", &ev->name);
		if (ev->dir != DT_DIR_UNSET) {
			dt_json_key(g, "dir");
			const char *d = dt_dir_name(ev->dir);
			dt_json_strn(g, d, strlen(d));
		}
		if (ev->has & DT_HAS_ERR)
			break;
		dt_json_u64(g, "nents", ev->nents);
		if (ev->has & DT_HAS_ORIG_NENTS)
			dt_json_u64(g, "orig_nents", ev->orig_nents);
		dt_json_key(g, "segs");
		yajl_gen_array_open(g);
		for (uint32_t i = 0; i < ev->nsegs; i++) {
			yajl_gen_array_open(g);
			dt_json_u64v(g, ev->segs[i].addr);
			dt_json_u64v(g, ev->segs[i].len);
			yajl_gen_array_close(g);
		}
		yajl_gen_array_close(g);
		dt_json_u64(g, "segs_total", ev->has & DT_HAS_SEGS_TOTAL ? ev->segs_total : ev->nsegs);
		if (ev->has & DT_HAS_MAX_SEG)
			dt_json_u64(g, "max_seg", ev->max_seg);
		if (ev->has & DT_HAS_TOTAL_LEN)
			dt_json_u64(g, "len", ev->total_len);
		if (ev->has & DT_HAS_CONTIGUOUS)
			dt_json_bool(g, "contiguous", ev->contiguous);
		if (ev->has & DT_HAS_CROSSINGS)
			dt_json_u64(g, "boundary_crossings", ev->boundary_crossings);
		if (ev->cached)
			dt_json_bool(g, "cached", true);
		break;
	default:
		break;
	}
	if (ev->nstack) {
		dt_json_key(g, "stack");
		yajl_gen_array_open(g);
		for (uint32_t i = 0; i < ev->nstack; i++)
			dt_json_strn(g, ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX));
		yajl_gen_array_close(g);
	}
done:
	yajl_gen_map_close(g);
	w->events++;
	return take_line(w);
}

void dt_writer_promise_end(struct dt_writer *w)
{
	w->promise_end = true;
}

int dt_writer_end(struct dt_writer *w, unsigned long long ts, unsigned long long seq, unsigned long long lost)
{
	yajl_gen g = w->gen;
	yajl_gen_map_open(g);
	dt_json_key(g, "type");
	dt_json_strn(g, "end", 3);
	dt_json_u64(g, "ts", ts);
	dt_json_u64(g, "seq", seq);
	dt_json_u64(g, "events", w->events);
	dt_json_u64(g, "lost", lost);
	yajl_gen_map_close(g);
	return take_line(w);
}

int dt_writer_flush(struct dt_writer *w)
{
	size_t off = 0;
	while (off < w->len && !w->failed) {
		ssize_t n = write(w->fd, w->buf + off, w->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->failed = true;
			snprintf(w->err, sizeof(w->err), "%s: write failed: %s", w->name,
				 n < 0 ? strerror(errno) : "short write");
			break;
		}
		off += (size_t)n;
	}
	w->len = 0;
	return w->failed ? -1 : 0;
}

const char *dt_writer_error(const struct dt_writer *w) { return w->err; }
unsigned long long dt_writer_events(const struct dt_writer *w) { return w->events; }

int dt_writer_free(struct dt_writer *w)
{
	if (!w)
		return 0;
	int rc = w->buf ? dt_writer_flush(w) : 0;
	if (w->gen)
		yajl_gen_free(w->gen);
	free(w->buf);
	free(w->name);
	free(w);
	return rc;
}

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "escape.h"
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

static void key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

static void str(yajl_gen g, const char *s, size_t len)
{
	char clean[DT_STR_MAX * 4 + 8];
	size_t n = dt_sanitize_utf8(clean, sizeof(clean), s, len);
	yajl_gen_string(g, (const unsigned char *)clean, n);
}

static void kstr(yajl_gen g, const char *k, const struct dt_str *s)
{
	key(g, k);
	if (s->set)
		str(g, s->s, s->len);
	else
		yajl_gen_null(g);
}

static void u64(yajl_gen g, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	yajl_gen_number(g, num, (size_t)n);
}

static void ku64(yajl_gen g, const char *k, uint64_t v)
{
	key(g, k);
	u64(g, v);
}

static void ki64(yajl_gen g, const char *k, int64_t v)
{
	key(g, k);
	yajl_gen_integer(g, v);
}

static void kbool(yajl_gen g, const char *k, bool v)
{
	key(g, k);
	yajl_gen_bool(g, v);
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
	key(g, "type");
	str(g, "header", 6);
	key(g, "format");
	str(g, "dmabuf-trace", 12);
	ku64(g, "version", 1);
	key(g, "kernel");
	str(g, kernel ? kernel : "unknown", strlen(kernel ? kernel : "unknown"));
	key(g, "clock");
	str(g, "boottime", 8);
	if (host) {
		key(g, "host");
		str(g, host, strlen(host));
	}
	if (tool) {
		key(g, "tool");
		str(g, tool, strlen(tool));
	}
	if (start_unix_ns)
		ku64(g, "start_unix_ns", start_unix_ns);
	if (w->promise_end)
		kbool(g, "ends", true);
	yajl_gen_map_close(g);
	return take_line(w);
}

int dt_writer_event(struct dt_writer *w, const struct dt_event *ev)
{
	yajl_gen g = w->gen;
	const char *type = dt_event_type_name(ev->type);
	yajl_gen_map_open(g);
	key(g, "type");
	str(g, type, strlen(type));
	ku64(g, "ts", ev->ts);
	ku64(g, "seq", ev->seq);
	if (ev->has & DT_HAS_PID)
		ki64(g, "pid", ev->pid);
	if (ev->has & DT_HAS_TID)
		ki64(g, "tid", ev->tid);
	if (ev->comm.set)
		kstr(g, "comm", &ev->comm);
	if (ev->has & DT_HAS_CPU)
		ki64(g, "cpu", ev->cpu);
	if (ev->type == DT_EV_LOST) {
		ku64(g, "count", ev->count);
		goto done;
	}
	ku64(g, "buf", ev->buf);
	if (ev->has & DT_HAS_ATT)
		ku64(g, "att", ev->att);
	if (ev->has & DT_HAS_ERR)
		ki64(g, "err", ev->err);
	switch (ev->type) {
	case DT_EV_EXPORT:
		if (ev->has & DT_HAS_SEEDED)
			kbool(g, "seeded", true);
		ku64(g, "size", ev->size);
		kstr(g, "exporter", &ev->exporter);
		if (ev->name.set)
			kstr(g, "name", &ev->name);
		break;
	case DT_EV_ATTACH:
		if (ev->has & DT_HAS_SEEDED)
			kbool(g, "seeded", true);
		if (ev->name.set) /* the buffer's name now (set after export) */
			kstr(g, "name", &ev->name);
		kstr(g, "dev", &ev->dev);
		kstr(g, "driver", &ev->driver);
		kstr(g, "bus", &ev->bus);
		kbool(g, "dynamic", ev->dynamic);
		ku64(g, "max_seg_size", ev->max_seg_size);
		ku64(g, "seg_boundary_mask", ev->seg_boundary_mask);
		kbool(g, "dma_parms", ev->dma_parms);
		break;
	case DT_EV_MAP:
		if (ev->name.set)
			kstr(g, "name", &ev->name);
		if (ev->dir != DT_DIR_UNSET) {
			key(g, "dir");
			const char *d = dt_dir_name(ev->dir);
			str(g, d, strlen(d));
		}
		if (ev->has & DT_HAS_ERR)
			break;
		ku64(g, "nents", ev->nents);
		if (ev->has & DT_HAS_ORIG_NENTS)
			ku64(g, "orig_nents", ev->orig_nents);
		key(g, "segs");
		yajl_gen_array_open(g);
		for (uint32_t i = 0; i < ev->nsegs; i++) {
			yajl_gen_array_open(g);
			u64(g, ev->segs[i].addr);
			u64(g, ev->segs[i].len);
			yajl_gen_array_close(g);
		}
		yajl_gen_array_close(g);
		ku64(g, "segs_total", ev->has & DT_HAS_SEGS_TOTAL ? ev->segs_total : ev->nsegs);
		if (ev->has & DT_HAS_MAX_SEG)
			ku64(g, "max_seg", ev->max_seg);
		if (ev->has & DT_HAS_TOTAL_LEN)
			ku64(g, "len", ev->total_len);
		if (ev->has & DT_HAS_CONTIGUOUS)
			kbool(g, "contiguous", ev->contiguous);
		if (ev->has & DT_HAS_CROSSINGS)
			ku64(g, "boundary_crossings", ev->boundary_crossings);
		if (ev->cached)
			kbool(g, "cached", true);
		break;
	default:
		break;
	}
	if (ev->nstack) {
		key(g, "stack");
		yajl_gen_array_open(g);
		for (uint32_t i = 0; i < ev->nstack; i++)
			str(g, ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX));
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
	key(g, "type");
	str(g, "end", 3);
	ku64(g, "ts", ts);
	ku64(g, "seq", seq);
	ku64(g, "events", w->events);
	ku64(g, "lost", lost);
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

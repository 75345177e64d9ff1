/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <yajl/yajl_gen.h>
#include <zstd.h>

#include "common/escape.h"
#include "common/json_gen.h"
#include "ingest/trace_writer.h"

#define FLUSH_AT (256 * 1024)

struct dt_writer {
	int fd;
	char *name;
	yajl_gen gen;
	yajl_gen esc; /* escapes the rare string that is not plain ASCII, as gen would */
	bool oom;
	size_t line_start; /* where the event being written began */
	char *buf;
	size_t len, cap;
	unsigned long long events;
	bool promise_end;
	bool continues;
	unsigned long long bytes;
	/* daemon segment header fields (NULL / 0: not written) */
	const char *boot_id;
	unsigned long long segment;
	bool redacted;
	const char *seed;
	char *profile_name, *profile; /* the constraints profile the trace is recorded with */
	bool failed;
	char err[256];
	/* zstd output (.jsonl.zst): the lines go through one zstd stream */
	ZSTD_CStream *zs;
	char *zout;
	size_t zout_cap;
	bool zended;         /* the frame is closed: dt_writer_end was written and flushed */
	bool ending;         /* the end line is written: the next flush closes the frame */
	double zflushed_at;  /* when the compressor last pushed everything to the file */
};

struct dt_writer *dt_writer_new(int fd, const char *name)
{
	struct dt_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = fd;
	w->name = strdup(name);
	w->gen = yajl_gen_alloc(NULL);
	w->esc = yajl_gen_alloc(NULL);
	w->cap = FLUSH_AT + 65536;
	w->buf = malloc(w->cap);
	if (!w->name || !w->gen || !w->esc || !w->buf) {
		dt_writer_free(w);
		return NULL;
	}
	return w;
}

struct dt_writer *dt_writer_new_zstd(int fd, const char *name, int level)
{
	struct dt_writer *w = dt_writer_new(fd, name);
	if (!w)
		return NULL;
	w->zs = ZSTD_createCStream();
	w->zout_cap = ZSTD_CStreamOutSize();
	w->zout = malloc(w->zout_cap);
	if (!w->zs || !w->zout || ZSTD_isError(ZSTD_CCtx_setParameter(w->zs, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->zs, ZSTD_c_checksumFlag, 1))) {
		dt_writer_free(w);
		return NULL;
	}
	return w;
}

struct dt_writer *dt_writer_new_for_path(int fd, const char *path)
{
	return dt_path_is_zstd(path) ? dt_writer_new_zstd(fd, path, DT_ZSTD_LEVEL) : dt_writer_new(fd, path);
}

bool dt_path_is_zstd(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcmp(path + n - 4, ".zst") == 0;
}

static int write_all(struct dt_writer *w, const char *p, size_t len)
{
	size_t off = 0;
	while (off < len && !w->failed) {
		ssize_t n = write(w->fd, p + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->failed = true;
			snprintf(w->err, sizeof(w->err), "%s: write failed: %s", w->name,
				 n < 0 ? strerror(errno) : "short write");
			break;
		}
		off += (size_t)n;
		w->bytes += (unsigned long long)n;
	}
	return w->failed ? -1 : 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Compresses the buffered lines. mode: ZSTD_e_continue (zstd may keep them for a while),
 * ZSTD_e_flush (all on disk, at a block boundary) or ZSTD_e_end (the frame is closed). */
static int zstd_drain(struct dt_writer *w, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = {w->buf, w->len, 0};
	for (;;) {
		ZSTD_outBuffer out = {w->zout, w->zout_cap, 0};
		size_t left = ZSTD_compressStream2(w->zs, &out, &in, mode);
		if (ZSTD_isError(left)) {
			w->failed = true;
			snprintf(w->err, sizeof(w->err), "%s: zstd: %s", w->name, ZSTD_getErrorName(left));
			break;
		}
		if (out.pos && write_all(w, w->zout, out.pos) < 0)
			break;
		if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
			break;
	}
	w->len = 0;
	if (mode != ZSTD_e_continue)
		w->zflushed_at = now_s();
	if (mode == ZSTD_e_end)
		w->zended = true;
	return w->failed ? -1 : 0;
}

/* The line buffer is full: out with it (zstd: into the compressor). */
static int drain(struct dt_writer *w)
{
	if (w->zs)
		return w->failed ? (w->len = 0, -1) : zstd_drain(w, ZSTD_e_continue);
	return dt_writer_flush(w);
}

/* Moves the generated object into the line buffer. */
static int take_line(struct dt_writer *w)
{
	const unsigned char *out;
	size_t n;
	yajl_gen_get_buf(w->gen, &out, &n);
	if (w->len + n + 1 > w->cap) {
		if (drain(w) < 0)
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
		return drain(w);
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
	if (w->boot_id) {
		dt_json_key(g, "boot_id");
		dt_json_strn(g, w->boot_id, strlen(w->boot_id));
	}
	if (w->segment)
		dt_json_u64(g, "segment", w->segment);
	if (w->redacted)
		dt_json_bool(g, "redacted", true);
	if (w->seed) {
		dt_json_key(g, "seed");
		dt_json_strn(g, w->seed, strlen(w->seed));
	}
	if (w->profile) {
		/* Profiles are a few lines of UTF-8 text; any other byte becomes \xNN, as in every string. */
		size_t len = strlen(w->profile), cap = 4 * len + 1;
		char *clean = malloc(cap);
		if (!clean) {
			w->oom = true;
		} else {
			size_t n = dt_sanitize_utf8(clean, cap, w->profile, len);
			dt_json_key(g, "profile");
			yajl_gen_string(g, (const unsigned char *)clean, n);
			free(clean);
		}
		dt_json_str(g, "profile_name", w->profile_name);
	}
	yajl_gen_map_close(g);
	return take_line(w);
}

void dt_writer_set_segment(struct dt_writer *w, const char *boot_id, unsigned long long segment)
{
	w->boot_id = boot_id;
	w->segment = segment;
}

void dt_writer_set_continues(struct dt_writer *w, bool continues)
{
	w->continues = continues;
}

unsigned long long dt_writer_bytes(const struct dt_writer *w)
{
	return w->bytes + w->len;
}

/* ---- events: written straight into the line buffer (the live recorder writes one per
 * kernel event; going through yajl and snprintf cost more than everything else it does).
 * The bytes are the ones yajl writes: strings that are not plain printable ASCII take
 * dt_sanitize_utf8 + yajl's own escaping.
 * Room for the whole line is made once per event (event_room): a line of plain strings fits in it, so the
 * fields are written without a check each; only an escaped string (the generic path) checks and grows, and
 * makes the room again after it. ---- */

/* Bytes a line of ev takes at most when every string is plain: every string at its longest, every number
 * at 20 digits and a sign, every key, the segments and the stack frames. */
#define LINE_FIXED 4096
static inline size_t event_room(const struct dt_event *ev)
{
	return LINE_FIXED + (size_t)ev->nsegs * 48 + (size_t)ev->nstack * (DT_FRAME_MAX + 8);
}

static bool grow(struct dt_writer *w, size_t n)
{
	size_t cap = w->cap * 2;
	while (cap < w->len + n)
		cap *= 2;
	char *nb = realloc(w->buf, cap);
	if (!nb)
		return false;
	w->buf = nb;
	w->cap = cap;
	return true;
}

/* room for n more bytes in the current line (grown, never flushed mid-line) */
static inline __attribute__((always_inline)) bool room(struct dt_writer *w, size_t n)
{
	return w->len + n <= w->cap || grow(w, n);
}

/* Checked: the generic path and the rare fields past the event's room. */
static void raw(struct dt_writer *w, const char *s, size_t n)
{
	if (!room(w, n)) {
		w->oom = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* The unchecked writers go through a local cursor o (char *) inside the event's room, w->len set from it at
 * the end and around the generic path: through w->len, the compiler reloaded and stored it around every
 * byte copy (a char store may alias anything). n is a constant at every PUT: the copy is a few moves. */
static inline __attribute__((always_inline)) char *put(char *o, const char *s, size_t n)
{
	memcpy(o, s, n);
	return o + n;
}
#define PUT(lit) (o = put(o, lit, sizeof(lit) - 1))
/* ,"key": (keys are ours: plain ASCII) */
#define KEY(k) PUT(",\"" k "\":")

/* Whether s[0..n) is plain (dt_plain_byte); s is readable up to n rounded up to 16 (the strings of an event
 * live in buffers of DT_STR_MAX / DT_FRAME_MAX bytes, multiples of 16), the bytes past n do not count. */
static inline __attribute__((always_inline)) bool plain_in_buf(const char *s, size_t n)
{
#ifdef __SSE2__
	for (size_t i = 0; i < n; i += 16) {
		unsigned bad = dt_plain_bad16(s + i);
		if (n - i < 16)
			bad &= (1u << (n - i)) - 1;
		if (bad)
			return false;
	}
#else
	for (size_t i = 0; i < n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		uint64_t bad = dt_plain_bad8(x);
		if (n - i < 8)
			bad &= (1ull << (8 * (n - i))) - 1; /* little endian: byte k is bits 8k..8k+7 */
		if (bad)
			return false;
	}
#endif
	return true;
}

/* The generic path for a string that needs escaping; the event's room is made again after it. */
static void jstr_escaped(struct dt_writer *w, const char *s, size_t n, size_t line_room)
{
	const unsigned char *out;
	size_t on;
	dt_json_strn(w->esc, s, n);
	yajl_gen_get_buf(w->esc, &out, &on);
	raw(w, (const char *)out, on);
	yajl_gen_clear(w->esc);
	yajl_gen_reset(w->esc, NULL);
	if (w->oom || !room(w, line_room)) {
		/* the line is dropped at its end; until then the unchecked fields go where the line began, which had
		 * the room */
		w->oom = true;
		w->len = w->line_start;
	}
}

static inline __attribute__((always_inline)) char *jstr_plain(char *o, const char *s, size_t n, size_t cap)
{
	char *p = o;
	*p++ = '"';
	if (n <= cap - cap % 16) {
		for (size_t i = 0; i < n; i += 16)
			memcpy(p + i, s + i, 16);
	} else {
		memcpy(p, s, n);
	}
	p[n] = '"';
	return o + n + 2;
}

/* A string from a buffer of cap bytes (a multiple of 16, n <= cap): checked and copied in 16-byte steps,
 * which may copy bytes past n into the room (overwritten by what follows). Returns the cursor after it. */
static inline __attribute__((always_inline)) char *jstr_buf(struct dt_writer *w, char *o, const char *s, size_t n,
							     size_t cap, size_t line_room)
{
	if (w->oom)
		return o;
	if (!plain_in_buf(s, n)) {
		w->len = (size_t)(o - w->buf);
		jstr_escaped(w, s, n, line_room);
		return w->buf + w->len; /* the buffer may have moved */
	}
	return jstr_plain(o, s, n, cap);
}

/* Names of ours (types, directions, causes, kinds): plain ASCII. */
static inline char *jname(char *o, const char *s)
{
	size_t n = strlen(s);
	char *p = o;
	*p++ = '"';
	memcpy(p, s, n);
	p[n] = '"';
	return o + n + 2;
}

/* "0000" .. "9999", four digits each, built by the preprocessor */
#define DT_Q1(p) p "0" p "1" p "2" p "3" p "4" p "5" p "6" p "7" p "8" p "9"
#define DT_Q2(p) DT_Q1(p "0") DT_Q1(p "1") DT_Q1(p "2") DT_Q1(p "3") DT_Q1(p "4") DT_Q1(p "5") DT_Q1(p "6") \
	DT_Q1(p "7") DT_Q1(p "8") DT_Q1(p "9")
#define DT_Q3(p) DT_Q2(p "0") DT_Q2(p "1") DT_Q2(p "2") DT_Q2(p "3") DT_Q2(p "4") DT_Q2(p "5") DT_Q2(p "6") \
	DT_Q2(p "7") DT_Q2(p "8") DT_Q2(p "9")
static const char quads[4 * 10000 + 1] = DT_Q3("0") DT_Q3("1") DT_Q3("2") DT_Q3("3") DT_Q3("4") DT_Q3("5")
	DT_Q3("6") DT_Q3("7") DT_Q3("8") DT_Q3("9");
_Static_assert(sizeof(quads) == 40001, "quads holds 0000..9999");

static inline __attribute__((always_inline)) char *jnum(char *o, uint64_t v, bool neg)
{
	/* four digits a step: timestamps and masks have 10-20 of them, every event has several */
	/* digits end at 28: the last step's 4 bytes start at >= 28 - 20 - 4, the 24 bytes copied from p end
	 * at <= 27 + 24 */
	char tmp[52], *e = tmp + 28, *p = e;
	while (v >= 10000) {
		uint32_t q = (uint32_t)(v % 10000);
		v /= 10000;
		p -= 4;
		memcpy(p, quads + 4 * q, 4);
	}
	/* v < 10000: its four digits with leading zeros, then the ones that count */
	memcpy(p - 4, quads + 4 * v, 4);
	p -= v >= 1000 ? 4 : v >= 100 ? 3 : v >= 10 ? 2 : 1;
	if (neg)
		*--p = '-';
	/* at most 21 bytes: copied as 24, the room has them */
	memcpy(o, p, 24);
	return o + (e - p);
}

static inline __attribute__((always_inline)) char *ji64(char *o, int64_t v)
{
	return jnum(o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

#define U64(k, v) (KEY(k), o = jnum(o, v, false))
#define I64(k, v) (KEY(k), o = ji64(o, v))
#define BOOL(k, v) ((v) ? PUT(",\"" k "\":true") : PUT(",\"" k "\":false"))
#define JNAME(s) (o = jname(o, s))

static inline __attribute__((always_inline)) char *jkstr(struct dt_writer *w, char *o, const struct dt_str *s,
							  size_t line_room)
{
	if (s->set)
		return jstr_buf(w, o, s->s, s->len, sizeof(s->s), line_room);
	return put(o, "null", 4);
}
#define KSTR(k, s) (KEY(k), o = jkstr(w, o, s, line_room))

/* The mapping's fields (map events and a history event's layout). */
static char *write_mapping(char *o, const struct dt_event *ev)
{
	U64("nents", ev->nents);
	if (ev->has & DT_HAS_ORIG_NENTS)
		U64("orig_nents", ev->orig_nents);
	KEY("segs");
	PUT("[");
	for (uint32_t i = 0; i < ev->nsegs; i++) {
		if (i)
			PUT(",[");
		else
			PUT("[");
		o = jnum(o, ev->segs[i].addr, false);
		PUT(",");
		o = jnum(o, ev->segs[i].len, false);
		PUT("]");
	}
	PUT("]");
	U64("segs_total", ev->has & DT_HAS_SEGS_TOTAL ? ev->segs_total : ev->nsegs);
	if (ev->has & DT_HAS_MAX_SEG)
		U64("max_seg", ev->max_seg);
	if (ev->has & DT_HAS_TOTAL_LEN)
		U64("len", ev->total_len);
	if (ev->has & DT_HAS_CONTIGUOUS)
		BOOL("contiguous", ev->contiguous);
	if (ev->has & DT_HAS_CROSSINGS)
		U64("boundary_crossings", ev->boundary_crossings);
	return o;
}

int dt_writer_event(struct dt_writer *w, const struct dt_event *ev)
{
	size_t start = w->len; /* < FLUSH_AT: a line of up to 64 KiB fits without growing */
	size_t line_room = event_room(ev);

	w->oom = false;
	w->line_start = start;
	if (!room(w, line_room)) {
		w->failed = true;
		snprintf(w->err, sizeof(w->err), "%s: out of memory", w->name);
		return -1;
	}
	char *o = w->buf + w->len;
	PUT("{\"type\":");
	JNAME(dt_event_type_name(ev->type));
	U64("ts", ev->ts);
	U64("seq", ev->seq);
	if (ev->has & DT_HAS_STATE)
		BOOL("state", true);
	if (ev->has & DT_HAS_PID)
		I64("pid", ev->pid);
	if (ev->has & DT_HAS_TID)
		I64("tid", ev->tid);
	if (ev->comm.set)
		KSTR("comm", &ev->comm);
	if (ev->has & DT_HAS_CPU)
		I64("cpu", ev->cpu);
	if (ev->has & DT_HAS_LATE)
		BOOL("late", true);
	if (ev->type == DT_EV_LOST) {
		U64("count", ev->count);
		if (ev->cause == DT_LOST_OTHER && ev->cause_name.set) {
			KSTR("cause", &ev->cause_name); /* a newer writer's word, passed on as read */
		} else if (ev->cause != DT_LOST_RING) {
			KEY("cause");
			JNAME(dt_lost_cause_name(ev->cause));
		}
		if (ev->has & DT_HAS_SINCE)
			U64("since", ev->since);
		if (ev->has & DT_HAS_COUNT_UNKNOWN)
			BOOL("count_known", false);
		goto done;
	}
	U64("buf", ev->buf);
	if (ev->has & DT_HAS_ATT)
		U64("att", ev->att);
	if (ev->has & DT_HAS_ERR)
		I64("err", ev->err);
	switch (ev->type) {
	case DT_EV_EXPORT:
		if (ev->has & DT_HAS_SEEDED)
			BOOL("seeded", true);
		U64("size", ev->size);
		KSTR("exporter", &ev->exporter);
		if (ev->name.set)
			KSTR("name", &ev->name);
		break;
	case DT_EV_ATTACH:
		if (ev->has & DT_HAS_SEEDED)
			BOOL("seeded", true);
		if (ev->name.set) /* the buffer's name now (set after export) */
			KSTR("name", &ev->name);
		KSTR("dev", &ev->dev);
		KSTR("driver", &ev->driver);
		KSTR("bus", &ev->bus);
		BOOL("dynamic", ev->dynamic);
		/* Limits as the event knows them; none at all (ftrace tracepoints): absent, so readers know only
		 * the kernel's defaults, not a device that declared none. */
		if ((ev->has & DT_HAS_MAX_SEG_SIZE) || (ev->has & DT_HAS_SEEDED))
			U64("max_seg_size", ev->max_seg_size);
		if ((ev->has & DT_HAS_SEG_BOUNDARY) || (ev->has & DT_HAS_SEEDED))
			U64("seg_boundary_mask", ev->seg_boundary_mask);
		if ((ev->has & DT_HAS_DMA_PARMS) || (ev->has & DT_HAS_SEEDED))
			BOOL("dma_parms", ev->dma_parms);
		break;
	case DT_EV_MAP:
		if (ev->name.set)
			KSTR("name", &ev->name);
		if (ev->dir != DT_DIR_UNSET) {
			KEY("dir");
			JNAME(dt_dir_name(ev->dir));
		}
		if (ev->has & DT_HAS_ERR)
			break;
		o = write_mapping(o, ev);
		if (ev->cached)
			BOOL("cached", true);
		else if (ev->has & DT_HAS_CACHED_UNKNOWN)
			BOOL("cached_known", false);
		if (ev->by.set)
			KSTR("by", &ev->by);
		if (ev->has & DT_HAS_WALK_CAPPED)
			U64("walk_capped", ev->walked);
		break;
	case DT_EV_HISTORY:
		KEY("kind");
		JNAME(dt_history_kind_name(ev->kind));
		if (ev->dev.set)
			KSTR("dev", &ev->dev);
		if (ev->driver.set)
			KSTR("driver", &ev->driver);
		if (ev->bus.set)
			KSTR("bus", &ev->bus);
		if (ev->by.set)
			KSTR("by", &ev->by);
		if (ev->has & DT_HAS_UNTIL)
			U64("until", ev->until);
		if (ev->detached)
			BOOL("detached", true);
		if (ev->kind == DT_HIST_LAYOUT) {
			o = write_mapping(o, ev);
			if (ev->cached)
				BOOL("cached", true);
		}
		break;
	default:
		break;
	}
	if (ev->nstack) {
		KEY("stack");
		PUT("[");
		if (ev->stack_plain) {
			/* lengths and plainness known (the recorder's symbol cache): copied as they are */
			o = jstr_plain(o, ev->stack[0], ev->stack_len[0], DT_FRAME_MAX);
			for (uint32_t i = 1; i < ev->nstack; i++) {
				PUT(",");
				o = jstr_plain(o, ev->stack[i], ev->stack_len[i], DT_FRAME_MAX);
			}
		}
		for (uint32_t i = 0; i < ev->nstack && !ev->stack_plain; i++) {
			if (i)
				PUT(",");
			size_t n = dt_plain_len(ev->stack[i], DT_FRAME_MAX);
			if (n <= DT_FRAME_MAX)
				o = jstr_plain(o, ev->stack[i], n, DT_FRAME_MAX);
			else
				o = jstr_buf(w, o, ev->stack[i], strnlen(ev->stack[i], DT_FRAME_MAX), DT_FRAME_MAX, line_room);
		}
		PUT("]");
	}
done:
	PUT("}\n");
	w->len = (size_t)(o - w->buf);
	if (w->oom) {
		w->len = start; /* no partial line */
		w->failed = true;
		snprintf(w->err, sizeof(w->err), "%s: out of memory", w->name);
		return -1;
	}
	w->events++;
	if (w->len >= FLUSH_AT)
		return drain(w);
	return w->failed ? -1 : 0;
}

int dt_writer_set_profile(struct dt_writer *w, const char *name, const char *text)
{
	free(w->profile_name);
	free(w->profile);
	w->profile_name = name ? strdup(name) : NULL;
	w->profile = text ? strdup(text) : NULL;
	return (name && !w->profile_name) || (text && !w->profile) ? -1 : 0;
}

void dt_writer_set_seed(struct dt_writer *w, const char *seed)
{
	w->seed = seed;
}

void dt_writer_set_redacted(struct dt_writer *w)
{
	w->redacted = true;
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
	if (w->continues)
		dt_json_bool(g, "continues", true);
	yajl_gen_map_close(g);
	w->ending = true;
	return take_line(w);
}

int dt_writer_flush(struct dt_writer *w)
{
	if (w->zs) {
		if (w->failed) {
			w->len = 0;
			return -1;
		}
		if (w->zended)
			return 0;
		/* Closing the frame after the end line; otherwise on disk at least once a second (a killed
		 * recorder loses at most that), without cutting a zstd block at every poll round. */
		if (w->ending)
			return zstd_drain(w, ZSTD_e_end);
		return zstd_drain(w, now_s() - w->zflushed_at >= 1.0 ? ZSTD_e_flush : ZSTD_e_continue);
	}
	int rc = write_all(w, w->buf, w->len);
	w->len = 0;
	return rc;
}

int dt_writer_format(struct dt_writer *w, const struct dt_event *ev, const char **line, size_t *len)
{
	w->len = 0;
	w->failed = false; /* fd -1: a line over FLUSH_AT "fails" to flush; that line is still whole */
	if (dt_writer_event(w, ev) < 0 && !w->len)
		return -1;
	*line = w->buf;
	*len = w->len;
	w->len = 0;
	return 0;
}

const char *dt_writer_error(const struct dt_writer *w) { return w->err; }
unsigned long long dt_writer_events(const struct dt_writer *w) { return w->events; }

int dt_writer_free(struct dt_writer *w)
{
	if (!w)
		return 0;
	int rc = 0;
	if (w->zs && w->zout && w->buf) {
		if (!w->zended && !w->failed)
			zstd_drain(w, ZSTD_e_end);
		rc = w->failed ? -1 : 0;
	} else if (w->buf) {
		rc = dt_writer_flush(w);
	}
	ZSTD_freeCStream(w->zs);
	free(w->zout);
	if (w->gen)
		yajl_gen_free(w->gen);
	if (w->esc)
		yajl_gen_free(w->esc);
	free(w->buf);
	free(w->name);
	free(w->profile_name);
	free(w->profile);
	free(w);
	return rc;
}

int dt_writer_sink(void *writer, const struct dt_event *ev)
{
	return dt_writer_event(writer, ev);
}

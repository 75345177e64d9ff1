/* Trace format v1 reader: yajl's streaming (SAX) parser fed one line at a time.
 * Streaming keeps memory independent of trace length and is ~4x faster than
 * building a DOM per line (see docs/trace-format.md, "Parsing"). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

#include "common/escape.h"
#include "ingest/trace_reader.h"

enum field {
	F_NONE, /* unknown key: ignored */
	F_TYPE, F_TS, F_SEQ, F_PID, F_TID, F_CPU, F_COMM,
	F_BUF, F_ATT, F_SIZE, F_ERR, F_EXPORTER, F_NAME,
	F_DEV, F_DRIVER, F_BUS, F_DYNAMIC, F_MAX_SEG_SIZE, F_SEG_BOUNDARY, F_DMA_PARMS,
	F_DIR, F_NENTS, F_ORIG_NENTS, F_SEGS, F_SEGS_TOTAL, F_MAX_SEG, F_CACHED,
	F_CONTIGUOUS, F_CROSSINGS, F_TOTAL_LEN, F_COUNT, F_STACK, F_SEEDED,
	F_LATE, F_CAUSE, F_COUNT_KNOWN, F_WALK_CAPPED,
	/* header */
	F_FORMAT, F_VERSION, F_KERNEL, F_CLOCK, F_HOST, F_TOOL, F_ENDS, F_PROFILE, F_PROFILE_NAME, F_REDACTED,
};

struct field_name {
	const char *name;
	enum field f;
};

static const struct field_name field_names[] = {
	{"type", F_TYPE}, {"ts", F_TS}, {"seq", F_SEQ}, {"pid", F_PID}, {"tid", F_TID},
	{"cpu", F_CPU}, {"comm", F_COMM}, {"buf", F_BUF}, {"att", F_ATT}, {"size", F_SIZE},
	{"err", F_ERR}, {"exporter", F_EXPORTER}, {"name", F_NAME}, {"dev", F_DEV},
	{"driver", F_DRIVER}, {"bus", F_BUS}, {"dynamic", F_DYNAMIC},
	{"max_seg_size", F_MAX_SEG_SIZE}, {"seg_boundary_mask", F_SEG_BOUNDARY},
	{"dma_parms", F_DMA_PARMS}, {"dir", F_DIR}, {"nents", F_NENTS},
	{"orig_nents", F_ORIG_NENTS}, {"segs", F_SEGS}, {"segs_total", F_SEGS_TOTAL},
	{"max_seg", F_MAX_SEG}, {"cached", F_CACHED}, {"contiguous", F_CONTIGUOUS},
	{"boundary_crossings", F_CROSSINGS}, {"len", F_TOTAL_LEN}, {"count", F_COUNT},
	{"stack", F_STACK}, {"seeded", F_SEEDED}, {"format", F_FORMAT}, {"version", F_VERSION},
	{"kernel", F_KERNEL}, {"clock", F_CLOCK}, {"host", F_HOST}, {"tool", F_TOOL}, {"ends", F_ENDS},
	{"profile", F_PROFILE}, {"profile_name", F_PROFILE_NAME}, {"redacted", F_REDACTED},
	{"late", F_LATE}, {"cause", F_CAUSE}, {"count_known", F_COUNT_KNOWN}, {"walk_capped", F_WALK_CAPPED},
};

#define NFIELDS (sizeof(field_names) / sizeof(field_names[0]))
#define FIELD_HASH_SIZE 256

/* Key lookup runs for every key of every event: hash on length and end bytes
 * instead of comparing against every name. Built once; read-only afterwards. */
static unsigned char field_hash[FIELD_HASH_SIZE]; /* index+1 into field_names, 0 = none */
static size_t field_len[NFIELDS];                 /* strlen of each name */

static unsigned field_slot(const unsigned char *k, size_t len)
{
	return (unsigned)(len * 31u + k[0] * 7u + k[len - 1] * 3u) & (FIELD_HASH_SIZE - 1);
}

static void build_field_hash(void)
{
	static bool built;
	if (built)
		return;
	built = true;
	for (size_t i = 0; i < NFIELDS; i++) {
		const unsigned char *n = (const unsigned char *)field_names[i].name;
		field_len[i] = strlen(field_names[i].name);
		unsigned h = field_slot(n, field_len[i]);
		while (field_hash[h])
			h = (h + 1) & (FIELD_HASH_SIZE - 1);
		field_hash[h] = (unsigned char)(i + 1);
	}
}

static enum field lookup_field(const unsigned char *k, size_t len)
{
	if (len == 0)
		return F_NONE;
	for (unsigned h = field_slot(k, len); field_hash[h]; h = (h + 1) & (FIELD_HASH_SIZE - 1)) {
		/* lengths first: a name shorter than the key is never read past its NUL */
		size_t i = field_hash[h] - 1u;
		if (field_len[i] == len && memcmp(field_names[i].name, k, len) == 0)
			return field_names[i].f;
	}
	return F_NONE;
}

struct dt_reader {
	char *name;
	int fd;
	bool own_fd;
	const char *mem; /* in-memory source, or NULL */
	size_t mem_len, mem_pos;

	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	bool eof;

	unsigned long long line;
	yajl_handle yajl;

	/* per-line parse state */
	int depth;          /* nesting of maps and arrays; the event object is depth 1 */
	int objects;        /* top-level values completed on this line */
	bool top_not_object;
	enum field key;
	bool in_segs, in_stack;
	int seg_elem; /* index inside one [addr, len] pair */
	char fail[200];   /* semantic error found by a callback */
	bool is_header;   /* the line being parsed is the header */

	struct dt_event ev;
	struct dt_seg segs[DT_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
	struct dt_str format_name;
	uint64_t version;

	struct dt_header header;
	char *profile; /* header.profile's storage */
	bool header_seen;
	bool header_ends; /* the writer promised an "end" line (record does) */
	bool end_seen;
	bool have_seq;
	uint64_t last_seq;
	bool truncated;
	unsigned long long unknown_types;

	dt_warn_fn warn;
	void *warn_ctx;
	char err[512];
};

static void set_fail(struct dt_reader *r, const char *fmt, ...)
{
	if (r->fail[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->fail, sizeof(r->fail), fmt, ap);
	va_end(ap);
}

static const char *field_label(enum field f)
{
	for (size_t i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (field_names[i].f == f)
			return field_names[i].name;
	return "?";
}

/* Integers come as raw text so that 64-bit values, negatives and overflow are judged exactly. */
static int parse_u64(struct dt_reader *r, const char *s, size_t len, uint64_t *out)
{
	if (len && s[0] == '-') {
		set_fail(r, "field \"%s\" must not be negative", field_label(r->key));
		return 0;
	}
	uint64_t v = 0;
	/* Hot path (segs arrays are most of a trace's numbers): up to 19 digits cannot
	 * overflow, so the per-digit overflow test (a 64-bit division) is only needed
	 * for longer numbers. */
	size_t fast = len < 19 ? len : 19;
	for (size_t i = 0; i < fast; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9) {
			set_fail(r, "field \"%s\" must be an integer, got %.*s", field_label(r->key),
				 (int)(len > 40 ? 40 : len), s);
			return 0;
		}
		v = v * 10 + d;
	}
	for (size_t i = fast; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9) {
			set_fail(r, "field \"%s\" must be an integer, got %.*s", field_label(r->key),
				 (int)(len > 40 ? 40 : len), s);
			return 0;
		}
		if (v > (UINT64_MAX - d) / 10) {
			set_fail(r, "field \"%s\" overflows 64 bits", field_label(r->key));
			return 0;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

static int parse_i64(struct dt_reader *r, const char *s, size_t len, int64_t *out)
{
	bool neg = len && s[0] == '-';
	uint64_t mag;
	if (!parse_u64(r, s + neg, len - neg, &mag))
		return 0;
	if (mag > (uint64_t)INT64_MAX + neg) {
		set_fail(r, "field \"%s\" is out of range", field_label(r->key));
		return 0;
	}
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return 1;
}

static int on_number(void *ctx, const char *s, size_t len)
{
	struct dt_reader *r = ctx;
	struct dt_event *ev = &r->ev;
	if (r->depth == 0) {
		r->top_not_object = true;
		return 1;
	}
	if (r->in_segs) {
		if (r->depth != 3 || r->seg_elem > 1) {
			set_fail(r, "\"segs\" must be an array of [dma_addr, len] pairs");
			return 0;
		}
		uint64_t v;
		if (!parse_u64(r, s, len, &v))
			return 0;
		if (ev->nsegs < DT_SEGS_MAX) {
			if (r->seg_elem == 0)
				r->segs[ev->nsegs].addr = v;
			else
				r->segs[ev->nsegs].len = v;
		}
		r->seg_elem++;
		return 1;
	}
	if (r->depth != 1)
		return 1;
	uint64_t *u = NULL;
	int64_t *i = NULL;
	uint32_t bit = 0;
	switch (r->key) {
	case F_TS: u = &ev->ts; break;
	case F_SEQ: u = &ev->seq; break;
	case F_PID: i = &ev->pid; bit = DT_HAS_PID; break;
	case F_TID: i = &ev->tid; bit = DT_HAS_TID; break;
	case F_CPU: i = &ev->cpu; bit = DT_HAS_CPU; break;
	case F_BUF: u = &ev->buf; bit = DT_HAS_BUF; break;
	case F_ATT: u = &ev->att; bit = DT_HAS_ATT; break;
	case F_SIZE: u = &ev->size; bit = DT_HAS_SIZE; break;
	case F_ERR: i = &ev->err; bit = DT_HAS_ERR; break;
	case F_MAX_SEG_SIZE: u = &ev->max_seg_size; bit = DT_HAS_MAX_SEG_SIZE; break;
	case F_SEG_BOUNDARY: u = &ev->seg_boundary_mask; bit = DT_HAS_SEG_BOUNDARY; break;
	case F_NENTS: u = &ev->nents; bit = DT_HAS_NENTS; break;
	case F_ORIG_NENTS: u = &ev->orig_nents; bit = DT_HAS_ORIG_NENTS; break;
	case F_SEGS_TOTAL: u = &ev->segs_total; bit = DT_HAS_SEGS_TOTAL; break;
	case F_MAX_SEG: u = &ev->max_seg; bit = DT_HAS_MAX_SEG; break;
	case F_CROSSINGS: u = &ev->boundary_crossings; bit = DT_HAS_CROSSINGS; break;
	case F_TOTAL_LEN: u = &ev->total_len; bit = DT_HAS_TOTAL_LEN; break;
	case F_COUNT: u = &ev->count; bit = DT_HAS_COUNT; break;
	case F_WALK_CAPPED: u = &ev->walked; bit = DT_HAS_WALK_CAPPED; break;
	case F_VERSION: u = &r->version; break;
	case F_NONE: return 1;
	default:
		set_fail(r, "field \"%s\" must not be a number", field_label(r->key));
		return 0;
	}
	if (u && !parse_u64(r, s, len, u))
		return 0;
	if (i && !parse_i64(r, s, len, i))
		return 0;
	if (r->key == F_TS)
		bit = DT_HAS_TS;
	if (r->key == F_SEQ)
		bit = DT_HAS_SEQ;
	ev->has |= bit;
	return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	struct dt_reader *r = ctx;
	struct dt_event *ev = &r->ev;
	if (r->depth == 0) {
		r->top_not_object = true;
		return 1;
	}
	if (r->in_stack) {
		if (r->depth == 2 && ev->nstack < DT_STACK_MAX) {
			size_t n = len < DT_FRAME_MAX - 1 ? len : DT_FRAME_MAX - 1;
			memcpy(r->stack[ev->nstack], s, n);
			r->stack[ev->nstack][n] = '\0';
			ev->nstack++;
		}
		return 1;
	}
	if (r->in_segs) {
		set_fail(r, "\"segs\" must hold integers");
		return 0;
	}
	if (r->depth != 1)
		return 1;
	const char *c = (const char *)s;
	switch (r->key) {
	case F_TYPE:
		ev->type = dt_event_type_from_name(c, len);
		dt_str_set(&ev->type_name, c, len);
		break;
	case F_COMM: dt_str_set(&ev->comm, c, len); break;
	case F_EXPORTER: dt_str_set(&ev->exporter, c, len); break;
	case F_NAME: dt_str_set(&ev->name, c, len); break;
	case F_DEV: dt_str_set(&ev->dev, c, len); break;
	case F_DRIVER: dt_str_set(&ev->driver, c, len); break;
	case F_BUS: dt_str_set(&ev->bus, c, len); break;
	case F_FORMAT: dt_str_set(&r->format_name, c, len); break;
	case F_KERNEL: dt_str_set(&r->header.kernel, c, len); break;
	case F_CLOCK: dt_str_set(&r->header.clock, c, len); break;
	case F_HOST: dt_str_set(&r->header.host, c, len); break;
	case F_TOOL: dt_str_set(&r->header.tool, c, len); break;
	case F_PROFILE_NAME: dt_str_set(&r->header.profile_name, c, len); break;
	case F_PROFILE: {
		if (memchr(c, '\0', len)) {
			set_fail(r, "field \"profile\" must not hold a NUL character");
			return 0;
		}
		char *text = strndup(c, len);
		if (!text) {
			set_fail(r, "out of memory");
			return 0;
		}
		free(r->profile);
		r->profile = text;
		r->header.profile = text;
		break;
	}
	case F_CAUSE: {
		int cause = dt_lost_cause_from_name(c, len);
		/* A cause from a newer writer is still a loss: count it as the kernel's. */
		ev->cause = cause < 0 ? DT_LOST_RING : (enum dt_lost_cause)cause;
		break;
	}
	case F_DIR:
		ev->dir = dt_dir_from_name(c, len);
		if (ev->dir == DT_DIR_UNSET) {
			set_fail(r, "field \"dir\" must be bidirectional, to_device or from_device");
			return 0;
		}
		break;
	case F_NONE: break;
	default:
		set_fail(r, "field \"%s\" must not be a string", field_label(r->key));
		return 0;
	}
	return 1;
}

static int on_bool(void *ctx, int b)
{
	struct dt_reader *r = ctx;
	struct dt_event *ev = &r->ev;
	if (r->depth == 0) {
		r->top_not_object = true;
		return 1;
	}
	if (r->in_segs || r->in_stack) {
		set_fail(r, "unexpected boolean inside \"%s\"", r->in_segs ? "segs" : "stack");
		return 0;
	}
	if (r->depth != 1)
		return 1;
	switch (r->key) {
	case F_DYNAMIC: ev->dynamic = b; break;
	case F_DMA_PARMS: ev->dma_parms = b; ev->has |= DT_HAS_DMA_PARMS; break;
	case F_CACHED: ev->cached = b; break;
	case F_SEEDED: if (b) ev->has |= DT_HAS_SEEDED; break;
	case F_ENDS: r->header_ends = b; break;
	case F_REDACTED: r->header.redacted = b; break;
	case F_CONTIGUOUS: ev->contiguous = b; ev->has |= DT_HAS_CONTIGUOUS; break;
	case F_LATE: if (b) ev->has |= DT_HAS_LATE; break;
	case F_COUNT_KNOWN: if (!b) ev->has |= DT_HAS_COUNT_UNKNOWN; break;
	case F_NONE: break;
	default:
		set_fail(r, "field \"%s\" must not be a boolean", field_label(r->key));
		return 0;
	}
	return 1;
}

static int on_null(void *ctx)
{
	struct dt_reader *r = ctx;
	if (r->depth == 0)
		r->top_not_object = true;
	if (r->in_segs) {
		set_fail(r, "\"segs\" must be an array of [dma_addr, len] pairs");
		return 0;
	}
	/* null means "absent" for every optional field (driver: no driver bound). */
	return 1;
}

static int on_start_map(void *ctx)
{
	struct dt_reader *r = ctx;
	if (r->depth == 0 && r->objects > 0) {
		set_fail(r, "more than one JSON object on one line");
		return 0;
	}
	if (r->in_segs || r->in_stack) {
		set_fail(r, "unexpected object inside \"%s\"", r->in_segs ? "segs" : "stack");
		return 0;
	}
	/* A known field holding an object is of the wrong type, not absent. */
	if (r->depth == 1 && r->key != F_NONE) {
		set_fail(r, "field \"%s\" must not be an object", field_label(r->key));
		return 0;
	}
	r->depth++;
	r->key = F_NONE;
	return 1;
}

static int on_map_key(void *ctx, const unsigned char *k, size_t len)
{
	struct dt_reader *r = ctx;
	if (r->depth == 1) {
		r->key = lookup_field(k, len);
		/* Header-only keys are unknown (ignored) fields on event lines: they must
		 * neither overwrite the header nor be type-checked. */
		if (r->header_seen && r->key >= F_FORMAT)
			r->key = F_NONE;
	}
	return 1;
}

static int on_end_map(void *ctx)
{
	struct dt_reader *r = ctx;
	r->depth--;
	if (r->depth == 0)
		r->objects++;
	return 1;
}

static int on_start_array(void *ctx)
{
	struct dt_reader *r = ctx;
	if (r->depth == 0) {
		r->top_not_object = true;
		set_fail(r, "expected a JSON object, got an array");
		return 0;
	}
	/* Only "segs" and "stack" are arrays; any other known field holding one is of the wrong type. */
	if (r->depth == 1 && r->key != F_NONE && r->key != F_SEGS && r->key != F_STACK) {
		set_fail(r, "field \"%s\" must not be an array", field_label(r->key));
		return 0;
	}
	r->depth++;
	if (r->depth == 2 && r->key == F_SEGS) {
		r->in_segs = true;
		r->ev.has |= DT_HAS_SEGS;
	} else if (r->depth == 2 && r->key == F_STACK) {
		r->in_stack = true;
	} else if (r->in_segs) {
		if (r->depth != 3) {
			set_fail(r, "\"segs\" must be an array of [dma_addr, len] pairs");
			return 0;
		}
		r->seg_elem = 0;
	}
	return 1;
}

static int on_end_array(void *ctx)
{
	struct dt_reader *r = ctx;
	if (r->in_segs && r->depth == 3) {
		if (r->seg_elem != 2) {
			set_fail(r, "\"segs\" must be an array of [dma_addr, len] pairs");
			return 0;
		}
		if (r->ev.nsegs < DT_SEGS_MAX)
			r->ev.nsegs++;
	} else if (r->depth == 2) {
		r->in_segs = r->in_stack = false;
	}
	r->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_bool,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end_array,
};

static void set_err(struct dt_reader *r, const char *fmt, ...)
{
	int n = snprintf(r->err, sizeof(r->err), "%s:%llu: ", r->name, r->line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void warnf(struct dt_reader *r, const char *fmt, ...)
{
	if (!r->warn)
		return;
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s:%llu: ", r->name, r->line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	r->warn(r->warn_ctx, msg);
}

static struct dt_reader *reader_new(const char *name, dt_warn_fn warn, void *warn_ctx)
{
	build_field_hash();
	struct dt_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->name = strdup(name);
	r->cap = DT_LINE_MAX + 65536;
	r->buf = malloc(r->cap);
	r->yajl = yajl_alloc(&callbacks, NULL, r);
	if (!r->name || !r->buf || !r->yajl) {
		dt_reader_close(r);
		return NULL;
	}
	yajl_config(r->yajl, yajl_allow_multiple_values, 1);
	/* Buffer names are arbitrary bytes from the kernel: accept them, escape on output. */
	yajl_config(r->yajl, yajl_dont_validate_strings, 1);
	r->ev.segs = r->segs;
	r->ev.stack = r->stack;
	r->fd = -1;
	r->warn = warn;
	r->warn_ctx = warn_ctx;
	return r;
}

struct dt_reader *dt_reader_open(const char *path, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return dt_reader_open_fd("<stdin>", STDIN_FILENO, false, warn, warn_ctx, err, errlen);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	return dt_reader_open_fd(path, fd, true, warn, warn_ctx, err, errlen);
}

struct dt_reader *dt_reader_open_fd(const char *name, int fd, bool own, dt_warn_fn warn, void *warn_ctx, char *err,
				    size_t errlen)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory, not a trace file", name);
		if (own)
			close(fd);
		return NULL;
	}
	struct dt_reader *r = reader_new(name, warn, warn_ctx);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		if (own)
			close(fd);
		return NULL;
	}
	r->fd = fd;
	r->own_fd = own;
	return r;
}

struct dt_reader *dt_reader_open_mem(const char *name, const char *data, size_t len, dt_warn_fn warn,
				     void *warn_ctx, char *err, size_t errlen)
{
	struct dt_reader *r = reader_new(name, warn, warn_ctx);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	r->mem = data;
	r->mem_len = len;
	return r;
}

/* Reads more input after the unread bytes; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t fill(struct dt_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	size_t room = r->cap - r->end;
	if (room == 0)
		return 0;
	if (r->mem) {
		size_t n = r->mem_len - r->mem_pos;
		if (n > room)
			n = room;
		memcpy(r->buf + r->end, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		r->end += n;
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->end, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			r->end += (size_t)n;
		return n;
	}
}

/* Finds the next line; returns its length (without '\n') in *len, 1 = full line,
 * 2 = last line without newline, 0 = EOF, -1 = error. */
static int next_line(struct dt_reader *r, char **line, size_t *len)
{
	for (;;) {
		char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			r->start += *len + 1;
			r->line++;
			if (*len > DT_LINE_MAX) {
				set_err(r, "line is longer than %d bytes", DT_LINE_MAX);
				return -1;
			}
			return 1;
		}
		if (r->end - r->start > DT_LINE_MAX) {
			r->line++;
			set_err(r, "line is longer than %d bytes", DT_LINE_MAX);
			return -1;
		}
		if (r->eof) {
			if (r->end == r->start)
				return 0;
			*line = r->buf + r->start;
			*len = r->end - r->start;
			r->start = r->end;
			r->line++;
			return 2;
		}
		ssize_t n = fill(r);
		if (n < 0) {
			set_err(r, "read error: %s", strerror(errno));
			return -1;
		}
		if (n == 0)
			r->eof = true;
	}
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static void reset_line_state(struct dt_reader *r)
{
	r->depth = 0;
	r->objects = 0;
	r->top_not_object = false;
	r->in_segs = r->in_stack = false;
	r->key = F_NONE;
	r->fail[0] = '\0';
	dt_event_clear(&r->ev);
	r->format_name.set = false;
	r->version = 0;
}

/* Fast path for the lines writers emit: a strict subset of JSON (no whitespace, strings of
 * printable ASCII without escapes, integers, true/false/null, arrays nested at most twice, no
 * object but the line's). It drives the same callbacks, in the same order, as yajl would; any
 * line outside the subset, and any line a callback rejects, returns 0 and is parsed again from
 * scratch by yajl, so that accepted input, findings and error messages stay exactly yajl's. */
static int fast_value(struct dt_reader *r, const char **pp, const char *e);

static int fast_string(const char **pp, const char *e, const char **s, size_t *n)
{
	const char *p = *pp + 1; /* after the opening quote */
	const char *start = p;
	/* 8 bytes at a time: stop at the first word holding a quote, a backslash, a control
	 * byte or a byte >= 0x7f (exact existence tests, no false positives). */
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (e - p >= 8) {
		uint64_t x;
		memcpy(&x, p, 8);
		uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
		uint64_t special = ((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x) |
				   ((x + ones * (127 - 0x7e)) | x);
		if (special & highs)
			break;
		p += 8;
	}
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c < 0x20 || c > 0x7e || c == '\\')
			return 0;
	}
	if (p >= e)
		return 0;
	*s = start;
	*n = (size_t)(p - start);
	*pp = p + 1;
	return 1;
}

static int fast_value(struct dt_reader *r, const char **pp, const char *e)
{
	const char *p = *pp;
	if (p >= e)
		return 0;
	char c = *p;
	if (c == '"') {
		const char *s;
		size_t n;
		if (!fast_string(&p, e, &s, &n) || !on_string(r, (const unsigned char *)s, n))
			return 0;
	} else if ((c >= '0' && c <= '9') || c == '-') {
		const char *s = p;
		if (c == '-')
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return 0;
		if (*p == '0') {
			p++;
		} else {
			while (p < e && *p >= '0' && *p <= '9')
				p++;
		}
		/* fractions, exponents, leading zeros, whitespace: leave them to yajl */
		if (p >= e || (*p != ',' && *p != ']' && *p != '}'))
			return 0;
		if (!on_number(r, s, (size_t)(p - s)))
			return 0;
	} else if (c == '[') {
		if (r->depth >= 3 || !on_start_array(r))
			return 0;
		p++;
		if (p < e && *p == ']') {
			p++;
		} else {
			for (;;) {
				if (p < e && *p == '{')
					return 0;
				if (!fast_value(r, &p, e))
					return 0;
				if (p < e && *p == ',') {
					p++;
					continue;
				}
				if (p < e && *p == ']') {
					p++;
					break;
				}
				return 0;
			}
		}
		if (!on_end_array(r))
			return 0;
	} else if (c == 't' && e - p >= 4 && memcmp(p, "true", 4) == 0) {
		p += 4;
		if (!on_bool(r, 1))
			return 0;
	} else if (c == 'f' && e - p >= 5 && memcmp(p, "false", 5) == 0) {
		p += 5;
		if (!on_bool(r, 0))
			return 0;
	} else if (c == 'n' && e - p >= 4 && memcmp(p, "null", 4) == 0) {
		p += 4;
		if (!on_null(r))
			return 0;
	} else {
		return 0;
	}
	/* a literal must end at a delimiter (yajl rejects "truex") */
	if (p < e && *p != ',' && *p != ']' && *p != '}')
		return 0;
	*pp = p;
	return 1;
}

static int fast_line(struct dt_reader *r, const char *p, size_t len)
{
	const char *e = p + len;
	if (len < 2 || *p != '{' || e[-1] != '}' || !on_start_map(r))
		return 0;
	p++;
	if (*p == '}') {
		p++;
	} else {
		for (;;) {
			const char *k;
			size_t n;
			if (p >= e || *p != '"' || !fast_string(&p, e, &k, &n))
				return 0;
			if (p >= e || *p != ':')
				return 0;
			p++;
			if (!on_map_key(r, (const unsigned char *)k, n))
				return 0;
			if (p < e && *p == '{')
				return 0;
			if (!fast_value(r, &p, e))
				return 0;
			if (p < e && *p == ',') {
				p++;
				continue;
			}
			if (p < e && *p == '}') {
				p++;
				break;
			}
			return 0;
		}
	}
	if (p != e || !on_end_map(r))
		return 0;
	return r->depth == 0 && r->objects == 1 && !r->top_not_object && !r->fail[0];
}

/* Parses one line into r->ev. 1 = complete object, 0 = incomplete (cut short), -1 = error. */
static int parse_line(struct dt_reader *r, char *line, size_t len, bool final)
{
	reset_line_state(r);
	if (!final && r->header_seen) {
		if (fast_line(r, line, len))
			return 1;
		reset_line_state(r);
	}

	yajl_status st = yajl_parse(r->yajl, (const unsigned char *)line, len);
	/* A line that ends the file without '\n' may be cut anywhere (inside a string,
	 * a literal, after a backslash): only flush it when its object is complete. */
	if (st == yajl_status_ok && (!final || (r->depth == 0 && r->objects > 0)))
		st = final ? yajl_complete_parse(r->yajl) : yajl_parse(r->yajl, (const unsigned char *)"\n", 1);
	if (st != yajl_status_ok) {
		if (r->fail[0]) {
			set_err(r, "%s", r->fail);
		} else {
			unsigned char *msg = yajl_get_error(r->yajl, 0, NULL, 0);
			set_err(r, "invalid JSON: %s", msg ? (char *)msg : "parse error");
			if (msg)
				yajl_free_error(r->yajl, msg);
		}
		return -1;
	}
	if (r->top_not_object) {
		set_err(r, "expected a JSON object");
		return -1;
	}
	if (r->depth > 0 || r->objects == 0) {
		/* Only the last line may be incomplete (the recorder was killed mid-write). */
		if (final)
			return 0;
		set_err(r, "incomplete JSON object");
		return -1;
	}
	return 1;
}

static int check_header(struct dt_reader *r)
{
	struct dt_event *ev = &r->ev;
	if (!ev->type_name.set || strcmp(ev->type_name.s, "header") != 0 || !r->format_name.set ||
	    strcmp(r->format_name.s, "dmabuf-trace") != 0) {
		set_err(r, "not a dmabuf-trace file: the first line must be the header "
			   "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,...}");
		return -1;
	}
	if (r->version != 1) {
		set_err(r, "unsupported trace format version %llu (this tool reads version 1)",
			(unsigned long long)r->version);
		return -1;
	}
	r->header.version = 1;
	r->header_seen = true;
	return 0;
}

static int check_required(struct dt_reader *r)
{
	const struct dt_event *ev = &r->ev;
	const char *missing = NULL;
	if (!ev->type_name.set)
		missing = "type";
	else if (!(ev->has & DT_HAS_TS))
		missing = "ts";
	else if (!(ev->has & DT_HAS_SEQ))
		missing = "seq";
	else if (ev->type != DT_EV_LOST && ev->type != DT_EV_UNKNOWN && !(ev->has & DT_HAS_BUF))
		missing = "buf";
	else {
		bool failed = ev->has & DT_HAS_ERR;
		switch (ev->type) {
		case DT_EV_EXPORT:
			if (!(ev->has & DT_HAS_SIZE))
				missing = "size";
			else if (!ev->exporter.set)
				missing = "exporter";
			break;
		case DT_EV_ATTACH:
			if (!ev->dev.set)
				missing = "dev";
			else if (!failed && !(ev->has & DT_HAS_ATT))
				missing = "att";
			break;
		case DT_EV_MAP:
			if (!(ev->has & DT_HAS_ATT))
				missing = "att";
			else if (!failed && !(ev->has & DT_HAS_NENTS))
				missing = "nents";
			break;
		case DT_EV_UNMAP:
		case DT_EV_DETACH:
			if (!(ev->has & DT_HAS_ATT))
				missing = "att";
			break;
		case DT_EV_LOST:
			if (!(ev->has & DT_HAS_COUNT))
				missing = "count";
			break;
		default:
			break;
		}
	}
	if (missing) {
		set_err(r, "%s event is missing required field \"%s\"",
			ev->type_name.set ? ev->type_name.s : "an", missing);
		return -1;
	}
	if (r->have_seq && ev->seq <= r->last_seq) {
		set_err(r, "seq %llu is not greater than the previous seq %llu", (unsigned long long)ev->seq,
			(unsigned long long)r->last_seq);
		return -1;
	}
	r->have_seq = true;
	r->last_seq = ev->seq;
	/* Derived facts the format makes optional. */
	if (ev->type == DT_EV_MAP && !(ev->has & DT_HAS_ERR)) {
		struct dt_event *w = &r->ev;
		if (!(w->has & DT_HAS_SEGS_TOTAL)) {
			w->segs_total = w->nents;
			w->has |= DT_HAS_SEGS_TOTAL;
		}
		if (!(w->has & DT_HAS_MAX_SEG) && w->nsegs && w->nsegs >= w->segs_total) {
			for (uint32_t i = 0; i < w->nsegs; i++)
				if (w->segs[i].len > w->max_seg)
					w->max_seg = w->segs[i].len;
			w->has |= DT_HAS_MAX_SEG;
		}
	}
	return 0;
}

int dt_reader_next(struct dt_reader *r, const struct dt_event **out)
{
	for (;;) {
		char *line;
		size_t len;
		int kind = next_line(r, &line, &len);
		if (kind < 0)
			return -1;
		if (kind == 0) {
			if (!r->header_seen) {
				r->line = r->line ? r->line : 1;
				set_err(r, "empty trace: no header line");
				return -1;
			}
			if (r->header_ends && !r->end_seen && !r->truncated) {
				/* Whole lines only, but the promised end line is missing: the recorder was killed. */
				r->truncated = true;
				warnf(r, "trace stops without its end line (the recorder was killed or crashed); "
					 "analysed every complete event");
			}
			return 0;
		}
		if (blank(line, len))
			continue;
		int pr = parse_line(r, line, len, kind == 2);
		if (pr < 0)
			return -1;
		if (pr == 0) {
			r->truncated = true;
			warnf(r, "last line is cut short (recorder stopped mid-write?); analysed up to the previous line");
			if (!r->header_seen) {
				set_err(r, "trace ends inside its header line");
				return -1;
			}
			return 0;
		}
		if (!r->header_seen) {
			if (check_header(r) < 0)
				return -1;
			continue;
		}
		if (check_required(r) < 0)
			return -1;
		r->ev.line = r->line;
		if (r->ev.type == DT_EV_UNKNOWN && strcmp(r->ev.type_name.s, "end") == 0) {
			r->end_seen = true; /* a clean stop: nothing to analyse */
			continue;
		}
		if (r->ev.type == DT_EV_UNKNOWN) {
			r->unknown_types++;
			char type[DT_STR_MAX * 4 + 4]; /* untrusted: escaped like every other string shown */
			dt_escape_text(type, sizeof(type), r->ev.type_name.s, r->ev.type_name.len);
			warnf(r, "unknown event type \"%s\" skipped (written by a newer tool?)", type);
			continue;
		}
		*out = &r->ev;
		return 1;
	}
}

const char *dt_reader_error(const struct dt_reader *r) { return r->err; }
const struct dt_header *dt_reader_header(const struct dt_reader *r) { return &r->header; }
const char *dt_reader_name(const struct dt_reader *r) { return r->name; }
int dt_reader_truncated(const struct dt_reader *r) { return r->truncated; }
unsigned long long dt_reader_unknown_types(const struct dt_reader *r) { return r->unknown_types; }

void dt_reader_close(struct dt_reader *r)
{
	if (!r)
		return;
	if (r->yajl)
		yajl_free(r->yajl);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r->profile);
	free(r);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Trace format v1 reader, one line at a time (memory independent of trace length): a fast path for
 * the schema first, yajl's streaming (SAX) parser for every line it does not take, zstd input told by
 * its magic number, and on two cores a thread of its own (docs/trace-format.md, "Parsing"). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>
#include <zstd.h>
#include <zstd_errors.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/escape.h"
#include "ingest/ftrace.h"
#include "ingest/trace_reader.h"

enum field {
	F_NONE, /* unknown key: ignored */
	F_TYPE, F_TS, F_SEQ, F_PID, F_TID, F_CPU, F_COMM,
	F_BUF, F_ATT, F_SIZE, F_ERR, F_EXPORTER, F_NAME,
	F_DEV, F_DRIVER, F_BUS, F_DYNAMIC, F_MAX_SEG_SIZE, F_SEG_BOUNDARY, F_DMA_PARMS,
	F_DIR, F_NENTS, F_ORIG_NENTS, F_SEGS, F_SEGS_TOTAL, F_MAX_SEG, F_CACHED,
	F_CONTIGUOUS, F_CROSSINGS, F_TOTAL_LEN, F_COUNT, F_STACK, F_SEEDED,
	F_STATE, F_SINCE, F_CONTINUES, F_BY,
	F_LATE, F_CAUSE, F_COUNT_KNOWN, F_WALK_CAPPED, F_CACHED_KNOWN, F_KIND, F_UNTIL, F_DETACHED,
	/* header */
	F_FORMAT, F_VERSION, F_KERNEL, F_CLOCK, F_HOST, F_TOOL, F_ENDS, F_PROFILE, F_PROFILE_NAME, F_REDACTED,
	F_BOOT_ID, F_SEGMENT,
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
	{"cached_known", F_CACHED_KNOWN},
	{"state", F_STATE}, {"since", F_SINCE}, {"continues", F_CONTINUES}, {"by", F_BY},
	{"kind", F_KIND}, {"until", F_UNTIL}, {"detached", F_DETACHED},
	{"boot_id", F_BOOT_ID}, {"segment", F_SEGMENT},
};

/* Parallel parsing (below): parse workers by default and at most, input bytes per chunk of lines. */
#define DEFAULT_WORKERS 2
#define MAX_WORKERS 4
#define CHUNK_BYTES (512 * 1024)

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

/* The fast path's guess of the next key: the bytes from the ',' (or '{') before it to its value, whitespace
 * included ("key": in record's lines, m of them, at most 16), as they were on the last line after the key of
 * this slot, what that key is and the slot it leads to. Slot 0: the first key of a
 * line; 1..63: after a known key (its enum field); 64..: after an unknown key (a hash of it). m == 0: none. */
#define GUESS_SLOTS 96
#define GUESS_UNKNOWN 64
struct key_guess {
	unsigned char pat[16];
	uint8_t m, f, next;
};
_Static_assert(F_SEGMENT < GUESS_UNKNOWN, "a known key's guess slot is its enum field");

/* What parsing one line needs: the reader has one (the header, the single-threaded path), each parse
 * worker its own (yajl's callbacks get it as their context). */
struct line_parser {
	struct dt_reader *rd; /* header fields are written there (header line only) */
	yajl_handle yajl;
	bool header_seen;     /* header-only keys are unknown fields on event lines */
	bool no_fast_path;    /* tests: every line through yajl */

	/* per-line parse state */
	int depth;          /* nesting of maps and arrays; the event object is depth 1 */
	int objects;        /* top-level values completed on this line */
	bool top_not_object;
	enum field key;
	bool in_segs, in_stack;
	int seg_elem; /* index inside one [addr, len] pair */
	char fail[200];   /* semantic error found by a callback */
	char msg[400];    /* why the line was refused (parse_line, check_fields), without "file:line: " */
	bool continues_set, continues; /* the line's "continues" (an end line's) */

	struct dt_event *ev; /* the event being parsed: own_ev */
	struct dt_event own_ev;
	struct dt_seg segs[DT_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
	uint8_t frame_len[DT_STACK_MAX]; /* strlen of each stack frame (packing needs no strnlen) */
	struct dt_str format_name;
	uint64_t version;

	/* fast path: each key guessed from the key that followed the same previous key on the last line of the
	 * same event type (guess[0]: before the line's "type") */
	struct key_guess guess[DT_EV__COUNT + 1][GUESS_SLOTS];
	unsigned long long fast_lines; /* lines the fast path took (tests: dt_reader_fast_lines) */
};

struct dt_reader {
	char *name;
	int fd;
	bool own_fd;
	bool may_block;    /* the fd is a pipe or terminal: a read may wait for the writer */
	const char *mem; /* in-memory source, or NULL */
	size_t mem_len, mem_pos;

	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	bool eof;
	bool sniffed;             /* the first bytes were looked at: zstd or plain */
	struct zstd_in *zin;      /* non-NULL: the input is a zstd stream */
	struct zstd_ahead *ahead; /* non-NULL: a thread of its own decodes zstd ahead; buf points into its blocks */
	char *buf_own;            /* what buf was allocated as (NULL: buf is the caller's memory) */

	struct pipeline *pipe;    /* non-NULL: parse workers run (threads of their own) and read in turn */
	int want_workers;         /* parse workers to start at the first dt_reader_next; 0: one thread */
	size_t chunk_bytes;       /* input bytes per chunk of lines handed to a worker */
	int final_rc;             /* threaded: what dt_reader_next says once the pipeline ended */

	unsigned long long line;
	struct line_parser p;     /* the header, and every line when single-threaded */

	struct dt_header header;
	char *profile; /* header.profile's storage */
	bool header_seen;
	bool header_ends; /* the writer promised an "end" line (record does) */
	bool end_seen;
	bool end_continues;
	unsigned long long events;
	uint64_t last_ts;
	uint64_t order_ts;         /* the latest ts of an event not restated nor late: what a next one must not undercut */
	bool warned_after_end, warned_backwards;
	bool have_seq;
	uint64_t last_seq;
	bool truncated;
	unsigned long long unknown_types;

	dt_warn_fn warn;
	void *warn_ctx;
	char err[512];
};

static void set_fail(struct line_parser *r, const char *fmt, ...)
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
static int parse_u64(struct line_parser *r, const char *s, size_t len, uint64_t *out)
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

static int parse_i64(struct line_parser *r, const char *s, size_t len, int64_t *out)
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
	struct line_parser *r = ctx;
	struct dt_event *ev = r->ev;
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
				ev->segs[ev->nsegs].addr = v;
			else
				ev->segs[ev->nsegs].len = v;
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
	case F_SINCE: u = &ev->since; bit = DT_HAS_SINCE; break;
	case F_WALK_CAPPED: u = &ev->walked; bit = DT_HAS_WALK_CAPPED; break;
	case F_UNTIL: u = &ev->until; bit = DT_HAS_UNTIL; break;
	case F_VERSION: u = &r->version; break;
	case F_SEGMENT: u = &r->rd->header.segment; r->rd->header.has_segment = true; break;
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
	struct line_parser *r = ctx;
	struct dt_event *ev = r->ev;
	if (r->depth == 0) {
		r->top_not_object = true;
		return 1;
	}
	if (r->in_stack) {
		if (r->depth == 2 && ev->nstack < DT_STACK_MAX) {
			size_t n = len < DT_FRAME_MAX - 1 ? len : DT_FRAME_MAX - 1;
			memcpy(ev->stack[ev->nstack], s, n);
			ev->stack[ev->nstack][n] = '\0';
			r->frame_len[ev->nstack] = (uint8_t)strnlen(ev->stack[ev->nstack], n); /* up to a NUL inside */
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
	case F_BY: dt_str_set(&ev->by, c, len); break;
	case F_KIND:
		/* a kind from a newer writer: the history event is skipped (not applied half-understood) */
		ev->kind = dt_history_kind_from_name(c, len);
		break;
	case F_FORMAT: dt_str_set(&r->format_name, c, len); break;
	case F_KERNEL: dt_str_set(&r->rd->header.kernel, c, len); break;
	case F_CLOCK: dt_str_set(&r->rd->header.clock, c, len); break;
	case F_HOST: dt_str_set(&r->rd->header.host, c, len); break;
	case F_TOOL: dt_str_set(&r->rd->header.tool, c, len); break;
	case F_BOOT_ID: dt_str_set(&r->rd->header.boot_id, c, len); break;
	case F_PROFILE_NAME: dt_str_set(&r->rd->header.profile_name, c, len); break;
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
		free(r->rd->profile);
		r->rd->profile = text;
		r->rd->header.profile = text;
		break;
	}
	case F_CAUSE: {
		int cause = dt_lost_cause_from_name(c, len);
		/* A cause from a newer writer is still a loss: counted, and its word kept. */
		ev->cause = cause < 0 ? DT_LOST_OTHER : (enum dt_lost_cause)cause;
		if (cause < 0)
			dt_str_set(&ev->cause_name, c, len);
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
	struct line_parser *r = ctx;
	struct dt_event *ev = r->ev;
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
	case F_STATE: if (b) ev->has |= DT_HAS_STATE; break;
	case F_CONTINUES: r->continues_set = true; r->continues = b; break;
	case F_ENDS: r->rd->header_ends = r->rd->header.ends = b; break;
	case F_REDACTED: r->rd->header.redacted = b; break;
	case F_CONTIGUOUS: ev->contiguous = b; ev->has |= DT_HAS_CONTIGUOUS; break;
	case F_LATE: if (b) ev->has |= DT_HAS_LATE; break;
	case F_COUNT_KNOWN: if (!b) ev->has |= DT_HAS_COUNT_UNKNOWN; break;
	case F_DETACHED: ev->detached = b; break;
	case F_CACHED_KNOWN: if (!b) ev->has |= DT_HAS_CACHED_UNKNOWN; break;
	case F_NONE: break;
	default:
		set_fail(r, "field \"%s\" must not be a boolean", field_label(r->key));
		return 0;
	}
	return 1;
}

static int on_null(void *ctx)
{
	struct line_parser *r = ctx;
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
	struct line_parser *r = ctx;
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
	struct line_parser *r = ctx;
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
	struct line_parser *r = ctx;
	r->depth--;
	if (r->depth == 0)
		r->objects++;
	return 1;
}

static int on_start_array(void *ctx)
{
	struct line_parser *r = ctx;
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
		r->ev->has |= DT_HAS_SEGS;
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
	struct line_parser *r = ctx;
	if (r->in_segs && r->depth == 3) {
		if (r->seg_elem != 2) {
			set_fail(r, "\"segs\" must be an array of [dma_addr, len] pairs");
			return 0;
		}
		if (r->ev->nsegs < DT_SEGS_MAX)
			r->ev->nsegs++;
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

static bool is_zstd_magic(const unsigned char *b);
static void feeder_before_read(struct dt_reader *r);
static void ahead_stop(struct dt_reader *r);

static void vwarn_at(struct dt_reader *r, unsigned long long line, const char *fmt, va_list ap)
{
	if (!r->warn)
		return;
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s:%llu: ", r->name, line);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	r->warn(r->warn_ctx, msg);
}

/* A warning naming file:line, the line the reader is at. */
static void warnf(struct dt_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(r, r->line, fmt, ap);
	va_end(ap);
}

/* A warning naming file:line of an event (the threaded reader's filler is lines ahead). */
static void warn_at(struct dt_reader *r, unsigned long long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn_at(r, line, fmt, ap);
	va_end(ap);
}

static int parser_init(struct line_parser *p, struct dt_reader *rd)
{
	p->rd = rd;
	p->yajl = yajl_alloc(&callbacks, NULL, p);
	if (!p->yajl)
		return -1;
	yajl_config(p->yajl, yajl_allow_multiple_values, 1);
	/* Buffer names are arbitrary bytes from the kernel: accept them, escape on output. */
	yajl_config(p->yajl, yajl_dont_validate_strings, 1);
	p->ev = &p->own_ev;
	p->ev->segs = p->segs;
	p->ev->stack = p->stack;
	return 0;
}

static struct dt_reader *reader_new(const char *name, dt_warn_fn warn, void *warn_ctx, bool with_buf)
{
	build_field_hash();
	struct dt_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->name = strdup(name);
	if (with_buf) {
		r->cap = DT_LINE_MAX + 65536;
		r->buf = r->buf_own = malloc(r->cap);
	}
	if (!r->name || (with_buf && !r->buf) || parser_init(&r->p, r) < 0) {
		dt_reader_close(r);
		return NULL;
	}
	r->fd = -1;
	r->final_rc = 1;
	r->chunk_bytes = CHUNK_BYTES;
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
	struct dt_reader *r = reader_new(name, warn, warn_ctx, true);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		if (own)
			close(fd);
		return NULL;
	}
	r->fd = fd;
	r->own_fd = own;
	if (fstat(fd, &st) == 0)
		r->may_block = S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode);
	/* Two cores or more: a feeder thread and parse workers (DMABUF_TRACE_THREADS=0 keeps one thread,
	 * =N asks for N parse workers). */
	const char *env = getenv("DMABUF_TRACE_THREADS");
	long workers = env && *env ? strtol(env, NULL, 10) : DEFAULT_WORKERS;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 && !(env && *env))
		workers = 0;
	r->want_workers = workers < 0 ? 0 : workers > MAX_WORKERS ? MAX_WORKERS : (int)workers;
	return r;
}

struct dt_reader *dt_reader_open_mem(const char *name, const char *data, size_t len, dt_warn_fn warn,
				     void *warn_ctx, char *err, size_t errlen)
{
	/* Plain text is parsed where it lies (fuzzing and tests open thousands); zstd needs the buffer. */
	bool zstd = len >= 4 && is_zstd_magic((const unsigned char *)data);
	struct dt_reader *r = reader_new(name, warn, warn_ctx, zstd);
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	r->mem = data;
	r->mem_len = len;
	if (!zstd) {
		r->buf = (char *)data; /* never written: with eof set, nothing is read into it */
		r->cap = r->end = len;
		r->mem_pos = len;
		r->eof = r->sniffed = true;
	}
	return r;
}

/* ---- input bytes: plain, or a zstd stream (told by its magic number, whatever the file's name) ---- */

/* zstd frames whose window is larger than this are refused: the window is the decoder's memory,
 * and reading must stay within the memory target whatever the file (zstd -19 needs 8 MiB; --long
 * and --ultra levels are refused with a message saying so). */
#define ZSTD_WINDOW_LOG_MAX 24
#define DT_ZSTD_BLOCK_HEADER 3 /* ZSTD_blockHeaderSize (zstd.h has it for static linking only) */

struct zstd_in {
	ZSTD_DStream *ds;
	char *in;
	size_t in_len, in_pos, in_cap;
	bool in_eof;
	size_t last; /* last ZSTD_decompressStream result: 0 = a frame ended exactly here */
	size_t hint;        /* input zstd asks for next: one block (0: a frame's start) */
	bool flush_pending; /* the last call filled its output: zstd may hold more decoded bytes */
	bool failed;        /* the stream is bad from here on: fail_msg says why */
	char fail_msg[200];
	bool cut;    /* the stream ended inside a frame (writer killed) */
	bool any;    /* decoded at least one byte */
};

/* Raw bytes from the source; 0 at EOF, -1 on a read error (errno). In the reader thread, the
 * read is where a close may cancel it (a FIFO whose writer stays silent). */
static ssize_t read_raw(struct dt_reader *r, char *dst, size_t room)
{
	if (r->mem) {
		size_t n = r->mem_len - r->mem_pos;
		if (n > room)
			n = room;
		memcpy(dst, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		return (ssize_t)n;
	}
	if (r->pipe)
		feeder_before_read(r); /* a pipe may make us wait: hand over the lines read so far first */
	for (;;) {
		int old;
		bool threaded = r->pipe || r->ahead; /* this runs in a thread that is cancelled at close */
		if (threaded)
			pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
		ssize_t n = read(r->fd, dst, room);
		int saved = errno;
		if (threaded)
			pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		errno = saved;
		if (n < 0 && errno == EINTR)
			continue;
		return n;
	}
}

static void zstd_in_free(struct zstd_in *z)
{
	if (!z)
		return;
	ZSTD_freeDStream(z->ds);
	free(z->in);
	free(z);
}

static void set_err_next_line(struct dt_reader *r, const char *fmt, ...)
{
	int n = snprintf(r->err, sizeof(r->err), "%s:%llu: ", r->name, r->line + 1);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Starts decoding: the n bytes already read (r->buf[0..n)) are the stream's first. */
static int zstd_start(struct dt_reader *r, size_t n)
{
	struct zstd_in *z = calloc(1, sizeof(*z));
	if (!z)
		goto oom;
	r->zin = z;
	z->in_cap = ZSTD_DStreamInSize();
	if (z->in_cap < n)
		z->in_cap = n;
	z->in = malloc(z->in_cap);
	z->ds = ZSTD_createDStream();
	if (!z->in || !z->ds)
		goto oom;
	if (ZSTD_isError(ZSTD_DCtx_setParameter(z->ds, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX)))
		goto oom;
	memcpy(z->in, r->buf, n);
	z->in_len = n;
	r->end = 0;
	return 0;
oom:
	set_err_next_line(r, "out of memory for the zstd decoder");
	return -1;
}

/* Decodes into dst[0..room); returns bytes added, 0 at the end, -1 with msg set.
 * A ZSTD_decompressStream call that fails does not report what it wrote before failing. So each call gets
 * either no input (it only hands over bytes it holds) or the one block zstd asks for, without the next block's
 * header zstd asks for with it: a failing call then never had good bytes to hand over, and every block before
 * a bad one is read, however big dst is. */
static ssize_t zstd_decode(struct dt_reader *r, char *dst, size_t room, char *msg, size_t msglen)
{
	struct zstd_in *z = r->zin;
	ZSTD_outBuffer out = {dst, room, 0};
	if (z->failed) {
		snprintf(msg, msglen, "%s", z->fail_msg);
		return -1;
	}
	while (out.pos == 0) {
		if (z->in_pos == z->in_len && !z->in_eof) {
			ssize_t n = read_raw(r, z->in, z->in_cap);
			if (n < 0) {
				snprintf(msg, msglen, "read error: %s", strerror(errno));
				return -1;
			}
			z->in_len = (size_t)n;
			z->in_pos = 0;
			z->in_eof = n == 0;
		}
		size_t feed = z->in_len - z->in_pos;
		/* A frame's start: its header's smallest prefix. Otherwise the hint, less the next block's 3-byte
		 * header zstd asks for with a block (or a frame header): fed together, the call that decodes and
		 * hands over a block would also parse the next header, and a bad one would fail it, its block lost.
		 * Where the hint holds no such header, the bytes come in two calls instead of one. */
		size_t want = !z->hint ? 5 : z->hint > DT_ZSTD_BLOCK_HEADER ? z->hint - DT_ZSTD_BLOCK_HEADER : z->hint;
		if (z->flush_pending)
			feed = 0;
		else if (feed > want)
			feed = want;
		ZSTD_inBuffer in = {z->in, z->in_pos + feed, z->in_pos};
		size_t ret = ZSTD_decompressStream(z->ds, &out, &in);
		bool progress = in.pos > z->in_pos || out.pos > 0;
		z->in_pos = in.pos;
		z->flush_pending = out.pos == out.size;
		if (ZSTD_isError(ret)) {
			if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge)
				snprintf(z->fail_msg, sizeof(z->fail_msg), "zstd frame needs a window over %d MiB, more "
					 "than this reader allows (recompress without --long or --ultra)",
					 1 << (ZSTD_WINDOW_LOG_MAX - 20));
			else
				snprintf(z->fail_msg, sizeof(z->fail_msg), "corrupt zstd data: %s", ZSTD_getErrorName(ret));
			z->failed = true;
			snprintf(msg, msglen, "%s", z->fail_msg);
			return -1;
		}
		if (progress) /* after a frame's end, a call without input asks for the next frame's header */
			z->last = ret;
		z->hint = ret;
		if (out.pos == 0 && z->in_eof && z->in_pos == z->in_len) {
			/* Nothing more will come: ended between frames, or inside one (cut). */
			z->cut = z->last != 0;
			return 0;
		}
	}
	z->any = true;
	return (ssize_t)out.pos;
}

/* Decodes into r->buf[end..end+room) in this thread; returns bytes added, 0 at the end, -1 with r->err set. */
static ssize_t zstd_fill(struct dt_reader *r, size_t room)
{
	char msg[400];
	ssize_t n = zstd_decode(r, r->buf + r->end, room, msg, sizeof(msg));
	if (n < 0) {
		set_err_next_line(r, "%s", msg);
		return -1;
	}
	r->end += (size_t)n;
	return n;
}

/* ---- zstd decoded ahead: a thread of its own runs the decoder, the caller's thread parses ----
 * A zstd stream decodes in order, on one core. Measured on 2 cores, 1 M events: decoding alone 0.31-0.36 s,
 * one-thread parsing and analysis 0.35-0.42 s; the parse workers' pipeline on top of decoding took 0.73-0.80 s
 * wall, more than one thread alone (0.59-0.67 s), because its hand-offs cost as much CPU as they save. So
 * zstd input gets the two stages that cannot be split, one per core, and nothing else. The decoder fills
 * blocks; the reader's buffer moves from block to block, the unread tail of a line copied in front of the
 * next block's data (AHEAD_ROOM is room for the longest line), so decoded bytes are never copied whole. */
#define AHEAD_BLOCKS 4
#define AHEAD_BYTES (1024 * 1024)
#define AHEAD_ROOM (DT_LINE_MAX + 64)

struct ahead_block {
	char *mem;     /* AHEAD_ROOM bytes, then up to AHEAD_BYTES decoded */
	size_t len;    /* decoded bytes after AHEAD_ROOM */
	int rc;        /* 1 bytes, 0 the stream ended, -1 error (msg) */
	char msg[400];
};

struct zstd_ahead {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	struct ahead_block blocks[AHEAD_BLOCKS];
	unsigned long long made;  /* blocks the decoder published; under lock */
	unsigned long long freed; /* blocks the reader gave back; under lock */
	unsigned long long taken; /* the reader's: blocks it took */
	bool stop;                /* under lock */
};

static void *ahead_main(void *arg)
{
	struct dt_reader *r = arg;
	struct zstd_ahead *a = r->ahead;
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old); /* acted on only inside read(2) */
	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (!a->stop && a->made >= a->freed + AHEAD_BLOCKS)
			pthread_cond_wait(&a->cond, &a->lock);
		if (a->stop)
			break;
		struct ahead_block *b = &a->blocks[a->made % AHEAD_BLOCKS];
		pthread_mutex_unlock(&a->lock);
		b->len = 0;
		b->rc = 1;
		while (b->len < AHEAD_BYTES) {
			ssize_t n = zstd_decode(r, b->mem + AHEAD_ROOM + b->len, AHEAD_BYTES - b->len, b->msg,
						sizeof(b->msg));
			if (n <= 0) {
				if (b->len == 0) /* bytes first: the end or the error comes in the next block */
					b->rc = (int)n;
				break;
			}
			b->len += (size_t)n;
			if (r->may_block)
				break; /* a pipe's writer may pause: what came is passed on now */
		}
		pthread_mutex_lock(&a->lock);
		a->made++;
		pthread_cond_broadcast(&a->cond);
		if (b->rc <= 0)
			break;
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* The next block's bytes after the unread ones; returns bytes added, 0 at the end, -1 with r->err set. */
static ssize_t ahead_fill(struct dt_reader *r)
{
	struct zstd_ahead *a = r->ahead;
	pthread_mutex_lock(&a->lock);
	while (a->made == a->taken)
		pthread_cond_wait(&a->cond, &a->lock);
	pthread_mutex_unlock(&a->lock);
	struct ahead_block *b = &a->blocks[a->taken % AHEAD_BLOCKS];
	if (b->rc <= 0) { /* kept: asked again, it says the same */
		if (b->rc < 0)
			set_err_next_line(r, "%s", b->msg);
		return b->rc;
	}
	size_t unread = r->end - r->start; /* at most a line: next_line fails longer ones before it asks */
	char *to = b->mem + AHEAD_ROOM - unread;
	memcpy(to, r->buf + r->start, unread);
	bool had_block = r->buf != r->buf_own;
	r->buf = b->mem;
	r->start = (size_t)(to - b->mem);
	r->end = r->cap = AHEAD_ROOM + b->len;
	a->taken++;
	if (had_block) { /* the one the buffer was in */
		pthread_mutex_lock(&a->lock);
		a->freed++;
		pthread_cond_broadcast(&a->cond);
		pthread_mutex_unlock(&a->lock);
	}
	return (ssize_t)b->len;
}

static void ahead_free(struct zstd_ahead *a)
{
	for (int i = 0; i < AHEAD_BLOCKS; i++)
		free(a->blocks[i].mem);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->cond);
	free(a);
}

/* 0: the decoder thread runs and the reader's buffer will move into its blocks; -1: not started (nothing
 * changed, the caller's thread decodes). */
static int ahead_start(struct dt_reader *r)
{
	struct zstd_ahead *a = calloc(1, sizeof(*a));
	if (!a)
		return -1;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	for (int i = 0; i < AHEAD_BLOCKS; i++)
		if (!(a->blocks[i].mem = malloc(AHEAD_ROOM + AHEAD_BYTES))) {
			ahead_free(a);
			return -1;
		}
	r->ahead = a; /* before the thread: read_raw asks it */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old); /* signals stay with the caller's thread */
	int rc = pthread_create(&a->thread, NULL, ahead_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		r->ahead = NULL;
		ahead_free(a);
		return -1;
	}
	pthread_setname_np(a->thread, "dt-unzstd"); /* in top and perf */
	return 0;
}

static void ahead_stop(struct dt_reader *r)
{
	struct zstd_ahead *a = r->ahead;
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_broadcast(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_cancel(a->thread); /* it may wait in read(2) for a pipe's silent writer */
	pthread_join(a->thread, NULL);
	if (r->buf != r->buf_own) { /* the unread bytes go back where close and a plain fill expect them */
		r->buf = r->buf_own;
		r->start = r->end = 0;
		r->cap = DT_LINE_MAX + 65536;
	}
	r->ahead = NULL;
	ahead_free(a);
}

static bool is_zstd_magic(const unsigned char *b)
{
	uint32_t m = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	return m == 0xFD2FB528u || (m & 0xFFFFFFF0u) == 0x184D2A50u; /* a frame, or a skippable frame */
}

/* Reads more input after the unread bytes; returns bytes read, 0 at EOF, -1 with r->err set. */
static ssize_t fill(struct dt_reader *r)
{
	if (r->ahead)
		return ahead_fill(r);
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	size_t room = r->cap - r->end;
	if (room == 0)
		return 0;
	if (r->zin)
		return zstd_fill(r, room);
	if (!r->sniffed) {
		/* The first 4 bytes tell: gather them even from a pipe that delivers fewer. */
		while (r->end < 4) {
			ssize_t n = read_raw(r, r->buf + r->end, r->cap - r->end);
			if (n < 0) {
				set_err_next_line(r, "read error: %s", strerror(errno));
				return -1;
			}
			if (n == 0)
				break;
			r->end += (size_t)n;
		}
		r->sniffed = true;
		if (r->end >= 4 && is_zstd_magic((const unsigned char *)r->buf)) {
			if (zstd_start(r, r->end) < 0)
				return -1;
			return zstd_fill(r, r->cap);
		}
		return (ssize_t)r->end;
	}
	ssize_t n = read_raw(r, r->buf + r->end, room);
	if (n < 0) {
		set_err_next_line(r, "read error: %s", strerror(errno));
		return -1;
	}
	r->end += (size_t)n;
	return n;
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
		if (n < 0)
			return -1;
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

static void reset_line_state(struct line_parser *r)
{
	r->continues_set = false;
	r->depth = 0;
	r->objects = 0;
	r->top_not_object = false;
	r->in_segs = r->in_stack = false;
	r->key = F_NONE;
	r->fail[0] = '\0';
	dt_event_clear(r->ev);
	r->format_name.set = false;
	r->version = 0;
}

/* n bytes, in 16-byte blocks: up to 15 bytes past n are read from src and written to dst, so both must have
 * that room (a string's or a frame's buffer: n is below its size rounded up to 16; a packed record: the
 * bytes after it, or OUT_SLACK). GCC makes a memcpy of a variable size a libc call; these strings are short. */
static inline void copy_blocks(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i += 16)
		memcpy(dst + i, src + i, 16);
}

/* Fast path for the known schema: one pass over the line that fills r->ev directly. It takes any
 * key order, JSON whitespace, unknown fields (scalars, and arrays and objects of them) and strings without
 * escapes or control bytes, and it refuses (returns 0) everything else: escapes, objects in known
 * fields, nesting deeper than twice, fractions or exponents in known fields, a value of the wrong type,
 * a key seen twice, an integer out of range, more than one object. A refused line is parsed again from scratch by
 * yajl, which stays the authority: what it accepts, the events it yields and every error message
 * are exactly yajl's (tests/unit/test_trace_reader.c compares both paths line by line). */
static inline bool is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

static inline const char *skip_ws(const char *p, const char *e)
{
	/* one compare rejects nearly every byte that ends the run: all JSON tokens are above ' ' */
	while (p < e && (unsigned char)*p <= ' ' && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* skip_ws where a token usually follows at once: no loop unless a byte <= ' ' is there, and one space before
 * a token (the style of writers that put a space after ':' and ',') without one. */
static inline __attribute__((always_inline)) const char *ws(const char *p, const char *e)
{
	if (__builtin_expect(p < e && (unsigned char)*p <= ' ', 0)) {
		if (*p == ' ' && p + 1 < e && (unsigned char)p[1] > ' ')
			return p + 1;
		return skip_ws(p, e);
	}
	return p;
}

/* The token c at *pp, after whitespace only when c is not there at once: *pp is moved past it (true), or
 * past the whitespace (false). */
static inline __attribute__((always_inline)) bool tok(const char **pp, const char *e, char c)
{
	const char *p = *pp;
	if (__builtin_expect(p < e && *p == c, 1)) {
		*pp = p + 1;
		return true;
	}
	*pp = p = ws(p, e);
	if (p < e && *p == c) {
		*pp = p + 1;
		return true;
	}
	return false;
}

/* p is after the opening quote; returns the closing quote, or NULL at an escape, a control byte
 * or the end of the line (those strings are yajl's). Bytes >= 0x80 are taken raw, as yajl does
 * with yajl_dont_validate_strings. */
static inline const char *scan_string(const char *p, const char *e)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
	while (e - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
					 _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits) {
			p += __builtin_ctz(bits);
			return *p == '"' ? p : NULL;
		}
		p += 16;
	}
#endif
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c < 0x20 || c == '\\')
			return NULL;
	}
	return NULL;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_DIGITS 1
/* Eight bytes at once (most of a trace's bytes are digits: ts, addresses, lengths). How many of the 8
 * bytes in x (little-endian) are ASCII digits before the first that is not: a digit's high nibble is 3
 * and adding 6 keeps it 3. A carry out of a non-digit byte only reaches bytes after it. */
static inline unsigned leading_digits(uint64_t x)
{
	uint64_t t = (x & 0xF0F0F0F0F0F0F0F0ull) | (((x + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) >> 4);
	uint64_t other = t ^ 0x3333333333333333ull;
	return other ? (unsigned)__builtin_ctzll(other) >> 3 : 8;
}

/* The value of the first k (1..8) digits of x: moved to the top as if led by zeros, then pairs, quads,
 * the eight combined by multiplication. */
static inline uint64_t digits_value(uint64_t x, unsigned k)
{
	x = (x - 0x3030303030303030ull) << (8 * (8 - k));
	x = x * 10 + (x >> 8);
	return (((x & 0x000000FF000000FFull) * 0x000F424000000064ull) +
		(((x >> 16) & 0x000000FF000000FFull) * 0x0000271000000001ull)) >> 32;
}

static const uint64_t pow10_u64[9] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};
#endif

/* The digits of a number from p on, s its first digit and v the value of s..p: up to 19 digits cannot
 * overflow, a 20th is tested exactly, a 21st is refused (NULL). Returns the end of the digits. */
static const char *digits_tail(const char *s, const char *p, const char *e, uint64_t *vp)
{
	uint64_t v = *vp;
	unsigned d;
	const char *fast = e - s > 19 ? s + 19 : e;
	while (p < fast && (d = (unsigned char)*p - '0') <= 9) {
		v = v * 10 + d;
		p++;
	}
	if (p < e && (d = (unsigned char)*p - '0') <= 9) {
		/* a 20th digit: exact overflow test */
		if (p + 1 < e && is_digit(p[1]))
			return NULL;
		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	*vp = v;
	return p;
}

/* An unsigned JSON integer; NULL for anything parse_u64 would reject or judge (sign, fraction,
 * exponent, leading zero, overflow). */
static inline __attribute__((always_inline)) const char *scan_u64(const char *p, const char *e, uint64_t *out)
{
	if (p >= e)
		return NULL;
	unsigned d = (unsigned char)*p - '0';
	if (d > 9)
		return NULL;
	uint64_t v = d;
	const char *s = p++;
	if (d == 0) {
		if (p < e && (is_digit(*p)))
			return NULL;
	}
#if defined(SWAR_DIGITS) && defined(__SSE2__)
	else if (e - s >= 16) { /* up to 16 digits counted in one compare, their value from two words */
		__m128i x16 = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)s), _mm_set1_epi8('0'));
		unsigned digit = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x16, _mm_set1_epi8(9)), x16));
		unsigned k = (unsigned)__builtin_ctz(~digit); /* 1..16: bit 16 of ~digit is set */
		uint64_t x;
		memcpy(&x, s, 8);
		if (k <= 8) {
			v = digits_value(x, k);
		} else {
			uint64_t x2;
			memcpy(&x2, s + 8, 8);
			v = digits_value(x, 8) * pow10_u64[k - 8] + digits_value(x2, k - 8);
		}
		p = s + k;
		if (k == 16 && !(p = digits_tail(s, p, e, &v)))
			return NULL;
	}
#elif defined(SWAR_DIGITS)
	else if (e - s >= 16) { /* up to 16 digits without a loop; both loads inside the line */
		uint64_t x;
		memcpy(&x, s, 8);
		unsigned k = leading_digits(x);
		v = digits_value(x, k);
		p = s + k;
		if (k == 8) {
			memcpy(&x, p, 8);
			k = leading_digits(x);
			if (k) {
				v = v * pow10_u64[k] + digits_value(x, k);
				p += k;
			}
			if (k == 8 && !(p = digits_tail(s, p, e, &v)))
				return NULL;
		}
	}
#endif
	else if (!(p = digits_tail(s, p, e, &v))) {
		return NULL;
	}
	if (p < e && *p != ',' && (*p == '.' || (*p | 0x20) == 'e'))
		return NULL;
	*out = v;
	return p;
}

static inline const char *scan_i64(const char *p, const char *e, int64_t *out)
{
	bool neg = p < e && *p == '-';
	uint64_t mag;
	p = scan_u64(p + neg, e, &mag);
	if (!p || mag > (uint64_t)INT64_MAX + neg)
		return NULL;
	*out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return p;
}

/* Any JSON number, for unknown fields (yajl's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?). */
static const char *skip_number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p >= e || !is_digit(*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < e && is_digit(*p))
			p++;
	if (p < e && *p == '.') {
		p++;
		if (p >= e || !is_digit(*p))
			return NULL;
		while (p < e && is_digit(*p))
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || !is_digit(*p))
			return NULL;
		while (p < e && is_digit(*p))
			p++;
	}
	return p;
}

static inline const char *scan_literal(const char *p, const char *e, const char *lit, size_t n)
{
	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

/* A value nobody reads: a scalar, or arrays and objects of them nested at most twice (yajl ignores what is
 * inside an unknown field too; keys with escapes and deeper nesting are left to it). */
static const char *skip_value(const char *p, const char *e, int depth)
{
	if (p >= e)
		return NULL;
	switch (*p) {
	case '"':
		p = scan_string(p + 1, e);
		return p ? p + 1 : NULL;
	case 't': return scan_literal(p, e, "true", 4);
	case 'f': return scan_literal(p, e, "false", 5);
	case 'n': return scan_literal(p, e, "null", 4);
	case '[':
		if (depth >= 2)
			return NULL;
		p = ws(p + 1, e);
		if (p < e && *p == ']')
			return p + 1;
		for (;;) {
			p = skip_value(p, e, depth + 1);
			if (!p)
				return NULL;
			p = ws(p, e);
			if (p < e && *p == ',') {
				p = ws(p + 1, e);
				continue;
			}
			return p < e && *p == ']' ? p + 1 : NULL;
		}
	case '{':
		if (depth >= 2)
			return NULL;
		p = ws(p + 1, e);
		if (p < e && *p == '}')
			return p + 1;
		for (;;) {
			if (p >= e || *p != '"' || !(p = scan_string(p + 1, e)))
				return NULL;
			p = ws(p + 1, e);
			if (p >= e || *p != ':')
				return NULL;
			p = skip_value(ws(p + 1, e), e, depth + 1);
			if (!p)
				return NULL;
			p = ws(p, e);
			if (p < e && *p == ',') {
				p = ws(p + 1, e);
				continue;
			}
			return p < e && *p == '}' ? p + 1 : NULL;
		}
	default:
		return skip_number(p, e);
	}
}

/* a[0..n) == b[0..n) for a constant n up to 24, as a few loads (GCC calls libc's memcmp for these):
 * overlapping words cover every length without reading past either end. */
static inline __attribute__((always_inline)) bool eq_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y, x2, y2;
	if (n >= 8) {
		memcpy(&x, a, 8), memcpy(&y, b, 8), memcpy(&x2, a + n - 8, 8), memcpy(&y2, b + n - 8, 8);
		if (n > 16 && !eq_bytes(a + 8, b + 8, 8))
			return false;
		return x == y && x2 == y2;
	}
	if (n >= 4) {
		uint32_t u, v, u2, v2;
		memcpy(&u, a, 4), memcpy(&v, b, 4), memcpy(&u2, a + n - 4, 4), memcpy(&v2, b + n - 4, 4);
		return u == v && u2 == v2;
	}
	if (n >= 2) {
		uint16_t u, v, u2, v2;
		memcpy(&u, a, 2), memcpy(&v, b, 2), memcpy(&u2, a + n - 2, 2), memcpy(&v2, b + n - 2, 2);
		return u == v && u2 == v2;
	}
	return n == 0 || a[0] == b[0];
}

/* The common event types and directions without measuring every name (dt_event_type_from_name and
 * dt_dir_from_name do); anything else is theirs to judge. */
static inline enum dt_event_type fast_type(const char *s, size_t n)
{
#define IS(name) eq_bytes(s, name, sizeof(name) - 1)
	switch (n) {
	case 3: if (IS("map")) return DT_EV_MAP; break;
	case 4: if (IS("vmap")) return DT_EV_VMAP; break;
	case 5: if (IS("unmap")) return DT_EV_UNMAP; break;
	case 6:
		if (IS("export")) return DT_EV_EXPORT;
		if (IS("attach")) return DT_EV_ATTACH;
		if (IS("detach")) return DT_EV_DETACH;
		break;
	case 7: if (IS("release")) return DT_EV_RELEASE; break;
	}
	return dt_event_type_from_name(s, n);
}

static inline enum dt_dma_dir fast_dir(const char *s, size_t n)
{
	switch (n) {
	case 9: if (IS("to_device")) return DT_DIR_TO_DEVICE; break;
	case 11: if (IS("from_device")) return DT_DIR_FROM_DEVICE; break;
	case 13: if (IS("bidirectional")) return DT_DIR_BIDIRECTIONAL; break;
	}
	return dt_dir_from_name(s, n);
#undef IS
}

/* dt_str_set, the copy inline when the 16-byte blocks stay inside the line. */
static inline void fast_str_set(struct dt_str *dst, const char *src, size_t len, const char *e)
{
	if (len < DT_STR_MAX && (size_t)(e - src) >= ((len + 15) & ~(size_t)15)) {
		copy_blocks(dst->s, src, len);
		dst->s[len] = '\0';
		dst->len = (uint16_t)len;
		dst->set = true;
	} else {
		dt_str_set(dst, src, len);
	}
}

/* Event keys by length and first byte; header keys and unknown names are F_NONE (ignored). */
static inline enum field event_key(const char *k, size_t n)
{
#define IS(name) eq_bytes(k, name, sizeof(name) - 1)
	switch (n) {
	/* "by", "state", "cause", "since", "continues", "kind", "until", "detached" (daemon segments), "late",
	 * "count_known" and "walk_capped" are known keys without a fast case: their lines go through yajl. */
	case 2: return k[0] == 't' && k[1] == 's' ? F_TS : k[0] == 'b' && k[1] == 'y' ? F_BY : F_NONE;
	case 3:
		switch (k[0]) {
		case 's': return IS("seq") ? F_SEQ : F_NONE;
		case 'p': return IS("pid") ? F_PID : F_NONE;
		case 't': return IS("tid") ? F_TID : F_NONE;
		case 'c': return IS("cpu") ? F_CPU : F_NONE;
		case 'b': return IS("buf") ? F_BUF : IS("bus") ? F_BUS : F_NONE;
		case 'a': return IS("att") ? F_ATT : F_NONE;
		case 'e': return IS("err") ? F_ERR : F_NONE;
		case 'd': return IS("dev") ? F_DEV : IS("dir") ? F_DIR : F_NONE;
		case 'l': return IS("len") ? F_TOTAL_LEN : F_NONE;
		}
		return F_NONE;
	case 4:
		switch (k[0]) {
		case 't': return IS("type") ? F_TYPE : F_NONE;
		case 'c': return IS("comm") ? F_COMM : F_NONE;
		case 's': return IS("size") ? F_SIZE : IS("segs") ? F_SEGS : F_NONE;
		case 'n': return IS("name") ? F_NAME : F_NONE;
		case 'l': return IS("late") ? F_LATE : F_NONE;
		case 'k': return IS("kind") ? F_KIND : F_NONE;
		}
		return F_NONE;
	case 5:
		return IS("stack") ? F_STACK : IS("nents") ? F_NENTS : IS("count") ? F_COUNT : IS("state") ? F_STATE
		       : IS("cause") ? F_CAUSE : IS("since") ? F_SINCE : IS("until") ? F_UNTIL : F_NONE;
	case 6:
		return IS("driver") ? F_DRIVER : IS("cached") ? F_CACHED : IS("seeded") ? F_SEEDED : F_NONE;
	case 7: return IS("dynamic") ? F_DYNAMIC : IS("max_seg") ? F_MAX_SEG : F_NONE;
	case 8: return IS("exporter") ? F_EXPORTER : IS("detached") ? F_DETACHED : F_NONE;
	case 9: return IS("dma_parms") ? F_DMA_PARMS : IS("continues") ? F_CONTINUES : F_NONE;
	case 10:
		return IS("segs_total") ? F_SEGS_TOTAL : IS("orig_nents") ? F_ORIG_NENTS
		       : IS("contiguous") ? F_CONTIGUOUS : F_NONE;
	case 11: return IS("count_known") ? F_COUNT_KNOWN : IS("walk_capped") ? F_WALK_CAPPED : F_NONE;
	case 12: return IS("max_seg_size") ? F_MAX_SEG_SIZE : IS("cached_known") ? F_CACHED_KNOWN : F_NONE;
	case 17: return IS("seg_boundary_mask") ? F_SEG_BOUNDARY : F_NONE;
	case 18: return IS("boundary_crossings") ? F_CROSSINGS : F_NONE;
	}
	return F_NONE;
#undef IS
}

static const char *fast_segs(struct dt_event *ev, const char *p, const char *e)
{
	ev->has |= DT_HAS_SEGS;
	p = ws(p, e);
	if (p < e && *p == ']')
		return p + 1;
	for (;;) {
		uint64_t addr, len;
		if (!tok(&p, e, '['))
			return NULL;
		p = ws(p, e);
		if (!(p = scan_u64(p, e, &addr)) || !tok(&p, e, ','))
			return NULL;
		p = ws(p, e);
		if (!(p = scan_u64(p, e, &len)) || !tok(&p, e, ']'))
			return NULL;
		if (ev->nsegs < DT_SEGS_MAX) {
			ev->segs[ev->nsegs].addr = addr;
			ev->segs[ev->nsegs].len = len;
			ev->nsegs++;
		}
		if (tok(&p, e, ',')) {
			p = ws(p, e);
			continue;
		}
		return tok(&p, e, ']') ? p : NULL;
	}
}

static const char *fast_stack(struct dt_event *ev, uint8_t *frame_len, const char *p, const char *e)
{
	p = ws(p, e);
	if (p < e && *p == ']')
		return p + 1;
	for (;;) {
		if (p >= e || *p != '"')
			return NULL;
		const char *s = p + 1, *q = scan_string(s, e);
		if (!q)
			return NULL;
		if (ev->nstack < DT_STACK_MAX) {
			size_t n = (size_t)(q - s);
			if (n > DT_FRAME_MAX - 1)
				n = DT_FRAME_MAX - 1;
			char *d = ev->stack[ev->nstack];
			size_t whole = (n + 15) & ~(size_t)15; /* <= DT_FRAME_MAX: the frame has the room */
			if ((size_t)(e - s) >= whole) {
				/* 16 bytes at a time (GCC makes the bounded memcpy a slow rep movsb) */
				for (size_t i = 0; i < whole; i += 16)
					memcpy(d + i, s + i, 16);
			} else {
				memcpy(d, s, n);
			}
			d[n] = '\0';
			frame_len[ev->nstack] = (uint8_t)n; /* scan_string stops at control bytes: no NUL inside */
			ev->nstack++;
		}
		p = q + 1;
		if (tok(&p, e, ',')) {
			p = ws(p, e);
			continue;
		}
		return tok(&p, e, ']') ? p : NULL;
	}
}

static inline unsigned unknown_slot(const char *k, size_t n)
{
	return n ? ((unsigned char)k[0] ^ ((unsigned)(unsigned char)k[n - 1] << 1) ^ (unsigned)n) &
			   (GUESS_SLOTS - GUESS_UNKNOWN - 1)
		 : 0;
}

/* Whether the line at p (16 bytes readable) starts with the bytes g guesses. */
static inline __attribute__((always_inline)) bool guess_hit(const char *p, const struct key_guess *g)
{
#ifdef __SSE2__
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i y = _mm_loadu_si128((const __m128i *)(const void *)g->pat);
	unsigned want = (1u << g->m) - 1;
	return ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) & want) == want;
#else
	/* 0xff for the m bytes to compare, then zeros: whatever the byte order */
	static const unsigned char ones[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	uint64_t a0, a1, b0, b1, m0, m1;
	memcpy(&a0, p, 8), memcpy(&a1, p + 8, 8), memcpy(&b0, g->pat, 8), memcpy(&b1, g->pat + 8, 8);
	memcpy(&m0, ones + 16 - g->m, 8), memcpy(&m1, ones + 24 - g->m, 8);
	return (((a0 ^ b0) & m0) | ((a1 ^ b1) & m1)) == 0;
#endif
}

/* A key read the slow way, p after the ',' or '{' before it and m the bytes up to its value, becomes the guess
 * of its slot. */
static inline void guess_learn(struct key_guess *g, const char *p, const char *e, size_t m, enum field f,
			       unsigned next)
{
	if (m <= 16 && e - p >= 16) {
		memcpy(g->pat, p, 16);
		g->m = (uint8_t)m;
		g->f = (uint8_t)f;
		g->next = (uint8_t)next;
	} else {
		g->m = 0;
	}
}

static int fast_line(struct line_parser *r, const char *p, size_t len)
{
	struct dt_event *ev = r->ev;
	const char *e = p + len;
	uint64_t seen = 0;
	p = ws(p, e);
	if (p >= e || *p != '{')
		return 0;
	p++;
	const char *t = ws(p, e);
	if (t < e && *t == '}')
		return 0; /* {}: yajl's "missing field" message */
	unsigned slot = 0;
	struct key_guess *guesses = r->guess[0];
	for (;;) {
		enum field f;
		const char *q;
		struct key_guess *g = &guesses[slot];
		if (g->m && e - p >= 16 && guess_hit(p, g)) {
			f = (enum field)g->f;
			slot = g->next;
			p = ws(p + g->m, e);
		} else {
			const char *start = p; /* after '{' or ',' */
			p = ws(p, e);
			if (p >= e || *p != '"')
				return 0;
			const char *k = p + 1;
			if (!(q = scan_string(k, e)))
				return 0;
			size_t n = (size_t)(q - k);
			f = event_key(k, n);
			unsigned next = f != F_NONE ? (unsigned)f : GUESS_UNKNOWN + unknown_slot(k, n);
			if (q + 1 < e && q[1] == ':') {
				p = q + 2;
			} else {
				p = ws(q + 1, e);
				if (p >= e || *p != ':')
					return 0;
				p++;
			}
			p = ws(p, e);
			guess_learn(g, start, e, (size_t)(p - start), f, next);
			slot = next;
		}
		if (f != F_NONE) {
			if (seen & (1ull << f))
				return 0; /* a repeated key: yajl decides which value counts */
			seen |= 1ull << f;
		}
		if (p >= e)
			return 0;
		if (f != F_NONE && *p == 'n') { /* null: absent, for every known field */
			if (!(p = scan_literal(p, e, "null", 4)))
				return 0;
			goto next;
		}
		uint64_t *u = NULL;
		int64_t *i = NULL;
		uint32_t bit = 0;
		bool *b = NULL;
		struct dt_str *str = NULL;
		switch (f) {
		case F_NONE:
			if (!(p = skip_value(p, e, 0)))
				return 0;
			goto next;
		case F_TS: u = &ev->ts; bit = DT_HAS_TS; break;
		case F_SEQ: u = &ev->seq; bit = DT_HAS_SEQ; break;
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
		case F_DYNAMIC: b = &ev->dynamic; break;
		case F_DMA_PARMS: b = &ev->dma_parms; bit = DT_HAS_DMA_PARMS; break;
		case F_CACHED: b = &ev->cached; break;
		case F_CONTIGUOUS: b = &ev->contiguous; bit = DT_HAS_CONTIGUOUS; break;
		case F_SEEDED:
		case F_LATE:
		case F_COUNT_KNOWN:
		case F_CACHED_KNOWN: {
			/* flags that only set a presence bit: seeded and late when true, count_known and
			 * cached_known when false */
			bool v;
			if ((q = scan_literal(p, e, "true", 4)))
				v = true;
			else if ((q = scan_literal(p, e, "false", 5)))
				v = false;
			else
				return 0;
			if (f == F_SEEDED && v)
				ev->has |= DT_HAS_SEEDED;
			else if (f == F_LATE && v)
				ev->has |= DT_HAS_LATE;
			else if (f == F_COUNT_KNOWN && !v)
				ev->has |= DT_HAS_COUNT_UNKNOWN;
			else if (f == F_CACHED_KNOWN && !v)
				ev->has |= DT_HAS_CACHED_UNKNOWN;
			p = q;
			goto next;
		}
		case F_CAUSE: {
			if (*p != '"' || !(q = scan_string(p + 1, e)))
				return 0;
			int cause = dt_lost_cause_from_name(p + 1, (size_t)(q - p - 1));
			if (cause < 0) /* a newer writer's word, maybe escaped: on_string keeps it */
				return 0;
			ev->cause = (enum dt_lost_cause)cause;
			p = q + 1;
			goto next;
		}
		case F_COMM: str = &ev->comm; break;
		case F_EXPORTER: str = &ev->exporter; break;
		case F_NAME: str = &ev->name; break;
		case F_DEV: str = &ev->dev; break;
		case F_DRIVER: str = &ev->driver; break;
		case F_BUS: str = &ev->bus; break;
		case F_TYPE:
		case F_DIR: {
			if (*p != '"' || !(q = scan_string(p + 1, e)))
				return 0;
			size_t n = (size_t)(q - p - 1);
			if (f == F_TYPE) {
				ev->type = fast_type(p + 1, n);
				if ((unsigned)ev->type < DT_EV__COUNT)
					guesses = r->guess[1 + ev->type];
				fast_str_set(&ev->type_name, p + 1, n, e);
			} else if ((ev->dir = fast_dir(p + 1, n)) == DT_DIR_UNSET) {
				return 0;
			}
			p = q + 1;
			goto next;
		}
		case F_SEGS:
			if (*p != '[' || !(p = fast_segs(ev, p + 1, e)))
				return 0;
			goto next;
		case F_STACK:
			if (*p != '[' || !(p = fast_stack(ev, r->frame_len, p + 1, e)))
				return 0;
			goto next;
		default:
			return 0;
		}
		if (u) {
			if (!(p = scan_u64(p, e, u)))
				return 0;
		} else if (i) {
			if (!(p = scan_i64(p, e, i)))
				return 0;
		} else if (b) {
			if ((q = scan_literal(p, e, "true", 4)))
				*b = true;
			else if ((q = scan_literal(p, e, "false", 5)))
				*b = false;
			else
				return 0;
			p = q;
		} else {
			if (*p != '"' || !(q = scan_string(p + 1, e)))
				return 0;
			fast_str_set(str, p + 1, (size_t)(q - p - 1), e);
			p = q + 1;
		}
		ev->has |= bit;
	next:
		if (tok(&p, e, ','))
			continue;
		if (tok(&p, e, '}'))
			break;
		return 0;
	}
	return ws(p, e) == e;
}

/* Parses one line into r->ev: 1 = complete object, 0 = incomplete (cut short), -1 = error (why in r->msg). */
static int parse_line(struct line_parser *r, char *line, size_t len, bool final)
{
	reset_line_state(r);
	if (!final && r->header_seen && !r->no_fast_path) {
		if (fast_line(r, line, len)) {
			r->fast_lines++;
			return 1;
		}
		reset_line_state(r);
	}

	yajl_status st = yajl_parse(r->yajl, (const unsigned char *)line, len);
	/* A line that ends the file without '\n' may be cut anywhere (inside a string,
	 * a literal, after a backslash): only flush it when its object is complete. */
	if (st == yajl_status_ok && (!final || (r->depth == 0 && r->objects > 0)))
		st = final ? yajl_complete_parse(r->yajl) : yajl_parse(r->yajl, (const unsigned char *)"\n", 1);
	if (st != yajl_status_ok) {
		if (r->fail[0]) {
			snprintf(r->msg, sizeof(r->msg), "%s", r->fail);
		} else {
			unsigned char *msg = yajl_get_error(r->yajl, 0, NULL, 0);
			snprintf(r->msg, sizeof(r->msg), "invalid JSON: %s", msg ? (char *)msg : "parse error");
			if (msg)
				yajl_free_error(r->yajl, msg);
			/* yajl's message ends in a newline: the error is one line */
			for (size_t n = strlen(r->msg); n && (r->msg[n - 1] == '\n' || r->msg[n - 1] == ' '); n--)
				r->msg[n - 1] = '\0';
		}
		return -1;
	}
	if (r->top_not_object) {
		snprintf(r->msg, sizeof(r->msg), "expected a JSON object");
		return -1;
	}
	if (r->depth > 0 || r->objects == 0) {
		/* Only the last line may be incomplete (the recorder was killed mid-write). */
		if (final)
			return 0;
		snprintf(r->msg, sizeof(r->msg), "incomplete JSON object");
		return -1;
	}
	return 1;
}

static int check_header(struct dt_reader *r)
{
	struct line_parser *p = &r->p;
	struct dt_event *ev = p->ev;
	if (!ev->type_name.set || strcmp(ev->type_name.s, "header") != 0 || !p->format_name.set ||
	    strcmp(p->format_name.s, "dmabuf-trace") != 0) {
		set_err(r, "not a dmabuf-trace file: the first line must be the header "
			   "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,...}");
		return -1;
	}
	if (p->version != 1) {
		set_err(r, "unsupported trace format version %llu (this tool reads version 1)",
			(unsigned long long)p->version);
		return -1;
	}
	r->header.version = 1;
	r->header_seen = p->header_seen = true;
	const struct dt_header *h = &r->header;
	bool no_kernel = !h->kernel.set, no_clock = !h->clock.set;
	if (no_kernel || no_clock)
		warnf(r, "the header names no %s%s%s (not written by dmabuf-trace?)%s", no_kernel ? "kernel" : "",
		      no_kernel && no_clock ? " and no " : "", no_clock ? "clock" : "",
		      no_clock ? ": its ts are taken as CLOCK_BOOTTIME ns" : "");
	else if (strcmp(h->clock.s, "boottime") != 0)
		warnf(r, "clock is not \"boottime\": its ts are taken as CLOCK_BOOTTIME ns, and times of other traces "
			 "and of the kernel do not compare with them");
	if (p->continues_set)
		r->end_continues = p->continues;
	return 0;
}

/* The required fields of the line's event (-1, why in p->msg), then the derived facts the format makes
 * optional. Depends on this line only: parse workers run it. */
static int check_fields(struct line_parser *p)
{
	struct dt_event *ev = p->ev;
	const char *missing = NULL;
	if (ev->type_name.set && ev->type_name.len == 6 && !memcmp(ev->type_name.s, "header", 6)) {
		snprintf(p->msg, sizeof(p->msg), "a second header line: two traces joined? (check them as two: "
			 "dmabuf-trace check A.jsonl B.jsonl; a daemon's segments: check DIR)");
		return -1;
	}
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
		case DT_EV_HISTORY:
			if (!(ev->has & DT_HAS_STATE))
				missing = "state";
			else if (ev->kind == DT_HIST_FIRST_MAP && !(ev->has & DT_HAS_ATT))
				missing = "att";
			else if ((ev->kind == DT_HIST_FIRST_MAP || ev->kind == DT_HIST_PLACED || ev->kind == DT_HIST_LATE) &&
				 !ev->dev.set)
				missing = "dev";
			else if (ev->kind == DT_HIST_LAYOUT && !(ev->has & DT_HAS_NENTS))
				missing = "nents";
			break;
		default:
			break;
		}
	}
	if (missing) {
		snprintf(p->msg, sizeof(p->msg), "%s event is missing required field \"%s\"",
			 ev->type_name.set ? ev->type_name.s : "an", missing);
		return -1;
	}
	if (ev->type == DT_EV_MAP && !(ev->has & DT_HAS_ERR)) {
		if (!(ev->has & DT_HAS_SEGS_TOTAL)) {
			ev->segs_total = ev->nents;
			ev->has |= DT_HAS_SEGS_TOTAL;
		}
		if (!(ev->has & DT_HAS_MAX_SEG) && ev->nsegs && ev->nsegs >= ev->segs_total) {
			for (uint32_t i = 0; i < ev->nsegs; i++)
				if (ev->segs[i].len > ev->max_seg)
					ev->max_seg = ev->segs[i].len;
			ev->has |= DT_HAS_MAX_SEG;
		}
	}
	return 0;
}

/* The one rule across lines: seq grows. 0, or -1 with msg (without "file:line: ") written. */
static int check_seq(struct dt_reader *r, uint64_t seq, char *msg, size_t msglen)
{
	if (r->have_seq && seq <= r->last_seq) {
		snprintf(msg, msglen, "seq %llu is not greater than the previous seq %llu", (unsigned long long)seq,
			 (unsigned long long)r->last_seq);
		return -1;
	}
	r->have_seq = true;
	r->last_seq = seq;
	return 0;
}

/* What an accepted line is, once its fields are checked. */
enum line_kind { LINE_EVENT, LINE_END, LINE_UNKNOWN };

static enum line_kind line_kind(const struct dt_event *ev)
{
	if (ev->type != DT_EV_UNKNOWN)
		return LINE_EVENT;
	return strcmp(ev->type_name.s, "end") == 0 ? LINE_END : LINE_UNKNOWN;
}

/* Lines up to and including the header: 1 header accepted, -1 error (r->err). Single-threaded, before any
 * worker starts (workers parse event lines only). */
static int read_header(struct dt_reader *r)
{
	while (!r->header_seen) {
		char *line;
		size_t len;
		int kind = next_line(r, &line, &len);
		if (kind < 0)
			return -1;
		if (kind == 0) {
			r->line = r->line ? r->line : 1;
			if (r->zin && r->zin->cut)
				set_err(r, "zstd stream is cut short before its first complete block: no header line");
			else
				set_err(r, "empty trace: no header line");
			return -1;
		}
		if (blank(line, len))
			continue;
		int pr = parse_line(&r->p, line, len, kind == 2);
		if (pr < 0 && r->zin && dt_ftrace_sniff(line, len)) {
			/* sniffing saw only zstd's magic: the text inside is the kernel's */
			set_err(r, "zstd-compressed ftrace text, not a trace: decompress it first (zstdcat %s | dmabuf-trace "
				   "check -, or import)", r->name);
			return -1;
		}
		if (pr < 0) {
			set_err(r, "%s", r->p.msg);
			return -1;
		}
		if (pr == 0) {
			r->truncated = true;
			warnf(r, "last line is cut short (recorder stopped mid-write?); analysed up to the previous line");
			set_err(r, "trace ends inside its header line");
			return -1;
		}
		if (check_header(r) < 0)
			return -1;
	}
	return 1;
}

/* The end of the input after every line (single-threaded, or the pipeline's last chunk): its warnings. */
static void at_end(struct dt_reader *r, bool zstd_cut)
{
	if (zstd_cut && !r->truncated) {
		/* Every line so far was whole, but the stream stops inside a zstd frame. */
		r->truncated = true;
		warnf(r, "zstd stream is cut short (the writer was killed mid-frame?); analysed every complete line");
	}
	if (r->header_ends && !r->end_seen && !r->truncated) {
		/* Whole lines only, but the promised end line is missing: the recorder was killed. */
		r->truncated = true;
		warnf(r, "trace stops without its end line (the recorder was killed or crashed); "
			 "analysed every complete event");
	}
}

static void warn_unknown_type(struct dt_reader *r, unsigned long long line, const char *escaped_type)
{
	r->unknown_types++;
	if (r->warn) {
		char msg[DT_STR_MAX * 4 + 200];
		snprintf(msg, sizeof(msg), "%s:%llu: unknown event type \"%s\" skipped (written by a newer tool?)", r->name,
			 line, escaped_type);
		r->warn(r->warn_ctx, msg);
	}
}

/* An event line accepted, in input order (both paths): counted, and what its place says warned about once. A
 * recorder writes in ts order, an out-of-order event marked late; restated state carries past times. */
static void accept_event(struct dt_reader *r, const struct dt_event *ev)
{
	if (r->end_seen && !r->warned_after_end) {
		r->warned_after_end = true;
		warn_at(r, ev->line, "events after the trace's end line (two traces joined?): analysed as one trace");
	}
	if (!(ev->has & (DT_HAS_LATE | DT_HAS_STATE))) {
		if (ev->ts < r->order_ts && !r->warned_backwards) {
			r->warned_backwards = true;
			warn_at(r, ev->line, "ts goes back %llu ns without \"late\":true (not in the order a recorder writes): findings "
				 "that depend on order may be wrong from here on",
			      (unsigned long long)(r->order_ts - ev->ts));
		}
		if (ev->ts > r->order_ts)
			r->order_ts = ev->ts;
	}
	r->end_continues = false; /* only an end line says so */
	r->events++;
	if (!(ev->has & DT_HAS_STATE)) /* restated lines carry past times */
		r->last_ts = ev->ts;
}

/* The end line's ts: the writer ran until then (a daemon segment of restated state only says no more). */
static void end_line_ts(struct dt_reader *r, uint64_t ts)
{
	if (ts > r->last_ts)
		r->last_ts = ts;
}

static int next_event(struct dt_reader *r, const struct dt_event **out)
{
	if (!r->header_seen && read_header(r) < 0)
		return -1;
	struct line_parser *p = &r->p;
	for (;;) {
		char *line;
		size_t len;
		int kind = next_line(r, &line, &len);
		if (kind < 0)
			return -1;
		if (kind == 0) {
			at_end(r, r->zin && r->zin->cut);
			return 0;
		}
		if (blank(line, len))
			continue;
		int pr = parse_line(p, line, len, kind == 2);
		if (pr < 0) {
			set_err(r, "%s", p->msg);
			return -1;
		}
		if (pr == 0) {
			if (p->continues_set) /* as far as the cut line got */
				r->end_continues = p->continues;
			r->truncated = true;
			warnf(r, "last line is cut short (recorder stopped mid-write?); analysed up to the previous line");
			return 0;
		}
		if (check_fields(p) < 0) {
			set_err(r, "%s", p->msg);
			return -1;
		}
		char msg[200];
		if (check_seq(r, p->ev->seq, msg, sizeof(msg)) < 0) {
			set_err(r, "%s", msg);
			return -1;
		}
		p->ev->line = r->line;
		switch (line_kind(p->ev)) {
		case LINE_END:
			r->end_seen = true; /* a clean stop: nothing to analyse */
			end_line_ts(r, p->ev->ts);
			if (p->continues_set)
				r->end_continues = p->continues;
			continue;
		case LINE_UNKNOWN: {
			r->end_continues = false;
			char type[DT_STR_MAX * 4 + 4]; /* untrusted: escaped like every other string shown */
			dt_escape_text(type, sizeof(type), p->ev->type_name.s, p->ev->type_name.len);
			warn_unknown_type(r, r->line, type);
			continue;
		}
		case LINE_EVENT:
			break;
		}
		accept_event(r, p->ev);
		*out = p->ev;
		return 1;
	}
}

/* ---- parallel parsing. One parse worker at a time is the filler: it reads (and decodes zstd) and cuts the
 * input into a chunk of whole lines with next_line(), as the single-threaded reader does, so that every read
 * error, over-long line and line number stays the same, then parses that chunk itself while the other worker
 * fills the next one (the lines are still in its cache, and no thread only copies). Parse workers, each with
 * a parser of its own, turn chunks into packed results
 * (events, end lines, unknown types, the first error); the caller takes the chunks back strictly in input
 * order and does there what depends on order: the seq rule, end lines, warnings, counts, the end of the
 * input. The first error in input order wins: a worker that finds one marks its chunk, and later chunks are
 * not parsed (the caller stops before them). A fixed ring of chunks, each about chunk_bytes of input, bounds
 * memory whatever the trace's length. */
#define NCHUNKS 8

enum chunk_state { CH_FREE, CH_FILLED, CH_PARSING, CH_DONE };
enum chunk_end { CH_MORE, CH_EOF, CH_FAIL };
enum rec_kind { REC_EVENT, REC_END, REC_UNKNOWN_TYPE, REC_CUT, REC_ERROR };

struct rec {
	uint32_t kind, size; /* size: whole record, 8-byte aligned */
};

/* An end line, an unknown type (its escaped name follows) or a cut last line. */
struct rec_line {
	uint64_t seq, line, ts;
	uint8_t continues_set, continues;
};

struct line_ref {
	uint64_t line;
	uint32_t off, len;
};

struct chunk {
	enum chunk_state state; /* under the pipeline's lock; whoever the state names owns the rest */
	unsigned long long no;
	/* filled by the filler */
	char *in;
	size_t in_len, in_cap;
	struct line_ref *lines;
	size_t nlines, lines_cap;
	bool last_final;           /* the last line ends the input without a newline */
	enum chunk_end end;        /* what follows these lines */
	unsigned long long end_line; /* CH_EOF: lines read in all */
	bool zstd_cut;
	char err[512];             /* CH_FAIL: the reader's error ("file:line: what") */
	/* filled by a worker: records */
	char *out;
	size_t out_len, out_cap;
	bool oom;
	unsigned long long oom_line;
};

struct pipeline {
	pthread_mutex_t lock;
	pthread_cond_t work, done;     /* work: for the workers (a chunk filled or freed, filling over, stop) */
	struct chunk chunks[NCHUNKS];
	unsigned long long skip_after; /* an error is in this chunk: later ones are not parsed; under lock */
	bool stop;                     /* under lock */
	bool filling;                  /* a worker is the filler; under lock */
	bool input_done;               /* the input ended (or failed): nothing more to fill; under lock */
	int nworkers;
	pthread_t workers[MAX_WORKERS];
	struct line_parser *parsers;   /* one per worker */
	unsigned long long fill_no;    /* the next chunk to fill; under lock */
	/* the filler's */
	struct chunk *fill;            /* being filled, or NULL */
	/* the caller's */
	unsigned long long take;
	struct chunk *cur;
	size_t cur_pos;
	struct dt_event ev; /* what the caller gets, with storage of its own */
	unsigned ev_set;    /* bit i: ev's string i (str_at) is set */
	struct dt_seg segs[DT_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
};

static uint32_t rec_align(size_t n)
{
	return (uint32_t)((n + 7) & ~(size_t)7);
}

/* Readable bytes after the last record: unpacking copies strings in 16-byte blocks. */
#define OUT_SLACK 16

/* Room for a record with payload bytes after its head; NULL when memory ran out (c->oom). */
static char *out_rec(struct chunk *c, enum rec_kind kind, size_t payload)
{
	uint32_t size = rec_align(sizeof(struct rec) + payload);
	if (c->out_len + size + OUT_SLACK > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 64 * 1024;
		while (cap < c->out_len + size + OUT_SLACK)
			cap *= 2;
		char *o = realloc(c->out, cap);
		if (!o) {
			c->oom = true;
			return NULL;
		}
		c->out = o;
		c->out_cap = cap;
	}
	char *p = c->out + c->out_len;
	struct rec h = {kind, size};
	memcpy(p, &h, sizeof(h));
	c->out_len += size;
	return p + sizeof(h);
}

/* The parts of an event without strings or arrays, as byte ranges of struct dt_event. */
#define SCALARS1_AT 0
#define SCALARS1_LEN offsetof(struct dt_event, comm)
#define SCALARS2_AT offsetof(struct dt_event, buf)
#define SCALARS2_LEN (offsetof(struct dt_event, exporter) - offsetof(struct dt_event, buf))
#define SCALARS3_AT offsetof(struct dt_event, dynamic)
#define SCALARS3_LEN (offsetof(struct dt_event, by) - offsetof(struct dt_event, dynamic))
#define SCALARS4_AT offsetof(struct dt_event, walked)
#define SCALARS4_LEN (offsetof(struct dt_event, type_name) - offsetof(struct dt_event, walked))
#define SCALARS_LEN (SCALARS1_LEN + SCALARS2_LEN + SCALARS3_LEN + SCALARS4_LEN)
#define NSTRS 9

/* The string fields, by offset: the same order on both sides. */
static const size_t str_at[NSTRS] = {
	offsetof(struct dt_event, comm),   offsetof(struct dt_event, exporter), offsetof(struct dt_event, name),
	offsetof(struct dt_event, dev),    offsetof(struct dt_event, driver),   offsetof(struct dt_event, bus),
	offsetof(struct dt_event, by),     offsetof(struct dt_event, type_name), offsetof(struct dt_event, cause_name),
};
_Static_assert(NSTRS <= 16, "the strings set are packed in two bytes");

static const struct dt_str *ev_str(const struct dt_event *ev, int i)
{
	return (const struct dt_str *)((const char *)ev + str_at[i]);
}


static bool pack_event(struct chunk *c, const struct line_parser *lp)
{
	const struct dt_event *ev = lp->ev;
	const uint8_t *frame_len = lp->frame_len;
	size_t n = SCALARS_LEN + 2;
	unsigned set = 0; /* bit i: string i is set (only those follow, each as length and bytes) */
	for (int i = 0; i < NSTRS; i++) {
		const struct dt_str *str = ev_str(ev, i);
		if (str->set) {
			set |= 1u << i;
			n += 2 + str->len;
		}
	}
	n += (size_t)ev->nsegs * sizeof(struct dt_seg);
	for (uint32_t i = 0; i < ev->nstack; i++)
		n += 1 + frame_len[i];
	char *p = out_rec(c, REC_EVENT, n);
	if (!p)
		return false;
	const char *base = (const char *)ev;
	memcpy(p, base + SCALARS1_AT, SCALARS1_LEN);
	p += SCALARS1_LEN;
	memcpy(p, base + SCALARS2_AT, SCALARS2_LEN);
	p += SCALARS2_LEN;
	memcpy(p, base + SCALARS3_AT, SCALARS3_LEN);
	p += SCALARS3_LEN;
	memcpy(p, base + SCALARS4_AT, SCALARS4_LEN);
	p += SCALARS4_LEN;
	memcpy(p, &(uint16_t){(uint16_t)set}, 2);
	p += 2;
	for (int i = 0; i < NSTRS; i++) {
		const struct dt_str *s = ev_str(ev, i);
		if (set & (1u << i)) {
			memcpy(p, &s->len, 2);
			copy_blocks(p + 2, s->s, s->len); /* may write into the room after it: OUT_SLACK */
			p += 2 + s->len;
		}
	}
	memcpy(p, ev->segs, (size_t)ev->nsegs * sizeof(struct dt_seg));
	p += (size_t)ev->nsegs * sizeof(struct dt_seg);
	for (uint32_t i = 0; i < ev->nstack; i++) {
		*p++ = (char)frame_len[i];
		copy_blocks(p, ev->stack[i], frame_len[i]);
		p += frame_len[i];
	}
	return true;
}

static void unpack_event(struct pipeline *pl, const char *p)
{
	struct dt_event *ev = &pl->ev;
	char *base = (char *)ev;
	memcpy(base + SCALARS1_AT, p, SCALARS1_LEN);
	p += SCALARS1_LEN;
	memcpy(base + SCALARS2_AT, p, SCALARS2_LEN);
	p += SCALARS2_LEN;
	memcpy(base + SCALARS3_AT, p, SCALARS3_LEN);
	p += SCALARS3_LEN;
	memcpy(base + SCALARS4_AT, p, SCALARS4_LEN);
	p += SCALARS4_LEN;
	uint16_t set16;
	memcpy(&set16, p, 2);
	p += 2;
	unsigned set = set16;
	/* The strings the last event had and this one has not: as dt_event_clear leaves an absent string. */
	for (unsigned gone = pl->ev_set & ~set; gone; gone &= gone - 1) {
		struct dt_str *s = (struct dt_str *)ev_str(ev, __builtin_ctz(gone));
		s->set = false;
		s->len = 0;
		s->s[0] = '\0';
	}
	pl->ev_set = set;
	for (; set; set &= set - 1) { /* in str_at's order, as packed */
		struct dt_str *s = (struct dt_str *)ev_str(ev, __builtin_ctz(set));
		memcpy(&s->len, p, 2);
		copy_blocks(s->s, p + 2, s->len);
		s->s[s->len] = '\0';
		s->set = true;
		p += 2 + s->len;
	}
	ev->segs = pl->segs;
	ev->stack = pl->stack;
	memcpy(pl->segs, p, (size_t)ev->nsegs * sizeof(struct dt_seg));
	p += (size_t)ev->nsegs * sizeof(struct dt_seg);
	for (uint32_t i = 0; i < ev->nstack; i++) {
		size_t n = (unsigned char)*p++;
		copy_blocks(pl->stack[i], p, n);
		pl->stack[i][n] = '\0';
		p += n;
	}
}

static bool put_line_rec(struct chunk *c, enum rec_kind kind, const struct line_parser *p, uint64_t line,
			 const char *text)
{
	size_t n = text ? strlen(text) + 1 : 0;
	char *o = out_rec(c, kind, sizeof(struct rec_line) + n);
	if (!o)
		return false;
	struct rec_line l = {p->ev->seq, line, p->ev->ts, p->continues_set, p->continues};
	memcpy(o, &l, sizeof(l));
	if (n)
		memcpy(o + sizeof(l), text, n);
	return true;
}

static void put_error(struct dt_reader *r, struct chunk *c, uint64_t line, const char *msg)
{
	char text[sizeof(r->err)];
	snprintf(text, sizeof(text), "%s:%llu: %s", r->name, (unsigned long long)line, msg);
	char *o = out_rec(c, REC_ERROR, strlen(text) + 1);
	if (o)
		memcpy(o, text, strlen(text) + 1);
}

/* A worker's part: every line of c as next_event() takes it, up to what depends on other lines. Returns
 * false when the chunk ends in an error (or memory ran out): nothing after it is read. */
static bool parse_chunk(struct dt_reader *r, struct line_parser *p, struct chunk *c)
{
	for (size_t i = 0; i < c->nlines; i++) {
		const struct line_ref *l = &c->lines[i];
		bool final = c->last_final && i + 1 == c->nlines;
		int pr = parse_line(p, c->in + l->off, l->len, final);
		if (pr > 0 && check_fields(p) < 0)
			pr = -1;
		if (pr < 0) {
			put_error(r, c, l->line, p->msg);
			return false;
		}
		bool ok;
		if (pr == 0) {
			ok = put_line_rec(c, REC_CUT, p, l->line, NULL);
		} else {
			p->ev->line = l->line;
			switch (line_kind(p->ev)) {
			case LINE_END:
				ok = put_line_rec(c, REC_END, p, l->line, NULL);
				break;
			case LINE_UNKNOWN: {
				char type[DT_STR_MAX * 4 + 4]; /* untrusted: escaped like every other string shown */
				dt_escape_text(type, sizeof(type), p->ev->type_name.s, p->ev->type_name.len);
				ok = put_line_rec(c, REC_UNKNOWN_TYPE, p, l->line, type);
				break;
			}
			default:
				ok = pack_event(c, p);
				break;
			}
		}
		if (!ok) {
			c->oom_line = l->line;
			return false;
		}
	}
	return true;
}

/* The oldest chunk handed over for parsing, or NULL; under lock. */
static struct chunk *filled_chunk(struct pipeline *pl)
{
	struct chunk *best = NULL;
	for (int i = 0; i < NCHUNKS; i++) {
		struct chunk *c = &pl->chunks[i];
		if (c->state == CH_FILLED && (!best || c->no < best->no))
			best = c;
	}
	return best;
}

/* Parses c (claimed under lock, which is held on entry and on return). */
static void parse_claimed(struct line_parser *p, struct chunk *c)
{
	struct dt_reader *r = p->rd;
	struct pipeline *pl = r->pipe;
	c->state = CH_PARSING;
	bool skip = c->no > pl->skip_after;
	pthread_mutex_unlock(&pl->lock);
	bool ok = skip || parse_chunk(r, p, c);
	if (!ok) {
		/* yajl stops at an error: a fresh handle, should this worker parse again */
		yajl_free(p->yajl);
		p->yajl = NULL;
		parser_init(p, r);
		p->header_seen = true;
	}
	pthread_mutex_lock(&pl->lock);
	if (!ok && c->no < pl->skip_after)
		pl->skip_after = c->no;
	c->state = CH_DONE;
	pthread_cond_signal(&pl->done);
}

/* The filler's next chunk to fill (waits until the caller gave it back); NULL: stop filling. While it waits,
 * the filler (parser p) parses chunks handed over: with one worker, nobody else would. */
static struct chunk *feeder_chunk(struct dt_reader *r, struct line_parser *p)
{
	struct pipeline *pl = r->pipe;
	pthread_mutex_lock(&pl->lock);
	struct chunk *c = &pl->chunks[pl->fill_no % NCHUNKS];
	while (!pl->stop && c->state != CH_FREE) {
		struct chunk *f = filled_chunk(pl);
		if (f)
			parse_claimed(p, f);
		else
			pthread_cond_wait(&pl->work, &pl->lock);
	}
	bool stop = pl->stop || pl->fill_no > pl->skip_after; /* nobody reads past an error */
	if (!stop)
		c->no = pl->fill_no++;
	pthread_mutex_unlock(&pl->lock);
	if (stop)
		return NULL;
	c->in_len = c->nlines = 0;
	c->last_final = false;
	c->end = CH_MORE;
	c->out_len = 0;
	c->oom = false;
	pl->fill = c;
	return c;
}

/* The chunk being filled goes to whichever worker is free (the filler waits for a pipe's writer). */
static void feeder_submit(struct pipeline *pl)
{
	struct chunk *c = pl->fill;
	pl->fill = NULL;
	pthread_mutex_lock(&pl->lock);
	c->state = CH_FILLED;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->lock);
}

/* Before a read that may wait for a pipe's writer: the lines read so far go to the workers now. */
static void feeder_before_read(struct dt_reader *r)
{
	struct pipeline *pl = r->pipe;
	if (!r->may_block || !pl->fill || !pl->fill->nlines)
		return;
	struct pollfd pfd = {.fd = r->fd, .events = POLLIN};
	if (poll(&pfd, 1, 0) == 0)
		feeder_submit(pl);
}

static bool chunk_add_line(struct chunk *c, const char *line, size_t len, unsigned long long lineno, size_t nominal)
{
	if (c->in_len + len > c->in_cap) {
		size_t cap = c->in_cap ? c->in_cap : nominal;
		while (cap < c->in_len + len)
			cap *= 2;
		char *in = realloc(c->in, cap);
		if (!in)
			return false;
		c->in = in;
		c->in_cap = cap;
	}
	if (c->nlines == c->lines_cap) {
		size_t cap = c->lines_cap ? c->lines_cap * 2 : 1024;
		struct line_ref *l = realloc(c->lines, cap * sizeof(*l));
		if (!l)
			return false;
		c->lines = l;
		c->lines_cap = cap;
	}
	memcpy(c->in + c->in_len, line, len);
	c->lines[c->nlines++] = (struct line_ref){lineno, (uint32_t)c->in_len, (uint32_t)len};
	c->in_len += len;
	return true;
}

/* The filler's turn: lines into the next chunk until it holds chunk_bytes or the input ends (chunks handed
 * over before a pipe's read go to the other workers). Returns the chunk the filler parses itself, or NULL;
 * *ended: nothing more will be filled. */
static struct chunk *fill_chunk(struct dt_reader *r, struct line_parser *p, bool *ended)
{
	struct pipeline *pl = r->pipe;
	size_t nominal = r->chunk_bytes + 4096;
	*ended = true;
	if (!feeder_chunk(r, p))
		return NULL;
	for (;;) {
		char *line;
		size_t len;
		int kind = next_line(r, &line, &len);
		struct chunk *c = pl->fill; /* NULL when handed over before a read */
		if (!c && !(c = feeder_chunk(r, p)))
			return NULL;
		if (kind <= 0) {
			c->end = kind < 0 ? CH_FAIL : CH_EOF;
			c->end_line = r->line;
			c->zstd_cut = r->zin && r->zin->cut;
			if (kind < 0)
				memcpy(c->err, r->err, sizeof(c->err));
			pl->fill = NULL;
			return c;
		}
		if (blank(line, len))
			continue;
		if (c->nlines && c->in_len + len > c->in_cap) {
			feeder_submit(pl);
			if (!(c = feeder_chunk(r, p)))
				return NULL;
		}
		if (!chunk_add_line(c, line, len, r->line, nominal)) {
			c->end = CH_FAIL;
			snprintf(c->err, sizeof(c->err), "%s:%llu: out of memory", r->name, r->line);
			pl->fill = NULL;
			return c;
		}
		c->last_final = kind == 2;
		if (c->in_len >= r->chunk_bytes) {
			pl->fill = NULL;
			*ended = false;
			return c;
		}
	}
}

static void *worker_main(void *arg)
{
	struct line_parser *p = arg;
	struct dt_reader *r = p->rd;
	struct pipeline *pl = r->pipe;
	int old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old); /* acted on only inside read(2) */
	pthread_mutex_lock(&pl->lock);
	while (!pl->stop) {
		struct chunk *c = filled_chunk(pl);
		if (c) {
			parse_claimed(p, c);
			continue;
		}
		if (pl->filling || pl->input_done || pl->fill_no > pl->skip_after ||
		    pl->chunks[pl->fill_no % NCHUNKS].state != CH_FREE) {
			pthread_cond_wait(&pl->work, &pl->lock);
			continue;
		}
		pl->filling = true;
		pthread_mutex_unlock(&pl->lock);
		bool ended;
		c = fill_chunk(r, p, &ended);
		pthread_mutex_lock(&pl->lock);
		pl->filling = false;
		pl->input_done = ended;
		pthread_cond_broadcast(&pl->work); /* the next filler may start */
		if (c)
			parse_claimed(p, c);
	}
	pthread_mutex_unlock(&pl->lock);
	return NULL;
}

static void pipeline_stop(struct dt_reader *r)
{
	struct pipeline *pl = r->pipe;
	pthread_mutex_lock(&pl->lock);
	pl->stop = true;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->lock);
	for (int i = 0; i < pl->nworkers; i++) {
		pthread_cancel(pl->workers[i]); /* the filler may wait in read(2) for a FIFO's silent writer */
		pthread_join(pl->workers[i], NULL);
	}
	for (int i = 0; i < NCHUNKS; i++) {
		free(pl->chunks[i].in);
		free(pl->chunks[i].lines);
		free(pl->chunks[i].out);
	}
	for (int i = 0; i < MAX_WORKERS && pl->parsers; i++) {
		r->p.fast_lines += pl->parsers[i].fast_lines;
		if (pl->parsers[i].yajl)
			yajl_free(pl->parsers[i].yajl);
	}
	free(pl->parsers);
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->work);
	pthread_cond_destroy(&pl->done);
	free(pl);
	r->pipe = NULL;
}

/* 0: the pipeline runs; -1: it could not be started and nothing was read (the caller reads in its thread). */
static int pipeline_start(struct dt_reader *r, int nworkers)
{
	struct pipeline *pl = calloc(1, sizeof(*pl));
	if (!pl)
		return -1;
	pl->parsers = calloc(MAX_WORKERS, sizeof(*pl->parsers));
	pl->skip_after = ~0ull;
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->done, NULL);
	r->pipe = pl;
	if (!pl->parsers) {
		pipeline_stop(r);
		return -1;
	}
	/* Signals stay with the caller's thread (its handlers run there). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < nworkers; i++) {
		struct line_parser *p = &pl->parsers[i];
		if (parser_init(p, r) < 0)
			break;
		p->header_seen = true;
		p->no_fast_path = r->p.no_fast_path;
		if (pthread_create(&pl->workers[i], NULL, worker_main, p) != 0)
			break;
		pthread_setname_np(pl->workers[i], "dt-parse"); /* in top and perf */
		pl->nworkers++; /* it may read from now on: the single-threaded reader cannot go back */
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pl->nworkers == 0) {
		pipeline_stop(r);
		return -1;
	}
	return 0;
}

static int pipeline_fail(struct dt_reader *r, unsigned long long line, const char *msg)
{
	pipeline_stop(r); /* the filler may write r->err until it is joined */
	snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->name, line, msg);
	r->final_rc = -1;
	return -1;
}

/* One record, in input order: 1 an event for the caller, 2 go on, 0 end, -1 error. */
static int take_record(struct dt_reader *r, uint32_t kind, const char *p, const struct dt_event **out)
{
	struct pipeline *pl = r->pipe;
	char msg[200];
	struct rec_line l;
	switch (kind) {
	case REC_EVENT:
		unpack_event(pl, p);
		if (check_seq(r, pl->ev.seq, msg, sizeof(msg)) < 0)
			return pipeline_fail(r, pl->ev.line, msg);
		accept_event(r, &pl->ev);
		*out = &pl->ev;
		return 1;
	case REC_ERROR: {
		char text[sizeof(r->err)];
		snprintf(text, sizeof(text), "%s", p);
		pipeline_stop(r);
		memcpy(r->err, text, sizeof(text));
		r->final_rc = -1;
		return -1;
	}
	default:
		break;
	}
	memcpy(&l, p, sizeof(l));
	if (kind == REC_CUT) {
		if (l.continues_set) /* as far as the cut line got */
			r->end_continues = l.continues;
		pipeline_stop(r);
		r->truncated = true;
		r->line = l.line;
		warnf(r, "last line is cut short (recorder stopped mid-write?); analysed up to the previous line");
		r->final_rc = 0;
		return 0;
	}
	if (check_seq(r, l.seq, msg, sizeof(msg)) < 0)
		return pipeline_fail(r, l.line, msg);
	if (kind == REC_END) {
		r->end_seen = true; /* a clean stop: nothing to analyse */
		end_line_ts(r, l.ts);
		if (l.continues_set)
			r->end_continues = l.continues;
	} else {
		r->end_continues = false;
		warn_unknown_type(r, l.line, p + sizeof(l));
	}
	return 2;
}

static int pipeline_next(struct dt_reader *r, const struct dt_event **out)
{
	struct pipeline *pl = r->pipe;
	for (;;) {
		struct chunk *c = pl->cur;
		if (!c) {
			c = &pl->chunks[pl->take % NCHUNKS];
			pthread_mutex_lock(&pl->lock);
			while (c->state != CH_DONE)
				pthread_cond_wait(&pl->done, &pl->lock);
			pthread_mutex_unlock(&pl->lock);
			pl->cur = c;
			pl->cur_pos = 0;
		}
		if (pl->cur_pos < c->out_len) {
			const char *p = c->out + pl->cur_pos;
			struct rec h;
			memcpy(&h, p, sizeof(h));
			pl->cur_pos += h.size;
			int rc = take_record(r, h.kind, p + sizeof(h), out);
			if (rc != 2)
				return rc;
			continue;
		}
		if (c->oom)
			return pipeline_fail(r, c->oom_line, "out of memory");
		if (c->end == CH_EOF) {
			unsigned long long lines = c->end_line;
			bool cut = c->zstd_cut;
			pipeline_stop(r);
			r->line = lines;
			at_end(r, cut);
			r->final_rc = 0;
			return 0;
		}
		if (c->end == CH_FAIL) {
			char err[sizeof(r->err)];
			memcpy(err, c->err, sizeof(err));
			pipeline_stop(r);
			memcpy(r->err, err, sizeof(err));
			r->final_rc = -1;
			return -1;
		}
		/* given back; a buffer a long line grew is freed */
		if (c->in_cap > 2 * (r->chunk_bytes + 4096)) {
			free(c->in);
			c->in = NULL;
			c->in_cap = 0;
		}
		if (c->out_cap > 8 * (r->chunk_bytes + 4096)) {
			free(c->out);
			c->out = NULL;
			c->out_cap = 0;
		}
		pthread_mutex_lock(&pl->lock);
		c->state = CH_FREE;
		pthread_cond_broadcast(&pl->work);
		pthread_mutex_unlock(&pl->lock);
		pl->cur = NULL;
		pl->take++;
	}
}

void dt_reader_set_threaded(struct dt_reader *r, bool on)
{
	r->want_workers = on ? DEFAULT_WORKERS : 0;
}

void dt_reader_set_pipeline(struct dt_reader *r, int workers, size_t chunk_bytes)
{
	r->want_workers = workers < 0 ? 0 : workers > MAX_WORKERS ? MAX_WORKERS : workers;
	r->chunk_bytes = chunk_bytes ? chunk_bytes : CHUNK_BYTES;
}

void dt_reader_set_fast_path(struct dt_reader *r, bool on)
{
	r->p.no_fast_path = !on;
}

int dt_reader_next(struct dt_reader *r, const struct dt_event **out)
{
	if (r->pipe)
		return pipeline_next(r, out);
	if (r->final_rc != 1)
		return r->final_rc;
	if (r->want_workers > 0) {
		int workers = r->want_workers;
		r->want_workers = 0;
		if (r->may_block && workers == 1)
			workers = 2; /* one parses the lines the other read before it waits for a pipe's writer */
		/* the header first, in this thread: workers parse event lines only */
		if (!r->header_seen && read_header(r) < 0)
			return r->final_rc = -1;
		if (r->zin && !r->eof && ahead_start(r) == 0)
			return next_event(r, out); /* zstd: decoding and parsing, one thread each (see ahead_main) */
		if (pipeline_start(r, workers) == 0)
			return pipeline_next(r, out);
	}
	return next_event(r, out);
}

unsigned long long dt_reader_fast_lines(const struct dt_reader *r)
{
	unsigned long long n = r->p.fast_lines;
	if (r->pipe)
		for (int i = 0; i < r->pipe->nworkers; i++)
			n += r->pipe->parsers[i].fast_lines;
	return n;
}

const char *dt_reader_error(const struct dt_reader *r) { return r->err; }
const struct dt_header *dt_reader_header(const struct dt_reader *r) { return &r->header; }
const char *dt_reader_name(const struct dt_reader *r) { return r->name; }
/* Threaded or not, these are the caller's view: what the lines it has been given said. */
int dt_reader_truncated(const struct dt_reader *r) { return r->truncated; }
unsigned long long dt_reader_unknown_types(const struct dt_reader *r) { return r->unknown_types; }
/* Daemon segments (ingest/segdir.c) read these single-threaded (dt_segment_open): they are the caller's view. */
bool dt_reader_continues(const struct dt_reader *r) { return r->end_seen && r->end_continues; }
unsigned long long dt_reader_events(const struct dt_reader *r) { return r->events; }
unsigned long long dt_reader_last_ts(const struct dt_reader *r) { return r->last_ts; }

void dt_reader_close(struct dt_reader *r)
{
	if (!r)
		return;
	if (r->pipe)
		pipeline_stop(r);
	ahead_stop(r);
	zstd_in_free(r->zin);
	if (r->p.yajl)
		yajl_free(r->p.yajl);
	if (r->own_fd && r->fd >= 0)
		close(r->fd);
	free(r->buf_own);
	free(r->name);
	free(r->profile);
	free(r);
}

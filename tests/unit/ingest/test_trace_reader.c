/* SPDX-License-Identifier: Apache-2.0 */
/* Trace format v1 reader (src/ingest/trace_reader.c), driven through dt_reader_open_mem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cmocka.h>
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_isFrame */
#include <zstd.h>

#include "ingest/trace_reader.h"
#include "ingest/trace_writer.h"

#define HDR "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"6.12\",\"clock\":\"boottime\"}\n"
#define EXPORT1 "{\"type\":\"export\",\"ts\":10,\"seq\":1,\"buf\":7,\"size\":4096,\"exporter\":\"system\"}\n"

/* Every test runs five times: as read by default, with parse workers reading in turn (one chunk for a test's
 * few lines), with two and three workers handed a chunk per line or per few lines (so that neighbouring lines
 * are parsed in different threads and put back in order), and with every line through yajl (no fast path):
 * the results must not depend on how the reader works. */
enum mode { MODE_DEFAULT, MODE_THREADED, MODE_CHUNK_PER_LINE, MODE_SMALL_CHUNKS, MODE_YAJL };
static enum mode mode;

static void apply_mode(struct dt_reader *r)
{
	dt_reader_set_threaded(r, mode == MODE_THREADED);
	if (mode == MODE_CHUNK_PER_LINE)
		dt_reader_set_pipeline(r, 2, 1);
	if (mode == MODE_SMALL_CHUNKS)
		dt_reader_set_pipeline(r, 3, 200);
	dt_reader_set_fast_path(r, mode != MODE_YAJL);
}

struct rd {
	struct dt_reader *r;
	char warn[8][512];
	int nwarn;
	char *text;
};

static void on_warn(void *ctx, const char *msg)
{
	struct rd *t = ctx;
	if (t->nwarn < 8)
		snprintf(t->warn[t->nwarn], sizeof(t->warn[0]), "%s", msg);
	t->nwarn++;
}

static struct rd *rd_open(const char *text, size_t len)
{
	struct rd *t = calloc(1, sizeof(*t));
	char err[256] = "";
	t->text = malloc(len + 1);
	memcpy(t->text, text, len);
	t->r = dt_reader_open_mem("t.jsonl", t->text, len, on_warn, t, err, sizeof(err));
	assert_non_null(t->r);
	apply_mode(t->r);
	return t;
}
#define RD(s) rd_open((s), sizeof(s) - 1)

static void rd_close(struct rd *t)
{
	dt_reader_close(t->r);
	free(t->text);
	free(t);
}

/* Reads everything; returns the final dt_reader_next result and the event count. */
static int drain(struct rd *t, int *n)
{
	const struct dt_event *ev;
	int rc;
	*n = 0;
	while ((rc = dt_reader_next(t->r, &ev)) > 0)
		(*n)++;
	return rc;
}

/* The trace must fail with an error starting "t.jsonl:LINE: " and containing what. */
static void expect_error(const char *text, unsigned line, const char *what)
{
	struct rd *t = rd_open(text, strlen(text));
	int n;
	assert_int_equal(drain(t, &n), -1);
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "t.jsonl:%u: ", line);
	const char *err = dt_reader_error(t->r);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, what))
		fail_msg("error \"%s\" does not start with \"%s\" or lacks \"%s\"", err, prefix, what);
	rd_close(t);
}

static const struct dt_event *one_event(struct rd *t)
{
	const struct dt_event *ev = NULL;
	assert_int_equal(dt_reader_next(t->r, &ev), 1);
	return ev;
}

static void test_header_ok(void **state)
{
	struct rd *t = RD("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"6.12.57\","
			  "\"clock\":\"boottime\",\"host\":\"box\",\"tool\":\"x 1\",\"start_unix_ns\":5,\"extra\":[1,{}]}\n");
	int n;
	assert_int_equal(drain(t, &n), 0);
	assert_int_equal(n, 0);
	const struct dt_header *h = dt_reader_header(t->r);
	assert_int_equal(h->version, 1);
	assert_string_equal(h->kernel.s, "6.12.57");
	assert_string_equal(h->clock.s, "boottime");
	assert_string_equal(h->host.s, "box");
	assert_string_equal(h->tool.s, "x 1");
	rd_close(t);
}

/* Optional additions: the recorded profile, its name, redaction; absent in older traces. */
static void test_header_additions(void **state)
{
	struct rd *t = RD("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"6.12\","
			  "\"clock\":\"boottime\",\"profile\":\"driver=vivid contiguous=yes\\n# \\u00e9\\n\","
			  "\"profile_name\":\"board.profile\",\"redacted\":true,\"ends\":true}\n" EXPORT1
			  "{\"type\":\"end\",\"ts\":11,\"seq\":2,\"events\":1,\"lost\":0}\n");
	int n;
	assert_int_equal(drain(t, &n), 0);
	assert_int_equal(n, 1);
	const struct dt_header *h = dt_reader_header(t->r);
	assert_string_equal(h->profile, "driver=vivid contiguous=yes\n# \xc3\xa9\n");
	assert_string_equal(h->profile_name.s, "board.profile");
	assert_true(h->redacted);
	assert_true(h->ends);
	assert_int_equal(t->nwarn, 0);
	rd_close(t);
	t = RD(HDR EXPORT1);
	assert_int_equal(drain(t, &n), 0);
	h = dt_reader_header(t->r);
	assert_null(h->profile);
	assert_false(h->profile_name.set);
	assert_false(h->redacted);
	assert_int_equal(t->nwarn, 0);
	rd_close(t);
	/* on an event line the header's words are unknown fields: ignored, never the header */
	t = RD(HDR "{\"type\":\"export\",\"ts\":10,\"seq\":1,\"buf\":7,\"size\":4096,\"exporter\":\"system\","
		   "\"profile\":\"device=* max-segments=1\",\"redacted\":true}\n");
	assert_int_equal(drain(t, &n), 0);
	assert_null(dt_reader_header(t->r)->profile);
	assert_false(dt_reader_header(t->r)->redacted);
	rd_close(t);
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"profile\":\"a\\u0000b\"}\n", 1,
		     "must not hold a NUL");
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"profile\":5}\n", 1,
		     "\"profile\" must not be a number");
}

static void test_header_errors(void **state)
{
	expect_error("", 1, "empty trace");
	expect_error("\n\n", 2, "empty trace");
	expect_error(EXPORT1, 1, "first line must be the header");
	expect_error("{\"type\":\"header\",\"format\":\"other\",\"version\":1}\n", 1, "not a dmabuf-trace file");
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":2}\n", 1,
		     "unsupported trace format version 2");
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\"}\n", 1, "unsupported trace format version 0");
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":\"1\"}\n", 1,
		     "\"version\" must not be a string");
	expect_error("{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"vers", 1, "ends inside its header");
	expect_error("garbage\n", 1, "invalid JSON");
	expect_error("[1,2]\n", 1, "expected a JSON object");
}

static void test_export_fields(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"export\",\"ts\":10,\"seq\":1,\"pid\":-1,\"tid\":9,\"cpu\":3,\"comm\":\"cam\","
			      "\"buf\":18446744073709551615,\"size\":4096,\"exporter\":\"system\",\"name\":\"frame\"}\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->type, DT_EV_EXPORT);
	assert_int_equal(ev->ts, 10);
	assert_int_equal(ev->seq, 1);
	assert_int_equal(ev->line, 2);
	assert_int_equal(ev->pid, -1);
	assert_int_equal(ev->tid, 9);
	assert_int_equal(ev->cpu, 3);
	assert_true(ev->has & DT_HAS_PID);
	assert_string_equal(ev->comm.s, "cam");
	assert_true(ev->buf == UINT64_MAX);
	assert_int_equal(ev->size, 4096);
	assert_string_equal(ev->exporter.s, "system");
	assert_string_equal(ev->name.s, "frame");
	rd_close(t);
}

static void test_attach_fields(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"dev\":\"vivid.0\",\"driver\":null,"
			      "\"bus\":\"platform\",\"dynamic\":true,\"max_seg_size\":65536,\"seg_boundary_mask\":4294967295,"
			      "\"dma_parms\":false}\n"
			      "{\"type\":\"attach\",\"ts\":2,\"seq\":2,\"buf\":7,\"dev\":\"x\",\"err\":-12}\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->type, DT_EV_ATTACH);
	assert_int_equal(ev->att, 3);
	assert_string_equal(ev->dev.s, "vivid.0");
	assert_false(ev->driver.set); /* null: no driver bound */
	assert_string_equal(ev->bus.s, "platform");
	assert_true(ev->dynamic);
	assert_int_equal(ev->max_seg_size, 65536);
	assert_int_equal(ev->seg_boundary_mask, 0xffffffffu);
	assert_true(ev->has & DT_HAS_DMA_PARMS);
	assert_false(ev->dma_parms);
	ev = one_event(t);
	assert_true(ev->has & DT_HAS_ERR);
	assert_int_equal(ev->err, -12);
	assert_false(ev->has & DT_HAS_ATT);
	rd_close(t);
}

static void test_map_fields(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"dir\":\"to_device\",\"nents\":2,"
			      "\"orig_nents\":5,\"segs\":[[4096,8192],[65536,4096]],\"segs_total\":2,\"cached\":true,"
			      "\"len\":12288,\"contiguous\":false,\"boundary_crossings\":1}\n"
			      "{\"type\":\"map\",\"ts\":2,\"seq\":2,\"buf\":7,\"att\":3,\"dir\":\"from_device\",\"nents\":3,"
			      "\"segs\":[[0,1]]}\n"
			      "{\"type\":\"map\",\"ts\":3,\"seq\":3,\"buf\":7,\"att\":3,\"err\":-22}\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->dir, DT_DIR_TO_DEVICE);
	assert_int_equal(ev->nents, 2);
	assert_int_equal(ev->orig_nents, 5);
	assert_int_equal(ev->nsegs, 2);
	assert_int_equal(ev->segs[0].addr, 4096);
	assert_int_equal(ev->segs[0].len, 8192);
	assert_int_equal(ev->segs[1].addr, 65536);
	assert_int_equal(ev->segs[1].len, 4096);
	assert_true(ev->cached);
	assert_int_equal(ev->total_len, 12288);
	assert_true(ev->has & DT_HAS_CONTIGUOUS);
	assert_false(ev->contiguous);
	assert_int_equal(ev->boundary_crossings, 1);
	/* max_seg derived from complete segs */
	assert_true(ev->has & DT_HAS_MAX_SEG);
	assert_int_equal(ev->max_seg, 8192);
	ev = one_event(t);
	assert_int_equal(ev->dir, DT_DIR_FROM_DEVICE);
	/* segs_total defaults to nents; truncated segs: max_seg unknown */
	assert_int_equal(ev->segs_total, 3);
	assert_int_equal(ev->nsegs, 1);
	assert_false(ev->has & DT_HAS_MAX_SEG);
	assert_false(ev->cached);
	ev = one_event(t);
	assert_int_equal(ev->err, -22);
	rd_close(t);
}

static void test_other_types(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"unmap\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3}\n"
			      "{\"type\":\"detach\",\"ts\":1,\"seq\":2,\"buf\":7,\"att\":3}\n"
			      "{\"type\":\"release\",\"ts\":1,\"seq\":3,\"buf\":7}\n"
			      "{\"type\":\"vmap\",\"ts\":1,\"seq\":4,\"buf\":7}\n"
			      "{\"type\":\"vunmap\",\"ts\":1,\"seq\":5,\"buf\":7}\n"
			      "{\"type\":\"lost\",\"ts\":1,\"seq\":6,\"count\":12}\n");
	static const enum dt_event_type want[] = {DT_EV_UNMAP, DT_EV_DETACH, DT_EV_RELEASE, DT_EV_VMAP, DT_EV_VUNMAP,
						  DT_EV_LOST};
	for (size_t i = 0; i < 6; i++) {
		const struct dt_event *ev = one_event(t);
		assert_int_equal(ev->type, want[i]);
		if (ev->type == DT_EV_LOST)
			assert_int_equal(ev->count, 12);
	}
	const struct dt_event *ev;
	assert_int_equal(dt_reader_next(t->r, &ev), 0);
	rd_close(t);
}

/* Additions within v1 (docs/trace-format.md): lost cause/count_known, late, walk_capped. Old traces
 * without them read as before (cause ring, in order, whole walk). */
static void test_additions(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":3,\"cause\":\"no-entry\",\"cpu\":2}\n"
			      "{\"type\":\"lost\",\"ts\":2,\"seq\":2,\"count\":1,\"cause\":\"recursion\",\"count_known\":false}\n"
			      "{\"type\":\"lost\",\"ts\":3,\"seq\":3,\"count\":1,\"cause\":\"from-the-future\"}\n"
			      "{\"type\":\"lost\",\"ts\":4,\"seq\":4,\"count\":5}\n"
			      "{\"type\":\"unmap\",\"ts\":0,\"seq\":5,\"buf\":7,\"att\":3,\"late\":true}\n"
			      "{\"type\":\"map\",\"ts\":6,\"seq\":6,\"buf\":7,\"att\":3,\"nents\":300000,\"segs\":[[4096,4096]],"
			      "\"segs_total\":300000,\"walk_capped\":65536}\n"
			      "{\"type\":\"map\",\"ts\":7,\"seq\":7,\"buf\":7,\"att\":3,\"nents\":1,\"cached_known\":false}\n"
			      "{\"type\":\"map\",\"ts\":8,\"seq\":8,\"buf\":7,\"att\":3,\"nents\":1,\"cached_known\":true}\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->cause, DT_LOST_NO_ENTRY);
	assert_int_equal(ev->count, 3);
	assert_false(ev->has & DT_HAS_COUNT_UNKNOWN);
	ev = one_event(t);
	assert_int_equal(ev->cause, DT_LOST_RECURSION);
	assert_true(ev->has & DT_HAS_COUNT_UNKNOWN);
	ev = one_event(t);
	/* a newer writer's cause is still a loss, of its own cause: the word is kept */
	assert_int_equal(ev->cause, DT_LOST_OTHER);
	assert_true(ev->cause_name.set);
	assert_string_equal(ev->cause_name.s, "from-the-future");
	ev = one_event(t);
	assert_int_equal(ev->cause, DT_LOST_RING);
	assert_false(ev->cause_name.set); /* cleared from the line before */
	ev = one_event(t);
	assert_true(ev->has & DT_HAS_LATE);
	ev = one_event(t);
	assert_false(ev->has & DT_HAS_LATE);
	assert_true(ev->has & DT_HAS_WALK_CAPPED);
	assert_int_equal(ev->walked, 65536);
	assert_false(ev->has & (DT_HAS_MAX_SEG | DT_HAS_CONTIGUOUS | DT_HAS_TOTAL_LEN));
	assert_false(ev->has & DT_HAS_CACHED_UNKNOWN); /* older traces: cached is exact */
	ev = one_event(t); /* 6.15+: no attach->sgt, cached or not cannot be told */
	assert_true(ev->has & DT_HAS_CACHED_UNKNOWN);
	assert_false(ev->cached);
	ev = one_event(t);
	assert_false(ev->has & DT_HAS_CACHED_UNKNOWN);
	assert_int_equal(dt_reader_next(t->r, &ev), 0);
	rd_close(t);
	expect_error(HDR "{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":1,\"late\":1}\n", 2, "late");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"cached_known\":0}\n", 2,
		     "cached_known");
}

static void test_segs_errors(void **state)
{
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[1,2,3]]}\n", 2,
		     "\"segs\" must be an array of [dma_addr, len] pairs");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[1]]}\n", 2,
		     "pairs");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[1,2]}\n", 2,
		     "pairs");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[[1],2]]}\n", 2,
		     "pairs");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[\"1\",2]]}\n", 2,
		     "\"segs\" must hold integers");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[1,-2]]}\n", 2,
		     "must not be negative");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[[1,true]]}\n", 2,
		     "unexpected boolean inside \"segs\"");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":[{}]}\n", 2,
		     "unexpected object inside \"segs\"");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,\"nents\":1,\"segs\":5}\n", 2,
		     "\"segs\" must not be a number");
}

static void test_segs_over_max(void **state)
{
	size_t n = DT_SEGS_MAX + 10, cap = n * 40 + 4096, len = 0;
	char *s = malloc(cap);
	len += (size_t)snprintf(s + len, cap - len, HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":3,"
						    "\"nents\":%zu,\"segs\":[", n);
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s[%zu,4096]", i ? "," : "", i * 8192);
	len += (size_t)snprintf(s + len, cap - len, "]}\n");
	struct rd *t = rd_open(s, len);
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->nsegs, DT_SEGS_MAX);
	assert_int_equal(ev->segs_total, n);
	assert_int_equal(ev->segs[DT_SEGS_MAX - 1].addr, (uint64_t)(DT_SEGS_MAX - 1) * 8192);
	/* only DT_SEGS_MAX of n stored: the longest segment is not claimed */
	assert_false(ev->has & DT_HAS_MAX_SEG);
	rd_close(t);
	free(s);
}

static void test_stack(void **state)
{
	char frame[300];
	memset(frame, 'f', sizeof(frame) - 1);
	frame[sizeof(frame) - 1] = '\0';
	char *s = malloc(8192);
	int len = snprintf(s, 8192, HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"stack\":[\"dma_buf_map+0x1\","
					"\"vb2_dc_map [videobuf2]\",\"%s\",[\"nested\"]]}\n", frame);
	struct rd *t = rd_open(s, (size_t)len);
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->nstack, 3);
	assert_string_equal(ev->stack[0], "dma_buf_map+0x1");
	assert_string_equal(ev->stack[1], "vb2_dc_map [videobuf2]");
	assert_int_equal(strlen(ev->stack[2]), DT_FRAME_MAX - 1);
	rd_close(t);
	free(s);
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"stack\":[true]}\n", 2,
		     "unexpected boolean inside \"stack\"");
}

static void test_field_types(void **state)
{
	expect_error(HDR "{\"type\":5,\"ts\":1,\"seq\":1,\"buf\":7}\n", 2, "\"type\" must not be a number");
	expect_error(HDR "{\"type\":\"release\",\"ts\":\"1\",\"seq\":1,\"buf\":7}\n", 2, "\"ts\" must not be a string");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1.5,\"seq\":1,\"buf\":7}\n", 2, "\"ts\" must be an integer");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1e3,\"seq\":1,\"buf\":7}\n", 2, "must be an integer");
	expect_error(HDR "{\"type\":\"release\",\"ts\":-1,\"seq\":1,\"buf\":7}\n", 2, "\"ts\" must not be negative");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":18446744073709551616}\n", 2,
		     "\"buf\" overflows 64 bits");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"pid\":9223372036854775808}\n", 2,
		     "\"pid\" is out of range");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":true}\n", 2, "\"buf\" must not be a boolean");
	expect_error(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"dev\":\"d\",\"dynamic\":\"yes\"}\n", 2,
		     "\"dynamic\" must not be a string");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"nents\":1,\"dir\":\"sideways\"}\n", 2,
		     "\"dir\" must be bidirectional");
	/* an array or object where a scalar belongs is a field of the wrong type, not an absent field:
	 * "err":[-5] must not turn a refused attach into a successful one */
	expect_error(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"dev\":\"d\",\"err\":[-5]}\n", 2,
		     "\"err\" must not be an array");
	expect_error(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"dev\":\"d\","
			 "\"max_seg_size\":{\"v\":1}}\n", 2, "\"max_seg_size\" must not be an object");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":[7]}\n", 2, "\"buf\" must not be an array");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"nents\":1,\"segs\":{}}\n", 2,
		     "\"segs\" must not be an object");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1,\"nents\":2,\"segs\":[[1,2],null]}\n", 2,
		     "pairs");
	/* unknown fields may hold anything */
	struct rd *u = RD(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"x\":[{\"err\":[1]}],\"y\":{\"a\":null}}\n");
	assert_int_equal(one_event(u)->buf, 7);
	rd_close(u);
	/* int64 edge: the most negative pid is accepted */
	struct rd *t = RD(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"pid\":-9223372036854775808}\n");
	assert_true(one_event(t)->pid == INT64_MIN);
	rd_close(t);
}

static void test_required_fields(void **state)
{
	expect_error(HDR "{\"ts\":1,\"seq\":1,\"buf\":7}\n", 2, "missing required field \"type\"");
	expect_error(HDR "{\"type\":\"release\",\"seq\":1,\"buf\":7}\n", 2, "release event is missing required field \"ts\"");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"buf\":7}\n", 2, "missing required field \"seq\"");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1}\n", 2, "missing required field \"buf\"");
	expect_error(HDR "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":7,\"exporter\":\"s\"}\n", 2, "\"size\"");
	expect_error(HDR "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":7,\"size\":1}\n", 2, "\"exporter\"");
	expect_error(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1}\n", 2, "\"dev\"");
	expect_error(HDR "{\"type\":\"attach\",\"ts\":1,\"seq\":1,\"buf\":7,\"dev\":\"d\"}\n", 2, "\"att\"");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"nents\":1}\n", 2, "\"att\"");
	expect_error(HDR "{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":7,\"att\":1}\n", 2, "\"nents\"");
	expect_error(HDR "{\"type\":\"unmap\",\"ts\":1,\"seq\":1,\"buf\":7}\n", 2, "\"att\"");
	expect_error(HDR "{\"type\":\"detach\",\"ts\":1,\"seq\":1,\"buf\":7}\n", 2, "\"att\"");
	expect_error(HDR "{\"type\":\"lost\",\"ts\":1,\"seq\":1}\n", 2, "\"count\"");
}

static void test_unknown_fields_and_types(void **state)
{
	struct rd *t = RD(HDR "{\"type\":\"export\",\"ts\":10,\"seq\":1,\"buf\":7,\"size\":4096,\"exporter\":\"system\","
			      "\"future\":{\"ts\":99,\"buf\":1,\"segs\":[1]},\"more\":[\"x\",{\"y\":true}],\"f\":1.5,\"n\":null,"
			      "\"kernel\":\"not the header\",\"version\":-3,\"format\":7}\n"
			      "{\"type\":\"teleport\",\"ts\":11,\"seq\":2,\"whatever\":1}\n"
			      "{\"type\":\"release\",\"ts\":12,\"seq\":3,\"buf\":7}\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->type, DT_EV_EXPORT);
	assert_int_equal(ev->ts, 10);
	assert_int_equal(ev->buf, 7);
	assert_false(ev->has & DT_HAS_SEGS);
	/* event-line keys never overwrite the header */
	assert_string_equal(dt_reader_header(t->r)->kernel.s, "6.12");
	ev = one_event(t);
	assert_int_equal(ev->type, DT_EV_RELEASE);
	assert_int_equal(ev->seq, 3);
	assert_int_equal(dt_reader_unknown_types(t->r), 1);
	assert_int_equal(t->nwarn, 1);
	assert_non_null(strstr(t->warn[0], "t.jsonl:3: "));
	assert_non_null(strstr(t->warn[0], "unknown event type \"teleport\""));
	rd_close(t);
}

static void test_seq_rules(void **state)
{
	expect_error(HDR EXPORT1 "{\"type\":\"release\",\"ts\":11,\"seq\":1,\"buf\":7}\n", 3,
		     "seq 1 is not greater than the previous seq 1");
	expect_error(HDR "{\"type\":\"release\",\"ts\":11,\"seq\":5,\"buf\":7}\n{\"type\":\"release\",\"ts\":11,\"seq\":4,\"buf\":7}\n",
		     3, "seq 4 is not greater than the previous seq 5");
	/* an unknown type still takes part in the seq order */
	expect_error(HDR "{\"type\":\"new\",\"ts\":11,\"seq\":5}\n{\"type\":\"release\",\"ts\":11,\"seq\":5,\"buf\":7}\n", 3,
		     "not greater");
	/* gaps are fine; seq 0 first is fine */
	struct rd *t = RD(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":0,\"buf\":7}\n{\"type\":\"release\",\"ts\":1,\"seq\":1000,\"buf\":7}\n");
	int n;
	assert_int_equal(drain(t, &n), 0);
	assert_int_equal(n, 2);
	rd_close(t);
}

static void test_truncated_last_line(void **state)
{
	static const char *const cuts[] = {
		"{\"type\":\"release\",\"ts\":1",          /* after a number */
		"{\"type\":\"rel",                         /* inside a string */
		"{\"type\":\"release\",\"ts\":1,\"x\":tr",  /* inside a literal */
		"{\"type\":\"release\",\"name\":\"a\\",      /* after a backslash */
		"{",
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char text[512];
		int len = snprintf(text, sizeof(text), HDR EXPORT1 "%s", cuts[i]);
		struct rd *t = rd_open(text, (size_t)len);
		int n;
		int rc = drain(t, &n);
		if (rc != 0)
			fail_msg("cut %zu: rc %d, error %s", i, rc, dt_reader_error(t->r));
		assert_int_equal(n, 1);
		assert_true(dt_reader_truncated(t->r));
		assert_int_equal(t->nwarn, 1);
		assert_non_null(strstr(t->warn[0], "t.jsonl:3: last line is cut short"));
		rd_close(t);
	}
	/* a complete last line without '\n' is not truncated */
	struct rd *t = RD(HDR EXPORT1 "{\"type\":\"release\",\"ts\":11,\"seq\":2,\"buf\":7}");
	int n;
	assert_int_equal(drain(t, &n), 0);
	assert_int_equal(n, 2);
	assert_false(dt_reader_truncated(t->r));
	rd_close(t);
	/* an incomplete line that is not the last one is an error */
	expect_error(HDR "{\"type\":\"release\",\"ts\":1\n" EXPORT1, 2, "incomplete JSON object");
	/* garbage on the last line is still an error */
	expect_error(HDR "{\"type\":]", 2, "invalid JSON");
	expect_error(HDR "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7} 5", 2, "expected a JSON object");
}

static void test_blank_lines_and_objects(void **state)
{
	struct rd *t = RD("\n \t\r\n" HDR "\n\n" EXPORT1 "   \n\r\n{\"type\":\"release\",\"ts\":11,\"seq\":2,\"buf\":7}\r\n\n");
	const struct dt_event *ev = one_event(t);
	assert_int_equal(ev->line, 6);
	ev = one_event(t);
	assert_int_equal(ev->line, 9);
	assert_int_equal(dt_reader_next(t->r, &ev), 0);
	rd_close(t);
	expect_error(HDR EXPORT1 "{\"type\":\"release\",\"ts\":11,\"seq\":2,\"buf\":7}{\"a\":1}\n", 3,
		     "more than one JSON object on one line");
	expect_error(HDR "\"str\"\n", 2, "expected a JSON object");
	expect_error(HDR "42\n", 2, "expected a JSON object");
	expect_error(HDR "null\n", 2, "expected a JSON object");
}

static void test_long_lines(void **state)
{
	/* exactly DT_LINE_MAX bytes: accepted; one more: refused, naming the line */
	for (int extra = 0; extra <= 1; extra++) {
		const char *head = "{\"type\":\"release\",\"ts\":1,\"seq\":1,\"buf\":7,\"pad\":\"";
		size_t body = DT_LINE_MAX + (size_t)extra;
		size_t len = strlen(HDR) + body + 1;
		char *s = malloc(len + 1);
		strcpy(s, HDR);
		char *p = s + strlen(HDR);
		memcpy(p, head, strlen(head));
		memset(p + strlen(head), 'x', body - strlen(head) - 2);
		memcpy(p + body - 2, "\"}\n", 3);
		struct rd *t = rd_open(s, len);
		int n;
		int rc = drain(t, &n);
		if (extra == 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(n, 1);
		} else {
			assert_int_equal(rc, -1);
			assert_non_null(strstr(dt_reader_error(t->r), "t.jsonl:2: line is longer than"));
		}
		rd_close(t);
		free(s);
	}
}

static void test_strings(void **state)
{
	/* raw control and non-UTF-8 bytes are accepted (escaped on output); long strings are cut with "..." */
	char name[600];
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	char text[2048];
	int len = snprintf(text, sizeof(text),
			   HDR "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":7,\"size\":1,\"exporter\":\"\xff\xfe\\u001b[31m\","
			       "\"name\":\"%s\",\"comm\":\"a\\u0000b\\n\"}\n", name);
	struct rd *t = rd_open(text, (size_t)len);
	const struct dt_event *ev = one_event(t);
	assert_memory_equal(ev->exporter.s, "\xff\xfe\x1b[31m", 7);
	assert_int_equal(ev->name.len, DT_STR_MAX - 1);
	assert_string_equal(ev->name.s + DT_STR_MAX - 4, "...");
	assert_int_equal(ev->comm.len, 4);
	assert_memory_equal(ev->comm.s, "a\0b\n", 4);
	rd_close(t);
	/* a raw (unescaped) control byte is not JSON: an error naming the line */
	expect_error(HDR "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":7,\"size\":1,\"exporter\":\"\x1b\"}\n", 2,
		     "invalid JSON");
}

static void test_file_open(void **state)
{
	char err[256];
	assert_null(dt_reader_open("/nonexistent/x.jsonl", NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/x.jsonl: cannot open"));
	assert_null(dt_reader_open("/", NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "is a directory"));
	char path[] = "/tmp/dt-reader-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	/* bigger than the read buffer, so refills and line splits across reads are exercised */
	FILE *f = fdopen(fd, "w");
	fputs(HDR, f);
	for (int i = 1; i <= 30000; i++)
		fprintf(f, "{\"type\":\"vmap\",\"ts\":%d,\"seq\":%d,\"buf\":7,\"comm\":\"padding-padding-padding\"}\n", i, i);
	fclose(f);
	struct dt_reader *r = dt_reader_open(path, NULL, NULL, err, sizeof(err));
	assert_non_null(r);
	apply_mode(r);
	const struct dt_event *ev;
	uint64_t n = 0;
	while (dt_reader_next(r, &ev) > 0) {
		n++;
		assert_int_equal(ev->seq, n);
	}
	assert_int_equal(n, 30000);
	assert_string_equal(dt_reader_error(r), "");
	dt_reader_close(r);
	unlink(path);
}

/* ---- the schema fast path against yajl, line by line ---- */

struct outcome {
	int rc, n;
	char err[512], warn[512];
	struct dt_event ev;
	struct dt_seg segs[DT_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
};

static void outcome_warn(void *ctx, const char *msg)
{
	struct outcome *o = ctx;
	if (!o->warn[0])
		snprintf(o->warn, sizeof(o->warn), "%s", msg);
}

/* Reads HDR + primer (if any) + line + "\n" + a release; keeps the line's event (the first after the primer).
 * A primer teaches the fast path its guesses of the keys (a line of the same keys in the same order), which
 * the line then hits or misses where it differs. */
static void read_one(const char *primer, const char *line, size_t len, bool fast, struct outcome *o)
{
	static char text[16384];
	memset(o, 0, sizeof(*o));
	int n = snprintf(text, sizeof(text), HDR "%s%s%.*s\n{\"type\":\"release\",\"ts\":1,\"seq\":999999,\"buf\":1}\n",
			 primer ? primer : "", primer ? "\n" : "", (int)len, line);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	char err[256];
	struct dt_reader *r = dt_reader_open_mem("t.jsonl", text, (size_t)n, outcome_warn, o, err, sizeof(err));
	assert_non_null(r);
	dt_reader_set_fast_path(r, fast);
	const struct dt_event *ev;
	int keep = primer ? 1 : 0;
	while ((o->rc = dt_reader_next(r, &ev)) > 0) {
		if (o->n++ == keep) {
			o->ev = *ev;
			o->ev.segs = o->segs;
			o->ev.stack = o->stack;
			memcpy(o->segs, ev->segs, ev->nsegs * sizeof(*ev->segs));
			memcpy(o->stack, ev->stack, ev->nstack * sizeof(*ev->stack));
		}
	}
	snprintf(o->err, sizeof(o->err), "%s", dt_reader_error(r));
	dt_reader_close(r);
}

static void expect_same_after(const char *primer, const char *line, size_t len)
{
	static struct outcome a, b;
	read_one(primer, line, len, true, &a);
	read_one(primer, line, len, false, &b);
	int keep = primer ? 1 : 0;
	if (a.rc != b.rc || a.n != b.n || strcmp(a.err, b.err) != 0 || strcmp(a.warn, b.warn) != 0 ||
	    (a.n > keep && !dt_event_equal(&a.ev, &b.ev)))
		fail_msg("fast path and yajl differ on %.*s%s%s:\n fast rc %d n %d err '%s' warn '%s'\n yajl rc %d n %d "
			 "err '%s' warn '%s'", (int)len, line, primer ? "\n after the primer " : "", primer ? primer : "",
			 a.rc, a.n, a.err, a.warn, b.rc, b.n, b.err, b.warn);
}

/* A primer from a line: the same text with its "seq" value 0 (below the line's, so that both are read). */
static void make_primer(const char *line, size_t len, char *out, size_t cap)
{
	assert_true(len < cap);
	memcpy(out, line, len);
	out[len] = '\0';
	char *k = strstr(out, "\"seq\"");
	if (!k)
		return;
	char *p = k + 5;
	p += strspn(p, " \t");
	if (*p != ':')
		return;
	p++;
	p += strspn(p, " \t");
	size_t digits = strspn(p, "0123456789");
	if (!digits)
		return;
	*p = '0';
	memmove(p + 1, p + digits, strlen(p + digits) + 1);
}

/* The line alone, and after a primer made of it (guesses learnt from the same keys, then hit). */
static void expect_same(const char *line, size_t len)
{
	static char primer[8192];
	expect_same_after(NULL, line, len);
	make_primer(line, len, primer, sizeof(primer));
	expect_same_after(primer, line, len);
}

static const char *const agree_lines[] = {
	"{\"type\":\"map\",\"ts\":3,\"seq\":3,\"buf\":4,\"att\":1,\"dir\":\"from_device\",\"nents\":2,\"orig_nents\":4,"
	"\"segs\":[[4294967296,4096],[8192,4096]],\"segs_total\":2,\"max_seg\":4096,\"stack\":[\"a+0x1 [m]\",\"b\"]}",
	" { \"seq\" : 3 , \"type\" : \"map\" ,\t\"buf\":4, \"att\" :1, \"nents\": 1, \"segs\" : [ [ 1 , 2 ] ] , "
	"\"ts\":3 }\r",
	"{\"type\":\"attach\",\"ts\":2,\"seq\":2,\"buf\":4,\"att\":1,\"dev\":\"d\",\"driver\":null,\"bus\":null,"
	"\"dynamic\":true,\"max_seg_size\":65536,\"seg_boundary_mask\":18446744073709551615,\"dma_parms\":false,"
	"\"seeded\":true,\"extra\":[1,-2.5e-3,\"x\",true,null,[0]],\"more\":{\"a\":1},\"f\":1.0E+2}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\",\"name\":\"\\u00e9\\n\"}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"\xc3\xa9\xff\x7f\"}",
	"{\"type\":\"export\",\"ts\":1,\"ts\":2,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":18446744073709551616,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":99999999999999999999,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":18446744073709551615,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":01,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":1.0,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":1e3,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":-1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\",\"pid\":-0,\"err\":-9223372036854775808}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\",\"pid\":9223372036854775808}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\"}{}",
	"{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":4,\"size\":1,\"exporter\":\"e\",}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"segs\":[[1,2,3]]}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"segs\":[[1]],\"dir\":\"sideways\"}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"segs\":[],\"stack\":[1,\"a\",null]}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"segs\":null,\"stack\":[]}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"version\":7,\"format\":\"x\",\"kernel\":[1],\"ends\":true}",
	"{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":0,\"cause\":\"gap\",\"count_known\":false,\"late\":true}",
	"{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":3,\"cause\":\"martian\",\"count_known\":true,\"late\":false}",
	"{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":3,\"cause\":7,\"late\":1}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"walk_capped\":4096,\"late\":true}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"walk_capped\":-1}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"cached_known\":false,\"cached\":true}",
	"{\"type\":\"map\",\"ts\":1,\"seq\":1,\"buf\":4,\"att\":1,\"nents\":1,\"cached_known\":\"no\"}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"profile\":{\"a\":1},\"redacted\":3,\"profile_name\":1}",
	"{\"type\":\"future\",\"ts\":1,\"seq\":1}",
	"{\"type\":\"end\",\"ts\":1,\"seq\":1,\"events\":3,\"lost\":0}",
	"{\"type\":\"lost\",\"ts\":1,\"seq\":1,\"count\":true}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"x\":truex}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"x\":[[[1]]]}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"\":1,\"x\\\"y\":2}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1}",
	"{}",
	"[]",
	"\"x\"",
	/* objects in unknown fields (the fast path skips them, yajl ignores them) and what only yajl takes */
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{},\"m2\":{ \"a\" : [1,{\"b\":null}] , \"c\":\"d\" }}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"a\":{\"b\":{\"c\":1}}}}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"k\\n\":1,\"ts\":\"x\",\"ts\":2}}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"a\":1,}}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"a\" 1}}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{1:2}}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"a\":1]}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"meta\":{\"a\":1}",
	"{\"type\":\"vmap\",\"ts\":{\"a\":1},\"seq\":1,\"buf\":4}",
	"{\"type\":\"vmap\",\"ts\":1,\"seq\":1,\"buf\":4,\"segs\":[{\"a\":1}]}",
};

/* Lines of other writers' shapes (key order, spacing, unknown fields of every kind) that the mutation
 * test below varies byte by byte, as it does the golden traces' lines. */
static const char *const foreign_lines[] = {
	"{\"seq\": 7, \"type\": \"export\", \"buf\": 1006, \"ts\": 172433, \"ts_s\": 0.000172433, \"source\": \"c\", "
	"\"exporter\": \"vivid\", \"size\": 6291456, \"task\": [100, 100], \"pid\": 100, \"comm\": \"cam\", "
	"\"meta\": {\"collector\": \"v2\", \"node\": 3, \"l\": [1, {}]}}",
};

/* line, and line with each byte in turn replaced by each of a few JSON-significant bytes: both paths agree,
 * read alone and after a primer made of the unchanged line (its guesses then missed where a byte changed). */
static void expect_same_mutated(char *line, size_t len)
{
	static const char subst[] = "\" \\0-.e{}[],:nt1\x01\xff";
	static char primer[8192];
	make_primer(line, len, primer, sizeof(primer));
	expect_same(line, len);
	for (size_t at = 0; at < len; at++) {
		char keep = line[at];
		for (const char *c = subst; *c; c++) {
			line[at] = *c;
			expect_same_after(NULL, line, len);
			expect_same_after(primer, line, len);
		}
		line[at] = keep;
	}
}

/* Lines of the shapes the fast path is for (record's own, and foreign_lines' style) are all its own: none is
 * handed to yajl, with guesses learnt or not (each shape after the others, and each line twice). */
static void test_fast_path_takes_common_shapes(void **state)
{
	static const char *const common[] = {
		/* record's */
		"{\"type\":\"export\",\"ts\":72619,\"seq\":%d,\"pid\":104,\"tid\":104,\"comm\":\"camera-app\",\"cpu\":0,"
		"\"buf\":1001,\"size\":9437184,\"exporter\":\"system\"}",
		"{\"type\":\"attach\",\"ts\":33122,\"seq\":%d,\"pid\":185,\"tid\":185,\"comm\":\"dmabuf-exercise\",\"cpu\":0,"
		"\"buf\":7,\"att\":1,\"dev\":\"vivid.0\",\"driver\":\"vivid\",\"bus\":\"platform\",\"dynamic\":false,"
		"\"max_seg_size\":65536,\"seg_boundary_mask\":18446744073709551615,\"dma_parms\":true}",
		"{\"type\":\"map\",\"ts\":26323559,\"seq\":%d,\"pid\":105,\"tid\":105,\"comm\":\"compositor\",\"cpu\":1,"
		"\"buf\":1036,\"att\":55,\"dir\":\"bidirectional\",\"nents\":1,\"orig_nents\":8,\"segs\":[[8368685056,7340032]],"
		"\"segs_total\":1,\"max_seg\":7340032,\"len\":7340032,\"contiguous\":true,\"boundary_crossings\":0,"
		"\"stack\":[\"amdgpu_ttm_tt_pin_userptr+0x1a2 [amdgpu]\",\"drm_ioctl+0x27a [drm]\",\"__x64_sys_ioctl+0x94\"]}",
		"{\"type\":\"unmap\",\"ts\":26323600,\"seq\":%d,\"pid\":105,\"tid\":105,\"comm\":\"compositor\",\"cpu\":1,"
		"\"buf\":1036,\"att\":55,\"dir\":\"bidirectional\"}",
		/* foreign: other key order, a space after ':' and ',', unknown fields */
		"{\"seq\": %d, \"type\": \"map\", \"buf\": 1036, \"att\": 55, \"ts\": 26323559, \"ts_s\": 0.026323559, "
		"\"source\": \"ebpf-collector\", \"nents\": 1, \"segs_total\": 1, \"max_seg\": 7340032, \"len\": 7340032, "
		"\"contiguous\": true, \"boundary_crossings\": 0, \"dir\": \"bidirectional\", \"orig_nents\": 8, "
		"\"segs\": [[8368685056, 7340032]], \"task\": [105, 105], \"pid\": 105, \"tid\": 105, \"comm\": \"compositor\", "
		"\"cpu\": 1, \"stack\": [\"amdgpu_ttm_tt_pin_userptr+0x1a2 [amdgpu]\", \"drm_ioctl+0x27a [drm]\"]}",
		"{\"seq\": %d, \"type\": \"export\", \"buf\": 1001, \"ts\": 72619, \"ts_s\": 0.000072619, \"source\": "
		"\"ebpf-collector\", \"exporter\": \"system\", \"size\": 9437184, \"task\": [104, 104], \"pid\": 104, "
		"\"tid\": 104, \"comm\": \"camera-app\", \"cpu\": 0}",
	};
	const size_t ncommon = sizeof(common) / sizeof(common[0]);
	static char text[65536];
	size_t n = (size_t)snprintf(text, sizeof(text), HDR);
	int seq = 0;
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < ncommon; i++)
			for (int twice = 0; twice < 2; twice++) {
				n += (size_t)snprintf(text + n, sizeof(text) - n, common[i], ++seq);
				text[n++] = '\n';
			}
	assert_true(n < sizeof(text));
	char err[256];
	struct dt_reader *r = dt_reader_open_mem("t.jsonl", text, n, NULL, NULL, err, sizeof(err));
	assert_non_null(r);
	const struct dt_event *ev;
	int events = 0;
	while (dt_reader_next(r, &ev) > 0) {
		assert_int_equal(ev->seq, (uint64_t)events + 1);
		events++;
	}
	assert_string_equal(dt_reader_error(r), "");
	assert_int_equal(events, seq);
	assert_int_equal(dt_reader_fast_lines(r), (unsigned long long)seq);
	dt_reader_close(r);

	/* and a recorded trace (the header is not an event line) */
	FILE *f = fopen("tests/traces/real/lifecycle.jsonl", "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text), f);
	assert_true(feof(f));
	fclose(f);
	r = dt_reader_open_mem("lifecycle.jsonl", text, n, NULL, NULL, err, sizeof(err));
	assert_non_null(r);
	events = 0;
	while (dt_reader_next(r, &ev) > 0)
		events++;
	assert_string_equal(dt_reader_error(r), "");
	assert_true(events > 20);
	assert_int_equal(dt_reader_fast_lines(r), (unsigned long long)events);
	dt_reader_close(r);
}

/* Every line above, every line of the golden traces, and each of them with one byte replaced
 * by each of a few JSON-significant bytes at every position: both paths must agree exactly. */
static void test_fast_path_agrees(void **state)
{
	char line[4096];
	/* guesses learnt from other lines' keys, then missed or hit by each line */
	static const char *const primers[] = {
		"{\"type\":\"map\",\"ts\":3,\"seq\":0,\"buf\":4,\"att\":1,\"dir\":\"from_device\",\"nents\":2,\"orig_nents\":4,"
		"\"segs\":[[4294967296,4096]],\"segs_total\":1,\"max_seg\":4096,\"stack\":[\"a+0x1 [m]\",\"b\"]}",
		"{\"type\":\"export\",\"ts\":1,\"seq\":0,\"buf\":4,\"size\":1,\"exporter\":\"e\",\"pid\":1,\"err\":-2}",
		"{\"seq\": 0, \"type\": \"vmap\", \"ts\": 1, \"buf\": 4, \"meta\": {\"a\": 1}, \"x\": 1, \"\": 2}",
	};
	for (size_t i = 0; i < sizeof(agree_lines) / sizeof(agree_lines[0]); i++) {
		expect_same(agree_lines[i], strlen(agree_lines[i]));
		for (size_t j = 0; j < sizeof(primers) / sizeof(primers[0]); j++)
			expect_same_after(primers[j], agree_lines[i], strlen(agree_lines[i]));
	}
	for (size_t i = 0; i < sizeof(foreign_lines) / sizeof(foreign_lines[0]); i++) {
		size_t len = strlen(foreign_lines[i]);
		memcpy(line, foreign_lines[i], len + 1);
		expect_same_mutated(line, len);
	}
	const char *golden[] = {"tests/traces/late-attach.jsonl", "tests/traces/real/late-attach.jsonl",
				"tests/traces/real/lifecycle.jsonl", "tests/traces/truncated-segs.jsonl",
				"tests/traces/lost-events.jsonl", "tests/traces/map-failed-attach.jsonl"};
	size_t lines = 0;
	for (size_t g = 0; g < sizeof(golden) / sizeof(golden[0]); g++) {
		FILE *f = fopen(golden[g], "r");
		if (!f)
			fail_msg("%s: %s (run from the source tree)", golden[g], strerror(errno));
		int lineno = 0;
		while (fgets(line, sizeof(line), f)) {
			size_t len = strcspn(line, "\n");
			if (lineno++ == 0 || lines > 40)
				continue; /* the header; and a sample of lines is enough per trace */
			lines++;
			expect_same_mutated(line, len);
		}
		fclose(f);
		lines = 0;
	}
}

/* ---- zstd input ---- */

static size_t write_zstd_trace(const char *path, int events)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	struct dt_writer *w = dt_writer_new_zstd(fd, path, 3);
	assert_non_null(w);
	dt_writer_promise_end(w);
	dt_writer_header(w, "6.12", NULL, "test", 0);
	struct dt_event ev;
	struct dt_seg segs[2] = {{4096, 8192}, {65536, 4096}};
	char stack[1][DT_FRAME_MAX] = {"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]"};
	memset(&ev, 0, sizeof(ev));
	for (int i = 1; i <= events; i++) {
		dt_event_clear(&ev);
		ev.segs = segs;
		ev.stack = stack;
		ev.type = DT_EV_MAP;
		ev.ts = (uint64_t)i * 1000;
		ev.seq = (uint64_t)i;
		ev.buf = 7;
		ev.att = (uint64_t)i;
		ev.has = DT_HAS_BUF | DT_HAS_ATT | DT_HAS_NENTS;
		ev.nents = 2;
		ev.nsegs = 2;
		ev.nstack = 1;
		ev.dir = DT_DIR_TO_DEVICE;
		assert_int_equal(dt_writer_event(w, &ev), 0);
	}
	dt_writer_end(w, (unsigned long long)events * 1000 + 1, (unsigned long long)events + 1, 0);
	assert_int_equal(dt_writer_flush(w), 0);
	assert_int_equal(dt_writer_free(w), 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	return (size_t)st.st_size;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	char *p = malloc(*len ? *len : 1);
	assert_int_equal(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static void test_zstd_input(void **state)
{
	char path[] = "/tmp/dt-zst-XXXXXX";
	int tmp = mkstemp(path);
	assert_true(tmp >= 0);
	close(tmp);
	size_t zlen = write_zstd_trace(path, 20000);
	size_t len;
	char *z = slurp(path, &len);
	assert_int_equal(len, zlen);
	assert_true(ZSTD_isFrame(z, len));

	/* whole: every event, the end line seen, nothing cut; from a file and from memory */
	char err[256];
	for (int from_mem = 0; from_mem < 2; from_mem++) {
		struct dt_reader *r = from_mem ? dt_reader_open_mem("t.jsonl.zst", z, len, NULL, NULL, err, sizeof(err))
					       : dt_reader_open(path, NULL, NULL, err, sizeof(err));
		assert_non_null(r);
		apply_mode(r);
		const struct dt_event *ev;
		int n = 0, rc;
		while ((rc = dt_reader_next(r, &ev)) > 0) {
			n++;
			assert_int_equal(ev->seq, n);
			assert_int_equal(ev->nsegs, 2);
			assert_int_equal(ev->segs[1].addr, 65536);
			assert_string_equal(ev->stack[0], "vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]");
		}
		assert_int_equal(rc, 0);
		assert_int_equal(n, 20000);
		assert_false(dt_reader_truncated(r));
		dt_reader_close(r);
	}

	/* cut anywhere: a prefix of the events, a warning, truncated; never an error */
	size_t cuts[] = {len - 1, len - 5, len / 2, len / 3};
	for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
		struct rd t = {0};
		struct dt_reader *r = dt_reader_open_mem("t.jsonl.zst", z, cuts[c], on_warn, &t, err, sizeof(err));
		assert_non_null(r);
		apply_mode(r);
		const struct dt_event *ev;
		int n = 0, rc;
		while ((rc = dt_reader_next(r, &ev)) > 0)
			assert_int_equal(ev->seq, ++n);
		if (rc != 0)
			fail_msg("cut at %zu of %zu: rc %d: %s", cuts[c], len, rc, dt_reader_error(r));
		assert_true(n <= 20000); /* cut inside the checksum: every line is there, still cut */
		assert_true(dt_reader_truncated(r));
		assert_true(t.nwarn >= 1);
		if (!strstr(t.warn[0], "cut short") && !strstr(t.warn[0], "without its end line"))
			fail_msg("cut at %zu: warning '%s'", cuts[c], t.warn[0]);
		dt_reader_close(r);
	}

	/* cut before zstd could decode a block: nothing to analyse, an error like an empty trace */
	struct dt_reader *cut = dt_reader_open_mem("t.jsonl.zst", z, 200, NULL, NULL, err, sizeof(err));
	apply_mode(cut);
	const struct dt_event *first;
	assert_int_equal(dt_reader_next(cut, &first), -1);
	assert_non_null(strstr(dt_reader_error(cut), "t.jsonl.zst:1: zstd stream is cut short before its first"));
	dt_reader_close(cut);

	/* corrupt: an error naming the file and the line where reading stopped (exit 2 in the CLI) */
	for (size_t at = 100; at < len; at += len / 7) {
		char *bad = malloc(len);
		memcpy(bad, z, len);
		bad[at] ^= 0x5a;
		struct dt_reader *r = dt_reader_open_mem("t.jsonl.zst", bad, len, NULL, NULL, err, sizeof(err));
		assert_non_null(r);
		apply_mode(r);
		const struct dt_event *ev;
		int rc;
		while ((rc = dt_reader_next(r, &ev)) > 0)
			;
		assert_int_equal(rc, -1);
		const char *e = dt_reader_error(r);
		unsigned long long line;
		char what[200];
		if (sscanf(e, "t.jsonl.zst:%llu: %199[^\n]", &line, what) != 2)
			fail_msg("corrupt at %zu: error '%s'", at, e);
		/* a flipped byte is caught by zstd itself, or (in a literal) by the JSON it garbles */
		if (!strstr(what, "corrupt zstd data") && !strstr(what, "JSON") && !strstr(what, "field") &&
		    !strstr(what, "seq") && !strstr(what, "missing"))
			fail_msg("corrupt at %zu: error '%s'", at, e);
		dt_reader_close(r);
		free(bad);
	}
	free(z);
	unlink(path);

	/* a window larger than the reader allows: refused, with what to do about it */
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 27);
	static char plain[1 << 16], packed[1 << 16];
	int n = snprintf(plain, sizeof(plain), HDR);
	for (int i = 1; i < 200; i++)
		n += snprintf(plain + n, sizeof(plain) - (size_t)n,
			      "{\"type\":\"vmap\",\"ts\":%d,\"seq\":%d,\"buf\":7}\n", i, i);
	ZSTD_inBuffer in = {plain, (size_t)n, 0};
	ZSTD_outBuffer out = {packed, sizeof(packed), 0};
	/* streamed (size unknown), so that zstd keeps the window asked for */
	assert_false(ZSTD_isError(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_continue)));
	assert_int_equal(ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end), 0);
	ZSTD_freeCCtx(cc);
	struct dt_reader *r = dt_reader_open_mem("big.zst", packed, out.pos, NULL, NULL, err, sizeof(err));
	apply_mode(r);
	const struct dt_event *ev;
	assert_int_equal(dt_reader_next(r, &ev), -1);
	assert_non_null(strstr(dt_reader_error(r), "big.zst:1: zstd frame needs a window over 16 MiB"));
	dt_reader_close(r);
}


/* ---- many threads, one order: a long trace whose events, warnings and first error are logged as the caller
 * sees them; every pipeline shape (workers x chunk size) must log exactly what the single-threaded reader logs,
 * the error naming the same file:line. */
struct order_log {
	char *text;
	size_t len, cap;
};

static void log_add(struct order_log *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (l->len + (size_t)n + 1 > l->cap) {
		l->cap = (l->cap + (size_t)n + 1) * 2;
		l->text = realloc(l->text, l->cap);
		assert_non_null(l->text);
	}
	va_start(ap, fmt);
	vsnprintf(l->text + l->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	l->len += (size_t)n;
}

static void log_warning(void *ctx, const char *msg)
{
	log_add(ctx, "W %s\n", msg);
}

/* Reads text (in memory) with workers parse workers (0: one thread) and chunks of chunk_bytes; returns the log. */
static char *read_logged(const char *text, size_t len, int workers, size_t chunk_bytes, int *rc_out)
{
	struct order_log l = {0};
	char err[256];
	struct dt_reader *r = dt_reader_open_mem("o.jsonl", text, len, log_warning, &l, err, sizeof(err));
	assert_non_null(r);
	dt_reader_set_pipeline(r, workers, chunk_bytes);
	const struct dt_event *ev;
	int rc;
	while ((rc = dt_reader_next(r, &ev)) > 0)
		log_add(&l, "E %llu line %llu type %d buf %llu nsegs %u nstack %u comm %s\n", (unsigned long long)ev->seq,
			(unsigned long long)ev->line, (int)ev->type, (unsigned long long)ev->buf, ev->nsegs, ev->nstack,
			ev->comm.s);
	log_add(&l, "rc %d err %s truncated %d continues %d events %llu unknown %llu\n", rc,
		rc < 0 ? dt_reader_error(r) : "", dt_reader_truncated(r), dt_reader_continues(r),
		dt_reader_events(r), dt_reader_unknown_types(r));
	/* after the end, a second call says the same (after an error callers stop) */
	if (rc == 0)
		assert_int_equal(dt_reader_next(r, &ev), 0);
	dt_reader_close(r);
	*rc_out = rc;
	return l.text;
}

/* n event lines (map events with segs and a stack, some exports), with an unknown type every 997 lines and a
 * blank line every 1009; then tail (the lines that end the trace, or break it). */
static char *order_trace(int n, const char *const *swap, const int *at, int nswap, const char *tail, size_t *len)
{
	struct order_log t = {0};
	log_add(&t, "%s", HDR);
	for (int i = 1; i <= n; i++) {
		const char *sw = NULL;
		for (int k = 0; k < nswap; k++)
			if (at[k] == i)
				sw = swap[k];
		if (sw)
			log_add(&t, sw, i);
		else if (i % 997 == 0)
			log_add(&t, "{\"type\":\"newer-%d\",\"ts\":%d,\"seq\":%d}\n", i, i, i);
		else if (i % 3 == 0)
			log_add(&t, "{\"type\":\"export\",\"ts\":%d,\"seq\":%d,\"buf\":%d,\"size\":4096,\"exporter\":\"system\","
				"\"comm\":\"c%d\"}\n", i, i, i, i);
		else
			log_add(&t, "{\"type\":\"map\",\"ts\":%d,\"seq\":%d,\"buf\":%d,\"att\":1,\"nents\":2,\"segs\":[[4096,%d],"
				"[65536,4096]],\"stack\":[\"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]\",\"f%d\"],"
				"\"comm\":\"m%d\"}\n", i, i, i % 50, i, i, i);
		if (i % 1009 == 0)
			log_add(&t, "   \n");
	}
	log_add(&t, "%s", tail);
	*len = t.len;
	return t.text;
}

static void expect_same_order(const char *text, size_t len, int want_rc, const char *want_in_log)
{
	int rc;
	char *ref = read_logged(text, len, 0, 0, &rc);
	assert_int_equal(rc, want_rc);
	if (want_in_log && !strstr(ref, want_in_log))
		fail_msg("single-threaded log lacks \"%s\": ...%s", want_in_log, ref + (strlen(ref) > 300 ? strlen(ref) - 300 : 0));
	static const struct { int workers; size_t chunk; } shapes[] = {
		{1, 0}, {2, 0}, {2, 1}, {2, 333}, {3, 4096}, {4, 1 << 16}, {2, 50000}, {1, 4096}, {1, 1}, {1, 1 << 16},
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char *got = read_logged(text, len, shapes[i].workers, shapes[i].chunk, &rc);
		if (strcmp(ref, got) != 0) {
			size_t d = 0;
			while (ref[d] && ref[d] == got[d])
				d++;
			size_t from = d > 120 ? d - 120 : 0;
			fail_msg("%d workers, chunks of %zu bytes: the log differs at byte %zu:\n single: %.240s\n threaded: %.240s",
				 shapes[i].workers, shapes[i].chunk, d, ref + from, got + from);
		}
		free(got);
	}
	free(ref);
}

static void test_threads_keep_order(void **state)
{
	(void)state;
	size_t len;
	char *t;
	/* a whole trace with its end line */
	t = order_trace(6000, NULL, NULL, 0, "{\"type\":\"end\",\"ts\":9999999,\"seq\":9999999,\"continues\":true}\n", &len);
	expect_same_order(t, len, 0, "continues 1 events 5994 unknown 6");
	free(t);
	/* invalid JSON deep in the trace (far past the first chunk), another error after it: the first one wins,
	 * after every event and warning before it */
	static const char *const bad[] = {"{\"type\":\"map\",\"ts\":%d,oops}\n", "{\"type\":\"export\",\"ts\":%d}\n"};
	static const int bad_at[] = {4321, 5000};
	t = order_trace(6000, bad, bad_at, 2, "", &len);
	expect_same_order(t, len, -1, "err o.jsonl:4326: invalid JSON");
	free(t);
	/* a seq going back (judged in input order, by the caller) before a parse error in a later line */
	static const char *const back[] = {"{\"type\":\"release\",\"ts\":%d,\"seq\":3,\"buf\":1}\n",
					   "{\"type\":\"map\",\"ts\":%d,\"seq\":1,\"buf\":1,\"att\":1,\"nents\":x}\n"};
	static const int back_at[] = {3001, 3002};
	t = order_trace(6000, back, back_at, 2, "", &len);
	expect_same_order(t, len, -1, "err o.jsonl:3004: seq 3 is not greater than the previous seq 3000");
	free(t);
	/* a missing field right after a seq going back: the seq error comes first in input order */
	static const char *const missing[] = {"{\"type\":\"release\",\"ts\":%d,\"seq\":1,\"buf\":1}\n",
					      "{\"type\":\"attach\",\"ts\":%d,\"seq\":100000,\"buf\":1}\n"};
	static const int missing_at[] = {2500, 2000};
	t = order_trace(6000, missing, missing_at, 2, "", &len);
	expect_same_order(t, len, -1, "err o.jsonl:2002: attach event is missing required field \"dev\"");
	free(t);
	/* a last line cut short; and a last line without '\n' that is whole */
	t = order_trace(3000, NULL, NULL, 0, "{\"type\":\"map\",\"ts\":1,\"seq\":99999,\"continues\":true,\"buf", &len);
	expect_same_order(t, len, 0, "W o.jsonl:3004: last line is cut short");
	free(t);
	t = order_trace(3000, NULL, NULL, 0, "{\"type\":\"release\",\"ts\":1,\"seq\":99999,\"buf\":1}", &len);
	expect_same_order(t, len, 0, "E 99999 line 3004");
	free(t);
	/* lines longer than a chunk's room left (handed over in the middle of a fill, one worker too) */
	struct order_log pad = {0};
	log_add(&pad, "%s", HDR);
	for (int i = 1; i <= 3000; i++) {
		log_add(&pad, "{\"type\":\"release\",\"ts\":%d,\"seq\":%d,\"buf\":%d", i, i, i);
		if (i % 7 == 0)
			for (int k = 0; k < 1 + i % 300; k++)
				log_add(&pad, ",\"p%d\":\"%s\"", k, "0123456789abcdef0123456789abcdef0123456789abcdef");
		log_add(&pad, "}\n");
	}
	expect_same_order(pad.text, pad.len, 0, "E 3000 line 3001");
	free(pad.text);
	/* every line 5400 bytes: with 64 KiB chunks (65536 + 4096 bytes of room) the 13th line of a fill never fits
	 * while the 12 before it stay under 64 KiB, so each fill hands over chunk after chunk and never ends by
	 * size: a single worker must parse those itself while it waits for a free chunk */
	pad = (struct order_log){0};
	log_add(&pad, "%s", HDR);
	for (int i = 1; i <= 400; i++) {
		char line[5400 + 1];
		int n = snprintf(line, sizeof(line), "{\"type\":\"release\",\"ts\":%d,\"seq\":%d,\"buf\":1,\"pad\":\"",
				 1000 + i, 1000 + i);
		memset(line + n, 'x', 5400 - 2 - (size_t)n);
		memcpy(line + 5400 - 2, "\"}", 3);
		log_add(&pad, "%s\n", line);
	}
	expect_same_order(pad.text, pad.len, 0, "E 1400 line 401");
	free(pad.text);
	/* a line over the limit, found by the worker reading: after every line before it */
	struct order_log big = {0};
	size_t n0;
	char *head = order_trace(2000, NULL, NULL, 0, "", &n0);
	log_add(&big, "%s{\"type\":\"export\",\"name\":\"", head);
	free(head);
	while (big.len < n0 + DT_LINE_MAX + 10)
		log_add(&big, "%s", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	log_add(&big, "\"}\n");
	expect_same_order(big.text, big.len, -1, "err o.jsonl:2003: line is longer than");
	free(big.text);
}

static int run_group(const char *name, enum mode m)
{
	mode = m;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_ok),
		cmocka_unit_test(test_header_additions),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_export_fields),
		cmocka_unit_test(test_attach_fields),
		cmocka_unit_test(test_map_fields),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_additions),
		cmocka_unit_test(test_segs_errors),
		cmocka_unit_test(test_segs_over_max),
		cmocka_unit_test(test_stack),
		cmocka_unit_test(test_field_types),
		cmocka_unit_test(test_required_fields),
		cmocka_unit_test(test_unknown_fields_and_types),
		cmocka_unit_test(test_seq_rules),
		cmocka_unit_test(test_truncated_last_line),
		cmocka_unit_test(test_blank_lines_and_objects),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_file_open),
		cmocka_unit_test(test_zstd_input),
	};
	return _cmocka_run_group_tests(name, tests, sizeof(tests) / sizeof(tests[0]), NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest once[] = {
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_fast_path_takes_common_shapes),
		cmocka_unit_test(test_threads_keep_order),
	};
	int failed = run_group("trace_reader", MODE_DEFAULT);
	failed += run_group("trace_reader_threaded", MODE_THREADED);
	failed += run_group("trace_reader_chunk_per_line", MODE_CHUNK_PER_LINE);
	failed += run_group("trace_reader_small_chunks", MODE_SMALL_CHUNKS);
	failed += run_group("trace_reader_yajl_only", MODE_YAJL);
	failed += cmocka_run_group_tests_name("trace_reader_fast_path", once, NULL, NULL);
	return failed;
}

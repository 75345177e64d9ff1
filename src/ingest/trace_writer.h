/* SPDX-License-Identifier: Apache-2.0 */
/* Writes trace format v1 (docs/trace-format.md). Lines are buffered whole and
 * written with write(2) only as complete lines, so a killed recorder leaves a file
 * that ends at a line boundary or, at worst, one cut line. A zstd writer (.jsonl.zst)
 * puts the lines through one zstd frame: killed, it leaves a cut frame, which readers
 * treat like a cut last line; dt_writer_flush gets everything to the file at least
 * once a second, and the frame is closed after the end line. */
#ifndef DT_TRACE_WRITER_H
#define DT_TRACE_WRITER_H

#include <stdbool.h>

#include "common/event.h"

struct dt_writer;

#include <stdbool.h>

/* Level of record, import and daemon segments: ~10x smaller than JSON Lines at the speed of disk. */
#define DT_ZSTD_LEVEL 3

struct dt_writer *dt_writer_new(int fd, const char *name);
/* The same, compressed as one zstd stream (level 1..19). */
struct dt_writer *dt_writer_new_zstd(int fd, const char *name, int level);
/* zstd when path ends in ".zst", JSON Lines otherwise. */
struct dt_writer *dt_writer_new_for_path(int fd, const char *path);
bool dt_path_is_zstd(const char *path);
/* kernel: uname -r of the traced machine; extra header fields may be NULL. */
int dt_writer_header(struct dt_writer *w, const char *kernel, const char *host, const char *tool,
		     unsigned long long start_unix_ns);
int dt_writer_event(struct dt_writer *w, const struct dt_event *ev);
/* The same as a dt_sink_fn (ingest/sink.h): ctx is the writer. */
int dt_writer_sink(void *writer, const struct dt_event *ev);
/* Before the header: promise an end line ("ends":true), so that readers can tell a
 * killed recorder from a finished one. Then dt_writer_end() on a clean stop. */
void dt_writer_promise_end(struct dt_writer *w);
/* Before the header: the daemon's segment fields (boot id and segment number; NULL / 0: none). The
 * string must live until the header is written. The profile in force: dt_writer_set_profile. */
void dt_writer_set_segment(struct dt_writer *w, const char *boot_id, unsigned long long segment);
/* The end line says "continues": the next segment carries the live state on. */
void dt_writer_set_continues(struct dt_writer *w, bool continues);
/* Formats one event as its trace line ("...}\n") without writing it: *line is valid until the next call.
 * For a writer made with fd -1 (the daemon's flight recorder). */
int dt_writer_format(struct dt_writer *w, const struct dt_event *ev, const char **line, size_t *len);
/* Bytes written or buffered so far (segment rotation by size). */
unsigned long long dt_writer_bytes(const struct dt_writer *w);
/* Before the header: record the constraints profile (its file name and text) the trace is analysed with
 * ("profile", "profile_name"), so that post-mortem analysis elsewhere uses it. -1 when out of memory. */
int dt_writer_set_profile(struct dt_writer *w, const char *name, const char *text);
/* Before the header: how the buffers that existed before tracing were seeded ("seed": "bufinfo", "iterator"
 * or "none"; a static string). */
void dt_writer_set_seed(struct dt_writer *w, const char *seed);
/* Before the header: the segment addresses are redacted ("redacted": true, docs/trace-format.md). */
void dt_writer_set_redacted(struct dt_writer *w);
int dt_writer_end(struct dt_writer *w, unsigned long long ts, unsigned long long seq, unsigned long long lost);
/* Writes the buffered lines. Returns 0, or -1 with dt_writer_error() set (e.g. disk full). */
int dt_writer_flush(struct dt_writer *w);
const char *dt_writer_error(const struct dt_writer *w);
unsigned long long dt_writer_events(const struct dt_writer *w);
/* Flushes and frees; returns the flush result. Does not close fd. */
int dt_writer_free(struct dt_writer *w);

#endif

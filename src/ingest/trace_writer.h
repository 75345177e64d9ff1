/* Writes trace format v1 (docs/trace-format.md). Lines are buffered whole and
 * written with write(2) only as complete lines, so a killed recorder leaves a file
 * that ends at a line boundary or, at worst, one cut line. */
#ifndef DT_TRACE_WRITER_H
#define DT_TRACE_WRITER_H

#include "common/event.h"

struct dt_writer;

struct dt_writer *dt_writer_new(int fd, const char *name);
/* kernel: uname -r of the traced machine; extra header fields may be NULL. */
int dt_writer_header(struct dt_writer *w, const char *kernel, const char *host, const char *tool,
		     unsigned long long start_unix_ns);
int dt_writer_event(struct dt_writer *w, const struct dt_event *ev);
/* The same as a dt_sink_fn (ingest/sink.h): ctx is the writer. */
int dt_writer_sink(void *writer, const struct dt_event *ev);
/* Before the header: promise an end line ("ends":true), so that readers can tell a
 * killed recorder from a finished one. Then dt_writer_end() on a clean stop. */
void dt_writer_promise_end(struct dt_writer *w);
/* Before the header: record the constraints profile (its file name and text) the trace is analysed with
 * ("profile", "profile_name"), so that post-mortem analysis elsewhere uses it. -1 when out of memory. */
int dt_writer_set_profile(struct dt_writer *w, const char *name, const char *text);
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

/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming reader for trace format v1 (JSON Lines, plain or zstd, docs/trace-format.md). */
#ifndef DT_TRACE_READER_H
#define DT_TRACE_READER_H

#include <stdbool.h>
#include <stdio.h>

#include "common/event.h"

/* Longest line accepted; a recorder never writes lines near this size. */
#define DT_LINE_MAX (1024 * 1024)

struct dt_header {
	int version;
	struct dt_str kernel, clock, host, tool;
	struct dt_str boot_id;     /* /proc/sys/kernel/random/boot_id of the traced machine (daemon segments) */
	bool has_segment;
	uint64_t segment;          /* daemon segment number */
	/* Optional additions (docs/trace-format.md, "Additions"): the constraints profile the trace was
	 * recorded with (its text, NULL if none, and its file name), and whether segment addresses are redacted. */
	const char *profile;
	struct dt_str profile_name;
	bool redacted;
	bool ends; /* the writer promised an end line */
};

struct dt_reader;

/* Called for every warning (unknown type, truncated last line). msg is "file:line: text". */
typedef void (*dt_warn_fn)(void *ctx, const char *msg);

/* path "-" reads stdin. Returns NULL with a message in err on failure. */
struct dt_reader *dt_reader_open(const char *path, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen);
/* Reads an already open fd (a FIFO must not be reopened); closes it at dt_reader_close when own. */
struct dt_reader *dt_reader_open_fd(const char *name, int fd, bool own, dt_warn_fn warn, void *warn_ctx, char *err,
				    size_t errlen);
/* Opens an in-memory trace (tests, fuzzing). */
struct dt_reader *dt_reader_open_mem(const char *name, const char *data, size_t len, dt_warn_fn warn,
				     void *warn_ctx, char *err, size_t errlen);

/* Before the first dt_reader_next: read in a thread of its own and parse in two more (default for files and
 * pipes on a machine with two cores or more; in-memory readers default to off). Results are identical. */
void dt_reader_set_threaded(struct dt_reader *r, bool on);
/* Tests: that many parse workers (0: one thread), lines handed over in chunks of about chunk_bytes
 * (0: the default; 1: a chunk per line). */
void dt_reader_set_pipeline(struct dt_reader *r, int workers, size_t chunk_bytes);
/* Tests: off sends every line through yajl (the authority) instead of the schema fast path first. */
void dt_reader_set_fast_path(struct dt_reader *r, bool on);
/* Tests: event lines the fast path took, not yajl (single-threaded reads; threaded: once the pipeline ended
 * or while nothing parses). */
unsigned long long dt_reader_fast_lines(const struct dt_reader *r);

/* 1: *ev points to the next event (valid until the next call); 0: end of trace;
 * -1: malformed input, dt_reader_error() says "file:line: what". Unknown types are
 * skipped with a warning. */
int dt_reader_next(struct dt_reader *r, const struct dt_event **ev);
const char *dt_reader_error(const struct dt_reader *r);
const struct dt_header *dt_reader_header(const struct dt_reader *r);
const char *dt_reader_name(const struct dt_reader *r);
/* True when the trace was cut: a partial last line, or a promised end line missing (recorder killed). */
int dt_reader_truncated(const struct dt_reader *r);
/* The end line said "continues": the daemon went on in the next segment (live objects are no leaks). */
bool dt_reader_continues(const struct dt_reader *r);
/* Events seen so far; the ts of the last one that is not restated state, or of the end line when later (0: none). */
unsigned long long dt_reader_events(const struct dt_reader *r);
unsigned long long dt_reader_last_ts(const struct dt_reader *r);
unsigned long long dt_reader_unknown_types(const struct dt_reader *r);
void dt_reader_close(struct dt_reader *r);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The ingest layer: one event source over every input kind, picked by content.
 * A trace v1 file starts with its JSON header; anything that looks like ftrace text
 * (a saved /sys/kernel/tracing/trace, `trace-cmd report`) is converted on the fly
 * (ingest_ftrace.h). The live BPF path (record) feeds the engine directly. */
#ifndef DT_INGEST_H
#define DT_INGEST_H

#include <stdbool.h>
#include <stdio.h>

#include "common/event.h"
#include "ingest/segdir.h"
#include "ingest/trace_reader.h"

/* AUTO: trace v1 or ftrace, by content; AUTO_OR_BUFINFO: also a dma_buf/bufinfo snapshot (state, advise).
 * Inputs of no readable kind (a kernel log, compressed data, a bufinfo where events are needed, a trace given
 * to import as ftrace) are refused at open with one line saying what they look like and what to do. */
enum dt_source_kind { DT_SRC_AUTO, DT_SRC_TRACE, DT_SRC_FTRACE, DT_SRC_AUTO_OR_BUFINFO, DT_SRC_BUFINFO };

struct dt_source;

/* path "-" is stdin. kind DT_SRC_AUTO sniffs the first bytes. NULL with err set on failure. */
struct dt_source *dt_source_open(const char *path, enum dt_source_kind kind, dt_warn_fn warn, void *warn_ctx,
				 char *err, size_t errlen);
enum dt_source_kind dt_source_kind(const struct dt_source *s);
/* 1 event, 0 end, -1 malformed input (dt_source_error says "file:line: what"), 2 a boundary: a daemon
 * segment that does not continue the previous one (or a segment whose header names the profile in force)
 * starts; dt_source_boundary says whether the machine rebooted and which profile is in force. A directory
 * is read as the daemon's segments in order (ingest/segdir.h); FILE.zst is decompressed. */
int dt_source_next(struct dt_source *s, const struct dt_event **ev);
const struct dt_segdir_boundary *dt_source_boundary(const struct dt_source *s);
/* The trace (or the last segment) ended saying the daemon went on: live objects are not leaks. */
bool dt_source_continues(const struct dt_source *s);
const char *dt_source_error(const struct dt_source *s);
const char *dt_source_name(const struct dt_source *s);
/* uname -r of the traced machine when the input says, else NULL. */
const char *dt_source_kernel(const struct dt_source *s);
int dt_source_truncated(const struct dt_source *s);
/* The trace v1 header (profile recorded with, redaction); NULL for ftrace text. */
const struct dt_header *dt_source_header(const struct dt_source *s);
/* ftrace input: the one-line tally of used and unused lines (dt_info); nothing for trace v1. */
void dt_source_summary(const struct dt_source *s);
void dt_source_close(struct dt_source *s);

#endif

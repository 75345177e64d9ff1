/* SPDX-License-Identifier: Apache-2.0 */
/* Ingest of kernel ftrace text (a saved /sys/kernel/tracing/trace, `trace-cmd report`):
 * turns the dma-buf related lines into trace-format-v1 events (struct dt_event) for the
 * engine or the trace writer. Understood (docs/ftrace.md):
 *   - kprobe events of `dmabuf-trace ftrace-recipe` (group dmabuf_trace, events dt_*),
 *   - dma_buf:* tracepoints (7.0+: dma_buf_export, dma_buf_dynamic_attach, dma_buf_detach, ...), with the
 *     "# device: NAME bus=B driver=D" map the recipe's save step writes (the tracepoints name only the device),
 *   - dma:dma_map_sg / dma:dma_unmap_sg (6.12+; 128-entry cap, [TRUNCATED]),
 *   - "CPU:N [LOST M EVENTS]" markers (-> lost events).
 * Kernel addresses never leave this file: attachments get trace-unique counters.
 * Lines that cannot be used are counted (dt_ftrace_summary), never fatal. */
#ifndef DT_INGEST_FTRACE_H
#define DT_INGEST_FTRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/event.h"

struct dt_ftrace_stats {
	uint64_t lines;      /* every input line */
	uint64_t comments;   /* header and comment lines, blank lines */
	uint64_t used;       /* event lines that went into an event (or its detail) */
	uint64_t foreign;    /* events of other tracepoints / probes */
	uint64_t redundant;  /* known events with nothing to add (dma_buf_put, dma_buf_fd, ...) */
	uint64_t unmatched;  /* known events whose object was not seen (e.g. release of an unknown buffer) */
	uint64_t malformed;  /* known events whose text did not parse; also non-event lines */
	uint64_t emitted;    /* events produced */
};

struct dt_ftrace;

typedef void (*dt_ftrace_warn_fn)(void *ctx, const char *msg);

/* Reads from f (not closed by dt_ftrace_close unless own is true). name is used in messages. */
struct dt_ftrace *dt_ftrace_open(const char *name, FILE *f, bool own, dt_ftrace_warn_fn warn, void *warn_ctx);
/* 1: *ev is the next event (valid until the next call); 0: end of input; -1: read error (dt_ftrace_error). */
int dt_ftrace_next(struct dt_ftrace *t, const struct dt_event **ev);
const char *dt_ftrace_error(const struct dt_ftrace *t);
/* "uname -r" from a "# kernel: ..." comment (written by the recipe's save step), or NULL. */
const char *dt_ftrace_kernel(const struct dt_ftrace *t);
const struct dt_ftrace_stats *dt_ftrace_stats(const struct dt_ftrace *t);
/* One line: "NAME: ftrace: N lines, E events; U lines unused (...)". */
void dt_ftrace_summary(const struct dt_ftrace *t, FILE *out);
/* The same line without the newline (for the error voice). */
void dt_ftrace_summary_text(const struct dt_ftrace *t, char *out, size_t outsz);
void dt_ftrace_close(struct dt_ftrace *t);

/* What the input cannot give, one line per finding kind (a log of the kernel's tracepoints alone: no limits,
 * no stacks, maps only through dma_map_sg), for the summary; none when the recipe's kprobes were there. */
#define DT_FTRACE_GAP_MAX 400
size_t dt_ftrace_gaps(const struct dt_ftrace *t, char (*out)[DT_FTRACE_GAP_MAX], size_t max);

/* True when the first bytes of an input look like ftrace text rather than trace v1. */
bool dt_ftrace_sniff(const char *buf, size_t len);

#endif

/* Live dma-buf capture: loads bpf/dmabuf_trace.bpf.c, attaches its hooks
 * (fentry/fexit where the kernel allows, kprobe/kretprobe otherwise, tp_btf for
 * the DMA-API tracepoint), and turns ring-buffer records into struct dt_event. */
#ifndef DT_CAPTURE_H
#define DT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/event.h"

enum {
	DT_ATTACH_AUTO = 0,
	DT_ATTACH_FENTRY = 1,
	DT_ATTACH_KPROBE = 2,
};

struct dt_capture_opts {
	uint32_t ring_bytes;   /* ring buffer size; default 4 MiB, rounded up to a power of 2 */
	uint32_t max_segs;     /* segments carried per map, default 64 (at most 256) */
	int pid;               /* 0 = all processes; else only events raised by this process's tasks
	                        * (a release done by another process is not seen) */
	int force_attach_mode; /* DT_ATTACH_AUTO / _FENTRY / _KPROBE */
	bool want_stacks;
};

struct dt_capture;

/* Loads and attaches. On failure returns a negative errno and writes a
 * one-line reason into err: -EPERM (not root / no CAP_BPF+CAP_PERFMON),
 * -ENOTSUP (no kernel BTF), -ENOENT (essential hooks missing or refused). */
int dt_capture_open(struct dt_capture **out, const struct dt_capture_opts *opts, char *err, size_t errlen);

/* Returns nonzero to stop the current dt_capture_poll (which then returns it). */
typedef int (*dt_capture_event_fn)(void *ctx, const struct dt_event *ev);

/* Waits up to timeout_ms (-1: forever, 0: no wait) and delivers every pending
 * event, then a DT_EV_LOST event if reservations failed since the last call.
 * Returns the number of events delivered, the callback's nonzero value, or a
 * negative errno (-EINTR when interrupted by a signal). */
int dt_capture_poll(struct dt_capture *c, int timeout_ms, dt_capture_event_fn fn, void *ctx);

/* Which hooks attached, how (fentry/fexit, kprobe/kretprobe, tp_btf), which are missing. */
void dt_capture_hooks(struct dt_capture *c, FILE *out);

/* Attach mode in use for the essential hooks: "fentry" or "kprobe". */
const char *dt_capture_mode(struct dt_capture *c);

/* Inside the callback of a DT_EV_MAP: DMA-API map calls the exporter made during
 * that dma-buf map and the DMA segments they reported (false when unknown:
 * no DMA-level hook attached). Zero calls = cached or exporter without dma_map_sg. */
bool dt_capture_map_dma(struct dt_capture *c, uint32_t *calls, uint32_t *ents);

/* Records the kernel failed to write into the ring buffer, so far. */
uint64_t dt_capture_lost_total(struct dt_capture *c);

void dt_capture_close(struct dt_capture *c);

#endif

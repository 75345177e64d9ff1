/* SPDX-License-Identifier: Apache-2.0 */
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
#include "dmabuf_trace_abi.h"

enum {
	DT_ATTACH_AUTO = 0,
	DT_ATTACH_FENTRY = 1,
	DT_ATTACH_KPROBE = 2,
};

struct dt_capture_opts {
	uint32_t ring_bytes;   /* ring buffer size; 0: DT_DEFAULT_RING_BYTES per online CPU, at most DT_DEFAULT_RING_MAX_BYTES; rounded up to a power of 2 */
	uint32_t max_segs;     /* segments carried per map; 0: DT_DEFAULT_MAX_SEGS (at most DT_ABI_SEGS_MAX) */
	int pid;               /* 0 = all processes; else only events raised by this process's tasks
	                        * (a release done by another process is not seen) */
	int force_attach_mode; /* DT_ATTACH_AUTO / _FENTRY / _KPROBE */
	bool want_stacks;
	uint32_t stack_depth;  /* kernel frames per stack; 0: DT_DEFAULT_STACK_DEPTH (at most DT_ABI_STACK_MAX) */
	uint32_t max_walk;     /* sg entries walked per map at most (0: DT_CAPTURE_MAX_WALK) */
	uint32_t map_entries;  /* test only: max_entries of the in-flight state maps (0: defaults) */
	bool keep_detached;    /* test only: detaches leave their attachment's id entry (a missed detach) */
	bool follow_tree;      /* record -- CMD: follow a process tree at fork in the kernel (dt_capture_tree_*) */
	bool seed_iter;        /* load the dmabuf iterator (6.16+, where the kernel has it) to seed live buffers */
};

/* Default --max-walk (bpf/README.md: measured per-entry cost) */
#define DT_CAPTURE_MAX_WALK 65536u
/* the verifier's bound on one walk: bpf_loop's BPF_MAX_LOOPS */
#define DT_CAPTURE_WALK_BOUND (1u << 23)
/* without bpf_loop (before 5.17): the bounded loop's iterations (bpf/dmabuf_trace.bpf.c
 * WALK_BOUNDED_MAX caps it) */
#define DT_CAPTURE_BOUNDED_WALK 65536u

struct dt_capture;

/* Phases (each returns 0 or a negative errno with a one-line reason in err):
 *   new      options only, no system access
 *   prepare  privileges, /proc/kallsyms, kernel BTF, BPF feature probes -> the hook plan
 *            (-EPERM: not root / no CAP_BPF+CAP_PERFMON; -ENOTSUP: no kernel BTF)
 *   load     the BPF object with one program set per hook; a program that fails moves its hook
 *            to kprobes, or drops it when not essential, and the object is loaded again
 *            (-ENOENT: an essential hook has nowhere left to go)
 *   attach   links every planned hook, falling back the same way, and sets up the ring buffer
 * dt_capture_close frees a capture in any phase. */
int dt_capture_new(struct dt_capture **out, const struct dt_capture_opts *opts);
int dt_capture_prepare(struct dt_capture *c, char *err, size_t errlen);
int dt_capture_load(struct dt_capture *c, char *err, size_t errlen);
int dt_capture_attach(struct dt_capture *c, char *err, size_t errlen);

/* new + prepare + load + attach; on failure nothing is left behind (*out = NULL). */
int dt_capture_open(struct dt_capture **out, const struct dt_capture_opts *opts, char *err, size_t errlen);

/* Returns nonzero to stop the current dt_capture_poll (which then returns it). */
typedef int (*dt_capture_event_fn)(void *ctx, const struct dt_event *ev);

/* Waits up to timeout_ms (-1: forever, 0: no wait) and delivers every pending
 * event, then a DT_EV_LOST event if reservations failed since the last call.
 * Returns the number of events delivered, the callback's nonzero value, or a
 * negative errno (-EINTR when interrupted by a signal). */
int dt_capture_poll(struct dt_capture *c, int timeout_ms, dt_capture_event_fn fn, void *ctx);

/* The hook table: per hook its state (attached, dropped, MISSING, unused), mode, kernel function
 * and why a fallback was taken or the hook is not there. */
void dt_capture_hooks(struct dt_capture *c, FILE *out);

/* One line per program of the last BPF load, in load order: its BPF_PROG_LOAD wall time and the
 * verifier's time and instructions processed (record --list-hooks). */
void dt_capture_prog_loads(struct dt_capture *c, FILE *out);

/* Mode of the attached function hooks: "fentry", "kprobe" or "mixed" (per-hook fallbacks). */
const char *dt_capture_mode(struct dt_capture *c);

/* Where the next record is decoded: slot(ctx) before each record returns the event to fill (its segs and stack
 * pointers are set to the capture's storage, which the next record reuses), or NULL for the capture's own. The
 * callback then gets that event: a consumer that keeps events (record's reorder window) takes it over without a
 * copy. NULL slot: the capture's own event always. */
void dt_capture_set_slot(struct dt_capture *c, struct dt_event *(*slot)(void *ctx), void *ctx);

/* Inside the callback of a DT_EV_MAP: DMA-API map calls the exporter made during
 * that dma-buf map and the DMA segments they reported (false when unknown:
 * no DMA-level hook attached). Zero calls = cached or exporter without dma_map_sg. */
bool dt_capture_map_dma(struct dt_capture *c, uint32_t *calls, uint32_t *ents);

/* The dmabuf iterator (opts.seed_iter): NULL when loaded, else why not ("the kernel has no BPF dmabuf
 * iterator (6.16+)", "not wanted", the load error). */
const char *dt_capture_dmabuf_iter_why(const struct dt_capture *c);
/* A capture holding the dmabuf iterator alone (no hooks, no kallsyms): for reading the live buffers without
 * tracing (state --live without a daemon). 0, or a negative errno with why not in err ("the kernel has no
 * BPF dmabuf iterator (6.16+)", a missing capability, the load error). Read it with
 * dt_capture_dmabuf_iter_read, free it with dt_capture_close. */
int dt_capture_open_iter_only(struct dt_capture **out, char *err, size_t errlen);
/* Runs the iterator once: every live dma-buf as struct dt_rec_seed records (*buf malloc'd, *len bytes).
 * 0, or a negative errno with the reason in err. */
int dt_capture_dmabuf_iter_read(struct dt_capture *c, void **buf, size_t *len, char *err, size_t errlen);
/* Those records as seeded events (the shape dt_bufinfo_parse gives: an export per buffer, an attach per
 * attached device, DT_HAS_SEEDED, att ids from DT_BUFINFO_ATT_BASE), all with time ts. Returns the number
 * of buffers, or -1 when fn fails or the records are malformed (err says which). */
struct dt_seed_counts {
	unsigned buffers, attachments;
	unsigned cut_buffers; /* buffers with more attachments than the iterator walks (DT_SEED_ATTS_MAX) */
};
int dt_capture_dmabuf_iter_seed(const void *buf, size_t len, uint64_t ts, dt_capture_event_fn fn, void *ctx,
				struct dt_seed_counts *counts, char *err, size_t errlen);

/* How the reader kept up: what explains lost ring records (record prints it with losses, bpf_stats or
 * DT_READER_STATS set). */
struct dt_reader_stats {
	uint64_t ring_bytes;     /* the ring's size */
	uint64_t ring_peak;      /* most bytes seen waiting at a BPF submit (0: not kept, wakeups on every record) */
	uint64_t polls;          /* dt_capture_poll calls */
	double longest_poll_ms;  /* the longest of them, wall clock (wait + reading) */
	uint64_t longest_poll_n; /* events it delivered */
	uint64_t ksyms_reloads;  /* /proc/kallsyms read again for an unresolved frame */
	double ksyms_reload_ms;  /* time those reads took */
	uint64_t stacks_uncached;/* stacks symbolized frame by frame (not from the stack cache) */
};
void dt_capture_reader_stats(struct dt_capture *c, struct dt_reader_stats *out);

/* After the last dt_capture_poll (a drain that ended on its time bound stops before the poll's own loss
 * check): delivers, to that poll's callback, a DT_EV_LOST event for every drop no lost event said yet. */
void dt_capture_report_losses(struct dt_capture *c);

/* Events dropped so far, every cause (the DT_EV_LOST events delivered add up to it). */
uint64_t dt_capture_lost_total(struct dt_capture *c);

/* With opts.follow_tree: tgid (the command, before it runs) and every process it forks from then on are the
 * tree. 0, or a negative errno (-ENOENT: not following, the fork hook did not attach). */
int dt_capture_tree_add(struct dt_capture *c, int tgid);
/* 1 in the tree, 0 not, -1 when the capture does not follow one (then ask /proc: common/proc_tree.h). */
int dt_capture_tree_has(struct dt_capture *c, int tgid);
/* Why the fork hook is not attached ("" when it is, or was not asked for). */
const char *dt_capture_tree_why(const struct dt_capture *c);

/* Runs that wrote no event by design so far: detaches made by dma_buf_dynamic_attach's own error path,
 * folded into the failed attach's event (struct dt_lossctr.folded). */
uint64_t dt_capture_folded_total(struct dt_capture *c);
/* The BPF side's attachment id map: entries removed at their buffer's release (their detach was never seen)
 * and entries held now. False when they cannot be read. */
bool dt_capture_att_ids(struct dt_capture *c, uint64_t *stale_removed, int64_t *held);
/* kprobe-mode map returns by how their frame's entry stack pointer relates to the return's: sp - 8 (x86's
 * popped return address), equal, other. False when none were seen. */
bool dt_capture_ret_sp_seen(struct dt_capture *c, uint64_t seen[3]);

/* With kernel.bpf_stats_enabled=1: runs of the programs that write events (each run writes one
 * event, counts one drop or one folded run) and their recursion misses; false when the kernel keeps no
 * stats. */
bool dt_capture_run_counts(struct dt_capture *c, uint64_t *runs, uint64_t *misses);

/* With kernel.bpf_stats_enabled=1: one line per program that ran (runs, mean ns per run). */
void dt_capture_prog_stats(struct dt_capture *c);

/* Writes one line per cause: counted or why it is uncountable on this kernel. */
void dt_capture_drop_causes(struct dt_capture *c, FILE *out);

void dt_capture_close(struct dt_capture *c);

/* After a load refused with EPERM: before 5.11 the kernel charges BPF maps to RLIMIT_MEMLOCK, and raising it
 * needs CAP_SYS_RESOURCE. A sentence saying so when that is the likely cause here (kernel older than 5.11, the
 * limit not unlimited), else NULL. */
const char *dt_capture_memlock_hint(void);

#endif

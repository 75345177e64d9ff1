// SPDX-License-Identifier: Apache-2.0
/* State shared by the capture's loader (capture.c) and its ring-buffer decoder (decode.c). */
#ifndef DT_CAPTURE_INTERNAL_H
#define DT_CAPTURE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "capture/capture.h"
#include "capture/hook_plan.h"
#include "capture/ksyms.h"
#include "dmabuf_trace_abi.h"

struct bpf_link;
struct ring_buffer;
struct dmabuf_trace_bpf;
struct btf;

/* Symbolized stacks by their return addresses: a workload maps from a handful of call
 * sites, and symbolizing (two symbol searches and a format per frame) cost more than the
 * rest of an event. Direct-mapped; only fully resolved stacks; emptied when the symbol
 * table is reloaded. */
#define SYMC_SLOTS 256
/* The symbol cache's slot of a stack (decode.c; the unit test finds colliding stacks with it). */
uint32_t dt_symc_slot(const uint64_t *ips, uint32_t n);
struct symc {
	uint64_t used; /* when it was last filled or hit (dt_capture.symc_clock): the older of a pair is replaced */
	uint32_t nips; /* 0: empty */
	uint32_t nframes;
	uint64_t ips[DT_ABI_STACK_MAX];
	bool plain; /* every frame plain printable ASCII, lens[] their lengths (struct dt_event.stack_plain) */
	uint8_t lens[DT_STACK_MAX];
	char frames[DT_STACK_MAX][DT_FRAME_MAX];
};

/* Drop causes: the BPF side's (enum dt_rec_cause), then the kernel's own counters. */
enum {
	DT_CAUSE_RECURSION = DT_RC__COUNT, /* bpf_prog_info.recursion_misses (5.12+) */
	DT_CAUSE_KPROBE_MISSED,            /* kprobe link "missed" (6.7+): kretprobe maxactive, kprobe recursion */
	DT_CAUSE__COUNT,
};

enum dt_capture_phase { PHASE_NEW, PHASE_PREPARED, PHASE_LOADED, PHASE_ATTACHED };

/* What one program of the last object load cost: wall time of its BPF_PROG_LOAD and the verifier's own
 * BPF_LOG_STATS (verification time, instructions processed, states). -1: the kernel did not say. */
#define PROG_LOADS_MAX 64
struct prog_load {
	char name[48];
	double wall_ms;
	double verify_ms;
	long insns;
	long states;
	bool failed;
};

struct dt_capture {
	struct dt_capture_opts opts;
	enum dt_capture_phase phase;
	struct dmabuf_trace_bpf *skel;
	struct ring_buffer *rb;
	struct dt_ksyms *ksyms;
	struct btf *vmbtf;
	struct dt_plan_facts facts; /* what the kernel offers, what failed on it */
	struct dt_hook_plan plan;
	struct bpf_link *links[DT_HOOK__COUNT][2]; /* entry, return */
	struct bpf_link *fork_link; /* opts.follow_tree: raw_tp/sched_process_fork */
	char fork_why[160];         /* why following at fork is off, when it was asked for */
	bool attached[DT_HOOK__COUNT];
	int loads; /* BPF object loads it took (1 when nothing had to fall back) */
	double load_ms, probe_ms, attach_ms, total_ms;
	struct prog_load progs[PROG_LOADS_MAX]; /* the last load, in load order */
	int nprogs;
	struct timespec t_start;
	int ncpus;
	uint64_t lost_total;
	uint64_t written[DT_CAUSE__COUNT]; /* drops delivered as DT_EV_LOST, per cause */
	bool have_recursion_misses, have_link_missed;
	bool have_dmabuf_iter; /* the kernel's BTF has struct bpf_iter__dmabuf (6.16+) */
	char iter_why[160];    /* why the iterator is not loaded ("" when it is) */
	struct dt_lossctr *lossbuf; /* ncpus values of the BPF "lost" map */
	/* Per CPU: drops dt_capture_check_lost delivered that the BPF side has not put in a ring record yet (its
	 * next record on that CPU repeats them), and the first-drop time that delivery used. */
	struct dt_loss_checked {
		uint64_t n[DT_RC__COUNT], first_ts[DT_RC__COUNT];
	} *checked;
	time_t ksyms_reloaded;
	struct dt_reader_stats rstats;

	/* delivery (decode.c) */
	dt_capture_event_fn fn;
	void *fnctx;
	int stop;
	int delivered;
	uint32_t since_lost_check;
	double lost_checked_ms; /* CLOCK_MONOTONIC of the last dt_capture_check_lost */
	uint32_t dma_calls, dma_ents; /* of the map event being delivered */
	bool dma_armed;
	struct dt_event ev;
	/* the event being decoded: ev, or the consumer's slot (dt_capture_set_slot) */
	struct dt_event *evp;
	struct dt_event *(*slot)(void *ctx);
	void *slot_ctx;
	struct dt_seg segs[DT_ABI_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
	struct symc *symc; /* SYMC_SLOTS symbolized stacks, two ways per hash (slot and slot ^ 1) */
	uint64_t symc_clock;
};

/* ring_buffer__new callback: one record -> one dt_event delivered to c->fn */
int dt_capture_on_sample(void *ctx, void *data, size_t len);
/* Delivers DT_EV_LOST events for drops not delivered yet (BPF counters, kernel miss counters). */
void dt_capture_check_lost(struct dt_capture *c);
/* Misses of the emitting programs by cause, from the kernel's own counters (capture.c). */
void dt_capture_kernel_misses(struct dt_capture *c, uint64_t *recursion, uint64_t *kmissed);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Ring-buffer record layout shared by bpf/dmabuf_trace.bpf.c and src/capture/.
 * Fixed-size structs only; every record starts with struct dt_rec_hdr.
 * No kernel pointer ever appears in a record: attachments carry trace-unique
 * ids assigned in BPF, buffers their inode number. Kernel stack frames are raw
 * return addresses (symbolized in userspace from /proc/kallsyms, never printed raw). */
#ifndef DMABUF_TRACE_ABI_H
#define DMABUF_TRACE_ABI_H

#ifndef __VMLINUX_H__
#include <stdint.h>
typedef uint8_t dt_u8;
typedef uint16_t dt_u16;
typedef uint32_t dt_u32;
typedef uint64_t dt_u64;
typedef int32_t dt_s32;
typedef int64_t dt_s64;
#else
typedef __u8 dt_u8;
typedef __u16 dt_u16;
typedef __u32 dt_u32;
typedef __u64 dt_u64;
typedef __s32 dt_s32;
typedef __s64 dt_s64;
#endif

#include "dmabuf_trace_defaults.h"

/* 2: DT_MF_WALK_CUT; attachment ids are unique but no longer dense with several CPUs (each CPU
 * counts its own residue class). Additions only: a version-1 reader reads version-2 records. */
#define DT_ABI_VERSION 2

#define DT_ABI_COMM_LEN 16
#define DT_ABI_DEV_LEN 64
#define DT_ABI_NAME_LEN 64 /* driver, bus, exporter */
#define DT_ABI_BUFNAME_LEN 32 /* the kernel's DMA_BUF_NAME_LEN: names are read with this bound, never past it */
#define DT_ABI_STACK_MAX 32 /* frames */
#define DT_ABI_SEGS_MAX 256 /* segments carried per map record (power of 2) */

enum dt_rec_type {
	DT_REC_EXPORT = 1,
	DT_REC_ATTACH,
	DT_REC_MAP,
	DT_REC_UNMAP,
	DT_REC_DETACH,
	DT_REC_RELEASE,
	DT_REC_VMAP,
	DT_REC_VUNMAP,
	DT_REC_LOST, /* struct dt_rec_lost: drops counted on this CPU since its previous one */
	DT_REC__COUNT,
};

/* Why the kernel side dropped an event (dt_rec_lost.cause). Counted per CPU, atomically. */
enum dt_rec_cause {
	DT_RC_RING = 0,   /* ring buffer full: reserve/output failed */
	DT_RC_SCRATCH,    /* per-task record scratch map full */
	DT_RC_NO_ENTRY,   /* a return found no state from its entry: evicted (LRU), a failed update,
	                     * or the call began before tracing */
	DT_RC_NESTED,     /* the same hook nested in one task: the inner call took the outer's state */
	DT_RC_ATT_IDS,    /* attachment id map update failed: the attachment's later events get a new id */
	DT_RC__COUNT,
};

/* dt_rec_hdr.flags */
enum {
	DT_RF_ERR = 1u << 0,       /* err is valid (kernel returned an error) */
	DT_RF_BUF = 1u << 1,       /* ino is valid */
	DT_RF_ATT = 1u << 2,       /* att is valid */
	DT_RF_STACK = 1u << 3,     /* stack/nstack valid */
};

struct dt_rec_hdr {
	dt_u32 type;  /* enum dt_rec_type */
	dt_u32 flags; /* DT_RF_* */
	dt_u64 ts;    /* bpf_ktime_get_boot_ns() */
	dt_u32 pid;   /* tgid */
	dt_u32 tid;
	dt_u32 cpu;
	dt_s32 err;   /* negative errno (DT_RF_ERR) */
	dt_u64 ino;   /* dma-buf inode (DT_RF_BUF) */
	dt_u64 att;   /* attachment id (DT_RF_ATT), 1.. */
	char comm[DT_ABI_COMM_LEN];
};

struct dt_rec_stack {
	dt_u32 nstack; /* frames in ips[] */
	dt_u32 _pad;
	dt_u64 ips[DT_ABI_STACK_MAX];
};

/* DT_REC_EXPORT */
struct dt_rec_export {
	struct dt_rec_hdr h;
	dt_u64 size;
	char exp_name[DT_ABI_NAME_LEN];
	char name[DT_ABI_BUFNAME_LEN];
};

/* attach flags */
enum {
	DT_AF_DYNAMIC = 1u << 0,   /* importer_ops != NULL */
	DT_AF_DMA_PARMS = 1u << 1, /* dev->dma_parms->max_segment_size set (else the 64 KiB default) */
	DT_AF_DRIVER = 1u << 2,    /* dev->driver != NULL */
	DT_AF_BUS = 1u << 3,       /* dev->bus != NULL */
};

/* DT_REC_ATTACH */
struct dt_rec_attach {
	struct dt_rec_hdr h;
	dt_u64 size;               /* dmabuf->size */
	dt_u64 max_seg_size;       /* effective: 65536 when unset */
	dt_u64 seg_boundary_mask;  /* effective: ULONG_MAX when unset */
	dt_u32 aflags;             /* DT_AF_* */
	dt_u32 _pad;
	char dev[DT_ABI_DEV_LEN];
	char driver[DT_ABI_NAME_LEN];
	char bus[DT_ABI_NAME_LEN];
	char bufname[DT_ABI_BUFNAME_LEN]; /* dmabuf->name now: DMA_BUF_SET_NAME comes after export */
	struct dt_rec_stack st;
};

/* map flags */
enum {
	DT_MF_CACHED = 1u << 0,     /* returned attach->sgt without calling the exporter */
	DT_MF_CONTIGUOUS = 1u << 1, /* every DMA segment starts where the previous ended */
	DT_MF_WALKED = 1u << 2,     /* nents..contiguous are valid */
	DT_MF_SGT_FIELD = 1u << 3,  /* kernel has attach->sgt (cached is meaningful) */
	DT_MF_DMA_HOOK = 1u << 4,   /* a DMA-level hook was armed during this map */
	DT_MF_WALK_CUT = 1u << 5,   /* (v2) the walk stopped at its bound before the last segment:
	                             * segs_total..contiguous cover the walked segments only */
};

/* DT_REC_MAP (return of dma_buf_map_attachment) */
struct dt_rec_map {
	struct dt_rec_hdr h;
	dt_u32 dir;          /* enum dma_data_direction as in the kernel: 0 bidi, 1 to dev, 2 from dev, 3 none */
	dt_u32 mflags;       /* DT_MF_* */
	dt_u64 size;         /* dmabuf->size */
	dt_u64 nents;        /* sgt->nents: DMA segments */
	dt_u64 orig_nents;   /* sgt->orig_nents: CPU entries */
	dt_u64 segs_total;   /* DMA segments walked (non-zero length) */
	dt_u64 total_len;
	dt_u64 max_seg;
	dt_u64 crossings;    /* segments crossing the importer's segment boundary */
	dt_u64 boundary_mask;/* the mask used */
	dt_u64 max_seg_size; /* importer's effective limit, for reference */
	dt_u32 dma_calls;    /* DMA-API map calls seen inside this dma-buf map */
	dt_u32 dma_ents;     /* DMA segments those calls reported */
	dt_u32 nsegs;        /* segs[] filled (<= max_segs) */
	dt_u32 _pad;
	char bufname[DT_ABI_BUFNAME_LEN]; /* dmabuf->name at map time */
	struct dt_rec_stack st;
	struct { dt_u64 addr, len; } segs[DT_ABI_SEGS_MAX];
};

/* DT_REC_UNMAP, DT_REC_DETACH, DT_REC_RELEASE, DT_REC_VMAP, DT_REC_VUNMAP */
struct dt_rec_simple {
	struct dt_rec_hdr h;
	dt_u32 dir;   /* unmap only */
	dt_u32 _pad;
	dt_u64 size;  /* dmabuf->size when known, else 0 */
};

/* Value of the per-CPU "lost" map. total only grows (atomic adds: a program preempted on its CPU may
 * run into another); reported is what DT_REC_LOST records already carried, first_ts the time of the
 * first drop not yet reported. Userspace takes total as the exact count and clamps the in-stream
 * records to it. */
struct dt_lossctr {
	dt_u64 total[DT_RC__COUNT];
	dt_u64 reported[DT_RC__COUNT];
	dt_u64 first_ts[DT_RC__COUNT];
	dt_u32 pending;
	/* runs that wrote no event by design, not a loss: a detach that dma_buf_dynamic_attach's own error
	 * path made (6.1-6.14) is folded into the failed attach's record (each run writes one event, counts
	 * one drop or counts one of these) */
	dt_u32 folded;
};

/* DT_REC_LOST: hdr.ts is the first drop's time on that CPU (where the loss sits in the stream) */
struct dt_rec_lost {
	struct dt_rec_hdr h;
	dt_u32 cause; /* enum dt_rec_cause */
	dt_u32 _pad;
	dt_u64 count;
};

/* Records of the dmabuf iterator program (iter/dmabuf, 6.16+), written with bpf_seq_write and read from the
 * iterator's fd when record seeds the buffers that existed before tracing (debugfs bufinfo unavailable):
 * one DT_SEED_BUF per buffer, then one DT_SEED_ATT per attachment (at most DT_SEED_ATTS_MAX; past it a
 * DT_SEED_MORE). Fixed size, so untrusted names can hold any byte. */
enum dt_seed_kind {
	DT_SEED_BUF = 1,  /* ino, size, s1 = exp_name, s2 = name (DMA_BUF_SET_NAME, "" when unnamed) */
	DT_SEED_ATT = 2,  /* ino, s1 = the importer's dev_name */
	DT_SEED_MORE = 3, /* ino: more attachments than DT_SEED_ATTS_MAX */
};
#define DT_SEED_ATTS_MAX 16
struct dt_rec_seed {
	dt_u32 kind; /* enum dt_seed_kind */
	dt_u32 _pad;
	dt_u64 ino;
	dt_u64 size;
	char s1[DT_ABI_DEV_LEN];
	char s2[DT_ABI_DEV_LEN];
};

/* Mode of each hook as decided by userspace (rodata), used only to pick
 * which programs run; BPF logic is the same in every mode. */

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Defaults shared by the BPF programs, the capture, record, the engine and the ftrace path: one place,
 * so the kernel side and user space cannot disagree. Plain macros: included from BPF C and user space. */
#ifndef DMABUF_TRACE_DEFAULTS_H
#define DMABUF_TRACE_DEFAULTS_H

/* dma_get_max_seg_size() when a device never declared one (dma_parms NULL or max_segment_size 0). */
#define DT_KERNEL_DEFAULT_MAX_SEG_SIZE 65536ull
/* The ring map's size before libbpf resizes it, and record's default --ring-size per online CPU up to
 * DT_DEFAULT_RING_MAX_BYTES: one reader drains what every CPU writes (2 vCPUs filled 3721 KiB of 4 MiB in the
 * storm, bench/results-*.md). */
#define DT_DEFAULT_RING_BYTES (4u << 20)
#define DT_DEFAULT_RING_MAX_BYTES (16u << 20)
/* record --max-segs: segments written per map event. */
#define DT_DEFAULT_MAX_SEGS 64
/* record --stack-depth: kernel frames unwound per attach/map stack. The unwind costs per frame (ORC under
 * QEMU TCG, bench/results-*.md); 8 raw frames leave, after the BPF and dma-buf core frames, the importer's
 * own 4-6 frames ("via vb2_dc_map_dmabuf <- __prepare_dmabuf"; kernel-implied limits look at them). */
#define DT_DEFAULT_STACK_DEPTH 8
/* Segments a tracefs kprobe of ftrace-recipe fetches: 4 + 2*60 args <= 128, the line < 4 KiB. The
 * importer (src/ingest/ftrace.c) reads the same number back. */
#define DT_RECIPE_SEGS 60
/* record's and the daemon's --reorder-window: the longest a map record was seen arriving behind newer
 * ones (bpf/README.md). */
#define DT_DEFAULT_REORDER_WINDOW_MS 20
/* Where record seeds pre-existing buffers from. */
#define DT_DEFAULT_BUFINFO "/sys/kernel/debug/dma_buf/bufinfo"

#endif

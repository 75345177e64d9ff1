/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The kernel types the BPF programs read, and nothing else: written by hand, so the build needs no
 * kernel BTF (/sys/kernel/btf/vmlinux) and no bpftool `btf dump`. Every struct is
 * preserve_access_index: fields are located by name in the running kernel's BTF at load time
 * (CO-RE), so the order and the fields left out here do not matter, and one object runs on every
 * kernel from 5.10 on. Fields that appeared or vanished across versions live in core_fixes.bpf.h.
 * A field added here must exist under that name in every kernel supported, or be tested with
 * bpf_core_field_exists() before it is read. */
#ifndef DT_KERNEL_TYPES_H
#define DT_KERNEL_TYPES_H

/* bpf_tracing.h picks the kernel's pt_regs register names (di, si, ...) only for a vmlinux.h;
 * the event ABI header picks the __u* spellings for it too. */
#define __VMLINUX_H__

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
enum { false = 0, true = 1 };
typedef unsigned long size_t;
typedef __u64 dma_addr_t; /* 64-bit on x86_64 and arm64 */

/* ---- BPF UAPI values the programs use (include/uapi/linux/bpf.h; stable numbers) ---- */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_LRU_PERCPU_HASH = 10,
	BPF_MAP_TYPE_RINGBUF = 27,
};
enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
	BPF_F_LOCK = 4,
};
enum {
	BPF_F_NO_PREALLOC = 1U << 0,
};
enum {
	BPF_F_USER_STACK = 1ULL << 8,
};
#define BPF_F_CURRENT_CPU 0xffffffffULL
enum {
	BPF_RB_NO_WAKEUP = 1ULL << 0,
	BPF_RB_FORCE_WAKEUP = 1ULL << 1,
};
enum {
	BPF_RB_AVAIL_DATA = 0,
	BPF_RB_RING_SIZE = 1,
	BPF_RB_CONS_POS = 2,
	BPF_RB_PROD_POS = 3,
};

/* ---- registers of a kprobe's context, per architecture (read through bpf_tracing.h's
 * PT_REGS_* macros; __TARGET_ARCH_* comes from mk/arch.mk) ---- */
#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
} __attribute__((preserve_access_index));
#elif defined(__TARGET_ARCH_arm64)
/* bpf_tracing.h reads arm64 registers through struct user_pt_regs, which the kernel's
 * struct pt_regs starts with. */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
} __attribute__((preserve_access_index));
struct pt_regs {
	struct user_pt_regs user_regs;
	__u64 orig_x0;
} __attribute__((preserve_access_index));
#else
#error "kernel_types.h: set __TARGET_ARCH_x86 or __TARGET_ARCH_arm64 (mk/arch.mk does)"
#endif

/* ---- tasks: record -- CMD follows the command's process tree at fork; every record's header
 * (pid, tgid, comm through bpf_get_current_task_btf, 5.11+) ---- */
struct task_struct {
	int pid;
	int tgid;
	char comm[16];
} __attribute__((preserve_access_index));

/* ---- VFS: buffer identity is the inode number of the dma-buf's file ---- */
struct inode {
	unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
	struct inode *f_inode;
	void *private_data; /* the struct dma_buf */
} __attribute__((preserve_access_index));

struct dentry {
	void *d_fsdata; /* the struct dma_buf */
} __attribute__((preserve_access_index));

/* ---- driver model: the importer's name, driver, bus and DMA limits ---- */
struct kobject {
	const char *name;
} __attribute__((preserve_access_index));

struct device_driver {
	const char *name;
} __attribute__((preserve_access_index));

struct bus_type {
	const char *name;
} __attribute__((preserve_access_index));

struct device_dma_parameters {
	unsigned int max_segment_size;
	unsigned long segment_boundary_mask;
} __attribute__((preserve_access_index));

struct device {
	struct kobject kobj;
	const char *init_name;
	const struct bus_type *bus;
	struct device_driver *driver;
	struct device_dma_parameters *dma_parms;
} __attribute__((preserve_access_index));

/* ---- scatterlists ---- */
enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

struct scatterlist {
	unsigned long page_link; /* bit 0: chain link, bit 1: last entry */
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length; /* CONFIG_NEED_SG_DMA_LENGTH: test with bpf_core_field_exists */
} __attribute__((preserve_access_index));

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;      /* DMA segments */
	unsigned int orig_nents; /* CPU entries */
} __attribute__((preserve_access_index));

/* ---- dma-buf ---- */
struct list_head {
	struct list_head *next, *prev;
} __attribute__((preserve_access_index));

struct dma_buf {
	size_t size;
	struct file *file;
	struct list_head attachments; /* of dma_buf_attachment.node */
	const char *exp_name;
	const char *name; /* DMA_BUF_SET_NAME */
} __attribute__((preserve_access_index));

struct dma_buf_attachment {
	struct dma_buf *dmabuf;
	struct device *dev;
	struct list_head node; /* in dmabuf->attachments */
	const void *importer_ops; /* dynamic importers (5.7+) */
} __attribute__((preserve_access_index));

/* ---- BPF iterators: the dmabuf iterator's context (6.16+, kernel/bpf/dmabuf_iter.c) ---- */
struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
} __attribute__((preserve_access_index));

struct bpf_iter__dmabuf {
	struct bpf_iter_meta *meta;
	struct dma_buf *dmabuf;
} __attribute__((preserve_access_index));

struct dma_buf_export_info {
	const char *exp_name;
	size_t size;
} __attribute__((preserve_access_index));

#endif

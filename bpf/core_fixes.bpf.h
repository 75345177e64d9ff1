/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Kernel changes the programs work around, one accessor each, each naming the commit that made it
 * necessary (the style of libbpf-tools' core_fixes.bpf.h). A ___flavour struct describes a layout
 * that exists only on some kernels; bpf_core_field_exists() tells at load time which one runs.
 * Facts CO-RE cannot see (a function's prototype) come from the loader's BTF probe as rodata. */
#ifndef DT_CORE_FIXES_BPF_H
#define DT_CORE_FIXES_BPF_H

#include <bpf/bpf_core_read.h>

/* Commit b72f66f22c0e ("dma-buf: drop caching of sg_tables", 6.15) removed attach->sgt and
 * attach->dir. Up to 6.14 dma_buf_map_attachment() could return the cached attach->sgt without
 * calling the exporter: comparing it before and after a map tells a cached mapping. */
struct dma_buf_attachment___pre_6_15 {
	struct sg_table *sgt;
	enum dma_data_direction dir;
} __attribute__((preserve_access_index));

/* Stores attach->sgt in *sgt and returns true, or returns false when this kernel has no such
 * field (6.15+: a cached mapping cannot be told from a fresh one). */
static __always_inline bool get_attach_sgt(const struct dma_buf_attachment *attach, __u64 *sgt, bool btf)
{
	const struct dma_buf_attachment___pre_6_15 *old = (const void *)attach;

	*sgt = 0;
	if (!bpf_core_field_exists(old->sgt))
		return false;
	/* btf: attach is a fentry program's BTF-typed argument, loaded from directly */
	*sgt = btf ? (__u64)old->sgt : (__u64)BPF_CORE_READ(old, sgt);
	return true;
}

/* Commit 6619ccf1bb1d ("dma-buf: Use struct dma_buf_map in dma_buf_vmap() interfaces", 5.11)
 * changed `void *dma_buf_vmap(struct dma_buf *)` (NULL on failure) into
 * `int dma_buf_vmap(struct dma_buf *, struct dma_buf_map *)` (0 or -errno); commit 7938f4218168
 * ("dma-buf-map: Rename to iosys-map", 5.18) renamed the map type, which the programs never read.
 * The loader sets vmap_returns_ptr from the BTF prototype of dma_buf_vmap (one parameter). */
const volatile bool vmap_returns_ptr = false;

/* The -errno a dma_buf_vmap() return register stands for, 0 for success. */
static __always_inline long vmap_ret_errno(unsigned long ret)
{
	int err = (int)ret; /* an int return leaves the register's upper half undefined */

	if (vmap_returns_ptr)
		return ret ? 0 : -12 /* -ENOMEM: the pre-5.11 API carries no reason */;
	return err < 0 && err >= -4095 ? err : 0;
}

/* CONFIG_NEED_SG_DMA_LENGTH (x86_64, arm64) gives a scatterlist a DMA length of its own; without
 * it the CPU length is the DMA length. */
static __always_inline __u64 sg_dma_len(const struct scatterlist *sg)
{
	if (bpf_core_field_exists(sg->dma_length))
		return BPF_CORE_READ(sg, dma_length);
	return BPF_CORE_READ(sg, length);
}

#endif

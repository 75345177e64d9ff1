/* SPDX-License-Identifier: Apache-2.0 */
/* Byte offsets of the kernel structure members the ftrace recipe's kprobe fetch-args dereference
 * (dma_buf, dma_buf_attachment, device, scatterlist, ...), read from a kernel's BTF with libbpf, so
 * the recipe is exact for that kernel. ingest/ftrace.c parses what those probes print. */
#ifndef DT_INGEST_KERNEL_OFFSETS_H
#define DT_INGEST_KERNEL_OFFSETS_H

#include <stddef.h>

struct dt_kernel_offsets {
	long dmabuf_size, dmabuf_file, dmabuf_exp_name, file_inode, inode_ino;
	long att_dmabuf, att_dev;
	long dev_kobj_name, dev_driver, dev_bus, dev_dma_parms, drv_name, bus_name, parms_mss, parms_sbm;
	long sgt_sgl, sgt_nents, sgt_orig, sg_size, sg_dma_address, sg_dma_len;
	long dentry_fsdata;
};

/* 0, or -1 with err set (no BTF at path, or a structure the recipe needs is missing). */
int dt_kernel_offsets_load(const char *path, struct dt_kernel_offsets *o, char *err, size_t errlen);

#endif

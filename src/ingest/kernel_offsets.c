/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "ingest/kernel_offsets.h"

/* Byte offset of a (possibly nested, "a.b") member of struct sname, looking through anonymous
 * structs/unions; -1 if absent. */
static long member_in(const struct btf *btf, __u32 id, const char *path)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, id));
	if (!t || (!btf_is_struct(t) && !btf_is_union(t)))
		return -1;
	const char *dot = strchr(path, '.');
	size_t len = dot ? (size_t)(dot - path) : strlen(path);
	const struct btf_member *m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		long off = (long)(btf_member_bit_offset(t, i) / 8);
		if (!n || !*n) { /* anonymous: search inside */
			long in = member_in(btf, m->type, path);
			if (in >= 0)
				return off + in;
			continue;
		}
		if (strlen(n) != len || strncmp(n, path, len) != 0)
			continue;
		if (!dot)
			return off;
		long in = member_in(btf, m->type, dot + 1);
		return in < 0 ? -1 : off + in;
	}
	return -1;
}

static long member(const struct btf *btf, const char *sname, const char *path)
{
	__s32 id = btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT);
	return id < 0 ? -1 : member_in(btf, (__u32)id, path);
}

int dt_kernel_offsets_load(const char *path, struct dt_kernel_offsets *o, char *err, size_t errlen)
{
	struct btf *btf = btf__parse(path, NULL);
	if (!btf) {
		snprintf(err, errlen, "cannot read BTF from %s: %s (the recipe needs the kernel's BTF, "
			 "CONFIG_DEBUG_INFO_BTF; or give a BTF file of the target kernel)", path, strerror(errno));
		return -1;
	}
	struct {
		long *dst;
		const char *sname, *path;
	} need[] = {
		{&o->dmabuf_size, "dma_buf", "size"},
		{&o->dmabuf_file, "dma_buf", "file"},
		{&o->dmabuf_exp_name, "dma_buf", "exp_name"},
		{&o->file_inode, "file", "f_inode"},
		{&o->inode_ino, "inode", "i_ino"},
		{&o->att_dmabuf, "dma_buf_attachment", "dmabuf"},
		{&o->att_dev, "dma_buf_attachment", "dev"},
		{&o->dev_kobj_name, "device", "kobj.name"},
		{&o->dev_driver, "device", "driver"},
		{&o->dev_bus, "device", "bus"},
		{&o->dev_dma_parms, "device", "dma_parms"},
		{&o->drv_name, "device_driver", "name"},
		{&o->bus_name, "bus_type", "name"},
		{&o->parms_mss, "device_dma_parameters", "max_segment_size"},
		{&o->parms_sbm, "device_dma_parameters", "segment_boundary_mask"},
		{&o->sgt_sgl, "sg_table", "sgl"},
		{&o->sgt_nents, "sg_table", "nents"},
		{&o->sgt_orig, "sg_table", "orig_nents"},
		{&o->sg_dma_address, "scatterlist", "dma_address"},
		{&o->dentry_fsdata, "dentry", "d_fsdata"},
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		*need[i].dst = member(btf, need[i].sname, need[i].path);
		if (*need[i].dst < 0) {
			snprintf(err, errlen, "%s: struct %s has no member %s", path, need[i].sname, need[i].path);
			btf__free(btf);
			return -1;
		}
	}
	/* sg_dma_len(): dma_length with CONFIG_NEED_SG_DMA_LENGTH, else length */
	o->sg_dma_len = member(btf, "scatterlist", "dma_length");
	if (o->sg_dma_len < 0)
		o->sg_dma_len = member(btf, "scatterlist", "length");
	__s32 id = btf__find_by_name_kind(btf, "scatterlist", BTF_KIND_STRUCT);
	o->sg_size = id < 0 ? -1 : (long)btf__resolve_size(btf, (__u32)id);
	btf__free(btf);
	if (o->sg_dma_len < 0 || o->sg_size <= 0) {
		snprintf(err, errlen, "%s: cannot size struct scatterlist", path);
		return -1;
	}
	return 0;
}


// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace ftrace-recipe: prints a shell script that sets up tracefs kprobe events
 * (and the dma:/dma_buf: tracepoints where the kernel has them) producing a log that
 * `dmabuf-trace import --from ftrace` / `check` understand, for kernels where BPF is not
 * allowed. Structure offsets for the fetch-arg deref chains come from the kernel's BTF
 * (/sys/kernel/btf/vmlinux, or the BTF file given), read with libbpf's btf API, so the
 * recipe is exact for the kernel it was generated on. See docs/ftrace.md. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/btf.h>

#include "cli/cli.h"
#include "cli/commands.h"

#define RECIPE_SEGS 60 /* must match KP_SEGS in ingest_ftrace.c; 4 + 2*60 args <= 128, the line < 4 KiB */

struct offs {
	long dmabuf_size, dmabuf_file, dmabuf_exp_name, file_inode, inode_ino;
	long att_dmabuf, att_dev;
	long dev_kobj_name, dev_driver, dev_bus, dev_dma_parms, drv_name, bus_name, parms_mss, parms_sbm;
	long sgt_sgl, sgt_nents, sgt_orig, sg_size, sg_dma_address, sg_dma_len;
	long dentry_fsdata;
};

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

static int load_offsets(const char *path, struct offs *o, char *err, size_t errlen)
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

static int run_recipe(struct dt_cli *cli)
{
	const char *btf_path = cli->nargs > 0 ? cli->args[0] : "/sys/kernel/btf/vmlinux";
	struct offs o;
	char err[512];
	if (load_offsets(btf_path, &o, err, sizeof(err)) < 0) {
		dt_err("%s", err);
		return cli->nargs > 0 ? DT_EXIT_INPUT : DT_EXIT_SYSTEM;
	}
	struct utsname u;
	uname(&u);
	/* deref chains */
	char ino_ret[96], ino_a1[96], dev2[256];
	snprintf(ino_ret, sizeof(ino_ret), "+%ld(+%ld(+%ld($retval)))", o.inode_ino, o.file_inode, o.dmabuf_file);
	snprintf(ino_a1, sizeof(ino_a1), "+%ld(+%ld(+%ld($arg1)))", o.inode_ino, o.file_inode, o.dmabuf_file);
	snprintf(dev2, sizeof(dev2),
		 "dev=+0(+%ld($arg2)):string drv=+%ld($arg2):x64 driver=+0(+%ld(+%ld($arg2))):string "
		 "bus=+0(+%ld(+%ld($arg2))):string parms=+%ld($arg2):x64 mss=+%ld(+%ld($arg2)):u32 "
		 "sbm=+%ld(+%ld($arg2)):x64",
		 o.dev_kobj_name, o.dev_driver, o.drv_name, o.dev_driver, o.bus_name, o.dev_bus, o.dev_dma_parms,
		 o.parms_mss, o.dev_dma_parms, o.parms_sbm, o.dev_dma_parms);
	char segs[4096];
	size_t n = 0;
	for (int i = 0; i < RECIPE_SEGS; i++)
		n += (size_t)snprintf(segs + n, sizeof(segs) - n, " a%d=+%ld(+%ld($retval)):x64 l%d=+%ld(+%ld($retval)):u32", i,
				      o.sg_dma_address + i * o.sg_size, o.sgt_sgl, i, o.sg_dma_len + i * o.sg_size,
				      o.sgt_sgl);

	printf("#!/bin/sh\n"
	       "# dmabuf-trace ftrace recipe (generated by `dmabuf-trace ftrace-recipe` for kernel %s;\n"
	       "# structure offsets from %s). Kprobe events for kernels where BPF is not allowed.\n"
	       "#   sh recipe.sh start          # as root: set up the probes and start tracing\n"
	       "#   ... run the workload ...\n"
	       "#   sh recipe.sh save FILE      # write the log (then: dmabuf-trace check FILE)\n"
	       "#   sh recipe.sh stop           # remove the probes\n"
	       "# The offsets are only right for this kernel build: regenerate the recipe after a kernel update.\n"
	       "set -e\n"
	       "T=${TRACEFS:-/sys/kernel/tracing}\n"
	       "[ -e \"$T/kprobe_events\" ] || T=/sys/kernel/debug/tracing\n"
	       "[ -e \"$T/kprobe_events\" ] || { echo \"recipe: no tracefs kprobe_events (mount -t tracefs tracefs "
	       "/sys/kernel/tracing; CONFIG_KPROBE_EVENTS)\" >&2; exit 1; }\n"
	       "EVENTS=\"dt_export dt_attach dt_attach_ret dt_map dt_map_ret dt_unmap dt_detach dt_release\"\n"
	       "stop() {\n"
	       "\techo 0 >\"$T/tracing_on\"\n"
	       "\tfor tp in dma/dma_map_sg dma/dma_unmap_sg dma_buf; do\n"
	       "\t\t[ -e \"$T/events/$tp/enable\" ] && echo 0 >\"$T/events/$tp/enable\"\n"
	       "\tdone\n"
	       "\t[ -e \"$T/events/dmabuf_trace/enable\" ] && echo 0 >\"$T/events/dmabuf_trace/enable\"\n"
	       "\tfor e in $EVENTS; do\n"
	       "\t\tgrep -q \"dmabuf_trace/$e \" \"$T/kprobe_events\" && echo \"-:dmabuf_trace/$e\" >>\"$T/kprobe_events\"\n"
	       "\tdone\n"
	       "\treturn 0\n"
	       "}\n"
	       "start() {\n"
	       "\tstop\n"
	       "\techo >\"$T/trace\"\n"
	       "\t# CLOCK_BOOTTIME, the clock of `dmabuf-trace record` (falls back to the default clock)\n"
	       "\techo boot >\"$T/trace_clock\" 2>/dev/null || true\n"
	       "\techo \"${BUFFER_KB:-16384}\" >\"$T/buffer_size_kb\"\n"
	       "\tcd \"$T\"\n",
	       u.release, btf_path);
	printf("\techo 'r:dmabuf_trace/dt_export dma_buf_export ptr=$retval:x64 ino=%s:u64 size=+%ld($retval):u64 "
	       "exp=+0(+%ld($retval)):string' >>kprobe_events\n",
	       ino_ret, o.dmabuf_size, o.dmabuf_exp_name);
	printf("\techo 'p:dmabuf_trace/dt_attach dma_buf_dynamic_attach dmabuf=$arg1:x64 ino=%s:u64 size=+%ld($arg1):u64 "
	       "%s dyn=$arg3:x64' >>kprobe_events\n",
	       ino_a1, o.dmabuf_size, dev2);
	printf("\techo 'r:dmabuf_trace/dt_attach_ret dma_buf_dynamic_attach att=$retval:x64' >>kprobe_events\n");
	printf("\techo 'p:dmabuf_trace/dt_map dma_buf_map_attachment att=$arg1:x64 dir=$arg2:s32' >>kprobe_events\n");
	printf("\techo 'r:dmabuf_trace/dt_map_ret dma_buf_map_attachment sgt=$retval:x64 nents=+%ld($retval):u32 "
	       "orig=+%ld($retval):u32%s' >>kprobe_events\n",
	       o.sgt_nents, o.sgt_orig, segs);
	printf("\techo 'p:dmabuf_trace/dt_unmap dma_buf_unmap_attachment att=$arg1:x64' >>kprobe_events\n");
	printf("\techo 'p:dmabuf_trace/dt_detach dma_buf_detach dmabuf=$arg1:x64 att=$arg2:x64' >>kprobe_events\n");
	printf("\techo 'p:dmabuf_trace/dt_release dma_buf_release dmabuf=+%ld($arg1):x64' >>kprobe_events\n",
	       o.dentry_fsdata);
	printf("\techo 1 >events/dmabuf_trace/enable\n"
	       "\t# 6.12+: DMA-API detail (up to 128 DMA segments per map); 7.0+: dma_buf tracepoints\n"
	       "\tfor tp in dma/dma_map_sg dma/dma_unmap_sg; do\n"
	       "\t\t[ -e \"events/$tp/enable\" ] && echo 1 >\"events/$tp/enable\"\n"
	       "\tdone\n"
	       "\techo 1 >tracing_on\n"
	       "}\n"
	       "save() {\n"
	       "\t{ echo \"# kernel: $(uname -r)\"; cat \"$T/trace\"; } >\"${1:?save needs a FILE}\"\n"
	       "}\n"
	       "case ${1:-} in\n"
	       "start) start ;;\n"
	       "save) save \"${2:-}\" ;;\n"
	       "stop) stop ;;\n"
	       "*) sed -n '2,8p' \"$0\" >&2; exit 2 ;;\n"
	       "esac\n");
	return DT_EXIT_OK;
}

const struct dt_command dt_recipe_command = {
	.name = "ftrace-recipe",
	.args_doc = "[BTF]",
	.summary = "Print a shell script that sets up tracefs kprobe events whose log `import`/`check` understand, "
		   "for kernels where BPF is not allowed.",
	.details = "Offsets come from the kernel's BTF (default /sys/kernel/btf/vmlinux, or the BTF file given).\n\n"
		   "Examples:\n"
		   "  dmabuf-trace ftrace-recipe > recipe.sh\n"
		   "  sudo sh recipe.sh start; ./camera-test; sudo sh recipe.sh save run.ftrace; sudo sh recipe.sh stop\n"
		   "  dmabuf-trace check run.ftrace",
	.exits = "Exit status: 0 printed, 2 the BTF file given cannot be read, 3 the kernel's own BTF cannot be read.",
	.flags = DT_CMD_FLAGS(F_OUTPUT, F_FORCE),
	.min_args = 0,
	.max_args = 1,
	.stdout_output = true,
	.run = run_recipe,
};

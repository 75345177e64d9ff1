/* Live capture: feature probing, load, attach, ring-buffer polling, record -> dt_event. */
#include "capture/capture.h"
#include "capture/ksyms.h"
#include "dmabuf_trace_abi.h"
#include "dmabuf_trace.skel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum hmode { HM_NONE, HM_FENTRY, HM_KPROBE, HM_TPBTF };

static const char *const hmode_name[] = {
	[HM_NONE] = "-", [HM_FENTRY] = "fentry", [HM_KPROBE] = "kprobe", [HM_TPBTF] = "tp_btf",
};

enum hook_id {
	H_ATTACH,
	H_MAP,
	H_DETACH,
	H_UNMAP,
	H_EXPORT,
	H_RELEASE,
	H_VMAP,
	H_VUNMAP,
	H_DMA,
	H_DMA_SGTABLE,
	H__COUNT,
};

struct hook {
	const char *label;
	bool essential;
	const char *func;     /* kernel function / tracepoint chosen */
	enum hmode mode;
	struct bpf_program *entry, *ret; /* entry: fentry/kprobe; ret: fexit/kretprobe (either may be NULL) */
	struct bpf_link *l_entry, *l_ret;
	bool attached;
	char why[160]; /* reason when not attached */
};

struct dt_capture {
	struct dt_capture_opts opts;
	struct dmabuf_trace_bpf *skel;
	struct ring_buffer *rb;
	struct hook hooks[H__COUNT];
	struct dt_ksyms *ksyms;
	struct btf *vmbtf;
	enum hmode main_mode;
	double load_ms, probe_ms, attach_ms, total_ms;
	int ncpus;
	uint64_t lost_seen, lost_total;
	time_t ksyms_reloaded;

	/* delivery */
	dt_capture_event_fn fn;
	void *fnctx;
	int stop;
	int delivered;
	uint32_t since_lost_check;
	uint32_t dma_calls, dma_ents; /* of the map event being delivered */
	bool dma_armed;
	struct dt_event ev;
	struct dt_seg segs[DT_ABI_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
	struct symc *symc; /* SYMC_SLOTS symbolized stacks */
};

/* Symbolized stacks by their return addresses: a workload maps from a handful of call
 * sites, and symbolizing (two symbol searches and a format per frame) cost more than the
 * rest of an event. Direct-mapped; only fully resolved stacks; emptied when the symbol
 * table is reloaded. */
#define SYMC_SLOTS 256
struct symc {
	uint32_t nips;  /* 0: empty */
	uint32_t nframes;
	uint64_t ips[DT_ABI_STACK_MAX];
	char frames[DT_STACK_MAX][DT_FRAME_MAX];
};

/* ---- libbpf log: keep the last lines for error messages ---- */

static char g_liblog[2048];
static size_t g_liblog_len;

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	if (level == LIBBPF_DEBUG && !getenv("DT_CAPTURE_DEBUG"))
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (getenv("DT_CAPTURE_VERBOSE") || getenv("DT_CAPTURE_DEBUG"))
		fputs(line, stderr);
	n = strlen(line);
	if (n >= sizeof(g_liblog))
		return 0;
	if (g_liblog_len + n >= sizeof(g_liblog)) {
		size_t drop = g_liblog_len + n - sizeof(g_liblog) + 1;
		memmove(g_liblog, g_liblog + drop, g_liblog_len - drop);
		g_liblog_len -= drop;
	}
	memcpy(g_liblog + g_liblog_len, line, n);
	g_liblog_len += n;
	g_liblog[g_liblog_len] = 0;
	return 0;
}

/* most useful libbpf line for a one-line error: the failed program, else the last line */
static const char *liblog_last(void)
{
	static char last[256];
	char *end, *p = strstr(g_liblog, "BPF program load failed");

	if (p) {
		while (p > g_liblog && p[-1] != '\n')
			p--;
		end = strchr(p, '\n');
		if (!end)
			end = g_liblog + g_liblog_len;
	} else {
		end = g_liblog + g_liblog_len;
		while (end > g_liblog && (end[-1] == '\n' || end[-1] == ' '))
			end--;
		p = end;
		while (p > g_liblog && p[-1] != '\n')
			p--;
	}
	if (end - p > 8 && !strncmp(p, "libbpf: ", 8))
		p += 8;
	snprintf(last, sizeof(last), "%.*s", (int)(end - p), p);
	return last;
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- privilege / feature probes ---- */

static bool have_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = {};
	uint64_t eff;

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	eff = (uint64_t)data[1].effective << 32 | data[0].effective;
#define CAPBIT(n) (1ULL << (n))
	if (eff & CAPBIT(21)) /* CAP_SYS_ADMIN */
		return true;
	return (eff & CAPBIT(39)) && (eff & CAPBIT(38)); /* CAP_BPF + CAP_PERFMON */
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static bool btf_has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* name of the type of parameter idx of BTF function name ("" when unknown) */
static const char *btf_param_struct(const struct btf *btf, const char *name, int idx)
{
	const struct btf_type *t;
	const struct btf_param *p;
	int id;

	if (!btf)
		return "";
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id <= 0)
		return "";
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) <= idx)
		return "";
	p = btf_params(t) + idx;
	t = btf__type_by_id(btf, p->type);
	while (t && (btf_is_ptr(t) || btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_composite(t))
		return "";
	return btf__name_by_offset(btf, t->name_off);
}

static bool have_func(struct dt_capture *c, const char *name)
{
	return dt_ksyms_has(c->ksyms, name, true);
}

/* ---- hook planning ---- */

static void hook_set(struct hook *h, const char *func, enum hmode mode, struct bpf_program *entry,
		     struct bpf_program *ret)
{
	h->func = func;
	h->mode = mode;
	h->entry = entry;
	h->ret = ret;
}

/* Picks the mode for a function: fentry if wanted and BTF knows it, else kprobe. */
static enum hmode pick_mode(struct dt_capture *c, const char *func, bool fentry_ok)
{
	if (!have_func(c, func))
		return HM_NONE;
	if (fentry_ok && btf_has_func(c->vmbtf, func))
		return HM_FENTRY;
	return HM_KPROBE;
}

static void plan(struct dt_capture *c, bool fentry_ok)
{
	struct dmabuf_trace_bpf *s = c->skel;
	struct hook *h;
	enum hmode m;
	const char *f;

	memset(c->hooks, 0, sizeof(c->hooks));
	c->hooks[H_ATTACH].label = "attach";
	c->hooks[H_ATTACH].essential = true;
	c->hooks[H_MAP].label = "map";
	c->hooks[H_MAP].essential = true;
	c->hooks[H_DETACH].label = "detach";
	c->hooks[H_UNMAP].label = "unmap";
	c->hooks[H_EXPORT].label = "export";
	c->hooks[H_RELEASE].label = "release";
	c->hooks[H_VMAP].label = "vmap";
	c->hooks[H_VUNMAP].label = "vunmap";
	c->hooks[H_DMA].label = "dma-map";
	c->hooks[H_DMA_SGTABLE].label = "dma-map-sgtable";

	/* attach: the dynamic one (dma_buf_attach wraps it since 5.7) */
	h = &c->hooks[H_ATTACH];
	if ((m = pick_mode(c, "dma_buf_dynamic_attach", fentry_ok)) != HM_NONE)
		hook_set(h, "dma_buf_dynamic_attach", m, m == HM_KPROBE ? s->progs.kp_attach : NULL,
			 m == HM_FENTRY ? s->progs.fexit_dyn_attach : s->progs.krp_attach);
	else if ((m = pick_mode(c, "dma_buf_attach", fentry_ok)) != HM_NONE)
		hook_set(h, "dma_buf_attach", m, m == HM_KPROBE ? s->progs.kp_attach : NULL,
			 m == HM_FENTRY ? s->progs.fexit_attach : s->progs.krp_attach);
	else
		snprintf(h->why, sizeof(h->why), "neither dma_buf_dynamic_attach nor dma_buf_attach in kallsyms");

	h = &c->hooks[H_MAP];
	if ((m = pick_mode(c, "dma_buf_map_attachment", fentry_ok)) != HM_NONE)
		hook_set(h, "dma_buf_map_attachment", m, m == HM_FENTRY ? s->progs.fentry_map : s->progs.kp_map,
			 m == HM_FENTRY ? s->progs.fexit_map : s->progs.krp_map);
	else
		snprintf(h->why, sizeof(h->why), "dma_buf_map_attachment not in kallsyms");

#define SIMPLE(id, fn, fe, kp)                                                                          \
	do {                                                                                            \
		h = &c->hooks[id];                                                                      \
		if ((m = pick_mode(c, fn, fentry_ok)) != HM_NONE)                                       \
			hook_set(h, fn, m, m == HM_FENTRY ? s->progs.fe : s->progs.kp, NULL);           \
		else                                                                                    \
			snprintf(h->why, sizeof(h->why), "%s not in kallsyms", fn);                     \
	} while (0)
	SIMPLE(H_DETACH, "dma_buf_detach", fentry_detach, kp_detach);
	SIMPLE(H_UNMAP, "dma_buf_unmap_attachment", fentry_unmap, kp_unmap);
	SIMPLE(H_VUNMAP, "dma_buf_vunmap", fentry_vunmap, kp_vunmap);
#undef SIMPLE

	h = &c->hooks[H_EXPORT];
	if ((m = pick_mode(c, "dma_buf_export", fentry_ok)) != HM_NONE)
		hook_set(h, "dma_buf_export", m, m == HM_KPROBE ? s->progs.kp_export : NULL,
			 m == HM_FENTRY ? s->progs.fexit_export : s->progs.krp_export);
	else
		snprintf(h->why, sizeof(h->why), "dma_buf_export not in kallsyms");

	h = &c->hooks[H_VMAP];
	if ((m = pick_mode(c, "dma_buf_vmap", fentry_ok)) != HM_NONE)
		hook_set(h, "dma_buf_vmap", m, m == HM_KPROBE ? s->progs.kp_vmap : NULL,
			 m == HM_FENTRY ? s->progs.fexit_vmap : s->progs.krp_vmap);
	else
		snprintf(h->why, sizeof(h->why), "dma_buf_vmap not in kallsyms");

	/* release: dentry op dma_buf_release(struct dentry *) runs once per buffer;
	 * dma_buf_file_release (file op) is the fallback. */
	h = &c->hooks[H_RELEASE];
	f = "dma_buf_release";
	m = pick_mode(c, f, fentry_ok);
	if (m != HM_NONE && c->vmbtf && btf_has_func(c->vmbtf, f) &&
	    strcmp(btf_param_struct(c->vmbtf, f, 0), "dentry"))
		m = HM_NONE; /* not the dentry op on this kernel */
	if (m != HM_NONE) {
		hook_set(h, f, m, m == HM_FENTRY ? s->progs.fentry_release : s->progs.kp_release, NULL);
	} else {
		f = "dma_buf_file_release";
		if ((m = pick_mode(c, f, fentry_ok)) != HM_NONE)
			hook_set(h, f, m, m == HM_FENTRY ? s->progs.fentry_file_release : s->progs.kp_file_release,
				 NULL);
		else
			snprintf(h->why, sizeof(h->why), "no dma_buf_release(struct dentry *) nor dma_buf_file_release");
	}

	/* DMA level: the 6.12+ tracepoint, else __dma_map_sg_attrs, else the two public entries */
	h = &c->hooks[H_DMA];
	if (btf__find_by_name_kind(c->vmbtf, "btf_trace_dma_map_sg", BTF_KIND_TYPEDEF) > 0) {
		hook_set(h, "dma_map_sg", HM_TPBTF, s->progs.tp_dma_map_sg, NULL);
	} else if ((m = pick_mode(c, "__dma_map_sg_attrs", fentry_ok)) != HM_NONE) {
		hook_set(h, "__dma_map_sg_attrs", m, NULL, m == HM_FENTRY ? s->progs.fexit_dma_sg : s->progs.krp_dma_sg);
	} else if ((m = pick_mode(c, "dma_map_sg_attrs", fentry_ok)) != HM_NONE) {
		hook_set(h, "dma_map_sg_attrs", m, NULL, m == HM_FENTRY ? s->progs.fexit_dma_sg : s->progs.krp_dma_sg);
		h = &c->hooks[H_DMA_SGTABLE];
		if ((m = pick_mode(c, "dma_map_sgtable", fentry_ok)) != HM_NONE)
			hook_set(h, "dma_map_sgtable", m, NULL,
				 m == HM_FENTRY ? s->progs.fexit_dma_sgtable : s->progs.krp_dma_sgtable);
		else
			snprintf(h->why, sizeof(h->why), "dma_map_sgtable not in kallsyms (inline on < 5.15)");
	} else {
		snprintf(h->why, sizeof(h->why), "no dma_map_sg tracepoint, __dma_map_sg_attrs or dma_map_sg_attrs");
	}
	if (!c->hooks[H_DMA_SGTABLE].func && !c->hooks[H_DMA_SGTABLE].why[0])
		snprintf(c->hooks[H_DMA_SGTABLE].why, sizeof(c->hooks[H_DMA_SGTABLE].why),
			 "not needed (covered by %s)", c->hooks[H_DMA].func ? c->hooks[H_DMA].func : "-");
}

/* ---- open ---- */

static void hooks_detach(struct dt_capture *c)
{
	for (int i = 0; i < H__COUNT; i++) {
		bpf_link__destroy(c->hooks[i].l_entry);
		bpf_link__destroy(c->hooks[i].l_ret);
		c->hooks[i].l_entry = c->hooks[i].l_ret = NULL;
		c->hooks[i].attached = false;
	}
}

static struct bpf_link *attach_prog(struct hook *h, struct bpf_program *p, bool ret)
{
	if (h->mode == HM_KPROBE)
		return bpf_program__attach_kprobe(p, ret, h->func);
	return bpf_program__attach(p);
}

static uint32_t pow2_ring(uint32_t want)
{
	uint32_t sz = 4096;
	long pg = sysconf(_SC_PAGESIZE);

	if (pg > 4096)
		sz = pg;
	while (sz < want && sz < (1u << 30))
		sz <<= 1;
	return sz;
}

/* One load+attach attempt. fentry_ok=false forces kprobes. */
static int try_load(struct dt_capture *c, bool fentry_ok, char *err, size_t errlen)
{
	struct dmabuf_trace_bpf *s;
	struct bpf_program *p;
	struct timespec t0, t1;
	int rc, i;

	s = dmabuf_trace_bpf__open();
	if (!s) {
		rc = -errno;
		seterr(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return rc;
	}
	c->skel = s;
	s->rodata->max_segs = c->opts.max_segs;
	s->rodata->filter_pid = c->opts.pid;
	s->rodata->want_stacks = c->opts.want_stacks;
	bpf_map__set_max_entries(s->maps.rb, pow2_ring(c->opts.ring_bytes));
	/* wake the reader only when a quarter of the ring waits; dt_capture_poll reads on its timeout */
	s->rodata->wakeup_bytes = getenv("DT_CAPTURE_WAKE_EVERY") ? 0 : pow2_ring(c->opts.ring_bytes) / 4;

	plan(c, fentry_ok);
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, false);
	for (i = 0; i < H__COUNT; i++) {
		struct hook *h = &c->hooks[i];
		struct bpf_program *ps[2] = { h->entry, h->ret };

		for (int j = 0; j < 2; j++) {
			if (!ps[j])
				continue;
			bpf_program__set_autoload(ps[j], true);
			if (h->mode == HM_FENTRY)
				bpf_program__set_attach_target(ps[j], 0, h->func);
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	g_liblog_len = 0;
	g_liblog[0] = 0;
	rc = dmabuf_trace_bpf__load(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	c->load_ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (rc) {
		seterr(err, errlen, "loading the BPF programs (%s mode) failed: %s%s%s%s",
		       fentry_ok ? "fentry" : "kprobe", strerror(-rc), g_liblog_len ? " — libbpf: " : "",
		       liblog_last(),
		       rc == -EPERM && fentry_ok ? " (fentry/fexit refused by this kernel or sandbox)" : "");
		return rc;
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < H__COUNT; i++) {
		struct hook *h = &c->hooks[i];
		int e = 0;

		if (!h->func)
			continue;
		if (h->entry) {
			h->l_entry = attach_prog(h, h->entry, false);
			if (!h->l_entry)
				e = -errno;
		}
		if (!e && h->ret) {
			h->l_ret = attach_prog(h, h->ret, true);
			if (!h->l_ret)
				e = -errno;
		}
		if (e) {
			bpf_link__destroy(h->l_entry);
			h->l_entry = NULL;
			snprintf(h->why, sizeof(h->why), "%s attach of %s refused: %s", hmode_name[h->mode], h->func,
				 strerror(-e));
			continue;
		}
		h->attached = true;
	}
	c->attach_ms = ms_since(&t0);
	return 0;
}

static int on_sample(void *ctx, void *data, size_t len);
static void check_lost(struct dt_capture *c);

static bool essentials_ok(struct dt_capture *c, char *err, size_t errlen)
{
	char buf[768] = "", ok[256] = "";
	size_t n = 0, m = 0;

	for (int i = 0; i < H__COUNT; i++) {
		struct hook *h = &c->hooks[i];
		if (h->attached)
			m += snprintf(ok + m, m < sizeof(ok) ? sizeof(ok) - m : 0, "%s%s(%s)", m ? ", " : "",
				      h->label, hmode_name[h->mode]);
		else if (h->essential)
			n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0, "%s%s: %s", n ? "; " : "",
				      h->label, h->why[0] ? h->why : "not attached");
	}
	if (!n)
		return true;
	seterr(err, errlen, "essential hooks missing: %s%s; attached: %s", buf,
	       access("/sys/bus/event_source/devices/kprobe", F_OK) &&
			       access("/sys/kernel/tracing/kprobe_events", F_OK) &&
			       access("/sys/kernel/debug/tracing/kprobe_events", F_OK)
		       ? " (this kernel has no kprobe support)"
		       : "",
	       m ? ok : "none");
	return false;
}

static void unload(struct dt_capture *c)
{
	hooks_detach(c);
	dmabuf_trace_bpf__destroy(c->skel);
	c->skel = NULL;
}

int dt_capture_open(struct dt_capture **out, const struct dt_capture_opts *opts, char *err, size_t errlen)
{
	struct dt_capture *c;
	char err1[512] = "";
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = NULL;
	if (!have_caps()) {
		seterr(err, errlen, "need root or CAP_BPF+CAP_PERFMON to load BPF tracing programs");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		seterr(err, errlen, "kernel has no BTF (/sys/kernel/btf/vmlinux missing: CONFIG_DEBUG_INFO_BTF=n)");
		return -ENOTSUP;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->opts = *opts;
	if (!c->opts.ring_bytes)
		c->opts.ring_bytes = DT_DEFAULT_RING_BYTES;
	if (!c->opts.max_segs)
		c->opts.max_segs = DT_DEFAULT_MAX_SEGS;
	if (c->opts.max_segs > DT_ABI_SEGS_MAX)
		c->opts.max_segs = DT_ABI_SEGS_MAX;
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0)
		c->ncpus = 1;
	libbpf_set_print(libbpf_log);

	c->ksyms = dt_ksyms_load(NULL);
	if (!c->ksyms || dt_ksyms_hidden(c->ksyms)) {
		seterr(err, errlen, "cannot read kernel symbol addresses from /proc/kallsyms%s",
		       c->ksyms ? " (hidden: kptr_restrict?)" : "");
		rc = -EPERM;
		goto fail;
	}
	c->vmbtf = btf__load_vmlinux_btf();
	if (!c->vmbtf) {
		rc = -errno;
		seterr(err, errlen, "cannot parse kernel BTF: %s", strerror(errno));
		goto fail;
	}

	c->probe_ms = ms_since(&t0);
	rc = -ENOENT;
	if (c->opts.force_attach_mode != DT_ATTACH_KPROBE) {
		rc = try_load(c, true, err1, sizeof(err1));
		if (!rc && !essentials_ok(c, err1, sizeof(err1)))
			rc = -ENOENT;
		if (!rc)
			c->main_mode = c->hooks[H_MAP].mode;
		else if (c->opts.force_attach_mode == DT_ATTACH_FENTRY) {
			seterr(err, errlen, "%s", err1);
			goto fail;
		}
		if (rc)
			unload(c);
	}
	if (rc) {
		char err2[512] = "";

		rc = try_load(c, false, err2, sizeof(err2));
		if (!rc && !essentials_ok(c, err2, sizeof(err2)))
			rc = -ENOENT;
		if (rc) {
			if (err1[0])
				seterr(err, errlen, "fentry: %s | kprobe: %s", err1, err2);
			else
				seterr(err, errlen, "%s", err2);
			goto fail;
		}
		c->main_mode = HM_KPROBE;
	}

	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.rb), on_sample, c, NULL);
	if (!c->rb) {
		rc = -errno;
		seterr(err, errlen, "cannot set up the ring buffer: %s", strerror(errno));
		goto fail;
	}
	/* reload: now includes our BPF programs and any module loaded meanwhile */
	dt_ksyms_free(c->ksyms);
	c->ksyms = dt_ksyms_load(NULL);
	c->ksyms_reloaded = time(NULL);
	c->total_ms = ms_since(&t0);
	*out = c;
	return 0;
fail:
	if (c->skel) {
		/* keep the hook table for dt_capture_hooks-style diagnostics on stderr */
		if (getenv("DT_CAPTURE_VERBOSE"))
			dt_capture_hooks(c, stderr);
		unload(c);
	}
	btf__free(c->vmbtf);
	dt_ksyms_free(c->ksyms);
	free(c);
	return rc < 0 ? rc : -EINVAL;
}

void dt_capture_close(struct dt_capture *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	free(c->symc);
	unload(c);
	btf__free(c->vmbtf);
	dt_ksyms_free(c->ksyms);
	free(c);
}

const char *dt_capture_mode(struct dt_capture *c)
{
	return hmode_name[c->main_mode];
}

void dt_capture_hooks(struct dt_capture *c, FILE *out)
{
	fprintf(out, "mode %s; open %.0f ms (probe kallsyms+BTF %.0f, BPF load %.0f, attach %.0f); ring %u bytes, max_segs %u\n",
		hmode_name[c->main_mode], c->total_ms, c->probe_ms, c->load_ms, c->attach_ms,
		c->skel ? bpf_map__max_entries(c->skel->maps.rb) : 0, c->opts.max_segs);
	for (int i = 0; i < H__COUNT; i++) {
		struct hook *h = &c->hooks[i];
		const char *how = hmode_name[h->mode];

		if (h->mode == HM_FENTRY)
			how = h->entry && h->ret ? "fentry+fexit" : h->ret ? "fexit" : "fentry";
		else if (h->mode == HM_KPROBE)
			how = h->entry && h->ret ? "kprobe+kretprobe" : h->ret ? "kretprobe" : "kprobe";
		if (h->attached)
			fprintf(out, "  %-16s attached  %-17s %s\n", h->label, how, h->func);
		else if (!h->func && !strncmp(h->why, "not needed", 10))
			fprintf(out, "  %-16s unused    %-17s %s\n", h->label, "-", h->why);
		else
			fprintf(out, "  %-16s MISSING   %-17s %s%s%s\n", h->label, h->func ? how : "-",
				h->func ? h->func : "", h->func ? ": " : "", h->why[0] ? h->why : "not planned");
	}
}

bool dt_capture_map_dma(struct dt_capture *c, uint32_t *calls, uint32_t *ents)
{
	if (c->ev.type != DT_EV_MAP || !c->dma_armed || !c->hooks[H_DMA].attached)
		return false;
	*calls = c->dma_calls;
	*ents = c->dma_ents;
	return true;
}

uint64_t dt_capture_lost_total(struct dt_capture *c)
{
	return c->lost_total;
}

/* ---- records -> dt_event ---- */

/* Kernel strings are fixed-size arrays, not always NUL-terminated. */
static void str_set(struct dt_str *d, const char *s, size_t max)
{
	dt_str_set(d, s, strnlen(s, max));
}

static enum dt_dma_dir kdir(uint32_t d)
{
	switch (d) {
	case 0: return DT_DIR_BIDIRECTIONAL;
	case 1: return DT_DIR_TO_DEVICE;
	case 2: return DT_DIR_FROM_DEVICE;
	default: return DT_DIR_UNSET;
	}
}

static bool skip_frame(const struct dt_ksym *s)
{
	if (!s)
		return false;
	if (s->mod && !strcmp(s->mod, "bpf"))
		return true;
	return !strncmp(s->name, "bpf_prog_", 9) || !strncmp(s->name, "bpf_trampoline_", 15);
}

static uint32_t symc_slot(const uint64_t *ips, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ ips[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)h & (SYMC_SLOTS - 1);
}

static void symbolize(struct dt_capture *c, const struct dt_rec_stack *st)
{
	uint32_t n = st->nstack < DT_ABI_STACK_MAX ? st->nstack : DT_ABI_STACK_MAX;
	bool unresolved = false;
	struct symc *sc = NULL;

	if (!n)
		goto sym;
	if (!c->symc)
		c->symc = calloc(SYMC_SLOTS, sizeof(*c->symc));
	if (c->symc) {
		sc = &c->symc[symc_slot(st->ips, n)];
		if (sc->nips == n && !memcmp(sc->ips, st->ips, n * sizeof(st->ips[0]))) {
			c->ev.nstack = sc->nframes;
			c->ev.stack = sc->frames;
			return;
		}
	}
	for (uint32_t i = 0; i < n; i++)
		if (!dt_ksyms_find(c->ksyms, st->ips[i]))
			unresolved = true;
	if (unresolved && time(NULL) - c->ksyms_reloaded >= 2) {
		struct dt_ksyms *k = dt_ksyms_load(NULL);
		if (k) {
			dt_ksyms_free(c->ksyms);
			c->ksyms = k;
			if (c->symc)
				memset(c->symc, 0, SYMC_SLOTS * sizeof(*c->symc));
		}
		c->ksyms_reloaded = time(NULL);
		unresolved = false;
		for (uint32_t i = 0; i < n; i++)
			if (!dt_ksyms_find(c->ksyms, st->ips[i]))
				unresolved = true;
	}
sym:
	c->ev.nstack = 0;
	c->ev.stack = c->stack;
	for (uint32_t i = 0; i < n && c->ev.nstack < DT_STACK_MAX; i++) {
		const struct dt_ksym *s = dt_ksyms_find(c->ksyms, st->ips[i]);

		if (skip_frame(s))
			continue;
		/* Innermost frame = first caller outside the dma-buf core, the same in
		 * every mode: fexit stacks start in the hooked function, kretprobe stacks
		 * at its caller, and _unlocked wrappers add one more dma_buf_ frame. */
		if (!c->ev.nstack && s && !s->mod && !strncmp(s->name, "dma_buf_", 8))
			continue;
		if (!dt_ksyms_format(c->ksyms, st->ips[i], c->stack[c->ev.nstack], DT_FRAME_MAX))
			unresolved = true; /* "?" */
		c->ev.nstack++;
	}
	if (sc && !unresolved) {
		sc->nips = n;
		memcpy(sc->ips, st->ips, n * sizeof(st->ips[0]));
		sc->nframes = c->ev.nstack;
		memcpy(sc->frames, c->stack, c->ev.nstack * sizeof(c->stack[0]));
	}
}

static void ev_reset(struct dt_capture *c)
{
	struct dt_event *ev = &c->ev;

	memset(ev, 0, sizeof(*ev));
	ev->segs = c->segs;
	ev->stack = c->stack;
}

static int deliver(struct dt_capture *c)
{
	int r = c->fn ? c->fn(c->fnctx, &c->ev) : 0;

	c->delivered++;
	if (r)
		c->stop = r;
	return r ? -ECANCELED : 0;
}

static int on_sample(void *ctx, void *data, size_t len)
{
	struct dt_capture *c = ctx;
	const struct dt_rec_hdr *h = data;
	struct dt_event *ev = &c->ev;

	if (len < sizeof(*h))
		return 0;
	/* under a sustained flood the ring never drains: report losses close to where they happened */
	if (++c->since_lost_check >= 64) {
		check_lost(c);
		if (c->stop)
			return -ECANCELED;
	}
	ev_reset(c);
	ev->ts = h->ts;
	ev->pid = h->pid;
	ev->tid = h->tid;
	ev->cpu = h->cpu;
	ev->has = DT_HAS_PID | DT_HAS_TID | DT_HAS_CPU;
	str_set(&ev->comm, h->comm, sizeof(h->comm));
	if (h->flags & DT_RF_BUF) {
		ev->buf = h->ino;
		ev->has |= DT_HAS_BUF;
	}
	if (h->flags & DT_RF_ATT) {
		ev->att = h->att;
		ev->has |= DT_HAS_ATT;
	}
	if (h->flags & DT_RF_ERR) {
		ev->err = h->err;
		ev->has |= DT_HAS_ERR;
	}

	switch (h->type) {
	case DT_REC_EXPORT: {
		const struct dt_rec_export *r = data;
		if (len < sizeof(*r))
			return 0;
		ev->type = DT_EV_EXPORT;
		if (r->size) {
			ev->size = r->size;
			ev->has |= DT_HAS_SIZE;
		}
		if (r->exp_name[0])
			str_set(&ev->exporter, r->exp_name, sizeof(r->exp_name));
		if (r->name[0])
			str_set(&ev->name, r->name, sizeof(r->name));
		break;
	}
	case DT_REC_ATTACH: {
		const struct dt_rec_attach *r = data;
		if (len < sizeof(*r))
			return 0;
		ev->type = DT_EV_ATTACH;
		if (r->size) {
			ev->size = r->size;
			ev->has |= DT_HAS_SIZE;
		}
		str_set(&ev->dev, r->dev, sizeof(r->dev));
		if (r->aflags & DT_AF_DRIVER)
			str_set(&ev->driver, r->driver, sizeof(r->driver));
		if (r->aflags & DT_AF_BUS)
			str_set(&ev->bus, r->bus, sizeof(r->bus));
		ev->dynamic = r->aflags & DT_AF_DYNAMIC;
		ev->dma_parms = r->aflags & DT_AF_DMA_PARMS;
		ev->max_seg_size = r->max_seg_size;
		ev->seg_boundary_mask = r->seg_boundary_mask;
		if (r->bufname[0])
			str_set(&ev->name, r->bufname, sizeof(r->bufname));
		ev->has |= DT_HAS_DMA_PARMS | DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY;
		if (r->h.flags & DT_RF_STACK)
			symbolize(c, &r->st);
		break;
	}
	case DT_REC_MAP: {
		const struct dt_rec_map *r = data;
		if (len < offsetof(struct dt_rec_map, segs) ||
		    len < offsetof(struct dt_rec_map, segs) + (size_t)(r->nsegs < DT_ABI_SEGS_MAX ? r->nsegs : DT_ABI_SEGS_MAX) * sizeof(r->segs[0]))
			return 0;
		ev->type = DT_EV_MAP;
		ev->dir = kdir(r->dir);
		c->dma_calls = r->dma_calls;
		c->dma_ents = r->dma_ents;
		c->dma_armed = r->mflags & DT_MF_DMA_HOOK;
		if (r->size) {
			ev->size = r->size;
			ev->has |= DT_HAS_SIZE;
		}
		ev->cached = r->mflags & DT_MF_CACHED;
		if (r->bufname[0])
			str_set(&ev->name, r->bufname, sizeof(r->bufname));
		if (r->mflags & DT_MF_WALKED) {
			ev->nents = r->nents;
			ev->orig_nents = r->orig_nents;
			ev->segs_total = r->segs_total;
			ev->max_seg = r->max_seg;
			ev->total_len = r->total_len;
			ev->boundary_crossings = r->crossings;
			ev->contiguous = r->mflags & DT_MF_CONTIGUOUS;
			ev->nsegs = r->nsegs < DT_ABI_SEGS_MAX ? r->nsegs : DT_ABI_SEGS_MAX;
			for (uint32_t i = 0; i < ev->nsegs; i++) {
				c->segs[i].addr = r->segs[i].addr;
				c->segs[i].len = r->segs[i].len;
			}
			ev->has |= DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_MAX_SEG |
				   DT_HAS_TOTAL_LEN | DT_HAS_CONTIGUOUS | DT_HAS_CROSSINGS | DT_HAS_SEGS;
		}
		if (r->h.flags & DT_RF_STACK)
			symbolize(c, &r->st);
		break;
	}
	case DT_REC_UNMAP:
	case DT_REC_DETACH:
	case DT_REC_RELEASE:
	case DT_REC_VMAP:
	case DT_REC_VUNMAP: {
		const struct dt_rec_simple *r = data;
		static const enum dt_event_type map[] = {
			[DT_REC_UNMAP] = DT_EV_UNMAP,   [DT_REC_DETACH] = DT_EV_DETACH, [DT_REC_RELEASE] = DT_EV_RELEASE,
			[DT_REC_VMAP] = DT_EV_VMAP,     [DT_REC_VUNMAP] = DT_EV_VUNMAP,
		};
		if (len < sizeof(*r))
			return 0;
		ev->type = map[h->type];
		if (r->size) {
			ev->size = r->size;
			ev->has |= DT_HAS_SIZE;
		}
		if (h->type == DT_REC_UNMAP)
			ev->dir = kdir(r->dir);
		break;
	}
	default:
		return 0;
	}
	return deliver(c);
}

static uint64_t read_lost(struct dt_capture *c)
{
	uint64_t *vals, sum = 0;
	uint32_t key = 0;

	vals = calloc(c->ncpus, sizeof(*vals));
	if (!vals)
		return c->lost_seen;
	if (!bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.lost), &key, vals))
		for (int i = 0; i < c->ncpus; i++)
			sum += vals[i];
	free(vals);
	return sum;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Delivers a DT_EV_LOST event for reservations that failed since the last check. */
static void check_lost(struct dt_capture *c)
{
	uint64_t lostnow = read_lost(c);

	c->since_lost_check = 0;
	if (lostnow <= c->lost_seen)
		return;
	ev_reset(c);
	c->ev.type = DT_EV_LOST;
	c->ev.ts = boot_ns();
	c->ev.count = lostnow - c->lost_seen;
	c->ev.has = DT_HAS_COUNT;
	c->lost_total += c->ev.count;
	c->lost_seen = lostnow;
	deliver(c);
}

int dt_capture_poll(struct dt_capture *c, int timeout_ms, dt_capture_event_fn fn, void *ctx)
{
	int rc;

	c->fn = fn;
	c->fnctx = ctx;
	c->stop = 0;
	c->delivered = 0;
	rc = ring_buffer__poll(c->rb, timeout_ms);
	if (rc >= 0 && !c->stop) {
		/* records written without a wakeup (wakeup_bytes): whatever waits, after at most
		 * timeout_ms (the latency of a live finding) */
		int n = ring_buffer__consume(c->rb);
		if (n < 0 && !c->stop)
			rc = n;
	}
	if (c->stop)
		return c->stop;
	if (rc < 0 && rc != -EINTR)
		return rc;
	check_lost(c);
	if (c->stop)
		return c->stop;
	if (rc == -EINTR)
		return c->delivered ? c->delivered : -EINTR;
	return c->delivered;
}

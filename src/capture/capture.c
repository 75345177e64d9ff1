// SPDX-License-Identifier: Apache-2.0
/* Live capture, in phases (the shape of retsnoop's mass_attacher): new -> prepare (privileges,
 * kallsyms, BTF, feature probes, the hook plan) -> load -> attach -> poll. A hook whose
 * fentry/fexit or tp_btf program cannot load or attach falls back to kprobes for that hook
 * alone (libbpf 1.1 cannot reload one program: the object is reopened with the plan updated);
 * a non-essential hook whose programs fail in every mode is dropped with its reason. Only the
 * essential hooks (attach, map) sink the capture. Ring decoding lives in decode.c. */
#include "capture/capture_internal.h"
#include "capture/kretprobe_tracefs.h"
#include "common/errors.h"
#include "dmabuf_trace.skel.h"
#include "ingest/bufinfo.h"
#include <inttypes.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef ENOTSUPP
#define ENOTSUPP 524 /* the kernel's internal "not supported", seen by user space */
#endif

/* Loads it may take: one per demotion or drop, at most two per hook. */
#define MAX_LOADS (2 * DT_HOOK__COUNT + 2)

/* The program named in libbpf's last "prog 'NAME': ..." warning: the one that failed to load. */
static char g_failed_prog[64];

static void note_failed_prog(const char *line)
{
	char name[64];

	if (sscanf(line, "libbpf: prog '%63[^']'", name) == 1 && strstr(line, "failed"))
		snprintf(g_failed_prog, sizeof(g_failed_prog), "%s", name);
}

static const char *errname(int e)
{
	e = e < 0 ? -e : e;
	return e == ENOTSUPP ? "ENOTSUPP" : strerror(e);
}

/* ---- libbpf log: keep the last lines for error messages ---- */

static char g_liblog[2048];
static size_t g_liblog_len;

/* ---- what each program costs to load ----
 * Every program is loaded with the verifier's statistics (the kernel's BPF_LOG_STATS: a few lines, no
 * instruction log), which libbpf hands to the print callback as soon as that program is in (a failure: right
 * after its "load failed" line). libbpf prints nothing between two programs' loads, so the time since its
 * previous message is that program's BPF_PROG_LOAD. On a kernel whose verifier takes minutes this names the
 * program, in the hook table and, as each program is in, under DT_CAPTURE_VERBOSE. */
#define VERIFIER_LOG_STATS 4 /* the kernel's BPF_LOG_STATS (include/linux/bpf_verifier.h, not uapi) */

static struct dt_capture *g_loading; /* the capture whose object is being loaded */
static struct timespec g_last_msg;   /* libbpf's previous message */

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static long stat_after(const char *log, const char *key)
{
	const char *p = strstr(log, key);

	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void note_prog_load(const char *text, bool failed_line, double since_prev_ms)
{
	struct dt_capture *c = g_loading;
	struct prog_load *pl = c && c->nprogs ? &c->progs[c->nprogs - 1] : NULL;
	char name[sizeof(pl->name)];
	long us;

	if (!c || sscanf(text, "libbpf: prog '%47[^']'", name) != 1)
		return;
	if (failed_line || !pl || !pl->failed || strcmp(pl->name, name) || pl->insns >= 0) {
		/* a new program's end (its stats follow a failure's line, they are not another program) */
		if (c->nprogs >= PROG_LOADS_MAX)
			return;
		pl = &c->progs[c->nprogs++];
		snprintf(pl->name, sizeof(pl->name), "%s", name);
		pl->wall_ms = since_prev_ms;
		pl->verify_ms = -1;
		pl->insns = pl->states = -1;
		pl->failed = failed_line;
		if (failed_line)
			return;
	}
	us = stat_after(text, "verification time ");
	pl->verify_ms = us >= 0 ? us / 1000.0 : -1;
	pl->insns = stat_after(text, "processed ");
	pl->states = stat_after(text, "total_states ");
	if (getenv("DT_CAPTURE_VERBOSE"))
		dt_info("BPF load: %s %s in %.0f ms (verifier %.0f ms, %ld insns processed, %ld states)", pl->name,
			pl->failed ? "refused" : "loaded", pl->wall_ms, pl->verify_ms, pl->insns, pl->states);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;
	va_list whole;
	double since_prev = ms_since(&g_last_msg);

	clock_gettime(CLOCK_MONOTONIC, &g_last_msg);
	if (g_loading && (strstr(fmt, "-- BEGIN PROG LOAD LOG --") || strstr(fmt, "BPF program load failed"))) {
		char text[2048];
		va_list copy;

		va_copy(copy, ap);
		vsnprintf(text, sizeof(text), fmt, copy);
		va_end(copy);
		note_prog_load(text, !!strstr(fmt, "BPF program load failed"), since_prev);
	}
	if (level == LIBBPF_DEBUG && !getenv("DT_CAPTURE_DEBUG"))
		return 0;
	va_copy(whole, ap);
	vsnprintf(line, sizeof(line), fmt, ap);
	if (level == LIBBPF_WARN)
		note_failed_prog(line);
	if (getenv("DT_CAPTURE_VERBOSE") || getenv("DT_CAPTURE_DEBUG"))
		vfprintf(stderr, fmt, whole); /* whole verifier logs, not the 512-byte line kept below */
	va_end(whole);
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

/* sg entries the map programs walk: --max-walk, and without bpf_loop at most DT_CAPTURE_BOUNDED_WALK
 * (the verifier walks every iteration of the bounded loop) */
static uint32_t dt_capture_walk_cap(const struct dt_capture *c)
{
	uint32_t cap = c->opts.max_walk < DT_CAPTURE_WALK_BOUND ? c->opts.max_walk : DT_CAPTURE_WALK_BOUND;

	if (c->plan.bounded_walk && cap > DT_CAPTURE_BOUNDED_WALK)
		cap = DT_CAPTURE_BOUNDED_WALK;
	return cap;
}

/* ---- feature probes ---- */

static bool probe_bpf_loop(void)
{
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL) > 0 ||
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_loop, NULL) > 0;
}

/* bpf_get_current_task_btf (5.11+): the record headers read pid, tid and comm from the task */
static bool probe_task_btf(void)
{
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_current_task_btf, NULL) > 0;
}

/* ---- phases ---- */

int dt_capture_new(struct dt_capture **out, const struct dt_capture_opts *opts)
{
	struct dt_capture *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	clock_gettime(CLOCK_MONOTONIC, &c->t_start);
	c->opts = *opts;
	if (!c->opts.ring_bytes) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		uint64_t want = (uint64_t)DT_DEFAULT_RING_BYTES * (uint64_t)(online > 1 ? online : 1);
		c->opts.ring_bytes = want < DT_DEFAULT_RING_MAX_BYTES ? (uint32_t)want : DT_DEFAULT_RING_MAX_BYTES;
	}
	if (!c->opts.max_segs)
		c->opts.max_segs = DT_DEFAULT_MAX_SEGS;
	if (c->opts.max_segs > DT_ABI_SEGS_MAX)
		c->opts.max_segs = DT_ABI_SEGS_MAX;
	if (!c->opts.stack_depth)
		c->opts.stack_depth = DT_DEFAULT_STACK_DEPTH;
	if (c->opts.stack_depth > DT_ABI_STACK_MAX)
		c->opts.stack_depth = DT_ABI_STACK_MAX;
	if (!c->opts.max_walk)
		c->opts.max_walk = DT_CAPTURE_MAX_WALK;
	if (c->opts.max_walk > DT_CAPTURE_WALK_BOUND)
		c->opts.max_walk = DT_CAPTURE_WALK_BOUND;
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0)
		c->ncpus = 1;
	libbpf_set_print(libbpf_log);
	*out = c;
	return 0;
}

int dt_capture_prepare(struct dt_capture *c, char *err, size_t errlen)
{
	struct dt_plan_facts *f = &c->facts;

	if (!have_caps()) {
		seterr(err, errlen, "need root or CAP_BPF+CAP_PERFMON to load BPF tracing programs");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		seterr(err, errlen, "kernel has no BTF (/sys/kernel/btf/vmlinux missing: CONFIG_DEBUG_INFO_BTF=n)");
		return -ENOTSUP;
	}
	c->ksyms = dt_ksyms_load(NULL);
	if (!c->ksyms || dt_ksyms_hidden(c->ksyms)) {
		seterr(err, errlen, "cannot read kernel symbol addresses from /proc/kallsyms%s",
		       c->ksyms ? " (hidden: kptr_restrict?)" : "");
		return -EPERM;
	}
	c->vmbtf = btf__load_vmlinux_btf();
	if (!c->vmbtf) {
		int e = -errno;
		seterr(err, errlen, "cannot parse kernel BTF: %s", strerror(-e));
		return e;
	}
	memset(f, 0, sizeof(*f));
	f->ksyms = c->ksyms;
	f->btf = c->vmbtf;
	f->have_bpf_loop = probe_bpf_loop();
	/* iter/dmabuf resolves against this type: without it the program must not even be loaded */
	c->have_dmabuf_iter = btf__find_by_name_kind(c->vmbtf, "bpf_iter__dmabuf", BTF_KIND_STRUCT) > 0;
	if (!c->opts.seed_iter)
		snprintf(c->iter_why, sizeof(c->iter_why), "not needed (seeded from debugfs bufinfo)");
	else if (!c->have_dmabuf_iter)
		snprintf(c->iter_why, sizeof(c->iter_why), "the kernel has no BPF dmabuf iterator (6.16+)");
	f->kprobe_only_all = c->opts.force_attach_mode == DT_ATTACH_KPROBE;
	f->fentry_only = c->opts.force_attach_mode == DT_ATTACH_FENTRY;
	dt_hook_plan_make(f, &c->plan);
	c->probe_ms = ms_since(&c->t_start);
	c->phase = PHASE_PREPARED;
	return 0;
}

static struct bpf_program *prog_by_name(struct dt_capture *c, const char *name)
{
	return name ? bpf_object__find_program_by_name(c->skel->obj, name) : NULL;
}

static void unload(struct dt_capture *c)
{
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		bpf_link__destroy(c->links[i][0]);
		bpf_link__destroy(c->links[i][1]);
		c->links[i][0] = c->links[i][1] = NULL;
		c->attached[i] = false;
	}
	bpf_link__destroy(c->fork_link);
	c->fork_link = NULL;
	dt_kretprobe_tracefs_cleanup();
	dmabuf_trace_bpf__destroy(c->skel);
	c->skel = NULL;
}

static const char *kprobe_hint(void)
{
	return access("/sys/bus/event_source/devices/kprobe", F_OK) && access("/sys/kernel/tracing/kprobe_events", F_OK) &&
			       access("/sys/kernel/debug/tracing/kprobe_events", F_OK)
		       ? " (this kernel has no kprobe support)"
		       : "";
}

/* Essential hooks without a plan: nothing to load. */
static bool essentials_planned(struct dt_capture *c, char *err, size_t errlen)
{
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];

		if (h->essential && h->mode == DT_HM_NONE) {
			seterr(err, errlen, "essential hook %s cannot be placed: %s%s", h->label, h->why, kprobe_hint());
			return false;
		}
	}
	return true;
}

/* One open + load of the object as the plan says. */
static int load_once(struct dt_capture *c)
{
	struct dmabuf_trace_bpf *s = dmabuf_trace_bpf__open();
	struct bpf_program *p;
	uint32_t ring = pow2_ring(c->opts.ring_bytes);
	int rc;

	if (!s)
		return -errno;
	c->skel = s;
	s->rodata->max_segs = c->opts.max_segs;
	s->rodata->filter_pid = c->opts.pid;
	s->rodata->want_stacks = c->opts.want_stacks;
	s->rodata->stack_depth = c->opts.stack_depth;
	s->rodata->nr_cpus = c->ncpus;
	s->rodata->vmap_returns_ptr = c->plan.vmap_returns_ptr;
	s->rodata->has_task_btf = probe_task_btf();
	s->rodata->max_walk = dt_capture_walk_cap(c);
	{
		/* the kretprobe return trampoline, by its names across kernels (bpf/dmabuf_trace.bpf.c,
		 * struct entry_stack): an unwind stuck there is replaced by the entry's stack */
		static const char *const tramp[] = {"kretprobe_trampoline", "__kretprobe_trampoline",
						    "arch_rethook_trampoline"};
		uint64_t lo, hi;
		for (size_t i = 0; i < sizeof(tramp) / sizeof(tramp[0]); i++)
			if (dt_ksyms_range(c->ksyms, tramp[i], &lo, &hi)) {
				s->rodata->kretprobe_tramp_lo = lo;
				s->rodata->kretprobe_tramp_hi = hi;
				break;
			}
	}
	{
		uint64_t lo, hi;
		if (dt_ksyms_range(c->ksyms, "dma_buf_dynamic_attach", &lo, &hi) ||
		    dt_ksyms_range(c->ksyms, "dma_buf_attach", &lo, &hi)) {
			s->rodata->attach_fn_lo = lo;
			s->rodata->attach_fn_hi = hi;
		}
	}
	bpf_map__set_max_entries(s->maps.rb, ring);
	s->rodata->test_keep_detached = c->opts.keep_detached;
	if (c->opts.map_entries) {
		/* test only: small enough that a workload fills them, to see every drop counted */
		bpf_map__set_max_entries(s->maps.inmap, c->opts.map_entries);
		bpf_map__set_max_entries(s->maps.stash, c->opts.map_entries);
		bpf_map__set_max_entries(s->maps.map_scratch, c->opts.map_entries);
		bpf_map__set_max_entries(s->maps.att_ids, c->opts.map_entries);
	}
	/* wake the reader only when a quarter of the ring waits; dt_capture_poll reads on its timeout */
	s->rodata->wakeup_bytes = getenv("DT_CAPTURE_WAKE_EVERY") ? 0 : ring / 4;
	bpf_object__for_each_program(p, s->obj)
		bpf_program__set_autoload(p, false);
	if (c->opts.follow_tree)
		bpf_program__set_autoload(s->progs.follow_fork, true);
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];
		const char *names[2] = { h->entry, h->ret };

		for (int j = 0; j < 2 && h->mode != DT_HM_NONE; j++) {
			if (!(p = prog_by_name(c, names[j])))
				continue;
			bpf_program__set_autoload(p, true);
			if (h->mode == DT_HM_FENTRY)
				bpf_program__set_attach_target(p, 0, h->func);
		}
	}
	if (!c->iter_why[0])
		bpf_program__set_autoload(s->progs.iter_dmabuf_seed, true);
	bpf_object__for_each_program(p, s->obj)
		if (bpf_program__autoload(p))
			bpf_program__set_log_level(p, VERIFIER_LOG_STATS);
	g_liblog_len = 0;
	g_liblog[0] = 0;
	g_failed_prog[0] = 0;
	c->loads++;
	c->nprogs = 0;
	g_loading = c;
	clock_gettime(CLOCK_MONOTONIC, &g_last_msg);
	rc = dmabuf_trace_bpf__load(s);
	g_loading = NULL;
	return rc;
}

/* Hook id failed in its current mode with error e (what: "load", "attach"). Updates the facts
 * so the next plan avoids it; false when nothing is left to try (an essential hook). */
static bool demote(struct dt_capture *c, int id, int e, const char *what)
{
	struct dt_plan_facts *f = &c->facts;
	const struct dt_hook_choice *h = &c->plan.hooks[id];
	bool env_refused = e == -EPERM || e == -ENOTSUPP || e == -EOPNOTSUPP || e == -ENOTSUP;

	if (h->mode == DT_HM_FENTRY && env_refused && !f->fentry_only) {
		/* the kernel or a sandbox refuses fentry/fexit itself: every hook moves at once */
		f->kprobe_only_all = true;
		for (int i = 0; i < DT_HOOK__COUNT; i++)
			if (c->plan.hooks[i].mode == DT_HM_FENTRY && !f->why[i][0])
				snprintf(f->why[i], sizeof(f->why[i]), "fentry/fexit refused at %s (%s): kprobes", what,
					 errname(e));
		return true;
	}
	if ((h->mode == DT_HM_FENTRY && !f->fentry_only) || h->mode == DT_HM_TPBTF) {
		f->kprobe_only |= 1u << id;
		snprintf(f->why[id], sizeof(f->why[id]), "%s %s of %s failed (%s)%s", dt_hook_how(h), what, h->func,
			 errname(e), h->mode == DT_HM_TPBTF ? "" : ": kprobe");
		return true;
	}
	if (h->essential)
		return false;
	f->dropped |= 1u << id;
	snprintf(f->why[id], sizeof(f->why[id]), "dropped: %s %s of %s failed (%s)", dt_hook_how(h), what, h->func,
		 errname(e));
	return true;
}

int dt_capture_load(struct dt_capture *c, char *err, size_t errlen)
{
	struct timespec t0;
	int rc = -EINVAL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (c->loads < MAX_LOADS) {
		int id;

		dt_hook_plan_make(&c->facts, &c->plan);
		if (!essentials_planned(c, err, errlen))
			return -ENOENT;
		rc = load_once(c);
		if (!rc) {
			c->load_ms += ms_since(&t0);
			c->phase = PHASE_LOADED;
			return 0;
		}
		if (c->opts.follow_tree && !strcmp(g_failed_prog, "follow_fork")) {
			/* not essential: the tree is then followed through /proc (record says so) */
			c->opts.follow_tree = false;
			snprintf(c->fork_why, sizeof(c->fork_why), "raw_tp/sched_process_fork load failed (%s)", errname(rc));
			unload(c);
			continue;
		}
		if (!c->iter_why[0] && !strcmp(g_failed_prog, "iter_dmabuf_seed")) {
			/* not a hook: the seed falls back to none, the hooks load without it */
			snprintf(c->iter_why, sizeof(c->iter_why), "the iterator program failed to load (%s)", errname(rc));
			unload(c);
			continue;
		}
		id = g_failed_prog[0] ? dt_hook_plan_find_prog(&c->plan, g_failed_prog) : -1;
		if (id < 0 || !demote(c, id, rc, "load")) {
			bool fentry = id >= 0 && c->plan.hooks[id].mode == DT_HM_FENTRY;

			seterr(err, errlen, "loading the BPF programs (%s mode) failed: %s%s%s%s",
			       c->facts.fentry_only ? "fentry" : c->facts.kprobe_only_all ? "kprobe" : "auto", errname(rc),
			       g_liblog_len ? " — libbpf: " : "", liblog_last(),
			       rc == -EPERM && fentry ? " (fentry/fexit refused by this kernel or sandbox)" : "");
			unload(c);
			return rc;
		}
		unload(c);
	}
	seterr(err, errlen, "loading the BPF programs failed after %d tries: %s", c->loads, liblog_last());
	return rc;
}

static struct bpf_link *attach_prog(const struct dt_hook_choice *h, struct bpf_program *p, bool ret)
{
	/* hidden, for the drop-accounting tests: kretprobes with this maxactive (through tracefs) */
	if (h->mode == DT_HM_KPROBE && ret && getenv("DT_TEST_KRETPROBE_MAXACTIVE"))
		return dt_kretprobe_tracefs_attach(p, h->func, atoi(getenv("DT_TEST_KRETPROBE_MAXACTIVE")));
	if (h->mode == DT_HM_KPROBE)
		return bpf_program__attach_kprobe(p, ret, h->func);
	return bpf_program__attach(p);
}

/* Attaches hook id's programs; 0 or the first -errno. */
static int attach_hook(struct dt_capture *c, int id)
{
	const struct dt_hook_choice *h = &c->plan.hooks[id];
	const char *names[2] = { h->entry, h->ret };

	/* kprobes at one address run newest first: the kretprobe goes in before the kprobe, so that the
	 * kprobe (its entry stack, bpf/dmabuf_trace.bpf.c struct entry_stack) runs before the kretprobe
	 * has put its trampoline in the return address, which a pre-5.15 unwinder cannot get past */
	for (int k = 0; k < 2; k++) {
		int j = h->mode == DT_HM_KPROBE ? 1 - k : k;
		struct bpf_program *p = prog_by_name(c, names[j]);

		if (!p)
			continue;
		c->links[id][j] = attach_prog(h, p, j == 1);
		if (!c->links[id][j]) {
			int e = -errno;
			bpf_link__destroy(c->links[id][1 - j]);
			c->links[id][1 - j] = NULL;
			return e ? e : -EINVAL;
		}
	}
	c->attached[id] = true;
	return 0;
}

/* "essential hooks missing: attach: why; map: why (hint); attached: a(mode), ..." */
static void essentials_missing(struct dt_capture *c, char *err, size_t errlen)
{
	char miss[768] = "", ok[256] = "";
	size_t n = 0, m = 0;
	bool kprobe = false;

	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];

		if (c->attached[i])
			m += snprintf(ok + m, m < sizeof(ok) ? sizeof(ok) - m : 0, "%s%s(%s)", m ? ", " : "", h->label,
				      dt_hook_mode_name(h->mode));
		else if (h->essential) {
			n += snprintf(miss + n, n < sizeof(miss) ? sizeof(miss) - n : 0, "%s%s: %s", n ? "; " : "",
				      h->label, c->facts.why[i][0] ? c->facts.why[i] : "not attached");
			kprobe |= h->mode == DT_HM_KPROBE;
		}
	}
	seterr(err, errlen, "essential hooks missing: %s%s; attached: %s", miss, kprobe ? kprobe_hint() : "",
	       m ? ok : "none");
}

static int attach_all(struct dt_capture *c, bool *reload, char *err, size_t errlen)
{
	bool essential_failed = false;

	*reload = false;
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];
		int e;

		if (h->mode == DT_HM_NONE)
			continue;
		e = attach_hook(c, i);
		if (!e)
			continue;
		if (!demote(c, i, e, "attach")) {
			/* the other hooks still attach: the message says what did */
			char *why = c->facts.why[i], more[DT_PLAN_WHY_LEN];
			size_t len = strlen(why);

			snprintf(more, sizeof(more), "%s%s attach of %s refused: %s", len ? ", then " : "", dt_hook_how(h),
				 h->func, errname(e));
			snprintf(why + len, sizeof(c->facts.why[i]) - len, "%s", more);
			essential_failed = true;
			continue;
		}
		/* a dropped kprobe hook needs no reload; a demoted fentry one needs its kprobe programs */
		if (!(c->facts.dropped & (1u << i)))
			*reload = true;
	}
	if (essential_failed) {
		essentials_missing(c, err, errlen);
		return -ENOENT;
	}
	return 0;
}

/* ---- the kernel's own counters of the attached programs ---- */

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* The program of hook id that writes events: the return side, or its only program. */
static struct bpf_program *emitting_prog(struct dt_capture *c, int id)
{
	const struct dt_hook_choice *h = &c->plan.hooks[id];

	return c->attached[id] ? prog_by_name(c, h->ret ? h->ret : h->entry) : NULL;
}

/* bpf_prog_info has recursion_misses (5.12+) when the kernel fills that far */
static bool kernel_has_recursion_misses(struct dt_capture *c)
{
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		struct bpf_program *p = emitting_prog(c, i);
		struct bpf_prog_info info = {};
		uint32_t len = sizeof(info);

		if (p && !bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			return len >= offsetof(struct bpf_prog_info, recursion_misses) + sizeof(info.recursion_misses);
	}
	return false;
}

/* The programs that write events are the return side of a hook, or its only program: their misses
 * are lost events; misses of entry programs show up as no-entry drops at the return. */
struct bpf_link_info_kprobe { /* the kernel's bpf_link_info up to perf_event.kprobe.missed (6.7 uapi) */
	uint32_t type, id, prog_id, _pad;
	uint32_t pe_type, _pad2;
	uint64_t func_name;
	uint32_t name_len, offset;
	uint64_t addr, missed, cookie;
	uint8_t rest[64];
};

static uint64_t prog_recursion_misses(struct bpf_program *p, bool *ok)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info);

	if (!p || bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return 0;
	if (len < offsetof(struct bpf_prog_info, recursion_misses) + sizeof(info.recursion_misses))
		return 0;
	*ok = true;
	return info.recursion_misses;
}

static uint64_t link_missed(struct bpf_link *l, bool *ok)
{
	struct bpf_link_info_kprobe info = {};
	uint32_t len = sizeof(info);

	if (!l || bpf_obj_get_info_by_fd(bpf_link__fd(l), &info, &len))
		return 0;
	if (info.type != 7 /* BPF_LINK_TYPE_PERF_EVENT */ || (info.pe_type != 3 && info.pe_type != 4))
		return 0; /* 3/4: BPF_PERF_EVENT_KPROBE/KRETPROBE */
	*ok = true;
	return info.missed;
}

void dt_capture_kernel_misses(struct dt_capture *c, uint64_t *recursion, uint64_t *kmissed)
{
	*recursion = *kmissed = 0;
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];
		bool ok = false;

		if (!c->attached[i] || i == DT_HOOK_DMA || i == DT_HOOK_DMA_SGTABLE)
			continue;
		if (c->have_recursion_misses)
			*recursion += prog_recursion_misses(emitting_prog(c, i), &ok);
		if (c->have_link_missed && h->mode == DT_HM_KPROBE)
			*kmissed += link_missed(h->ret ? c->links[i][1] : c->links[i][0], &ok);
	}
}

bool dt_capture_run_counts(struct dt_capture *c, uint64_t *runs, uint64_t *misses)
{
	bool any = false;

	*runs = *misses = 0;
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		struct bpf_program *p = emitting_prog(c, i);
		struct bpf_prog_info info = {};
		uint32_t len = sizeof(info);

		if (!p || i == DT_HOOK_DMA || i == DT_HOOK_DMA_SGTABLE)
			continue;
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			continue;
		*runs += info.run_cnt;
		*misses += info.recursion_misses;
		if (info.run_time_ns)
			any = true; /* kernel.bpf_stats_enabled: run_time_ns and run_cnt are kept */
	}
	return any;
}

void dt_capture_prog_stats(struct dt_capture *c)
{
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];
		const char *names[2] = { h->entry, h->ret };

		if (!c->attached[i])
			continue;
		for (int j = 0; j < 2; j++) {
			struct bpf_program *p = prog_by_name(c, names[j]);
			struct bpf_prog_info info = {};
			uint32_t len = sizeof(info);

			if (!p || bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) || !info.run_cnt)
				continue;
			dt_info("bpf_stats: %-16s %-22s %8llu runs %10.0f ns/run %6llu recursion misses",
				h->label, bpf_program__name(p), (unsigned long long)info.run_cnt,
				(double)info.run_time_ns / (double)info.run_cnt, (unsigned long long)info.recursion_misses);
		}
	}
}

void dt_capture_drop_causes(struct dt_capture *c, FILE *out)
{
	bool kprobes = false;

	for (int i = 0; i < DT_HOOK__COUNT; i++)
		kprobes |= c->attached[i] && c->plan.hooks[i].mode == DT_HM_KPROBE;
	fprintf(out, "  drops counted: ring, scratch, no-entry, nested, att-ids (BPF, per CPU, atomic); "
		     "recursion %s; kprobe-missed %s\n",
		c->have_recursion_misses ? "counted (bpf_prog_info.recursion_misses)"
					 : "uncountable (no recursion_misses before 5.12)",
		!kprobes ? "not applicable (no kprobes)"
		: c->have_link_missed ? "counted (kprobe link missed)"
				      : "uncountable (kretprobe maxactive misses: no link counter before 6.7)");
	/* an evicted id or inode shows as an attachment or buffer the trace never saw begin */
	fprintf(out, "  uncountable: LRU evictions of live attachment ids and buffer inodes (65536 each; the kernel "
		     "reports no evictions)\n");
}

int dt_capture_attach(struct dt_capture *c, char *err, size_t errlen)
{
	struct timespec t0;
	bool reload;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		rc = attach_all(c, &reload, err, errlen);
		if (rc)
			return rc;
		if (!reload)
			break;
		unload(c);
		rc = dt_capture_load(c, err, errlen);
		if (rc)
			return rc;
	}
	/* the plan as attached: dropped hooks keep their reason */
	dt_hook_plan_make(&c->facts, &c->plan);
	if (c->opts.follow_tree) { /* not essential: without it record falls back to /proc */
		c->fork_link = bpf_program__attach(c->skel->progs.follow_fork);
		if (!c->fork_link)
			snprintf(c->fork_why, sizeof(c->fork_why), "raw_tp/sched_process_fork attach failed (%s)",
				 strerror(errno));
	}
	c->attach_ms = ms_since(&t0);
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.rb), dt_capture_on_sample, c, NULL);
	if (!c->rb) {
		rc = -errno;
		seterr(err, errlen, "cannot set up the ring buffer: %s", strerror(errno));
		return rc;
	}
	c->have_recursion_misses = kernel_has_recursion_misses(c);
	c->have_link_missed = kernel_at_least(6, 7);
	/* reload: now includes our BPF programs and any module loaded meanwhile */
	dt_ksyms_free(c->ksyms);
	c->ksyms = dt_ksyms_load(NULL);
	c->facts.ksyms = c->ksyms;
	c->ksyms_reloaded = time(NULL);
	c->total_ms = ms_since(&c->t_start);
	c->phase = PHASE_ATTACHED;
	return 0;
}

int dt_capture_open(struct dt_capture **out, const struct dt_capture_opts *opts, char *err, size_t errlen)
{
	struct dt_capture *c;
	int rc = dt_capture_new(&c, opts);

	*out = NULL;
	if (rc) {
		seterr(err, errlen, "out of memory");
		return rc;
	}
	rc = dt_capture_prepare(c, err, errlen);
	if (!rc)
		rc = dt_capture_load(c, err, errlen);
	if (!rc)
		rc = dt_capture_attach(c, err, errlen);
	if (rc) {
		if (getenv("DT_CAPTURE_VERBOSE"))
			dt_capture_hooks(c, stderr);
		dt_capture_close(c);
		return rc < 0 ? rc : -EINVAL;
	}
	*out = c;
	return 0;
}

void dt_capture_close(struct dt_capture *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	free(c->symc);
	free(c->lossbuf);
	free(c->checked);
	unload(c);
	btf__free(c->vmbtf);
	dt_ksyms_free(c->ksyms);
	free(c);
}


int dt_capture_tree_add(struct dt_capture *c, int tgid)
{
	__u32 k = (__u32)tgid;
	__u8 one = 1;

	if (!c->fork_link)
		return -ENOENT;
	return bpf_map_update_elem(bpf_map__fd(c->skel->maps.tree_tgids), &k, &one, BPF_ANY) ? -errno : 0;
}

int dt_capture_tree_has(struct dt_capture *c, int tgid)
{
	__u32 k = (__u32)tgid;
	__u8 v;

	if (!c->fork_link)
		return -1;
	return bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.tree_tgids), &k, &v) == 0;
}

const char *dt_capture_tree_why(const struct dt_capture *c)
{
	return c->fork_why;
}

/* ---- reporting ---- */

const char *dt_capture_mode(struct dt_capture *c)
{
	enum dt_hook_mode m = DT_HM_NONE;

	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];

		if (!c->attached[i] || h->mode == DT_HM_TPBTF)
			continue;
		if (m != DT_HM_NONE && h->mode != m)
			return "mixed";
		m = h->mode;
	}
	return dt_hook_mode_name(m);
}

static int by_wall_desc(const void *a, const void *b)
{
	double d = ((const struct prog_load *)b)->wall_ms - ((const struct prog_load *)a)->wall_ms;

	return (d > 0) - (d < 0);
}

static void prog_cost(FILE *out, const struct prog_load *pl)
{
	fprintf(out, "%s %.0f ms", pl->name, pl->wall_ms);
	if (pl->verify_ms >= 0 || pl->insns >= 0)
		fprintf(out, " (verifier %.0f ms, %ld insns)", pl->verify_ms, pl->insns);
	if (pl->failed)
		fprintf(out, " refused");
}

/* The last load's slowest programs, on one line of the hook table (all of them: top < 0). */
static void prog_costs(struct dt_capture *c, FILE *out, int top)
{
	struct prog_load sorted[PROG_LOADS_MAX];
	double sum = 0;
	int n = c->nprogs;

	if (!n)
		return;
	memcpy(sorted, c->progs, n * sizeof(sorted[0]));
	qsort(sorted, n, sizeof(sorted[0]), by_wall_desc);
	for (int i = 0; i < n; i++)
		sum += sorted[i].wall_ms;
	fprintf(out, "  bpf-load: %d programs in %.0f ms; %s: ", n, sum, top >= 0 && top < n ? "slowest" : "each");
	for (int i = 0; i < n && (top < 0 || i < top); i++) {
		fprintf(out, "%s", i ? ", " : "");
		prog_cost(out, &sorted[i]);
	}
	fputc('\n', out);
}

void dt_capture_prog_loads(struct dt_capture *c, FILE *out)
{
	for (int i = 0; i < c->nprogs; i++) {
		fprintf(out, "  prog             ");
		prog_cost(out, &c->progs[i]);
		if (c->progs[i].states >= 0)
			fprintf(out, ", %ld states", c->progs[i].states);
		fputc('\n', out);
	}
}

void dt_capture_hooks(struct dt_capture *c, FILE *out)
{
	char how[64];

	if (c->plan.bounded_walk)
		snprintf(how, sizeof(how), "no bpf_loop: a loop of 64-entry chunks, at most %u", DT_CAPTURE_BOUNDED_WALK);
	else
		snprintf(how, sizeof(how), "bpf_loop bound %u", DT_CAPTURE_WALK_BOUND);
	fprintf(out, "mode %s; open %.0f ms (probe kallsyms+BTF %.0f, BPF load %.0f in %d, attach %.0f); ring %u bytes, "
		     "max_segs %u, sg walk cap %u entries (--max-walk %u, %s)\n",
		dt_capture_mode(c), c->total_ms, c->probe_ms, c->load_ms, c->loads, c->attach_ms,
		c->skel ? bpf_map__max_entries(c->skel->maps.rb) : 0, c->opts.max_segs, dt_capture_walk_cap(c),
		c->opts.max_walk, how);
	prog_costs(c, out, 3);
	for (int i = 0; i < DT_HOOK__COUNT; i++) {
		const struct dt_hook_choice *h = &c->plan.hooks[i];
		const char *state = c->attached[i]                       ? "attached"
				    : !strncmp(h->why, "not needed", 10) ? "unused"
				    : h->essential                       ? "MISSING"
									 : "dropped";

		fprintf(out, "  %-16s %-9s %-17s %s%s%s\n", h->label, state, h->mode ? dt_hook_how(h) : "-",
			h->func[0] ? h->func : "", h->func[0] && h->why[0] ? ": " : "", h->why);
	}
	/* not a hook: how buffers that existed before tracing are seeded when bufinfo is not readable */
	fprintf(out, "  %-16s %-9s %-17s %s%s%s\n", "seed-iterator", c->iter_why[0] ? "unused" : "loaded",
		c->iter_why[0] ? "-" : "iter", "dmabuf", c->iter_why[0] ? ": " : "", c->iter_why);
	dt_capture_drop_causes(c, out);
}

bool dt_capture_map_dma(struct dt_capture *c, uint32_t *calls, uint32_t *ents)
{
	const struct dt_event *ev = c->evp ? c->evp : &c->ev;
	if (ev->type != DT_EV_MAP || !c->dma_armed || !c->attached[DT_HOOK_DMA])
		return false;
	*calls = c->dma_calls;
	*ents = c->dma_ents;
	return true;
}

void dt_capture_set_slot(struct dt_capture *c, struct dt_event *(*slot)(void *ctx), void *ctx)
{
	c->slot = slot;
	c->slot_ctx = ctx;
}

uint64_t dt_capture_lost_total(struct dt_capture *c)
{
	return c->lost_total;
}

void dt_capture_reader_stats(struct dt_capture *c, struct dt_reader_stats *out)
{
	*out = c->rstats;
	if (c->skel) {
		out->ring_bytes = bpf_map__max_entries(c->skel->maps.rb);
		out->ring_peak = c->skel->bss->ring_peak;
	}
}

int dt_capture_poll(struct dt_capture *c, int timeout_ms, dt_capture_event_fn fn, void *ctx)
{
	struct timespec t0;
	double ms;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
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
	c->rstats.polls++;
	ms = ms_since(&t0);
	if (ms > c->rstats.longest_poll_ms) {
		c->rstats.longest_poll_ms = ms;
		c->rstats.longest_poll_n = (uint64_t)c->delivered;
	}
	if (c->stop)
		return c->stop;
	if (rc < 0 && rc != -EINTR)
		return rc;
	dt_capture_check_lost(c);
	if (c->stop)
		return c->stop;
	if (rc == -EINTR)
		return c->delivered ? c->delivered : -EINTR;
	return c->delivered;
}

/* ---- seed from the dmabuf iterator ---- */

const char *dt_capture_dmabuf_iter_why(const struct dt_capture *c)
{
	return c->iter_why[0] ? c->iter_why : NULL;
}

int dt_capture_dmabuf_iter_read(struct dt_capture *c, void **buf, size_t *len, char *err, size_t errlen)
{
	struct bpf_link *link;
	size_t cap = 16 * sizeof(struct dt_rec_seed), n = 0;
	char *b;
	int fd, e = 0;

	*buf = NULL;
	*len = 0;
	if (c->iter_why[0] || !c->skel) {
		seterr(err, errlen, "%s", c->iter_why[0] ? c->iter_why : "not loaded");
		return -ENOENT;
	}
	link = bpf_program__attach_iter(c->skel->progs.iter_dmabuf_seed, NULL);
	if (!link) {
		e = -errno;
		seterr(err, errlen, "attaching the dmabuf iterator failed: %s", errname(e));
		return e;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		e = -errno;
		seterr(err, errlen, "creating the dmabuf iterator failed: %s", errname(e));
		bpf_link__destroy(link);
		return e;
	}
	b = malloc(cap);
	while (b) {
		ssize_t r;

		if (cap - n < sizeof(struct dt_rec_seed)) {
			char *nb = cap < (64u << 20) ? realloc(b, cap * 2) : NULL;
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = -errno;
			seterr(err, errlen, "reading the dmabuf iterator failed: %s", errname(e));
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	bpf_link__destroy(link);
	if (!b && !e) {
		seterr(err, errlen, "out of memory reading the dmabuf iterator");
		e = -ENOMEM;
	}
	if (e) {
		free(b);
		return e;
	}
	*buf = b;
	*len = n;
	return 0;
}

int dt_capture_open_iter_only(struct dt_capture **out, char *err, size_t errlen)
{
	struct dt_capture_opts o = {.seed_iter = true, .ring_bytes = 1}; /* the ring is never read: smallest */
	struct dt_capture *c;
	int rc = dt_capture_new(&c, &o);

	*out = NULL;
	if (rc) {
		seterr(err, errlen, "out of memory");
		return rc;
	}
	if (!have_caps()) {
		seterr(err, errlen, "reading the BPF dmabuf iterator needs root or CAP_BPF+CAP_PERFMON");
		rc = -EPERM;
	} else if (!(c->vmbtf = btf__load_vmlinux_btf())) {
		rc = -errno;
		seterr(err, errlen, "the kernel has no BTF for the BPF dmabuf iterator (%s)", errname(rc));
	} else if (btf__find_by_name_kind(c->vmbtf, "bpf_iter__dmabuf", BTF_KIND_STRUCT) <= 0) {
		seterr(err, errlen, "the kernel has no BPF dmabuf iterator (6.16+)");
		rc = -ENOTSUP;
	} else if (!(c->skel = dmabuf_trace_bpf__open())) {
		rc = -errno;
		seterr(err, errlen, "opening the BPF object failed: %s", errname(rc));
	} else {
		struct bpf_program *p;

		bpf_map__set_max_entries(c->skel->maps.rb, pow2_ring(c->opts.ring_bytes));
		bpf_object__for_each_program(p, c->skel->obj)
			bpf_program__set_autoload(p, false);
		bpf_program__set_autoload(c->skel->progs.iter_dmabuf_seed, true);
		g_liblog_len = 0;
		g_liblog[0] = 0;
		rc = dmabuf_trace_bpf__load(c->skel);
		if (rc)
			seterr(err, errlen, "the dmabuf iterator program failed to load (%s)", errname(rc));
	}
	if (rc) {
		dt_capture_close(c);
		return rc;
	}
	c->phase = PHASE_LOADED;
	*out = c;
	return 0;
}

static void seed_str(struct dt_str *dst, const char *src, size_t max)
{
	dt_str_set(dst, src, strnlen(src, max));
}

int dt_capture_dmabuf_iter_seed(const void *buf, size_t len, uint64_t ts, dt_capture_event_fn fn, void *ctx,
				struct dt_seed_counts *counts, char *err, size_t errlen)
{
	const struct dt_rec_seed *r = buf;
	size_t nrec = len / sizeof(*r);
	uint64_t seq_att = 0, cur = 0;
	int nbuf = 0;
	struct dt_event ev;

	memset(counts, 0, sizeof(*counts));
	memset(&ev, 0, sizeof(ev));
	if (len % sizeof(*r)) {
		seterr(err, errlen, "dmabuf iterator: %zu bytes are not whole %zu-byte records", len, sizeof(*r));
		return -1;
	}
	for (size_t i = 0; i < nrec; i++, r++) {
		dt_event_clear(&ev);
		ev.ts = ts;
		ev.has |= DT_HAS_TS | DT_HAS_SEEDED | DT_HAS_BUF;
		ev.buf = r->ino;
		switch (r->kind) {
		case DT_SEED_BUF:
			ev.type = DT_EV_EXPORT;
			ev.size = r->size;
			ev.has |= DT_HAS_SIZE;
			seed_str(&ev.exporter, r->s1, sizeof(r->s1));
			if (r->s2[0])
				seed_str(&ev.name, r->s2, DT_ABI_BUFNAME_LEN);
			cur = r->ino;
			nbuf++;
			counts->buffers++;
			break;
		case DT_SEED_ATT:
			if (r->ino != cur)
				goto bad;
			ev.type = DT_EV_ATTACH;
			ev.att = DT_BUFINFO_ATT_BASE + seq_att++;
			ev.has |= DT_HAS_ATT;
			seed_str(&ev.dev, r->s1, sizeof(r->s1));
			counts->attachments++;
			break;
		case DT_SEED_MORE:
			counts->cut_buffers++;
			continue;
		default:
			goto bad;
		}
		if (fn(ctx, &ev)) {
			seterr(err, errlen, "dmabuf iterator: the seeded events could not be written");
			return -1;
		}
	}
	return nbuf;
bad:
	seterr(err, errlen, "dmabuf iterator: record %zu is malformed (kind %u)", (size_t)(r - (const struct dt_rec_seed *)buf),
	       r->kind);
	return -1;
}

const char *dt_capture_memlock_hint(void)
{
	static char hint[256];
	struct utsname u;
	struct rlimit rl;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2 || major > 5 || (major == 5 && minor >= 11))
		return NULL; /* memcg accounts BPF memory from 5.11 on */
	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return NULL;
	snprintf(hint, sizeof(hint), "this kernel (%s, before 5.11) charges BPF maps to RLIMIT_MEMLOCK, which is %llu KiB "
		 "here: raise it (ulimit -l unlimited; the unit's LimitMEMLOCK=infinity) or grant CAP_SYS_RESOURCE",
		 u.release, (unsigned long long)rl.rlim_cur / 1024);
	return hint;
}

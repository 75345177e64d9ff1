// SPDX-License-Identifier: Apache-2.0
/* The capture's hook plan: which kernel function and which BPF programs serve each hook, in which
 * mode, and why a fallback was taken. A pure function of what the kernel offers (kallsyms, BTF
 * prototypes, BPF feature probes) and of what already failed on it (hooks demoted to kprobes or
 * dropped after a load or attach failure), so tests can feed it a fake kallsyms and BTF. */
#ifndef DT_CAPTURE_HOOK_PLAN_H
#define DT_CAPTURE_HOOK_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/ksyms.h"

struct btf;

enum dt_hook_mode { DT_HM_NONE, DT_HM_FENTRY, DT_HM_KPROBE, DT_HM_TPBTF };

enum dt_hook_id {
	DT_HOOK_ATTACH,
	DT_HOOK_MAP,
	DT_HOOK_DETACH,
	DT_HOOK_UNMAP,
	DT_HOOK_EXPORT,
	DT_HOOK_RELEASE,
	DT_HOOK_VMAP,
	DT_HOOK_VUNMAP,
	DT_HOOK_DMA,
	DT_HOOK_DMA_SGTABLE,
	DT_HOOK__COUNT,
};

#define DT_PLAN_WHY_LEN 200

/* What the kernel offers and what has failed on it so far. */
struct dt_plan_facts {
	const struct dt_ksyms *ksyms; /* text symbols (/proc/kallsyms) */
	const struct btf *btf;        /* kernel BTF; NULL: none (kprobes only) */
	bool have_bpf_loop;           /* 5.17+: full sg walks */
	bool kprobe_only_all;         /* -m kprobe, or fentry/fexit refused for every hook */
	bool fentry_only;             /* -m fentry: no kprobe fallback */
	uint32_t kprobe_only;         /* bit per hook: its fentry/fexit or tp_btf failed */
	uint32_t dropped;             /* bit per hook: its programs failed in every mode */
	char why[DT_HOOK__COUNT][DT_PLAN_WHY_LEN]; /* reason for each bit set above */
};

struct dt_hook_choice {
	const char *label;
	bool essential;
	enum dt_hook_mode mode;   /* DT_HM_NONE: not hooked (why says why) */
	char func[80];            /* kernel function as kallsyms names it, or the tracepoint */
	const char *entry, *ret;  /* BPF program names (fentry/kprobe, fexit/kretprobe; either NULL) */
	char why[DT_PLAN_WHY_LEN];/* why this is not the first choice, or why not hooked */
};

struct dt_hook_plan {
	struct dt_hook_choice hooks[DT_HOOK__COUNT];
	bool vmap_returns_ptr; /* dma_buf_vmap is the pre-5.11 `void *(struct dma_buf *)` */
	bool bounded_walk;     /* no bpf_loop: map programs walk in bounded chunks (DT_CAPTURE_BOUNDED_WALK) */
};

void dt_hook_plan_make(const struct dt_plan_facts *f, struct dt_hook_plan *out);

/* The hook a BPF program name serves, or -1. */
int dt_hook_plan_find_prog(const struct dt_hook_plan *p, const char *prog);

const char *dt_hook_mode_name(enum dt_hook_mode m);
/* "fentry+fexit", "kretprobe", "tp_btf", ... for a planned hook */
const char *dt_hook_how(const struct dt_hook_choice *h);

#endif

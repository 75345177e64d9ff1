// SPDX-License-Identifier: Apache-2.0
/* The hook plan table and the pure function that picks, per hook, the first candidate kernel
 * function this kernel has and the best mode it allows: fentry/fexit (needs the function in BTF
 * under its own name, with the prototype the program reads), else kprobe/kretprobe (needs the
 * function in kallsyms, compiler clones such as .isra/.constprop included), tp_btf for the
 * DMA-API tracepoint. Hooks demoted by an earlier failure skip fentry; dropped hooks stay out. */
#include "capture/hook_plan.h"
#include "capture/capture.h"

#include <bpf/btf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct candidate {
	const char *func;       /* kernel function, or the tracepoint for tp_btf */
	bool tracepoint;        /* tp_btf/func (BTF typedef btf_trace_<func>) */
	const char *fe_entry;   /* fentry program (or the tp_btf one) */
	const char *fe_ret;     /* fexit program */
	int fe_nargs;           /* parameters the fentry/fexit programs read; the BTF prototype must match */
	const char *kp_entry;   /* kprobe program */
	const char *kp_ret;     /* kretprobe program */
	const char *param0;     /* BTF struct the first parameter must point to (NULL: any) */
};

struct hook_spec {
	const char *label;
	bool essential;
	struct candidate cands[4];
};

/* The plan table. Program names are those in bpf/dmabuf_trace.bpf.c; "_bounded" map variants
 * replace the bpf_loop ones where bpf_loop is missing (see pick_map_variant). */
static const struct hook_spec g_specs[DT_HOOK__COUNT] = {
	[DT_HOOK_ATTACH] = {"attach", true, {
		/* dma_buf_attach wraps the dynamic one since 5.7: hook one, or count twice */
		{"dma_buf_dynamic_attach", false, NULL, "fexit_dyn_attach", 4, "kp_attach", "krp_attach", NULL},
		{"dma_buf_attach", false, NULL, "fexit_attach", 2, "kp_attach", "krp_attach", NULL},
	}},
	[DT_HOOK_MAP] = {"map", true, {
		/* not _unlocked: it wraps this one */
		{"dma_buf_map_attachment", false, "fentry_map", "fexit_map", 2, "kp_map", "krp_map", NULL},
	}},
	[DT_HOOK_DETACH] = {"detach", false, {
		{"dma_buf_detach", false, "fentry_detach", NULL, 2, "kp_detach", NULL, NULL},
	}},
	[DT_HOOK_UNMAP] = {"unmap", false, {
		{"dma_buf_unmap_attachment", false, "fentry_unmap", NULL, 3, "kp_unmap", NULL, NULL},
	}},
	[DT_HOOK_EXPORT] = {"export", false, {
		{"dma_buf_export", false, NULL, "fexit_export", 1, "kp_export", "krp_export", NULL},
	}},
	[DT_HOOK_RELEASE] = {"release", false, {
		/* the dentry op (5.8+, commit 4ab59c3c638c) runs once per buffer; the file op before */
		{"dma_buf_release", false, "fentry_release", NULL, 1, "kp_release", NULL, "dentry"},
		{"dma_buf_file_release", false, "fentry_file_release", NULL, 2, "kp_file_release", NULL, NULL},
	}},
	[DT_HOOK_VMAP] = {"vmap", false, {
		/* 5.11+ int (dmabuf, map); 5.10 void *(dmabuf): core_fixes.bpf.h */
		{"dma_buf_vmap", false, NULL, "fexit_vmap", 2, "kp_vmap", "krp_vmap", NULL},
		{"dma_buf_vmap", false, NULL, "fexit_vmap_ptr", 1, "kp_vmap", "krp_vmap", NULL},
	}},
	[DT_HOOK_VUNMAP] = {"vunmap", false, {
		{"dma_buf_vunmap", false, "fentry_vunmap", NULL, 2, "kp_vunmap", NULL, NULL},
	}},
	[DT_HOOK_DMA] = {"dma-map", false, {
		{"dma_map_sg", true, "tp_dma_map_sg", NULL, 0, NULL, NULL, NULL}, /* 6.12+ tracepoint */
		{"__dma_map_sg_attrs", false, NULL, "fexit_dma_sg", 5, NULL, "krp_dma_sg", NULL},
		{"dma_map_sg_attrs", false, NULL, "fexit_dma_sg", 5, NULL, "krp_dma_sg", NULL},
	}},
	[DT_HOOK_DMA_SGTABLE] = {"dma-map-sgtable", false, {
		/* only beside dma_map_sg_attrs: __dma_map_sg_attrs and the tracepoint see its calls */
		{"dma_map_sgtable", false, NULL, "fexit_dma_sgtable", 4, NULL, "krp_dma_sgtable", NULL},
	}},
};

static const char *const g_mode_names[] = {
	[DT_HM_NONE] = "-", [DT_HM_FENTRY] = "fentry", [DT_HM_KPROBE] = "kprobe", [DT_HM_TPBTF] = "tp_btf",
};

const char *dt_hook_mode_name(enum dt_hook_mode m)
{
	return m <= DT_HM_TPBTF ? g_mode_names[m] : "?";
}

const char *dt_hook_how(const struct dt_hook_choice *h)
{
	if (h->mode == DT_HM_FENTRY)
		return h->entry && h->ret ? "fentry+fexit" : h->ret ? "fexit" : "fentry";
	if (h->mode == DT_HM_KPROBE)
		return h->entry && h->ret ? "kprobe+kretprobe" : h->ret ? "kretprobe" : "kprobe";
	return dt_hook_mode_name(h->mode);
}

/* BTF FUNC's prototype: number of parameters (-1: no such function) and the struct its first
 * parameter points to. */
static int btf_proto(const struct btf *btf, const char *name, const char **param0)
{
	const struct btf_type *t;
	int id;

	*param0 = "";
	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id <= 0)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	if (!t || !btf_is_func_proto(t))
		return -1;
	if (btf_vlen(t) > 0) {
		const struct btf_type *p = btf__type_by_id(btf, btf_params(t)[0].type);

		while (p && (btf_is_ptr(p) || btf_is_mod(p) || btf_is_typedef(p)))
			p = btf__type_by_id(btf, p->type);
		if (p && btf_is_composite(p))
			*param0 = btf__name_by_offset(btf, p->name_off);
	}
	return btf_vlen(t);
}

static bool btf_has_tracepoint(const struct btf *btf, const char *tp)
{
	char name[96];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) > 0;
}

static const char *bounded(const char *prog, bool use_bounded)
{
	if (!use_bounded || !prog)
		return prog;
	if (!strcmp(prog, "fexit_map"))
		return "fexit_map_bounded";
	if (!strcmp(prog, "krp_map"))
		return "krp_map_bounded";
	return prog;
}

__attribute__((format(printf, 2, 3))) static void add_why(char *why, const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	if (len >= DT_PLAN_WHY_LEN - 3)
		return;
	if (len) {
		memcpy(why + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + len, DT_PLAN_WHY_LEN - len, fmt, ap);
	va_end(ap);
}

/* Tries one candidate; true when chosen. why collects the reasons earlier options were passed. */
static bool try_candidate(const struct dt_plan_facts *f, int id, const struct candidate *c, bool bounded_walk,
			  bool same_func_follows, struct dt_hook_choice *h)
{
	bool kprobe_only = f->kprobe_only_all || (f->kprobe_only & (1u << id));
	const char *sym, *param0;
	int nargs;

	if (c->tracepoint) {
		if (f->kprobe_only & (1u << id))
			return false; /* it failed: the reason is in f->why */
		if (!btf_has_tracepoint(f->btf, c->func)) {
			add_why(h->why, "no %s tracepoint in BTF", c->func);
			return false;
		}
		h->mode = DT_HM_TPBTF;
		snprintf(h->func, sizeof(h->func), "%s", c->func);
		h->entry = c->fe_entry;
		return true;
	}
	sym = dt_ksyms_resolve(f->ksyms, c->func);
	if (!sym) {
		add_why(h->why, "%s not in kallsyms", c->func);
		return false;
	}
	nargs = btf_proto(f->btf, c->func, &param0);
	if (c->param0 && nargs >= 0 && strcmp(param0, c->param0)) {
		add_why(h->why, "%s takes no struct %s here", c->func, c->param0);
		return false;
	}
	if (!kprobe_only && (c->fe_entry || c->fe_ret)) {
		if (nargs < 0)
			add_why(h->why, "%s has no BTF prototype (fentry needs one)", c->func);
		else if (strcmp(sym, c->func))
			add_why(h->why, "only %s in kallsyms (fentry needs %s)", sym, c->func);
		else if (nargs != c->fe_nargs && same_func_follows)
			return false; /* a later candidate's program reads this prototype */
		else if (nargs != c->fe_nargs)
			add_why(h->why, "BTF prototype of %s has %d parameters, the fentry program reads %d", c->func,
				nargs, c->fe_nargs);
		else {
			h->mode = DT_HM_FENTRY;
			snprintf(h->func, sizeof(h->func), "%s", sym);
			h->entry = c->fe_entry;
			h->ret = bounded(c->fe_ret, bounded_walk);
			return true;
		}
	}
	if (f->fentry_only) {
		add_why(h->why, "%s: no kprobe fallback with -m fentry", c->func);
		return false;
	}
	if (!c->kp_entry && !c->kp_ret)
		return false;
	h->mode = DT_HM_KPROBE;
	snprintf(h->func, sizeof(h->func), "%s", sym);
	h->entry = c->kp_entry;
	h->ret = bounded(c->kp_ret, bounded_walk);
	return true;
}

void dt_hook_plan_make(const struct dt_plan_facts *f, struct dt_hook_plan *out)
{
	const char *param0;

	memset(out, 0, sizeof(*out));
	out->bounded_walk = !f->have_bpf_loop;
	out->vmap_returns_ptr = btf_proto(f->btf, "dma_buf_vmap", &param0) == 1;
	for (int id = 0; id < DT_HOOK__COUNT; id++) {
		const struct hook_spec *s = &g_specs[id];
		struct dt_hook_choice *h = &out->hooks[id];
		bool chosen = false;

		h->label = s->label;
		h->essential = s->essential;
		if (f->why[id][0])
			snprintf(h->why, sizeof(h->why), "%s", f->why[id]);
		if (f->dropped & (1u << id))
			continue;
		if (id == DT_HOOK_DMA_SGTABLE && strcmp(out->hooks[DT_HOOK_DMA].func, "dma_map_sg_attrs")) {
			snprintf(h->why, sizeof(h->why), "not needed (covered by %s)",
				 out->hooks[DT_HOOK_DMA].func[0] ? out->hooks[DT_HOOK_DMA].func : "-");
			continue;
		}
		for (int i = 0; i < 4 && s->cands[i].func && !chosen; i++) {
			bool follows = i + 1 < 4 && s->cands[i + 1].func && !strcmp(s->cands[i + 1].func, s->cands[i].func);

			chosen = try_candidate(f, id, &s->cands[i], out->bounded_walk, follows, h);
		}
		if (chosen && id == DT_HOOK_MAP && out->bounded_walk)
			add_why(h->why, "no bpf_loop (before 5.17): sg walk in bounded chunks, at most %u segments",
				DT_CAPTURE_BOUNDED_WALK);
		if (!chosen && !h->why[0])
			snprintf(h->why, sizeof(h->why), "no candidate function on this kernel");
	}
}

int dt_hook_plan_find_prog(const struct dt_hook_plan *p, const char *prog)
{
	for (int id = 0; id < DT_HOOK__COUNT; id++) {
		const struct dt_hook_choice *h = &p->hooks[id];

		if ((h->entry && !strcmp(h->entry, prog)) || (h->ret && !strcmp(h->ret, prog)))
			return id;
	}
	return -1;
}

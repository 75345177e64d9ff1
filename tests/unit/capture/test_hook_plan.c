// SPDX-License-Identifier: Apache-2.0
/* The capture's hook plan (src/capture/hook_plan.c) fed a fake kallsyms file and a fake kernel
 * BTF built with libbpf's BTF writer: which function, mode and programs each hook gets on
 * kernels shaped like 5.10, 6.1 and 6.12, and after load or attach failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bpf/btf.h>

#include "capture/hook_plan.h"
#include "capture/ksyms.h"

/* ---- fake kernel ---- */

struct fake {
	struct btf *btf;
	int t_int, t_ptr_void, t_ptr_dentry, t_ptr_inode;
	char kallsyms[4096];
	size_t klen;
	struct dt_ksyms *ksyms;
};

static void sym(struct fake *f, const char *name, const char *mod)
{
	static unsigned long long addr = 0xffffffff81000000ull;

	addr += 0x100;
	f->klen += snprintf(f->kallsyms + f->klen, sizeof(f->kallsyms) - f->klen, "%llx T %s%s%s%s\n", addr, name,
			    mod ? "\t[" : "", mod ? mod : "", mod ? "]" : "");
}

/* a BTF FUNC name(nargs parameters); the first points to struct first (NULL: void *) */
static void func(struct fake *f, const char *name, int nargs, const char *first)
{
	int proto = btf__add_func_proto(f->btf, f->t_int);

	assert_true(proto > 0);
	for (int i = 0; i < nargs; i++) {
		int t = f->t_ptr_void;
		if (i == 0 && first && !strcmp(first, "dentry"))
			t = f->t_ptr_dentry;
		else if (i == 0 && first && !strcmp(first, "inode"))
			t = f->t_ptr_inode;
		assert_int_equal(btf__add_func_param(f->btf, "a", t), 0);
	}
	assert_true(btf__add_func(f->btf, name, BTF_FUNC_GLOBAL, proto) > 0);
}

/* in kallsyms and in BTF */
static void both(struct fake *f, const char *name, int nargs, const char *first)
{
	sym(f, name, NULL);
	func(f, name, nargs, first);
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->btf = btf__new_empty();
	assert_non_null(f->btf);
	f->t_int = btf__add_int(f->btf, "int", 4, BTF_INT_SIGNED);
	f->t_ptr_void = btf__add_ptr(f->btf, 0);
	f->t_ptr_dentry = btf__add_ptr(f->btf, btf__add_struct(f->btf, "dentry", 8));
	f->t_ptr_inode = btf__add_ptr(f->btf, btf__add_struct(f->btf, "inode", 8));
}

/* the dma-buf core as every kernel since 5.11 has it */
static void dmabuf_core(struct fake *f)
{
	both(f, "dma_buf_dynamic_attach", 4, NULL);
	both(f, "dma_buf_attach", 2, NULL);
	both(f, "dma_buf_map_attachment", 2, NULL);
	both(f, "dma_buf_unmap_attachment", 3, NULL);
	both(f, "dma_buf_detach", 2, NULL);
	both(f, "dma_buf_export", 1, NULL);
	both(f, "dma_buf_release", 1, "dentry");
	both(f, "dma_buf_file_release", 2, "inode");
	both(f, "dma_buf_vunmap", 2, NULL);
}

static void fake_kernel_6_12(struct fake *f)
{
	fake_init(f);
	dmabuf_core(f);
	both(f, "dma_buf_vmap", 2, NULL);
	both(f, "__dma_map_sg_attrs", 5, NULL);
	both(f, "dma_map_sg_attrs", 4, NULL);
	both(f, "dma_map_sgtable", 4, NULL);
	assert_true(btf__add_typedef(f->btf, "btf_trace_dma_map_sg", f->t_ptr_void) > 0);
}

/* 5.10: vmap returns a pointer and takes no map, no __dma_map_sg_attrs, dma_map_sgtable inline */
static void fake_kernel_5_10(struct fake *f)
{
	fake_init(f);
	dmabuf_core(f);
	both(f, "dma_buf_vmap", 1, NULL);
	both(f, "dma_map_sg_attrs", 5, NULL);
}

static void plan(struct fake *f, struct dt_plan_facts *facts, struct dt_hook_plan *p)
{
	char path[] = "/tmp/test_hook_plan.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->kallsyms, f->klen), (ssize_t)f->klen);
	close(fd);
	dt_ksyms_free(f->ksyms);
	f->ksyms = dt_ksyms_load(path);
	unlink(path);
	assert_non_null(f->ksyms);
	facts->ksyms = f->ksyms;
	facts->btf = f->btf;
	dt_hook_plan_make(facts, p);
}

static void fake_free(struct fake *f)
{
	dt_ksyms_free(f->ksyms);
	btf__free(f->btf);
}

#define HOOK(p, id) (&(p)->hooks[DT_HOOK_##id])

static void assert_hook(const struct dt_hook_choice *h, enum dt_hook_mode mode, const char *func, const char *entry,
			const char *ret)
{
	assert_int_equal(h->mode, mode);
	assert_string_equal(h->func, func);
	if (entry)
		assert_string_equal(h->entry, entry);
	else
		assert_null(h->entry);
	if (ret)
		assert_string_equal(h->ret, ret);
	else
		assert_null(h->ret);
}

/* ---- tests ---- */

static void test_6_12_all_fentry(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_kernel_6_12(&f);
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, ATTACH), DT_HM_FENTRY, "dma_buf_dynamic_attach", NULL, "fexit_dyn_attach");
	assert_hook(HOOK(&p, MAP), DT_HM_FENTRY, "dma_buf_map_attachment", "fentry_map", "fexit_map");
	assert_hook(HOOK(&p, DETACH), DT_HM_FENTRY, "dma_buf_detach", "fentry_detach", NULL);
	assert_hook(HOOK(&p, UNMAP), DT_HM_FENTRY, "dma_buf_unmap_attachment", "fentry_unmap", NULL);
	assert_hook(HOOK(&p, EXPORT), DT_HM_FENTRY, "dma_buf_export", NULL, "fexit_export");
	assert_hook(HOOK(&p, RELEASE), DT_HM_FENTRY, "dma_buf_release", "fentry_release", NULL);
	assert_hook(HOOK(&p, VMAP), DT_HM_FENTRY, "dma_buf_vmap", NULL, "fexit_vmap");
	assert_hook(HOOK(&p, DMA), DT_HM_TPBTF, "dma_map_sg", "tp_dma_map_sg", NULL);
	assert_int_equal(HOOK(&p, DMA_SGTABLE)->mode, DT_HM_NONE);
	assert_non_null(strstr(HOOK(&p, DMA_SGTABLE)->why, "not needed (covered by dma_map_sg)"));
	assert_false(p.vmap_returns_ptr);
	assert_false(p.bounded_walk);
	assert_string_equal(HOOK(&p, ATTACH)->why, "");
	assert_string_equal(dt_hook_how(HOOK(&p, MAP)), "fentry+fexit");
	assert_int_equal(dt_hook_plan_find_prog(&p, "fexit_map"), DT_HOOK_MAP);
	assert_int_equal(dt_hook_plan_find_prog(&p, "krp_map"), -1);
	fake_free(&f);
}

static void test_5_10_variants(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = false };
	struct dt_hook_plan p;
	struct fake f;

	fake_kernel_5_10(&f);
	plan(&f, &facts, &p);
	/* pointer-returning vmap: the one-argument fexit program, and the kretprobe told so */
	assert_hook(HOOK(&p, VMAP), DT_HM_FENTRY, "dma_buf_vmap", NULL, "fexit_vmap_ptr");
	assert_true(p.vmap_returns_ptr);
	/* no bpf_loop: the bounded map walk, said in the table */
	assert_true(p.bounded_walk);
	assert_hook(HOOK(&p, MAP), DT_HM_FENTRY, "dma_buf_map_attachment", "fentry_map", "fexit_map_bounded");
	assert_non_null(strstr(HOOK(&p, MAP)->why, "bpf_loop"));
	/* no tracepoint, no __dma_map_sg_attrs: dma_map_sg_attrs, plus dma_map_sgtable if out of line */
	assert_hook(HOOK(&p, DMA), DT_HM_FENTRY, "dma_map_sg_attrs", NULL, "fexit_dma_sg");
	assert_non_null(strstr(HOOK(&p, DMA)->why, "no dma_map_sg tracepoint in BTF"));
	assert_non_null(strstr(HOOK(&p, DMA)->why, "__dma_map_sg_attrs not in kallsyms"));
	assert_int_equal(HOOK(&p, DMA_SGTABLE)->mode, DT_HM_NONE);
	assert_non_null(strstr(HOOK(&p, DMA_SGTABLE)->why, "dma_map_sgtable not in kallsyms"));

	/* the same kernel in kprobe mode: the bounded kretprobe */
	facts.kprobe_only_all = true;
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, MAP), DT_HM_KPROBE, "dma_buf_map_attachment", "kp_map", "krp_map_bounded");
	assert_hook(HOOK(&p, VMAP), DT_HM_KPROBE, "dma_buf_vmap", "kp_vmap", "krp_vmap");
	assert_true(p.vmap_returns_ptr);
	fake_free(&f);
}

/* a static function renamed by the compiler: kprobe on the clone, fentry impossible */
static void test_isra_clone_takes_kprobe(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_init(&f);
	dmabuf_core(&f);
	both(&f, "dma_buf_vmap", 2, NULL);
	sym(&f, "__dma_map_sg_attrs.isra.0", NULL);
	sym(&f, "__dma_map_sg_attrs_other", NULL);
	func(&f, "__dma_map_sg_attrs", 5, NULL);
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, DMA), DT_HM_KPROBE, "__dma_map_sg_attrs.isra.0", NULL, "krp_dma_sg");
	assert_non_null(strstr(HOOK(&p, DMA)->why, "only __dma_map_sg_attrs.isra.0 in kallsyms"));
	fake_free(&f);
}

static void test_prototype_mismatch_and_missing_btf(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_init(&f);
	both(&f, "dma_buf_dynamic_attach", 5, NULL); /* not the 4 parameters the program reads */
	both(&f, "dma_buf_map_attachment", 2, NULL);
	sym(&f, "dma_buf_detach", NULL);             /* in kallsyms, not in BTF */
	sym(&f, "dma_buf_export", "some_module");    /* a module's symbol is not the core's */
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, ATTACH), DT_HM_KPROBE, "dma_buf_dynamic_attach", "kp_attach", "krp_attach");
	assert_non_null(strstr(HOOK(&p, ATTACH)->why, "has 5 parameters, the fentry program reads 4"));
	assert_hook(HOOK(&p, DETACH), DT_HM_KPROBE, "dma_buf_detach", "kp_detach", NULL);
	assert_non_null(strstr(HOOK(&p, DETACH)->why, "no BTF prototype"));
	assert_int_equal(HOOK(&p, EXPORT)->mode, DT_HM_NONE);
	assert_non_null(strstr(HOOK(&p, EXPORT)->why, "dma_buf_export not in kallsyms"));
	assert_hook(HOOK(&p, MAP), DT_HM_FENTRY, "dma_buf_map_attachment", "fentry_map", "fexit_map");
	fake_free(&f);
}

/* release: the dentry op only when its first parameter is a dentry, else the file op */
static void test_release_needs_dentry_op(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_init(&f);
	both(&f, "dma_buf_map_attachment", 2, NULL);
	both(&f, "dma_buf_release", 2, "inode"); /* the pre-5.8 file op under the same name */
	both(&f, "dma_buf_file_release", 2, "inode");
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, RELEASE), DT_HM_FENTRY, "dma_buf_file_release", "fentry_file_release", NULL);
	assert_non_null(strstr(HOOK(&p, RELEASE)->why, "takes no struct dentry"));
	fake_free(&f);
}

/* what the loader does after failures: one hook demoted, one dropped, the rest untouched */
static void test_demoted_and_dropped_hooks(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_kernel_6_12(&f);
	facts.kprobe_only = 1u << DT_HOOK_MAP | 1u << DT_HOOK_DMA;
	snprintf(facts.why[DT_HOOK_MAP], sizeof(facts.why[0]), "fentry+fexit attach of dma_buf_map_attachment failed (ENOTSUPP): kprobe");
	snprintf(facts.why[DT_HOOK_DMA], sizeof(facts.why[0]), "tp_btf load of dma_map_sg failed (Invalid argument)");
	facts.dropped = 1u << DT_HOOK_VMAP;
	snprintf(facts.why[DT_HOOK_VMAP], sizeof(facts.why[0]), "dropped: kprobe+kretprobe load of dma_buf_vmap failed");
	plan(&f, &facts, &p);
	assert_hook(HOOK(&p, MAP), DT_HM_KPROBE, "dma_buf_map_attachment", "kp_map", "krp_map");
	assert_non_null(strstr(HOOK(&p, MAP)->why, "ENOTSUPP"));
	assert_hook(HOOK(&p, ATTACH), DT_HM_FENTRY, "dma_buf_dynamic_attach", NULL, "fexit_dyn_attach");
	/* the tracepoint failed: the next DMA-level candidate, in kprobe mode */
	assert_hook(HOOK(&p, DMA), DT_HM_KPROBE, "__dma_map_sg_attrs", NULL, "krp_dma_sg");
	assert_int_equal(HOOK(&p, VMAP)->mode, DT_HM_NONE);
	assert_non_null(strstr(HOOK(&p, VMAP)->why, "dropped"));
	assert_int_equal(dt_hook_plan_find_prog(&p, "fexit_vmap"), -1);
	fake_free(&f);
}

static void test_fentry_only_has_no_fallback(void **state)
{
	struct dt_plan_facts facts = { .have_bpf_loop = true, .fentry_only = true };
	struct dt_hook_plan p;
	struct fake f;

	fake_kernel_6_12(&f);
	plan(&f, &facts, &p);
	assert_int_equal(HOOK(&p, MAP)->mode, DT_HM_FENTRY);
	fake_free(&f);

	fake_init(&f);
	sym(&f, "dma_buf_map_attachment", NULL); /* no BTF */
	plan(&f, &facts, &p);
	assert_int_equal(HOOK(&p, MAP)->mode, DT_HM_NONE);
	assert_non_null(strstr(HOOK(&p, MAP)->why, "no kprobe fallback with -m fentry"));
	fake_free(&f);
}

static void test_ksyms_resolve(void **state)
{
	struct fake f;
	char path[] = "/tmp/test_hook_plan.XXXXXX";
	int fd;

	fake_init(&f);
	sym(&f, "foo.constprop.0", NULL);
	sym(&f, "foo", NULL);
	sym(&f, "bar.part.1", NULL);
	sym(&f, "bar_helper", NULL);
	sym(&f, "baz.isra.0", "mod");
	fd = mkstemp(path);
	assert_int_equal(write(fd, f.kallsyms, f.klen), (ssize_t)f.klen);
	close(fd);
	f.ksyms = dt_ksyms_load(path);
	unlink(path);
	assert_string_equal(dt_ksyms_resolve(f.ksyms, "foo"), "foo");
	assert_string_equal(dt_ksyms_resolve(f.ksyms, "bar"), "bar.part.1");
	assert_null(dt_ksyms_resolve(f.ksyms, "baz")); /* modules are not the core */
	assert_null(dt_ksyms_resolve(f.ksyms, "ba"));
	fake_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_6_12_all_fentry),
		cmocka_unit_test(test_5_10_variants),
		cmocka_unit_test(test_isra_clone_takes_kprobe),
		cmocka_unit_test(test_prototype_mismatch_and_missing_btf),
		cmocka_unit_test(test_release_needs_dentry_op),
		cmocka_unit_test(test_demoted_and_dropped_hooks),
		cmocka_unit_test(test_fentry_only_has_no_fallback),
		cmocka_unit_test(test_ksyms_resolve),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

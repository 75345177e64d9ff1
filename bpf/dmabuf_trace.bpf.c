// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* dmabuf-trace: BPF side. Sees dma-buf export/attach/map/unmap/detach/release/
 * vmap/vunmap and, only while a task is inside dma_buf_map_attachment, the
 * DMA-API map calls the exporter makes.
 *
 * Every hook exists as an fentry/fexit program and as a kprobe/kretprobe
 * program; userspace picks one per hook at load time (bpf_program__set_autoload)
 * after probing BTF and /proc/kallsyms. No kernel-version #ifs: every struct
 * access is CO-RE, vanished fields are tested with bpf_core_field_exists.
 * No kernel pointer leaves the kernel: attachments get ids, buffers inodes. */
#include "kernel_types.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "core_fixes.bpf.h"
#include "dmabuf_trace_abi.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by userspace before load. */
const volatile __u32 max_segs = DT_DEFAULT_MAX_SEGS;
const volatile __u32 filter_pid = 0;
const volatile bool want_stacks = true;
/* frames unwound per stack (record --stack-depth): the unwind costs per frame */
const volatile __u32 stack_depth = DT_DEFAULT_STACK_DEPTH;
/* Records go in without waking the reader, which polls on a short timeout, until this many
 * bytes wait (0: the kernel's wakeup on every record written to a drained ring). A reader
 * that keeps up was woken, and switched to, once per event. */
const volatile __u64 wakeup_bytes = 0;
/* [lo, hi) of dma_buf_dynamic_attach's text: a detach called from there is its own error path
 * (6.1-6.14 detach a half-made attachment when the importer cannot map), not an attachment's end */
const volatile __u64 attach_fn_lo = 0, attach_fn_hi = 0;
/* sg entries walked per map at most (record --max-walk); past it the map record says the walk was capped */
const volatile __u32 max_walk = 1u << 20;
/* test only (record's DT_TEST_KEEP_DETACHED): a detach leaves its id entry, as a detach whose program did
 * not run would, so that the release cleanup of att_ids is seen at work */
const volatile bool test_keep_detached = false;

#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
#define WALK_MAX (1u << 23) /* bpf_loop's own bound (BPF_MAX_LOOPS) */
/* One field through a kernel pointer. The fentry/fexit programs (btf) have BTF-typed arguments that the
 * verifier lets them load from directly (a faulting load reads 0, as a failed bpf_probe_read_kernel
 * does); a kprobe program's arguments are plain numbers, read with a helper call per field (the attach
 * program without stacks: 4.1 -> 3.0 us per run under TCG). Chains nest: KRD(btf, KRD(btf, dev, bus), name).
 * Only for pointers loaded, never computed: masking or arithmetic on a BTF pointer is refused. */
#define KRD(btf, p, f)                                                                                 \
	({                                                                                             \
		typeof(p) krd_p_ = (p); /* an inner KRD first: CO-RE reads do not nest */              \
		(btf) ? krd_p_->f : BPF_CORE_READ(krd_p_, f);                                           \
	})
/* Without bpf_loop (before 5.17) the _bounded programs walk in chunks of WALK_CHUNK entries, one call of
 * the global function walk_chunk() each (see there), at most max_walk segments (read-only data, a
 * constant to the verifier) and WALK_BOUNDED_MAX; past the bound the map record says the walk was cut
 * (DT_MF_WALK_CUT) and userspace cannot tell about the rest. */
#define WALK_CHUNK 64
#define WALK_BOUNDED_MAX 65536

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DT_DEFAULT_RING_BYTES);
} rb SEC(".maps");

/* drops per CPU and cause (struct dt_lossctr) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_lossctr);
} lost SEC(".maps");

/* Map records (up to 4.5 KiB, too big for the stack) are built in a slot of their own task, not a
 * per-CPU one: a fentry program can be preempted (PREEMPT full/lazy) and the next program on that
 * CPU would write into the same slot. Other records are built in place in the ring buffer. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, struct dt_rec_map);
} map_scratch SEC(".maps");

/* The common case without a hash slot (bpf_loop kernels, 5.17+, so atomic xchg (5.12+) is there too): this
 * CPU's slot, claimed with an atomic exchange of busy. A program preempted while it holds the slot makes the
 * next one on this CPU take its task's map_scratch slot instead. Saves the hash slot's insert (a copy of the
 * whole 4.5 KiB from map_zero), its delete and a hash lookup per carried segment. */
struct cpu_map_slot {
	__u64 busy; /* 64-bit: BPF's 32-bit atomics need -mcpu=v3 */
	struct dt_rec_map rec;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_map_slot);
} map_cpu_slot SEC(".maps");

/* all zeros, never written: the initial value of a map_scratch slot */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dt_rec_map);
} map_zero SEC(".maps");

/* attachment pointer -> trace-unique id. A plain hash: an LRU would evict in-flight attachments
 * silently; here a full map fails the insert, and that is counted (DT_RC_ATT_IDS). An entry whose
 * detach was never seen (a missed program run, a buffer released while still attached) is removed
 * at its buffer's release through buf_att_slots; beyond ATT_SLOTS per buffer it stays until the
 * address is reused, and a map that fills up with such entries counts every insert it refuses. */
struct att_val {
	__u64 id;
	__u64 dmabuf; /* the buffer it was made for: a reused address is not another buffer's to remove */
	__u32 slot;   /* its buf_att_slots index + 1 (0: none) */
	__u32 _pad;
};
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct att_val);
} att_ids SEC(".maps");

/* (dma_buf pointer, slot) -> attachment pointer: the att_ids entries a buffer's release removes.
 * Claimed with BPF_NOEXIST (an atomic insert), so concurrent attaches to one buffer take distinct slots. */
#define ATT_SLOTS 8
struct att_slot_key {
	__u64 dmabuf;
	__u32 slot;
	__u32 _pad;
};
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct att_slot_key);
	__type(value, __u64);
} buf_att_slots SEC(".maps");

/* dma_buf pointer -> inode (the file may be gone by release time); LRU: an evicted entry is read
 * again from the buffer's file */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u64);
} buf_inos SEC(".maps");

/* task inside dma_buf_map_attachment: pid_tgid -> its calls in flight, innermost last. An exporter's map
 * may map another buffer inside (a forwarding exporter): two frames, so that the outer return finds its own
 * state instead of losing the event. A return finds its frame by the attachment (fexit has it) or, in kprobe
 * mode, by the stack pointer at entry (RET_SP_MATCH), so that a frame whose return was missed (kretprobe
 * maxactive) is skipped, never taken for another call's; frames above the one found are such returns that
 * were missed. */
struct inmap_frame {
	__u64 attach;
	__u64 sgt_before;
	__u64 sp;
	__u32 dir;
	__u32 has_sgt;
	__u32 dma_calls;
	__u32 dma_ents;
};
#define INMAP_DEPTH 2
struct inmap {
	struct inmap_frame f[INMAP_DEPTH];
	__u32 n;
	__u32 _pad;
};
/* kprobe-mode map returns whose frame's entry sp was the return's sp - 8, equal to it, or other */
__u64 ret_sp_seen[3] = {};
#if defined(__TARGET_ARCH_x86)
/* the kretprobe's sp is the kprobe's + 8 (ret popped the return address): measured on 6.12, where every
 * kprobe-mode return of the nested-map test found its frame by it */
#define RET_SP_MATCH(f, ret_sp) ((f)->sp == (ret_sp) - 8)
#else
/* arm64: the kretprobe's sp is the kprobe's (the return address is in the link register, never on the
 * stack): measured on 6.12 (tests/kmod nested maps, 1-entry maps, maxactive 1), every return found its
 * frame at its own sp */
#define RET_SP_MATCH(f, ret_sp) ((f)->sp == (ret_sp))
#endif

/* LRU: an entry whose return was never seen (kretprobe maxactive exceeded, hooks attached
 * between a call's entry and its return) stays until its task maps again; tasks that died
 * meanwhile must not fill the map, or kprobe-mode map events would stop for good. An entry whose
 * calls all returned is kept with n = 0, not deleted: the task's next map finds it (a lookup, no
 * insert). Only its own task reads or writes an entry (the key is the pid_tgid), so keeping it adds
 * no race; the LRU evicts entries of tasks that stopped mapping. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct inmap);
} inmap SEC(".maps");

/* kprobe-mode argument stash: (pid_tgid, hook) -> args */
enum { STASH_ATTACH = 1, STASH_VMAP = 2, STASH_EXPORT = 3, STASH_MAP = 4 };
struct stash_key {
	__u64 id;
	__u32 hook;
	__u32 pad;
};
struct stash_val {
	__u64 a0, a1;
	__u32 overwrote, tomb; /* as in struct inmap */
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* as inmap: missed returns must not fill it */
	__uint(max_entries, 16384);
	__type(key, struct stash_key);
	__type(value, struct stash_val);
} stash SEC(".maps");

/* kprobe mode: the stack taken at a hooked function's entry, kept for its return. A kretprobe's
 * unwind starts at the return trampoline, and kernels before 5.15 cannot unwind past it (fixed by
 * the series "kprobes: Fix stacktrace with kretprobes on x86", Masami Hiramatsu, 2021): their
 * kretprobe stacks are the one frame kretprobe_trampoline. Such a kernel is recognised by its
 * stack, not its version: a return unwind that has a frame in the trampoline ([kretprobe_tramp_lo,
 * kretprobe_tramp_hi) from kallsyms, set by the loader) did not get past it, and the entry stack,
 * with the same callers, replaces it. (pid_tgid, hook) -> frames. */
const volatile __u64 kretprobe_tramp_lo = 0, kretprobe_tramp_hi = 0;
/* What the return unwinds of this kernel did so far: once one got past the trampoline and none
 * stuck in it, the entries stop keeping stacks (one unwind per event, as in fexit mode). */
__u32 ret_unwind_stuck = 0, ret_unwind_clean = 0;
struct entry_stack {
	__u32 n; /* frames in ips[] */
	__u32 pad;
	__u64 ips[DT_ABI_STACK_MAX];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH); /* as stash: a missed return must not fill it */
	__uint(max_entries, 4096);
	__type(key, struct stash_key);
	__type(value, struct entry_stack);
} entry_stacks SEC(".maps");

/* Attachment ids (next_id): the number of possible CPUs (set by the loader) and a per-CPU counter. */
const volatile __u32 nr_cpus = 1;
/* att_ids entries removed at their buffer's release (attachments whose detach was never seen), and
 * entries held now (inserted minus deleted: what a run leaves behind) */
__u64 att_stale_removed = 0;
__s64 att_held = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} att_seq SEC(".maps");

static __always_inline bool skip_task(void)
{
	return filter_pid && (__u32)(bpf_get_current_pid_tgid() >> 32) != filter_pid;
}

static __always_inline void drop(__u32 cause)
{
	__u32 k = 0;
	struct dt_lossctr *l = bpf_map_lookup_elem(&lost, &k);

	if (!l || cause >= DT_RC__COUNT)
		return;
	if (!l->first_ts[cause])
		l->first_ts[cause] = bpf_ktime_get_boot_ns();
	__sync_fetch_and_add(&l->total[cause], 1); /* result unused: an atomic add on 5.10 too */
	l->pending = 1;
}

/* a run that writes no event by design (struct dt_lossctr.folded) */
static __always_inline void folded(void)
{
	__u32 k = 0;
	struct dt_lossctr *l = bpf_map_lookup_elem(&lost, &k);

	if (l)
		__sync_fetch_and_add(&l->folded, 1);
}

/* The most bytes seen waiting for the reader at a submit (a plain store: a statistic, a lost race
 * loses one sample): with lost events it says whether the reader let the ring fill up. */
__u64 ring_peak = 0;

static __always_inline __u64 wake_flags(__u64 size)
{
	__u64 avail;

	if (!wakeup_bytes)
		return 0;
	avail = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) + size;
	if (avail > ring_peak)
		ring_peak = avail;
	return avail >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Drops not yet reported from this CPU go into the stream before the next record, stamped with the
 * first drop's time: the loss sits where it happened. A failed reserve leaves them pending. */
static __always_inline void flush_losses(void)
{
	__u32 k = 0;
	struct dt_lossctr *l = bpf_map_lookup_elem(&lost, &k);
	struct dt_rec_lost *r;
	__u64 id, d, ts;

	if (!l || !l->pending)
		return;
	l->pending = 0;
	id = bpf_get_current_pid_tgid();
#pragma unroll
	for (int c = 0; c < DT_RC__COUNT; c++) {
		d = l->total[c] - l->reported[c];
		if (!d)
			continue;
		r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
		if (!r) {
			l->pending = 1;
			return;
		}
		ts = l->first_ts[c];
		__builtin_memset(r, 0, sizeof(*r));
		r->h.type = DT_REC_LOST;
		r->h.ts = ts ? ts : bpf_ktime_get_boot_ns();
		r->h.pid = id >> 32;
		r->h.tid = (__u32)id;
		r->h.cpu = bpf_get_smp_processor_id();
		r->cause = c;
		r->count = d;
		l->reported[c] += d;
		l->first_ts[c] = 0;
		bpf_ringbuf_submit(r, wake_flags(sizeof(*r)));
	}
}

/* A record built in place in the ring: reserved first (pending drops go in before it), so ring order
 * follows the time stamped right after the reserve. */
static __always_inline void *rec_reserve(__u64 size)
{
	void *r;

	flush_losses();
	r = bpf_ringbuf_reserve(&rb, size, 0);
	if (!r)
		drop(DT_RC_RING);
	return r;
}

static __always_inline void rec_submit(void *r, __u64 size)
{
	bpf_ringbuf_submit(r, wake_flags(size));
}

/* a map record built in its task's slot: copied into the ring */
static __always_inline void emit_copy(void *rec, __u64 size)
{
	flush_losses();
	if (bpf_ringbuf_output(&rb, rec, size, wake_flags(size)))
		drop(DT_RC_RING);
}

/* Set by the loader when the kernel has bpf_get_current_task_btf (5.11+; probed as bpf_loop is):
 * the header's pid, tid and comm are then plain loads from the current task instead of two helper
 * calls (bpf_get_current_pid_tgid's values are these fields; bpf_get_current_comm copies comm up
 * to its NUL, and the reader stops at the NUL too). Off (5.10): the helpers; the verifier drops the
 * branch not taken, so the 5.10 verifier never sees the newer helper. */
const volatile bool has_task_btf = false;

static __always_inline void fill_hdr_ts(struct dt_rec_hdr *h, __u32 type, __u64 ts)
{
	h->type = type;
	h->flags = 0;
	h->ts = ts;
	if (has_task_btf) {
		struct task_struct *t = bpf_get_current_task_btf();

		h->pid = t->tgid;
		h->tid = t->pid;
		/* comm is always NUL-terminated inside its 16 bytes (set_task_comm); a racing rename gives a
		 * mix of the old and new name, as the helper's copy would */
		*(__u64 *)&h->comm[0] = *(__u64 *)&t->comm[0];
		*(__u64 *)&h->comm[8] = *(__u64 *)&t->comm[8];
		h->comm[15] = 0;
	} else {
		__u64 id = bpf_get_current_pid_tgid();

		h->pid = id >> 32;
		h->tid = (__u32)id;
		bpf_get_current_comm(h->comm, sizeof(h->comm));
	}
	h->cpu = bpf_get_smp_processor_id();
	h->err = 0;
	h->ino = 0;
	h->att = 0;
}

static __always_inline void fill_hdr(struct dt_rec_hdr *h, __u32 type)
{
	fill_hdr_ts(h, type, bpf_ktime_get_boot_ns());
}

/* At a kprobe: keeps this task's stack for the return of the same hook (struct entry_stack). */
static __always_inline void entry_stack_put(void *ctx, __u32 hook)
{
	struct stash_key k = { .id = bpf_get_current_pid_tgid(), .hook = hook };
	struct entry_stack es;
	__u32 size = stack_depth * sizeof(es.ips[0]);
	long n;

	if (!want_stacks || (ret_unwind_clean && !ret_unwind_stuck))
		return;
	if (size > sizeof(es.ips))
		size = sizeof(es.ips);
	__builtin_memset(&es, 0, sizeof(es)); /* 5.10's bpf_get_stack wants initialized memory */
	n = bpf_get_stack(ctx, es.ips, size, 0); /* record --stack-depth, as the return's own unwind */
	es.n = n > 0 ? n / sizeof(__u64) : 0;
	bpf_map_update_elem(&entry_stacks, &k, &es, BPF_ANY); /* a failure: the return unwinds itself */
}

/* A clean return unwind has the trampoline's return address replaced by the real one: a frame in
 * the trampoline anywhere means the unwinder stopped there. Without the symbol, a one-frame stack. */
static __always_inline bool unwound_into_trampoline(const __u64 *ips, long n)
{
	if (!kretprobe_tramp_lo)
		return n <= 8;
#pragma unroll
	for (int i = 0; i < DT_ABI_STACK_MAX; i++)
		if (i * 8 < n && ips[i] >= kretprobe_tramp_lo && ips[i] < kretprobe_tramp_hi)
			return true;
	return false;
}

/* The record's stack, unwound here; entry_hook (a kretprobe) names the entry stack that replaces
 * an unwind stuck in the return trampoline (struct entry_stack). */
static __always_inline void fill_stack(void *ctx, struct dt_rec_hdr *h, struct dt_rec_stack *st, __u32 entry_hook)
{
	struct stash_key k = { .id = bpf_get_current_pid_tgid(), .hook = entry_hook };
	struct entry_stack *es;
	__u32 size = stack_depth * sizeof(st->ips[0]);
	bool stuck;
	long n;

	st->nstack = 0;
	if (!want_stacks)
		return;
	if (size > sizeof(st->ips))
		size = sizeof(st->ips);
	/* the kernel unwinds only as many frames as fit */
	n = bpf_get_stack(ctx, st->ips, size, 0);
	if (n > 0) {
		st->nstack = n / sizeof(__u64);
		h->flags |= DT_RF_STACK;
	}
	if (!entry_hook)
		return;
	stuck = n <= 0 || unwound_into_trampoline(st->ips, n);
	if (stuck)
		ret_unwind_stuck = 1;
	else
		ret_unwind_clean = 1;
	es = bpf_map_lookup_elem(&entry_stacks, &k);
	if (!es)
		return;
	if (stuck && es->n && !bpf_probe_read_kernel(st->ips, sizeof(st->ips), es->ips)) {
		st->nstack = es->n <= DT_ABI_STACK_MAX ? es->n : DT_ABI_STACK_MAX;
		h->flags |= DT_RF_STACK;
	}
	bpf_map_delete_elem(&entry_stacks, &k);
}

/* A trace-unique attachment id, 1..., without atomic fetch-and-add (5.12+; its instruction is
 * refused on 5.10 even in dead code): CPU c of n takes c+1, c+1+n, c+1+2n, ... from its own counter
 * (with one CPU: 1, 2, 3, ...). A program can be preempted by another task's on its CPU, so the
 * counter is only ever raised by an atomic add (no fetch: 5.10 has it), read right before and right
 * after: when the second read is the first plus one, the one increment between them was this run's
 * own, so no other run can have read the same first value and seen only its own increment after it
 * (the counter passes from v to v + 1 once). The id is the first value's. Otherwise another run came
 * in between: try again. (Before: a claim of every id in an LRU hash with BPF_NOEXIST, an insert per
 * attachment.) */
#define ID_TRIES 4
static __always_inline __u64 next_id(void)
{
	__u64 cpu = bpf_get_smp_processor_id(), n = nr_cpus ? nr_cpus : 1, *seq, before = 0, after;
	__u32 k = 0;

	seq = bpf_map_lookup_elem(&att_seq, &k);
	if (!seq)
		return 0;
	for (int i = 0; i < ID_TRIES; i++) {
		before = *(volatile __u64 *)seq;
		__sync_fetch_and_add(seq, 1); /* result unused: an atomic add on 5.10 too */
		after = *(volatile __u64 *)seq;
		if (after == before + 1)
			break;
	}
	return before * n + cpu + 1; /* four interruptions in a row: not seen; the id may repeat */
}

/* Claims a release slot of dmabuf for attach: its index + 1, 0 when all ATT_SLOTS are taken. */
static __always_inline __u32 att_slot_claim(__u64 dmabuf, __u64 attach)
{
	struct att_slot_key sk = {.dmabuf = dmabuf};

	if (!dmabuf)
		return 0;
#pragma unroll
	for (int i = 0; i < ATT_SLOTS; i++) {
		sk.slot = i;
		if (!bpf_map_update_elem(&buf_att_slots, &sk, &attach, BPF_NOEXIST))
			return i + 1;
	}
	return 0;
}

static __always_inline void att_slot_free(__u64 dmabuf, __u32 slot)
{
	struct att_slot_key sk = {.dmabuf = dmabuf, .slot = slot - 1};

	if (slot)
		bpf_map_delete_elem(&buf_att_slots, &sk);
}

/* Stores attach's id: with BPF_NOEXIST the id of whoever stored first is returned, with BPF_ANY
 * (a new attachment) it replaces a stale entry. A refused insert (map full) is counted: the
 * attachment's later events carry other ids. Called before the event's record is reserved, so
 * that the loss goes into the stream ahead of it. The insert is tried first: an entry already there
 * (looked up only then) is the rare case. */
static __always_inline __u64 att_store(void *attach, __u64 dmabuf, __u64 id, __u64 flags)
{
	__u64 key = (__u64)attach;
	struct att_val v = {.id = id, .dmabuf = dmabuf}, *old, stale;

	v.slot = att_slot_claim(dmabuf, key);
	if (!bpf_map_update_elem(&att_ids, &key, &v, BPF_NOEXIST)) {
		__sync_fetch_and_add(&att_held, 1);
		return id;
	}
	old = bpf_map_lookup_elem(&att_ids, &key);
	if (old && flags == BPF_NOEXIST) {
		att_slot_free(dmabuf, v.slot);
		return old->id; /* another CPU stored it first */
	}
	if (old) { /* a stale entry of a reused address (its detach was not seen): replaced */
		stale = *old;
		if (!bpf_map_update_elem(&att_ids, &key, &v, BPF_ANY)) {
			att_slot_free(stale.dmabuf, stale.slot);
			return id;
		}
	} else if (!bpf_map_update_elem(&att_ids, &key, &v, BPF_NOEXIST)) { /* removed meanwhile */
		__sync_fetch_and_add(&att_held, 1);
		return id;
	}
	att_slot_free(dmabuf, v.slot);
	drop(DT_RC_ATT_IDS);
	return id;
}

/* The id of an attachment seen before, else (create) a new one, stored for its later events. */
static __always_inline __u64 att_id(void *attach, bool create)
{
	__u64 key = (__u64)attach;
	struct att_val *v;

	v = bpf_map_lookup_elem(&att_ids, &key);
	if (v)
		return v->id;
	if (!create)
		return 0;
	return att_store(attach, (__u64)BPF_CORE_READ((struct dma_buf_attachment *)attach, dmabuf), next_id(),
			 BPF_NOEXIST);
}

/* Removes a detached attachment's entry (known: its value, looked up once at the detach) and its
 * release slot. */
static __always_inline void att_forget(void *attach, const struct att_val *known)
{
	__u64 key = (__u64)attach;

	att_slot_free(known->dmabuf, known->slot);
	if (!bpf_map_delete_elem(&att_ids, &key))
		__sync_fetch_and_add(&att_held, -1);
}

/* A released buffer's attachments whose detach was never seen: their entries go with it. */
static __always_inline void att_forget_buffer(__u64 dmabuf)
{
	struct att_slot_key sk = {.dmabuf = dmabuf};
	struct att_val *v;
	__u64 *att, key;

#pragma unroll
	for (int i = 0; i < ATT_SLOTS; i++) {
		sk.slot = i;
		att = bpf_map_lookup_elem(&buf_att_slots, &sk);
		if (!att)
			continue;
		key = *att;
		v = bpf_map_lookup_elem(&att_ids, &key);
		if (v && v->dmabuf == dmabuf && v->slot == i + 1 && !bpf_map_delete_elem(&att_ids, &key)) {
			__sync_fetch_and_add(&att_held, -1);
			__sync_fetch_and_add(&att_stale_removed, 1);
		}
		bpf_map_delete_elem(&buf_att_slots, &sk);
	}
}

/* A successful attach returns a new attachment: always a fresh id. An entry for the same
 * address can survive its detach when the detach was not seen, and the reused address must
 * not inherit the old attachment's id. */
static __always_inline __u64 att_id_new(void *attach, struct dma_buf *dmabuf)
{
	return att_store(attach, (__u64)dmabuf, next_id(), BPF_ANY);
}

static __always_inline __u64 buf_ino(struct dma_buf *dmabuf, bool btf)
{
	__u64 key = (__u64)dmabuf, *v, ino;

	if (!dmabuf)
		return 0;
	v = bpf_map_lookup_elem(&buf_inos, &key);
	if (v)
		return *v;
	ino = KRD(btf, KRD(btf, KRD(btf, dmabuf, file), f_inode), i_ino);
	if (ino)
		bpf_map_update_elem(&buf_inos, &key, &ino, BPF_ANY);
	return ino;
}

static __always_inline void set_buf(struct dt_rec_hdr *h, struct dma_buf *dmabuf, bool btf)
{
	h->ino = buf_ino(dmabuf, btf);
	if (h->ino)
		h->flags |= DT_RF_BUF;
}

/* The name set with DMA_BUF_SET_NAME (after export, so read it again at attach and
 * map). Read without dmabuf->name_lock: a racing rename yields the old or new name. */
static __always_inline void read_bufname(struct dma_buf *dmabuf, char *dst, bool btf)
{
	const char *s = dmabuf ? KRD(btf, dmabuf, name) : NULL;

	dst[0] = 0;
	if (s) /* DT_ABI_BUFNAME_LEN = the kernel's DMA_BUF_NAME_LEN: never read past the name's buffer */
		bpf_probe_read_kernel_str(dst, DT_ABI_BUFNAME_LEN, s);
}

/* Effective DMA limits of an importer device (NULL dma_parms -> defaults). DT_AF_DMA_PARMS
 * means the device declared a max segment size: platform devices always have dma_parms
 * but leave max_segment_size 0, and then the kernel's 64 KiB default applies just as
 * without dma_parms (dma_get_max_seg_size). */
static __always_inline __u32 dev_limits(struct device *dev, __u64 *max_seg, __u64 *mask, bool btf)
{
	struct device_dma_parameters *p = NULL;
	__u32 fl = 0;

	*max_seg = 0;
	*mask = 0;
	if (dev && bpf_core_field_exists(dev->dma_parms))
		p = KRD(btf, dev, dma_parms);
	if (p) {
		*max_seg = KRD(btf, p, max_segment_size);
		*mask = KRD(btf, p, segment_boundary_mask);
		if (*max_seg)
			fl |= DT_AF_DMA_PARMS;
	}
	if (!*max_seg)
		*max_seg = DT_KERNEL_DEFAULT_MAX_SEG_SIZE;
	if (!*mask)
		*mask = ~0ULL;
	return fl;
}

/* ---- attach ---- */

static __always_inline int do_attach(void *ctx, struct dma_buf *dmabuf, struct device *dev,
				     struct dma_buf_attachment *ret, __u32 entry_hook, bool btf)
{
	struct dt_rec_attach *r;
	const char *s;
	const void *p;

	bool ok = ret && !IS_ERR_VALUE(ret);
	__u64 id = 0;

	if (skip_task())
		return 0;
	if (ok) {
		dmabuf = KRD(btf, ret, dmabuf);
		dev = KRD(btf, ret, dev);
		id = att_id_new(ret, dmabuf); /* before the reserve: a refused insert's loss goes in first */
	}
	r = rec_reserve(sizeof(*r));
	if (!r)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, DT_REC_ATTACH);
	r->aflags = 0;
	if (!ok) {
		r->h.flags |= DT_RF_ERR;
		r->h.err = ret ? (long)ret : -12;
	} else {
		r->h.att = id;
		r->h.flags |= DT_RF_ATT;
		if (bpf_core_field_exists(ret->importer_ops) && KRD(btf, ret, importer_ops))
			r->aflags |= DT_AF_DYNAMIC;
	}
	set_buf(&r->h, dmabuf, btf);
	r->size = dmabuf ? KRD(btf, dmabuf, size) : 0;
	read_bufname(dmabuf, r->bufname, btf);

	r->dev[0] = r->driver[0] = r->bus[0] = 0;
	r->aflags |= dev_limits(dev, &r->max_seg_size, &r->seg_boundary_mask, btf);
	if (dev) {
		s = KRD(btf, dev, init_name);
		if (!s)
			s = KRD(btf, dev, kobj.name);
		if (s)
			bpf_probe_read_kernel_str(r->dev, sizeof(r->dev), s);
		p = KRD(btf, dev, driver);
		if (p) {
			r->aflags |= DT_AF_DRIVER;
			s = KRD(btf, KRD(btf, dev, driver), name);
			if (s)
				bpf_probe_read_kernel_str(r->driver, sizeof(r->driver), s);
		}
		p = KRD(btf, dev, bus);
		if (p) {
			r->aflags |= DT_AF_BUS;
			s = KRD(btf, KRD(btf, dev, bus), name);
			if (s)
				bpf_probe_read_kernel_str(r->bus, sizeof(r->bus), s);
		}
	}
	fill_stack(ctx, &r->h, &r->st, entry_hook);
	rec_submit(r, sizeof(*r));
	return 0;
}

SEC("fexit/dma_buf_dynamic_attach")
int BPF_PROG(fexit_dyn_attach, struct dma_buf *dmabuf, struct device *dev, void *ops, void *priv,
	     struct dma_buf_attachment *ret)
{
	return do_attach(ctx, dmabuf, dev, ret, 0, true);
}

SEC("fexit/dma_buf_attach")
int BPF_PROG(fexit_attach, struct dma_buf *dmabuf, struct device *dev, struct dma_buf_attachment *ret)
{
	return do_attach(ctx, dmabuf, dev, ret, 0, true);
}

static __always_inline void stash_put(__u32 hook, __u64 a0, __u64 a1)
{
	struct stash_key k = { .id = bpf_get_current_pid_tgid(), .hook = hook };
	struct stash_val v = { .a0 = a0, .a1 = a1 };

	v.overwrote = bpf_map_lookup_elem(&stash, &k) != NULL;
	bpf_map_update_elem(&stash, &k, &v, BPF_ANY); /* a failure shows at the return (no entry) */
}

/* The entry's arguments, or false when the event is dropped: counted here, where it is lost. A
 * nested inner call leaves a tombstone so that the outer return counts its own loss. ret_says_all: the
 * return value alone gives the record (a successful attach or export returns the object, which names
 * its buffer and device), so a missing or tombed entry loses nothing (*out stays as the caller set it). */
static __always_inline bool stash_take(__u32 hook, struct stash_val *out, bool ret_says_all)
{
	struct stash_key k = { .id = bpf_get_current_pid_tgid(), .hook = hook };
	struct stash_val *v = bpf_map_lookup_elem(&stash, &k);

	if (!v) {
		if (ret_says_all)
			return true;
		drop(DT_RC_NO_ENTRY);
		return false;
	}
	if (v->tomb) {
		bpf_map_delete_elem(&stash, &k);
		if (ret_says_all)
			return true;
		drop(DT_RC_NESTED);
		return false;
	}
	*out = *v;
	if (v->overwrote) {
		v->tomb = 1;
		v->overwrote = 0;
	} else {
		bpf_map_delete_elem(&stash, &k);
	}
	return true;
}

SEC("kprobe/dma_buf_dynamic_attach")
int BPF_KPROBE(kp_attach, struct dma_buf *dmabuf, struct device *dev)
{
	if (skip_task())
		return 0;
	stash_put(STASH_ATTACH, (__u64)dmabuf, (__u64)dev);
	entry_stack_put(ctx, STASH_ATTACH);
	return 0;
}

SEC("kretprobe/dma_buf_dynamic_attach")
int BPF_KRETPROBE(krp_attach, struct dma_buf_attachment *ret)
{
	struct stash_val v = {};

	if (skip_task() || !stash_take(STASH_ATTACH, &v, ret && !IS_ERR_VALUE(ret)))
		return 0;
	return do_attach(ctx, (struct dma_buf *)v.a0, (struct device *)v.a1, ret, STASH_ATTACH, false);
}

/* ---- detach / unmap ---- */

/* A detach of an attachment never seen, called from dma_buf_dynamic_attach itself: the attach's
 * own error path. Only then is the caller looked at (pre-trace attachments are the other unknown
 * ones): a kprobe's return address (ret_ip; 0 for fentry), else the stack. The return address is
 * needed on arm64: at a function's entry its caller is only in the link register, and the frame
 * pointer unwind of a kprobe's stack skips it (measured on 6.12: no error-path detach recognised). */
static __always_inline bool attach_error_path(void *ctx, __u64 ret_ip)
{
	__u64 ips[8] = {}; /* 5.10's bpf_get_stack wants initialized memory */
	long n;

	if (!attach_fn_lo)
		return false;
	if (ret_ip >= attach_fn_lo && ret_ip < attach_fn_hi)
		return true;
	n = bpf_get_stack(ctx, ips, sizeof(ips), 0);
#pragma unroll
	for (int i = 0; i < 8; i++)
		if (i * 8 < n && ips[i] >= attach_fn_lo && ips[i] < attach_fn_hi)
			return true;
	return false;
}

/* drop_att (a detach): the attachment's att_ids entry is looked up once, here, for the error-path
 * test, the event's id (its attachment's, or a fresh one that nothing later needs: not stored) and
 * its removal after the event. */
static __always_inline int do_simple(void *ctx, __u32 type, struct dma_buf *dmabuf,
				     struct dma_buf_attachment *attach, __u32 dir, bool drop_att, __u64 ret_ip, bool btf)
{
	struct dt_rec_simple *r;
	struct att_val known = {};
	bool have = false;
	__u64 id = 0;

	if (drop_att && attach) {
		__u64 key = (__u64)attach;
		struct att_val *v = bpf_map_lookup_elem(&att_ids, &key);

		if (v) {
			known = *v;
			have = true;
		}
	}
	if (skip_task())
		goto out;
	if (drop_att && attach && !have && attach_error_path(ctx, ret_ip)) {
		folded(); /* the failed attach's own record says what happened */
		return 0;
	}
	/* before the reserve: a refused insert's loss goes into the stream ahead of this event */
	if (attach)
		id = !drop_att ? att_id(attach, true) : have ? known.id : next_id();
	r = rec_reserve(sizeof(*r));
	if (!r)
		goto out;
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, type);
	if (!dmabuf && attach)
		dmabuf = KRD(btf, attach, dmabuf);
	set_buf(&r->h, dmabuf, btf);
	r->size = dmabuf ? KRD(btf, dmabuf, size) : 0;
	r->dir = dir;
	if (attach) {
		r->h.att = id;
		r->h.flags |= DT_RF_ATT;
	}
	rec_submit(r, sizeof(*r));
out:
	if (have && !test_keep_detached)
		att_forget(attach, &known);
	return 0;
}

SEC("fentry/dma_buf_detach")
int BPF_PROG(fentry_detach, struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	return do_simple(ctx, DT_REC_DETACH, dmabuf, attach, 0, true, 0, true);
}

SEC("kprobe/dma_buf_detach")
int BPF_KPROBE(kp_detach, struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	__u64 ret_ip = 0;

#if defined(__TARGET_ARCH_x86)
	bpf_probe_read_kernel(&ret_ip, sizeof(ret_ip), (void *)PT_REGS_SP(ctx)); /* pushed by the call */
#else
	/* arm64: the link register (Debian's libbpf 1.1.2 BPF_KPROBE_READ_RET_IP reads memory at it instead) */
	ret_ip = PT_REGS_RET(ctx);
#endif
	return do_simple(ctx, DT_REC_DETACH, dmabuf, attach, 0, true, ret_ip, false);
}

SEC("fentry/dma_buf_unmap_attachment")
int BPF_PROG(fentry_unmap, struct dma_buf_attachment *attach, struct sg_table *sgt, int dir)
{
	return do_simple(ctx, DT_REC_UNMAP, NULL, attach, dir, false, 0, true);
}

SEC("kprobe/dma_buf_unmap_attachment")
int BPF_KPROBE(kp_unmap, struct dma_buf_attachment *attach, struct sg_table *sgt, int dir)
{
	return do_simple(ctx, DT_REC_UNMAP, NULL, attach, dir, false, 0, false);
}

/* ---- vmap / vunmap ---- */

static __always_inline int do_vmap(void *ctx, __u32 type, struct dma_buf *dmabuf, long ret, bool btf)
{
	struct dt_rec_simple *r;

	if (skip_task())
		return 0;
	r = rec_reserve(sizeof(*r));
	if (!r)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, type);
	set_buf(&r->h, dmabuf, btf);
	r->size = dmabuf ? KRD(btf, dmabuf, size) : 0;
	r->dir = 0;
	if (ret) {
		r->h.flags |= DT_RF_ERR;
		r->h.err = ret;
	}
	rec_submit(r, sizeof(*r));
	return 0;
}

/* 5.11+: int dma_buf_vmap(struct dma_buf *, struct dma_buf_map / iosys_map *) */
SEC("fexit/dma_buf_vmap")
int BPF_PROG(fexit_vmap, struct dma_buf *dmabuf, void *map, int ret)
{
	return do_vmap(ctx, DT_REC_VMAP, dmabuf, ret < 0 ? ret : 0, true);
}

/* 5.10: void *dma_buf_vmap(struct dma_buf *) (see core_fixes.bpf.h) */
SEC("fexit/dma_buf_vmap")
int BPF_PROG(fexit_vmap_ptr, struct dma_buf *dmabuf, void *ret)
{
	return do_vmap(ctx, DT_REC_VMAP, dmabuf, ret ? 0 : -12, true);
}

SEC("kprobe/dma_buf_vmap")
int BPF_KPROBE(kp_vmap, struct dma_buf *dmabuf)
{
	if (skip_task())
		return 0;
	stash_put(STASH_VMAP, (__u64)dmabuf, 0);
	return 0;
}

SEC("kretprobe/dma_buf_vmap")
int BPF_KRETPROBE(krp_vmap, unsigned long ret)
{
	struct stash_val v = {};

	if (skip_task() || !stash_take(STASH_VMAP, &v, false))
		return 0;
	return do_vmap(ctx, DT_REC_VMAP, (struct dma_buf *)v.a0, vmap_ret_errno(ret), false);
}

SEC("fentry/dma_buf_vunmap")
int BPF_PROG(fentry_vunmap, struct dma_buf *dmabuf)
{
	return do_vmap(ctx, DT_REC_VUNMAP, dmabuf, 0, true);
}

SEC("kprobe/dma_buf_vunmap")
int BPF_KPROBE(kp_vunmap, struct dma_buf *dmabuf)
{
	return do_vmap(ctx, DT_REC_VUNMAP, dmabuf, 0, false);
}

/* ---- export / release ---- */

static __always_inline int do_export(void *ctx, struct dma_buf_export_info *info, struct dma_buf *ret)
{
	struct dt_rec_export *r;
	const char *s;

	if (skip_task())
		return 0;
	r = rec_reserve(sizeof(*r));
	if (!r)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, DT_REC_EXPORT);
	r->exp_name[0] = r->name[0] = 0;
	r->size = 0;
	if (IS_ERR_VALUE(ret) || !ret) {
		r->h.flags |= DT_RF_ERR;
		r->h.err = ret ? (long)ret : -12;
		if (info) {
			r->size = BPF_CORE_READ(info, size);
			s = BPF_CORE_READ(info, exp_name);
			if (s)
				bpf_probe_read_kernel_str(r->exp_name, sizeof(r->exp_name), s);
		}
	} else {
		/* a new buffer: its inode, not a stale one left under a reused address by a
		 * release that was not seen */
		__u64 key = (__u64)ret, ino = BPF_CORE_READ(ret, file, f_inode, i_ino);

		if (ino) {
			bpf_map_update_elem(&buf_inos, &key, &ino, BPF_ANY);
			r->h.ino = ino;
			r->h.flags |= DT_RF_BUF;
		}
		r->size = BPF_CORE_READ(ret, size);
		s = BPF_CORE_READ(ret, exp_name);
		if (s)
			bpf_probe_read_kernel_str(r->exp_name, sizeof(r->exp_name), s);
		read_bufname(ret, r->name, false);
	}
	rec_submit(r, sizeof(*r));
	return 0;
}

SEC("fexit/dma_buf_export")
int BPF_PROG(fexit_export, struct dma_buf_export_info *info, struct dma_buf *ret)
{
	return do_export(ctx, info, ret);
}

SEC("kprobe/dma_buf_export")
int BPF_KPROBE(kp_export, struct dma_buf_export_info *info)
{
	if (skip_task())
		return 0;
	stash_put(STASH_EXPORT, (__u64)info, 0);
	return 0;
}

SEC("kretprobe/dma_buf_export")
int BPF_KRETPROBE(krp_export, struct dma_buf *ret)
{
	struct stash_val v = {};

	if (skip_task() || !stash_take(STASH_EXPORT, &v, ret && !IS_ERR_VALUE(ret)))
		return 0;
	return do_export(ctx, (struct dma_buf_export_info *)v.a0, ret);
}

static __always_inline int do_release(void *ctx, struct dma_buf *dmabuf)
{
	__u64 key = (__u64)dmabuf;
	struct dt_rec_simple *r;

	if (!dmabuf)
		return 0;
	if (skip_task())
		goto out;
	r = rec_reserve(sizeof(*r));
	if (!r)
		goto out;
	__builtin_memset(r, 0, sizeof(*r));
	fill_hdr(&r->h, DT_REC_RELEASE);
	set_buf(&r->h, dmabuf, false);
	r->size = BPF_CORE_READ(dmabuf, size);
	r->dir = 0;
	rec_submit(r, sizeof(*r));
out:
	bpf_map_delete_elem(&buf_inos, &key);
	att_forget_buffer(key);
	return 0;
}

/* dentry op: once per buffer, when the last reference is gone */
SEC("fentry/dma_buf_release")
int BPF_PROG(fentry_release, struct dentry *dentry)
{
	return do_release(ctx, BPF_CORE_READ(dentry, d_fsdata));
}

SEC("kprobe/dma_buf_release")
int BPF_KPROBE(kp_release, struct dentry *dentry)
{
	return do_release(ctx, BPF_CORE_READ(dentry, d_fsdata));
}

/* file op (fallback when the dentry op is not traceable) */
SEC("fentry/dma_buf_file_release")
int BPF_PROG(fentry_file_release, struct inode *inode, struct file *file)
{
	return do_release(ctx, BPF_CORE_READ(file, private_data));
}

SEC("kprobe/dma_buf_file_release")
int BPF_KPROBE(kp_file_release, struct inode *inode, struct file *file)
{
	return do_release(ctx, BPF_CORE_READ(file, private_data));
}

/* ---- map ---- */

static __always_inline int map_enter(struct dma_buf_attachment *attach, int dir, __u64 sp, bool btf)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inmap fresh = {}, *st;
	struct inmap_frame f = {};

	if (skip_task())
		return 0;
	f.attach = (__u64)attach;
	f.dir = dir;
	f.sp = sp;
	f.has_sgt = get_attach_sgt(attach, &f.sgt_before, btf);
	st = bpf_map_lookup_elem(&inmap, &id);
	if (!st) {
		fresh.f[0] = f;
		fresh.n = 1;
		bpf_map_update_elem(&inmap, &id, &fresh, BPF_ANY); /* a failure shows at the return (no entry) */
		return 0;
	}
	if (st->n >= INMAP_DEPTH) { /* the oldest frame's return was missed, or a third level: shifted out */
		st->f[0] = st->f[1];
		st->n = 1;
	}
	st->f[st->n & 1] = f;
	st->n++;
	return 0;
}

/* This return's frame, popped with the frames above it (their returns were missed); false: none. */
static __always_inline bool map_frame_take(__u64 id, struct dma_buf_attachment *attach, __u64 ret_sp,
					   struct inmap_frame *out)
{
	struct inmap *st = bpf_map_lookup_elem(&inmap, &id);
	int found = -1;

	if (!st)
		return false;
#pragma unroll
	for (int i = INMAP_DEPTH - 1; i >= 0; i--)
		if (found < 0 && i < st->n &&
		    (attach ? st->f[i].attach == (__u64)attach : RET_SP_MATCH(&st->f[i], ret_sp)))
			found = i;
	if (found < 0)
		return false;
	*out = st->f[found & 1];
	if (!attach) /* kprobe mode: how the frame's entry sp relates to the return's (record prints it) */
		__sync_fetch_and_add(&ret_sp_seen[out->sp == ret_sp - 8 ? 0 : out->sp == ret_sp ? 1 : 2], 1);
	st->n = found; /* 0: the entry stays for this task's next map (a lookup instead of an insert and a delete) */
	return true;
}

struct walk {
	struct scatterlist *sg;
	__u64 mask;
	__u64 prev_end;
	__u64 total;
	__u64 maxseg;
	__u64 crossings;
	__u64 count;
	__u64 gaps; /* non-zero once a segment did not start where the previous ended */
	__u32 cap;
	__u32 cpu_slot; /* the record is in this CPU's map_cpu_slot, not the task's map_scratch slot */
	__u32 limit;    /* walk_chunk: entries to walk at most */
	__u32 _pad;
};

/* One sg entry; 1 ends the walk. Inlined into the bounded loop (no subprogram call per entry keeps
 * the pre-5.17 verifier's work linear in the bound) and into walk_cb for bpf_loop. */
static __always_inline long walk_step(__u32 i, struct walk *w, struct dt_rec_map *rec)
{
	struct scatterlist *sg = w->sg, *next;
	struct dt_rec_map *r = rec;
	__u64 pl, addr, len, end, id, d, m, x;

	if (!sg)
		return 1;
	pl = BPF_CORE_READ(sg, page_link);
	addr = BPF_CORE_READ(sg, dma_address);
	len = sg_dma_len(sg);
	if (!len)
		return 1; /* unused tail after IOMMU merging */

	/* Branch-free bookkeeping: a branch whose both sides go on would double the paths the
	 * verifier walks per entry (the bounded loop below 5.17 repeats this body), and a counter in
	 * *w that a branch makes precise keeps newer verifiers from converging bpf_loop's callback. */
	end = addr + len;
	w->gaps |= i ? addr ^ w->prev_end : 0;
	w->prev_end = end;
	w->total += len;
	d = w->maxseg - len; /* lengths < 2^63: the top bit says len > maxseg */
	m = (__u64)((__s64)d >> 63);
	barrier_var(m);
	w->maxseg ^= (w->maxseg ^ len) & m;
	x = (addr ^ (end - 1)) & ~w->mask; /* first and last byte in different boundary windows */
	w->crossings += (x | -x) >> 63;
	if (i < w->cap) {
		__u32 idx = i & (DT_ABI_SEGS_MAX - 1);

		if (!r && w->cpu_slot) {
			__u32 k0 = 0;
			struct cpu_map_slot *cs = bpf_map_lookup_elem(&map_cpu_slot, &k0);

			/* written through cs itself: &cs->rec before the NULL test is refused by the verifier */
			if (cs) {
				cs->rec.segs[idx].addr = addr;
				cs->rec.segs[idx].len = len;
			}
		} else {
			if (!r) {
				id = bpf_get_current_pid_tgid();
				r = bpf_map_lookup_elem(&map_scratch, &id);
			}
			if (r) {
				r->segs[idx].addr = addr;
				r->segs[idx].len = len;
			}
		}
	}
	w->count = i + 1; /* zero-length entries stop the walk, so i counts segments */

	/* sg_next(): end marker, then chain link in the following entry */
	if (pl & 0x2)
		return 1;
	next = (void *)sg + bpf_core_type_size(struct scatterlist); /* CONFIG_DEBUG_SG adds sg_magic */
	pl = BPF_CORE_READ(next, page_link);
	m = -(pl & 0x1);
	barrier_var(m);
	w->sg = (struct scatterlist *)(((__u64)next & ~m) | (pl & ~0x3UL & m));
	return 0;
}

/* A one-entry walk (nents 1: the contiguous buffer, the common map) without bpf_loop, the entry read
 * through the BTF pointer in fexit (plain loads, no helper call): what walk_step does for entry 0 of a
 * bpf_loop of 1 (no successor is looked at, the gap test needs two entries). */
static __always_inline void walk_one(struct walk *w, struct dt_rec_map *r, struct scatterlist *sg, bool btf)
{
	__u64 addr, len, end, x;

	if (!sg)
		return;
	addr = KRD(btf, sg, dma_address);
	len = bpf_core_field_exists(sg->dma_length) ? KRD(btf, sg, dma_length) : KRD(btf, sg, length);
	if (!len)
		return; /* unused entry: no segment */
	end = addr + len;
	w->prev_end = end;
	w->total = len;
	w->maxseg = len;
	x = (addr ^ (end - 1)) & ~w->mask;
	w->crossings = x != 0;
	if (w->cap) {
		r->segs[0].addr = addr;
		r->segs[0].len = len;
	}
	w->count = 1;
}

static long walk_cb(__u32 i, void *data)
{
	return walk_step(i, data, NULL);
}

/* The walk of a bounded-loop map program, per task (as map_scratch: a program can be preempted). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, struct walk);
} walk_state SEC(".maps");

/* Entries [first, first + WALK_CHUNK) of this task's bounded walk (walk_state, into its map_scratch
 * record); 1: the walk ended. Global, so the verifier checks it once, alone, instead of once per entry in
 * the caller's state: 5.10's verifier unrolling a 1024-entry loop of walk_step processed 170k instructions
 * in 27-43 s under TCG and then failed (EFAULT: out of memory for its branch states in a 512 MiB guest). */
__noinline int walk_chunk(__u32 first)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct walk *w = bpf_map_lookup_elem(&walk_state, &id);
	struct dt_rec_map *r = bpf_map_lookup_elem(&map_scratch, &id);

	if (!w || !r)
		return 1;
	for (__u32 i = 0; i < WALK_CHUNK; i++)
		if (first + i >= w->limit || walk_step(first + i, w, r))
			return 1;
	return 0;
}

/* full_walk: walk with bpf_loop (5.17+). A program that references bpf_loop's callback does not
 * load on older kernels even if the call is never reached, hence the _bounded program variants. */
static __always_inline int map_exit(void *ctx, struct dma_buf_attachment *attach, int dir, struct sg_table *ret,
				    __u64 ret_sp, bool full_walk, bool btf)
{
	bool kretprobe = !btf; /* the fexit programs pass their argument */
	/* the call completed now: the ring position comes after the walk and the unwind, the reorder
	 * window in userspace puts the record back in time order */
	__u64 ts = bpf_ktime_get_boot_ns();
	__u64 id = bpf_get_current_pid_tgid();
	struct inmap_frame st = {};
	struct dt_rec_map *r, *zero;
	struct cpu_map_slot *cs = NULL;
	struct dma_buf *dmabuf;
	struct device *dev;
	struct walk w = {};
	__u32 nents, cap, walk_cap, k0 = 0;
	bool armed = false;
	__u64 sz;

	if (map_frame_take(id, attach, ret_sp, &st)) {
		armed = true;
		if (!btf)
			attach = (void *)st.attach;
		dir = st.dir;
	}
	if (skip_task())
		return 0;
	if (!attach) {
		drop(DT_RC_NO_ENTRY); /* kretprobe without its entry's state */
		return 0;
	}
	r = NULL;
	if (full_walk) {
		cs = bpf_map_lookup_elem(&map_cpu_slot, &k0);
		if (cs && !__sync_lock_test_and_set(&cs->busy, 1)) {
			r = &cs->rec;
			/* reused: clear what the record carries before its segments (the segments written are
			 * overwritten, the ones past nsegs never leave) */
			__builtin_memset(r, 0, __builtin_offsetof(struct dt_rec_map, segs));
			w.cpu_slot = 1;
		}
	}
	if (!r) {
		zero = bpf_map_lookup_elem(&map_zero, &k0);
		if (!zero || bpf_map_update_elem(&map_scratch, &id, zero, BPF_ANY)) {
			drop(DT_RC_SCRATCH);
			return 0;
		}
		r = bpf_map_lookup_elem(&map_scratch, &id);
		if (!r) {
			drop(DT_RC_SCRATCH);
			return 0;
		}
	}
	fill_hdr_ts(&r->h, DT_REC_MAP, ts);
	dmabuf = KRD(btf, attach, dmabuf);
	dev = KRD(btf, attach, dev);
	set_buf(&r->h, dmabuf, btf);
	r->h.att = att_id(attach, true);
	r->h.flags |= DT_RF_ATT;
	r->size = dmabuf ? KRD(btf, dmabuf, size) : 0;
	read_bufname(dmabuf, r->bufname, btf);
	r->dir = dir;
	r->dma_calls = st.dma_calls;
	r->dma_ents = st.dma_ents;
	if (armed)
		r->mflags |= DT_MF_DMA_HOOK;
	dev_limits(dev, &r->max_seg_size, &r->boundary_mask, btf);
	if (st.has_sgt)
		r->mflags |= DT_MF_SGT_FIELD;

	if (IS_ERR_VALUE(ret) || !ret) {
		r->h.flags |= DT_RF_ERR;
		r->h.err = ret ? (long)ret : -12;
	} else {
		if (st.has_sgt && st.sgt_before && st.sgt_before == (__u64)ret)
			r->mflags |= DT_MF_CACHED;
		nents = KRD(btf, ret, nents);
		r->nents = nents;
		r->orig_nents = KRD(btf, ret, orig_nents);
		cap = max_segs;
		if (cap > DT_ABI_SEGS_MAX)
			cap = DT_ABI_SEGS_MAX;
		walk_cap = max_walk < WALK_MAX ? max_walk : WALK_MAX;
		w.mask = r->boundary_mask;
		w.cap = cap;
		if (full_walk) {
			if (nents > walk_cap) {
				nents = walk_cap;
				r->mflags |= DT_MF_WALK_CUT;
			}
			if (nents == 1) {
				walk_one(&w, r, KRD(btf, ret, sgl), btf);
			} else {
				/* a number, not a BTF pointer, even in fexit: the walk masks it (sg_next's chain
				 * bits), which the verifier refuses on a pointer */
				w.sg = BPF_CORE_READ(ret, sgl);
				bpf_loop(nents, walk_cb, &w, 0);
			}
		} else {
			w.sg = BPF_CORE_READ(ret, sgl);
			struct walk *wp;
			__u32 c, chunks;

			if (walk_cap > WALK_BOUNDED_MAX)
				walk_cap = WALK_BOUNDED_MAX;
			chunks = (walk_cap + WALK_CHUNK - 1) / WALK_CHUNK; /* a constant to the verifier */
			w.limit = nents < walk_cap ? nents : walk_cap;
			if (bpf_map_update_elem(&walk_state, &id, &w, BPF_ANY)) {
				bpf_map_delete_elem(&map_scratch, &id);
				drop(DT_RC_SCRATCH);
				return 0;
			}
			for (c = 0; c < chunks; c++)
				if (walk_chunk(c * WALK_CHUNK))
					break;
			wp = bpf_map_lookup_elem(&walk_state, &id);
			if (wp)
				w = *wp;
			bpf_map_delete_elem(&walk_state, &id);
			if (w.limit < nents && w.count >= w.limit)
				r->mflags |= DT_MF_WALK_CUT;
		}
		r->segs_total = w.count;
		r->total_len = w.total;
		r->max_seg = w.maxseg;
		r->crossings = w.crossings;
		r->nsegs = w.count < cap ? w.count : cap;
		if (!w.gaps)
			r->mflags |= DT_MF_CONTIGUOUS;
		r->mflags |= DT_MF_WALKED;
	}
	fill_stack(ctx, &r->h, &r->st, kretprobe ? STASH_MAP : 0);
	/* only the carried segments go into the ring: 1-segment maps take ~0.4 KiB, not 4.5 */
	sz = __builtin_offsetof(struct dt_rec_map, segs) + (__u64)(r->nsegs & (2 * DT_ABI_SEGS_MAX - 1)) * 16;
	if (sz > sizeof(*r))
		sz = sizeof(*r);
	emit_copy(r, sz);
	if (w.cpu_slot && cs)
		*(volatile __u64 *)&cs->busy = 0; /* only programs on this CPU contend: program order suffices */
	else
		bpf_map_delete_elem(&map_scratch, &id);
	return 0;
}

SEC("fentry/dma_buf_map_attachment")
int BPF_PROG(fentry_map, struct dma_buf_attachment *attach, int dir)
{
	return map_enter(attach, dir, 0, true);
}

SEC("fexit/dma_buf_map_attachment")
int BPF_PROG(fexit_map, struct dma_buf_attachment *attach, int dir, struct sg_table *ret)
{
	return map_exit(ctx, attach, dir, ret, 0, true, true);
}

SEC("fexit/dma_buf_map_attachment")
int BPF_PROG(fexit_map_bounded, struct dma_buf_attachment *attach, int dir, struct sg_table *ret)
{
	return map_exit(ctx, attach, dir, ret, 0, false, true);
}

SEC("kprobe/dma_buf_map_attachment")
int BPF_KPROBE(kp_map, struct dma_buf_attachment *attach, int dir)
{
	if (!skip_task())
		entry_stack_put(ctx, STASH_MAP);
	return map_enter(attach, dir, PT_REGS_SP(ctx), false);
}

SEC("kretprobe/dma_buf_map_attachment")
int BPF_KRETPROBE(krp_map, struct sg_table *ret)
{
	return map_exit(ctx, NULL, 0, ret, PT_REGS_SP(ctx), true, false);
}

SEC("kretprobe/dma_buf_map_attachment")
int BPF_KRETPROBE(krp_map_bounded, struct sg_table *ret)
{
	return map_exit(ctx, NULL, 0, ret, PT_REGS_SP(ctx), false, false);
}

/* ---- DMA level: only while this task is inside a dma-buf map ---- */

static __always_inline int dma_level(long ents)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inmap *st = bpf_map_lookup_elem(&inmap, &id);
	struct inmap_frame *f;

	if (!st || !st->n)
		return 0;
	f = &st->f[(st->n - 1) & 1]; /* the innermost map in flight made this DMA call */
	f->dma_calls++;
	if (ents > 0)
		f->dma_ents += ents;
	return 0;
}

SEC("tp_btf/dma_map_sg")
int BPF_PROG(tp_dma_map_sg, struct device *dev, struct scatterlist *sgl, int nents, int ents)
{
	return dma_level(ents);
}

/* __dma_map_sg_attrs / dma_map_sg_attrs (dev, sg, nents, dir, attrs) -> mapped ents */
SEC("fexit/__dma_map_sg_attrs")
int BPF_PROG(fexit_dma_sg, struct device *dev, struct scatterlist *sg, int nents, int dir,
	     unsigned long attrs, int ret)
{
	return dma_level(ret);
}

SEC("kretprobe/__dma_map_sg_attrs")
int BPF_KRETPROBE(krp_dma_sg, int ret)
{
	return dma_level(ret);
}

/* dma_map_sgtable (dev, sgt, dir, attrs) -> 0 / -errno; sgt->nents after */
SEC("fexit/dma_map_sgtable")
int BPF_PROG(fexit_dma_sgtable, struct device *dev, struct sg_table *sgt, int dir, unsigned long attrs,
	     int ret)
{
	return dma_level(ret == 0 ? (long)BPF_CORE_READ(sgt, nents) : 0);
}

SEC("kretprobe/dma_map_sgtable")
int BPF_KRETPROBE(krp_dma_sgtable, int ret)
{
	return dma_level(0);
}

/* record -- CMD: the command's process tree, followed at fork in the kernel. User space inserts the
 * command's tgid before it runs; each fork of a member adds the child's tgid before the child can raise an
 * event, so a child that maps a buffer and exits before user space reads its events is still the command's
 * (the /proc walk alone misses it). Entries stay: the events of a process arrive after it is gone. Threads
 * share their tgid and add nothing. Loaded only when record follows a command (capture opts.follow_tree). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} tree_tgids SEC(".maps");

SEC("raw_tp/sched_process_fork")
int BPF_PROG(follow_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid), ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (ptgid != ctgid && bpf_map_lookup_elem(&tree_tgids, &ptgid))
		bpf_map_update_elem(&tree_tgids, &ctgid, &one, BPF_ANY);
	return 0;
}

/* ---- seed: the buffers that exist when tracing starts ----------------------------------------------------
 * The BPF dmabuf iterator (kernel commit 76ea95534995 "bpf: Add dmabuf iterator", 6.16) visits every live
 * dma-buf; record runs it once when debugfs bufinfo is not readable. Loaded only where the kernel's BTF has
 * struct bpf_iter__dmabuf (userspace leaves its autoload off elsewhere). The attachment list is walked with
 * plain reads and no lock, as bufinfo's debugfs reader would see it: a racing attach or detach may be
 * missed, never followed into freed memory (probe reads). */
SEC("iter/dmabuf")
int iter_dmabuf_seed(struct bpf_iter__dmabuf *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct dma_buf *d = ctx->dmabuf;
	struct dt_rec_seed r = {};
	const char *name;
	__u64 head, pos;

	if (!d)
		return 0;
	r.kind = DT_SEED_BUF;
	r.ino = BPF_CORE_READ(d, file, f_inode, i_ino);
	r.size = BPF_CORE_READ(d, size);
	bpf_probe_read_kernel_str(r.s1, sizeof(r.s1), BPF_CORE_READ(d, exp_name));
	name = BPF_CORE_READ(d, name);
	if (name)
		bpf_probe_read_kernel_str(r.s2, DT_ABI_BUFNAME_LEN, name);
	bpf_seq_write(seq, &r, sizeof(r));

	/* The list head's address as a number: the first entry's prev (the head's own next and prev when
	 * the list is empty), so the walk compares plain values. */
	pos = (__u64)BPF_CORE_READ(d, attachments.next);
	head = (__u64)BPF_CORE_READ((struct list_head *)pos, prev);
	r.kind = DT_SEED_ATT;
	r.size = 0;
	r.s2[0] = 0;
	for (int i = 0; i < DT_SEED_ATTS_MAX; i++) {
		struct dma_buf_attachment *a;

		if (!pos || pos == head)
			return 0;
		a = (void *)(pos - bpf_core_field_offset(struct dma_buf_attachment, node));
		r.s1[0] = 0;
		bpf_probe_read_kernel_str(r.s1, sizeof(r.s1), BPF_CORE_READ(a, dev, kobj.name));
		bpf_seq_write(seq, &r, sizeof(r));
		pos = (__u64)BPF_CORE_READ((struct list_head *)pos, next);
	}
	if (pos && pos != head) {
		r.kind = DT_SEED_MORE;
		bpf_seq_write(seq, &r, sizeof(r));
	}
	return 0;
}

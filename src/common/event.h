/* SPDX-License-Identifier: Apache-2.0 */
/* In-memory form of one trace-format-v1 event (docs/trace-format.md).
 * Every ingest path (trace file, BPF ring buffer, ftrace text) produces these;
 * the timeline engine consumes them. Strings are untrusted bytes: escape on output. */
#ifndef DT_EVENT_H
#define DT_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

enum dt_event_type {
	DT_EV_EXPORT,
	DT_EV_ATTACH,
	DT_EV_MAP,
	DT_EV_UNMAP,
	DT_EV_DETACH,
	DT_EV_RELEASE,
	DT_EV_VMAP,
	DT_EV_VUNMAP,
	DT_EV_LOST,
	DT_EV_HISTORY, /* restated history of a buffer (state, daemon segments and snapshots): no kernel call */
	DT_EV_UNKNOWN, /* forward compatibility: reader warns and skips */
	DT_EV__COUNT,
};

enum dt_dma_dir {
	DT_DIR_UNSET = 0,
	DT_DIR_BIDIRECTIONAL,
	DT_DIR_TO_DEVICE,
	DT_DIR_FROM_DEVICE,
};

/* Longest string kept from a trace; longer ones are cut and marked with "...". */
#define DT_STR_MAX 256
/* Segments kept per map event; more are counted (segs_total) but not stored. */
#define DT_SEGS_MAX 4096
/* Kernel stack frames kept per event. */
#define DT_STACK_MAX 32
#define DT_FRAME_MAX 128

struct dt_str {
	char s[DT_STR_MAX];
	uint16_t len; /* bytes in s (no NUL inside counted); s is NUL-terminated */
	bool set;     /* field present and not null */
};

struct dt_seg {
	uint64_t addr;
	uint64_t len;
};

/* Optional-field presence bits (dt_event.has). */
enum {
	DT_HAS_PID = 1u << 0,
	DT_HAS_TID = 1u << 1,
	DT_HAS_CPU = 1u << 2,
	DT_HAS_BUF = 1u << 3,
	DT_HAS_ATT = 1u << 4,
	DT_HAS_SIZE = 1u << 5,
	DT_HAS_ERR = 1u << 6,
	DT_HAS_NENTS = 1u << 7,
	DT_HAS_ORIG_NENTS = 1u << 8,
	DT_HAS_SEGS_TOTAL = 1u << 9,
	DT_HAS_MAX_SEG = 1u << 10,
	DT_HAS_MAX_SEG_SIZE = 1u << 11,
	DT_HAS_SEG_BOUNDARY = 1u << 12,
	DT_HAS_DMA_PARMS = 1u << 13,
	DT_HAS_COUNT = 1u << 14,
	DT_HAS_CONTIGUOUS = 1u << 15,  /* kernel-computed over the full DMA view */
	DT_HAS_CROSSINGS = 1u << 16,   /* kernel-computed for the importer's own mask */
	DT_HAS_TOTAL_LEN = 1u << 17,
	DT_HAS_SEGS = 1u << 18,
	DT_HAS_TS = 1u << 19,
	DT_HAS_SEQ = 1u << 20,
	DT_HAS_SEEDED = 1u << 21,     /* export/attach from a bufinfo snapshot, not seen happening */
	DT_HAS_STATE = 1u << 22,      /* restated live state at the start of a daemon segment (docs/trace-format.md) */
	DT_HAS_SINCE = 1u << 23,      /* lost: start of the gap (cause gap) */
	DT_HAS_LATE = 1u << 24,       /* arrived after its reorder window closed: out of ts order */
	DT_HAS_COUNT_UNKNOWN = 1u << 25, /* lost: only the fact of a drop is known (count_known:false) */
	DT_HAS_WALK_CAPPED = 1u << 26, /* map: the kernel walked only walk_capped sg entries */
	DT_HAS_CACHED_UNKNOWN = 1u << 27, /* map: whether the kernel returned a cached mapping cannot be told
					   * (6.15+: no attach->sgt; cached_known:false) */
	DT_HAS_UNTIL = 1u << 28,      /* history first-map: when that mapping ended */
};

/* What a history event restates (docs/trace-format.md, "Restated state"). */
enum dt_history_kind {
	DT_HIST_NONE = 0,
	DT_HIST_FIRST_MAP, /* the buffer's first successful map: att, dev, by, ts; until/detached once it ended */
	DT_HIST_PLACED,    /* dev was attached at the first map: the exporter could know its limits */
	DT_HIST_LATE,      /* dev attached after the first map (late-attach judged it, once per device) */
	DT_HIST_LAYOUT,    /* the last known layout (map fields) when no live mapping restates it */
	DT_HIST_DETACHED,  /* an attachment detached lately (att, dev, driver, bus; ts: its detach), oldest first */
	DT_HIST__COUNT,
};

/* Why events are missing (lost events' "cause"; docs/trace-format.md). */
enum dt_lost_cause {
	DT_LOST_RING = 0,      /* the kernel could not queue them (ring buffer full): the default */
	DT_LOST_WRITE,         /* the daemon could not write them (disk full) */
	DT_LOST_GAP,           /* no tracer ran (daemon killed and restarted), or segments missing: count unknown, 0 */
	DT_LOST_SCRATCH,       /* per-task record scratch map full */
	DT_LOST_NO_ENTRY,      /* a return found no state from its entry */
	DT_LOST_NESTED,        /* the same hook nested in one task */
	DT_LOST_ATT_IDS,       /* attachment id map full: later events of it carry a new id (no event lost) */
	DT_LOST_RECURSION,     /* the kernel skipped a BPF program (recursion prevention) */
	DT_LOST_KPROBE_MISSED, /* the kprobe missed hits (kretprobe maxactive) */
	DT_LOST_OTHER,         /* a cause this version does not know (a newer writer's): its word in cause_name */
	DT_LOST__COUNT,
};

struct dt_event {
	enum dt_event_type type;
	uint32_t has;
	uint64_t ts;  /* ns, CLOCK_BOOTTIME */
	uint64_t seq; /* strictly increasing within one trace */
	uint64_t line; /* source line (trace file) or 0 */
	int64_t pid, tid, cpu;
	struct dt_str comm;

	uint64_t buf; /* dma-buf inode number */
	uint64_t att; /* trace-unique attachment id */
	uint64_t size;
	int64_t err;  /* negative errno when the kernel refused */

	/* export */
	struct dt_str exporter, name;

	/* attach */
	struct dt_str dev, driver, bus;
	bool dynamic;
	bool dma_parms;
	uint64_t max_seg_size;
	uint64_t seg_boundary_mask;

	/* map */
	enum dt_dma_dir dir;
	bool cached;
	bool contiguous;
	uint64_t nents, orig_nents;
	uint64_t segs_total;
	uint64_t max_seg;
	uint64_t total_len;
	uint64_t boundary_crossings;
	uint32_t nsegs; /* stored in segs[] (<= DT_SEGS_MAX) */
	struct dt_seg *segs; /* points into storage owned by the producer */

	/* lost */
	uint64_t count;
	enum dt_lost_cause cause;
	uint64_t since; /* cause gap: ts of the last event before the gap */

	/* restated map (state): who mapped, as the engine described it when it happened */
	struct dt_str by;

	/* map: sg entries walked when the walk hit its cap (DT_HAS_WALK_CAPPED) */
	uint64_t walked;

	/* history */
	enum dt_history_kind kind;
	uint64_t until;  /* DT_HAS_UNTIL */
	bool detached;   /* first-map: it ended by a detach while mapped, not an unmap */

	/* who: symbolized kernel stack, innermost first */
	uint32_t nstack;
	char (*stack)[DT_FRAME_MAX];
	/* stack_plain: stack_len[i] is strlen(stack[i]) and every frame is plain printable ASCII (nothing to
	 * escape), as the recorder's symbol cache learnt once per stack; false: not known, look at the bytes.
	 * Not part of the event's content (dt_event_equal ignores it). */
	bool stack_plain;
	uint8_t stack_len[DT_STACK_MAX]; /* < DT_FRAME_MAX <= 256 */

	/* type string when DT_EV_UNKNOWN */
	struct dt_str type_name;

	/* lost: the cause word as written when this version does not know it (DT_LOST_OTHER), kept so a
	 * rewrite (redact) passes it on */
	struct dt_str cause_name;
};

const char *dt_event_type_name(enum dt_event_type t);
enum dt_event_type dt_event_type_from_name(const char *s, size_t len);
const char *dt_dir_name(enum dt_dma_dir d);
enum dt_dma_dir dt_dir_from_name(const char *s, size_t len);
const char *dt_lost_cause_name(enum dt_lost_cause c);
/* -1 for an unknown name. */
int dt_lost_cause_from_name(const char *s, size_t len);
const char *dt_history_kind_name(enum dt_history_kind k);
/* DT_HIST_NONE for an unknown name. */
enum dt_history_kind dt_history_kind_from_name(const char *s, size_t len);
void dt_str_set(struct dt_str *dst, const char *src, size_t len);
/* Same type, fields, strings, segments and stack (what a reader can have read; not line). */
bool dt_event_equal(const struct dt_event *a, const struct dt_event *b);
/* Resets an event to "no fields present", keeping its seg/stack storage. */
void dt_event_clear(struct dt_event *ev);
/* Whether a stack frame ("symbol+0xoff [module]") is in the kernel function `symbol`, also when
 * the compiler cloned it: "drm_gem_prime_import_dev.part.0+0x3d [drm]" is drm_gem_prime_import_dev
 * (suffixes .part.N, .isra.N, .constprop.N, .cold, in any chain). */
bool dt_frame_is(const char *frame, const char *symbol);
/* Sets ev->stack_plain (and stack_len) when every frame is plain printable ASCII up to a NUL within
 * DT_FRAME_MAX: no byte < 0x20, >= 0x7f, '"' or '\\', nothing a writer escapes. Once per symbolized stack. */
void dt_event_learn_stack(struct dt_event *ev);

#endif

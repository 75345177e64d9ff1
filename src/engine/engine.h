/* SPDX-License-Identifier: Apache-2.0 */
/* The timeline engine: a state machine that rebuilds each dma-buf's attach/map history
 * from a stream of events and reports its transitions (attach, map, unmap without map,
 * detach while mapped, ...) to one observer. It knows no rule: the rules (rules.h) judge
 * the transitions. Memory follows live objects. */
#ifndef DT_ENGINE_H
#define DT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf_trace_defaults.h"

#include "common/event.h"
#include "engine/constraints.h"

struct dt_mapping {
	uint64_t ts, seq;
	uint64_t nents, orig_nents, segs_total, max_seg, total_len, crossings;
	bool max_seg_known, contiguous_known, contiguous, crossings_known, cached;
	bool addrs_redacted; /* segs addresses moved by redaction: boundaries above 4 GiB are not kept */
	uint32_t nsegs; /* stored segments; < segs_total means truncated */
	struct dt_seg *segs;
};

struct dt_attachment {
	uint64_t id;
	struct dt_buffer *buf;
	char *dev, *driver, *bus; /* untrusted bytes; driver NULL when none bound */
	bool dynamic;
	bool dma_parms;        /* false: the kernel's 64 KiB default max_segment_size applies */
	bool limits_untraced;  /* the attach event carried no limits (ftrace tracepoints): only the defaults are known */
	bool provisional;      /* attach not seen (trace started mid-way) */
	struct dt_limits lim;  /* effective: kernel values overridden by the profile */
	uint64_t kernel_max_seg_size, kernel_seg_boundary_mask; /* as the attach event said (0: not said) */
	unsigned lim_profile;  /* DT_LIM_* bits that came from the profile */
	unsigned lim_implied;  /* DT_LIM_* bits the importer's kernel code implies (engine/kernel_limits.h) */
	const char *implied_by; /* static text naming that code: "videobuf2-dma-contig" */
	uint64_t attach_ts, attach_seq;
	unsigned map_depth;    /* maps not yet unmapped */
	uint64_t live_since_ts, live_since_seq; /* the map that took map_depth from 0 to 1 */
	struct dt_mapping map; /* the live (or last) mapping */
	uint64_t maps;
	char *map_by;          /* "comm[pid] via frame ← frame" of the mapping task, if known */
	uint64_t detach_ts;    /* once detached (kept in buf->detached) */
	struct dt_attachment *next; /* in buf->atts */
};

/* Device names (untrusted bytes), each once. */
struct dt_dev_list {
	char **names;
	size_t n;
};
bool dt_dev_list_has(const struct dt_dev_list *l, const char *dev);

/* Who mapped, as fields: the task and the first frames above the dma-buf core, as map_by names them. map_by
 * is text for people; JSON takes these, since an untrusted comm can hold " via " or "[1]". */
#define DT_CALLER_FRAMES 2
struct dt_caller {
	bool known;   /* false: only map_by's text was restated (an older state file) */
	char *comm;   /* NULL: the event named no task */
	bool has_pid;
	int64_t pid;
	char *frames[DT_CALLER_FRAMES];
	unsigned nframes;
};

/* A buffer's first successful map. The exporter places the backing store no later than this; an
 * importer attaching afterwards cannot influence the placement, live mapping or not. */
struct dt_first_map {
	bool seen;
	uint64_t att;           /* the attachment that mapped */
	char *dev;              /* its device (untrusted bytes) */
	char *map_by;           /* "comm[pid] via ..." of the mapping task, if known */
	struct dt_caller who;   /* the same as fields */
	uint64_t ts, seq;
	bool ended;             /* that mapping ended: unmapped, or detached while mapped */
	bool ended_by_detach;
	uint64_t end_ts;
	struct dt_dev_list placed; /* attached when it happened: the exporter could know their limits */
	struct dt_dev_list late;   /* attached after it, other than the mapper's device (each judged once) */
};

#define DT_DETACHED_KEPT 4
struct dt_buffer {
	uint64_t ino, size;
	char *exporter, *name;
	bool provisional; /* export not seen */
	bool exporter_contiguous; /* the profile declares the exporter always hands out contiguous memory */
	uint64_t first_ts, first_seq;
	struct dt_attachment *atts; /* live attachments, newest first */
	unsigned n_atts;
	uint64_t maps, vmaps;
	struct dt_first_map first_map;
	/* The last known layout: the latest successful mapping, kept when its attachment detaches. */
	const struct dt_attachment *last_mapper; /* NULL once detached: then kept_map holds it */
	struct dt_mapping kept_map;
	bool have_kept_map;
	/* The last attachments detached, kept so an event naming one after its detach is seen for what it is (the
	 * kernel freed it: a use after free), not as an attach that is missing from the trace. */
	struct dt_attachment *detached[DT_DETACHED_KEPT];
	unsigned detached_next;
};

/* The latest successful mapping of the buffer (by any importer, live or not); NULL if never mapped. */
const struct dt_mapping *dt_buffer_last_map(const struct dt_buffer *b);

struct dt_engine_stats {
	uint64_t events[DT_EV__COUNT];
	uint64_t buffers, attachments;
	uint64_t lost;
	uint64_t late; /* events written after their reorder window (late:true) */
	bool ids_lost; /* an att-ids loss: some attachments' later events carry new ids (restated by segments) */
	uint64_t restated; /* state events (daemon segment starts): applied, neither counted in events[] nor judged */
	uint64_t first_ts, last_ts; /* first_ts is valid once events[] counts one */
	uint64_t live_buffers, live_attachments;
};

/* What an event did to the state, in the order the engine applies it. */
enum dt_transition_kind {
	DT_TR_UNKNOWN_ATTACHMENT,       /* an event named an attachment whose attach is not in the trace */
	DT_TR_ATTACH_FAILED,            /* the kernel refused an attach (ev->err; no att) */
	DT_TR_ATTACH,                   /* att is new on buf */
	DT_TR_ATTACHED_BEFORE_LATE_MAP, /* buf's first map arrived late, and att attached after it (by ts) */
	DT_TR_MAP_FAILED,               /* the kernel refused a map (ev->err) */
	DT_TR_MAP,                      /* att->map holds the new mapping */
	DT_TR_UNMAP_WITHOUT_MAP,        /* unmap of a known attachment that was not mapped */
	DT_TR_DETACH_WHILE_MAPPED,      /* att->map_depth maps are still live */
	DT_TR_USED_AFTER_DETACH,        /* a map, unmap or detach of att, which detached before (att->detach_ts) */
	DT_TR_LATE_BEFORE_DETACH,       /* a late map or unmap of att (detached) from before its detach: the
					 * detach was judged without it (att->map_depth as the detach left it) */
	DT_TR_RELEASE_WITH_ATTACHMENTS, /* buf->atts are still attached */
	DT_TR_LOST,                     /* the kernel dropped ev->count events */
	DT_TR_RELEASE_NOT_TRACED,       /* buf (still attached: atts as they were) is exported again (ev): its detaches
					 * and release were not in the trace, and no loss explains it */
	DT_TR_LEFT_AT_END,              /* end of trace: att is still attached (per attachment, in attach order) */
	DT_TR_BUFFER_GONE,              /* buf is about to be freed (released, inode reused, engine freed) */
};

/* A transition and read-only views of the objects it touched (valid only during the call). */
struct dt_transition {
	enum dt_transition_kind kind;
	const struct dt_event *ev;       /* NULL at the end of the trace and for BUFFER_GONE without event */
	const struct dt_buffer *buf;     /* NULL for LOST */
	const struct dt_attachment *att; /* NULL for buffer-level transitions */
	bool after_loss;                 /* events were lost before this one */
	const struct dt_engine_stats *stats;
};

typedef void (*dt_transition_fn)(void *ctx, const struct dt_transition *t);
/* Called after an event has been applied and its transitions reported; buf/att are the
 * objects it touched (valid only during the call; NULL for lost events). */
typedef void (*dt_event_fn)(void *ctx, const struct dt_event *ev, const struct dt_buffer *buf,
			    const struct dt_attachment *att);

struct dt_engine_opts {
	const struct dt_constraints *constraints; /* may be NULL */
	dt_transition_fn on_transition;
	void *transition_ctx;
	dt_event_fn on_event;
	void *ctx;
};

struct dt_engine;

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts);
/* 0, or -1 with dt_engine_error() set (an event contradicting the trace, e.g. an id reused while live). */
int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev);
const char *dt_engine_error(const struct dt_engine *e);
/* The trace's segment addresses are redacted (its header says so, or record/daemon --redact): mappings
 * stored from here on say so (dt_mapping.addrs_redacted). */
void dt_engine_set_redacted(struct dt_engine *e, bool redacted);
/* End of trace: reports what is still attached or mapped (DT_TR_LEFT_AT_END). */
void dt_engine_finish(struct dt_engine *e);
const struct dt_engine_stats *dt_engine_stats(const struct dt_engine *e);
/* Events were lost (or arrived late) since the start or the last reset: later findings are incomplete. */
bool dt_engine_after_loss(const struct dt_engine *e);
/* Calls fn for every live buffer, in no particular order (state dumps); fn must not feed the engine. */
/* Forgets every live object (a reboot, a gap in a directory of segments) and judges from here on with
 * constraints (may be NULL); statistics carry on. */
void dt_engine_reset(struct dt_engine *e, const struct dt_constraints *constraints);
/* Every live attachment in attach order (NULL with *n 0 when none or out of memory); free() the array. */
const struct dt_attachment **dt_engine_attachments(const struct dt_engine *e, size_t *n);
void dt_engine_foreach_buffer(const struct dt_engine *e, void (*fn)(void *ctx, const struct dt_buffer *b), void *ctx);
void dt_engine_free(struct dt_engine *e);

/* Effective kernel default when a device never declared a max segment size (dma_get_max_seg_size). */
#define DT_DEFAULT_MAX_SEG_SIZE DT_KERNEL_DEFAULT_MAX_SEG_SIZE

#endif

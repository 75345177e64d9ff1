/* The timeline engine: rebuilds each dma-buf's attach/map history from a stream of
 * events and runs the rules (rules.c) as it goes. Used by every ingest path: live
 * (record), CI and post-mortem (check, timeline). Memory follows live objects. */
#ifndef DT_ENGINE_H
#define DT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf_trace_defaults.h"

#include "engine/constraints.h"
#include "common/event.h"
#include "rules/rules.h"

struct dt_mapping {
	uint64_t ts, seq;
	uint64_t nents, orig_nents, segs_total, max_seg, total_len, crossings;
	bool max_seg_known, contiguous_known, contiguous, crossings_known, cached;
	uint32_t nsegs; /* stored segments; < segs_total means truncated */
	struct dt_seg *segs;
};

struct dt_attachment {
	uint64_t id;
	struct dt_buffer *buf;
	char *dev, *driver, *bus; /* untrusted bytes; driver NULL when none bound */
	bool dynamic;
	bool dma_parms;        /* false: the kernel's 64 KiB default max_segment_size applies */
	bool provisional;      /* attach not seen (trace started mid-way) */
	struct dt_limits lim;  /* effective: kernel values overridden by the profile */
	unsigned lim_profile;  /* DT_LIM_* bits that came from the profile */
	uint64_t attach_ts, attach_seq;
	unsigned map_depth;    /* maps not yet unmapped */
	uint64_t live_since_ts, live_since_seq; /* the map that took map_depth from 0 to 1 */
	struct dt_mapping map; /* the live (or last) mapping */
	uint64_t maps;
	char *map_by;          /* "comm[pid] via frame ← frame" of the mapping task, if known */
	struct dt_attachment *next; /* in buf->atts */
};

struct dt_buffer {
	uint64_t ino, size;
	char *exporter, *name;
	bool provisional; /* export not seen */
	uint64_t first_ts, first_seq;
	struct dt_attachment *atts; /* live attachments, newest first */
	unsigned n_atts;
	uint64_t maps, vmaps;
};

struct dt_finding {
	enum dt_rule_id rule;
	enum dt_severity sev;
	const struct dt_buffer *buf;
	const struct dt_attachment *att; /* NULL for buffer-level findings */
	const struct dt_event *ev;       /* triggering event, NULL at end of trace */
	uint64_t ts, seq;
	bool incomplete;  /* events were lost before this finding */
	bool unverified;  /* "cannot tell": the recorded data (truncated segs) does not decide it */
	bool provisional; /* about an object whose start was not in the trace */
	const char *message;
};

struct dt_engine_stats {
	uint64_t events[DT_EV__COUNT];
	uint64_t buffers, attachments;
	uint64_t findings[DT_RULE__COUNT];
	uint64_t by_severity[3];
	uint64_t lost;
	uint64_t first_ts, last_ts; /* first_ts is valid once events[] counts one */
	uint64_t live_buffers, live_attachments;
};

typedef void (*dt_finding_fn)(void *ctx, const struct dt_finding *f);
/* Called after an event has been applied and its findings emitted; buf/att are the
 * objects it touched (valid only during the call; NULL for lost events). */
typedef void (*dt_event_fn)(void *ctx, const struct dt_event *ev, const struct dt_buffer *buf,
			    const struct dt_attachment *att);

struct dt_engine_opts {
	const struct dt_constraints *constraints; /* may be NULL */
	dt_finding_fn on_finding;
	dt_event_fn on_event;
	void *ctx;
};

struct dt_engine;

struct dt_engine *dt_engine_new(const struct dt_engine_opts *opts);
/* 0, or -1 with dt_engine_error() set (an event contradicting the trace, e.g. an id reused while live). */
int dt_engine_feed(struct dt_engine *e, const struct dt_event *ev);
const char *dt_engine_error(const struct dt_engine *e);
/* dt_engine_feed as a dt_sink_fn (ingest/sink.h) for live streams: an event the engine refuses is
 * reported as a warning and the stream goes on. */
int dt_engine_sink(void *engine, const struct dt_event *ev);
/* End of trace: reports what is still attached or mapped. */
void dt_engine_finish(struct dt_engine *e);
const struct dt_engine_stats *dt_engine_stats(const struct dt_engine *e);
/* Calls fn for every live buffer, in no particular order (state dumps); fn must not feed the engine. */
void dt_engine_foreach_buffer(const struct dt_engine *e, void (*fn)(void *ctx, const struct dt_buffer *b), void *ctx);
void dt_engine_free(struct dt_engine *e);

/* Effective kernel default when a device never declared a max segment size (dma_get_max_seg_size). */
#define DT_DEFAULT_MAX_SEG_SIZE DT_KERNEL_DEFAULT_MAX_SEG_SIZE

#endif

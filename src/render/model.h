/* SPDX-License-Identifier: Apache-2.0 */
/* A whole trace held in memory for the renderers that need the complete picture
 * (JUnit, Perfetto export, HTML report, advise): every buffer with its
 * attachments, every map/unmap interval and every finding, in trace order.
 * Strings are copies of untrusted bytes: escape them on output (escape.h).
 * Unlike the engine this grows with the trace; check and timeline stream. */
#ifndef DT_MODEL_H
#define DT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "render/describe.h"
#include "common/errors.h"
#include "engine/engine.h"
#include "rules/select.h"
#include "rules/rules.h"

#define DT_MODEL_NONE ((size_t)-1)

struct u64map;

struct dt_model_map {
	uint64_t ts, end_ts;   /* end_ts: unmap, else detach/release/end of trace */
	bool unmapped;         /* a matching unmap was seen */
	bool open;             /* while loading: not yet unmapped or closed */
	bool failed;           /* the kernel refused the map (err) */
	int64_t err;
	uint64_t nents, max_seg;
	bool max_seg_known, contiguous_known, contiguous;
	unsigned depth;        /* nesting level inside the attachment (0: outermost) */
};

struct dt_model_att {
	uint64_t id;
	size_t buf;            /* index into dt_model.bufs */
	char *dev, *driver;    /* driver NULL when none bound */
	bool provisional;      /* attach not in the trace */
	bool dma_parms;
	struct dt_limits lim;  /* effective limits (kernel + profile) */
	unsigned lim_profile;  /* DT_LIM_* bits that came from the profile */
	uint64_t attach_ts, end_ts;
	bool detached;         /* a detach was seen (else: released, or alive at the end) */
	struct dt_model_map *maps;
	size_t nmaps, capmaps;
	size_t ffirst;         /* this attachment's findings: chain through dt_model_finding.fnext */
};

struct dt_model_buf {
	uint64_t ino, size;
	char *exporter, *name;
	bool provisional;      /* export not in the trace */
	uint64_t first_ts, end_ts;
	bool released;
	size_t *atts;          /* indices into dt_model.atts, in attach order */
	size_t natts, capatts;
	uint64_t failed_attaches;
	size_t ffirst;         /* buffer-level findings (no attachment): chain through fnext */
};

struct dt_model_finding {
	enum dt_rule_id rule;
	enum dt_severity sev;
	size_t buf, att;       /* indices, DT_MODEL_NONE when not about one */
	uint64_t ts, seq;
	bool incomplete, provisional, unverified;
	char *message;
	size_t fnext;          /* next finding of the same attachment / buffer / trace, in trace order */
};

struct dt_model {
	const char *path;
	struct dt_model_buf *bufs;
	size_t nbufs, capbufs;
	struct dt_model_att *atts;
	size_t natts, capatts;
	struct dt_model_finding *findings;
	size_t nfindings, capfindings;
	size_t ffirst_trace;  /* findings about no buffer (lost events): chain through fnext */
	struct dt_run_stats stats;
	int truncated;
	bool oom;                            /* some of the trace could not be stored */
	enum dt_severity min_severity;       /* findings below are not kept */
	const struct dt_select *select;      /* buffers, importers and findings kept (NULL: all) */
	bool seen_event;
	uint64_t first_seen_ts;              /* while loading: the time base for --since/--until */
	struct u64map *live_bufs, *live_atts; /* while loading: ino / att id -> index + 1 */
};

/* Loads a trace through the engine (constraints may be NULL). Returns DT_OK,
 * or DT_ERR_INPUT / DT_ERR_SYSTEM after dt_err(). min severity filters findings. */
enum dt_status dt_model_load(struct dt_model *m, const char *path, const struct dt_constraints *c, enum dt_severity min);
/* The same, reading a dma_buf/bufinfo snapshot too when accept_bufinfo (advise). */
enum dt_status dt_model_load_snapshot(struct dt_model *m, const char *path, const struct dt_constraints *c,
				      enum dt_severity min, bool accept_bufinfo);
/* Everything: --constraints given (FILE, or none: c NULL) or the trace's own profile, bufinfo snapshots too
 * when accept_bufinfo, only what select picks (NULL: everything). */
enum dt_status dt_model_load_full(struct dt_model *m, const char *path, const struct dt_constraints *c, bool given,
				  enum dt_severity min, bool accept_bufinfo, const struct dt_select *select);
/* The same, telling whether --constraints was given (FILE, or none: c NULL); when not, the profile the
 * trace was recorded with is used. */
int dt_model_load_constrained(struct dt_model *m, const char *path, const struct dt_constraints *c, bool given,
			      enum dt_severity min);
void dt_model_free(struct dt_model *m);

/* Feeding by hand (unit tests, other ingest paths): init, feed events, finish. */
void dt_model_init(struct dt_model *m, const char *path);
void dt_model_on_event(void *ctx, const struct dt_event *ev, const struct dt_buffer *buf,
		       const struct dt_attachment *att);
void dt_model_on_finding(void *ctx, const struct dt_finding *f);
/* Closes what is still open at end_ts (the last event's time) and chains the findings. */
void dt_model_finish(struct dt_model *m, uint64_t end_ts);

/* An escaper from escape.h: dt_escape_text, dt_sanitize_utf8 or dt_escape_xml. */
/* "4242 (system, 4 MiB, "frame0")", strings through esc ("export not traced" when provisional). */
const char *dt_model_describe_buf(char *out, size_t outsz, const struct dt_model_buf *b, dt_escaper esc);
/* "vivid.0 [vivid]", "[no driver]" when none is bound, strings through esc. */
const char *dt_model_describe_att(char *out, size_t outsz, const struct dt_model_att *a, dt_escaper esc);

/* First ts of the trace (time base for renderers). */
static inline uint64_t dt_model_t0(const struct dt_model *m) { return m->stats.engine.first_ts; }

#endif

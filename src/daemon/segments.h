// SPDX-License-Identifier: Apache-2.0
/* The daemon's segment files in --dir: seg-NNNNNNNN.jsonl while open, .jsonl.zst once closed. Each
 * segment is a whole trace (header with boot id, segment number and profile; the restated live state;
 * events; an end line saying whether the next segment continues). Rotation by size and age, retention
 * by count or total size, and a disk that fills up: events are counted, not written, and a new segment
 * starts (with a "lost" event of cause "write") once space returns. */
#ifndef DT_DAEMON_SEGMENTS_H
#define DT_DAEMON_SEGMENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/event.h"
#include "engine/engine.h"

struct dt_segments_opts {
	const char *dir;
	uint64_t rotate_bytes;  /* 0: no size limit; counts the events' bytes, not the header and restated state */
	double rotate_seconds;  /* 0: no age limit; a segment without events is not rotated */
	unsigned keep;          /* closed segments kept (0: no count limit) */
	uint64_t keep_bytes;    /* bytes of closed segments kept (0: no size limit) */
	const char *kernel, *host, *tool;
	bool redacted;          /* the events' segment addresses are redacted: the headers say so */
};

/* What the directory held when the daemon started. */
struct dt_segments_prior {
	bool same_boot;         /* the newest segment is of this boot: a gap since its last event */
	bool killed;            /* ... and it has no end line: the daemon was killed */
	bool orphaned;          /* ... or its end line says "continues" and no segment followed: the daemon was
				 * killed between two segments, or could not start the next (a full disk) */
	uint64_t last_ts;       /* its last event's ts */
	unsigned long long last_number;
};

struct dt_segments;

/* Creates DIR (0750) if needed, finishes what a killed daemon left (compresses its open segment). NULL with
 * err set when DIR cannot be used. */
struct dt_segments *dt_segments_open(const struct dt_segments_opts *opts, const char *boot_id,
				     struct dt_segments_prior *prior, char *err, size_t errlen);
/* The profile in force from the next segment on (text and name; NULL: none). Copied. */
int dt_segments_set_profile(struct dt_segments *s, const char *name, const char *text);
/* How the run's buffers from before tracing were seeded ("seed" of every segment header; a static string). */
void dt_segments_set_seed(struct dt_segments *s, const char *seed);
/* Starts a segment: header, then the engine's live state (seq from *seq, advanced). */
int dt_segments_start(struct dt_segments *s, const struct dt_engine *e, uint64_t *seq, uint64_t now_ts);
/* Writes one event (not a state event); counts it as unwritten when the disk refused. */
void dt_segments_event(struct dt_segments *s, const struct dt_event *ev);
/* Once per loop round: flushes; rotates when due (state from e); retries a full disk; reaps compressions. */
void dt_segments_tick(struct dt_segments *s, const struct dt_engine *e, uint64_t *seq, uint64_t now_ts);
/* Closes the open segment: end line (continues: the daemon goes on), fsync, compression. */
int dt_segments_close(struct dt_segments *s, uint64_t now_ts, uint64_t seq, uint64_t lost, bool continues);
/* Waits for running compressions and frees. */
void dt_segments_free(struct dt_segments *s);

struct dt_segments_status {
	unsigned long long number;     /* open segment's number (0: none open) */
	char path[4200];
	unsigned long long bytes;      /* of the open segment */
	unsigned long long segments;   /* started by this daemon */
	unsigned long long unwritten;  /* events not written (disk full), in total */
	bool disk_full;                /* right now */
};
void dt_segments_status(const struct dt_segments *s, struct dt_segments_status *out);

#endif

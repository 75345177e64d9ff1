// SPDX-License-Identifier: Apache-2.0
/* A directory of daemon segments (dmabuf-trace daemon --dir) read as one trace, in segment order.
 * Where one segment continues the previous one (same boot, next number, the previous ended with
 * "continues", same profile) its restated state is skipped: the reader already holds it. Anywhere else
 * (first segment, a reboot, a gap after a killed daemon, a segment removed by retention, a new profile)
 * the reader reports a boundary and the segment's restated state rebuilds the live objects. */
#ifndef DT_INGEST_SEGDIR_H
#define DT_INGEST_SEGDIR_H

#include <stdbool.h>

#include "common/event.h"
#include "ingest/trace_reader.h"

struct dt_segdir;

struct dt_segdir_boundary {
	bool boot_changed;        /* a reboot (or the first segment): what was live is gone */
	const char *profile;      /* the profile text in force from here (NULL: none) */
	const char *profile_name;
};

/* NULL with err set when the directory cannot be read or holds no segment. */
struct dt_segdir *dt_segdir_open(const char *dir, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen);
/* 1 event, 2 boundary (dt_segdir_boundary, then the next call returns the segment's first event), 0 end,
 * -1 malformed input (dt_segdir_error). */
int dt_segdir_next(struct dt_segdir *d, const struct dt_event **ev);
const struct dt_segdir_boundary *dt_segdir_boundary(const struct dt_segdir *d);
const char *dt_segdir_error(const struct dt_segdir *d);
/* The segment being read ("DIR/seg-00000003.jsonl"). */
const char *dt_segdir_name(const struct dt_segdir *d);
const char *dt_segdir_kernel(const struct dt_segdir *d);
/* The header of the segment being read (NULL before the first). */
const struct dt_header *dt_segdir_header(const struct dt_segdir *d);
/* Segments cut short (a killed daemon's last segment is; earlier ones never are). */
int dt_segdir_truncated(const struct dt_segdir *d);
/* The last segment ended with "continues" (the daemon is still running). */
bool dt_segdir_continues(const struct dt_segdir *d);
void dt_segdir_close(struct dt_segdir *d);

/* Is name a segment file name (seg-NNNNNNNN.jsonl or .jsonl.zst)? Sets *number. */
bool dt_segment_name_parse(const char *name, unsigned long long *number);

#endif

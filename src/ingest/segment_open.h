// SPDX-License-Identifier: Apache-2.0
/* Opens one trace file whether plain (.jsonl) or zstd-compressed (.zst): the one place the
 * segment reader asks for a file, so the compressed reader can change behind it. */
#ifndef DT_INGEST_SEGMENT_OPEN_H
#define DT_INGEST_SEGMENT_OPEN_H

#include "ingest/trace_reader.h"

/* NULL with err set ("PATH: what") on failure. */
struct dt_reader *dt_segment_open(const char *path, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen);

#endif

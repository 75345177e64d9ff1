// SPDX-License-Identifier: Apache-2.0
/* See segment_open.h. The trace reader tells zstd from plain text by the magic number and decodes it
 * with a bounded window; a cut frame reads like a cut last line. */
#include "ingest/segment_open.h"

struct dt_reader *dt_segment_open(const char *path, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen)
{
	struct dt_reader *r = dt_reader_open(path, warn, warn_ctx, err, errlen);
	/* The segment reader asks where the file ended and how (continues, last ts): the caller's own view,
	 * which a reader thread would be ahead of. */
	if (r)
		dt_reader_set_threaded(r, false);
	return r;
}

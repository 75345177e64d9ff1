// SPDX-License-Identifier: Apache-2.0
/* See seed.h. */
#include <stdlib.h>

#include "common/errors.h"
#include "daemon/seed.h"

void dt_seed_from_iterator(void *buf, size_t len, uint64_t ts, dt_capture_event_fn fn, void *ctx)
{
	struct dt_seed_counts n;
	char err[256];

	if (dt_capture_dmabuf_iter_seed(buf, len, ts, fn, ctx, &n, err, sizeof(err)) < 0)
		dt_warn("not seeding: %s", err);
	else
		dt_info("seeded %u existing buffers and %u attachments from the BPF dmabuf iterator (no debugfs bufinfo)",
			n.buffers, n.attachments);
	if (n.cut_buffers)
		dt_warn("the dmabuf iterator seeded at most %d attachments of a buffer: %u buffers have more (not seeded)",
			DT_SEED_ATTS_MAX, n.cut_buffers);
	free(buf);
}

/* SPDX-License-Identifier: Apache-2.0 */
#include "ingest/sink.h"

int dt_fanout_add(struct dt_fanout *f, dt_sink_fn fn, void *ctx, const char *name)
{
	if (f->n >= DT_FANOUT_MAX)
		return -1;
	f->to[f->n] = (struct dt_sink){fn, ctx, name};
	f->failed[f->n] = false;
	return (int)f->n++;
}

void dt_fanout_event(struct dt_fanout *f, const struct dt_event *ev)
{
	for (unsigned i = 0; i < f->n; i++)
		if (!f->failed[i] && f->to[i].event(f->to[i].ctx, ev) < 0)
			f->failed[i] = true;
}

bool dt_fanout_failed(const struct dt_fanout *f, int index)
{
	return index >= 0 && (unsigned)index < f->n && f->failed[index];
}

// SPDX-License-Identifier: Apache-2.0
/* See flight.h. A ring of line pointers; each line is one malloc (lines differ in size by 100x). */
#include <stdlib.h>
#include <string.h>

#include "daemon/flight.h"
#include "ingest/trace_writer.h"

struct line {
	char *text;
	size_t len;
	uint64_t ts;
};

struct dt_flight {
	size_t budget, bytes;
	struct line *ring;
	size_t cap, head, n; /* n lines from ring[head] on, wrapping */
	struct dt_writer *fmt;
	uint64_t newest_ts;
};

struct dt_flight *dt_flight_new(size_t budget_bytes)
{
	struct dt_flight *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->budget = budget_bytes;
	f->fmt = dt_writer_new(-1, "flight recorder");
	if (!f->fmt) {
		free(f);
		return NULL;
	}
	return f;
}

static void drop_oldest(struct dt_flight *f)
{
	struct line *l = &f->ring[f->head];
	f->bytes -= l->len + sizeof(*l);
	free(l->text);
	f->head = (f->head + 1) % f->cap;
	f->n--;
}

int dt_flight_sink(void *flight, const struct dt_event *ev)
{
	struct dt_flight *f = flight;
	const char *text;
	size_t len;
	if (dt_writer_format(f->fmt, ev, &text, &len) < 0)
		return 0; /* out of memory for one line: the recorder goes on without it */
	if (len + sizeof(struct line) > f->budget)
		return 0;
	while (f->n && f->bytes + len + sizeof(struct line) > f->budget)
		drop_oldest(f);
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 1024;
		struct line *nr = malloc(ncap * sizeof(*nr));
		if (!nr)
			return 0;
		for (size_t i = 0; i < f->n; i++)
			nr[i] = f->ring[(f->head + i) % f->cap];
		free(f->ring);
		f->ring = nr;
		f->cap = ncap;
		f->head = 0;
	}
	char *copy = malloc(len);
	if (!copy)
		return 0;
	memcpy(copy, text, len);
	f->ring[(f->head + f->n) % f->cap] = (struct line){copy, len, ev->ts};
	f->n++;
	f->bytes += len + sizeof(struct line);
	if (ev->ts > f->newest_ts)
		f->newest_ts = ev->ts;
	return 0;
}

static bool in_window(const struct dt_flight *f, const struct line *l, uint64_t last_ns)
{
	return !last_ns || f->newest_ts < last_ns || l->ts >= f->newest_ts - last_ns;
}

int dt_flight_each(const struct dt_flight *f, uint64_t last_ns, dt_flight_line_fn out, void *ctx)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct line *l = &f->ring[(f->head + i) % f->cap];
		if (in_window(f, l, last_ns) && out(ctx, l->text, l->len) < 0)
			return -1;
	}
	return 0;
}

size_t dt_flight_count(const struct dt_flight *f, uint64_t last_ns)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += in_window(f, &f->ring[(f->head + i) % f->cap], last_ns);
	return n;
}

uint64_t dt_flight_newest_ts(const struct dt_flight *f) { return f->newest_ts; }
size_t dt_flight_bytes(const struct dt_flight *f) { return f->bytes; }

void dt_flight_free(struct dt_flight *f)
{
	if (!f)
		return;
	while (f->n)
		drop_oldest(f);
	free(f->ring);
	dt_writer_free(f->fmt);
	free(f);
}

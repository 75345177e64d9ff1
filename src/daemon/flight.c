// SPDX-License-Identifier: Apache-2.0
/* See flight.h. A ring of line pointers; each line is one malloc (lines differ in size by 100x). Lines
 * that leave the ring are read back into a trailing engine: the state just before the oldest kept line,
 * which a snapshot restates first (daemon/restate.h). */
#include <stdlib.h>
#include <string.h>

#include "daemon/flight.h"
#include "daemon/restate.h"
#include "engine/engine.h"
#include "ingest/trace_reader.h"
#include "ingest/trace_writer.h"

/* Lines leave the ring in batches of about this share of the budget (one read-back per batch). */
#define EVICT_SHARE 16

static const char line_header[] =
	"{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"-\",\"clock\":\"boottime\"}\n";

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
	struct dt_engine *trailing; /* fed with every line that left the ring */
	char *evicted;              /* header + the lines of one batch leaving the ring */
	size_t evicted_len, evicted_cap;
};

static struct dt_engine *new_engine(void)
{
	struct dt_engine_opts o = {0};
	return dt_engine_new(&o);
}

struct dt_flight *dt_flight_new(size_t budget_bytes)
{
	struct dt_flight *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->budget = budget_bytes;
	f->fmt = dt_writer_new(-1, "flight recorder");
	f->trailing = new_engine();
	if (!f->fmt || !f->trailing) {
		dt_writer_free(f->fmt);
		dt_engine_free(f->trailing);
		free(f);
		return NULL;
	}
	return f;
}

/* Reads lines (after line_header) back as events into e. */
static void read_back(const char *text, size_t len, struct dt_engine *e)
{
	char err[300];
	struct dt_reader *r = dt_reader_open_mem("flight recorder", text, len, NULL, NULL, err, sizeof(err));
	if (!r)
		return;
	dt_reader_set_threaded(r, false);
	const struct dt_event *ev;
	while (dt_reader_next(r, &ev) > 0)
		(void)dt_engine_feed(e, ev); /* a contradiction is the engine's to skip, as the daemon's does */
	dt_reader_close(r);
}

static void keep_evicted(struct dt_flight *f, const struct line *l)
{
	if (!f->evicted_len) {
		f->evicted_len = sizeof(line_header) - 1;
		if (f->evicted_cap < f->evicted_len) {
			char *n = realloc(f->evicted, 64 * 1024);
			if (!n)
				return;
			f->evicted = n;
			f->evicted_cap = 64 * 1024;
		}
		memcpy(f->evicted, line_header, f->evicted_len);
	}
	if (f->evicted_len + l->len > f->evicted_cap) {
		size_t ncap = (f->evicted_len + l->len) * 2;
		char *n = realloc(f->evicted, ncap);
		if (!n)
			return; /* the trailing state misses this line: a snapshot's restated state may lack an object */
		f->evicted = n;
		f->evicted_cap = ncap;
	}
	memcpy(f->evicted + f->evicted_len, l->text, l->len);
	f->evicted_len += l->len;
}

static void drop_oldest(struct dt_flight *f, bool keep)
{
	struct line *l = &f->ring[f->head];
	if (keep)
		keep_evicted(f, l);
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
	if (f->n && f->bytes + len + sizeof(struct line) > f->budget) {
		/* a batch leaves: below budget - budget/EVICT_SHARE, then into the trailing engine */
		size_t target = f->budget - f->budget / EVICT_SHARE;
		while (f->n && (f->bytes + len + sizeof(struct line) > f->budget || f->bytes > target))
			drop_oldest(f, true);
		if (f->evicted_len)
			read_back(f->evicted, f->evicted_len, f->trailing);
		f->evicted_len = 0;
	}
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

size_t dt_flight_count(const struct dt_flight *f, uint64_t last_ns)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += in_window(f, &f->ring[(f->head + i) % f->cap], last_ns);
	return n;
}

struct snap {
	struct dt_writer *w;
	uint64_t seq;
	int rc;
};

static int write_restated(void *ctx, struct dt_event *ev)
{
	struct snap *s = ctx;
	ev->seq = ++s->seq;
	return dt_writer_event(s->w, ev);
}

static int feed_restated(void *ctx, struct dt_event *ev)
{
	return dt_engine_feed(ctx, ev);
}

int dt_flight_snapshot(const struct dt_flight *f, uint64_t last_ns, struct dt_writer *w)
{
	/* The kept lines as one trace text, read back in order: those before the window only build the state */
	size_t total = sizeof(line_header) - 1;
	for (size_t i = 0; i < f->n; i++)
		total += f->ring[(f->head + i) % f->cap].len;
	char *text = malloc(total);
	struct dt_engine *state = new_engine();
	if (!text || !state) {
		free(text);
		dt_engine_free(state);
		return -1;
	}
	size_t off = sizeof(line_header) - 1;
	memcpy(text, line_header, off);
	for (size_t i = 0; i < f->n; i++) {
		const struct line *l = &f->ring[(f->head + i) % f->cap];
		memcpy(text + off, l->text, l->len);
		off += l->len;
	}
	struct snap s = {w, 0, 0};
	int rc = dt_restate(f->trailing, feed_restated, state) < 0 ? -1 : 0;
	char err[300];
	struct dt_reader *r = rc == 0 ? dt_reader_open_mem("flight recorder", text, total, NULL, NULL, err, sizeof(err)) : NULL;
	if (r) {
		dt_reader_set_threaded(r, false);
		uint64_t from = !last_ns || f->newest_ts < last_ns ? 0 : f->newest_ts - last_ns;
		bool in_window = false;
		const struct dt_event *ev;
		while (rc == 0 && dt_reader_next(r, &ev) > 0) {
			if (!in_window && ev->ts < from) {
				(void)dt_engine_feed(state, ev);
				continue;
			}
			if (!in_window) {
				in_window = true;
				if (dt_restate(state, write_restated, &s) < 0)
					rc = -1;
			}
			struct dt_event *e = (struct dt_event *)ev; /* the reader's, renumbered: the snapshot's own seqs */
			e->seq = ++s.seq;
			if (dt_writer_event(w, e) < 0)
				rc = -1;
		}
		if (!in_window && rc == 0 && dt_restate(state, write_restated, &s) < 0)
			rc = -1;
		dt_reader_close(r);
	} else {
		rc = -1;
	}
	dt_engine_free(state);
	free(text);
	return rc < 0 ? -1 : (int)(s.seq > (uint64_t)INT32_MAX ? INT32_MAX : s.seq);
}

uint64_t dt_flight_newest_ts(const struct dt_flight *f) { return f->newest_ts; }
size_t dt_flight_bytes(const struct dt_flight *f) { return f->bytes; }

void dt_flight_free(struct dt_flight *f)
{
	if (!f)
		return;
	while (f->n)
		drop_oldest(f, false);
	free(f->ring);
	dt_writer_free(f->fmt);
	dt_engine_free(f->trailing);
	free(f->evicted);
	free(f);
}

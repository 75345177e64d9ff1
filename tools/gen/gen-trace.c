/* Deterministic generator of realistic trace-format-v1 traces for benchmarks and
 * tests: many buffers, 1-4 importers each, maps and unmaps, a few violations.
 * Usage: gen-trace EVENTS [SEED] > trace.jsonl */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace_writer.h"

static uint64_t rng_state;

static uint64_t rnd(void) /* xorshift64*: deterministic across machines */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

struct importer {
	const char *dev, *driver, *bus;
	uint64_t max_seg;
	bool dma_parms;
};

static const struct importer importers[] = {
	{"vivid.0", "vivid", "platform", 65536, true},
	{"0000:00:04.0", "virtio-pci", "pci", 4294967295u, true},
	{"vgem", NULL, NULL, 65536, false},
	{"0000:03:00.0", "amdgpu", "pci", 4294967295u, true},
	{"fd4c0000.isp", "rkisp1", "platform", 4294967295u, true},
};
static const char *const exporters[] = {"system", "udmabuf", "vgem", "vivid"};

#define LIVE 64 /* buffers alive at once: memory stays bounded */

struct live {
	uint64_t ino, size;
	uint64_t att[4];
	int nimp, phase, imp[4];
};

static struct dt_event ev;
static struct dt_seg segs[64];
static uint64_t seq, ts, next_ino = 1000, next_att = 1;

static void str(struct dt_str *s, const char *v)
{
	if (v)
		dt_str_set(s, v, strlen(v));
	else
		s->set = false;
}

static void begin(enum dt_event_type t, uint64_t buf)
{
	dt_event_clear(&ev);
	ev.type = t;
	ev.ts = (ts += 1000 + rnd() % 50000);
	ev.seq = ++seq;
	ev.pid = 100 + (int64_t)(buf % 7);
	ev.has = DT_HAS_PID | DT_HAS_BUF;
	str(&ev.comm, "camera-app");
	ev.buf = buf;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen-trace EVENTS [SEED]\n");
		return 2;
	}
	uint64_t n = strtoull(argv[1], NULL, 10);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) | 1 : 0x9e3779b97f4a7c15ULL;
	ev.segs = segs;
	struct dt_writer *w = dt_writer_new(STDOUT_FILENO, "<stdout>");
	dt_writer_header(w, "6.12.57+deb12-amd64", "generator", "gen-trace", 0);
	struct live live[LIVE] = {0};
	uint64_t written = 0;
	while (written < n) {
		struct live *l = &live[rnd() % LIVE];
		if (!l->ino) {
			l->ino = next_ino++;
			l->size = (1 + rnd() % 16) << 20;
			l->nimp = 1 + (int)(rnd() % 4);
			for (int i = 0; i < l->nimp; i++)
				l->imp[i] = (int)(rnd() % (sizeof(importers) / sizeof(importers[0])));
			l->phase = 0;
			begin(DT_EV_EXPORT, l->ino);
			ev.size = l->size;
			ev.has |= DT_HAS_SIZE;
			str(&ev.exporter, exporters[rnd() % 4]);
			if (rnd() % 4 == 0)
				str(&ev.name, "frame");
		} else if (l->phase < l->nimp) { /* attach all importers first (mostly) */
			const struct importer *im = &importers[l->imp[l->phase]];
			begin(DT_EV_ATTACH, l->ino);
			ev.att = l->att[l->phase] = next_att++;
			ev.has |= DT_HAS_ATT | DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY | DT_HAS_DMA_PARMS;
			str(&ev.dev, im->dev);
			str(&ev.driver, im->driver);
			str(&ev.bus, im->bus);
			ev.max_seg_size = im->max_seg;
			ev.seg_boundary_mask = UINT64_MAX;
			ev.dma_parms = im->dma_parms;
			l->phase++;
		} else if (l->phase < 2 * l->nimp) { /* map */
			int i = l->phase - l->nimp;
			begin(DT_EV_MAP, l->ino);
			ev.att = l->att[i];
			ev.has |= DT_HAS_ATT | DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_MAX_SEG;
			ev.dir = DT_DIR_BIDIRECTIONAL;
			/* Mostly 1-4 large segments, sometimes fragmented 4 KiB pages. */
			/* Segments fit the importer, except for a few percent of maps. */
			const struct importer *im = &importers[l->imp[i]];
			uint64_t want = rnd() % 50 == 0 ? l->size : im->max_seg;
			uint32_t k = (uint32_t)((l->size + want - 1) / want);
			if (k > 1024)
				k = 1024;
			uint64_t addr = 0x100000000ull + (rnd() % 4096) * 0x100000, seglen = l->size / k;
			ev.nents = ev.orig_nents = ev.segs_total = k;
			ev.nsegs = k < 64 ? k : 64; /* the recorder's default --max-segs */
			for (uint32_t s = 0; s < ev.nsegs; s++) {
				segs[s].addr = addr;
				segs[s].len = seglen;
				addr += seglen + (rnd() % 2 ? 0x1000 : 0);
			}
			ev.max_seg = seglen;
			l->phase++;
		} else if (l->phase < 3 * l->nimp) { /* unmap */
			begin(DT_EV_UNMAP, l->ino);
			ev.att = l->att[l->phase - 2 * l->nimp];
			ev.has |= DT_HAS_ATT;
			l->phase++;
		} else if (l->phase < 4 * l->nimp) { /* detach */
			begin(DT_EV_DETACH, l->ino);
			ev.att = l->att[l->phase - 3 * l->nimp];
			ev.has |= DT_HAS_ATT;
			l->phase++;
		} else {
			begin(DT_EV_RELEASE, l->ino);
			l->ino = 0;
		}
		dt_writer_event(w, &ev);
		written++;
	}
	return dt_writer_free(w) < 0 ? 1 : 0;
}

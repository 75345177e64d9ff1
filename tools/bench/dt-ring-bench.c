// SPDX-License-Identifier: Apache-2.0
/* dt-ring-bench: the recorder's user space on the host, without BPF. Turns the events of a v1 trace
 * (e.g. `gen-trace --shape storm N`) into the ring records the BPF side would write, stack frames
 * included (against a made-up kallsyms, with the BPF and dma-buf core frames the kernel's unwind adds),
 * then runs them as `record` does: the ring decoder (src/capture/decode.c), the live stage (reorder window,
 * seq), the trace writer and the engine with its rules. The trace it writes must hold the input's events
 * byte for byte (the round trip checks the decoder and the writer); run it under callgrind to see what each
 * event costs:
 *   dt-ring-bench [--no-engine] [--no-writer] [--rounds N] IN.jsonl OUT.jsonl
 * Exit 0, 1 when an event did not decode, 2 usage or input. */
#include "capture/capture_internal.h"
#include "common/errors.h"
#include "ingest/live_stage.h"
#include "ingest/sink.h"
#include "ingest/source.h"
#include "ingest/trace_writer.h"
#include "rules/rules.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SYM_BASE 0xffffffffc0000000ull
#define SYM_STEP 0x100000ull /* < dt_ksyms_format's 1 MiB plausibility bound */

struct sym {
	char name[DT_FRAME_MAX];
	char mod[64];
};

static struct sym *syms;
static size_t nsyms, capsyms;

/* "name+0xoff [mod]" -> the made-up address of name in mod, plus off */
static uint64_t frame_addr(const char *frame)
{
	char name[DT_FRAME_MAX] = "", mod[64] = "";
	unsigned long long off = 0;
	const char *plus = strstr(frame, "+0x");
	if (!plus)
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)(plus - frame), frame);
	off = strtoull(plus + 3, NULL, 16);
	const char *br = strchr(plus, '[');
	if (br)
		snprintf(mod, sizeof(mod), "%.*s", (int)strcspn(br + 1, "]"), br + 1);
	size_t i = 0;
	for (; i < nsyms; i++)
		if (!strcmp(syms[i].name, name) && !strcmp(syms[i].mod, mod))
			break;
	if (i == nsyms) {
		if (nsyms == capsyms) {
			capsyms = capsyms ? 2 * capsyms : 64;
			syms = realloc(syms, capsyms * sizeof(*syms));
		}
		snprintf(syms[i].name, sizeof(syms[i].name), "%s", name);
		snprintf(syms[i].mod, sizeof(syms[i].mod), "%s", mod);
		nsyms++;
	}
	return SYM_BASE + (i + 1) * SYM_STEP + off;
}

struct rec {
	size_t len;
	void *data;
};

static void hdr_from(struct dt_rec_hdr *h, uint32_t type, const struct dt_event *ev)
{
	h->type = type;
	h->ts = ev->ts;
	h->pid = (uint32_t)ev->pid;
	h->tid = (uint32_t)ev->tid;
	h->cpu = (uint32_t)ev->cpu;
	if (ev->has & DT_HAS_BUF || ev->buf) {
		h->flags |= DT_RF_BUF;
		h->ino = ev->buf;
	}
	if (ev->has & DT_HAS_ATT) {
		h->flags |= DT_RF_ATT;
		h->att = ev->att;
	}
	if (ev->has & DT_HAS_ERR) {
		h->flags |= DT_RF_ERR;
		h->err = (int32_t)ev->err;
	}
	memcpy(h->comm, ev->comm.s, ev->comm.len < DT_ABI_COMM_LEN ? ev->comm.len : DT_ABI_COMM_LEN - 1);
}

/* The unwind as fexit sees it: the BPF program, the trampoline and the hooked dma-buf function come
 * first (decode.c skips them), then the frames the trace has. */
static void stack_from(struct dt_rec_hdr *h, struct dt_rec_stack *st, const struct dt_event *ev, const char *hooked)
{
	if (!ev->nstack)
		return;
	h->flags |= DT_RF_STACK;
	st->ips[st->nstack++] = frame_addr("bpf_prog_6deef7357e7b4530_fexit+0x5e [bpf]");
	st->ips[st->nstack++] = frame_addr("bpf_trampoline_6442536643+0x6b [bpf]");
	char f[DT_FRAME_MAX];
	snprintf(f, sizeof(f), "%s+0x5", hooked);
	st->ips[st->nstack++] = frame_addr(f);
	for (uint32_t i = 0; i < ev->nstack && st->nstack < DT_ABI_STACK_MAX; i++)
		st->ips[st->nstack++] = frame_addr(ev->stack[i]);
}

static void cpy(char *d, size_t cap, const struct dt_str *s)
{
	if (s->set)
		memcpy(d, s->s, s->len < cap ? s->len : cap - 1);
}

static bool encode(const struct dt_event *ev, struct rec *out)
{
	static const uint32_t simple[DT_EV__COUNT] = {
		[DT_EV_UNMAP] = DT_REC_UNMAP, [DT_EV_DETACH] = DT_REC_DETACH, [DT_EV_RELEASE] = DT_REC_RELEASE,
		[DT_EV_VMAP] = DT_REC_VMAP, [DT_EV_VUNMAP] = DT_REC_VUNMAP,
	};
	switch (ev->type) {
	case DT_EV_EXPORT: {
		struct dt_rec_export *r = calloc(1, sizeof(*r));
		hdr_from(&r->h, DT_REC_EXPORT, ev);
		r->size = ev->size;
		cpy(r->exp_name, sizeof(r->exp_name), &ev->exporter);
		cpy(r->name, sizeof(r->name), &ev->name);
		*out = (struct rec){sizeof(*r), r};
		return true;
	}
	case DT_EV_ATTACH: {
		struct dt_rec_attach *r = calloc(1, sizeof(*r));
		hdr_from(&r->h, DT_REC_ATTACH, ev);
		r->size = ev->size;
		r->max_seg_size = ev->max_seg_size;
		r->seg_boundary_mask = ev->seg_boundary_mask;
		r->aflags = (ev->dynamic ? DT_AF_DYNAMIC : 0) | (ev->dma_parms ? DT_AF_DMA_PARMS : 0) |
			    (ev->driver.set ? DT_AF_DRIVER : 0) | (ev->bus.set ? DT_AF_BUS : 0);
		cpy(r->dev, sizeof(r->dev), &ev->dev);
		cpy(r->driver, sizeof(r->driver), &ev->driver);
		cpy(r->bus, sizeof(r->bus), &ev->bus);
		cpy(r->bufname, sizeof(r->bufname), &ev->name);
		stack_from(&r->h, &r->st, ev, "dma_buf_dynamic_attach");
		*out = (struct rec){sizeof(*r), r};
		return true;
	}
	case DT_EV_MAP: {
		struct dt_rec_map *r = calloc(1, sizeof(*r));
		hdr_from(&r->h, DT_REC_MAP, ev);
		r->dir = ev->dir == DT_DIR_TO_DEVICE ? 1 : ev->dir == DT_DIR_FROM_DEVICE ? 2 : 0;
		r->mflags = DT_MF_SGT_FIELD | (ev->cached ? DT_MF_CACHED : 0);
		r->size = ev->size;
		cpy(r->bufname, sizeof(r->bufname), &ev->name);
		if (ev->has & DT_HAS_SEGS) {
			r->mflags |= DT_MF_WALKED | (ev->contiguous ? DT_MF_CONTIGUOUS : 0);
			r->nents = ev->nents;
			r->orig_nents = ev->orig_nents;
			r->segs_total = ev->segs_total;
			r->total_len = ev->total_len;
			r->max_seg = ev->max_seg;
			r->crossings = ev->boundary_crossings;
			r->nsegs = ev->nsegs < DT_ABI_SEGS_MAX ? ev->nsegs : DT_ABI_SEGS_MAX;
			for (uint32_t i = 0; i < r->nsegs; i++) {
				r->segs[i].addr = ev->segs[i].addr;
				r->segs[i].len = ev->segs[i].len;
			}
		}
		stack_from(&r->h, &r->st, ev, "dma_buf_map_attachment");
		*out = (struct rec){offsetof(struct dt_rec_map, segs) + r->nsegs * sizeof(r->segs[0]), r};
		return true;
	}
	default:
		if (ev->type >= DT_EV__COUNT || !simple[ev->type])
			return false;
		struct dt_rec_simple *r = calloc(1, sizeof(*r));
		hdr_from(&r->h, simple[ev->type], ev);
		r->size = ev->has & DT_HAS_SIZE ? ev->size : 0;
		r->dir = ev->dir == DT_DIR_TO_DEVICE ? 1 : ev->dir == DT_DIR_FROM_DEVICE ? 2 : 0;
		*out = (struct rec){sizeof(*r), r};
		return true;
	}
}

struct bench {
	struct dt_live_stage *stage;
	struct dt_fanout fan;
	uint64_t seq, findings;
};

static int on_event(void *ctx, const struct dt_event *ev)
{
	struct bench *b = ctx;
	dt_fanout_event(&b->fan, ev);
	return 0;
}

static int on_captured(void *ctx, const struct dt_event *ev)
{
	struct bench *b = ctx;
	return dt_live_stage_push(b->stage, ev);
}

static void on_finding(void *ctx, const struct dt_finding *f)
{
	(void)f;
	((struct bench *)ctx)->findings++;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t boot_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The measured part (valgrind --tool=callgrind --toggle-collect=replay): ring order, in batches as a poll
 * round reads them, released as their window closes, flushed as record flushes after each round. */
static __attribute__((noinline)) int replay(struct dt_capture *c, struct bench *b, const struct rec *recs, size_t n,
					     int rounds, struct dt_writer *w, struct dt_checker *chk)
{
	for (int r = 0; r < rounds; r++)
		for (size_t k = 0; k < n; k++) {
			c->since_lost_check = 0; /* no BPF maps to read the loss counters from */
			c->delivered = 0;
			dt_capture_on_sample(c, recs[k].data, recs[k].len);
			if (c->delivered != 1) {
				fprintf(stderr, "dt-ring-bench: record %zu did not decode\n", k);
				return 1;
			}
			if ((k & 1023) == 1023) {
				dt_live_stage_release(b->stage, boot_now());
				if (w)
					dt_writer_flush(w);
			}
		}
	dt_live_stage_flush(b->stage);
	if (chk)
		dt_checker_finish(chk);
	if (w)
		dt_writer_flush(w);
	return 0;
}

int main(int argc, char **argv)
{
	bool engine = true, writer = true;
	int rounds = 1, i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--no-engine"))
			engine = false;
		else if (!strcmp(argv[i], "--no-writer"))
			writer = false;
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: dt-ring-bench [--no-engine] [--no-writer] [--rounds N] IN.jsonl OUT.jsonl\n");
		return 2;
	}
	char err[512];
	struct dt_source *src = dt_source_open(argv[i], DT_SRC_TRACE, NULL, NULL, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	struct rec *recs = NULL;
	size_t n = 0, cap = 0;
	const struct dt_event *ev;
	int rc;
	while ((rc = dt_source_next(src, &ev)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			recs = realloc(recs, cap * sizeof(*recs));
		}
		if (encode(ev, &recs[n]))
			n++;
	}
	if (rc < 0) {
		fprintf(stderr, "%s\n", dt_source_error(src));
		return 2;
	}
	dt_source_close(src);

	/* the made-up kallsyms, with enough other symbols that searches are as deep as on a real kernel */
	char kpath[] = "/tmp/dt-ring-bench.kallsyms.XXXXXX";
	int kfd = mkstemp(kpath);
	FILE *kf = kfd >= 0 ? fdopen(kfd, "w") : NULL;
	if (!kf)
		return 2;
	for (size_t s = 0; s < nsyms; s++)
		fprintf(kf, "%016llx t %s%s%s%s\n", (unsigned long long)(SYM_BASE + (s + 1) * SYM_STEP), syms[s].name,
			syms[s].mod[0] ? "\t[" : "", syms[s].mod, syms[s].mod[0] ? "]" : "");
	for (unsigned s = 0; s < 150000; s++)
		fprintf(kf, "%016llx t filler_%u\n", 0xffffffff81000000ull + s * 0x40ull, s);
	fclose(kf);

	struct dt_capture *c = calloc(1, sizeof(*c));
	c->ksyms = dt_ksyms_load(kpath);
	unlink(kpath);
	if (!c->ksyms) {
		fprintf(stderr, "dt-ring-bench: cannot load the made-up kallsyms\n");
		return 2;
	}
	c->ksyms_reloaded = time(NULL) + 3600; /* every frame resolves: no reload */
	int out = open(argv[i + 1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out < 0) {
		perror(argv[i + 1]);
		return 2;
	}
	struct bench b = {0};
	struct dt_live_stage_opts so = {DT_DEFAULT_REORDER_WINDOW_MS, false, &b.seq, on_event, &b};
	b.stage = dt_live_stage_new(&so);
	struct dt_writer *w = writer ? dt_writer_new(out, argv[i + 1]) : NULL;
	struct dt_checker_opts co = {NULL, on_finding, NULL, &b};
	struct dt_checker *chk = engine ? dt_checker_new(&co) : NULL;
	if (w) {
		dt_fanout_add(&b.fan, dt_writer_sink, w, "trace writer");
		dt_writer_header(w, "replayed", "host", "dt-ring-bench", 0);
	}
	if (chk)
		dt_fanout_add(&b.fan, dt_checker_sink, chk, "engine and rules");
	c->fn = on_captured;
	if (!getenv("DT_RING_BENCH_NO_SLOT"))
		dt_capture_set_slot(c, dt_live_stage_slot, b.stage); /* as record does */
	c->fnctx = &b;
	double t0 = now_s();
	if (replay(c, &b, recs, n, rounds, w, chk))
		return 1;
	double t1 = now_s();
	if (w) {
		dt_writer_end(w, 0, b.seq + 1, 0);
		dt_writer_free(w);
	}
	close(out);
	fprintf(stderr, "dt-ring-bench: %zu records x %d in %.3f s (%.2f us/event), %" PRIu64 " findings\n", n, rounds,
		t1 - t0, (t1 - t0) * 1e6 / (double)(n * rounds), b.findings);
	dt_checker_free(chk);
	dt_live_stage_free(b.stage);
	free(c->symc);
	dt_ksyms_free(c->ksyms);
	free(c);
	for (size_t k = 0; k < n; k++)
		free(recs[k].data);
	free(recs);
	free(syms);
	return 0;
}

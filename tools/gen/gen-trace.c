/* SPDX-License-Identifier: Apache-2.0 */
/* Deterministic generator of realistic trace-format-v1 traces for benchmarks and tests.
 * Shaped like `dmabuf-trace record` output: pid/tid/comm/cpu, kernel stacks on attach and map,
 * the recorder's whole-view map fields (len, contiguous, boundary_crossings), at most 64 segments
 * carried per map. Churn: up to 64 buffers alive at once, each with 1-4 importers that map and unmap
 * it for 1-6 frames, then detach; the buffer is released. A few violations, each at a fixed small
 * rate: late attach (1%), a segment longer than the importer's limit (2% of maps), a failed map
 * (0.3%), detach while mapped (0.2%), an unmap without a map (0.1%).
 * Shapes (--shape), for the bench's three inputs and the zstd size:
 *   recorder  the above, written by the project's trace writer (~430 bytes/event)
 *   foreign   the same events as another v1 writer might put them: other key order, ": " and ", "
 *             spacing, extra fields (numbers, fractions, strings, an array; 1% an object) — the
 *             same findings as recorder
 *   compact   the live storm without stacks (record --no-stacks): one vivid buffer attached,
 *             mapped, unmapped and detached by vivid.0 and vgem in turn (~190 bytes/event; a
 *             segment-size warning per vgem map)
 *   storm     the same with stacks, as `record` writes it by default
 * Usage: gen-trace [--shape S] [-o FILE] EVENTS [SEED] (default stdout; FILE ending in .zst is written
 * with the trace writer's zstd mode, as record -o x.jsonl.zst does). Same arguments: same bytes. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/trace_writer.h"

static uint64_t rng_state;

static uint64_t rnd(void) /* xorshift64*: deterministic across machines */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static bool chance(unsigned per_mille) { return rnd() % 1000 < per_mille; }

struct importer {
	const char *dev, *driver, *bus;
	uint64_t max_seg;
	bool dma_parms;
	bool contig; /* needs (and mostly gets) one DMA segment */
	const char *const *attach_stack, *const *map_stack;
};

#define SYSCALL_TAIL "__x64_sys_ioctl+0x94", "do_syscall_64+0x87", "entry_SYSCALL_64_after_hwframe+0x76", NULL
static const char *const vb2_attach[] = {"vb2_dc_attach_dmabuf+0x5e [videobuf2_dma_contig]",
	"__prepare_dmabuf.constprop.0+0x397 [videobuf2_common]", "__buf_prepare+0xd5 [videobuf2_common]",
	"vb2_core_qbuf+0x272 [videobuf2_common]", "vb2_qbuf+0xa2 [videobuf2_v4l2]",
	"__video_do_ioctl+0x1cf [videodev]", "video_usercopy+0x2a6 [videodev]", "v4l2_ioctl+0x4a [videodev]",
	SYSCALL_TAIL};
static const char *const vb2_map[] = {"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]",
	"__prepare_dmabuf.constprop.0+0x3d5 [videobuf2_common]", "__buf_prepare+0xd5 [videobuf2_common]",
	"vb2_core_qbuf+0x272 [videobuf2_common]", "vb2_qbuf+0xa2 [videobuf2_v4l2]",
	"__video_do_ioctl+0x1cf [videodev]", "video_usercopy+0x2a6 [videodev]", "v4l2_ioctl+0x4a [videodev]",
	SYSCALL_TAIL};
static const char *const prime_attach[] = {"drm_gem_prime_import_dev+0x4d [drm]",
	"drm_gem_prime_fd_to_handle+0xd1 [drm]", "drm_prime_fd_to_handle_ioctl+0x2f [drm]",
	"drm_ioctl_kernel+0xb3 [drm]", "drm_ioctl+0x27a [drm]", SYSCALL_TAIL};
static const char *const prime_map[] = {"drm_gem_prime_import_dev+0xa5 [drm]",
	"drm_gem_prime_fd_to_handle+0xd1 [drm]", "drm_prime_fd_to_handle_ioctl+0x2f [drm]",
	"drm_ioctl_kernel+0xb3 [drm]", "drm_ioctl+0x27a [drm]", SYSCALL_TAIL};
static const char *const amd_attach[] = {"amdgpu_dma_buf_create_obj+0x61 [amdgpu]",
	"amdgpu_gem_prime_import+0x9a [amdgpu]", "drm_gem_prime_fd_to_handle+0xd1 [drm]",
	"drm_prime_fd_to_handle_ioctl+0x2f [drm]", "drm_ioctl_kernel+0xb3 [drm]", "drm_ioctl+0x27a [drm]",
	"amdgpu_drm_ioctl+0x4e [amdgpu]", SYSCALL_TAIL};
static const char *const amd_map[] = {"amdgpu_ttm_tt_pin_userptr+0x1a2 [amdgpu]",
	"amdgpu_ttm_backend_bind+0x53 [amdgpu]", "ttm_bo_handle_move_mem+0xbb [ttm]", "ttm_bo_validate+0xd1 [ttm]",
	"amdgpu_bo_pin_restricted+0x1c4 [amdgpu]", "amdgpu_cs_ioctl+0x7d3 [amdgpu]",
	"drm_ioctl_kernel+0xb3 [drm]", "drm_ioctl+0x27a [drm]", SYSCALL_TAIL};

static const struct importer importers[] = {
	{"vivid.0", "vivid", "platform", 4294967295u, true, true, vb2_attach, vb2_map},
	{"0000:00:04.0", "virtio-pci", "pci", 4294967295u, true, false, prime_attach, prime_map},
	{"vgem", NULL, NULL, 65536, false, false, prime_attach, prime_map},
	{"0000:03:00.0", "amdgpu", "pci", 4294967295u, true, false, amd_attach, amd_map},
	{"fd4c0000.isp", "rkisp1", "platform", 4294967295u, true, true, vb2_attach, vb2_map},
};
#define NIMPORTERS (sizeof(importers) / sizeof(importers[0]))
static const char *const exporters[] = {"system", "udmabuf", "vgem", "vivid"};
static const char *const comms[] = {"camera-app", "compositor", "gst-launch-1.0", "encoder"};

#define LIVE 64  /* buffers alive at once: memory stays bounded */
#define PLAN 64  /* steps per buffer */

enum step { S_EXPORT, S_ATTACH, S_MAP, S_MAP_FAIL, S_UNMAP, S_DETACH, S_RELEASE };

struct live {
	uint64_t ino, size, pid;
	uint64_t att[4];
	int imp[4];
	unsigned char step[PLAN], who[PLAN];
	int nsteps, next;
};

static struct dt_event ev;
static struct dt_seg segs[64];
static char stack[DT_STACK_MAX][DT_FRAME_MAX];
static uint64_t seq, ts, next_ino = 1000, next_att = 1;

static void str(struct dt_str *s, const char *v)
{
	if (v)
		dt_str_set(s, v, strlen(v));
	else
		s->set = false;
}

static void set_stack(const char *const *frames)
{
	ev.nstack = 0;
	for (; *frames && ev.nstack < DT_STACK_MAX; frames++) {
		snprintf(stack[ev.nstack], DT_FRAME_MAX, "%s", *frames);
		ev.nstack++;
	}
}

static void begin(enum dt_event_type t, const struct live *l)
{
	dt_event_clear(&ev);
	ev.type = t;
	ev.ts = (ts += 1000 + rnd() % 50000);
	ev.seq = ++seq;
	ev.pid = ev.tid = (int64_t)l->pid;
	ev.cpu = (int64_t)(rnd() % 4);
	ev.has = DT_HAS_PID | DT_HAS_TID | DT_HAS_CPU | DT_HAS_BUF;
	str(&ev.comm, comms[l->pid % 4]);
	ev.buf = l->ino;
}

static void add(struct live *l, enum step s, int who)
{
	if (l->nsteps < PLAN) {
		l->step[l->nsteps] = (unsigned char)s;
		l->who[l->nsteps] = (unsigned char)who;
		l->nsteps++;
	}
}

/* One buffer's life: export, attach all (or one, map, then the rest: late attach), frames of
 * map/unmap per importer, detach, release; with the rare violations of the header. */
static void plan(struct live *l)
{
	l->ino = next_ino++;
	l->size = (1 + rnd() % 16) << 20;
	l->pid = 100 + rnd() % 40;
	int nimp = 1 + (int)(rnd() % 4);
	for (int i = 0; i < nimp; i++)
		l->imp[i] = (int)(rnd() % NIMPORTERS);
	l->nsteps = l->next = 0;
	add(l, S_EXPORT, 0);
	bool late = nimp > 1 && chance(10);
	bool mapped[4] = {false};
	add(l, S_ATTACH, 0);
	if (late) {
		add(l, S_MAP, 0);
		mapped[0] = true;
	}
	for (int i = 1; i < nimp; i++)
		add(l, S_ATTACH, i);
	int frames = 1 + (int)(rnd() % 6);
	for (int f = 0; f < frames; f++)
		for (int i = 0; i < nimp; i++) {
			if (!mapped[i]) {
				if (chance(3)) {
					add(l, S_MAP_FAIL, i);
					continue;
				}
				add(l, S_MAP, i);
			}
			mapped[i] = false;
			if (f == frames - 1 && chance(2)) {
				mapped[i] = true; /* detach while mapped */
				continue;
			}
			add(l, S_UNMAP, i);
			if (chance(1))
				add(l, S_UNMAP, i); /* unmap without map */
		}
	for (int i = 0; i < nimp; i++)
		add(l, S_DETACH, i);
	add(l, S_RELEASE, 0);
}

static void emit_map(struct live *l, int i, bool fail)
{
	const struct importer *im = &importers[l->imp[i]];
	begin(DT_EV_MAP, l);
	ev.att = l->att[i];
	ev.has |= DT_HAS_ATT;
	ev.dir = im->contig ? DT_DIR_FROM_DEVICE : DT_DIR_BIDIRECTIONAL;
	set_stack(im->map_stack);
	ev.stack = stack;
	if (fail) {
		ev.err = -12;
		ev.has |= DT_HAS_ERR;
		return;
	}
	/* Contiguous importers and IOMMU-coalesced maps get one segment; others are split at the
	 * importer's limit (4 KiB pages for some udmabuf maps). 2% of maps exceed the limit. */
	uint64_t seg;
	if (im->contig || im->max_seg > l->size)
		seg = l->size;
	else if (chance(20))
		seg = l->size;
	else
		seg = rnd() % 4 == 0 ? 4096 : im->max_seg;
	uint32_t k = (uint32_t)((l->size + seg - 1) / seg);
	if (k > 4096)
		k = 4096;
	uint64_t addr = 0x100000000ull + (rnd() % 4096) * 0x100000, len = l->size / k;
	bool contiguous = true;
	ev.nents = ev.segs_total = k;
	ev.orig_nents = k > 1 ? k : 1 + (uint32_t)(l->size >> 20);
	ev.nsegs = k < 64 ? k : 64; /* the recorder's default --max-segs */
	for (uint32_t s = 0; s < ev.nsegs; s++) {
		segs[s].addr = addr;
		segs[s].len = len;
		uint64_t gap = rnd() % 2 ? 0x1000 : 0;
		if (gap && s + 1 < k)
			contiguous = false;
		addr += len + gap;
	}
	ev.max_seg = len;
	ev.total_len = l->size;
	ev.contiguous = contiguous;
	ev.boundary_crossings = 0;
	ev.has |= DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_MAX_SEG | DT_HAS_SEGS |
		  DT_HAS_TOTAL_LEN | DT_HAS_CONTIGUOUS | DT_HAS_CROSSINGS;
}

/* ---- foreign: the same event as another writer might put it ---- */
static char fbuf[1 << 16];
static size_t flen;

static void fput(const char *s, size_t n)
{
	if (n > sizeof(fbuf) - flen) /* cannot happen: the longest line is a few KiB */
		exit(1);
	memcpy(fbuf + flen, s, n);
	flen += n;
}
#define FPUTS(s) fput(s, strlen(s))

static void fkey(const char *k)
{
	FPUTS(flen > 1 ? ", \"" : "\"");
	FPUTS(k);
	FPUTS("\": ");
}

static void fu64(const char *k, uint64_t v)
{
	char n[24];
	fkey(k);
	fput(n, (size_t)snprintf(n, sizeof(n), "%" PRIu64, v));
}

static void fi64(const char *k, int64_t v)
{
	char n[24];
	fkey(k);
	fput(n, (size_t)snprintf(n, sizeof(n), "%" PRId64, v));
}

static void fstr(const char *k, const struct dt_str *v)
{
	fkey(k);
	if (!v->set) {
		FPUTS("null");
		return;
	}
	FPUTS("\"");
	fput(v->s, v->len); /* the generator's strings are plain ASCII */
	FPUTS("\"");
}

static void fbool(const char *k, bool v)
{
	fkey(k);
	FPUTS(v ? "true" : "false");
}

/* Buffered output of foreign lines; n == 0 writes what is buffered. */
static void foreign_out(int fd, const char *s, size_t n)
{
	static char out[1 << 20];
	static size_t olen;
	if (olen + n > sizeof(out) || n == 0) {
		if (write(fd, out, olen) != (ssize_t)olen)
			exit(1);
		olen = 0;
	}
	if (n && n <= sizeof(out)) {
		memcpy(out + olen, s, n);
		olen += n;
	}
}

static void foreign_event(int fd, const struct dt_event *e)
{
	char n[64];
	flen = 0;
	FPUTS("{");
	/* identity first, the way a generic exporter might lay it out */
	fu64("seq", e->seq);
	fkey("type");
	FPUTS("\"");
	FPUTS(dt_event_type_name(e->type));
	FPUTS("\"");
	fu64("buf", e->buf);
	if (e->has & DT_HAS_ATT)
		fu64("att", e->att);
	fu64("ts", e->ts);
	fkey("ts_s");
	fput(n, (size_t)snprintf(n, sizeof(n), "%.9f", (double)e->ts / 1e9));
	fkey("source");
	FPUTS("\"ebpf-collector\"");
	switch (e->type) {
	case DT_EV_EXPORT:
		fstr("exporter", &e->exporter);
		fu64("size", e->size);
		if (e->name.set)
			fstr("name", &e->name);
		break;
	case DT_EV_ATTACH:
		fstr("dev", &e->dev);
		fbool("dma_parms", e->dma_parms);
		fu64("max_seg_size", e->max_seg_size);
		fu64("seg_boundary_mask", e->seg_boundary_mask);
		fstr("bus", &e->bus);
		fstr("driver", &e->driver);
		fbool("dynamic", e->dynamic);
		break;
	case DT_EV_MAP:
		if (e->has & DT_HAS_ERR) {
			fi64("err", e->err);
			fkey("dir");
			FPUTS("\"");
			FPUTS(dt_dir_name(e->dir));
			FPUTS("\"");
			break;
		}
		fu64("nents", e->nents);
		fu64("segs_total", e->segs_total);
		fu64("max_seg", e->max_seg);
		fu64("len", e->total_len);
		fbool("contiguous", e->contiguous);
		fu64("boundary_crossings", e->boundary_crossings);
		fkey("dir");
		FPUTS("\"");
		FPUTS(dt_dir_name(e->dir));
		FPUTS("\"");
		fu64("orig_nents", e->orig_nents);
		fkey("segs");
		FPUTS("[");
		for (uint32_t i = 0; i < e->nsegs; i++)
			fput(n, (size_t)snprintf(n, sizeof(n), "%s[%" PRIu64 ", %" PRIu64 "]", i ? ", " : "",
						 e->segs[i].addr, e->segs[i].len));
		FPUTS("]");
		break;
	default:
		break;
	}
	fkey("task");
	FPUTS("[");
	fput(n, (size_t)snprintf(n, sizeof(n), "%" PRId64 ", %" PRId64, e->pid, e->tid));
	FPUTS("]");
	fi64("pid", e->pid);
	fi64("tid", e->tid);
	fstr("comm", &e->comm);
	fi64("cpu", e->cpu);
	if (e->seq % 100 == 7) { /* now and then an object: such lines go to yajl */
		fkey("meta");
		FPUTS("{\"collector\": \"v2\", \"node\": 3}");
	}
	if (e->nstack) {
		fkey("stack");
		FPUTS("[");
		for (uint32_t i = 0; i < e->nstack; i++) {
			FPUTS(i ? ", \"" : "\"");
			FPUTS(e->stack[i]);
			FPUTS("\"");
		}
		FPUTS("]");
	}
	FPUTS("}\n");
	foreign_out(fd, fbuf, flen);
}

/* ---- compact / storm: the live storm scenario (tools/exercise, storm:N) ---- */
static const char *const vgem_import[] = {"drm_gem_prime_import_dev+0x44 [drm]",
	"drm_gem_prime_fd_to_handle+0x184 [drm]", "drm_ioctl_kernel+0xaf [drm]", "drm_ioctl+0x276 [drm]",
	SYSCALL_TAIL};
static const char *const vgem_map[] = {"drm_gem_prime_import_dev+0x70 [drm]",
	"drm_gem_prime_fd_to_handle+0x184 [drm]", "drm_ioctl_kernel+0xaf [drm]", "drm_ioctl+0x276 [drm]",
	SYSCALL_TAIL};

static void storm_event(uint64_t i, bool stacks)
{
	static const uint64_t size = 614400; /* vivid's 640x480 YUYV frame */
	static uint64_t att;
	struct live l = {.ino = 7, .pid = 185};
	int step = (int)((i - 1) % 8);
	bool vgem = step >= 4;
	if (i == 0) {
		begin(DT_EV_EXPORT, &l);
		str(&ev.comm, "dmabuf-exercise");
		ev.size = size;
		ev.has |= DT_HAS_SIZE;
		str(&ev.exporter, "videobuf2_dma_contig");
		return;
	}
	static const enum dt_event_type kinds[4] = {DT_EV_ATTACH, DT_EV_MAP, DT_EV_UNMAP, DT_EV_DETACH};
	begin(kinds[step % 4], &l);
	str(&ev.comm, "dmabuf-exercise");
	ev.cpu = 0;
	if (step % 4 == 0)
		att++;
	ev.att = att;
	ev.has |= DT_HAS_ATT;
	if (ev.type == DT_EV_ATTACH) {
		str(&ev.dev, vgem ? "vgem" : "vivid.0");
		str(&ev.driver, vgem ? NULL : "vivid");
		str(&ev.bus, "platform");
		ev.max_seg_size = 65536;
		ev.seg_boundary_mask = UINT64_MAX;
		ev.dma_parms = !vgem;
		ev.has |= DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY | DT_HAS_DMA_PARMS;
		if (stacks)
			set_stack(vgem ? vgem_import : vb2_attach);
	} else if (ev.type == DT_EV_MAP) {
		ev.dir = vgem ? DT_DIR_BIDIRECTIONAL : DT_DIR_FROM_DEVICE;
		ev.nents = ev.orig_nents = ev.segs_total = 1;
		ev.nsegs = 1;
		segs[0].addr = 0x68d0000;
		segs[0].len = size;
		ev.max_seg = ev.total_len = size;
		ev.contiguous = true;
		ev.boundary_crossings = 0;
		ev.has |= DT_HAS_NENTS | DT_HAS_ORIG_NENTS | DT_HAS_SEGS_TOTAL | DT_HAS_MAX_SEG | DT_HAS_SEGS |
			  DT_HAS_TOTAL_LEN | DT_HAS_CONTIGUOUS | DT_HAS_CROSSINGS;
		if (stacks)
			set_stack(vgem ? vgem_map : vb2_map);
	}
}

static void recorder_event(void)
{
	static struct live live[LIVE];
	struct live *l = &live[rnd() % LIVE];
	if (!l->ino || l->next >= l->nsteps)
		plan(l);
	int st = l->step[l->next], i = l->who[l->next];
	l->next++;
	const struct importer *im = &importers[l->imp[i]];
	switch (st) {
	case S_EXPORT:
		begin(DT_EV_EXPORT, l);
		ev.size = l->size;
		ev.has |= DT_HAS_SIZE;
		str(&ev.exporter, exporters[rnd() % 4]);
		if (chance(250))
			str(&ev.name, "frame");
		break;
	case S_ATTACH:
		begin(DT_EV_ATTACH, l);
		ev.att = l->att[i] = next_att++;
		ev.has |= DT_HAS_ATT | DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY | DT_HAS_DMA_PARMS;
		str(&ev.dev, im->dev);
		str(&ev.driver, im->driver);
		str(&ev.bus, im->bus);
		ev.dynamic = l->imp[i] == 3;
		ev.max_seg_size = im->max_seg;
		ev.seg_boundary_mask = UINT64_MAX;
		ev.dma_parms = im->dma_parms;
		set_stack(im->attach_stack);
		break;
	case S_MAP:
	case S_MAP_FAIL:
		emit_map(l, i, st == S_MAP_FAIL);
		break;
	case S_UNMAP:
	case S_DETACH:
		begin(st == S_UNMAP ? DT_EV_UNMAP : DT_EV_DETACH, l);
		ev.att = l->att[i];
		ev.has |= DT_HAS_ATT;
		break;
	default:
		begin(DT_EV_RELEASE, l);
		l->ino = 0;
		break;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: gen-trace [--shape recorder|foreign|compact|storm] [-o FILE] EVENTS [SEED]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *shape = "recorder", *out = NULL;
	int a = 1;
	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--shape") == 0 && a + 1 < argc)
			shape = argv[++a];
		else if (strcmp(argv[a], "-o") == 0 && a + 1 < argc)
			out = argv[++a];
		else
			return usage();
	}
	bool foreign = strcmp(shape, "foreign") == 0, storm = strcmp(shape, "storm") == 0;
	bool compact = strcmp(shape, "compact") == 0;
	if ((!foreign && !storm && !compact && strcmp(shape, "recorder") != 0) || a >= argc ||
	    (foreign && out && dt_path_is_zstd(out)))
		return usage();
	uint64_t n = strtoull(argv[a], NULL, 10);
	rng_state = a + 1 < argc ? strtoull(argv[a + 1], NULL, 10) | 1 : 0x9e3779b97f4a7c15ULL;
	int fd = STDOUT_FILENO;
	if (out && (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		perror(out);
		return 1;
	}
	ev.segs = segs;
	ev.stack = stack;
	struct dt_writer *w = out ? dt_writer_new_for_path(fd, out) : dt_writer_new(fd, "<stdout>");
	if (!w)
		return 1;
	if (foreign) {
		/* the header is the one line every v1 writer shares */
		dt_writer_header(w, "6.12.57+deb12-amd64", "generator", "gen-trace", 0);
		if (dt_writer_flush(w) < 0)
			return 1;
	} else {
		dt_writer_header(w, storm || compact ? "6.12.117+deb12-amd64" : "6.12.57+deb12-amd64", "generator",
				 "gen-trace", 0);
	}
	for (uint64_t written = 0; written < n; written++) {
		if (storm || compact)
			storm_event(written, storm);
		else
			recorder_event();
		ev.stack = stack;
		if (foreign)
			foreign_event(fd, &ev);
		else
			dt_writer_event(w, &ev);
	}
	if (foreign)
		foreign_out(fd, NULL, 0);
	int rc = dt_writer_free(w) < 0 ? 1 : 0;
	if (out && close(fd) < 0)
		rc = 1;
	return rc;
}

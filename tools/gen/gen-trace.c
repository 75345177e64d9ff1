/* Deterministic generator of realistic trace-format-v1 traces for benchmarks and tests.
 * Shaped like `dmabuf-trace record` output: pid/tid/comm/cpu, kernel stacks on attach and map,
 * the recorder's whole-view map fields (len, contiguous, boundary_crossings), at most 64 segments
 * carried per map. Churn: up to 64 buffers alive at once, each with 1-4 importers that map and unmap
 * it for 1-6 frames, then detach; the buffer is released. A few violations, each at a fixed small
 * rate: late attach (1%), a segment longer than the importer's limit (2% of maps), a failed map
 * (0.3%), detach while mapped (0.2%), an unmap without a map (0.1%).
 * Usage: gen-trace EVENTS [SEED] > trace.jsonl   (same EVENTS and SEED: same bytes on every machine) */
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: gen-trace EVENTS [SEED]\n");
		return 2;
	}
	uint64_t n = strtoull(argv[1], NULL, 10);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) | 1 : 0x9e3779b97f4a7c15ULL;
	ev.segs = segs;
	ev.stack = stack;
	struct dt_writer *w = dt_writer_new(STDOUT_FILENO, "<stdout>");
	dt_writer_header(w, "6.12.57+deb12-amd64", "generator", "gen-trace", 0);
	static struct live live[LIVE];
	for (uint64_t written = 0; written < n; written++) {
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
		dt_writer_event(w, &ev);
	}
	return dt_writer_free(w) < 0 ? 1 : 0;
}

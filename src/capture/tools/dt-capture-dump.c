/* SPDX-License-Identifier: Apache-2.0 */
/* dt-capture-dump: debug tool for src/capture. Loads the BPF capture and prints
 * one line per event until the duration ends or SIGINT/SIGTERM.
 *   dt-capture-dump [-m auto|fentry|kprobe] [-d SECONDS] [-s MAX_SEGS] [-r RING_BYTES]
 *                   [-p PID] [-S] [-H] [-R READY_FILE] [-a]
 * -S: no stacks; -H: print the hook table and exit; -a: print every carried segment. */
#include "capture/capture.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;
static bool g_allsegs;
static uint64_t g_counts[DT_EV__COUNT];

static void on_sig(int s)
{
	(void)s;
	g_stop = 1;
}

static int print_ev(void *ctx, const struct dt_event *ev)
{
	struct dt_capture *c = ctx;
	FILE *o = stdout;
	uint32_t calls, ents;

	if (ev->type < DT_EV__COUNT)
		g_counts[ev->type]++;
	fprintf(o, "%" PRIu64 ".%09" PRIu64 " %s", ev->ts / 1000000000, ev->ts % 1000000000, dt_event_type_name(ev->type));
	if (ev->type == DT_EV_LOST) {
		fprintf(o, " count=%" PRIu64 "\n", ev->count);
		fflush(o);
		return 0;
	}
	fprintf(o, " pid=%" PRId64 " tid=%" PRId64 " cpu=%" PRId64 " comm=%s", ev->pid, ev->tid, ev->cpu,
		ev->comm.s);
	if (ev->has & DT_HAS_BUF)
		fprintf(o, " buf=%" PRIu64, ev->buf);
	if (ev->has & DT_HAS_ATT)
		fprintf(o, " att=%" PRIu64, ev->att);
	if (ev->has & DT_HAS_SIZE)
		fprintf(o, " size=%" PRIu64, ev->size);
	if (ev->has & DT_HAS_ERR)
		fprintf(o, " err=%" PRId64, ev->err);
	switch (ev->type) {
	case DT_EV_EXPORT:
		fprintf(o, " exporter=%s name=%s", ev->exporter.set ? ev->exporter.s : "(null)",
			ev->name.set ? ev->name.s : "(null)");
		break;
	case DT_EV_ATTACH:
		fprintf(o, " dev=%s driver=%s bus=%s dynamic=%d dma_parms=%d max_seg_size=%" PRIu64
			   " seg_boundary_mask=0x%" PRIx64,
			ev->dev.s, ev->driver.set ? ev->driver.s : "(null)", ev->bus.set ? ev->bus.s : "(null)",
			ev->dynamic, ev->dma_parms, ev->max_seg_size, ev->seg_boundary_mask);
		break;
	case DT_EV_MAP:
		fprintf(o, " dir=%s cached=%d", dt_dir_name(ev->dir), ev->cached);
		if (ev->has & DT_HAS_NENTS) {
			fprintf(o, " nents=%" PRIu64 " orig_nents=%" PRIu64 " segs_total=%" PRIu64 " total_len=%" PRIu64
				   " max_seg=%" PRIu64 " contiguous=%d crossings=%" PRIu64 " nsegs=%u segs=[",
				ev->nents, ev->orig_nents, ev->segs_total, ev->total_len, ev->max_seg, ev->contiguous,
				ev->boundary_crossings, ev->nsegs);
			for (uint32_t i = 0; i < ev->nsegs && (g_allsegs || i < 4); i++)
				fprintf(o, "%s0x%" PRIx64 ":%" PRIu64, i ? "," : "", ev->segs[i].addr, ev->segs[i].len);
			fprintf(o, "%s]", !g_allsegs && ev->nsegs > 4 ? ",..." : "");
		}
		if (dt_capture_map_dma(c, &calls, &ents))
			fprintf(o, " dma_calls=%u dma_ents=%u", calls, ents);
		break;
	case DT_EV_UNMAP:
		fprintf(o, " dir=%s", dt_dir_name(ev->dir));
		break;
	default:
		break;
	}
	if (ev->nstack) {
		fprintf(o, " stack=");
		for (uint32_t i = 0; i < ev->nstack; i++)
			fprintf(o, "%s%s", i ? " < " : "", ev->stack[i]);
	}
	fputc('\n', o);
	fflush(o);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: dt-capture-dump [-m auto|fentry|kprobe] [-d SECONDS] [-s MAX_SEGS] "
			"[-r RING_BYTES] [-p PID] [-S] [-H] [-R READY_FILE] [-a]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct dt_capture_opts o = { .want_stacks = true };
	const char *ready = NULL;
	struct dt_capture *c;
	bool hooks_only = false;
	double duration = 0;
	char err[1024];
	struct timespec t0, t1;
	int ch, rc;

	while ((ch = getopt(argc, argv, "m:d:s:r:p:SHR:ah")) != -1) {
		switch (ch) {
		case 'm':
			if (!strcmp(optarg, "fentry"))
				o.force_attach_mode = DT_ATTACH_FENTRY;
			else if (!strcmp(optarg, "kprobe"))
				o.force_attach_mode = DT_ATTACH_KPROBE;
			else if (!strcmp(optarg, "auto"))
				o.force_attach_mode = DT_ATTACH_AUTO;
			else
				usage();
			break;
		case 'd': duration = atof(optarg); break;
		case 's': o.max_segs = atoi(optarg); break;
		case 'r': o.ring_bytes = strtoul(optarg, NULL, 0); break;
		case 'p': o.pid = atoi(optarg); break;
		case 'S': o.want_stacks = false; break;
		case 'H': hooks_only = true; break;
		case 'R': ready = optarg; break;
		case 'a': g_allsegs = true; break;
		default: usage();
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = dt_capture_open(&c, &o, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc) {
		fprintf(stderr, "dt-capture-dump: %s (%s)\n", err, strerror(-rc));
		return 1;
	}
	fprintf(stderr, "dt-capture-dump: attached in %.0f ms\n",
		(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	dt_capture_hooks(c, stderr);
	if (hooks_only) {
		dt_capture_close(c);
		return 0;
	}
	if (ready) {
		FILE *f = fopen(ready, "w");
		if (f)
			fclose(f);
	}
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!g_stop) {
		rc = dt_capture_poll(c, 100, print_ev, c);
		if (rc < 0 && rc != -EINTR) {
			fprintf(stderr, "dt-capture-dump: poll: %s\n", strerror(-rc));
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (duration > 0 && (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 >= duration)
			break;
	}
	dt_capture_poll(c, 0, print_ev, c); /* drain */
	fprintf(stderr, "dt-capture-dump: summary:");
	for (int i = 0; i < DT_EV__COUNT; i++)
		if (g_counts[i])
			fprintf(stderr, " %s=%" PRIu64, dt_event_type_name(i), g_counts[i]);
	fprintf(stderr, " lost_total=%" PRIu64 "\n", dt_capture_lost_total(c));
	dt_capture_close(c);
	return 0;
}

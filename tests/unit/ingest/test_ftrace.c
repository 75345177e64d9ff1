/* SPDX-License-Identifier: Apache-2.0 */
/* ftrace text importer (src/ingest/ftrace.c). Lines for kernels we cannot boot here (dma_buf:* tracepoints of
 * 7.0) are written from their TP_printk formats; the real 6.1/6.12 logs are tested by tests/suite-ftrace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/source.h"
#include "ingest/ftrace.h"

#define MAXEV 16
struct evs {
	int n;
	struct dt_event ev[MAXEV];
	struct dt_seg segs[MAXEV][130];
	struct dt_ftrace_stats st;
	int warnings;
};

static void count_warn(void *ctx, const char *msg)
{
	(void)msg;
	(*(int *)ctx)++;
}

static void run(const char *text, struct evs *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct dt_ftrace *t = dt_ftrace_open("t", f, true, count_warn, &out->warnings);
	const struct dt_event *ev;
	while (dt_ftrace_next(t, &ev) > 0 && out->n < MAXEV) {
		out->ev[out->n] = *ev;
		memcpy(out->segs[out->n], ev->segs, sizeof(struct dt_seg) * (ev->nsegs < 130 ? ev->nsegs : 130));
		out->ev[out->n].segs = out->segs[out->n];
		out->n++;
	}
	out->st = *dt_ftrace_stats(t);
	dt_ftrace_close(t);
}

/* 7.0 dma_buf tracepoints + 6.12 dma:dma_map_sg: attach, attributed map, unmap, detach. */
static void dma_buf_tracepoints(void **state)
{
	const char *t =
		"# tracer: nop\n"
		"   cam-300   [001] .....   10.000001: dma_buf_export: exp_name=system size=4194304 ino=4242\n"
		"   cam-300   [001] .....   10.000002: dma_buf_fd: exp_name=system size=4194304 ino=4242 fd=5\n"
		"   cam-300   [001] .....   10.000100: dma_buf_dynamic_attach: exp_name=system size=4194304 ino=4242 "
		"attachment:00000000deadbeef is_dynamic=0 dev_name=vivid.0\n"
		"   cam-300   [001] .....   10.000200: dma_map_sg: vivid.0 dir=FROM_DEVICE nents=4/4 ents=4/4 "
		"dma_addrs={0x100000,0x300000,0x500000,0x700000} sizes={0x100000,0x100000,0x100000,0x100000} "
		"phys_addrs={0x100000,0x300000,0x500000,0x700000} attrs=\n"
		"   cam-300   [001] .....   10.000300: dma_unmap_sg: vivid.0 dir=FROM_DEVICE "
		"phys_addrs={0x100000,0x300000,0x500000,0x700000} attrs=\n"
		"   cam-300   [001] .....   10.000400: dma_buf_detach: exp_name=system size=4194304 ino=4242 "
		"attachment:00000000deadbeef is_dynamic=0 dev_name=vivid.0\n"
		"   cam-300   [001] .....   10.000500: dma_buf_put: exp_name=system size=4194304 ino=4242\n";
	struct evs e;
	run(t, &e);
	assert_int_equal(e.n, 5);
	assert_int_equal(e.ev[0].type, DT_EV_EXPORT);
	assert_int_equal(e.ev[0].buf, 4242);
	assert_int_equal(e.ev[0].ts, 10000001000ull);
	assert_string_equal(e.ev[0].comm.s, "cam");
	assert_int_equal(e.ev[0].pid, 300);
	assert_int_equal(e.ev[1].type, DT_EV_ATTACH);
	assert_string_equal(e.ev[1].dev.s, "vivid.0");
	assert_int_equal(e.ev[1].att, 1); /* a counter, never the %p value */
	assert_int_equal(e.ev[2].type, DT_EV_MAP);
	assert_int_equal(e.ev[2].att, 1);
	assert_int_equal(e.ev[2].nents, 4);
	assert_int_equal(e.ev[2].nsegs, 4);
	assert_int_equal(e.ev[2].segs[3].addr, 0x700000);
	assert_int_equal(e.ev[2].dir, DT_DIR_FROM_DEVICE);
	assert_int_equal(e.ev[3].type, DT_EV_UNMAP);
	assert_int_equal(e.ev[4].type, DT_EV_DETACH);
	assert_int_equal(e.st.redundant, 2); /* dma_buf_fd, dma_buf_put */
	assert_int_equal(e.st.malformed, 0);
	assert_true(e.ev[1].seq < e.ev[2].seq);
}

/* The 128-entry cap: "nents=128/1024 ents=128/1024 [TRUNCATED]" -> segs truncated, segs_total 1024. */
static void truncated_map_sg(void **state)
{
	char line[16384]; /* 3 lists of up to 4095 chars + the text: no -Wformat-truncation */
	char addrs[4096] = "", sizes[4096] = "";
	for (int i = 0; i < 128; i++) {
		char a[32];
		snprintf(a, sizeof(a), "%s0x%x", i ? "," : "", 0x100000 + i * 0x2000);
		strcat(addrs, a);
		strcat(sizes, i ? ",0x1000" : "0x1000");
	}
	snprintf(line, sizeof(line),
		 "   cam-300   [001] .....   10.000100: dma_buf_dynamic_attach: exp_name=udmabuf size=4194304 ino=7 "
		 "attachment:00000000cafe0000 is_dynamic=0 dev_name=vivid.0\n"
		 "   cam-300   [001] .....   10.000200: dma_map_sg: vivid.0 dir=FROM_DEVICE nents=128/1024 ents=128/1024 "
		 "[TRUNCATED] dma_addrs={%s} sizes={%s} phys_addrs={%s} attrs=\n",
		 addrs, sizes, addrs);
	struct evs e;
	run(line, &e);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.ev[1].type, DT_EV_MAP);
	assert_int_equal(e.ev[1].nents, 1024);
	assert_int_equal(e.ev[1].segs_total, 1024);
	assert_int_equal(e.ev[1].nsegs, 128);
	assert_int_equal(e.ev[1].orig_nents, 1024);
}

/* Every way ftrace and trace-cmd say events were lost: with a count, and without one (the kernel's
 * "[LOST EVENTS]", trace-cmd's "[EVENTS DROPPED]"), which is a lower bound of 1, count_known false. */
static void lost_lines(void **state)
{
	const char *t = "CPU:0 [LOST 3 EVENTS]\n"
			"CPU:1 [LOST EVENTS]\n"
			"CPU:1 [204600 EVENTS DROPPED]\n"
			"CPU:0 [EVENTS DROPPED]\n"
			"CPU:0 [LOST 3 EVENTS\n"; /* not closed: not a loss line */
	struct evs e;
	run(t, &e);
	assert_int_equal(e.n, 4);
	static const uint64_t count[] = {3, 1, 204600, 1};
	static const unsigned cpu[] = {0, 1, 1, 0};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(e.ev[i].type, DT_EV_LOST);
		assert_int_equal(e.ev[i].count, count[i]);
		assert_int_equal(e.ev[i].cpu, cpu[i]);
		assert_int_equal(!!(e.ev[i].has & DT_HAS_COUNT_UNKNOWN), i == 1 || i == 3);
	}
}

/* The recipe's kprobes, trace-cmd report layout (no flags column), an attach that failed, lost events. */
static void kprobes_trace_cmd(void **state)
{
	const char *t =
		"cpus=2\n"
		"  v4l2-ctl-41    [000]    50.100000: dt_export:            (vb2_dc_get_dmabuf+0x71/0x190 "
		"[videobuf2_dma_contig] <- dma_buf_export) ptr=0xffff888004a1b000 ino=9 size=8192 exp=\"vb2 contig\"\n"
		"  v4l2-ctl-41    [000]    50.100100: dt_attach:            (dma_buf_dynamic_attach+0x4/0x260) "
		"dmabuf=0xffff888004a1b000 ino=9 size=8192 dev=\"0000:00:04.0\" drv=0xffffffff81000000 driver=\"virtio-pci\" "
		"bus=\"pci\" parms=0xffff888004000000 mss=4294967295 sbm=0xffffffff dyn=0x0\n"
		"  v4l2-ctl-41    [000]    50.100200: dt_attach_ret:        (x+0x1/0x2 <- dma_buf_dynamic_attach) "
		"att=0xffff888004b00000\n"
		"  v4l2-ctl-41    [000]    50.100300: dt_attach:            (dma_buf_dynamic_attach+0x4/0x260) "
		"dmabuf=0xffff888004a1b000 ino=9 size=8192 dev=\"vgem\" drv=0x0 driver=\"platform\" bus=\"platform\" "
		"parms=0x0 mss=77 sbm=0x0 dyn=0x0\n"
		"  v4l2-ctl-41    [000]    50.100400: dt_attach_ret:        (x+0x1/0x2 <- dma_buf_dynamic_attach) "
		"att=0xfffffffffffffff4\n"
		"CPU:0 [LOST 3 EVENTS]\n"
		"  v4l2-ctl-41    [000]    50.100500: dt_map:               (dma_buf_map_attachment+0x4/0xe0) "
		"att=0xffff888004b00000 dir=1\n"
		"  v4l2-ctl-41    [000]    50.100600: dt_map_ret:           (y+0x1/0x2 <- dma_buf_map_attachment) "
		"sgt=0xffff888004c00000 nents=2 orig=2 a0=0x1000 l0=4096 a1=0x3000 l1=4096 a2=0xdead l2=1\n"
		"  v4l2-ctl-41    [000]    50.100700: dt_detach:            (dma_buf_detach+0x4/0x90) "
		"dmabuf=0xffff888004a1b000 att=0xffff888004b00000\n"
		"  v4l2-ctl-41    [000]    50.100800: dt_release:           (dma_buf_release+0x4/0x90) "
		"dmabuf=0xffff888004a1b000\n";
	struct evs e;
	run(t, &e);
	assert_int_equal(e.n, 7);
	assert_int_equal(e.ev[0].type, DT_EV_EXPORT);
	assert_string_equal(e.ev[0].exporter.s, "vb2 contig");
	assert_string_equal(e.ev[0].comm.s, "v4l2-ctl");
	assert_int_equal(e.ev[1].type, DT_EV_ATTACH);
	assert_string_equal(e.ev[1].driver.s, "virtio-pci");
	assert_string_equal(e.ev[1].bus.s, "pci");
	assert_int_equal(e.ev[1].max_seg_size, 4294967295ull);
	assert_int_equal(e.ev[1].seg_boundary_mask, 0xffffffffull);
	assert_true(e.ev[1].dma_parms);
	assert_int_equal(e.ev[2].type, DT_EV_ATTACH); /* failed: err, no att, driver null (drv=0) */
	assert_true(e.ev[2].has & DT_HAS_ERR);
	assert_int_equal(e.ev[2].err, -12);
	assert_false(e.ev[2].has & DT_HAS_ATT);
	assert_int_equal(e.ev[3].type, DT_EV_LOST);
	assert_int_equal(e.ev[3].count, 3);
	assert_int_equal(e.ev[4].type, DT_EV_MAP);
	assert_int_equal(e.ev[4].nents, 2);
	assert_int_equal(e.ev[4].nsegs, 2); /* a2 is past nents: ignored */
	assert_int_equal(e.ev[4].segs[1].addr, 0x3000);
	assert_int_equal(e.ev[4].dir, DT_DIR_TO_DEVICE);
	assert_int_equal(e.ev[5].type, DT_EV_DETACH);
	assert_int_equal(e.ev[6].type, DT_EV_RELEASE);
	assert_int_equal(e.ev[6].buf, 9);
	assert_int_equal(e.st.malformed, 0);
}

/* The comm is the task's own name: it may look like a comment, a stack frame, a loss line, trace-cmd's
 * preamble or another task field. Each of these lines is an event of its own task, pid and CPU; the first
 * event gets no stack frame from the second. */
static void hostile_comms(void **state)
{
	const char *t = "            #cam-300     [001] .....    10.000001: dma_buf_export: exp_name=a size=1 ino=1\n"
			"          => cam-301     [002] .....    10.000002: dma_buf_export: exp_name=a size=1 ino=2\n"
			"    a-1 [003] x-302     [001] .....    10.000003: dma_buf_export: exp_name=a size=1 ino=3\n"
			" CPU 0 is empty-303     [001] .....    10.000004: dma_buf_export: exp_name=a size=1 ino=4\n"
			"  CPU:0 [LOST 3-304     [001] .....    10.000005: dma_buf_export: exp_name=a size=1 ino=5\n"
			"            cam-305     [001] .....    10.000006: dma_buf_export: exp_name=x-9 [7] size=1 ino=6\n";
	static const char *const comm[] = {"#cam", "=> cam", "a-1 [003] x", "CPU 0 is empty", "CPU:0 [LOST 3", "cam"};
	struct evs e;
	run(t, &e);
	assert_int_equal(e.n, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(e.ev[i].type, DT_EV_EXPORT);
		assert_int_equal(e.ev[i].buf, i + 1);
		assert_int_equal(e.ev[i].pid, 300 + i);
		assert_int_equal(e.ev[i].cpu, i == 1 ? 2 : 1);
		assert_string_equal(e.ev[i].comm.s, comm[i]);
		assert_int_equal(e.ev[i].nstack, 0);
	}
	assert_int_equal(e.warnings, 0);
	assert_int_equal(e.st.comments, 0);
}

static void sniff(void **state)
{
	const char *v1 = "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1}\n";
	assert_false(dt_ftrace_sniff(v1, strlen(v1)));
	const char *ft = "# tracer: nop\n#\n";
	assert_true(dt_ftrace_sniff(ft, strlen(ft)));
	const char *bare = "   cam-300   [001] .....   10.000001: dma_buf_export: exp_name=system size=1 ino=2\n";
	assert_true(dt_ftrace_sniff(bare, strlen(bare)));
	const char *junk = "hello\nworld\n";
	assert_false(dt_ftrace_sniff(junk, strlen(junk)));
}

static void kernel_comment(void **state)
{
	const char *t = "# kernel: 6.12.117+deb12-amd64\n# tracer: nop\n";
	FILE *f = fmemopen((void *)t, strlen(t), "r");
	struct dt_ftrace *ft = dt_ftrace_open("t", f, true, NULL, NULL);
	const struct dt_event *ev;
	assert_int_equal(dt_ftrace_next(ft, &ev), 0);
	assert_string_equal(dt_ftrace_kernel(ft), "6.12.117+deb12-amd64");
	dt_ftrace_close(ft);
}

static void keep_warn(void *ctx, const char *msg)
{
	snprintf(ctx, 512, "%s", msg);
}

/* Lines the importer cannot use are quoted in warnings: escaped (a buffer name holding a newline makes
 * lines of its own, with whatever bytes it likes). */
static void warnings_escape_quoted_lines(void **state)
{
	const char *text = "\033]0;owned\a\033[2J x\n";
	char msg[512] = "";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct dt_ftrace *t = dt_ftrace_open("t", f, true, keep_warn, msg);
	const struct dt_event *ev;
	while (dt_ftrace_next(t, &ev) > 0)
		;
	dt_ftrace_close(t);
	assert_non_null(strstr(msg, "not an ftrace event line"));
	assert_null(strchr(msg, '\033'));
	assert_null(strchr(msg, '\a'));
	assert_non_null(strstr(msg, "\\x1b]0;owned"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dma_buf_tracepoints),
		cmocka_unit_test(truncated_map_sg),
		cmocka_unit_test(kprobes_trace_cmd),
		cmocka_unit_test(lost_lines),
		cmocka_unit_test(hostile_comms),
		cmocka_unit_test(sniff),
		cmocka_unit_test(kernel_comment),
		cmocka_unit_test(warnings_escape_quoted_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* debugfs dma_buf/bufinfo parser (src/ingest/bufinfo.c): seeded export + attach events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/bufinfo.h"

struct got {
	int n;
	struct {
		enum dt_event_type type;
		uint64_t buf, att, size;
		char exporter[DT_STR_MAX], name[DT_STR_MAX], dev[DT_STR_MAX];
		uint32_t has;
	} ev[16];
};

static int collect(void *ctx, const struct dt_event *ev)
{
	struct got *g = ctx;
	if (g->n >= 16)
		return -1;
	g->ev[g->n].type = ev->type;
	g->ev[g->n].buf = ev->buf;
	g->ev[g->n].att = ev->att;
	g->ev[g->n].size = ev->size;
	g->ev[g->n].has = ev->has;
	snprintf(g->ev[g->n].exporter, DT_STR_MAX, "%s", ev->exporter.set ? ev->exporter.s : "");
	snprintf(g->ev[g->n].name, DT_STR_MAX, "%s", ev->name.set ? ev->name.s : "");
	snprintf(g->ev[g->n].dev, DT_STR_MAX, "%s", ev->dev.set ? ev->dev.s : "");
	g->n++;
	return 0;
}

static int parse(const char *text, struct got *g, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	memset(g, 0, sizeof(*g));
	int n = dt_bufinfo_parse(f, "bi", 42, collect, g, err, 256);
	fclose(f);
	return n;
}

/* Real 6.12 output (late-attach scenario of the VM harness), plus a 6.1 one with a name. */
static void real_612(void **state)
{
	const char *t = "\nDma-buf Objects:\n"
			"size    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
			"00061440\t00000002\t00080007\t00000004\tvideobuf2_dma_contig\t00000003\t<none>\n"
			"\tAttached Devices:\n\tvgem\n\tvivid.0\nTotal 2 devices attached\n\n"
			"04194304\t00000002\t00080007\t00000003\tsystem\t00000017\tframe 0\n"
			"\tAttached Devices:\nTotal 0 devices attached\n\n"
			"\nTotal 2 objects, 4255744 bytes\n";
	struct got g;
	char err[256];
	assert_int_equal(parse(t, &g, err), 2);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.ev[0].type, DT_EV_EXPORT);
	assert_int_equal(g.ev[0].buf, 3);
	assert_int_equal(g.ev[0].size, 61440);
	assert_string_equal(g.ev[0].exporter, "videobuf2_dma_contig");
	assert_string_equal(g.ev[0].name, "");
	assert_true(g.ev[0].has & DT_HAS_SEEDED);
	assert_int_equal(g.ev[1].type, DT_EV_ATTACH);
	assert_string_equal(g.ev[1].dev, "vgem");
	assert_int_equal(g.ev[1].buf, 3);
	assert_true(g.ev[1].att >= DT_BUFINFO_ATT_BASE);
	assert_true(g.ev[1].has & DT_HAS_SEEDED);
	assert_string_equal(g.ev[2].dev, "vivid.0");
	assert_true(g.ev[2].att != g.ev[1].att);
	assert_int_equal(g.ev[3].buf, 17);
	assert_string_equal(g.ev[3].name, "frame 0");
}

static void fences_skipped(void **state)
{
	const char *t = "Dma-buf Objects:\n"
			"size    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
			"00004096\t00000002\t00080007\t00000001\tudmabuf\t00000009\t<none>\n"
			"\tExclusive fence: drm_sched gfx signalled\n"
			"\tAttached Devices:\n\t0000:00:04.0\nTotal 1 devices attached\n";
	struct got g;
	char err[256];
	assert_int_equal(parse(t, &g, err), 1);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.ev[1].dev, "0000:00:04.0");
}

/* A buffer name is printed raw: one holding newlines can make lines that look like an attached device. Lines
 * before the buffer's own "Attached Devices:" are the name's; a list the kernel's count does not confirm is
 * not seeded. */
static void name_cannot_add_devices(void **state)
{
	const char *t = "Dma-buf Objects:\n"
			"size    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000043\tevil\n"
			"\tAttached Devices:\n\tfake-gpu\n" /* the rest of the name */
			"\tAttached Devices:\nTotal 0 devices attached\n\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000044\t<none>\n"
			"\tAttached Devices:\n\tvgem\n\tfake\nTotal 1 devices attached\n\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000045\t<none>\n"
			"\tAttached Devices:\n\tvivid.0\n\t\tTotal 1 devices attached\n";
	struct got g;
	char err[256];
	assert_int_equal(parse(t, &g, err), 3);
	assert_int_equal(g.n, 4); /* three exports and vivid.0: no fake-gpu, and buffer 44's list is not seeded */
	assert_int_equal(g.ev[0].buf, 43);
	assert_string_equal(g.ev[0].name, "evil");
	assert_int_equal(g.ev[1].buf, 44);
	assert_int_equal(g.ev[2].buf, 45);
	assert_int_equal(g.ev[3].type, DT_EV_ATTACH);
	assert_int_equal(g.ev[3].buf, 45);
	assert_string_equal(g.ev[3].dev, "vivid.0");
}

static void empty(void **state)
{
	struct got g;
	char err[256];
	assert_int_equal(parse("\nDma-buf Objects:\nsize    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
			       "\nTotal 0 objects, 0 bytes\n", &g, err), 0);
	assert_int_equal(g.n, 0);
}

static void malformed_names_line(void **state)
{
	struct got g;
	char err[256];
	assert_int_equal(parse("Dma-buf Objects:\nsize\n00004096\tzz\n", &g, err), -1);
	assert_non_null(strstr(err, "bi:3:"));
	assert_int_equal(parse("hello world\n", &g, err), -1);
	assert_non_null(strstr(err, "bi:1:"));
	/* a buffer name holding a newline puts its own bytes on a line of their own: they reach the
	 * error message, escaped (the kernel does not filter DMA_BUF_SET_NAME) */
	assert_int_equal(parse("Dma-buf Objects:\nsize\n00004096\t00000002\t00080005\t00000001\tsystem\t00000042\tx\n"
			       "\033]0;owned\a\033[2J longer than a name\n", &g, err), -1);
	assert_non_null(strstr(err, "bi:4:"));
	assert_null(strchr(err, '\033'));
	assert_null(strchr(err, '\a'));
	assert_non_null(strstr(err, "\\x1b]0;owned"));
}

/* A name's lines after its newline are the name's (31 bytes at most, DMA_BUF_SET_NAME): joined to it, also one
 * that looks like a short buffer line ("1\t2\t3\t4\tfake\t99\tx": a fake buffer 99 was seeded), or like the
 * kernel's totals. The kernel pads its numbers to 8 digits: such a line is too short to be one of its own. */
static void name_lines_are_the_names(void **state)
{
	const char *t = "Dma-buf Objects:\n"
			"size    \tflags   \tmode    \tcount   \texp_name\tino     \tname\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000043\tcam\n"
			"1\t2\t3\t4\tfake\t99\tx\n"
			"\tAttached Devices:\n\tvgem\nTotal 1 devices attached\n\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000044\tab\n"
			"\n"
			"Total 9 objects\n"
			"\tAttached Devices:\nTotal 0 devices attached\n\n"
			"00004096\t00000002\t00080007\t00000001\tsystem\t00000045\t<none>\n"
			"\tAttached Devices:\nTotal 0 devices attached\n";
	struct got g;
	char err[256];
	assert_int_equal(parse(t, &g, err), 3);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.ev[0].type, DT_EV_EXPORT);
	assert_int_equal(g.ev[0].buf, 43);
	assert_string_equal(g.ev[0].name, "cam\n1\t2\t3\t4\tfake\t99\tx");
	assert_int_equal(g.ev[1].type, DT_EV_ATTACH); /* after its buffer's export */
	assert_int_equal(g.ev[1].buf, 43);
	assert_string_equal(g.ev[1].dev, "vgem");
	assert_int_equal(g.ev[2].buf, 44);
	assert_string_equal(g.ev[2].name, "ab\n\nTotal 9 objects");
	assert_int_equal(g.ev[3].buf, 45);
	assert_string_equal(g.ev[3].name, "");
	/* no more than the kernel's 31 bytes: a longer line is not a name's */
	assert_int_equal(parse("Dma-buf Objects:\nsize\n00004096\t00000002\t00080005\t00000001\tsystem\t00000042\t"
			       "01234567890123456789012345678\nab\n", &g, err), -1);
	assert_non_null(strstr(err, "bi:4:"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_612),
		cmocka_unit_test(fences_skipped),
		cmocka_unit_test(name_cannot_add_devices),
		cmocka_unit_test(empty),
		cmocka_unit_test(malformed_names_line),
		cmocka_unit_test(name_lines_are_the_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

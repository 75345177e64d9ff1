/* SPDX-License-Identifier: Apache-2.0 */
/* The in-memory trace model behind junit/export/report/advise (src/render/model.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/cli.h"
#include "common/escape.h"
#include "render/model.h"

#define HDR "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"k\",\"clock\":\"boottime\"}\n"
#define ATT(ts, seq, buf, att, dev, drv) \
	"{\"type\":\"attach\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att ",\"dev\":\"" dev \
	"\",\"driver\":" drv ",\"max_seg_size\":65536,\"seg_boundary_mask\":4294967295,\"dma_parms\":true}\n"
#define MAP(ts, seq, buf, att, n) \
	"{\"type\":\"map\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att ",\"nents\":" #n \
	",\"segs\":[[4096,4096]],\"segs_total\":1}\n"
#define EV(type, ts, seq, buf, att) \
	"{\"type\":\"" type "\",\"ts\":" #ts ",\"seq\":" #seq ",\"buf\":" #buf ",\"att\":" #att "}\n"

static void load(struct dt_model *m, const char *text, enum dt_severity min)
{
	char path[] = "/tmp/test_model.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	int rc = dt_model_load(m, path, NULL, min);
	unlink(path);
	assert_int_equal(rc, DT_EXIT_OK);
	m->path = "t.jsonl"; /* the temp name is gone */
}

static void test_intervals(void **state)
{
	struct dt_model m;
	load(&m, HDR
	     "{\"type\":\"export\",\"ts\":1000,\"seq\":1,\"buf\":7,\"size\":8192,\"exporter\":\"system\",\"name\":\"f\"}\n"
	     ATT(2000, 2, 7, 1, "a.0", "\"drv\"")
	     MAP(3000, 3, 7, 1, 1)
	     MAP(3500, 4, 7, 1, 1) /* nested map: depth 1 */
	     EV("unmap", 3700, 5, 7, 1)
	     EV("unmap", 4000, 6, 7, 1)
	     MAP(4500, 7, 7, 1, 1) /* never unmapped: closed by the detach */
	     EV("detach", 5000, 8, 7, 1)
	     ATT(6000, 9, 7, 1, "b.0", "null") /* id reused after detach: a new attachment */
	     "{\"type\":\"release\",\"ts\":7000,\"seq\":10,\"buf\":7}\n"
	     "{\"type\":\"export\",\"ts\":8000,\"seq\":11,\"buf\":7,\"size\":4096,\"exporter\":\"vgem\"}\n" /* inode reused */
	     ATT(8500, 12, 7, 2, "c.0", "\"c\"")
	     MAP(9000, 13, 7, 2, 1),
	     DT_SEV_INFO);
	assert_int_equal(m.nbufs, 2);
	assert_int_equal(m.natts, 3);
	const struct dt_model_buf *b = &m.bufs[0];
	assert_int_equal(b->ino, 7);
	assert_string_equal(b->exporter, "system");
	assert_string_equal(b->name, "f");
	assert_true(b->released);
	assert_int_equal(b->first_ts, 1000);
	assert_int_equal(b->end_ts, 7000);
	assert_int_equal(b->natts, 2);
	const struct dt_model_att *a = &m.atts[b->atts[0]];
	assert_string_equal(a->dev, "a.0");
	assert_string_equal(a->driver, "drv");
	assert_true(a->detached);
	assert_int_equal(a->attach_ts, 2000);
	assert_int_equal(a->end_ts, 5000);
	assert_int_equal(a->nmaps, 3);
	/* LIFO pairing: the inner map ends first */
	assert_int_equal(a->maps[0].ts, 3000);
	assert_int_equal(a->maps[0].end_ts, 4000);
	assert_int_equal(a->maps[0].depth, 0);
	assert_int_equal(a->maps[1].end_ts, 3700);
	assert_int_equal(a->maps[1].depth, 1);
	assert_true(a->maps[1].unmapped);
	assert_false(a->maps[2].unmapped);
	assert_int_equal(a->maps[2].end_ts, 5000);
	/* the second attachment: released while attached */
	const struct dt_model_att *a2 = &m.atts[b->atts[1]];
	assert_string_equal(a2->dev, "b.0");
	assert_null(a2->driver);
	assert_false(a2->detached);
	assert_int_equal(a2->end_ts, 7000);
	/* the reused inode is a new buffer, alive at the end with its mapping open until the last event */
	const struct dt_model_buf *c = &m.bufs[1];
	assert_string_equal(c->exporter, "vgem");
	assert_false(c->released);
	assert_int_equal(c->end_ts, 9000);
	assert_int_equal(m.atts[c->atts[0]].maps[0].end_ts, 9000);
	/* findings chained per attachment: release-with-attachments on buffer 0, leak-at-end on c.0 */
	assert_int_not_equal(b->ffirst, DT_MODEL_NONE);
	assert_int_equal(m.findings[b->ffirst].rule, DT_RULE_RELEASE_WITH_ATTACHMENTS);
	size_t f = m.atts[c->atts[0]].ffirst;
	assert_int_not_equal(f, DT_MODEL_NONE);
	assert_int_equal(m.findings[f].rule, DT_RULE_LEAK_AT_END);
	assert_int_equal(m.ffirst_trace, DT_MODEL_NONE);
	dt_model_free(&m);
}

static void test_provisional_and_lost(void **state)
{
	struct dt_model m;
	load(&m, HDR
	     MAP(1000, 1, 9, 4, 1) /* started mid-way: neither export nor attach seen */
	     "{\"type\":\"lost\",\"ts\":1500,\"seq\":2,\"count\":2}\n"
	     EV("unmap", 2000, 3, 9, 4)
	     EV("detach", 2500, 4, 9, 4),
	     DT_SEV_INFO);
	assert_int_equal(m.nbufs, 1);
	assert_true(m.bufs[0].provisional);
	assert_int_equal(m.natts, 1);
	assert_true(m.atts[0].provisional);
	assert_string_equal(m.atts[0].dev, "?");
	assert_int_equal(m.atts[0].nmaps, 1);
	assert_true(m.atts[0].maps[0].unmapped);
	assert_int_not_equal(m.ffirst_trace, DT_MODEL_NONE);
	assert_int_equal(m.findings[m.ffirst_trace].rule, DT_RULE_LOST_EVENTS);
	assert_int_equal(m.findings[m.atts[0].ffirst].rule, DT_RULE_UNKNOWN_ATTACHMENT);
	char out[256];
	assert_string_equal(dt_model_describe_buf(out, sizeof(out), &m.bufs[0], dt_escape_text), "9 (export not traced)");
	assert_string_equal(dt_model_describe_att(out, sizeof(out), &m.atts[0], dt_escape_text), "? [unknown]");
	dt_model_free(&m);
}

static void test_min_severity_and_describe(void **state)
{
	struct dt_model m;
	load(&m, HDR
	     "{\"type\":\"export\",\"ts\":1000,\"seq\":1,\"buf\":3,\"size\":1048576,\"exporter\":\"a<b\",\"name\":\"\\\"x'\"}\n"
	     ATT(2000, 2, 3, 1, "d&", "null")
	     EV("unmap", 3000, 3, 3, 1), /* unbalanced-unmap: a warning */
	     DT_SEV_ERROR);
	assert_int_equal(m.nfindings, 0); /* the warning and the leak info are below --min-severity error */
	assert_int_equal(m.stats.findings[DT_RULE_UNBALANCED_UNMAP], 1);
	char out[256];
	assert_string_equal(dt_model_describe_buf(out, sizeof(out), &m.bufs[0], dt_escape_xml),
			    "3 (a&lt;b, 1 MiB, &quot;&quot;x&#39;&quot;)");
	assert_string_equal(dt_model_describe_buf(out, sizeof(out), &m.bufs[0], dt_escape_text),
			    "3 (a<b, 1 MiB, \"\\\"x'\")");
	assert_string_equal(dt_model_describe_att(out, sizeof(out), &m.atts[0], dt_escape_xml), "d&amp; [no driver]");
	dt_model_free(&m);
}

static void test_name_set_after_export(void **state)
{
	struct dt_model m;
	load(&m, HDR
	     "{\"type\":\"export\",\"ts\":1000,\"seq\":1,\"buf\":4,\"size\":4096,\"exporter\":\"system\"}\n"
	     "{\"type\":\"attach\",\"ts\":2000,\"seq\":2,\"buf\":4,\"att\":1,\"dev\":\"a\",\"driver\":null,"
	     "\"name\":\"late-name\"}\n",
	     DT_SEV_INFO);
	assert_int_equal(m.nbufs, 1);
	assert_non_null(m.bufs[0].name);
	assert_string_equal(m.bufs[0].name, "late-name");
	dt_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intervals),
		cmocka_unit_test(test_provisional_and_lost),
		cmocka_unit_test(test_min_severity_and_describe),
		cmocka_unit_test(test_name_set_after_export),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

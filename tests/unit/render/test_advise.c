/* SPDX-License-Identifier: Apache-2.0 */
/* advise (src/render/advise.c): importers, intersection of limits, strictest importer, verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/advise.h"
#include "cli/cli.h"
#include "engine/constraints.h"

#define HDR "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"k\",\"clock\":\"boottime\"}\n"
#define EXPORT "{\"type\":\"export\",\"ts\":1,\"seq\":1,\"buf\":5,\"size\":4194304,\"exporter\":\"system\"}\n"
#define ATT(seq, att, dev, drv, maxseg, mask) \
	"{\"type\":\"attach\",\"ts\":" #seq "0,\"seq\":" #seq ",\"buf\":5,\"att\":" #att ",\"dev\":\"" dev \
	"\",\"driver\":\"" drv "\",\"max_seg_size\":" #maxseg ",\"seg_boundary_mask\":" #mask ",\"dma_parms\":true}\n"
/* one 1 MiB segment... or four */
#define MAP1(seq, att) \
	"{\"type\":\"map\",\"ts\":" #seq "0,\"seq\":" #seq ",\"buf\":5,\"att\":" #att ",\"nents\":1,\"segs\":[[1048576,1048576]]}\n"
#define MAP4(seq, att) \
	"{\"type\":\"map\",\"ts\":" #seq "0,\"seq\":" #seq ",\"buf\":5,\"att\":" #att ",\"nents\":4,\"segs\":[[1048576,65536]," \
	"[4194304,65536],[8388608,65536],[16777216,65536]]}\n"

static void load(struct dt_model *m, const char *text, const char *profile)
{
	char path[] = "/tmp/test_advise.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[256] = "";
	struct dt_constraints *c = profile ? dt_constraints_parse("p", profile, err, sizeof(err)) : NULL;
	if (profile && !c)
		fail_msg("%s", err);
	int rc = dt_model_load(m, path, c, DT_SEV_INFO);
	unlink(path);
	dt_constraints_free(c);
	assert_int_equal(rc, DT_EXIT_OK);
}

static const char *strictest_dev(const struct dt_model *m, const struct dt_advice *a)
{
	return a->strictest == DT_MODEL_NONE ? "-" : m->atts[a->imp[a->strictest].att].dev;
}

static void test_intersection_and_strictest(void **state)
{
	struct dt_model m;
	struct dt_advice a;
	load(&m, HDR EXPORT
	     ATT(2, 1, "gpu", "virtio-pci", 4294967295, 18446744073709551615)
	     ATT(3, 2, "cam", "vivid", 1048576, 4294967295)
	     ATT(4, 3, "cam", "vivid", 1048576, 4294967295) /* same device again: one importer */
	     ATT(5, 4, "isp", "isp", 65536, 18446744073709551615)
	     MAP1(6, 1),
	     "driver=vivid contiguous=yes\ndevice=isp max-segments=4\n");
	assert_int_equal(dt_advise_buffer(&m, 0, &a), 0);
	assert_int_equal(a.nimp, 3);
	assert_int_equal(a.imp[1].natts, 2);
	assert_int_equal(a.known, 3);
	assert_int_equal(a.meet.max_seg_size, 65536);
	assert_int_equal(a.meet.seg_boundary_mask, 4294967295u);
	assert_true(a.meet.set & DT_LIM_MAX_SEGMENTS);
	assert_int_equal(a.meet.max_segments, 4);
	assert_true(a.meet.contiguous);
	/* contiguous beats a smaller segment size */
	assert_string_equal(strictest_dev(&m, &a), "cam");
	assert_int_equal(a.defines, DT_LIM_CONTIGUOUS | DT_LIM_SEG_BOUNDARY);
	assert_int_equal(a.imp[0].verdict, DT_VERDICT_SATISFIED);
	assert_int_equal(a.imp[1].verdict, DT_VERDICT_NOT_MAPPED);
	assert_int_equal(a.overall, DT_VERDICT_SATISFIED);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	dt_advise_print(out, &m, 0, &a);
	fclose(out);
	if (!strstr(text, "  intersection: contiguous, at most 4 segments, segments up to 64 KiB, no segment across a "
			  "0xffffffff (4 GiB) boundary\n") ||
	    !strstr(text, "  most restrictive: cam [vivid] (sets contiguous, no segment across") ||
	    !strstr(text, "  also constraining: isp [isp] (sets at most 4 segments, segments up to 64 KiB)\n") ||
	    !strstr(text, "  recorded backing: satisfied every importer\n"))
		fail_msg("%s", text);
	free(text);
	dt_advice_free(&a);
	dt_model_free(&m);
}

static void test_verdicts(void **state)
{
	struct dt_model m;
	struct dt_advice a;
	/* gpu maps 4 x 64 KiB early; cam (1 segment, contiguous) attaches late and is broken */
	load(&m, HDR EXPORT
	     ATT(2, 1, "gpu", "virtio-pci", 4294967295, 18446744073709551615)
	     MAP4(3, 1)
	     ATT(4, 2, "cam", "vivid", 1048576, 18446744073709551615)
	     MAP4(5, 2),
	     "driver=vivid max-segments=1 contiguous=yes\n");
	assert_int_equal(dt_advise_buffer(&m, 0, &a), 0);
	assert_int_equal(a.nimp, 2);
	assert_string_equal(strictest_dev(&m, &a), "cam");
	assert_int_equal(a.imp[0].verdict, DT_VERDICT_SATISFIED);
	assert_false(a.imp[0].late);
	assert_int_equal(a.imp[1].verdict, DT_VERDICT_BROKEN);
	assert_true(a.imp[1].late);
	assert_int_not_equal(a.imp[1].why, DT_MODEL_NONE);
	assert_int_equal(a.overall, DT_VERDICT_BROKEN);
	dt_advice_free(&a);
	dt_model_free(&m);
}

static void test_no_importer_and_unknown(void **state)
{
	struct dt_model m;
	struct dt_advice a;
	load(&m, HDR EXPORT
	     "{\"type\":\"map\",\"ts\":20,\"seq\":2,\"buf\":6,\"att\":9,\"nents\":1,\"segs\":[[0,4096]]}\n",
	     NULL);
	assert_int_equal(m.nbufs, 2);
	assert_int_equal(dt_advise_buffer(&m, 0, &a), 0);
	assert_int_equal(a.nimp, 0);
	assert_int_equal(a.strictest, DT_MODEL_NONE);
	assert_int_equal(a.overall, DT_VERDICT_NOT_MAPPED);
	dt_advice_free(&a);
	/* an attachment whose attach was not traced: listed, but its limits are unknown */
	assert_int_equal(dt_advise_buffer(&m, 1, &a), 0);
	assert_int_equal(a.nimp, 1);
	assert_int_equal(a.known, 0);
	assert_int_equal(a.strictest, DT_MODEL_NONE);
	assert_int_equal(a.imp[0].verdict, DT_VERDICT_SATISFIED);
	dt_advice_free(&a);
	dt_model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intersection_and_strictest),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_no_importer_and_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Stack frames matched by kernel function, compiler clones included (dt_frame_is, src/common/event.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "common/event.h"

static void test_frame_is(void **state)
{
	static const struct {
		const char *frame, *symbol;
		bool is;
	} cases[] = {
		{"drm_gem_prime_import_dev+0x70 [drm]", "drm_gem_prime_import_dev", true},
		{"drm_gem_prime_import_dev.part.0+0x3d [drm]", "drm_gem_prime_import_dev", true},
		{"vb2_dc_map_dmabuf.isra.12+0x35 [videobuf2_dma_contig]", "vb2_dc_map_dmabuf", true},
		{"__prepare_dmabuf.constprop.0+0x3d5 [videobuf2_common]", "__prepare_dmabuf", true},
		{"f.constprop.0.isra.0+0x1", "f", true}, /* clones of clones */
		{"f.cold+0x12", "f", true},
		{"f.part.3", "f", true},
		{"vb2_dc_map_dmabuf", "vb2_dc_map_dmabuf", true},
		{"vb2_dc_map_dmabuf [m]", "vb2_dc_map_dmabuf", true},
		/* names that only start like it are other functions */
		{"vb2_dc_map_dmabuf_extra+0x1 [x]", "vb2_dc_map_dmabuf", false},
		{"f.part+0x1", "f", false},     /* no clone number */
		{"f.part.x+0x1", "f", false},
		{"f.coldx+0x1", "f", false},
		{"f.colder+0x1", "f", false},
		{"f.part.0_x+0x1", "f", false},
		{"g+0x1", "f", false},
		{"", "f", false},
		{"drm_gem_prime_import_dev.part.0+0x3d [drm]", "drm_gem_prime_import", false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (dt_frame_is(cases[i].frame, cases[i].symbol) != cases[i].is)
			fail_msg("dt_frame_is(\"%s\", \"%s\") != %d", cases[i].frame, cases[i].symbol, cases[i].is);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_is),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}

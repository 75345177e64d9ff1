// SPDX-License-Identifier: Apache-2.0
/* The kernel's implied limits (src/engine/kernel_limits.c) found on a stack: every frame of every entry, at any
 * place of the stack, clones included, behind frames that share its first bytes; never a near miss. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "engine/kernel_limits.h"

static const struct {
	const char *frame;
	const char *source; /* NULL: none */
} cases[] = {
	{"vb2_dc_attach_dmabuf+0x5e [videobuf2_dma_contig]", "videobuf2-dma-contig"},
	{"vb2_dc_map_dmabuf+0x35 [videobuf2_dma_contig]", "videobuf2-dma-contig"},
	{"vb2_dc_map_dmabuf.isra.0+0x35 [videobuf2_dma_contig]", "videobuf2-dma-contig"},
	{"vb2_dc_map_dmabuf", "videobuf2-dma-contig"},
	{"drm_gem_dma_prime_import_sg_table+0x10 [drm_dma_helper]", "the DRM GEM DMA helpers"},
	{"drm_gem_dma_prime_import_sg_table_vmap+0x10 [drm_dma_helper]", "the DRM GEM DMA helpers"},
	{"drm_gem_dma_prime_import_sg_table.constprop.0 [drm_dma_helper]", "the DRM GEM DMA helpers"},
	{"drm_gem_cma_prime_import_sg_table+0x10 [drm_cma_helper]", "the DRM GEM CMA helpers"},
	{"drm_gem_cma_prime_import_sg_table_vmap+0x10", "the DRM GEM CMA helpers"},
	{"vb2_dc_map_dmabuf.cold", "videobuf2-dma-contig"},
	{"vb2_dc_map_dmabuf.part.1.cold+0x3 [videobuf2_dma_contig]", "videobuf2-dma-contig"},
	{"vb2_dc_map_dmabuf. [videobuf2_dma_contig]", NULL},
	{"vb2_dc_map_dmabuf.part.+0x3", NULL},
	{"vb2_dc_map_dmabuf_extra+0x1 [x]", NULL},
	{"vb2_dc", NULL},
	{"vb3_dc_map_dmabuf+0x1", NULL},
	{"vb2_dc_", NULL},
	{"vb2_dc_alloc+0x1 [videobuf2_dma_contig]", NULL},
	{"drm_gem_dma_prime_import_sg_tabl+0x1", NULL},
	{"drm_gem_dma_prime_import_sg_table_vmapx+0x1", NULL},
	{"drm_gem_prime_import_dev+0xa5 [drm]", NULL},
	{"drm_gem_", NULL},
	{"d", NULL},
	{"", NULL},
};

static void test_each_frame_anywhere(void **state)
{
	static char stack[4][DT_FRAME_MAX];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (uint32_t at = 0; at < 4; at++) {
			for (uint32_t k = 0; k < 4; k++)
				snprintf(stack[k], sizeof(stack[k]), "%s", k == at ? cases[i].frame
					 : k % 2 ? "drm_gem_prime_import_dev+0x4d [drm]" : "drm_ioctl_kernel+0xb3 [drm]");
			const struct dt_kernel_limit *k = dt_kernel_limit_for_stack(stack, 4);
			if (!cases[i].source != !k || (k && strcmp(k->source, cases[i].source)))
				fail_msg("\"%s\" at frame %u: %s, want %s", cases[i].frame, at, k ? k->source : "none",
					 cases[i].source ? cases[i].source : "none");
			assert_true(!k || (k->set & ~dt_kernel_limit_bits()) == 0);
		}
	assert_null(dt_kernel_limit_for_stack(stack, 0));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_frame_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

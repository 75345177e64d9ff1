// SPDX-License-Identifier: Apache-2.0
/* Built-in knowledge of importers' limits (docs/constraints.md, "Limits the kernel implies"). */
#include <string.h>

#include "engine/kernel_limits.h"

/* videobuf2-dma-contig programs one DMA address per plane: vb2_dc_map_dmabuf() refuses a mapping
 * whose vb2_dc_get_contiguous_size() is below the plane size ("contiguous chunk is too small"). */
static const char *const vb2_dc_frames[] = {"vb2_dc_attach_dmabuf", "vb2_dc_map_dmabuf", NULL};
/* The DRM GEM DMA helpers (drm_gem_cma_* before 6.1): drm_gem_dma_prime_import_sg_table() refuses an
 * sg_table whose drm_prime_get_contiguous_size() is below the dma-buf's size. */
static const char *const gem_dma_frames[] = {"drm_gem_dma_prime_import_sg_table",
					     "drm_gem_dma_prime_import_sg_table_vmap", NULL};
static const char *const gem_cma_frames[] = {"drm_gem_cma_prime_import_sg_table",
					     "drm_gem_cma_prime_import_sg_table_vmap", NULL};

static const struct dt_kernel_limit known[] = {
	{vb2_dc_frames, DT_LIM_CONTIGUOUS, true, "videobuf2-dma-contig", "vb2_dc_"},
	{gem_dma_frames, DT_LIM_CONTIGUOUS, true, "the DRM GEM DMA helpers", "drm_gem_dma_prime_import_sg_table"},
	{gem_cma_frames, DT_LIM_CONTIGUOUS, true, "the DRM GEM CMA helpers", "drm_gem_cma_prime_import_sg_table"},
};

/* frame begins with prefix: fails at the first byte that differs (nearly every frame differs early; this runs
 * for every frame of every attach and map, engine.c). */
static bool begins_with(const char *frame, const char *prefix)
{
	while (*prefix && *frame == *prefix)
		frame++, prefix++;
	return !*prefix;
}

const struct dt_kernel_limit *dt_kernel_limit_for_stack(const char (*stack)[DT_FRAME_MAX], uint32_t nstack)
{
	for (uint32_t i = 0; i < nstack; i++)
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
			if (stack[i][0] != known[k].prefix[0] || !begins_with(stack[i], known[k].prefix))
				continue;
			size_t n = strlen(known[k].prefix);
			for (const char *const *f = known[k].frames; *f; f++)
				if (begins_with(stack[i] + n, *f + n) && dt_frame_is(stack[i], *f)) /* clones too */
					return &known[k];
		}
	return NULL;
}

unsigned dt_kernel_limit_bits(void)
{
	unsigned bits = 0;
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		bits |= known[k].set;
	return bits;
}

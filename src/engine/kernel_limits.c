// SPDX-License-Identifier: Apache-2.0
/* Built-in knowledge of importers' limits (docs/constraints.md, "Limits the kernel implies"). */
#include <stdint.h>
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

#define VB2_DC_PREFIX "vb2_dc_"
#define GEM_DMA_PREFIX "drm_gem_dma_prime_import_sg_table"
#define GEM_CMA_PREFIX "drm_gem_cma_prime_import_sg_table"

static const struct dt_kernel_limit known[] = {
	{vb2_dc_frames, DT_LIM_CONTIGUOUS, true, "videobuf2-dma-contig", VB2_DC_PREFIX},
	{gem_dma_frames, DT_LIM_CONTIGUOUS, true, "the DRM GEM DMA helpers", GEM_DMA_PREFIX},
	{gem_cma_frames, DT_LIM_CONTIGUOUS, true, "the DRM GEM CMA helpers", GEM_CMA_PREFIX},
};

/* The first 16 bytes of each entry's prefix as two words in memory order, and which of them count: one
 * masked compare per frame and entry rejects nearly every frame, the second word the frames that share the
 * first 8 bytes ("drm_gem_prime_import_dev" against "drm_gem_dma_prime_..."). This runs for every frame of
 * every attach and map (engine.c). Built by the preprocessor from the same literals as known[]. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HEAD_SHIFT(i) (8 * ((i) % 8))
#else
#define HEAD_SHIFT(i) (8 * (7 - (i) % 8))
#endif
#define HEAD_B(s, i) ((uint64_t)(unsigned char)(sizeof(s) - 1 > (i) ? (s)[i] : 0) << HEAD_SHIFT(i))
#define HEAD_M(s, i) ((uint64_t)(sizeof(s) - 1 > (i) ? 0xff : 0) << HEAD_SHIFT(i))
#define HEAD_W(X, s, o) (X(s, o) | X(s, o + 1) | X(s, o + 2) | X(s, o + 3) | X(s, o + 4) | X(s, o + 5) | \
			 X(s, o + 6) | X(s, o + 7))
#define HEAD(s) {{HEAD_W(HEAD_B, s, 0), HEAD_W(HEAD_B, s, 8)}, {HEAD_W(HEAD_M, s, 0), HEAD_W(HEAD_M, s, 8)}}
static const struct {
	uint64_t word[2], mask[2];
} heads[] = {HEAD(VB2_DC_PREFIX), HEAD(GEM_DMA_PREFIX), HEAD(GEM_CMA_PREFIX)};
_Static_assert(sizeof(heads) / sizeof(heads[0]) == sizeof(known) / sizeof(known[0]), "a head per entry");

/* frame begins with prefix: fails at the first byte that differs */
static bool begins_with(const char *frame, const char *prefix)
{
	while (*prefix && *frame == *prefix)
		frame++, prefix++;
	return !*prefix;
}

/* frame is "f+0x.. [mod]" for the function f it begins with, or a clone of f (dt_frame_is) */
static bool ends_function(const char *frame, const char *f)
{
	const char *p = frame + strlen(f);
	if (*p == '+' || *p == ' ' || *p == '\0')
		return true;
	return *p == '.' && dt_frame_is(frame, f); /* the rare clone suffix */
}

const struct dt_kernel_limit *dt_kernel_limit_for_stack(const char (*stack)[DT_FRAME_MAX], uint32_t nstack)
{
	for (uint32_t i = 0; i < nstack; i++) {
		uint64_t w[2];
		memcpy(w, stack[i], sizeof(w)); /* frames are DT_FRAME_MAX-byte buffers: 16 bytes are there */
#pragma GCC unroll 4
		for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
			if ((w[0] & heads[k].mask[0]) != heads[k].word[0] || (w[1] & heads[k].mask[1]) != heads[k].word[1] ||
			    !begins_with(stack[i], known[k].prefix))
				continue;
			size_t n = strlen(known[k].prefix);
			for (const char *const *f = known[k].frames; *f; f++)
				if (begins_with(stack[i] + n, *f + n) && ends_function(stack[i], *f))
					return &known[k];
		}
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

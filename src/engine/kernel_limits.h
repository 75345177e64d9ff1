// SPDX-License-Identifier: Apache-2.0
/* Limits the kernel already implies: importers whose kernel code refuses what a constraints
 * profile would otherwise have to declare, recognised from the trace's kernel facts (the
 * attach/map stack frames). docs/constraints.md lists every entry with the kernel source
 * that justifies it. A profile overrides them. */
#ifndef DT_ENGINE_KERNEL_LIMITS_H
#define DT_ENGINE_KERNEL_LIMITS_H

#include <stdint.h>

#include "common/event.h"
#include "engine/constraints.h"

struct dt_kernel_limit {
	const char *const *frames; /* kernel functions (NULL-terminated) whose presence on the stack identifies it */
	unsigned set;              /* DT_LIM_* bits it implies */
	bool contiguous;
	const char *source;        /* "videobuf2-dma-contig": for "(implied by ...)" */
	const char *prefix;        /* what every one of its frames begins with: most frames fail on it at once */
};

/* The entry an attach or map stack identifies, or NULL. Frames are "symbol+0xoff [module]". */
const struct dt_kernel_limit *dt_kernel_limit_for_stack(const char (*stack)[DT_FRAME_MAX], uint32_t nstack);
/* Every DT_LIM_* bit some entry implies: an attachment that has them all (profile or implied) needs no look. */
unsigned dt_kernel_limit_bits(void);

#endif

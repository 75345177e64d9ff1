// SPDX-License-Identifier: Apache-2.0
/* contiguous-by-chance: an importer that needs contiguous memory got a contiguous mapping of more
 * than one page from an exporter that does not guarantee contiguity. It passed by luck: the system
 * heap falls back to order-0 pages once memory fragments, vgem/shmem and udmabuf never promise.
 * Contiguity an IOMMU made (fewer DMA segments than CPU entries: one IOVA range) is by design. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "common/units.h"
#include "rules/rule.h"

#define PAGE_BYTES 4096u

/* Bytes the mapping covers: the recorder's total, else the stored segments if complete, else the buffer. */
static uint64_t mapping_bytes(const struct dt_mapping *m, const struct dt_buffer *b)
{
	if (m->total_len)
		return m->total_len;
	if (m->nsegs < m->segs_total)
		return b->size;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < m->nsegs; i++)
		sum += m->segs[i].len;
	return sum;
}

void dt_rule_contiguous_by_chance(struct dt_rule_ctx *rc, const struct dt_transition *t)
{
	const struct dt_attachment *a = t->att;
	const struct dt_buffer *b = t->buf;
	const struct dt_mapping *m = &a->map;
	if (!(a->lim.set & DT_LIM_CONTIGUOUS) || !a->lim.contiguous)
		return;
	/* An unknown exporter (export not traced) may guarantee it: nothing to say. */
	if (!b->exporter || b->exporter_contiguous)
		return;
	if (!m->contiguous_known || !m->contiguous || m->nents < m->orig_nents)
		return;
	uint64_t bytes = mapping_bytes(m, b);
	if (bytes <= PAGE_BYTES)
		return;
	/* where the need comes from; built without snprintf (this runs for every such map of a storm) */
	char size[32], src[96] = "";
	if (a->lim_profile & DT_LIM_CONTIGUOUS) {
		memcpy(src, " (from the constraints profile)", sizeof(" (from the constraints profile)"));
	} else if (a->lim_implied & DT_LIM_CONTIGUOUS) {
		static const char head[] = " (implied by ";
		const char *by = a->implied_by ? a->implied_by : "(null)";
		size_t n = strlen(by);
		if (n > sizeof(src) - sizeof(head))
			n = sizeof(src) - sizeof(head); /* cut at 95 bytes, as snprintf would */
		memcpy(src, head, sizeof(head) - 1);
		memcpy(src + sizeof(head) - 1, by, n);
		size_t at = sizeof(head) - 1 + n;
		if (at < sizeof(src) - 1)
			src[at++] = ')';
		src[at] = '\0';
	}
	dt_emit(rc, t, DT_RULE_CONTIGUOUS_BY_CHANCE, DT_SEV_WARNING,
		"%s needs contiguous DMA memory%s and got one back-to-back range of %s in %" PRIu64 " CPU entr%s, but "
		"the exporter %s does not guarantee contiguity: it passed by chance and fails once memory fragments "
		"(if %s always hands out contiguous memory, declare it in the profile: exporter=%s provides=contiguous)",
		a->dev, src, dt_fmt_size(size, sizeof(size), bytes), m->orig_nents, m->orig_nents == 1 ? "y" : "ies",
		b->exporter, b->exporter, b->exporter);
}

// SPDX-License-Identifier: Apache-2.0
/* Redaction of segment addresses (record --redact, dmabuf-trace redact). Without an IOMMU a map
 * event's DMA addresses are physical addresses; a redacted trace keeps what every rule needs and no
 * original address:
 *  - each back-to-back run of segments moves as one piece, so lengths and adjacency stay;
 *  - a run keeps only its offset below the largest power-of-two boundary (at most 4 GiB) it crosses,
 *    placed on a random odd multiple of that boundary, so every segment crosses exactly the same
 *    boundaries of every mask up to 4 GiB (0xffffffff) as before;
 *  - separate runs land in separate regions 2^40 apart, never adjacent.
 * docs/trace-format.md ("Redacted traces") says what a reader may rely on. */
#ifndef DT_INGEST_REDACT_H
#define DT_INGEST_REDACT_H

#include <stdint.h>

#include "common/event.h"

struct dt_redactor;

/* seed 0: from getrandom(); any other value makes the output reproducible (tests). NULL when out of memory. */
struct dt_redactor *dt_redactor_new(uint64_t seed);
/* The event to write instead of ev: ev itself when it has no segments, else a copy whose segments
 * (held by the redactor until the next call) are redacted. */
const struct dt_event *dt_redact(struct dt_redactor *r, const struct dt_event *ev);
void dt_redactor_free(struct dt_redactor *r);

#endif

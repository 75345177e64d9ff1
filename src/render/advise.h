/* SPDX-License-Identifier: Apache-2.0 */
/* advise: which device should export (or dictate the allocation of) each buffer.
 * Per buffer: the importers seen, the intersection of their limits (smallest max
 * segment size and max-segments, AND of boundary masks, contiguous if any needs it),
 * the most restrictive importer, and whether the recorded mappings satisfied each. */
#ifndef DT_ADVISE_H
#define DT_ADVISE_H

#include <stdio.h>

#include "render/model.h"

enum dt_verdict {
	DT_VERDICT_NOT_MAPPED,  /* never mapped: nothing to judge */
	DT_VERDICT_SATISFIED,
	DT_VERDICT_UNKNOWN,     /* segments truncated: cannot tell */
	DT_VERDICT_SOFT,        /* broke only the kernel's 64 KiB default (no dma_parms) */
	DT_VERDICT_REFUSED,     /* the kernel refused the map */
	DT_VERDICT_BROKEN,      /* a recorded mapping broke the importer's limits */
};

struct dt_advice_importer {
	size_t att;              /* first attachment of this device (index into model atts) */
	unsigned natts;          /* attachments of this device to the buffer */
	uint64_t maps;
	bool late;               /* attached after someone mapped */
	enum dt_verdict verdict;
	size_t why;              /* the finding behind the verdict, DT_MODEL_NONE if none */
};

struct dt_advice {
	struct dt_advice_importer *imp;
	size_t nimp;
	size_t known;            /* importers whose limits are known (attach traced) */
	struct dt_limits meet;   /* intersection over the known importers; .set: which limits exist */
	size_t strictest;        /* index into imp, DT_MODEL_NONE without known importers */
	unsigned defines;        /* DT_LIM_* of meet that the strictest importer sets */
	enum dt_verdict overall; /* the worst verdict */
};

/* Returns 0, or -1 when out of memory. */
int dt_advise_buffer(const struct dt_model *m, size_t buf, struct dt_advice *out);
void dt_advice_free(struct dt_advice *a);
const char *dt_verdict_name(enum dt_verdict v);
/* The human-readable block for one buffer. */
void dt_advise_print(FILE *out, const struct dt_model *m, size_t buf, const struct dt_advice *a);
/* The same as one JSON object on one line: buf, exporter, size, name, importers [{att, dev, driver, limits,
 * late, maps, verdict, rule}], intersection, most_restrictive {dev, driver} or null, verdict. -1: out of memory. */
int dt_advise_json(FILE *out, const struct dt_model *m, size_t buf, const struct dt_advice *a);

#endif

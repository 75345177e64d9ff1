// SPDX-License-Identifier: Apache-2.0
/* One importer limit judged against one mapping layout: shared by the four limit rules
 * (a mapping against its own importer) and late-attach (the placed layout against a late
 * importer). */
#ifndef DT_RULES_LIMITS_H
#define DT_RULES_LIMITS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

enum dt_limit_check { DT_CHECK_COUNT, DT_CHECK_CONTIG, DT_CHECK_SIZE, DT_CHECK_BOUNDARY, DT_CHECK__N };

struct dt_limit_verdict {
	bool broken;
	bool unverified; /* data missing (segments truncated): cannot tell */
	bool soft;       /* broken, but only against the kernel's default limit */
	char why[256];
};

/* Judges mapping m against importer a's limit; own: m is a's own mapping (the kernel's
 * boundary-crossing count was made for a's mask). */
void dt_judge_limit(enum dt_limit_check check, const struct dt_mapping *m, bool own, const struct dt_attachment *a,
		    struct dt_limit_verdict *v);

/* "; mapped by comm[pid] via ..." or "" when the mapping task is not known. */
const char *dt_mapped_by(const char *map_by, char *out, size_t outsz);

#endif

// SPDX-License-Identifier: Apache-2.0
/* The structured part of a JSON finding (finding schema DT_FINDING_SCHEMA, render/findings.h): "schema",
 * for late-attach the first mapper {att, dev, driver, ts, live, pid, comm, stack}, for limit rules the importer's limit
 * {..., from: profile|kernel|kernel-default} and what the mapping showed {nents, max_segment, contiguous,
 * crossings}. Kept apart from the line writer: the members every finding has stay there. */
#ifndef DT_FINDING_FIELDS_H
#define DT_FINDING_FIELDS_H

#include <stddef.h>

#include "common/json_gen.h"
#include "rules/rules.h"

/* Writes the members "schema":2,... into the finding's open JSON object (after its other members). */
void dt_finding_json_extra(struct dt_jline *l, const struct dt_finding *f);
/* The first successful map that fixed a late-attach finding's placement (NULL for other rules). */
const struct dt_first_map *dt_finding_mapper(const struct dt_finding *f);

#endif

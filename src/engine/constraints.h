/* SPDX-License-Identifier: Apache-2.0 */
/* Importer constraints profile (--constraints FILE, docs/constraints.md).
 * The kernel knows max_segment_size and segment_boundary_mask but has no
 * "max segments" or "needs contiguous" field, so users declare them here. */
#ifndef DT_CONSTRAINTS_H
#define DT_CONSTRAINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DT_LIM_MAX_SEGMENTS = 1u << 0,
	DT_LIM_CONTIGUOUS = 1u << 1,
	DT_LIM_MAX_SEG_SIZE = 1u << 2,
	DT_LIM_SEG_BOUNDARY = 1u << 3,
};

/* Limits of one importer, with which ones are set (DT_LIM_*). */
struct dt_limits {
	unsigned set;
	uint64_t max_segments;
	bool contiguous;
	uint64_t max_seg_size;
	uint64_t seg_boundary_mask;
};

struct dt_constraints;

/* Returns NULL and a "file:line: what" message on error. */
struct dt_constraints *dt_constraints_load(const char *path, char *err, size_t errlen);
struct dt_constraints *dt_constraints_parse(const char *name, const char *text, char *err, size_t errlen);
/* Merges the profile's limits for an importer into *out (profile wins).
 * driver may be NULL (no driver bound: driver= lines never match). Returns the set bits applied. */
unsigned dt_constraints_apply(const struct dt_constraints *c, const char *dev, const char *driver,
			      struct dt_limits *out);
/* Whether the profile declares that an exporter (exp_name) always hands out contiguous memory
 * (exporter=GLOB provides=contiguous); *declared tells whether any exporter= line matched. */
bool dt_constraints_exporter_contiguous(const struct dt_constraints *c, const char *exporter, bool *declared);
/* The name it was parsed under (the file) and its text, as given. */
const char *dt_constraints_name(const struct dt_constraints *c);
const char *dt_constraints_text(const struct dt_constraints *c);
void dt_constraints_free(struct dt_constraints *c);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Baselines (docs/baseline-format.md): the findings a project has accepted, keyed
 * on what stays the same from run to run — rule, exporter, importer device and
 * driver, buffer name, buffer size — never inode numbers, times or ids. */
#ifndef DT_BASELINE_H
#define DT_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "rules/rules.h"

struct dt_baseline;

struct dt_baseline *dt_baseline_new(void);
/* Adds a finding's key (counting repeats). Returns 0, or -1 when out of memory. */
int dt_baseline_add(struct dt_baseline *b, const struct dt_finding *f);
/* True if the finding's key is in the baseline with at least its severity (a severity that rose is new). */
bool dt_baseline_has(const struct dt_baseline *b, const struct dt_finding *f);
size_t dt_baseline_size(const struct dt_baseline *b);
/* The constraints profile the baseline's findings were judged with (header "profile_name", "profile"). */
int dt_baseline_set_profile(struct dt_baseline *b, const char *name, const char *text);
/* Its text (NULL: none recorded) and, in *name, its name. */
const char *dt_baseline_profile(const struct dt_baseline *b, const char **name);
/* Writes the header and one line per key, sorted. Returns 0, or -1 on a write error. */
int dt_baseline_write(const struct dt_baseline *b, FILE *out);
/* NULL and a "file:line: what" message on error. */
struct dt_baseline *dt_baseline_load(const char *path, char *err, size_t errlen);
struct dt_baseline *dt_baseline_parse(const char *name, const char *text, size_t len, char *err, size_t errlen);
void dt_baseline_free(struct dt_baseline *b);

#endif

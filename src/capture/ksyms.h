/* SPDX-License-Identifier: Apache-2.0 */
/* /proc/kallsyms symbolizer (vmlinux and modules). */
#ifndef DT_KSYMS_H
#define DT_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dt_ksym {
	uint64_t addr;
	const char *name;
	const char *mod; /* NULL for vmlinux */
};

struct dt_ksyms;

/* Loads the text symbols of path (NULL: /proc/kallsyms). NULL on failure (errno set). */
struct dt_ksyms *dt_ksyms_load(const char *path);
void dt_ksyms_free(struct dt_ksyms *k);
/* Nearest symbol at or below addr, or NULL. */
const struct dt_ksym *dt_ksyms_find(const struct dt_ksyms *k, uint64_t addr);
/* A text symbol named exactly name exists (in vmlinux if vmlinux_only). */
bool dt_ksyms_has(const struct dt_ksyms *k, const char *name, bool vmlinux_only);
/* The vmlinux text symbol for function name: name itself, else a compiler-made clone
 * (name.isra.N, name.constprop.N, name.part.N; first in name order), else NULL. The returned
 * string lives as long as k. */
const char *dt_ksyms_resolve(const struct dt_ksyms *k, const char *name);
/* [start, end) of the vmlinux text symbol name (end: the next symbol's address). */
bool dt_ksyms_range(const struct dt_ksyms *k, const char *name, uint64_t *start, uint64_t *end);
/* Writes "symbol+0xoff [module]" (or "?" when unknown); returns false if unresolved. */
bool dt_ksyms_format(const struct dt_ksyms *k, uint64_t addr, char *buf, size_t len);
/* True when every address is zero (kptr_restrict hides them). */
bool dt_ksyms_hidden(const struct dt_ksyms *k);

#endif

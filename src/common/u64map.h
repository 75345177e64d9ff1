/* SPDX-License-Identifier: Apache-2.0 */
/* Map from 64-bit ids (buffer inodes, attachment ids) to pointers: open addressing,
 * linear probing, backward-shift deletion, so memory tracks live entries only. */
#ifndef DT_U64MAP_H
#define DT_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map_slot {
	uint64_t key;
	void *val; /* NULL = empty */
};

struct u64map {
	struct u64map_slot *slots;
	size_t cap; /* power of two */
	size_t len;
};

void *u64map_get(const struct u64map *m, uint64_t key);
/* val must not be NULL. Returns 0, or -1 when out of memory. Replaces an existing key. */
int u64map_put(struct u64map *m, uint64_t key, void *val);
void *u64map_del(struct u64map *m, uint64_t key);
void u64map_free(struct u64map *m);
/* A malloc'd array of the values (count in *n), for walking while entries are deleted
 * (deletion shifts slots) or for sorting. NULL when out of memory. */
void **u64map_values(const struct u64map *m, size_t *n);
/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].val) ... */

#endif

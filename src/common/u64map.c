/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include "common/u64map.h"

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33; /* murmur3 finalizer: ids are often sequential */
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

void *u64map_get(const struct u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].val)
			return NULL;
		if (m->slots[i].key == key)
			return m->slots[i].val;
	}
}

static int grow(struct u64map *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct u64map_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].val)
			continue;
		size_t j = slot_of(m->slots[i].key, ncap);
		while (ns[j].val)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
	return 0;
}

int u64map_put(struct u64map *m, uint64_t key, void *val)
{
	if ((m->len + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return -1;
	size_t i = slot_of(key, m->cap);
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].val)
		m->len++;
	m->slots[i].key = key;
	m->slots[i].val = val;
	return 0;
}

void *u64map_del(struct u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	size_t mask = m->cap - 1, i = slot_of(key, m->cap);
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & mask;
	void *val = m->slots[i].val;
	if (!val)
		return NULL;
	/* Backward shift: pull later entries of the probe run into the hole. */
	for (size_t j = (i + 1) & mask; m->slots[j].val; j = (j + 1) & mask) {
		size_t home = slot_of(m->slots[j].key, m->cap);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].val = NULL;
	m->len--;
	return val;
}

void **u64map_values(const struct u64map *m, size_t *n)
{
	void **v = malloc((m->len + 1) * sizeof(*v));
	*n = 0;
	for (size_t i = 0; v && i < m->cap; i++)
		if (m->slots[i].val)
			v[(*n)++] = m->slots[i].val;
	return v;
}

void u64map_free(struct u64map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}

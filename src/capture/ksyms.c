/* SPDX-License-Identifier: Apache-2.0 */
/* /proc/kallsyms symbolizer. */
#include "capture/ksyms.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dt_ksyms {
	struct dt_ksym *v; /* sorted by address */
	size_t n, cap;
	struct dt_ksym **byname; /* sorted by name */
	char **pool;
	size_t npool, cappool;
	bool hidden;
};

static int cmp_addr(const void *a, const void *b)
{
	const struct dt_ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* vmlinux before modules, then by name: deterministic */
	if (!x->mod != !y->mod)
		return x->mod ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int cmp_name(const void *a, const void *b)
{
	const struct dt_ksym *x = *(struct dt_ksym *const *)a, *y = *(struct dt_ksym *const *)b;

	return strcmp(x->name, y->name);
}

/* One read of the whole file, hand-parsed: sscanf over ~200k lines takes seconds under TCG. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap), *nb;
	FILE *f = fopen(path, "re");
	size_t r;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n < 65536) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

struct dt_ksyms *dt_ksyms_load(const char *path)
{
	struct dt_ksyms *k;
	bool any_nonzero = false;
	size_t len;
	char *buf, *p, *end;

	buf = slurp(path ? path : "/proc/kallsyms", &len);
	if (!buf)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k) {
		free(buf);
		return NULL;
	}
	/* the buffer itself becomes the string pool: names and modules are cut in place */
	k->pool = malloc(sizeof(*k->pool));
	if (!k->pool)
		goto fail;
	k->pool[0] = buf;
	k->npool = k->cappool = 1;
	end = buf + len;
	for (p = buf; p < end;) {
		char *nl = memchr(p, '\n', end - p), *q, *name, *mod = NULL;
		unsigned long long addr = 0;
		char type;

		if (!nl)
			nl = end;
		*nl = 0;
		q = p;
		p = nl + 1;
		for (; *q && *q != ' '; q++) {
			int c = *q, v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
			addr = addr << 4 | (unsigned)v;
		}
		if (*q != ' ' || !q[1] || q[2] != ' ')
			continue;
		type = q[1];
		if (addr)
			any_nonzero = true;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		name = q + 3;
		for (q = name; *q && *q != ' ' && *q != '\t'; q++)
			;
		if (*q) {
			*q++ = 0;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == '[') {
				char *e = strchr(++q, ']');
				if (e)
					*e = 0;
				mod = q;
			}
		}
		if (k->n == k->cap) {
			size_t nc = k->cap ? k->cap * 2 : 65536;
			struct dt_ksym *nv = realloc(k->v, nc * sizeof(*nv));
			if (!nv)
				goto fail;
			k->v = nv;
			k->cap = nc;
		}
		k->v[k->n].addr = addr;
		k->v[k->n].name = name;
		k->v[k->n].mod = mod;
		k->n++;
	}
	k->hidden = !any_nonzero;
	qsort(k->v, k->n, sizeof(*k->v), cmp_addr);
	k->byname = malloc((k->n ? k->n : 1) * sizeof(*k->byname));
	if (!k->byname)
		goto fail;
	for (size_t i = 0; i < k->n; i++)
		k->byname[i] = &k->v[i];
	qsort(k->byname, k->n, sizeof(*k->byname), cmp_name);
	return k;
fail:
	if (!k->npool)
		free(buf);
	dt_ksyms_free(k);
	errno = ENOMEM;
	return NULL;
}

void dt_ksyms_free(struct dt_ksyms *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->npool; i++)
		free(k->pool[i]);
	free(k->pool);
	free(k->v);
	free(k->byname);
	free(k);
}

const struct dt_ksym *dt_ksyms_find(const struct dt_ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!k || !k->n || k->hidden || addr < k->v[0].addr)
		return NULL;
	hi = k->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->v[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* first of equal addresses (vmlinux first) */
	while (lo > 0 && k->v[lo - 1].addr == k->v[lo].addr)
		lo--;
	return &k->v[lo];
}

bool dt_ksyms_has(const struct dt_ksyms *k, const char *name, bool vmlinux_only)
{
	size_t lo = 0, hi;

	if (!k || !k->n)
		return false;
	hi = k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->byname[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->n && !strcmp(k->byname[lo]->name, name); lo++)
		if (!vmlinux_only || !k->byname[lo]->mod)
			return true;
	return false;
}

const char *dt_ksyms_resolve(const struct dt_ksyms *k, const char *name)
{
	size_t lo = 0, hi, n = strlen(name);

	if (!k || !k->n)
		return NULL;
	if (dt_ksyms_has(k, name, true))
		return name;
	/* "name." sorts right after "name": the first vmlinux one with a compiler suffix */
	hi = k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->byname[mid]->name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->n && !strncmp(k->byname[lo]->name, name, n); lo++) {
		const struct dt_ksym *s = k->byname[lo];
		const char *sfx = s->name + n;

		if (s->mod || *sfx != '.')
			continue;
		if (!strncmp(sfx, ".isra.", 6) || !strncmp(sfx, ".constprop.", 11) || !strncmp(sfx, ".part.", 6))
			return s->name;
	}
	return NULL;
}

bool dt_ksyms_range(const struct dt_ksyms *k, const char *name, uint64_t *start, uint64_t *end)
{
	size_t lo = 0, hi;

	if (!k || !k->n)
		return false;
	hi = k->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(k->byname[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->n && !strcmp(k->byname[lo]->name, name); lo++) {
		const struct dt_ksym *s = k->byname[lo];
		size_t i = (size_t)(s - k->v);

		if (s->mod || !s->addr)
			continue;
		*start = s->addr;
		/* the next higher address ends it (aliases share the start) */
		while (i + 1 < k->n && k->v[i + 1].addr == s->addr)
			i++;
		*end = i + 1 < k->n ? k->v[i + 1].addr : s->addr + 1;
		return true;
	}
	return false;
}

bool dt_ksyms_format(const struct dt_ksyms *k, uint64_t addr, char *buf, size_t len)
{
	const struct dt_ksym *s = dt_ksyms_find(k, addr);

	/* a symbol more than 1 MiB below addr is not a plausible owner */
	if (!s || addr - s->addr > (1u << 20)) {
		snprintf(buf, len, "?"); /* never print a raw kernel address */
		return false;
	}
	if (s->mod)
		snprintf(buf, len, "%s+0x%" PRIx64 " [%s]", s->name, addr - s->addr, s->mod);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, s->name, addr - s->addr);
	return true;
}

bool dt_ksyms_hidden(const struct dt_ksyms *k)
{
	return !k || k->hidden;
}

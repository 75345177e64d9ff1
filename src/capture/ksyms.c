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

static char *pool_dup(struct dt_ksyms *k, const char *s)
{
	char *d = strdup(s);

	if (!d)
		return NULL;
	if (k->npool == k->cappool) {
		size_t nc = k->cappool ? k->cappool * 2 : 4096;
		char **np = realloc(k->pool, nc * sizeof(*np));
		if (!np) {
			free(d);
			return NULL;
		}
		k->pool = np;
		k->cappool = nc;
	}
	k->pool[k->npool++] = d;
	return d;
}

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

struct dt_ksyms *dt_ksyms_load(const char *path)
{
	struct dt_ksyms *k;
	char line[512], name[256], mod[128], type;
	const char *lastmod = NULL;
	unsigned long long addr;
	bool any_nonzero = false;
	FILE *f;

	f = fopen(path ? path : "/proc/kallsyms", "re");
	if (!f)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		goto fail;
	while (fgets(line, sizeof(line), f)) {
		int n;

		mod[0] = 0;
		n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type, name, mod);
		if (n < 3)
			continue;
		if (addr)
			any_nonzero = true;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (k->n == k->cap) {
			size_t nc = k->cap ? k->cap * 2 : 65536;
			struct dt_ksym *nv = realloc(k->v, nc * sizeof(*nv));
			if (!nv)
				goto fail;
			k->v = nv;
			k->cap = nc;
		}
		k->v[k->n].addr = addr;
		k->v[k->n].name = pool_dup(k, name);
		if (!k->v[k->n].name)
			goto fail;
		if (n == 4 && mod[0]) {
			if (!lastmod || strcmp(lastmod, mod))
				lastmod = pool_dup(k, mod);
			if (!lastmod)
				goto fail;
			k->v[k->n].mod = lastmod;
		} else {
			k->v[k->n].mod = NULL;
		}
		k->n++;
	}
	fclose(f);
	f = NULL;
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
	if (f)
		fclose(f);
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

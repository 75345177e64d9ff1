/* SPDX-License-Identifier: Apache-2.0 */
/* Baseline files: JSON Lines, a header then one object per accepted finding key. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "render/baseline.h"
#include "common/read_file.h"
#include "common/escape.h"
#include "common/u64map.h"

#define BASELINE_FORMAT "dmabuf-trace-baseline"
#define BASELINE_VERSION 1

enum { F_EXPORTER, F_DEV, F_DRIVER, F_NAME, F__N };
static const char *const field_names[F__N] = {"exporter", "dev", "driver", "name"};

struct entry {
	char *rule;
	char *f[F__N]; /* sanitized UTF-8, NULL when absent */
	bool has_size;
	uint64_t size;
	uint64_t count;
	int severity;  /* highest accepted (enum dt_severity); -1: any (a baseline written before severities) */
	char *example; /* one message, for people reading the file */
	uint64_t hash;
	size_t next;   /* chain of equal hashes: index + 1, 0 ends */
};

struct dt_baseline {
	struct entry *e;
	size_t n, cap;
	char *profile_name, *profile; /* the constraints profile its findings were judged with */
	struct u64map index; /* hash -> first entry index + 1 */
};

struct key {
	const char *rule;
	char f[F__N][DT_STR_MAX * 4 + 8];
	bool set[F__N];
	bool has_size;
	uint64_t size;
};

static void key_from_finding(struct key *k, const struct dt_finding *f)
{
	memset(k->set, 0, sizeof(k->set));
	k->rule = dt_rule_info[f->rule].id;
	const char *src[F__N] = {
		f->buf ? f->buf->exporter : NULL,
		f->att ? f->att->dev : NULL,
		f->att ? f->att->driver : NULL,
		f->buf ? f->buf->name : NULL,
	};
	for (int i = 0; i < F__N; i++) {
		if (!src[i])
			continue;
		dt_sanitize_utf8(k->f[i], sizeof(k->f[i]), src[i], strlen(src[i]));
		k->set[i] = true;
	}
	k->has_size = f->buf && !f->buf->provisional;
	k->size = k->has_size ? f->buf->size : 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t hash_parts(const char *rule, const char *const f[F__N], bool has_size, uint64_t size)
{
	uint64_t h = fnv(0xcbf29ce484222325ull, rule, strlen(rule) + 1);
	for (int i = 0; i < F__N; i++) {
		unsigned char tag = f[i] ? 1 : 0;
		h = fnv(h, &tag, 1);
		if (f[i])
			h = fnv(h, f[i], strlen(f[i]) + 1);
	}
	h = fnv(h, &has_size, 1);
	h = fnv(h, &size, sizeof(size));
	return h ? h : 1;
}

static bool streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static size_t find(const struct dt_baseline *b, const char *rule, const char *const f[F__N], bool has_size,
		   uint64_t size, uint64_t h)
{
	void *v = u64map_get(&b->index, h);
	for (size_t i = v ? (size_t)(uintptr_t)v : 0; i; i = b->e[i - 1].next) {
		const struct entry *e = &b->e[i - 1];
		if (strcmp(e->rule, rule) != 0 || e->has_size != has_size || e->size != size)
			continue;
		bool same = true;
		for (int j = 0; j < F__N && same; j++)
			same = streq_null(e->f[j], f[j]);
		if (same)
			return i - 1;
	}
	return (size_t)-1;
}

struct dt_baseline *dt_baseline_new(void)
{
	return calloc(1, sizeof(struct dt_baseline));
}

size_t dt_baseline_size(const struct dt_baseline *b)
{
	return b->n;
}

/* Adds or counts; takes nothing over from the caller. */
static int add_parts(struct dt_baseline *b, const char *rule, const char *const f[F__N], bool has_size,
		     uint64_t size, uint64_t count, int severity, const char *example)
{
	uint64_t h = hash_parts(rule, f, has_size, size);
	size_t i = find(b, rule, f, has_size, size, h);
	if (i != (size_t)-1) {
		b->e[i].count += count;
		if (b->e[i].severity >= 0 && (severity < 0 || severity > b->e[i].severity))
			b->e[i].severity = severity;
		return 0;
	}
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		struct entry *ne = realloc(b->e, ncap * sizeof(*ne));
		if (!ne)
			return -1;
		b->e = ne;
		b->cap = ncap;
	}
	struct entry *e = &b->e[b->n];
	memset(e, 0, sizeof(*e));
	e->rule = strdup(rule);
	bool ok = e->rule != NULL;
	for (int j = 0; j < F__N; j++)
		if (f[j] && !(e->f[j] = strdup(f[j])))
			ok = false;
	if (example && !(e->example = strdup(example)))
		ok = false;
	e->has_size = has_size;
	e->size = size;
	e->count = count;
	e->severity = severity;
	e->hash = h;
	void *head = u64map_get(&b->index, h);
	e->next = head ? (size_t)(uintptr_t)head : 0;
	if (!ok || u64map_put(&b->index, h, (void *)(uintptr_t)(b->n + 1)) < 0) {
		free(e->rule);
		for (int j = 0; j < F__N; j++)
			free(e->f[j]);
		free(e->example);
		return -1;
	}
	b->n++;
	return 0;
}

int dt_baseline_add(struct dt_baseline *b, const struct dt_finding *f)
{
	struct key k;
	key_from_finding(&k, f);
	const char *parts[F__N];
	for (int i = 0; i < F__N; i++)
		parts[i] = k.set[i] ? k.f[i] : NULL;
	char example[2048];
	const char *message = dt_finding_message(f);
	dt_sanitize_utf8(example, sizeof(example), message, strlen(message));
	return add_parts(b, k.rule, parts, k.has_size, k.size, 1, (int)f->sev, example);
}

bool dt_baseline_has(const struct dt_baseline *b, const struct dt_finding *f)
{
	struct key k;
	key_from_finding(&k, f);
	const char *parts[F__N];
	for (int i = 0; i < F__N; i++)
		parts[i] = k.set[i] ? k.f[i] : NULL;
	size_t i = find(b, k.rule, parts, k.has_size, k.size, hash_parts(k.rule, parts, k.has_size, k.size));
	/* A finding whose severity rose since it was accepted is new. */
	return i != (size_t)-1 && (b->e[i].severity < 0 || (int)f->sev <= b->e[i].severity);
}

int dt_baseline_set_profile(struct dt_baseline *b, const char *name, const char *text)
{
	free(b->profile_name);
	free(b->profile);
	b->profile_name = name ? strdup(name) : NULL;
	b->profile = text ? strdup(text) : NULL;
	return (name && !b->profile_name) || (text && !b->profile) ? -1 : 0;
}

const char *dt_baseline_profile(const struct dt_baseline *b, const char **name)
{
	if (name)
		*name = b->profile_name;
	return b->profile;
}

static int cmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int by_key(const void *x, const void *y)
{
	const struct entry *a = *(const struct entry *const *)x, *b = *(const struct entry *const *)y;
	int c = strcmp(a->rule, b->rule);
	for (int i = 0; !c && i < F__N; i++)
		c = cmp_null(a->f[i], b->f[i]);
	if (!c)
		c = (a->has_size > b->has_size) - (a->has_size < b->has_size);
	if (!c)
		c = (a->size > b->size) - (a->size < b->size);
	return c;
}

static void gstr(yajl_gen g, const char *s)
{
	if (s)
		yajl_gen_string(g, (const unsigned char *)s, strlen(s));
	else
		yajl_gen_null(g);
}

static void gu64(yajl_gen g, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	yajl_gen_number(g, num, (size_t)n);
}

static int flush_line(yajl_gen g, FILE *out)
{
	const unsigned char *buf;
	size_t len;
	yajl_gen_get_buf(g, &buf, &len);
	int rc = fwrite(buf, 1, len, out) == len && fputc('\n', out) != EOF ? 0 : -1;
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL);
	return rc;
}

int dt_baseline_write(const struct dt_baseline *b, FILE *out)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const struct entry **sorted = malloc((b->n + 1) * sizeof(*sorted));
	if (!g || !sorted) {
		if (g)
			yajl_gen_free(g);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < b->n; i++)
		sorted[i] = &b->e[i];
	qsort(sorted, b->n, sizeof(*sorted), by_key);
	yajl_gen_map_open(g);
	gstr(g, "format");
	gstr(g, BASELINE_FORMAT);
	gstr(g, "version");
	gu64(g, BASELINE_VERSION);
	gstr(g, "keys");
	yajl_gen_array_open(g);
	gstr(g, "rule");
	for (int j = 0; j < F__N; j++)
		gstr(g, field_names[j]);
	gstr(g, "size");
	yajl_gen_array_close(g);
	if (b->profile) {
		gstr(g, "profile_name");
		gstr(g, b->profile_name);
		gstr(g, "profile");
		char *clean = malloc(4 * strlen(b->profile) + 1);
		if (clean) {
			size_t n = dt_sanitize_utf8(clean, 4 * strlen(b->profile) + 1, b->profile, strlen(b->profile));
			yajl_gen_string(g, (const unsigned char *)clean, n);
			free(clean);
		} else {
			yajl_gen_null(g);
		}
	}
	yajl_gen_map_close(g);
	int rc = flush_line(g, out);
	for (size_t i = 0; i < b->n && rc == 0; i++) {
		const struct entry *e = sorted[i];
		yajl_gen_map_open(g);
		gstr(g, "rule");
		gstr(g, e->rule);
		for (int j = 0; j < F__N; j++) {
			gstr(g, field_names[j]);
			gstr(g, e->f[j]);
		}
		gstr(g, "size");
		if (e->has_size)
			gu64(g, e->size);
		else
			yajl_gen_null(g);
		gstr(g, "count");
		gu64(g, e->count);
		if (e->severity >= 0) {
			gstr(g, "severity");
			gstr(g, dt_severity_name((enum dt_severity)e->severity));
		}
		if (e->example) {
			gstr(g, "example");
			gstr(g, e->example);
		}
		yajl_gen_map_close(g);
		rc = flush_line(g, out);
	}
	yajl_gen_free(g);
	free(sorted);
	return rc;
}

static yajl_val get(yajl_val obj, const char *key)
{
	const char *path[] = {key, NULL};
	return yajl_tree_get(obj, path, yajl_t_any);
}

static bool get_u64(yajl_val v, uint64_t *out)
{
	if (!YAJL_IS_NUMBER(v))
		return false;
	const char *s = YAJL_GET_NUMBER(v);
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

static bool known_rule(const char *s)
{
	for (int r = 0; r < DT_RULE__COUNT; r++)
		if (strcmp(dt_rule_info[r].id, s) == 0)
			return true;
	return false;
}

static int parse_line(struct dt_baseline *b, const char *line, unsigned long lineno, const char *name, char *err,
		      size_t errlen)
{
	char perr[256] = "";
	yajl_val v = yajl_tree_parse(line, perr, sizeof(perr));
	if (!v || !YAJL_IS_OBJECT(v)) {
		char *nl = strchr(perr, '\n');
		if (nl)
			*nl = '\0';
		snprintf(err, errlen, "%s:%lu: not a JSON object%s%s", name, lineno, *perr ? ": " : "", perr);
		yajl_tree_free(v);
		return -1;
	}
	int rc = -1;
	if (lineno == 1) {
		const char *fmt = YAJL_GET_STRING(get(v, "format"));
		uint64_t ver = 0;
		if (!fmt || strcmp(fmt, BASELINE_FORMAT) != 0)
			snprintf(err, errlen, "%s:1: not a dmabuf-trace baseline (header needs \"format\":\"%s\")", name,
				 BASELINE_FORMAT);
		else if (!get_u64(get(v, "version"), &ver) || ver != BASELINE_VERSION)
			snprintf(err, errlen, "%s:1: unsupported baseline version (this reader knows %d)", name,
				 BASELINE_VERSION);
		else
			rc = 0;
		const char *pn = YAJL_GET_STRING(get(v, "profile_name")), *pt = YAJL_GET_STRING(get(v, "profile"));
		if (rc == 0 && pt && dt_baseline_set_profile(b, pn, pt) < 0) {
			snprintf(err, errlen, "%s:1: out of memory", name);
			rc = -1;
		}
		yajl_tree_free(v);
		return rc;
	}
	const char *rule = YAJL_GET_STRING(get(v, "rule"));
	const char *f[F__N];
	uint64_t size = 0, count = 1;
	yajl_val sv = get(v, "size"), cv = get(v, "count");
	if (!rule) {
		snprintf(err, errlen, "%s:%lu: \"rule\" must be a string", name, lineno);
		goto out;
	}
	if (!known_rule(rule)) {
		snprintf(err, errlen, "%s:%lu: unknown rule \"%.60s\"", name, lineno, rule);
		goto out;
	}
	for (int j = 0; j < F__N; j++) {
		yajl_val fv = get(v, field_names[j]);
		if (fv && !YAJL_IS_NULL(fv) && !YAJL_IS_STRING(fv)) {
			snprintf(err, errlen, "%s:%lu: \"%s\" must be a string or null", name, lineno, field_names[j]);
			goto out;
		}
		f[j] = YAJL_GET_STRING(fv);
	}
	if (sv && !YAJL_IS_NULL(sv) && !get_u64(sv, &size)) {
		snprintf(err, errlen, "%s:%lu: \"size\" must be a byte count or null", name, lineno);
		goto out;
	}
	if (cv && !get_u64(cv, &count)) {
		snprintf(err, errlen, "%s:%lu: \"count\" must be a non-negative integer", name, lineno);
		goto out;
	}
	/* Optional (baselines written before it accept any severity). */
	int severity = -1;
	yajl_val sevv = get(v, "severity");
	if (sevv && (!YAJL_IS_STRING(sevv) || (severity = dt_severity_from_name(YAJL_GET_STRING(sevv))) < 0)) {
		snprintf(err, errlen, "%s:%lu: \"severity\" must be info, warning or error", name, lineno);
		goto out;
	}
	if (add_parts(b, rule, f, sv && !YAJL_IS_NULL(sv), size, count, severity,
		      YAJL_GET_STRING(get(v, "example"))) < 0) {
		snprintf(err, errlen, "%s:%lu: out of memory", name, lineno);
		goto out;
	}
	rc = 0;
out:
	yajl_tree_free(v);
	return rc;
}

struct dt_baseline *dt_baseline_parse(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct dt_baseline *b = dt_baseline_new();
	if (!b) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	unsigned long lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (memchr(start, '\0', n)) {
			snprintf(err, errlen, "%s:%lu: NUL byte", name, lineno);
			goto fail;
		}
		char *line = strndup(start, n);
		if (!line) {
			snprintf(err, errlen, "%s: out of memory", name);
			goto fail;
		}
		bool blank = strspn(line, " \t\r") == n;
		int rc = blank && lineno > 1 ? 0 : parse_line(b, line, lineno, name, err, errlen);
		free(line);
		if (rc < 0)
			goto fail;
	}
	if (lineno == 0) {
		snprintf(err, errlen, "%s: empty file, not a dmabuf-trace baseline", name);
		goto fail;
	}
	return b;
fail:
	dt_baseline_free(b);
	return NULL;
}

/* Baselines list accepted findings by stable key: thousands of lines at most. */
#define DT_BASELINE_MAX (64 * 1024 * 1024)

struct dt_baseline *dt_baseline_load(const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = dt_read_file(path, DT_BASELINE_MAX, NULL, &len, err, errlen);
	if (!text)
		return NULL;
	struct dt_baseline *b = dt_baseline_parse(path, text, len, err, errlen);
	free(text);
	return b;
}

void dt_baseline_free(struct dt_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].rule);
		for (int j = 0; j < F__N; j++)
			free(b->e[i].f[j]);
		free(b->e[i].example);
	}
	free(b->e);
	u64map_free(&b->index);
	free(b->profile_name);
	free(b->profile);
	free(b);
}

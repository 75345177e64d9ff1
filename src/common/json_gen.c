/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "common/event.h"
#include "common/json_gen.h"

void dt_json_key(yajl_gen g, const char *k)
{
	yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

void dt_json_strn(yajl_gen g, const char *s, size_t len)
{
	/* Every string we write is at most DT_STR_MAX bytes (or a message): 4x for \xNN, plus slack. */
	char clean[4 * 1024 + 8];
	size_t n = dt_sanitize_utf8(clean, sizeof(clean), s, len);
	yajl_gen_string(g, (const unsigned char *)clean, n);
}

void dt_json_u64v(yajl_gen g, uint64_t v)
{
	/* yajl_gen_integer takes long long: masks like ULONG_MAX must not turn negative. */
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);
	yajl_gen_number(g, num, (size_t)n);
}

void dt_json_str(yajl_gen g, const char *k, const char *v)
{
	dt_json_key(g, k);
	if (v)
		dt_json_strn(g, v, strlen(v));
	else
		yajl_gen_null(g);
}

void dt_json_u64(yajl_gen g, const char *k, uint64_t v)
{
	dt_json_key(g, k);
	dt_json_u64v(g, v);
}

void dt_json_i64(yajl_gen g, const char *k, int64_t v)
{
	dt_json_key(g, k);
	yajl_gen_integer(g, v);
}

void dt_json_bool(yajl_gen g, const char *k, bool v)
{
	dt_json_key(g, k);
	yajl_gen_bool(g, v);
}

void dt_json_null(yajl_gen g, const char *k)
{
	dt_json_key(g, k);
	yajl_gen_null(g);
}

/* ---- dt_jline ---- */
int dt_jline_init(struct dt_jline *l)
{
	memset(l, 0, sizeof(*l));
	l->cap = 16384;
	l->p = malloc(l->cap);
	l->esc = yajl_gen_alloc(NULL);
	if (!l->p || !l->esc) {
		dt_jline_free(l);
		return -1;
	}
	return 0;
}

void dt_jline_free(struct dt_jline *l)
{
	free(l->p);
	if (l->esc)
		yajl_gen_free(l->esc);
	memset(l, 0, sizeof(*l));
}

void dt_jline_reset(struct dt_jline *l)
{
	l->len = 0;
	l->comma = false;
	l->oom = false;
}

static bool jl_room(struct dt_jline *l, size_t n)
{
	if (l->len + n <= l->cap)
		return true;
	size_t cap = l->cap * 2;
	while (cap < l->len + n)
		cap *= 2;
	char *p = realloc(l->p, cap);
	if (!p) {
		l->oom = true;
		return false;
	}
	l->p = p;
	l->cap = cap;
	return true;
}

static void jl_put(struct dt_jline *l, const char *s, size_t n)
{
	if (!jl_room(l, n))
		return;
	memcpy(l->p + l->len, s, n);
	l->len += n;
}

static void jl_sep(struct dt_jline *l)
{
	if (l->comma)
		jl_put(l, ",", 1);
}

void dt_jline_open(struct dt_jline *l, char c)
{
	jl_sep(l);
	jl_put(l, &c, 1);
	l->comma = false;
}

void dt_jline_close(struct dt_jline *l, char c)
{
	jl_put(l, &c, 1);
	l->comma = true;
}

void dt_jline_key(struct dt_jline *l, const char *k)
{
	size_t n = strlen(k); /* keys are ours: plain ASCII */
	jl_sep(l);
	if (!jl_room(l, n + 3))
		return;
	char *p = l->p + l->len;
	*p++ = '"';
	memcpy(p, k, n);
	p[n] = '"';
	p[n + 1] = ':';
	l->len += n + 3;
	l->comma = false;
}

void dt_jline_strn(struct dt_jline *l, const char *s, size_t len)
{
	jl_sep(l);
	l->comma = true;
	size_t i = 0;
	/* dt_json_strn sanitizes into 4 KiB: anything longer takes its path, cut included */
	if (len < 4000) {
		for (; i + 8 <= len && dt_json_plain8(s + i); i += 8)
			;
		for (; i < len; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
				break;
		}
	}
	if (i == len && len < 4000) {
		if (!jl_room(l, len + 2))
			return;
		char *p = l->p + l->len;
		*p++ = '"';
		memcpy(p, s, len);
		p[len] = '"';
		l->len += len + 2;
		return;
	}
	const unsigned char *out;
	size_t n;
	dt_json_strn(l->esc, s, len);
	yajl_gen_get_buf(l->esc, &out, &n);
	jl_put(l, (const char *)out, n);
	yajl_gen_clear(l->esc);
	yajl_gen_reset(l->esc, NULL);
}

void dt_jline_str(struct dt_jline *l, const char *k, const char *v)
{
	dt_jline_key(l, k);
	if (v) {
		dt_jline_strn(l, v, strlen(v));
	} else {
		jl_put(l, "null", 4);
		l->comma = true;
	}
}

static void jl_num(struct dt_jline *l, uint64_t v, bool neg)
{
	char tmp[24], *e = tmp + sizeof(tmp), *p = e;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		*--p = '-';
	jl_put(l, p, (size_t)(e - p));
	l->comma = true;
}

void dt_jline_u64(struct dt_jline *l, const char *k, uint64_t v)
{
	dt_jline_key(l, k);
	jl_num(l, v, false);
}

void dt_jline_i64(struct dt_jline *l, const char *k, int64_t v)
{
	dt_jline_key(l, k);
	jl_num(l, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void dt_jline_bool(struct dt_jline *l, const char *k, bool v)
{
	dt_jline_key(l, k);
	jl_put(l, v ? "true" : "false", v ? 4 : 5);
	l->comma = true;
}

void dt_jline_null(struct dt_jline *l, const char *k)
{
	dt_jline_key(l, k);
	jl_put(l, "null", 4);
	l->comma = true;
}

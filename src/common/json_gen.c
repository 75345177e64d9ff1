/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

void dt_json_put_line(yajl_gen g, FILE *out)
{
	const unsigned char *buf;
	size_t len;
	yajl_gen_get_buf(g, &buf, &len);
	fwrite(buf, 1, len, out);
	fputc('\n', out);
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

bool dt_jline_grow(struct dt_jline *l, size_t n)
{
	if (l->oom)
		return false;
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

/* dt_json_strn sanitizes into 4 KiB: anything longer takes its path, cut included. */
#define JLINE_PLAIN_MAX 4000

/* Not plain printable ASCII (or too long): sanitized and escaped by yajl, as dt_json_strn writes it. */
static void strn_escaped(struct dt_jline *l, const char *s, size_t len)
{
	const unsigned char *out;
	size_t n;
	dt_json_strn(l->esc, s, len);
	yajl_gen_get_buf(l->esc, &out, &n);
	char *p = dt_jline_room(l, n + 1);
	if (p) {
		*p = ',';
		p += l->comma;
		memcpy(p, out, n);
		l->len = (size_t)(p + n - l->p);
	}
	l->comma = true;
	yajl_gen_clear(l->esc);
	yajl_gen_reset(l->esc, NULL);
}

/* Copies len bytes of s to p when none needs escaping; false, with p's bytes meaningless (the caller
 * counts none of them), when one does. 16 bytes at a time (SSE2: every x86-64), the last ones
 * overlapping the previous block instead of a byte loop. */
static bool plain_copy(char *p, const char *s, size_t len)
{
	size_t i = 0;
#ifdef __SSE2__
	if (len >= 16) {
		for (;; i += 16) {
			if (i + 16 > len)
				i = len - 16; /* the last block overlaps: its bytes were fine or are checked again */
			if (dt_plain_bad16(s + i))
				return false;
			_mm_storeu_si128((__m128i *)(p + i), _mm_loadu_si128((const __m128i *)(s + i)));
			if (i + 16 == len)
				return true;
		}
	}
#endif
	for (; i + 8 <= len; i += 8) {
		if (!dt_plain8(s + i))
			return false;
		memcpy(p + i, s + i, 8);
	}
	for (; i < len; i++) {
		if (!dt_plain_byte((unsigned char)s[i]))
			return false;
		p[i] = s[i];
	}
	return true;
}

void dt_jline_strn(struct dt_jline *l, const char *s, size_t len)
{
	if (len >= JLINE_PLAIN_MAX) {
		strn_escaped(l, s, len);
		return;
	}
	char *p = dt_jline_room(l, len + 3); /* ',' '"' the bytes '"' */
	if (!p)
		return;
	*p = ',';
	p += l->comma;
	*p++ = '"';
	if (!plain_copy(p, s, len)) {
		strn_escaped(l, s, len);
		return;
	}
	p[len] = '"';
	l->len = (size_t)(p + len + 1 - l->p);
	l->comma = true;
}

void dt_jline_strz(struct dt_jline *l, const char *s)
{
	if (s)
		dt_jline_strn(l, s, strlen(s));
	else
		dt_jline_nullv(l);
}

/* Decimal digits of v (1..20). */
static unsigned digits(uint64_t v)
{
	unsigned n = 1;
	for (; v >= 10000; v /= 10000)
		n += 4;
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

static const char two_digits[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";

static void jl_num(struct dt_jline *l, uint64_t v, bool neg)
{
	char *p = dt_jline_room(l, 22); /* ',' '-' and 20 digits */
	if (!p)
		return;
	*p = ',';
	p += l->comma;
	if (neg)
		*p++ = '-';
	char *e = p + digits(v);
	l->len = (size_t)(e - l->p);
	/* two digits per division, from the end */
	for (; v >= 100; v /= 100) {
		e -= 2;
		memcpy(e, two_digits + 2 * (v % 100), 2);
	}
	if (v >= 10)
		memcpy(e - 2, two_digits + 2 * v, 2);
	else
		e[-1] = (char)('0' + v);
	l->comma = true;
}

void dt_jline_u64v(struct dt_jline *l, uint64_t v) { jl_num(l, v, false); }

void dt_jline_i64v(struct dt_jline *l, int64_t v)
{
	jl_num(l, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void dt_jline_boolv(struct dt_jline *l, bool v)
{
	if (v)
		dt_jline_sep_put(l, "true", 4);
	else
		dt_jline_sep_put(l, "false", 5);
	l->comma = true;
}

void dt_jline_nullv(struct dt_jline *l)
{
	dt_jline_sep_put(l, "null", 4);
	l->comma = true;
}

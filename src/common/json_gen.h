/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers over yajl_gen shared by every JSON writer (trace writer, findings,
 * state): 64-bit integers written exactly, untrusted strings made valid UTF-8. */
#ifndef DT_JSON_GEN_H
#define DT_JSON_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

void dt_json_key(yajl_gen g, const char *k);
/* A string value: bytes that are not UTF-8 become the text \xNN (dt_sanitize_utf8). */
void dt_json_strn(yajl_gen g, const char *s, size_t len);
void dt_json_u64v(yajl_gen g, uint64_t v);
/* key + value; a NULL string is written as null. */
void dt_json_str(yajl_gen g, const char *k, const char *v);
void dt_json_u64(yajl_gen g, const char *k, uint64_t v);
void dt_json_i64(yajl_gen g, const char *k, int64_t v);
void dt_json_bool(yajl_gen g, const char *k, bool v);
void dt_json_null(yajl_gen g, const char *k);
/* Writes what g holds as one line to out. */
void dt_json_put_line(yajl_gen g, FILE *out);

/* One JSON object written straight into a byte buffer, with exactly the bytes the helpers
 * above would make yajl_gen write (strings: dt_sanitize_utf8, then yajl's escaping), at a
 * fraction of the cost: keys are composed at compile time (`,"key":` is one constant copy),
 * numbers are written in place, plain printable ASCII (nearly every string) is checked and
 * copied 8 bytes at a time, and only other strings go through a yajl_gen of its own.
 * Renderers that write many objects (findings as JSON Lines) use it; out of memory sets oom
 * and keeps the line short. */
struct dt_jline {
	char *p;
	size_t len, cap;
	bool comma; /* a value was written at this level: the next one needs a ',' */
	bool oom;
	yajl_gen esc;
};

int dt_jline_init(struct dt_jline *l);
void dt_jline_free(struct dt_jline *l);
void dt_jline_reset(struct dt_jline *l);
/* Makes room for n more bytes: false (and oom) when out of memory. */
bool dt_jline_grow(struct dt_jline *l, size_t n);

/* Where the next n bytes go, or NULL (out of memory). */
static inline char *dt_jline_room(struct dt_jline *l, size_t n)
{
	if (l->cap - l->len < n && !dt_jline_grow(l, n))
		return NULL;
	return l->p + l->len;
}

/* Writes the n bytes at s, after a ',' when a value precedes them at this level. */
static inline void dt_jline_sep_put(struct dt_jline *l, const char *s, size_t n)
{
	char *p = dt_jline_room(l, n + 1);
	if (!p)
		return;
	*p = ',';
	p += l->comma;
	memcpy(p, s, n); /* n is a constant at every caller: a few moves */
	l->len = (size_t)(p + n - l->p);
}

static inline void dt_jline_open(struct dt_jline *l, char c) /* '{' or '[' */
{
	dt_jline_sep_put(l, &c, 1);
	l->comma = false;
}

static inline void dt_jline_close(struct dt_jline *l, char c) /* '}' or ']' */
{
	char *p = dt_jline_room(l, 1);
	if (p) {
		*p = c;
		l->len++;
	}
	l->comma = true;
}

/* A member's key, k a string literal (keys are ours: plain ASCII): `"k":` is made by the compiler. */
#define dt_jline_key(l, k) dt_jline_keyq(l, "\"" k "\":", sizeof("\"" k "\":") - 1)
static inline void dt_jline_keyq(struct dt_jline *l, const char *quoted, size_t n)
{
	dt_jline_sep_put(l, quoted, n);
	l->comma = false;
}

/* Values (array elements too). */
void dt_jline_strn(struct dt_jline *l, const char *s, size_t len);
void dt_jline_strz(struct dt_jline *l, const char *s); /* NULL: null */
void dt_jline_u64v(struct dt_jline *l, uint64_t v);
void dt_jline_i64v(struct dt_jline *l, int64_t v);
void dt_jline_boolv(struct dt_jline *l, bool v);
void dt_jline_nullv(struct dt_jline *l);

/* key + value, k a string literal. */
#define dt_jline_str(l, k, v) (dt_jline_key(l, k), dt_jline_strz(l, v)) /* NULL: null */
#define dt_jline_u64(l, k, v) (dt_jline_key(l, k), dt_jline_u64v(l, v))
#define dt_jline_i64(l, k, v) (dt_jline_key(l, k), dt_jline_i64v(l, v))
#define dt_jline_bool(l, k, v) (dt_jline_key(l, k), dt_jline_boolv(l, v))
#define dt_jline_null(l, k) (dt_jline_key(l, k), dt_jline_nullv(l))

#endif

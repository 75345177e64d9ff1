/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers over yajl_gen shared by every JSON writer (trace writer, findings,
 * state): 64-bit integers written exactly, untrusted strings made valid UTF-8. */
#ifndef DT_JSON_GEN_H
#define DT_JSON_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* One JSON object written straight into a byte buffer, with exactly the bytes the helpers
 * above would make yajl_gen write (strings: dt_sanitize_utf8, then yajl's escaping), at a
 * fraction of the cost: plain printable ASCII, nearly every string, is copied as is, and
 * only other strings go through a yajl_gen of its own. Renderers that write many objects
 * (findings as JSON Lines) use it; out of memory sets oom and keeps the line short. */
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
void dt_jline_open(struct dt_jline *l, char c);  /* '{' or '[' */
void dt_jline_close(struct dt_jline *l, char c); /* '}' or ']' */
void dt_jline_key(struct dt_jline *l, const char *k);
void dt_jline_strn(struct dt_jline *l, const char *s, size_t len); /* a value (an array element too) */
/* True when none of the 8 bytes at s needs escaping (< 0x20, >= 0x7f, '"', '\\'): the bit tricks of
 * "haszero"/"hasless"/"hasmore" (Sean Anderson's bit hacks), exact as a yes/no for the whole word. Inline:
 * the writers call it for every 8 bytes of every string. */
static inline bool dt_json_plain8(const char *s)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t x;
	memcpy(&x, s, 8);
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	uint64_t bad = ((x - ones * 0x20) & ~x) | ((x + ones * (0x7f - 0x7e)) | x) | ((q - ones) & ~q) |
		       ((b - ones) & ~b);
	return !(bad & highs);
}
void dt_jline_str(struct dt_jline *l, const char *k, const char *v); /* NULL: null */
void dt_jline_u64(struct dt_jline *l, const char *k, uint64_t v);
void dt_jline_i64(struct dt_jline *l, const char *k, int64_t v);
void dt_jline_bool(struct dt_jline *l, const char *k, bool v);
void dt_jline_null(struct dt_jline *l, const char *k);

#endif

/* Small helpers over yajl_gen shared by every JSON writer (trace writer, findings,
 * state): 64-bit integers written exactly, untrusted strings made valid UTF-8. */
#ifndef DT_JSON_GEN_H
#define DT_JSON_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif

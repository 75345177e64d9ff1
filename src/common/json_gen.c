#include <inttypes.h>
#include <stdio.h>
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

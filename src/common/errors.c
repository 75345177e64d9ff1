// SPDX-License-Identifier: Apache-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "common/errors.h"
#include "common/json_gen.h"
#include "common/escape.h"

static const char *voice_command;
static bool voice_json;
static FILE *voice_stream;

void dt_errors_setup(const char *command, bool json)
{
	voice_command = command;
	voice_json = json;
}

void dt_errors_stream(FILE *f)
{
	voice_stream = f;
}

static void say(const char *level, const char *fmt, va_list ap)
{
	FILE *out = voice_stream ? voice_stream : stderr;
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (voice_json) {
		yajl_gen g = yajl_gen_alloc(NULL);
		if (g) {
			/* Messages quote untrusted names already escaped; yajl escapes the rest for JSON. */
			yajl_gen_config(g, yajl_gen_validate_utf8, 0);
			yajl_gen_map_open(g);
			yajl_gen_string(g, (const unsigned char *)"level", 5);
			yajl_gen_string(g, (const unsigned char *)level, strlen(level));
			yajl_gen_string(g, (const unsigned char *)"command", 7);
			if (voice_command)
				yajl_gen_string(g, (const unsigned char *)voice_command, strlen(voice_command));
			else
				yajl_gen_null(g);
			yajl_gen_string(g, (const unsigned char *)"message", 7);
			char clean[sizeof(msg) * 4];
			size_t n = dt_sanitize_utf8(clean, sizeof(clean), msg, strlen(msg));
			yajl_gen_string(g, (const unsigned char *)clean, n);
			yajl_gen_map_close(g);
			dt_json_put_line(g, out);
			yajl_gen_free(g);
			fflush(out);
			return;
		}
	}
	fprintf(out, "dmabuf-trace%s%s: %s%s\n", voice_command ? " " : "", voice_command ? voice_command : "",
		strcmp(level, "warning") == 0 ? "warning: " : "", msg);
	fflush(out);
}

void dt_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("error", fmt, ap);
	va_end(ap);
}

void dt_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("warning", fmt, ap);
	va_end(ap);
}

void dt_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("info", fmt, ap);
	va_end(ap);
}

void dt_warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	dt_warn("%s", msg);
}

#include <stdarg.h>
#include <stdio.h>

#include "common/errors.h"

static void say(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "dmabuf-trace: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void dt_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

void dt_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("warning: ", fmt, ap);
	va_end(ap);
}

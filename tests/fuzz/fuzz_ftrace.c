/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the ftrace text importer (bug reports arrive as saved
 * /sys/kernel/tracing/trace files) feeding the engine, as `check` does on ftrace input. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine/engine.h"
#include "ingest/ftrace.h"

static FILE *sink;

static void on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fputs(msg, sink);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	struct dt_ftrace *t = dt_ftrace_open("fuzz.trace", f, true, on_warn, NULL);
	if (!t) {
		fclose(f);
		return 0;
	}
	struct dt_engine_opts opts = {0};
	struct dt_engine *e = dt_engine_new(&opts);
	if (!e)
		abort();
	const struct dt_event *ev;
	int got;
	while ((got = dt_ftrace_next(t, &ev)) > 0)
		if (dt_engine_feed(e, ev) < 0)
			break;
	if (got == 0)
		dt_engine_finish(e);
	dt_ftrace_summary(t, sink);
	dt_engine_free(e);
	dt_ftrace_close(t);
	return 0;
}

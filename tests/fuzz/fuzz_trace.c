/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: trace reader + timeline engine + rules + every findings renderer.
 * The input is a trace file; it is read with dt_reader_open_mem, every event is fed
 * through dt_checker_feed with a constraints profile that sets every limit, and each
 * finding is rendered as text and JSON (the escaping paths) into /dev/null. The same input is read in
 * lockstep a second time with every line through yajl (no schema fast path) and by the threaded reader
 * (two parse workers reading in turn, a chunk per line, put back in order): any difference in an event, a warning
 * count, the verdict or the error message aborts. Inputs may be zstd (by magic). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/constraints.h"
#include "rules/rules.h"
#include "render/findings.h"
#include "ingest/trace_reader.h"

static struct dt_constraints *profile;
static FILE *sink;
static struct dt_findings_out text_out, json_out;

static void on_finding(void *ctx, const struct dt_finding *f)
{
	(void)ctx;
	dt_findings_out_emit(&text_out, f);
	dt_findings_out_emit(&json_out, f);
	char d[700];
	dt_describe_buffer(d, sizeof(d), f->buf);
	dt_describe_device(d, sizeof(d), f->att);
}

static void on_warn(void *ctx, const char *msg)
{
	if (ctx)
		(*(unsigned long *)ctx)++;
	fputs(msg, sink);
}
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	profile = dt_constraints_parse("fuzz.profile",
				       "device=*      max-segments=4 segment-boundary=0xffff\n"
				       "driver=vivid  contiguous=yes max-segment-size=64K\n"
				       "device=vivid.* max-segments=1\n"
				       "device=?      contiguous=yes\n",
				       err, sizeof(err));
	if (!profile)
		abort();
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	dt_findings_out_init(&text_out, sink, FMT_TEXT, DT_SEV_INFO, true, "fuzz\x1b[31m.jsonl");
	dt_findings_out_init(&json_out, sink, FMT_JSON, DT_SEV_INFO, false, "fuzz.jsonl");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	unsigned long warnings = 0, yajl_warnings = 0;
	struct dt_reader *r = dt_reader_open_mem("fuzz.jsonl", (const char *)data, size, on_warn, &warnings, err,
						 sizeof(err));
	if (!r)
		return 0;
	struct dt_reader *yr = dt_reader_open_mem("fuzz.jsonl", (const char *)data, size, on_warn, &yajl_warnings, err,
						  sizeof(err));
	if (!yr)
		abort();
	dt_reader_set_fast_path(yr, false);
	dt_reader_set_pipeline(yr, 2, 1);
	struct dt_checker_opts opts = {profile, on_finding, NULL, NULL};
	struct dt_checker *c = dt_checker_new(&opts);
	if (!c)
		abort();
	text_out.engine = json_out.engine = dt_checker_engine(c);
	const struct dt_event *ev;
	int got, fed = 0;
	for (;;) {
		const struct dt_event *yev;
		got = dt_reader_next(r, &ev);
		int ygot = dt_reader_next(yr, &yev);
		if (got != ygot || warnings != yajl_warnings || (got > 0 && !dt_event_equal(ev, yev)))
			abort(); /* the fast path and yajl disagree */
		if (got <= 0)
			break;
		if (dt_checker_feed(c, ev) < 0) {
			fed = -1;
			break;
		}
	}
	if (got < 0 && strcmp(dt_reader_error(r), dt_reader_error(yr)) != 0)
		abort();
	if (got == 0 && (dt_reader_truncated(r) != dt_reader_truncated(yr) ||
			 dt_reader_continues(r) != dt_reader_continues(yr)))
		abort();
	dt_reader_close(yr);
	if (got < 0)
		fputs(dt_reader_error(r), sink);
	if (got == 0 && fed == 0)
		dt_checker_finish(c);
	struct dt_run_stats stats = dt_checker_stats(c);
	dt_print_summary(sink, dt_reader_name(r), &stats, dt_reader_truncated(r));
	text_out.engine = json_out.engine = NULL;
	dt_checker_free(c);
	dt_reader_close(r);
	return 0;
}

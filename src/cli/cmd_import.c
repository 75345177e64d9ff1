// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace import --from ftrace FILE: kernel ftrace text -> trace format v1. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "ingest/source.h"
#include "common/output_file.h"
#include "ingest/trace_writer.h"
#include "common/version.h"

static int run_import(struct dt_cli *cli)
{
	const char *in = cli->args[0];
	char err[512];
	struct dt_source *src = dt_source_open(in, DT_SRC_FTRACE, dt_warn_cb, NULL, err, sizeof(err));
	if (!src) {
		dt_err("%s", err);
		return DT_EXIT_INPUT;
	}
	const char *out = cli->output ? cli->output : "-";
	int fd = dt_open_output(out, cli->force);
	if (fd < 0) {
		dt_source_close(src);
		return dt_output_status(fd);
	}
	struct dt_writer *w = dt_writer_new_for_path(fd, out);
	int rc = DT_EXIT_OK, got;
	const struct dt_event *ev;
	bool header = false;
	while ((got = dt_source_next(src, &ev)) > 0) {
		if (!header) { /* the "# kernel:" comment comes before the first event */
			const char *k = dt_source_kernel(src);
			dt_writer_header(w, k ? k : "unknown", NULL, "dmabuf-trace " DT_VERSION_STRING " import ftrace", 0);
			header = true;
		}
		if (dt_writer_event(w, ev) < 0)
			break;
	}
	if (got < 0) {
		dt_err("%s", dt_source_error(src));
		rc = DT_EXIT_INPUT;
	}
	if (!header) {
		const char *k = dt_source_kernel(src);
		dt_writer_header(w, k ? k : "unknown", NULL, "dmabuf-trace " DT_VERSION_STRING " import ftrace", 0);
	}
	if (dt_writer_free(w) < 0) {
		dt_err("%s: write failed", out);
		rc = DT_EXIT_SYSTEM;
	}
	close(fd);
	if (rc != DT_EXIT_OK && strcmp(out, "-") != 0)
		unlink(out); /* nothing usable was converted: leave no trace file that looks like one */
	dt_source_summary(src);
	dt_source_close(src);
	return rc;
}

const struct dt_command dt_import_command = {
	.name = "import",
	.args_doc = "FILE",
	.summary = "Convert kernel ftrace text (a saved /sys/kernel/tracing/trace or `trace-cmd report`) into a trace "
		   "(format v1) for post-mortem checks without BPF ('-' reads stdin).",
	.details = "Understood: the kprobe events of `dmabuf-trace ftrace-recipe`, the dma_buf:* tracepoints (7.0+) "
		   "and dma:dma_map_sg/dma_unmap_sg (6.12+); docs/ftrace.md. Lines it cannot use are counted in one "
		   "summary line on stderr, never fatal. check reads ftrace text directly too.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace import --from ftrace saved.trace -o run.jsonl\n"
		   "  trace-cmd report | dmabuf-trace import --from ftrace - > run.jsonl\n"
		   "  dmabuf-trace check saved.trace",
	.exits = "Exit status: 0 converted, 2 usage or input error (also: the output file exists), 3 the system "
		 "refused (disk full).",
	.flags = DT_CMD_FLAGS(F_FROM, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = 1,
	.run = run_import,
};

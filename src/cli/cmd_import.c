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

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "dmabuf-trace: warning: %s\n", msg);
}

int dt_cmd_import(struct dt_cli *cli)
{
	const char *in = cli->args[0];
	char err[512];
	struct dt_source *src = dt_source_open(in, DT_SRC_FTRACE, print_warning, NULL, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "dmabuf-trace: %s\n", err);
		return DT_EXIT_INPUT;
	}
	const char *out = cli->output ? cli->output : "-";
	int fd = dt_open_output(out, cli->force);
	if (fd < 0) {
		dt_source_close(src);
		return fd == -EEXIST || fd == -ELOOP ? DT_EXIT_INPUT : DT_EXIT_SYSTEM;
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
		fprintf(stderr, "dmabuf-trace: %s\n", dt_source_error(src));
		rc = DT_EXIT_INPUT;
	}
	if (!header) {
		const char *k = dt_source_kernel(src);
		dt_writer_header(w, k ? k : "unknown", NULL, "dmabuf-trace " DT_VERSION_STRING " import ftrace", 0);
	}
	if (dt_writer_free(w) < 0) {
		fprintf(stderr, "dmabuf-trace: %s: write failed\n", out);
		rc = DT_EXIT_SYSTEM;
	}
	close(fd);
	dt_source_summary(src, stderr);
	dt_source_close(src);
	return rc;
}

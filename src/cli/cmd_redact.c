// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace redact IN -o OUT: the same trace without original segment addresses (ingest/redact.h). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/output_file.h"
#include "common/version.h"
#include "ingest/redact.h"
#include "ingest/source.h"
#include "ingest/trace_writer.h"

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	dt_warn("%s", msg);
}

/* The input's header, marked redacted; the profile it was recorded with goes along. */
static void write_header(struct dt_writer *w, const struct dt_source *src)
{
	const struct dt_header *h = dt_source_header(src);
	const char *kernel = dt_source_kernel(src);
	if (h && h->profile && dt_writer_set_profile(w, h->profile_name.set ? h->profile_name.s : NULL, h->profile) < 0)
		dt_warn("out of memory: the redacted trace does not carry the constraints profile");
	if (h && h->ends)
		dt_writer_promise_end(w);
	dt_writer_set_redacted(w);
	dt_writer_header(w, kernel ? kernel : "unknown", h && h->host.set ? h->host.s : NULL,
			 "dmabuf-trace " DT_VERSION_STRING " redact", 0);
}

int dt_cmd_redact(struct dt_cli *cli)
{
	const char *in = cli->args[0];
	char err[512];
	struct dt_source *src = dt_source_open(in, DT_SRC_AUTO, print_warning, NULL, err, sizeof(err));
	if (!src) {
		dt_err("%s", err);
		return DT_EXIT_INPUT;
	}
	struct dt_redactor *red = dt_redactor_new(0);
	const char *out = cli->output ? cli->output : "-";
	int fd = red ? dt_open_output(out, cli->force) : -ENOMEM;
	if (fd < 0) {
		if (!red)
			dt_err("out of memory");
		dt_redactor_free(red);
		dt_source_close(src);
		return dt_output_status(fd);
	}
	struct dt_writer *w = dt_writer_new(fd, out);
	int rc = w ? DT_EXIT_OK : DT_EXIT_SYSTEM, got;
	const struct dt_event *ev = NULL;
	bool header = false;
	unsigned long long last_ts = 0, last_seq = 0, lost = 0;
	/* The header is read with the first event. */
	while (w && (got = dt_source_next(src, &ev)) > 0) {
		if (!header) {
			write_header(w, src);
			header = true;
		}
		const struct dt_event *safe = dt_redact(red, ev);
		if (!safe) {
			dt_err("out of memory");
			rc = DT_EXIT_SYSTEM;
			break;
		}
		if (dt_writer_event(w, safe) < 0)
			break;
		last_ts = ev->ts;
		last_seq = ev->seq;
		if (ev->type == DT_EV_LOST)
			lost += ev->count;
	}
	if (w && got < 0) {
		dt_err("%s", dt_source_error(src));
		rc = DT_EXIT_INPUT;
	}
	if (w && !header)
		write_header(w, src);
	const struct dt_header *h = dt_source_header(src);
	if (w && rc == DT_EXIT_OK && h && h->ends && !dt_source_truncated(src))
		dt_writer_end(w, last_ts, last_seq + 1, lost);
	if (w && dt_writer_free(w) < 0) {
		dt_err("%s: write failed", out);
		rc = DT_EXIT_SYSTEM;
	}
	close(fd);
	dt_redactor_free(red);
	dt_source_close(src);
	return rc;
}

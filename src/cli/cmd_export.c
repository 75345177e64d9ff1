// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace export -o OUT.json TRACE...: the timeline for the Perfetto UI. */
#include "cli/commands.h"
#include "cli/model_command.h"
#include "render/perfetto.h"

static int write_perfetto(const struct dt_model *const *models, size_t n, const struct dt_cli *cli, FILE *out)
{
	return dt_perfetto_write_traces(models, n, out, cli->absolute_time);
}

static int run_export(struct dt_cli *cli)
{
	return dt_model_render_to(cli, cli->output, "perfetto", write_perfetto);
}

const struct dt_command dt_export_command = {
	.name = "export",
	.args_doc = "TRACE...",
	.summary = "Write the trace as Chrome trace-event JSON for the Perfetto UI (ui.perfetto.dev) or chrome://tracing.",
	.details = "Each buffer is a process: a track for the buffer (export to release) and one per importer, with the "
		   "attachment as a slice, its maps nested inside, findings as instant events and a flow from the "
		   "exporter to each importer. Several traces (or a daemon's segment directory) go into one file, each "
		   "trace as its own processes named after it, on one time axis: every trace starting at 0, or with "
		   "--absolute-time at its own boottime (traces of one boot then overlay as they happened); each trace's "
		   "summary and a grand total go to stderr.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace export -o run.perfetto.json run.jsonl\n"
		   "  dmabuf-trace export --format perfetto -o - run.jsonl | jq .\n"
		   "  dmabuf-trace export --absolute-time -o run.perfetto.json run.jsonl   # overlays a system capture\n"
		   "  dmabuf-trace export --absolute-time -o day.json /var/lib/dmabuf-trace   # every segment\n"
		   "  dmabuf-trace export --perfetto run.perfetto.json run.jsonl   # the older spelling\n\n"
		   "Times are microseconds since the trace's first event; with --absolute-time the trace's own boottime "
		   "(CLOCK_BOOTTIME, what ftrace and Perfetto's boot clock show).",
	.exits = DT_EXITS_WRITES,
	.formats = FMT_BIT(FMT_PERFETTO),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_ABSOLUTE_TIME, F_FORMAT, F_OUTPUT, F_FORCE, F_PERFETTO),
	.min_args = 1,
	.max_args = -1,
	.run = run_export,
};

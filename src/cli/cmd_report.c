// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace report -o OUT.html TRACE...: a self-contained page for people. */
#include "cli/commands.h"
#include "render/html.h"
#include "cli/model_command.h"

static int write_html(const struct dt_model *const *models, size_t n, const struct dt_cli *cli, FILE *out)
{
	struct dt_html_opts o = {.group = !cli->no_group, .by_severity = cli->sort == SORT_SEVERITY,
				 .have_max = cli->have_max_findings, .max = cli->max_findings};
	return dt_html_write_traces(models, n, &o, out);
}

static int run_report(struct dt_cli *cli)
{
	return dt_model_render_to(cli, cli->output, "html", write_html);
}

const struct dt_command dt_report_command = {
	.name = "report",
	.args_doc = "TRACE...",
	.summary = "Write a self-contained HTML report: per-buffer swimlanes, findings with their messages, a summary "
		   "per rule.",
	.details = "The file loads nothing from the network and runs no script. Buffers with errors come first. "
		   "Repeats on a buffer (same rule, severity and importer) share one card (\u00d7N, first and last time; "
		   "--no-group: a card each); --sort severity puts a buffer's error cards first (default: trace order); "
		   "--max-findings N shows N cards in all (the summaries count every finding). Several traces (or a "
		   "daemon's segment directory) make one page: a grand total, a line per trace linking to its part; "
		   "each trace's summary and the total go to stderr.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace report -o run.html run.jsonl\n"
		   "  dmabuf-trace report -o run.html --constraints board.profile run.jsonl\n"
		   "  dmabuf-trace report -o both.html --sort severity --max-findings 50 a.jsonl b.jsonl\n"
		   "  dmabuf-trace report --html run.html run.jsonl   # the older spelling",
	.exits = DT_EXITS_WRITES,
	.formats = FMT_BIT(FMT_HTML),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_NO_GROUP, F_SORT, F_MAX_FINDINGS, F_FORMAT, F_OUTPUT,
			      F_FORCE, F_HTML),
	.min_args = 1,
	.max_args = -1,
	.run = run_report,
};

// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace report --html OUT.html TRACE: a self-contained page for people. */
#include "cli/commands.h"
#include "render/html.h"
#include "cli/model_command.h"

static int run_report(struct dt_cli *cli)
{
	return dt_model_render_to(cli, cli->output, "html", dt_html_write);
}

const struct dt_command dt_report_command = {
	.name = "report",
	.args_doc = "TRACE",
	.summary = "Write a self-contained HTML report: per-buffer swimlanes, findings with their messages, a summary "
		   "per rule.",
	.details = "The file loads nothing from the network and runs no script.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace report -o run.html run.jsonl\n"
		   "  dmabuf-trace report -o run.html --constraints board.profile run.jsonl\n"
		   "  dmabuf-trace report --html run.html run.jsonl   # the older spelling",
	.exits = DT_EXITS_WRITES,
	.formats = FMT_BIT(FMT_HTML),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_FORMAT, F_OUTPUT, F_FORCE, F_HTML),
	.min_args = 1,
	.max_args = 1,
	.run = run_report,
};

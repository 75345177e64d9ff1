// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace timeline: each buffer's history, findings inline (render/timeline.c). */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "render/timeline.h"
#include "rules/analyse.h"

static int run_timeline(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;
	int rc = DT_EXIT_OK;
	uint64_t printed = 0, findings_shown = 0, findings_hidden = 0;
	for (int i = 0; i < cli->nargs; i++) {
		struct dt_timeline_opts o = {
			.trace = cli->args[i],
			.constraints = cons,
			.constraints_given = cli->constraints != NULL,
			.min_severity = cli->min_severity,
			.color = cli->use_color,
			.select = &cli->select,
			.format = cli->format,
			.name_trace = cli->nargs > 1,
			.printed = &printed,
			.no_group = cli->no_group,
			.by_severity = cli->sort == SORT_SEVERITY,
			.have_max = cli->have_max_findings,
			.max = cli->max_findings,
			.findings_shown = &findings_shown,
			.findings_hidden = &findings_hidden,
		};
		int r = dt_exit_status(dt_render_timeline(&o, stdout));
		if (r != DT_EXIT_OK && rc == DT_EXIT_OK)
			rc = r;
	}
	dt_constraints_free(cons);
	if (findings_hidden)
		dt_info("%" PRIu64 " more finding line%s not shown (--max-findings %" PRIu64 ")", findings_hidden,
			findings_hidden == 1 ? "" : "s", cli->max_findings);
	if (cli->have_buf && printed == 0 && rc == DT_EXIT_OK) {
		dt_err("buffer %" PRIu64 " does not appear in %s%s", cli->buf, cli->args[0], cli->nargs > 1 ? " or the other traces" : "");
		rc = DT_EXIT_INPUT;
	}
	return rc;
}

const struct dt_command dt_timeline_command = {
	.name = "timeline",
	.args_doc = "TRACE...",
	.summary = "Print each buffer's attach/map history with findings inline.",
	.details = "Examples:\n"
		   "  dmabuf-trace timeline run.jsonl\n"
		   "  dmabuf-trace timeline --buf 1234 run.jsonl\n"
		   "  dmabuf-trace timeline --dev 'vivid*' --since +0.4s --until +1.2s run.jsonl\n"
		   "  dmabuf-trace timeline --format json run.jsonl | jq 'select(.type == \"finding\")'\n\n"
		   "--format json prints one object per event (type, buf, ts, seq, att, dev, driver, comm, pid) and per "
		   "finding (type \"finding\", rule, severity, message), grouped by buffer as the text is; the summary "
		   "goes to stderr.\n\n"
		   "A repeat on the same buffer (same rule, severity and importer) prints as a short \"again\" line "
		   "(\u00d7N so far, the first's time; --no-group: the whole message each time); --sort severity prints "
		   "the buffers with errors first (then warnings, info, none), --max-findings N at most N finding lines "
		   "(trace order; the summary counts all).",
	.exits = "Exit status: 0 printed (findings do not change it), 2 usage or input error (also: --buf names a "
		 "buffer not in the trace), 3 the system refused.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_NO_GROUP, F_SORT, F_MAX_FINDINGS, F_FORMAT, F_COLOR,
			      F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = -1,
	.stdout_output = true,
	.run = run_timeline,
};

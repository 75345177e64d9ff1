// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace state: the live buffers and attachments at one point of a trace (render/state.c). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "render/state.h"
#include "rules/analyse.h"

static int run_state(struct dt_cli *cli)
{
	if (cli->live) {
		if (cli->nargs || cli->at.set) {
			dt_err("state --live reads the machine, not a trace (no TRACE, no --at)");
			return DT_EXIT_INPUT;
		}
		return dt_state_live(cli);
	}
	if (cli->nargs < 1) {
		dt_err("state needs a TRACE (or --live)");
		return DT_EXIT_INPUT;
	}
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;
	struct dt_state_opts o = {.at = cli->at, .format = cli->format, .select = &cli->select, .constraints = cons,
				  .constraints_given = cli->constraints != NULL};
	int rc = DT_EXIT_OK;
	for (int i = 0; i < cli->nargs; i++) {
		int r = dt_exit_status(dt_render_state_opts(cli->args[i], &o, stdout));
		if (r != DT_EXIT_OK && rc == DT_EXIT_OK)
			rc = r;
	}
	dt_constraints_free(cons);
	return rc;
}

const struct dt_command dt_state_command = {
	.name = "state",
	.args_doc = "TRACE... | --live",
	.summary = "Print the live buffers and their attachments (device, driver, mapped or not) at a point of a "
		   "trace: what was attached when it hung.",
	.details = "--at TIME stops before the first event later than TIME: ns of the trace's ts (CLOCK_BOOTTIME), "
		   "or +SECONDS from its first event as the text output prints; an --at before the first or after the "
		   "last event is said on stderr. Without it, the state at the end of the trace. A debugfs "
		   "dma_buf/bufinfo snapshot is read too. --format json prints one object per buffer: buf, exporter, "
		   "size, name, provisional, attachments [{att, dev, driver, mapped, provisional}]. The state is rebuilt from "
		   "every event; --pid, --comm, --since and --until show the buffers and attachments that had an event "
		   "of those tasks in that time (what a process holds: --pid 1234).\n\n"
		   "Examples:\n"
		   "  dmabuf-trace state run.jsonl\n"
		   "  dmabuf-trace state --at 5123456789 --format json run.jsonl\n"
		   "  dmabuf-trace state --at +0.03s --dev 'vivid*' run.jsonl\n"
		   "  dmabuf-trace state --comm camera-app --since +1s run.jsonl\n"
		   "  dmabuf-trace state bug-report.bufinfo",
	.exits = "Exit status: 0 printed, 2 usage or input error, 3 the system refused.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, F_FORMAT, F_AT, F_LIVE, F_SOCKET, F_SEED_BUFINFO, F_OUTPUT, F_FORCE),
	.min_args = 0,
	.max_args = -1,
	.stdout_output = true,
	.run = run_state,
};

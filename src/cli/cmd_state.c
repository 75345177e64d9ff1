// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace state: the live buffers and attachments at one point of a trace (render/state.c). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "render/state.h"

static int run_state(struct dt_cli *cli)
{
	return dt_exit_status(dt_state_print(cli->args[0], cli->at.set, cli->at.ns, cli->format, cli->have_buf, cli->buf, stdout));
}

const struct dt_command dt_state_command = {
	.name = "state",
	.args_doc = "TRACE",
	.summary = "Print the live buffers and their attachments (device, driver, mapped or not) at a point of a "
		   "trace: what was attached when it hung.",
	.details = "--at NS stops before the first event later than NS (the trace's ts, CLOCK_BOOTTIME); without it, "
		   "the state at the end of the trace. --format json prints one object per buffer: buf, exporter, "
		   "size, name, provisional, attachments [{att, dev, driver, mapped, provisional}].\n\n"
		   "Examples:\n"
		   "  dmabuf-trace state run.jsonl\n"
		   "  dmabuf-trace state --at 5123456789 --format json run.jsonl",
	.exits = "Exit status: 0 printed, 2 usage or input error, 3 the system refused.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(F_FORMAT, F_BUF, F_AT, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = 1,
	.stdout_output = true,
	.run = run_state,
};

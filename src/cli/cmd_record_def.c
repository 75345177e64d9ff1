// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace record: the command's help and flags, in every build; its body is cmd_record.c (BPF capture)
 * or cmd_record_unavailable.c (an analysis-only build). */
#include "cli/cli.h"
#include "cli/commands.h"

const struct dt_command dt_record_command = {
	.name = "record",
	.args_doc = "[-- COMMAND [ARG...]]",
	.summary = "Trace dma-buf activity live with BPF (root): print findings as they happen and write the trace. "
		   "With a COMMAND, trace until it exits.",
	.details = "Examples:\n"
		   "  dmabuf-trace record -o run.jsonl                 # until Ctrl-C\n"
		   "  dmabuf-trace record -o run.jsonl --duration 10\n"
		   "  dmabuf-trace record -o run.jsonl --constraints board.profile -- ./camera-test\n"
		   "  dmabuf-trace record --format json --quiet -o run.jsonl -p 1234\n\n"
		   "A first Ctrl-C (or SIGTERM) drains the ring buffer and prints a summary; a second exits at once. "
		   "Lost kernel events are counted in the trace and the summary.",
	.exits = "Exit status: 0 no error finding, 1 an error-severity finding, 2 usage or input error (also: the "
		 "output file exists), 3 the system refused (privileges, BPF, disk full).",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_FORMAT, F_COLOR, F_OUTPUT, F_FORCE, F_DURATION,
			      F_QUIET, F_ALL, F_RING, F_MAX_SEGS, F_ATTACH_MODE, F_REORDER_WINDOW, F_MAX_WALK, F_NO_STACKS,
			      F_STACK_DEPTH,
			      F_LIST_HOOKS, F_REDACT, F_SEED_BUFINFO),
	.min_args = 0,
	.max_args = -1,
	.run = dt_run_record,
};

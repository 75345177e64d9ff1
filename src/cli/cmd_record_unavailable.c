// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace record in a build without the BPF capture (no clang/bpftool at build time). */
#include "cli/cli.h"
#include "cli/commands.h"

int dt_run_record(struct dt_cli *cli)
{
	(void)cli;
	dt_err("this dmabuf-trace was built without BPF capture (no clang/bpftool at build time); "
	       "run 'make deps && make' to build it, or use 'dmabuf-trace ftrace-recipe'");
	return DT_EXIT_SYSTEM;
}

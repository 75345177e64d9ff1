// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace advise TRACE: which device should export or dictate each buffer's allocation. */
#include <stdio.h>

#include "render/advise.h"
#include "rules/analyse.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/model_command.h"

static int run_advise(struct dt_cli *cli)
{
	struct dt_model m;
	int rc = dt_model_load_cli(&m, cli);
	unsigned long long count[DT_VERDICT_BROKEN + 1] = {0};
	for (size_t bi = 0; rc == DT_EXIT_OK && bi < m.nbufs; bi++) {
		struct dt_advice adv;
		if (dt_advise_buffer(&m, bi, &adv) < 0) {
			dt_err("out of memory");
			rc = DT_EXIT_SYSTEM;
			break;
		}
		dt_advise_print(stdout, &m, bi, &adv);
		count[adv.overall]++;
		dt_advice_free(&adv);
	}
	if (rc == DT_EXIT_OK) {
		printf("%zu buffer%s: %llu satisfied every importer, %llu did not, %llu refused, %llu broke only a kernel "
		       "default, %llu cannot tell, %llu never mapped\n", m.nbufs, m.nbufs == 1 ? "" : "s",
		       count[DT_VERDICT_SATISFIED], count[DT_VERDICT_BROKEN], count[DT_VERDICT_REFUSED], count[DT_VERDICT_SOFT],
		       count[DT_VERDICT_UNKNOWN], count[DT_VERDICT_NOT_MAPPED]);
		if (count[DT_VERDICT_BROKEN])
			rc = DT_EXIT_FINDINGS;
	}
	dt_model_free(&m);
	return rc;
}

const struct dt_command dt_advise_command = {
	.name = "advise",
	.args_doc = "TRACE",
	.summary = "For each buffer: the importers seen, the intersection of their limits, the most restrictive "
		   "importer and whether the recorded backing satisfied everyone.",
	.details = "The most restrictive importer is the device that should export or dictate the allocation.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace advise run.jsonl\n"
		   "  dmabuf-trace advise --constraints board.profile run.jsonl",
	.exits = "Exit status: 0 every importer was satisfied, 1 a recorded mapping broke an importer's limits, "
		 "2 usage or input error, 3 the system refused.",
	.formats = FMT_BIT(FMT_TEXT),
	.flags = DT_CMD_FLAGS(F_CONSTRAINTS, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = 1,
	.stdout_output = true,
	.run = run_advise,
};

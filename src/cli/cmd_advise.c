// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace advise TRACE: which device should export or dictate each buffer's allocation. */
#include <stdio.h>

#include "render/advise.h"
#include "rules/analyse.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/model_command.h"

static int advise_one(struct dt_cli *cli, const char *path, bool *broken)
{
	struct dt_model m;
	int rc = dt_model_load_cli(&m, cli, path);
	unsigned long long count[DT_VERDICT_BROKEN + 1] = {0};
	for (size_t bi = 0; rc == DT_EXIT_OK && bi < m.nbufs; bi++) {
		struct dt_advice adv;
		if (dt_advise_buffer(&m, bi, &adv) < 0) {
			dt_err("out of memory");
			rc = DT_EXIT_SYSTEM;
			break;
		}
		if (cli->format == FMT_JSON) {
			if (dt_advise_json(stdout, &m, bi, &adv) < 0)
				rc = DT_EXIT_SYSTEM;
		} else {
			dt_advise_print(stdout, &m, bi, &adv);
		}
		count[adv.overall]++;
		dt_advice_free(&adv);
	}
	if (rc == DT_EXIT_OK) {
		/* Machine format: stdout holds only the buffers' objects, the tally goes to stderr. */
		FILE *tally = cli->format == FMT_JSON ? stderr : stdout;
		char name[600] = "";
		if (cli->nargs > 1)
			snprintf(name, sizeof(name), "%s: ", path);
		fprintf(tally, "%s%zu buffer%s: %llu satisfied every importer, %llu did not, %llu refused, %llu broke only a "
			"kernel default, %llu cannot tell, %llu never mapped\n", name, m.nbufs, m.nbufs == 1 ? "" : "s",
			count[DT_VERDICT_SATISFIED], count[DT_VERDICT_BROKEN], count[DT_VERDICT_REFUSED],
			count[DT_VERDICT_SOFT], count[DT_VERDICT_UNKNOWN], count[DT_VERDICT_NOT_MAPPED]);
		*broken |= count[DT_VERDICT_BROKEN] > 0;
	}
	dt_model_free(&m);
	return rc;
}

static int run_advise(struct dt_cli *cli)
{
	int rc = DT_EXIT_OK;
	bool broken = false;
	for (int i = 0; i < cli->nargs; i++) {
		int r = advise_one(cli, cli->args[i], &broken);
		if (r != DT_EXIT_OK && rc == DT_EXIT_OK)
			rc = r;
	}
	if (rc != DT_EXIT_OK)
		return rc;
	return broken ? DT_EXIT_FINDINGS : DT_EXIT_OK;
}

const struct dt_command dt_advise_command = {
	.name = "advise",
	.args_doc = "TRACE...",
	.summary = "For each buffer: the importers seen, the intersection of their limits, the most restrictive "
		   "importer and whether the recorded backing satisfied everyone.",
	.details = "The most restrictive importer is the device that should export or dictate the allocation.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace advise run.jsonl\n"
		   "  dmabuf-trace advise --constraints board.profile run.jsonl\n"
		   "  dmabuf-trace advise --format json bug-report.bufinfo   # a dma_buf/bufinfo snapshot works too",
	.exits = "Exit status: 0 every importer was satisfied, 1 a recorded mapping broke an importer's limits, "
		 "2 usage or input error, 3 the system refused.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, F_FORMAT, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = -1,
	.stdout_output = true,
	.run = run_advise,
};

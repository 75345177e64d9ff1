// SPDX-License-Identifier: Apache-2.0
#include "cli/commands.h"
#include "rules/analyse.h"
#include "cli/model_command.h"
#include "common/output_stream.h"
#include "render/findings.h"
#include "render/summary.h"

#include <stdlib.h>

int dt_model_load_cli(struct dt_model *m, const struct dt_cli *cli, const char *path)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK) {
		dt_model_init(m, path); /* callers free the model whatever the outcome */
		return DT_EXIT_INPUT;
	}
	int rc = dt_exit_status(dt_model_load_full(m, path, cons, cli->constraints != NULL, cli->min_severity,
						   cli->cmd == &dt_advise_command, &cli->select));
	dt_constraints_free(cons);
	return rc;
}

int dt_model_render_to(const struct dt_cli *cli, const char *path, const char *flag, dt_models_writer write)
{
	if (!path) {
		dt_err("say where to write: -o OUT ('-' for stdout; --%s OUT works too)", flag);
		return DT_EXIT_INPUT;
	}
	/* Every trace is loaded before the output is opened: a trace it cannot read leaves no half file. */
	struct dt_model *models = calloc((size_t)cli->nargs, sizeof(*models));
	const struct dt_model **views = calloc((size_t)cli->nargs, sizeof(*views));
	if (!models || !views) {
		free(models);
		free(views);
		dt_err("out of memory");
		return DT_EXIT_SYSTEM;
	}
	int rc = DT_EXIT_OK, nloaded = 0;
	for (int i = 0; i < cli->nargs && rc == DT_EXIT_OK; i++, nloaded++) {
		rc = dt_model_load_cli(&models[i], cli, cli->args[i]);
		views[i] = &models[i];
	}
	enum dt_status st = DT_OK;
	FILE *out = rc == DT_EXIT_OK ? dt_output_fopen(path, cli->force, &st) : NULL;
	if (rc == DT_EXIT_OK && !out)
		rc = dt_exit_status(st);
	if (out) {
		int wr = write(views, (size_t)cli->nargs, cli, out);
		rc = dt_exit_status(dt_output_fclose(out, path));
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	if (rc == DT_EXIT_OK && cli->nargs > 1) {
		/* what went in, on stderr as check prints it: each trace and a grand total */
		struct dt_run_stats total = {0};
		for (int i = 0; i < cli->nargs; i++) {
			dt_print_summary(stderr, cli->args[i], &models[i].stats, models[i].truncated);
			dt_run_stats_add(&total, &models[i].stats);
		}
		char name[64];
		snprintf(name, sizeof(name), "total of %d traces", cli->nargs);
		dt_print_summary(stderr, name, &total, 0);
	}
	for (int i = 0; i < nloaded; i++)
		dt_model_free(&models[i]);
	free(models);
	free(views);
	return rc;
}

// SPDX-License-Identifier: Apache-2.0
#include "cli/commands.h"
#include "rules/analyse.h"
#include "cli/model_command.h"
#include "common/output_stream.h"

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

int dt_model_render_to(const struct dt_cli *cli, const char *path, const char *flag, dt_model_writer write)
{
	if (!path) {
		dt_err("say where to write: -o OUT ('-' for stdout; --%s OUT works too)", flag);
		return DT_EXIT_INPUT;
	}
	struct dt_model m;
	int rc = dt_model_load_cli(&m, cli, cli->args[0]);
	enum dt_status st = DT_OK;
	FILE *out = rc == DT_EXIT_OK ? dt_output_fopen(path, cli->force, &st) : NULL;
	if (rc == DT_EXIT_OK && !out)
		rc = dt_exit_status(st);
	if (out) {
		int wr = write(&m, out);
		rc = dt_exit_status(dt_output_fclose(out, path));
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	dt_model_free(&m);
	return rc;
}

#include "rules/analyse.h"
#include "cli/model_command.h"
#include "common/output_stream.h"

int dt_model_load_cli(struct dt_model *m, const struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0) {
		dt_model_init(m, cli->args[0]); /* callers free the model whatever the outcome */
		return DT_EXIT_INPUT;
	}
	int rc = dt_model_load_constrained(m, cli->args[0], cons, cli->constraints != NULL, DT_SEV_INFO);
	dt_constraints_free(cons);
	return rc;
}

int dt_model_render_to(const struct dt_cli *cli, const char *path, const char *flag, dt_model_writer write)
{
	if (!path) {
		fprintf(stderr, "dmabuf-trace %s: say where to write: --%s OUT ('-' for stdout)\n", cli->command, flag);
		return DT_EXIT_INPUT;
	}
	struct dt_model m;
	int rc = dt_model_load_cli(&m, cli);
	FILE *out = rc == DT_EXIT_OK ? dt_output_fopen(path, cli->force, &rc) : NULL;
	if (out) {
		int wr = write(&m, out);
		rc = dt_output_fclose(out, path);
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	dt_model_free(&m);
	return rc;
}

/* dmabuf-trace export --perfetto OUT.json TRACE: the timeline for the Perfetto UI. */
#include <stdio.h>

#include "analyse.h"
#include "cli.h"
#include "commands.h"
#include "model.h"
#include "output_stream.h"
#include "perfetto.h"

int dt_cmd_export(struct dt_cli *cli)
{
	if (!cli->perfetto) {
		fprintf(stderr, "dmabuf-trace export: say where to write: --perfetto OUT.json ('-' for stdout)\n");
		return DT_EXIT_INPUT;
	}
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	struct dt_model m;
	int rc = dt_model_load(&m, cli->args[0], cons, DT_SEV_INFO);
	dt_constraints_free(cons);
	FILE *out = rc == DT_EXIT_OK ? dt_output_fopen(cli->perfetto, cli->force, &rc) : NULL;
	if (out) {
		int wr = dt_perfetto_write(&m, out);
		rc = dt_output_fclose(out, cli->perfetto);
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	dt_model_free(&m);
	return rc;
}

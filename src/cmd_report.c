/* dmabuf-trace report --html OUT.html TRACE: a self-contained page for people. */
#include <stdio.h>

#include "analyse.h"
#include "cli.h"
#include "commands.h"
#include "html_report.h"
#include "model.h"
#include "output_stream.h"

int dt_cmd_report(struct dt_cli *cli)
{
	if (!cli->html) {
		fprintf(stderr, "dmabuf-trace report: say where to write: --html OUT.html ('-' for stdout)\n");
		return DT_EXIT_INPUT;
	}
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	struct dt_model m;
	int rc = dt_model_load(&m, cli->args[0], cons, DT_SEV_INFO);
	dt_constraints_free(cons);
	FILE *out = rc == DT_EXIT_OK ? dt_output_fopen(cli->html, cli->force, &rc) : NULL;
	if (out) {
		int wr = dt_html_write(&m, out);
		rc = dt_output_fclose(out, cli->html);
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	dt_model_free(&m);
	return rc;
}

/* dmabuf-trace state: the live buffers and attachments at a point of a trace (render/state.c). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "render/state.h"
#include "rules/analyse.h"

int dt_cmd_state(struct dt_cli *cli)
{
	if (cli->format == FMT_JUNIT) {
		fprintf(stderr, "dmabuf-trace state: --format must be text or json\n");
		return DT_EXIT_INPUT;
	}
	if (cli->live) {
		if (cli->nargs || cli->have_at) {
			dt_err("state --live reads the machine, not a trace (no TRACE, no --at)");
			return DT_EXIT_INPUT;
		}
		return dt_state_live(cli);
	}
	if (cli->nargs != 1) {
		dt_err("state needs a TRACE (or --live)");
		return DT_EXIT_INPUT;
	}
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	int rc = dt_render_state_constrained(cli->args[0], cons, cli->constraints != NULL, cli->have_at, cli->at,
					     cli->format, cli->have_buf, cli->buf, stdout);
	dt_constraints_free(cons);
	return rc;
}

/* dmabuf-trace timeline: each buffer's history, findings inline (render/timeline.c). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "render/findings.h"
#include "render/timeline.h"
#include "rules/analyse.h"

int dt_cmd_timeline(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	struct dt_timeline_opts o = {
		.trace = cli->args[0],
		.constraints = cons,
		.constraints_given = cli->constraints != NULL,
		.min_severity = cli->min_severity,
		.color = dt_use_color(cli->color, stdout),
		.have_buf = cli->have_buf,
		.buf = cli->buf,
	};
	int rc = dt_render_timeline(&o, stdout);
	dt_constraints_free(cons);
	return rc;
}

/* dmabuf-trace check: findings for CI and people; exit 1 on an error finding. */
#include <stdio.h>

#include "analyse.h"
#include "cli.h"
#include "commands.h"
#include "findings_out.h"

static void set_engine(void *ctx, struct dt_engine *e)
{
	((struct dt_findings_out *)ctx)->engine = e;
}


int dt_cmd_check(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	int rc = DT_EXIT_OK;
	bool errors = false;
	/* Machine formats keep stdout clean: the summary goes to stderr. */
	FILE *summary = cli->format == FMT_TEXT ? stdout : stderr;
	for (int i = 0; i < cli->nargs; i++) {
		struct dt_findings_out out;
		dt_findings_out_init(&out, stdout, cli->format, cli->min_severity, dt_use_color(cli->color, stdout),
				     cli->args[i]);
		struct dt_analysis a = {
			.path = cli->args[i],
			.constraints = cons,
			.on_finding = dt_findings_out_emit,
			.ctx = &out,
			.on_start = set_engine,
		};
		int r = dt_analyse(&a);
		dt_findings_out_fini(&out);
		if (r != DT_EXIT_OK) {
			rc = r;
			continue;
		}
		dt_print_summary(summary, cli->args[i], &a.stats, a.truncated);
		errors |= a.stats.by_severity[DT_SEV_ERROR] > 0;
	}
	dt_constraints_free(cons);
	if (rc != DT_EXIT_OK)
		return rc;
	return errors ? DT_EXIT_FINDINGS : DT_EXIT_OK;
}

// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace baseline: the findings of known-good runs, written as a baseline
 * (docs/baseline-format.md) that check --baseline subtracts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/analyse.h"
#include "render/baseline.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/output_stream.h"

struct collect {
	struct dt_baseline *b;
	const struct dt_select *select;
	const struct dt_engine *engine;
	enum dt_severity min;
	bool oom;
	unsigned long long findings;
};

static void add_finding(void *ctx, const struct dt_finding *f)
{
	struct collect *c = ctx;
	if (f->sev < c->min || !dt_select_finding(c->select, f, dt_engine_stats(c->engine)->first_ts))
		return;
	c->findings++;
	if (dt_baseline_add(c->b, f) < 0)
		c->oom = true;
}

static void set_engine(void *ctx, const struct dt_engine *e)
{
	((struct collect *)ctx)->engine = e;
}

static int run_baseline(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;
	struct collect c = {.b = dt_baseline_new(), .select = &cli->select, .min = cli->min_severity};
	int rc = c.b ? DT_EXIT_OK : DT_EXIT_SYSTEM;
	for (int i = 0; i < cli->nargs && rc == DT_EXIT_OK; i++) {
		struct dt_analysis a = {.path = cli->args[i], .constraints = cons,
					.constraints_given = cli->constraints != NULL, .keep_profile = true,
					.on_finding = add_finding, .ctx = &c, .on_start = set_engine};
		rc = dt_exit_status(dt_analyse(&a));
		/* The baseline keeps the profile its severities come from (the first trace's). */
		const char *kept_name, *kept = dt_baseline_profile(c.b, &kept_name);
		if (rc == DT_EXIT_OK && i == 0 && a.used_profile_text &&
		    dt_baseline_set_profile(c.b, a.used_profile_name, a.used_profile_text) < 0)
			c.oom = true;
		else if (rc == DT_EXIT_OK && i > 0 && !(kept ? a.used_profile_text && !strcmp(kept, a.used_profile_text)
							 : !a.used_profile_text))
			dt_warn("%s was judged with another constraints profile (%s) than the first trace (%s)", cli->args[i],
				a.used_profile_name ? a.used_profile_name : "none", kept ? kept_name : "none");
		free(a.used_profile_name);
		free(a.used_profile_text);
		if (rc == DT_EXIT_OK && c.oom) {
			dt_err("out of memory");
			rc = DT_EXIT_SYSTEM;
		}
	}
	dt_constraints_free(cons);
	if (rc != DT_EXIT_OK) { /* never write a partial baseline */
		dt_baseline_free(c.b);
		return rc;
	}
	const char *path = cli->output ? cli->output : "-";
	enum dt_status st = DT_OK;
	FILE *out = dt_output_fopen(path, cli->force, &st);
	rc = dt_exit_status(st);
	if (out) {
		int wr = dt_baseline_write(c.b, out);
		rc = dt_exit_status(dt_output_fclose(out, path));
		if (wr < 0)
			rc = DT_EXIT_SYSTEM;
	}
	if (rc == DT_EXIT_OK)
		dt_info("baseline of %zu finding key%s (%llu finding%s) written to %s",
			dt_baseline_size(c.b), dt_baseline_size(c.b) == 1 ? "" : "s", c.findings, c.findings == 1 ? "" : "s",
			path[0] == '-' && !path[1] ? "stdout" : path);
	dt_baseline_free(c.b);
	return rc;
}

const struct dt_command dt_baseline_command = {
	.name = "baseline",
	.args_doc = "TRACE...",
	.summary = "Write the findings of accepted runs as a baseline for check --baseline (docs/baseline-format.md).",
	.details = "Findings match on rule, exporter, importer device and driver, buffer name and size; never on inode "
		   "numbers, times or ids.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace baseline -o known.baseline run1.jsonl run2.jsonl\n"
		   "  dmabuf-trace check --baseline known.baseline new-run.jsonl   # only new findings",
	.exits = DT_EXITS_WRITES,
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = -1,
	.run = run_baseline,
};

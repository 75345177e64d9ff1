/* dmabuf-trace check: findings for CI and people; exit 1 on an error finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/analyse.h"
#include "render/baseline.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/escape.h"
#include "render/junit.h"
#include "render/findings.h"
#include "render/model.h"

static void set_engine(void *ctx, const struct dt_engine *e)
{
	((struct dt_findings_out *)ctx)->engine = e;
}

/* --baseline: findings whose key is in the baseline are counted, not shown. */
struct filter {
	const struct dt_baseline *baseline;
	dt_finding_fn next;
	void *next_ctx;
	unsigned long long known, new_errors;
};

static void filter_finding(void *ctx, const struct dt_finding *f)
{
	struct filter *fl = ctx;
	if (fl->baseline && dt_baseline_has(fl->baseline, f)) {
		fl->known++;
		return;
	}
	if (f->sev == DT_SEV_ERROR)
		fl->new_errors++;
	fl->next(fl->next_ctx, f);
}

static void filter_event(void *ctx, const struct dt_event *ev, const struct dt_buffer *b, const struct dt_attachment *a)
{
	struct filter *fl = ctx;
	dt_model_on_event(fl->next_ctx, ev, b, a);
}

static void filter_start(void *ctx, const struct dt_engine *e)
{
	struct filter *fl = ctx;
	if (fl->next == dt_findings_out_emit)
		set_engine(fl->next_ctx, e);
}

int dt_cmd_check(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) < 0)
		return DT_EXIT_INPUT;
	struct dt_baseline *baseline = NULL;
	if (cli->baseline) {
		char err[512];
		baseline = dt_baseline_load(cli->baseline, err, sizeof(err));
		if (!baseline) {
			fprintf(stderr, "dmabuf-trace: %s\n", err);
			dt_constraints_free(cons);
			return DT_EXIT_INPUT;
		}
	}
	struct dt_junit junit;
	if (cli->format == FMT_JUNIT && dt_junit_init(&junit) < 0) {
		fprintf(stderr, "dmabuf-trace: out of memory\n");
		dt_baseline_free(baseline);
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	int rc = DT_EXIT_OK;
	bool errors = false;
	/* Machine formats keep stdout clean: the summary goes to stderr. */
	FILE *summary = cli->format == FMT_TEXT ? stdout : stderr;
	for (int i = 0; i < cli->nargs; i++) {
		struct dt_findings_out out;
		struct dt_model model;
		struct filter fl = {.baseline = baseline};
		struct dt_analysis a = {
			.path = cli->args[i],
			.constraints = cons,
			.constraints_given = cli->constraints != NULL,
			.keep_profile = baseline != NULL,
			.on_finding = filter_finding,
			.ctx = &fl,
			.on_start = filter_start,
		};
		if (cli->format == FMT_JUNIT) {
			dt_model_init(&model, cli->args[i]);
			model.min_severity = cli->min_severity;
			fl.next = dt_model_on_finding;
			fl.next_ctx = &model;
			a.on_event = filter_event;
		} else {
			dt_findings_out_init(&out, stdout, cli->format, cli->min_severity,
					     dt_use_color(cli->color, stdout), cli->args[i]);
			fl.next = dt_findings_out_emit;
			fl.next_ctx = &out;
		}
		int r = dt_analyse(&a);
		if (baseline && r == DT_EXIT_OK) {
			const char *bname, *btext = dt_baseline_profile(baseline, &bname);
			bool same = btext ? a.used_profile_text && !strcmp(btext, a.used_profile_text) : !a.used_profile_text;
			if (!same)
				dt_err("%s: the baseline was made with constraints %s, this check used %s: findings judged "
				       "differently count as new", cli->args[i], btext ? (bname ? bname : "a profile") : "none",
				       a.used_profile_name ? a.used_profile_name : "none");
		}
		free(a.used_profile_name);
		free(a.used_profile_text);
		if (cli->format == FMT_JUNIT) {
			model.stats = a.stats;
			model.truncated = a.truncated;
			dt_model_finish(&model, a.stats.engine.last_ts);
			if (r == DT_EXIT_OK && model.oom) {
				fprintf(stderr, "dmabuf-trace: %s: out of memory holding the trace\n", cli->args[i]);
				r = DT_EXIT_SYSTEM;
			}
			if (r == DT_EXIT_OK)
				dt_junit_add_trace(&junit, &model);
			else
				dt_junit_add_unreadable(&junit, cli->args[i], r);
			dt_model_free(&model);
		} else {
			dt_findings_out_fini(&out);
		}
		if (r != DT_EXIT_OK) {
			rc = r;
			continue;
		}
		dt_print_summary(summary, cli->args[i], &a.stats, a.truncated);
		if (baseline) {
			char name[300];
			dt_escape_text(name, sizeof(name), cli->args[i], strlen(cli->args[i]));
			fprintf(summary, "%s: %llu findings in the baseline not shown, %llu new error%s\n", name, fl.known,
				fl.new_errors, fl.new_errors == 1 ? "" : "s");
		}
		errors |= baseline ? fl.new_errors > 0 : a.stats.by_severity[DT_SEV_ERROR] > 0;
	}
	if (cli->format == FMT_JUNIT && dt_junit_finish(&junit, stdout) < 0 && rc == DT_EXIT_OK)
		rc = DT_EXIT_SYSTEM;
	dt_baseline_free(baseline);
	dt_constraints_free(cons);
	if (rc != DT_EXIT_OK)
		return rc;
	return errors ? DT_EXIT_FINDINGS : DT_EXIT_OK;
}

// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace check: findings for CI and people; exit 1 on an error finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rules/analyse.h"
#include "render/baseline.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/escape.h"
#include "render/junit.h"
#include "render/findings.h"
#include "render/model.h"
#include "render/findings_view.h"
#include "render/summary.h"


/* --baseline: findings whose key is in the baseline are counted, not shown. */
struct filter {
	const struct dt_baseline *baseline;
	const struct dt_select *select;
	const struct dt_engine *engine;
	dt_finding_fn next;
	void *next_ctx;
	unsigned long long known, new_errors, not_selected;
};

static void filter_finding(void *ctx, const struct dt_finding *f)
{
	struct filter *fl = ctx;
	if (!dt_select_finding(fl->select, f, dt_engine_stats(fl->engine)->first_ts)) {
		fl->not_selected++;
		return;
	}
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
	fl->engine = e;
	if (fl->next == dt_findings_view_emit)
		((struct dt_findings_view *)fl->next_ctx)->fmt.engine = e;
}

/* Wrap findings at the terminal's width; piped output stays one line per finding. */
static unsigned terminal_width(void)
{
	if (!isatty(STDOUT_FILENO))
		return 0;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	return c ? (unsigned)strtoul(c, NULL, 10) : 0;
}

/* A trace's findings can be hundreds of MB: stdio's default buffer (4 KiB for a file or /dev/null) costs one
 * write() per ~6 JSON findings. A terminal keeps its line buffering (a person reads as findings come). */
static void buffer_stdout(void)
{
	static char buf[1 << 16];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, buf, _IOFBF, sizeof(buf));
}

static int run_check(struct dt_cli *cli)
{
	buffer_stdout();
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;
	struct dt_baseline *baseline = NULL;
	if (cli->baseline) {
		char err[512];
		baseline = dt_baseline_load(cli->baseline, err, sizeof(err));
		if (!baseline) {
			dt_err("%s", err);
			dt_constraints_free(cons);
			return DT_EXIT_INPUT;
		}
	}
	struct dt_junit junit;
	if (cli->format == FMT_JUNIT && dt_junit_init(&junit) < 0) {
		dt_err("out of memory");
		dt_baseline_free(baseline);
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	if (cli->format == FMT_JUNIT)
		junit.select = &cli->select;
	int rc = DT_EXIT_OK;
	bool errors = false;
	struct dt_findings_view view;
	struct dt_view_opts vo = {
		.group = !cli->no_group,
		.by_severity = cli->sort == SORT_SEVERITY,
		.have_max = cli->have_max_findings,
		.max = cli->max_findings,
		.wrap = cli->format == FMT_TEXT ? terminal_width() : 0,
	};
	if (cli->format != FMT_JUNIT &&
	    dt_findings_view_init(&view, &vo, stdout, cli->format, cli->min_severity, cli->use_color) < 0) {
		dt_err("out of memory");
		dt_baseline_free(baseline);
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	struct dt_run_stats total = {0};
	int ntotal = 0;
	/* Machine formats keep stdout clean: the summary goes to stderr. */
	FILE *summary = cli->format == FMT_TEXT ? stdout : stderr;
	for (int i = 0; i < cli->nargs; i++) {
		struct dt_model model;
		char tag[600];
		struct filter fl = {.baseline = baseline, .select = &cli->select};
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
			/* Several traces: each line names its trace. */
			dt_escape_text(tag, sizeof(tag), cli->args[i], strlen(cli->args[i]));
			dt_findings_view_trace(&view, cli->args[i], cli->nargs > 1 && cli->format == FMT_TEXT ? tag : NULL, NULL);
			fl.next = dt_findings_view_emit;
			fl.next_ctx = &view;
		}
		int r = dt_exit_status(dt_analyse(&a));
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
				dt_err("%s: out of memory holding the trace", cli->args[i]);
				r = DT_EXIT_SYSTEM;
			}
			if (r == DT_EXIT_OK)
				dt_junit_add_trace(&junit, &model);
			else
				dt_junit_add_unreadable(&junit, cli->args[i], r);
			dt_model_free(&model);
		} else {
			view.fmt.engine = NULL; /* gone with dt_analyse; the view kept the time base */
			dt_findings_view_flush(&view);
		}
		if (r != DT_EXIT_OK) {
			rc = r;
			continue;
		}
		if (cli->format == FMT_JSON)
			dt_print_summary_json(summary, cli->args[i], &a.stats, a.truncated);
		else
			dt_print_summary(summary, cli->args[i], &a.stats, a.truncated);
		struct dt_shown shown = {.not_selected = fl.not_selected, .in_baseline = fl.known,
					 .new_errors = fl.new_errors, .baseline = baseline != NULL};
		dt_print_shown(summary, cli->args[i], &shown, cli->format == FMT_JSON);
		/* Errors of the findings asked for (--rule, --buf, ...) and not in the baseline. */
		errors |= fl.new_errors > 0;
		dt_run_stats_add(&total, &a.stats);
		ntotal++;
	}
	if (cli->format != FMT_JUNIT)
		dt_findings_view_fini(&view);
	if (cli->nargs > 1 && ntotal) { /* a grand total ends a run over several traces */
		char name[64];
		snprintf(name, sizeof(name), "total of %d traces", ntotal);
		if (cli->format == FMT_JSON)
			dt_print_summary_json(summary, name, &total, 0);
		else
			dt_print_summary(summary, name, &total, 0);
	}
	if (cli->format == FMT_JUNIT && dt_junit_finish(&junit, stdout) < 0 && rc == DT_EXIT_OK)
		rc = DT_EXIT_SYSTEM;
	dt_baseline_free(baseline);
	dt_constraints_free(cons);
	if (rc != DT_EXIT_OK)
		return rc;
	return errors ? DT_EXIT_FINDINGS : DT_EXIT_OK;
}

const struct dt_command dt_check_command = {
	.name = "check",
	.args_doc = "TRACE...",
	.summary = "Run the rules over recorded traces ('-' reads stdin) and print the findings.",
	.details = "Traces are trace files (format v1), ftrace text (the ftrace-recipe's kprobes, dma_buf:* and "
		   "dma:dma_map_sg events) or zstd/gzip-compressed forms where supported. Machine formats keep "
		   "stdout for the findings: the summary goes to stderr.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace check run.jsonl\n"
		   "  dmabuf-trace check --constraints board.profile --format json run.jsonl\n"
		   "  dmabuf-trace check --min-severity error a.jsonl b.jsonl\n"
		   "  dmabuf-trace check --format junit -o findings.xml run.jsonl",
	.exits = DT_EXITS_FINDINGS,
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON) | FMT_BIT(FMT_JUNIT),
	.flags = DT_CMD_FLAGS(DT_ANALYSIS_FLAGS, DT_FINDINGS_FLAGS, F_NO_GROUP, F_SORT, F_MAX_FINDINGS, F_FORMAT, F_BASELINE,
			      F_COLOR, F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = -1,
	.stdout_output = true,
	.run = run_check,
};

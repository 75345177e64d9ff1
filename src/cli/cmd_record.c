// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace record: the live daemon. BPF events -> trace file (format v1) and
 * -> the timeline engine, whose findings print as they happen. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmabuf_trace_defaults.h"
#include "rules/analyse.h"
#include "ingest/bufinfo.h"
#include "ingest/sink.h"
#include "capture/capture.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "render/findings.h"
#include "common/output_file.h"
#include "ingest/trace_writer.h"
#include "common/version.h"

static volatile sig_atomic_t stop_requests;

static void on_stop_signal(int sig)
{
	(void)sig;
	/* First signal: drain and summarise. Second: leave at once. */
	if (++stop_requests >= 2)
		_exit(130);
}

struct recorder {
	struct dt_cli *cli;
	/* findings shown and counted: the selection (--pid, --comm, --dev, ...) */
	uint64_t selected[3];
	struct dt_writer *writer;
	struct dt_engine *engine;
	struct dt_findings_out out;
	uint64_t seq;
	bool write_failed;
	struct dt_fanout fan; /* writer (if any), then engine */
	int writer_slot;
	/* Under a flood one poll never runs dry: on_event ends it when a stop was asked for (stop_on_signal)
	 * or once the clock passes until (0: no limit), so signals, --duration and the drain act promptly. */
	bool stop_on_signal;
	double until;
};

static double now_s(void);

/* Live findings pass the selection before the writer: what the summary counts is what was shown. */
static void on_finding(void *ctx, const struct dt_finding *f)
{
	struct recorder *r = ctx;
	if (!dt_select_finding(&r->cli->select, f, dt_engine_stats(r->engine)->first_ts))
		return;
	r->selected[f->sev]++;
	dt_findings_out_emit(&r->out, f);
}

static int on_event(void *ctx, const struct dt_event *ev)
{
	struct recorder *r = ctx;
	/* The capture owns ev; seq is ours to assign. */
	struct dt_event *e = (struct dt_event *)ev;
	e->seq = ++r->seq;
	e->line = 0;
	dt_fanout_event(&r->fan, e);
	if (dt_fanout_failed(&r->fan, r->writer_slot))
		r->write_failed = true;
	if (r->stop_on_signal && stop_requests)
		return 1;
	if (r->until && now_s() >= r->until)
		return 1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t start_command(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[0], argv);
		dt_err("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void write_header(struct dt_writer *w)
{
	struct utsname u;
	uname(&u);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	dt_writer_header(w, u.release, u.nodename, "dmabuf-trace " DT_VERSION_STRING,
			 (unsigned long long)real.tv_sec * 1000000000ull + (unsigned long long)real.tv_nsec);
}

int dt_run_record(struct dt_cli *cli)
{
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;

	struct recorder r = {.cli = cli};
	const char *seed_name;
	bool seed_failed;
	FILE *seed = dt_bufinfo_open(cli->seed_bufinfo, &seed_name, &seed_failed);
	if (seed_failed) {
		dt_constraints_free(cons);
		return DT_EXIT_INPUT;
	}
	int out_fd = -1;
	if (cli->output) {
		out_fd = dt_open_output(cli->output, cli->force);
		if (out_fd < 0) {
			dt_constraints_free(cons);
			return out_fd == -EEXIST || out_fd == -ELOOP ? DT_EXIT_INPUT : DT_EXIT_SYSTEM;
		}
		r.writer = dt_writer_new(out_fd, cli->output);
	}

	struct dt_capture_opts copts = {
		.ring_bytes = cli->ring_bytes ? cli->ring_bytes : DT_DEFAULT_RING_BYTES,
		.max_segs = cli->max_segs ? cli->max_segs : DT_DEFAULT_MAX_SEGS,
		.pid = cli->select.npids == 1 ? (int)cli->select.pids[0] : 0,
		.force_attach_mode = cli->attach_mode,
		.want_stacks = !cli->no_stacks,
	};
	char err[512];
	struct dt_capture *cap = NULL;
	int rc = dt_capture_open(&cap, &copts, err, sizeof(err));
	if (rc < 0) {
		dt_err("%s", err);
		dt_writer_free(r.writer);
		if (out_fd >= 0) {
			close(out_fd);
			unlink(cli->output); /* nothing recorded: leave no empty trace behind */
		}
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	if (!cli->quiet)
		dt_capture_hooks(cap, stderr);

	FILE *live = cli->format == FMT_JSON ? stdout : stderr;
	dt_findings_out_init(&r.out, live, cli->format == FMT_JSON ? FMT_JSON : FMT_TEXT,
			     cli->quiet ? DT_SEV_ERROR + 1 : cli->min_severity, dt_cli_color(cli, fileno(live)), "live");
	struct dt_engine_opts eopts = {cons, on_finding, NULL, &r};
	r.engine = dt_engine_new(&eopts);
	r.out.engine = r.engine;
	r.writer_slot = r.writer ? dt_fanout_add(&r.fan, dt_writer_sink, r.writer, "trace writer") : -1;
	dt_fanout_add(&r.fan, dt_engine_sink, r.engine, "engine");
	if (r.writer) {
		dt_writer_promise_end(r.writer);
		write_header(r.writer);
	}
	/* Buffers that existed before tracing: their attachments become known, not "unknown". */
	if (seed)
		dt_bufinfo_seed(seed, seed_name, on_event, &r);

	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	pid_t child = 0;
	int child_status = 0;
	if (cli->nargs > 0) {
		child = start_command(cli->args);
		if (child < 0) {
			dt_err("fork: %s", strerror(errno));
			child = 0;
		}
	}
	dt_info("tracing (%s)%s", dt_capture_mode(cap),
		child ? "" : "; Ctrl-C to stop");

	double deadline = cli->duration > 0 ? now_s() + cli->duration : 0;
	r.stop_on_signal = true;
	r.until = deadline;
	while (!stop_requests) {
		int n = dt_capture_poll(cap, 100, on_event, &r);
		if (n < 0 && n != -EINTR) {
			dt_err("reading the ring buffer: %s", strerror(-n));
			break;
		}
		/* Batches: every poll round ends on a line boundary on disk. */
		if (r.writer && !r.write_failed && dt_writer_flush(r.writer) < 0)
			r.write_failed = true;
		if (r.write_failed)
			break;
		if (deadline && now_s() >= deadline)
			break;
		if (child && waitpid(child, &child_status, WNOHANG) == child) {
			child = -child;
			break;
		}
	}
	if (child > 0) {
		/* Stopped by signal or duration: stop the command first, reading on while it exits, so its
		 * teardown (the detaches and releases of its exit) is in the trace, and the drain below is not
		 * racing a command that keeps producing events. SIGKILL if SIGTERM did not end it in 5 s. */
		double kill_at = now_s() + 5;
		bool killed = false;
		r.stop_on_signal = false;
		kill(child, SIGTERM);
		for (;;) {
			pid_t w = waitpid(child, &child_status, WNOHANG);
			if (w == child || (w < 0 && errno != EINTR))
				break;
			if (!killed && now_s() >= kill_at) {
				kill(child, SIGKILL);
				killed = true;
			}
			r.until = now_s() + 0.2;
			dt_capture_poll(cap, 50, on_event, &r);
			if (r.writer && !r.write_failed && dt_writer_flush(r.writer) < 0)
				r.write_failed = true;
		}
	}
	/* Drain what the kernel already wrote; bounded in time, other processes may keep writing. */
	r.stop_on_signal = false;
	r.until = now_s() + 2;
	while (!r.write_failed && dt_capture_poll(cap, 0, on_event, &r) > 0 && now_s() < r.until)
		;
	dt_engine_finish(r.engine);
	dt_findings_out_fini(&r.out);

	int exit_code = DT_EXIT_OK;
	if (r.writer) {
		struct timespec now;
		clock_gettime(CLOCK_BOOTTIME, &now);
		if (!r.write_failed)
			dt_writer_end(r.writer, (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec,
				      r.seq + 1, dt_capture_lost_total(cap));
		if (r.write_failed || dt_writer_flush(r.writer) < 0) {
			/* Earlier lines are intact on disk; say so. */
			dt_err("%s (the trace holds every line before the failure)",
				dt_writer_error(r.writer));
			exit_code = DT_EXIT_SYSTEM;
		}
		dt_writer_free(r.writer);
		r.writer = NULL;
		if (fsync(out_fd) < 0 && errno != EINVAL)
			exit_code = DT_EXIT_SYSTEM;
		close(out_fd);
	}
	const struct dt_engine_stats *s = dt_engine_stats(r.engine);
	dt_print_summary(stderr, cli->output ? cli->output : "live", s, 0);
	uint64_t lost = dt_capture_lost_total(cap);
	if (lost)
		dt_warn("the kernel dropped %" PRIu64 " events (ring buffer full): try --ring-size",
			lost);
	if (cli->nargs > 0 && WIFEXITED(child_status) && WEXITSTATUS(child_status))
		dt_info("%s exited with status %d", cli->args[0], WEXITSTATUS(child_status));
	if (exit_code == DT_EXIT_OK && r.selected[DT_SEV_ERROR])
		exit_code = DT_EXIT_FINDINGS;
	dt_engine_free(r.engine);
	dt_capture_close(cap);
	dt_constraints_free(cons);
	return exit_code;
}

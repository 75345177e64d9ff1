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
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dmabuf_trace_defaults.h"
#include "rules/analyse.h"
#include "daemon/seed.h"
#include "ingest/bufinfo.h"
#include "ingest/sink.h"
#include "capture/capture.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/proc_tree.h"
#include "render/findings.h"
#include "ingest/live_stage.h"
#include "render/summary.h"
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
	/* findings shown and counted: the selection (--pid, --comm, --dev, ...) and the command's tree; the
	 * summary's finding counts are these */
	uint64_t selected[3];
	uint64_t selected_rule[DT_RULE__COUNT];
	/* -- CMD without --all: only the command's process tree (its pids, and the buffers they touched) */
	bool scoped;
	struct dt_capture *cap; /* tree followed at fork in the kernel (bpf_tree), else through /proc (tree) */
	bool bpf_tree;
	struct u64map bpf_answers; /* pid -> (void *)1 in the tree, (void *)2 not: one map lookup per pid */
	struct dt_proc_tree tree;
	struct u64map touched; /* inode -> (void *)1 */
	/* on_event's last answers: a storm's events come in runs of one process and one buffer, so most events
	 * skip both map lookups (the tree's answers are stable, touched only grows) */
	int64_t last_pid;
	bool last_pid_in;
	uint64_t last_touched;
	bool have_last_touched;
	uint64_t out_of_scope;
	struct dt_writer *writer;
	struct dt_checker *checker;
	struct dt_findings_out out;
	/* capture -> reorder window, seq, --redact (every consumer sees redacted segments) -> on_event */
	struct dt_live_stage *stage;
	uint64_t seq;
	bool write_failed;
	struct dt_fanout fan; /* writer (if any), then engine */
	int writer_slot;
	/* Under a flood one poll never runs dry: on_event ends it when a stop was asked for (stop_on_signal)
	 * or once the clock passes until (0: no limit), so signals, --duration and the drain act promptly. */
	bool stop_on_signal;
	double until;
	const char *seed_source; /* the header's "seed": bufinfo, iterator or none */
	struct rusage ru_start; /* the recorder's CPU when tracing began (after the BPF load and attach) */
};

static double now_s(void);

/* Whether pid is the command's: the kernel's fork-following answer when it runs, else /proc's. */
static bool in_tree(struct recorder *r, int64_t pid)
{
	if (pid <= 0)
		return false;
	if (!r->bpf_tree)
		return dt_proc_tree_has(&r->tree, pid);
	/* Stable answers: a member's children join at fork, before their first event, and nobody leaves. */
	void *known = u64map_get(&r->bpf_answers, (uint64_t)pid);
	if (known)
		return known == (void *)1;
	bool in = dt_capture_tree_has(r->cap, (int)pid) == 1;
	(void)u64map_put(&r->bpf_answers, (uint64_t)pid, in ? (void *)1 : (void *)2);
	return in;
}

/* in_tree for on_event, with its last answer kept: the kernel's answers (bpf_tree) are stable, so the same pid
 * as the last event's needs no lookup; the /proc tree is asked each time, as before. */
static bool event_in_tree(struct recorder *r, int64_t pid)
{
	if (!r->bpf_tree)
		return in_tree(r, pid);
	if (pid > 0 && pid == r->last_pid)
		return r->last_pid_in;
	bool in = in_tree(r, pid);
	r->last_pid = pid;
	r->last_pid_in = in;
	return in;
}

/* Live findings pass the selection before the writer: what the summary counts is what was shown. */
static void on_finding(void *ctx, const struct dt_finding *f)
{
	struct recorder *r = ctx;
	if (!dt_select_finding(&r->cli->select, f, dt_engine_stats(dt_checker_engine(r->checker))->first_ts))
		return;
	if (r->scoped && f->buf && !u64map_get(&r->touched, f->buf->ino) &&
	    !(f->ev && in_tree(r, f->ev->pid))) {
		r->out_of_scope++;
		return;
	}
	r->selected[f->sev]++;
	r->selected_rule[f->rule]++;
	dt_findings_out_emit(&r->out, f);
}

/* Each event out of the live stage (numbered, redacted): to the writer and the engine. */
static int on_event(void *ctx, const struct dt_event *ev)
{
	struct recorder *r = ctx;
	/* before the checker sees it: a finding of this event may depend on the buffer being the tree's */
	if (r->scoped && event_in_tree(r, ev->pid) && !(r->have_last_touched && r->last_touched == ev->buf) &&
	    u64map_put(&r->touched, ev->buf, (void *)1) == 0) {
		r->last_touched = ev->buf;
		r->have_last_touched = true;
	}
	dt_fanout_event(&r->fan, ev);
	if (dt_fanout_failed(&r->fan, r->writer_slot))
		r->write_failed = true;
	return 0;
}

static uint64_t boot_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The events whose reorder window closed go on; a failed redaction stops the recording. */
static void release_window(struct recorder *r)
{
	dt_live_stage_release(r->stage, boot_now());
	if (dt_live_stage_failed(r->stage))
		r->write_failed = true;
}

/* From the ring, in ring order: into the live stage, which hands events on to on_event. */
static int on_captured(void *ctx, const struct dt_event *ev)
{
	struct recorder *r = ctx;
	/* Placed in the command's tree as soon as the ring hands the event over, not a reorder window later: a
	 * short-lived child is then most likely still in /proc (the answer is cached for on_event). */
	if (r->scoped && !r->bpf_tree && ev->pid > 0)
		(void)dt_proc_tree_has(&r->tree, ev->pid);
	dt_live_stage_push(r->stage, ev);
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

/* The command is forked and waits on a pipe (*go_fd) until the recorder has placed its pid in the kernel's tree map,
 * so nothing it forks can escape the tree. */
static pid_t start_command(char **argv, int *go_fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		(void)!read(p[0], &c, 1); /* EOF (the recorder died) runs it too: nothing to wait for then */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[0], argv);
		dt_err("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*go_fd = p[1];
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

static struct dt_capture_opts capture_opts(const struct dt_cli *cli)
{
	struct dt_capture_opts o = {
		.ring_bytes = cli->ring_bytes,
		.max_segs = cli->max_segs,
		.pid = cli->select.npids == 1 ? (int)cli->select.pids[0] : 0,
		.force_attach_mode = cli->attach_mode,
		.want_stacks = !cli->no_stacks,
		.stack_depth = cli->stack_depth,
		.max_walk = cli->max_walk,
		/* hidden, for the drop-accounting tests: tiny in-flight state maps */
		.map_entries = getenv("DT_TEST_MAP_ENTRIES") ? (uint32_t)strtoul(getenv("DT_TEST_MAP_ENTRIES"), NULL, 0) : 0,
		/* hidden: every detach acts as if its program had not run (the id map's release cleanup test) */
		.keep_detached = getenv("DT_TEST_KEEP_DETACHED") && *getenv("DT_TEST_KEEP_DETACHED"),
		/* -- CMD without --all: the command's tree, followed at fork in the kernel (hidden knob for the guest
		 * test of the /proc fallback: DT_TEST_PROC_TREE=1) */
		.follow_tree = cli->nargs > 0 && !cli->all && !(getenv("DT_TEST_PROC_TREE") && *getenv("DT_TEST_PROC_TREE")),
	};
	return o;
}

/* Without debugfs bufinfo, the buffers that existed before tracing come from the BPF dmabuf iterator
 * (6.16+), read once before the first event is consumed. Returns its records (NULL: none). */
static void *read_iterator_seed(struct recorder *r, struct dt_capture *cap, size_t *len)
{
	const char *why = dt_capture_dmabuf_iter_why(cap);
	void *buf = NULL;
	char err[256];

	*len = 0;
	r->seed_source = "none";
	if (why) {
		dt_info("buffers that existed before tracing are not seeded: debugfs dma_buf/bufinfo is not readable and %s",
			why);
		return NULL;
	}
	if (dt_capture_dmabuf_iter_read(cap, &buf, len, err, sizeof(err)) < 0) {
		dt_warn("buffers that existed before tracing are not seeded: %s", err);
		return NULL;
	}
	r->seed_source = "iterator";
	return buf;
}

/* A capture that could not start: its reason one line per hook or mode ("; "-separated in the capture's
 * message), then what to do next. */
static void explain_failure(const char *err)
{
	const char *p = err;
	size_t head = strcspn(err, ":");
	bool listed = strncmp(err, "essential hooks missing", 23) == 0 && err[head] == ':';
	if (listed) {
		dt_err("%.*s:", (int)head, err);
		p = err + head + 1;
		while (*p) {
			while (*p == ' ')
				p++;
			size_t n = strcspn(p, ";");
			dt_err("  %.*s", (int)n, p);
			p += n;
			if (*p == ';')
				p++;
		}
	} else {
		dt_err("%s", err);
	}
	if ((strstr(err, "root") || strstr(err, "CAP_") || strstr(err, "Operation not permitted")) && geteuid() != 0)
		dt_info("next: run as root, or grant CAP_BPF and CAP_PERFMON (sudo setcap cap_bpf,cap_perfmon+ep "
			"$(command -v dmabuf-trace))");
	else if (strstr(err, "Operation not permitted") && dt_capture_memlock_hint())
		dt_info("next: %s", dt_capture_memlock_hint());
	else if (strstr(err, "Operation not permitted"))
		dt_info("next: root and still refused: a container without CAP_BPF/CAP_SYS_ADMIN, kernel lockdown, or "
			"kernel.unprivileged_bpf_disabled; run on the host");
	if (strstr(err, "BTF") || strstr(err, "kprobe support"))
		dt_info("next: the kernel needs CONFIG_DEBUG_INFO_BTF=y (fentry) or CONFIG_KPROBES=y (kprobes); "
			"'dmabuf-trace record --list-hooks' shows what each hook would use");
	dt_info("without BPF: 'dmabuf-trace ftrace-recipe > recipe.sh' traces through tracefs (docs/ftrace.md)");
}

/* record --list-hooks: what tracing would use on this kernel, then stop. */
static int list_hooks(const struct dt_cli *cli)
{
	struct dt_capture_opts copts = capture_opts(cli);
	copts.seed_iter = access("/sys/kernel/debug/dma_buf/bufinfo", R_OK) != 0; /* as record would */
	struct dt_capture *cap;
	char err[1024];

	if (dt_capture_open(&cap, &copts, err, sizeof(err)) < 0) {
		dt_err("%s", err);
		return DT_EXIT_SYSTEM;
	}
	dt_capture_hooks(cap, stdout);
	dt_capture_prog_loads(cap, stdout);
	dt_capture_close(cap);
	return DT_EXIT_OK;
}

/* The consumers of the event path: live findings, engine and rules, the trace writer (with the profile
 * and the redaction the trace carries). -1 when out of memory. */
static int start_consumers(struct recorder *r, struct dt_constraints *cons)
{
	const struct dt_cli *cli = r->cli;
	FILE *live = cli->format == FMT_JSON ? stdout : stderr;
	dt_findings_out_init(&r->out, live, cli->format == FMT_JSON ? FMT_JSON : FMT_TEXT,
			     cli->quiet ? DT_SEV_ERROR + 1 : cli->min_severity, dt_cli_color(cli, fileno(live)), "live");
	struct dt_checker_opts checker_opts = {cons, on_finding, NULL, r};
	r->checker = dt_checker_new(&checker_opts);
	if (!r->checker)
		return -1;
	r->out.engine = dt_checker_engine(r->checker);
	dt_checker_set_redacted(r->checker, dt_live_stage_redacts(r->stage)); /* the engine sees redacted segments */
	r->writer_slot = r->writer ? dt_fanout_add(&r->fan, dt_writer_sink, r->writer, "trace writer") : -1;
	dt_fanout_add(&r->fan, dt_checker_sink, r->checker, "engine and rules");
	if (r->writer) {
		dt_writer_promise_end(r->writer);
		/* The trace carries the profile it was recorded with: post-mortem analysis elsewhere judges alike. */
		if (cons && dt_writer_set_profile(r->writer, dt_constraints_name(cons), dt_constraints_text(cons)) < 0)
			dt_warn("out of memory: the trace does not carry the constraints profile");
		if (dt_live_stage_redacts(r->stage))
			dt_writer_set_redacted(r->writer);
		dt_writer_set_seed(r->writer, r->seed_source);
		write_header(r->writer);
	}
	return 0;
}

/* -- CMD: the command runs as our child; without --all its process tree is what the findings cover. */
static pid_t start_traced_command(struct recorder *r)
{
	const struct dt_cli *cli = r->cli;
	pid_t child = 0;
	if (cli->nargs > 0) {
		/* Orphans of the command's tree are reparented to us, so their parent chain still leads here. */
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		int go = -1;
		child = start_command(cli->args, &go);
		if (child < 0) {
			dt_err("fork: %s", strerror(errno));
			child = 0;
		} else {
			if (!cli->all) {
				dt_proc_tree_init(&r->tree, child, getpid());
				r->scoped = true;
				r->bpf_tree = dt_capture_tree_add(r->cap, child) == 0;
				if (!r->bpf_tree && dt_capture_tree_why(r->cap)[0])
					dt_warn("%s: the command's tree is followed through /proc (a child that exits before its "
						"first event is read is missed)", dt_capture_tree_why(r->cap));
			}
			if (write(go, "g", 1) != 1)
				dt_warn("cannot start %s: %s", cli->args[0], strerror(errno));
			close(go);
		}
	}
	return child;
}

/* Traces until a signal, --duration, a write failure or the command's exit. Returns the command's
 * pid while it still runs, minus its pid once it exited, 0 without a command. */
static pid_t trace_until_stopped(struct recorder *r, struct dt_capture *cap, pid_t child, int *child_status)
{
	const struct dt_cli *cli = r->cli;
	double deadline = cli->duration > 0 ? now_s() + cli->duration : 0;
	r->stop_on_signal = true;
	r->until = deadline;
	while (!stop_requests) {
		int n = dt_capture_poll(cap, 100, on_captured, r);
		if (n < 0 && n != -EINTR) {
			dt_err("reading the ring buffer: %s", strerror(-n));
			break;
		}
		release_window(r);
		/* Batches: every poll round ends on a line boundary on disk. */
		if (r->writer && !r->write_failed && dt_writer_flush(r->writer) < 0)
			r->write_failed = true;
		if (r->write_failed)
			break;
		if (deadline && now_s() >= deadline)
			break;
		if (child && waitpid(child, child_status, WNOHANG) == child) {
			child = -child;
			break;
		}
	}
	return child;
}

/* Stopped by signal or duration: stop the command first, reading on while it exits, so its teardown
 * (the detaches and releases of its exit) is in the trace, and the drain is not racing a command that
 * keeps producing events. SIGKILL if SIGTERM did not end it in 5 s. */
static void stop_command(struct recorder *r, struct dt_capture *cap, pid_t child, int *child_status)
{
	double kill_at = now_s() + 5;
	bool killed = false;
	r->stop_on_signal = false;
	kill(child, SIGTERM);
	for (;;) {
		pid_t w = waitpid(child, child_status, WNOHANG);
		if (w == child || (w < 0 && errno != EINTR))
			break;
		if (!killed && now_s() >= kill_at) {
			kill(child, SIGKILL);
			killed = true;
		}
		r->until = now_s() + 0.2;
		dt_capture_poll(cap, 50, on_captured, r);
		release_window(r);
		if (r->writer && !r->write_failed && dt_writer_flush(r->writer) < 0)
			r->write_failed = true;
	}
}

/* Drains what the kernel already wrote (bounded in time: other processes may keep writing), empties
 * the reorder window and runs the end-of-trace rules. */
static void drain(struct recorder *r, struct dt_capture *cap)
{
	r->stop_on_signal = false;
	r->until = now_s() + 2;
	while (!r->write_failed && dt_capture_poll(cap, 0, on_captured, r) > 0 && now_s() < r->until)
		;
	dt_capture_report_losses(cap); /* the drops since the last check: in the trace and its end line */
	dt_live_stage_flush(r->stage);
	if (dt_live_stage_failed(r->stage))
		r->write_failed = true;
	dt_checker_finish(r->checker);
	dt_findings_out_fini(&r->out);
}

/* Writes the end line and closes the trace; the status to exit with. */
static int close_trace(struct recorder *r, struct dt_capture *cap, int out_fd)
{
	int exit_code = DT_EXIT_OK;
	if (r->writer) {
		struct timespec now;
		clock_gettime(CLOCK_BOOTTIME, &now);
		if (!r->write_failed)
			dt_writer_end(r->writer, (unsigned long long)now.tv_sec * 1000000000ull + (unsigned long long)now.tv_nsec,
				      r->seq + 1, dt_capture_lost_total(cap));
		if (r->write_failed || dt_writer_flush(r->writer) < 0) {
			/* Earlier lines are intact on disk; say so. */
			dt_err("%s (the trace holds every line before the failure)",
				dt_writer_error(r->writer));
			exit_code = DT_EXIT_SYSTEM;
		}
		dt_writer_free(r->writer);
		r->writer = NULL;
		if (fsync(out_fd) < 0 && errno != EINVAL)
			exit_code = DT_EXIT_SYSTEM;
		close(out_fd);
	}
	return exit_code;
}

/* The hook table on stderr; under --format json each of its lines is a message of the voice, so stderr stays
 * one JSON object per line. */
static void print_hook_table(const struct dt_cli *cli, struct dt_capture *cap)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = cli->format == FMT_JSON ? open_memstream(&text, &len) : NULL;
	if (!mem) {
		dt_capture_hooks(cap, stderr);
		return;
	}
	dt_capture_hooks(cap, mem);
	fclose(mem);
	for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		dt_info("%s", line);
	free(text);
}

static void print_summary(struct recorder *r, struct dt_capture *cap, double window_ms, int child_status)
{
	const struct dt_cli *cli = r->cli;
	struct dt_run_stats s = dt_checker_stats(r->checker);
	/* Events, buffers and losses are the trace's (it has every event); findings are those shown: the
	 * selection's and, with -- CMD, the command's process tree's. */
	memcpy(s.findings, r->selected_rule, sizeof(s.findings));
	memcpy(s.by_severity, r->selected, sizeof(s.by_severity));
	if (cli->format == FMT_JSON)
		dt_print_summary_json(stderr, cli->output ? cli->output : "live", &s, 0);
	else
		dt_print_summary(stderr, cli->output ? cli->output : "live", &s, 0);
	if (r->scoped)
		dt_info("%" PRIu64 " finding%s of %s's process tree shown, %" PRIu64 " of other processes not (--all shows "
			"them; the trace has every event)%s", r->selected[0] + r->selected[1] + r->selected[2],
			r->selected[0] + r->selected[1] + r->selected[2] == 1 ? "" : "s", cli->args[0], r->out_of_scope,
			!r->bpf_tree && r->tree.unknown ? "; some processes exited before /proc could place them" : "");
	uint64_t lost = dt_capture_lost_total(cap);
	if (lost)
		dt_warn("the kernel dropped %" PRIu64 " events (causes in the trace's lost events; ring: try --ring-size)",
			lost);
	uint64_t runs, misses;
	bool bpf_stats = dt_capture_run_counts(cap, &runs, &misses);
	if (lost || bpf_stats || getenv("DT_READER_STATS")) {
		/* what explains lost ring records: did the ring fill up, how long did the reader stay away */
		struct dt_reader_stats rd;
		dt_capture_reader_stats(cap, &rd);
		dt_info("reader: ring %" PRIu64 " KiB, at most %" PRIu64 " KiB waiting; %" PRIu64
			" polls, the longest %.1f ms (%" PRIu64 " events); %" PRIu64 " stacks symbolized uncached, "
			"%" PRIu64 " kallsyms reloads (%.0f ms)",
			rd.ring_bytes >> 10, rd.ring_peak >> 10, rd.polls, rd.longest_poll_ms, rd.longest_poll_n,
			rd.stacks_uncached, rd.ksyms_reloads, rd.ksyms_reload_ms);
	}
	const struct dt_reorder_stats *rs = dt_live_stage_reorder_stats(r->stage);
	if (!cli->quiet || rs->late)
		dt_info("reorder window %.3g ms: %" PRIu64 " events put back in time order, %" PRIu64
			" late (written with late:true), arrived up to %.3f ms behind newer ones, %" PRIu64 " held at most",
			window_ms, rs->reordered, rs->late, (double)rs->max_behind_ns / 1e6, rs->held_max);
	if (bpf_stats)
		/* kernel.bpf_stats_enabled=1: each run of an event-writing program wrote one event, counted one
		 * drop or was folded into another event (the attach error path's detach) */
		dt_info("bpf_stats: event programs ran %" PRIu64 " times, %" PRIu64
			" recursion misses; written %" PRIu64 " events, %" PRIu64 " counted lost, %" PRIu64
			" folded (detaches by a failed attach's own error path)",
			runs, misses, r->seq, lost, dt_capture_folded_total(cap));
	if (bpf_stats) {
		dt_capture_prog_stats(cap);
		/* the recorder's own threads (not the command it waited for) while tracing: its userspace share
		 * of the overhead (the BPF load and attach before, the verifier's time, do not count) */
		struct rusage ru;
		if (!getrusage(RUSAGE_SELF, &ru)) {
			const struct rusage *b = &r->ru_start;
			double user = (ru.ru_utime.tv_sec - b->ru_utime.tv_sec) * 1e6 + (ru.ru_utime.tv_usec - b->ru_utime.tv_usec);
			double sys = (ru.ru_stime.tv_sec - b->ru_stime.tv_sec) * 1e6 + (ru.ru_stime.tv_usec - b->ru_stime.tv_usec);
			ru.ru_nvcsw -= b->ru_nvcsw;
			ru.ru_nivcsw -= b->ru_nivcsw;
			ru.ru_minflt -= b->ru_minflt;
			ru.ru_majflt -= b->ru_majflt;
			/* page faults: first touches of the reorder window's slots, the ring's pages, the writer's buffer
			 * (each fresh page is cleared by the kernel) */
			dt_info("bpf_stats: recorder CPU user %.0f us sys %.0f us for %" PRIu64 " events: %.2f us/event, "
				"%ld voluntary and %ld involuntary context switches, %ld page faults (%ld major)",
				user, sys, r->seq, r->seq ? (user + sys) / (double)r->seq : 0.0, ru.ru_nvcsw, ru.ru_nivcsw,
				ru.ru_minflt + ru.ru_majflt, ru.ru_majflt);
		}
	}
	uint64_t stale;
	int64_t held;
	/* the id map's bound: what detaches and releases did not remove stays held */
	if (dt_capture_att_ids(cap, &stale, &held) && (stale || dt_capture_run_counts(cap, &runs, &misses)))
		dt_info("attachment ids: %" PRId64 " held at the end, %" PRIu64
			" removed at their buffer's release (detach never seen)", held, stale);
	uint64_t sp[3];
	if (dt_capture_run_counts(cap, &runs, &misses) && dt_capture_ret_sp_seen(cap, sp))
		dt_info("kprobe map returns: %" PRIu64 " found a frame entered at their sp - 8, %" PRIu64 " at their sp, %" PRIu64
			" elsewhere", sp[0], sp[1], sp[2]);
	if (cli->nargs > 0 && WIFEXITED(child_status) && WEXITSTATUS(child_status))
		dt_info("%s exited with status %d", cli->args[0], WEXITSTATUS(child_status));
}

static void recorder_free(struct recorder *r, struct dt_capture *cap, struct dt_constraints *cons)
{
	dt_checker_free(r->checker);
	if (r->scoped)
		dt_proc_tree_free(&r->tree);
	u64map_free(&r->touched);
	u64map_free(&r->bpf_answers);
	dt_live_stage_free(r->stage);
	dt_capture_close(cap);
	dt_constraints_free(cons);
}

int dt_run_record(struct dt_cli *cli)
{
	if (cli->list_hooks)
		return list_hooks(cli);
	struct dt_constraints *cons;
	if (dt_load_constraints(cli->constraints, &cons) != DT_OK)
		return DT_EXIT_INPUT;

	struct recorder r = {.cli = cli};
	double window_ms = cli->have_reorder_window ? cli->reorder_window_ms : DT_DEFAULT_REORDER_WINDOW_MS;
	struct dt_live_stage_opts so = {window_ms, cli->redact, &r.seq, on_event, &r};
	r.stage = dt_live_stage_new(&so);
	if (!r.stage) {
		dt_err("out of memory");
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	const char *seed_name;
	bool seed_failed;
	FILE *seed = dt_bufinfo_open(cli->seed_bufinfo, &seed_name, &seed_failed);
	if (seed_failed) {
		dt_live_stage_free(r.stage);
		dt_constraints_free(cons);
		return DT_EXIT_INPUT;
	}
	int out_fd = -1;
	if (cli->output) {
		out_fd = dt_open_output(cli->output, cli->force);
		if (out_fd < 0) {
			dt_live_stage_free(r.stage);
			dt_constraints_free(cons);
			return dt_output_status(out_fd);
		}
		r.writer = dt_writer_new_for_path(out_fd, cli->output);
	}

	struct dt_capture_opts copts = capture_opts(cli);
	copts.seed_iter = seed == NULL;
	char err[1024];
	struct dt_capture *cap = NULL;
	int rc = dt_capture_open(&cap, &copts, err, sizeof(err));
	if (rc < 0) {
		explain_failure(err);
		dt_writer_free(r.writer);
		if (out_fd >= 0) {
			close(out_fd);
			unlink(cli->output); /* nothing recorded: leave no empty trace behind */
		}
		dt_live_stage_free(r.stage);
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	if (!cli->quiet)
		print_hook_table(cli, cap);
	size_t iter_len = 0;
	void *iter_seed = NULL;
	if (seed)
		r.seed_source = "bufinfo";
	else
		iter_seed = read_iterator_seed(&r, cap, &iter_len);

	if (start_consumers(&r, cons) < 0) {
		free(iter_seed);
		dt_err("out of memory");
		dt_checker_free(r.checker);
		dt_live_stage_free(r.stage);
		dt_writer_free(r.writer);
		if (out_fd >= 0)
			close(out_fd);
		dt_capture_close(cap);
		dt_constraints_free(cons);
		return DT_EXIT_SYSTEM;
	}
	/* Buffers that existed before tracing: their attachments become known, not "unknown". */
	if (seed)
		dt_bufinfo_seed(seed, seed_name, dt_live_stage_pass, r.stage);
	else if (iter_seed) {
		struct timespec now;
		clock_gettime(CLOCK_BOOTTIME, &now);
		dt_seed_from_iterator(iter_seed, iter_len, (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec,
				      dt_live_stage_pass, r.stage);
	}

	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	r.cap = cap;
	/* ring records are decoded straight into the reorder window's slots (no copy of each event) */
	dt_capture_set_slot(cap, dt_live_stage_slot, r.stage);
	getrusage(RUSAGE_SELF, &r.ru_start);
	pid_t child = start_traced_command(&r);
	int child_status = 0;
	dt_info("tracing (%s)%s%s", dt_capture_mode(cap), child ? "" : "; Ctrl-C to stop",
		!r.scoped ? "" : r.bpf_tree ? "; findings of the command's process tree, followed at fork in the kernel (--all: every process)"
		: "; findings of the command's process tree, followed through /proc (--all: every process)");

	pid_t ran = trace_until_stopped(&r, cap, child, &child_status);
	if (ran > 0)
		stop_command(&r, cap, ran, &child_status);
	drain(&r, cap);
	int exit_code = close_trace(&r, cap, out_fd);
	print_summary(&r, cap, window_ms, child_status);
	if (exit_code == DT_EXIT_OK && r.selected[DT_SEV_ERROR])
		exit_code = DT_EXIT_FINDINGS;
	recorder_free(&r, cap, cons);
	return exit_code;
}

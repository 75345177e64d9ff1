/* The flag registry: every flag of every subcommand is declared once here, with
 * the subcommands that accept it, so names and meanings cannot drift apart. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/units.h"

enum flag_key {
	K_CONSTRAINTS = 'c',
	K_FORMAT = 'f',
	K_OUTPUT = 'o',
	K_DURATION = 'd',
	K_PID = 'p',
	K_QUIET = 'q',
	K_MIN_SEVERITY = 0x100,
	K_BUF,
	K_BASELINE,
	K_FORCE,
	K_COLOR,
	K_RING,
	K_MAX_SEGS,
	K_ATTACH_MODE,
	K_NO_STACKS,
	K_LIST_HOOKS,
	K_FROM,
	K_PERFETTO,
	K_HTML,
	K_SEED_BUFINFO,
	K_LIST_FLAGS,
	K_AT,
	K_DIR,
	K_ROTATE_SIZE,
	K_ROTATE_TIME,
	K_KEEP,
	K_KEEP_SIZE,
	K_SOCKET,
	K_SOCKET_GROUP,
	K_SNAPSHOT_ON_ERROR,
	K_SNAPSHOT_LIMIT,
	K_FLIGHT_RECORDER,
	K_METRICS_FILE,
	K_FROM_TRACE,
	K_LAST,
	K_LIVE,
	K_REDACT,
	K_REORDER_WINDOW,
	K_MAX_WALK,
};

struct flag {
	enum flag_key key;
	const char *name;
	const char *arg;
	const char *doc;
	unsigned cmds;
};

#define ANALYSE (CMD_DAEMON | CMD_CHECK | CMD_TIMELINE | CMD_RECORD | CMD_BASELINE | CMD_EXPORT | CMD_REPORT | CMD_ADVISE | \
		 CMD_STATE)

static const struct flag registry[] = {
	{K_CONSTRAINTS, "constraints", "FILE", "importer constraints profile (docs/constraints.md), or none; "
	 "default: the profile the trace was recorded with, if any", ANALYSE},
	{K_FORMAT, "format", "FMT", "findings as text (default), json (one object per line) or junit",
	 CMD_CHECK | CMD_RECORD | CMD_STATE | CMD_STATUS},
	{K_MIN_SEVERITY, "min-severity", "SEV", "show findings of at least info (default), warning or error",
	 CMD_CHECK | CMD_RECORD | CMD_TIMELINE},
	{K_BUF, "buf", "INODE", "only the buffer with this inode number", CMD_TIMELINE | CMD_STATE},
	{K_AT, "at", "NS", "the state after the last event at or before this trace time (ns, the trace's ts clock)",
	 CMD_STATE},
	{K_BASELINE, "baseline", "FILE", "report only findings not in this baseline (dmabuf-trace baseline)",
	 CMD_CHECK},
	{K_COLOR, "color", "WHEN", "colour output: auto (default, on a terminal), always, never",
	 CMD_CHECK | CMD_TIMELINE | CMD_RECORD},
	{K_OUTPUT, "output", "FILE", "write here instead of stdout", CMD_RECORD | CMD_IMPORT | CMD_BASELINE |
	 CMD_SNAPSHOT | CMD_REDACT},
	{K_FORCE, "force", NULL, "overwrite an existing output file", CMD_RECORD | CMD_IMPORT | CMD_BASELINE |
	 CMD_EXPORT | CMD_REPORT | CMD_SNAPSHOT | CMD_REDACT},
	{K_REDACT, "redact", NULL, "write no original segment address: runs keep lengths, adjacency and every "
	 "boundary up to 4 GiB (docs/trace-format.md)", CMD_RECORD},
	{K_DURATION, "duration", "SECONDS", "stop recording after this long", CMD_RECORD},
	{K_PID, "pid", "PID", "only events of this process", CMD_RECORD},
	{K_QUIET, "quiet", NULL, "no live findings, only the summary", CMD_RECORD},
	{K_RING, "ring-size", "BYTES", "BPF ring buffer size (default 4M)", CMD_RECORD | CMD_DAEMON},
	{K_MAX_SEGS, "max-segs", "N", "DMA segments carried per map event (default 64)", CMD_RECORD | CMD_DAEMON},
	{K_ATTACH_MODE, "attach-mode", "MODE", "auto (default), fentry or kprobe", CMD_RECORD | CMD_DAEMON},
	{K_REORDER_WINDOW, "reorder-window", "MS", "hold events this long to write them in kernel time order "
	 "(default 20; live findings lag by it)", CMD_RECORD},
	{K_MAX_WALK, "max-walk", "N", "sg entries the kernel side walks per map at most (default 65536); "
	 "past it the map event says which facts are unknown", CMD_RECORD},
	{K_NO_STACKS, "no-stacks", NULL, "do not capture kernel stacks at attach and map", CMD_RECORD | CMD_DAEMON},
	{K_LIST_HOOKS, "list-hooks", NULL, "load and attach the BPF hooks, print the hook table (mode, kernel "
	 "function, why a fallback was taken) and exit without tracing", CMD_RECORD},
	{K_SEED_BUFINFO, "seed-bufinfo", "FILE", "bufinfo to seed buffers that existed before tracing "
	 "(default /sys/kernel/debug/dma_buf/bufinfo)", CMD_RECORD | CMD_DAEMON | CMD_STATE},
	{K_FROM, "from", "KIND", "input kind: ftrace", CMD_IMPORT},
	{K_PERFETTO, "perfetto", "OUT", "write Chrome trace-event JSON for the Perfetto UI", CMD_EXPORT},
	{K_HTML, "html", "OUT", "write a self-contained HTML report", CMD_REPORT},
	{K_DIR, "dir", "DIR", "segment directory (created if missing)", CMD_DAEMON},
	{K_ROTATE_SIZE, "rotate-size", "SIZE", "start a new segment at this size (default 64M)", CMD_DAEMON},
	{K_ROTATE_TIME, "rotate-time", "DURATION", "start a new segment after this long (e.g. 1h, 30m, 10s)",
	 CMD_DAEMON},
	{K_KEEP, "keep", "N", "keep at most N closed segments (default 100)", CMD_DAEMON},
	{K_KEEP_SIZE, "keep-size", "SIZE", "keep at most SIZE bytes of closed segments (instead of --keep)",
	 CMD_DAEMON},
	{K_SOCKET, "socket", "PATH", "control socket (default /run/dmabuf-trace/control)",
	 CMD_DAEMON | CMD_STATUS | CMD_STATE | CMD_SNAPSHOT},
	{K_SOCKET_GROUP, "socket-group", "GROUP", "group allowed to use the control socket (mode 0660)", CMD_DAEMON},
	{K_SNAPSHOT_ON_ERROR, "snapshot-on-error", NULL,
	 "write a flight-recorder snapshot into DIR after each error finding (2 s after it)", CMD_DAEMON},
	{K_SNAPSHOT_LIMIT, "snapshot-limit", "N", "automatic snapshots per hour at most (default 6)", CMD_DAEMON},
	{K_FLIGHT_RECORDER, "flight-recorder", "SIZE", "memory for the newest events (default 16M; 0: off)",
	 CMD_DAEMON},
	{K_METRICS_FILE, "metrics-file", "PATH", "write Prometheus metrics here every 5 s (atomically)", CMD_DAEMON},
	{K_FROM_TRACE, "from-trace", "TRACE", "replay a recorded trace instead of tracing the kernel (tests, demos)",
	 CMD_DAEMON},
	{K_LAST, "last", "DURATION", "only the newest DURATION of events (e.g. 30s)", CMD_SNAPSHOT},
	{K_LIVE, "live", NULL, "the machine's live buffers now (from the daemon, else debugfs and /proc)", CMD_STATE},
	{K_LIST_FLAGS, "list-flags", NULL, "print this command's flags, one per line, and exit", ~0u},
};

struct parse_state {
	const struct dt_command *cmd;
	struct dt_cli *cli;
	char **args;
	int nargs;
};

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	if (dt_parse_size(s, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "90", "1.5", "30s", "5m", "2h", "1d" -> seconds (> 0). */
static int parse_duration(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	double mult = 1;
	if (!strcmp(end, "") || !strcmp(end, "s"))
		mult = 1;
	else if (!strcmp(end, "ms"))
		mult = 0.001;
	else if (!strcmp(end, "m") || !strcmp(end, "min"))
		mult = 60;
	else if (!strcmp(end, "h"))
		mult = 3600;
	else if (!strcmp(end, "d"))
		mult = 86400;
	else
		return -1;
	*out = v * mult;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_state *ps = state->input;
	struct dt_cli *cli = ps->cli;
	char *end;
	switch (key) {
	case K_CONSTRAINTS: cli->constraints = arg; break;
	case K_FORMAT:
		if (!strcmp(arg, "text"))
			cli->format = FMT_TEXT;
		else if (!strcmp(arg, "json"))
			cli->format = FMT_JSON;
		else if (!strcmp(arg, "junit"))
			cli->format = FMT_JUNIT;
		else
			argp_error(state, "--format must be text, json or junit, not \"%s\"", arg);
		break;
	case K_MIN_SEVERITY: {
		int s = dt_severity_from_name(arg);
		if (s < 0)
			argp_error(state, "--min-severity must be info, warning or error, not \"%s\"", arg);
		cli->min_severity = (enum dt_severity)s;
		break;
	}
	case K_BUF: {
		uint64_t v = 0;
		if (dt_parse_size(arg, &v) < 0)
			argp_error(state, "--buf needs an inode number, not \"%s\"", arg);
		cli->buf = v;
		cli->have_buf = true;
		break;
	}
	case K_AT:
		errno = 0;
		cli->at = strtoull(arg, &end, 10);
		if (errno || *end || end == arg || arg[0] < '0' || arg[0] > '9')
			argp_error(state, "--at needs a time in nanoseconds, not \"%s\"", arg);
		cli->have_at = true;
		break;
	case K_BASELINE: cli->baseline = arg; break;
	case K_COLOR:
		if (!strcmp(arg, "auto"))
			cli->color = COLOR_AUTO;
		else if (!strcmp(arg, "always"))
			cli->color = COLOR_ALWAYS;
		else if (!strcmp(arg, "never"))
			cli->color = COLOR_NEVER;
		else
			argp_error(state, "--color must be auto, always or never, not \"%s\"", arg);
		break;
	case K_OUTPUT: cli->output = arg; break;
	case K_FORCE: cli->force = true; break;
	case K_DURATION:
		errno = 0;
		cli->duration = strtod(arg, &end);
		if (errno || *end || end == arg || !(cli->duration > 0))
			argp_error(state, "--duration needs a positive number of seconds, not \"%s\"", arg);
		break;
	case K_PID: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v == 0 || v > 4194304)
			argp_error(state, "--pid needs a process id, not \"%s\"", arg);
		cli->pid = (int)v;
		break;
	}
	case K_QUIET: cli->quiet = true; break;
	case K_RING:
		if (parse_u32(arg, &cli->ring_bytes) < 0 || cli->ring_bytes < 4096 ||
		    (cli->ring_bytes & (cli->ring_bytes - 1)))
			argp_error(state, "--ring-size needs a power of two of at least 4K, not \"%s\"", arg);
		break;
	case K_MAX_SEGS:
		if (parse_u32(arg, &cli->max_segs) < 0 || cli->max_segs > 1024)
			argp_error(state, "--max-segs needs a number from 0 to 1024, not \"%s\"", arg);
		break;
	case K_ATTACH_MODE:
		if (!strcmp(arg, "auto"))
			cli->attach_mode = 0;
		else if (!strcmp(arg, "fentry"))
			cli->attach_mode = 1;
		else if (!strcmp(arg, "kprobe"))
			cli->attach_mode = 2;
		else
			argp_error(state, "--attach-mode must be auto, fentry or kprobe, not \"%s\"", arg);
		break;
	case K_NO_STACKS: cli->no_stacks = true; break;
	case K_REDACT: cli->redact = true; break;
	case K_LIST_HOOKS: cli->list_hooks = true; break;
	case K_REORDER_WINDOW:
		errno = 0;
		cli->reorder_window_ms = strtod(arg, &end);
		if (errno || *end || end == arg || !(cli->reorder_window_ms >= 0) || cli->reorder_window_ms > 10000)
			argp_error(state, "--reorder-window needs milliseconds from 0 to 10000, not \"%s\"", arg);
		cli->have_reorder_window = true;
		break;
	case K_MAX_WALK:
		if (parse_u32(arg, &cli->max_walk) < 0 || cli->max_walk == 0 || cli->max_walk > (1u << 23))
			argp_error(state, "--max-walk needs a number from 1 to 8388608, not \"%s\"", arg);
		break;
	case K_SEED_BUFINFO: cli->seed_bufinfo = arg; break;
	case K_FROM:
		if (strcmp(arg, "ftrace") != 0)
			argp_error(state, "--from must be ftrace, not \"%s\"", arg);
		cli->from = arg;
		break;
	case K_PERFETTO: cli->perfetto = arg; break;
	case K_HTML: cli->html = arg; break;
	case K_DIR: cli->dir = arg; break;
	case K_ROTATE_SIZE:
		if (dt_parse_size(arg, &cli->rotate_bytes) < 0 || cli->rotate_bytes < 4096)
			argp_error(state, "--rotate-size needs a size of at least 4K, not \"%s\"", arg);
		break;
	case K_ROTATE_TIME:
		if (parse_duration(arg, &cli->rotate_seconds) < 0)
			argp_error(state, "--rotate-time needs a duration (30s, 5m, 1h), not \"%s\"", arg);
		break;
	case K_KEEP: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v == 0)
			argp_error(state, "--keep needs a count of at least 1, not \"%s\"", arg);
		cli->keep = v;
		break;
	}
	case K_KEEP_SIZE:
		if (dt_parse_size(arg, &cli->keep_bytes) < 0 || cli->keep_bytes == 0)
			argp_error(state, "--keep-size needs a size, not \"%s\"", arg);
		break;
	case K_SOCKET: cli->socket_path = arg; break;
	case K_SOCKET_GROUP: cli->socket_group = arg; break;
	case K_SNAPSHOT_ON_ERROR: cli->snapshot_on_error = true; break;
	case K_SNAPSHOT_LIMIT: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v > 60)
			argp_error(state, "--snapshot-limit needs a number from 0 to 60, not \"%s\"", arg);
		cli->snapshot_limit = v;
		break;
	}
	case K_FLIGHT_RECORDER:
		if (dt_parse_size(arg, &cli->flight_bytes) < 0 || cli->flight_bytes > (1ull << 32))
			argp_error(state, "--flight-recorder needs a size up to 4G (0: off), not \"%s\"", arg);
		cli->have_flight = true;
		break;
	case K_METRICS_FILE: cli->metrics_file = arg; break;
	case K_FROM_TRACE: cli->from_trace = arg; break;
	case K_LAST:
		if (parse_duration(arg, &cli->last_seconds) < 0)
			argp_error(state, "--last needs a duration (30s, 5m), not \"%s\"", arg);
		break;
	case K_LIVE: cli->live = true; break;
	case K_LIST_FLAGS:
		dt_cli_list_flags(ps->cmd->bit);
		exit(DT_EXIT_OK);
	case ARGP_KEY_ARG:
		ps->args[ps->nargs++] = arg;
		break;
	case ARGP_KEY_END:
		if (ps->nargs < ps->cmd->min_args)
			argp_error(state, "%s needs %s", ps->cmd->name, ps->cmd->args_doc);
		if (ps->cmd->max_args >= 0 && ps->nargs > ps->cmd->max_args)
			argp_error(state, "too many arguments for %s", ps->cmd->name);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

void dt_cli_list_flags(unsigned cmd_bit)
{
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (registry[i].cmds & cmd_bit)
			printf("--%s\n", registry[i].name);
}

void dt_cli_parse(const struct dt_command *cmd, int argc, char **argv, struct dt_cli *cli)
{
	static struct argp_option options[sizeof(registry) / sizeof(registry[0]) + 1];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++) {
		const struct flag *f = &registry[i];
		if (!(f->cmds & cmd->bit))
			continue;
		bool short_ok = f->key < 0x100;
		options[n++] = (struct argp_option){f->name, short_ok ? (int)f->key : (int)f->key, f->arg, 0, f->doc, 0};
	}
	options[n] = (struct argp_option){0};

	char progname[64];
	snprintf(progname, sizeof(progname), "dmabuf-trace %s", cmd->name);
	argv[0] = progname;

	cli->command = cmd->name;
	cli->args = calloc((size_t)argc + 1, sizeof(char *));
	if (!cli->args) {
		fprintf(stderr, "dmabuf-trace: out of memory\n");
		exit(DT_EXIT_SYSTEM);
	}
	struct parse_state ps = {cmd, cli, cli->args, 0};
	struct argp argp = {options, parse_opt, cmd->args_doc, cmd->doc, NULL, NULL, NULL};
	argp_err_exit_status = DT_EXIT_INPUT;
	argp_parse(&argp, argc, argv, 0, NULL, &ps);
	cli->nargs = ps.nargs;
}

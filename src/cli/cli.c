// SPDX-License-Identifier: Apache-2.0
/* The flag registry: every flag of every command is declared once here, with its name, argument, help and
 * how it is parsed; a command lists which of them it takes (its cmd_*.c), so names and meanings cannot drift
 * apart. Enum-valued options are parsed from tables, which also give their help and error texts. */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/units.h"
#include "dmabuf_trace_abi.h"
#include "dmabuf_trace_defaults.h"

#define DT_STR_(x) #x
#define DT_STR(x) DT_STR_(x)

int dt_exit_status(enum dt_status st)
{
	/* The statuses are the documented exit codes (common/errors.h); one place says so. */
	return (int)st;
}

struct enum_name {
	const char *name;
	int value;
};

#define ENUM_END {NULL, 0}
static const struct enum_name format_names[] = {
	{"text", FMT_TEXT}, {"json", FMT_JSON}, {"junit", FMT_JUNIT}, {"perfetto", FMT_PERFETTO}, {"html", FMT_HTML},
	ENUM_END,
};
static const struct enum_name severity_names[] = {
	{"info", DT_SEV_INFO}, {"warning", DT_SEV_WARNING}, {"error", DT_SEV_ERROR}, ENUM_END,
};
static const struct enum_name color_names[] = {
	{"auto", COLOR_AUTO}, {"always", COLOR_ALWAYS}, {"never", COLOR_NEVER}, ENUM_END,
};
static const struct enum_name sort_names[] = {{"time", SORT_TIME}, {"severity", SORT_SEVERITY}, ENUM_END};
static const struct enum_name attach_mode_names[] = {{"auto", 0}, {"fentry", 1}, {"kprobe", 2}, ENUM_END};
static const struct enum_name from_names[] = {{"ftrace", 0}, ENUM_END};

const char *dt_format_name(enum dt_format f)
{
	for (const struct enum_name *e = format_names; e->name; e++)
		if (e->value == (int)f)
			return e->name;
	return "?";
}

struct flag {
	int short_key; /* 0: long only */
	const char *name;
	const char *arg;
	const char *doc;
	bool repeatable;
	const struct enum_name *values; /* enum-valued: the names it accepts */
};

/* Indexed by enum dt_flag. */
static const struct flag registry[F__COUNT] = {
	[F_CONSTRAINTS] = {'c', "constraints", "FILE", "importer constraints profile (docs/constraints.md), or none; "
			   "default: the profile the trace was recorded with, if any", false, NULL},
	[F_FORMAT] = {'f', "format", "FMT", NULL /* per command: its formats */, false, format_names},
	[F_OUTPUT] = {'o', "output", "FILE", "write here instead of stdout ('-': stdout)", false, NULL},
	[F_FORCE] = {0, "force", NULL, "overwrite an existing output file", false, NULL},
	[F_MIN_SEVERITY] = {0, "min-severity", "SEV", "show findings of at least info (default), warning or error",
			    false, severity_names},
	[F_COLOR] = {0, "color", "WHEN", "colour: auto (default: on a terminal, unless NO_COLOR is set), always, never",
		     false, color_names},
	[F_BUF] = {0, "buf", "INODE", "only the buffer with this inode number (repeatable)", true, NULL},
	[F_PID] = {'p', "pid", "PID", "only events of this process (repeatable)", true, NULL},
	[F_COMM] = {0, "comm", "NAME", "only events of tasks with this comm, a glob (repeatable)", true, NULL},
	[F_DEV] = {0, "dev", "GLOB", "only importers whose device name matches (repeatable)", true, NULL},
	[F_DRIVER] = {0, "driver", "GLOB", "only importers whose driver matches (repeatable)", true, NULL},
	[F_EXPORTER] = {0, "exporter", "GLOB", "only buffers of this exporter (repeatable)", true, NULL},
	[F_SINCE] = {0, "since", "TIME", "only from this time: ns of the trace's clock, or +0.03s from its first event",
		     false, NULL},
	[F_UNTIL] = {0, "until", "TIME", "only up to this time (as --since)", false, NULL},
	[F_RULE] = {0, "rule", "RULE", "only findings of this rule (repeatable; dmabuf-trace rules lists them)", true,
		    NULL},
	[F_NO_RULE] = {0, "no-rule", "RULE", "no findings of this rule (repeatable)", true, NULL},
	[F_NO_GROUP] = {0, "no-group", NULL, "one line per finding: do not fold repeats into one line", false, NULL},
	[F_SORT] = {0, "sort", "KEY", "order findings by time (default) or severity (errors first)", false, sort_names},
	[F_MAX_FINDINGS] = {0, "max-findings", "N", "show at most N findings (lines); the summary counts all", false,
			    NULL},
	[F_AT] = {0, "at", "TIME", "the state after the last event at or before this time (ns of the trace's clock, "
		  "or +0.03s from its first event)", false, NULL},
	[F_BASELINE] = {0, "baseline", "FILE", "report only findings not in this baseline (dmabuf-trace baseline)",
			false, NULL},
	[F_ABSOLUTE_TIME] = {0, "absolute-time", NULL, "keep the trace's boottime ns as timestamps (overlays a "
			     "Perfetto or ftrace capture of the same boot) instead of starting at 0", false, NULL},
	[F_DURATION] = {'d', "duration", "SECONDS", "stop recording after this long", false, NULL},
	[F_QUIET] = {'q', "quiet", NULL, "no live findings, only the summary", false, NULL},
	[F_ALL] = {0, "all", NULL, "with a COMMAND: findings and summary of every process, not only its tree", false,
		   NULL},
	[F_RING] = {0, "ring-size", "BYTES", "BPF ring buffer size (default 4M per online CPU, at most 16M)", false, NULL},
	[F_MAX_SEGS] = {0, "max-segs", "N", "DMA segments carried per map event (default 64)", false, NULL},
	[F_ATTACH_MODE] = {0, "attach-mode", "MODE", "auto (default), fentry or kprobe", false, attach_mode_names},
	[F_NO_STACKS] = {0, "no-stacks", NULL, "do not capture kernel stacks at attach and map", false, NULL},
	[F_REORDER_WINDOW] = {0, "reorder-window", "MS", "hold events this long to write them in kernel time order "
			      "(default 20; live findings lag by it)", false, NULL},
	[F_MAX_WALK] = {0, "max-walk", "N", "sg entries the kernel side walks per map at most (default 65536); past it "
			"the map event says which facts are unknown", false, NULL},
	[F_STACK_DEPTH] = {0, "stack-depth", "N", "kernel frames captured per attach and map stack, 1 to 32 (default "
			   DT_STR(DT_DEFAULT_STACK_DEPTH) ": the importer's code path; each frame costs an unwind step in "
			   "the traced task)", false, NULL},
	[F_LIST_HOOKS] = {0, "list-hooks", NULL, "load and attach the BPF hooks, print the hook table (mode, kernel "
			  "function, why a fallback was taken) and what each BPF program cost to load (time, verifier "
			  "instructions), and exit without tracing", false, NULL},
	[F_SEED_BUFINFO] = {0, "seed-bufinfo", "FILE", "bufinfo to seed buffers that existed before tracing "
			    "(default /sys/kernel/debug/dma_buf/bufinfo)", false, NULL},
	[F_FROM] = {0, "from", "KIND", "input kind: ftrace", false, from_names},
	[F_PERFETTO] = {0, "perfetto", "OUT", "same as --format perfetto -o OUT", false, NULL},
	[F_HTML] = {0, "html", "OUT", "same as --format html -o OUT", false, NULL},
	[F_REDACT] = {0, "redact", NULL, "write no original segment address: runs keep lengths, adjacency and every "
		      "boundary up to 4 GiB (docs/trace-format.md)", false, NULL},
	[F_DIR] = {0, "dir", "DIR", "segment directory (created if missing)", false, NULL},
	[F_ROTATE_SIZE] = {0, "rotate-size", "SIZE", "start a new segment at this size (default 64M)", false, NULL},
	[F_ROTATE_TIME] = {0, "rotate-time", "DURATION", "start a new segment after this long (e.g. 1h, 30m, 10s)", false,
			   NULL},
	[F_KEEP] = {0, "keep", "N", "keep at most N closed segments (default 100)", false, NULL},
	[F_KEEP_SIZE] = {0, "keep-size", "SIZE", "keep at most SIZE bytes of closed segments (instead of --keep)", false,
			 NULL},
	[F_SOCKET] = {0, "socket", "PATH", "control socket (default /run/dmabuf-trace/control)", false, NULL},
	[F_SOCKET_GROUP] = {0, "socket-group", "GROUP", "group allowed to use the control socket (mode 0660)", false, NULL},
	[F_SNAPSHOT_ON_ERROR] = {0, "snapshot-on-error", NULL, "write a flight-recorder snapshot into DIR after each "
				 "error finding (2 s after it)", false, NULL},
	[F_SNAPSHOT_LIMIT] = {0, "snapshot-limit", "N", "automatic snapshots per hour at most (default 6)", false, NULL},
	[F_FLIGHT_RECORDER] = {0, "flight-recorder", "SIZE", "memory for the newest events (default 16M; 0: off)", false,
			       NULL},
	[F_METRICS_FILE] = {0, "metrics-file", "PATH", "write Prometheus metrics here every 5 s (atomically)", false, NULL},
	[F_FROM_TRACE] = {0, "from-trace", "TRACE", "replay a recorded trace instead of tracing the kernel (tests, demos)",
			  false, NULL},
	[F_LAST] = {0, "last", "DURATION", "only the newest DURATION of events (e.g. 30s)", false, NULL},
	[F_LIVE] = {0, "live", NULL, "the machine's live buffers now (from the daemon, else debugfs and /proc)", false,
		    NULL},
	[F_LIST_FLAGS] = {0, "list-flags", NULL, "print this command's flags, one per line, and exit", false, NULL},
};

/* argp keys: the short letter where there is one, else 0x100 + flag. */
static int argp_key(enum dt_flag f)
{
	return registry[f].short_key ? registry[f].short_key : 0x100 + (int)f;
}

static enum dt_flag flag_of_key(int key)
{
	for (int f = 1; f < F__COUNT; f++)
		if (argp_key((enum dt_flag)f) == key)
			return (enum dt_flag)f;
	return F_END;
}

bool dt_cli_takes(const struct dt_command *cmd, enum dt_flag f)
{
	if (f == F_LIST_FLAGS)
		return true;
	for (const enum dt_flag *p = cmd->flags; *p != F_END; p++)
		if (*p == f)
			return true;
	return false;
}

struct parse_state {
	const struct dt_command *cmd;
	struct dt_cli *cli;
	unsigned seen[F__COUNT];
};

void dt_cli_usage_error(const struct dt_cli *cli, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dt_err("%s", msg);
	if (cli->format != FMT_JSON)
		fprintf(stderr, "Try 'dmabuf-trace %s --help' for more information.\n", cli->command);
	exit(DT_EXIT_INPUT);
}

/* "a, b or c" of an enum table (restricted to mask when mask is not ~0). */
static const char *enum_list(char *out, size_t outsz, const struct enum_name *v, unsigned mask)
{
	size_t n = 0, total = 0, k = 0;
	for (const struct enum_name *e = v; e->name; e++)
		if (mask & (1u << e->value))
			total++;
	out[0] = '\0';
	for (const struct enum_name *e = v; e->name; e++) {
		if (!(mask & (1u << e->value)))
			continue;
		k++;
		n += (size_t)snprintf(out + n, n < outsz ? outsz - n : 0, "%s%s", k == 1 ? "" : k == total ? " or " : ", ",
				      e->name);
	}
	return out;
}

static int parse_enum(struct parse_state *ps, enum dt_flag f, const char *arg, unsigned mask)
{
	for (const struct enum_name *e = registry[f].values; e->name; e++)
		if ((mask & (1u << e->value)) && !strcmp(e->name, arg))
			return e->value;
	char list[200];
	dt_cli_usage_error(ps->cli, "--%s must be %s, not \"%s\"", registry[f].name,
			   enum_list(list, sizeof(list), registry[f].values, mask), arg);
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	if (dt_parse_size(s, &v) < 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_duration(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !(v > 0))
		return -1;
	double mult;
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

static void add_string(struct parse_state *ps, enum dt_flag f, const char **list, unsigned *n, const char *arg)
{
	if (*n >= DT_SELECT_MAX)
		dt_cli_usage_error(ps->cli, "--%s given more than %d times", registry[f].name, DT_SELECT_MAX);
	if (!*arg)
		dt_cli_usage_error(ps->cli, "--%s needs a non-empty value", registry[f].name);
	list[(*n)++] = arg;
}

static uint32_t rule_bit(struct parse_state *ps, enum dt_flag f, const char *arg)
{
	for (int r = 0; r < DT_RULE__COUNT; r++)
		if (!strcmp(dt_rule_info[r].id, arg))
			return 1u << r;
	dt_cli_usage_error(ps->cli, "--%s: unknown rule \"%s\" (dmabuf-trace rules lists them)", registry[f].name, arg);
}

static void set_format(struct parse_state *ps, enum dt_format fmt)
{
	ps->cli->format = fmt;
	ps->cli->format_set = true;
	/* Under a machine format, errors are JSON too (one voice per run). */
	dt_errors_setup(ps->cli->command, fmt == FMT_JSON);
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct parse_state *ps = state->input;
	struct dt_cli *cli = ps->cli;
	char *end;
	enum dt_flag f = flag_of_key(key);
	if (f != F_END) {
		/* A single-value flag given twice is a mistake, not "last one wins". The aliases count as
		 * --format and --output. */
		enum dt_flag counted[2] = {f, F_END};
		if (f == F_PERFETTO || f == F_HTML) {
			counted[0] = F_FORMAT;
			counted[1] = F_OUTPUT;
		}
		for (int i = 0; i < 2 && counted[i] != F_END; i++)
			if (ps->seen[counted[i]]++ && !registry[counted[i]].repeatable)
				dt_cli_usage_error(cli, "--%s given twice%s", registry[counted[i]].name,
						   f != counted[i] ? " (through --perfetto/--html)" : "");
	}
	switch (f) {
	case F_CONSTRAINTS: cli->constraints = arg; break;
	case F_FORMAT: set_format(ps, (enum dt_format)parse_enum(ps, f, arg, ps->cmd->formats)); break;
	case F_MIN_SEVERITY: cli->min_severity = (enum dt_severity)parse_enum(ps, f, arg, ~0u); break;
	case F_COLOR: cli->color = (enum dt_color)parse_enum(ps, f, arg, ~0u); break;
	case F_SORT: cli->sort = (enum dt_sort)parse_enum(ps, f, arg, ~0u); break;
	case F_ATTACH_MODE: cli->attach_mode = parse_enum(ps, f, arg, ~0u); break;
	case F_FROM: parse_enum(ps, f, arg, ~0u); cli->from = arg; break;
	case F_BUF: {
		uint64_t v = 0;
		if (dt_parse_size(arg, &v) < 0)
			dt_cli_usage_error(cli, "--buf needs an inode number, not \"%s\"", arg);
		if (cli->select.nbufs >= DT_SELECT_MAX)
			dt_cli_usage_error(cli, "--buf given more than %d times", DT_SELECT_MAX);
		cli->select.bufs[cli->select.nbufs++] = v;
		if (!cli->have_buf)
			cli->buf = v;
		cli->have_buf = true;
		break;
	}
	case F_PID: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v == 0 || v > 4194304)
			dt_cli_usage_error(cli, "--pid needs a process id, not \"%s\"", arg);
		if (cli->select.npids >= DT_SELECT_MAX)
			dt_cli_usage_error(cli, "--pid given more than %d times", DT_SELECT_MAX);
		cli->select.pids[cli->select.npids++] = v;
		break;
	}
	case F_COMM: add_string(ps, f, cli->select.comms, &cli->select.ncomms, arg); break;
	case F_DEV: add_string(ps, f, cli->select.devs, &cli->select.ndevs, arg); break;
	case F_DRIVER: add_string(ps, f, cli->select.drivers, &cli->select.ndrivers, arg); break;
	case F_EXPORTER: add_string(ps, f, cli->select.exporters, &cli->select.nexporters, arg); break;
	case F_SINCE:
	case F_UNTIL:
		if (dt_time_arg_parse(arg, f == F_SINCE ? &cli->select.since : &cli->select.until) < 0)
			dt_cli_usage_error(cli, "--%s needs a time: ns of the trace's clock or +SECONDS[s|ms|us|ns] from its "
					   "first event, not \"%s\"", registry[f].name, arg);
		break;
	case F_AT:
		if (dt_time_arg_parse(arg, &cli->at) < 0)
			dt_cli_usage_error(cli, "--at needs a time in nanoseconds or +SECONDS from the first event, not \"%s\"",
					   arg);
		break;
	case F_RULE:
		cli->select.rule_only = true;
		cli->select.rules_on |= rule_bit(ps, f, arg);
		break;
	case F_NO_RULE: cli->select.rules_off |= rule_bit(ps, f, arg); break;
	case F_NO_GROUP: cli->no_group = true; break;
	case F_MAX_FINDINGS:
		errno = 0;
		cli->max_findings = strtoull(arg, &end, 10);
		if (errno || *end || end == arg || arg[0] < '0' || arg[0] > '9')
			dt_cli_usage_error(cli, "--max-findings needs a number, not \"%s\"", arg);
		cli->have_max_findings = true;
		break;
	case F_BASELINE: cli->baseline = arg; break;
	case F_ABSOLUTE_TIME: cli->absolute_time = true; break;
	case F_OUTPUT: cli->output = arg; break;
	case F_FORCE: cli->force = true; break;
	case F_DURATION:
		errno = 0;
		cli->duration = strtod(arg, &end);
		if (errno || *end || end == arg || !(cli->duration > 0))
			dt_cli_usage_error(cli, "--duration needs a positive number of seconds, not \"%s\"", arg);
		break;
	case F_QUIET: cli->quiet = true; break;
	case F_ALL: cli->all = true; break;
	case F_RING:
		if (parse_u32(arg, &cli->ring_bytes) < 0 || cli->ring_bytes < 4096 ||
		    (cli->ring_bytes & (cli->ring_bytes - 1)))
			dt_cli_usage_error(cli, "--ring-size needs a power of two of at least 4K, not \"%s\"", arg);
		break;
	case F_MAX_SEGS:
		if (parse_u32(arg, &cli->max_segs) < 0 || cli->max_segs > 1024)
			dt_cli_usage_error(cli, "--max-segs needs a number from 0 to 1024, not \"%s\"", arg);
		break;
	case F_NO_STACKS: cli->no_stacks = true; break;
	case F_LIST_HOOKS: cli->list_hooks = true; break;
	case F_REDACT: cli->redact = true; break;
	case F_DIR: cli->dir = arg; break;
	case F_ROTATE_SIZE:
		if (dt_parse_size(arg, &cli->rotate_bytes) < 0 || cli->rotate_bytes < 4096)
			dt_cli_usage_error(cli, "--rotate-size needs a size of at least 4K, not \"%s\"", arg);
		break;
	case F_ROTATE_TIME:
		if (parse_duration(arg, &cli->rotate_seconds) < 0)
			dt_cli_usage_error(cli, "--rotate-time needs a duration (30s, 5m, 1h), not \"%s\"", arg);
		break;
	case F_KEEP: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v == 0)
			dt_cli_usage_error(cli, "--keep needs a count of at least 1, not \"%s\"", arg);
		cli->keep = v;
		break;
	}
	case F_KEEP_SIZE:
		if (dt_parse_size(arg, &cli->keep_bytes) < 0 || cli->keep_bytes == 0)
			dt_cli_usage_error(cli, "--keep-size needs a size, not \"%s\"", arg);
		break;
	case F_SOCKET: cli->socket_path = arg; break;
	case F_SOCKET_GROUP: cli->socket_group = arg; break;
	case F_SNAPSHOT_ON_ERROR: cli->snapshot_on_error = true; break;
	case F_SNAPSHOT_LIMIT: {
		uint32_t v = 0;
		if (parse_u32(arg, &v) < 0 || v > 60)
			dt_cli_usage_error(cli, "--snapshot-limit needs a number from 0 to 60, not \"%s\"", arg);
		cli->snapshot_limit = v;
		break;
	}
	case F_FLIGHT_RECORDER:
		if (dt_parse_size(arg, &cli->flight_bytes) < 0 || cli->flight_bytes > (1ull << 32))
			dt_cli_usage_error(cli, "--flight-recorder needs a size up to 4G (0: off), not \"%s\"", arg);
		cli->have_flight = true;
		break;
	case F_METRICS_FILE: cli->metrics_file = arg; break;
	case F_FROM_TRACE: cli->from_trace = arg; break;
	case F_LAST:
		if (parse_duration(arg, &cli->last_seconds) < 0)
			dt_cli_usage_error(cli, "--last needs a duration (30s, 5m), not \"%s\"", arg);
		break;
	case F_LIVE: cli->live = true; break;
	case F_REORDER_WINDOW:
		errno = 0;
		cli->reorder_window_ms = strtod(arg, &end);
		if (errno || *end || end == arg || !(cli->reorder_window_ms >= 0) || cli->reorder_window_ms > 10000)
			dt_cli_usage_error(cli, "--reorder-window needs milliseconds from 0 to 10000, not \"%s\"", arg);
		cli->have_reorder_window = true;
		break;
	case F_MAX_WALK:
		if (parse_u32(arg, &cli->max_walk) < 0 || cli->max_walk == 0 || cli->max_walk > (1u << 23))
			dt_cli_usage_error(cli, "--max-walk needs a number from 1 to 8388608, not \"%s\"", arg);
		break;
	case F_STACK_DEPTH:
		if (parse_u32(arg, &cli->stack_depth) < 0 || cli->stack_depth == 0 || cli->stack_depth > DT_ABI_STACK_MAX)
			dt_cli_usage_error(cli, "--stack-depth needs a number from 1 to %d, not \"%s\"", DT_ABI_STACK_MAX,
					   arg);
		cli->have_stack_depth = true;
		break;
	case F_SEED_BUFINFO: cli->seed_bufinfo = arg; break;
	case F_PERFETTO:
		set_format(ps, FMT_PERFETTO);
		cli->output = arg;
		break;
	case F_HTML:
		set_format(ps, FMT_HTML);
		cli->output = arg;
		break;
	case F_LIST_FLAGS:
		dt_cli_list_flags(ps->cmd);
		exit(DT_EXIT_OK);
	case F_END:
	case F__COUNT:
		switch (key) {
		case ARGP_KEY_ARG:
			cli->args[cli->nargs++] = arg;
			return 0;
		case ARGP_KEY_END:
			if (cli->nargs < ps->cmd->min_args)
				dt_cli_usage_error(cli, "%s needs %s", ps->cmd->name, ps->cmd->args_doc);
			if (ps->cmd->max_args >= 0 && cli->nargs > ps->cmd->max_args) {
				if (ps->cmd->max_args == 0 || !ps->cmd->args_doc || !*ps->cmd->args_doc)
					dt_cli_usage_error(cli, "%s takes no arguments", ps->cmd->name);
				else
					dt_cli_usage_error(cli, "too many arguments for %s (it takes %s)", ps->cmd->name,
							   ps->cmd->args_doc);
			}
			return 0;
		default:
			return ARGP_ERR_UNKNOWN;
		}
	}
	return 0;
}

void dt_cli_list_flags(const struct dt_command *cmd)
{
	for (const enum dt_flag *p = cmd->flags; *p != F_END; p++)
		printf("--%s\n", registry[*p].name);
	printf("--%s\n", registry[F_LIST_FLAGS].name);
}

/* --format's help for this command: only the formats it has. */
static const char *format_doc(const struct dt_command *cmd, char *out, size_t outsz)
{
	char list[200];
	enum_list(list, sizeof(list), format_names, cmd->formats);
	const char *def = "?";
	for (const struct enum_name *e = format_names; e->name; e++)
		if (cmd->formats & (1u << e->value)) {
			def = e->name;
			break;
		}
	snprintf(out, outsz, "output format: %s (default %s)", list, def);
	return out;
}

static enum dt_format default_format(const struct dt_command *cmd)
{
	for (int f = 0; f < FMT__COUNT; f++)
		if (cmd->formats & FMT_BIT(f))
			return (enum dt_format)f;
	return FMT_TEXT;
}

void dt_cli_parse(const struct dt_command *cmd, int argc, char **argv, struct dt_cli *cli)
{
	static struct argp_option options[F__COUNT + 1];
	static char fmt_doc[300], doc[8192];
	size_t n = 0;
	for (const enum dt_flag *p = cmd->flags;; p++) {
		enum dt_flag f = *p == F_END ? F_LIST_FLAGS : *p;
		const struct flag *fl = &registry[f];
		const char *fdoc = f == F_FORMAT ? format_doc(cmd, fmt_doc, sizeof(fmt_doc)) : fl->doc;
		options[n++] = (struct argp_option){fl->name, argp_key(f), fl->arg, 0, fdoc, 0};
		if (*p == F_END)
			break;
	}
	options[n] = (struct argp_option){0};
	snprintf(doc, sizeof(doc), "%s\v%s%s%s", cmd->summary, cmd->details ? cmd->details : "",
		 cmd->details ? "\n\n" : "", cmd->exits);

	char progname[64];
	snprintf(progname, sizeof(progname), "dmabuf-trace %s", cmd->name);
	argv[0] = progname;

	cli->cmd = cmd;
	cli->command = cmd->name;
	cli->format = default_format(cmd);
	dt_errors_setup(cmd->name, false);
	cli->args = calloc((size_t)argc + 1, sizeof(char *));
	if (!cli->args) {
		dt_err("out of memory");
		exit(DT_EXIT_SYSTEM);
	}
	struct parse_state ps = {.cmd = cmd, .cli = cli};
	struct argp argp = {options, parse_opt, cmd->args_doc, doc, NULL, NULL, NULL};
	argp_err_exit_status = DT_EXIT_INPUT;
	argp_parse(&argp, argc, argv, 0, NULL, &ps);
	/* NO_COLOR (no-color.org): any non-empty value turns colour off unless --color=always. */
	cli->use_color = dt_cli_color(cli, STDOUT_FILENO);
}

bool dt_cli_color(const struct dt_cli *cli, int fd)
{
	/* NO_COLOR (no-color.org): any non-empty value turns colour off, unless --color=always. */
	const char *no_color = getenv("NO_COLOR");
	bool env_off = no_color && *no_color;
	return cli->color == COLOR_ALWAYS || (cli->color == COLOR_AUTO && !env_off && isatty(fd));
}

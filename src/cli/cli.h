// SPDX-License-Identifier: Apache-2.0
/* The command line: one flag registry (cli.c) whose flags every command picks from, one table of commands
 * (main.c, each defined with its own help text in its cmd_*.c), and the exit codes. Only src/cli/ decides
 * exit codes; lower layers return a dt_status (common/errors.h) that dt_exit_status() maps. */
#ifndef DT_CLI_H
#define DT_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errors.h"
#include "render/format.h"
#include "rules/rules.h"
#include "rules/select.h"


/* The exit code for a library status. */
int dt_exit_status(enum dt_status st);

/* Every flag of every command, declared once in cli.c's registry. */
enum dt_flag {
	F_END = 0, /* terminates a command's flag list */
	F_CONSTRAINTS,
	F_FORMAT,
	F_OUTPUT,
	F_FORCE,
	F_MIN_SEVERITY,
	F_COLOR,
	F_BUF,
	F_PID,
	F_COMM,
	F_DEV,
	F_DRIVER,
	F_EXPORTER,
	F_SINCE,
	F_UNTIL,
	F_RULE,
	F_NO_RULE,
	F_NO_GROUP,
	F_SORT,
	F_MAX_FINDINGS,
	F_AT,
	F_BASELINE,
	F_ABSOLUTE_TIME,
	F_DURATION,
	F_QUIET,
	F_ALL,
	F_REDACT,
	F_DIR,
	F_ROTATE_SIZE,
	F_ROTATE_TIME,
	F_KEEP,
	F_KEEP_SIZE,
	F_SOCKET,
	F_SOCKET_GROUP,
	F_SNAPSHOT_ON_ERROR,
	F_SNAPSHOT_LIMIT,
	F_FLIGHT_RECORDER,
	F_METRICS_FILE,
	F_FROM_TRACE,
	F_LAST,
	F_LIVE,
	F_RING,
	F_MAX_SEGS,
	F_ATTACH_MODE,
	F_NO_STACKS,
	F_REORDER_WINDOW,
	F_MAX_WALK,
	F_STACK_DEPTH,
	F_LIST_HOOKS,
	F_SEED_BUFINFO,
	F_FROM,
	F_PERFETTO,
	F_HTML,
	F_LIST_FLAGS,
	F__COUNT,
};

enum dt_sort { SORT_TIME, SORT_SEVERITY };

/* Everything the command line can set; one struct handed to the command. */
struct dt_cli {
	const struct dt_command *cmd;
	const char *command;
	char **args; /* positional arguments */
	int nargs;

	const char *constraints;
	enum dt_format format;
	bool format_set;
	enum dt_severity min_severity;
	enum dt_color color;
	bool use_color; /* resolved for stdout: --color, NO_COLOR, terminal */
	struct dt_select select;
	bool have_buf;  /* --buf given (select.bufs[0] is the first) */
	uint64_t buf;
	bool no_group;
	enum dt_sort sort;
	bool have_max_findings;
	uint64_t max_findings;
	const char *output;
	const char *baseline;
	bool force;
	bool quiet;
	bool all;
	bool absolute_time;
	double duration;
	uint32_t ring_bytes;
	uint32_t max_segs;
	uint32_t max_walk;
	uint32_t stack_depth; /* --stack-depth; 0: not given */
	bool have_stack_depth;
	bool have_reorder_window;
	double reorder_window_ms;
	int attach_mode; /* 0 auto, 1 fentry, 2 kprobe */
	bool no_stacks;
	bool redact; /* record --redact: segment addresses redacted (ingest/redact.h) */
	bool list_hooks; /* record --list-hooks */
	const char *from;
	const char *seed_bufinfo;
	struct dt_time_arg at; /* state --at */
	/* daemon and its clients */
	const char *dir;
	uint64_t rotate_bytes;
	double rotate_seconds;
	unsigned keep;
	uint64_t keep_bytes;
	const char *socket_path;
	const char *socket_group;
	bool snapshot_on_error;
	unsigned snapshot_limit;
	bool have_flight;
	uint64_t flight_bytes;
	const char *metrics_file;
	const char *from_trace;
	double last_seconds; /* snapshot --last (0: all) */
	bool live;           /* state --live */

};

typedef int (*dt_command_fn)(struct dt_cli *cli);

/* One command, defined in its own cmd_*.c with its help text and the flags it takes. */
struct dt_command {
	const char *name;
	const char *args_doc;
	const char *summary;  /* one line: the top-level help's command list */
	const char *details;  /* --help after the options: details and examples */
	const char *exits;    /* "Exit status: ..." for this command */
	unsigned formats;     /* FMT_BIT()s of the formats --format accepts; first listed is the default */
	const enum dt_flag *flags; /* F_END-terminated */
	int min_args, max_args;    /* max -1: unlimited */
	bool stdout_output;        /* prints to stdout: -o FILE sends it to a file instead */
	dt_command_fn run;
};

/* The table of commands (main.c), in the order the help lists them. */
extern const struct dt_command *const dt_commands[];
const struct dt_command *dt_cmd_select(const char *name);

/* Parses argv for one command (argv[0] is the command) into cli. Exits 2 on usage errors, 0 after --help. */
void dt_cli_parse(const struct dt_command *cmd, int argc, char **argv, struct dt_cli *cli);
/* Prints the flags of a command as "--name" lines (completion, man page sync test). */
void dt_cli_list_flags(const struct dt_command *cmd);
/* The registry's names for enum-valued options (help text, tests). */
const char *dt_format_name(enum dt_format f);
/* Usage error in the command-line voice ("dmabuf-trace CMD: ..."), then exit 2. */
void dt_cli_usage_error(const struct dt_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Colour for text written to fd: --color, NO_COLOR, a terminal. */
bool dt_cli_color(const struct dt_cli *cli, int fd);
bool dt_cli_takes(const struct dt_command *cmd, enum dt_flag f);

#define DT_CMD_FLAGS(...) ((const enum dt_flag[]){__VA_ARGS__, F_END})
/* The analysis flags every command that reads traces takes. */
#define DT_ANALYSIS_FLAGS F_CONSTRAINTS, F_BUF, F_PID, F_COMM, F_DEV, F_DRIVER, F_EXPORTER, F_SINCE, F_UNTIL
#define DT_FINDINGS_FLAGS F_MIN_SEVERITY, F_RULE, F_NO_RULE

#endif

/* One flag registry for every subcommand (cli.c), and the options they fill. */
#ifndef DT_CLI_H
#define DT_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "common/errors.h"
#include "render/format.h"
#include "rules/rules.h"

/* Subcommand bits: which commands take a flag. */
enum {
	CMD_CHECK = 1u << 0,
	CMD_TIMELINE = 1u << 1,
	CMD_RECORD = 1u << 2,
	CMD_BASELINE = 1u << 3,
	CMD_EXPORT = 1u << 4,
	CMD_REPORT = 1u << 5,
	CMD_ADVISE = 1u << 6,
	CMD_IMPORT = 1u << 7,
	CMD_RECIPE = 1u << 8,
	CMD_STATE = 1u << 9,
	CMD_REDACT = 1u << 10,
	CMD_DAEMON = 1u << 11,
	CMD_STATUS = 1u << 12,
	CMD_SNAPSHOT = 1u << 13,
};


/* Everything the command line can set; one struct handed to the subcommand. */
struct dt_cli {
	const char *command;
	char **args; /* positional arguments */
	int nargs;

	const char *constraints;
	enum dt_format format;
	enum dt_severity min_severity;
	enum dt_color color;
	bool have_buf;
	uint64_t buf;
	const char *output;
	const char *baseline;
	bool force;
	bool quiet;
	double duration;
	int pid;
	uint32_t ring_bytes;
	uint32_t max_segs;
	uint32_t max_walk;
	bool have_reorder_window;
	double reorder_window_ms;
	int attach_mode; /* 0 auto, 1 fentry, 2 kprobe */
	bool no_stacks;
	bool redact; /* record --redact: segment addresses redacted (ingest/redact.h) */
	bool list_hooks; /* record --list-hooks */
	const char *from;
	const char *perfetto;
	const char *html;
	const char *seed_bufinfo;
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
	bool have_at;
	uint64_t at; /* state --at: trace time in ns (CLOCK_BOOTTIME) */
};

/* Exit statuses: enum dt_status (common/errors.h). */

typedef int (*dt_command_fn)(struct dt_cli *cli);

struct dt_command {
	const char *name;
	unsigned bit;
	const char *args_doc;
	const char *doc; /* argp doc: summary, "\v", examples */
	int min_args, max_args; /* max -1: unlimited */
	dt_command_fn run;
};

extern const struct dt_command dt_commands[];
extern const unsigned dt_ncommands;

/* Parses argv for one subcommand (argv[0] is the subcommand) into cli. Exits 2 on usage errors. */
void dt_cli_parse(const struct dt_command *cmd, int argc, char **argv, struct dt_cli *cli);
/* Prints the flags of a command as "--name" lines (completion, man page sync test). */
void dt_cli_list_flags(unsigned cmd_bit);

#endif

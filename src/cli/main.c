// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace: make dma-buf sharing visible and checkable. One table of commands, one cmd_select. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/output_file.h"
#include "common/version.h"
#include "render/findings.h"

const struct dt_command *const dt_commands[] = {
	&dt_check_command,  &dt_timeline_command, &dt_state_command,    &dt_daemon_command, &dt_status_command,
	&dt_snapshot_command, &dt_record_command, &dt_redact_command,  &dt_import_command, &dt_recipe_command,
	&dt_baseline_command, &dt_export_command, &dt_report_command,  &dt_advise_command, &dt_rules_command,
	NULL,
};

const struct dt_command *dt_cmd_select(const char *name)
{
	for (const struct dt_command *const *c = dt_commands; *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: dmabuf-trace COMMAND [OPTION...] [ARG...]\n\n"
		     "Traces dma-buf sharing between devices and checks it: importers that map before every\n"
		     "importer attached, scatterlists that break an importer's DMA limits, and attachments\n"
		     "mapped, unmapped, detached or released out of order.\n\nCommands:\n");
	for (const struct dt_command *const *c = dt_commands; *c; c++)
		fprintf(out, "  %-13s %s\n", (*c)->name, (*c)->summary);
	fprintf(out, "\n'dmabuf-trace help COMMAND' (or 'dmabuf-trace COMMAND --help') shows a command's options,\n"
		     "formats, examples and exit status.\n"
		     "Exit status: 0 success (no error finding), 1 an error-severity finding, 2 usage or input error,\n"
		     "3 the system refused (privileges, BPF, disk full); each command's help says which it has.\n");
}

/* Commands that print to stdout take -o FILE: stdout becomes that file (0600, no symlink, --force). */
static int redirect_stdout(const struct dt_cli *cli)
{
	if (!cli->output || !strcmp(cli->output, "-"))
		return DT_EXIT_OK;
	int fd = dt_open_output(cli->output, cli->force);
	if (fd < 0)
		return dt_output_status(fd);
	if (dup2(fd, STDOUT_FILENO) < 0) {
		dt_err("%s: %s", cli->output, strerror(errno));
		close(fd);
		return DT_EXIT_SYSTEM;
	}
	close(fd);
	return DT_EXIT_OK;
}

/* stdout is a pipe whose reader went away (`check ... | head`): not a failure of ours. */
static bool stdout_reader_gone(void)
{
	struct stat st;
	struct pollfd p = {.fd = STDOUT_FILENO, .events = 0};
	return fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode) && poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

static int run(const struct dt_command *cmd, int argc, char **argv)
{
	struct dt_cli cli = {0};
	dt_cli_parse(cmd, argc, argv, &cli);
	int rc = cmd->stdout_output ? redirect_stdout(&cli) : DT_EXIT_OK;
	if (rc == DT_EXIT_OK)
		rc = cmd->run(&cli);
	free(cli.args);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A reader that stopped reading keeps the status the whole analysis gave (SIGPIPE is ignored so
		 * that the analysis finishes). */
		if (stdout_reader_gone())
			return rc;
		dt_err("writing output: %s", strerror(errno));
		return DT_EXIT_SYSTEM;
	}
	return rc;
}

int main(int argc, char **argv)
{
	/* A closed pipe on stdout is an EPIPE write error, told apart in run(), not a kill by SIGPIPE (exit 141
	 * instead of the findings' status). */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return DT_EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return DT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("dmabuf-trace %s (trace format 1, finding schema %d)\n", DT_VERSION_STRING, DT_FINDING_SCHEMA);
		return DT_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) { /* help COMMAND: that command's --help */
		const struct dt_command *cmd = dt_cmd_select(argv[2]);
		if (!cmd || argc > 3) {
			dt_err("help: %s \"%s\" (try dmabuf-trace --help)", cmd ? "too many arguments after" : "unknown command",
			       argv[2]);
			return DT_EXIT_INPUT;
		}
		char *hargv[] = {argv[2], (char *)"--help", NULL};
		return run(cmd, 2, hargv);
	}
	const struct dt_command *cmd = dt_cmd_select(argv[1]);
	if (!cmd) {
		dt_err("unknown command \"%s\" (try dmabuf-trace --help)", argv[1]);
		return DT_EXIT_INPUT;
	}
	return run(cmd, argc - 1, argv + 1);
}

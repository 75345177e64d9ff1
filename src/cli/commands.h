// SPDX-License-Identifier: Apache-2.0
/* The commands, one file each (cmd_*.c): each defines its struct dt_command with its help text, the flags
 * it takes from the registry, its formats and its exit statuses. main.c lists them. */
#ifndef DT_COMMANDS_H
#define DT_COMMANDS_H

#include "cli/cli.h"

extern const struct dt_command dt_check_command;
extern const struct dt_command dt_timeline_command;
extern const struct dt_command dt_state_command;
extern const struct dt_command dt_record_command;
extern const struct dt_command dt_import_command;
extern const struct dt_command dt_recipe_command;
extern const struct dt_command dt_baseline_command;
extern const struct dt_command dt_export_command;
extern const struct dt_command dt_report_command;
extern const struct dt_command dt_advise_command;
extern const struct dt_command dt_rules_command;
extern const struct dt_command dt_redact_command;
extern const struct dt_command dt_daemon_command;
extern const struct dt_command dt_status_command;
extern const struct dt_command dt_snapshot_command;

/* Bodies defined with their own files (cmd_daemon.c, cmd_redact.c, cmd_state_live.c). */
int dt_cmd_redact(struct dt_cli *cli);
int dt_cmd_daemon(struct dt_cli *cli);
int dt_cmd_status(struct dt_cli *cli);
int dt_cmd_snapshot(struct dt_cli *cli);
int dt_state_live(struct dt_cli *cli);

/* record's body: the BPF capture (cmd_record.c) or the note that this build has none. */
int dt_run_record(struct dt_cli *cli);

/* Exit-status lines shared by several commands' help. */
#define DT_EXITS_FINDINGS                                                                                 \
	"Exit status: 0 no error finding, 1 an error-severity finding, 2 usage or input error, 3 the system "  \
	"refused (out of memory, disk full)."
#define DT_EXITS_WRITES                                                                                   \
	"Exit status: 0 written (findings do not change it), 2 usage or input error (also: the output file "   \
	"exists), 3 the system refused (out of memory, disk full)."

#endif

/* Subcommand entry points (one file each: cmd_*.c). */
#ifndef DT_COMMANDS_H
#define DT_COMMANDS_H

#include "cli/cli.h"

int dt_cmd_check(struct dt_cli *cli);
int dt_cmd_timeline(struct dt_cli *cli);
int dt_cmd_record(struct dt_cli *cli);
int dt_cmd_state(struct dt_cli *cli);
int dt_cmd_import(struct dt_cli *cli);
int dt_cmd_redact(struct dt_cli *cli);
int dt_cmd_ftrace_recipe(struct dt_cli *cli);
int dt_cmd_baseline(struct dt_cli *cli);
int dt_cmd_export(struct dt_cli *cli);
int dt_cmd_report(struct dt_cli *cli);
int dt_cmd_advise(struct dt_cli *cli);
int dt_cmd_daemon(struct dt_cli *cli);
int dt_cmd_status(struct dt_cli *cli);
int dt_cmd_snapshot(struct dt_cli *cli);
/* state --live (cmd_state_live.c) */
int dt_state_live(struct dt_cli *cli);

#endif

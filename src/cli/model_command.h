// SPDX-License-Identifier: Apache-2.0
/* What the model-based commands (export, report, advise) share: load a trace named on the command line
 * with its --constraints and selection (--buf, --dev, ...), and write a rendering to a file. */
#ifndef DT_MODEL_COMMAND_H
#define DT_MODEL_COMMAND_H

#include <stdio.h>

#include "cli/cli.h"
#include "render/model.h"

/* DT_EXIT_OK, or the exit status after the error was printed.
 * In every case m must then be freed with dt_model_free(). */
int dt_model_load_cli(struct dt_model *m, const struct dt_cli *cli, const char *path);

/* Writes n traces (with the command line's options) to out; 0, or -1 on a write or memory error. */
typedef int (*dt_models_writer)(const struct dt_model *const *models, size_t n, const struct dt_cli *cli, FILE *out);

/* Loads every trace of the command line (a file, '-', or a daemon's segment directory) and writes them with
 * write() to path (an output file: 0600, no symlink, no overwrite without --force; '-' is stdout). flag names
 * the option that gives path, for the message when it is missing. Several traces: each one's summary and a
 * grand total on stderr. */
int dt_model_render_to(const struct dt_cli *cli, const char *path, const char *flag, dt_models_writer write);

#endif

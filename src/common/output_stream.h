/* SPDX-License-Identifier: Apache-2.0 */
/* A stdio stream over dt_open_output (0600, no symlink, no overwrite without --force),
 * and closing it with error checking: shared by baseline, export, report. */
#ifndef DT_OUTPUT_STREAM_H
#define DT_OUTPUT_STREAM_H

#include <stdbool.h>
#include <stdio.h>

#include "common/errors.h"

/* NULL with *status set (after dt_err): DT_ERR_INPUT (exists, symlink) or DT_ERR_SYSTEM. */
FILE *dt_output_fopen(const char *path, bool force, enum dt_status *status);
/* Flushes and closes; returns DT_OK or DT_ERR_SYSTEM after dt_err(). */
enum dt_status dt_output_fclose(FILE *f, const char *path);

#endif

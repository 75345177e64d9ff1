/* SPDX-License-Identifier: Apache-2.0 */
/* Output files: traces reveal process names, so they are created 0600, never
 * through a symlink, and never overwrite an existing file without --force. */
#ifndef DT_OUTPUT_FILE_H
#define DT_OUTPUT_FILE_H

#include <stdbool.h>

#include "common/errors.h"

/* Returns an fd, or a negative errno after printing a one-line error. "-" is stdout. */
int dt_open_output(const char *path, bool force);
/* The exit status for dt_open_output's negative errno: the path asked for cannot be used (it exists, is a
 * symbolic link or a directory, or its directory does not exist: 2), or the system refused (3). */
enum dt_status dt_output_status(int neg_errno);

#endif

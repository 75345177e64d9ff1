/* SPDX-License-Identifier: Apache-2.0 */
/* Output files: traces reveal process names, so they are created 0600, never
 * through a symlink, and never overwrite an existing file without --force. */
#ifndef DT_OUTPUT_FILE_H
#define DT_OUTPUT_FILE_H

#include <stdbool.h>

/* Returns an fd, or a negative errno after printing a one-line error. "-" is stdout. */
int dt_open_output(const char *path, bool force);

#endif

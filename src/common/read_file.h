/* SPDX-License-Identifier: Apache-2.0 */
/* Reads a small input file (constraints profile, baseline) whole, with a size cap so
 * that /dev/zero or a huge file is refused instead of read forever. */
#ifndef DT_READ_FILE_H
#define DT_READ_FILE_H

#include <stddef.h>

/* On success returns a NUL-terminated buffer (free it) and its length in *len.
 * On failure NULL with "PATH: ..." in err; what (may be NULL) names the kind of file. */
char *dt_read_file(const char *path, size_t max_bytes, const char *what, size_t *len, char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Human-readable sizes and relative times for messages. */
#ifndef DT_UNITS_H
#define DT_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "4 MiB", "64 KiB", "1.5 MiB", "4100 B". */
const char *dt_fmt_size(char *out, size_t outsz, uint64_t bytes);
/* A size compared with a limit: dt_fmt_size's text, with the exact bytes where that text rounds
 * ("64.0 KiB (65535 bytes)"), so a segment one byte over a limit never reads as equal to it. */
const char *dt_fmt_size_exact(char *out, size_t outsz, uint64_t bytes);
/* Parses "65536", "64K", "64KiB", "1M", "0x10000". Returns 0 on success. */
int dt_parse_size(const char *s, uint64_t *out);
/* The strings up to a NULL, one after another into out: what snprintf(out, outsz, "%s%s...") writes, cut
 * the same way, without its cost (messages built per finding). Returns out. */
char *dt_join(char *out, size_t outsz, ...);

#endif

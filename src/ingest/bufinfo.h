/* SPDX-License-Identifier: Apache-2.0 */
/* debugfs dma_buf/bufinfo -> seeded trace events. `record` runs it before tracing so
 * buffers (and their attachments) that existed already are known instead of "unknown".
 * Format (drivers/dma-buf/dma-buf.c, dma_buf_debug_show), tab separated:
 *   size flags mode count exp_name ino name      (one line per buffer, %08zu ... %08lu %s)
 *   "\tAttached Devices:" then "\t<dev_name>" per attachment, "Total N devices attached"
 * plus fence lines, headers and totals that are skipped. */
#ifndef DT_BUFINFO_H
#define DT_BUFINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common/event.h"

/* Seeded attachment ids start here: far above any id the capture assigns. */
#define DT_BUFINFO_ATT_BASE (1ull << 48)
/* A buffer name's longest (DMA_BUF_NAME_LEN 32 with its NUL; dma_buf_set_name's strndup_user refuses more). */
#define DT_BUFINFO_NAME_MAX 31

typedef int (*dt_bufinfo_fn)(void *ctx, const struct dt_event *ev);

/* Calls fn with one export per buffer (has DT_HAS_SEEDED) followed by one attach per attached device
 * (DT_HAS_SEEDED, att = DT_BUFINFO_ATT_BASE + n, driver/limits unknown). ts is given to every event.
 * Returns the number of buffers, or -1 with "name:line: what" in err (a fn error stops with -1 too). */
int dt_bufinfo_parse(FILE *f, const char *name, uint64_t ts, dt_bufinfo_fn fn, void *ctx, char *err, size_t errlen);

/* For record: opens --seed-bufinfo PATH, or with path NULL the debugfs default when readable (else returns
 * NULL quietly). An explicit PATH that cannot be opened prints an error and sets *failed. */
FILE *dt_bufinfo_open(const char *path, const char **used, bool *failed);
/* Parses an opened bufinfo into fn with CLOCK_BOOTTIME now; prints one line (buffers and attachments seeded,
 * or the file:line error) on stderr. Closes f. Returns the buffer count or -1. */
int dt_bufinfo_seed(FILE *f, const char *name, dt_bufinfo_fn fn, void *ctx);

#endif

// SPDX-License-Identifier: Apache-2.0
/* What an input looks like, from its first bytes: the kinds the ingest layer reads (trace v1, ftrace text,
 * a dma_buf/bufinfo snapshot) and the ones people hand it by mistake (a kernel log, compressed or binary
 * data), so that an input it cannot use is refused with one line saying what it is and what to do. */
#ifndef DT_SNIFF_H
#define DT_SNIFF_H

#include <stddef.h>

enum dt_look {
	DT_LOOK_TRACE,   /* JSON: trace format v1 (or an empty file) */
	DT_LOOK_FTRACE,  /* ftrace text: saved trace, trace-cmd report */
	DT_LOOK_BUFINFO, /* debugfs dma_buf/bufinfo */
	DT_LOOK_DMESG,   /* kernel log: dmesg, journalctl -k */
	DT_LOOK_GZIP,
	DT_LOOK_ZSTD,
	DT_LOOK_BINARY,  /* NUL bytes and no JSON: not text at all */
	DT_LOOK_OTHER,   /* text of no known kind (the trace reader says why) */
};

enum dt_look dt_sniff(const char *buf, size_t len);
/* "a kernel log (dmesg)", "gzip-compressed data", ... for messages. */
const char *dt_look_name(enum dt_look l);

#endif

// SPDX-License-Identifier: Apache-2.0
/* Compresses a closed segment: PATH -> PATH.zst (written as PATH.zst.tmp, renamed when complete, then
 * PATH removed), one zstd frame with a 4 MiB window so a reader's memory stays bounded. The one place
 * the daemon compresses, so the codec can change behind it. */
#ifndef DT_DAEMON_COMPRESS_H
#define DT_DAEMON_COMPRESS_H

#include <stddef.h>

/* 0, or -1 with "PATH: what" in err (PATH is left as it was; no .zst remains). */
int dt_compress_segment(const char *path, char *err, size_t errlen);

#endif

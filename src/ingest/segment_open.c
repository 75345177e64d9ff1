// SPDX-License-Identifier: Apache-2.0
/* See segment_open.h. A .zst segment is decompressed into an anonymous memory file (memfd) and read
 * from there: segments are bounded by the daemon's --rotate-size, and the frame's window is bounded by
 * the writer (daemon/compress.c), so neither the decompressor nor the reader grows with the run. A
 * truncated frame gives what it holds; the reader then sees a cut last line and warns. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zstd.h>

#include "ingest/segment_open.h"

/* The largest window a segment may declare (the daemon writes 4 MiB windows). */
#define MAX_WINDOW_LOG 23

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Decompresses in into out; returns 0, 1 when the frame was cut short (what it held is in out), -1. */
static int decompress(int in, int out, const char *path, char *err, size_t errlen)
{
	ZSTD_DStream *ds = ZSTD_createDStream();
	size_t in_cap = ZSTD_DStreamInSize(), out_cap = ZSTD_DStreamOutSize();
	char *ibuf = malloc(in_cap), *obuf = malloc(out_cap);
	int rc = 0;
	if (!ds || !ibuf || !obuf) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -1;
		goto out;
	}
	ZSTD_DCtx_setParameter(ds, ZSTD_d_windowLogMax, MAX_WINDOW_LOG);
	size_t last = 0; /* 0 after a complete frame */
	bool any = false;
	for (;;) {
		ssize_t n = read(in, ibuf, in_cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: read: %s", path, strerror(errno));
			rc = -1;
			goto out;
		}
		if (n == 0)
			break;
		any = true;
		ZSTD_inBuffer ib = {ibuf, (size_t)n, 0};
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = {obuf, out_cap, 0};
			last = ZSTD_decompressStream(ds, &ob, &ib);
			if (ZSTD_isError(last)) {
				snprintf(err, errlen, "%s: not a valid zstd segment: %s", path, ZSTD_getErrorName(last));
				rc = -1;
				goto out;
			}
			if (write_all(out, obuf, ob.pos) < 0) {
				snprintf(err, errlen, "%s: decompressing: %s", path, strerror(errno));
				rc = -1;
				goto out;
			}
		}
	}
	if (!any) {
		snprintf(err, errlen, "%s: empty file", path);
		rc = -1;
	} else if (last != 0) {
		rc = 1; /* frame cut short */
	}
out:
	ZSTD_freeDStream(ds);
	free(ibuf);
	free(obuf);
	return rc;
}

struct dt_reader *dt_segment_open(const char *path, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen)
{
	if (!ends_with(path, ".zst"))
		return dt_reader_open(path, warn, warn_ctx, err, errlen);
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	int mem = memfd_create("dmabuf-trace-segment", MFD_CLOEXEC);
	if (mem < 0) {
		snprintf(err, errlen, "%s: memfd_create: %s", path, strerror(errno));
		close(in);
		return NULL;
	}
	int d = decompress(in, mem, path, err, errlen);
	close(in);
	if (d < 0) {
		close(mem);
		return NULL;
	}
	if (d == 1 && warn) {
		char msg[600];
		snprintf(msg, sizeof(msg), "%s: the zstd frame is cut short (daemon stopped while compressing?); "
			 "reading what it holds", path);
		warn(warn_ctx, msg);
	}
	lseek(mem, 0, SEEK_SET);
	return dt_reader_open_fd(path, mem, true, warn, warn_ctx, err, errlen);
}

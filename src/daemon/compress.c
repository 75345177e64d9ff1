// SPDX-License-Identifier: Apache-2.0
/* See compress.h. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "daemon/compress.h"

#define WINDOW_LOG 22 /* 4 MiB */
#define LEVEL 3

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

int dt_compress_segment(const char *path, char *err, size_t errlen)
{
	char tmp[4200], dst[4200];
	snprintf(dst, sizeof(dst), "%s.zst", path);
	snprintf(tmp, sizeof(tmp), "%s.zst.tmp", path); /* one compressor at a time per segment (see segments.c) */
	int in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (out < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		close(in);
		return -1;
	}
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t in_cap = ZSTD_CStreamInSize(), out_cap = ZSTD_CStreamOutSize();
	char *ibuf = malloc(in_cap), *obuf = malloc(out_cap);
	int rc = -1;
	if (!cc || !ibuf || !obuf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, LEVEL);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, WINDOW_LOG);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	for (;;) {
		ssize_t n = read(in, ibuf, in_cap);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: read: %s", path, strerror(errno));
			goto out;
		}
		ZSTD_EndDirective mode = n == 0 ? ZSTD_e_end : ZSTD_e_continue;
		ZSTD_inBuffer ib = {ibuf, (size_t)n, 0};
		bool done;
		do {
			ZSTD_outBuffer ob = {obuf, out_cap, 0};
			size_t left = ZSTD_compressStream2(cc, &ob, &ib, mode);
			if (ZSTD_isError(left)) {
				snprintf(err, errlen, "%s: zstd: %s", path, ZSTD_getErrorName(left));
				goto out;
			}
			if (write_all(out, obuf, ob.pos) < 0) {
				snprintf(err, errlen, "%s: write: %s", tmp, strerror(errno));
				goto out;
			}
			done = mode == ZSTD_e_end ? left == 0 : ib.pos == ib.size;
		} while (!done);
		if (n == 0)
			break;
	}
	if (fsync(out) < 0) {
		snprintf(err, errlen, "%s: fsync: %s", tmp, strerror(errno));
		goto out;
	}
	if (rename(tmp, dst) < 0) {
		snprintf(err, errlen, "%s: rename: %s", tmp, strerror(errno));
		goto out;
	}
	unlink(path);
	rc = 0;
out:
	if (rc < 0)
		unlink(tmp);
	ZSTD_freeCCtx(cc);
	free(ibuf);
	free(obuf);
	close(in);
	close(out);
	return rc;
}

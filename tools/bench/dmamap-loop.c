/* SPDX-License-Identifier: Apache-2.0 */
/* dmamap-loop: DMA-API traffic that is not a dma-buf map, for `make bench` (item: the DMA-level hook).
 * Creates and frees N virtio-gpu dumb buffers: each create maps the shmem pages with dma_map_sgtable
 * (drm_gem_shmem_get_pages_sgt -> __dma_map_sg_attrs -> dma:dma_map_sg) and each free unmaps them,
 * outside any dma_buf_map_attachment. No dma-buf is exported, attached or mapped.
 * Usage: dmamap-loop N [KIB]   prints {"iterations":N,"ok":N,"seconds":S,"us_per_iter":U} */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "drm-min.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_virtio_gpu(void)
{
	for (int i = 0; i < 8; i++) {
		char path[64], name[64] = "";
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct drm_version v;
		memset(&v, 0, sizeof(v));
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (ioctl(fd, DRM_IOCTL_VERSION, &v) == 0 && strcmp(name, "virtio_gpu") == 0)
			return fd;
		close(fd);
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: dmamap-loop N [KIB]\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 0);
	unsigned kib = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 64;
	int fd = open_virtio_gpu();
	if (fd < 0) {
		fprintf(stderr, "dmamap-loop: no virtio_gpu DRM device\n");
		return 1;
	}
	long ok = 0;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		struct drm_mode_create_dumb c;
		memset(&c, 0, sizeof(c));
		c.width = 1024; /* 32 bpp: 4 KiB rows */
		c.height = kib / 4 ? kib / 4 : 1;
		c.bpp = 32;
		if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) != 0)
			continue;
		struct drm_gem_close g = {.handle = c.handle};
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &g);
		ok++;
	}
	double dt = now() - t0;
	printf("{\"iterations\":%ld,\"ok\":%ld,\"seconds\":%.3f,\"us_per_iter\":%.1f}\n", n, ok, dt, dt * 1e6 / (double)n);
	return ok == n ? 0 : 1;
}

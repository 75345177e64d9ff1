/* SPDX-License-Identifier: Apache-2.0 */
/* vmap-test: makes the kernel vmap/vunmap a dma-buf (no dmabuf-exercise scenario does), for
 * checking the vmap/vunmap hooks in the test guest. Exports a vgem dumb buffer, imports it
 * into vivid's vmalloc capture node (/dev/video0 with allocators=0,1): vb2-vmalloc's
 * map_dmabuf calls dma_buf_vmap(_unlocked), REQBUFS(0) calls dma_buf_vunmap(_unlocked).
 * Prints one JSON object per step (buf = fstat inode of the dma-buf fd).
 *   vmap-test [NODE]          vmap/vunmap (default /dev/video0)
 *   vmap-test remap [NODE]    two 4 KiB vgem buffers into vivid dma-contig (default /dev/video1),
 *                             STREAMON, DQBUF, QBUF the same fd again: vb2 maps the same attachment
 *                             twice, the second map returns the cached attach->sgt (6.1-6.14). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <poll.h>
#include <linux/videodev2.h>

#include "../../tools/exercise/drm-min.h"

static int open_vgem(void)
{
	char path[64], name[32];
	for (int i = 0; i < 8; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

static int export_dumb(int g, unsigned int w, unsigned int h, unsigned long *ino, unsigned long long *size)
{
	struct drm_mode_create_dumb cd = { .width = w, .height = h, .bpp = 8 };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct stat st;

	if (ioctl(g, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
		return -1;
	ph.handle = cd.handle;
	if (ioctl(g, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) || fstat(ph.fd, &st))
		return -1;
	*ino = st.st_ino;
	*size = cd.size;
	printf("{\"step\":\"export\",\"exporter\":\"vgem\",\"buf\":%lu,\"size\":%llu}\n", *ino, *size);
	return ph.fd;
}

static int remap(const char *node)
{
	struct v4l2_format fmt = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_requestbuffers rb = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_DMABUF };
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	unsigned long ino[2];
	unsigned long long size[2];
	int g = open_vgem(), v = open(node, O_RDWR | O_CLOEXEC), fd[2], r = 0;

	if (g < 0 || v < 0) {
		printf("{\"step\":\"skip\",\"why\":\"no vgem or %s\"}\n", node);
		return 0;
	}
	ioctl(v, VIDIOC_G_FMT, &fmt);
	fmt.fmt.pix.width = 64;
	fmt.fmt.pix.height = 64;
	fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_GREY;
	fmt.fmt.pix.bytesperline = 0;
	fmt.fmt.pix.sizeimage = 0;
	if (ioctl(v, VIDIOC_S_FMT, &fmt))
		printf("{\"step\":\"error\",\"what\":\"S_FMT\",\"errno\":%d}\n", errno);
	printf("{\"step\":\"format\",\"width\":%u,\"height\":%u,\"sizeimage\":%u}\n", fmt.fmt.pix.width,
	       fmt.fmt.pix.height, fmt.fmt.pix.sizeimage);
	rb.count = 2;
	if (ioctl(v, VIDIOC_REQBUFS, &rb))
		r = -errno;
	/* vgem pages are contiguous only by chance: try fresh buffers until two are accepted */
	for (int i = 0, tries = 0; i < 2 && !r; tries++) {
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_DMABUF,
					 .index = i };
		int q;

		if (tries == 60) {
			r = -EFAULT;
			break;
		}
		fd[i] = export_dumb(g, 4096, (fmt.fmt.pix.sizeimage + 4095) / 4096, &ino[i], &size[i]);
		if (fd[i] < 0)
			return 1;
		b.m.fd = fd[i];
		b.length = size[i];
		q = ioctl(v, VIDIOC_QBUF, &b) ? -errno : 0;
		printf("{\"step\":\"import\",\"importer\":\"vivid.0\",\"node\":\"%s\",\"allocator\":\"dma-contig\","
		       "\"buf\":%lu,\"ok\":%s,\"errno\":%d}\n", node, ino[i], q ? "false" : "true", -q);
		if (q)
			close(fd[i]); /* released: try another buffer */
		else
			i++;
	}
	if (!r)
		r = ioctl(v, VIDIOC_STREAMON, &type) ? -errno : 0;
	for (int round = 0; round < 2 && !r; round++) {
		struct pollfd p = { .fd = v, .events = POLLIN };
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_DMABUF };

		if (poll(&p, 1, 5000) != 1) {
			r = -ETIMEDOUT;
			break;
		}
		r = ioctl(v, VIDIOC_DQBUF, &b) ? -errno : 0;
		if (r)
			break;
		b.m.fd = fd[b.index];
		b.length = size[b.index];
		r = ioctl(v, VIDIOC_QBUF, &b) ? -errno : 0;
		printf("{\"step\":\"requeue\",\"buf\":%lu,\"index\":%u,\"ok\":%s,\"errno\":%d}\n", ino[b.index],
		       b.index, r ? "false" : "true", -r);
	}
	ioctl(v, VIDIOC_STREAMOFF, &type);
	rb.count = 0;
	ioctl(v, VIDIOC_REQBUFS, &rb);
	printf("{\"step\":\"result\",\"ok\":%s,\"errno\":%d}\n", r ? "false" : "true", -r);
	close(fd[0]);
	close(fd[1]);
	close(v);
	close(g);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "remap"))
		return remap(argc > 2 ? argv[2] : "/dev/video1");

	const char *node = argc > 1 ? argv[1] : "/dev/video0";
	struct v4l2_format fmt = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_requestbuffers rb = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_DMABUF };
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_DMABUF };
	struct drm_mode_create_dumb cd = { .width = 1024, .bpp = 8 };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct stat st;
	int g, v, r;

	g = open_vgem();
	v = open(node, O_RDWR | O_CLOEXEC);
	if (g < 0 || v < 0) {
		printf("{\"step\":\"skip\",\"why\":\"no vgem or %s\"}\n", node);
		return 0;
	}
	if (ioctl(v, VIDIOC_G_FMT, &fmt)) {
		printf("{\"step\":\"error\",\"what\":\"G_FMT\",\"errno\":%d}\n", errno);
		return 1;
	}
	cd.height = (fmt.fmt.pix.sizeimage + 1023) / 1024;
	if (ioctl(g, DRM_IOCTL_MODE_CREATE_DUMB, &cd)) {
		printf("{\"step\":\"error\",\"what\":\"CREATE_DUMB\",\"errno\":%d}\n", errno);
		return 1;
	}
	ph.handle = cd.handle;
	if (ioctl(g, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) || fstat(ph.fd, &st)) {
		printf("{\"step\":\"error\",\"what\":\"HANDLE_TO_FD\",\"errno\":%d}\n", errno);
		return 1;
	}
	printf("{\"step\":\"export\",\"exporter\":\"vgem\",\"buf\":%lu,\"size\":%llu}\n", (unsigned long)st.st_ino,
	       (unsigned long long)cd.size);
	rb.count = 1;
	r = ioctl(v, VIDIOC_REQBUFS, &rb) ? -errno : 0;
	b.index = 0;
	b.m.fd = ph.fd;
	b.length = cd.size;
	if (!r)
		r = ioctl(v, VIDIOC_QBUF, &b) ? -errno : 0;
	printf("{\"step\":\"import\",\"importer\":\"vivid.0\",\"node\":\"%s\",\"allocator\":\"vmalloc\",\"buf\":%lu,"
	       "\"ok\":%s,\"errno\":%d}\n", node, (unsigned long)st.st_ino, r ? "false" : "true", -r);
	rb.count = 0;
	r = ioctl(v, VIDIOC_REQBUFS, &rb) ? -errno : 0;
	printf("{\"step\":\"reqbufs0\",\"ok\":%s}\n", r ? "false" : "true");
	close(ph.fd);
	close(v);
	close(g);
	return 0;
}

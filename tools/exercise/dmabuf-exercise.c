/* SPDX-License-Identifier: Apache-2.0 */
/* dmabuf-exercise — drives real dma-buf exporters and importers in the test guest (see tools/vm/run).
 *
 *   dmabuf-exercise [--out DIR] SCENARIO[:ARG]...
 *
 * Scenarios: clean late-attach noncontig segment-size lifecycle iommu storm[:N] setname race[:ROUNDS[,THREADS]] seed
 * nested[:N] attach-error[:N] (these two need the test module tests/kmod/dt_testexp.ko; and `list`).
 * Every step is one JSON object per line on stdout, e.g.
 *   {"scenario":"late-attach","step":"export","exporter":"vgem","buf":1234,"size":4194304}
 *   {"scenario":"late-attach","step":"import","importer":"vivid.0","via":"v4l2-qbuf","buf":1234,"ok":true}
 *   {"scenario":"late-attach","step":"checkpoint","name":"after-map","file":"late-attach.after-map.bufinfo",
 *    "expect":[{"buf":1234,"alive":true,"devices":["vgem","vivid.0"]}]}
 *   {"scenario":"late-attach","step":"result","ok":true,"precondition":"..."}
 * Every line also has "mono_ns" (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns) and "boot_ns" (CLOCK_BOOTTIME,
 * the clock of the trace's ts: bpf_ktime_get_boot_ns) taken just before printing (at a checkpoint: after the
 * snapshot, so `dmabuf-trace state --at <boot_ns>` is the tool's view of that snapshot).
 * "buf" is the dma-buf inode (fstat st_ino, the ino column of debugfs dma_buf/bufinfo). At each checkpoint the
 * kernel's /sys/kernel/debug/dma_buf/bufinfo is copied to DIR/<scenario>.<checkpoint>.bufinfo and "expect" lists
 * which devices the driver believes are attached to each buffer it made (transient imports that the kernel
 * undoes at once, such as virtio-gpu's foreign import that ends in ENODEV, are not in it).
 * Exit status: 0 when every scenario ran as designed (a precondition that could not be achieved is reported,
 * not an error), 1 on an unexpected failure, 2 on usage errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>

#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <linux/videodev2.h>

#include "drm-min.h"
#include "../../tests/kmod/dt_testexp.h"

#define KiB 1024ul
#define MiB (1024ul * 1024ul)

static const char *outdir = ".";
static const char *scen = "";
static int failures;

/* ---- JSON output -------------------------------------------------------------------------------------- */

/* Escapes s (len bytes) as a JSON string body into a static ring of buffers. */
static const char *js(const char *s, size_t len)
{
	static char ring[8][512];
	static int slot;
	char *b = ring[slot++ & 7], *p = b;
	for (size_t i = 0; i < len && p < b + sizeof(ring[0]) - 8; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			p += sprintf(p, "\\u%04x", c);
		} else {
			*p++ = (char)c;
		}
	}
	*p = 0;
	return b;
}
#define JS(s) js((s), strlen(s))

__attribute__((format(printf, 1, 2))) static void emit(const char *fmt, ...)
{
	va_list ap;
	struct timespec ts, bt;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* the clock of bpf_ktime_get_ns() */
	clock_gettime(CLOCK_BOOTTIME, &bt);  /* the clock of the trace's ts (bpf_ktime_get_boot_ns()) */
	printf("{\"scenario\":\"%s\",\"mono_ns\":%lld,\"boot_ns\":%lld,", JS(scen),
	       (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec, (long long)bt.tv_sec * 1000000000ll + bt.tv_nsec);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("}\n");
	fflush(stdout);
}

static void fail(const char *what, int err)
{
	emit("\"step\":\"error\",\"what\":\"%s\",\"errno\":%d,\"error\":\"%s\"", JS(what), err, JS(strerror(err)));
	failures++;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long ino_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

/* ---- expectation tracking ----------------------------------------------------------------------------- */

struct tbuf {
	unsigned long ino;
	char exporter[24];
	bool alive;
	int ndev;
	char dev[6][40];
};
static struct tbuf tracked[64];
static int ntracked;

static struct tbuf *tb(unsigned long ino)
{
	for (int i = 0; i < ntracked; i++)
		if (tracked[i].ino == ino)
			return &tracked[i];
	if (ntracked == (int)(sizeof(tracked) / sizeof(tracked[0])))
		return NULL;
	struct tbuf *t = &tracked[ntracked++];
	memset(t, 0, sizeof(*t));
	t->ino = ino;
	return t;
}

static void t_attach(unsigned long ino, const char *dev)
{
	struct tbuf *t = tb(ino);
	if (t && t->ndev < 6)
		snprintf(t->dev[t->ndev++], sizeof(t->dev[0]), "%s", dev);
}

static void t_detach(unsigned long ino, const char *dev)
{
	struct tbuf *t = tb(ino);
	if (!t)
		return;
	for (int i = 0; i < t->ndev; i++)
		if (strcmp(t->dev[i], dev) == 0) {
			memmove(t->dev[i], t->dev[i + 1], (size_t)(t->ndev - i - 1) * sizeof(t->dev[0]));
			t->ndev--;
			return;
		}
}

static void t_freed(unsigned long ino)
{
	struct tbuf *t = tb(ino);
	if (t) {
		t->alive = false;
		t->ndev = 0;
	}
}

/* ---- checkpoints ------------------------------------------------------------------------------------- */

static char cp_used[64][48];
static int ncp_used;

static void checkpoint(const char *base)
{
	char path[PATH_MAX], file[256], buf[65536], name[64];
	/* Names are unique within a scenario: a repeated one gets -2, -3, ... */
	snprintf(name, sizeof(name), "%s", base);
	for (int k = 2;; k++) {
		int i;
		for (i = 0; i < ncp_used && strcmp(cp_used[i], name); i++)
			;
		if (i == ncp_used)
			break;
		snprintf(name, sizeof(name), "%s-%d", base, k);
	}
	if (ncp_used < 64)
		snprintf(cp_used[ncp_used++], sizeof(cp_used[0]), "%s", name);
	snprintf(file, sizeof(file), "%s.%s.bufinfo", scen, name);
	snprintf(path, sizeof(path), "%s/%s", outdir, file);
	int in = open("/sys/kernel/debug/dma_buf/bufinfo", O_RDONLY);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;
	if (in < 0 || out < 0) {
		fail("checkpoint: open bufinfo or output", errno);
	} else {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n) {
				fail("checkpoint: write", errno);
				break;
			}
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);

	char ex[8192];
	size_t o = 0;
	ex[0] = 0;
	for (int i = 0; i < ntracked; i++) {
		struct tbuf *t = &tracked[i];
		o += (size_t)snprintf(ex + o, sizeof(ex) - o, "%s{\"buf\":%lu,\"exporter\":\"%s\",\"alive\":%s,\"devices\":[",
				      i ? "," : "", t->ino, JS(t->exporter), t->alive ? "true" : "false");
		for (int d = 0; d < t->ndev; d++)
			o += (size_t)snprintf(ex + o, sizeof(ex) - o, "%s\"%s\"", d ? "," : "", JS(t->dev[d]));
		o += (size_t)snprintf(ex + o, sizeof(ex) - o, "]}");
		if (o >= sizeof(ex) - 256)
			break;
	}
	emit("\"step\":\"checkpoint\",\"name\":\"%s\",\"file\":\"%s\",\"expect\":[%s]", JS(name), JS(file), ex);
}

/* ---- devices ----------------------------------------------------------------------------------------- */

struct drmdev {
	int fd;
	char name[32];	/* driver name: vgem, virtio_gpu */
	char dev[64];	/* dev_name() of its device as the kernel prints it in bufinfo */
	char driver[64], bus[64]; /* that device's driver and bus in sysfs (virtio-gpu: pci, or virtio on 5.10) */
};
struct vnode {
	int fd;
	char path[32];
	char dev[64];
	bool contig; /* vb2-dma-contig (vivid allocators=1) */
	int nbufs;
	enum v4l2_memory mem;
	unsigned int sizeimage;
};

static struct drmdev vgem = {.fd = -1}, vgpu = {.fd = -1};
/* vivid n_devs=3 allocators=0,1,1: vvm vb2-vmalloc, vdc vb2-dma-contig, vdc2 a second dma-contig queue (all on
 * the one platform device vivid.0) */
static struct vnode vdc = {.fd = -1}, vdc2 = {.fd = -1}, vvm = {.fd = -1};

static void sysfs_devname(const char *link, char *out, size_t len)
{
	char t[PATH_MAX];
	ssize_t n = readlink(link, t, sizeof(t) - 1);
	if (n <= 0) {
		snprintf(out, len, "?");
		return;
	}
	t[n] = 0;
	const char *b = strrchr(t, '/');
	snprintf(out, len, "%s", b ? b + 1 : t);
}

static void open_devices(void)
{
	char p[64], l[128];
	for (int i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		int fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		char name[32] = {0};
		struct drm_version v = {.name_len = sizeof(name) - 1, .name = name};
		if (ioctl(fd, DRM_IOCTL_VERSION, &v) < 0) {
			close(fd);
			continue;
		}
		struct drmdev *d = !strcmp(name, "vgem") ? &vgem : !strcmp(name, "virtio_gpu") ? &vgpu : NULL;
		if (!d || d->fd >= 0) {
			close(fd);
			continue;
		}
		d->fd = fd;
		snprintf(d->name, sizeof(d->name), "%s", name);
		snprintf(l, sizeof(l), "/sys/class/drm/card%d/device", i);
		sysfs_devname(l, d->dev, sizeof(d->dev));
		snprintf(l, sizeof(l), "/sys/class/drm/card%d/device/driver", i);
		sysfs_devname(l, d->driver, sizeof(d->driver));
		snprintf(l, sizeof(l), "/sys/class/drm/card%d/device/subsystem", i);
		sysfs_devname(l, d->bus, sizeof(d->bus));
	}
	for (int i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/dev/video%d", i);
		int fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct v4l2_capability cap;
		memset(&cap, 0, sizeof(cap));
		if (ioctl(fd, VIDIOC_QUERYCAP, &cap) < 0 || strcmp((char *)cap.driver, "vivid") ||
		    !(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE)) {
			close(fd);
			continue;
		}
		/* vivid allocators=0,1,1: instance 000 is vmalloc, 001 and 002 dma-contig. */
		const char *bi = (char *)cap.bus_info;
		struct vnode *v = strstr(bi, "-001") ? &vdc : strstr(bi, "-002") ? &vdc2 : strstr(bi, "-000") ? &vvm : NULL;
		if (!v || v->fd >= 0) {
			close(fd);
			continue;
		}
		v->fd = fd;
		v->contig = v != &vvm;
		snprintf(v->path, sizeof(v->path), "%s", p);
		snprintf(l, sizeof(l), "/sys/class/video4linux/video%d/device", i);
		sysfs_devname(l, v->dev, sizeof(v->dev));
	}
}

static bool have_heap(void) { return access("/dev/dma_heap/system", R_OK) == 0; }
static bool have_udmabuf(void) { return access("/dev/udmabuf", R_OK) == 0; }

/* ---- V4L2 -------------------------------------------------------------------------------------------- */

static int v_fmt(struct vnode *v, unsigned int w, unsigned int h, unsigned int pixfmt)
{
	struct v4l2_format f;
	memset(&f, 0, sizeof(f));
	f.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (ioctl(v->fd, VIDIOC_G_FMT, &f) < 0)
		return -errno;
	f.fmt.pix.width = w;
	f.fmt.pix.height = h;
	f.fmt.pix.pixelformat = pixfmt;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	f.fmt.pix.bytesperline = 0;
	f.fmt.pix.sizeimage = 0;
	if (ioctl(v->fd, VIDIOC_S_FMT, &f) < 0)
		return -errno;
	v->sizeimage = f.fmt.pix.sizeimage;
	emit("\"step\":\"format\",\"node\":\"%s\",\"width\":%u,\"height\":%u,\"pixfmt\":\"%.4s\",\"bytesperline\":%u,\"sizeimage\":%u",
	     v->path, f.fmt.pix.width, f.fmt.pix.height, (char *)&f.fmt.pix.pixelformat, f.fmt.pix.bytesperline, f.fmt.pix.sizeimage);
	return 0;
}

static int v_reqbufs(struct vnode *v, enum v4l2_memory mem, unsigned int count)
{
	struct v4l2_requestbuffers rb;
	memset(&rb, 0, sizeof(rb));
	rb.count = count;
	rb.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	rb.memory = mem;
	if (ioctl(v->fd, VIDIOC_REQBUFS, &rb) < 0)
		return -errno;
	v->nbufs = (int)rb.count;
	v->mem = mem;
	return 0;
}

/* Exports buffer 0 of a fresh MMAP queue with VIDIOC_EXPBUF; the queue is released again (the dma-buf keeps the
 * memory). Returns the fd or -errno. */
static int v_export(struct vnode *v)
{
	int r = v_reqbufs(v, V4L2_MEMORY_MMAP, 1);
	if (r < 0)
		return r;
	struct v4l2_exportbuffer eb;
	memset(&eb, 0, sizeof(eb));
	eb.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	eb.index = 0;
	eb.flags = O_RDWR | O_CLOEXEC;
	r = ioctl(v->fd, VIDIOC_EXPBUF, &eb) < 0 ? -errno : eb.fd;
	v_reqbufs(v, V4L2_MEMORY_MMAP, 0);
	return r;
}

static int v_qbuf(struct vnode *v, unsigned int index, int fd, size_t len)
{
	struct v4l2_buffer b;
	memset(&b, 0, sizeof(b));
	b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b.memory = V4L2_MEMORY_DMABUF;
	b.index = index;
	b.m.fd = fd;
	b.length = (unsigned int)len;
	return ioctl(v->fd, VIDIOC_QBUF, &b) < 0 ? -errno : 0;
}

/* ---- exporters --------------------------------------------------------------------------------------- */

struct xbuf {
	int fd;
	unsigned long ino;
	size_t size;
	const char *exporter;
	unsigned int handle; /* vgem: the exporter's GEM handle (0 = closed) */
};

static void x_announce(struct xbuf *x, const char *extra)
{
	x->ino = ino_of(x->fd);
	struct tbuf *t = tb(x->ino);
	if (t) {
		snprintf(t->exporter, sizeof(t->exporter), "%s", x->exporter);
		t->alive = true;
	}
	emit("\"step\":\"export\",\"exporter\":\"%s\",\"buf\":%lu,\"size\":%zu%s", x->exporter, x->ino, x->size,
	     extra ? extra : "");
}

static int export_vgem(struct xbuf *x, size_t size)
{
	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->exporter = "vgem";
	if (vgem.fd < 0)
		return -ENODEV;
	struct drm_mode_create_dumb c = {.width = 1024, .bpp = 32, .height = (__u32)((size + 4095) / 4096)};
	if (ioctl(vgem.fd, DRM_IOCTL_MODE_CREATE_DUMB, &c) < 0)
		return -errno;
	struct drm_prime_handle ph = {.handle = c.handle, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1};
	if (ioctl(vgem.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) < 0) {
		int e = errno;
		struct drm_gem_close gc = {.handle = c.handle};
		ioctl(vgem.fd, DRM_IOCTL_GEM_CLOSE, &gc);
		return -e;
	}
	x->fd = ph.fd;
	x->size = (size_t)c.size;
	x->handle = c.handle;
	char e[64];
	snprintf(e, sizeof(e), ",\"gem_handle\":%u", c.handle);
	x_announce(x, e);
	return 0;
}

static int export_vivid(struct xbuf *x, struct vnode *v)
{
	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->exporter = v->contig ? "vivid-dma-contig" : "vivid-vmalloc";
	if (v->fd < 0)
		return -ENODEV;
	int fd = v_export(v);
	if (fd < 0)
		return fd;
	x->fd = fd;
	off_t end = lseek(fd, 0, SEEK_END);
	x->size = end > 0 ? (size_t)end : v->sizeimage;
	x_announce(x, NULL);
	return 0;
}

static int export_heap(struct xbuf *x, size_t size)
{
	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->exporter = "system-heap";
	int h = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	if (h < 0)
		return -errno;
	struct dma_heap_allocation_data d = {.len = size, .fd_flags = O_RDWR | O_CLOEXEC};
	int r = ioctl(h, DMA_HEAP_IOCTL_ALLOC, &d) < 0 ? -errno : 0;
	close(h);
	if (r < 0)
		return r;
	x->fd = (int)d.fd;
	x->size = size;
	x_announce(x, NULL);
	return 0;
}

static int export_udmabuf(struct xbuf *x, size_t size)
{
	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->exporter = "udmabuf";
	int dev = open("/dev/udmabuf", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return -errno;
	int mfd = memfd_create("dmabuf-exercise", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	int r = 0;
	if (mfd < 0 || ftruncate(mfd, (off_t)size) < 0 || fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK) < 0) {
		r = -errno;
	} else {
		struct udmabuf_create c = {.memfd = (__u32)mfd, .flags = UDMABUF_FLAGS_CLOEXEC, .offset = 0, .size = size};
		int fd = ioctl(dev, UDMABUF_CREATE, &c);
		if (fd < 0)
			r = -errno;
		else
			x->fd = fd;
	}
	if (mfd >= 0)
		close(mfd);
	close(dev);
	if (r < 0)
		return r;
	x->size = size;
	x_announce(x, NULL);
	return 0;
}

/* Closes the exporter's fd (and, for vgem, its GEM handle when gem too). */
static void x_close_fd(struct xbuf *x)
{
	if (x->fd >= 0) {
		close(x->fd);
		x->fd = -1;
		emit("\"step\":\"close-fd\",\"buf\":%lu", x->ino);
	}
}

static void x_gem_close(struct xbuf *x)
{
	if (x->handle) {
		struct drm_gem_close gc = {.handle = x->handle};
		int r = ioctl(vgem.fd, DRM_IOCTL_GEM_CLOSE, &gc) < 0 ? -errno : 0;
		emit("\"step\":\"gem-close\",\"dev\":\"vgem\",\"role\":\"exporter\",\"buf\":%lu,\"handle\":%u,\"ok\":%s", x->ino,
		     x->handle, r ? "false" : "true");
		x->handle = 0;
	}
}

/* Releases everything the exporter side holds; the caller states whether the buffer is gone now. */
static void x_release(struct xbuf *x, bool gone)
{
	x_gem_close(x);
	x_close_fd(x);
	if (gone)
		t_freed(x->ino);
}

/* ---- importers --------------------------------------------------------------------------------------- */

/* vivid dma-contig: REQBUFS(DMABUF) if needed + QBUF(fd) into slot index: attach + map in the kernel. */
static int imp_vivid(struct vnode *v, struct xbuf *x, unsigned int index)
{
	int r = 0;
	if (v->fd < 0)
		return -ENODEV;
	if (v->nbufs == 0 || v->mem != V4L2_MEMORY_DMABUF)
		r = v_reqbufs(v, V4L2_MEMORY_DMABUF, 4);
	if (r == 0)
		r = v_qbuf(v, index, x->fd, x->size);
	emit("\"step\":\"import\",\"importer\":\"%s\",\"via\":\"v4l2-qbuf\",\"node\":\"%s\",\"allocator\":\"%s\",\"buf\":%lu,"
	     "\"index\":%u,\"ok\":%s,\"errno\":%d",
	     v->dev, v->path, v->contig ? "dma-contig" : "vmalloc", x->ino, index, r ? "false" : "true", -r);
	if (r == 0 && v->contig)
		t_attach(x->ino, v->dev);
	return r;
}

/* REQBUFS(0): the queue releases (unmaps, detaches) every imported buffer. */
static void vivid_release(struct vnode *v, struct xbuf **bufs, int n)
{
	if (v->fd < 0)
		return;
	int r = v_reqbufs(v, V4L2_MEMORY_DMABUF, 0);
	emit("\"step\":\"reqbufs0\",\"importer\":\"%s\",\"node\":\"%s\",\"ok\":%s", v->dev, v->path, r ? "false" : "true");
	for (int i = 0; i < n; i++)
		if (v->contig)
			t_detach(bufs[i]->ino, v->dev);
	v->nbufs = 0;
}

/* DRM PRIME import: attach + map at import time. Returns the GEM handle or -errno. */
static int imp_drm(struct drmdev *d, struct xbuf *x, bool track)
{
	if (d->fd < 0)
		return -ENODEV;
	struct drm_prime_handle ph = {.fd = x->fd};
	int r = ioctl(d->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph) < 0 ? -errno : (int)ph.handle;
	emit("\"step\":\"import\",\"importer\":\"%s\",\"driver\":\"%s\",\"via\":\"prime-fd-to-handle\",\"buf\":%lu,"
	     "\"ok\":%s,\"errno\":%d,\"handle\":%d",
	     d->dev, d->name, x->ino, r < 0 ? "false" : "true", r < 0 ? -r : 0, r < 0 ? 0 : r);
	if (r > 0 && track)
		t_attach(x->ino, d->dev);
	return r;
}

static void drm_close(struct drmdev *d, struct xbuf *x, int handle)
{
	if (handle <= 0)
		return;
	struct drm_gem_close gc = {.handle = (__u32)handle};
	int r = ioctl(d->fd, DRM_IOCTL_GEM_CLOSE, &gc) < 0 ? -errno : 0;
	emit("\"step\":\"gem-close\",\"dev\":\"%s\",\"role\":\"importer\",\"buf\":%lu,\"handle\":%d,\"ok\":%s", d->dev, x->ino,
	     handle, r ? "false" : "true");
	t_detach(x->ino, d->dev);
}

/* virtio-gpu cannot keep foreign buffers: attach, map, unmap, detach, then ENODEV. Not tracked. */
static void imp_vgpu_transient(struct xbuf *x)
{
	int h = imp_drm(&vgpu, x, false);
	if (h > 0)
		drm_close(&vgpu, x, h);
}

/* ---- memory shaping ---------------------------------------------------------------------------------- */

/* Fragments free memory: maps and touches `mb` MiB, then frees every other page. The single free pages are
 * what the next order-0 allocations get, so buffers allocated now are scattered. Keep until after the
 * buffer's pages are allocated (vgem: at first attach), then unmap. */
static void *fragment(size_t mb, size_t *len)
{
	*len = mb * MiB;
	char *p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* No transparent huge pages: freeing 4 KiB of a THP does not give the page back to the allocator. */
	madvise(p, *len, MADV_NOHUGEPAGE);
	for (size_t o = 0; o < *len; o += 4096)
		p[o] = 1;
	for (size_t o = 0; o < *len; o += 8192)
		madvise(p + o, 4096, MADV_DONTNEED);
	emit("\"step\":\"fragment\",\"mib\":%zu", mb);
	return p;
}

static void compact(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0) {
		}
		close(fd);
	}
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3", 1) < 0) {
		}
		close(fd);
	}
	emit("\"step\":\"compact\"");
}

static void result(bool ok, const char *precondition)
{
	emit("\"step\":\"result\",\"ok\":%s,\"precondition\":\"%s\"", ok && !failures ? "true" : "false", JS(precondition));
}

static void skip(const char *what, const char *why)
{
	emit("\"step\":\"skip\",\"what\":\"%s\",\"why\":\"%s\"", JS(what), JS(why));
}

/* Small (<= 64 KiB) single-segment buffer: vivid dma-contig EXPBUF of a GREY 320x180 frame (60 KiB). */
static int small_format(void)
{
	int r = 0;
	if (vdc.fd >= 0)
		r |= v_fmt(&vdc, 320, 180, V4L2_PIX_FMT_GREY);
	if (vdc2.fd >= 0)
		r |= v_fmt(&vdc2, 320, 180, V4L2_PIX_FMT_GREY);
	if (vvm.fd >= 0)
		r |= v_fmt(&vvm, 320, 180, V4L2_PIX_FMT_GREY);
	return r;
}

#define CHECK(expr)                                                                                                \
	do {                                                                                                       \
		int r_ = (expr);                                                                                   \
		if (r_ < 0) {                                                                                      \
			fail(#expr, -r_);                                                                          \
			return;                                                                                    \
		}                                                                                                  \
	} while (0)

/* ---- scenarios --------------------------------------------------------------------------------------- */

/* clean: every importer attaches before the buffer's first map, so every exporter knew all its importers' limits
 * when it placed the memory. vgem and vivid attach and map in one ioctl, hence one importer per buffer. Buffers
 * are single segments of at most 64 KiB (no max_segment_size exceeded, nothing rejected); the one vivid.0 imports
 * (it needs contiguous memory) comes from videobuf2_dma_contig, which profiles/debian-guest.profile declares
 * contiguous, so it is contiguous by design and not by chance. */
static void sc_clean(const char *arg)
{
	struct xbuf a, b, c, h;
	CHECK(export_vivid(&a, &vdc));
	int gh = imp_drm(&vgem, &a, true);
	if (gh < 0)
		fail("vgem import", -gh);
	checkpoint("vgem-mapped");
	drm_close(&vgem, &a, gh);
	x_release(&a, true);
	CHECK(export_vivid(&b, &vdc));
	struct xbuf *list[] = {&b};
	CHECK(imp_vivid(&vdc, &b, 0));
	checkpoint("vivid-mapped");
	vivid_release(&vdc, list, 1);
	x_release(&b, true);
	CHECK(export_vivid(&c, &vdc));
	imp_vgpu_transient(&c);
	checkpoint("released");
	x_release(&c, true);
	if (have_heap()) {
		CHECK(export_heap(&h, 64 * KiB));
		gh = imp_drm(&vgem, &h, true);
		checkpoint("heap-vgem-mapped");
		drm_close(&vgem, &h, gh);
		x_release(&h, true);
	} else {
		skip("system-heap", "no /dev/dma_heap/system");
	}
	checkpoint("end");
	result(true, "single-segment buffers <= 64 KiB, each importer attached before the first map");
}

/* late-attach: a first importer maps the buffer and keeps the mapping, then others attach while it is live.
 * The first mapper is a second vivid dma-contig queue (vivid-002): vb2-dma-contig maps at QBUF and keeps the
 * mapping until REQBUFS(0) on every kernel. (vgem was the first mapper up to 6.12, whose PRIME import attached
 * and mapped; from 7.x vgem only attaches at import, so it is one of the late importers here.) Without that
 * queue (an older vivid setup) vgem is the first mapper again. Then vgem and vivid.0's other queue attach late,
 * then virtio-gpu transiently (attach, map, unmap, detach, ENODEV). */
static void sc_late_attach(const char *arg)
{
	struct xbuf a, h;
	CHECK(export_vivid(&a, &vdc));
	int r, gh, first;
	const char *fm = vdc2.fd >= 0 ? "vivid dma-contig queue 2" : "vgem";
	if (vdc2.fd >= 0) {
		first = imp_vivid(&vdc2, &a, 0);
		emit("\"step\":\"first-mapper\",\"importer\":\"%s\",\"what\":\"%s\",\"ok\":%s", vdc2.dev, fm,
		     first ? "false" : "true");
		if (first < 0) {
			fail("first mapper (vivid queue 2) import", -first);
			return;
		}
		checkpoint("first-mapped");
		gh = imp_drm(&vgem, &a, true);
		if (gh < 0)
			fail("vgem import", -gh);
	} else {
		gh = imp_drm(&vgem, &a, true);
		if (gh < 0) {
			fail("vgem import", -gh);
			return;
		}
		emit("\"step\":\"first-mapper\",\"importer\":\"%s\",\"what\":\"%s\",\"ok\":true", vgem.dev, fm);
		checkpoint("first-mapped");
	}
	struct xbuf *list[] = {&a};
	r = imp_vivid(&vdc, &a, 0);
	checkpoint("late-attached");
	imp_vgpu_transient(&a);
	checkpoint("vgpu-transient");
	vivid_release(&vdc, list, 1);
	if (vdc2.fd >= 0)
		vivid_release(&vdc2, list, 1);
	drm_close(&vgem, &a, gh);
	x_release(&a, true);
	bool ok = r == 0 && gh > 0;
	if (have_heap()) {
		CHECK(export_heap(&h, 64 * KiB));
		CHECK(imp_vivid(&vdc, &h, 0));
		checkpoint("heap-first-mapped");
		gh = imp_drm(&vgem, &h, true);
		checkpoint("heap-late-attached");
		struct xbuf *l2[] = {&h};
		vivid_release(&vdc, l2, 1);
		drm_close(&vgem, &h, gh);
		x_release(&h, true);
		ok = ok && gh > 0;
	} else {
		skip("heap-late-attached", "no /dev/dma_heap/system");
	}
	/* The deferred-allocation failure itself: the backing store is placed and mapped for lenient importers
	 * (vgem: attach, and map up to 6.12; virtio-gpu: attach, map, unmap, then ENODEV), then vivid dma-contig,
	 * which needs one contiguous range, attaches late and is rejected. The buffer comes from what the kernel
	 * has: the system heap (1 MiB, 64 KiB and 4 KiB chunks: adjacent or not, up to the allocator), else udmabuf
	 * (one page per entry: always rejected), else vgem (its shmem pages are allocated at the first attach,
	 * virtio-gpu's, after memory was fragmented). */
	struct xbuf m;
	const char *exp;
	size_t flen = 0;
	void *frag = NULL;
	if (have_heap()) {
		exp = "system-heap";
		CHECK(export_heap(&m, 4 * MiB + 68 * KiB));
	} else if (have_udmabuf()) {
		exp = "udmabuf";
		CHECK(export_udmabuf(&m, 4 * MiB));
	} else {
		exp = "vgem";
		frag = fragment(96, &flen);
		CHECK(export_vgem(&m, 4 * MiB));
	}
	gh = strcmp(exp, "vgem") ? imp_drm(&vgem, &m, true) : 0;
	imp_vgpu_transient(&m);
	if (frag)
		munmap(frag, flen);
	checkpoint("strict-first-mapped");
	struct xbuf *l3[] = {&m};
	int rv = imp_vivid(&vdc, &m, 0);
	if (rv == -EFAULT || rv == -EINVAL)
		emit("\"step\":\"rejected\",\"importer\":\"%s\",\"buf\":%lu,\"errno\":%d", vdc.dev, m.ino, -rv);
	checkpoint("strict-late-attached");
	vivid_release(&vdc, l3, 1);
	drm_close(&vgem, &m, gh);
	x_release(&m, true);
	char pre[300];
	snprintf(pre, sizeof(pre), "%s (first mapper: %s); strict late importer on a %s buffer: %s",
		 ok ? "late attach while mapped" : "late attach failed", fm, exp,
		 rv == 0 ? "accepted (the placed pages happened to be contiguous)" : "rejected, the placed pages are not contiguous");
	checkpoint("end");
	result(ok, pre);
}

/* noncontig: a multi-segment buffer handed to vivid dma-contig; the kernel rejects it ("contiguous chunk is too
 * small"), QBUF fails. vgem after fragmenting memory (retried), and udmabuf where it exists (always rejected). */
static void sc_noncontig(const char *arg)
{
	struct xbuf x;
	int rejected = 0, attempts = 0;
	for (int tries = 0; tries < 4 && !rejected; tries++) {
		size_t flen;
		void *frag = fragment(64 + 32 * (size_t)tries, &flen);
		CHECK(export_vgem(&x, 4 * MiB));
		int r = imp_vivid(&vdc, &x, 0);
		attempts++;
		if (frag)
			munmap(frag, flen);
		if (r == -EFAULT || r == -EINVAL) {
			rejected++;
			emit("\"step\":\"rejected\",\"importer\":\"%s\",\"buf\":%lu,\"errno\":%d", vdc.dev, x.ino, -r);
		} else if (r == 0) {
			emit("\"step\":\"retry\",\"why\":\"vgem buffer was contiguous\",\"buf\":%lu", x.ino);
		}
		checkpoint(rejected ? "vgem-rejected" : "vgem-accepted");
		struct xbuf *list[] = {&x};
		vivid_release(&vdc, list, 1);
		x_release(&x, true);
	}
	int urej = 0;
	if (have_udmabuf()) {
		CHECK(export_udmabuf(&x, 4 * MiB));
		int r = imp_vivid(&vdc, &x, 0);
		if (r < 0) {
			urej = 1;
			emit("\"step\":\"rejected\",\"importer\":\"%s\",\"buf\":%lu,\"errno\":%d", vdc.dev, x.ino, -r);
		}
		checkpoint("udmabuf");
		struct xbuf *list[] = {&x};
		vivid_release(&vdc, list, 1);
		x_release(&x, true);
	} else {
		skip("udmabuf", "no /dev/udmabuf");
	}
	char pre[128];
	snprintf(pre, sizeof(pre), "vgem rejected after %d attempt(s): %s; udmabuf rejected: %s", attempts,
		 rejected ? "yes" : "no", have_udmabuf() ? (urej ? "yes" : "no") : "n/a");
	checkpoint("end");
	result(rejected || urej, pre);
}

/* segment-size: single DMA segments longer than vivid.0's (and vgem's) 64 KiB max_segment_size, accepted. */
static void sc_segment_size(const char *arg)
{
	struct xbuf a, h, x;
	bool got = false;
	char pre[256] = "";
	/* vivid dma-contig buffer of a 640x360 YUYV frame: one coherent segment of 450 KiB. */
	CHECK(v_fmt(&vdc, 640, 360, V4L2_PIX_FMT_YUYV));
	CHECK(export_vivid(&a, &vdc));
	int gh = imp_drm(&vgem, &a, true);
	checkpoint("vivid-buf-vgem");
	drm_close(&vgem, &a, gh);
	struct xbuf *la[] = {&a};
	int r = imp_vivid(&vdc, &a, 0);
	checkpoint("vivid-buf-vivid");
	vivid_release(&vdc, la, 1);
	x_release(&a, true);
	if (r == 0 && gh > 0) {
		got = true;
		snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre), "vivid-dma-contig %zu-byte segment into vgem+vivid.0; ",
			 a.size);
	}
	if (have_heap()) {
		CHECK(export_heap(&h, 1 * MiB));
		r = imp_vivid(&vdc, &h, 0);
		gh = imp_drm(&vgem, &h, true);
		checkpoint("heap-1m");
		struct xbuf *lh[] = {&h};
		vivid_release(&vdc, lh, 1);
		drm_close(&vgem, &h, gh);
		x_release(&h, true);
		if (r == 0) {
			got = true;
			snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre), "system-heap 1 MiB chunk into vivid.0; ");
		}
	}
	/* A 4 MiB vgem buffer that happens to be contiguous (random: compact memory first, up to 2 tries). */
	int ok4 = 0;
	for (int t = 0; t < 2 && !ok4; t++) {
		compact();
		CHECK(export_vgem(&x, 4 * MiB));
		r = imp_vivid(&vdc, &x, 0);
		if (r == 0)
			ok4 = 1;
		else
			emit("\"step\":\"rejected\",\"importer\":\"%s\",\"buf\":%lu,\"errno\":%d", vdc.dev, x.ino, -r);
		checkpoint(ok4 ? "vgem-4m-accepted" : "vgem-4m-rejected");
		struct xbuf *lx[] = {&x};
		vivid_release(&vdc, lx, 1);
		x_release(&x, true);
	}
	snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre), "vgem 4 MiB contiguous: %s", ok4 ? "yes" : "no");
	small_format();
	checkpoint("end");
	result(got, pre);
}

/* lifecycle: real teardown orders. */
static void sc_lifecycle(const char *arg)
{
	struct xbuf a, b, h;
	/* 1. importers hold references after the exporter's fd is closed. */
	CHECK(export_vivid(&a, &vdc));
	int gh = imp_drm(&vgem, &a, true);
	CHECK(imp_vivid(&vdc, &a, 0));
	checkpoint("imported");
	x_close_fd(&a);
	checkpoint("fd-closed");
	struct xbuf *la[] = {&a};
	vivid_release(&vdc, la, 1);
	checkpoint("reqbufs0");
	drm_close(&vgem, &a, gh);
	t_freed(a.ino);
	checkpoint("gem-closed");
	/* 2. vgem exporter: GEM_CLOSE of the exporter's handle first, the fd keeps the buffer; then close the fd. */
	CHECK(export_vgem(&b, 64 * KiB));
	x_gem_close(&b);
	checkpoint("exporter-gem-closed");
	x_close_fd(&b);
	t_freed(b.ino);
	checkpoint("exporter-fd-closed");
	/* 3. vgem exporter, fd closed first while vivid holds it (vgem handle still open), GEM_CLOSE, REQBUFS(0). */
	size_t flen = 0;
	CHECK(export_vgem(&b, 64 * KiB));
	int r = imp_vivid(&vdc, &b, 0);
	(void)flen;
	x_close_fd(&b);
	checkpoint("vgem-fd-closed");
	x_gem_close(&b);
	if (r)
		t_freed(b.ino); /* vivid refused it: nothing holds the buffer any more */
	checkpoint("vgem-handle-closed");
	struct xbuf *lb[] = {&b};
	vivid_release(&vdc, lb, 1);
	t_freed(b.ino);
	checkpoint("vgem-released");
	emit("\"step\":\"note\",\"what\":\"vgem 64 KiB into vivid.0 %s\"", r ? "rejected (non-contiguous)" : "accepted");
	if (have_heap()) {
		CHECK(export_heap(&h, 64 * KiB));
		gh = imp_drm(&vgem, &h, true);
		CHECK(imp_vivid(&vdc, &h, 0));
		x_close_fd(&h);
		checkpoint("heap-fd-closed");
		drm_close(&vgem, &h, gh);
		checkpoint("heap-gem-closed");
		struct xbuf *lh[] = {&h};
		vivid_release(&vdc, lh, 1);
		t_freed(h.ino);
		checkpoint("heap-released");
	}
	checkpoint("end");
	result(true, "fd closed before importers released; exporter handle closed before fd");
}

static bool iommu_present(void)
{
	DIR *d = opendir("/sys/class/iommu");
	bool any = false;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			any = true;
	if (d)
		closedir(d);
	return any;
}

/* iommu: virtio-gpu behind an emulated intel-iommu maps a multi-segment buffer into fewer IOVA segments. */
static void sc_iommu(const char *arg)
{
	bool io = iommu_present();
	emit("\"step\":\"iommu\",\"present\":%s,\"importer\":\"%s\"", io ? "true" : "false", vgpu.dev);
	struct xbuf x, h;
	size_t flen;
	void *frag = fragment(64, &flen);
	CHECK(export_vgem(&x, 4 * MiB));
	/* vgem allocates its pages at the first attach: virtio-gpu's import is that attach. */
	imp_vgpu_transient(&x);
	if (frag)
		munmap(frag, flen);
	checkpoint("vgem-vgpu");
	x_release(&x, true);
	/* vb2-vmalloc buffer: order-0 pages, one sg entry each (merged where adjacent). */
	struct xbuf v;
	CHECK(v_fmt(&vvm, 1920, 1080, V4L2_PIX_FMT_YUYV));
	CHECK(export_vivid(&v, &vvm));
	imp_vgpu_transient(&v);
	checkpoint("vmalloc-vgpu");
	x_release(&v, true);
	small_format();
	if (have_heap()) {
		CHECK(export_heap(&h, 4 * MiB));
		imp_vgpu_transient(&h);
		checkpoint("heap-vgpu");
		x_release(&h, true);
	}
	if (have_udmabuf()) {
		CHECK(export_udmabuf(&h, 4 * MiB));
		imp_vgpu_transient(&h);
		checkpoint("udmabuf-vgpu");
		x_release(&h, true);
	}
	checkpoint("end");
	result(true, io ? "virtio-gpu behind intel-iommu mapped multi-segment buffers" : "no IOMMU in this guest (boot with --iommu)");
}

/* storm[:N]: N attach/map/unmap/detach cycles into vivid.0 and vgem. */
static void sc_storm(const char *arg)
{
	long n = arg ? strtol(arg, NULL, 0) : 1000;
	if (n <= 0)
		n = 1000;
	struct xbuf a;
	CHECK(export_vivid(&a, &vdc));
	double t0 = now();
	long vok = 0, gok = 0;
	for (long i = 0; i < n; i++) {
		if (v_reqbufs(&vdc, V4L2_MEMORY_DMABUF, 1) == 0 && v_qbuf(&vdc, 0, a.fd, a.size) == 0)
			vok++;
		v_reqbufs(&vdc, V4L2_MEMORY_DMABUF, 0);
		struct drm_prime_handle ph = {.fd = a.fd};
		if (ioctl(vgem.fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph) == 0) {
			struct drm_gem_close gc = {.handle = ph.handle};
			ioctl(vgem.fd, DRM_IOCTL_GEM_CLOSE, &gc);
			gok++;
		}
	}
	double dt = now() - t0;
	vdc.nbufs = 0;
	emit("\"step\":\"storm\",\"buf\":%lu,\"cycles\":%ld,\"vivid_ok\":%ld,\"vgem_ok\":%ld,\"seconds\":%.3f,\"us_per_cycle\":%.1f",
	     a.ino, n, vok, gok, dt, dt * 1e6 / (double)n);
	checkpoint("end");
	x_release(&a, true);
	result(vok == n && gok == n, "storm");
}

/* ---- race: several threads import one buffer at once ------------------------------------------------ */

#define RACE_MAX_THREADS 8

struct racer {
	int idx, fd; /* fd: this thread's own DRM file (own attachments) */
	bool vgem;   /* vgem (keeps its mapping until GEM close) or virtio-gpu (attach, map, unmap, detach, ENODEV) */
	long tid;
	pthread_barrier_t *bar;
	volatile int *buf_fd; /* the round's buffer, -1: stop */
	long delay_us;        /* before the import, this round */
	long long t0, t1;     /* CLOCK_BOOTTIME right before and after the import ioctl */
	int handle, err;
};

static long long boot_ns_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_BOOTTIME, &t);
	return (long long)t.tv_sec * 1000000000ll + t.tv_nsec;
}

static int open_drm_named(const char *want)
{
	char p[64];
	for (int i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		int fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		char name[32] = {0};
		struct drm_version v = {.name_len = sizeof(name) - 1, .name = name};
		if (ioctl(fd, DRM_IOCTL_VERSION, &v) == 0 && !strcmp(name, want))
			return fd;
		close(fd);
	}
	return -ENODEV;
}

/* Each round: barrier, (delay), import, barrier; then close its handle, barrier. */
static void *racer_main(void *arg)
{
	struct racer *r = arg;
	r->tid = (long)syscall(SYS_gettid);
	for (;;) {
		pthread_barrier_wait(r->bar);
		int fd = *r->buf_fd;
		if (fd < 0)
			break;
		if (r->delay_us) {
			struct timespec d = {0, r->delay_us * 1000};
			nanosleep(&d, NULL);
		}
		struct drm_prime_handle ph = {.fd = fd};
		r->t0 = boot_ns_now();
		int rc = ioctl(r->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph);
		r->t1 = boot_ns_now();
		r->err = rc < 0 ? errno : 0;
		r->handle = rc < 0 ? 0 : (int)ph.handle;
		pthread_barrier_wait(r->bar);
		if (r->handle) {
			struct drm_gem_close gc = {.handle = (__u32)r->handle};
			ioctl(r->fd, DRM_IOCTL_GEM_CLOSE, &gc);
		}
		pthread_barrier_wait(r->bar);
	}
	return NULL;
}

/* race[:ROUNDS[,THREADS]]: THREADS threads (default 2; even ones import into vgem, odd ones into virtio-gpu,
 * each through its own DRM file) import one fresh 4 MiB udmabuf (1024 pages) at the same moment, ROUNDS times
 * (default 150). Odd threads wait 0, 1 or 10 ms first (by round), so that some imports overlap and some do
 * not. Per round and thread one "race" line: tid, importer, and CLOCK_BOOTTIME right before (t0) and after
 * (t1) the import ioctl — the driver's own view of which import completed first. */
static void sc_race(const char *arg)
{
	long rounds = arg ? strtol(arg, NULL, 0) : 150;
	const char *comma = arg ? strchr(arg, ',') : NULL;
	int nthreads = comma ? atoi(comma + 1) : 2;
	if (rounds <= 0)
		rounds = 150;
	if (nthreads < 2 || nthreads > RACE_MAX_THREADS)
		nthreads = 2;
	if (!have_udmabuf() || vgpu.fd < 0) {
		skip("race", "needs /dev/udmabuf and virtio-gpu");
		result(true, "no udmabuf or virtio-gpu in this guest");
		return;
	}
	pthread_barrier_t bar;
	pthread_barrier_init(&bar, NULL, (unsigned)nthreads + 1);
	volatile int buf_fd = -1;
	struct racer rs[RACE_MAX_THREADS];
	pthread_t th[RACE_MAX_THREADS];
	for (int i = 0; i < nthreads; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		rs[i].idx = i;
		rs[i].vgem = i % 2 == 0;
		rs[i].fd = open_drm_named(rs[i].vgem ? "vgem" : "virtio_gpu");
		rs[i].bar = &bar;
		rs[i].buf_fd = &buf_fd;
		if (rs[i].fd < 0) {
			fail("race: open DRM device", -rs[i].fd);
			return;
		}
	}
	for (int i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, racer_main, &rs[i]);
	long vgem_ok = 0, overlapped = 0;
	for (long n = 0; n < rounds; n++) {
		struct xbuf x;
		int r = export_udmabuf(&x, 4 * MiB);
		if (r < 0) {
			fail("race: export_udmabuf", -r);
			break;
		}
		static const long delays[] = {0, 1000, 10000};
		for (int i = 0; i < nthreads; i++)
			rs[i].delay_us = i % 2 ? delays[n % 3] : 0;
		buf_fd = x.fd;
		pthread_barrier_wait(&bar); /* go */
		pthread_barrier_wait(&bar); /* all imported */
		long long lo = 0, hi = 0;
		for (int i = 0; i < nthreads; i++) {
			struct racer *q = &rs[i];
			emit("\"step\":\"race\",\"round\":%ld,\"buf\":%lu,\"thread\":%d,\"tid\":%ld,\"importer\":\"%s\",\"driver\":\"%s\","
			     "\"t0\":%lld,\"t1\":%lld,\"ok\":%s,\"errno\":%d",
			     n, x.ino, i, q->tid, q->vgem ? vgem.dev : vgpu.dev, q->vgem ? "vgem" : "virtio_gpu", q->t0, q->t1,
			     q->handle ? "true" : "false", q->err);
			if (q->vgem && q->handle)
				vgem_ok++;
			if (!i || q->t0 > lo)
				lo = q->t0;
			if (!i || q->t1 < hi)
				hi = q->t1;
		}
		if (lo < hi)
			overlapped++; /* every thread was inside its import at one moment */
		pthread_barrier_wait(&bar); /* handles closed */
		x_release(&x, true);
	}
	buf_fd = -1;
	pthread_barrier_wait(&bar);
	for (int i = 0; i < nthreads; i++) {
		pthread_join(th[i], NULL);
		close(rs[i].fd);
	}
	pthread_barrier_destroy(&bar);
	long want = rounds * ((nthreads + 1) / 2);
	emit("\"step\":\"race-summary\",\"rounds\":%ld,\"threads\":%d,\"vgem_ok\":%ld,\"all_overlapped\":%ld", rounds, nthreads,
	     vgem_ok, overlapped);
	result(vgem_ok == want, "threads imported one udmabuf at once");
}

/* setname: hostile DMA_BUF_SET_NAME strings, for escaping tests. */
static void sc_setname(const char *arg)
{
	static const char hostile32[32] = "\x1b[31m\n\"q'<script>x</script>\\\t\r\x7f";
	char name[33];
	struct xbuf a;
	CHECK(export_vivid(&a, &vdc));
	/* 32 bytes without NUL: the kernel reads at most 32 bytes including the NUL, so this should fail. */
	char raw[64];
	memset(raw, 0, sizeof(raw));
	memcpy(raw, hostile32, 31);
	raw[31] = 'Z'; /* 32 bytes, the NUL only at [32] */
	int r = ioctl(a.fd, DMA_BUF_SET_NAME, raw) < 0 ? -errno : 0;
	emit("\"step\":\"setname\",\"buf\":%lu,\"name\":\"%s\",\"len\":%zu,\"ok\":%s,\"errno\":%d", a.ino,
	     js(raw, strlen(raw)), strlen(raw), r ? "false" : "true", -r);
	memcpy(name, hostile32, 31);
	name[31] = 0;
	r = ioctl(a.fd, DMA_BUF_SET_NAME, name) < 0 ? -errno : 0;
	emit("\"step\":\"setname\",\"buf\":%lu,\"name\":\"%s\",\"len\":%zu,\"ok\":%s,\"errno\":%d", a.ino, js(name, 31), strlen(name),
	     r ? "false" : "true", -r);
	/* A hostile comm too (PR_SET_NAME, 15 bytes + NUL): the imports' attach/map events carry it. */
	char old_comm[16] = "";
	prctl(PR_GET_NAME, old_comm);
	prctl(PR_SET_NAME, "\x1b[31m<b>\n\"\xff\xe2\x80\xae'&");
	int gh = imp_drm(&vgem, &a, true);
	CHECK(imp_vivid(&vdc, &a, 0));
	prctl(PR_SET_NAME, old_comm);
	checkpoint("named");
	struct xbuf *la[] = {&a};
	vivid_release(&vdc, la, 1);
	drm_close(&vgem, &a, gh);
	x_release(&a, true);
	checkpoint("end");
	result(r == 0, r == 0 ? "31-byte hostile name set" : "DMA_BUF_SET_NAME failed");
}

/* A dmabuf-trace command in a mount namespace of its own without /sys/kernel/debug (no bufinfo), stdout to
 * outpath (NULL: with stderr), stderr to errpath. Returns its pid (the child exits 126 when debugfs could
 * not be hidden, 127 when dmabuf-trace could not run), or -1. */
static pid_t spawn_hidden(char *const argv[], const char *outpath, const char *errpath)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ofd = outpath ? open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0644) : fd;
	if (fd >= 0 && ofd >= 0) {
		dup2(ofd, 1);
		dup2(fd, 2);
	}
	/* debugfs gone for this process only: the scenario's own checkpoints still read bufinfo */
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    umount2("/sys/kernel/debug", MNT_DETACH) < 0) {
		fprintf(stderr, "seed: cannot hide debugfs: %s\n", strerror(errno));
		_exit(126);
	}
	if (access("/sys/kernel/debug/dma_buf/bufinfo", F_OK) == 0) {
		fprintf(stderr, "seed: bufinfo still visible\n");
		_exit(126);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "seed: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int wait_code(pid_t pid)
{
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		fail("fork/wait for a dmabuf-trace without debugfs", errno);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Whether file path holds the text needle (a daemon's stderr saying it traces). */
static bool file_has(const char *path, const char *needle)
{
	char buf[16384];
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

/* seed: buffers that exist before a `dmabuf-trace record` starts, with debugfs hidden from that recorder (a
 * mount namespace of its own without /sys/kernel/debug, so no bufinfo): record must seed them from the BPF
 * dmabuf iterator (6.16+). One vivid buffer with a hostile name and one vgem buffer named plainly, the vivid one imported
 * into vgem (attached), while a child runs `dmabuf-trace record -o DIR/seed.inner.jsonl -- true`; its stderr
 * goes to DIR/seed.inner.err. Then, debugfs hidden the same way, `state --live --format json` (DIR/seed.live.json,
 * its stderr seed.live.err: the iterator, or why not) and a daemon (DIR/seed.segs, stderr seed.daemon.err, its
 * status reply seed.daemon.status) that must seed them from the iterator too, or say why it could not. The
 * checks (tests/e2e) compare them with bufinfo. */
static void sc_seed(const char *arg)
{
	static const char hostile[] = "\x1b[31m\n\"seed'<x>\\\t\x7f";
	struct xbuf a, b;
	char path[PATH_MAX], errpath[PATH_MAX], out2[PATH_MAX], dir[PATH_MAX];
	(void)arg;
	CHECK(export_vivid(&a, &vdc));
	CHECK(export_vgem(&b, 64 * KiB));
	int r1 = ioctl(a.fd, DMA_BUF_SET_NAME, hostile) < 0 ? -errno : 0;
	int r2 = ioctl(b.fd, DMA_BUF_SET_NAME, "seed-plain") < 0 ? -errno : 0;
	emit("\"step\":\"setname\",\"buf\":%lu,\"name\":\"%s\",\"ok\":%s", a.ino, js(hostile, strlen(hostile)),
	     r1 ? "false" : "true");
	emit("\"step\":\"setname\",\"buf\":%lu,\"name\":\"seed-plain\",\"ok\":%s", b.ino, r2 ? "false" : "true");
	int gh = imp_drm(&vgem, &a, true);
	checkpoint("held");
	snprintf(path, sizeof(path), "%s/seed.inner.jsonl", outdir);
	snprintf(errpath, sizeof(errpath), "%s/seed.inner.err", outdir);
	char *rec[] = {"dmabuf-trace", "record", "--force", "-o", path, "--", "true", NULL};
	int code = wait_code(spawn_hidden(rec, NULL, errpath));
	emit("\"step\":\"seed-record\",\"exit\":%d,\"trace\":\"seed.inner.jsonl\",\"held\":[%lu,%lu]", code, a.ino,
	     b.ino);
	snprintf(out2, sizeof(out2), "%s/seed.live.json", outdir);
	snprintf(errpath, sizeof(errpath), "%s/seed.live.err", outdir);
	char *live[] = {"dmabuf-trace", "state", "--live", "--format", "json", NULL};
	int lcode = wait_code(spawn_hidden(live, out2, errpath));
	emit("\"step\":\"seed-live\",\"exit\":%d,\"out\":\"seed.live.json\",\"pid\":%d", lcode, (int)getpid());
	if (lcode != 126 && lcode != 127) {
		/* a daemon started without debugfs: seeds from the iterator where state --live could, else says why not */
		static char sock[] = "/tmp/dt-seed.sock";
		snprintf(dir, sizeof(dir), "%s/seed.segs", outdir);
		snprintf(errpath, sizeof(errpath), "%s/seed.daemon.err", outdir);
		char *dmn[] = {"dmabuf-trace", "daemon", "--dir", dir, "--socket", sock, NULL};
		pid_t dp = spawn_hidden(dmn, NULL, errpath);
		for (int i = 0; dp > 0 && i < 6000 && !file_has(errpath, "tracing ("); i++)
			usleep(100 * 1000); /* the BPF load: tens of seconds under TCG */
		snprintf(out2, sizeof(out2), "%s/seed.daemon.status", outdir);
		snprintf(path, sizeof(path), "%s/seed.status.err", outdir);
		char *st[] = {"dmabuf-trace", "status", "--socket", sock, "--format", "json", NULL};
		int scode = wait_code(spawn_hidden(st, out2, path));
		if (dp > 0)
			kill(dp, SIGTERM);
		int dcode = wait_code(dp);
		emit("\"step\":\"seed-daemon\",\"exit\":%d,\"status_exit\":%d,\"segments\":\"seed.segs\"", dcode, scode);
	}
	drm_close(&vgem, &a, gh);
	x_release(&a, true);
	x_release(&b, true);
	checkpoint("end");
	if (code == 127 || code == 126)
		skip("seed-record", code == 127 ? "dmabuf-trace is not in this guest" : "cannot hide debugfs");
	result(r1 == 0 && r2 == 0 && gh > 0 && code != 126, "buffers named and held while a recorder without debugfs started");
}

/* ---- the test exporter module (tests/kmod/dt_testexp.c): nested calls, the attach's error path ---------- */

static const char *const dtx_names[DTX__COUNT] = {
	[DTX_EXPORTS] = "exports", [DTX_CB_RELEASE] = "cb_release",
	[DTX_CB_PROXY_ATTACH] = "cb_proxy_attach", [DTX_CB_PROXY_DETACH] = "cb_proxy_detach",
	[DTX_CB_PROXY_MAP] = "cb_proxy_map", [DTX_CB_PROXY_UNMAP] = "cb_proxy_unmap",
	[DTX_CB_PROXY_VMAP] = "cb_proxy_vmap", [DTX_CB_PROXY_VUNMAP] = "cb_proxy_vunmap",
	[DTX_API_INNER_ATTACH] = "inner_attach", [DTX_API_INNER_ATTACH_FAILED] = "inner_attach_failed",
	[DTX_API_INNER_DETACH] = "inner_detach", [DTX_API_INNER_MAP] = "inner_map",
	[DTX_API_INNER_MAP_FAILED] = "inner_map_failed", [DTX_API_INNER_UNMAP] = "inner_unmap",
	[DTX_API_INNER_VMAP] = "inner_vmap", [DTX_API_INNER_VUNMAP] = "inner_vunmap",
	[DTX_API_VMAP] = "vmap", [DTX_API_VUNMAP] = "vunmap",
	[DTX_CB_DYN_ATTACH] = "cb_dyn_attach", [DTX_CB_DYN_DETACH] = "cb_dyn_detach",
	[DTX_CB_DYN_PIN] = "cb_dyn_pin", [DTX_CB_DYN_UNPIN] = "cb_dyn_unpin",
	[DTX_CB_DYN_MAP] = "cb_dyn_map", [DTX_CB_DYN_MAP_FAILED] = "cb_dyn_map_failed",
	[DTX_CB_DYN_PREMAP_FAILED] = "cb_dyn_premap_failed", [DTX_CB_DYN_UNMAP] = "cb_dyn_unmap",
};

static int dtx_open(const char *what)
{
	int fd = open("/dev/dt_testexp", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		skip(what, "needs the test exporter module (tests/kmod/dt_testexp.ko, tools/vm/run --module)");
		result(true, "no dt_testexp module in this guest");
	}
	return fd;
}

static bool dtx_counters(int fd, uint64_t v[DTX__COUNT])
{
	struct dtx_counters c;
	memset(&c, 0, sizeof(c));
	if (ioctl(fd, DTX_IOC_COUNTERS, &c) < 0 || c.count != DTX__COUNT) {
		fail("dt_testexp: DTX_IOC_COUNTERS (module and exerciser built from different headers?)", errno ? errno : EPROTO);
		return false;
	}
	memcpy(v, c.v, sizeof(v[0]) * DTX__COUNT);
	return true;
}

/* The module's counters during the scenario (after - before), as one "module" line: the driver's own count. */
static void dtx_emit(const uint64_t a[DTX__COUNT], const uint64_t b[DTX__COUNT], uint64_t d[DTX__COUNT])
{
	char o[2048];
	size_t n = 0;
	for (int i = 0; i < DTX__COUNT; i++) {
		d[i] = b[i] - a[i];
		n += (size_t)snprintf(o + n, sizeof(o) - n, "%s\"%s\":%" PRIu64, i ? "," : "", dtx_names[i], d[i]);
	}
	emit("\"step\":\"module\",\"counters\":{%s}", o);
}

/* nested[:N]: a 1 MiB udmabuf (vgem buffer where there is no udmabuf) behind a proxy buffer of the module; vgem imports the proxy N times (default
 * 20): dma_buf_attach(proxy) attaches the udmabuf inside it, dma_buf_map_attachment(proxy) maps the udmabuf's
 * attachment inside it, and the teardown unmaps and detaches both, all in this task. Then the module vmaps
 * the proxy once (its vmap vmaps the udmabuf). "expected_events": the events a tracer must see (written or
 * counted lost), from the module's counters plus the udmabuf's export and release. */
static void sc_nested(const char *arg)
{
	long n = arg ? strtol(arg, NULL, 0) : 20;
	if (n <= 0)
		n = 20;
	int m = dtx_open("nested");
	if (m < 0)
		return;
	uint64_t c0[DTX__COUNT], c1[DTX__COUNT], d[DTX__COUNT];
	if (!dtx_counters(m, c0))
		return;
	struct xbuf in, px;
	/* the inner buffer: a udmabuf, or (6.1: no udmabuf) a vgem buffer */
	CHECK(have_udmabuf() ? export_udmabuf(&in, 1 * MiB) : export_vgem(&in, 1 * MiB));
	struct dtx_proxy pa = {.inner_fd = in.fd, .fd = -1};
	if (ioctl(m, DTX_IOC_PROXY, &pa) < 0) {
		fail("dt_testexp: DTX_IOC_PROXY", errno);
		return;
	}
	memset(&px, 0, sizeof(px));
	px.fd = pa.fd;
	px.size = in.size;
	px.exporter = "dt_testexp_proxy";
	x_announce(&px, NULL);
	emit("\"step\":\"proxy\",\"buf\":%lu,\"inner\":%lu", px.ino, in.ino);
	x_close_fd(&in); /* the proxy holds the udmabuf now */
	long ok = 0;
	for (long i = 0; i < n; i++) {
		int h = imp_drm(&vgem, &px, true);
		if (h <= 0) {
			fail("nested: vgem import of the proxy", -h);
			break;
		}
		ok++;
		t_attach(in.ino, vgem.dev); /* the proxy attached the udmabuf to the importer's device */
		if (i == 0)
			checkpoint("imported");
		drm_close(&vgem, &px, h);
		t_detach(in.ino, vgem.dev);
	}
	int vr = ioctl(m, DTX_IOC_VMAP, &px.fd) < 0 ? errno : 0;
	emit("\"step\":\"vmap\",\"buf\":%lu,\"ok\":%s,\"errno\":%d", px.ino, vr ? "false" : "true", vr);
	x_release(&px, true);
	x_release(&in, true); /* the proxy's release put the udmabuf's last reference; vgem's handle holds its own */
	checkpoint("end");
	if (!dtx_counters(m, c1))
		return;
	dtx_emit(c0, c1, d);
	/* every dma-buf call of the importer, the module and the kernel that a hook sees: 2 exports (udmabuf,
	 * proxy) and 2 releases, per import an attach, map, unmap and detach of the proxy and, nested in them, of
	 * the udmabuf; the module's vmap and vunmap of the proxy and, nested, of the udmabuf */
	uint64_t want = 1 + d[DTX_EXPORTS] + 1 + d[DTX_CB_RELEASE] + d[DTX_CB_PROXY_ATTACH] + d[DTX_API_INNER_ATTACH] +
			d[DTX_CB_PROXY_MAP] + d[DTX_API_INNER_MAP] + d[DTX_CB_PROXY_UNMAP] + d[DTX_API_INNER_UNMAP] +
			d[DTX_CB_PROXY_DETACH] + d[DTX_API_INNER_DETACH] + d[DTX_API_VMAP] + d[DTX_API_INNER_VMAP] +
			d[DTX_API_VUNMAP] + d[DTX_API_INNER_VUNMAP];
	bool nested = d[DTX_API_INNER_MAP] == (uint64_t)ok && d[DTX_CB_PROXY_MAP] == (uint64_t)ok &&
		      d[DTX_API_INNER_ATTACH] == (uint64_t)ok && d[DTX_API_INNER_VMAP] == 1;
	emit("\"step\":\"nested\",\"buf\":%lu,\"inner\":%lu,\"imports\":%ld,\"vmap_ok\":%s,\"expected_events\":%" PRIu64,
	     px.ino, in.ino, ok, vr ? "false" : "true", want);
	close(m);
	result(ok == n && nested && !vr, "maps, attaches and a vmap nested in one task");
}

/* attach-error[:N]: N times (default 10) the module exports a 64 KiB dynamic buffer (pin/unpin) whose map
 * fails; vgem (a non-dynamic importer) imports it: dma_buf_dynamic_attach pins and maps it at once, the map
 * fails, and the kernel (6.1-6.14) detaches the half-made attachment from the attach's error path; the
 * import fails with ENOSPC. Then the map is allowed and vgem imports it again: the attach's cached pre-map
 * succeeds and vgem's dma_buf_map_attachment returns that cached mapping. */
static void sc_attach_error(const char *arg)
{
	long n = arg ? strtol(arg, NULL, 0) : 10;
	if (n <= 0)
		n = 10;
	int m = dtx_open("attach-error");
	if (m < 0)
		return;
	uint64_t c0[DTX__COUNT], c1[DTX__COUNT], d[DTX__COUNT];
	if (!dtx_counters(m, c0))
		return;
	long refused = 0, later_ok = 0;
	for (long i = 0; i < n; i++) {
		struct dtx_dyn da = {.size = 64 * KiB, .fail_map = 1, .fd = -1};
		if (ioctl(m, DTX_IOC_DYN, &da) < 0) {
			fail("dt_testexp: DTX_IOC_DYN", errno);
			break;
		}
		struct xbuf x;
		memset(&x, 0, sizeof(x));
		x.fd = da.fd;
		x.size = da.size;
		x.exporter = "dt_testexp_dyn";
		x_announce(&x, ",\"dynamic\":true");
		int h = imp_drm(&vgem, &x, true);
		if (h == -ENOSPC)
			refused++;
		else if (h > 0)
			drm_close(&vgem, &x, h);
		if (i == 0)
			checkpoint("refused"); /* no attachment left behind */
		struct dtx_set_fail sf = {.fd = x.fd, .fail_map = 0};
		if (ioctl(m, DTX_IOC_SET_FAIL, &sf) < 0)
			fail("dt_testexp: DTX_IOC_SET_FAIL", errno);
		h = imp_drm(&vgem, &x, true);
		if (h > 0) {
			later_ok++;
			if (i == 0)
				checkpoint("imported");
			drm_close(&vgem, &x, h);
		}
		x_release(&x, true);
	}
	checkpoint("end");
	if (!dtx_counters(m, c1))
		return;
	dtx_emit(c0, c1, d);
	/* per round: an export, a refused attach (its error path's detach is the kernel's own, no event), an
	 * attach + cached map + unmap + detach by vgem, a release */
	uint64_t want = d[DTX_EXPORTS] + d[DTX_CB_DYN_ATTACH] + 2 * (uint64_t)later_ok +
			(d[DTX_CB_DYN_DETACH] - d[DTX_CB_DYN_PREMAP_FAILED]) + d[DTX_CB_RELEASE];
	emit("\"step\":\"attach-error\",\"rounds\":%ld,\"refused\":%ld,\"later_ok\":%ld,\"premap_failed\":%" PRIu64
	     ",\"error_path_detaches\":%" PRIu64 ",\"expected_events\":%" PRIu64,
	     n, refused, later_ok, d[DTX_CB_DYN_PREMAP_FAILED], d[DTX_CB_DYN_DETACH] - (uint64_t)later_ok, want);
	close(m);
	result(refused == n && later_ok == n && d[DTX_CB_DYN_PREMAP_FAILED] == (uint64_t)n &&
		       d[DTX_CB_DYN_DETACH] == 2 * (uint64_t)n,
	       "the kernel's attach error path detached every refused attachment");
}

static const struct {
	const char *name;
	void (*fn)(const char *arg);
	const char *help;
} scenarios[] = {
	{"clean", sc_clean, "every importer attaches before the first map; no violation"},
	{"late-attach", sc_late_attach, "an importer attaches while another's mapping is live"},
	{"noncontig", sc_noncontig, "multi-segment buffer rejected by vivid dma-contig"},
	{"segment-size", sc_segment_size, "segments longer than the importer's max_segment_size"},
	{"lifecycle", sc_lifecycle, "real teardown orders"},
	{"iommu", sc_iommu, "virtio-gpu behind intel-iommu (boot with --iommu)"},
	{"storm", sc_storm, "storm[:N] attach/map/unmap/detach cycles"},
	{"setname", sc_setname, "hostile DMA_BUF_SET_NAME names"},
	{"race", sc_race, "race[:ROUNDS[,THREADS]] threads import one udmabuf into vgem and virtio-gpu at once"},
	{"seed", sc_seed, "buffers held while a record without debugfs starts: seeded from the dmabuf iterator"},
	{"nested", sc_nested, "nested[:N] vgem imports a proxy buffer whose attach/map/vmap run the udmabuf's inside (dt_testexp.ko)"},
	{"attach-error", sc_attach_error, "attach-error[:N] a dynamic buffer whose attach-time map fails: the kernel detaches it itself (dt_testexp.ko)"},
};
#define NSCEN (sizeof(scenarios) / sizeof(scenarios[0]))

int main(int argc, char **argv)
{
	int i = 1;
	if (getenv("DMABUF_EXERCISE_OUT"))
		outdir = getenv("DMABUF_EXERCISE_OUT");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			outdir = argv[++i];
		} else if (!strncmp(argv[i], "--out=", 6)) {
			outdir = argv[i] + 6;
		} else {
			fprintf(stderr, "usage: dmabuf-exercise [--out DIR] SCENARIO[:ARG]... | list\n");
			return 2;
		}
	}
	if (i >= argc || !strcmp(argv[i], "list")) {
		for (size_t s = 0; s < NSCEN; s++)
			printf("%-14s %s\n", scenarios[s].name, scenarios[s].help);
		return i >= argc ? 2 : 0;
	}
	int rc = 0;
	for (; i < argc; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s", argv[i]);
		char *arg = strchr(name, ':');
		if (arg)
			*arg++ = 0;
		size_t s;
		for (s = 0; s < NSCEN && strcmp(scenarios[s].name, name); s++)
			;
		if (s == NSCEN) {
			fprintf(stderr, "dmabuf-exercise: unknown scenario '%s' (try: list)\n", name);
			return 2;
		}
		scen = scenarios[s].name;
		failures = 0;
		ntracked = 0;
		ncp_used = 0;
		static bool opened;
		if (!opened) {
			open_devices();
			opened = true;
		}
		emit("\"step\":\"start\",\"pid\":%d,\"vgem\":\"%s\",\"virtio_gpu\":\"%s\",\"virtio_gpu_driver\":\"%s\","
		     "\"virtio_gpu_bus\":\"%s\",\"vivid_contig\":\"%s\",\"vivid_vmalloc\":\"%s\",\"dma_heap\":%s,\"udmabuf\":%s",
		     (int)getpid(), vgem.fd >= 0 ? vgem.dev : "", vgpu.fd >= 0 ? vgpu.dev : "", vgpu.fd >= 0 ? vgpu.driver : "",
		     vgpu.fd >= 0 ? vgpu.bus : "", vdc.fd >= 0 ? vdc.path : "", vvm.fd >= 0 ? vvm.path : "",
		     have_heap() ? "true" : "false", have_udmabuf() ? "true" : "false");
		if (vdc.fd < 0 || vgem.fd < 0) {
			fail("needed devices missing (vgem, vivid dma-contig)", ENODEV);
			rc = 1;
			continue;
		}
		if (small_format() < 0)
			fail("vivid S_FMT GREY 320x180", errno);
		scenarios[s].fn(arg);
		if (failures)
			rc = 1;
	}
	return rc;
}

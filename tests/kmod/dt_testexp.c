// SPDX-License-Identifier: GPL-2.0
/*
 * dt_testexp: a real dma-buf exporter for dmabuf-trace's guest tests. No driver of the test guests nests a
 * dma-buf call inside another in one task or is a dynamic exporter; this one does both, through the
 * kernel's own dma-buf core:
 *
 *  - a proxy buffer (DTX_IOC_PROXY) forwards to an inner dma-buf (a udmabuf, a heap buffer): its .attach
 *    attaches the inner buffer to the same device, .map_dma_buf maps that inner attachment, .vmap vmaps
 *    the inner buffer. An importer's dma_buf_attach / dma_buf_map_attachment / dma_buf_vmap of the proxy
 *    thus runs the same call on the inner buffer inside it, in the same task. Both share the inner
 *    buffer's reservation object, so the proxy's callbacks (called with it held) may call the inner's.
 *  - a dynamic buffer (DTX_IOC_DYN: .pin/.unpin) whose .map_dma_buf fails on request (DTX_IOC_SET_FAIL).
 *    A non-dynamic importer (vgem's PRIME import) attaching it makes dma_buf_dynamic_attach pin and map it
 *    at once (the cached pre-map); when that map fails, 6.1-6.14 call dma_buf_detach on the half-made
 *    attachment from the attach's own error path.
 *
 * Every call the module makes and every callback it gets is counted (DTX_IOC_COUNTERS, tests/kmod/
 * dt_testexp.h): the driver's own count that a trace's events are compared with.
 */
#include <linux/atomic.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/iosys-map.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "dt_testexp.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dmabuf-trace test exporter: nested dma-buf calls, a dynamic exporter");
MODULE_IMPORT_NS(DMA_BUF);

static atomic64_t counters[DTX__COUNT];

static void count(enum dtx_counter c)
{
	atomic64_inc(&counters[c]);
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
/* before 6.2 the unlocked variants did not exist: the plain calls took no reservation lock */
#define dma_buf_vmap_unlocked dma_buf_vmap
#define dma_buf_vunmap_unlocked dma_buf_vunmap
#endif

/* ---- proxy ---- */

struct proxy {
	struct dma_buf *inner;
};

static const struct dma_buf_ops proxy_ops;

static int proxy_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct proxy *p = dmabuf->priv;
	struct dma_buf_attachment *in;

	count(DTX_CB_PROXY_ATTACH);
	in = dma_buf_attach(p->inner, attach->dev);
	count(DTX_API_INNER_ATTACH);
	if (IS_ERR(in)) {
		count(DTX_API_INNER_ATTACH_FAILED);
		return PTR_ERR(in);
	}
	attach->priv = in;
	return 0;
}

static void proxy_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct proxy *p = dmabuf->priv;

	count(DTX_CB_PROXY_DETACH);
	dma_buf_detach(p->inner, attach->priv);
	count(DTX_API_INNER_DETACH);
}

static struct sg_table *proxy_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct sg_table *sgt;

	count(DTX_CB_PROXY_MAP);
	/* the inner buffer's reservation lock is the proxy's own: held here since 6.2 */
	sgt = dma_buf_map_attachment(attach->priv, dir);
	count(DTX_API_INNER_MAP);
	if (IS_ERR_OR_NULL(sgt))
		count(DTX_API_INNER_MAP_FAILED);
	return sgt;
}

static void proxy_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt, enum dma_data_direction dir)
{
	count(DTX_CB_PROXY_UNMAP);
	dma_buf_unmap_attachment(attach->priv, sgt, dir);
	count(DTX_API_INNER_UNMAP);
}

static int proxy_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct proxy *p = dmabuf->priv;
	int ret;

	count(DTX_CB_PROXY_VMAP);
	ret = dma_buf_vmap(p->inner, map);
	count(DTX_API_INNER_VMAP);
	return ret;
}

static void proxy_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct proxy *p = dmabuf->priv;

	count(DTX_CB_PROXY_VUNMAP);
	dma_buf_vunmap(p->inner, map);
	count(DTX_API_INNER_VUNMAP);
}

static void proxy_release(struct dma_buf *dmabuf)
{
	struct proxy *p = dmabuf->priv;

	count(DTX_CB_RELEASE);
	dma_buf_put(p->inner);
	kfree(p);
}

static const struct dma_buf_ops proxy_ops = {
	.attach = proxy_attach,
	.detach = proxy_detach,
	.map_dma_buf = proxy_map,
	.unmap_dma_buf = proxy_unmap,
	.vmap = proxy_vmap,
	.vunmap = proxy_vunmap,
	.release = proxy_release,
};

static int export_proxy(struct dtx_proxy *a)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *inner, *buf;
	struct proxy *p;
	int fd;

	inner = dma_buf_get(a->inner_fd);
	if (IS_ERR(inner))
		return PTR_ERR(inner);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		dma_buf_put(inner);
		return -ENOMEM;
	}
	p->inner = inner;
	info.exp_name = "dt_testexp_proxy";
	info.ops = &proxy_ops;
	info.size = inner->size;
	info.flags = O_RDWR;
	info.priv = p;
	info.resv = inner->resv;
	buf = dma_buf_export(&info);
	if (IS_ERR(buf)) {
		dma_buf_put(inner);
		kfree(p);
		return PTR_ERR(buf);
	}
	count(DTX_EXPORTS);
	fd = dma_buf_fd(buf, O_CLOEXEC);
	if (fd < 0) {
		dma_buf_put(buf); /* released: .release puts the inner buffer */
		return fd;
	}
	a->fd = fd;
	return 0;
}

/* ---- dynamic exporter ---- */

#define DYN_MAX_PAGES 4096

struct dyn {
	unsigned long npages;
	int fail_map;
	struct page **pages;
};

static const struct dma_buf_ops dyn_ops;

static int dyn_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	count(DTX_CB_DYN_ATTACH);
	return 0;
}

static void dyn_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	count(DTX_CB_DYN_DETACH);
}

static int dyn_pin(struct dma_buf_attachment *attach)
{
	count(DTX_CB_DYN_PIN);
	return 0;
}

static void dyn_unpin(struct dma_buf_attachment *attach)
{
	count(DTX_CB_DYN_UNPIN);
}

static struct sg_table *dyn_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct dyn *d = attach->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	count(DTX_CB_DYN_MAP);
	if (READ_ONCE(d->fail_map)) {
		count(DTX_CB_DYN_MAP_FAILED);
		/* a non-dynamic importer maps a dynamic buffer only through the attach's cached pre-map */
		if (!dma_buf_attachment_is_dynamic(attach))
			count(DTX_CB_DYN_PREMAP_FAILED);
		return ERR_PTR(-ENOSPC);
	}
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, d->pages, d->npages, 0, d->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(attach->dev, sgt, dir, 0);
	if (ret)
		goto err_table;
	return sgt;
err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void dyn_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt, enum dma_data_direction dir)
{
	count(DTX_CB_DYN_UNMAP);
	dma_unmap_sgtable(attach->dev, sgt, dir, 0);
	sg_free_table(sgt);
	kfree(sgt);
}

static void dyn_free(struct dyn *d)
{
	for (unsigned long i = 0; i < d->npages; i++)
		if (d->pages[i])
			__free_page(d->pages[i]);
	kvfree(d->pages);
	kfree(d);
}

static void dyn_release(struct dma_buf *dmabuf)
{
	count(DTX_CB_RELEASE);
	dyn_free(dmabuf->priv);
}

static const struct dma_buf_ops dyn_ops = {
	.attach = dyn_attach,
	.detach = dyn_detach,
	.pin = dyn_pin,
	.unpin = dyn_unpin,
	.map_dma_buf = dyn_map,
	.unmap_dma_buf = dyn_unmap,
	.release = dyn_release,
};

static int export_dyn(struct dtx_dyn *a)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *buf;
	struct dyn *d;
	int fd;

	if (!a->size || a->size & ~PAGE_MASK || a->size > (u64)DYN_MAX_PAGES << PAGE_SHIFT)
		return -EINVAL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->npages = a->size >> PAGE_SHIFT;
	d->fail_map = !!a->fail_map;
	d->pages = kvcalloc(d->npages, sizeof(*d->pages), GFP_KERNEL);
	if (!d->pages) {
		kfree(d);
		return -ENOMEM;
	}
	for (unsigned long i = 0; i < d->npages; i++) {
		d->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!d->pages[i]) {
			dyn_free(d);
			return -ENOMEM;
		}
	}
	info.exp_name = "dt_testexp_dyn";
	info.ops = &dyn_ops;
	info.size = a->size;
	info.flags = O_RDWR;
	info.priv = d;
	buf = dma_buf_export(&info);
	if (IS_ERR(buf)) {
		dyn_free(d);
		return PTR_ERR(buf);
	}
	count(DTX_EXPORTS);
	fd = dma_buf_fd(buf, O_CLOEXEC);
	if (fd < 0) {
		dma_buf_put(buf);
		return fd;
	}
	a->fd = fd;
	return 0;
}

static int set_fail(struct dtx_set_fail *a)
{
	struct dma_buf *buf = dma_buf_get(a->fd);
	int ret = 0;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (buf->ops == &dyn_ops)
		WRITE_ONCE(((struct dyn *)buf->priv)->fail_map, !!a->fail_map);
	else
		ret = -EINVAL;
	dma_buf_put(buf);
	return ret;
}

static int vmap_fd(int fd)
{
	struct dma_buf *buf = dma_buf_get(fd);
	struct iosys_map map;
	int ret;

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	iosys_map_clear(&map);
	ret = dma_buf_vmap_unlocked(buf, &map);
	count(DTX_API_VMAP);
	if (!ret) {
		dma_buf_vunmap_unlocked(buf, &map);
		count(DTX_API_VUNMAP);
	}
	dma_buf_put(buf);
	return ret;
}

/* ---- the misc device ---- */

static long dtx_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;
	union {
		struct dtx_proxy proxy;
		struct dtx_dyn dyn;
		struct dtx_set_fail fail;
		struct dtx_counters cnt;
		__s32 fd;
	} a;
	int ret;

	if (_IOC_SIZE(cmd) > sizeof(a))
		return -ENOTTY;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&a, u, _IOC_SIZE(cmd)))
		return -EFAULT;
	switch (cmd) {
	case DTX_IOC_PROXY:
		ret = export_proxy(&a.proxy);
		break;
	case DTX_IOC_DYN:
		ret = export_dyn(&a.dyn);
		break;
	case DTX_IOC_SET_FAIL:
		ret = set_fail(&a.fail);
		break;
	case DTX_IOC_VMAP:
		ret = vmap_fd(a.fd);
		break;
	case DTX_IOC_COUNTERS:
		memset(&a.cnt, 0, sizeof(a.cnt));
		a.cnt.count = DTX__COUNT;
		for (int i = 0; i < DTX__COUNT; i++)
			a.cnt.v[i] = atomic64_read(&counters[i]);
		ret = 0;
		break;
	default:
		return -ENOTTY;
	}
	if (!ret && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(u, &a, _IOC_SIZE(cmd)))
		return -EFAULT;
	return ret;
}

static const struct file_operations dtx_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = dtx_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice dtx_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dt_testexp",
	.fops = &dtx_fops,
	.mode = 0600,
};

static int __init dtx_init(void)
{
	BUILD_BUG_ON(DTX__COUNT > ARRAY_SIZE(((struct dtx_counters *)0)->v));
	return misc_register(&dtx_misc);
}

static void __exit dtx_exit(void)
{
	misc_deregister(&dtx_misc);
}

module_init(dtx_init);
module_exit(dtx_exit);

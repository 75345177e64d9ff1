/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR Apache-2.0 */
/* dt_testexp's ioctl interface (/dev/dt_testexp), shared by the module (tests/kmod/dt_testexp.c) and the
 * guest's scenario driver (tools/exercise/dmabuf-exercise.c). */
#ifndef DT_TESTEXP_H
#define DT_TESTEXP_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* What the module did and was asked to do, since it was loaded: every dma-buf call it made (DTX_API_*) and
 * every exporter callback the kernel made into it (DTX_CB_*). The driver's own count of trace events. */
enum dtx_counter {
	DTX_EXPORTS,           /* dma_buf_export() calls that succeeded (proxy and dynamic buffers) */
	DTX_CB_RELEASE,        /* .release of a buffer it exported */
	/* proxy: a buffer forwarding every operation to an inner dma-buf, in the same task */
	DTX_CB_PROXY_ATTACH,   /* .attach: the kernel is inside dma_buf_attach(proxy) */
	DTX_CB_PROXY_DETACH,
	DTX_CB_PROXY_MAP,      /* .map_dma_buf: inside dma_buf_map_attachment(proxy) */
	DTX_CB_PROXY_UNMAP,
	DTX_CB_PROXY_VMAP,
	DTX_CB_PROXY_VUNMAP,
	DTX_API_INNER_ATTACH,  /* dma_buf_attach(inner) from .attach: a nested attach */
	DTX_API_INNER_ATTACH_FAILED,
	DTX_API_INNER_DETACH,
	DTX_API_INNER_MAP,     /* dma_buf_map_attachment(inner) from .map_dma_buf: a nested map */
	DTX_API_INNER_MAP_FAILED,
	DTX_API_INNER_UNMAP,
	DTX_API_INNER_VMAP,    /* dma_buf_vmap(inner) from .vmap: a nested vmap */
	DTX_API_INNER_VUNMAP,
	DTX_API_VMAP,          /* dma_buf_vmap_unlocked() the module made for DTX_IOC_VMAP */
	DTX_API_VUNMAP,
	/* dynamic: an exporter with pin/unpin whose map can fail on request */
	DTX_CB_DYN_ATTACH,
	DTX_CB_DYN_DETACH,
	DTX_CB_DYN_PIN,
	DTX_CB_DYN_UNPIN,
	DTX_CB_DYN_MAP,
	DTX_CB_DYN_MAP_FAILED,  /* .map_dma_buf refused on request */
	DTX_CB_DYN_PREMAP_FAILED, /* ... for a non-dynamic importer: the attach's own cached pre-map, whose
	                           * failure makes dma_buf_dynamic_attach detach the attachment itself (6.1-6.14) */
	DTX_CB_DYN_UNMAP,
	DTX__COUNT
};

struct dtx_proxy {
	__s32 inner_fd; /* in: the dma-buf to forward to (a udmabuf, a heap buffer) */
	__s32 fd;       /* out: the proxy dma-buf */
};

struct dtx_dyn {
	__u64 size;     /* in: bytes (page multiple, at most 16 MiB) */
	__u32 fail_map; /* in: 1: .map_dma_buf fails with -ENOSPC */
	__s32 fd;       /* out: the dynamic dma-buf */
};

struct dtx_set_fail {
	__s32 fd;       /* a dynamic dma-buf of this module */
	__u32 fail_map;
};

struct dtx_counters {
	__u32 count;    /* out: DTX__COUNT of the module */
	__u32 _pad;
	__u64 v[64];    /* out: enum dtx_counter */
};

#define DTX_IOC_PROXY _IOWR('X', 1, struct dtx_proxy)
#define DTX_IOC_DYN _IOWR('X', 2, struct dtx_dyn)
#define DTX_IOC_SET_FAIL _IOW('X', 3, struct dtx_set_fail)
#define DTX_IOC_VMAP _IOW('X', 4, __s32)     /* vmap + vunmap the dma-buf fd (a proxy: nested vmaps) */
#define DTX_IOC_COUNTERS _IOR('X', 5, struct dtx_counters)

#endif

// SPDX-License-Identifier: Apache-2.0
/* Which processes hold which dma-bufs right now: open fds (/proc/PID/fd, the dma-buf file's inode is the
 * buffer's) and mmaps (/proc/PID/maps lines of a dmabuf file, same inode). Reading another process's fds
 * needs CAP_SYS_PTRACE (measured: CAP_DAC_READ_SEARCH is not enough): processes that could not be read are counted, not
 * guessed. Like Android's dmabuf_dump, without the attach/map state only the tracer knows. */
#ifndef DT_DAEMON_HOLDERS_H
#define DT_DAEMON_HOLDERS_H

#include <stddef.h>
#include <stdint.h>

struct dt_holder {
	uint64_t ino;
	int pid;
	char comm[64];
	unsigned fds, maps;
};

struct dt_holders {
	struct dt_holder *v;
	size_t n, cap;
	unsigned unreadable;     /* processes whose fds or maps could not be read */
	unsigned scanned;
};

/* proc: "/proc" (tests may point elsewhere). 0, or -1 when proc cannot be listed. */
int dt_holders_scan(struct dt_holders *h, const char *proc);
void dt_holders_free(struct dt_holders *h);

#endif

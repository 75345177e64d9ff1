// SPDX-License-Identifier: Apache-2.0
/* Guest helper for tests/suite-vm-daemon: allocates one dma-buf from the system heap, maps it into
 * memory, prints its inode, and holds fd and mapping for SECONDS, so state --live can be compared with
 * bufinfo and /proc while a buffer is live. Usage: dmabuf-hold SECONDS */
#include <fcntl.h>
#include <linux/dma-heap.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10;
	int heap = open("/dev/dma_heap/system", O_RDWR | O_CLOEXEC);
	if (heap < 0) {
		perror("/dev/dma_heap/system");
		return 1;
	}
	struct dma_heap_allocation_data a = {.len = 1 << 20, .fd_flags = O_RDWR | O_CLOEXEC};
	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &a) < 0) {
		perror("DMA_HEAP_IOCTL_ALLOC");
		return 1;
	}
	void *p = mmap(NULL, a.len, PROT_READ | PROT_WRITE, MAP_SHARED, (int)a.fd, 0);
	struct stat st;
	fstat((int)a.fd, &st);
	printf("%lu %s\n", (unsigned long)st.st_ino, p == MAP_FAILED ? "unmapped" : "mapped");
	fflush(stdout);
	sleep((unsigned)seconds);
	return 0;
}

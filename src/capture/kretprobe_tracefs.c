// SPDX-License-Identifier: Apache-2.0
/* tracefs kretprobe with maxactive (see kretprobe_tracefs.h). */
#include "capture/kretprobe_tracefs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GROUP "dmabuf_trace_test"

static char made[8][64]; /* event names created, removed at cleanup */
static int nmade;

static const char *tracefs(void)
{
	return access("/sys/kernel/tracing/kprobe_events", W_OK) == 0 ? "/sys/kernel/tracing"
									: "/sys/kernel/debug/tracing";
}

static int write_events(const char *line)
{
	char path[128];
	int fd, rc = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs());
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		rc = -errno;
	close(fd);
	return rc;
}

struct bpf_link *dt_kretprobe_tracefs_attach(struct bpf_program *prog, const char *func, int maxactive)
{
	char name[64], line[256], path[192], idbuf[32];
	struct perf_event_attr attr = {0};
	struct bpf_link *link;
	int fd, pfd, rc;
	ssize_t n;

	if (nmade == (int)(sizeof(made) / sizeof(made[0]))) {
		errno = ENOSPC;
		return NULL;
	}
	snprintf(name, sizeof(name), "r%d_%s", (int)getpid(), func);
	snprintf(line, sizeof(line), "r%d:%s/%s %s\n", maxactive, GROUP, name, func);
	rc = write_events(line);
	if (rc) {
		errno = -rc;
		return NULL;
	}
	snprintf(made[nmade++], sizeof(made[0]), "%s", name);
	snprintf(path, sizeof(path), "%s/events/%s/%s/id", tracefs(), GROUP, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, idbuf, sizeof(idbuf) - 1);
	close(fd);
	if (n <= 0) {
		errno = EINVAL;
		return NULL;
	}
	idbuf[n] = 0;
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = strtoull(idbuf, NULL, 10);
	attr.sample_period = 1;
	attr.wakeup_events = 1;
	pfd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0)
		return NULL;
	link = bpf_program__attach_perf_event(prog, pfd);
	if (!link) {
		int e = errno;
		close(pfd);
		errno = e;
	}
	return link;
}

void dt_kretprobe_tracefs_cleanup(void)
{
	char line[sizeof(made[0]) + 32];

	for (int i = 0; i < nmade; i++) {
		snprintf(line, sizeof(line), "-:%s/%.63s\n", GROUP, made[i]);
		write_events(line);
	}
	nmade = 0;
}

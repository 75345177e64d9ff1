// SPDX-License-Identifier: Apache-2.0
/* See holders.h. */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/holders.h"

static struct dt_holder *holder_for(struct dt_holders *h, uint64_t ino, int pid, const char *comm)
{
	for (size_t i = h->n; i-- > 0;) {
		if (h->v[i].pid != pid)
			break; /* one process at a time: only its own entries are at the end */
		if (h->v[i].ino == ino)
			return &h->v[i];
	}
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 64;
		struct dt_holder *nv = realloc(h->v, ncap * sizeof(*nv));
		if (!nv)
			return NULL;
		h->v = nv;
		h->cap = ncap;
	}
	struct dt_holder *x = &h->v[h->n++];
	memset(x, 0, sizeof(*x));
	x->ino = ino;
	x->pid = pid;
	snprintf(x->comm, sizeof(x->comm), "%s", comm);
	return x;
}

static bool is_dmabuf_link(const char *target)
{
	return strncmp(target, "/dmabuf:", 8) == 0 || strncmp(target, "anon_inode:dmabuf", 17) == 0;
}

static void scan_pid(struct dt_holders *h, const char *proc, int pid)
{
	char path[512], comm[64] = "";
	snprintf(path, sizeof(path), "%s/%d/comm", proc, pid);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	bool unreadable = false;
	snprintf(path, sizeof(path), "%s/%d/fd", proc, pid);
	DIR *d = opendir(path);
	if (!d) {
		unreadable = true;
	} else {
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char fdpath[600], target[256];
			snprintf(fdpath, sizeof(fdpath), "%s/%d/fd/%s", proc, pid, de->d_name);
			ssize_t n = readlink(fdpath, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			struct stat st;
			if (!is_dmabuf_link(target) || stat(fdpath, &st) < 0)
				continue;
			struct dt_holder *x = holder_for(h, (uint64_t)st.st_ino, pid, comm);
			if (x)
				x->fds++;
		}
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s/%d/maps", proc, pid);
	f = fopen(path, "re");
	if (!f) {
		unreadable = true;
	} else {
		char line[1024];
		bool any = false;
		while (fgets(line, sizeof(line), f)) {
			any = true;
			/* start-end perms offset dev inode path */
			char *p = line;
			for (int field = 0; field < 5 && p; field++) {
				p = strchr(p, ' ');
				while (p && *p == ' ')
					p++;
			}
			if (!p)
				continue;
			char *ino_end;
			unsigned long long ino = strtoull(p, &ino_end, 10);
			if (!ino)
				continue;
			while (*ino_end == ' ')
				ino_end++;
			if (strncmp(ino_end, "/dmabuf", 7) != 0 && strncmp(ino_end, "anon_inode:dmabuf", 17) != 0)
				continue;
			struct dt_holder *x = holder_for(h, ino, pid, comm);
			if (x)
				x->maps++;
		}
		/* maps reads as empty when ptrace access is refused */
		if (!any && !unreadable && pid != getpid())
			unreadable = access(path, R_OK) != 0;
		fclose(f);
	}
	h->unreadable += unreadable;
	h->scanned++;
}

int dt_holders_scan(struct dt_holders *h, const char *proc)
{
	memset(h, 0, sizeof(*h));
	DIR *d = opendir(proc);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		scan_pid(h, proc, atoi(de->d_name));
	}
	closedir(d);
	return 0;
}

void dt_holders_free(struct dt_holders *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

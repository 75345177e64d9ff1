// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/proc_tree.h"

#define IN_TREE ((void *)1)
#define NOT_IN_TREE ((void *)2)

void dt_proc_tree_init(struct dt_proc_tree *t, pid_t root, pid_t reaper)
{
	memset(t, 0, sizeof(*t));
	t->root = root;
	t->reaper = reaper;
}

pid_t dt_proc_parent(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')' */
	char *close = strrchr(buf, ')');
	char state;
	int ppid;
	if (!close || sscanf(close + 1, " %c %d", &state, &ppid) != 2)
		return -1;
	return ppid;
}

bool dt_proc_tree_has(struct dt_proc_tree *t, int64_t pid)
{
	if (pid <= 0)
		return false;
	if (pid == t->root)
		return true;
	void *v = u64map_get(&t->known, (uint64_t)pid);
	if (v)
		return v == IN_TREE;
	/* Walk up until the root, a known pid, or init. */
	pid_t chain[64];
	int n = 0;
	pid_t p = (pid_t)pid;
	bool in = false, decided = false;
	while (n < 64) {
		chain[n++] = p;
		pid_t parent = dt_proc_parent(p);
		if (parent < 0) {
			if (n == 1)
				t->unknown++;
			break; /* gone: not placed (not cached, it may be a reused pid later) */
		}
		if (parent == t->root || (t->reaper && parent == t->reaper)) {
			in = decided = true;
			break;
		}
		void *pv = u64map_get(&t->known, (uint64_t)parent);
		if (pv) {
			in = pv == IN_TREE;
			decided = true;
			break;
		}
		if (parent <= 1) {
			decided = true;
			break;
		}
		p = parent;
	}
	if (decided)
		for (int i = 0; i < n; i++)
			(void)u64map_put(&t->known, (uint64_t)chain[i], in ? IN_TREE : NOT_IN_TREE);
	return in;
}

void dt_proc_tree_free(struct dt_proc_tree *t)
{
	u64map_free(&t->known);
}

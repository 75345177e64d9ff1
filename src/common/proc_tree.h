// SPDX-License-Identifier: Apache-2.0
/* record -- CMD where the kernel cannot follow the tree at fork (capture's dt_capture_tree_*): which
 * processes belong to the command's tree, from /proc: a pid is in the tree when its parent chain reaches the
 * command. Answers are cached, so a child that exits after its
 * first event stays known; one that exits before its first event is read is missed (said in the summary). */
#ifndef DT_PROC_TREE_H
#define DT_PROC_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/u64map.h"

struct dt_proc_tree {
	pid_t root;
	pid_t reaper;        /* a child subreaper (record itself): orphans of the tree are reparented to it; 0: none */
	struct u64map known; /* pid -> (void *)1 in the tree, (void *)2 not */
	uint64_t unknown;    /* pids gone from /proc before they could be placed */
};

void dt_proc_tree_init(struct dt_proc_tree *t, pid_t root, pid_t reaper);
bool dt_proc_tree_has(struct dt_proc_tree *t, int64_t pid);
void dt_proc_tree_free(struct dt_proc_tree *t);
/* The parent of pid from /proc/PID/stat, or -1 when it is gone. Exposed for tests. */
pid_t dt_proc_parent(pid_t pid);

#endif

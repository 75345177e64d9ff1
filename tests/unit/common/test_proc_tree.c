// SPDX-License-Identifier: Apache-2.0
/* record -- CMD's process tree from /proc (src/common/proc_tree.c), with real processes: a child, its child,
 * an orphan reparented to a subreaper, and an unrelated process. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/proc_tree.h"

/* The pid of a sleeping grandchild, written by the child through a pipe; the child sleeps too. */
static pid_t spawn_tree(pid_t *grandchild, bool child_exits)
{
	int p[2];
	assert_int_equal(pipe(p), 0);
	pid_t c = fork();
	if (c == 0) {
		pid_t g = fork();
		if (g == 0) {
			pause();
			_exit(0);
		}
		if (write(p[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		if (child_exits)
			_exit(0);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], grandchild, sizeof(*grandchild)), (ssize_t)sizeof(*grandchild));
	close(p[0]);
	close(p[1]);
	return c;
}

static void tree_follows_children(void **state)
{
	(void)state;
	pid_t g;
	pid_t c = spawn_tree(&g, false);
	struct dt_proc_tree t;
	dt_proc_tree_init(&t, c, 0);
	assert_true(dt_proc_tree_has(&t, c));
	assert_true(dt_proc_tree_has(&t, g));
	assert_false(dt_proc_tree_has(&t, getpid())); /* the recorder's parent side is not the command */
	assert_false(dt_proc_tree_has(&t, 1));
	assert_int_equal(dt_proc_parent(g), c);
	/* the answer is cached: still known after the grandchild is gone */
	kill(g, SIGKILL);
	usleep(100000);
	assert_true(dt_proc_tree_has(&t, g));
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	dt_proc_tree_free(&t);
}

static void orphans_reparented_to_the_subreaper(void **state)
{
	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	pid_t g;
	pid_t c = spawn_tree(&g, true);
	waitpid(c, NULL, 0); /* the child exited: the grandchild is ours now */
	for (int i = 0; i < 50 && dt_proc_parent(g) != getpid(); i++)
		usleep(10000);
	assert_int_equal(dt_proc_parent(g), getpid());
	struct dt_proc_tree t;
	dt_proc_tree_init(&t, c, getpid());
	assert_true(dt_proc_tree_has(&t, g));
	struct dt_proc_tree without;
	dt_proc_tree_init(&without, c, 0);
	assert_false(dt_proc_tree_has(&without, g));
	kill(g, SIGKILL);
	waitpid(g, NULL, 0);
	dt_proc_tree_free(&t);
	dt_proc_tree_free(&without);
}

static void gone_pid_is_not_placed(void **state)
{
	(void)state;
	struct dt_proc_tree t;
	dt_proc_tree_init(&t, getpid(), 0);
	assert_false(dt_proc_tree_has(&t, 4194300)); /* no such process */
	assert_int_equal(t.unknown, 1);
	assert_int_equal(dt_proc_parent(4194300), -1);
	dt_proc_tree_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_follows_children),
		cmocka_unit_test(orphans_reparented_to_the_subreaper),
		cmocka_unit_test(gone_pid_is_not_placed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

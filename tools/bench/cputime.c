/* SPDX-License-Identifier: Apache-2.0 */
/* cputime: runs a command and prints the CPU time of its whole process (all threads, reaped children
 * included) from wait4's rusage, for `make bench` (the streaming client's CPU per frame). The kernel's
 * user+system total of a reaped process is its scheduler runtime (cputime_adjust), not tick samples.
 * Usage: cputime COMMAND [ARG...]   prints {"cpu_us":N,"user_us":U,"sys_us":S,"wall_us":W,"status":X} on stderr */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

static long long us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: cputime COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "cputime: fork: %s\n", strerror(errno));
		return 3;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "cputime: cannot run %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		fprintf(stderr, "cputime: wait4: %s\n", strerror(errno));
		return 3;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long wall = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "{\"cpu_us\":%lld,\"user_us\":%lld,\"sys_us\":%lld,\"wall_us\":%lld,\"status\":%d}\n",
		us(ru.ru_utime) + us(ru.ru_stime), us(ru.ru_utime), us(ru.ru_stime), wall, code);
	return code;
}

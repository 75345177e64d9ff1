// SPDX-License-Identifier: Apache-2.0
/* Guest helper for tests/e2e/caps-guest.sh where util-linux's setpriv cannot go (arm64 guests get static
 * binaries only): `capbset --bounding-set LIST -- CMD ARGS...` drops from the bounding set what LIST leaves
 * out, then runs CMD, as `setpriv --bounding-set LIST --` does. LIST is setpriv's: comma-separated
 * "+all", "-all", "+NAME", "-NAME" (NAME: bpf, sys_admin, ...), applied in order to the current set. For root
 * the permitted and effective sets after exec are then the bounding set, as systemd's CapabilityBoundingSet=
 * makes them. Exit 127 when CMD cannot run, 2 on a bad list. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static const char *const cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
	"linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write", "audit_control", "setfcap",
	"mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read", "perfmon", "bpf",
	"checkpoint_restore",
};
#define NCAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

static int cap_by_name(const char *s, size_t n)
{
	for (int i = 0; i < NCAPS; i++)
		if (strlen(cap_names[i]) == n && !strncmp(cap_names[i], s, n))
			return i;
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[1], "--bounding-set") || strcmp(argv[3], "--")) {
		fprintf(stderr, "usage: capbset --bounding-set LIST -- CMD [ARGS...]\n");
		return 2;
	}
	bool keep[64];
	int last = NCAPS - 1;
	while (last >= 0 && prctl(PR_CAPBSET_READ, last) < 0)
		last--; /* an older kernel knows fewer */
	for (int i = 0; i <= last; i++)
		keep[i] = prctl(PR_CAPBSET_READ, i) == 1;
	for (const char *p = argv[2]; *p;) {
		size_t n = strcspn(p, ",");
		if (n < 2 || (p[0] != '+' && p[0] != '-')) {
			fprintf(stderr, "capbset: bad item in \"%s\"\n", argv[2]);
			return 2;
		}
		bool add = p[0] == '+';
		if (n == 4 && !strncmp(p + 1, "all", 3)) {
			for (int i = 0; i <= last; i++)
				keep[i] = add;
		} else {
			int c = cap_by_name(p + 1, n - 1);
			if (c < 0) {
				fprintf(stderr, "capbset: unknown capability \"%.*s\"\n", (int)n - 1, p + 1);
				return 2;
			}
			if (c <= last)
				keep[c] = add;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	for (int i = 0; i <= last; i++)
		if (!keep[i] && prctl(PR_CAPBSET_DROP, i) < 0) {
			fprintf(stderr, "capbset: dropping cap_%s: %s\n", cap_names[i], strerror(errno));
			return 2;
		}
	execvp(argv[4], argv + 4);
	fprintf(stderr, "capbset: %s: %s\n", argv[4], strerror(errno));
	return 127;
}
